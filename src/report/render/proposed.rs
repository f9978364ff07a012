//! The report's "proposed spaces: before → after" section (`--proposed`), as HTML and
//! Markdown: per tier, per zone, the residential polygons gaining most, and what each proposed
//! space newly serves.

use std::fmt::Write;

use super::super::{ProposedReport, Report, Shares};
use super::svg::esc;
use crate::report::lang::{Key, Lang};

/// `25.7% → 31.2%`.
fn arrow(l: Lang, a: f64, b: f64) -> String {
    format!("{} → {}", l.pct(a), l.pct(b))
}

/// The rows of the tier table: name, then cells (homes, residents when weighted, land when
/// measured), for each tier and for all tiers.
fn tier_rows(r: &Report, p: &ProposedReport) -> Vec<(String, Vec<String>)> {
    let l = r.config.lang;
    let (b, a) = (&r.totals, &p.totals);
    let weighted = r.config.weighted();
    let cells = |k: Option<usize>| {
        let within = |s: &Shares| k.map_or(s.points.all, |k| s.points.within[k]);
        let mut c = vec![
            format!("{} → {}", within(b), within(a)),
            format!("{:+}", within(a) as i64 - within(b) as i64),
            arrow(l, b.point_share(k), a.point_share(k)),
        ];
        if weighted {
            c.push(arrow(l, b.weight_share(k), a.weight_share(k)));
        }
        if let (Some(lb), Some(la)) = (&b.land, &a.land) {
            let share = |s: &crate::report::LandShares| k.map_or(s.all_share(), |k| s.share(k));
            c.push(arrow(l, share(lb), share(la)));
        }
        c
    };
    let std = &r.config.check.standard;
    let mut rows: Vec<(String, Vec<String>)> = std
        .tiers
        .iter()
        .enumerate()
        .map(|(k, t)| (l.tier(t), cells(Some(k))))
        .collect();
    rows.push((l.t(Key::AllTiers).to_string(), cells(None)));
    rows
}

/// The header cells of the tier table after the tier column.
fn tier_header(r: &Report) -> Vec<&'static str> {
    let l = r.config.lang;
    let mut h = vec![
        l.t(Key::ColHomesBeforeAfter),
        l.t(Key::ColChange),
        l.t(Key::ColHomesWithin),
    ];
    if r.config.weighted() {
        h.push(l.t(Key::ColResidentsWithin));
    }
    if r.totals.land.is_some() {
        h.push(if super::on_residential_land(r) {
            l.t(Key::ColLandWithin)
        } else {
            l.t(Key::ColFootprintWithin)
        });
    }
    h
}

/// Residential polygons by land gained (all tiers, then the first tier), largest first.
fn gaining_areas(r: &Report, p: &ProposedReport) -> Vec<usize> {
    let gain = |k: usize| {
        let (b, a) = (&r.areas[k].land, &p.areas[k]);
        (a.all_share() - b.all_share(), a.share(0) - b.share(0))
    };
    let mut v: Vec<usize> = (0..p.areas.len().min(r.areas.len()))
        .filter(|&k| {
            let (g_all, g0) = gain(k);
            g_all > 1e-9 || g0 > 1e-9
        })
        .collect();
    v.sort_by(|&x, &y| {
        let (gx, gy) = (gain(x), gain(y));
        gy.0.total_cmp(&gx.0)
            .then(gy.1.total_cmp(&gx.1))
            .then(x.cmp(&y))
    });
    v
}

/// The section as HTML (empty without `--proposed`).
pub(super) fn section_html(r: &Report) -> String {
    let Some(p) = &r.proposed else {
        return String::new();
    };
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let files: Vec<String> = p.files.iter().map(|f| f.display().to_string()).collect();
    let mut s = format!(
        r#"<h2 id="proposed">{}</h2><p class="note">{}</p><table id="proposed-tiers"><thead><tr><th>{}</th>"#,
        l.t(Key::HeadProposed),
        l.f(
            Key::ProposedNote,
            &[
                &p.impact.spaces.len(),
                &format!(r#"<code translate="no">{}</code>"#, esc(&files.join(", ")))
            ]
        ),
        l.t(Key::ColTier)
    );
    for h in tier_header(r) {
        let _ = write!(s, "<th>{h}</th>");
    }
    s += "</tr></thead><tbody>";
    for (name, cells) in tier_rows(r, p) {
        let _ = write!(s, "<tr><td>{}</td>", esc(&name));
        for c in cells {
            let _ = write!(s, "<td>{}</td>", esc(&c));
        }
        s += "</tr>";
    }
    s += "</tbody></table>";
    if !p.zones.is_empty() {
        let _ = write!(
            s,
            r#"<table id="proposed-zones"><thead><tr><th>{}</th><th>{}</th>"#,
            l.t(Key::ColZone),
            l.t(Key::ColHomes)
        );
        for t in &std.tiers {
            let _ = write!(s, "<th>{}</th>", esc(&l.tier(t)));
        }
        let _ = write!(s, "<th>{}</th></tr></thead><tbody>", l.t(Key::AllTiers));
        for (before, after) in r.zones.iter().zip(&p.zones) {
            let _ = write!(
                s,
                r#"<tr><td translate="no">{}</td><td>{}</td>"#,
                esc(&l.zone_name(&before.name)),
                before.shares.points.total
            );
            for k in (0..std.tiers.len()).map(Some).chain([None]) {
                let _ = write!(
                    s,
                    "<td>{}</td>",
                    esc(&arrow(
                        l,
                        before.shares.point_share(k),
                        after.shares.point_share(k)
                    ))
                );
            }
            s += "</tr>";
        }
        s += "</tbody></table>";
    }
    s += &areas_html(r, p);
    s += &spaces_html(r, p);
    s
}

/// The residential polygons gaining most land in reach (top 20), as HTML.
fn areas_html(r: &Report, p: &ProposedReport) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let gaining = gaining_areas(r, p);
    if gaining.is_empty() {
        return String::new();
    }
    let mut s = format!(
        r#"<h3>{}</h3><table id="proposed-areas"><thead><tr><th>{}</th><th>{}</th><th>{}</th>"#,
        l.f(Key::HeadProposedAreas, &[&gaining.len()]),
        l.t(Key::ColArea),
        l.t(Key::ColWhere),
        l.t(Key::ColSize)
    );
    for t in &std.tiers {
        let _ = write!(s, "<th>{}</th>", esc(&l.tier(t)));
    }
    let _ = write!(s, "<th>{}</th></tr></thead><tbody>", l.t(Key::AllTiers));
    for &k in gaining.iter().take(20) {
        let (row, after) = (&r.areas[k], &p.areas[k]);
        let _ = write!(
            s,
            r#"<tr><td translate="no">{}</td><td translate="no">{}</td><td>{}</td>"#,
            esc(&row.id),
            esc(&row.place.as_ref().map_or(String::new(), |p| p.describe())),
            l.ha(row.land.area_m2, 2)
        );
        for t in 0..std.tiers.len() {
            let _ = write!(
                s,
                "<td>{}</td>",
                esc(&arrow(l, row.land.share(t), after.share(t)))
            );
        }
        let _ = write!(
            s,
            "<td>{}</td></tr>",
            esc(&arrow(l, row.land.all_share(), after.all_share()))
        );
    }
    s + "</tbody></table>"
}

