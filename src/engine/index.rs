//! `TierIndex`: the green features that serve one tier, indexed for "anything within r?" and
//! "what is nearest?" queries in plane metres.
//!
//! Boundaries (polygon rings, lines, and points as zero-length segments) go into a packed
//! R-tree of segments ([`PackedTree`]); polygons also go into a [`PolygonLookup`] (bounding
//! boxes, then an interval-tree point-in-polygon test each), so that a point inside a polygon
//! is at distance 0 however far it is from the boundary. Holes are outside: their rings are
//! boundaries like any other.

use std::sync::Arc;

use geo::{BoundingRect, Coord, CoordsIter, Geometry, LineString, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, PointDistance, RTreeObject};

use crate::engine::lookup::PolygonLookup;
use crate::engine::packed::PackedTree;

/// One boundary segment (or a point, when its ends coincide) of feature `feature`. Only its
/// envelope is stored, with which corners are its ends (`a` at the low or high x, the low or
/// high y; `b` at the others): 40 bytes instead of 72, so bulk loading moves less memory, and
/// the ends come back exactly as given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    env: AABB<[f64; 2]>,
    feature: u32,
    a_low_x: bool,
    a_low_y: bool,
}

impl Segment {
    fn new(a: [f64; 2], b: [f64; 2], feature: u32) -> Self {
        Self {
            env: AABB::from_corners(a, b),
            feature,
            a_low_x: a[0] <= b[0],
            a_low_y: a[1] <= b[1],
        }
    }

    /// The two ends, in the order given.
    fn ends(&self) -> ([f64; 2], [f64; 2]) {
        let (lo, hi) = (self.env.lower(), self.env.upper());
        let (ax, bx) = if self.a_low_x {
            (lo[0], hi[0])
        } else {
            (hi[0], lo[0])
        };
        let (ay, by) = if self.a_low_y {
            (lo[1], hi[1])
        } else {
            (hi[1], lo[1])
        };
        ([ax, ay], [bx, by])
    }
}

impl RTreeObject for Segment {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

impl PointDistance for Segment {
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        let (a, b) = self.ends();
        segment_distance_2(a, b, *p)
    }
}

/// Squared distance from `p` to the segment `a`–`b` (to `a` when the segment has no length).
pub fn segment_distance_2(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (px, py) = (p[0] - a[0], p[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        ((px * dx + py * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (px - t * dx, py - t * dy);
    ex * ex + ey * ey
}

/// A set of features in the order the indexes over subsets of them lay out their boundary
/// segments ([`TierIndex::shared_segments`]).
pub struct SharedSegments<'a>(Vec<(u32, &'a Geometry<f64>)>);

/// The nearest eligible feature of a query, in plane units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaneHit {
    /// Squared plane distance (0 inside a polygon).
    pub distance_2: f64,
    /// The feature's number, as given to [`TierIndex::build`].
    pub feature: u32,
}

/// Index over the features eligible for one tier.
pub struct TierIndex {
    segments: PackedTree<Segment>,
    /// Areal features, numbered by feature.
    areas: Areas,
}

/// The areal features of an index: its own lookup, or a lookup over a larger set of features
/// shared by several indexes (the tiers of a standard), of which this index takes `members`.
enum Areas {
    Own(PolygonLookup),
    Shared {
        lookup: Arc<PolygonLookup>,
        /// `members[n]`: feature `n` belongs to this index.
        members: Vec<bool>,
    },
}

impl Areas {
    /// Does feature `n` belong to this index? (Always, for an index with its own lookup.)
    fn has(&self, n: u32) -> bool {
        match self {
            Areas::Own(_) => true,
            Areas::Shared { members, .. } => members.get(n as usize).copied().unwrap_or(false),
        }
    }

    fn len(&self) -> usize {
        match self {
            Areas::Own(l) => l.len(),
            Areas::Shared { members, .. } => members.iter().filter(|&&m| m).count(),
        }
    }
}

impl std::fmt::Debug for TierIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TierIndex")
            .field("segments", &self.segments.len())
            .field("areas", &self.areas.len())
            .finish()
    }
}

