//! Cheap validity checks of green polygons: crossing or touching edges (bow-ties, rings that
//! cross each other). Such polygons are evaluated as given; the check exists to warn.

use geo::line_intersection::line_intersection;
use geo::{Line, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, Envelope, RTree};

/// One edge: the line, its ring's number, its position in the ring, the ring's edge count.
type Edge = (Line<f64>, usize, usize, usize);

/// Polygons with at most this many edges are checked pair by pair: cheaper than building an
/// R-tree over their edges (most green polygons have a few dozen vertices).
const PAIRWISE_MAX: usize = 64;

/// True when two edges of the polygon's rings meet anywhere other than the shared vertex of
/// consecutive edges of one ring. Repeated vertices (zero-length edges) are ignored.
pub(crate) fn has_self_intersection(mp: &MultiPolygon<f64>) -> bool {
    let edges = edges_of(mp);
    if edges.len() <= PAIRWISE_MAX {
        pairwise(&edges)
    } else {
        indexed(&edges)
    }
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
        // Consecutive edges share a vertex; they still overlap if they fold back.
        return matches!(
            line_intersection(*l, *m),
            Some(geo::LineIntersection::Collinear { .. })
        );
    }
    line_intersection(*l, *m).is_some()
}

fn envelope(l: &Line<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y])
}

/// Every pair whose boxes touch, tested exactly.
fn pairwise(edges: &[Edge]) -> bool {
    let boxes: Vec<AABB<[f64; 2]>> = edges.iter().map(|e| envelope(&e.0)).collect();
    (0..edges.len())
        .any(|i| (i + 1..edges.len()).any(|j| boxes[i].intersects(&boxes[j]) && meet(edges, i, j)))
}

/// Pairs found through an R-tree over the edges' boxes, tested exactly.
fn indexed(edges: &[Edge]) -> bool {
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(
        edges
            .iter()
            .enumerate()
            .map(|(i, (l, ..))| {
                GeomWithData::new(
                    Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]),
                    i,
                )
            })
            .collect(),
    );
    edges.iter().enumerate().any(|(i, (l, ..))| {
        tree.locate_in_envelope_intersecting(&envelope(l))
            .any(|o| o.data > i && meet(edges, i, o.data))
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
        /// The pair-by-pair path and the R-tree path agree on random rings (often crossing,
        /// often with repeated or collinear vertices on a coarse lattice).
        #[test]
        fn pairwise_equals_indexed(
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
            proptest::prop_assert_eq!(pairwise(&edges), indexed(&edges));
        }
    }
}
