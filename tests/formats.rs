//! The same scene in every input format (`tests/formats/scene/`, made by
//! `tests/formats/make_fixtures.py`) gives the same flags and distances within 0.05 m; broken
//! inputs per format give a clear error naming the file (exit 2); every reader survives random
//! and mutated bytes.

use std::path::Path;

mod common;
use common::greenreach;

use greenreach::io::input::ReadOptions;
use greenreach::io::source;
use proptest::prelude::*;

const SCENE: &str = "tests/formats/scene";

/// Rows of the per-point CSV: id, then every `_ok` flag and `_m` distance.
fn run(green: &str, points: &str, extra: &[&str]) -> Vec<(String, Vec<String>, Vec<f64>)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let g = format!("{SCENE}/{green}");
    let p = format!("{SCENE}/{points}");
    let mut args = vec!["check", "--green", &g, "--points", &p, "-q", "--out"];
    let o = out.to_str().unwrap();
    args.push(o);
    args.extend_from_slice(extra);
    let r = greenreach(&args);
    assert!(
        r.status.success(),
        "{green} + {points}: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let flags = head
                .iter()
                .zip(&c)
                .filter(|(h, _)| h.ends_with("_ok") || **h == "status")
                .map(|(_, v)| v.to_string())
                .collect();
            let dist = head
                .iter()
                .zip(&c)
                .filter(|(h, _)| h.ends_with("_m"))
                .map(|(_, v)| v.parse().unwrap())
                .collect();
            (c[0].to_string(), flags, dist)
        })
        .collect()
}

#[test]
fn every_format_gives_the_same_answers() {
    let reference = run("green.geojson", "points.geojson", &[]);
    assert_eq!(reference.len(), 40);
    let oks: usize = reference
        .iter()
        .map(|r| r.1.iter().filter(|f| *f == "true").count())
        .sum();
    assert!(oks > 10 && oks < 120, "the scene mixes passes and failures");
    let cases: &[(&str, &str, &[&str])] = &[
        ("green_wgs84.shp", "points_wgs84.shp", &[]),
        ("green_gk.shp", "points_gk.shp", &[]),
        ("green_gbk_nocpg.shp", "points_gbk_nocpg.shp", &[]),
        ("green_utf8_nocpg.shp", "points.csv", &[]),
        ("scene.gpkg:green", "scene.gpkg:points", &[]),
        ("green_gk.gpkg", "points.fgb", &[]),
        ("green.fgb", "points.fgb", &[]),
        ("green_wkt_gbk.csv", "points.csv", &[]),
        ("green_gk.shp", "points_wgs84.shp", &["--encoding", "gbk"]),
    ];
    assert_same(&reference, cases);
}

/// Every case's rows equal `reference`'s: ids, flags, distances within 0.05 m.
fn assert_same(reference: &[(String, Vec<String>, Vec<f64>)], cases: &[(&str, &str, &[&str])]) {
    for (g, p, extra) in cases {
        let got = run(g, p, extra);
        assert_eq!(got.len(), reference.len(), "{g} + {p}");
        for (a, b) in got.iter().zip(reference) {
            assert_eq!(a.0, b.0, "{g} + {p}: ids");
            assert_eq!(a.1, b.1, "{g} + {p}: flags of {}", a.0);
            for (x, y) in a.2.iter().zip(&b.2) {
                assert!(
                    (x - y).abs() <= 0.05,
                    "{g} + {p}: {} distance {x} vs {y}",
                    a.0
                );
            }
        }
    }
}

