//! Cheap validity checks of green polygons: crossing or touching edges (bow-ties, rings that
//! cross each other). Such polygons are evaluated as given; the check exists to warn.

use geo::line_intersection::line_intersection;
use geo::{Line, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// True when two edges of the polygon's rings meet anywhere other than the shared vertex of
/// consecutive edges of one ring. Repeated vertices (zero-length edges) are ignored.
pub(crate) fn has_self_intersection(mp: &MultiPolygon<f64>) -> bool {
    // (edge, ring number, position in ring, edges in ring)
    let mut edges: Vec<(Line<f64>, usize, usize, usize)> = Vec::new();
    let rings = mp
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for (r, ring) in rings.enumerate() {
        let lines: Vec<Line<f64>> = ring.lines().filter(|l| l.start != l.end).collect();
        let n = lines.len();
        edges.extend(lines.into_iter().enumerate().map(|(k, l)| (l, r, k, n)));
    }
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
    edges.iter().enumerate().any(|(i, (l, r, k, n))| {
        let env = AABB::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]);
        tree.locate_in_envelope_intersecting(&env).any(|o| {
            let j = o.data;
            if j <= i {
                return false;
            }
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
}
