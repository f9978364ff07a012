//! GeoPackage layers in (through SQLite, compiled from source by `rusqlite`'s `bundled`
//! feature: no system library): the layer by `--layer` (or the only one), the CRS from its
//! spatial reference system, geometry from the GeoPackage binary header + WKB.

use std::path::Path;

use geo::CoordsIter;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Number, Value};

use crate::crs::SourceCrs;
use crate::io::input::{
    InputError, Layer, Properties, RawFeature, ReadOptions, SkipReason, SkippedFeature,
};

/// Open a GeoPackage read-only, naming the file on failure.
pub(crate) fn open(path: &Path) -> Result<Connection, InputError> {
    std::fs::metadata(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| file_error(path, format!("cannot be opened as a GeoPackage: {e}")))
}

fn file_error(path: &Path, problem: String) -> InputError {
    InputError::File {
        path: path.to_path_buf(),
        problem,
    }
}

/// The feature layers (tables) of a GeoPackage.
pub(crate) fn layers(conn: &Connection, path: &Path) -> Result<Vec<String>, InputError> {
    let sql_error = |e: rusqlite::Error| {
        file_error(
            path,
            format!("is not a GeoPackage (no readable gpkg_contents table): {e}"),
        )
    };
    let mut st = conn
        .prepare(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name",
        )
        .map_err(sql_error)?;
    let names = st
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(sql_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql_error)?;
    Ok(names)
}

/// Read a GeoPackage layer.
#[allow(clippy::too_many_lines)] // a linear reader: the layer chosen, its columns typed, then one pass over the rows
pub(crate) fn read(path: &Path, opts: &ReadOptions) -> Result<Layer, InputError> {
    let conn = open(path)?;
    let names = layers(&conn, path)?;
    let table = choose_layer(path, opts.source.layer.as_ref(), &names)?;
    let sql = |e: rusqlite::Error| file_error(path, format!("layer \"{table}\": {e}"));
    let (geom_col, srs_id): (String, i64) = conn
        .query_row(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
            [&table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sql)?;
    let declared_crs = srs(&conn, srs_id).map_err(sql)?;
    let mut st = conn
        .prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\"")))
        .map_err(sql)?;
    // Names from the table's schema as bytes: rusqlite's column names panic on invalid UTF-8.
    let cols = column_names(&conn, &table, path)?;
    if cols.len() != st.column_count() {
        return Err(file_error(
            path,
            format!("layer \"{table}\": its schema does not match its rows"),
        ));
    }
    let g = cols
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&geom_col))
        .ok_or_else(|| file_error(path, format!("layer \"{table}\" has no column {geom_col}")))?;
    let mut layer = Layer {
        path: path.to_path_buf(),
        features: Vec::new(),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs,
        notes: vec![format!("{}: GeoPackage layer {table}", path.display())],
        warnings: Vec::new(),
    };
    // Without properties, only the column that names a feature is read (the last `id`, as
    // a map of every column would keep it).
    let id_col = cols.iter().rposition(|c| c == "id");
    let keep_all = opts.properties == Properties::All;
    let mut rows = st.query([]).map_err(sql)?;
    let mut index = 0usize;
    while let Some(row) = rows.next().map_err(sql)? {
        let mut props = Map::new();
        let mut decoded: Option<Result<geo::Geometry<f64>, String>> = None;
        let mut id_only: Option<String> = None;
        for (c, name) in cols.iter().enumerate() {
            if c != g && !keep_all && Some(c) != id_col {
                continue;
            }
            let v = row.get_ref(c).map_err(sql)?;
            if c == g {
                // Decoded from SQLite's own buffer, not copied.
                if let ValueRef::Blob(b) = v {
                    decoded = Some(geometry(b));
                }
                continue;
            }
            if !keep_all {
                // Only the id column: its text, as `id_text` words the value a map would hold.
                id_only = match v {
                    ValueRef::Integer(i) => Some(i.to_string()),
                    ValueRef::Real(f) => Number::from_f64(f).map(|n| n.to_string()),
                    ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Null | ValueRef::Blob(_) => None,
                };
                continue;
            }
            let v = match v {
                ValueRef::Null | ValueRef::Blob(_) => Value::Null,
                ValueRef::Integer(i) => Value::from(i),
                ValueRef::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
                ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            };
            props.insert(name.clone(), v);
        }
        let id = if keep_all {
            props.get("id").and_then(crate::io::input::id_text)
        } else {
            id_only
        };
        let geometry = match decoded {
            None => None,
            Some(d) => Some(d.map_err(|problem| InputError::Feature {
                path: path.to_path_buf(),
                index,
                id: id.clone(),
                problem,
            })?),
        };
        let reason = match &geometry {
            None => Some(SkipReason::NullGeometry),
            Some(g) if g.coords_count() == 0 => Some(SkipReason::EmptyGeometry),
            _ => None,
        };
        match (reason, geometry) {
            (Some(reason), _) if opts.strict => {
                return Err(InputError::Feature {
                    path: path.to_path_buf(),
                    index,
                    id,
                    problem: format!("{reason} (--strict)"),
                });
            }
            (Some(reason), _) => layer.skipped.push(SkippedFeature { index, id, reason }),
            (None, Some(geometry)) => layer.features.push(RawFeature {
                index,
                id,
                properties: match opts.properties {
                    Properties::All => props,
                    Properties::None => Map::new(),
                },
                geometry,
            }),
            (None, None) => unreachable!("no geometry is a skip"),
        }
        index += 1;
    }
    Ok(layer)
}

