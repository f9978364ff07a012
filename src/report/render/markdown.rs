//! `summary.md`, the headline table and the summary printed by `greenreach report`, in the
//! report's language.

use super::super::{PDF_NAME, Report, Shares};
use crate::report::lang::{Key, Lang};

/// Markup of a string (`<b>`, `<code>`, escapes) as Markdown.
fn md(html: &str) -> String {
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

/// The headline table: one row per tier and one for all tiers.
pub fn headline_table(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let t = &r.totals;
    let weighted = !matches!(r.config.weight, crate::report::WeightSource::Points);
    let mut out = format!(
        "| {} | {} | {} |",
        l.t(Key::ColTier),
        l.t(Key::ColRadius),
        l.t(Key::ColHomesWithin)
    );
    if weighted {
        out += &format!(" {} |", l.t(Key::ColResidentsWithin));
    }
    if t.land.is_some() {
        out += &format!(" {} | {} |", l.t(Key::ColLandWithin), l.t(Key::ColGrade));
    }
    out += "\n|---|---|---|";
    if weighted {
        out += "---|";
    }
    if t.land.is_some() {
        out += "---|---|";
    }
    out += "\n";
    let row = |name: String, radius: String, k: Option<usize>| -> String {
        let mut s = format!(
            "| {name} | {radius} | {} ({}/{}) |",
            l.pct(t.point_share(k)),
            k.map_or(t.all, |k| t.within[k]),
            t.points
        );
        if weighted {
            s += &format!(" {} |", l.pct(t.weight_share(k)));
        }
        if let Some(land) = &t.land {
            let share = k.map_or(land.all_share(), |k| land.share(k));
            s += &format!(" {} | {} |", l.pct(share), l.grade(share));
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
        out += &l.f(
            Key::TermLand,
            &[&l.ha(land.area_m2, 1), &format!("{:.2}", land.bound_pp())],
        );
        out += "\n";
    }
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

fn zone_row(r: &Report, name: &str, s: &Shares) -> String {
    let l = r.config.lang;
    let mut row = format!("| {name} | {} |", s.points);
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
pub fn summary_md(r: &Report) -> String {
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
        out += &l.f(
            Key::MdLand,
            &[&l.ha(land.area_m2, 1), &format!("{:.2}", land.bound_pp())],
        );
        out += "\n\n";
    }
    if !r.zones.is_empty() {
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
    }
    out += &format!(
        "## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n",
        l.t(Key::HeadGaps),
        l.t(Key::ColTier),
        l.t(Key::ColRank),
        l.t(Key::ColHomes),
        l.t(Key::ColResidents),
        l.t(Key::ColNearest),
        l.t(Key::ColShortfall)
    );
    let mut rank = vec![0usize; std.tiers.len()];
    for g in &r.gaps {
        rank[g.tier] += 1;
        if rank[g.tier] > 5 {
            continue;
        }
        out += &format!(
            "| {} | {} | {} | {:.0} | {} | {} |\n",
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
