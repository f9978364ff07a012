//! Gaps: demand points that fail a tier, merged into areas (points closer than a link
//! distance belong to one gap), ranked by residents, then by points.

use geo::{Area, ConvexHull, Coord, MultiPoint, Point};

use crate::engine::coverage::{Coverage, NO_FEATURE};
use crate::engine::groups::link_groups;
use crate::run::green::GreenSpaces;
use crate::standard::Standard;

/// One gap area of one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// Tier index.
    pub tier: usize,
    /// Demand points in the gap (indices).
    pub members: Vec<u32>,
    /// Residents (sum of weights).
    pub weight: f64,
    /// Area of the convex hull of the points, m² (0 for fewer than 3).
    pub hull_area_m2: f64,
    /// The space that comes closest to serving the gap, if any is within the search limit.
    pub nearest: Option<String>,
    /// Smallest shortfall (distance − radius) over the points, m.
    pub shortfall_min_m: Option<f64>,
    /// Largest shortfall over the points that have a space within the limit, m.
    pub shortfall_max_m: Option<f64>,
    /// Points with no serving space within the search limit.
    pub beyond_limit: usize,
}

impl Gap {
    /// The shortfall as the report states it: `77 m`, `120–480 m`, or `nothing within 5000 m`
    /// (`limit_m`, the search limit) when no point of the gap has a space within it.
    pub fn shortfall_text(&self, limit_m: f64) -> String {
        match (self.shortfall_min_m, self.shortfall_max_m) {
            (Some(a), Some(b)) if (b - a).abs() < 0.5 => format!("{a:.0} m"),
            (Some(a), Some(b)) => format!("{a:.0}–{b:.0} m"),
            _ => format!("nothing within {limit_m} m"),
        }
    }
}

/// Gaps of every tier, each tier's ranked by weight then points (largest first).
pub(crate) fn find_gaps(
    xy: &[Coord],
    coverage: &Coverage,
    weights: &[f64],
    standard: &Standard,
    green: &GreenSpaces,
    link_m: f64,
) -> Vec<Gap> {
    let mut out = Vec::new();
    for (t, col) in coverage.tiers.iter().enumerate() {
        let failing: Vec<u32> = (0..xy.len() as u32)
            .filter(|&i| !col.ok[i as usize])
            .collect();
        let groups = link_groups(xy, &failing, link_m);
        let mut gaps: Vec<Gap> = groups
            .into_iter()
            .map(|members| gap(t, members, xy, coverage, weights, standard, green))
            .collect();
        gaps.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then(b.members.len().cmp(&a.members.len()))
                .then(a.members[0].cmp(&b.members[0]))
        });
        out.extend(gaps);
    }
    out
}

fn gap(
    tier: usize,
    members: Vec<u32>,
    xy: &[Coord],
    coverage: &Coverage,
    weights: &[f64],
    standard: &Standard,
    green: &GreenSpaces,
) -> Gap {
    let col = &coverage.tiers[tier];
    let mut best: Option<(f64, u32)> = None;
    let mut worst: Option<f64> = None;
    let mut beyond = 0;
    for &i in &members {
        let f = col.nearest[i as usize];
        if f == NO_FEATURE {
            beyond += 1;
            continue;
        }
        let short = col.distance_m[i as usize]
            - standard.tiers[tier].radius_for(green.features[f as usize].area_m2);
        if best.is_none_or(|(b, _)| short < b) {
            best = Some((short, f));
        }
        worst = Some(worst.map_or(short, |w: f64| w.max(short)));
    }
    let hull_area_m2 = if members.len() >= 3 {
        MultiPoint(members.iter().map(|&i| Point(xy[i as usize])).collect())
            .convex_hull()
            .unsigned_area()
    } else {
        0.0
    };
    Gap {
        tier,
        weight: members.iter().map(|&i| weights[i as usize]).sum(),
        hull_area_m2,
        nearest: best.map(|(_, f)| green.features[f as usize].label.clone()),
        shortfall_min_m: best.map(|(s, _)| s),
        shortfall_max_m: worst,
        beyond_limit: beyond,
        members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortfall_text() {
        let gap = |min, max| Gap {
            tier: 0,
            members: vec![],
            weight: 0.0,
            hull_area_m2: 0.0,
            nearest: None,
            shortfall_min_m: min,
            shortfall_max_m: max,
            beyond_limit: 0,
        };
        assert_eq!(gap(Some(76.8), Some(77.1)).shortfall_text(5000.0), "77 m");
        assert_eq!(
            gap(Some(120.0), Some(480.4)).shortfall_text(5000.0),
            "120–480 m"
        );
        assert_eq!(
            gap(None, None).shortfall_text(5000.0),
            "nothing within 5000 m"
        );
    }
}