impl TierIndex {
    /// Index `(feature number, geometry)` pairs; geometries in plane metres.
    pub fn build<'a>(features: impl IntoIterator<Item = (u32, &'a Geometry<f64>)>) -> Self {
        let mut segments = Vec::new();
        let mut polys: Vec<(u32, MultiPolygon<f64>)> = Vec::new();
        for (feature, g) in features {
            collect(feature, g, &mut segments, Some(&mut polys));
        }
        Self {
            segments: PackedTree::new(segments),
            areas: Areas::Own(PolygonLookup::new(polys)),
        }
    }

    /// The point-in-polygon lookup of every areal feature of `features`, to be shared by
    /// indexes over subsets of them ([`TierIndex::build_sharing`]): each polygon is indexed
    /// once, and [`crate::engine::reach::Reach::assess_tiers`] tests each point once for all of them.
    pub fn shared_areas<'a>(
        features: impl IntoIterator<Item = (u32, &'a Geometry<f64>)>,
    ) -> Arc<PolygonLookup> {
        use rayon::prelude::*;
        let features: Vec<(u32, &Geometry<f64>)> = features.into_iter().collect();
        let polys: Vec<(u32, MultiPolygon<f64>)> = features
            .into_par_iter()
            .flat_map_iter(|(feature, g)| {
                let mut polys = Vec::new();
                collect_areas(feature, g, &mut polys);
                polys
            })
            .collect();
        Arc::new(PolygonLookup::new(polys))
    }

    /// The features of `features` in the order the indexes built over subsets of them lay
    /// out their boundary segments ([`TierIndex::build_sharing`]): features in the Hilbert
    /// order of their boxes, each one's segments in ring order (consecutive along a
    /// boundary, so neighbours in space), a packing as good for the searches as sorting every
    /// segment, at the cost of sorting the features only. Each index then lays out its own
    /// members' segments, with nothing laid out for all of them.
    pub fn shared_segments<'a>(
        features: impl IntoIterator<Item = (u32, &'a Geometry<f64>)>,
    ) -> SharedSegments<'a> {
        let features: Vec<(u32, &Geometry<f64>)> = features.into_iter().collect();
        // Each feature's box, numbered by its position.
        let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, u32>> = features
            .iter()
            .enumerate()
            .map(|(k, (_, g))| {
                let r = g.bounding_rect().map_or_else(
                    || Rectangle::from_corners([0.0, 0.0], [0.0, 0.0]),
                    |r| Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                );
                GeomWithData::new(r, k as u32)
            })
            .collect();
        SharedSegments(
            crate::engine::packed::hilbert_order(boxes)
                .into_iter()
                .map(|b| features[b.data as usize])
                .collect(),
        )
    }

    /// The index over the features `members` (by number) accepts, taking their areal
    /// features from `areas` and their boundaries in the order of `segments`, which must hold
    /// them under the same numbers ([`TierIndex::shared_areas`] and
    /// [`TierIndex::shared_segments`] over a superset).
    pub fn build_sharing(
        members: Vec<bool>,
        areas: &Arc<PolygonLookup>,
        segments: &SharedSegments<'_>,
    ) -> Self {
        let areas = Areas::Shared {
            lookup: Arc::clone(areas),
            members,
        };
        // Laid out in one pass into a vector of the right size (the tiers are built side by
        // side): a parallel collect would lay them out twice.
        let members = || segments.0.iter().filter(|(feature, _)| areas.has(*feature));
        let total = members().map(|(_, g)| g.coords_count()).sum();
        let mut mine: Vec<Segment> = Vec::with_capacity(total);
        for &(feature, g) in members() {
            collect_segments(feature, g, &mut mine);
        }
        Self {
            segments: PackedTree::from_ordered(mine),
            areas,
        }
    }

    /// The shared lookup this index takes its areal features from, if any.
    pub fn shared_lookup(&self) -> Option<&Arc<PolygonLookup>> {
        match &self.areas {
            Areas::Own(_) => None,
            Areas::Shared { lookup, .. } => Some(lookup),
        }
    }

    /// Among `containing` (the numbers of the shared lookup's polygons holding a point, in
    /// ascending order), the lowest that belongs to this index: what
    /// [`TierIndex::containing`] gives for that point.
    pub fn first_member(&self, containing: &[u32]) -> Option<u32> {
        containing.iter().copied().find(|&n| self.areas.has(n))
    }

    /// True when no feature serves this tier.
    pub fn is_empty(&self) -> bool {
        self.segments.len() == 0
    }

    /// Is any feature within plane distance `r` of `p` (`distance² <= r²`, inside counts)?
    pub fn any_within(&self, p: Coord, r: f64) -> bool {
        self.boundary_within(p, r) || self.containing(p).is_some()
    }

    /// Whether some boundary segment (or point or line feature) lies within plane distance
    /// `r` of `p`: [`Self::any_within`] for a point known to be inside no polygon.
    pub fn boundary_within(&self, p: Coord, r: f64) -> bool {
        let (q, r2) = ([p.x, p.y], r * r);
        self.segments
            .visit(|b| b.distance_2(&q) <= r2, |s| s.distance_2(&q) <= r2)
    }

    /// Squared distance from `p` to the nearest boundary segment (ignoring containment);
    /// infinite when the index is empty.
    pub fn boundary_distance_2(&self, p: Coord) -> f64 {
        let q = [p.x, p.y];
        self.segments
            .nearest(q, |s| s.distance_2(&q))
            .map_or(f64::INFINITY, |(_, d2)| d2)
    }

    /// The lowest-numbered polygon feature that has `p` in its interior.
    pub fn containing(&self, p: Coord) -> Option<u32> {
        match &self.areas {
            Areas::Own(lookup) => lookup.containing(p),
            Areas::Shared { lookup, .. } => lookup.containing_where(p, |n| self.areas.has(n)),
        }
    }

    /// The nearest feature within plane distance `limit` of `p` (0 when inside a polygon).
    pub fn nearest(&self, p: Coord, limit: f64) -> Option<PlaneHit> {
        if let Some(feature) = self.containing(p) {
            return Some(PlaneHit {
                distance_2: 0.0,
                feature,
            });
        }
        // The tree yields segments nearest first only up to rounding (a box's distance and a
        // segment's computed distance can differ in the last bits), so look a little further
        // and take the smallest distance, then the lowest feature number: the answer does not
        // depend on the tree's shape (which differs for a subset of the features, e.g. a
        // shard).
        let q = [p.x, p.y];
        let (_, first) = self.segments.nearest(q, |s| s.distance_2(&q))?;
        let window = first * (1.0 + 1e-9) + 1e-18;
        let (mut distance_2, mut feature) = (f64::INFINITY, u32::MAX);
        self.segments.visit(
            |b| b.distance_2(&q) <= window,
            |t| {
                let hit = (t.distance_2(&q), t.feature);
                if hit.0 <= window
                    && (hit.0 < distance_2 || (hit.0 == distance_2 && hit.1 < feature))
                {
                    (distance_2, feature) = hit;
                }
                false
            },
        );
        (distance_2 <= limit * limit).then_some(PlaneHit {
            distance_2,
            feature,
        })
    }
}

