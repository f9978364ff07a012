//! `--osm` on the shipped Liechtenstein extract against the run on the GeoJSON layers exported
//! from it, flags overriding parts of it, and a broken extract.

use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{greenreach, text};

use greenreach::io::osm::layers::{OsmLayer, read_layer};
use greenreach::standard::homes::NON_RESIDENTIAL_KEYS;
use greenreach::standard::presets;
use serde_json::Value;

const PBF: &str = "geodata/liechtenstein/liechtenstein-latest.osm.pbf";
const BUILDINGS: &str = "geodata/liechtenstein/buildings.geojson";

/// Fields of one CSV line (double quotes as in RFC 4180).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// Rows of a per-point CSV by id, each as column → value (without `nearest`, whose label
/// differs: feature index in a GeoJSON layer, OSM id in the extract).
fn rows(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let t = std::fs::read_to_string(path).unwrap();
    let mut lines = t.lines();
    let head = fields(lines.next().unwrap());
    lines
        .map(|l| {
            let f = fields(l);
            let row: BTreeMap<String, String> = head
                .iter()
                .cloned()
                .zip(f)
                .filter(|(k, _)| !k.ends_with("_nearest"))
                .collect();
            (row["id"].clone(), row)
        })
        .collect()
}

fn summary_counts(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| {
            ["street_green", "leisure", "park"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(|l| l.split_whitespace().take(4).collect::<Vec<_>>().join(" "))
        .collect()
}

/// Representative points and distances agree to the last printed digit but for rounding
/// (the rings start at another vertex in the export); every other column is equal.
fn rows_agree(id: &str, o: &BTreeMap<String, String>, g: &BTreeMap<String, String>) {
    for (k, v) in o {
        let w = &g[k];
        let tol = if k.ends_with("_m") {
            0.011
        } else if k == "lon" || k == "lat" {
            2e-7
        } else {
            assert!(k == "id" || v == w, "{id} {k}: {v} vs {w}");
            continue;
        };
        if !v.is_empty() || !w.is_empty() {
            let (a, b): (f64, f64) = (v.parse().unwrap(), w.parse().unwrap());
            assert!((a - b).abs() <= tol, "{id} {k}: {v} vs {w}");
        }
    }
}

#[test]
fn check_osm_equals_the_geojson_run_but_for_tags_the_export_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let osm_csv = dir.path().join("osm.csv");
    let gj_csv = dir.path().join("gj.csv");
    let o = greenreach(&[
        "check",
        "--osm",
        PBF,
        "--out",
        osm_csv.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let osm_out = text(&o.stdout);
    let mut args = vec!["check"];
    args.extend(common::LI_HOMES);
    args.extend(["--out", gj_csv.to_str().unwrap(), "-q"]);
    let g = greenreach(&args);
    assert!(g.status.success(), "{}", text(&g.stderr));
    // The same green features serve each tier (the GeoJSON run also reads 3005 street trees
    // and other points the standard ignores; the extract gives only candidates).
    assert_eq!(
        summary_counts(&osm_out),
        [
            "street_green 300 m 37",
            "leisure 1000 m 26",
            "park 2000 m 0"
        ]
    );
    assert!(
        osm_out.contains("green features: 42 read, 37 used"),
        "{osm_out}"
    );
    assert!(text(&g.stdout).contains("green features: 3440 read, 37 used"));
    // The relations cut at the border are nature reserves, which jiangbei does not read:
    // nothing is skipped (tests/osm.rs names them when a standard wants them).
    assert!(
        !text(&o.stderr).contains("areas skipped"),
        "{}",
        text(&o.stderr)
    );

    // Row by row: the GeoJSON layer has no id member, so its rows are named by index.
    let exported: Vec<Value> = serde_json::from_str::<Value>(
        &std::fs::read_to_string(BUILDINGS).unwrap(),
    )
    .unwrap()["features"]
        .as_array()
        .unwrap()
        .clone();
    let osm_id = |i: &str| {
        exported[i.parse::<usize>().unwrap()]["properties"]["osm_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let gj: BTreeMap<String, _> = rows(&gj_csv)
        .into_iter()
        .map(|(i, r)| (osm_id(&i), r))
        .collect();
    let osm = rows(&osm_csv);
    assert_eq!(osm.len(), 8994);
    assert_eq!(
        osm.keys().collect::<Vec<_>>(),
        gj.keys().collect::<Vec<_>>()
    );

    // The only difference: the export kept few building tags (building, name, addr:*,
    // building:levels); the extract has all, and 118 buildings carry a non-residential use
    // (amenity, shop, office, ...) that makes the homes rule reject them.
    let tags = read_layer(
        Path::new(PBF),
        OsmLayer::Buildings,
        &presets::preset("jiangbei").unwrap(),
        &mut Vec::new(),
    )
    .unwrap();
    let props: BTreeMap<&str, _> = tags
        .features
        .iter()
        .map(|f| (f.id.as_deref().unwrap(), &f.properties))
        .collect();
    let mut differ = 0;
    for (id, o) in &osm {
        let g = &gj[id];
        if o["status"] == g["status"] {
            rows_agree(id, o, g);
            continue;
        }
        differ += 1;
        assert_eq!(
            o["status"], "skipped: not a home: building=yes with a non-residential use",
            "{id}"
        );
        assert!(
            NON_RESIDENTIAL_KEYS
                .iter()
                .any(|k| props[id.as_str()].contains_key(*k)),
            "{id}"
        );
    }
    assert_eq!(differ, 118);
}

#[test]
fn report_osm_takes_zones_and_residential_land_from_the_extract() {
    let dir = tempfile::tempdir().unwrap();
    let osm_dir = dir.path().join("osm");
    let gj_dir = dir.path().join("gj");
    let o = greenreach(&[
        "report",
        "--osm",
        PBF,
        "--land-cell",
        "20",
        "--out",
        osm_dir.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let g = greenreach(&[
        "report",
        "--osm",
        PBF,
        "--zones",
        "geodata/liechtenstein/admin_boundaries.geojson",
        "--zone-where",
        "admin_level=8",
        "--land",
        "geodata/liechtenstein/residential_areas.geojson",
        "--land-cell",
        "20",
        "--out",
        gj_dir.to_str().unwrap(),
        "-q",
    ]);
    assert!(g.status.success(), "{}", text(&g.stderr));
    let summary = |d: &Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("summary.json")).unwrap()).unwrap()
    };
    let (a, b) = (summary(&osm_dir), summary(&gj_dir));
    let zones = |v: &Value| -> Vec<(String, u64, f64)> {
        let mut z: Vec<_> = v["zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| {
                (
                    z["name"].as_str().unwrap().to_string(),
                    z["points"].as_u64().unwrap(),
                    (z["land"]["area_m2"].as_f64().unwrap() * 100.0).round() / 100.0,
                )
            })
            .collect();
        z.sort_by(|x, y| x.0.cmp(&y.0));
        z
    };
    // The eleven municipalities (admin_level=8 by default) and the homes outside them, with
    // the same homes and land as with the exported zones and residential land.
    assert_eq!(zones(&a).len(), 12, "{:?}", zones(&a));
    assert_eq!(zones(&a)[11].0, "outside every zone");
    assert_eq!(zones(&a), zones(&b));
}

#[test]
fn explicit_flags_override_parts_of_the_extract() {
    let o = greenreach(&[
        "check",
        "--osm",
        PBF,
        "--green",
        "geodata/liechtenstein/green_areas.geojson",
        "--summary-only",
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("green features: 433 read"), "{out}");
    assert!(
        out.contains("demand points: 8994 read, 7748 evaluated"),
        "{out}"
    );
}

#[test]
fn a_truncated_extract_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(PBF)).unwrap();
    let cut = dir.path().join("cut.osm.pbf");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let o = greenreach(&[
        "check",
        "--osm",
        cut.to_str().unwrap(),
        "--summary-only",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.starts_with(&format!("error: {}: is truncated: blob ", cut.display())),
        "{err}"
    );
    // A PBF given as a layer it cannot be, and a CRS flag on it, are errors too.
    let o = greenreach(&["report", "--osm", PBF, "--population", PBF, "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("is an OSM PBF file"),
        "{}",
        text(&o.stderr)
    );
    let o = greenreach(&[
        "check",
        "--osm",
        PBF,
        "--green-crs",
        "gcj02",
        "--summary-only",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("always WGS84"),
        "{}",
        text(&o.stderr)
    );
}
