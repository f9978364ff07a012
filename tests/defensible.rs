//! What a report says must hold up: censored shortfall percentiles, overlapping zones, the
//! land denominator, grades that belong to the standard, layers in the wrong CRS or with
//! swapped axes stopping the run, and the rules that decide what counts.

use std::path::{Path, PathBuf};

mod common;
use common::{greenreach, text};

use geo::coord;
use greenreach::crs::LocalPlane;
use serde_json::{Value, json};

/// Vaduz: lon/lat with the axes swapped is still within range there.
const CENTRE: (f64, f64) = (9.52, 47.14);

fn ll(x: f64, y: f64) -> [f64; 2] {
    let plane = LocalPlane::at(CENTRE.0, CENTRE.1).unwrap();
    let c = plane.inverse(coord! { x: x, y: y }).unwrap();
    [c.x, c.y]
}

fn square(x0: f64, y0: f64, s: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[ll(x0, y0), ll(x0 + s, y0), ll(x0 + s, y0 + s), ll(x0, y0 + s), ll(x0, y0)]]})
}

fn write_fc(dir: &Path, name: &str, features: Vec<Value>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    p
}

fn feature(props: Value, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": geometry})
}

fn point(x: f64, y: f64) -> Value {
    json!({"type": "Point", "coordinates": ll(x, y)})
}

/// One street-green square of 100 m at the origin; homes east of it at known distances from
/// its edge (x = 100 m).
fn scene(dir: &Path, distances: &[f64]) -> (PathBuf, PathBuf) {
    let green = write_fc(
        dir,
        "green.geojson",
        vec![feature(
            json!({"category": "street_green", "name": "Square"}),
            square(0.0, 0.0, 100.0),
        )],
    );
    let homes = write_fc(
        dir,
        "homes.geojson",
        distances
            .iter()
            .enumerate()
            .map(|(i, d)| feature(json!({"id": format!("h{i}")}), point(100.0 + d, 50.0)))
            .collect(),
    );
    (green, homes)
}

/// The summary row of `tier`, split on whitespace.
fn row(stdout: &str, tier: &str) -> Vec<String> {
    stdout
        .lines()
        .find(|l| l.starts_with(tier))
        .unwrap_or_else(|| panic!("no {tier} row in {stdout}"))
        .split_whitespace()
        .map(String::from)
        .collect()
}

#[test]
fn shortfall_percentiles_count_homes_beyond_the_search_limit() {
    let dir = tempfile::tempdir().unwrap();
    // street_green radius 300 m, search limit 2500 m. Failing homes fall short by 100, 200
    // and 400 m; two more have nothing within 2500 m (short by more than 2200 m).
    let (green, homes) = scene(dir.path(), &[50.0, 400.0, 500.0, 700.0, 2600.0, 3000.0]);
    let o = greenreach(&[
        "check",
        "--green",
        green.to_str().unwrap(),
        "--points",
        homes.to_str().unwrap(),
        "--max-distance",
        "2500",
        "--out",
        dir.path().join("o.csv").to_str().unwrap(),
        "-q",
    ]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}{}", out, text(&o.stderr));
    // 5 failing homes: ranks 3 (median), 4 (p75) and 5 (p90) of [100, 200, 400, >2200, >2200].
    let r = row(&out, "street_green");
    let tail = r[r.len() - 8..].join(" ");
    assert_eq!(tail, "400 m > 2200 m > 2200 m", "{out}");
    assert!(out.contains("counted in the shortfall percentiles as more than 2200 m"));

    // Only one home beyond the limit: the median is measured.
    let (green, homes) = scene(dir.path(), &[400.0, 500.0, 700.0, 3000.0]);
    let o = greenreach(&[
        "check",
        "--green",
        green.to_str().unwrap(),
        "--points",
        homes.to_str().unwrap(),
        "--max-distance",
        "2500",
        "--summary-only",
        "-q",
    ]);
    let out = text(&o.stdout);
    // --summary-only computes flags only: no shortfall figures.
    assert!(row(&out, "street_green").ends_with(&["-".into(), "-".into(), "-".into()]));
}

