//! Helpers shared by integration tests. Each test binary uses some of them.
#![allow(dead_code)]

pub mod pbf;

use std::process::{Command, Output};

/// Run the `greenreach` binary from the repository root.
pub fn greenreach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run greenreach")
}

/// The inputs of the default report: Liechtenstein's green areas and points, its buildings
/// as residential features, homes by OSM tags.
pub const LI_HOMES: [&str; 8] = [
    "--green",
    "geodata/liechtenstein/green_areas.geojson",
    "--green",
    "geodata/liechtenstein/green_points.geojson",
    "--residential",
    "geodata/liechtenstein/buildings.geojson",
    "--homes",
    "osm",
];

/// `greenreach site` on the shipped Liechtenstein data (auto candidates, `add` street-green
/// sites) into `dir/site`; the path of its `sites.geojson`, a plan for `--proposed`.
pub fn site_plan(dir: &std::path::Path, add: &str) -> std::path::PathBuf {
    let sites = dir.join("site");
    let mut args = vec!["site"];
    args.extend(LI_HOMES);
    args.extend([
        "--candidates-auto",
        "--add",
        add,
        "--out",
        sites.to_str().expect("utf-8 path"),
        "-q",
    ]);
    let o = greenreach(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    sites.join("sites.geojson")
}

/// `check --quiet` with Liechtenstein's green areas and points, `--out out`, then `extra`;
/// the run must succeed.
pub fn li_check(out: &std::path::Path, extra: &[&str]) {
    let mut args = vec![
        "check",
        "--quiet",
        "--green",
        "geodata/liechtenstein/green_areas.geojson",
        "--green",
        "geodata/liechtenstein/green_points.geojson",
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    let o = greenreach(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// The per-point file of every Liechtenstein building (`li_check` with `LI_HOMES`'s homes)
/// read back as `--points`: each evaluated row is a point again, each skipped row skipped.
pub fn reads_back_as_li_homes(per_point: &std::path::Path) {
    let o = greenreach(&[
        "check",
        "--green",
        "geodata/liechtenstein/green_areas.geojson",
        "--points",
        per_point.to_str().expect("utf-8 path"),
        "--summary-only",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("demand points: 8994 read, 7813 evaluated, 1181 skipped"),
        "{}",
        text(&o.stdout)
    );
}

/// A process's output as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
