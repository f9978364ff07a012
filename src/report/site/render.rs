//! The `site` folder: `sites.csv`, `sites.geojson`, `coverage_curve.svg`, `summary.json` and a
//! self-contained `index.html` (inline CSS and SVG), plus the text printed by the command.

use std::fmt::Write;
use std::io;
use std::path::Path;

use geo::{BoundingRect, Coord, Geometry, MapCoords};
use serde_json::{Value, json};

use super::SiteRun;
use crate::engine::siting::{Goal, Stop};
use crate::error::Error;
use crate::io::output::csv_out::CsvOut;
use crate::report::render::put;

/// One row per chosen site.
struct Row {
    rank: usize,
    candidate: u32,
    label: String,
    lon: f64,
    lat: f64,
    area_m2: f64,
    radius_m: f64,
    cost: f64,
    homes_new: u32,
    weight_new: f64,
    homes_share_after: f64,
    weight_share_after: f64,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 1.0 }
}

fn rows(r: &SiteRun) -> Vec<Row> {
    let n = r.sets.total_count as f64;
    r.plan
        .picks
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let c = &r.candidates[p.candidate as usize];
            Row {
                rank: i + 1,
                candidate: p.candidate,
                label: c.label.clone(),
                lon: c.lonlat.x,
                lat: c.lonlat.y,
                area_m2: c.candidate.area_m2(),
                radius_m: c.candidate.radius_m,
                cost: c.candidate.cost,
                homes_new: p.points,
                weight_new: p.gain,
                homes_share_after: ratio(p.points_after as f64, n),
                weight_share_after: ratio(p.value_after, r.sets.total_weight),
            }
        })
        .collect()
}

/// `sites.csv`.
pub fn sites_csv(r: &SiteRun) -> io::Result<String> {
    let mut out = CsvOut::string();
    out.record([
        "rank",
        "candidate",
        "site",
        "lon",
        "lat",
        "area_m2",
        "radius_m",
        "cost",
        "homes_newly_served",
        "residents_newly_served",
        "homes_share_after",
        "residents_share_after",
    ])?;
    for w in rows(r) {
        out.fmt(format_args!("{}", w.rank))?;
        out.fmt(format_args!("{}", w.candidate))?;
        out.text(&w.label)?;
        out.fmt(format_args!("{:.7}", w.lon))?;
        out.fmt(format_args!("{:.7}", w.lat))?;
        out.fmt(format_args!("{:.0}", w.area_m2))?;
        out.fmt(format_args!("{}", w.radius_m))?;
        out.fmt(format_args!("{}", w.cost))?;
        out.fmt(format_args!("{}", w.homes_new))?;
        out.fmt(format_args!("{:.2}", w.weight_new))?;
        out.fmt(format_args!("{:.6}", w.homes_share_after))?;
        out.fmt(format_args!("{:.6}", w.weight_share_after))?;
        out.end()?;
    }
    out.into_string()
}

/// `sites.geojson`: the chosen spaces (WGS84) with the table's columns.
pub fn sites_geojson(r: &SiteRun) -> Result<String, Error> {
    // The tier's most specific category (the accepted one serving the fewest tiers), so that
    // the file can be fed back as `--proposed`.
    let std = &r.config.check.standard;
    let category = r
        .tier_def()
        .accepts
        .iter()
        .min_by_key(|&&c| (std.tiers_served_by(c).count(), std::cmp::Reverse(c)))
        .map(|&c| std.categories[c].name.clone());
    let mut features = Vec::new();
    for w in rows(r) {
        let g = &r.candidates[w.candidate as usize].candidate.geometry;
        let ll = g.try_map_coords(|c| r.prepared.plane.inverse(c))?;
        let geometry = geojson::Geometry::from(&ll);
        features.push(json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "rank": w.rank, "candidate": w.candidate, "name": w.label, "category": category,
                "lon": w.lon, "lat": w.lat, "area_m2": w.area_m2.round(), "radius_m": w.radius_m,
                "cost": w.cost, "homes_newly_served": w.homes_new,
                "residents_newly_served": w.weight_new,
                "homes_share_after": w.homes_share_after,
                "residents_share_after": w.weight_share_after,
            }
        }));
    }
    Ok(
        serde_json::to_string_pretty(&json!({"type": "FeatureCollection", "features": features}))
            .expect("json"),
    )
}

