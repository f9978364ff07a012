//! `summary.md`, the headline table and the summary printed by `greenreach report`, in the
//! report's language.

use super::super::{PDF_NAME, Report, Shares};
use crate::report::lang::{Key, Lang};

/// Markup of a string (`<b>`, `<code>`, escapes) as Markdown.
pub(super) fn md(html: &str) -> String {
    html.replace("<b>", "**")
        .replace("</b>", "**")
        .replace("<code translate=\"no\">", "`")
        .replace("<code>", "`")
        .replace("</code>", "`")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}
use super::{
    KEPT_OUT_COLS, LARGEST_COLS, SHORTFALL_COLS, land_note, md_head, on_residential_land,
    shortfall_cells,
};

/// The headline table: one row per tier and one for all tiers.
pub fn headline_table(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let t = &r.totals;
    let weighted = r.config.weighted();
    let grades = &std.grades;
    let mut out = format!(
        "| {} | {} | {} |",
        l.t(Key::ColTier),
        l.t(Key::ColRadius),
        l.t(if r.walk.is_some() {
            Key::ColHomesOnFoot
        } else {
            Key::ColHomesWithin
        })
    );
    if weighted {
        out += &format!(" {} |", l.t(Key::ColResidentsWithin));
    }
    if t.land.is_some() {
        let key = if on_residential_land(r) {
            Key::ColLandWithin
        } else {
            Key::ColFootprintWithin
        };
        out += &format!(" {} |", l.t(key));
        if !grades.is_empty() {
            out += &format!(" {} |", l.t(Key::ColGrade));
        }
    }
    out += "\n|---|---|---|";
    if weighted {
        out += "---|";
    }
    if t.land.is_some() {
        out += if grades.is_empty() {
            "---|"
        } else {
            "---|---|"
        };
    }
    out += "\n";
    let row = |name: String, radius: String, k: Option<usize>| -> String {
        let mut s = format!(
            "| {name} | {radius} | {} ({}/{}) |",
            l.pct(t.point_share(k)),
            k.map_or(t.points.all, |k| t.points.within[k]),
            t.points.total
        );
        if weighted {
            s += &format!(" {} |", l.pct(t.weight_share(k)));
        }
        if let Some(land) = &t.land {
            let share = k.map_or(land.all_share(), |k| land.share(k));
            s += &format!(" {} |", l.pct(share));
            if let Some(g) = l.grade(share, grades) {
                s += &format!(" {g} |");
            }
        }
        s + "\n"
    };
    for (k, tier) in std.tiers.iter().enumerate() {
        out += &row(l.tier(tier), l.radius(tier), Some(k));
    }
    out += &row(l.t(Key::AllTiers).into(), String::new(), None);
    out
}

/// What `greenreach report` prints: the standard, the headline table, the land measured and
/// the files written.
pub fn terminal_summary(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut out = l.f(Key::TermStandard, &[&std.name, &l.describe_tiers(std)]) + "\n\n";
    out += &headline_table(r);
    if let Some(land) = &r.totals.land {
        out += "\n";
        let key = if on_residential_land(r) {
            Key::TermLand
        } else {
            Key::TermFootprint
        };
        out += &l.f(
            key,
            &[&l.ha(land.area_m2, 1), &format!("{:.2}", land.bound_pp())],
        );
        out += "\n";
    }
    out += &super::proposed::terminal(r);
    out += &super::walk::terminal(r);
    out += "\n";
    out += &l.f(
        Key::TermReport,
        &[&r.config.out_dir.join("index.html").display()],
    );
    out += "\n";
    if r.config.pdf {
        out += &l.f(Key::TermPdf, &[&r.config.out_dir.join(PDF_NAME).display()]);
        out += "\n";
    }
    out
}

