//! `greenreach check --metric walk` on the shipped Liechtenstein data: distances equal the
//! scipy oracle's (tests/fixtures/walk_oracle_liechtenstein.csv, made by scripts/walk_oracle.py
//! from the exported graph), straight-line output unchanged, no_network rows, bad input.

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

mod common;
use common::{greenreach, text};

const NETWORK: &str = "geodata/liechtenstein/walk_network.geojson";
const TIERS: [&str; 3] = ["street_green", "leisure", "park"];

fn li_check(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check"];
    args.extend(common::LI_HOMES);
    args.extend(["--out", out.to_str().unwrap(), "--quiet"]);
    args.extend_from_slice(extra);
    greenreach(&args)
}

/// Rows of a CSV file as maps from column to value.
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let body = std::fs::read_to_string(path).unwrap();
    let mut lines = body.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            // No field of these files holds a quoted comma except labels, which we skip.
            let cells: Vec<&str> = l.split(',').collect();
            header
                .iter()
                .cloned()
                .zip(cells.iter().map(|s| s.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn walking_distances_equal_the_scipy_oracle() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("walk.csv");
    let o = li_check(&out, &["--metric", "walk", "--network", NETWORK]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("lost to barriers"), "{stdout}");
    assert!(stdout.contains("no_network"), "{stdout}");
    let oracle: HashMap<String, HashMap<String, String>> =
        read_csv(Path::new("tests/fixtures/walk_oracle_liechtenstein.csv"))
            .into_iter()
            .map(|r| (r["id"].clone(), r))
            .collect();
    let body = std::fs::read_to_string(&out).unwrap();
    let header: Vec<&str> = body.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (mut checked, mut inside, mut no_network) = (0, 0, 0);
    for line in body.lines().skip(1) {
        // Labels may hold quoted commas: read the numeric columns from the end and the start.
        if line.contains('"') {
            continue;
        }
        let cells: Vec<&str> = line.split(',').collect();
        let status = cells[col("status")];
        if status == "no_network" {
            no_network += 1;
            assert_eq!(cells[col("snap_m")], "");
            assert_eq!(cells[col("all_ok")], "false");
            continue;
        }
        if status != "ok" {
            continue;
        }
        let id = cells[col("id")];
        let want = &oracle[id];
        for t in TIERS {
            let ours = cells[col(&format!("{t}_m"))];
            let straight = cells[col(&format!("{t}_straight_m"))];
            let theirs = &want[&format!("{t}_m")];
            if ours.is_empty() {
                assert!(
                    theirs.is_empty() || theirs.parse::<f64>().unwrap() > 5000.0,
                    "{id} {t}: none within 5000 m, oracle {theirs}"
                );
                continue;
            }
            let ours: f64 = ours.parse().unwrap();
            let straight: f64 = straight.parse().unwrap();
            assert!(
                ours >= straight - 0.01,
                "{id} {t}: walk {ours} < straight {straight}"
            );
            if ours == 0.0 && straight == 0.0 {
                inside += 1;
                continue;
            }
            let theirs: f64 = theirs.parse().unwrap();
            assert!(
                (ours - theirs).abs() <= 0.01,
                "{id} {t}: {ours} vs oracle {theirs}"
            );
            checked += 1;
        }
    }
    assert!(checked > 14_000, "{checked} distances checked");
    assert!(
        inside > 0 && no_network > 0,
        "{inside} inside, {no_network} no_network"
    );
}

#[test]
fn straight_metric_output_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let oa = li_check(&a, &[]);
    let ob = li_check(&b, &["--metric", "straight"]);
    assert!(oa.status.success() && ob.status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(
        text(&oa.stdout).replace("a.csv", "b.csv"),
        text(&ob.stdout),
        "the summary changed"
    );
    let header = std::fs::read_to_string(&a).unwrap();
    assert!(!header.lines().next().unwrap().contains("snap_m"));
}

#[test]
fn walk_export_and_geojson_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("walk.geojson");
    let net = dir.path().join("net.geojson");
    let o = li_check(
        &out,
        &[
            "--metric",
            "walk",
            "--network",
            NETWORK,
            "--export-network",
            net.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let props = &v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["status"] == "ok")
        .unwrap()["properties"];
    for key in ["park_m", "park_straight_m", "snap_m", "all_ok"] {
        assert!(props.get(key).is_some(), "{key} missing: {props}");
    }
    let g: serde_json::Value = serde_json::from_slice(&std::fs::read(&net).unwrap()).unwrap();
    let kinds: std::collections::BTreeSet<&str> = g["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    for k in ["edge", "junction", "entrance", "start", "home-snap"] {
        assert!(kinds.contains(k), "{k} missing from the export");
    }
}

#[test]
fn a_network_far_from_the_homes_gives_no_network_rows_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("walk.csv");
    let o = li_check(
        &out,
        &[
            "--metric",
            "walk",
            "--network",
            "geodata/monaco/walk_network.geojson",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("geodata/monaco/walk_network.geojson")
            && err.contains("no walkable way within 150 m"),
        "{err}"
    );
    let rows = read_csv(&out);
    let evaluated = rows
        .iter()
        .filter(|r| !r["status"].starts_with("skipped"))
        .count();
    assert!(evaluated > 0);
    assert!(
        rows.iter()
            .filter(|r| !r["status"].starts_with("skipped"))
            .all(|r| r["status"] == "no_network")
    );
}

#[test]
fn bad_walking_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("walk.csv");
    let none = dir.path().join("motorways.geojson");
    std::fs::write(
        &none,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"motorway"},"geometry":{"type":"LineString","coordinates":[[9.5,47.1],[9.51,47.1]]}}]}"#,
    )
    .unwrap();
    let o = li_check(
        &out,
        &["--metric", "walk", "--network", none.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("motorways.geojson") && err.contains("no walkable way"),
        "{err}"
    );
    assert!(!out.exists());

    let o = li_check(&out, &["--metric", "walk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--network"));

    let o = li_check(&out, &["--network", NETWORK]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--metric walk"));

    let missing = dir.path().join("missing.geojson");
    let o = li_check(
        &out,
        &["--metric", "walk", "--network", missing.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("missing.geojson"));
}

/// `--proposed` under `--metric walk`: the "after" on foot equals a walking run with the
/// proposed file as one more green layer, never exceeds the straight-line "after", and what
/// each space alone newly serves on foot is at most what it serves in a straight line.
#[test]
fn proposed_on_foot() {
    let dir = tempfile::tempdir().unwrap();
    let plan = common::site_plan(dir.path(), "3");
    let plan = plan.to_str().unwrap();
    let run = |extra: &[&str]| {
        let o = li_check(&dir.path().join("x.csv"), extra);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let walk = ["--metric", "walk", "--network", NETWORK];
    let on_foot = run(&[&walk[..], &["--proposed", plan]].concat());
    let straight = run(&["--proposed", plan]);
    let with_green = run(&[&walk[..], &["--green", plan]].concat());
    // "street_green  2010  25.7%  4047  51.8%  +2037": before, after.
    let row = |text: &str, tier: &str| -> (u64, u64) {
        let l = text
            .lines()
            .skip_while(|l| !l.starts_with("with the proposed spaces"))
            .find(|l| l.trim_start().starts_with(tier))
            .unwrap_or_else(|| panic!("{tier} in {text}"));
        let f: Vec<&str> = l.split_whitespace().collect();
        (f[1].parse().unwrap(), f[3].parse().unwrap())
    };
    let within = |text: &str, tier: &str| -> u64 {
        let l = text
            .lines()
            .find(|l| l.starts_with(tier) && l.contains(" m "))
            .unwrap_or_else(|| panic!("{tier} in {text}"));
        l.split_whitespace()
            .find_map(|w| w.split_once('/'))
            .unwrap()
            .0
            .parse()
            .unwrap()
    };
    let (b_foot, a_foot) = row(&on_foot, "street_green");
    let (b_line, a_line) = row(&straight, "street_green");
    assert_eq!(b_foot, within(&on_foot, "street_green"));
    assert_eq!(
        a_foot,
        within(&with_green, "street_green"),
        "{on_foot}\n{with_green}"
    );
    assert!(a_foot > b_foot && a_foot <= a_line && b_foot <= b_line);
    // Per space: "auto-10420 (street_green, 400 m²): street_green +256, ...".
    let newly = |text: &str| -> Vec<u64> {
        text.lines()
            .filter(|l| l.starts_with("  auto-"))
            .map(|l| {
                let k = l.find("street_green +").unwrap() + "street_green +".len();
                l[k..].split(',').next().unwrap().parse().unwrap()
            })
            .collect()
    };
    let (foot, line) = (newly(&on_foot), newly(&straight));
    assert_eq!(foot.len(), 3);
    assert!(
        foot.iter().zip(&line).all(|(f, l)| f <= l),
        "{foot:?} {line:?}"
    );
    assert!(foot.iter().any(|&f| f > 0), "{foot:?}");
}

const PBF: &str = "geodata/liechtenstein/liechtenstein-latest.osm.pbf";

/// The network read from the PBF gives the GeoJSON network's answers: every flag and nearest
/// space, every distance within 1 cm, except one home (6412, Balzers) whose shortest walk in
/// the GeoJSON passes where two ways meet at the same coordinates through two distinct OSM
/// nodes (9.5494956, 47.1245395): GeoJSON joins ways by coordinates, the PBF by node id, as
/// OSM does, so that walk is 124.89 m longer from the PBF.
#[test]
fn pbf_network_equals_the_geojson_network_but_for_one_unjoined_node() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("gj.csv"), dir.path().join("pbf.csv"));
    for (out, net) in [(&a, NETWORK), (&b, PBF)] {
        let o = li_check(out, &["--metric", "walk", "--network", net]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let (a, b) = (read_csv(&a), read_csv(&b));
    assert_eq!(a.len(), b.len());
    let mut longer = Vec::new();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x["id"], y["id"]);
        for t in TIERS {
            for c in ["_ok", "_nearest", "_straight_m"] {
                let k = format!("{t}{c}");
                assert_eq!(x[&k], y[&k], "{k} of {}", x["id"]);
            }
            let k = format!("{t}_m");
            if x[&k] != y[&k] {
                let (p, q): (f64, f64) = (x[&k].parse().unwrap(), y[&k].parse().unwrap());
                if (p - q).abs() > 0.01 {
                    longer.push((x["id"].clone(), t, q - p));
                }
            }
        }
        assert_eq!(x["status"], y["status"]);
        assert_eq!(x["snap_m"], y["snap_m"]);
    }
    assert_eq!(longer.len(), 2, "{longer:?}");
    for (id, _, d) in &longer {
        assert_eq!(id, "6412");
        assert!((d - 124.89).abs() < 0.02, "{longer:?}");
    }
}

/// `--osm FILE.osm.pbf --metric walk` walks the same file's network; the PBF cannot take a
/// CRS; a truncated PBF and one with no walkable way are clear errors naming the file.
#[test]
fn osm_supplies_the_network_and_bad_pbf_networks_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("osm.csv");
    let o = greenreach(&[
        "check",
        "--osm",
        PBF,
        "--homes",
        "osm",
        "--metric",
        "walk",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains(&format!("walking network {PBF}:")),
        "{stdout}"
    );

    let o = li_check(
        &out,
        &[
            "--metric",
            "walk",
            "--network",
            PBF,
            "--network-crs",
            "EPSG:32632",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("always WGS84"),
        "{}",
        text(&o.stderr)
    );

    let bytes = std::fs::read(PBF).unwrap();
    let cut = dir.path().join("cut.osm.pbf");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let o = li_check(
        &out,
        &["--metric", "walk", "--network", cut.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("cut.osm.pbf") && err.contains("truncated"),
        "{err}"
    );

    let motorway = common::pbf::Osm {
        nodes: vec![(1, 9.5, 47.1, vec![]), (2, 9.51, 47.1, vec![])],
        ways: vec![(1, vec![1, 2], vec![("highway", "motorway")])],
        relations: vec![],
    };
    let none = dir.path().join("motorway.osm.pbf");
    std::fs::write(&none, motorway.to_pbf()).unwrap();
    let o = li_check(
        &out,
        &["--metric", "walk", "--network", none.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("motorway.osm.pbf") && err.contains("no walkable way"),
        "{err}"
    );
}

/// `--out FILE.gpkg` under `--metric walk`: the table `points` holds the CSV's rows and
/// columns, typed (distances to the centimetre, 0/1 flags, NULL for empty cells).
#[test]
fn walking_geopackage_equals_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, gpkg) = (dir.path().join("walk.csv"), dir.path().join("walk.gpkg"));
    for out in [&csv, &gpkg] {
        let o = li_check(out, &["--metric", "walk", "--network", NETWORK]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let rows = read_csv(&csv);
    let db = rusqlite::Connection::open(&gpkg).unwrap();
    let mut cols: Vec<String> = vec!["id".into()];
    for t in TIERS {
        cols.extend(["m", "ok", "straight_m"].map(|c| format!("{t}_{c}")));
    }
    cols.extend(["all_ok", "snap_m", "status"].map(String::from));
    let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let mut stmt = db
        .prepare(&format!(
            "SELECT {}, geom IS NULL FROM points ORDER BY fid",
            quoted.join(", ")
        ))
        .unwrap();
    let got: Vec<Vec<rusqlite::types::Value>> = stmt
        .query_map([], |r| (0..=cols.len()).map(|k| r.get(k)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(got.len(), rows.len());
    let mut no_network = 0;
    for (row, cells) in rows.iter().zip(&got) {
        use rusqlite::types::Value::*;
        for (c, v) in cols.iter().zip(cells) {
            let want = &row[c];
            let same = match v {
                Null => want.is_empty(),
                Integer(b) => want == if *b == 1 { "true" } else { "false" },
                Real(x) => (x - want.parse::<f64>().unwrap()).abs() < 1e-9,
                Text(s) => s == want,
                Blob(_) => false,
            };
            assert!(same, "row {}, {c}: {v:?} against {want:?}", row["id"]);
        }
        let skipped = row["status"].starts_with("skipped");
        assert_eq!(cells[cols.len()], Integer(i64::from(skipped)));
        no_network += usize::from(row["status"] == "no_network");
    }
    assert!(no_network > 0);
    let o = li_check(
        &dir.path().join("walk.fgb"),
        &["--metric", "walk", "--network", NETWORK],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains(".gpkg"), "{}", text(&o.stderr));
}

/// Entrances in UTM beside a PBF network (always WGS84): `--entrances-crs` gives their CRS;
/// without it the error names the file and the flag. A point that enters no green space is
/// counted in a warning naming the file.
#[test]
fn projected_entrances_beside_a_pbf_network() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("walk.csv");
    let entrances = dir.path().join("gates_utm32n.geojson");
    std::fs::write(
        &entrances,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[758500,5223000]}}]}"#,
    )
    .unwrap();
    let pbf = "geodata/liechtenstein/liechtenstein-latest.osm.pbf";
    let e = entrances.to_str().unwrap();
    let base = ["--metric", "walk", "--network", pbf, "--entrances", e];
    let o = li_check(&out, &base);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("gates_utm32n.geojson") && err.contains("--entrances-crs"),
        "{err}"
    );
    let mut args = base.to_vec();
    args.extend(["--entrances-crs", "EPSG:32632"]);
    let o = li_check(&out, &args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("gates_utm32n.geojson: 1 entrance point(s) entered no green space"),
        "{err}"
    );
}
