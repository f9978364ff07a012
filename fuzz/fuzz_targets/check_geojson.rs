//! Arbitrary bytes through the GeoJSON reader, classification and evaluation. Input: the green
//! layer, then optionally a 0 byte and the points layer (else a fixed two-point layer).
#![no_main]

use greenreach::run::check::check_geojson;
use greenreach::standard::presets;
use libfuzzer_sys::fuzz_target;

const HOMES: &[u8] = br#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[26.94,60.53]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[26.96,60.52]}}]}"#;

fuzz_target!(|data: &[u8]| {
    let (green, points) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, HOMES),
    };
    for standard in [presets::jiangbei(), presets::gbt51346()] {
        if let Ok((summary, coverage)) = check_geojson(green, points, &standard) {
            let skipped: usize = summary.points_skipped.values().sum();
            assert_eq!(summary.points_evaluated + skipped, summary.points_read);
            assert_eq!(coverage.len(), summary.points_evaluated);
        }
    }
});