/// The table by zone, worst first, and the zones without homes (empty without zones).
fn zones_md(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut out = String::new();
    if r.zones.is_empty() {
        return out;
    }
    out += &format!(
        "## {}\n\n| {} | {} |",
        l.t(Key::MdByZone),
        l.t(Key::ColZone),
        l.t(Key::ColHomes)
    );
    for t in &std.tiers {
        out += &format!(" {} |", l.tier(t));
    }
    out += &format!(" {} |", l.t(Key::AllTiers));
    if r.totals.land.is_some() {
        out += &format!(" {} |", l.t(Key::ColLandAll));
    }
    out += "\n|---|---|";
    out += &"---|".repeat(std.tiers.len() + 1 + usize::from(r.totals.land.is_some()));
    out += "\n";
    for z in &r.zones {
        out += &zone_row(r, &l.zone_name(&z.name), &z.shares);
    }
    out += &zone_row(r, &format!("**{}**", l.t(Key::Total)), &r.totals);
    out += "\n";
    if !r.empty_zones.is_empty() {
        out += &l.f(Key::EmptyZones, &[&r.empty_zones.join(l.t(Key::ListSep))]);
        out += "\n\n";
    }
    out
}

fn zone_row(r: &Report, name: &str, s: &Shares) -> String {
    let l = r.config.lang;
    let mut row = format!("| {name} | {} |", s.points.total);
    for k in 0..r.config.check.standard.tiers.len() {
        row += &format!(" {} |", l.pct(s.point_share(Some(k))));
    }
    row += &format!(" {} |", l.pct(s.point_share(None)));
    if let Some(land) = &s.land {
        row += &format!(" {} |", l.pct(land.all_share()));
    } else if r.totals.land.is_some() {
        row += " – |";
    }
    row + "\n"
}

/// The report in Markdown.
#[allow(clippy::too_many_lines)] // the sections in the page's order, each a few lines
pub(super) fn summary_md(r: &Report) -> String {
    let l: Lang = r.config.lang;
    let std = &r.config.check.standard;
    let source = l.source(std).unwrap_or(&std.source);
    let mut out = format!(
        "# {}\n\n{source}\n\n{}\n\n## {}\n\n{}\n",
        l.f(Key::MdTitle, &[&std.name]),
        l.f(
            Key::MdGenerated,
            &[&l.date(&r.generated_utc), &env!("CARGO_PKG_VERSION")]
        ),
        l.t(Key::HeadHeadline),
        headline_table(r)
    );
    out += &md(&l.f(
        Key::MethodWeighting,
        &[&l.weighting(&r.config.weight), &super::html::unassigned(r)],
    ));
    out += "\n\n";
    out += &md(&l.f(Key::MethodHomes, &[&l.homes(&r.config.check.homes)]));
    out += "\n\n";
    if let Some(land) = &r.totals.land {
        out += &md(&land_note(r, land.area_m2, land.bound_pp()));
        out += "\n\n";
    }
    out += &super::proposed::section_md(r);
    out += &super::walk::section_md(r);
    out += &shortfall_md(r);
    out += &spaces_md(r);
    out += &zones_md(r);
    out += &format!("## {}\n\n", l.t(Key::HeadGaps));
    out += &md_head(
        l,
        &[
            Key::ColTier,
            Key::ColRank,
            Key::ColHomes,
            Key::ColResidents,
            Key::ColWhere,
            Key::ColNearest,
            Key::ColShortfall,
        ],
    );
    let mut rank = vec![0usize; std.tiers.len()];
    for (k, g) in r.gaps.iter().enumerate() {
        rank[g.tier] += 1;
        if rank[g.tier] > 5 {
            continue;
        }
        let place = r
            .gap_places
            .get(k)
            .and_then(Option::as_ref)
            .map_or(String::new(), |p| p.describe());
        out += &format!(
            "| {} | {} | {} | {:.0} | {place} | {} | {} |\n",
            l.tier(&std.tiers[g.tier]),
            rank[g.tier],
            g.members.len(),
            g.weight,
            g.nearest.as_deref().unwrap_or(l.t(Key::MdNoneWithin)),
            l.shortfall(g, r.config.check.max_distance_m)
        );
    }
    out += &format!(
        "\n## {}\n\n| {} | {} | {} | {} | SHA-256 |\n|---|---|---|---|---|\n",
        l.t(Key::HeadInputs),
        l.t(Key::ColInputFile),
        l.t(Key::ColRole),
        l.t(Key::ColCrs),
        l.t(Key::ColFeatures)
    );
    for f in &r.inputs {
        out += &format!(
            "| {} | {} | {} | {} | `{}` |\n",
            f.info.path.display(),
            l.role(&f.info.role),
            f.info.crs,
            f.info.read,
            f.sha256
        );
    }
    out
}