/// Points searched together by [`TierIndex::nearest_batch`]: at most this many...
const RUN_POINTS: usize = 64;
/// ... whose bounding box has at most this half-diagonal, plane metres.
const RUN_SPREAD: f64 = 100.0;
/// Relative and absolute slack on the batch's pruning bounds: far above the rounding of a
/// distance, far below anything that matters. Pruning with slack only keeps more candidates.
const REL_SLACK: f64 = 1e-9;
const ABS_SLACK: f64 = 1e-6;

/// The end of the run of points starting at `start` that are searched together.
fn run_end(points: &[Coord], start: usize) -> usize {
    let p = points[start];
    let (mut lo, mut hi) = (p, p);
    let mut end = start + 1;
    while end < points.len() && end - start < RUN_POINTS {
        let q = points[end];
        let (l, h) = (
            Coord {
                x: lo.x.min(q.x),
                y: lo.y.min(q.y),
            },
            Coord {
                x: hi.x.max(q.x),
                y: hi.y.max(q.y),
            },
        );
        if (h.x - l.x).powi(2) + (h.y - l.y).powi(2) > 4.0 * RUN_SPREAD * RUN_SPREAD {
            break;
        }
        (lo, hi) = (l, h);
        end += 1;
    }
    end
}

/// Plane distance between two boxes (0 when they meet).
fn box_distance(a: &AABB<[f64; 2]>, lo: [f64; 2], hi: [f64; 2]) -> f64 {
    let (al, ah) = (a.lower(), a.upper());
    let dx = (al[0] - hi[0]).max(lo[0] - ah[0]).max(0.0);
    let dy = (al[1] - hi[1]).max(lo[1] - ah[1]).max(0.0);
    (dx * dx + dy * dy).sqrt()
}

