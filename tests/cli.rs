//! The `greenreach` binary on the shipped data in `geodata/`.

use std::path::Path;
use std::process::Output;

mod common;
use common::{greenreach, text};

/// The summary lines starting with one of `prefixes`, cut to their first six words (the
/// counts, without the shortfall column that only distance runs fill).
fn counts_table(stdout: &str, prefixes: &[&str]) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| prefixes.iter().any(|p| l.starts_with(p)))
        .map(|l| l.split_whitespace().take(6).collect::<Vec<_>>().join(" "))
        .collect()
}

const LI_GREEN: &str = "geodata/liechtenstein/green_areas.geojson";
const LI_POINTS: &str = "geodata/liechtenstein/green_points.geojson";
const LI_BUILDINGS: &str = "geodata/liechtenstein/buildings.geojson";

fn li_check(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "check",
        "--green",
        LI_GREEN,
        "--green",
        LI_POINTS,
        "--residential",
        LI_BUILDINGS,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    greenreach(&args)
}

#[test]
fn liechtenstein_buildings_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("li.csv");
    let o = li_check(&out, &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("demand points: 8994 read, 8994 evaluated, 0 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("green features: 3440 read"), "{stdout}");
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,lon,lat,street_green_m,street_green_ok,street_green_nearest,leisure_m,leisure_ok,leisure_nearest,park_m,park_ok,park_nearest,all_ok,status"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 8994);
    // Ids are the 0-based feature index (the buildings have no id), in input order.
    for (i, r) in rows.iter().enumerate().take(50) {
        assert_eq!(r[0], i.to_string());
    }
    // Flags agree with distances, and the summary's counts agree with the file.
    let mut within = [0usize; 3];
    for r in &rows {
        for (t, radius) in [300.0, 1000.0, 2000.0].iter().enumerate() {
            let (d, ok) = (r[3 + 3 * t], r[4 + 3 * t]);
            if ok == "true" {
                within[t] += 1;
                assert!(d.parse::<f64>().unwrap() <= radius + 0.005, "{r:?}");
            } else if !d.is_empty() {
                assert!(d.parse::<f64>().unwrap() >= radius - 0.005, "{r:?}");
            }
        }
    }
    for (t, name) in ["street_green", "leisure", "park"].iter().enumerate() {
        let row = stdout.lines().find(|l| l.starts_with(name)).unwrap();
        assert!(
            row.contains(&format!(" {}/8994 ", within[t])),
            "{row} vs {}",
            within[t]
        );
    }
}

#[test]
fn summary_only_agrees_with_the_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let full = li_check(&dir.path().join("a.csv"), &[]);
    let flags = li_check(&dir.path().join("b.csv"), &["--summary-only"]);
    assert!(
        !dir.path().join("b.csv").exists(),
        "--summary-only writes no file"
    );
    // Compare the counts; the shortfall column needs distances.
    let table = |o: &Output| {
        counts_table(
            &text(&o.stdout),
            &["street_green", "leisure", "park", "all tiers"],
        )
    };
    assert_eq!(table(&full).len(), 4);
    assert_eq!(table(&full), table(&flags));
}

