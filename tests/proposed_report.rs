//! `report --proposed`: before → after per tier, per zone and per residential polygon on a
//! hand-made scene whose answer is known, and the Chinese page with a proposed plan on the
//! shipped data.

mod common;

use common::{greenreach, text};
use serde_json::{Value, json};

/// A square of `half` degrees around (`lon`, `lat`) with `props`.
fn square(lon: f64, lat: f64, half_lon: f64, half_lat: f64, props: Value) -> Value {
    json!({
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon - half_lon, lat - half_lat], [lon + half_lon, lat - half_lat],
            [lon + half_lon, lat + half_lat], [lon - half_lon, lat + half_lat],
            [lon - half_lon, lat - half_lat]
        ]]}
    })
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// Near 47.1°N a degree of longitude is about 75.8 km and one of latitude 111.2 km.
const LON_M: f64 = 1.0 / 75_800.0;
const LAT_M: f64 = 1.0 / 111_200.0;

/// The hand-made scene in `dir`: green.geojson, homes.geojson, zones.geojson and
/// proposed.geojson (described below).
fn write_scene(dir: &std::path::Path) {
    let (lon, lat) = (9.5, 47.1);
    // Existing green: one playground 500 m east and 1100 m south, 1.17–1.35 km from the
    // homes: no home meets any tier before.
    let green = collection(vec![square(
        lon + 500.0 * LON_M,
        lat - 1100.0 * LAT_M,
        20.0 * LON_M,
        20.0 * LAT_M,
        json!({"leisure": "playground", "name": "far"}),
    )]);
    // Homes (10 m squares): a 100 m east of the proposed space, b 1 km east, c 150 m north.
    let home = |name: &str, dx: f64, dy: f64| {
        square(
            lon + dx * LON_M,
            lat + dy * LAT_M,
            5.0 * LON_M,
            5.0 * LAT_M,
            json!({"name": name, "building": "house"}),
        )
    };
    let homes = collection(vec![
        home("a", 100.0, 0.0),
        home("b", 1000.0, 0.0),
        home("c", 0.0, 150.0),
    ]);
    // Zone west holds a and b (a band south of 75 m north), zone north holds c.
    let zones = collection(vec![
        square(
            lon,
            lat - 425.0 * LAT_M,
            2000.0 * LON_M,
            500.0 * LAT_M,
            json!({"name": "south"}),
        ),
        square(
            lon,
            lat + 575.0 * LAT_M,
            2000.0 * LON_M,
            500.0 * LAT_M,
            json!({"name": "north"}),
        ),
    ]);
    // The proposed pocket park: a 30 m square serving street_green (300 m).
    let proposed = collection(vec![square(
        lon,
        lat,
        15.0 * LON_M,
        15.0 * LAT_M,
        json!({"name": "pocket park", "category": "street_green"}),
    )]);
    for (name, body) in [
        ("green.geojson", green),
        ("homes.geojson", homes),
        ("zones.geojson", zones),
        ("proposed.geojson", proposed),
    ] {
        std::fs::write(dir.join(name), body).unwrap();
    }
}

#[test]
fn proposed_space_before_after_per_zone_and_residential_polygon() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    write_scene(dir.path());
    let o = greenreach(&[
        "report",
        "--green",
        &p("green.geojson"),
        "--residential",
        &p("homes.geojson"),
        "--zones",
        &p("zones.geojson"),
        "--proposed",
        &p("proposed.geojson"),
        "--lang",
        "en",
        "--out",
        &p("rep"),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("street_green 街头绿地: 0 → 2 (0.0% → 66.7%)"),
        "{stdout}"
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("rep/summary.json")).unwrap())
            .unwrap();
    let pr = &json["proposed"];
    let within = |s: &Value, t: usize| s["tiers"][t]["points_within"].as_u64().unwrap();
    assert_eq!((within(&pr["before"], 0), within(&pr["after"], 0)), (0, 2));
    assert_eq!((within(&pr["before"], 1), within(&pr["after"], 1)), (0, 0));
    let zone = |name: &str| {
        pr["zones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|z| z["name"] == name)
            .unwrap_or_else(|| panic!("zone {name}: {pr}"))
            .clone()
    };
    let (south, north) = (zone("south"), zone("north"));
    assert_eq!(south["before"]["points"], 2);
    assert_eq!(
        (within(&south["before"], 0), within(&south["after"], 0)),
        (0, 1)
    );
    assert_eq!(
        (within(&north["before"], 0), within(&north["after"], 0)),
        (0, 1)
    );
    // Each home's footprint is its land: a and c wholly within reach after, b not at all.
    let area = |id: &str| {
        pr["residential_areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("area {id}: {pr}"))
            .clone()
    };
    for (id, after) in [("a", 1.0), ("b", 0.0), ("c", 1.0)] {
        let a = area(id);
        assert_eq!(a["land_share_before"][0].as_f64().unwrap(), 0.0, "{id}");
        let got = a["land_share_after"][0].as_f64().unwrap();
        assert!((got - after).abs() < 1e-6, "{id}: {got}");
    }
    // The space alone newly serves a and c.
    assert_eq!(pr["spaces"][0]["label"], "pocket park");
    assert_eq!(pr["spaces"][0]["newly_served"], json!([2, 0, 0]));
    // The page has the section with its tables.
    let html = std::fs::read_to_string(dir.path().join("rep/index.html")).unwrap();
    for id in [
        "proposed-tiers",
        "proposed-zones",
        "proposed-areas",
        "proposed-spaces",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    // The inputs list the proposed file.
    assert!(
        json["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["role"] == "proposed")
    );
}

#[test]
fn without_proposed_the_summary_says_null() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let o = greenreach(&["report", "--out", out.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(json["proposed"].is_null());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("id=\"proposed-tiers\""));
}
