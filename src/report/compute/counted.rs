//! Which green spaces counted, by which rule, and how much each serves: the report's "green
//! spaces counted" section. Also the spaces that looked like green space but were kept out,
//! and counted spaces that lie mostly outside the study area (they still serve border homes).

use std::collections::BTreeMap;

use geo::{Area, BooleanOps, BoundingRect, Geometry, Intersects, MultiPolygon};
use serde::Serialize;

use crate::engine::coverage::{Coverage, NO_FEATURE};
use crate::engine::lookup::areal;
use crate::run::green::GreenSpaces;
use crate::standard::Standard;

/// How many of each list the report shows.
const SHOWN: usize = 8;

/// A counted space lying less than this share inside the study area is flagged.
const MOSTLY_OUTSIDE: f64 = 0.5;

/// One counted green space as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountedSpace {
    /// Feature number (index into the classified features).
    pub feature: u32,
    /// Its name, id or file position.
    pub label: String,
    /// Category under the standard.
    pub category: String,
    /// The rule that admitted it.
    pub reason: String,
    /// Area, m² (0 for lines and points).
    pub area_m2: f64,
    /// Tiers it serves.
    pub tiers: Vec<String>,
    /// Homes it serves (is the serving feature of), per tier, in the standard's order.
    pub homes_served: Vec<usize>,
    /// Share of its area inside the study area (zones), when there is one; 1 or 0 for lines
    /// and points.
    pub inside_share: Option<f64>,
}

/// Per tier: the spaces that serve it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierSpaces {
    /// Tier name.
    pub tier: String,
    /// Spaces serving it.
    pub count: usize,
    /// Their area, m².
    pub area_m2: f64,
    /// The spaces serving the most homes in this tier, most first.
    pub most_serving: Vec<CountedSpace>,
}

/// A space that looked like green space but does not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeptOut {
    /// Its name, id or file position.
    pub label: String,
    /// Area, m².
    pub area_m2: f64,
    /// Why it does not count.
    pub reason: String,
}

/// The section's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpacesCounted {
    /// Per tier.
    pub tiers: Vec<TierSpaces>,
    /// The largest counted spaces.
    pub largest: Vec<CountedSpace>,
    /// Counted spaces lying mostly outside the study area (`None` without zones).
    pub mostly_outside: Option<Vec<CountedSpace>>,
    /// Features kept out by reason class (excluded, below the minimum area, exceptions),
    /// with counts, from the classification.
    pub kept_out_by_reason: BTreeMap<String, usize>,
    /// The largest features kept out, with their reason.
    pub largest_kept_out: Vec<KeptOut>,
}

