//! `index.html`: one self-contained page (inline CSS and SVG, no network requests).

use std::fmt::Write;

use super::super::{Report, Shares};
use super::print::{font_stack, print_css};
use super::svg::{esc, histogram};
use super::{
    KEPT_OUT_COLS, LARGEST_COLS, SHORTFALL_COLS, land_note, land_share_text, shortfall_cells, th,
};
use crate::report::lang::{Key, Lang};

const CSS: &str = r#"
:root { --ink: #1d2327; --muted: #5b6670; --line: #d6dadd; --good: #1a9641; --bad: #d7191c; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45; font-size: 15px; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card h3 { margin: 0; font-size: 15px; } .card .r { color: var(--muted); font-size: 13px; }
.card .big { font-size: 30px; font-weight: 700; margin: 6px 0 2px; }
.card .line { font-size: 13px; color: var(--muted); }
.g90 { color: var(--good); font-weight: 600; } .g80 { color: #b8860b; font-weight: 600; } .glow { color: var(--bad); font-weight: 600; }
.g90, .g80, .glow { white-space: nowrap; }
#inputs td:nth-child(2), #inputs td:nth-child(3), #inputs td:nth-child(4) { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: #f3f5f6; font-weight: 600; }
td.name { text-align: left; } #lost-table td:first-child, #walk-tiers td:first-child { white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.hists { display: flex; flex-wrap: wrap; gap: 16px; } .hists figure { margin: 0; width: 300px; } figcaption { font-size: 13px; color: var(--muted); }
.map svg { width: 100%; height: auto; border: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.note { color: var(--muted); font-size: 13px; }
.conclusion { border-left: 4px solid var(--good); background: #f6faf6; padding: 8px 14px; margin: 14px 0; }
.conclusion p { margin: 3px 0; }
"#;

/// The colour class of a share under the standard's grades (none without grades).
fn grade_class(share: f64, grades: &[f64]) -> &'static str {
    match grades {
        [] => "",
        _ if 100.0 * share >= grades[grades.len() - 1] - 1e-9 => "g90",
        _ if 100.0 * share >= grades[0] - 1e-9 => "g80",
        _ => "glow",
    }
}

fn zone_table(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let weighted = r.config.weighted();
    let land = r.totals.land.is_some();
    let mut s = format!(
        r#"<table id="zones-table"><thead><tr><th>{}</th><th>{}</th>"#,
        l.t(Key::ColZone),
        l.t(Key::ColHomes)
    );
    for t in &std.tiers {
        let _ = write!(
            s,
            "<th>{}</th>",
            l.f(Key::ColTierWithin, &[&esc(&l.tier(t)), &l.radius(t)])
        );
    }
    let _ = write!(s, "<th>{}</th>", l.t(Key::AllTiers));
    if weighted {
        let _ = write!(s, "<th>{}</th>", l.t(Key::ColResidentsAll));
    }
    if land {
        let _ = write!(s, "<th>{}</th>", l.t(Key::ColLandAll));
    }
    s += "</tr></thead><tbody>";
    let row = |name: &str, raw: bool, sh: &Shares, class: &str| {
        let mut s = format!(
            r#"<tr class="{class}"><td{}>{}</td><td>{}</td>"#,
            if raw { r#" translate="no""# } else { "" },
            esc(name),
            sh.points.total
        );
        for t in 0..std.tiers.len() {
            let _ = write!(s, "<td>{}</td>", l.pct(sh.point_share(Some(t))));
        }
        let _ = write!(s, "<td><b>{}</b></td>", l.pct(sh.point_share(None)));
        if weighted {
            let _ = write!(s, "<td>{}</td>", l.pct(sh.weight_share(None)));
        }
        if land {
            match &sh.land {
                Some(x) => {
                    let _ = write!(
                        s,
                        r#"<td class="{}">{}</td>"#,
                        grade_class(x.all_share(), &std.grades),
                        l.pct(x.all_share())
                    );
                }
                None => s += "<td>–</td>",
            }
        }
        s + "</tr>"
    };
    for z in &r.zones {
        let outside = z.name == crate::report::OUTSIDE_ZONES;
        s += &row(&l.zone_name(&z.name), !outside, &z.shares, "zone");
    }
    s += "</tbody><tfoot>";
    s += &row(l.t(Key::Total), false, &r.totals, "total");
    s + "</tfoot></table>"
}

/// The findings in sentences: per tier the share of homes within its radius, with the land
/// share and its grade when measured.
fn conclusion(r: &Report) -> String {
    let l = r.config.lang;
    let t = &r.totals;
    let mut s = format!(
        r#"<div class="conclusion" id="conclusion"><h3>{}</h3>"#,
        l.t(Key::Conclusion)
    );
    for (k, tier) in r.config.check.standard.tiers.iter().enumerate() {
        let _ = write!(
            s,
            "<p>{}",
            l.f(
                Key::ConclusionTier,
                &[
                    &esc(&l.tier(tier)),
                    &l.pct(t.point_share(Some(k))),
                    &l.radius(tier)
                ]
            )
        );
        if let Some(land) = &t.land {
            let _ = write!(
                s,
                "{}",
                l.f(
                    Key::ConclusionLand,
                    &[
                        &land_share_text(r, land.share(k)),
                        &l.grade(land.share(k), &r.config.check.standard.grades)
                            .map_or(String::new(), |g| l.f(Key::GradeSuffix, &[&g]))
                    ]
                )
            );
        }
        s += "</p>";
    }
    s + "</div>"
}

/// A value from the data (a name, an id, a path): shown as written, never translated.
fn raw(text: &str) -> String {
    format!(r#"<span translate="no">{}</span>"#, esc(text))
}

/// The page.
pub(crate) fn page(r: &Report, map_svg: &str) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let t = &r.totals;
    let source = l
        .source(std)
        .map_or_else(|| raw(&std.source), str::to_string);
    let mut s = format!(
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{CSS}body {{ font-family: {}; }}{}</style></head><body><main>"#,
        l.html_lang(),
        l.f(Key::PageTitle, &[&esc(&std.name)]),
        font_stack(l),
        print_css(l)
    );
    let _ = write!(
        s,
        r#"<h1>{}</h1><p class="sub">{}<br>{}</p>"#,
        l.t(Key::Heading),
        l.f(Key::SubStandard, &[&raw(&std.name), &source]),
        l.f(
            Key::SubCounts,
            &[
                &t.points.total,
                &l.date(&r.generated_utc),
                &env!("CARGO_PKG_VERSION")
            ]
        )
    );
    s += &cards(r);
    s += &conclusion(r);
    if let Some(land) = &t.land {
        let _ = write!(
            s,
            r#"<p class="note" id="land-note">{}</p>"#,
            land_note(r, land.area_m2, land.bound_pp())
        );
    }
    s += &super::proposed::section_html(r);
    s += &super::walk::section_html(r);
    s += &shortfall_section(r);
    let _ = write!(
        s,
        r#"<section class="map-page"><h2>{}</h2><div class="map">{map_svg}</div></section>"#,
        l.t(Key::HeadMap)
    );
    s += &histograms_section(r);
    if !r.zones.is_empty() {
        let _ = write!(s, "<h2>{}</h2>", l.t(Key::HeadZones));
        s += &zone_table(r);
        if !r.empty_zones.is_empty() {
            let _ = write!(
                s,
                r#"<p class="note" id="empty-zones">{}</p>"#,
                l.f(
                    Key::EmptyZones,
                    &[&raw(&r.empty_zones.join(l.t(Key::ListSep)))]
                )
            );
        }
    }
    s += &spaces_section(r);
    s += &areas_section(r);
    s += &gaps_section(r);
    s += &method_section(r);
    let _ = write!(
        s,
        r#"<p class="note">{}</p></main></body></html>"#,
        l.t(Key::Attribution)
    );
    s
}

/// The headline: a card per tier and one for all tiers.
fn cards(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let t = &r.totals;
    let weighted = r.config.weighted();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<h2>{}</h2><div class="cards" id="headline">"#,
        l.t(Key::HeadHeadline)
    );
    for (k, tier) in std.tiers.iter().enumerate() {
        let _ = write!(
            s,
            r#"<div class="card"><h3>{}</h3><div class="r">{}</div><div class="big">{}</div><div class="line">{}</div>"#,
            esc(&l.tier(tier)),
            l.f(
                if r.walk.is_some() {
                    Key::CardWithinOnFoot
                } else {
                    Key::CardWithin
                },
                &[&l.radius(tier)]
            ),
            l.pct(t.point_share(Some(k))),
            l.f(Key::CardOfHomes, &[&t.points.within[k], &t.points.total])
        );
        if weighted {
            let _ = write!(
                s,
                r#"<div class="line">{}</div>"#,
                l.f(Key::CardOfResidents, &[&l.pct(t.weight_share(Some(k)))])
            );
        }
        if let Some(land) = &t.land {
            let g = l
                .grade(land.share(k), &std.grades)
                .map_or(String::new(), |g| {
                    format!(
                        r#" · <span class="{}">{g}</span>"#,
                        grade_class(land.share(k), &std.grades)
                    )
                });
            let _ = write!(
                s,
                r#"<div class="line">{}{g}</div>"#,
                land_share_text(r, land.share(k))
            );
        }
        s += "</div>";
    }
    let _ = write!(
        s,
        r#"<div class="card"><h3>{}</h3><div class="r">{}</div><div class="big">{}</div><div class="line">{}</div>{}{}</div></div>"#,
        l.t(Key::AllTiers),
        l.t(Key::EveryTierMet),
        l.pct(t.point_share(None)),
        l.f(Key::CardOfHomes, &[&t.points.all, &t.points.total]),
        if weighted {
            format!(
                r#"<div class="line">{}</div>"#,
                l.f(Key::CardOfResidents, &[&l.pct(t.weight_share(None))])
            )
        } else {
            String::new()
        },
        t.land.as_ref().map_or(String::new(), |land| format!(
            r#"<div class="line">{}</div>"#,
            land_share_text(r, land.all_share())
        ))
    );
    s
}

/// The distance histograms, one per tier.
fn histograms_section(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<h2>{}</h2><div class="hists">"#,
        l.t(Key::HeadDistances)
    );
    for (tier, h) in std.tiers.iter().zip(&r.histograms) {
        let _ = write!(
            s,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            histogram(h, tier.radius_m, &l.tier(tier), l),
            l.f(
                Key::HistCaption,
                &[
                    &esc(&l.tier(tier)),
                    &l.m(tier.radius_m),
                    &l.m(r.config.check.max_distance_m)
                ]
            )
        );
    }
    s += "</div>";
    s
}

/// The residential polygons with the least land in reach (the 20 worst).
fn areas_section(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut s = String::new();
    if !r.areas.is_empty() {
        let _ = write!(
            s,
            r#"<h2>{}</h2><p class="note">{}</p><table id="areas-table"><thead><tr><th>{}</th><th>{}</th><th>{}</th>"#,
            l.t(Key::HeadAreas),
            l.f(Key::AreasNote, &[&r.areas.len()]),
            l.t(Key::ColArea),
            l.t(Key::ColWhere),
            l.t(Key::ColSize)
        );
        for tier in &std.tiers {
            let _ = write!(s, "<th>{}</th>", esc(&l.tier(tier)));
        }
        let _ = write!(s, "<th>{}</th></tr></thead><tbody>", l.t(Key::AllTiers));
        for a in r.areas.iter().take(20) {
            let _ = write!(
                s,
                r#"<tr><td translate="no">{}</td><td translate="no">{}</td><td>{}</td>"#,
                esc(&a.id),
                esc(&a.place.as_ref().map_or(String::new(), |p| p.describe())),
                l.ha(a.land.area_m2, 2)
            );
            for k in 0..std.tiers.len() {
                let _ = write!(s, "<td>{}</td>", l.pct(a.land.share(k)));
            }
            let _ = write!(s, "<td>{}</td></tr>", l.pct(a.land.all_share()));
        }
        s += "</tbody></table>";
    }
    s
}

/// The largest gaps of each tier (10 each).
fn gaps_section(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let weighted = r.config.weighted();
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<h2>{}</h2><p class="note">{}</p><table id="gaps-table"><thead><tr><th>{}</th><th>{}</th><th>{}</th>"#,
        l.t(Key::HeadGaps),
        l.t(Key::GapsNote),
        l.t(Key::ColTier),
        l.t(Key::ColRank),
        l.t(Key::ColHomes)
    );
    if weighted {
        let _ = write!(s, "<th>{}</th>", l.t(Key::ColResidents));
    }
    let _ = write!(
        s,
        "<th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.t(Key::ColWhere),
        l.t(Key::ColExtent),
        l.t(Key::ColNearest),
        l.t(Key::ColShortfall)
    );
    let mut rank = vec![0usize; std.tiers.len()];
    for (k, g) in r.gaps.iter().enumerate() {
        rank[g.tier] += 1;
        if rank[g.tier] > 10 {
            continue;
        }
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            esc(&l.tier(&std.tiers[g.tier])),
            rank[g.tier],
            g.members.len()
        );
        if weighted {
            let _ = write!(s, "<td>{:.0}</td>", g.weight);
        }
        let short = l.shortfall(g, r.config.check.max_distance_m);
        let place = r.gap_places.get(k).and_then(Option::as_ref);
        let _ = write!(
            s,
            r#"<td translate="no">{}</td><td>{}</td><td translate="no">{}</td><td>{short}</td></tr>"#,
            esc(&place.map_or(String::new(), |p| p.describe())),
            l.ha(g.hull_area_m2, 1),
            esc(g.nearest.as_deref().unwrap_or("–"))
        );
    }
    s += "</tbody></table>";
    s
}

