//! `greenreach report`: population- and land-area-weighted figures on hand-made cases with
//! known answers, and agreement between the report's files and `check`.

use std::path::{Path, PathBuf};

use geo::coord;
use greenreach::crs::LocalPlane;
use greenreach::progress::Silent;
use greenreach::report::{ReportConfig, WeightSource, run_report};
use greenreach::{CheckConfig, DemandSource};
use serde_json::{Value, json};

mod common;
use common::greenreach;

const CENTRE: (f64, f64) = (106.55, 29.57);

fn plane() -> LocalPlane {
    LocalPlane::at(CENTRE.0, CENTRE.1).unwrap()
}

fn ll(x: f64, y: f64) -> Value {
    let c = plane().inverse(coord! { x: x, y: y }).unwrap();
    json!([c.x, c.y])
}

fn square(x0: f64, y0: f64, w: f64, h: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[ll(x0, y0), ll(x0 + w, y0), ll(x0 + w, y0 + h), ll(x0, y0 + h), ll(x0, y0)]]})
}

fn write_fc(dir: &Path, name: &str, features: Vec<Value>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    p
}

fn feature(props: Value, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": geometry})
}

/// A green layer holding one point park at the plane's origin.
fn park_at_origin(dir: &Path) -> PathBuf {
    write_fc(
        dir,
        "g.geojson",
        vec![feature(
            json!({"category": "green"}),
            json!({"type": "Point", "coordinates": ll(0.0, 0.0)}),
        )],
    )
}

/// A one-tier standard: street greenery within 500 m.
fn one_tier(dir: &Path) -> PathBuf {
    let p = dir.join("one.toml");
    std::fs::write(
        &p,
        r#"name = "one"
[[tiers]]
name = "green"
radius_m = 500.0
accepts = ["green"]
[[categories]]
name = "green"
[[categories.rules]]
tags = ["leisure=park"]
kinds = ["area", "point"]
"#,
    )
    .unwrap();
    p
}

fn config(dir: &Path, green: PathBuf, demand: DemandSource) -> ReportConfig {
    let mut check = CheckConfig::new(vec![green], demand);
    check.standard = greenreach::standard::file::load(one_tier(dir).to_str().unwrap()).unwrap();
    ReportConfig {
        check,
        out_dir: dir.join("out"),
        weight: WeightSource::Points,
        zones: None,
        land: None,
        land_crs: None,
        land_where: Vec::new(),
        gap_link_m: None,
        land_cell_m: 2.0,
        lang: greenreach::report::Lang::En,
        pdf: false,
        proposed: Vec::new(),
    }
}

/// Homes at x = 100, 300 (within 500 m of the park at the origin), 900 and 2000 (not).
/// Population cells: A (pop 600) holds the first three homes, B (pop 100) the fourth,
/// C (pop 50) none. Residents in reach: 600·2/3 = 400 of 700 = 57.14 %; homes: 2/4 = 50 %.
#[test]
fn population_layer_weights_known_answer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let green = park_at_origin(d);
    let homes = write_fc(
        d,
        "h.geojson",
        [100.0, 300.0, 900.0, 2000.0]
            .iter()
            .map(|&x| {
                feature(
                    json!({"population": x / 100.0}),
                    json!({"type": "Point", "coordinates": ll(x, 10.0)}),
                )
            })
            .collect(),
    );
    let cells = write_fc(
        d,
        "pop.geojson",
        vec![
            feature(
                json!({"population": 600}),
                square(0.0, -100.0, 1000.0, 200.0),
            ),
            feature(
                json!({"population": 100}),
                square(1000.0, -100.0, 1500.0, 200.0),
            ),
            feature(json!({"population": 50}), square(0.0, 500.0, 100.0, 100.0)),
        ],
    );
    let mut cfg = config(d, green.clone(), DemandSource::Points(homes.clone()));
    cfg.weight = WeightSource::Population {
        path: cells,
        field: "population".into(),
        crs: None,
    };
    let r = run_report(&cfg, &Silent).unwrap();
    assert_eq!(r.totals.points.within, vec![2]);
    assert!((r.totals.point_share(Some(0)) - 0.5).abs() < 1e-12);
    assert!((r.totals.weight.total - 700.0).abs() < 1e-9);
    assert!((r.totals.weight_share(Some(0)) - 400.0 / 700.0).abs() < 1e-12);
    assert_eq!(r.weights.unassigned, 50.0);

    // The same homes weighted by their own property: 1 + 3 of 1 + 3 + 9 + 20.
    cfg.weight = WeightSource::Property("population".into());
    let r = run_report(&cfg, &Silent).unwrap();
    assert!((r.totals.weight_share(Some(0)) - 4.0 / 33.0).abs() < 1e-12);
    let json: Value =
        serde_json::from_slice(&std::fs::read(d.join("out/summary.json")).unwrap()).unwrap();
    assert!(
        (json["totals"]["tiers"][0]["weight_share"].as_f64().unwrap() - 4.0 / 33.0).abs() < 1e-12
    );
}

