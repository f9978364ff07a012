//! `PolygonLookup`: which of many numbered polygons holds a point. A packed R-tree of bounding
//! boxes ([`PackedTree`]) picks the candidates, an interval-tree point-in-polygon test
//! decides, and the lowest number wins when several hold the point. Used for green areas,
//! area masks, zones and population cells.

use geo::indexed::IntervalTreeMultiPolygon;
use geo::orient::Direction;
use geo::{BoundingRect, Contains, Coord, Geometry, MultiPolygon, Orient};
use rayon::prelude::*;
use rstar::Envelope;
use rstar::primitives::{GeomWithData, Rectangle};
use std::sync::OnceLock;

use crate::engine::packed::PackedTree;

type NumberedBox = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Numbered polygons indexed for point-in-polygon queries.
pub struct PolygonLookup {
    boxes: PackedTree<NumberedBox>,
    /// A box's data indexes this.
    polygons: Vec<Slot>,
}

/// One polygon of a lookup: its number, its shape, and its containment index, built when a
/// point first falls in its box (a grid of a few hundred points meets few of a city's
/// polygons; a million homes meet them all, and build them in parallel as they go).
struct Slot {
    number: u32,
    shape: MultiPolygon<f64>,
    index: OnceLock<IntervalTreeMultiPolygon<f64>>,
}

impl Slot {
    fn contains(&self, p: &Coord) -> bool {
        self.index
            .get_or_init(|| containment_index(&self.shape))
            .contains(p)
    }
}

impl std::fmt::Debug for PolygonLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolygonLookup")
            .field("polygons", &self.polygons.len())
            .finish()
    }
}

/// The polygons of a lookup that hold a point ([`PolygonLookup::containing_which`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Containing {
    /// None.
    None,
    /// Exactly this one.
    One(u32),
    /// Two or more.
    Several,
}

impl PolygonLookup {
    /// Index `(number, polygon)` pairs (plane coordinates); empty polygons are left out.
    pub fn new(polygons: Vec<(u32, MultiPolygon<f64>)>) -> Self {
        let built: Vec<([f64; 4], Slot)> = polygons
            .into_par_iter()
            .filter_map(|(number, shape)| {
                let r = shape.bounding_rect()?;
                let corners = [r.min().x, r.min().y, r.max().x, r.max().y];
                let index = OnceLock::new();
                Some((
                    corners,
                    Slot {
                        number,
                        shape,
                        index,
                    },
                ))
            })
            .collect();
        let mut boxes = Vec::with_capacity(built.len());
        let mut polygons = Vec::with_capacity(built.len());
        for ([x0, y0, x1, y1], slot) in built {
            boxes.push(NumberedBox::new(
                Rectangle::from_corners([x0, y0], [x1, y1]),
                polygons.len() as u32,
            ));
            polygons.push(slot);
        }
        Self {
            boxes: PackedTree::new(boxes),
            polygons,
        }
    }

    /// Polygons indexed.
    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    /// True when no polygon is indexed.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// The lowest-numbered polygon that has `p` in its interior.
    pub fn containing(&self, p: Coord) -> Option<u32> {
        self.containing_where(p, |_| true)
    }

    /// Which polygons have `p` in their interior: none, exactly one (its number), or several.
    pub fn containing_which(&self, p: Coord) -> Containing {
        let mut found = Containing::None;
        self.candidates(p, |number, poly| {
            if found != Containing::Several && poly.contains(&p) {
                found = match found {
                    Containing::None => Containing::One(number),
                    _ => Containing::Several,
                };
            }
        });
        found
    }

    /// The lowest-numbered polygon that has `p` in its interior among the numbers `keep`
    /// accepts.
    pub fn containing_where(&self, p: Coord, keep: impl Fn(u32) -> bool) -> Option<u32> {
        let mut best: Option<u32> = None;
        self.candidates(p, |number, poly| {
            if best.is_none_or(|b| number < b) && keep(number) && poly.contains(&p) {
                best = Some(number);
            }
        });
        best
    }