/// GeoParquet (WGS84 and CGCS2000 GK with PROJJSON, several row groups, snappy and zstd) and
/// plain Parquet with 经度/纬度 columns give the reference answers; broken files exit 2.
#[cfg(feature = "geoparquet")]
#[test]
fn geoparquet_gives_the_same_answers() {
    let reference = run("green.geojson", "points.geojson", &[]);
    assert_same(
        &reference,
        &[
            ("green.parquet", "points.parquet", &[]),
            ("green_gk.parquet", "points_lonlat.parquet", &[]),
            ("green_gk.parquet", "points_gk.shp", &[]),
        ],
    );
    let gk = read("green_gk.parquet");
    assert_eq!(gk.declared_crs.unwrap().unwrap().to_string(), "EPSG:4547");
    let p = &gk.features[0].properties;
    assert_eq!(p["名称"], "中山公园", "{p:?}");
    assert_eq!(p["用地代码"], "G11", "{p:?}");
    assert!(read("points_lonlat.parquet").notes[0].contains("经度 and 纬度"));
    for (file, want) in [
        ("truncated.parquet", "is not a readable Parquet file"),
        (
            "no_coords.parquet",
            "has no GeoParquet metadata and no coordinate columns",
        ),
        (
            "geoarrow.parquet",
            "its geometry column geometry is encoded as polygon",
        ),
    ] {
        let path = format!("tests/formats/bad/{file}");
        let r = greenreach(&[
            "check",
            "--green",
            &path,
            "--points",
            "tests/formats/scene/points.csv",
            "-q",
        ]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(&format!("{file}: {want}")), "{file}: {err}");
    }
}

