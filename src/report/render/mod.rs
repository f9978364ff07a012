//! Writing the report folder (HTML, SVG, JSON, Markdown, CSV). Every number comes from [`Report`];
//! the renderers only format. Imported by `report` only.

pub(crate) mod html;
mod json;
mod markdown;
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

/// `12.3%`.
fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// Grade a share against the standard's thresholds (percent, ascending): `≥ 90%`, `≥ 80%`
/// or `< 80%`; `None` when the standard sets no grades.
pub fn grade(share: f64, grades: &[f64]) -> Option<String> {
    let lowest = *grades.first()?;
    Some(
        match grades.iter().rev().find(|&&g| 100.0 * share >= g - 1e-9) {
            Some(g) => format!("≥ {g}%"),
            None => format!("< {lowest}%"),
        },
    )
}

/// How far the failing homes of a tier fall short, as table cells: failing homes, median,
/// 75th and 90th percentile (`> N m` when among homes with nothing within the search limit).
fn shortfall_cells(r: &Report, t: usize) -> [String; 4] {
    match &r.summary.tiers[t].shortfall {
        Some(s) => [
            s.failing.to_string(),
            s.p50.to_string(),
            s.p75.to_string(),
            s.p90.to_string(),
        ],
        None => ["0".into(), "–".into(), "–".into(), "–".into()],
    }
}

/// `the residential land` / `building footprint area` and whether it is the 服务半径覆盖率.
fn land_words(r: &Report) -> (&'static str, bool) {
    match &r.land_basis {
        Some(b @ super::LandBasis::ResidentialLand(_)) => (b.describe(), true),
        Some(b) => (b.describe(), false),
        None => ("residential land", false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_standard() {
        let g = [80.0, 90.0];
        assert_eq!(grade(0.95, &g).as_deref(), Some("≥ 90%"));
        assert_eq!(grade(0.9, &g).as_deref(), Some("≥ 90%"));
        assert_eq!(grade(0.85, &g).as_deref(), Some("≥ 80%"));
        assert_eq!(grade(0.5, &g).as_deref(), Some("< 80%"));
        assert_eq!(grade(0.95, &[]), None);
    }
}
