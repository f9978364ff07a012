//! `summary.md` and the headline table printed by `greenreach report`.

use super::super::{Report, Shares};
use super::{grade, land_words, pct, shortfall_cells};

/// The headline table: one row per tier and one for all tiers.
pub fn headline_table(r: &Report) -> String {
    let std = &r.config.check.standard;
    let t = &r.totals;
    let weighted = !r.weights.description.starts_with("every home");
    let grades = &std.grades;
    let (land_word, _) = land_words(r);
    let mut out = String::from("| tier | radius | homes within reach |");
    if weighted {
        out += " residents within reach |";
    }
    if t.land.is_some() {
        out += &format!(" {land_word} within reach |");
        if !grades.is_empty() {
            out += " grade |";
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
            pct(t.point_share(k)),
            k.map_or(t.all, |k| t.within[k]),
            t.points
        );
        if weighted {
            s += &format!(" {} |", pct(t.weight_share(k)));
        }
        if let Some(l) = &t.land {
            let share = k.map_or(l.all_share(), |k| l.share(k));
            s += &format!(" {} |", pct(share));
            if let Some(g) = grade(share, grades) {
                s += &format!(" {g} |");
            }
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
        out += &land_note(r, l.area_m2, l.bound_pp());
        out += "\n\n";
    }
    out += &shortfall_md(r);
    out += &spaces_md(r);
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
        if !r.empty_zones.is_empty() {
            out += &format!(
                "Zones with no home in the data (not ranked): {}.\n\n",
                r.empty_zones.join(", ")
            );
        }
    }
    out += "## Largest gaps\n\n| tier | rank | homes | residents | where | nearest space | shortfall |\n|---|---|---|---|---|---|---|\n";
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

/// What `greenreach report` prints: the standard, the headline table, what the land share is
/// measured over, and where the report is.
pub fn terminal_summary(r: &Report) -> String {
    let std = &r.config.check.standard;
    let mut out = format!(
        "standard {}: {}\n\n{}",
        std.name,
        std.describe_tiers(),
        headline_table(r)
    );
    if let Some(l) = &r.totals.land {
        let (word, is_rate) = land_words(r);
        out += &format!(
            "\n{word}: {:.1} ha{} (land shares exact to within {:.2} percentage points)\n",
            l.area_m2 / 1e4,
            if is_rate {
                ", the denominator of the 公园绿地服务半径覆盖率"
            } else {
                "; not the residential land rate: give --land for that"
            },
            l.bound_pp()
        );
    }
    out += &format!(
        "\nreport: {}\n",
        r.config.out_dir.join("index.html").display()
    );
    out
}

/// The sentence under the headline that says what the land share is measured over.
pub fn land_note(r: &Report, area_m2: f64, bound_pp: f64) -> String {
    let (word, is_rate) = land_words(r);
    let std = &r.config.check.standard;
    let mut s = if is_rate {
        format!(
            "Residential land (land-use polygons; the rate is the 公园绿地服务半径覆盖率): {:.1} ha",
            area_m2 / 1e4
        )
    } else {
        format!(
            "Building footprint area of the homes: {:.1} ha. This is not the residential land rate (公园绿地服务半径覆盖率): give residential land-use polygons with --land for that",
            area_m2 / 1e4
        )
    };
    s += &format!(
        "; every {word} share is exact to within {bound_pp:.2} percentage points (adaptive quadtree, exact polygon clipping)."
    );
    if !std.grades.is_empty() {
        let g: Vec<String> = std.grades.iter().map(|g| format!("{g}%")).collect();
        s += &format!(" Grades: {} ({}).", g.join(" and "), std.grades_source);
    }
    s
}

/// How far the failing homes fall short, per tier.
fn shortfall_md(r: &Report) -> String {
    let std = &r.config.check.standard;
    let mut out = String::from(
        "## How far the rest fall short\n\n| tier | homes out of reach | median | 75th percentile | 90th percentile |\n|---|---|---|---|---|\n",
    );
    for (t, tier) in std.tiers.iter().enumerate() {
        let [n, p50, p75, p90] = shortfall_cells(r, t);
        out += &format!("| {} | {n} | {p50} | {p75} | {p90} |\n", tier.name);
    }
    out += &format!(
        "\nShortfall = distance to the nearest qualifying space − the radius, over every home out of reach; homes with nothing within the search limit ({} m) count as more than the limit minus the radius.\n\n",
        r.config.check.max_distance_m
    );
    out
}

/// Which green spaces counted, by which rule; what was kept out and why.
fn spaces_md(r: &Report) -> String {
    let sp = &r.spaces;
    let mut out =
        String::from("## Green spaces counted\n\n| tier | spaces | area |\n|---|---|---|\n");
    for t in &sp.tiers {
        out += &format!("| {} | {} | {:.1} ha |\n", t.tier, t.count, t.area_m2 / 1e4);
    }
    out += "\nLargest spaces counted:\n\n| space | category | area | why it counts | homes served (per tier) |\n|---|---|---|---|---|\n";
    for s in &sp.largest {
        out += &format!(
            "| {} | {} | {:.2} ha | {} | {} |\n",
            s.label,
            s.category,
            s.area_m2 / 1e4,
            s.reason,
            s.homes_served
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(" / ")
        );
    }
    for t in &sp.tiers {
        if t.most_serving.is_empty() {
            continue;
        }
        let list: Vec<String> = t
            .most_serving
            .iter()
            .take(5)
            .map(|s| {
                let t_idx = r
                    .config
                    .check
                    .standard
                    .tiers
                    .iter()
                    .position(|x| x.name == t.tier)
                    .unwrap_or(0);
                format!(
                    "{} ({} homes; {})",
                    s.label, s.homes_served[t_idx], s.reason
                )
            })
            .collect();
        out += &format!(
            "\nServing the most homes in {}: {}.\n",
            t.tier,
            list.join("; ")
        );
    }
    if let Some(out_of_area) = sp.mostly_outside.as_ref().filter(|v| !v.is_empty()) {
        {
            let list: Vec<String> = out_of_area
                .iter()
                .map(|s| {
                    format!(
                        "{} ({:.0}% inside)",
                        s.label,
                        100.0 * s.inside_share.unwrap_or(0.0)
                    )
                })
                .collect();
            out += &format!(
                "\nCounted but lying mostly outside the study area (they still serve homes near the border): {}.\n",
                list.join(", ")
            );
        }
    }
    if !sp.kept_out_by_reason.is_empty() {
        out += "\nKept out:\n\n| reason | features |\n|---|---|\n";
        for (reason, n) in &sp.kept_out_by_reason {
            out += &format!("| {reason} | {n} |\n");
        }
        out += "\nLargest spaces kept out:\n\n| space | area | why |\n|---|---|---|\n";
        for k in &sp.largest_kept_out {
            out += &format!(
                "| {} | {:.2} ha | {} |\n",
                k.label,
                k.area_m2 / 1e4,
                k.reason
            );
        }
    }
    out + "\n"
}
