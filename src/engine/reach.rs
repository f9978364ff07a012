//! The distance seam: how far a demand point is from what serves a tier.
//!
//! Evaluation only talks to [`Reach`]; [`StraightLine`] is the Euclidean metric on the local
//! plane, corrected to ground distance by the plane's point scale. A walking-network metric
//! implements the same trait.
//!
//! A tier whose features serve different radii (size classes) is a list of radius groups. A
//! point meets the tier when some feature is within its own radius; the feature reported is
//! the one that serves it (or, failing that, the one that misses by the least), so the
//! reported distance and the flag always describe the same feature.

use std::sync::Arc;

use geo::Coord;

use crate::crs::PlaneScale;
use crate::engine::index::{PlaneHit, TierIndex};
use crate::engine::lookup::{Containing, PolygonLookup};

/// The feature that serves (or comes closest to serving) a point in a tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Ground distance in metres (0 inside a polygon).
    pub distance_m: f64,
    /// Feature number.
    pub feature: u32,
    /// The radius this feature serves in the tier, metres.
    pub radius_m: f64,
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

    /// Is some feature serving `tier` within its radius of `p`?
    fn within(&self, tier: usize, p: Coord) -> bool;

    /// The feature that serves `p` in `tier` (or misses by the least) among those within
    /// `limit_m`, and whether it serves. `ok` must equal [`Reach::within`].
    fn assess(&self, tier: usize, p: Coord, limit_m: f64) -> Assessment;

    /// [`Reach::assess`] for each of `points`, into `out` (cleared first). Metrics that can
    /// share work between nearby points override it; the answers must be the same.
    fn assess_batch(&self, tier: usize, points: &[Coord], limit_m: f64, out: &mut Vec<Assessment>) {
        out.clear();
        out.extend(points.iter().map(|&p| self.assess(tier, p, limit_m)));
    }

    /// [`Reach::assess_batch`] for every tier, into `out[tier]` (one vector per tier). Metrics
    /// that can share work between tiers override it; the answers must be the same.
    fn assess_tiers(&self, points: &[Coord], limit_m: f64, out: &mut [Vec<Assessment>]) {
        for (t, o) in out.iter_mut().enumerate() {
            self.assess_batch(t, points, limit_m, o);
        }
    }

    /// For every point within `delta` plane metres of `c` at once: `Some(true)` when all of
    /// them meet `tier`, `Some(false)` when none does, `None` when it cannot tell. Must only
    /// answer when [`Reach::within`] would give that answer for each such point.
    fn decide_disc(&self, _tier: usize, _c: Coord, _delta: f64) -> Option<bool> {
        None
    }
}

/// Slack for whole-disc decisions, metres: far above floating rounding, far below any radius.
const DISC_SLACK: f64 = 1e-6;

/// Features of one tier that serve the same radius.
#[derive(Debug)]
pub struct RadiusGroup {
    /// Service radius, ground metres.
    pub radius_m: f64,
    /// The features.
    pub index: TierIndex,
}

/// Straight-line ground distance, through [`TierIndex`]es grouped by radius per tier.
#[derive(Debug)]
pub struct StraightLine {
    tiers: Vec<Vec<RadiusGroup>>,
    scale: PlaneScale,
    /// The polygon lookup every group shares ([`TierIndex::build_sharing`]), if they all do:
    /// then a point's containing polygons are found once for all tiers.
    shared: Option<Arc<PolygonLookup>>,
}

impl StraightLine {
    /// A metric over the radius groups of each tier on a plane with point scale `scale`.
    pub fn new(tiers: Vec<Vec<RadiusGroup>>, scale: PlaneScale) -> Self {
        let mut lookups = tiers.iter().flatten().map(|g| g.index.shared_lookup());
        let shared = match lookups.next() {
            Some(Some(first)) => lookups
                .all(|l| l.is_some_and(|l| Arc::ptr_eq(l, first)))
                .then(|| Arc::clone(first)),
            _ => None,
        };
        Self {
            tiers,
            scale,
            shared,
        }
    }

