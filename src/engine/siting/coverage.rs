//! Candidate coverage sets: for each candidate, the demand points that do not yet meet the
//! tier and that the candidate would serve.
//!
//! The test is the straight-line metric's: a point is served when its plane distance to the
//! candidate's boundary is at most `radius × k(p)` (`k` the plane's point scale at the point),
//! or it lies inside the candidate polygon (holes are outside). One R-tree over the open
//! points, one range query per candidate, candidates in parallel; each set is sorted, so the
//! sets do not depend on the number of threads.

use geo::{BoundingRect, Contains, Coord, Geometry, LineString, Polygon, Rect};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::candidates::{Candidate, CandidateError};
use crate::crs::PlaneScale;
use crate::engine::index::{TierIndex, segment_distance_2};

/// Shapes with more boundary segments than this are tested through a [`TierIndex`].
const LINEAR_SEGMENTS: usize = 32;

type HomePoint = GeomWithData<[f64; 2], u32>;

/// The coverage sets of a siting problem, in compact form.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageSets {
    /// For each open point (a demand point that does not meet the tier yet), its number in
    /// the caller's list.
    pub open: Vec<u32>,
    /// Weight of each open point.
    pub weight: Vec<f64>,
    /// Cost of each candidate.
    pub cost: Vec<f64>,
    /// Weight of the points that already meet the tier.
    pub base_weight: f64,
    /// Weight of all points.
    pub total_weight: f64,
    /// Number of points that already meet the tier.
    pub base_count: usize,
    /// Number of all points.
    pub total_count: usize,
    offsets: Vec<usize>,
    members: Vec<u32>,
}

impl CoverageSets {
    /// Compute the sets: `points` in plane metres with their `weights`, `served[i]` when
    /// point `i` already meets the tier; every candidate must pass [`Candidate::validate`].
    pub fn build(
        points: &[Coord],
        weights: &[f64],
        served: &[bool],
        candidates: &[Candidate],
        scale: PlaneScale,
    ) -> Result<Self, CandidateError> {
        assert_eq!(points.len(), weights.len(), "one weight per point");
        assert_eq!(points.len(), served.len(), "one flag per point");
        for (i, c) in candidates.iter().enumerate() {
            c.validate(i)?;
        }
        let open: Vec<u32> = (0..points.len() as u32)
            .filter(|&i| !served[i as usize])
            .collect();
        let tree = RTree::bulk_load(
            open.iter()
                .enumerate()
                .map(|(k, &i)| {
                    let p = points[i as usize];
                    HomePoint::new([p.x, p.y], k as u32)
                })
                .collect(),
        );
        let sets: Vec<Vec<u32>> = candidates
            .par_iter()
            .map(|c| {
                let shape = Shape::new(&c.geometry);
                shape.served(&tree, c.radius_m, scale)
            })
            .collect();
        let weight: Vec<f64> = open.iter().map(|&i| weights[i as usize]).collect();
        let (mut base_weight, mut total_weight) = (0.0, 0.0);
        for (w, &s) in weights.iter().zip(served) {
            total_weight += w;
            if s {
                base_weight += w;
            }
        }
        let base_count = points.len() - open.len();
        let mut out = Self::from_sets(
            weight,
            &sets,
            candidates.iter().map(|c| c.cost).collect(),
            base_weight,
            total_weight,
        );
        out.open = open;
        out.base_count = base_count;
        out.total_count = points.len();
        Ok(out)
    }

    /// Sets given directly: `weight` of each open point, `sets[c]` the open points
    /// candidate `c` serves (any order, no repeats), `cost` per candidate. Open points are
    /// numbered `0..weight.len()`; counts are taken as one per point.
    pub fn from_sets(
        weight: Vec<f64>,
        sets: &[Vec<u32>],
        cost: Vec<f64>,
        base_weight: f64,
        total_weight: f64,
    ) -> Self {
        assert_eq!(sets.len(), cost.len(), "one cost per candidate");
        let mut offsets = Vec::with_capacity(sets.len() + 1);
        offsets.push(0);
        let mut members = Vec::with_capacity(sets.iter().map(Vec::len).sum());
        for s in sets {
            let start = members.len();
            members.extend_from_slice(s);
            members[start..].sort_unstable();
            offsets.push(members.len());
        }
        let n = weight.len();
        Self {
            open: (0..n as u32).collect(),
            weight,
            cost,
            base_weight,
            total_weight,
            base_count: 0,
            total_count: n,
            offsets,
            members,
        }
    }

