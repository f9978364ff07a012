//! Coordinates read straight from a geometry's JSON text, for the serde path
//! ([`super::stream`]) once it knows the geometry's type: no tree of nested arrays, each
//! ring parsed into its `Vec<Coord>` as it is read. It accepts a strict subset of what that
//! path accepts (arrays exactly as deep as the type asks, none empty, positions of plain
//! numbers as [`super::point_fast`] reads them) and gives the same geometry for it, bit for
//! bit; for anything else it answers `None` and the tree of nested arrays decides.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

use super::stream::Scanner;

/// The geometry of type `kind` whose `coordinates` member is the JSON text `raw`, or `None`
/// when the general path must read it.
pub(super) fn geometry(kind: &str, raw: &[u8]) -> Option<Geometry<f64>> {
    let mut s = Scanner { b: raw, i: 0 };
    s.ws();
    let g = match kind {
        "Point" => Geometry::Point(Point(s.position()?)),
        "MultiPoint" => {
            Geometry::MultiPoint(MultiPoint(s.positions()?.into_iter().map(Point).collect()))
        }
        "LineString" => Geometry::LineString(s.line()?),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(s.list(1, Scanner::line)?)),
        "Polygon" => Geometry::Polygon(s.polygon()?),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon(s.list(1, Scanner::polygon)?)),
        _ => return None,
    };
    s.ws();
    (s.i == raw.len()).then_some(g)
}

impl Scanner<'_> {
    /// `[a, b, …]`: at least one element, each read by `item`, into a vector with room
    /// for `capacity` to start with.
    fn list<T>(
        &mut self,
        capacity: usize,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.eat(b'[')?;
        let mut out = Vec::with_capacity(capacity);
        loop {
            self.ws();
            out.push(item(self)?);
            if self.closed_by(b']')? {
                return Some(out);
            }
        }
    }

    /// A non-empty array of positions (a ring of a large polygon holds thousands: room for
    /// some to start with).
    fn positions(&mut self) -> Option<Vec<Coord>> {
        self.list(16, Scanner::position)
    }

    /// A line string: at least two positions.
    fn line(&mut self) -> Option<LineString> {
        let cs = self.positions()?;
        (cs.len() >= 2).then_some(LineString(cs))
    }

    /// A polygon: at least one ring, each closed with at least four positions.
    fn polygon(&mut self) -> Option<Polygon> {
        let mut rings = self.list(1, |s| {
            let cs = s.positions()?;
            (cs.len() >= 4 && cs[0] == cs[cs.len() - 1]).then_some(LineString(cs))
        })?;
        let exterior = rings.remove(0);
        Some(Polygon::new(exterior, rings))
    }
}