/// A candidate segment of a run, with the distance from the run's centre to its envelope.
struct Candidate {
    from_centre: f64,
    segment: Segment,
}

impl TierIndex {
    /// [`TierIndex::nearest`] for each of `points` (with its own `limits[i]`), into `out`
    /// (cleared first): the same answers, point by point, found faster when consecutive
    /// points lie close together (as in Z-order).
    ///
    /// Points are taken in runs of nearby points. For a run's box (centre `c`, half-diagonal
    /// `h`) and the nearest boundary distance `d` of `c`, every point of the box has a
    /// boundary within `d + h`, so only the segments whose envelopes lie within `d + h` of the
    /// box (and within the largest limit) can be nearest to any of them: those are gathered in
    /// one tree query, sorted by their distance from `c`, and each point scans them until that
    /// distance, less the point's offset from `c`, exceeds its best so far. The answer is the
    /// smallest distance, then the lowest feature number, exactly as `nearest` gives it.
    pub fn nearest_batch(&self, points: &[Coord], limits: &[f64], out: &mut Vec<Option<PlaneHit>>) {
        let inside: Vec<Option<u32>> = points.iter().map(|&p| self.containing(p)).collect();
        self.nearest_batch_given(points, limits, &inside, out);
    }

    /// [`TierIndex::nearest_batch`] with the containing feature of each point already known
    /// (`inside[i]` is what [`TierIndex::containing`] gives for `points[i]`).
    pub fn nearest_batch_given(
        &self,
        points: &[Coord],
        limits: &[f64],
        inside: &[Option<u32>],
        out: &mut Vec<Option<PlaneHit>>,
    ) {
        out.clear();
        let mut candidates = Vec::new();
        let mut start = 0;
        while start < points.len() {
            let end = run_end(points, start);
            self.nearest_run(
                &points[start..end],
                &limits[start..end],
                &inside[start..end],
                out,
                &mut candidates,
            );
            start = end;
        }
    }

