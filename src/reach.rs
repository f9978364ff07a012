//! The distance seam: how far a demand point is from what serves a tier.
//!
//! Evaluation only talks to [`Reach`]; [`StraightLine`] is the Euclidean metric on the local
//! plane, corrected to ground distance by the plane's point scale. A walking-network metric
//! implements the same trait.

use geo::Coord;

use crate::crs::PlaneScale;
use crate::index::TierIndex;

/// The nearest feature serving a tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Ground distance in metres (0 inside a polygon).
    pub distance_m: f64,
    /// Feature number.
    pub feature: u32,
}

/// The answer for one point and one tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    /// Within the tier's radius.
    pub ok: bool,
    /// The nearest feature within the search limit, if any.
    pub nearest: Option<Hit>,
}

/// A distance metric between demand points and the green features of each tier.
pub trait Reach: Sync {
    /// Number of tiers this metric was built for.
    fn tier_count(&self) -> usize;

    /// Is any feature serving `tier` within `radius_m` ground metres of `p`?
    fn within(&self, tier: usize, p: Coord, radius_m: f64) -> bool;

    /// The nearest feature serving `tier` within `limit_m`, and whether it is within `radius_m`.
    /// `ok` must equal [`Reach::within`] for the same arguments.
    fn assess(&self, tier: usize, p: Coord, radius_m: f64, limit_m: f64) -> Assessment;
}

/// Straight-line ground distance, through one [`TierIndex`] per tier.
#[derive(Debug)]
pub struct StraightLine {
    tiers: Vec<TierIndex>,
    scale: PlaneScale,
}

impl StraightLine {
    /// A metric over `tiers` on a plane with point scale `scale`.
    pub fn new(tiers: Vec<TierIndex>, scale: PlaneScale) -> Self {
        Self { tiers, scale }
    }

    /// The index of one tier.
    pub fn tier(&self, tier: usize) -> &TierIndex {
        &self.tiers[tier]
    }
}

impl Reach for StraightLine {
    fn tier_count(&self) -> usize {
        self.tiers.len()
    }

    fn within(&self, tier: usize, p: Coord, radius_m: f64) -> bool {
        self.tiers[tier].any_within(p, radius_m * self.scale.at(p))
    }

    fn assess(&self, tier: usize, p: Coord, radius_m: f64, limit_m: f64) -> Assessment {
        let k = self.scale.at(p);
        let r = radius_m * k;
        match self.tiers[tier].nearest(p, limit_m.max(radius_m) * k) {
            Some(h) => Assessment {
                ok: h.distance_2 <= r * r,
                nearest: Some(Hit {
                    distance_m: h.distance_2.sqrt() / k,
                    feature: h.feature,
                }),
            },
            None => Assessment {
                ok: false,
                nearest: None,
            },
        }
    }
}