/// A 1000 × 1000 m residential block whose west edge is centred on a point park: the land
/// within 500 m is a half disc, π·500²/2 = 392 699 m² of 1 000 000 m² (39.27 %).
#[test]
fn land_area_share_known_answer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let green = park_at_origin(d);
    let blocks = write_fc(
        d,
        "res.geojson",
        vec![
            feature(json!({"id": "block"}), square(0.0, -500.0, 1000.0, 1000.0)),
            feature(json!({"id": "far"}), square(3000.0, 0.0, 100.0, 100.0)),
        ],
    );
    let r = run_report(
        &config(d, green, DemandSource::Residential(blocks)),
        &Silent,
    )
    .unwrap();
    let land = r.totals.land.as_ref().unwrap();
    let half_disc = std::f64::consts::PI * 500.0 * 500.0 / 2.0;
    assert!(
        (land.area_m2 - 1_010_000.0).abs() < 20.0,
        "{}",
        land.area_m2
    );
    let err = (land.covered_m2[0] - half_disc).abs();
    assert!(
        err <= land.undecided_m2[0] + 10.0,
        "error {err} bound {}",
        land.undecided_m2[0]
    );
    assert!(land.bound_pp() <= 0.5);
    assert!(
        (land.share(0) - half_disc / 1_010_000.0).abs() < 0.002,
        "{}",
        land.share(0)
    );
    // Per area: the far block has none of its land in reach, and comes first (worst).
    assert_eq!(r.areas[0].id, "far");
    assert_eq!(r.areas[0].land.share(0), 0.0);
    // The block's point (its centroid, 500 m east of the park) is exactly at the radius.
    let csv = std::fs::read_to_string(d.join("out/areas.csv")).unwrap();
    assert!(csv.lines().nth(2).unwrap().starts_with("block,,"), "{csv}");
}

#[test]
fn default_report_agrees_with_check_and_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let o = greenreach(&["report", "--out", out.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let headline = String::from_utf8_lossy(&o.stdout).to_string();
    for f in [
        "index.html",
        "summary.json",
        "summary.md",
        "zones.csv",
        "areas.csv",
        "points.csv",
        "gaps.geojson",
        "map.svg",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    // points.csv is exactly what check writes for the same inputs.
    let check_csv = dir.path().join("check.csv");
    let mut args = vec!["check"];
    args.extend(common::LI_HOMES);
    args.extend(["--out", check_csv.to_str().unwrap(), "-q"]);
    let o = greenreach(&args);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read(&check_csv).unwrap(),
        std::fs::read(out.join("points.csv")).unwrap()
    );

    // summary.json totals = counts in points.csv = total row of zones.csv = headline.
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(out.join("points.csv")).unwrap();
    let all_rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // Every building has a row; the ones that are not homes say why.
    assert_eq!(all_rows.len(), 8994);
    assert!(
        all_rows
            .iter()
            .all(|r| r[13] == "ok" || r[13].starts_with("skipped: not a home"))
    );
    let rows: Vec<&Vec<&str>> = all_rows.iter().filter(|r| r[13] == "ok").collect();
    let n = rows.len();
    assert_eq!(json["totals"]["points"], n);
    for t in 0..3 {
        let within = rows.iter().filter(|r| r[4 + 3 * t] == "true").count();
        assert_eq!(json["totals"]["tiers"][t]["points_within"], within);
        let share = format!("{:.1}% ({within}/{n})", 100.0 * within as f64 / n as f64);
        assert!(headline.contains(&share), "{share} not in\n{headline}");
    }
    let all = rows.iter().filter(|r| r[12] == "true").count();
    assert_eq!(json["totals"]["all"]["points_within"], all);
    let zones = std::fs::read_to_string(out.join("zones.csv")).unwrap();
    let total: Vec<&str> = zones.lines().last().unwrap().split(',').collect();
    assert_eq!(total[0], "total");
    assert_eq!(total[1], n.to_string());
    // Zone rows add up to the total.
    let zone_points: usize = zones
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("total"))
        .map(|l| l.split(',').nth(1).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(zone_points, n);
    // 11 municipalities (+ the homes outside every zone).
    let names: Vec<&str> = zones
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|z| **z != "total" && **z != "outside every zone")
            .count(),
        11
    );
    // The land share in the JSON is the one in the headline.
    let land = json["totals"]["all"]["land_share"].as_f64().unwrap();
    assert!(headline.contains(&format!("{:.1}%", 100.0 * land)));
    assert!(json["totals"]["land"]["error_bound_pp"].as_f64().unwrap() <= 0.5);
    // Gaps: one feature per gap, ranked within each tier.
    let gaps: Value =
        serde_json::from_slice(&std::fs::read(out.join("gaps.geojson")).unwrap()).unwrap();
    assert_eq!(
        gaps["features"].as_array().unwrap().len(),
        json["gaps"].as_array().unwrap().len()
    );
    let failing: usize = rows.iter().filter(|r| r[4] == "false").count();
    let in_gaps: u64 = gaps["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["properties"]["tier"] == "street_green")
        .map(|g| g["properties"]["points"].as_u64().unwrap())
        .sum();
    assert_eq!(
        in_gaps as usize, failing,
        "every failing home is in exactly one gap"
    );
}

