//! [`WalkReach`]: the walking metric behind the [`Reach`] seam.
//!
//! One multi-source search per tier, run once when the metric is built. A feature serving
//! radius `r` in a tier whose largest radius is `R` starts at its entrances' gaps plus
//! `R − r`, so the least key at a node belongs to the feature with the least shortfall, and a
//! point meets the tier exactly when its key is at most `R`. A home's key is its snap gap plus
//! the walk along its edge to either end plus that end's key (ends it may walk to only); a
//! home inside a polygon of the tier is at 0.

use geo::Coord;
use rayon::prelude::*;

use super::network::{Snap, WalkNetwork, flag};
use super::search::{Labels, Source, multi_source};
use crate::crs::PlaneScale;
use crate::engine::coverage::{
    Coverage, Detail, NO_FEATURE, TierColumn, gather, positions, unpermute, z_order,
};
use crate::engine::reach::{Assessment, Hit, Reach, StraightLine};

/// One tier's search.
#[derive(Debug)]
struct TierSearch {
    /// Largest radius of the tier, metres.
    big_r: f64,
    /// Radius each feature serves in this tier; NaN for features that do not serve it.
    radius: Vec<f64>,
    labels: Labels,
}

/// The value a tier's search starts entrance `e` at: its offset plus the size-class offset
/// `R − r` (`radius` per feature, `big_r` the largest), or `None` when its feature does not
/// serve the tier.
fn start_key(radius: &[f64], big_r: f64, e: &super::Entrance) -> Option<f64> {
    let r = *radius.get(e.feature as usize)?;
    r.is_finite().then_some(e.offset_m + (big_r - r))
}

/// The walking metric.
#[derive(Debug)]
pub struct WalkReach {
    net: WalkNetwork,
    straight: StraightLine,
    tiers: Vec<TierSearch>,
    scale: PlaneScale,
    snap_m: f64,
}

/// Per-point results of a walking evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct WalkCoverage {
    /// Walking results, per tier.
    pub coverage: Coverage,
    /// Where each point joined the network; `None`: farther than the snap distance.
    pub snaps: Vec<Option<Snap>>,
}

impl WalkCoverage {
    /// Points with no walkable way within the snap distance.
    pub fn no_network(&self) -> usize {
        self.snaps.iter().filter(|s| s.is_none()).count()
    }

    /// Points moved off a small piece of network onto a larger one.
    pub fn moved_off_small_pieces(&self) -> usize {
        self.snaps
            .iter()
            .filter(|s| s.is_some_and(|s| s.moved_off_small_piece))
            .count()
    }
}

impl WalkReach {
    /// Build the metric: `radius[tier][feature]` is the radius the feature serves in the tier
    /// (NaN when it does not serve it); searches run to `limit_m` beyond the largest radius
    /// (nearest features are reported up to `max(limit_m, radius)`).
    pub fn new(
        net: WalkNetwork,
        straight: StraightLine,
        radius: Vec<Vec<f64>>,
        limit_m: f64,
        snap_m: f64,
        scale: PlaneScale,
    ) -> Self {
        // The snapping index is bulk-loaded beside the searches: they do not need it.
        let (tiers, _) = rayon::join(
            || Self::searches(&net, radius, limit_m),
            || net.snap_index(),
        );
        Self {
            net,
            straight,
            tiers,
            scale,
            snap_m,
        }
    }

    /// One multi-source search per tier, in parallel.
    fn searches(net: &WalkNetwork, radius: Vec<Vec<f64>>, limit_m: f64) -> Vec<TierSearch> {
        radius
            .into_par_iter()
            .map(|radius| {
                let served = radius.iter().copied().filter(|r| r.is_finite());
                let big_r = served.clone().fold(0.0, f64::max);
                let small_r = served.fold(big_r, f64::min);
                let sources: Vec<Source> = net
                    .entrances
                    .iter()
                    .filter_map(|e| {
                        Some(Source {
                            node: e.node,
                            key: start_key(&radius, big_r, e)?,
                            feature: e.feature,
                        })
                    })
                    .collect();
                let cutoff = limit_m.max(big_r) + (big_r - small_r);
                let labels = multi_source(net, &sources, cutoff);
                TierSearch {
                    big_r,
                    radius,
                    labels,
                }
            })
            .collect()
    }

    /// The network.
    pub fn network(&self) -> &WalkNetwork {
        &self.net
    }

    /// The straight-line metric over the same features.
    pub fn straight(&self) -> &StraightLine {
        &self.straight
    }

    /// The value the search of `tier` starts entrance `e` at (its offset plus the size-class
    /// offset `R − r`), or `None` when its feature does not serve the tier.
    pub fn start_value(&self, tier: usize, e: &super::Entrance) -> Option<f64> {
        let ts = &self.tiers[tier];
        start_key(&ts.radius, ts.big_r, e)
    }

