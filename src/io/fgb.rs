//! FlatGeobuf layers in: geometry straight from the flatbuffer coordinate arrays, properties
//! from the columns, the CRS from the header (EPSG code, else its WKT).

use std::path::Path;

use flatgeobuf::{ColumnType, FgbReader, GeometryType};
use geo::{
    Coord, CoordsIter, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
    Polygon,
};
use rayon::prelude::*;
use serde_json::{Map, Number, Value};

use crate::crs::SourceCrs;
use crate::io::input::{
    InputError, Layer, Properties, RawFeature, ReadOptions, SkipReason, SkippedFeature,
};

/// The CRS the header declares: an EPSG code, else WKT; `None` when it declares none.
fn header_crs(header: &flatgeobuf::Header<'_>) -> Option<Result<SourceCrs, String>> {
    header.crs().and_then(|c| {
        if c.code() > 0 {
            Some(SourceCrs::from_epsg(c.code() as u32).ok_or_else(|| {
                format!("the header says EPSG:{}, which greenreach does not know; give the layer's CRS with --crs", c.code())
            }))
        } else {
            c.wkt().map(|w| {
                crate::io::shapefile::prj::to_crs(w)
                    .map(|(crs, _)| crs)
                    .map_err(|e| format!("the header's CRS WKT {e}; give the layer's CRS with --crs"))
            })
        }
    })
}

/// Read a FlatGeobuf layer.
#[allow(clippy::too_many_lines)] // the header checked, the features found, then decoded
pub(crate) fn read(path: &Path, opts: &ReadOptions) -> Result<Layer, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file_error = |problem: String| InputError::File {
        path: path.to_path_buf(),
        problem,
    };
    let reader = FgbReader::open(std::io::Cursor::new(&bytes[..]))
        .map_err(|e| file_error(format!("is not a FlatGeobuf file: {e}")))?;
    let header = reader.header();
    let kind = header.geometry_type();
    let columns: Vec<(String, ColumnType)> = header
        .columns()
        .map(|cs| {
            cs.iter()
                .map(|c| (c.name().to_string(), c.type_()))
                .collect()
        })
        .unwrap_or_default();
    let declared_crs = header_crs(&header);
    let mut layer = Layer {
        path: path.to_path_buf(),
        features: Vec::new(),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs,
        notes: vec![format!("{}: FlatGeobuf", path.display())],
        warnings: Vec::new(),
    };
    // Where the features start (after the magic bytes, the header and the spatial index),
    // then each feature's bytes in file order: a size, then that many bytes, until fewer than
    // four bytes remain (as the crate's own reader ends).
    let header_size = u32::from_le_bytes(bytes[8..12].try_into().expect("4")) as usize;
    let count = header.features_count() as usize;
    let index_size = if header.index_node_size() > 0 && count > 0 {
        flatgeobuf::packed_r_tree::PackedRTree::index_size(count, header.index_node_size())
    } else {
        0
    };
    let mut at = 12usize
        .saturating_add(header_size)
        .saturating_add(index_size);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    while at.saturating_add(4) <= bytes.len() {
        let n = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4")) as usize;
        let end = at + 4 + n;
        if end > bytes.len() {
            return Err(InputError::Feature {
                path: path.to_path_buf(),
                index: spans.len(),
                id: None,
                problem: format!(
                    "cannot be read: it says {n} bytes but the file ends {} bytes later (truncated?)",
                    bytes.len() - at - 4
                ),
            });
        }
        spans.push((at, end));
        at = end;
    }
    let keep_all = opts.properties == Properties::All;
    // Each feature checked and decoded in parallel; the first problem in file order wins.
    let one = |index: usize,
               (start, end): (usize, usize)|
     -> Result<Result<RawFeature, SkippedFeature>, InputError> {
        let feature_error = |id: Option<String>, problem: String| InputError::Feature {
            path: path.to_path_buf(),
            index,
            id,
            problem,
        };
        let f = flatgeobuf::size_prefixed_root_as_feature(&bytes[start..end])
            .map_err(|e| feature_error(None, format!("cannot be read: {e}")))?;
        let raw = f.properties().map(|p| p.bytes()).unwrap_or(&[]);
        let props = properties(raw, &columns, keep_all).map_err(|p| feature_error(None, p))?;
        let id = props.get("id").and_then(crate::io::input::id_text);
        let geometry = match f.geometry() {
            None => None,
            Some(g) => Some(convert(&g, kind).map_err(|p| feature_error(id.clone(), p))?),
        };
        Ok(match geometry {
            Some(geometry) if geometry.coords_count() > 0 => Ok(RawFeature {
                index,
                id,
                properties: if keep_all { props } else { Map::new() },
                geometry,
            }),
            g => {
                let reason = if g.is_none() {
                    SkipReason::NullGeometry
                } else {
                    SkipReason::EmptyGeometry
                };
                if opts.strict {
                    return Err(feature_error(id, format!("{reason} (--strict)")));
                }
                Err(SkippedFeature { index, id, reason })
            }
        })
    };
    let decoded: Vec<_> = spans
        .into_par_iter()
        .enumerate()
        .with_min_len(1024)
        .map(|(index, span)| one(index, span))
        .collect();
    // The first problem in file order, as a feature-by-feature read would meet it.
    let decoded: Vec<_> = decoded.into_iter().collect::<Result<_, _>>()?;
    layer.extend_decoded(decoded);
    Ok(layer)
}