#[test]
fn same_output_with_one_thread_and_all_cores() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("1.csv"), dir.path().join("n.csv"));
    assert!(li_check(&a, &["--threads", "1"]).status.success());
    assert!(li_check(&b, &[]).status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn kouvola_has_no_park() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k.geojson");
    let o = greenreach(&[
        "check",
        "--green",
        "geodata/kouvola/green_areas.geojson",
        "--residential",
        "geodata/kouvola/buildings.geojson",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("warning: no green feature serves tier park"));
    let fc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2171);
    assert!(features.iter().all(|f| f["properties"]["park_ok"] == false));
    assert!(features.iter().all(|f| f["properties"]["park_m"].is_null()));
    assert!(
        features
            .iter()
            .any(|f| f["properties"]["street_green_ok"] == true)
    );
    // --strict turns the warning into an error.
    let o = greenreach(&[
        "check",
        "--green",
        "geodata/kouvola/green_areas.geojson",
        "--residential",
        "geodata/kouvola/buildings.geojson",
        "--summary-only",
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no green feature serves tier park"));
}

#[test]
fn grid_over_liechtenstein() {
    let o = greenreach(&[
        "check",
        "--green",
        LI_GREEN,
        "--grid",
        "100",
        "--area",
        "geodata/liechtenstein/admin_boundaries.geojson",
        "--summary-only",
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    // Liechtenstein is 160 km²: about 16 000 cells of 1 ha.
    let n: usize = s
        .lines()
        .find_map(|l| l.strip_prefix("demand points: "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!((15_000..17_500).contains(&n), "{n}");
}

#[test]
fn bad_input_exits_2_naming_file_and_feature() {
    let dir = tempfile::tempdir().unwrap();
    let projected = dir.path().join("utm.geojson");
    std::fs::write(
        &projected,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[9.5,47.1]}},
        {"type":"Feature","id":"b1","properties":{},"geometry":{"type":"Point","coordinates":[650144.2,3272142.9]}}]}"#,
    )
    .unwrap();
    let o = greenreach(&[
        "check",
        "--green",
        LI_GREEN,
        "--points",
        projected.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("utm.geojson: feature 1 (id b1): coordinate [650144.2, 3272142.9]"),
        "{e}"
    );
    assert!(e.contains("projected"), "{e}");

    let o = greenreach(&[
        "check",
        "--green",
        "geodata/missing.geojson",
        "--grid",
        "50",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("geodata/missing.geojson: cannot read the file"));

    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let o = greenreach(&["check", "--green", empty.to_str().unwrap(), "--grid", "50"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("the green layer has no features"));

    let o = greenreach(&[
        "check", "--green", LI_GREEN, "--grid", "50", "--out", "x.txt",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown output format"));

    let o = greenreach(&["check", "--green", LI_GREEN]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "no demand source is a usage error"
    );
}

#[test]
fn standards_list_show_and_toml_round_trip() {
    let o = greenreach(&["standards"]);
    assert!(o.status.success());
    let list = text(&o.stdout);
    for name in [
        "jiangbei",
        "jiangbei-alt",
        "gbt51346",
        "who-europe",
        "angst",
        "3-30-300",
    ] {
        assert!(
            list.lines().any(|l| l.starts_with(name)),
            "{name} missing:\n{list}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    for preset in ["jiangbei", "gbt51346", "angst"] {
        let toml = dir.path().join(format!("{preset}.toml"));
        let o = greenreach(&["standards", preset, "--toml"]);
        assert!(o.status.success());
        std::fs::write(&toml, &o.stdout).unwrap();
        let run = |standard: &str, out: &str| {
            let out = dir.path().join(out);
            let o = greenreach(&[
                "check",
                "--green",
                LI_GREEN,
                "--residential",
                LI_BUILDINGS,
                "--standard",
                standard,
                "--out",
                out.to_str().unwrap(),
                "-q",
            ]);
            assert!(o.status.success(), "{}", text(&o.stderr));
            std::fs::read(out).unwrap()
        };
        let a = run(preset, &format!("{preset}-a.csv"));
        let b = run(toml.to_str().unwrap(), &format!("{preset}-b.csv"));
        assert_eq!(a, b, "{preset}: the printed TOML gives the same results");
    }
    let o = greenreach(&[
        "check",
        "--green",
        LI_GREEN,
        "--grid",
        "50",
        "--standard",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown standard \"nope\""));
}

#[test]
fn angst_tiers_reach_beyond_the_default_limit() {
    // ANGSt's 10 km tier needs a search limit of 10 km: the default follows the standard.
    let o = greenreach(&[
        "check",
        "--green",
        LI_GREEN,
        "--residential",
        LI_BUILDINGS,
        "--standard",
        "angst",
        "--summary-only",
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("site_500ha_10km"));
}

#[test]
fn every_input_point_has_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let pts = dir.path().join("pts.geojson");
    std::fs::write(
        &pts,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","id":"a","properties":{},"geometry":{"type":"Point","coordinates":[9.52,47.14]}},
        {"type":"Feature","id":"b","properties":{},"geometry":null},
        {"type":"Feature","id":"c","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[9.53,47.15],[9.54,47.16]]}},
        {"type":"Feature","id":"d","properties":{},"geometry":{"type":"LineString","coordinates":[[9.5,47.1],[9.6,47.2]]}},
        {"type":"Feature","id":"a","properties":{},"geometry":{"type":"Point","coordinates":[9.55,47.17]}}]}"#,
    )
    .unwrap();
    for ext in ["csv", "geojson"] {
        let out = dir.path().join(format!("o.{ext}"));
        let o = greenreach(&[
            "check",
            "--green",
            LI_GREEN,
            "--points",
            pts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(
            err.contains("1 point(s) repeat an earlier point's id (first: a)"),
            "{err}"
        );
        assert!(err.contains("1 feature(s) skipped: line geometry"), "{err}");
        let s = text(&o.stdout);
        assert!(s.contains("demand points: 6 read, 4 evaluated, 2 skipped (1 line geometry is not a demand point, 1 null geometry)"), "{s}");
        let body = std::fs::read_to_string(&out).unwrap();
        let statuses: Vec<String> = if ext == "csv" {
            body.lines()
                .skip(1)
                .map(|l| {
                    format!(
                        "{}|{}",
                        l.split(',').next().unwrap(),
                        l.rsplit(',').next().unwrap()
                    )
                })
                .collect()
        } else {
            let fc: serde_json::Value = serde_json::from_str(&body).unwrap();
            fc["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    format!(
                        "{}|{}",
                        f["properties"]["id"].as_str().unwrap(),
                        f["properties"]["status"].as_str().unwrap()
                    )
                })
                .collect()
        };
        assert_eq!(
            statuses,
            [
                "a|ok",
                "b|skipped: null geometry",
                "c#0|ok",
                "c#1|ok",
                "d|skipped: line geometry is not a demand point",
                "a|ok"
            ],
            "{ext}"
        );
    }
}

#[test]
fn tiled_grid_counts_equal_streamed_per_point_counts() {
    // --summary-only takes the tiled path; --out evaluates every point with distances.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.csv");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--green",
            LI_GREEN,
            "--green",
            LI_POINTS,
            "--grid",
            "37",
            "--area",
            "geodata/liechtenstein/admin_boundaries.geojson",
            "-q",
        ];
        args.extend_from_slice(extra);
        let o = greenreach(&args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        counts_table(
            &text(&o.stdout),
            &[
                "demand points",
                "street_green",
                "leisure",
                "park",
                "all tiers",
            ],
        )
    };
    let tiled = run(&["--summary-only"]);
    let streamed = run(&["--out", out.to_str().unwrap()]);
    assert_eq!(tiled.len(), 5);
    assert_eq!(tiled, streamed);
    // The streamed file holds every point, in row-major order.
    let csv = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<u64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let n: usize = tiled[0].split_whitespace().nth(2).unwrap().parse().unwrap();
    assert_eq!(ids.len(), n);
}

#[test]
fn flatgeobuf_output_matches_csv() {
    use flatgeobuf::{FallibleStreamingIterator, FeatureProperties, FgbReader};
    let dir = tempfile::tempdir().unwrap();
    for (name, demand) in [
        (
            "homes",
            vec!["--residential", "geodata/kouvola/buildings.geojson"],
        ),
        (
            "grid",
            vec![
                "--grid",
                "25",
                "--area",
                "geodata/kouvola/residential_areas.geojson",
            ],
        ),
    ] {
        let (csv, fgb) = (
            dir.path().join(format!("{name}.csv")),
            dir.path().join(format!("{name}.fgb")),
        );
        for out in [&csv, &fgb] {
            let mut args = vec![
                "check",
                "--green",
                "geodata/kouvola/green_areas.geojson",
                "--out",
                out.to_str().unwrap(),
                "-q",
            ];
            args.extend_from_slice(&demand);
            let o = greenreach(&args);
            assert!(o.status.success(), "{}", text(&o.stderr));
        }
        let csv = std::fs::read_to_string(&csv).unwrap();
        let rows: Vec<Vec<&str>> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect())
            .collect();
        let mut file = std::io::BufReader::new(std::fs::File::open(&fgb).unwrap());
        let reader = FgbReader::open(&mut file).unwrap();
        assert_eq!(
            reader.header().features_count() as usize,
            rows.len(),
            "{name}: count patched in"
        );
        let mut features = reader.select_all_seq().unwrap();
        let mut k = 0;
        while let Some(f) = features.next().unwrap() {
            let r = &rows[k];
            assert_eq!(f.property::<String>("id").unwrap(), r[0]);
            assert_eq!(
                f.property::<bool>("street_green_ok").unwrap().to_string(),
                r[4]
            );
            match f.property::<f64>("leisure_m") {
                Ok(d) => assert_eq!(format!("{d:.2}"), r[6]),
                Err(_) => assert_eq!(r[6], ""),
            }
            assert_eq!(f.property::<String>("status").unwrap(), r[13]);
            k += 1;
        }
        assert_eq!(k, rows.len(), "{name}");
    }
}