    /// Where `p` joins the network.
    pub fn snap(&self, p: Coord) -> Option<Snap> {
        self.net.snap(p, self.snap_m, self.scale)
    }

    /// The walking answer for `p` joined at `snap`.
    pub fn assess_snapped(
        &self,
        tier: usize,
        p: Coord,
        snap: Option<Snap>,
        limit_m: f64,
    ) -> Assessment {
        let ts = &self.tiers[tier];
        let miss = Assessment {
            ok: false,
            nearest: None,
        };
        let Some(s) = snap else {
            return miss;
        };
        // Best by key (shortfall + R), then feature.
        let mut best: Option<(f64, u32)> = None;
        let mut offer = |key: f64, f: u32| {
            if f != NO_FEATURE && key.is_finite() && best.is_none_or(|b| (key, f) < b) {
                best = Some((key, f));
            }
        };
        let e = s.edge as usize;
        let (u, v) = (self.net.edge_u[e] as usize, self.net.edge_v[e] as usize);
        let len = self.net.edge_len[e];
        let fl = self.net.edge_flags[e];
        if fl & flag::BACKWARD != 0 {
            offer(s.gap_m + s.t * len + ts.labels.key[u], ts.labels.feature[u]);
        }
        if fl & flag::FORWARD != 0 {
            offer(
                s.gap_m + (1.0 - s.t) * len + ts.labels.key[v],
                ts.labels.feature[v],
            );
        }
        if let Some(h) = self.straight.containing(tier, p) {
            offer(ts.big_r - h.radius_m, h.feature);
        }
        match best {
            None => miss,
            Some((key, f)) => {
                let r = ts.radius[f as usize];
                let distance_m = (key - (ts.big_r - r)).max(0.0);
                Assessment {
                    ok: key <= ts.big_r,
                    nearest: (distance_m <= limit_m.max(r)).then_some(Hit {
                        distance_m,
                        feature: f,
                        radius_m: r,
                    }),
                }
            }
        }
    }

    /// Evaluate `points` (plane metres): each is snapped once, then every tier is read from
    /// the node labels. In parallel, in Z-order (neighbours share index paths and node
    /// labels in cache), results in input order; they do not depend on the number of threads.
    pub fn evaluate(&self, points: &[Coord], detail: Detail, limit_m: f64) -> WalkCoverage {
        let order = z_order(points);
        let sorted: Vec<Coord> = order.par_iter().map(|&i| points[i as usize]).collect();
        let WalkCoverage { coverage, snaps } = self.evaluate_in_order(&sorted, detail, limit_m);
        let position = positions(&order);
        WalkCoverage {
            coverage: unpermute(coverage, &position),
            snaps: gather(snaps, &position),
        }
    }

    /// [`Self::evaluate`] on points in the order given.
    fn evaluate_in_order(&self, points: &[Coord], detail: Detail, limit_m: f64) -> WalkCoverage {
        let snaps: Vec<Option<Snap>> = points.par_iter().map(|&p| self.snap(p)).collect();
        let n_tiers = self.tiers.len();
        let per_tier: Vec<Vec<Assessment>> = (0..n_tiers)
            .into_par_iter()
            .map(|t| {
                points
                    .par_iter()
                    .zip(&snaps)
                    .map(|(&p, &s)| self.assess_snapped(t, p, s, limit_m))
                    .collect()
            })
            .collect();
        let tiers: Vec<TierColumn> = per_tier
            .iter()
            .map(|col| TierColumn {
                ok: col.iter().map(|a| a.ok).collect(),
                distance_m: match detail {
                    Detail::Flags => Vec::new(),
                    Detail::Distances => col
                        .iter()
                        .map(|a| a.nearest.map_or(f64::NAN, |h| h.distance_m))
                        .collect(),
                },
                nearest: match detail {
                    Detail::Flags => Vec::new(),
                    Detail::Distances => col
                        .iter()
                        .map(|a| a.nearest.map_or(NO_FEATURE, |h| h.feature))
                        .collect(),
                },
            })
            .collect();
        let all_ok = (0..points.len())
            .map(|i| tiers.iter().all(|c| c.ok[i]))
            .collect();
        WalkCoverage {
            coverage: Coverage { tiers, all_ok },
            snaps,
        }
    }
}

impl Reach for WalkReach {
    fn tier_count(&self) -> usize {
        self.tiers.len()
    }

    fn within(&self, tier: usize, p: Coord) -> bool {
        self.assess_snapped(tier, p, self.snap(p), 0.0).ok
    }

    fn assess(&self, tier: usize, p: Coord, limit_m: f64) -> Assessment {
        self.assess_snapped(tier, p, self.snap(p), limit_m)
    }
}
