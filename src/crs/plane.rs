//! The local metric plane: a transverse Mercator centred on the data.
//!
//! Every geometry is projected onto one plane before anything is measured. The projection is
//! the exact (Poder/Engsager, 6th order) transverse Mercator on the WGS84 ellipsoid with scale
//! 1 on the central meridian, as proj4rs and PROJ define `+proj=tmerc`: the forward direction
//! is evaluated with fewer transcendental calls (`krueger.rs`), the inverse by proj4rs. Its point scale grows as `1 + x²/(2R²)` with the distance `x` from that
//! meridian (1e-5 at 28 km, 1.2e-4 at 100 km), so [`PlaneScale::at`] gives the factor that
//! turns a plane distance into a ground distance.

use geo::{Coord, Geometry, LineString, MapCoords, MultiPolygon, Polygon};
use proj4rs::proj::Proj;

use super::krueger::Krueger;
use thiserror::Error;

/// Semi-major axis of the WGS84 ellipsoid, metres.
const WGS84_A: f64 = 6_378_137.0;
/// First eccentricity squared of the WGS84 ellipsoid.
const WGS84_E2: f64 = 0.006_694_379_990_141_317;
/// Longitude/latitude span beyond which one plane is a poor fit, degrees.
pub const WIDE_SPAN_DEG: f64 = 5.0;

/// A failure to set up or apply the projection.
#[derive(Debug, Error)]
pub enum CrsError {
    /// proj4rs refused the projection definition.
    #[error("cannot set up the projection `{definition}`: {reason}")]
    Definition {
        /// The proj string.
        definition: String,
        /// proj4rs' message.
        reason: String,
    },
    /// proj4rs could not project a coordinate.
    #[error("cannot project lon {lon}, lat {lat}: {reason}")]
    Point {
        /// Longitude, degrees.
        lon: f64,
        /// Latitude, degrees.
        lat: f64,
        /// proj4rs' message.
        reason: String,
    },
}

/// A lon/lat bounding box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBox {
    /// West edge.
    pub min_lon: f64,
    /// South edge.
    pub min_lat: f64,
    /// East edge.
    pub max_lon: f64,
    /// North edge.
    pub max_lat: f64,
}

impl LonLatBox {
    /// An empty box that any [`LonLatBox::include`] replaces.
    pub fn empty() -> Self {
        Self {
            min_lon: f64::INFINITY,
            min_lat: f64::INFINITY,
            max_lon: f64::NEG_INFINITY,
            max_lat: f64::NEG_INFINITY,
        }
    }

    /// Grow the box to hold `c` (x = lon, y = lat).
    pub fn include(&mut self, c: Coord) {
        self.min_lon = self.min_lon.min(c.x);
        self.min_lat = self.min_lat.min(c.y);
        self.max_lon = self.max_lon.max(c.x);
        self.max_lat = self.max_lat.max(c.y);
    }

    /// Grow the box to hold `other` (an empty box changes nothing).
    pub fn union(&mut self, other: &LonLatBox) {
        self.min_lon = self.min_lon.min(other.min_lon);
        self.min_lat = self.min_lat.min(other.min_lat);
        self.max_lon = self.max_lon.max(other.max_lon);
        self.max_lat = self.max_lat.max(other.max_lat);
    }

    /// True when nothing was included.
    pub fn is_empty(&self) -> bool {
        self.min_lon > self.max_lon
    }

    /// The larger of the lon and lat spans, degrees.
    pub fn span_deg(&self) -> f64 {
        (self.max_lon - self.min_lon).max(self.max_lat - self.min_lat)
    }
}

/// A transverse Mercator plane centred on the data, in metres.
#[derive(Debug, Clone)]
pub struct LocalPlane {
    lon0: f64,
    lat0: f64,
    geographic: Proj,
    plane: Proj,
    forward: Krueger,
    /// Twice the Gaussian radius of curvature squared at `lat0` (M·N), m².
    two_r2: f64,
}

