//! CSV layers: a lon/lat column pair (`lon`/`lng`/`longitude`/`x`/`经度`,
//! `lat`/`latitude`/`y`/`纬度`) or a WKT column (`wkt`, `geometry`, `geom`, `the_geom`);
//! UTF-8 with or without BOM, or GBK (`--encoding`, else detected); comma, semicolon or tab.

use std::path::Path;

use encoding_rs::{GBK, UTF_8};
use geo::{Coord, CoordsIter, Geometry, Point};
use serde_json::{Map, Value};

use crate::io::input::{
    InputError, Layer, Properties, RawFeature, ReadOptions, SkipReason, SkippedFeature,
};
use crate::io::source::{self, read_bytes};

pub(crate) const LON: [&str; 6] = ["lon", "lng", "long", "longitude", "x", "经度"];
pub(crate) const LAT: [&str; 4] = ["lat", "latitude", "y", "纬度"];
const WKT: [&str; 5] = ["wkt", "geometry", "geom", "the_geom", "shape"];

/// Where a row's geometry comes from.
enum Geo {
    /// Columns of longitude and latitude.
    LonLat(usize, usize),
    /// A WKT column.
    Wkt(usize),
}

impl Geo {
    /// The coordinate columns among `headers`: a lon/lat pair first, else a WKT column.
    fn find(headers: &[String]) -> Option<Geo> {
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        match (find(&LON), find(&LAT), find(&WKT)) {
            (Some(x), Some(y), _) => Some(Geo::LonLat(x, y)),
            (_, _, Some(w)) => Some(Geo::Wkt(w)),
            _ => None,
        }
    }

    fn describe(&self, headers: &[String]) -> String {
        match *self {
            Geo::LonLat(x, y) => format!("columns {} and {}", headers[x], headers[y]),
            Geo::Wkt(w) => format!("WKT column {}", headers[w]),
        }
    }

    fn is_coordinate(&self, c: usize) -> bool {
        match *self {
            Geo::LonLat(x, y) => c == x || c == y,
            Geo::Wkt(w) => c == w,
        }
    }

    /// The geometry of a row (`None`: its coordinate cells are empty); `err` words a problem.
    fn parse(
        &self,
        rec: &csv::StringRecord,
        headers: &[String],
        err: &dyn Fn(String) -> InputError,
    ) -> Result<Option<Geometry<f64>>, InputError> {
        let cell = |c: usize| rec.get(c).unwrap_or("").trim();
        match *self {
            Geo::LonLat(x, y) => {
                let (sx, sy) = (cell(x), cell(y));
                if sx.is_empty() && sy.is_empty() {
                    return Ok(None);
                }
                let num = |s: &str, col: usize| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| err(format!("{} \"{s}\" is not a number", headers[col])))
                };
                Ok(Some(Geometry::Point(Point(Coord {
                    x: num(sx, x)?,
                    y: num(sy, y)?,
                }))))
            }
            Geo::Wkt(w) => {
                let s = cell(w);
                if s.is_empty() {
                    return Ok(None);
                }
                let g: Geometry<f64> = wkt::TryFromWkt::try_from_wkt_str(s)
                    .map_err(|e| err(format!("{} is not WKT: {e}", headers[w])))?;
                if matches!(g, Geometry::GeometryCollection(_)) {
                    return Err(err(
                        "GEOMETRYCOLLECTION is not supported; split it into rows".into(),
                    ));
                }
                Ok(Some(g))
            }
        }
    }
}

/// The text of a CSV file (BOM dropped): `--encoding`, else UTF-8 when valid, else GBK; with
/// the encoding and why it was chosen.
fn decode<'a>(
    path: &Path,
    raw: &'a [u8],
    opts: &ReadOptions,
) -> Result<
    (
        std::borrow::Cow<'a, str>,
        &'static encoding_rs::Encoding,
        &'static str,
    ),
    InputError,
> {
    let body = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let (enc, why) = match &opts.source.encoding {
        Some(name) => (source::encoding(path, name)?, "--encoding"),
        None if std::str::from_utf8(body).is_ok() => (UTF_8, "valid UTF-8"),
        None => (GBK, "not UTF-8: assumed GBK; pass --encoding if it is not"),
    };
    Ok((enc.decode_without_bom_handling(body).0, enc, why))
}

