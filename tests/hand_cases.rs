//! Hand-made cases with known answers: inside, in a hole, on the boundary, exactly at the
//! radius, 1 m beyond it, a multipolygon whose nearest part is not the first, nested tiers.

use std::path::{Path, PathBuf};

use geo::{Coord, Geometry, coord, polygon};
use greenreach::crs::PlaneScale;
use greenreach::engine::index::TierIndex;
use greenreach::engine::reach::{Reach, StraightLine};
use greenreach::progress::Silent;
use greenreach::{CheckConfig, DemandSource, run_check};
use serde_json::json;

fn square(x0: f64, y0: f64, side: f64) -> geo::Polygon<f64> {
    polygon![(x: x0, y: y0), (x: x0 + side, y: y0), (x: x0 + side, y: y0 + side), (x: x0, y: y0 + side), (x: x0, y: y0)]
}

fn reach_over(features: &[Geometry<f64>], radius: f64) -> StraightLine {
    let idx = TierIndex::build(features.iter().enumerate().map(|(i, g)| (i as u32, g)));
    StraightLine::single_radius(vec![(radius, idx)], PlaneScale::unit())
}

/// Distance, flag and feature for `p` against `features` with a single radius.
fn dist(features: &[Geometry<f64>], p: Coord, radius: f64) -> (f64, bool, u32) {
    let r = reach_over(features, radius);
    let a = r.assess(0, p, 5000.0);
    assert_eq!(r.within(0, p), a.ok, "within and assess agree");
    let h = a.nearest.unwrap();
    (h.distance_m, a.ok, h.feature)
}

#[test]
fn inside_hole_boundary_radius() {
    let park = Geometry::Polygon(geo::Polygon::new(
        square(0.0, 0.0, 1000.0).exterior().clone(),
        vec![square(400.0, 400.0, 200.0).exterior().clone()],
    ));
    let r = [park];
    assert_eq!(
        dist(&r, coord! { x: 100., y: 100. }, 300.0),
        (0.0, true, 0),
        "inside"
    );
    assert_eq!(
        dist(&r, coord! { x: 500., y: 500. }, 300.0),
        (100.0, true, 0),
        "hole centre"
    );
    assert_eq!(
        dist(&r, coord! { x: 500., y: 500. }, 99.0),
        (100.0, false, 0),
        "hole, small radius"
    );
    assert_eq!(
        dist(&r, coord! { x: 1000., y: 300. }, 0.0),
        (0.0, true, 0),
        "on the boundary"
    );
    assert_eq!(
        dist(&r, coord! { x: 1300., y: 500. }, 300.0),
        (300.0, true, 0),
        "exactly at the radius"
    );
    assert_eq!(
        dist(&r, coord! { x: 1301., y: 500. }, 300.0),
        (301.0, false, 0),
        "1 m beyond"
    );
    // Corner: distance to the vertex, not to the extended edge.
    let (d, _, _) = dist(&r, coord! { x: 1300., y: 1400. }, 300.0);
    assert!((d - 500.0).abs() < 1e-9, "{d}");
}

#[test]
fn multipolygon_nearest_part_is_not_the_first() {
    let mp = Geometry::MultiPolygon(geo::MultiPolygon(vec![
        square(0.0, 0.0, 100.0),
        square(5000.0, 0.0, 100.0),
    ]));
    let other = Geometry::Polygon(square(2400.0, 0.0, 100.0));
    let r = [other, mp];
    let (d, ok, f) = dist(&r, coord! { x: 4800., y: 50. }, 300.0);
    assert_eq!((d, ok, f), (200.0, true, 1));
    // Inside the second part.
    assert_eq!(dist(&r, coord! { x: 5050., y: 50. }, 300.0), (0.0, true, 1));
}

/// Write a FeatureCollection of `features` (already JSON) to `dir/name`.
fn write_fc(dir: &Path, name: &str, features: Vec<serde_json::Value>) -> PathBuf {
    let path = dir.join(name);
    let fc = json!({"type": "FeatureCollection", "features": features});
    std::fs::write(&path, fc.to_string()).unwrap();
    path
}