#[test]
fn a_layer_in_the_wrong_crs_or_with_swapped_axes_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let (green, _) = scene(dir.path(), &[]);
    // Homes with [lat, lon]: valid ranges, wrong place.
    let swapped = write_fc(
        dir.path(),
        "swapped.geojson",
        (0..5)
            .map(|i| {
                let [lon, lat] = ll(150.0 + 10.0 * i as f64, 50.0);
                feature(
                    json!({}),
                    json!({"type": "Point", "coordinates": [lat, lon]}),
                )
            })
            .collect(),
    );
    let args = |extra: &[&str]| {
        let mut a = vec![
            "check".to_string(),
            "--green".into(),
            green.to_str().unwrap().into(),
            "--points".into(),
            swapped.to_str().unwrap().into(),
            "--summary-only".into(),
            "-q".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        greenreach(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("axes look swapped") && err.contains("--allow-far-layers"),
        "{err}"
    );
    let o = run(&["--allow-far-layers"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("warning: only 0 of 5 features"));

    // Projected homes, and --crs given for every layer: the green layer is reinterpreted too
    // and lands far away; that is an error, and the hint names --points-crs.
    let utm = write_fc(
        dir.path(),
        "utm.geojson",
        vec![feature(
            json!({}),
            json!({"type": "Point", "coordinates": [539429.876, 5220853.152]}),
        )],
    );
    let o = greenreach(&[
        "check",
        "--green",
        green.to_str().unwrap(),
        "--points",
        utm.to_str().unwrap(),
        "--summary-only",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("--points-crs EPSG:32648"),
        "{}",
        text(&o.stderr)
    );
    let o = greenreach(&[
        "check",
        "--green",
        green.to_str().unwrap(),
        "--points",
        utm.to_str().unwrap(),
        "--crs",
        "EPSG:32632",
        "--summary-only",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stdout));
    let o = greenreach(&[
        "check",
        "--green",
        green.to_str().unwrap(),
        "--points",
        utm.to_str().unwrap(),
        "--points-crs",
        "EPSG:32632",
        "--summary-only",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn swap_xy_reads_lat_lon_files() {
    let dir = tempfile::tempdir().unwrap();
    let (green, homes) = scene(dir.path(), &[50.0, 400.0]);
    let flip = |p: &Path| {
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        fn swap(v: &mut Value) {
            match v {
                Value::Array(a) if a.len() == 2 && a.iter().all(Value::is_number) => a.swap(0, 1),
                Value::Array(a) => a.iter_mut().for_each(swap),
                _ => {}
            }
        }
        for f in v["features"].as_array_mut().unwrap() {
            swap(&mut f["geometry"]["coordinates"]);
        }
        let q = p.with_extension("latlon.geojson");
        std::fs::write(&q, v.to_string()).unwrap();
        q
    };
    let (g2, h2) = (flip(&green), flip(&homes));
    let summary = |g: &Path, h: &Path, extra: &[&str]| {
        let mut a = vec![
            "check",
            "--green",
            g.to_str().unwrap(),
            "--points",
            h.to_str().unwrap(),
            "--summary-only",
            "-q",
        ];
        a.extend_from_slice(extra);
        let o = greenreach(&a);
        assert!(o.status.success(), "{}", text(&o.stderr));
        row(&text(&o.stdout), "street_green")[..5].join(" ")
    };
    assert_eq!(
        summary(&g2, &h2, &["--swap-xy"]),
        summary(&green, &homes, &[])
    );
}

#[test]
fn overlapping_zones_are_an_error_unless_a_rule_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let (green, homes) = scene(dir.path(), &[50.0, 400.0, 700.0]);
    let zones = write_fc(
        dir.path(),
        "zones.geojson",
        vec![
            feature(
                json!({"name": "District"}),
                square(-1000.0, -1000.0, 3000.0),
            ),
            feature(json!({"name": "Town"}), square(0.0, 0.0, 1000.0)),
            feature(json!({"name": "Empty"}), square(5000.0, 5000.0, 100.0)),
        ],
    );
    let run = |extra: &[&str]| {
        let out = dir.path().join(format!("rep{}", extra.len()));
        let mut a = vec![
            "report",
            "--green",
            green.to_str().unwrap(),
            "--points",
            homes.to_str().unwrap(),
            "--zones",
            zones.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ];
        a.extend_from_slice(extra);
        if !extra.contains(&"--lang") {
            a.extend_from_slice(&["--lang", "en"]);
        }
        (greenreach(&a), out)
    };
    let (o, _) = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("\"District\" and \"Town\" share 100.0 ha") && err.contains("--zone-overlap"),
        "{err}"
    );
    let (o, out) = run(&["--zone-overlap", "each"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let zones_csv = std::fs::read_to_string(out.join("zones.csv")).unwrap();
    // Each home counts in both zones; the empty zone is not a row.
    assert!(
        zones_csv.lines().any(|l| l.starts_with("District,3,")),
        "{zones_csv}"
    );
    assert!(
        zones_csv.lines().any(|l| l.starts_with("Town,3,")),
        "{zones_csv}"
    );
    assert!(!zones_csv.contains("Empty"), "{zones_csv}");
    let (o, out) = run(&["--zone-overlap", "first"]);
    assert!(o.status.success());
    let zones_csv = std::fs::read_to_string(out.join("zones.csv")).unwrap();
    assert!(
        zones_csv.lines().any(|l| l.starts_with("District,3,")),
        "{zones_csv}"
    );
    assert!(
        !zones_csv.lines().any(|l| l.starts_with("Town,")),
        "{zones_csv}"
    );
}

/// The "Green spaces counted" section of the shipped default report, against its snapshot
/// (tests/snapshots/spaces_counted.md; after a deliberate change, regenerate it with
/// GREENREACH_BLESS=1 and review the diff).
#[test]
fn spaces_counted_snapshot_on_the_shipped_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let o = greenreach(&[
        "report",
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    let start = md.find("## Green spaces counted").expect("section");
    let end = md[start + 3..]
        .find("\n## ")
        .map_or(md.len(), |e| start + 3 + e + 1);
    let section = &md[start..end];
    let snap = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/spaces_counted.md");
    if std::env::var_os("GREENREACH_BLESS").is_some() {
        std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
        std::fs::write(&snap, section).unwrap();
    }
    assert_eq!(section, std::fs::read_to_string(&snap).unwrap());
    // The nature reserves and the pool of the 2015 map are not parks: no park counts.
    assert!(section.contains("| park 公园 | 0 | 0.0 ha |"));
    assert!(section.contains("Schwimmbad Mühleholz | 2.59 ha | leisure=park with sport=swimming"));
}

/// The land denominator: residential land-use polygons give the 服务半径覆盖率; the homes'
/// own polygons are called building footprint area; a standard without grades grades nothing.
#[test]
fn land_denominator_and_grades_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut a = vec![
            "report",
            "--green",
            "geodata/liechtenstein/green_areas.geojson",
            "--residential",
            "geodata/liechtenstein/buildings.geojson",
            "--homes",
            "osm",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ];
        a.extend_from_slice(extra);
        if !extra.contains(&"--lang") {
            a.extend_from_slice(&["--lang", "en"]);
        }
        let o = greenreach(&a);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let json: Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        (text(&o.stdout), json)
    };
    let (stdout, json) = run("footprints", &[]);
    assert_eq!(json["land_basis"]["kind"], "building_footprints");
    assert!(
        stdout.contains("building footprint area within reach"),
        "{stdout}"
    );
    assert!(stdout.contains("not the residential land rate"));
    assert!(!stdout.contains("residential land within reach"));
    // The Chinese edition names the footprint basis too, and never calls it the 服务半径覆盖率.
    let (stdout, _) = run("footprints-zh", &["--lang", "zh"]);
    assert!(stdout.contains("| 建筑基底面积覆盖率 | 评级 |"), "{stdout}");
    assert!(stdout.contains("不是居住用地覆盖率"), "{stdout}");

    let (stdout, json) = run(
        "land",
        &["--land", "geodata/liechtenstein/residential_areas.geojson"],
    );
    assert_eq!(json["land_basis"]["kind"], "residential_land");
    assert!(
        stdout.contains("residential land within reach | grade |"),
        "{stdout}"
    );
    assert!(stdout.contains("公园绿地服务半径覆盖率"));
    let area = json["totals"]["land"]["area_m2"].as_f64().unwrap();
    assert!((area / 1e4 - 1283.5).abs() < 0.1, "{area}");
    assert_eq!(json["standard"]["grades"], json!([80.0, 90.0]));

    let (stdout, json) = run(
        "who",
        &[
            "--standard",
            "who-europe",
            "--land",
            "geodata/liechtenstein/residential_areas.geojson",
        ],
    );
    assert_eq!(json["standard"]["grades"], json!([]));
    assert!(json["totals"]["tiers"][0]["land_grade"].is_null());
    assert!(!stdout.contains("grade"), "{stdout}");
}

/// Spaces that count but lie mostly outside the study area are flagged, not hidden: under
/// ANGSt (natural green space) the Natura 2000 reserves across the Austrian border count.
#[test]
fn spaces_mostly_outside_the_zones_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let o = greenreach(&[
        "report",
        "--standard",
        "angst",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let outside = json["spaces_counted"]["mostly_outside"].as_array().unwrap();
    let bangs = outside
        .iter()
        .find(|s| s["label"] == "Bangs - Matschels")
        .expect("the reserve across the border is flagged");
    assert!(bangs["inside_share"].as_f64().unwrap() < 0.01);
    assert!(
        bangs["reason"]
            .as_str()
            .unwrap()
            .starts_with("leisure=nature_reserve")
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("lying mostly outside the study area"));
}