/// What each proposed space newly serves, as HTML.
fn spaces_html(r: &Report, p: &ProposedReport) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut s = format!(
        r#"<h3>{}</h3><table id="proposed-spaces"><thead><tr><th>{}</th><th>{}</th><th>{}</th>"#,
        l.t(Key::HeadProposedSpaces),
        l.t(Key::ColSpace),
        l.t(Key::ColCategory),
        l.t(Key::ColAreaHa)
    );
    for t in &std.tiers {
        let _ = write!(s, "<th>{}</th>", esc(&l.tier(t)));
    }
    s += "</tr></thead><tbody>";
    for x in &p.impact.spaces {
        let _ = write!(
            s,
            r#"<tr><td translate="no">{}</td><td>{}</td><td>{}</td>"#,
            esc(&x.label),
            esc(&super::category_label(r, &x.category)),
            l.area_m2(x.area_m2.round())
        );
        for n in &x.newly {
            let _ = write!(s, "<td>+{n}</td>");
        }
        s += "</tr>";
    }
    s += "</tbody></table>";
    for (reason, n) in &p.impact.ignored {
        let _ = write!(
            s,
            r#"<p class="note">{}</p>"#,
            l.f(
                Key::ProposedIgnored,
                &[n, &l.reason(reason).unwrap_or_else(|| esc(reason))]
            )
        );
    }
    s
}

/// The section as Markdown (empty without `--proposed`).
pub(super) fn section_md(r: &Report) -> String {
    let Some(p) = &r.proposed else {
        return String::new();
    };
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let files: Vec<String> = p.files.iter().map(|f| f.display().to_string()).collect();
    let header = tier_header(r);
    let mut out = format!(
        "## {}\n\n{}\n\n| {} | {} |\n|---|{}\n",
        l.t(Key::HeadProposed),
        super::markdown::md(&l.f(
            Key::ProposedNote,
            &[&p.impact.spaces.len(), &format!("`{}`", files.join(", "))]
        )),
        l.t(Key::ColTier),
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for (name, cells) in tier_rows(r, p) {
        out += &format!("| {name} | {} |\n", cells.join(" | "));
    }
    if !p.zones.is_empty() {
        out += &format!("\n| {} | {} |", l.t(Key::ColZone), l.t(Key::ColHomes));
        for t in &std.tiers {
            out += &format!(" {} |", l.tier(t));
        }
        out += &format!(" {} |\n|---|---|", l.t(Key::AllTiers));
        out += &"---|".repeat(std.tiers.len() + 1);
        out += "\n";
        for (before, after) in r.zones.iter().zip(&p.zones) {
            out += &format!(
                "| {} | {} |",
                l.zone_name(&before.name),
                before.shares.points.total
            );
            for k in (0..std.tiers.len()).map(Some).chain([None]) {
                out += &format!(
                    " {} |",
                    arrow(l, before.shares.point_share(k), after.shares.point_share(k))
                );
            }
            out += "\n";
        }
    }
    out += &format!(
        "\n{}\n\n| {} | {} | {} |",
        l.t(Key::HeadProposedSpaces),
        l.t(Key::ColSpace),
        l.t(Key::ColCategory),
        l.t(Key::ColAreaHa)
    );
    for t in &std.tiers {
        out += &format!(" {} |", l.tier(t));
    }
    out += "\n|---|---|---|";
    out += &"---|".repeat(std.tiers.len());
    out += "\n";
    for x in &p.impact.spaces {
        out += &format!(
            "| {} | {} | {} |",
            x.label,
            super::category_label(r, &x.category),
            l.area_m2(x.area_m2.round())
        );
        for n in &x.newly {
            out += &format!(" +{n} |");
        }
        out += "\n";
    }
    out + "\n"
}

/// The lines `greenreach report` prints: homes meeting each tier before → after.
pub(super) fn terminal(r: &Report) -> String {
    let Some(p) = &r.proposed else {
        return String::new();
    };
    let l = r.config.lang;
    let mut out = format!("\n{}\n", l.t(Key::HeadProposed));
    for (name, cells) in tier_rows(r, p) {
        out += &format!("  {name}: {} ({})\n", cells[0], cells[2]);
    }
    out
}
