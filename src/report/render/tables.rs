//! `zones.csv`, `areas.csv` and `gaps.geojson`.

use geo::{ConvexHull, Coord, MultiPoint, Point};
use serde_json::{Value, json};

use super::super::{Report, Shares};
use crate::error::Error;
use crate::io::output::csv_field;

fn share_cells(r: &Report, s: &Shares) -> String {
    let tiers = r.config.check.standard.tiers.len();
    let mut out = format!("{},{:.3}", s.points.total, s.weight.total);
    for t in 0..tiers {
        out += &format!(
            ",{},{:.6},{:.6}",
            s.points.within[t],
            s.point_share(Some(t)),
            s.weight_share(Some(t))
        );
        match &s.land {
            Some(l) => out += &format!(",{:.6}", l.share(t)),
            None => out += ",",
        }
    }
    out += &format!(
        ",{},{:.6},{:.6}",
        s.points.all,
        s.point_share(None),
        s.weight_share(None)
    );
    match &s.land {
        Some(l) => out += &format!(",{:.6},{:.1},{:.3}", l.all_share(), l.area_m2, l.bound_pp()),
        None => out += ",,,",
    }
    out
}

/// One row per zone (worst first), then the total.
pub(super) fn zones_csv(r: &Report) -> String {
    let mut out = String::from("zone,points,weight");
    for t in &r.config.check.standard.tiers {
        out += &format!(
            ",{0}_points,{0}_point_share,{0}_weight_share,{0}_land_share",
            t.name
        );
    }
    out += ",all_points,all_point_share,all_weight_share,all_land_share,land_area_m2,land_error_bound_pp\n";
    for z in &r.zones {
        out += &format!("{},{}\n", csv_field(&z.name), share_cells(r, &z.shares));
    }
    out += &format!("total,{}\n", share_cells(r, &r.totals));
    out
}

/// One row per residential polygon (worst first).
pub(super) fn areas_csv(r: &Report) -> String {
    let mut out = String::from("id,zone,area_m2");
    for t in &r.config.check.standard.tiers {
        out += &format!(",{}_land_share", t.name);
    }
    out += ",all_land_share,error_bound_pp\n";
    for a in &r.areas {
        out += &format!(
            "{},{},{:.1}",
            csv_field(&a.id),
            csv_field(a.zone.as_deref().unwrap_or("")),
            a.land.area_m2
        );
        for t in 0..r.config.check.standard.tiers.len() {
            out += &format!(",{:.6}", a.land.share(t));
        }
        out += &format!(",{:.6},{:.3}\n", a.land.all_share(), a.land.bound_pp());
    }
    out
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