/// Method and provenance: the standard, homes, weighting, distance, counts, what was left
/// out, the inputs and the warnings.
fn method_section(r: &Report) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let mut s = String::new();
    let _ = write!(s, r#"<h2>{}</h2><ul class="note">"#, l.t(Key::HeadMethod));
    let _ = write!(
        s,
        "<li>{}</li>",
        l.f(
            Key::MethodStandard,
            &[&raw(&std.name), &esc(&l.describe_tiers(std))]
        )
    );
    let _ = write!(
        s,
        "<li>{}</li>",
        l.f(Key::MethodHomes, &[&l.homes(&r.config.check.homes)])
    );
    let _ = write!(
        s,
        "<li>{}</li>",
        l.f(
            Key::MethodWeighting,
            &[&l.weighting(&r.config.weight), &unassigned(r)]
        )
    );
    let _ = write!(
        s,
        "<li>{}</li>",
        l.f(
            if r.walk.is_some() {
                Key::MethodDistanceWalk
            } else {
                Key::MethodDistance
            },
            &[
                &format!("{:.4}", r.prepared.plane.origin().0),
                &format!("{:.4}", r.prepared.plane.origin().1),
                &l.m(r.config.check.max_distance_m)
            ]
        )
    );
    let sum = &r.summary;
    let _ = write!(
        s,
        "<li>{}</li>",
        l.f(
            Key::MethodCounts,
            &[
                &sum.green_read,
                &sum.green_used,
                &sum.green_skipped,
                &sum.points_read,
                &sum.points_evaluated
            ]
        )
    );
    let reason = |text: &str| l.reason(text).unwrap_or_else(|| raw(text));
    for (key, why, n) in sum
        .green_ignored
        .iter()
        .map(|(k, v)| (Key::GreenIgnored, k, v))
        .chain(
            sum.points_skipped
                .iter()
                .map(|(k, v)| (Key::HomesSkipped, k, v)),
        )
    {
        let _ = write!(
            s,
            "<li>{}{}{n}</li>",
            l.f(key, &[&reason(why)]),
            l.t(Key::Colon)
        );
    }
    s += "</ul>";
    s += &inputs_section(r);
    s
}

