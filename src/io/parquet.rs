//! GeoParquet layers in (cargo feature `geoparquet`): the geometry column the file's `geo`
//! metadata names (WKB), its CRS from that metadata's PROJJSON `id` (absent: OGC:CRS84, i.e.
//! WGS84 lon/lat); a plain Parquet table without `geo` metadata is read like a CSV, from a
//! lon/lat (x/y) column pair or a WKB column named `geometry`/`geom`/`wkb_geometry`. Column
//! chunks are decoded in parallel (every row group × column), rows assembled in parallel.
//! Top-level primitive columns become properties; nested ones are left out with a note.

use bytes::Bytes;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use geo::{Coord, CoordsIter, Geometry, Point};
use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::column::reader::ColumnReader;
use parquet::data_type::ByteArray;
use parquet::file::reader::{FileReader, SerializedFileReader};
use rayon::prelude::*;
use serde_json::{Map, Number, Value};

use crate::crs::SourceCrs;
use crate::io::input::{
    InputError, Layer, Properties, RawFeature, ReadOptions, SkipReason, SkippedFeature,
};

use crate::io::csv::{LAT, LON};

const WKB: [&str; 4] = ["geometry", "geom", "wkb_geometry", "the_geom"];

/// A decoded column chunk: the non-null values in order, and per row whether it is null.
enum Cells {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bytes(Vec<ByteArray>),
}

impl Cells {
    fn len(&self) -> usize {
        match self {
            Cells::Bool(v) => v.len(),
            Cells::Int(v) => v.len(),
            Cells::Float(v) => v.len(),
            Cells::Bytes(v) => v.len(),
        }
    }
}

struct Chunk {
    cells: Cells,
    /// Per row, the index of its value in `cells`; `None`: every row has one (required column).
    slots: Option<Vec<u32>>,
}

const NULL: u32 = u32::MAX;

impl Chunk {
    fn slot(&self, row: usize) -> Option<usize> {
        match &self.slots {
            None => Some(row),
            Some(s) => s
                .get(row)
                .copied()
                .filter(|&k| k != NULL)
                .map(|k| k as usize),
        }
    }

    fn number(&self, row: usize) -> Option<f64> {
        let k = self.slot(row)?;
        match &self.cells {
            Cells::Int(v) => v.get(k).map(|&i| i as f64),
            Cells::Float(v) => v.get(k).copied(),
            _ => None,
        }
    }

    fn bytes(&self, row: usize) -> Option<&[u8]> {
        match &self.cells {
            Cells::Bytes(v) => v.get(self.slot(row)?).map(ByteArray::data),
            _ => None,
        }
    }
}

/// What a column holds, as greenreach reads it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bool,
    Int { scale: i32 },
    Float,
    Text,
    Binary,
}

struct Column {
    name: String,
    leaf: usize,
    kind: Kind,
}

/// Where a row's geometry comes from.
enum Geo {
    Wkb(usize),
    XY(usize, usize),
}

fn kind_of(c: &parquet::schema::types::ColumnDescriptor) -> Option<Kind> {
    let text = matches!(
        c.logical_type_ref(),
        Some(LogicalType::String | LogicalType::Json | LogicalType::Enum)
    ) || matches!(
        c.converted_type(),
        ConvertedType::UTF8 | ConvertedType::JSON | ConvertedType::ENUM
    );
    let scale = match c.logical_type_ref() {
        Some(LogicalType::Decimal(d)) => d.scale,
        _ if c.converted_type() == ConvertedType::DECIMAL => c.type_scale(),
        _ => 0,
    };
    Some(match c.physical_type() {
        PhysicalType::BOOLEAN => Kind::Bool,
        PhysicalType::INT32 | PhysicalType::INT64 => Kind::Int { scale },
        PhysicalType::FLOAT | PhysicalType::DOUBLE => Kind::Float,
        PhysicalType::BYTE_ARRAY if text => Kind::Text,
        PhysicalType::BYTE_ARRAY => Kind::Binary,
        _ => return None,
    })
}

