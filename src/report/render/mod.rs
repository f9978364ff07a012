//! Writing the report folder (HTML, SVG, JSON, Markdown, CSV). Every number comes from [`Report`];
//! the renderers only format. Imported by `report` only.

pub(crate) mod html;
mod json;
mod markdown;
mod print;
mod proposed;
mod svg;
mod tables;
mod walk;

use std::path::Path;

use crate::error::Error;
use crate::io::atomic::write_file;
use crate::run::check::write_points;

use super::{LandBasis, POINTS_FORMAT, Report};
use crate::report::lang::{Key, Lang, escape};

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
    let json = serde_json::to_string_pretty(&summary).map_err(std::io::Error::other);
    put(dir, "summary.json", json.map(|j| j + "\n"))?;
    put(dir, "summary.md", Ok(markdown::summary_md(r)))?;
    put(dir, "zones.csv", tables::zones_csv(r))?;
    put(dir, "areas.csv", tables::areas_csv(r))?;
    put(dir, "gaps.geojson", Ok(tables::gaps_geojson(r)?))?;
    put(dir, "index.html", Ok(html::page(r, &map)))?;
    put(dir, "map.svg", Ok(map))?;
    let path = dir.join("points.csv");
    match &r.walk {
        None => write_points(
            &path,
            POINTS_FORMAT,
            &r.config.check.standard,
            &r.prepared,
            &r.points,
            &r.coverage,
        ),
        Some(w) => {
            let table = crate::io::output::PointTable {
                standard: &r.config.check.standard,
                demand: &r.points,
                coverage: &r.coverage,
                green: &r.prepared.green,
                plane: &r.prepared.plane,
            };
            crate::io::output::walk::write(&path, POINTS_FORMAT, &table, &w.straight, &w.snaps)
                .map_err(|source| Error::Output { path, source })
        }
    }
}

/// Write `dir/name` atomically (a failure to make the text is a failure to write it).
pub(crate) fn put(
    dir: &Path,
    name: &str,
    text: std::io::Result<impl AsRef<[u8]>>,
) -> Result<(), Error> {
    let path = dir.join(name);
    text.and_then(|t| write_file(&path, t.as_ref()))
        .map_err(|source| Error::Output { path, source })
}

/// Grade a share against the standard's thresholds (percent, ascending): `≥ 90%`, `≥ 80%`
/// or `< 80%`; `None` when the standard sets no grades. The summary.json value (English).
pub fn grade(share: f64, grades: &[f64]) -> Option<String> {
    Lang::En.grade(share, grades)
}

/// How far the failing homes of a tier fall short, as table cells: failing homes, median,
/// 75th and 90th percentile (`> N m` when among homes with nothing within the search limit).
fn shortfall_cells(r: &Report, t: usize) -> [String; 4] {
    let l = r.config.lang;
    match &r.summary.tiers[t].shortfall {
        Some(s) => [
            s.failing.to_string(),
            l.shortfall_value(&s.p50),
            l.shortfall_value(&s.p75),
            l.shortfall_value(&s.p90),
        ],
        None => ["0".into(), "–".into(), "–".into(), "–".into()],
    }
}

/// Header cells `<th>…</th>` of `keys` in the report's language.
fn th(l: Lang, keys: &[Key]) -> String {
    keys.iter()
        .map(|&k| format!("<th>{}</th>", l.t(k)))
        .collect()
}

/// A Markdown table's header row and its rule, for `keys` in the report's language.
fn md_head(l: Lang, keys: &[Key]) -> String {
    let names: Vec<&str> = keys.iter().map(|&k| l.t(k)).collect();
    format!(
        "| {} |\n|{}\n",
        names.join(" | "),
        "---|".repeat(keys.len())
    )
}

/// The columns of the shortfall table.
const SHORTFALL_COLS: [Key; 5] = [
    Key::ColTier,
    Key::ColOutOfReach,
    Key::ColMedian,
    Key::ColP75,
    Key::ColP90,
];

/// The first columns of the table of the largest spaces counted.
const LARGEST_COLS: [Key; 4] = [
    Key::ColLargestCounted,
    Key::ColCategory,
    Key::ColAreaHa,
    Key::ColWhyCounts,
];

/// The columns of the table of the largest spaces kept out.
const KEPT_OUT_COLS: [Key; 3] = [Key::ColLargestKeptOut, Key::ColAreaHa, Key::ColWhy];

/// A category of the standard by its name, as the report's language calls it (the name
/// itself when the standard has no such category).
fn category_label(r: &Report, name: &str) -> String {
    r.config
        .check
        .standard
        .categories
        .iter()
        .find(|c| c.name == name)
        .map_or_else(|| name.to_string(), |c| r.config.lang.category(c))
}

/// Whether the land denominator is residential land (the 服务半径覆盖率), not the homes'
/// building footprints.
fn on_residential_land(r: &Report) -> bool {
    !matches!(r.land_basis, Some(LandBasis::BuildingFootprints))
}

/// `12.3% of residential land` / `居住用地覆盖率 12.3%`, or of building footprint area.
fn land_share_text(r: &Report, share: f64) -> String {
    let l = r.config.lang;
    let key = if on_residential_land(r) {
        Key::CardOfLand
    } else {
        Key::CardOfFootprint
    };
    l.f(key, &[&l.pct(share)])
}

/// The land note, as HTML: what the land denominator is, how exact its shares are, and the
/// standard's grades with their source.
fn land_note(r: &Report, area_m2: f64, bound_pp: f64) -> String {
    let l = r.config.lang;
    let key = if on_residential_land(r) {
        Key::LandNote
    } else {
        Key::LandNoteFootprint
    };
    let mut s = l.f(key, &[&l.ha(area_m2, 1), &format!("{bound_pp:.2}")]);
    let std = &r.config.check.standard;
    if !std.grades.is_empty() {
        let g: Vec<String> = std.grades.iter().map(|g| format!("{g}%")).collect();
        s += &l.f(
            Key::LandGrades,
            &[&g.join(l.t(Key::GradesAnd)), &escape(&l.grades_source(std))],
        );
    }
    s
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
