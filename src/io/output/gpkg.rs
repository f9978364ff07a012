//! GeoPackage points for the per-point results (`--out FILE.gpkg`): one table `points` with the
//! CSV's columns, typed (REAL distances, INTEGER 0/1 flags, TEXT ids, labels and status), a
//! point geometry in WGS84 (EPSG:4326; NULL for skipped rows), and the GeoPackage metadata
//! tables (spatial reference systems, contents with the bounds, geometry columns). Rows are
//! inserted in one transaction as batches come, so a grid streams into it. QGIS, GDAL/OGR and
//! GeoPandas (pyogrio) open it.

use std::io;

use rusqlite::{Connection, params_from_iter, types::Value};

use super::Cell;
use crate::standard::Standard;

/// The table of the results.
pub(crate) const TABLE: &str = "points";

fn err(e: rusqlite::Error) -> io::Error {
    io::Error::other(format!("GeoPackage: {e}"))
}

/// Quote an SQL identifier (tier names come from the standard).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The columns after the geometry: `id`, `lon`, `lat`, per tier `<t>_m`, `<t>_ok`,
/// `<t>_nearest`, then `all_ok`, `status`, with their SQL types.
pub(crate) fn columns(standard: &Standard) -> Vec<(String, &'static str)> {
    layout(
        standard,
        &[("m", "REAL"), ("ok", "BOOLEAN"), ("nearest", "TEXT")],
        &[("all_ok", "BOOLEAN"), ("status", "TEXT")],
    )
}

/// The columns of the per-point file under `--metric walk`: `id`, `lon`, `lat`, per tier
/// `<t>_m`, `<t>_ok`, `<t>_nearest`, `<t>_straight_m`, then `all_ok`, `snap_m`, `status`.
pub(crate) fn walk_columns(standard: &Standard) -> Vec<(String, &'static str)> {
    layout(
        standard,
        &[
            ("m", "REAL"),
            ("ok", "BOOLEAN"),
            ("nearest", "TEXT"),
            ("straight_m", "REAL"),
        ],
        &[
            ("all_ok", "BOOLEAN"),
            ("snap_m", "REAL"),
            ("status", "TEXT"),
        ],
    )
}

/// `id`, `lon`, `lat`, then `<tier>_<name>` for each tier and each of `per_tier`, then `tail`.
fn layout(
    standard: &Standard,
    per_tier: &[(&str, &'static str)],
    tail: &[(&str, &'static str)],
) -> Vec<(String, &'static str)> {
    let mut c = vec![
        ("id".to_string(), "TEXT"),
        ("lon".into(), "REAL"),
        ("lat".into(), "REAL"),
    ];
    for t in &standard.tiers {
        c.extend(
            per_tier
                .iter()
                .map(|(n, ty)| (format!("{}_{n}", t.name), *ty)),
        );
    }
    c.extend(tail.iter().map(|(n, ty)| (n.to_string(), *ty)));
    c
}

/// A GeoPackage point geometry: the `GP` header (version 0, little endian, no envelope,
/// srs 4326) and a little-endian WKB point.
pub(crate) fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let mut b = Vec::with_capacity(29);
    b.extend_from_slice(b"GP");
    b.push(0); // version
    b.push(0b0000_0001); // little endian, no envelope, not empty
    b.extend_from_slice(&4326i32.to_le_bytes());
    b.extend_from_slice(&crate::io::wkb::point(lon, lat));
    b
}

/// An open GeoPackage being filled.
pub(crate) struct GpkgOut {
    conn: Connection,
    insert: String,
    bounds: Option<[f64; 4]>,
}

impl GpkgOut {
    /// Create the metadata tables and the empty `points` table in the (empty) file at `path`,
    /// and open the transaction rows go into.
    pub(crate) fn create(path: &std::path::Path, standard: &Standard) -> io::Result<Self> {
        Self::create_with(path, &columns(standard))
    }

    /// [`GpkgOut::create`] with the columns `cols` (name, SQL type) after the geometry.
    pub(crate) fn create_with(
        path: &std::path::Path,
        cols: &[(String, &'static str)],
    ) -> io::Result<Self> {
        let conn = Connection::open(path).map_err(err)?;
        let defs: Vec<String> = cols
            .iter()
            .map(|(n, t)| format!("{} {t}", ident(n)))
            .collect();
        conn.execute_batch(&format!(
            "PRAGMA application_id = 1196444487;
             PRAGMA user_version = 10300;
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
               organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
               definition TEXT NOT NULL, description TEXT);
             INSERT INTO gpkg_spatial_ref_sys VALUES
               ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
               ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
               ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
             CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
               identifier TEXT UNIQUE, description TEXT DEFAULT '',
               last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
               min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
               srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
             CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
               geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
               CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
             INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
               VALUES ('{TABLE}', 'features', '{TABLE}', 'greenreach per-point results', 4326);
             INSERT INTO gpkg_geometry_columns VALUES ('{TABLE}', 'geom', 'POINT', 4326, 0, 0);
             CREATE TABLE {TABLE} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, {});
             BEGIN;",
            defs.join(", ")
        ))
        .map_err(err)?;
        let marks = vec!["?"; cols.len() + 1].join(",");
        let names: Vec<String> = cols.iter().map(|(n, _)| ident(n)).collect();
        Ok(Self {
            conn,
            insert: format!(
                "INSERT INTO {TABLE} (geom, {}) VALUES ({marks})",
                names.join(", ")
            ),
            bounds: None,
        })
    }

    /// Insert a row: its point (lon, lat; `None` for a skipped row) and its values.
    pub(crate) fn row(&mut self, point: Option<(f64, f64)>, cells: Vec<Cell>) -> io::Result<()> {
        let geom = match point {
            Some((x, y)) => {
                let b = self.bounds.get_or_insert([x, y, x, y]);
                *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                Value::Blob(point_blob(x, y))
            }
            None => Value::Null,
        };
        let values = cells.into_iter().map(|c| match c {
            Cell::Null => Value::Null,
            Cell::Real(v) => Value::Real(v),
            Cell::Flag(b) => Value::Integer(i64::from(b)),
            Cell::Text(s) => Value::Text(s),
        });
        let mut stmt = self.conn.prepare_cached(&self.insert).map_err(err)?;
        stmt.execute(params_from_iter(std::iter::once(geom).chain(values)))
            .map_err(err)?;
        Ok(())
    }

    /// Record the bounds, commit and close.
    pub(crate) fn finish(self) -> io::Result<()> {
        if let Some([a, b, c, d]) = self.bounds {
            self.conn
                .execute(
                    &format!(
                        "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4 WHERE table_name = '{TABLE}'"
                    ),
                    rusqlite::params![a, b, c, d],
                )
                .map_err(err)?;
        }
        self.conn.execute_batch("COMMIT;").map_err(err)?;
        self.conn.close().map_err(|(_, e)| err(e))
    }
}