/// The CRS a GeoParquet column's `crs` member declares: absent is OGC:CRS84 (WGS84
/// lon/lat); PROJJSON with an `id` (EPSG), or an `"EPSG:n"` / WKT string.
fn declared_crs(column: &Value) -> Option<Result<SourceCrs, String>> {
    let crs = column.get("crs")?;
    let ask = "give the layer's CRS with --crs";
    Some(match crs {
        Value::Null => Err(format!(
            "its GeoParquet metadata says the CRS is unknown (crs: null); {ask}"
        )),
        Value::String(s) => s
            .parse::<SourceCrs>()
            .or_else(|_| crate::io::shapefile::prj::to_crs(s).map(|(c, _)| c))
            .map_err(|e| format!("its GeoParquet crs \"{s}\": {e}; {ask}")),
        Value::Object(o) => {
            let id = o.get("id").or_else(|| {
                // A BoundCRS wraps the real one.
                o.get("source_crs").and_then(|s| s.get("id"))
            });
            let authority = id.and_then(|i| i.get("authority")).and_then(Value::as_str);
            let code = id.and_then(|i| i.get("code")).and_then(|c| {
                c.as_u64()
                    .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
            });
            match (authority, code) {
                (Some(a), Some(c)) if a.eq_ignore_ascii_case("EPSG") => u32::try_from(c)
                    .ok()
                    .and_then(SourceCrs::from_epsg)
                    .ok_or_else(|| {
                        format!(
                            "its GeoParquet crs is EPSG:{c}, which greenreach does not know; {ask}"
                        )
                    }),
                (Some(a), Some(c)) if a.eq_ignore_ascii_case("OGC") && c == 84 => {
                    Ok(SourceCrs::Wgs84)
                }
                (Some("OGC"), None)
                    if id.and_then(|i| i.get("code")).and_then(Value::as_str) == Some("CRS84") =>
                {
                    Ok(SourceCrs::Wgs84)
                }
                _ => Err(format!(
                    "its GeoParquet crs (PROJJSON \"{}\") carries no EPSG id; {ask}",
                    o.get("name").and_then(Value::as_str).unwrap_or("unnamed")
                )),
            }
        }
        _ => Err(format!(
            "its GeoParquet crs is neither PROJJSON nor text; {ask}"
        )),
    })
}

/// `f`'s result, or an error when the Parquet decoder panics on a corrupt file (its own
/// checks do not cover every malformed length or offset).
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("the Parquet decoder failed on it: the file is corrupt".into()))
}

/// Every column chunk of the wanted leaves lies inside the file (`len` bytes), and every row
/// group's row count is sane.
fn check_ranges(
    meta: &parquet::file::metadata::ParquetMetaData,
    leaves: &[usize],
    len: u64,
) -> Result<(), String> {
    for g in 0..meta.num_row_groups() {
        let rg = meta.row_group(g);
        if rg.num_rows() < 0 || rg.num_rows() > i64::from(u32::MAX) {
            return Err(format!("row group {g} declares {} rows", rg.num_rows()));
        }
        for &leaf in leaves {
            let c = rg
                .columns()
                .get(leaf)
                .ok_or_else(|| format!("row group {g} lacks column {leaf}"))?;
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
            let size = c.compressed_size();
            let inside = start >= 0
                && size >= 0
                && c.data_page_offset() >= 0
                && u64::try_from(start.saturating_add(size)).is_ok_and(|end| end <= len);
            if !inside {
                return Err(format!(
                    "row group {g}, column {}: its data (at byte {start}, {size} bytes) lies outside the file's {len} bytes",
                    c.column_path()
                ));
            }
        }
    }
    Ok(())
}

