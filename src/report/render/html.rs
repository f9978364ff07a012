//! `index.html`: one self-contained page (inline CSS and SVG, no network requests).

use std::fmt::Write;

use super::super::{Report, Shares};
use super::svg::{esc, histogram};
use super::{grade, land_words, pct, shortfall_cells};

const CSS: &str = r#"
:root { --ink: #1d2327; --muted: #5b6670; --line: #d6dadd; --good: #1a9641; --bad: #d7191c; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "Source Han Sans SC",
    "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  line-height: 1.45; font-size: 15px; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card h3 { margin: 0; font-size: 15px; } .card .r { color: var(--muted); font-size: 13px; }
.card .big { font-size: 30px; font-weight: 700; margin: 6px 0 2px; }
.card .line { font-size: 13px; color: var(--muted); }
.g90 { color: var(--good); font-weight: 600; } .g80 { color: #b8860b; font-weight: 600; } .glow { color: var(--bad); font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: #f3f5f6; font-weight: 600; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.hists { display: flex; flex-wrap: wrap; gap: 16px; } .hists figure { margin: 0; width: 300px; } figcaption { font-size: 13px; color: var(--muted); }
.map svg { width: 100%; height: auto; border: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.note { color: var(--muted); font-size: 13px; }
@media print { body { font-size: 11pt; } main { max-width: none; padding: 0; } h2 { break-after: avoid; } table, figure, .card { break-inside: avoid; } }
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
    let std = &r.config.check.standard;
    let weighted = !r.weights.description.starts_with("every home");
    let land = r.totals.land.is_some();
    let mut s = String::from(r#"<table id="zones-table"><thead><tr><th>zone</th><th>homes</th>"#);
    for t in &std.tiers {
        let _ = write!(s, "<th>{} ≤ {} m</th>", esc(&t.name), t.max_radius());
    }
    s += "<th>all tiers</th>";
    if weighted {
        s += "<th>residents, all tiers</th>";
    }
    if land {
        s += "<th>land, all tiers</th>";
    }
    s += "</tr></thead><tbody>";
    let row = |name: &str, sh: &Shares, class: &str| {
        let mut s = format!(
            r#"<tr class="{class}"><td>{}</td><td>{}</td>"#,
            esc(name),
            sh.points
        );
        for t in 0..std.tiers.len() {
            let _ = write!(s, "<td>{}</td>", pct(sh.point_share(Some(t))));
        }
        let _ = write!(s, "<td><b>{}</b></td>", pct(sh.point_share(None)));
        if weighted {
            let _ = write!(s, "<td>{}</td>", pct(sh.weight_share(None)));
        }
        if land {
            match &sh.land {
                Some(l) => {
                    let _ = write!(
                        s,
                        r#"<td class="{}">{}</td>"#,
                        grade_class(l.all_share(), &std.grades),
                        pct(l.all_share())
                    );
                }
                None => s += "<td>–</td>",
            }
        }
        s + "</tr>"
    };
    for z in &r.zones {
        s += &row(&z.name, &z.shares, "zone");
    }
    s += "</tbody><tfoot>";
    s += &row("total", &r.totals, "total");
    s + "</tfoot></table>"
}

/// The page.
pub fn page(r: &Report, map_svg: &str) -> String {
    let std = &r.config.check.standard;
    let t = &r.totals;
    let weighted = !r.weights.description.starts_with("every home");
    let mut s = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Green space reach — {}</title><style>{CSS}</style></head><body><main>"#,
        esc(&std.name)
    );
    let _ = write!(
        s,
        r#"<h1>Green space reach · 绿地可达性</h1><p class="sub">Standard <b>{}</b>: {}.<br>{} homes evaluated · generated {} · greenreach {}</p>"#,
        esc(&std.name),
        esc(&std.source),
        t.points,
        esc(&r.generated_utc),
        env!("CARGO_PKG_VERSION")
    );
    s += r#"<h2>Headline · 主要指标</h2><div class="cards" id="headline">"#;
    for (k, tier) in std.tiers.iter().enumerate() {
        let radius = if tier.size_classes.is_empty() {
            format!("{} m", tier.radius_m)
        } else {
            format!("{}–{} m by size", tier.radius_m, tier.max_radius())
        };
        let _ = write!(
            s,
            r#"<div class="card"><h3>{} {}</h3><div class="r">within {radius}</div><div class="big">{}</div><div class="line">of homes ({} / {})</div>"#,
            esc(&tier.name),
            esc(&tier.label),
            pct(t.point_share(Some(k))),
            t.within[k],
            t.points
        );
        if weighted {
            let _ = write!(
                s,
                r#"<div class="line">{} of residents</div>"#,
                pct(t.weight_share(Some(k)))
            );
        }
        if let Some(l) = &t.land {
            let g = grade(l.share(k), &std.grades).map_or(String::new(), |g| {
                format!(
                    r#" · <span class="{}">{g}</span>"#,
                    grade_class(l.share(k), &std.grades)
                )
            });
            let _ = write!(
                s,
                r#"<div class="line">{} of {}{g}</div>"#,
                pct(l.share(k)),
                land_words(r).0
            );
        }
        s += "</div>";
    }
    let _ = write!(
        s,
        r#"<div class="card"><h3>all tiers</h3><div class="r">every tier met</div><div class="big">{}</div><div class="line">of homes ({} / {})</div>{}{}</div></div>"#,
        pct(t.point_share(None)),
        t.all,
        t.points,
        if weighted {
            format!(
                r#"<div class="line">{} of residents</div>"#,
                pct(t.weight_share(None))
            )
        } else {
            String::new()
        },
        t.land.as_ref().map_or(String::new(), |l| format!(
            r#"<div class="line">{} of {}</div>"#,
            pct(l.all_share()),
            land_words(r).0
        ))
    );
    if let Some(l) = &t.land {
        let _ = write!(
            s,
            r#"<p class="note" id="land-note">{}</p>"#,
            esc(&super::markdown::land_note(r, l.area_m2, l.bound_pp()))
        );
    }
    s += &shortfall_section(r);
    s += r#"<h2>Map · 地图</h2><div class="map">"#;
    s += map_svg;
    s += "</div>";
    s += r#"<h2>Distance to the nearest qualifying space · 距离分布</h2><div class="hists">"#;
    for (tier, h) in std.tiers.iter().zip(&r.histograms) {
        let _ = write!(
            s,
            "<figure>{}<figcaption><b>{}</b> ({} m): homes by distance to the nearest qualifying space; green within the radius, dark red farther than the last bin, grey nothing within {} m</figcaption></figure>",
            histogram(h, tier.radius_m, &tier.name),
            esc(&tier.name),
            tier.radius_m,
            r.config.check.max_distance_m
        );
    }
    s += "</div>";
    if !r.zones.is_empty() {
        s += r#"<h2>By zone, worst first · 分区统计</h2>"#;
        s += &zone_table(r);
        if !r.empty_zones.is_empty() {
            let _ = write!(
                s,
                r#"<p class="note" id="empty-zones">Zones with no home in the data (not ranked): {}.</p>"#,
                esc(&r.empty_zones.join(", "))
            );
        }
    }
    s += &spaces_section(r);
    if !r.areas.is_empty() {
        let _ = write!(
            s,
            r#"<h2>Residential polygons with the least land in reach · 居住用地</h2><p class="note">The 20 worst of {} polygons; all are in <code>areas.csv</code>.</p><table id="areas-table"><thead><tr><th>area</th><th>where</th><th>size</th>"#,
            r.areas.len()
        );
        for tier in &std.tiers {
            let _ = write!(s, "<th>{}</th>", esc(&tier.name));
        }
        s += "<th>all tiers</th></tr></thead><tbody>";
        for a in r.areas.iter().take(20) {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{:.2} ha</td>",
                esc(&a.id),
                esc(&a.place.as_ref().map_or(String::new(), |p| p.describe())),
                a.land.area_m2 / 1e4
            );
            for k in 0..std.tiers.len() {
                let _ = write!(s, "<td>{}</td>", pct(a.land.share(k)));
            }
            let _ = write!(s, "<td>{}</td></tr>", pct(a.land.all_share()));
        }
        s += "</tbody></table>";
    }
    s += r#"<h2>Largest gaps · 服务盲区</h2><p class="note">Homes that miss a tier, merged into areas (homes closer than the link distance belong to one gap), largest first. All gaps are in <code>gaps.geojson</code>.</p><table id="gaps-table"><thead><tr><th>tier</th><th>#</th><th>homes</th>"#;
    if weighted {
        s += "<th>residents</th>";
    }
    s += "<th>where</th><th>extent</th><th>nearest qualifying space</th><th>shortfall</th></tr></thead><tbody>";
    let mut rank = vec![0usize; std.tiers.len()];
    for (k, g) in r.gaps.iter().enumerate() {
        rank[g.tier] += 1;
        if rank[g.tier] > 10 {
            continue;
        }
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            esc(&std.tiers[g.tier].name),
            rank[g.tier],
            g.members.len()
        );
        if weighted {
            let _ = write!(s, "<td>{:.0}</td>", g.weight);
        }
        let short = g.shortfall_text(r.config.check.max_distance_m);
        let place = r.gap_places.get(k).and_then(Option::as_ref);
        let _ = write!(
            s,
            "<td>{}</td><td>{:.1} ha</td><td>{}</td><td>{short}</td></tr>",
            esc(&place.map_or(String::new(), |p| p.describe())),
            g.hull_area_m2 / 1e4,
            esc(g.nearest.as_deref().unwrap_or("–"))
        );
    }
    s += "</tbody></table>";
    s += r#"<h2>Method and provenance · 数据来源</h2><ul class="note">"#;
    let _ = write!(
        s,
        "<li>Standard <b>{}</b>: {}.</li>",
        esc(&std.name),
        esc(&std.describe_tiers())
    );
    let _ = write!(s, "<li>Homes: {}.</li>", esc(&r.homes_rule));
    let _ = write!(
        s,
        "<li>Weighting: {}.{}</li>",
        esc(&r.weights.description),
        unassigned(r)
    );
    let _ = write!(
        s,
        "<li>Distances are straight-line ground distances in metres from each home's representative point to the boundary of the nearest qualifying green space (0 inside), measured on a transverse Mercator plane centred at {:.4}°E {:.4}°N and corrected for its scale; the search limit is {} m.</li>",
        r.prepared.plane.origin().0,
        r.prepared.plane.origin().1,
        r.config.check.max_distance_m
    );
    let sum = &r.summary;
    let _ = write!(
        s,
        "<li>Green features: {} read, {} used, {} skipped; demand features: {} read, {} evaluated.</li>",
        sum.green_read, sum.green_used, sum.green_skipped, sum.points_read, sum.points_evaluated
    );
    for (reason, n) in sum
        .green_ignored
        .iter()
        .map(|(k, v)| (format!("green ignored: {k}"), v))
        .chain(
            sum.points_skipped
                .iter()
                .map(|(k, v)| (format!("homes skipped: {k}"), v)),
        )
    {
        let _ = write!(s, "<li>{}: {n}</li>", esc(&reason));
    }
    s += "</ul><table id=\"inputs\"><thead><tr><th>input file</th><th>role</th><th>CRS</th><th>features</th><th>SHA-256</th></tr></thead><tbody>";
    for f in &r.inputs {
        let _ = write!(
            s,
            r#"<tr><td class="mono">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="mono">{}</td></tr>"#,
            esc(&f.info.path.display().to_string()),
            esc(&f.info.role),
            esc(&f.info.crs),
            f.info.read,
            f.sha256
        );
    }
    s += "</tbody></table>";
    if !r.warnings.is_empty() {
        s += r#"<h2>Warnings</h2><ul class="note">"#;
        for w in &r.warnings {
            let _ = write!(s, "<li>{}</li>", esc(w));
        }
        s += "</ul>";
    }
    s += r#"<p class="note">Map data © OpenStreetMap contributors (ODbL) where the inputs are OpenStreetMap extracts.</p></main></body></html>"#;
    s
}