/// The input files (path, role, CRS, features, SHA-256) and the run's warnings.
fn inputs_section(r: &Report) -> String {
    let l = r.config.lang;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<table id="inputs"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>SHA-256</th></tr></thead><tbody>"#,
        l.t(Key::ColInputFile),
        l.t(Key::ColRole),
        l.t(Key::ColCrs),
        l.t(Key::ColFeatures)
    );
    for f in &r.inputs {
        let _ = write!(
            s,
            r#"<tr><td class="mono" translate="no">{}</td><td>{}</td><td translate="no">{}</td><td>{}</td><td class="mono" translate="no">{}</td></tr>"#,
            esc(&f.info.path.display().to_string()),
            esc(&l.role(&f.info.role)),
            esc(&f.info.crs),
            f.info.read,
            f.sha256
        );
    }
    s += "</tbody></table>";
    if !r.warnings.is_empty() {
        let _ = write!(
            s,
            r#"<h2>{}</h2><p class="note">{}</p><ul class="note" translate="no">"#,
            l.t(Key::HeadWarnings),
            l.t(Key::WarningsNote)
        );
        for w in &r.warnings {
            let _ = write!(s, "<li>{}</li>", esc(w));
        }
        s += "</ul>";
    }
    s
}

/// How far the failing homes fall short, per tier: median, 75th and 90th percentile.
fn shortfall_section(r: &Report) -> String {
    let l = r.config.lang;
    let mut s = format!(
        r#"<h2>{}</h2><table id="shortfall-table"><thead><tr>{}</tr></thead><tbody>"#,
        l.t(Key::HeadShortfall),
        th(l, &SHORTFALL_COLS)
    );
    for (t, tier) in r.config.check.standard.tiers.iter().enumerate() {
        let [n, p50, p75, p90] = shortfall_cells(r, t);
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{n}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.tier(tier)),
            esc(&p50),
            esc(&p75),
            esc(&p90)
        );
    }
    let _ = write!(
        s,
        r#"</tbody></table><p class="note">{}</p>"#,
        l.f(Key::ShortfallNote, &[&l.m(r.config.check.max_distance_m)])
    );
    s
}

