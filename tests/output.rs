//! Per-point output files stay valid when names hold JSON or CSV special characters.

mod common;
use common::{greenreach, text};

/// The jiangbei standard with its first tier renamed to `st\g` (a backslash is allowed in a
/// tier name; quotes, commas and spaces are refused).
fn backslash_standard(dir: &std::path::Path) -> std::path::PathBuf {
    let o = greenreach(&["standards", "jiangbei", "--toml"]);
    assert!(o.status.success());
    let toml = text(&o.stdout);
    let at = toml.find("[[tiers]]\nname = \"street_green\"").unwrap();
    let renamed = toml[at..].replacen("name = \"street_green\"", "name = 'st\\g'", 1);
    let path = dir.join("backslash.toml");
    std::fs::write(&path, format!("{}{renamed}", &toml[..at])).unwrap();
    path
}

/// One park whose name holds quotes, a backslash, a comma and a line break, and one home.
fn odd_label_inputs(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let green = serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"leisure": "park", "name": "The \"Big\" \\ Park,\nnorth"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [9.52, 47.14], [9.53, 47.14], [9.53, 47.15], [9.52, 47.15], [9.52, 47.14]]]}
    }]});
    let homes = serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"id": "h\"1"},
        "geometry": {"type": "Point", "coordinates": [9.535, 47.145]}
    }]});
    let g = dir.join("green.geojson");
    let h = dir.join("homes.geojson");
    std::fs::write(&g, green.to_string()).unwrap();
    std::fs::write(&h, homes.to_string()).unwrap();
    (g, h)
}

fn check(
    green: &std::path::Path,
    homes: &std::path::Path,
    standard: &std::path::Path,
    out: &std::path::Path,
) {
    let o = greenreach(&[
        "check",
        "--green",
        green.to_str().unwrap(),
        "--residential",
        homes.to_str().unwrap(),
        "--standard",
        standard.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn geojson_and_csv_escape_tier_names_labels_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let standard = backslash_standard(dir.path());
    let (green, homes) = odd_label_inputs(dir.path());
    let label = "The \"Big\" \\ Park,\nnorth";

    let gj = dir.path().join("out.geojson");
    check(&green, &homes, &standard, &gj);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&gj).unwrap()).unwrap();
    let props = &v["features"][0]["properties"];
    assert_eq!(props["id"], "h\"1");
    assert!(props["st\\g_m"].is_number(), "{props}");
    assert_eq!(props["st\\g_nearest"], label);
    assert_eq!(props["park_nearest"], label);

    let csv_path = dir.path().join("out.csv");
    check(&green, &homes, &standard, &csv_path);
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..6],
        ["id", "lon", "lat", "st\\g_m", "st\\g_ok", "st\\g_nearest"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "h\"1");
    assert_eq!(&rows[0][5], label);
    assert_eq!(rows[0].len(), header.len());
}
