//! A uniform grid over line segments, for "the nearest segment within a distance" queries.
//!
//! Every segment is listed in each cell its bounding box overlaps (a counting sort, no tree to
//! balance), so a query reads the rings of cells around the point, nearest ring first, until
//! the next ring is farther than the best segment found or the distance limit. Ties in
//! distance go to the segment given first, so answers do not depend on the grid's layout.
//!
//! Two cases would make the rings expensive and are handled apart: segments whose box spans
//! more than [`MAX_CELLS`] cells are kept in an R-tree of their own and checked on every
//! query, and a query that has found nothing after [`MAX_RINGS`] rings asks an R-tree over all
//! segments (built on first use), so a far point costs a tree query, not a sweep of the grid.

use std::sync::OnceLock;

use geo::Coord;
use rayon::prelude::*;
use rstar::{AABB, PointDistance, RTree, RTreeObject};

use super::buckets::group;
use super::geom::{corners, project};

/// Segments whose bounding box spans more cells than this are kept apart.
const MAX_CELLS: usize = 64;

/// Rings searched before a query with nothing found turns to the R-tree.
const MAX_RINGS: i64 = 12;

/// Target mean number of segments per cell (cell side from the segments' density).
const PER_CELL: f64 = 2.0;

/// The segments a grid indexes, by position: the grid keeps only positions, so the
/// coordinates stay where they already are (the network's nodes, say).
pub(crate) trait Segments: Sync {
    /// Number of positions.
    fn count(&self) -> usize;
    /// The ends of the segment at position `i`, or `None` when that position is not indexed.
    fn ends(&self, i: u32) -> Option<(Coord, Coord)>;
}

impl Segments for [(Coord, Coord)] {
    fn count(&self) -> usize {
        self.len()
    }
    fn ends(&self, i: u32) -> Option<(Coord, Coord)> {
        self.get(i as usize).copied()
    }
}

/// A segment and its position, for the R-trees.
#[derive(Debug, Clone, Copy)]
struct Indexed {
    a: Coord,
    b: Coord,
    at: u32,
}

impl RTreeObject for Indexed {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.a.x, self.a.y], [self.b.x, self.b.y])
    }
}

impl PointDistance for Indexed {
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        project(self.a, self.b, Coord { x: p[0], y: p[1] }).1
    }
}

/// Where a position goes in the grid.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// Not indexed.
    Absent,
    /// Spans more than [`MAX_CELLS`] cells: in the R-tree of long segments.
    Long,
    /// The cells x0, y0, x1, y1 its box overlaps.
    Cells([usize; 4]),
}

/// The nearest segment found: its position in the input, the parameter of the nearest point
/// along it (0 at `a`, 1 at `b`) and the squared distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Nearest {
    pub at: u32,
    pub t: f64,
    pub d2: f64,
}

impl Nearest {
    fn better_than(&self, other: &Option<Nearest>) -> bool {
        other.is_none_or(|o| (self.d2, self.at) < (o.d2, o.at))
    }
}

/// The grid (positions only: every query is given the same [`Segments`] as the build).
pub(crate) struct SegmentGrid {
    origin: Coord,
    cell: f64,
    nx: i64,
    ny: i64,
    /// CSR offsets into `refs`, one per cell (row-major) and one more.
    start: Vec<u32>,
    /// Positions of the segments of each cell, in input order.
    refs: Vec<u32>,
    /// Segments spanning more than [`MAX_CELLS`] cells.
    long: Option<RTree<Indexed>>,
    /// All segments, for queries that find nothing in [`MAX_RINGS`] rings.
    all: OnceLock<RTree<Indexed>>,
}