/// The property bytes of a feature, bounds-checked (the crate's own reader indexes unchecked):
/// every column, or with `all` false only `id` (the others are checked and passed over).
fn properties(
    bytes: &[u8],
    columns: &[(String, ColumnType)],
    all: bool,
) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    let mut i = 0usize;
    let bad = || "its property bytes are corrupt".to_string();
    let take = |i: &mut usize, n: usize| -> Result<&[u8], String> {
        let s = bytes.get(*i..*i + n).ok_or_else(bad)?;
        *i += n;
        Ok(s)
    };
    while i + 1 < bytes.len() {
        let c = u16::from_le_bytes(take(&mut i, 2)?.try_into().expect("2")) as usize;
        let (name, t) = columns.get(c).ok_or_else(bad)?;
        let keep = all || name == "id";
        let f = |v: f64| Number::from_f64(v).map_or(Value::Null, Value::Number);
        let v = match *t {
            ColumnType::Byte => Value::from(take(&mut i, 1)?[0] as i8),
            ColumnType::UByte => Value::from(take(&mut i, 1)?[0]),
            ColumnType::Bool => Value::from(take(&mut i, 1)?[0] != 0),
            ColumnType::Short => {
                Value::from(i16::from_le_bytes(take(&mut i, 2)?.try_into().expect("2")))
            }
            ColumnType::UShort => {
                Value::from(u16::from_le_bytes(take(&mut i, 2)?.try_into().expect("2")))
            }
            ColumnType::Int => {
                Value::from(i32::from_le_bytes(take(&mut i, 4)?.try_into().expect("4")))
            }
            ColumnType::UInt => {
                Value::from(u32::from_le_bytes(take(&mut i, 4)?.try_into().expect("4")))
            }
            ColumnType::Long => {
                Value::from(i64::from_le_bytes(take(&mut i, 8)?.try_into().expect("8")))
            }
            ColumnType::ULong => {
                Value::from(u64::from_le_bytes(take(&mut i, 8)?.try_into().expect("8")))
            }
            ColumnType::Float => f(f64::from(f32::from_le_bytes(
                take(&mut i, 4)?.try_into().expect("4"),
            ))),
            ColumnType::Double => f(f64::from_le_bytes(take(&mut i, 8)?.try_into().expect("8"))),
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let n = u32::from_le_bytes(take(&mut i, 4)?.try_into().expect("4")) as usize;
                let raw = take(&mut i, n)?;
                if !keep {
                    continue;
                }
                match *t {
                    ColumnType::Binary => Value::Null,
                    ColumnType::Json => serde_json::from_slice(raw).unwrap_or_else(|_| {
                        Value::String(String::from_utf8_lossy(raw).into_owned())
                    }),
                    _ => Value::String(String::from_utf8_lossy(raw).into_owned()),
                }
            }
            _ => return Err(bad()),
        };
        if keep {
            m.insert(name.clone(), v);
        }
    }
    Ok(m)
}

