//! `summary.json`: every number of the report, machine-readable (schema in
//! `docs/summary-schema.md`).

use serde_json::{Value, json};

use super::super::{Report, Shares};
use super::grade;

fn shares(r: &Report, s: &Shares) -> Value {
    let tiers: Vec<Value> = r
        .config
        .check
        .standard
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            json!({
                "tier": tier.name,
                "points_within": s.within[t],
                "point_share": s.point_share(Some(t)),
                "weight_within": s.weight_within[t],
                "weight_share": s.weight_share(Some(t)),
                "land_covered_m2": s.land.as_ref().map(|l| l.covered_m2[t]),
                "land_share": s.land.as_ref().map(|l| l.share(t)),
                "land_grade": s.land.as_ref().map(|l| grade(l.share(t))),
            })
        })
        .collect();
    json!({
        "points": s.points,
        "weight": s.weight,
        "tiers": tiers,
        "all": {
            "points_within": s.all,
            "point_share": s.point_share(None),
            "weight_within": s.weight_all,
            "weight_share": s.weight_share(None),
            "land_covered_m2": s.land.as_ref().map(|l| l.all_m2),
            "land_share": s.land.as_ref().map(|l| l.all_share()),
        },
        "land": s.land.as_ref().map(|l| json!({"area_m2": l.area_m2, "error_bound_pp": l.bound_pp()})),
    })
}

/// The whole report as JSON.
pub fn summary_json(r: &Report) -> Value {
    let std = &r.config.check.standard;
    let sum = &r.summary;
    let per_tier = r.prepared.green.per_tier(std);
    json!({
        "schema": "greenreach-report/1",
        "greenreach_version": env!("CARGO_PKG_VERSION"),
        "generated_utc": r.generated_utc,
        "standard": {
            "name": std.name,
            "source": std.source,
            "tiers": std.tiers.iter().map(|t| json!({
                "name": t.name,
                "label": t.label,
                "radius_m": t.radius_m,
                "size_classes": t.size_classes.iter().map(|c| json!({"min_area_m2": c.min_area_m2, "radius_m": c.radius_m})).collect::<Vec<_>>(),
                "accepts": t.accepts.iter().map(|&c| std.categories[c].name.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "search_limit_m": r.config.check.max_distance_m,
        "weighting": {
            "description": r.weights.description,
            "unassigned_population": r.weights.unassigned,
            "points_outside_population_cells": r.weights.points_outside,
        },
        "homes_rule": r.homes_rule,
        "plane": {"lon0": r.prepared.plane.origin().0, "lat0": r.prepared.plane.origin().1},
        "inputs": r.inputs.iter().map(|f| json!({
            "path": f.info.path.display().to_string(),
            "role": f.info.role,
            "crs": f.info.crs,
            "crs_source": format!("{:?}", f.info.crs_source),
            "features": f.info.read,
            "skipped": f.info.skipped,
            "sha256": f.sha256,
        })).collect::<Vec<_>>(),
        "green": {
            "read": sum.green_read,
            "used": sum.green_used,
            "skipped": sum.green_skipped,
            "ignored": sum.green_ignored,
            "per_tier": std.tiers.iter().zip(&per_tier).map(|(t, n)| json!({"tier": t.name, "features": n})).collect::<Vec<_>>(),
        },
        "points": {
            "read": sum.points_read,
            "evaluated": sum.points_evaluated,
            "skipped": sum.points_skipped,
        },
        "totals": shares(r, &r.totals),
        "zones": r.zones.iter().map(|z| {
            let mut v = shares(r, &z.shares);
            v["name"] = json!(z.name);
            v
        }).collect::<Vec<_>>(),
        "residential_areas": r.areas.iter().map(|a| json!({
            "id": a.id,
            "zone": a.zone,
            "area_m2": a.land.area_m2,
            "land_share": (0..std.tiers.len()).map(|t| a.land.share(t)).collect::<Vec<_>>(),
            "all_share": a.land.all_share(),
            "error_bound_pp": a.land.bound_pp(),
        })).collect::<Vec<_>>(),
        "gaps": r.gaps.iter().map(|g| json!({
            "tier": std.tiers[g.tier].name,
            "points": g.members.len(),
            "weight": g.weight,
            "hull_area_m2": g.hull_area_m2,
            "nearest": g.nearest,
            "shortfall_min_m": g.shortfall_min_m,
            "shortfall_max_m": g.shortfall_max_m,
            "beyond_limit": g.beyond_limit,
        })).collect::<Vec<_>>(),
        "histograms": std.tiers.iter().zip(&r.histograms).map(|(t, h)| json!({
            "tier": t.name, "bin_m": h.bin_m, "counts": h.counts, "beyond": h.beyond, "none_within_limit": h.none,
        })).collect::<Vec<_>>(),
        "warnings": r.warnings,
    })
}
