//! `--out FILE.parquet` (cargo feature `geoparquet`): GeoParquet whose rows hold, row for
//! row, what the CSV of the same run holds, typed, with WGS84 WKB points (null for skipped
//! rows) and the `geo` metadata; a grid larger than one row group streams into it; it reads
//! back through greenreach's own GeoParquet reader.
#![cfg(feature = "geoparquet")]

use std::path::Path;

use greenreach::io::input::ReadOptions;
use greenreach::io::source;
use serde_json::Value;

mod common;
use common::{LI_HOMES, li_check as li, reads_back_as_li_homes};

/// The CSV's rows against the GeoParquet file read back as a layer, cell by cell in the CSV's
/// column order (numbers written as the CSV writes them); the number of rows.
fn compare(csv_path: &Path, parquet_path: &Path) -> usize {
    let body = std::fs::read_to_string(csv_path).unwrap();
    let mut rd = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let layer = source::read(parquet_path, &ReadOptions::default()).unwrap();
    assert_eq!(
        layer.declared_crs.clone().unwrap().unwrap(),
        greenreach::crs::SourceCrs::Wgs84
    );
    let mut features = layer.features.iter().peekable();
    let mut skipped = layer.skipped.iter().peekable();
    let mut n = 0;
    for rec in rd.records() {
        let rec = rec.unwrap();
        if rec[1].is_empty() {
            let s = skipped.next().expect("a skipped row for an empty CSV row");
            assert_eq!((s.index, s.id.as_deref()), (n, Some(&rec[0])), "row {n}");
            n += 1;
            continue;
        }
        let f = features.next().expect("as many rows as the CSV");
        assert_eq!(f.index, n);
        let geo::Geometry::Point(p) = f.geometry else {
            panic!("row {n} is not a point")
        };
        assert_eq!(format!("{:.7}", p.x()), &rec[1], "row {n}: lon");
        assert_eq!(format!("{:.7}", p.y()), &rec[2], "row {n}: lat");
        for (k, h) in header.iter().enumerate() {
            let cell = match &f.properties[h] {
                Value::Null => String::new(),
                Value::Bool(b) => b.to_string(),
                Value::Number(x) if h == "lon" || h == "lat" => {
                    format!("{:.7}", x.as_f64().unwrap())
                }
                Value::Number(x) => format!("{:.2}", x.as_f64().unwrap()),
                Value::String(s) => s.clone(),
                v => panic!("row {n}, column {h}: {v}"),
            };
            assert_eq!(cell, &rec[k], "row {n}, column {h}");
        }
        n += 1;
    }
    assert!(features.next().is_none() && skipped.next().is_none());
    n
}

#[test]
fn geoparquet_rows_equal_the_csv_rows() {
    let dir = tempfile::tempdir().unwrap();
    // Every building as a home (the green files come from `li`).
    let homes = &LI_HOMES[4..];
    let (c, p) = (dir.path().join("p.csv"), dir.path().join("p.parquet"));
    li(&c, homes);
    li(&p, homes);
    assert_eq!(compare(&c, &p), 8994);
    let bytes = std::fs::read(&p).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    let geo = String::from_utf8_lossy(&bytes);
    assert!(
        geo.contains("\"primary_column\":\"geometry\"") && geo.contains("\"encoding\":\"WKB\""),
        "geo metadata in the footer"
    );

    // A grid of more than one row group (65 536 rows) streams into it band by band.
    let (c, p) = (dir.path().join("grid.csv"), dir.path().join("grid.parquet"));
    li(&c, &["--grid", "40"]);
    li(&p, &["--grid", "40"]);
    assert!(compare(&c, &p) > 70_000);

    // It is a points layer again: every evaluated row is a point.
    reads_back_as_li_homes(&dir.path().join("p.parquet"));
}