    /// One index per tier, each serving a single radius.
    pub fn single_radius(tiers: Vec<(f64, TierIndex)>, scale: PlaneScale) -> Self {
        let tiers = tiers
            .into_iter()
            .map(|(radius_m, index)| vec![RadiusGroup { radius_m, index }])
            .collect();
        Self::new(tiers, scale)
    }

    /// [`Reach::assess_batch`] of one tier with the containing polygons of each point known:
    /// `inside(group, i)` is what that group's index would find for `points[i]`.
    fn assess_batch_given(
        &self,
        tier: usize,
        points: &[Coord],
        scales: &[f64],
        limit_m: f64,
        inside: impl Fn(&TierIndex, &mut Vec<Option<u32>>),
        out: &mut Vec<Assessment>,
    ) {
        let mut best: Vec<Option<Best>> = vec![None; points.len()];
        let mut limits = Vec::with_capacity(points.len());
        let mut hits = Vec::with_capacity(points.len());
        let mut held = Vec::with_capacity(points.len());
        for g in &self.tiers[tier] {
            limits.clear();
            limits.extend(scales.iter().map(|k| limit_m.max(g.radius_m) * k));
            inside(&g.index, &mut held);
            g.index
                .nearest_batch_given(points, &limits, &held, &mut hits);
            for ((b, &k), h) in best.iter_mut().zip(scales).zip(&hits) {
                if let Some(h) = *h {
                    consider(b, g.radius_m, k, h);
                }
            }
        }
        out.clear();
        out.extend(best.into_iter().map(assessment));
    }
}

impl StraightLine {
    /// Which polygons of all tiers hold `p`, when all tiers share one polygon lookup (`None`
    /// otherwise: then ask [`Self::containing`] tier by tier). With exactly one, polygon `n`,
    /// [`Self::containing`] of a tier is `n` at the radius `n` serves in that tier, or none
    /// when `n` does not serve it.
    pub fn inside_which(&self, p: Coord) -> Option<Containing> {
        self.shared.as_ref().map(|l| l.containing_which(p))
    }

    /// [`Reach::within`], told whether `p` may lie inside a polygon (from
    /// [`Self::inside_any`]): when it cannot, no polygon is looked up.
    pub fn within_where(&self, tier: usize, p: Coord, may_be_inside: bool) -> bool {
        if may_be_inside {
            return self.within(tier, p);
        }
        let k = self.scale.at(p);
        self.tiers[tier]
            .iter()
            .any(|g| g.index.boundary_within(p, g.radius_m * k))
    }

    /// The polygon of `tier` that has `p` inside and serves the largest radius (the lowest
    /// feature number among equals), at distance 0.
    pub fn containing(&self, tier: usize, p: Coord) -> Option<Hit> {
        self.tiers[tier]
            .iter()
            .filter_map(|g| {
                g.index.containing(p).map(|feature| Hit {
                    distance_m: 0.0,
                    feature,
                    radius_m: g.radius_m,
                })
            })
            .min_by(|a, b| {
                b.radius_m
                    .total_cmp(&a.radius_m)
                    .then(a.feature.cmp(&b.feature))
            })
    }
}

impl Reach for StraightLine {
    fn tier_count(&self) -> usize {
        self.tiers.len()
    }

    fn decide_disc(&self, tier: usize, c: Coord, delta: f64) -> Option<bool> {
        // The point scale over the disc lies between its values nearest to and farthest from
        // the central meridian.
        let near_x = (c.x.abs() - delta).max(0.0);
        let k_min = self.scale.at(Coord { x: near_x, y: 0.0 });
        let k_max = self.scale.at(Coord {
            x: c.x.abs() + delta,
            y: 0.0,
        });
        let groups = &self.tiers[tier];
        // Some feature within r·k_min − δ of the centre is within r·k(p) of every point.
        if groups.iter().any(|g| {
            let r = g.radius_m * k_min - delta - DISC_SLACK;
            r >= 0.0 && g.index.any_within(c, r)
        }) {
            return Some(true);
        }
        // No feature within r·k_max + δ of the centre is within r·k(p) of any point.
        if groups.iter().all(|g| {
            !g.index
                .any_within(c, g.radius_m * k_max + delta + DISC_SLACK)
        }) {
            return Some(false);
        }
        None
    }