/// The feature layer to read: `--layer` when given (and present), else the only one.
fn choose_layer(
    path: &Path,
    wanted: Option<&String>,
    names: &[String],
) -> Result<String, InputError> {
    Ok(match (wanted, names) {
        (Some(l), _) if names.contains(l) => l.clone(),
        (Some(l), _) => {
            return Err(file_error(
                path,
                format!(
                    "has no feature layer \"{l}\"; its layers are: {}",
                    list(names)
                ),
            ));
        }
        (None, [one]) => one.clone(),
        (None, []) => return Err(file_error(path, "holds no feature layer".into())),
        (None, _) => {
            return Err(file_error(
                path,
                format!(
                    "holds {} feature layers ({}); choose one with --layer NAME (or FILE.gpkg:NAME)",
                    names.len(),
                    list(names)
                ),
            ));
        }
    })
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The layer's CRS: an EPSG code greenreach knows, else the definition's WKT.
/// The columns of `table` in `SELECT *` order; a name that is not UTF-8 is an error.
fn column_names(conn: &Connection, table: &str, path: &Path) -> Result<Vec<String>, InputError> {
    let mut st = conn
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(|e| file_error(path, format!("layer \"{table}\": {e}")))?;
    let rows = st
        .query_map([table], |r| {
            Ok(r.get_ref(0)?.as_bytes().map(<[u8]>::to_vec))
        })
        .map_err(|e| file_error(path, format!("layer \"{table}\": {e}")))?;
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let bytes = row
            .map_err(|e| file_error(path, format!("layer \"{table}\": {e}")))?
            .map_err(|e| file_error(path, format!("layer \"{table}\": column {i}: {e}")))?;
        out.push(String::from_utf8(bytes).map_err(|_| {
            file_error(
                path,
                format!("layer \"{table}\": column {i} has a name that is not UTF-8"),
            )
        })?);
    }
    Ok(out)
}

fn srs(conn: &Connection, srs_id: i64) -> rusqlite::Result<Option<Result<SourceCrs, String>>> {
    if srs_id <= 0 {
        return Ok(None);
    }
    let (org, code, def): (String, i64, String) = conn.query_row(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
        [srs_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if org.eq_ignore_ascii_case("epsg")
        && let Some(c) = u32::try_from(code).ok().and_then(SourceCrs::from_epsg)
    {
        return Ok(Some(Ok(c)));
    }
    Ok(Some(
        crate::io::shapefile::prj::to_crs(&def)
            .map(|(c, _)| c)
            .map_err(|e| {
                format!(
                    "its spatial reference system {org}:{code} {e}; give the layer's CRS with --crs"
                )
            }),
    ))
}

/// A GeoPackage geometry blob: `GP`, version, flags, srs id, envelope, then WKB.
pub(crate) fn geometry(b: &[u8]) -> Result<geo::Geometry<f64>, String> {
    if b.len() < 8 || &b[..2] != b"GP" {
        return Err("the geometry is not a GeoPackage geometry blob".into());
    }
    let flags = b[3];
    let env = match (flags >> 1) & 0x7 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        e => return Err(format!("the geometry has an invalid envelope code {e}")),
    };
    let start = 8 + env;
    if b.len() < start {
        return Err("the geometry blob is truncated".into());
    }
    crate::io::wkb::parse(&b[start..])
}
