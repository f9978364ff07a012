//! Cheap validity checks of green polygons: crossing or touching edges (bow-ties, rings that
//! cross each other). Such polygons are evaluated as given; the check exists to warn.

#[cfg(test)]
use geo::MultiPolygon;
use geo::kernels::{Kernel, Orientation, RobustKernel};
#[cfg(test)]
use geo::line_intersection::line_intersection;
use geo::{Coord, Line, Polygon};

/// One edge: the line, its ring's number, its position in the ring, the ring's edge count.
#[derive(Debug, Clone, Copy)]
struct Edge {
    line: Line<f64>,
    ring: u32,
    k: u32,
    n: u32,
}

/// True when two edges of the polygons' rings meet anywhere other than the shared vertex of
/// consecutive edges of one ring. Repeated vertices (zero-length edges) are ignored.
pub(crate) fn has_self_intersection(polygons: &[Polygon<f64>]) -> bool {
    swept(&edges_of(polygons))
}

fn edges_of(polygons: &[Polygon<f64>]) -> Vec<Edge> {
    let total = polygons
        .iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum();
    let mut edges = Vec::with_capacity(total);
    let rings = polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for (r, ring) in rings.enumerate() {
        let first = edges.len();
        edges.extend(
            ring.lines()
                .filter(|l| l.start != l.end)
                .enumerate()
                .map(|(k, line)| Edge {
                    line,
                    ring: r as u32,
                    k: k as u32,
                    n: 0,
                }),
        );
        let n = (edges.len() - first) as u32;
        edges[first..].iter_mut().for_each(|e| e.n = n);
    }
    edges
}

/// Do edges `a` and `b` meet other than at the vertex two consecutive edges share?
fn meet(a: &Edge, b: &Edge) -> bool {
    let consecutive = a.ring == b.ring && (b.k.abs_diff(a.k) == 1 || b.k.abs_diff(a.k) == a.n - 1);
    if consecutive {
        return folds_back(&a.line, &b.line);
    }
    segments_meet(&a.line, &b.line)
}

fn orient(p: Coord, q: Coord, r: Coord) -> Orientation {
    RobustKernel::orient2d(p, q, r)
}

/// Do two segments share any point (a crossing, a touch, a collinear overlap)? Exact: what
/// `line_intersection(l, m).is_some()` says, without computing where.
fn segments_meet(l: &Line<f64>, m: &Line<f64>) -> bool {
    let within = |a: f64, b: f64, c: f64, d: f64| a.min(b) <= c.max(d) && c.min(d) <= a.max(b);
    if !within(l.start.x, l.end.x, m.start.x, m.end.x)
        || !within(l.start.y, l.end.y, m.start.y, m.end.y)
    {
        return false;
    }
    let o1 = orient(l.start, l.end, m.start);
    let o2 = orient(l.start, l.end, m.end);
    if o1 == o2 && o1 != Orientation::Collinear {
        return false;
    }
    let o3 = orient(m.start, m.end, l.start);
    let o4 = orient(m.start, m.end, l.end);
    if o3 == o4 && o3 != Orientation::Collinear {
        return false;
    }
    // Opposite sides both ways, or an end on the other's line: with the boxes overlapping,
    // they meet (for all four collinear, the segments lie on one line and their boxes, hence
    // their extents on it, overlap).
    true
}

/// Do two edges with a shared end overlap (lie on one line on the same side of it)? What
/// `line_intersection` calls a collinear intersection, for such edges, with one exact
/// orientation test: the signs of the differences, hence of the dot product, are exact.
fn folds_back(l: &Line<f64>, m: &Line<f64>) -> bool {
    let (shared, p, q) = if l.end == m.start {
        (l.end, l.start, m.end)
    } else if m.end == l.start {
        (l.start, l.end, m.start)
    } else {
        // Consecutive edges always share an end; kept for safety: a collinear overlap.
        return segments_meet(l, m)
            && orient(l.start, l.end, m.start) == Orientation::Collinear
            && orient(l.start, l.end, m.end) == Orientation::Collinear;
    };
    let dot = (p.x - shared.x) * (q.x - shared.x) + (p.y - shared.y) * (q.y - shared.y);
    dot > 0.0 && orient(p, shared, q) == Orientation::Collinear
}

/// An edge's box: low x, high x, low y, high y, and the edge's number.
type EdgeBox = (f64, f64, f64, f64, u32);

fn edge_box(i: usize, e: &Edge) -> EdgeBox {
    let (a, b) = (e.line.start, e.line.end);
    (
        a.x.min(b.x),
        a.x.max(b.x),
        a.y.min(b.y),
        a.y.max(b.y),
        i as u32,
    )
}