    fn nearest_run(
        &self,
        points: &[Coord],
        limits: &[f64],
        inside: &[Option<u32>],
        out: &mut Vec<Option<PlaneHit>>,
        candidates: &mut Vec<Candidate>,
    ) {
        let base = out.len();
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        let mut max_limit = f64::NEG_INFINITY;
        for ((&p, &limit), &inside) in points.iter().zip(limits).zip(inside) {
            let inside = inside.map(|feature| PlaneHit {
                distance_2: 0.0,
                feature,
            });
            if inside.is_none() {
                lo = [lo[0].min(p.x), lo[1].min(p.y)];
                hi = [hi[0].max(p.x), hi[1].max(p.y)];
                max_limit = max_limit.max(limit);
            }
            out.push(inside);
        }
        if lo[0] > hi[0] {
            return;
        }
        let c = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        let Some((_, first)) = self.segments.nearest(c, |s| s.distance_2(&c)) else {
            return;
        };
        let h = ((hi[0] - lo[0]).powi(2) + (hi[1] - lo[1]).powi(2)).sqrt() / 2.0;
        let reach = (first.sqrt() + h).min(max_limit);
        if reach < 0.0 {
            return;
        }
        // Segments whose envelope lies within `reach` of the run's box.
        let reach = reach * (1.0 + REL_SLACK) + ABS_SLACK;
        candidates.clear();
        self.segments.visit(
            |b| box_distance(b, lo, hi) <= reach,
            |s| {
                candidates.push(Candidate {
                    from_centre: s.env.distance_2(&c).sqrt(),
                    segment: *s,
                });
                false
            },
        );
        // Distances are never negative (nor NaN), so their bits sort as they do.
        candidates.sort_unstable_by_key(|c| c.from_centre.to_bits());
        for (i, (&p, &limit)) in points.iter().zip(limits).enumerate() {
            if out[base + i].is_some() {
                continue;
            }
            let q = [p.x, p.y];
            let offset = ((p.x - c[0]).powi(2) + (p.y - c[1]).powi(2)).sqrt();
            let (mut best_2, mut best_d, mut feature) = (f64::INFINITY, f64::INFINITY, u32::MAX);
            for cand in candidates.iter() {
                if cand.from_centre - offset > best_d * (1.0 + REL_SLACK) + ABS_SLACK {
                    break;
                }
                // The envelope is no nearer than the segment: one that is clearly farther
                // than the best so far (beyond any rounding) cannot win or tie.
                if cand.segment.env.distance_2(&q) > best_2 * (1.0 + REL_SLACK) + ABS_SLACK {
                    continue;
                }
                let d2 = cand.segment.distance_2(&q);
                let f = cand.segment.feature;
                if d2 < best_2 || (d2 == best_2 && f < feature) {
                    (best_2, best_d, feature) = (d2, d2.sqrt(), f);
                }
            }
            if best_2.is_finite() && best_2 <= limit * limit {
                out[base + i] = Some(PlaneHit {
                    distance_2: best_2,
                    feature,
                });
            }
        }
    }
}

/// The areal parts of a feature, as [`collect`] gathers them.
fn collect_areas(feature: u32, g: &Geometry<f64>, polys: &mut Vec<(u32, MultiPolygon<f64>)>) {
    match g {
        Geometry::Polygon(p) => polys.push((feature, MultiPolygon(vec![p.clone()]))),
        Geometry::MultiPolygon(mp) => polys.push((feature, mp.clone())),
        Geometry::Rect(r) => polys.push((feature, MultiPolygon(vec![r.to_polygon()]))),
        Geometry::Triangle(t) => polys.push((feature, MultiPolygon(vec![t.to_polygon()]))),
        Geometry::GeometryCollection(gc) => {
            gc.iter().for_each(|g| collect_areas(feature, g, polys))
        }
        Geometry::Point(_)
        | Geometry::MultiPoint(_)
        | Geometry::Line(_)
        | Geometry::LineString(_)
        | Geometry::MultiLineString(_) => {}
    }
}

/// A feature's boundary segments, and its areal parts when `polys` is given.
fn collect(
    feature: u32,
    g: &Geometry<f64>,
    segments: &mut Vec<Segment>,
    polys: Option<&mut Vec<(u32, MultiPolygon<f64>)>>,
) {
    if let Some(polys) = polys {
        collect_areas(feature, g, polys);
    }
    collect_segments(feature, g, segments);
}