    /// Append the numbers of every polygon that has `p` in its interior to `out`, ascending.
    pub fn all_containing_into(&self, p: Coord, out: &mut Vec<u32>) {
        let from = out.len();
        self.candidates(p, |number, poly| {
            if poly.contains(&p) {
                out.push(number);
            }
        });
        out[from..].sort_unstable();
    }

    /// Call `f` with every polygon whose bounding box holds `p`, and its number.
    fn candidates(&self, p: Coord, mut f: impl FnMut(u32, &Slot)) {
        let q = [p.x, p.y];
        self.boxes.visit(
            |b| b.contains_point(&q),
            |b| {
                let slot = &self.polygons[b.data as usize];
                f(slot.number, slot);
                false
            },
        );
    }

    /// Every polygon that has `p` in its interior, by number.
    pub fn all_containing(&self, p: Coord) -> Vec<u32> {
        let mut v = Vec::new();
        self.all_containing_into(p, &mut v);
        v
    }
}

/// A point-in-polygon index that treats holes as outside whatever the rings' winding: the
/// interval tree counts winding numbers, so shells are made counter-clockwise and holes
/// clockwise first (files often have them the other way round).
fn containment_index(mp: &MultiPolygon<f64>) -> IntervalTreeMultiPolygon<f64> {
    IntervalTreeMultiPolygon::new(&mp.orient(Direction::Default))
}

/// The areal part of a geometry as one multipolygon: a polygon, a multipolygon, a rectangle or
/// a triangle; `None` for points and lines (and collections).
pub fn areal(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(mp) => Some(mp.clone()),
        Geometry::Rect(r) => Some(MultiPolygon(vec![r.to_polygon()])),
        Geometry::Triangle(t) => Some(MultiPolygon(vec![t.to_polygon()])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon};

    fn square(x0: f64, side: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: 0.), (x: x0 + side, y: 0.), (x: x0 + side, y: side), (x: x0, y: side)
        ]])
    }

    #[test]
    fn lowest_number_wins_and_holes_are_outside() {
        let holed = polygon!(
            exterior: [(x: 0., y: 0.), (x: 0., y: 10.), (x: 10., y: 10.), (x: 10., y: 0.)],
            interiors: [[(x: 4., y: 4.), (x: 6., y: 4.), (x: 6., y: 6.), (x: 4., y: 6.)]],
        );
        let lookup = PolygonLookup::new(vec![
            (7, square(0.0, 20.0)),
            (3, MultiPolygon(vec![holed])),
            (5, square(100.0, 1.0)),
            (9, MultiPolygon(vec![])),
        ]);
        assert_eq!(lookup.len(), 3);
        assert_eq!(lookup.containing(coord! { x: 1.0, y: 1.0 }), Some(3));
        assert_eq!(lookup.containing(coord! { x: 5.0, y: 5.0 }), Some(7));
        assert_eq!(lookup.containing(coord! { x: 15.0, y: 5.0 }), Some(7));
        assert_eq!(lookup.containing(coord! { x: 100.5, y: 0.5 }), Some(5));
        assert_eq!(lookup.containing(coord! { x: 50.0, y: 5.0 }), None);
    }

    #[test]
    fn which_polygons_hold_a_point() {
        let lookup = PolygonLookup::new(vec![
            (7, square(0.0, 20.0)),
            (3, square(5.0, 5.0)),
            (5, square(100.0, 1.0)),
        ]);
        for (x, y, want) in [
            (1.0, 1.0, Containing::One(7)),
            (6.0, 1.0, Containing::Several),
            (100.5, 0.5, Containing::One(5)),
            (50.0, 5.0, Containing::None),
        ] {
            assert_eq!(lookup.containing_which(coord! { x: x, y: y }), want);
        }
    }

    #[test]
    fn areal_parts() {
        let p = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 0., y: 1.)];
        assert_eq!(
            areal(&Geometry::Polygon(p.clone())),
            Some(MultiPolygon(vec![p]))
        );
        assert_eq!(areal(&Geometry::Point(geo::Point::new(0.0, 0.0))), None);
    }
}
