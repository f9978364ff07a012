//! Share of residential land area within reach (公园绿地服务半径覆盖率): covered area over
//! total area, per tier and for all tiers together.
//!
//! Each polygon is covered by a quadtree of square cells. A cell whose centre has margin `m`
//! (distance to the best serving space minus that space's radius; 1-Lipschitz) is wholly
//! covered when `m ≤ −δ` and wholly uncovered when `m > δ`, `δ` being the half-diagonal. Only
//! cells that straddle a coverage boundary are split, down to `min_cell_m`. The area of a cell
//! inside the polygon is exact (a polygon clip); an undecided leaf counts half and its whole
//! area goes into the error bound, which is therefore a hard bound on the estimate's error.

use geo::{Area, BooleanOps, BoundingRect, Contains, Coord, Intersects, MultiPolygon, Rect};
use rayon::prelude::*;

use crate::engine::reach::Reach;

/// Covered land area per tier.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LandShares {
    /// Total land area, m².
    pub area_m2: f64,
    /// Covered area per tier, m² (estimate: certain area plus half the undecided area).
    pub covered_m2: Vec<f64>,
    /// Area covered by every tier, m².
    pub all_m2: f64,
    /// Undecided area per tier and for all tiers (last), m²: the estimate is within this.
    pub undecided_m2: Vec<f64>,
}

impl LandShares {
    fn zero(tiers: usize) -> Self {
        Self {
            area_m2: 0.0,
            covered_m2: vec![0.0; tiers],
            all_m2: 0.0,
            undecided_m2: vec![0.0; tiers + 1],
        }
    }

    /// Add another polygon's figures.
    pub fn add(&mut self, o: &LandShares) {
        if self.covered_m2.is_empty() {
            *self = LandShares::zero(o.covered_m2.len());
        }
        self.area_m2 += o.area_m2;
        for (a, b) in self.covered_m2.iter_mut().zip(&o.covered_m2) {
            *a += b;
        }
        self.all_m2 += o.all_m2;
        for (a, b) in self.undecided_m2.iter_mut().zip(&o.undecided_m2) {
            *a += b;
        }
    }

    /// Covered share of tier `t` (0–1).
    pub fn share(&self, t: usize) -> f64 {
        ratio(self.covered_m2[t], self.area_m2)
    }

    /// Share covered by every tier (0–1).
    pub fn all_share(&self) -> f64 {
        ratio(self.all_m2, self.area_m2)
    }

    /// Worst-case error of any share, in percentage points.
    pub fn bound_pp(&self) -> f64 {
        let worst = self.undecided_m2.iter().cloned().fold(0.0, f64::max);
        100.0 * ratio(worst, self.area_m2)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// Settings of the quadtree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LandSettings {
    /// Smallest cell side, metres.
    pub min_cell_m: f64,
    /// Search limit for distances, metres (beyond it a point is uncovered).
    pub limit_m: f64,
}

/// Land figures for each polygon (plane metres), in parallel.
pub(crate) fn land_cover(
    polygons: &[MultiPolygon<f64>],
    reach: &dyn Reach,
    s: LandSettings,
) -> Vec<LandShares> {
    polygons
        .par_iter()
        .map(|p| polygon_cover(p, reach, s))
        .collect()
}

/// Land figures for one polygon.
pub(crate) fn polygon_cover(
    poly: &MultiPolygon<f64>,
    reach: &dyn Reach,
    s: LandSettings,
) -> LandShares {
    let tiers = reach.tier_count();
    let mut out = LandShares::zero(tiers);
    out.area_m2 = poly.unsigned_area();
    let Some(bb) = poly.bounding_rect() else {
        return out;
    };
    let side = bb.width().max(bb.height()).max(s.min_cell_m);
    let root = Rect::new(
        bb.min(),
        Coord {
            x: bb.min().x + side,
            y: bb.min().y + side,
        },
    );
    let mut acc = LandShares::zero(tiers);
    cell(poly, root, reach, s, &mut acc);
    out.covered_m2 = acc.covered_m2;
    out.all_m2 = acc.all_m2;
    out.undecided_m2 = acc.undecided_m2;
    out
}

/// How much of `cell` lies in `poly`, exactly.
fn area_inside(poly: &MultiPolygon<f64>, cell: Rect<f64>) -> f64 {
    if poly.contains(&cell) {
        cell.unsigned_area()
    } else {
        poly.intersection(&MultiPolygon(vec![cell.to_polygon()]))
            .unsigned_area()
    }
}

fn cell(
    poly: &MultiPolygon<f64>,
    r: Rect<f64>,
    reach: &dyn Reach,
    s: LandSettings,
    acc: &mut LandShares,
) {
    if !poly.intersects(&r) {
        return;
    }
    let c = r.center();
    let delta = 0.5 * (r.width() * r.width() + r.height() * r.height()).sqrt();
    let tiers = reach.tier_count();
    // Per tier: Some(true) wholly covered, Some(false) wholly uncovered, None undecided.
    let mut state = Vec::with_capacity(tiers + 1);
    let mut worst = f64::NEG_INFINITY;
    for t in 0..tiers {
        let m = reach
            .assess(t, c, s.limit_m)
            .nearest
            .map_or(f64::INFINITY, |h| h.distance_m - h.radius_m);
        worst = worst.max(m);
        state.push(decide(m, delta));
    }
    state.push(decide(worst, delta));
    let undecided = state.iter().any(Option::is_none);
    if undecided && r.width() > s.min_cell_m {
        let (w, h) = (r.width() / 2.0, r.height() / 2.0);
        for (dx, dy) in [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)] {
            let min = Coord {
                x: r.min().x + dx,
                y: r.min().y + dy,
            };
            cell(
                poly,
                Rect::new(
                    min,
                    Coord {
                        x: min.x + w,
                        y: min.y + h,
                    },
                ),
                reach,
                s,
                acc,
            );
        }
        return;
    }
    let inside = area_inside(poly, r);
    for (t, st) in state.iter().enumerate() {
        let covered = match st {
            Some(true) => inside,
            Some(false) => 0.0,
            None => {
                acc.undecided_m2[t] += inside;
                inside / 2.0
            }
        };
        if t < tiers {
            acc.covered_m2[t] += covered;
        } else {
            acc.all_m2 += covered;
        }
    }
}