impl LocalPlane {
    /// A plane whose central meridian and origin latitude are the centre of `bbox`.
    pub fn centred_on(bbox: &LonLatBox) -> Result<Self, CrsError> {
        let (lon0, lat0) = if bbox.is_empty() {
            (0.0, 0.0)
        } else {
            (
                (bbox.min_lon + bbox.max_lon) / 2.0,
                (bbox.min_lat + bbox.max_lat) / 2.0,
            )
        };
        Self::at(lon0, lat0)
    }

    /// A plane with its central meridian at `lon0` and its origin at latitude `lat0` (degrees).
    pub fn at(lon0: f64, lat0: f64) -> Result<Self, CrsError> {
        let definition = format!(
            "+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        );
        let plane = make_proj(&definition)?;
        let geographic = make_proj("+proj=longlat +ellps=WGS84 +no_defs")?;
        let s = lat0.to_radians().sin();
        let w2 = 1.0 - WGS84_E2 * s * s;
        let m = WGS84_A * (1.0 - WGS84_E2) / w2.powf(1.5);
        let n = WGS84_A / w2.sqrt();
        Ok(Self {
            lon0,
            lat0,
            geographic,
            plane,
            forward: Krueger::new(lon0, lat0),
            two_r2: 2.0 * m * n,
        })
    }

    /// The central meridian and origin latitude, degrees.
    pub fn origin(&self) -> (f64, f64) {
        (self.lon0, self.lat0)
    }

    /// Project a lon/lat geometry onto the plane: the one way geometries reach plane metres.
    pub fn project(&self, g: &Geometry<f64>) -> Result<Geometry<f64>, CrsError> {
        // Polygons, the bulk of green layers, ring by ring into vectors of the right size.
        match g {
            Geometry::Polygon(p) => self.polygon(p).map(Geometry::Polygon),
            Geometry::MultiPolygon(mp) => mp
                .iter()
                .map(|p| self.polygon(p))
                .collect::<Result<_, _>>()
                .map(|v| Geometry::MultiPolygon(MultiPolygon(v))),
            g => g.try_map_coords(|c| self.forward(c.x, c.y)),
        }
    }

    fn polygon(&self, p: &Polygon<f64>) -> Result<Polygon<f64>, CrsError> {
        let ring = |r: &LineString<f64>| -> Result<LineString<f64>, CrsError> {
            let mut out = Vec::with_capacity(r.0.len());
            for c in &r.0 {
                out.push(self.forward(c.x, c.y)?);
            }
            Ok(LineString(out))
        };
        let exterior = ring(p.exterior())?;
        let interiors = p.interiors().iter().map(ring).collect::<Result<_, _>>()?;
        Ok(Polygon::new(exterior, interiors))
    }

    /// Project lon/lat degrees to plane metres.
    pub fn forward(&self, lon: f64, lat: f64) -> Result<Coord, CrsError> {
        self.forward
            .apply(lon.to_radians(), lat.to_radians())
            .map_err(|reason| CrsError::Point {
                lon,
                lat,
                reason: reason.to_string(),
            })
    }

    /// Plane metres back to lon/lat degrees.
    pub fn inverse(&self, c: Coord) -> Result<Coord, CrsError> {
        let mut p = (c.x, c.y, 0.0);
        proj4rs::transform::transform(&self.plane, &self.geographic, &mut p).map_err(|e| {
            CrsError::Point {
                lon: c.x,
                lat: c.y,
                reason: e.to_string(),
            }
        })?;
        Ok(Coord {
            x: p.0.to_degrees(),
            y: p.1.to_degrees(),
        })
    }

    /// The scale model alone, cheap to copy into hot loops.
    pub fn scale(&self) -> PlaneScale {
        PlaneScale {
            two_r2: self.two_r2,
        }
    }
}

/// The point scale of a [`LocalPlane`], without the projection objects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaneScale {
    two_r2: f64,
}

impl PlaneScale {
    /// A plane without distortion (scale 1 everywhere), for data already in ground metres.
    pub fn unit() -> Self {
        Self {
            two_r2: f64::INFINITY,
        }
    }

    /// Point scale at `c` (1 on the central meridian).
    pub fn at(&self, c: Coord) -> f64 {
        1.0 + c.x * c.x / self.two_r2
    }
}

