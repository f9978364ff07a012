//! The same data in WGS84, CGCS2000 Gauss-Krüger (both zone conventions, one with northing
//! first), UTM, GCJ-02 and BD-09 gives the same flags and distances within 0.05 m.

use std::path::{Path, PathBuf};

use geo::{Coord, coord};
use greenreach::crs::{LocalPlane, SourceCrs, china};
use greenreach::io::load::CrsOptions;
use greenreach::progress::Silent;
use greenreach::run::check::CheckRun;
use greenreach::{CheckConfig, DemandSource, run_check};
use proj4rs::proj::Proj;
use serde_json::{Value, json};

/// A polygon's rings and its category.
type Green = (Vec<Vec<Coord>>, &'static str);

/// Green polygons (metres on a plane at Chongqing) and a grid of homes, in WGS84.
fn scene() -> (Vec<Green>, Vec<Coord>) {
    let plane = LocalPlane::at(106.55, 29.57).unwrap();
    let ll = |x: f64, y: f64| plane.inverse(coord! { x: x, y: y }).unwrap();
    let square = |x0: f64, y0: f64, s: f64| {
        vec![
            ll(x0, y0),
            ll(x0 + s, y0),
            ll(x0 + s, y0 + s),
            ll(x0, y0 + s),
            ll(x0, y0),
        ]
    };
    let green = vec![
        (vec![square(-300.0, -200.0, 150.0)], "street_green"),
        (vec![square(600.0, 400.0, 80.0)], "street_green"),
        (vec![square(-900.0, 700.0, 250.0)], "leisure"),
        // A park with a hole.
        (
            vec![
                square(200.0, -1200.0, 900.0),
                square(500.0, -900.0, 300.0).into_iter().rev().collect(),
            ],
            "park",
        ),
    ];
    let homes = (0..15)
        .flat_map(|j| (0..15).map(move |i| (i, j)))
        .map(|(i, j)| ll(-3100.0 + 397.0 * i as f64, -3500.0 + 409.0 * j as f64))
        .collect();
    (green, homes)
}

fn write(
    dir: &Path,
    name: &str,
    crs_member: Option<&str>,
    green: bool,
    f: &dyn Fn(Coord) -> [f64; 2],
) -> PathBuf {
    let (g, homes) = scene();
    let features: Vec<Value> = if green {
        g.iter()
            .map(|(rings, cat)| {
                let rings: Vec<Vec<[f64; 2]>> = rings.iter().map(|r| r.iter().map(|&c| f(c)).collect()).collect();
                json!({"type": "Feature", "properties": {"category": cat}, "geometry": {"type": "Polygon", "coordinates": rings}})
            })
            .collect()
    } else {
        homes
            .iter()
            .map(|&c| json!({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": f(c)}}))
            .collect()
    };
    let mut fc = json!({"type": "FeatureCollection", "features": features});
    if let Some(m) = crs_member {
        fc["crs"] = json!({"type": "name", "properties": {"name": m}});
    }
    let path = dir.join(name);
    std::fs::write(&path, fc.to_string()).unwrap();
    path
}

fn projector(proj: &str) -> impl Fn(Coord) -> [f64; 2] + use<> {
    let src = Proj::from_proj_string("+proj=longlat +ellps=WGS84 +no_defs").unwrap();
    let dst = Proj::from_proj_string(proj).unwrap();
    move |c: Coord| {
        let mut p = (c.x.to_radians(), c.y.to_radians(), 0.0);
        proj4rs::transform::transform(&src, &dst, &mut p).unwrap();
        [p.0, p.1]
    }
}

fn run(green: PathBuf, homes: PathBuf, crs: Option<&str>, swap_xy: bool) -> CheckRun {
    let mut cfg = CheckConfig::new(vec![green], DemandSource::Points(homes));
    cfg.out = Some(std::env::temp_dir().join(format!("greenreach-crs-{}.csv", std::process::id())));
    cfg.crs = CrsOptions {
        all: crs.map(|c| c.parse::<SourceCrs>().unwrap()),
        swap_xy,
        allow_far: false,
    };
    let r = run_check(&cfg, &Silent).unwrap();
    let _ = std::fs::remove_file(cfg.out.unwrap());
    r
}

fn assert_same(a: &CheckRun, b: &CheckRun, what: &str) {
    for (t, (ca, cb)) in a.coverage.tiers.iter().zip(&b.coverage.tiers).enumerate() {
        assert_eq!(ca.ok, cb.ok, "{what}: tier {t} flags");
        for (i, (da, db)) in ca.distance_m.iter().zip(&cb.distance_m).enumerate() {
            assert!(
                (da - db).abs() <= 0.05,
                "{what}: tier {t} point {i}: {da} vs {db}"
            );
        }
    }
}

#[test]
fn same_answers_in_every_crs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let wgs = |c: Coord| [c.x, c.y];
    let base = run(
        write(d, "g.geojson", None, true, &wgs),
        write(d, "h.geojson", None, false, &wgs),
        None,
        false,
    );
    for t in &base.coverage.tiers {
        assert!(
            t.ok.contains(&true) && t.ok.contains(&false),
            "every tier has both outcomes"
        );
    }

    // CGCS2000 3-degree Gauss-Krüger, CM 105E, given by flag.
    let gk = projector(
        &SourceCrs::from_epsg(4544)
            .map(|c| match c {
                SourceCrs::Projected { proj, .. } => proj,
                _ => unreachable!(),
            })
            .unwrap(),
    );
    let r = run(
        write(d, "g4544.geojson", None, true, &gk),
        write(d, "h4544.geojson", None, false, &gk),
        Some("EPSG:4544"),
        false,
    );
    assert_same(&base, &r, "EPSG:4544");

    // Zone-prefixed Gauss-Krüger (zone 35), northing first, read with --swap-xy.
    let gk35 = projector(
        "+proj=tmerc +lat_0=0 +lon_0=105 +k=1 +x_0=35500000 +y_0=0 +ellps=GRS80 +units=m",
    );
    let swapped = |c: Coord| {
        let [x, y] = gk35(c);
        [y, x]
    };
    let (g, h) = (
        write(d, "g4523.geojson", None, true, &swapped),
        write(d, "h4523.geojson", None, false, &swapped),
    );
    let mut cfg = CheckConfig::new(vec![g.clone()], DemandSource::Points(h.clone()));
    cfg.crs.all = Some("EPSG:4523".parse().unwrap());
    let e = run_check(&cfg, &Silent).unwrap_err().to_string();
    assert!(e.contains("--swap-xy"), "{e}");
    assert_same(
        &base,
        &run(g, h, Some("EPSG:4523"), true),
        "EPSG:4523 northing first",
    );

    // UTM 48N through the legacy crs member, no flag.
    let utm = projector("+proj=utm +zone=48 +datum=WGS84 +units=m");
    let m = Some("urn:ogc:def:crs:EPSG::32648");
    assert_same(
        &base,
        &run(
            write(d, "gu.geojson", m, true, &utm),
            write(d, "hu.geojson", m, false, &utm),
            None,
            false,
        ),
        "UTM member",
    );

    // GCJ-02 and BD-09, converted by the iterative inverse.
    let gcj = |c: Coord| {
        let (x, y) = china::wgs84_to_gcj02(c.x, c.y);
        [x, y]
    };
    assert_same(
        &base,
        &run(
            write(d, "gg.geojson", None, true, &gcj),
            write(d, "hg.geojson", None, false, &gcj),
            Some("gcj02"),
            false,
        ),
        "GCJ-02",
    );
    let bd = |c: Coord| {
        let (x, y) = china::wgs84_to_gcj02(c.x, c.y);
        let (x, y) = china::gcj02_to_bd09(x, y);
        [x, y]
    };
    assert_same(
        &base,
        &run(
            write(d, "gb.geojson", None, true, &bd),
            write(d, "hb.geojson", None, false, &bd),
            Some("bd09"),
            false,
        ),
        "BD-09",
    );

    // Read as WGS84 by mistake, GCJ-02 homes move 300–500 m and the answers change.
    let wrong = run(
        write(d, "g2.geojson", None, true, &wgs),
        write(d, "h2.geojson", None, false, &gcj),
        None,
        false,
    );
    assert_ne!(wrong.coverage.tiers[0].ok, base.coverage.tiers[0].ok);
}

#[test]
fn mixed_datums_warn_and_far_apart_layers_stop() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let wgs = |c: Coord| [c.x, c.y];
    let gcj = |c: Coord| {
        let (x, y) = china::wgs84_to_gcj02(c.x, c.y);
        [x, y]
    };
    let mut cfg = CheckConfig::new(
        vec![write(d, "g.geojson", None, true, &gcj)],
        DemandSource::Points(write(d, "h.geojson", None, false, &wgs)),
    );
    cfg.green_crs = Some(SourceCrs::Gcj02);
    let r = run_check(&cfg, &Silent).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("is GCJ-02 but") && w.contains("h.geojson is read as WGS84")),
        "{:?}",
        r.warnings
    );
    cfg.strict = true;
    assert!(
        run_check(&cfg, &Silent).is_err(),
        "--strict makes it an error"
    );

    // A layer far from the others is an error, a warning with allow_far.
    let far = |c: Coord| [c.x - 97.0, c.y + 17.5];
    let mut cfg = CheckConfig::new(
        vec![write(d, "g3.geojson", None, true, &wgs)],
        DemandSource::Points(write(d, "h3.geojson", None, false, &far)),
    );
    let e = run_check(&cfg, &Silent).unwrap_err().to_string();
    assert!(e.contains("--allow-far-layers"), "{e}");
    cfg.crs.allow_far = true;
    let r = run_check(&cfg, &Silent).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("are both in the same CRS?")),
        "{:?}",
        r.warnings
    );
}