/// A square of `side` metres whose west edge is `east` metres east of (lon0, lat0), centred
/// on that latitude, built on a plane centred at (lon0, lat0).
fn lonlat_square(lon0: f64, lat0: f64, east: f64, side: f64) -> serde_json::Value {
    let plane = greenreach::crs::LocalPlane::at(lon0, lat0).unwrap();
    let c = |x: f64, y: f64| {
        let p = plane.inverse(coord! { x: x, y: y }).unwrap();
        json!([p.x, p.y])
    };
    let (x0, x1, y0, y1) = (east, east + side, -side / 2.0, side / 2.0);
    json!({"type": "Polygon", "coordinates": [[c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]]})
}

#[test]
fn tiers_nest_through_the_whole_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let (lon0, lat0) = (106.55, 29.57);
    // Home A: a park 200 m east. Home B (far west): only a leisure space 200 m east of it.
    // Home C: a park 1500 m east: meets park only.
    let feature = |cat: &str, geom: serde_json::Value, name: &str| json!({"type": "Feature", "properties": {"category": cat, "name": name}, "geometry": geom});
    let green = write_fc(
        dir.path(),
        "green.geojson",
        vec![
            feature("park", lonlat_square(lon0, lat0, 200.0, 300.0), "A park"),
            feature(
                "leisure",
                lonlat_square(lon0 - 0.2, lat0, 200.0, 50.0),
                "B leisure",
            ),
            feature(
                "park",
                lonlat_square(lon0 + 0.2, lat0, 1500.0, 300.0),
                "C park",
            ),
        ],
    );
    let pt = |lon: f64, id: &str| json!({"type": "Feature", "id": id, "properties": {}, "geometry": {"type": "Point", "coordinates": [lon, lat0]}});
    let homes = write_fc(
        dir.path(),
        "homes.geojson",
        vec![pt(lon0, "A"), pt(lon0 - 0.2, "B"), pt(lon0 + 0.2, "C")],
    );
    let mut cfg = CheckConfig::new(vec![green], DemandSource::Points(homes));
    cfg.out = Some(dir.path().join("out.csv"));
    let run = run_check(&cfg, &Silent).unwrap();
    let flags = |t: usize| run.coverage.tiers[t].ok.clone();
    assert_eq!(flags(0), vec![true, true, false], "street_green");
    assert_eq!(flags(1), vec![true, true, false], "leisure");
    assert_eq!(flags(2), vec![true, false, true], "park");
    assert_eq!(run.coverage.all_ok, vec![true, false, false]);
    for (t, want) in [(0, 200.0), (1, 200.0), (2, 200.0)] {
        let d = run.coverage.tiers[t].distance_m[0];
        assert!((d - want).abs() < 0.01, "tier {t}: {d}");
    }
    let d = run.coverage.tiers[2].distance_m[2];
    assert!((d - 1500.0).abs() < 0.02, "{d}");
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[1].starts_with("A,106.5500000,29.5700000,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",true,A park,"), "{}", lines[1]);
    assert!(
        lines[2].contains(",true,B leisure,") && lines[2].ends_with(",false,ok"),
        "{}",
        lines[2]
    );
    assert!(lines[3].contains(",true,C park,false"), "{}", lines[3]);
}

/// Tier names are data: quotes and backslashes in them still give valid GeoJSON keys.
#[test]
fn tier_names_are_escaped_in_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let (lon0, lat0) = (106.5, 29.5);
    let green = write_fc(
        dir.path(),
        "green.geojson",
        vec![
            json!({"type": "Feature", "properties": {"leisure": "park"}, "geometry": lonlat_square(lon0, lat0, 100.0, 300.0)}),
        ],
    );
    let pt = json!({"type": "Feature", "id": "A", "properties": {}, "geometry": {"type": "Point", "coordinates": [lon0, lat0]}});
    let homes = write_fc(dir.path(), "homes.geojson", vec![pt]);
    let mut cfg = CheckConfig::new(vec![green], DemandSource::Points(homes));
    cfg.standard.tiers[0].name = "a\\b\"c".into();
    let out = dir.path().join("out.geojson");
    cfg.out = Some(out.clone());
    run_check(&cfg, &Silent).unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).expect("valid JSON");
    let props = &v["features"][0]["properties"];
    assert!(props["a\\b\"c_m"].is_number(), "{props}");
    assert_eq!(props["a\\b\"c_ok"], json!(true));
    assert!(props["a\\b\"c_nearest"].is_string());
}