fn stop_text(r: &SiteRun) -> String {
    let got = ratio(r.plan.value, r.sets.total_weight);
    match (r.config.goal, r.plan.stop) {
        (Goal::Share(t), Stop::NoGain) => format!(
            "the target {:.1}% cannot be reached with these candidates: the plan reaches {:.1}% and no remaining candidate serves anyone more",
            100.0 * t,
            100.0 * got
        ),
        (Goal::Share(t), Stop::Done) => format!(
            "the target {:.1}% is reached with {} site(s)",
            100.0 * t,
            r.plan.picks.len()
        ),
        (Goal::Sites(k), Stop::NoGain) => format!(
            "only {} of the {k} site(s) asked for serve anyone more; no remaining candidate would",
            r.plan.picks.len()
        ),
        (Goal::Sites(k), Stop::Done) => format!("{k} site(s) added"),
        (Goal::Budget(b), _) => {
            let spent: f64 = r
                .plan
                .picks
                .iter()
                .map(|p| r.sets.cost[p.candidate as usize])
                .sum();
            format!(
                "{} site(s) costing {spent} of the budget {b}",
                r.plan.picks.len()
            )
        }
    }
}

/// `summary.json`.
pub fn summary_json(r: &SiteRun) -> Value {
    let t = r.tier_def();
    let s = &r.sets;
    let homes_after = r.plan.picks.last().map_or(s.base_count, |p| p.points_after);
    json!({
        "standard": r.config.check.standard.name,
        "tier": t.name,
        "radius_m": t.radius_m,
        "goal": match r.config.goal {
            Goal::Sites(k) => json!({"add": k}),
            Goal::Share(x) => json!({"target": x}),
            Goal::Budget(b) => json!({"budget": b}),
        },
        "weights": r.weights.description,
        "homes": s.total_count,
        "homes_meeting_before": s.base_count,
        "homes_meeting_after": homes_after,
        "homes_share_before": ratio(s.base_count as f64, s.total_count as f64),
        "homes_share_after": ratio(homes_after as f64, s.total_count as f64),
        "weight_total": s.total_weight,
        "weight_before": s.base_weight,
        "weight_after": r.plan.value,
        "share_before": ratio(s.base_weight, s.total_weight),
        "share_after": ratio(r.plan.value, s.total_weight),
        "upper_bound_weight": r.plan.upper_bound,
        "upper_bound_share": ratio(r.plan.upper_bound, s.total_weight),
        "gain_share_of_best_possible_at_least": r.plan.quality(s.base_weight),
        "min_sites_for_target": r.plan.min_sites,
        "sites": r.plan.picks.len(),
        "stopped": stop_text(r),
        "candidates": r.candidates.len(),
        "candidates_skipped": r.skipped_candidates.iter().map(|(k, n)| json!({"reason": k, "count": n})).collect::<Vec<_>>(),
        "candidate_home_pairs": s.pairs(),
        "exact": r.exact.as_ref().map(|e| match e {
            Ok(x) => json!({"weight": x.value, "share": ratio(x.value, s.total_weight), "sites": x.chosen}),
            Err(m) => json!({"error": m}),
        }),
        "unserved": r.unserved().into_iter().map(|(k, n, w)| json!({"reason": k, "homes": n, "weight": w})).collect::<Vec<_>>(),
        "warnings": r.warnings,
    })
}

/// The text the command prints.
pub fn summary_text(r: &SiteRun) -> String {
    let t = r.tier_def();
    let s = &r.sets;
    let mut out = format!(
        "tier {} ({} m), {} candidate site(s), {}\n",
        t.name,
        t.radius_m,
        r.candidates.len(),
        r.weights.description
    );
    for (reason, n) in &r.skipped_candidates {
        let _ = writeln!(out, "{n} candidate feature(s) skipped: {reason}");
    }
    let _ = writeln!(
        out,
        "before: {:.1}% ({} of {} homes)",
        100.0 * ratio(s.base_weight, s.total_weight),
        s.base_count,
        s.total_count
    );
    for w in rows(r).iter().take(20) {
        let _ = writeln!(
            out,
            "  {:>3}. {:<24} +{:<7} → {:.1}%",
            w.rank,
            w.label,
            w.homes_new,
            100.0 * w.weight_share_after
        );
    }
    if r.plan.picks.len() > 20 {
        let _ = writeln!(out, "  … {} more in sites.csv", r.plan.picks.len() - 20);
    }
    let _ = writeln!(
        out,
        "after: {:.1}%; {}",
        100.0 * ratio(r.plan.value, s.total_weight),
        stop_text(r)
    );
    let _ = writeln!(
        out,
        "best possible with as many sites: at most {:.1}% (the plan's gain is at least {:.1}% of the best possible gain)",
        100.0 * ratio(r.plan.upper_bound, s.total_weight),
        100.0 * r.plan.quality(s.base_weight)
    );
    if let Some(m) = r.plan.min_sites {
        let _ = writeln!(
            out,
            "no plan reaches the target with fewer than {m} site(s)"
        );
    }
    match &r.exact {
        Some(Ok(x)) => {
            let _ = writeln!(
                out,
                "exact optimum: {:.1}% with sites {:?}",
                100.0 * ratio(x.value, s.total_weight),
                x.chosen
            );
        }
        Some(Err(m)) => {
            let _ = writeln!(out, "exact: {m}");
        }
        None => {}
    }
    for (reason, n, _) in r.unserved() {
        if n > 0 {
            let _ = writeln!(out, "still unserved: {n} home(s): {reason}");
        }
    }
    out
}

