//! Homes lost to barriers (`report --metric walk`): within a tier's radius in a straight line
//! but not on foot, merged into groups as gaps are (homes closer than the link distance), each
//! with its straight-line and walking distances and the detour between them: the planner's
//! list for a footbridge, a crossing or a new gate.

use geo::Coord;

use super::gaps::{Gap, find_gaps};
use crate::engine::coverage::Coverage;
use crate::run::green::GreenSpaces;
use crate::standard::Standard;

/// One group of homes lost to barriers in one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Lost {
    /// The homes as a gap of the walking metric: tier, members, residents, extent, the space
    /// that comes closest on foot and by how much it misses.
    pub gap: Gap,
    /// Median straight-line distance to the nearest qualifying space, metres.
    pub straight_m: f64,
    /// Median walking distance over the members that reach a space within the search limit
    /// on foot; `None` when none does.
    pub walk_m: Option<f64>,
    /// Median of walking ÷ straight-line distance over the members with both; `None` when
    /// none has both.
    pub detour: Option<f64>,
    /// Members with no walkable way within the snap distance.
    pub no_network: usize,
}

/// The homes of each tier that are within reach in a straight line and not on foot, grouped
/// and ranked as gaps are (residents, then homes). `no_network[i]`: point `i` did not reach
/// the network.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lost_to_barriers(
    xy: &[Coord],
    walked: &Coverage,
    straight: &Coverage,
    no_network: &[bool],
    weights: &[f64],
    standard: &Standard,
    green: &GreenSpaces,
    link_m: f64,
) -> Vec<Lost> {
    // A gap finder over "failing" = lost: a home counts as met unless it is lost.
    let mut lost = walked.clone();
    for (col, s) in lost.tiers.iter_mut().zip(&straight.tiers) {
        for (ok, &s_ok) in col.ok.iter_mut().zip(&s.ok) {
            *ok = !s_ok || *ok; // lost: met in a straight line, not on foot
        }
    }
    find_gaps(xy, &lost, weights, standard, green, link_m)
        .into_iter()
        .map(|gap| {
            let (w, s) = (&walked.tiers[gap.tier], &straight.tiers[gap.tier]);
            let members = || gap.members.iter().map(|&i| i as usize);
            let straight_m = median(members().map(|i| s.distance_m[i]).collect())
                .expect("a lost home is within reach in a straight line");
            let walk_m = median(
                members()
                    .map(|i| w.distance_m[i])
                    .filter(|d| d.is_finite())
                    .collect(),
            );
            let detour = median(
                members()
                    .filter(|&i| w.distance_m[i].is_finite() && s.distance_m[i] > 0.0)
                    .map(|i| w.distance_m[i] / s.distance_m[i])
                    .collect(),
            );
            let no_network = members().filter(|&i| no_network[i]).count();
            Lost {
                gap,
                straight_m,
                walk_m,
                detour,
                no_network,
            }
        })
        .collect()
}

/// The median (mean of the middle two for an even count); `None` for no value.
fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::coverage::TierColumn;

    fn col(ok: &[bool], d: &[f64]) -> TierColumn {
        TierColumn {
            ok: ok.to_vec(),
            distance_m: d.to_vec(),
            nearest: vec![crate::engine::coverage::NO_FEATURE; ok.len()],
        }
    }

    #[test]
    fn only_homes_met_in_a_straight_line_and_missed_on_foot_are_lost() {
        let std = crate::standard::presets::preset("who-europe").expect("preset");
        let green = GreenSpaces::default();
        // Four homes in a row 10 m apart: met both ways, lost (twice), missed both ways.
        let xy: Vec<Coord> = (0..4)
            .map(|i| Coord {
                x: i as f64 * 10.0,
                y: 0.0,
            })
            .collect();
        let straight = Coverage {
            tiers: vec![col(
                &[true, true, true, false],
                &[100.0, 200.0, 250.0, 400.0],
            )],
            all_ok: vec![true, true, true, false],
        };
        let walked = Coverage {
            tiers: vec![col(
                &[true, false, false, false],
                &[150.0, 500.0, f64::NAN, 900.0],
            )],
            all_ok: vec![true, false, false, false],
        };
        let lost = lost_to_barriers(
            &xy,
            &walked,
            &straight,
            &[false, false, true, false],
            &[1.0; 4],
            &std,
            &green,
            50.0,
        );
        assert_eq!(lost.len(), 1);
        let l = &lost[0];
        assert_eq!(l.gap.members, vec![1, 2]);
        assert_eq!(l.straight_m, 225.0);
        assert_eq!(l.walk_m, Some(500.0));
        assert_eq!(l.detour, Some(2.5));
        assert_eq!(l.no_network, 1);
    }

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