fn collect_segments(feature: u32, g: &Geometry<f64>, segments: &mut Vec<Segment>) {
    let mut line = |ls: &LineString<f64>| {
        segments.extend(
            ls.lines()
                .map(|l| Segment::new([l.start.x, l.start.y], [l.end.x, l.end.y], feature)),
        )
    };
    let point = |c: Coord| Segment::new([c.x, c.y], [c.x, c.y], feature);
    match g {
        Geometry::Point(p) => segments.push(point(p.0)),
        Geometry::MultiPoint(mp) => segments.extend(mp.iter().map(|p| point(p.0))),
        Geometry::Line(l) => line(&LineString::from(*l)),
        Geometry::LineString(ls) => line(ls),
        Geometry::MultiLineString(mls) => mls.iter().for_each(line),
        Geometry::Polygon(p) => collect_polygon(p, &mut line),
        Geometry::MultiPolygon(mp) => mp.iter().for_each(|p| collect_polygon(p, &mut line)),
        Geometry::Rect(r) => collect_polygon(&r.to_polygon(), &mut line),
        Geometry::Triangle(t) => collect_polygon(&t.to_polygon(), &mut line),
        Geometry::GeometryCollection(gc) => gc
            .iter()
            .for_each(|g| collect_segments(feature, g, segments)),
    }
}

fn collect_polygon(p: &Polygon<f64>, line: &mut impl FnMut(&LineString<f64>)) {
    line(p.exterior());
    p.interiors().iter().for_each(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_ends_come_back_as_given() {
        for (a, b) in [
            ([0.0, 0.0], [1.0, 2.0]),
            ([1.0, 2.0], [0.0, 0.0]),
            ([0.0, 2.0], [1.0, 0.0]),
            ([1.0, 0.0], [0.0, 2.0]),
            ([3.0, 3.0], [3.0, 3.0]),
            ([-1.5, 7.25], [-1.5, -7.25]),
        ] {
            assert_eq!(Segment::new(a, b, 0).ends(), (a, b));
        }
        assert_eq!(std::mem::size_of::<Segment>(), 40);
    }
    use geo::{coord, polygon};

    fn square_with_hole() -> Geometry<f64> {
        Geometry::Polygon(polygon!(
            exterior: [(x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 100.), (x: 0., y: 100.), (x: 0., y: 0.)],
            interiors: [[(x: 40., y: 40.), (x: 60., y: 40.), (x: 60., y: 60.), (x: 40., y: 60.), (x: 40., y: 40.)]],
        ))
    }

    #[test]
    fn inside_hole_and_outside() {
        let g = square_with_hole();
        let idx = TierIndex::build([(7, &g)]);
        let inside = idx.nearest(coord! { x: 20., y: 20. }, 1e9).unwrap();
        assert_eq!(
            inside,
            PlaneHit {
                distance_2: 0.0,
                feature: 7
            }
        );
        let in_hole = idx.nearest(coord! { x: 50., y: 50. }, 1e9).unwrap();
        assert_eq!(in_hole.distance_2, 100.0);
        let outside = idx.nearest(coord! { x: 100., y: 130. }, 1e9).unwrap();
        assert_eq!(outside.distance_2, 900.0);
        assert!(idx.nearest(coord! { x: 100., y: 130. }, 29.9).is_none());
        assert!(idx.any_within(coord! { x: 100., y: 130. }, 30.0));
        assert!(!idx.any_within(coord! { x: 100., y: 130. }, 29.999));
        assert!(
            idx.any_within(coord! { x: 20., y: 20. }, 1.0),
            "deep inside counts"
        );
    }

    #[test]
    fn degenerate_segments_and_points() {
        let pt = Geometry::Point(geo::Point::new(3.0, 4.0));
        let idx = TierIndex::build([(0, &pt)]);
        assert_eq!(
            idx.nearest(coord! { x: 0., y: 0. }, 10.0)
                .unwrap()
                .distance_2,
            25.0
        );
        assert_eq!(segment_distance_2([1.0, 1.0], [1.0, 1.0], [4.0, 5.0]), 25.0);
    }

    #[test]
    fn empty_index() {
        let idx = TierIndex::build(std::iter::empty());
        assert!(idx.is_empty());
        assert!(idx.nearest(coord! { x: 0., y: 0. }, 1e9).is_none());
        assert!(!idx.any_within(coord! { x: 0., y: 0. }, 1e9));
    }
}