/// Decode one column chunk of `rows` rows.
fn read_chunk(
    reader: &SerializedFileReader<Bytes>,
    group: usize,
    leaf: usize,
    rows: usize,
    max_def: i16,
) -> Result<Chunk, String> {
    let rg = reader.get_row_group(group).map_err(|e| e.to_string())?;
    let column = rg.get_column_reader(leaf).map_err(|e| e.to_string())?;
    let mut def: Vec<i16> = Vec::new();
    macro_rules! all {
        ($r:expr, $conv:expr, $variant:ident) => {{
            let mut r = $r;
            let mut values = Vec::new();
            let mut read = 0usize;
            while read < rows {
                let d = (max_def > 0).then_some(&mut def);
                let (records, _, _) = r
                    .read_records(rows - read, d, None, &mut values)
                    .map_err(|e| e.to_string())?;
                if records == 0 {
                    return Err(format!(
                        "holds {read} of the {rows} rows its row group {group} declares"
                    ));
                }
                read += records;
            }
            #[allow(clippy::redundant_closure_call)]
            Cells::$variant(values.into_iter().map($conv).collect())
        }};
    }
    let cells = match column {
        ColumnReader::BoolColumnReader(r) => all!(r, |v| v, Bool),
        ColumnReader::Int32ColumnReader(r) => all!(r, i64::from, Int),
        ColumnReader::Int64ColumnReader(r) => all!(r, |v| v, Int),
        ColumnReader::FloatColumnReader(r) => all!(r, f64::from, Float),
        ColumnReader::DoubleColumnReader(r) => all!(r, |v| v, Float),
        ColumnReader::ByteArrayColumnReader(r) => all!(r, |v| v, Bytes),
        _ => return Err("has a column type greenreach does not read".into()),
    };
    let count = cells.len();
    let slots = if max_def > 0 {
        if def.len() != rows {
            return Err(format!(
                "row group {group} has {} definition levels for {rows} rows",
                def.len()
            ));
        }
        let mut k = 0u32;
        let s: Vec<u32> = def
            .iter()
            .map(|&d| {
                if d == max_def {
                    k += 1;
                    k - 1
                } else {
                    NULL
                }
            })
            .collect();
        if k as usize != count {
            return Err(format!(
                "row group {group}: {count} values for {k} non-null rows"
            ));
        }
        Some(s)
    } else {
        if count != rows {
            return Err(format!(
                "row group {group} holds {count} values for {rows} rows"
            ));
        }
        None
    };
    Ok(Chunk { cells, slots })
}

fn value(chunk: &Chunk, kind: Kind, row: usize) -> Option<Value> {
    let k = chunk.slot(row)?;
    Some(match (&chunk.cells, kind) {
        (Cells::Bool(v), _) => Value::Bool(*v.get(k)?),
        (Cells::Int(v), Kind::Int { scale }) if scale > 0 => {
            Number::from_f64(*v.get(k)? as f64 / 10f64.powi(scale))
                .map_or(Value::Null, Value::Number)
        }
        (Cells::Int(v), _) => Value::from(*v.get(k)?),
        (Cells::Float(v), _) => Number::from_f64(*v.get(k)?).map_or(Value::Null, Value::Number),
        (Cells::Bytes(v), Kind::Text) => {
            Value::String(String::from_utf8_lossy(v.get(k)?.data()).into_owned())
        }
        (Cells::Bytes(_), _) => return None,
    })
}