/// Every pair whose boxes touch, tested exactly: the oracle of [`swept`].
#[cfg(test)]
fn pairwise(edges: &[Edge]) -> bool {
    let boxes: Vec<EdgeBox> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| edge_box(i, e))
        .collect();
    (0..edges.len()).any(|i| {
        (i + 1..edges.len()).any(|j| {
            let (a, b) = (boxes[i], boxes[j]);
            a.0 <= b.1 && b.0 <= a.1 && a.2 <= b.3 && b.2 <= a.3 && meet(&edges[i], &edges[j])
        })
    })
}

/// The pairs whose boxes touch, found by a sweep along x (edges by their low x; each edge
/// against those that start before it ends), tested exactly.
fn swept(edges: &[Edge]) -> bool {
    let mut boxes: Vec<EdgeBox> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| edge_box(i, e))
        .collect();
    boxes.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    boxes.iter().enumerate().any(|(k, a)| {
        boxes[k + 1..]
            .iter()
            .take_while(|b| b.0 <= a.1)
            .any(|b| b.2 <= a.3 && a.2 <= b.3 && meet(&edges[a.4 as usize], &edges[b.4 as usize]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn bow_tie_crosses_and_valid_shapes_do_not() {
        let bow = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.), (x: 0., y: 0.)],
        ]);
        assert!(has_self_intersection(&bow.0));
        let square_with_hole = MultiPolygon(vec![polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)],
            interiors: [[(x: 2., y: 2.), (x: 4., y: 2.), (x: 4., y: 4.), (x: 2., y: 2.)]],
        )]);
        assert!(!has_self_intersection(&square_with_hole.0));
        let repeated = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 5., y: 0.), (x: 5., y: 0.), (x: 5., y: 5.), (x: 0., y: 5.), (x: 0., y: 0.)],
        ]);
        assert!(!has_self_intersection(&repeated.0));
        let hole_crossing_shell = MultiPolygon(vec![polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)],
            interiors: [[(x: 8., y: 8.), (x: 12., y: 8.), (x: 12., y: 9.), (x: 8., y: 8.)]],
        )]);
        assert!(has_self_intersection(&hole_crossing_shell.0));
        let spike = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 2., y: 0.), (x: 2., y: 3.), (x: 0., y: 0.)],
        ]);
        assert!(
            has_self_intersection(&spike.0),
            "an edge folding back on the previous one"
        );
    }

    proptest::proptest! {
        /// The exact meeting test says what `line_intersection` says, on lattice segments
        /// (many touching, collinear and degenerate cases) at several scales.
        #[test]
        fn segments_meet_as_line_intersection_says(
            a in (-3i32..4, -3i32..4), b in (-3i32..4, -3i32..4),
            c in (-3i32..4, -3i32..4), d in (-3i32..4, -3i32..4),
            scale in proptest::sample::select(vec![1.0, 0.1, 1e-7, 3.7e5]),
        ) {
            let p = |(x, y): (i32, i32)| geo::coord! { x: f64::from(x) * scale, y: f64::from(y) * scale };
            let (l, m) = (Line::new(p(a), p(b)), Line::new(p(c), p(d)));
            let want = line_intersection(l, m).is_some();
            proptest::prop_assert_eq!(segments_meet(&l, &m), want);
            proptest::prop_assert_eq!(segments_meet(&m, &l), want);
        }

        /// For edges with a shared end, the orientation test says what `line_intersection`
        /// says (lattice points: many collinear triples, both directions).
        #[test]
        fn folds_back_as_line_intersection_says(
            p in (-4i32..5, -4i32..5), s in (-4i32..5, -4i32..5), q in (-4i32..5, -4i32..5),
            scale in proptest::sample::select(vec![1.0, 0.1, 1e-7, 3.7e5]),
        ) {
            let c = |(x, y): (i32, i32)| geo::coord! { x: f64::from(x) * scale, y: f64::from(y) * scale };
            let (p, s, q) = (c(p), c(s), c(q));
            proptest::prop_assume!(p != s && q != s);
            let (l, m) = (Line::new(p, s), Line::new(s, q));
            let want = matches!(line_intersection(l, m), Some(geo::LineIntersection::Collinear { .. }));
            proptest::prop_assert_eq!(folds_back(&l, &m), want);
            proptest::prop_assert_eq!(folds_back(&m, &l), want);
        }

        /// The sweep finds what testing every pair finds, on random rings (often crossing,
        /// often with repeated or collinear vertices on a coarse lattice).
        #[test]
        fn sweep_equals_pairwise(
            rings in proptest::collection::vec(
                proptest::collection::vec((0i32..12, 0i32..12), 3..40), 1..4)
        ) {
            let polys: Vec<geo::Polygon<f64>> = rings
                .iter()
                .map(|r| {
                    let ring: Vec<(f64, f64)> = r.iter().map(|&(x, y)| (f64::from(x), f64::from(y))).collect();
                    geo::Polygon::new(geo::LineString::from(ring), vec![])
                })
                .collect();
            let edges = edges_of(&polys);
            proptest::prop_assert_eq!(pairwise(&edges), swept(&edges));
        }
    }
}
