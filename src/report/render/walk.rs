//! The report's "on foot and in a straight line" section (`--metric walk`), as HTML, Markdown
//! and terminal lines: per tier and zone both metrics side by side, and the homes lost to
//! barriers. Every figure comes from [`WalkPart`]; this file only formats.

use std::fmt::Write;

use super::super::{Place, Report, Shares, WalkPart};
use super::svg::esc;
use super::{md_head, th};
use crate::report::compute::lost::Lost;
use crate::report::lang::{Key, Lang};

/// Whether home `i` is within reach in a straight line and not on foot in some tier.
pub(super) fn lost_in_any_tier(r: &Report, w: &WalkPart, i: usize) -> bool {
    r.coverage
        .tiers
        .iter()
        .zip(&w.straight.tiers)
        .any(|(foot, line)| line.ok[i] && !foot.ok[i])
}

/// `1234 (56.7%)`.
fn count_share(l: Lang, s: &Shares, k: usize) -> String {
    format!("{} ({})", s.points.within[k], l.pct(s.point_share(Some(k))))
}

/// Header keys of the tier table.
fn tier_keys(r: &Report) -> Vec<Key> {
    let mut k = vec![Key::ColTier, Key::ColOnFoot, Key::ColStraight, Key::ColLost];
    if r.config.weighted() {
        k.extend([Key::ColResidentsOnFoot, Key::ColResidentsStraight]);
    }
    k
}

/// The tier table's rows: tier, on foot, straight, lost (and residents' shares when weighted).
fn tier_rows(r: &Report, w: &WalkPart) -> Vec<Vec<String>> {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    std.tiers
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let mut row = vec![
                l.tier(t),
                count_share(l, &r.totals, k),
                count_share(l, &w.totals, k),
                w.summary.tiers[k].lost.to_string(),
            ];
            if r.config.weighted() {
                row.push(l.pct(r.totals.weight_share(Some(k))));
                row.push(l.pct(w.totals.weight_share(Some(k))));
            }
            row
        })
        .collect()
}

/// The zone table's rows: zone, homes, then per tier `on foot / straight`.
fn zone_rows(r: &Report, w: &WalkPart) -> Vec<Vec<String>> {
    let l = r.config.lang;
    r.zones
        .iter()
        .zip(&w.zones)
        .map(|(foot, line)| {
            let mut row = vec![
                l.zone_name(&foot.name),
                foot.shares.points.total.to_string(),
            ];
            for k in 0..r.config.check.standard.tiers.len() {
                row.push(format!(
                    "{} / {}",
                    l.pct(foot.shares.point_share(Some(k))),
                    l.pct(line.shares.point_share(Some(k)))
                ));
            }
            row
        })
        .collect()
}

/// The lost groups shown: the ten largest of each tier, with their rank and place.
fn shown_lost(w: &WalkPart) -> Vec<(usize, &Lost, Option<&Place>)> {
    let mut rank = std::collections::HashMap::new();
    w.lost
        .iter()
        .zip(&w.lost_places)
        .filter_map(|(g, place)| {
            let n = rank.entry(g.gap.tier).or_insert(0usize);
            *n += 1;
            (*n <= 10).then_some((*n, g, place.as_ref()))
        })
        .collect()
}

/// Header keys of the lost table.
fn lost_keys(r: &Report) -> Vec<Key> {
    let mut k = vec![Key::ColTier, Key::ColRank, Key::ColHomes];
    if r.config.weighted() {
        k.push(Key::ColResidents);
    }
    k.extend([
        Key::ColWhere,
        Key::ColStraightM,
        Key::ColWalkM,
        Key::ColDetour,
        Key::ColNearest,
    ]);
    k
}

/// The lost table's rows.
fn lost_rows(r: &Report, w: &WalkPart) -> Vec<Vec<String>> {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let limit = r.config.check.max_distance_m;
    shown_lost(w)
        .into_iter()
        .map(|(rank, g, place)| {
            let mut row = vec![
                l.tier(&std.tiers[g.gap.tier]),
                rank.to_string(),
                g.gap.members.len().to_string(),
            ];
            if r.config.weighted() {
                row.push(format!("{:.0}", g.gap.weight));
            }
            row.push(place.map_or(String::new(), Place::describe));
            row.push(l.m(g.straight_m.round()));
            row.push(g.walk_m.map_or_else(
                || l.f(Key::NothingWithin, &[&l.m(limit)]),
                |d| l.m(d.round()),
            ));
            row.push(g.detour.map_or("–".into(), |d| {
                l.f(Key::DetourTimes, &[&format!("{d:.1}")])
            }));
            row.push(g.gap.nearest.clone().unwrap_or_else(|| "–".into()));
            row
        })
        .collect()
}

/// The network note: file (`path`, as the format writes a file name), graph, snaps,
/// entrances, and that land shares stay straight-line.
fn network_note(r: &Report, w: &WalkPart, path: &str) -> String {
    let l = r.config.lang;
    let s = &w.summary;
    let entered: Vec<String> = s
        .entered
        .0
        .iter()
        .map(|(kind, n)| l.f(Key::EnteredBy, &[n, &l.t(entry_key(kind))]))
        .collect();
    l.f(
        Key::WalkNote,
        &[
            &path,
            &s.graph.0,
            &s.graph.1,
            &s.pieces,
            &l.m(s.snap_m),
            &s.no_network,
            &entered.join(l.t(Key::ListSep)),
            &s.entered.1,
        ],
    )
}