/// The backticked keys of a cell of docs/summary-schema.md (`inputs[]` → `inputs`).
fn doc_keys(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|k| k.trim_end_matches("[]").to_string())
        .collect()
}

/// summary.json has exactly the keys docs/summary-schema.md lists, and every object in it
/// has only keys its row names.
#[test]
fn summary_json_matches_its_schema() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/summary-schema.md"),
    )
    .unwrap();
    // Rows of the two tables: the top level, then SHARES.
    let mut tables: Vec<Vec<(Vec<String>, String)>> = vec![];
    for line in doc.lines() {
        if line.starts_with("| key |") {
            tables.push(vec![]);
        } else if line.starts_with("| `") {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let row = (doc_keys(cells[1]), cells[3].to_string());
            tables.last_mut().unwrap().push(row);
        }
    }
    assert_eq!(tables.len(), 2, "top-level and SHARES tables");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let o = greenreach(&["report", "--out", out.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();

    // An object's keys must each appear backticked in `meaning` (maps of reasons excepted).
    let check_object = |what: &str, v: &Value, meaning: &str| {
        let v = match v {
            Value::Array(a) => a.first().unwrap_or(&Value::Null),
            v => v,
        };
        if let Value::Object(m) = v {
            for k in m.keys() {
                assert!(
                    meaning.contains(&format!("`{k}`")) || meaning.contains(&format!("`{k}[]`")),
                    "{what}.{k} is not in docs/summary-schema.md"
                );
            }
        }
    };
    let top = json.as_object().unwrap();
    let mut documented: Vec<String> = tables[0].iter().flat_map(|(k, _)| k.clone()).collect();
    documented.sort();
    let mut actual: Vec<String> = top.keys().cloned().collect();
    actual.sort();
    assert_eq!(actual, documented, "top-level keys");
    for (keys, meaning) in &tables[0] {
        for k in keys {
            if !matches!(k.as_str(), "totals" | "zones") {
                for (name, v) in top[k].as_object().into_iter().flatten() {
                    // Maps from reason to count are data, not schema.
                    if !matches!(name.as_str(), "ignored" | "skipped" | "kept_out_by_reason") {
                        check_object(&format!("{k}.{name}"), v, meaning);
                    }
                }
                check_object(k, &top[k], meaning);
            }
        }
    }
    // SHARES: totals, and each zone with its name.
    let shares_keys: Vec<String> = tables[1].iter().flat_map(|(k, _)| k.clone()).collect();
    let zones = json["zones"].as_array().unwrap();
    assert!(!zones.is_empty() && json["totals"]["land"].is_object());
    for (what, s) in
        std::iter::once(("totals", &json["totals"])).chain(zones.iter().map(|z| ("zones", z)))
    {
        for (k, v) in s.as_object().unwrap() {
            if what == "zones" && k == "name" {
                continue;
            }
            assert!(shares_keys.contains(k), "{what}.{k} is not in SHARES");
            let meaning = &tables[1].iter().find(|(ks, _)| ks.contains(k)).unwrap().1;
            check_object(&format!("{what}.{k}"), v, meaning);
        }
        for k in &shares_keys {
            assert!(s.get(k).is_some(), "{what} lacks {k}");
        }
    }
}