/// The figures for the section. `study_area`: the zones' polygons on the plane, when zones
/// were given.
#[allow(clippy::too_many_lines)] // the section's tables filled from one pass over the spaces
pub(crate) fn spaces_counted(
    standard: &Standard,
    green: &GreenSpaces,
    coverage: &Coverage,
    study_area: Option<&[MultiPolygon<f64>]>,
) -> SpacesCounted {
    let n_tiers = standard.tiers.len();
    let mut served = vec![vec![0usize; n_tiers]; green.features.len()];
    for (t, col) in coverage.tiers.iter().enumerate() {
        if col.nearest.len() != col.ok.len() {
            continue; // flags only: no identities
        }
        for (ok, &f) in col.ok.iter().zip(&col.nearest) {
            if *ok && f != NO_FEATURE {
                served[f as usize][t] += 1;
            }
        }
    }
    let inside = |g: &Geometry<f64>| study_area.map(|zones| inside_share(g, zones));
    let space = |k: usize| {
        let f = &green.features[k];
        CountedSpace {
            feature: k as u32,
            label: f.label.clone(),
            category: standard.categories[f.category].name.clone(),
            reason: f.reason.clone(),
            area_m2: f.area_m2,
            tiers: standard
                .tiers_served_by(f.category)
                .map(|t| standard.tiers[t].name.clone())
                .collect(),
            homes_served: served[k].clone(),
            inside_share: inside(&f.geometry),
        }
    };
    let tiers = standard
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let members: Vec<usize> = (0..green.features.len())
                .filter(|&k| tier.accepts.contains(&green.features[k].category))
                .collect();
            let mut by_service: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&k| served[k][t] > 0)
                .collect();
            by_service.sort_by_key(|&k| (std::cmp::Reverse(served[k][t]), k));
            TierSpaces {
                tier: tier.name.clone(),
                count: members.len(),
                // + 0.0: an empty sum is -0.0.
                area_m2: members
                    .iter()
                    .map(|&k| green.features[k].area_m2)
                    .sum::<f64>()
                    + 0.0,
                most_serving: by_service.into_iter().take(SHOWN).map(space).collect(),
            }
        })
        .collect();
    let mut by_area: Vec<usize> = (0..green.features.len()).collect();
    by_area.sort_by(|&a, &b| {
        green.features[b]
            .area_m2
            .total_cmp(&green.features[a].area_m2)
            .then(a.cmp(&b))
    });
    let largest = by_area.iter().take(SHOWN).map(|&k| space(k)).collect();
    let mostly_outside = study_area.map(|_| {
        by_area
            .iter()
            .map(|&k| space(k))
            .filter(|s| s.inside_share.is_some_and(|x| x < MOSTLY_OUTSIDE))
            .collect()
    });
    let kept_out_by_reason = green
        .ignored
        .iter()
        .filter(|(k, _)| !k.starts_with("not green space"))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let mut kept: Vec<&crate::run::green::NotCounted> = green.not_counted.iter().collect();
    kept.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));
    let largest_kept_out = kept
        .into_iter()
        .take(SHOWN)
        .map(|n| KeptOut {
            label: n.label.clone(),
            area_m2: n.area_m2,
            reason: n.reason.clone(),
        })
        .collect();
    SpacesCounted {
        tiers,
        largest,
        mostly_outside,
        kept_out_by_reason,
        largest_kept_out,
    }
}

/// Share of a geometry inside the union of `zones`: by area for polygons, 1 or 0 for lines and
/// points (whether they touch a zone).
fn inside_share(g: &Geometry<f64>, zones: &[MultiPolygon<f64>]) -> f64 {
    let Some(bbox) = g.bounding_rect() else {
        return 0.0;
    };
    let near: Vec<&MultiPolygon<f64>> = zones
        .iter()
        .filter(|z| z.bounding_rect().is_some_and(|r| r.intersects(&bbox)))
        .collect();
    let Some(poly) = areal(g) else {
        return if near.iter().any(|z| z.intersects(g)) {
            1.0
        } else {
            0.0
        };
    };
    let total = poly.unsigned_area();
    if total <= 0.0 {
        return 0.0;
    }
    let mut rest = poly;
    for z in near {
        rest = rest.difference(z);
    }
    (1.0 - rest.unsigned_area() / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + s, y: y),
            (x: x + s, y: y + s),
            (x: x, y: y + s),
        ]])
    }

    #[test]
    fn inside_share_by_area() {
        let zones = vec![square(0.0, 0.0, 100.0), square(100.0, 0.0, 100.0)];
        let g = Geometry::MultiPolygon(square(150.0, 0.0, 100.0));
        assert!((inside_share(&g, &zones) - 0.5).abs() < 1e-9);
        let g = Geometry::MultiPolygon(square(500.0, 500.0, 10.0));
        assert_eq!(inside_share(&g, &zones), 0.0);
        let g = Geometry::MultiPolygon(square(10.0, 10.0, 10.0));
        assert!((inside_share(&g, &zones) - 1.0).abs() < 1e-9);
        let p = Geometry::Point(geo::point!(x: 50.0, y: 50.0));
        assert_eq!(inside_share(&p, &zones), 1.0);
    }
}