impl SegmentGrid {
    /// Index `segs` (their positions are the answers' `at`).
    pub(crate) fn new<S: Segments + ?Sized>(segs: &S) -> Self {
        let n = segs.count();
        let (mut lo, mut hi) = bounds(segs);
        if !(lo.x.is_finite() && lo.y.is_finite()) {
            lo = Coord { x: 0.0, y: 0.0 };
            hi = lo;
        }
        let (w, h) = (hi.x - lo.x, hi.y - lo.y);
        let n_f = n.max(1) as f64;
        // Side for PER_CELL segments a cell, at most ~4n cells, and never zero.
        let mut cell = (w * h * PER_CELL / n_f).sqrt();
        if !(cell.is_finite() && cell > 0.0) {
            cell = (w.max(h) / n_f).max(1.0);
        }
        let cap = 4.0 * n_f + 16.0;
        while ((w / cell).floor() + 1.0) * ((h / cell).floor() + 1.0) > cap {
            cell *= 1.5;
        }
        let nx = (w / cell).floor() as i64 + 1;
        let ny = (h / cell).floor() as i64 + 1;
        let mut grid = SegmentGrid {
            origin: lo,
            cell,
            nx,
            ny,
            start: Vec::new(),
            refs: Vec::new(),
            long: None,
            all: OnceLock::new(),
        };
        // Each position's place, worked out where needed rather than held.
        let place = |i: u32| -> Place {
            let Some((a, b)) = segs.ends(i) else {
                return Place::Absent;
            };
            let (lo, hi) = corners(a, b);
            let [x0, y0] = grid.cell_of(lo);
            let [x1, y1] = grid.cell_of(hi);
            if ((x1 - x0 + 1) * (y1 - y0 + 1)) as usize > MAX_CELLS {
                return Place::Long;
            }
            Place::Cells([x0, y0, x1, y1].map(|v| v as usize))
        };
        let n_cells = (nx * ny) as usize;
        let nx_cells = nx as usize;
        let (start, refs) = group(n, n_cells, 0u32, |i| {
            let [x0, y0, x1, y1] = match place(i as u32) {
                Place::Cells(c) => c,
                Place::Absent | Place::Long => [1, 1, 0, 0],
            };
            (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| (y * nx_cells + x, i as u32)))
        });
        let long: Vec<Indexed> = (0..n as u32)
            .into_par_iter()
            .filter(|&i| matches!(place(i), Place::Long))
            .filter_map(|at| segs.ends(at).map(|(a, b)| Indexed { a, b, at }))
            .collect();
        grid.start = start;
        grid.refs = refs;
        grid.long = (!long.is_empty()).then(|| RTree::bulk_load(long));
        grid
    }

    /// The cell holding `p` (outside the grid for points outside it).
    fn cell_of(&self, p: Coord) -> [i64; 2] {
        let f = |v: f64, o: f64| floor_i64((v - o) / self.cell);
        [f(p.x, self.origin.x), f(p.y, self.origin.y)]
    }

    /// The nearest segment to `p` among those `keep` accepts, within `limit2` (squared plane
    /// units); ties go to the segment given first.
    pub(crate) fn nearest<S: Segments + ?Sized>(
        &self,
        segs: &S,
        p: Coord,
        limit2: f64,
        keep: impl Fn(u32) -> bool,
    ) -> Option<Nearest> {
        let mut best: Option<Nearest> = None;
        let offer = |at: u32, best: &mut Option<Nearest>| {
            if !keep(at) {
                return;
            }
            let Some((a, b)) = segs.ends(at) else {
                return;
            };
            let (t, d2) = project(a, b, p);
            let n = Nearest { at, t, d2 };
            if d2 <= limit2 && n.better_than(best) {
                *best = Some(n);
            }
        };
        if let Some(long) = &self.long {
            Self::tree_nearest(long, p, limit2, &keep, &mut best);
        }
        let [cx, cy] = self.cell_of(p);
        // Chebyshev distance, in cells, to the nearest and farthest cells of the grid.
        let gap = |c: i64, n: i64| (-c).max(c - (n - 1)).max(0);
        let far = |c: i64, n: i64| c.abs().max((c - (n - 1)).abs());
        let (r0, r1) = (
            gap(cx, self.nx).max(gap(cy, self.ny)),
            far(cx, self.nx).max(far(cy, self.ny)),
        );
        let mut r = r0;
        while r <= r1 {
            let bound = ((r - 1).max(0) as f64) * self.cell;
            let reach2 = best.map_or(limit2, |b| b.d2.min(limit2));
            if bound * bound > reach2 {
                return best;
            }
            if r - r0 >= MAX_RINGS && best.is_none() {
                let all = self.all.get_or_init(|| {
                    RTree::bulk_load(
                        (0..segs.count() as u32)
                            .filter_map(|at| segs.ends(at).map(|(a, b)| Indexed { a, b, at }))
                            .collect(),
                    )
                });
                Self::tree_nearest(all, p, limit2, &keep, &mut best);
                return best;
            }
            self.ring(cx, cy, r, |x, y| {
                // A cell wholly farther than the best so far cannot hold a better segment.
                let reach2 = best.map_or(limit2, |b| b.d2.min(limit2));
                if self.box_distance2(x, y, p) > reach2 {
                    return;
                }
                for &i in self.cell_refs(x, y) {
                    offer(i, &mut best);
                }
            });
            r += 1;
        }
        best
    }

    /// Call `visit` once with the position and ends of every segment whose bounding box
    /// meets the box `lo`–`hi` (boundaries included).
    pub(crate) fn in_box<S: Segments + ?Sized>(
        &self,
        segs: &S,
        lo: Coord,
        hi: Coord,
        mut visit: impl FnMut(u32, Coord, Coord),
    ) {
        if let Some(long) = &self.long {
            let env = AABB::from_corners([lo.x, lo.y], [hi.x, hi.y]);
            for s in long.locate_in_envelope_intersecting(&env) {
                visit(s.at, s.a, s.b);
            }
        }
        let [qx0, qy0] = self.cell_of(lo);
        let [qx1, qy1] = self.cell_of(hi);
        let (x0, y0) = (qx0.max(0), qy0.max(0));
        let (x1, y1) = (qx1.min(self.nx - 1), qy1.min(self.ny - 1));
        for y in y0..=y1 {
            for x in x0..=x1 {
                for &i in self.cell_refs(x, y) {
                    let Some((a, b)) = segs.ends(i) else {
                        continue;
                    };
                    let (smin, smax) = corners(a, b);
                    // Listed in several cells: visited in the first cell both boxes share.
                    let [sx0, sy0] = self.cell_of(smin);
                    if x != sx0.max(x0) || y != sy0.max(y0) {
                        continue;
                    }
                    if smin.x <= hi.x && lo.x <= smax.x && smin.y <= hi.y && lo.y <= smax.y {
                        visit(i, a, b);
                    }
                }
            }
        }
    }

    /// The positions of the segments listed in cell `(x, y)` (inside the grid).
    fn cell_refs(&self, x: i64, y: i64) -> &[u32] {
        let c = (y * self.nx + x) as usize;
        &self.refs[self.start[c] as usize..self.start[c + 1] as usize]
    }

    /// The squared distance from `p` to cell `(x, y)` (0 inside it), less a hair for the
    /// rounding of [`Self::cell_of`] (so a cell is never judged farther than it is).
    fn box_distance2(&self, x: i64, y: i64, p: Coord) -> f64 {
        let gap = |v: f64, o: f64, c: i64| {
            let lo = o + c as f64 * self.cell;
            ((lo - v).max(v - (lo + self.cell)) - 1e-9 * self.cell).max(0.0)
        };
        let (dx, dy) = (gap(p.x, self.origin.x, x), gap(p.y, self.origin.y, y));
        dx * dx + dy * dy
    }

    /// Call `visit` with every cell of ring `r` around `(cx, cy)` inside the grid.
    fn ring(&self, cx: i64, cy: i64, r: i64, mut visit: impl FnMut(i64, i64)) {
        let mut cell = |x: i64, y: i64| {
            if x < 0 || y < 0 || x >= self.nx || y >= self.ny {
                return;
            }
            visit(x, y);
        };
        if r == 0 {
            cell(cx, cy);
            return;
        }
        for x in cx - r..=cx + r {
            cell(x, cy - r);
            cell(x, cy + r);
        }
        for y in cy - r + 1..cy + r {
            cell(cx - r, y);
            cell(cx + r, y);
        }
    }

    /// Offer the nearest segments of `tree` (all those at the least distance that `keep`
    /// accepts) to `best`.
    fn tree_nearest(
        tree: &RTree<Indexed>,
        p: Coord,
        limit2: f64,
        keep: &impl Fn(u32) -> bool,
        best: &mut Option<Nearest>,
    ) {
        for (s, d2) in tree.nearest_neighbor_iter_with_distance_2(&[p.x, p.y]) {
            if d2 > limit2 || best.is_some_and(|b| d2 > b.d2) {
                break;
            }
            if !keep(s.at) {
                continue;
            }
            let (t, d2) = project(s.a, s.b, p);
            let n = Nearest { at: s.at, t, d2 };
            if n.better_than(best) {
                *best = Some(n);
            }
        }
    }
}

