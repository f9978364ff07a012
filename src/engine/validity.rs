//! Cheap validity checks of green polygons: crossing or touching edges (bow-ties, rings that
//! cross each other). Such polygons are evaluated as given; the check exists to warn.

use geo::line_intersection::line_intersection;
use geo::{Line, MultiPolygon};
use rstar::AABB;
#[cfg(test)]
use rstar::Envelope;

/// One edge: the line, its ring's number, its position in the ring, the ring's edge count.
type Edge = (Line<f64>, usize, usize, usize);

/// True when two edges of the polygon's rings meet anywhere other than the shared vertex of
/// consecutive edges of one ring. Repeated vertices (zero-length edges) are ignored.
pub(crate) fn has_self_intersection(mp: &MultiPolygon<f64>) -> bool {
    swept(&edges_of(mp))
}

fn edges_of(mp: &MultiPolygon<f64>) -> Vec<Edge> {
    let mut edges = Vec::new();
    let rings = mp
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for (r, ring) in rings.enumerate() {
        let lines: Vec<Line<f64>> = ring.lines().filter(|l| l.start != l.end).collect();
        let n = lines.len();
        edges.extend(lines.into_iter().enumerate().map(|(k, l)| (l, r, k, n)));
    }
    edges
}

/// Do edges `i` and `j` meet other than at the vertex two consecutive edges share?
fn meet(edges: &[Edge], i: usize, j: usize) -> bool {
    let (l, r, k, n) = &edges[i];
    let (m, rm, km, _) = &edges[j];
    let consecutive = r == rm && (km.abs_diff(*k) == 1 || km.abs_diff(*k) == n - 1);
    if consecutive {
        return folds_back(l, m);
    }
    line_intersection(*l, *m).is_some()
}

/// Do two edges with a shared end overlap (lie on one line on the same side of it)? What
/// `line_intersection` calls a collinear intersection, for such edges, with one exact
/// orientation test: the signs of the differences, hence of the dot product, are exact.
fn folds_back(l: &Line<f64>, m: &Line<f64>) -> bool {
    use geo::kernels::{Kernel, Orientation, RobustKernel};
    let (shared, p, q) = if l.end == m.start {
        (l.end, l.start, m.end)
    } else if m.end == l.start {
        (l.start, l.end, m.start)
    } else {
        return matches!(
            line_intersection(*l, *m),
            Some(geo::LineIntersection::Collinear { .. })
        );
    };
    let dot = (p.x - shared.x) * (q.x - shared.x) + (p.y - shared.y) * (q.y - shared.y);
    dot > 0.0 && RobustKernel::orient2d(p, shared, q) == Orientation::Collinear
}

fn envelope(l: &Line<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y])
}

/// Every pair whose boxes touch, tested exactly: the oracle of [`swept`].
#[cfg(test)]
fn pairwise(edges: &[Edge]) -> bool {
    let boxes: Vec<AABB<[f64; 2]>> = edges.iter().map(|e| envelope(&e.0)).collect();
    (0..edges.len())
        .any(|i| (i + 1..edges.len()).any(|j| boxes[i].intersects(&boxes[j]) && meet(edges, i, j)))
}

/// The pairs whose boxes touch, found by a sweep along x (edges by their low x; each edge
/// against those that start before it ends), tested exactly.
fn swept(edges: &[Edge]) -> bool {
    let mut boxes: Vec<(AABB<[f64; 2]>, usize)> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| (envelope(&e.0), i))
        .collect();
    boxes.sort_unstable_by(|a, b| a.0.lower()[0].total_cmp(&b.0.lower()[0]));
    boxes.iter().enumerate().any(|(k, (a, i))| {
        boxes[k + 1..]
            .iter()
            .take_while(|(b, _)| b.lower()[0] <= a.upper()[0])
            .any(|(b, j)| {
                b.lower()[1] <= a.upper()[1] && a.lower()[1] <= b.upper()[1] && meet(edges, *i, *j)
            })
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
        assert!(has_self_intersection(&bow));
        let square_with_hole = MultiPolygon(vec![polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)],
            interiors: [[(x: 2., y: 2.), (x: 4., y: 2.), (x: 4., y: 4.), (x: 2., y: 2.)]],
        )]);
        assert!(!has_self_intersection(&square_with_hole));
        let repeated = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 5., y: 0.), (x: 5., y: 0.), (x: 5., y: 5.), (x: 0., y: 5.), (x: 0., y: 0.)],
        ]);
        assert!(!has_self_intersection(&repeated));
        let hole_crossing_shell = MultiPolygon(vec![polygon!(
            exterior: [(x: 0., y: 0.), (x: 10., y: 0.), (x: 10., y: 10.), (x: 0., y: 10.), (x: 0., y: 0.)],
            interiors: [[(x: 8., y: 8.), (x: 12., y: 8.), (x: 12., y: 9.), (x: 8., y: 8.)]],
        )]);
        assert!(has_self_intersection(&hole_crossing_shell));
        let spike = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 2., y: 0.), (x: 2., y: 3.), (x: 0., y: 0.)],
        ]);
        assert!(
            has_self_intersection(&spike),
            "an edge folding back on the previous one"
        );
    }

    proptest::proptest! {
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
            let edges = edges_of(&MultiPolygon(polys));
            proptest::prop_assert_eq!(pairwise(&edges), swept(&edges));
        }
    }
}
