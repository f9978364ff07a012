//! Writing the report folder (HTML, SVG, JSON, Markdown, CSV). Every number comes from [`Report`];
//! the renderers only format. Imported by `report` only.

pub(crate) mod html;
mod json;
mod markdown;
mod print;
mod svg;
mod tables;

use std::path::Path;

use crate::error::Error;
use crate::io::atomic::write_file;
use crate::run::check::write_points;

use super::{POINTS_FORMAT, Report};

pub use json::summary_json;
pub use markdown::{headline_table, terminal_summary};

/// Write every file of the report into `report.config.out_dir`.
pub fn write_folder(r: &Report) -> Result<(), Error> {
    let dir = &r.config.out_dir;
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.clone(),
        source,
    })?;
    let summary = summary_json(r);
    let map = svg::map(r);
    put(
        dir,
        "summary.json",
        &(serde_json::to_string_pretty(&summary).expect("json") + "\n"),
    )?;
    put(dir, "summary.md", &markdown::summary_md(r))?;
    put(dir, "zones.csv", &tables::zones_csv(r))?;
    put(dir, "areas.csv", &tables::areas_csv(r))?;
    put(dir, "gaps.geojson", &tables::gaps_geojson(r)?)?;
    put(dir, "map.svg", &map)?;
    put(dir, "index.html", &html::page(r, &map))?;
    write_points(
        &dir.join("points.csv"),
        POINTS_FORMAT,
        &r.config.check.standard,
        &r.prepared,
        &r.points,
        &r.coverage,
    )
}

fn put(dir: &Path, name: &str, text: &str) -> Result<(), Error> {
    let path = dir.join(name);
    write_file(&path, text.as_bytes()).map_err(|source| Error::Output { path, source })
}

/// Grade a land share against the national garden-city thresholds.
pub fn grade(share: f64) -> &'static str {
    if share >= 0.9 {
        "≥ 90%"
    } else if share >= 0.8 {
        "≥ 80%"
    } else {
        "< 80%"
    }
}