/// A reason the library or the standard wrote, as HTML in the report's language (as written,
/// marked untranslatable, when the language table does not know it).
fn reason_html(r: &Report, text: &str) -> String {
    r.config.lang.reason(text).unwrap_or_else(|| raw(text))
}

/// Which green spaces counted and why: per tier, the largest spaces, then the spaces lying
/// mostly outside the study area and the ones kept out.
fn spaces_section(r: &Report) -> String {
    let l = r.config.lang;
    let sp = &r.spaces;
    let std = &r.config.check.standard;
    let mut s = format!(
        r#"<h2>{}</h2><table id="spaces-tiers"><thead><tr>{}</tr></thead><tbody>"#,
        l.t(Key::HeadSpaces),
        th(
            l,
            &[
                Key::ColTier,
                Key::ColSpaces,
                Key::ColAreaHa,
                Key::ColServingMost
            ]
        )
    );
    for (t, ts) in sp.tiers.iter().enumerate() {
        let most: Vec<String> = ts
            .most_serving
            .iter()
            .take(3)
            .map(|x| format!("{} ({})", raw(&x.label), x.homes_served[t]))
            .collect();
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.tier(&std.tiers[t])),
            ts.count,
            l.ha(ts.area_m2, 1),
            most.join(l.t(Key::ListSep))
        );
    }
    let _ = write!(
        s,
        r#"</tbody></table><table id="spaces-largest"><thead><tr>{}"#,
        th(l, &LARGEST_COLS)
    );
    for t in &std.tiers {
        let _ = write!(
            s,
            "<th>{}</th>",
            l.f(Key::ColHomesServed, &[&esc(&l.tier(t))])
        );
    }
    s += "</tr></thead><tbody>";
    for x in &sp.largest {
        let _ = write!(
            s,
            r#"<tr><td translate="no">{}</td><td>{}</td><td>{}</td><td>{}</td>"#,
            esc(&x.label),
            esc(&super::category_label(r, &x.category)),
            l.ha(x.area_m2, 2),
            reason_html(r, &x.reason)
        );
        for n in &x.homes_served {
            let _ = write!(s, "<td>{n}</td>");
        }
        s += "</tr>";
    }
    s += "</tbody></table>";
    s += &spaces_outside(r);
    s += &spaces_kept_out(r);
    s
}

