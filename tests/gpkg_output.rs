//! `--out FILE.gpkg`: a GeoPackage whose `points` table holds, row for row, what the CSV of the
//! same run holds (typed), with the GeoPackage metadata a GIS needs; grids stream into it; it
//! reads back as a points layer; walking runs refuse it.

use std::path::Path;

mod common;
use common::{LI_HOMES, greenreach, li_check as li, reads_back_as_li_homes, text};

/// The CSV's rows and the GeoPackage's rows, both as text cells in the CSV's column order
/// (the GeoPackage's numbers written as the CSV writes them).
fn compare(csv_path: &Path, gpkg_path: &Path) -> usize {
    let body = std::fs::read_to_string(csv_path).unwrap();
    let mut rd = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let db = rusqlite::Connection::open(gpkg_path).unwrap();
    let app: i64 = db
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, 0x4750_4B47);
    let (kind, srs): (String, i64) = db
        .query_row(
            "SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'points'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), srs), ("features", 4326));
    let sql = format!(
        "SELECT geom, {} FROM points ORDER BY fid",
        header
            .iter()
            .map(|h| format!("\"{h}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut stmt = db.prepare(&sql).unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut n = 0;
    for rec in rd.records() {
        let rec = rec.unwrap();
        let row = rows
            .next()
            .unwrap()
            .expect("as many GeoPackage rows as CSV rows");
        let geom: Option<Vec<u8>> = row.get(0).unwrap();
        assert_eq!(
            geom.is_some(),
            !rec[1].is_empty(),
            "row {n}: geometry iff evaluated"
        );
        if let Some(g) = geom {
            assert_eq!(&g[..2], b"GP");
            let lon = f64::from_le_bytes(g[13..21].try_into().unwrap());
            assert_eq!(format!("{lon:.7}"), &rec[1]);
        }
        for (k, h) in header.iter().enumerate() {
            let v: rusqlite::types::Value = row.get(k + 1).unwrap();
            use rusqlite::types::Value::*;
            let cell = match v {
                Null => String::new(),
                Integer(i) if h.ends_with("ok") => (i == 1).to_string(),
                Integer(i) => i.to_string(),
                Real(x) if h == "lon" || h == "lat" => format!("{x:.7}"),
                Real(x) => format!("{x:.2}"),
                Text(s) => s,
                Blob(_) => panic!("blob in {h}"),
            };
            assert_eq!(cell, &rec[k], "row {n}, column {h}");
        }
        n += 1;
    }
    assert!(
        rows.next().unwrap().is_none(),
        "more GeoPackage rows than CSV rows"
    );
    n
}

#[test]
fn geopackage_rows_equal_the_csv_rows() {
    let dir = tempfile::tempdir().unwrap();
    // Every building as a home (the green files come from `li`).
    let homes = &LI_HOMES[4..];
    let (c, g) = (dir.path().join("p.csv"), dir.path().join("p.gpkg"));
    li(&c, homes);
    li(&g, homes);
    assert_eq!(compare(&c, &g), 8994);

    // A grid streams into it band by band, and says the same.
    let (c, g) = (dir.path().join("grid.csv"), dir.path().join("grid.gpkg"));
    li(&c, &["--grid", "150"]);
    li(&g, &["--grid", "150"]);
    assert!(compare(&c, &g) > 3000);

    // It reads back as a points layer: every evaluated row is a point again.
    reads_back_as_li_homes(&dir.path().join("p.gpkg"));
}

#[test]
fn walking_runs_refuse_flatgeobuf_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("w.fgb");
    let o = greenreach(&[
        "check",
        "--green",
        "geodata/liechtenstein/green_areas.geojson",
        "--residential",
        "geodata/liechtenstein/buildings.geojson",
        "--metric",
        "walk",
        "--network",
        "geodata/liechtenstein/walk_network.geojson",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("FlatGeobuf"),
        "{}",
        text(&o.stderr)
    );
    assert!(!out.exists());
}
