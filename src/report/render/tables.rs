//! `zones.csv`, `areas.csv` and `gaps.geojson`.

use std::io::{self, Write};

use geo::{ConvexHull, Coord, MultiPoint, Point};
use serde_json::{Value, json};

use super::super::{Report, Shares};
use crate::error::Error;
use crate::io::output::csv_out::CsvOut;

fn share_cells<W: Write>(out: &mut CsvOut<W>, r: &Report, s: &Shares) -> io::Result<()> {
    out.fmt(format_args!("{}", s.points.total))?;
    out.fmt(format_args!("{:.3}", s.weight.total))?;
    let land = |out: &mut CsvOut<W>, v: Option<f64>| match v {
        Some(v) => out.fmt(format_args!("{v:.6}")),
        None => out.empty(1),
    };
    for t in 0..r.config.check.standard.tiers.len() {
        out.fmt(format_args!("{}", s.points.within[t]))?;
        out.fmt(format_args!("{:.6}", s.point_share(Some(t))))?;
        out.fmt(format_args!("{:.6}", s.weight_share(Some(t))))?;
        land(out, s.land.as_ref().map(|l| l.share(t)))?;
    }
    out.fmt(format_args!("{}", s.points.all))?;
    out.fmt(format_args!("{:.6}", s.point_share(None)))?;
    out.fmt(format_args!("{:.6}", s.weight_share(None)))?;
    match &s.land {
        Some(l) => {
            out.fmt(format_args!("{:.6}", l.all_share()))?;
            out.fmt(format_args!("{:.1}", l.area_m2))?;
            out.fmt(format_args!("{:.3}", l.bound_pp()))?;
        }
        None => out.empty(3)?,
    }
    out.end()
}

/// One row per zone (worst first), then the total.
pub(super) fn zones_csv(r: &Report) -> io::Result<String> {
    let mut out = CsvOut::string();
    let mut header = vec!["zone".to_string(), "points".into(), "weight".into()];
    for t in &r.config.check.standard.tiers {
        header.extend(
            ["points", "point_share", "weight_share", "land_share"]
                .map(|c| format!("{}_{c}", t.name)),
        );
    }
    header.extend(
        [
            "all_points",
            "all_point_share",
            "all_weight_share",
            "all_land_share",
            "land_area_m2",
            "land_error_bound_pp",
        ]
        .map(String::from),
    );
    out.record(&header)?;
    for z in &r.zones {
        out.text(&z.name)?;
        share_cells(&mut out, r, &z.shares)?;
    }
    out.text("total")?;
    share_cells(&mut out, r, &r.totals)?;
    out.into_string()
}

/// One row per residential polygon (worst first).
pub(super) fn areas_csv(r: &Report) -> io::Result<String> {
    let mut out = CsvOut::string();
    let mut header = vec!["id".to_string(), "zone".into(), "area_m2".into()];
    for t in &r.config.check.standard.tiers {
        header.push(format!("{}_land_share", t.name));
    }
    header.extend(["all_land_share", "error_bound_pp"].map(String::from));
    out.record(&header)?;
    for a in &r.areas {
        out.text(&a.id)?;
        out.text(a.zone.as_deref().unwrap_or(""))?;
        out.fmt(format_args!("{:.1}", a.land.area_m2))?;
        for t in 0..r.config.check.standard.tiers.len() {
            out.fmt(format_args!("{:.6}", a.land.share(t)))?;
        }
        out.fmt(format_args!("{:.6}", a.land.all_share()))?;
        out.fmt(format_args!("{:.3}", a.land.bound_pp()))?;
        out.end()?;
    }
    out.into_string()
}

/// Gaps as lon/lat features: the convex hull of their points (the points when fewer than 3).
pub(super) fn gaps_geojson(r: &Report) -> Result<String, Error> {
    let plane = &r.prepared.plane;
    let xy = &r.points.xy;
    let mut features = Vec::with_capacity(r.gaps.len());
    let mut rank = vec![0usize; r.config.check.standard.tiers.len()];
    for g in &r.gaps {
        rank[g.tier] += 1;
        let pts: Vec<Coord> = g.members.iter().map(|&i| xy[i as usize]).collect();
        let ll = |c: Coord| -> Result<Value, Error> {
            let p = plane.inverse(c)?;
            Ok(json!([
                (p.x * 1e7).round() / 1e7,
                (p.y * 1e7).round() / 1e7
            ]))
        };
        let geometry = if g.hull_area_m2 > 0.0 {
            let hull = MultiPoint(pts.iter().map(|&c| Point(c)).collect()).convex_hull();
            let ring = hull
                .exterior()
                .0
                .iter()
                .map(|&c| ll(c))
                .collect::<Result<Vec<_>, _>>()?;
            json!({"type": "Polygon", "coordinates": [ring]})
        } else {
            let ps = pts.iter().map(|&c| ll(c)).collect::<Result<Vec<_>, _>>()?;
            json!({"type": "MultiPoint", "coordinates": ps})
        };
        features.push(json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "tier": r.config.check.standard.tiers[g.tier].name,
                "rank": rank[g.tier],
                "points": g.members.len(),
                "weight": g.weight,
                "hull_area_m2": (g.hull_area_m2 * 10.0).round() / 10.0,
                "nearest": g.nearest,
                "shortfall_min_m": g.shortfall_min_m.map(|s| (s * 100.0).round() / 100.0),
                "shortfall_max_m": g.shortfall_max_m.map(|s| (s * 100.0).round() / 100.0),
                "beyond_limit": g.beyond_limit,
            }
        }));
    }
    Ok(
        serde_json::to_string(&json!({"type": "FeatureCollection", "features": features}))
            .expect("json")
            + "\n",
    )
}