/// The key naming how a green space was entered.
fn entry_key(kind: &str) -> Key {
    match kind {
        "gate" => Key::EntryGate,
        "crossing" => Key::EntryCrossing,
        "pseudo" => Key::EntryPseudo,
        _ => Key::EntrySnapped,
    }
}

/// Header cells: `keys` in the report's language, then `extra` names (escaped).
fn tier_th(l: Lang, keys: &[Key], extra: &[String]) -> String {
    let mut s = th(l, keys);
    for e in extra {
        let _ = write!(s, "<th>{}</th>", esc(e));
    }
    s
}

/// An HTML table with `id`, header cells `head` and text `rows` (escaped; the columns in
/// `names` hold names and places and are marked `translate="no"`).
fn html_table(id: &str, head: &str, rows: &[Vec<String>], names: &[usize]) -> String {
    let mut s = format!(r#"<table id="{id}"><thead><tr>{head}</tr></thead><tbody>"#);
    for row in rows {
        s += "<tr>";
        for (c, cell) in row.iter().enumerate() {
            let attr = if names.contains(&c) {
                r#" class="name" translate="no""#
            } else {
                ""
            };
            let _ = write!(s, "<td{attr}>{}</td>", esc(cell));
        }
        s += "</tr>";
    }
    s + "</tbody></table>"
}

/// The section as HTML (empty without `--metric walk`).
pub(super) fn section_html(r: &Report) -> String {
    let Some(w) = &r.walk else {
        return String::new();
    };
    let l = r.config.lang;
    let mut s = format!(
        r#"<h2 id="on-foot">{}</h2><p class="note">{}</p>"#,
        l.t(Key::HeadWalk),
        network_note(
            r,
            w,
            &format!(
                r#"<code translate="no">{}</code>"#,
                esc(&w.summary.network.display().to_string())
            )
        )
    );
    s += &html_table(
        "walk-tiers",
        &tier_th(l, &tier_keys(r), &[]),
        &tier_rows(r, w),
        &[],
    );
    if !r.zones.is_empty() {
        let _ = write!(s, r#"<p class="note">{}</p>"#, l.t(Key::WalkZonesNote));
        let tiers: Vec<String> = r
            .config
            .check
            .standard
            .tiers
            .iter()
            .map(|t| l.tier(t))
            .collect();
        let head = tier_th(l, &[Key::ColZone, Key::ColHomes], &tiers);
        s += &html_table("walk-zones", &head, &zone_rows(r, w), &[0]);
    }
    let _ = write!(
        s,
        r#"<h3 id="lost">{}</h3><p class="note">{}</p>"#,
        l.t(Key::HeadLost),
        l.t(Key::LostNote)
    );
    if w.lost.is_empty() {
        let _ = write!(s, "<p>{}</p>", l.t(Key::NoneLost));
    } else {
        let head = tier_th(l, &lost_keys(r), &[]);
        // The place and the nearest space are names.
        let shift = usize::from(r.config.weighted());
        s += &html_table(
            "lost-table",
            &head,
            &lost_rows(r, w),
            &[3 + shift, 7 + shift],
        );
    }
    s
}

/// A Markdown table of `rows` under a header of `keys` and `extra` names.
fn md_table(l: Lang, keys: &[Key], extra: &[String], rows: &[Vec<String>]) -> String {
    let mut head = md_head(l, keys);
    if !extra.is_empty() {
        // Extend the header row and its rule with the extra names.
        let mut lines = head.lines().map(str::to_string).collect::<Vec<_>>();
        lines[0] += &format!(" {} |", extra.join(" | "));
        lines[1] += &"---|".repeat(extra.len());
        head = lines.join("\n") + "\n";
    }
    let mut s = head;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| super::markdown::md(c)).collect();
        s += &format!("| {} |\n", cells.join(" | "));
    }
    s
}

/// The section as Markdown (empty without `--metric walk`).
pub(super) fn section_md(r: &Report) -> String {
    let Some(w) = &r.walk else {
        return String::new();
    };
    let l = r.config.lang;
    let tiers: Vec<String> = r
        .config
        .check
        .standard
        .tiers
        .iter()
        .map(|t| l.tier(t))
        .collect();
    let mut s = format!(
        "## {}\n\n{}\n\n",
        l.t(Key::HeadWalk),
        network_note(r, w, &format!("`{}`", w.summary.network.display()))
    );
    s += &md_table(l, &tier_keys(r), &[], &tier_rows(r, w));
    if !r.zones.is_empty() {
        s += &format!("\n{}\n\n", l.t(Key::WalkZonesNote));
        s += &md_table(l, &[Key::ColZone, Key::ColHomes], &tiers, &zone_rows(r, w));
    }
    s += &format!("\n### {}\n\n{}\n\n", l.t(Key::HeadLost), l.t(Key::LostNote));
    if w.lost.is_empty() {
        s += &format!("{}\n", l.t(Key::NoneLost));
    } else {
        s += &md_table(l, &lost_keys(r), &[], &lost_rows(r, w));
    }
    s + "\n"
}

/// The lines `greenreach report` prints under `--metric walk`.
pub(super) fn terminal(r: &Report) -> String {
    let Some(w) = &r.walk else {
        return String::new();
    };
    let l = r.config.lang;
    let mut out = format!("\n{}\n", l.t(Key::HeadWalk));
    for row in tier_rows(r, w) {
        out += &format!(
            "  {}\n",
            l.f(Key::TermWalkTier, &[&row[0], &row[1], &row[2], &row[3]])
        );
    }
    out
}