/// `coverage_curve.svg`: share of weight meeting the tier against the number of sites.
pub fn curve_svg(r: &SiteRun) -> String {
    let (w, h, pad) = (640.0, 320.0, 48.0);
    let s = &r.sets;
    let mut pts = vec![(0usize, ratio(s.base_weight, s.total_weight))];
    pts.extend(
        r.plan
            .picks
            .iter()
            .enumerate()
            .map(|(i, p)| (i + 1, ratio(p.value_after, s.total_weight))),
    );
    let n = pts.len().saturating_sub(1).max(1) as f64;
    let lo = (pts[0].1 * 10.0).floor() / 10.0;
    let x = |k: usize| pad + (w - 2.0 * pad) * k as f64 / n;
    let y = |v: f64| h - pad - (h - 2.0 * pad) * ((v - lo) / (1.0 - lo).max(1e-9));
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = write!(
        out,
        r##"<rect width="{w}" height="{h}" fill="#fff"/><line x1="{pad}" y1="{}" x2="{}" y2="{}" stroke="#333"/><line x1="{pad}" y1="{pad}" x2="{pad}" y2="{}" stroke="#333"/>"##,
        h - pad,
        w - pad,
        h - pad,
        h - pad
    );
    for k in 0..=4 {
        let v = lo + (1.0 - lo) * k as f64 / 4.0;
        let _ = write!(
            out,
            r##"<text x="{}" y="{:.1}" text-anchor="end">{:.0}%</text><line x1="{pad}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#eee"/>"##,
            pad - 4.0,
            y(v) + 4.0,
            100.0 * v,
            y(v),
            w - pad,
            y(v)
        );
    }
    let bound = ratio(r.plan.upper_bound, s.total_weight);
    let _ = write!(
        out,
        r##"<line x1="{pad}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#d7191c" stroke-dasharray="4 3"/><text x="{}" y="{:.1}" text-anchor="end" fill="#d7191c">upper bound {:.1}%</text>"##,
        y(bound),
        w - pad,
        y(bound),
        w - pad,
        y(bound) - 4.0,
        100.0 * bound
    );
    let path: String = pts
        .iter()
        .enumerate()
        .map(|(i, &(k, v))| format!("{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x(k), y(v)))
        .collect();
    let _ = write!(
        out,
        r##"<path d="{path}" fill="none" stroke="#1a9641" stroke-width="2"/><text x="{}" y="{}" text-anchor="middle">sites added ({})</text><text x="{}" y="{}" text-anchor="start">share meeting {}</text></svg>"##,
        w / 2.0,
        h - 12.0,
        pts.len() - 1,
        pad,
        pad - 12.0,
        esc(&r.tier_def().name)
    );
    out
}

/// Most demand points drawn on the map.
const MAX_DOTS: usize = 30_000;

/// The map: homes by status, chosen sites and a circle of their radius.
#[allow(clippy::too_many_lines)] // the map's layers in drawing order: homes, sites, radii, legend
pub fn map_svg(r: &SiteRun) -> String {
    let xy = &r.demand.xy;
    let sites: Vec<&Geometry<f64>> = r
        .plan
        .picks
        .iter()
        .map(|p| &r.candidates[p.candidate as usize].candidate.geometry)
        .collect();
    let mut min = Coord {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let mut max = Coord {
        x: f64::NEG_INFINITY,
        y: f64::NEG_INFINITY,
    };
    let mut grow = |c: Coord| {
        min.x = min.x.min(c.x);
        min.y = min.y.min(c.y);
        max.x = max.x.max(c.x);
        max.y = max.y.max(c.y);
    };
    xy.iter().for_each(|&c| grow(c));
    for g in &sites {
        if let Some(b) = g.bounding_rect() {
            grow(b.min());
            grow(b.max());
        }
    }
    let w = 960.0;
    let span_x = (max.x - min.x).max(1.0);
    let span_y = (max.y - min.y).max(1.0);
    let scale = (w - 40.0) / span_x;
    let h = (span_y * scale + 40.0).min(1000.0);
    let scale = scale.min((h - 40.0) / span_y);
    let w = (span_x * scale + 40.0).max(360.0);
    let px = |c: Coord| {
        (
            (c.x - min.x) * scale + 20.0,
            h - 20.0 - (c.y - min.y) * scale,
        )
    };
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" font-family="sans-serif" font-size="11">"#
    );
    out += r##"<rect width="100%" height="100%" fill="#fafafa"/>"##;
    // Status per demand point: 0 met before, 1 newly met, 2 still unmet.
    let mut status = vec![0u8; xy.len()];
    for (k, &i) in r.sets.open.iter().enumerate() {
        status[i as usize] = if r.plan.covered[k] { 1 } else { 2 };
    }
    let step = xy.len().div_ceil(MAX_DOTS).max(1);
    for (cls, fill) in [(0u8, "#bbb"), (1, "#1a9641"), (2, "#d7191c")] {
        let mut d = String::new();
        for (i, &c) in xy.iter().enumerate().step_by(step) {
            if status[i] == cls {
                let (x, y) = px(c);
                let _ = write!(d, "M{:.1} {:.1}h1.6v1.6h-1.6Z", x - 0.8, y - 0.8);
            }
        }
        let _ = write!(out, r#"<path d="{d}" fill="{fill}"/>"#);
    }
    for (rank, (g, p)) in sites.iter().zip(&r.plan.picks).enumerate() {
        let c = &r.candidates[p.candidate as usize];
        let centre = super::representative(g);
        let (x, y) = px(centre);
        let _ = write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="#1a9641" fill-opacity="0.06" stroke="#1a9641" stroke-dasharray="3 2"/>"##,
            c.candidate.radius_m * scale
        );
        let mut d = String::new();
        if let Some(mp) = crate::engine::lookup::areal(g) {
            for poly in &mp {
                for (k, v) in poly.exterior().0.iter().enumerate() {
                    let (vx, vy) = px(*v);
                    let _ = write!(d, "{}{vx:.1} {vy:.1}", if k == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        let _ = write!(
            out,
            r##"<path d="{d}" fill="#006d2c" stroke="#003d1a" stroke-width="1.5"/><rect x="{:.1}" y="{:.1}" width="5" height="5" fill="#006d2c"/><text x="{:.1}" y="{:.1}" font-weight="bold">{}</text>"##,
            x - 2.5,
            y - 2.5,
            x + 5.0,
            y - 5.0,
            rank + 1
        );
    }
    let _ = write!(
        out,
        r##"<g transform="translate(20,{:.0})"><rect width="330" height="18" fill="#fff" opacity="0.85"/><rect x="4" y="6" width="6" height="6" fill="#bbb"/><text x="14" y="13">met before</text><rect x="90" y="6" width="6" height="6" fill="#1a9641"/><text x="100" y="13">newly met</text><rect x="170" y="6" width="6" height="6" fill="#d7191c"/><text x="180" y="13">still unmet</text><circle cx="262" cy="9" r="5" fill="none" stroke="#1a9641" stroke-dasharray="3 2"/><text x="270" y="13">radius</text></g>"##,
        h - 20.0
    );
    out + "</svg>"
}

/// `index.html`.
pub fn index_html(r: &SiteRun) -> String {
    let s = &r.sets;
    let t = r.tier_def();
    let mut table = String::from(
        "<table><tr><th>rank</th><th>site</th><th>lon, lat</th><th>area m²</th><th>radius m</th><th>cost</th><th>homes newly served</th><th>weight newly served</th><th>share after</th></tr>",
    );
    for w in rows(r) {
        let _ = write!(
            table,
            "<tr><td>{}</td><td>{}</td><td>{:.5}, {:.5}</td><td>{:.0}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}%</td></tr>",
            w.rank,
            esc(&w.label),
            w.lon,
            w.lat,
            w.area_m2,
            w.radius_m,
            w.cost,
            w.homes_new,
            w.weight_new,
            100.0 * w.weight_share_after
        );
    }
    table += "</table>";
    let mut unserved =
        String::from("<table><tr><th>why still unserved</th><th>homes</th><th>weight</th></tr>");
    for (reason, n, wt) in r.unserved() {
        let _ = write!(
            unserved,
            "<tr><td>{}</td><td>{n}</td><td>{wt:.1}</td></tr>",
            esc(&reason)
        );
    }
    unserved += "</table>";
    let exact = match &r.exact {
        Some(Ok(x)) => format!(
            "<p>Exact optimum (integer program): {:.1}% with sites {:?}.</p>",
            100.0 * ratio(x.value, s.total_weight),
            x.chosen
        ),
        Some(Err(m)) => format!("<p>Exact optimum: {}</p>", esc(m)),
        None => String::new(),
    };
    let min_sites = r.plan.min_sites.map_or(String::new(), |m| {
        format!("<p>No plan reaches the target with fewer than {m} site(s).</p>")
    });
    let point_rule = format!(
        "Point candidates become a square of {:.0} m², the smallest new space considered (--size); polygons keep their shape.",
        r.config.size_m2.0
    );
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>greenreach site: {tier}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:0 auto;padding:20px;color:#1d2327}}table{{border-collapse:collapse;width:100%;font-size:13.5px}}th,td{{border-bottom:1px solid #d6dadd;padding:4px 8px;text-align:right}}th:first-child,td:first-child,td:nth-child(2){{text-align:left}}th{{background:#f3f5f6}}svg{{max-width:100%;height:auto;border:1px solid #d6dadd}}.big{{font-size:28px;font-weight:700}}</style></head><body>
<h1>Where to add {tier} ({radius} m)</h1>
<p class="big">{before:.1}% → {after:.1}%</p>
<p>{stop}. Of the weight ({weights}), {before:.1}% met the tier before; with the {n} site(s) below, {after:.1}%. No plan with as many sites can exceed {bound:.1}% (an upper bound from the greedy path): this plan's gain is at least {gap:.1}% of the best possible gain.</p>{min_sites}{exact}
<p>{cands} candidate site(s) considered. {point_rule} A home is served by a site when its straight-line ground distance to the site's boundary is at most the radius (0 inside).</p>
<h2>Map</h2>{map}
<h2>Coverage curve</h2>{curve}
<h2>Sites</h2>{table}
<h2>Who remains unserved</h2>{unserved}
</body></html>
"#,
        tier = esc(&t.name),
        radius = t.radius_m,
        before = 100.0 * ratio(s.base_weight, s.total_weight),
        after = 100.0 * ratio(r.plan.value, s.total_weight),
        stop = esc(&stop_text(r)),
        weights = esc(&r.weights.description),
        n = r.plan.picks.len(),
        bound = 100.0 * ratio(r.plan.upper_bound, s.total_weight),
        gap = 100.0 * r.plan.quality(s.base_weight),
        cands = r.candidates.len(),
        map = map_svg(r),
        curve = curve_svg(r),
    )
}

/// Write the folder.
pub fn write_folder(r: &SiteRun, dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    put(dir, "sites.csv", sites_csv(r))?;
    put(dir, "sites.geojson", Ok(sites_geojson(r)?))?;
    put(dir, "coverage_curve.svg", Ok(curve_svg(r)))?;
    let json = serde_json::to_string_pretty(&summary_json(r)).map_err(io::Error::other);
    put(dir, "summary.json", json)?;
    put(dir, "index.html", Ok(index_html(r)))
}

/// Escape text for HTML and XML.
fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The maximal covering problem as JSON, for other solvers: `weights` of the open points,
/// `sets` (per candidate, the open points it serves), `costs`, and the weight already served.
pub fn problem_json(r: &SiteRun) -> String {
    let s = &r.sets;
    let sets: Vec<&[u32]> = (0..s.candidates()).map(|c| s.set(c)).collect();
    serde_json::to_string(&json!({
        "tier": r.tier_def().name,
        "base_weight": s.base_weight,
        "total_weight": s.total_weight,
        "weights": s.weight,
        "costs": s.cost,
        "sets": sets,
    }))
    .expect("json")
}