    /// Number of candidates.
    pub fn candidates(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The open points candidate `c` serves (numbers into [`CoverageSets::open`]), ascending.
    pub fn set(&self, c: usize) -> &[u32] {
        &self.members[self.offsets[c]..self.offsets[c + 1]]
    }

    /// Total size of all sets.
    pub fn pairs(&self) -> usize {
        self.members.len()
    }

    /// For each open point, whether some candidate serves it.
    pub fn coverable(&self) -> Vec<bool> {
        let mut out = vec![false; self.weight.len()];
        for &m in &self.members {
            out[m as usize] = true;
        }
        out
    }

    /// Weight of the points of `set` not yet `covered`, summed in set order, and their count.
    pub fn gain(&self, c: usize, covered: &[bool]) -> (f64, u32) {
        let mut g = 0.0;
        let mut n = 0;
        for &m in self.set(c) {
            if !covered[m as usize] {
                g += self.weight[m as usize];
                n += 1;
            }
        }
        (g, n)
    }
}

/// A candidate geometry ready for point tests.
enum Shape {
    /// Few segments: test them all, and containment in the polygon part.
    Linear {
        segments: Vec<([f64; 2], [f64; 2])>,
        polys: Vec<Polygon<f64>>,
        bbox: Rect<f64>,
        /// A disc inside the shape (centre, radius), for axis-aligned rectangles.
        inner: Option<(Coord, f64)>,
    },
    /// Many segments: an index of its own.
    Indexed(Box<TierIndex>, Rect<f64>),
}

/// Quick accepts stay this far (plane metres) inside the exact test's answer.
const QUICK_MARGIN: f64 = 1e-6;

impl Shape {
    fn new(g: &Geometry<f64>) -> Self {
        let bbox = g
            .bounding_rect()
            .expect("a validated candidate has coordinates");
        let mut segments = Vec::new();
        let mut polys = Vec::new();
        parts(g, &mut segments, &mut polys);
        if segments.len() > LINEAR_SEGMENTS {
            return Shape::Indexed(Box::new(TierIndex::build([(0, g)])), bbox);
        }
        let inner = match polys.as_slice() {
            [p] if is_rectangle(p) => Some((bbox.center(), bbox.width().min(bbox.height()) / 2.0)),
            _ => None,
        };
        Shape::Linear {
            segments,
            polys,
            bbox,
            inner,
        }
    }

    fn bbox(&self) -> Rect<f64> {
        match self {
            Shape::Linear { bbox, .. } | Shape::Indexed(_, bbox) => *bbox,
        }
    }

    /// Is `p` within plane distance `lim` (inside counts)?
    fn within(&self, p: Coord, lim: f64) -> bool {
        match self {
            Shape::Indexed(idx, _) => idx.any_within(p, lim),
            Shape::Linear {
                segments,
                polys,
                bbox,
                inner,
            } => {
                if let Some((c, h)) = inner {
                    let (dx, dy) = (p.x - c.x, p.y - c.y);
                    let r = h + lim - QUICK_MARGIN;
                    if r > 0.0 && dx * dx + dy * dy <= r * r {
                        return true;
                    }
                }
                let q = [p.x, p.y];
                let lim2 = lim * lim;
                segments
                    .iter()
                    .any(|&(a, b)| segment_distance_2(a, b, q) <= lim2)
                    || (!polys.is_empty()
                        && p.x >= bbox.min().x
                        && p.x <= bbox.max().x
                        && p.y >= bbox.min().y
                        && p.y <= bbox.max().y
                        && polys.iter().any(|poly| poly.contains(&p)))
            }
        }
    }