/// How far the failing homes fall short, per tier: median, 75th and 90th percentile.
fn shortfall_section(r: &Report) -> String {
    let mut s = String::from(
        r#"<h2>How far the rest fall short · 差距</h2><table id="shortfall-table"><thead><tr><th>tier</th><th>homes out of reach</th><th>median</th><th>75th percentile</th><th>90th percentile</th></tr></thead><tbody>"#,
    );
    for (t, tier) in r.config.check.standard.tiers.iter().enumerate() {
        let [n, p50, p75, p90] = shortfall_cells(r, t);
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{n}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&tier.name),
            esc(&p50),
            esc(&p75),
            esc(&p90)
        );
    }
    let _ = write!(
        s,
        r#"</tbody></table><p class="note">Shortfall = distance to the nearest qualifying space − the radius, over every home out of reach; homes with nothing within the search limit ({} m) count as more than the limit minus the radius (shown as "&gt; N m").</p>"#,
        r.config.check.max_distance_m
    );
    s
}

/// Which green spaces counted and why; the ones kept out and why; spaces mostly outside the
/// study area.
fn spaces_section(r: &Report) -> String {
    let sp = &r.spaces;
    let std = &r.config.check.standard;
    let mut s = String::from(
        r#"<h2>Green spaces counted · 计入的绿地</h2><table id="spaces-tiers"><thead><tr><th>tier</th><th>spaces</th><th>area</th><th>serving the most homes</th></tr></thead><tbody>"#,
    );
    for (t, ts) in sp.tiers.iter().enumerate() {
        let most: Vec<String> = ts
            .most_serving
            .iter()
            .take(3)
            .map(|x| format!("{} ({})", esc(&x.label), x.homes_served[t]))
            .collect();
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{:.1} ha</td><td>{}</td></tr>",
            esc(&ts.tier),
            ts.count,
            ts.area_m2 / 1e4,
            most.join(", ")
        );
    }
    s += r#"</tbody></table><table id="spaces-largest"><thead><tr><th>largest spaces counted</th><th>category</th><th>area</th><th>why it counts</th>"#;
    for t in &std.tiers {
        let _ = write!(s, "<th>homes served: {}</th>", esc(&t.name));
    }
    s += "</tr></thead><tbody>";
    for x in &sp.largest {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{:.2} ha</td><td>{}</td>",
            esc(&x.label),
            esc(&x.category),
            x.area_m2 / 1e4,
            esc(&x.reason)
        );
        for n in &x.homes_served {
            let _ = write!(s, "<td>{n}</td>");
        }
        s += "</tr>";
    }
    s += "</tbody></table>";
    if let Some(outside) = sp.mostly_outside.as_ref().filter(|v| !v.is_empty()) {
        let list: Vec<String> = outside
            .iter()
            .map(|x| {
                format!(
                    "{} ({:.0}% inside)",
                    esc(&x.label),
                    100.0 * x.inside_share.unwrap_or(0.0)
                )
            })
            .collect();
        let _ = write!(
            s,
            r#"<p class="note" id="spaces-outside">Counted but lying mostly outside the study area (they still serve homes near the border): {}.</p>"#,
            list.join(", ")
        );
    }
    if !sp.kept_out_by_reason.is_empty() {
        s += r#"<table id="spaces-kept-out"><thead><tr><th>largest spaces kept out</th><th>area</th><th>why</th></tr></thead><tbody>"#;
        for k in &sp.largest_kept_out {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{:.2} ha</td><td>{}</td></tr>",
                esc(&k.label),
                k.area_m2 / 1e4,
                esc(&k.reason)
            );
        }
        let reasons: Vec<String> = sp
            .kept_out_by_reason
            .iter()
            .map(|(k, v)| format!("{} {v}", esc(k)))
            .collect();
        let _ = write!(
            s,
            r#"</tbody></table><p class="note">Kept out, by reason: {}. Every rule is listed by <code>greenreach standards {}</code>.</p>"#,
            reasons.join("; "),
            esc(&std.name)
        );
    }
    s
}

/// What the population weighting left out, as a sentence (empty when nothing).
pub fn unassigned(r: &Report) -> String {
    let w = &r.weights;
    let mut out = String::new();
    if w.unassigned > 0.0 {
        out += &format!(
            " {:.0} residents live in cells that hold no home of the data and are not counted.",
            w.unassigned
        );
    }
    if w.points_outside > 0 {
        out += &format!(
            " {} homes lie in no population cell and weigh 0.",
            w.points_outside
        );
    }
    out
}
