//! `summary.md` and the headline table printed by `greenreach report`.

use super::super::{Report, Shares};
use super::{grade, pct};

/// The headline table: one row per tier and one for all tiers.
pub fn headline_table(r: &Report) -> String {
    let std = &r.config.check.standard;
    let t = &r.totals;
    let weighted = !r.weights.description.starts_with("every home");
    let mut out = String::from("| tier | radius | homes within reach |");
    if weighted {
        out += " residents within reach |";
    }
    if t.land.is_some() {
        out += " residential land within reach | grade |";
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
            pct(t.point_share(k)),
            k.map_or(t.all, |k| t.within[k]),
            t.points
        );
        if weighted {
            s += &format!(" {} |", pct(t.weight_share(k)));
        }
        if let Some(l) = &t.land {
            let share = k.map_or(l.all_share(), |k| l.share(k));
            s += &format!(" {} | {} |", pct(share), grade(share));
        }
        s + "\n"
    };
    for (k, tier) in std.tiers.iter().enumerate() {
        let label = if tier.label.is_empty() {
            tier.name.clone()
        } else {
            format!("{} {}", tier.name, tier.label)
        };
        let radius = if tier.size_classes.is_empty() {
            format!("{} m", tier.radius_m)
        } else {
            format!("{}–{} m", tier.radius_m, tier.max_radius())
        };
        out += &row(label, radius, Some(k));
    }
    out += &row("all tiers".into(), String::new(), None);
    out
}

fn zone_row(r: &Report, name: &str, s: &Shares) -> String {
    let mut row = format!("| {name} | {} |", s.points);
    for k in 0..r.config.check.standard.tiers.len() {
        row += &format!(" {} |", pct(s.point_share(Some(k))));
    }
    row += &format!(" {} |", pct(s.point_share(None)));
    if let Some(l) = &s.land {
        row += &format!(" {} |", pct(l.all_share()));
    } else if r.totals.land.is_some() {
        row += " – |";
    }
    row + "\n"
}

/// The report in Markdown.
pub fn summary_md(r: &Report) -> String {
    let std = &r.config.check.standard;
    let mut out = format!(
        "# Green space reach: standard {}\n\n{}\n\nGenerated {} by greenreach {}.\n\n## Headline\n\n{}\n",
        std.name,
        std.source,
        r.generated_utc,
        env!("CARGO_PKG_VERSION"),
        headline_table(r)
    );
    out += &format!(
        "Weighting: {}.{}\n\nHomes: {}.\n\n",
        r.weights.description,
        super::html::unassigned(r),
        r.homes_rule
    );
    if let Some(l) = &r.totals.land {
        out += &format!(
            "Residential land: {:.1} ha; shares are exact to within {:.2} percentage points (adaptive quadtree, exact polygon clipping).\n\n",
            l.area_m2 / 1e4,
            l.bound_pp()
        );
    }
    if !r.zones.is_empty() {
        out += "## By zone (worst first)\n\n| zone | homes |";
        for t in &std.tiers {
            out += &format!(" {} |", t.name);
        }
        out += " all tiers |";
        if r.totals.land.is_some() {
            out += " land, all tiers |";
        }
        out += "\n|---|---|";
        out += &"---|".repeat(std.tiers.len() + 1 + usize::from(r.totals.land.is_some()));
        out += "\n";
        for z in &r.zones {
            out += &zone_row(r, &z.name, &z.shares);
        }
        out += &zone_row(r, "**total**", &r.totals);
        out += "\n";
    }
    out += "## Largest gaps\n\n| tier | rank | homes | residents | nearest space | shortfall |\n|---|---|---|---|---|---|\n";
    let mut rank = vec![0usize; std.tiers.len()];
    for g in &r.gaps {
        rank[g.tier] += 1;
        if rank[g.tier] > 5 {
            continue;
        }
        out += &format!(
            "| {} | {} | {} | {:.0} | {} | {} |\n",
            std.tiers[g.tier].name,
            rank[g.tier],
            g.members.len(),
            g.weight,
            g.nearest
                .as_deref()
                .unwrap_or("none within the search limit"),
            g.shortfall_text(r.config.check.max_distance_m)
        );
    }
    out += "\n## Inputs\n\n| file | role | CRS | features | SHA-256 |\n|---|---|---|---|---|\n";
    for f in &r.inputs {
        out += &format!(
            "| {} | {} | {} | {} | `{}` |\n",
            f.info.path.display(),
            f.info.role,
            f.info.crs,
            f.info.read,
            f.sha256
        );
    }
    out
}