/// Without the feature, a Parquet input or output is refused up front, saying how to get it.
#[cfg(not(feature = "geoparquet"))]
#[test]
fn parquet_needs_the_feature() {
    let r = greenreach(&[
        "check",
        "--green",
        "tests/formats/scene/green.parquet",
        "--points",
        "tests/formats/scene/points.csv",
        "-q",
    ]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(
        err.contains("green.parquet: is (Geo)Parquet") && err.contains("--features geoparquet"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.parquet");
    let r = greenreach(&[
        "check",
        "--green",
        "tests/formats/scene/green.geojson",
        "--points",
        "tests/formats/scene/points.csv",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--features geoparquet") && !out.exists(),
        "{err}"
    );
}

fn read(path: &str) -> greenreach::io::input::Layer {
    source::read(
        Path::new(&format!("{SCENE}/{path}")),
        &ReadOptions::default(),
    )
    .unwrap()
}

#[test]
fn chinese_attributes_and_crs_from_the_file() {
    for f in [
        "green_wgs84.shp",
        "green_gk.shp",
        "green_gbk_nocpg.shp",
        "green_utf8_nocpg.shp",
        "green_wkt_gbk.csv",
        "green.fgb",
        "green_gk.gpkg",
    ] {
        let l = read(f);
        let p = &l.features[0].properties;
        assert_eq!(p["名称"], "中山公园", "{f}: {p:?}");
        assert!(
            p.get("用地代码")
                .or(p.get("用地代"))
                .is_some_and(|v| v == "G11"),
            "{f}: {p:?}"
        );
    }
    let gk = read("green_gk.shp");
    let crs = gk.declared_crs.unwrap().unwrap();
    assert_eq!(crs.to_string(), "CGCS2000_3_Degree_GK_CM_114E");
    assert!(gk.notes.iter().any(|n| n.contains("GBK")), "{:?}", gk.notes);
    let nocpg = read("green_gbk_nocpg.shp");
    assert!(
        nocpg.notes.iter().any(|n| n.contains("assumed GBK")),
        "{:?}",
        nocpg.notes
    );
    assert_eq!(
        read("green_gk.gpkg")
            .declared_crs
            .unwrap()
            .unwrap()
            .to_string(),
        "EPSG:4547"
    );
}

#[test]
fn broken_inputs_name_the_file_and_exit_2() {
    let cases = [
        (
            "tests/formats/bad/truncated.shp",
            "truncated.shp: feature 11 (id s6): record 12 lies beyond the end of the .shp file",
        ),
        ("tests/formats/bad/no_dbf.shp", "no_dbf.dbf is missing"),
        ("tests/formats/bad/no_shx.shp", "no_shx.shx is missing"),
        ("tests/formats/bad/bad_prj.shp", "bad_prj.prj is not WKT"),
        (
            "tests/formats/bad/no_coords.csv",
            "has no coordinate columns",
        ),
        (
            "tests/formats/bad/bad_number.csv",
            "bad_number.csv: feature 1 (id b): (line 3) lat \"north\" is not a number",
        ),
        (
            "tests/formats/scene/scene.gpkg",
            "holds 2 feature layers (green, points); choose one with --layer NAME",
        ),
        (
            "tests/formats/scene/scene.gpkg:parks",
            "has no feature layer \"parks\"; its layers are: green, points",
        ),
    ];
    for (green, want) in cases {
        let r = greenreach(&[
            "check",
            "--green",
            green,
            "--points",
            "tests/formats/scene/points.csv",
            "--summary-only",
            "-q",
        ]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{green}: {err}");
        assert!(err.contains(want), "{green}: {err}");
        assert!(!err.contains("panicked"), "{green}: {err}");
    }
    // A flag overrides a .prj that cannot be read.
    let r = greenreach(&[
        "check",
        "--green",
        "tests/formats/bad/bad_prj.shp",
        "--green-crs",
        "wgs84",
        "--points",
        "tests/formats/scene/points.csv",
        "--summary-only",
        "-q",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

/// Copy the scene's `name.*` files into `dir`, with `mutate` applied to the `ext` file.
fn mutated(dir: &Path, name: &str, ext: &str, mutate: impl Fn(&mut Vec<u8>)) -> std::path::PathBuf {
    for e in ["shp", "shx", "dbf", "prj", "cpg"] {
        let src = Path::new(SCENE).join(format!("{name}.{e}"));
        if src.exists() {
            let mut b = std::fs::read(&src).unwrap();
            if e == ext {
                mutate(&mut b);
            }
            std::fs::write(dir.join(format!("{name}.{e}")), b).unwrap();
        }
    }
    dir.join(format!("{name}.shp"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn readers_survive_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600), ext in prop::sample::select(vec!["shp", "gpkg", "fgb", "csv", "geojson", "parquet"])) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(format!("x.{ext}"));
        std::fs::write(&p, &bytes).unwrap();
        let _ = source::read(&p, &ReadOptions::default());
    }

    #[test]
    fn shapefile_survives_mutations(ext in prop::sample::select(vec!["shp", "shx", "dbf", "prj", "cpg"]), at in 0usize..4000, byte in any::<u8>(), cut in 0usize..4000, points in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let name = if points { "points_gk" } else { "green_gk" };
        let p = mutated(dir.path(), name, ext, |b| {
            if !b.is_empty() {
                let i = at % b.len();
                b[i] = byte;
            }
            b.truncate(cut.max(1).min(b.len()));
        });
        let _ = source::read(&p, &ReadOptions::default());
    }

    #[test]
    fn containers_survive_mutations(file in prop::sample::select(vec!["green.fgb", "scene.gpkg", "green_wkt_gbk.csv", "green.parquet", "green_gk.parquet"]), flips in prop::collection::vec((0usize..200_000, any::<u8>()), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let mut b = std::fs::read(Path::new(SCENE).join(file)).unwrap();
        for (at, v) in flips {
            let i = at % b.len();
            b[i] = v;
        }
        let p = dir.path().join(file);
        std::fs::write(&p, b).unwrap();
        let mut o = ReadOptions::default();
        o.source.layer = Some("green".into());
        let _ = source::read(&p, &o);
    }
}

/// A 控规 land-use map in one GBK, CGCS2000 Gauss-Krüger Shapefile: green parcels by code
/// under the gb50137 preset, homes and residential land from the R parcels, end to end.
#[test]
fn land_use_map_end_to_end() {
    let layer = read("landuse_gk.shp");
    let residential = layer
        .features
        .iter()
        .filter(|f| f.properties["用地代码"].as_str().unwrap().starts_with('R'))
        .count();
    assert!(residential > 5);
    let dir = tempfile::tempdir().unwrap();
    let shp = format!("{SCENE}/landuse_gk.shp");
    let r = greenreach(&[
        "report",
        "--green",
        &shp,
        "--green-where",
        "用地代码=G1*",
        "--standard",
        "gb50137",
        "--residential",
        &shp,
        "--residential-where",
        "用地代码 in R1,R2,R3",
        "--land",
        &shp,
        "--land-where",
        "用地代码=R*",
        "--lang",
        "en",
        "-q",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let all_tiers = out.lines().find(|l| l.starts_with("| all tiers")).unwrap();
    assert!(all_tiers.contains(&format!("/{residential})")), "{out}");
    assert!(out.contains("residential land: "), "{out}");
    // Every R parcel is 280 m × 280 m = 7.84 ha.
    let ha: f64 = out
        .lines()
        .find_map(|l| l.strip_prefix("residential land: "))
        .and_then(|l| l.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!((ha - residential as f64 * 7.84).abs() < 0.5, "{ha} ha");
}