/// Read a GeoParquet (or plain Parquet) layer.
#[allow(clippy::too_many_lines)] // metadata, columns, then rows: one reader read in order
pub(crate) fn read(path: &Path, opts: &ReadOptions) -> Result<Layer, InputError> {
    let file_error = |problem: String| InputError::File {
        path: path.to_path_buf(),
        problem,
    };
    // In memory: positioned reads of a shared `File` would race on its offset.
    let bytes = Bytes::from(crate::io::source::read_bytes(path)?);
    let len = bytes.len() as u64;
    let reader = guarded(|| SerializedFileReader::new(bytes).map_err(|e| e.to_string()))
        .map_err(|e| file_error(format!("is not a readable Parquet file: {e}")))?;
    let meta = reader.metadata();
    let fmeta = meta.file_metadata();
    let schema = fmeta.schema_descr();
    let geo_meta: Option<Value> = fmeta
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == "geo"))
        .and_then(|k| k.value.as_deref())
        .map(|v| {
            serde_json::from_str(v)
                .map_err(|e| file_error(format!("its \"geo\" metadata is not JSON: {e}")))
        })
        .transpose()?;
    let mut notes = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for (leaf, c) in schema.columns().iter().enumerate() {
        let top = c.path().parts().len() == 1 && c.max_rep_level() == 0;
        match kind_of(c).filter(|_| top) {
            Some(kind) => columns.push(Column {
                name: c.name().to_string(),
                leaf,
                kind,
            }),
            None => left_out.push(c.path().string()),
        }
    }
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let find = |want: &[&str], ok: &dyn Fn(Kind) -> bool| {
        columns
            .iter()
            .position(|c| ok(c.kind) && want.iter().any(|n| c.name.eq_ignore_ascii_case(n)))
    };
    let numeric = |k: Kind| matches!(k, Kind::Int { .. } | Kind::Float);
    let binary = |k: Kind| k == Kind::Binary;
    let mut declared = None;
    let geo = if let Some(g) = &geo_meta {
        let primary = g
            .get("primary_column")
            .and_then(Value::as_str)
            .unwrap_or("geometry");
        let col = g.get("columns").and_then(|c| c.get(primary));
        let encoding = col
            .and_then(|c| c.get("encoding"))
            .and_then(Value::as_str)
            .unwrap_or("WKB");
        if !encoding.eq_ignore_ascii_case("WKB") {
            return Err(file_error(format!(
                "its geometry column {primary} is encoded as {encoding}; greenreach reads WKB GeoParquet (write it with geometry_encoding=\"WKB\")"
            )));
        }
        let Some(k) = columns
            .iter()
            .position(|c| c.name == primary && binary(c.kind))
        else {
            return Err(file_error(format!(
                "its GeoParquet metadata names geometry column {primary}, which is not a binary column of the file (columns: {})",
                names.join(", ")
            )));
        };
        declared = Some(col.and_then(declared_crs).unwrap_or(Ok(SourceCrs::Wgs84)));
        notes.push(format!(
            "{}: GeoParquet {}, geometry from column {primary} (WKB)",
            path.display(),
            g.get("version")
                .and_then(Value::as_str)
                .unwrap_or("(no version)")
        ));
        Geo::Wkb(k)
    } else if let (Some(x), Some(y)) = (find(&LON, &numeric), find(&LAT, &numeric)) {
        notes.push(format!(
            "{}: Parquet without GeoParquet metadata, points from columns {} and {}",
            path.display(),
            columns[x].name,
            columns[y].name
        ));
        Geo::XY(x, y)
    } else if let Some(k) = find(&WKB, &binary) {
        notes.push(format!(
            "{}: Parquet without GeoParquet metadata, geometry from column {} read as WKB",
            path.display(),
            columns[k].name
        ));
        Geo::Wkb(k)
    } else {
        return Err(file_error(format!(
            "has no GeoParquet metadata and no coordinate columns: expected a lon/lat or x/y column pair or a WKB column (geometry, geom); the columns are: {}",
            names.join(", ")
        )));
    };
    if !left_out.is_empty() {
        notes.push(format!(
            "{}: nested or unsupported columns left out: {}",
            path.display(),
            left_out.join(", ")
        ));
    }
    let geo_cols: Vec<usize> = match geo {
        Geo::Wkb(k) => vec![k],
        Geo::XY(x, y) => vec![x, y],
    };
    let id_col = columns.iter().position(|c| c.name == "id");
    // Which columns to decode: geometry, id, and the rest only when properties are kept.
    let wanted: Vec<usize> = (0..columns.len())
        .filter(|k| {
            geo_cols.contains(k)
                || Some(*k) == id_col
                || (opts.properties == Properties::All && columns[*k].kind != Kind::Binary)
        })
        .collect();
    let groups: Vec<(usize, usize)> = (0..meta.num_row_groups())
        .scan(0usize, |start, g| {
            let rows = usize::try_from(meta.row_group(g).num_rows()).unwrap_or(0);
            let at = *start;
            *start += rows;
            Some((at, rows))
        })
        .collect();
    let leaves: Vec<usize> = wanted.iter().map(|&k| columns[k].leaf).collect();
    check_ranges(meta, &leaves, len).map_err(|e| file_error(format!("is corrupt: {e}")))?;
    let tasks: Vec<(usize, usize)> = (0..groups.len())
        .flat_map(|g| wanted.iter().map(move |&k| (g, k)))
        .collect();
    let decoded: Vec<Chunk> = tasks
        .par_iter()
        .map(|&(g, k)| {
            let c = &columns[k];
            let max_def = schema.column(c.leaf).max_def_level();
            guarded(|| read_chunk(&reader, g, c.leaf, groups[g].1, max_def))
                .map_err(|e| file_error(format!("column {}: {e}", c.name)))
        })
        .collect::<Result<_, _>>()?;
    // Where each column's chunks sit among a row group's decoded ones.
    let at: Vec<Option<usize>> = (0..columns.len())
        .map(|k| wanted.iter().position(|&w| w == k))
        .collect();
    let chunk_of =
        |g: usize, k: usize| -> Option<&Chunk> { decoded.get(g * wanted.len() + at[k]?) };
    let mut layer = Layer {
        path: path.to_path_buf(),
        features: Vec::new(),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs: declared,
        notes,
        warnings: Vec::new(),
    };
    for (g, &(start, rows)) in groups.iter().enumerate() {
        let row = |r: usize| -> Result<Result<RawFeature, SkippedFeature>, InputError> {
            let index = start + r;
            let id = id_col
                .and_then(|k| value(chunk_of(g, k)?, columns[k].kind, r))
                .as_ref()
                .and_then(crate::io::input::id_text);
            let err = |problem: String| InputError::Feature {
                path: path.to_path_buf(),
                index,
                id: id.clone(),
                problem,
            };
            let geometry = match geo {
                Geo::Wkb(k) => chunk_of(g, k)
                    .and_then(|c| c.bytes(r))
                    .map(|b| {
                        crate::io::wkb::parse(b)
                            .map_err(|e| err(format!("its {} is not WKB: {e}", columns[k].name)))
                    })
                    .transpose()?,
                Geo::XY(x, y) => {
                    match (
                        chunk_of(g, x).and_then(|c| c.number(r)),
                        chunk_of(g, y).and_then(|c| c.number(r)),
                    ) {
                        (Some(x), Some(y)) => Some(Geometry::Point(Point(Coord { x, y }))),
                        _ => None,
                    }
                }
            };
            if geometry.as_ref().is_some_and(|g| {
                g.coords_iter()
                    .any(|c| !c.x.is_finite() || !c.y.is_finite())
            }) {
                return Err(err("a coordinate is not a finite number".into()));
            }
            let reason = match &geometry {
                None => Some(SkipReason::NullGeometry),
                Some(g) if g.coords_count() == 0 => Some(SkipReason::EmptyGeometry),
                Some(_) => None,
            };
            if let (None, Some(geometry)) = (reason, geometry) {
                let properties: Map<String, Value> = match opts.properties {
                    Properties::None => Map::new(),
                    Properties::All => wanted
                        .iter()
                        .filter(|k| !geo_cols.contains(k))
                        .map(|&k| {
                            let v = chunk_of(g, k)
                                .and_then(|c| value(c, columns[k].kind, r))
                                .unwrap_or(Value::Null);
                            (columns[k].name.clone(), v)
                        })
                        .collect(),
                };
                return Ok(Ok(RawFeature {
                    index,
                    id,
                    properties,
                    geometry,
                }));
            }
            let reason = reason.unwrap_or(SkipReason::NullGeometry);
            if opts.strict {
                return Err(err(format!("{reason} (--strict)")));
            }
            Ok(Err(SkippedFeature { index, id, reason }))
        };
        let results: Vec<_> = (0..rows)
            .into_par_iter()
            .map(row)
            .collect::<Result<_, _>>()?;
        layer.extend_decoded(results);
    }
    Ok(layer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn crs_from_geoparquet_metadata() {
        let crs = |c: Value| declared_crs(&json!({ "encoding": "WKB", "crs": c }));
        assert_eq!(declared_crs(&json!({ "encoding": "WKB" })), None);
        assert_eq!(
            crs(
                json!({"type": "ProjectedCRS", "name": "CGCS2000 / 3-degree Gauss-Kruger CM 114E",
                       "id": {"authority": "EPSG", "code": 4547}})
            )
            .unwrap()
            .unwrap()
            .to_string(),
            "EPSG:4547"
        );
        assert_eq!(
            crs(json!({"id": {"authority": "OGC", "code": "CRS84"}})),
            Some(Ok(SourceCrs::Wgs84))
        );
        assert_eq!(
            crs(json!({"type": "BoundCRS", "source_crs": {"id": {"authority": "EPSG", "code": "32648"}}}))
                .unwrap()
                .unwrap()
                .to_string(),
            "EPSG:32648"
        );
        assert_eq!(crs(json!("EPSG:4326")), Some(Ok(SourceCrs::Wgs84)));
        for (c, says) in [
            (Value::Null, "unknown (crs: null)"),
            (
                json!({"name": "local grid"}),
                "\"local grid\") carries no EPSG id",
            ),
            (
                json!({"id": {"authority": "EPSG", "code": 999_999}}),
                "EPSG:999999, which greenreach does not know",
            ),
            (json!(3), "neither PROJJSON nor text"),
        ] {
            let e = crs(c).unwrap().unwrap_err();
            assert!(e.contains(says) && e.contains("--crs"), "{e}");
        }
    }
}