    fn within(&self, tier: usize, p: Coord) -> bool {
        let k = self.scale.at(p);
        self.tiers[tier]
            .iter()
            .any(|g| g.index.any_within(p, g.radius_m * k))
    }

    fn assess(&self, tier: usize, p: Coord, limit_m: f64) -> Assessment {
        let k = self.scale.at(p);
        let mut best = None;
        for g in &self.tiers[tier] {
            if let Some(h) = g.index.nearest(p, limit_m.max(g.radius_m) * k) {
                consider(&mut best, g.radius_m, k, h);
            }
        }
        assessment(best)
    }

    fn assess_batch(&self, tier: usize, points: &[Coord], limit_m: f64, out: &mut Vec<Assessment>) {
        let scales: Vec<f64> = points.iter().map(|&p| self.scale.at(p)).collect();
        let inside = |index: &TierIndex, held: &mut Vec<Option<u32>>| {
            held.clear();
            held.extend(points.iter().map(|&p| index.containing(p)));
        };
        self.assess_batch_given(tier, points, &scales, limit_m, inside, out);
    }

    fn assess_tiers(&self, points: &[Coord], limit_m: f64, out: &mut [Vec<Assessment>]) {
        let Some(shared) = &self.shared else {
            for (t, o) in out.iter_mut().enumerate() {
                self.assess_batch(t, points, limit_m, o);
            }
            return;
        };
        let scales: Vec<f64> = points.iter().map(|&p| self.scale.at(p)).collect();
        // Every point's containing polygons, once for all tiers: `held[from[i]..from[i + 1]]`.
        let mut held_all = Vec::new();
        let mut from = Vec::with_capacity(points.len() + 1);
        for &p in points {
            from.push(held_all.len());
            shared.all_containing_into(p, &mut held_all);
        }
        from.push(held_all.len());
        let inside = |index: &TierIndex, held: &mut Vec<Option<u32>>| {
            held.clear();
            held.extend(
                from.windows(2)
                    .map(|w| index.first_member(&held_all[w[0]..w[1]])),
            );
        };
        for (t, o) in out.iter_mut().enumerate() {
            self.assess_batch_given(t, points, &scales, limit_m, inside, o);
        }
    }
}

/// A radius group's hit: serves, shortfall (metres), the hit.
type Best = (bool, f64, Hit);

/// Keep the better of `best` and the hit `h` of a group serving `radius_m` at point scale `k`:
/// serving, then smallest shortfall, then nearest, then lowest number.
fn consider(best: &mut Option<Best>, radius_m: f64, k: f64, h: PlaneHit) {
    let r = radius_m * k;
    let ok = h.distance_2 <= r * r;
    let hit = Hit {
        distance_m: h.distance_2.sqrt() / k,
        feature: h.feature,
        radius_m,
    };
    let short = hit.distance_m - radius_m;
    let better = match best {
        None => true,
        Some((bok, bshort, b)) => {
            (!ok, short, hit.distance_m, hit.feature).partial_cmp(&(
                !*bok,
                *bshort,
                b.distance_m,
                b.feature,
            )) == Some(std::cmp::Ordering::Less)
        }
    };
    if better {
        *best = Some((ok, short, hit));
    }
}

fn assessment(best: Option<Best>) -> Assessment {
    match best {
        Some((ok, _, hit)) => Assessment {
            ok,
            nearest: Some(hit),
        },
        None => Assessment {
            ok: false,
            nearest: None,
        },
    }
}
