//! Property-based fuzzing (bounded, runs in CI): arbitrary JSON and hostile FeatureCollections
//! through the pipeline the CLI runs (`run_check` on files, with a per-point GeoJSON file).
//! Whatever the input, greenreach returns a result or an error, never panics, and the written
//! file agrees with the summary. The unbounded, coverage-guided counterpart is `fuzz/`.

use greenreach::progress::Silent;
use greenreach::standard::presets;
use greenreach::{CheckConfig, DemandSource, run_check};
use proptest::prelude::*;
use serde_json::{Value, json};

const HOMES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[26.94,60.53]}},
 {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[26.96,60.52]}}]}"#;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        "[a-zA-Z_ ]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "FeatureCollection",
            "Feature",
            "Point",
            "Polygon",
            "MultiPolygon",
            "LineString",
            "park",
            "leisure=park"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "type",
                    "features",
                    "geometry",
                    "coordinates",
                    "properties",
                    "id",
                    "category",
                    "leisure",
                    "crs",
                    "geometries"
                ]),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

fn coord() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (26.9..27.0f64, 60.5..60.6f64).prop_map(|(x, y)| json!([x, y])),
        1 => (-180.0..=180.0f64, -90.0..=90.0f64).prop_map(|(x, y)| json!([x, y])),
        1 => prop::sample::select(vec![json!([180.0, 90.0]), json!([-180.0, -90.0]), json!([0.0, 0.0]), json!([26.94]), json!([]), json!([26.94, 60.53, 1.0, 2.0, 3.0]), json!([1e300, 60.5]), json!(["x", 1])]),
    ]
}

fn ring() -> impl Strategy<Value = Value> {
    prop::collection::vec(coord(), 0..9).prop_map(|mut r| {
        if let (Some(first), true) = (r.first().cloned(), r.len() > 2) {
            r.push(first);
        }
        Value::Array(r)
    })
}

fn geometry() -> impl Strategy<Value = Value> {
    prop_oneof![
        coord().prop_map(|c| json!({"type": "Point", "coordinates": c})),
        prop::collection::vec(coord(), 0..5)
            .prop_map(|c| json!({"type": "MultiPoint", "coordinates": c})),
        prop::collection::vec(coord(), 0..6)
            .prop_map(|c| json!({"type": "LineString", "coordinates": c})),
        prop::collection::vec(ring(), 0..3)
            .prop_map(|r| json!({"type": "Polygon", "coordinates": r})),
        prop::collection::vec(prop::collection::vec(ring(), 0..3), 0..3)
            .prop_map(|p| json!({"type": "MultiPolygon", "coordinates": p})),
        Just(Value::Null),
    ]
}

fn feature_collection() -> impl Strategy<Value = Value> {
    let props = prop_oneof![
        Just(json!({"category": "park"})),
        Just(json!({"category": "street_green", "name": "a,\"b\""})),
        Just(json!({"category": "公园"})),
        Just(json!({"category": "lawn"})),
        Just(json!({"leisure": "park"})),
        Just(json!({"leisure": "playground", "access": "private"})),
        Just(json!({"natural": "tree_row"})),
        Just(json!(null)),
    ];
    prop::collection::vec((geometry(), props), 0..8).prop_map(|fs| {
        let features: Vec<Value> = fs
            .into_iter()
            .enumerate()
            .map(|(i, (g, p))| json!({"type": "Feature", "id": i, "properties": p, "geometry": g}))
            .collect();
        json!({"type": "FeatureCollection", "features": features})
    })
}

/// Run `check` on the two layers under two standards; when it succeeds, the per-point file
/// must hold one feature per point read (evaluated ones `ok`, the others skipped with their
/// reason), agree with the summary's counts, and have flags that agree with the distances.
fn counts_add_up(green: &[u8], points: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let (g, p, out) = (
        dir.path().join("green.geojson"),
        dir.path().join("points.geojson"),
        dir.path().join("out.geojson"),
    );
    std::fs::write(&g, green).unwrap();
    std::fs::write(&p, points).unwrap();
    for standard in [presets::jiangbei(), presets::gbt51346()] {
        let mut cfg = CheckConfig::new(vec![g.clone()], DemandSource::Points(p.clone()));
        cfg.standard = standard.clone();
        cfg.out = Some(out.clone());
        cfg.threads = Some(1);
        let _ = std::fs::remove_file(&out);
        let Ok(run) = run_check(&cfg, &Silent) else {
            prop_assert!(!out.exists(), "a failed run leaves no file");
            continue;
        };
        let summary = &run.summary;
        let file: Value = serde_json::from_slice(&std::fs::read(&out).unwrap())
            .map_err(|e| TestCaseError::fail(format!("output is not JSON: {e}")))?;
        let features = file["features"].as_array().unwrap();
        let ok: Vec<&Value> = features
            .iter()
            .map(|f| &f["properties"])
            .filter(|p| p["status"] == "ok")
            .collect();
        let skipped = features.len() - ok.len();
        prop_assert_eq!(ok.len(), summary.points_evaluated);
        prop_assert_eq!(skipped, summary.points_skipped.values().sum::<usize>());
        for (t, tier) in standard.tiers.iter().enumerate() {
            let within = ok
                .iter()
                .filter(|p| p[format!("{}_ok", tier.name)] == true)
                .count();
            prop_assert_eq!(within, summary.tiers[t].within, "tier {}", tier.name);
            for p in &ok {
                let d = &p[format!("{}_m", tier.name)];
                let flag = p[format!("{}_ok", tier.name)] == true;
                match d.as_f64() {
                    Some(d) => {
                        prop_assert!(d >= 0.0, "{}", d);
                        prop_assert!(
                            !flag || d <= tier.max_radius() + 0.01,
                            "{} ok at {} m",
                            tier.name,
                            d
                        );
                    }
                    None => prop_assert!(d.is_null() && !flag, "{}", p),
                }
            }
        }
        let all = ok.iter().filter(|p| p["all_ok"] == true).count();
        prop_assert_eq!(all, summary.all_within);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_json_never_panics(v in any_json()) {
        let bytes = serde_json::to_vec(&v).unwrap();
        counts_add_up(&bytes, HOMES.as_bytes())?;
        counts_add_up(HOMES.as_bytes(), &bytes)?;
    }

    #[test]
    fn hostile_feature_collections_never_panic(green in feature_collection(), points in feature_collection()) {
        counts_add_up(green.to_string().as_bytes(), points.to_string().as_bytes())?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        counts_add_up(&bytes, HOMES.as_bytes())?;
    }
}
