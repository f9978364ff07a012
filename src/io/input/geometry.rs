//! GeoJSON geometry values to `geo` geometries, with the checks the engine relies on.

use std::fmt;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use geojson::{GeometryValue, Position};

/// Why a GeoJSON geometry cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryProblem {
    /// A position with fewer than two numbers.
    ShortPosition(usize),
    /// A coordinate that is NaN or infinite.
    NotFinite,
    /// A LineString with fewer than two positions.
    ShortLine(usize),
    /// A polygon ring with fewer than four positions.
    ShortRing {
        /// Ring number within its polygon (0 = exterior).
        ring: usize,
        /// Positions it has.
        len: usize,
    },
    /// A ring whose last position differs from its first.
    UnclosedRing {
        /// Ring number within its polygon (0 = exterior).
        ring: usize,
    },
    /// A geometry type greenreach does not evaluate.
    Unsupported(&'static str),
}

impl fmt::Display for GeometryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeometryProblem::ShortPosition(n) => write!(
                f,
                "a position has {n} number(s); it needs at least 2 (x, y)"
            ),
            GeometryProblem::NotFinite => f.write_str("a coordinate is not a finite number"),
            GeometryProblem::ShortLine(n) => {
                write!(f, "a LineString has {n} position(s); it needs at least 2")
            }
            GeometryProblem::ShortRing { ring, len } => write!(
                f,
                "ring {ring} has {len} position(s); a polygon ring needs at least 4 (closed)"
            ),
            GeometryProblem::UnclosedRing { ring } => write!(
                f,
                "ring {ring} is not closed: its last position must equal its first"
            ),
            GeometryProblem::Unsupported(kind) => write!(
                f,
                "{kind} is not supported; split it into Point, LineString or Polygon features"
            ),
        }
    }
}

type Res<T> = Result<T, GeometryProblem>;

/// Convert a GeoJSON geometry to a `geo` geometry, dropping Z and M values.
pub(super) fn to_geo(value: &GeometryValue) -> Res<Geometry<f64>> {
    Ok(match value {
        GeometryValue::Point { coordinates } => Geometry::Point(Point(coord(coordinates)?)),
        GeometryValue::MultiPoint { coordinates } => Geometry::MultiPoint(MultiPoint(
            coordinates
                .iter()
                .map(|p| coord(p).map(Point))
                .collect::<Res<_>>()?,
        )),
        GeometryValue::LineString { coordinates } => Geometry::LineString(line(coordinates)?),
        GeometryValue::MultiLineString { coordinates } => Geometry::MultiLineString(
            MultiLineString(coordinates.iter().map(|l| line(l)).collect::<Res<_>>()?),
        ),
        GeometryValue::Polygon { coordinates } => match polygon(coordinates)? {
            Some(p) => Geometry::Polygon(p),
            None => Geometry::MultiPolygon(MultiPolygon(vec![])),
        },
        GeometryValue::MultiPolygon { coordinates } => {
            let mut parts = Vec::with_capacity(coordinates.len());
            for rings in coordinates {
                parts.extend(polygon(rings)?);
            }
            Geometry::MultiPolygon(MultiPolygon(parts))
        }
        GeometryValue::GeometryCollection { .. } => {
            return Err(GeometryProblem::Unsupported("GeometryCollection"));
        }
    })
}

fn coord(p: &Position) -> Res<Coord> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err(GeometryProblem::ShortPosition(s.len()));
    }
    if !s[0].is_finite() || !s[1].is_finite() {
        return Err(GeometryProblem::NotFinite);
    }
    Ok(Coord { x: s[0], y: s[1] })
}

fn coords(ps: &[Position]) -> Res<Vec<Coord>> {
    ps.iter().map(coord).collect()
}

fn line(ps: &[Position]) -> Res<LineString> {
    if ps.len() < 2 {
        return Err(GeometryProblem::ShortLine(ps.len()));
    }
    Ok(LineString(coords(ps)?))
}

/// `None` for a polygon with no rings at all (an empty geometry).
fn polygon(rings: &[Vec<Position>]) -> Res<Option<Polygon>> {
    let mut out = Vec::with_capacity(rings.len());
    for (i, r) in rings.iter().enumerate() {
        if r.len() < 4 {
            return Err(GeometryProblem::ShortRing {
                ring: i,
                len: r.len(),
            });
        }
        let cs = coords(r)?;
        if cs[0] != cs[cs.len() - 1] {
            return Err(GeometryProblem::UnclosedRing { ring: i });
        }
        out.push(LineString(cs));
    }
    let mut it = out.into_iter();
    Ok(it.next().map(|ext| Polygon::new(ext, it.collect())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geom(json: &str) -> Res<Geometry<f64>> {
        let g: geojson::Geometry = serde_json::from_str(json).unwrap();
        to_geo(&g.value)
    }

    #[test]
    fn polygon_with_hole_and_z() {
        let g = geom(r#"{"type":"Polygon","coordinates":[[[0,0,5],[4,0,5],[4,4,5],[0,4,5],[0,0,5]],[[1,1],[2,1],[2,2],[1,1]]]}"#).unwrap();
        let Geometry::Polygon(p) = g else { panic!() };
        assert_eq!(p.interiors().len(), 1);
        assert_eq!(p.exterior().0[1], Coord { x: 4.0, y: 0.0 });
    }

    #[test]
    fn ring_problems() {
        assert_eq!(
            geom(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#),
            Err(GeometryProblem::ShortRing { ring: 0, len: 3 })
        );
        assert_eq!(
            geom(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#),
            Err(GeometryProblem::UnclosedRing { ring: 0 })
        );
        assert_eq!(
            geom(r#"{"type":"LineString","coordinates":[[0,0]]}"#),
            Err(GeometryProblem::ShortLine(1))
        );
        assert_eq!(
            geom(r#"{"type":"GeometryCollection","geometries":[]}"#),
            Err(GeometryProblem::Unsupported("GeometryCollection"))
        );
    }
}
