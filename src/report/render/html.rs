//! `index.html`: one self-contained page (inline CSS and SVG, no network requests).

use std::fmt::Write;

use super::super::{Report, Shares};
use super::svg::{esc, histogram};
use super::{grade, pct};

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

fn grade_class(share: f64) -> &'static str {
    if share >= 0.9 {
        "g90"
    } else if share >= 0.8 {
        "g80"
    } else {
        "glow"
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
                        grade_class(l.all_share()),
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
            let _ = write!(
                s,
                r#"<div class="line">{} of residential land · <span class="{}">{}</span></div>"#,
                pct(l.share(k)),
                grade_class(l.share(k)),
                grade(l.share(k))
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
            r#"<div class="line">{} of residential land</div>"#,
            pct(l.all_share())
        ))
    );
    if let Some(l) = &t.land {
        let _ = write!(
            s,
            r#"<p class="note">Residential land (公园绿地服务半径覆盖率): {:.1} ha in all, measured by area with an adaptive quadtree and exact polygon clipping; every land share is exact to within {:.2} percentage points. Graded against the national garden-city thresholds of 80% and 90%.</p>"#,
            l.area_m2 / 1e4,
            l.bound_pp()
        );
    }
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
    }
    if !r.areas.is_empty() {
        let _ = write!(
            s,
            r#"<h2>Residential polygons with the least land in reach · 居住用地</h2><p class="note">The 20 worst of {} polygons; all are in <code>areas.csv</code>.</p><table id="areas-table"><thead><tr><th>area</th><th>zone</th><th>size</th>"#,
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
                esc(a.zone.as_deref().unwrap_or("")),
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
    s += "<th>extent</th><th>nearest qualifying space</th><th>shortfall</th></tr></thead><tbody>";
    let mut rank = vec![0usize; std.tiers.len()];
    for g in &r.gaps {
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
        let _ = write!(
            s,
            "<td>{:.1} ha</td><td>{}</td><td>{short}</td></tr>",
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