fn coords(g: &flatgeobuf::Geometry) -> Result<Vec<Coord>, String> {
    let Some(xy) = g.xy() else {
        return Ok(Vec::new());
    };
    let v: Vec<f64> = xy.iter().collect();
    if !v.len().is_multiple_of(2) {
        return Err("its coordinate array has an odd length".into());
    }
    let cs: Vec<Coord> = v
        .chunks_exact(2)
        .map(|c| Coord { x: c[0], y: c[1] })
        .collect();
    if cs.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
        return Err("a coordinate is not a finite number".into());
    }
    Ok(cs)
}

/// The coordinate runs `ends` cuts `cs` into (one run without `ends`).
fn runs(g: &flatgeobuf::Geometry, cs: Vec<Coord>) -> Result<Vec<Vec<Coord>>, String> {
    let Some(ends) = g.ends() else {
        return Ok(if cs.is_empty() { vec![] } else { vec![cs] });
    };
    let mut out = Vec::new();
    let mut s = 0usize;
    for e in ends.iter() {
        let e = e as usize;
        if e < s || e > cs.len() {
            return Err(format!(
                "a ring or part end ({e}) is out of order or beyond its {} coordinates",
                cs.len()
            ));
        }
        out.push(cs[s..e].to_vec());
        s = e;
    }
    Ok(out)
}

fn polygon(g: &flatgeobuf::Geometry) -> Result<Option<Polygon>, String> {
    let rings = runs(g, coords(g)?)?;
    for (k, r) in rings.iter().enumerate() {
        if r.len() < 4 {
            return Err(format!(
                "ring {k} has {} position(s); a polygon ring needs at least 4 (closed)",
                r.len()
            ));
        }
        if r[0] != r[r.len() - 1] {
            return Err(format!(
                "ring {k} is not closed: its last position must equal its first"
            ));
        }
    }
    let mut it = rings.into_iter().map(LineString);
    Ok(it.next().map(|ext| Polygon::new(ext, it.collect())))
}

fn convert(g: &flatgeobuf::Geometry, header_kind: GeometryType) -> Result<Geometry<f64>, String> {
    let kind = if header_kind == GeometryType::Unknown {
        g.type_()
    } else {
        header_kind
    };
    Ok(match kind {
        GeometryType::Point => match coords(g)?.first() {
            Some(c) => Geometry::Point(Point(*c)),
            None => Geometry::MultiPoint(MultiPoint(vec![])),
        },
        GeometryType::MultiPoint => {
            Geometry::MultiPoint(MultiPoint(coords(g)?.into_iter().map(Point).collect()))
        }
        GeometryType::LineString => Geometry::LineString(LineString(coords(g)?)),
        GeometryType::MultiLineString => Geometry::MultiLineString(MultiLineString(
            runs(g, coords(g)?)?.into_iter().map(LineString).collect(),
        )),
        GeometryType::Polygon => match polygon(g)? {
            Some(p) => Geometry::Polygon(p),
            None => Geometry::MultiPolygon(MultiPolygon(vec![])),
        },
        GeometryType::MultiPolygon => {
            let mut ps = Vec::new();
            if let Some(parts) = g.parts() {
                for p in parts.iter() {
                    ps.extend(polygon(&p)?);
                }
            }
            Geometry::MultiPolygon(MultiPolygon(ps))
        }
        other => return Err(format!("geometry type {other:?} is not supported")),
    })
}
