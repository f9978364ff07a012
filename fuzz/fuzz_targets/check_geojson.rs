//! Arbitrary bytes through the pipeline the CLI runs (`run_check` on files, per-point GeoJSON
//! written). Input: the green layer, then optionally a 0 byte and the points layer (else a
//! fixed two-point layer). `tests/fuzz_json.rs` checks the written file in depth.
#![no_main]

use greenreach::progress::Silent;
use greenreach::standard::presets;
use greenreach::{CheckConfig, DemandSource, run_check};
use libfuzzer_sys::fuzz_target;

const HOMES: &[u8] = br#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[26.94,60.53]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[26.96,60.52]}}]}"#;

fuzz_target!(|data: &[u8]| {
    let (green, points) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, HOMES),
    };
    let dir = tempfile::tempdir().unwrap();
    let (g, p) = (dir.path().join("green.geojson"), dir.path().join("points.geojson"));
    std::fs::write(&g, green).unwrap();
    std::fs::write(&p, points).unwrap();
    for standard in [presets::jiangbei(), presets::gbt51346()] {
        let out = dir.path().join(format!("{}.geojson", standard.name));
        let mut cfg = CheckConfig::new(vec![g.clone()], DemandSource::Points(p.clone()));
        cfg.standard = standard;
        cfg.out = Some(out.clone());
        if let Ok(run) = run_check(&cfg, &Silent) {
            let file: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&out).unwrap()).expect("output is JSON");
            let skipped: usize = run.summary.points_skipped.values().sum();
            assert_eq!(
                file["features"].as_array().unwrap().len(),
                run.summary.points_evaluated + skipped
            );
        } else {
            assert!(!out.exists(), "a failed run leaves no file");
        }
    }
});