    /// The open points (tree data) this shape serves at `radius_m`, ascending.
    fn served(&self, tree: &RTree<HomePoint>, radius_m: f64, scale: PlaneScale) -> Vec<u32> {
        let b = self.bbox();
        // The largest plane radius any point of the search disc can have.
        let far = b.min().x.abs().max(b.max().x.abs()) + 3.0 * radius_m;
        let reach = radius_m * scale.at(Coord { x: far, y: 0.0 });
        // A disc around the box's centre holding the box grown by `reach`.
        let c = b.center();
        let half_diag = (b.width() * b.width() + b.height() * b.height()).sqrt() / 2.0;
        let rr = half_diag + reach + QUICK_MARGIN;
        let mut out: Vec<u32> = tree
            .locate_within_distance([c.x, c.y], rr * rr)
            .filter(|h| {
                let p = Coord {
                    x: h.geom()[0],
                    y: h.geom()[1],
                };
                self.within(p, radius_m * scale.at(p))
            })
            .map(|h| h.data)
            .collect();
        out.sort_unstable();
        out
    }
}

/// An axis-aligned rectangle: a closed ring of four corners on two x and two y values.
fn is_rectangle(p: &Polygon<f64>) -> bool {
    let r = &p.exterior().0;
    if !p.interiors().is_empty() || r.len() != 5 || r[0] != r[4] {
        return false;
    }
    let (x0, y0) = (r[0].x, r[0].y);
    let x1 = r.iter().map(|c| c.x).find(|&x| x != x0);
    let y1 = r.iter().map(|c| c.y).find(|&y| y != y0);
    let (Some(x1), Some(y1)) = (x1, y1) else {
        return false;
    };
    let corners = |a: f64, b: f64| r[..4].iter().filter(|c| c.x == a && c.y == b).count() == 1;
    r.iter()
        .all(|c| (c.x == x0 || c.x == x1) && (c.y == y0 || c.y == y1))
        && corners(x0, y0)
        && corners(x0, y1)
        && corners(x1, y0)
        && corners(x1, y1)
}

/// Boundary segments (points as zero-length ones) and polygons of a geometry, as
/// [`TierIndex`] sees them.
fn parts(
    g: &Geometry<f64>,
    segments: &mut Vec<([f64; 2], [f64; 2])>,
    polys: &mut Vec<geo::Polygon<f64>>,
) {
    let mut line = |ls: &LineString<f64>| {
        segments.extend(
            ls.lines()
                .map(|l| ([l.start.x, l.start.y], [l.end.x, l.end.y])),
        )
    };
    match g {
        Geometry::Point(p) => segments.push(([p.x(), p.y()], [p.x(), p.y()])),
        Geometry::MultiPoint(mp) => {
            segments.extend(mp.iter().map(|p| ([p.x(), p.y()], [p.x(), p.y()])))
        }
        Geometry::Line(l) => line(&LineString::from(*l)),
        Geometry::LineString(ls) => line(ls),
        Geometry::MultiLineString(mls) => mls.iter().for_each(line),
        Geometry::Polygon(p) => {
            line(p.exterior());
            p.interiors().iter().for_each(line);
            polys.push(p.clone());
        }
        Geometry::MultiPolygon(mp) => {
            for p in mp {
                line(p.exterior());
                p.interiors().iter().for_each(&mut line);
                polys.push(p.clone());
            }
        }
        Geometry::Rect(r) => parts(&Geometry::Polygon(r.to_polygon()), segments, polys),
        Geometry::Triangle(t) => parts(&Geometry::Polygon(t.to_polygon()), segments, polys),
        Geometry::GeometryCollection(gc) => gc.iter().for_each(|g| parts(g, segments, polys)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::reach::{Reach, StraightLine};
    use geo::polygon;
    use proptest::prelude::*;

    fn cand(geometry: Geometry<f64>, radius_m: f64) -> Candidate {
        Candidate {
            geometry,
            radius_m,
            cost: 1.0,
        }
    }

    #[test]
    fn inside_hole_and_ring() {
        let g = Geometry::Polygon(polygon!(
            exterior: [(x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 100.), (x: 0., y: 100.), (x: 0., y: 0.)],
            interiors: [[(x: 40., y: 40.), (x: 60., y: 40.), (x: 60., y: 60.), (x: 40., y: 60.), (x: 40., y: 40.)]],
        ));
        let pts = [
            Coord { x: 20.0, y: 20.0 },   // inside
            Coord { x: 50.0, y: 50.0 },   // in the hole, 10 m from its ring
            Coord { x: 100.0, y: 105.0 }, // 5 m out
            Coord { x: 100.0, y: 106.0 }, // 6 m out
            Coord { x: 20.0, y: 20.0 },   // inside but already served
        ];
        let served = [false, false, false, false, true];
        let sets = CoverageSets::build(
            &pts,
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &served,
            &[cand(g.clone(), 5.0), cand(g, 10.0)],
            PlaneScale::unit(),
        )
        .unwrap();
        assert_eq!(sets.open, vec![0, 1, 2, 3]);
        assert_eq!(sets.set(0), &[0, 2]);
        assert_eq!(sets.set(1), &[0, 1, 2, 3]);
        assert_eq!(sets.base_weight, 5.0);
        assert_eq!(sets.total_weight, 15.0);
        assert_eq!(sets.base_count, 1);
    }

    #[test]
    fn invalid_candidate_is_named() {
        let err = CoverageSets::build(
            &[],
            &[],
            &[],
            &[cand(Geometry::Point(geo::Point::new(0.0, 0.0)), -1.0)],
            PlaneScale::unit(),
        )
        .unwrap_err();
        assert_eq!(err, CandidateError::Radius(0, -1.0));
    }

    fn star(cx: f64, cy: f64, n: usize, r: f64) -> Geometry<f64> {
        // A star-shaped polygon with `n` spikes: many segments, concave.
        let pts: Vec<(f64, f64)> = (0..2 * n)
            .map(|i| {
                let a = std::f64::consts::PI * i as f64 / n as f64;
                let rr = if i % 2 == 0 { r } else { r / 3.0 };
                (cx + rr * a.cos(), cy + rr * a.sin())
            })
            .collect();
        Geometry::Polygon(geo::Polygon::new(LineString::from(pts), vec![]))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Every set equals a brute-force evaluation of the straight-line metric with the
        /// candidate as the only feature of the tier.
        #[test]
        fn sets_match_the_straight_line_metric(
            pts in prop::collection::vec((49_000.0..51_000.0f64, -800.0..800.0f64), 1..120),
            cands in prop::collection::vec((49_500.0..50_500.0f64, -400.0..400.0f64, 0usize..4, 50.0..400.0f64), 1..8),
        ) {
            let lon0 = 9.5;
            let plane = crate::crs::LocalPlane::at(lon0, 47.0).unwrap();
            let scale = plane.scale();
            let points: Vec<Coord> = pts.iter().map(|&(x, y)| Coord { x, y }).collect();
            let candidates: Vec<Candidate> = cands
                .iter()
                .map(|&(x, y, kind, r)| {
                    let g = match kind {
                        0 => Geometry::Point(geo::Point::new(x, y)),
                        1 => super::super::square_site(Coord { x, y }, 400.0 + r * r),
                        2 => star(x, y, 24, r),
                        _ => Geometry::LineString(LineString::from(vec![(x, y), (x + r, y + 30.0), (x + 2.0 * r, y - 50.0)])),
                    };
                    cand(g, r * 0.9)
                })
                .collect();
            let served = vec![false; points.len()];
            let sets = CoverageSets::build(&points, &vec![1.0; points.len()], &served, &candidates, scale).unwrap();
            for (c, cd) in candidates.iter().enumerate() {
                let metric = StraightLine::single_radius(
                    vec![(cd.radius_m, TierIndex::build([(0, &cd.geometry)]))],
                    scale,
                );
                let expect: Vec<u32> = (0..points.len() as u32)
                    .filter(|&i| metric.within(0, points[i as usize]))
                    .collect();
                prop_assert_eq!(sets.set(c), expect.as_slice());
            }
        }
    }
}