/// How far the failing homes fall short, per tier.
fn shortfall_md(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut out = format!(
        "## {}\n\n{}",
        l.t(Key::HeadShortfall),
        md_head(l, &SHORTFALL_COLS)
    );
    for (t, tier) in std.tiers.iter().enumerate() {
        let [n, p50, p75, p90] = shortfall_cells(r, t);
        out += &format!("| {} | {n} | {p50} | {p75} | {p90} |\n", l.tier(tier));
    }
    out += "\n";
    out += &md(&l.f(Key::ShortfallNote, &[&l.m(r.config.check.max_distance_m)]));
    out + "\n\n"
}

/// A reason as Markdown in the report's language (as written when the table does not know it).
fn reason_md(r: &Report, text: &str) -> String {
    r.config
        .lang
        .reason(text)
        .map_or_else(|| text.to_string(), |h| md(&h))
}

/// Which green spaces counted and why, and the ones kept out.
fn spaces_md(r: &Report) -> String {
    let l = r.config.lang;
    let sp = &r.spaces;
    let std = &r.config.check.standard;
    let mut out = format!(
        "## {}\n\n{}",
        l.t(Key::HeadSpaces),
        md_head(l, &[Key::ColTier, Key::ColSpaces, Key::ColAreaHa])
    );
    for (t, ts) in sp.tiers.iter().enumerate() {
        out += &format!(
            "| {} | {} | {} |\n",
            l.tier(&std.tiers[t]),
            ts.count,
            l.ha(ts.area_m2, 1)
        );
    }
    let mut cols = LARGEST_COLS.to_vec();
    cols.push(Key::ColHomesServedPerTier);
    out += "\n";
    out += &md_head(l, &cols);
    for x in &sp.largest {
        let category = super::category_label(r, &x.category);
        out += &format!(
            "| {} | {category} | {} | {} | {} |\n",
            x.label,
            l.ha(x.area_m2, 2),
            reason_md(r, &x.reason),
            x.homes_served
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" / ")
        );
    }
    for (t, ts) in sp.tiers.iter().enumerate() {
        if ts.most_serving.is_empty() {
            continue;
        }
        let list: Vec<String> = ts
            .most_serving
            .iter()
            .take(5)
            .map(|x| {
                l.f(
                    Key::ServingMostItem,
                    &[&x.label, &x.homes_served[t], &reason_md(r, &x.reason)],
                )
            })
            .collect();
        out += "\n";
        out += &l.f(
            Key::ServingMostIn,
            &[
                &l.tier(&std.tiers[t]),
                &list.join(if l == Lang::Zh { "；" } else { "; " }),
            ],
        );
        out += "\n";
    }
    if let Some(outside) = sp.mostly_outside.as_ref().filter(|v| !v.is_empty()) {
        let list: Vec<String> = outside
            .iter()
            .map(|x| {
                l.f(
                    Key::InsideShare,
                    &[
                        &x.label,
                        &format!("{:.0}", 100.0 * x.inside_share.unwrap_or(0.0)),
                    ],
                )
            })
            .collect();
        out += "\n";
        out += &l.f(Key::SpacesOutside, &[&list.join(l.t(Key::ListSep))]);
        out += "\n";
    }
    out += &kept_out_md(r);
    out + "\n"
}

/// The spaces kept out, by reason, and the largest of them (empty when none).
fn kept_out_md(r: &Report) -> String {
    let l = r.config.lang;
    let sp = &r.spaces;
    let mut out = String::new();
    if sp.kept_out_by_reason.is_empty() {
        return out;
    }
    out += "\n";
    out += &md_head(l, &[Key::ColWhy, Key::ColSpaces]);
    for (reason, n) in &sp.kept_out_by_reason {
        out += &format!("| {} | {n} |\n", reason_md(r, reason));
    }
    out += "\n";
    out += &md_head(l, &KEPT_OUT_COLS);
    for k in &sp.largest_kept_out {
        out += &format!(
            "| {} | {} | {} |\n",
            k.label,
            l.ha(k.area_m2, 2),
            reason_md(r, &k.reason)
        );
    }
    out
}
