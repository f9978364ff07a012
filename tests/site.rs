//! `greenreach site` on the shipped Liechtenstein data and on bad input.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::text;

const LI_GREEN: &str = "geodata/liechtenstein/green_areas.geojson";
const LI_POINTS: &str = "geodata/liechtenstein/green_points.geojson";
const LI_BUILDINGS: &str = "geodata/liechtenstein/buildings.geojson";

fn site(extra: &[&str]) -> Output {
    let mut args = vec![
        "site",
        "--green",
        LI_GREEN,
        "--green",
        LI_POINTS,
        "--residential",
        LI_BUILDINGS,
        "--homes",
        "osm",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run greenreach")
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn liechtenstein_auto_candidates() {
    let tmp = tempfile::tempdir().unwrap();
    let out1 = tmp.path().join("t1");
    let out2 = tmp.path().join("t2");
    let run = |dir: &Path, threads: &str| {
        site(&[
            "--candidates-auto",
            "--spacing",
            "100",
            "--add",
            "6",
            "--threads",
            threads,
            "--out",
            dir.to_str().unwrap(),
        ])
    };
    let o = run(&out1, "1");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o2 = run(&out2, "2");
    assert!(o2.status.success(), "{}", text(&o2.stderr));
    let csv = std::fs::read_to_string(out1.join("sites.csv")).unwrap();
    assert_eq!(
        csv,
        std::fs::read_to_string(out2.join("sites.csv")).unwrap(),
        "same sites at 1 and 2 threads"
    );
    for f in ["sites.geojson", "coverage_curve.svg", "index.html"] {
        assert!(out1.join(f).exists(), "{f}");
    }
    let s = summary(&out1);
    assert_eq!(s["sites"], 6);
    let before = s["homes_meeting_before"].as_u64().unwrap();
    let after = s["homes_meeting_after"].as_u64().unwrap();
    let rows: Vec<Vec<String>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 6);
    let newly: u64 = rows.iter().map(|r| r[8].parse::<u64>().unwrap()).sum();
    assert_eq!(before + newly, after);
    // Gains never grow along a greedy plan; shares only grow.
    let gains: Vec<u64> = rows.iter().map(|r| r[8].parse().unwrap()).collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "{gains:?}");
    let share_after = s["share_after"].as_f64().unwrap();
    assert!(s["upper_bound_share"].as_f64().unwrap() >= share_after);
    assert!(share_after > s["share_before"].as_f64().unwrap());
    let html = std::fs::read_to_string(out1.join("index.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Who remains unserved"));
    assert!(text(&o.stdout).contains("best possible"));
}

#[test]
fn candidates_from_a_file_with_budget_and_exact() {
    let tmp = tempfile::tempdir().unwrap();
    let cands = tmp.path().join("cands.geojson");
    // Points in Vaduz and Schaan, and one polygon; costs for --budget.
    std::fs::write(
        &cands,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"a","cost":2},"geometry":{"type":"Point","coordinates":[9.5209,47.1410]}},
{"type":"Feature","properties":{"name":"b","cost":1},"geometry":{"type":"Point","coordinates":[9.5100,47.1660]}},
{"type":"Feature","properties":{"name":"c","cost":1},"geometry":{"type":"Polygon","coordinates":[[[9.5300,47.1500],[9.5303,47.1500],[9.5303,47.1503],[9.5300,47.1503],[9.5300,47.1500]]]}}
]}"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = site(&[
        "--candidates",
        cands.to_str().unwrap(),
        "--budget",
        "2",
        "--exact",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = summary(&out);
    let greedy = s["weight_after"].as_f64().unwrap();
    let exact = s["exact"]["weight"].as_f64().unwrap();
    assert!(exact >= greedy, "{exact} {greedy}");
    assert!(s["upper_bound_weight"].as_f64().unwrap() >= exact);
    assert_eq!(s["candidates"], 3);
}

fn fails_with(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    assert!(e.contains(needle), "{e}");
}

#[test]
fn bad_input_is_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    fails_with(
        &site(&["--candidates-auto", "--add", "0", "--out", out]),
        "--add must be at least 1",
    );
    fails_with(
        &site(&[
            "--candidates-auto",
            "--spacing",
            "200",
            "--target",
            "0.2",
            "--out",
            out,
        ]),
        "already met",
    );
    let empty = tmp.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    fails_with(
        &site(&[
            "--candidates",
            empty.to_str().unwrap(),
            "--add",
            "3",
            "--out",
            out,
        ]),
        "no usable candidate",
    );
    let bow = tmp.path().join("bow.geojson");
    std::fs::write(
        &bow,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[9.52,47.14]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[9.52,47.14],[9.521,47.141],[9.521,47.14],[9.52,47.141],[9.52,47.14]]]}}
]}"#,
    )
    .unwrap();
    fails_with(
        &site(&[
            "--candidates",
            bow.to_str().unwrap(),
            "--add",
            "1",
            "--out",
            out,
        ]),
        "candidate feature 1",
    );
    fails_with(
        &site(&[
            "--candidates",
            bow.to_str().unwrap(),
            "--budget",
            "5",
            "--out",
            out,
        ]),
        "cost",
    );
}

/// The plan's sites fed back to `check --proposed` give the plan's own after figure.
#[test]
fn sites_fed_back_as_proposed_match_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = site(&[
        "--candidates-auto",
        "--spacing",
        "100",
        "--add",
        "4",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = summary(&out);
    let after = s["homes_meeting_after"].as_u64().unwrap();
    let before = s["homes_meeting_before"].as_u64().unwrap();
    let c = Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args([
            "check",
            "--green",
            LI_GREEN,
            "--green",
            LI_POINTS,
            "--residential",
            LI_BUILDINGS,
            "--homes",
            "osm",
            "--summary-only",
            "--quiet",
            "--proposed",
            out.join("sites.geojson").to_str().unwrap(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(c.status.success(), "{}", text(&c.stderr));
    let stdout = text(&c.stdout);
    let line = stdout
        .lines()
        .skip_while(|l| !l.starts_with("with the proposed"))
        .find(|l| l.trim_start().starts_with("street_green"))
        .unwrap();
    let nums: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(nums[1].parse::<u64>().unwrap(), before, "{line}");
    assert_eq!(nums[3].parse::<u64>().unwrap(), after, "{line}");
}

/// `report --proposed` gives before → after per tier and per zone; the zones' "after" counts
/// add up to the plan's own count.
#[test]
fn report_proposed_by_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = tmp.path().join("sites");
    let o = site(&[
        "--candidates-auto",
        "--spacing",
        "100",
        "--add",
        "3",
        "--out",
        sites.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rep = tmp.path().join("rep");
    let r = Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args([
            "report",
            "--quiet",
            "--out",
            rep.to_str().unwrap(),
            "--proposed",
            sites.join("sites.geojson").to_str().unwrap(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", text(&r.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rep.join("summary.json")).unwrap()).unwrap();
    let p = &json["proposed"];
    let s = summary(&sites);
    let after = s["homes_meeting_after"].as_u64().unwrap();
    let within = |v: &serde_json::Value| v["tiers"][0]["points_within"].as_u64().unwrap();
    assert_eq!(within(&p["after"]), after);
    let zones = p["zones"].as_array().unwrap();
    assert!(zones.iter().any(|z| z["name"] == "Balzers"));
    let sum: u64 = zones.iter().map(|z| within(&z["after"])).sum();
    assert_eq!(sum, after, "{p}");
    let before: u64 = zones.iter().map(|z| within(&z["before"])).sum();
    assert_eq!(before, within(&p["before"]));
}
