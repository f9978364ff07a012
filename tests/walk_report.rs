//! `greenreach report --metric walk` on the shipped Liechtenstein data: the report is on foot,
//! its per-point file equals `check --metric walk`'s, its straight-line figures equal a
//! straight report's, and the homes lost to barriers are exactly those met in a straight line
//! and not on foot, every one in one group.

use serde_json::Value;

mod common;
use common::greenreach;

const NETWORK: &str = "geodata/liechtenstein/walk_network.geojson";

fn report(out: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", "--quiet", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = greenreach(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

fn within(shares: &Value) -> Vec<u64> {
    shares["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["points_within"].as_u64().unwrap())
        .collect()
}

#[test]
fn walking_report_agrees_with_check_and_the_straight_report() {
    let dir = tempfile::tempdir().unwrap();
    let walk = report(
        &dir.path().join("walk"),
        &["--metric", "walk", "--network", NETWORK, "--lang", "en"],
    );
    let line = report(&dir.path().join("line"), &["--lang", "en"]);
    let w = &walk["walk"];
    assert!(line["walk"].is_null());
    // Every key of `walk` and of a lost group is documented in docs/summary-schema.md.
    let doc = std::fs::read_to_string("docs/summary-schema.md").unwrap();
    let row = doc.lines().find(|l| l.starts_with("| `walk`")).unwrap();
    let keys = w
        .as_object()
        .unwrap()
        .keys()
        .chain(w["lost"][0].as_object().unwrap().keys());
    for k in keys {
        assert!(
            row.contains(&format!("`{k}`")) || row.contains(&format!("`{k}[]`")),
            "{k}"
        );
    }

    // The straight-line side equals the straight report, totals and zone by zone.
    assert_eq!(within(&w["straight_totals"]), within(&line["totals"]));
    let zones = |v: &Value| -> Vec<(String, Vec<u64>)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|z| (z["name"].as_str().unwrap().to_string(), within(z)))
            .collect()
    };
    assert_eq!(zones(&w["straight_zones"]), zones(&line["zones"]));
    // Land shares stay straight-line.
    assert_eq!(walk["totals"]["land"], line["totals"]["land"]);

    // On foot never more than in a straight line; lost = straight − on foot, per tier.
    let (foot, straight) = (within(&walk["totals"]), within(&w["straight_totals"]));
    let lost: Vec<u64> = w["lost_per_tier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    for t in 0..3 {
        assert!(foot[t] <= straight[t]);
        assert_eq!(lost[t], straight[t] - foot[t], "tier {t}");
    }
    assert!(lost[0] > 100, "{lost:?}");
    // The groups partition the lost homes of each tier; each is farther on foot.
    let groups = w["lost"].as_array().unwrap();
    let tiers = ["street_green", "leisure", "park"];
    for (t, name) in tiers.iter().enumerate() {
        let n: u64 = groups
            .iter()
            .filter(|g| g["tier"] == *name)
            .map(|g| g["points"].as_u64().unwrap())
            .sum();
        assert_eq!(n, lost[t], "{name}");
    }
    for g in groups {
        let s = g["straight_m"].as_f64().unwrap();
        if let Some(d) = g["walk_m"].as_f64() {
            assert!(d > s - 0.01, "{g}");
        }
        if let Some(x) = g["detour"].as_f64() {
            assert!(x >= 1.0 - 1e-9, "{g}");
        }
    }

    // The per-point file is check --metric walk's, byte for byte.
    let csv = dir.path().join("check.csv");
    let mut args = vec!["check", "--quiet"];
    args.extend(common::LI_HOMES);
    args.extend([
        "--metric",
        "walk",
        "--network",
        NETWORK,
        "--out",
        csv.to_str().unwrap(),
    ]);
    let o = greenreach(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        std::fs::read_to_string(dir.path().join("walk/points.csv")).unwrap()
    );

    // The page and the map show the section and mark the lost homes.
    let html = std::fs::read_to_string(dir.path().join("walk/index.html")).unwrap();
    assert!(html.contains(r#"id="lost-table""#) && html.contains(r#"id="walk-zones""#));
    let svg = std::fs::read_to_string(dir.path().join("walk/map.svg")).unwrap();
    let rings = svg
        .split(r#"<g id="lost""#)
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap()
        .matches("<circle")
        .count();
    assert!(rings as u64 >= lost[0], "{rings} rings, {lost:?}");
}

#[test]
fn the_chinese_walking_page_and_a_plan_on_foot() {
    let dir = tempfile::tempdir().unwrap();
    let walk = ["--metric", "walk", "--network", NETWORK];
    report(&dir.path().join("zh"), &walk);
    let html = std::fs::read_to_string(dir.path().join("zh/index.html")).unwrap();
    assert!(html.contains("因阻隔不可达的住宅") && html.contains("步行距离与直线距离"));
    // A plan is measured in a straight line by report: on foot it is check's job.
    let plan = common::site_plan(dir.path(), "2");
    let mut args = vec!["report", "--quiet", "--out"];
    let out = dir.path().join("plan");
    args.push(out.to_str().unwrap());
    args.extend_from_slice(&walk);
    args.extend_from_slice(&["--proposed", plan.to_str().unwrap()]);
    let o = greenreach(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("check --proposed --metric walk"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