/// ⌊x⌋ as an integer, far values saturated at ±10¹⁵ (outside any grid either way) and NaN at
/// 0: a truncation and a compare, where `f64::floor` is a library call on baseline x86-64.
fn floor_i64(x: f64) -> i64 {
    let c = x.clamp(-1e15, 1e15);
    let t = c as i64;
    if (t as f64) > c { t - 1 } else { t }
}

/// The corners of the box around every indexed segment (infinite for none).
fn bounds<S: Segments + ?Sized>(segs: &S) -> (Coord, Coord) {
    let inf = Coord {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let join = |(l1, h1): (Coord, Coord), (l2, h2): (Coord, Coord)| {
        (
            Coord {
                x: l1.x.min(l2.x),
                y: l1.y.min(l2.y),
            },
            Coord {
                x: h1.x.max(h2.x),
                y: h1.y.max(h2.y),
            },
        )
    };
    (0..segs.count() as u32)
        .into_par_iter()
        .filter_map(|i| segs.ends(i).map(|(a, b)| corners(a, b)))
        .reduce(|| (inf, -inf), join)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The answer by checking every segment.
    fn brute(
        segs: &[(Coord, Coord)],
        p: Coord,
        limit2: f64,
        keep: impl Fn(u32) -> bool,
    ) -> Option<Nearest> {
        let mut best: Option<Nearest> = None;
        for (i, &(a, b)) in segs.iter().enumerate() {
            if !keep(i as u32) {
                continue;
            }
            let (t, d2) = project(a, b, p);
            let n = Nearest {
                at: i as u32,
                t,
                d2,
            };
            if d2 <= limit2 && n.better_than(&best) {
                best = Some(n);
            }
        }
        best
    }

    fn c(x: f64, y: f64) -> Coord {
        Coord { x, y }
    }

    #[test]
    fn ties_go_to_the_first_segment() {
        // Two segments at the same distance from the point, given in either order.
        let s = vec![(c(0., 1.), c(10., 1.)), (c(0., -1.), c(10., -1.))];
        let g = SegmentGrid::new(&s[..]);
        assert_eq!(g.nearest(&s[..], c(5., 0.), 100.0, |_| true).unwrap().at, 0);
        let r: Vec<(Coord, Coord)> = s.into_iter().rev().collect();
        let g = SegmentGrid::new(&r[..]);
        assert_eq!(g.nearest(&r[..], c(5., 0.), 100.0, |_| true).unwrap().at, 0);
    }

    #[test]
    fn long_segments_far_points_and_an_empty_grid() {
        let mut s: Vec<(Coord, Coord)> = (0..200)
            .map(|i| (c(i as f64, 0.), c(i as f64 + 1., 0.)))
            .collect();
        // A long diagonal across everything.
        s.push((c(0., 0.), c(200., 200.)));
        let g = SegmentGrid::new(&s[..]);
        assert!(g.long.is_some());
        for p in [
            c(100., 90.),
            c(150., 140.5),
            c(-50., -50.),
            c(5000., 5000.),
            c(100., -1e6),
        ] {
            for limit2 in [1.0, 1e4, 1e14] {
                assert_eq!(
                    g.nearest(&s[..], p, limit2, |_| true),
                    brute(&s, p, limit2, |_| true),
                    "{p:?} {limit2}"
                );
            }
        }
        let none: Vec<(Coord, Coord)> = Vec::new();
        let empty = SegmentGrid::new(&none[..]);
        assert_eq!(empty.nearest(&none[..], c(1., 1.), 1e9, |_| true), None);
        let one = [(c(3., 3.), c(3., 3.))];
        let g1 = SegmentGrid::new(&one[..]);
        assert_eq!(
            g1.nearest(&one[..], c(0., -1.), 1e9, |_| true).unwrap().d2,
            25.0
        );
    }

    #[test]
    fn every_segment_meeting_a_box_once() {
        let mut s: Vec<(Coord, Coord)> = (0..50)
            .flat_map(|i| {
                let v = i as f64 * 7.3;
                [(c(v, 0.), c(v + 9., 4.)), (c(0., v), c(3., v + 11.))]
            })
            .collect();
        s.push((c(-10., -10.), c(400., 390.)));
        let g = SegmentGrid::new(&s[..]);
        for (lo, hi) in [
            (c(5., 5.), c(60., 80.)),
            (c(-100., -100.), c(1000., 1000.)),
            (c(7.3, 0.), c(7.3, 0.)),
        ] {
            let mut got = Vec::new();
            g.in_box(&s[..], lo, hi, |i, _, _| got.push(i));
            got.sort_unstable();
            let want: Vec<u32> = (0..s.len() as u32)
                .filter(|&i| {
                    let (a, b) = s[i as usize];
                    a.x.min(b.x) <= hi.x
                        && lo.x <= a.x.max(b.x)
                        && a.y.min(b.y) <= hi.y
                        && lo.y <= a.y.max(b.y)
                })
                .collect();
            assert_eq!(got, want, "{lo:?} {hi:?}");
        }
    }

    #[test]
    fn floor_as_the_library_does() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.999_999,
            -2.000_001,
            1e14 + 0.5,
            -7.0,
            f64::EPSILON,
            -f64::EPSILON,
        ] {
            assert_eq!(floor_i64(x), x.floor() as i64, "{x}");
        }
        assert_eq!(floor_i64(1e300), 1_000_000_000_000_000);
        assert_eq!(floor_i64(-1e300), -1_000_000_000_000_000);
        assert_eq!(floor_i64(f64::NAN), 0);
    }

    /// Segments with every fifth position not indexed.
    struct Holes<'a>(&'a [(Coord, Coord)]);

    impl Segments for Holes<'_> {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn ends(&self, i: u32) -> Option<(Coord, Coord)> {
            (i % 5 != 4).then(|| self.0[i as usize])
        }
    }

    fn coord() -> impl Strategy<Value = Coord> {
        (-500.0..500.0f64, -500.0..500.0f64).prop_map(|(x, y)| c(x, y))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn agrees_with_every_segment_checked(
            starts in prop::collection::vec(coord(), 0..120),
            ends in prop::collection::vec((-60.0..60.0f64, -60.0..60.0f64, 0..8u8), 120),
            queries in prop::collection::vec(coord(), 1..30),
            limit in prop_oneof![Just(f64::INFINITY), 0.0..300.0f64],
        ) {
            // Short segments, some long ones and some points; every third one filtered out.
            let segs: Vec<(Coord, Coord)> = starts
                .iter()
                .zip(&ends)
                .map(|(&a, &(dx, dy, k))| {
                    let m = match k { 0 => 0.0, 1 => 20.0, _ => 1.0 };
                    (a, c(a.x + dx * m, a.y + dy * m))
                })
                .collect();
            let g = SegmentGrid::new(&segs[..]);
            let keep = |i: u32| i % 3 != 1;
            for &p in &queries {
                let limit2 = limit * limit;
                prop_assert_eq!(g.nearest(&segs[..], p, limit2, |_| true), brute(&segs, p, limit2, |_| true));
                prop_assert_eq!(g.nearest(&segs[..], p, limit2, keep), brute(&segs, p, limit2, keep));
                let holes = Holes(&segs);
                let gh = SegmentGrid::new(&holes);
                prop_assert_eq!(
                    gh.nearest(&holes, p, limit2, |_| true),
                    brute(&segs, p, limit2, |i| i % 5 != 4)
                );
            }
        }
    }
}
