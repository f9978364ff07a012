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

use super::network::{IncomingArcs, Snap, WalkNetwork, flag};
use super::search::{Labels, Source, multi_source};
use crate::crs::PlaneScale;
use crate::engine::coverage::{
    Coverage, Detail, NO_FEATURE, TierColumn, gather, positions, unpermute, z_order,
};
use crate::engine::lookup::Containing;
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

impl TierSearch {
    /// The radius feature `f` serves in this tier, if it serves it.
    fn serves(&self, f: u32) -> Option<f64> {
        served(&self.radius, f)
    }
}

/// The value a tier's search starts entrance `e` at: its offset plus the size-class offset
/// `R − r` (`radius` per feature, `big_r` the largest), or `None` when its feature does not
/// serve the tier.
fn start_key(radius: &[f64], big_r: f64, e: &super::Entrance) -> Option<f64> {
    served(radius, e.feature).map(|r| e.offset_m + (big_r - r))
}

/// The radius feature `f` serves (`radius` per feature, NaN for those that do not serve).
fn served(radius: &[f64], f: u32) -> Option<f64> {
    radius.get(f as usize).copied().filter(|r| r.is_finite())
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
        mut net: WalkNetwork,
        straight: StraightLine,
        radius: Vec<Vec<f64>>,
        limit_m: f64,
        snap_m: f64,
        scale: PlaneScale,
    ) -> Self {
        // The arcs serve the searches only, and are freed after them; the snapping index is
        // built beside the searches.
        let arcs = std::mem::take(&mut net.arcs);
        let (tiers, _) = rayon::join(
            || Self::searches(&net, &arcs, radius, limit_m),
            || net.snap_index(),
        );
        drop(arcs);
        Self {
            net,
            straight,
            tiers,
            scale,
            snap_m,
        }
    }

    /// One multi-source search per tier, in parallel.
    fn searches(
        net: &WalkNetwork,
        arcs: &IncomingArcs,
        radius: Vec<Vec<f64>>,
        limit_m: f64,
    ) -> Vec<TierSearch> {
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
                let labels = multi_source(arcs, &sources, cutoff);
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
        self.assess_snapped_where(tier, p, snap, limit_m, ASK)
    }

    /// [`Self::assess_snapped`], told which green polygons hold `p` (an [`inside_code`]):
    /// none or one is answered without a lookup.
    fn assess_snapped_where(
        &self,
        tier: usize,
        p: Coord,
        snap: Option<Snap>,
        limit_m: f64,
        inside: u32,
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
            offer(s.gap_m + s.t * len + ts.labels.key(u), ts.labels.feature(u));
        }
        if fl & flag::FORWARD != 0 {
            offer(
                s.gap_m + (1.0 - s.t) * len + ts.labels.key(v),
                ts.labels.feature(v),
            );
        }
        match inside {
            OUTSIDE => {}
            ASK => {
                if let Some(h) = self.straight.containing(tier, p) {
                    offer(ts.big_r - h.radius_m, h.feature);
                }
            }
            n => {
                if let Some(r) = ts.serves(n) {
                    offer(ts.big_r - r, n);
                }
            }
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
        self.evaluate_beside(points, detail, limit_m, false).0
    }

    /// [`Self::evaluate`], and with `straight` the straight-line flags of the same points
    /// over the same features (as [`StraightLine`]'s `within`), measured only where the walk
    /// does not already settle them: a point within reach on foot at no more than
    /// `r (1 − 1e-4) − 1 cm` of its feature's radius `r` is within reach in a straight line,
    /// since no walk is shorter than the straight line (the plane's scale varies by far less
    /// than 1e-4 within a radius).
    pub fn evaluate_beside(
        &self,
        points: &[Coord],
        detail: Detail,
        limit_m: f64,
        straight: bool,
    ) -> (WalkCoverage, Option<Coverage>) {
        let order = z_order(points);
        let sorted: Vec<Coord> = order.par_iter().map(|&i| points[i as usize]).collect();
        // Built before the parallel loop: no worker waits on another's initialisation.
        self.net.snap_index();
        // Each point's snap, and which polygons hold it (one lookup for all tiers when they
        // share it: a point inside none or one needs no lookup of its own per tier).
        let (snaps, inside): (Vec<Option<Snap>>, Vec<u32>) = sorted
            .par_iter()
            .map(|&p| (self.snap(p), inside_code(self.straight.inside_which(p))))
            .unzip();
        let (coverage, flags) =
            self.assess_in_order(&sorted, &snaps, &inside, detail, limit_m, straight);
        drop((sorted, inside));
        let position = positions(&order);
        drop(order);
        (
            WalkCoverage {
                coverage: unpermute(coverage, &position),
                snaps: gather(snaps, &position),
            },
            flags.map(|f| unpermute(f, &position)),
        )
    }

    /// The straight-line flag of `p` in `tier` ([`StraightLine`]'s `within`), told which
    /// polygons hold it (an [`inside_code`]): inside the one polygon, when it serves the
    /// tier, is within reach.
    fn straight_within(&self, tier: usize, p: Coord, inside: u32) -> bool {
        match inside {
            ASK => self.straight.within_where(tier, p, true),
            OUTSIDE => self.straight.within_where(tier, p, false),
            n => self.tiers[tier].serves(n).is_some() || self.straight.within_where(tier, p, false),
        }
    }

    /// Every tier of `points` (in Z-order) joined at `snaps`, with the straight-line flags
    /// where asked.
    fn assess_in_order(
        &self,
        points: &[Coord],
        snaps: &[Option<Snap>],
        inside: &[u32],
        detail: Detail,
        limit_m: f64,
        straight: bool,
    ) -> (Coverage, Option<Coverage>) {
        let n_tiers = self.tiers.len();
        // Per tier, the columns straight from each point's assessment (with the straight
        // flag where asked), no assessment held.
        type Columns = (Vec<bool>, (Vec<f64>, (Vec<u32>, Vec<bool>)));
        let per_tier: Vec<Columns> = (0..n_tiers)
            .into_par_iter()
            .map(|t| {
                points
                    .par_iter()
                    .zip(snaps)
                    .zip(inside)
                    .map(|((&p, &s), &inside)| {
                        let a = self.assess_snapped_where(t, p, s, limit_m, inside);
                        let h = a.nearest;
                        let flag = straight
                            && (settled_straight(&a) || self.straight_within(t, p, inside));
                        (
                            a.ok,
                            (
                                h.map_or(f64::NAN, |h| h.distance_m),
                                (h.map_or(NO_FEATURE, |h| h.feature), flag),
                            ),
                        )
                    })
                    .unzip()
            })
            .collect();
        let full = detail == Detail::Distances;
        let (tiers, flag_columns): (Vec<TierColumn>, Vec<TierColumn>) = per_tier
            .into_iter()
            .map(|(ok, (distance_m, (nearest, flag)))| {
                let walked = TierColumn {
                    ok,
                    distance_m: if full { distance_m } else { Vec::new() },
                    nearest: if full { nearest } else { Vec::new() },
                };
                let straight = TierColumn {
                    ok: flag,
                    distance_m: Vec::new(),
                    nearest: Vec::new(),
                };
                (walked, straight)
            })
            .unzip();
        let flags = straight.then(|| Coverage {
            all_ok: all_tiers(&flag_columns, points.len()),
            tiers: flag_columns,
        });
        let all_ok = all_tiers(&tiers, points.len());
        (Coverage { tiers, all_ok }, flags)
    }
}

/// [`WalkReach`]'s code of the polygons that hold a point: outside all of them.
const OUTSIDE: u32 = u32::MAX;
/// Inside several, or not known: look the tier's polygons up.
const ASK: u32 = u32::MAX - 1;

/// The code of [`StraightLine::inside_which`]: [`OUTSIDE`], [`ASK`], or the one polygon's
/// number.
fn inside_code(c: Option<Containing>) -> u32 {
    match c {
        Some(Containing::None) => OUTSIDE,
        Some(Containing::One(n)) if n < ASK => n,
        _ => ASK,
    }
}

/// Within reach on foot with a margin that makes it within reach in a straight line (see
/// [`WalkReach::evaluate_beside`]).
fn settled_straight(a: &Assessment) -> bool {
    a.ok && a
        .nearest
        .is_some_and(|h| h.distance_m <= h.radius_m * (1.0 - 1e-4) - 0.01)
}

/// Every tier met, point by point.
fn all_tiers(tiers: &[TierColumn], n: usize) -> Vec<bool> {
    (0..n).map(|i| tiers.iter().all(|c| c.ok[i])).collect()
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