fn decide(margin: f64, delta: f64) -> Option<bool> {
    if margin <= -delta {
        Some(true)
    } else if margin > delta {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::PlaneScale;
    use crate::engine::index::TierIndex;
    use crate::engine::reach::StraightLine;
    use geo::{Geometry, Point, polygon};

    /// A 1000 × 1000 m block and a point park at its west edge, radius 500 m: the covered part
    /// is a half disc of area π·500²/2.
    #[test]
    fn half_disc_is_measured_within_its_bound() {
        let block = MultiPolygon(vec![
            polygon![(x: 0., y: -500.), (x: 1000., y: -500.), (x: 1000., y: 500.), (x: 0., y: 500.), (x: 0., y: -500.)],
        ]);
        let park = Geometry::Point(Point::new(0.0, 0.0));
        let reach = StraightLine::single_radius(
            vec![(500.0, TierIndex::build([(0, &park)]))],
            PlaneScale::unit(),
        );
        let l = polygon_cover(
            &block,
            &reach,
            LandSettings {
                min_cell_m: 2.0,
                limit_m: 5000.0,
            },
        );
        let want = std::f64::consts::PI * 500.0 * 500.0 / 2.0;
        assert!((l.area_m2 - 1e6).abs() < 1e-6);
        let err = (l.covered_m2[0] - want).abs();
        assert!(
            err <= l.undecided_m2[0],
            "error {err} beyond bound {}",
            l.undecided_m2[0]
        );
        assert!(l.bound_pp() < 0.5, "{}", l.bound_pp());
        assert!((l.share(0) - want / 1e6).abs() < 0.001, "{}", l.share(0));
        assert_eq!(l.all_m2, l.covered_m2[0]);
    }

    #[test]
    fn wholly_covered_and_uncovered_polygons_are_exact() {
        let lot = MultiPolygon(vec![
            polygon![(x: 10., y: 10.), (x: 40., y: 10.), (x: 25., y: 40.), (x: 10., y: 10.)],
        ]);
        let park = Geometry::Point(Point::new(0.0, 0.0));
        let near = StraightLine::single_radius(
            vec![(300.0, TierIndex::build([(0, &park)]))],
            PlaneScale::unit(),
        );
        let l = polygon_cover(
            &lot,
            &near,
            LandSettings {
                min_cell_m: 2.0,
                limit_m: 5000.0,
            },
        );
        assert_eq!(l.covered_m2[0], l.area_m2);
        assert_eq!(l.undecided_m2[0], 0.0);
        let far = StraightLine::single_radius(
            vec![(5.0, TierIndex::build([(0, &park)]))],
            PlaneScale::unit(),
        );
        let l = polygon_cover(
            &lot,
            &far,
            LandSettings {
                min_cell_m: 2.0,
                limit_m: 5000.0,
            },
        );
        assert_eq!(l.covered_m2[0], 0.0);
        assert!((l.area_m2 - 450.0).abs() < 1e-9);
    }
}