/// Read a CSV layer.
#[allow(clippy::too_many_lines)] // a linear reader: the header's columns decided, then one pass over the rows
pub(crate) fn read(path: &Path, opts: &ReadOptions) -> Result<Layer, InputError> {
    let raw = read_bytes(path)?;
    let file_error = |problem: String| InputError::File {
        path: path.to_path_buf(),
        problem,
    };
    let (text, enc, why) = decode(path, &raw, opts)?;
    let first = text.lines().next().unwrap_or("");
    let delim = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d as char).count())
        .unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| file_error(format!("cannot read the header row: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let Some(how) = Geo::find(&headers) else {
        return Err(file_error(format!(
            "has no coordinate columns: expected a lon/lat pair (lon, lng, longitude, x or 经度 with lat, latitude, y or 纬度) or a WKT column (wkt, geometry, geom); the columns are: {}",
            headers.join(", ")
        )));
    };
    let id_col = headers.iter().position(|h| h == "id");
    let mut layer = Layer {
        path: path.to_path_buf(),
        features: Vec::new(),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs: None,
        notes: vec![format!(
            "{}: CSV, text read as {} ({why}), coordinates from {}",
            path.display(),
            enc.name(),
            how.describe(&headers)
        )],
        warnings: Vec::new(),
    };
    for (index, rec) in rdr.records().enumerate() {
        let line = index + 2;
        let rec = rec.map_err(|e| InputError::Feature {
            path: path.to_path_buf(),
            index,
            id: None,
            problem: format!("row on line {line} cannot be read: {e}"),
        })?;
        let id = id_col
            .and_then(|c| rec.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let err = |problem: String| InputError::Feature {
            path: path.to_path_buf(),
            index,
            id: id.clone(),
            problem: format!("(line {line}) {problem}"),
        };
        let geometry = how.parse(&rec, &headers, &err)?;
        let reason = match &geometry {
            None => Some(SkipReason::NullGeometry),
            Some(g) if g.coords_count() == 0 => Some(SkipReason::EmptyGeometry),
            Some(g)
                if g.coords_iter()
                    .any(|c| !c.x.is_finite() || !c.y.is_finite()) =>
            {
                return Err(err("a coordinate is not a finite number".into()));
            }
            _ => None,
        };
        let Some(geometry) = geometry.filter(|_| reason.is_none()) else {
            let reason = reason.unwrap_or(SkipReason::NullGeometry);
            if opts.strict {
                return Err(err(format!("{reason} (--strict)")));
            }
            layer.skipped.push(SkippedFeature { index, id, reason });
            continue;
        };
        let properties = match opts.properties {
            Properties::None => Map::new(),
            Properties::All => headers
                .iter()
                .enumerate()
                .filter(|(c, _)| !how.is_coordinate(*c))
                .map(|(c, h)| {
                    let v = rec.get(c).unwrap_or("").trim();
                    (h.clone(), Value::String(v.to_string()))
                })
                .collect(),
        };
        layer.features.push(RawFeature {
            index,
            id,
            properties,
            geometry,
        });
    }
    Ok(layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(bytes: &[u8]) -> Result<Layer, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, bytes).unwrap();
        read(&p, &ReadOptions::default())
    }

    #[test]
    fn lon_lat_columns_bom_gbk_and_wkt() {
        let l = read_text("\u{feff}名称,经度,纬度\n公园,106.5,29.5\n空,,\n".as_bytes()).unwrap();
        assert_eq!(l.features.len(), 1);
        assert_eq!(l.features[0].properties["名称"], "公园");
        assert_eq!(l.skipped.len(), 1);
        let (gbk, _, _) = GBK.encode("name;lng;lat\n绿地;106.5;29.5\n");
        let l = read_text(&gbk).unwrap();
        assert_eq!(l.features[0].properties["name"], "绿地");
        let l = read_text(b"id,wkt\na,\"POLYGON((0 0,1 0,1 1,0 0))\"\n").unwrap();
        assert!(matches!(l.features[0].geometry, Geometry::Polygon(_)));
        let e = read_text(b"a,b\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("has no coordinate columns"), "{e}");
        let e = read_text(b"x,y\n1,abc\n").unwrap_err().to_string();
        assert!(
            e.contains("feature 0 (line 2) y \"abc\" is not a number")
                || e.contains("feature 0: (line 2)"),
            "{e}"
        );
    }
}