/// The note on counted spaces lying mostly outside the study area (empty when none).
fn spaces_outside(r: &Report) -> String {
    let l = r.config.lang;
    let Some(outside) = r.spaces.mostly_outside.as_ref().filter(|v| !v.is_empty()) else {
        return String::new();
    };
    let list: Vec<String> = outside
        .iter()
        .map(|x| {
            l.f(
                Key::InsideShare,
                &[
                    &raw(&x.label),
                    &format!("{:.0}", 100.0 * x.inside_share.unwrap_or(0.0)),
                ],
            )
        })
        .collect();
    format!(
        r#"<p class="note" id="spaces-outside">{}</p>"#,
        l.f(Key::SpacesOutside, &[&list.join(l.t(Key::ListSep))])
    )
}

/// The largest spaces kept out and the count by reason (empty when none).
fn spaces_kept_out(r: &Report) -> String {
    let l = r.config.lang;
    let sp = &r.spaces;
    if sp.kept_out_by_reason.is_empty() {
        return String::new();
    }
    let mut s = format!(
        r#"<table id="spaces-kept-out"><thead><tr>{}</tr></thead><tbody>"#,
        th(l, &KEPT_OUT_COLS)
    );
    for k in &sp.largest_kept_out {
        let _ = write!(
            s,
            r#"<tr><td translate="no">{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&k.label),
            l.ha(k.area_m2, 2),
            reason_html(r, &k.reason)
        );
    }
    let reasons: Vec<String> = sp
        .kept_out_by_reason
        .iter()
        .map(|(k, v)| format!("{} {v}", reason_html(r, k)))
        .collect();
    let _ = write!(
        s,
        r#"</tbody></table><p class="note">{}</p>"#,
        l.f(
            Key::KeptOutNote,
            &[
                &reasons.join(if l == Lang::Zh { "；" } else { "; " }),
                &esc(&r.config.check.standard.name)
            ]
        )
    );
    s
}

/// What the population weighting left out, as sentences (empty when nothing).
pub(crate) fn unassigned(r: &Report) -> String {
    let l: Lang = r.config.lang;
    let w = &r.weights;
    let mut out = String::new();
    if w.unassigned > 0.0 {
        out += &l.f(Key::Unassigned, &[&format!("{:.0}", w.unassigned)]);
    }
    if w.points_outside > 0 {
        out += &l.f(Key::OutsideCells, &[&w.points_outside]);
    }
    out
}