fn make_proj(definition: &str) -> Result<Proj, CrsError> {
    Proj::from_proj_string(definition).map_err(|e| CrsError::Definition {
        definition: definition.to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_of_boxes_and_the_empty_box() {
        let mut a = LonLatBox::empty();
        a.include(Coord { x: 1.0, y: 2.0 });
        let mut b = LonLatBox::empty();
        b.include(Coord { x: -3.0, y: 5.0 });
        let before = a;
        a.union(&LonLatBox::empty());
        assert_eq!(a, before);
        a.union(&b);
        assert_eq!(
            (a.min_lon, a.min_lat, a.max_lon, a.max_lat),
            (-3.0, 2.0, 1.0, 5.0)
        );
        let mut e = LonLatBox::empty();
        e.union(&b);
        assert_eq!(e, b);
    }

    #[test]
    fn origin_maps_to_zero_and_back() {
        let plane = LocalPlane::at(9.55, 47.15).unwrap();
        let c = plane.forward(9.55, 47.15).unwrap();
        assert!(c.x.abs() < 1e-6 && c.y.abs() < 1e-6, "{c:?}");
        let back = plane
            .inverse(Coord {
                x: 1234.5,
                y: -987.0,
            })
            .unwrap();
        let again = plane.forward(back.x, back.y).unwrap();
        assert!((again.x - 1234.5).abs() < 1e-6 && (again.y + 987.0).abs() < 1e-6);
    }

    #[test]
    fn scale_is_one_on_the_meridian_and_grows_east() {
        let plane = LocalPlane::at(106.5, 29.5).unwrap();
        assert_eq!(plane.scale().at(Coord { x: 0.0, y: 5000.0 }), 1.0);
        let k = plane.scale().at(Coord {
            x: 100_000.0,
            y: 0.0,
        });
        assert!((k - 1.0 - 1.23e-4).abs() < 3e-6, "{k}");
    }

    /// The direct forward agrees with proj4rs' `tmerc` within 5e-9 m plus 1e-15 of the
    /// coordinates (a few units in the last place of the normalised easting and northing,
    /// times the Earth's radius; a wrong coefficient shows in millimetres), over a wide span (up to 8° from the
    /// central meridian, every latitude to ±89°), and refuses what it refuses.
    #[test]
    fn direct_forward_agrees_with_proj4rs() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for (lon0, lat0) in [
            (106.5, 29.5),
            (9.55, 47.15),
            (-70.0, -33.4),
            (24.9, 60.2),
            (0.0, 0.0),
        ] {
            let plane = LocalPlane::at(lon0, lat0).unwrap();
            for _ in 0..20_000 {
                let lon = lon0 + (next() - 0.5) * 16.0;
                let lat = (next() - 0.5) * 178.0;
                let mine = plane.forward(lon, lat).unwrap();
                let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
                proj4rs::transform::transform(&plane.geographic, &plane.plane, &mut p).unwrap();
                let d = (mine.x - p.0).hypot(mine.y - p.1);
                let tolerance = 5e-9 + 1e-15 * p.0.hypot(p.1);
                assert!(d < tolerance, "{lon} {lat} at ({lon0}, {lat0}): {d} m");
            }
        }
        let plane = LocalPlane::at(0.0, 0.0).unwrap();
        assert!(plane.forward(0.0, 91.0).is_err());
        assert!(plane.forward(700.0, 0.0).is_err());
        for lon in [60.0, 85.0, 89.9, 90.0, 179.0] {
            let mut p = (f64::to_radians(lon), 0.0, 0.0);
            let theirs = proj4rs::transform::transform(&plane.geographic, &plane.plane, &mut p);
            assert_eq!(plane.forward(lon, 0.0).is_err(), theirs.is_err(), "{lon}");
        }
        assert!(
            plane.forward(89.9, 0.0).is_err(),
            "beyond the projection's domain"
        );
        assert!(plane.forward(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn empty_box_is_empty() {
        let mut b = LonLatBox::empty();
        assert!(b.is_empty());
        b.include(Coord { x: 1.0, y: 2.0 });
        assert!(!b.is_empty());
        assert_eq!(b.span_deg(), 0.0);
    }
}
