//! Candidate sites: the spaces a plan may add, in plane metres.
//!
//! A candidate is a geometry with the radius it would serve in the tier and a cost. A polygon
//! candidate keeps its shape; a point candidate becomes the smallest space the tier accepts:
//! an axis-aligned square of that area centred on the point ([`square_site`]).

use geo::{Area, Coord, Geometry, Rect};
use thiserror::Error;

/// A space that does not exist yet, as it would serve one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Geometry in plane metres (polygon, multipolygon, line or point).
    pub geometry: Geometry<f64>,
    /// Service radius in ground metres.
    pub radius_m: f64,
    /// Cost in the planner's unit (1 when not given).
    pub cost: f64,
}

/// Why a candidate cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum CandidateError {
    /// A coordinate is not finite.
    #[error("candidate {0}: a coordinate is not a finite number")]
    NotFinite(usize),
    /// The radius is not a positive finite number.
    #[error("candidate {0}: the service radius {1} m is not a positive number")]
    Radius(usize, f64),
    /// The cost is not a positive finite number.
    #[error("candidate {0}: the cost {1} is not a positive number")]
    Cost(usize, f64),
    /// The geometry has nothing in it.
    #[error("candidate {0}: the geometry is empty")]
    Empty(usize),
}

impl Candidate {
    /// Check that the candidate numbered `id` can be measured from.
    pub fn validate(&self, id: usize) -> Result<(), CandidateError> {
        use geo::CoordsIter;
        if self.geometry.coords_count() == 0 {
            return Err(CandidateError::Empty(id));
        }
        if self
            .geometry
            .coords_iter()
            .any(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Err(CandidateError::NotFinite(id));
        }
        if !(self.radius_m.is_finite() && self.radius_m > 0.0) {
            return Err(CandidateError::Radius(id, self.radius_m));
        }
        if !(self.cost.is_finite() && self.cost > 0.0) {
            return Err(CandidateError::Cost(id, self.cost));
        }
        Ok(())
    }

    /// Area of the candidate's geometry, m² on the plane (0 for points and lines).
    pub fn area_m2(&self) -> f64 {
        self.geometry.unsigned_area()
    }
}

/// The square of `area_m2` centred on `c`: how a point candidate becomes a space.
pub fn square_site(c: Coord, area_m2: f64) -> Geometry<f64> {
    let h = area_m2.max(0.0).sqrt() / 2.0;
    Geometry::Polygon(
        Rect::new(
            Coord {
                x: c.x - h,
                y: c.y - h,
            },
            Coord {
                x: c.x + h,
                y: c.y + h,
            },
        )
        .to_polygon(),
    )
}

/// Lattice points at `spacing` over `extent` (row by row from the south-west corner, cells
/// centred), keeping those `keep` accepts. At most `limit` points are generated before
/// filtering; `None` when the lattice would be larger.
pub fn lattice(
    extent: Rect<f64>,
    spacing: f64,
    limit: u64,
    keep: impl Fn(Coord) -> bool + Sync,
) -> Option<Vec<Coord>> {
    use rayon::prelude::*;
    if !(spacing.is_finite() && spacing > 0.0) {
        return None;
    }
    let nx = (extent.width() / spacing).floor() as u64 + 1;
    let ny = (extent.height() / spacing).floor() as u64 + 1;
    if nx.checked_mul(ny).is_none_or(|n| n > limit) {
        return None;
    }
    // Centre the lattice on the extent.
    let x0 = extent.min().x + (extent.width() - (nx - 1) as f64 * spacing) / 2.0;
    let y0 = extent.min().y + (extent.height() - (ny - 1) as f64 * spacing) / 2.0;
    let rows: Vec<Vec<Coord>> = (0..ny)
        .into_par_iter()
        .map(|j| {
            (0..nx)
                .map(|i| Coord {
                    x: x0 + i as f64 * spacing,
                    y: y0 + j as f64 * spacing,
                })
                .filter(|&c| keep(c))
                .collect()
        })
        .collect();
    Some(rows.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_has_the_area() {
        let g = square_site(Coord { x: 10.0, y: -5.0 }, 400.0);
        assert!((g.unsigned_area() - 400.0).abs() < 1e-9);
    }

    #[test]
    fn lattice_is_centred_and_filtered() {
        let r = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 100.0, y: 50.0 });
        let all = lattice(r, 30.0, 1000, |_| true).unwrap();
        assert_eq!(all.len(), 4 * 2);
        assert_eq!(all[0], Coord { x: 5.0, y: 10.0 });
        let east = lattice(r, 30.0, 1000, |c| c.x > 50.0).unwrap();
        assert_eq!(east.len(), 4);
        assert!(lattice(r, 1.0, 100, |_| true).is_none());
        assert!(lattice(r, 0.0, 100, |_| true).is_none());
    }

    #[test]
    fn validation_names_the_problem() {
        let ok = Candidate {
            geometry: square_site(Coord { x: 0.0, y: 0.0 }, 400.0),
            radius_m: 300.0,
            cost: 1.0,
        };
        assert_eq!(ok.validate(3), Ok(()));
        let bad = Candidate {
            geometry: Geometry::Point(geo::Point::new(f64::NAN, 0.0)),
            ..ok.clone()
        };
        assert_eq!(bad.validate(3), Err(CandidateError::NotFinite(3)));
        let free = Candidate {
            cost: 0.0,
            ..ok.clone()
        };
        assert_eq!(free.validate(1), Err(CandidateError::Cost(1, 0.0)));
    }
}
