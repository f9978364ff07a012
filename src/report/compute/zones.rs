//! Zones (districts, municipalities, 街道): named polygons that demand points fall in.

use geo::{Coord, MultiPolygon};
use serde_json::Value;

use crate::crs::LocalPlane;
use crate::engine::lookup::{PolygonLookup, areal};
use crate::error::Error;
use crate::io::input::Layer;
use crate::report::{OUTSIDE_ZONES, Shares, ZoneRow};
use crate::standard::TagMatch;

/// Named zone polygons on the plane, in file order.
pub struct Zones {
    /// Zone names.
    pub names: Vec<String>,
    /// Zone polygons, plane metres.
    pub shapes: Vec<MultiPolygon<f64>>,
    lookup: PolygonLookup,
    /// Features left out, with the reason.
    pub skipped: Vec<String>,
}

impl Zones {
    /// Zones from `layer`: polygon features passing every `filter`, named by `name_property`.
    pub fn from_layer(
        layer: &Layer,
        name_property: &str,
        filter: &[TagMatch],
        plane: &LocalPlane,
    ) -> Result<Self, Error> {
        let mut names = Vec::new();
        let mut shapes = Vec::new();
        let mut skipped = Vec::new();
        for f in &layer.features {
            if !filter.iter().all(|t| t.find(&f.properties).is_some()) {
                continue;
            }
            let name = match f.properties.get(name_property) {
                Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    skipped.push(format!(
                        "{}: zone feature {} has no \"{name_property}\" and is left out",
                        layer.path.display(),
                        f.index
                    ));
                    continue;
                }
            };
            let mp = match areal(&plane.project(&f.geometry)?) {
                Some(mp) => mp,
                None => {
                    skipped.push(format!(
                        "{}: zone feature {} ({name}) is not a polygon and is left out",
                        layer.path.display(),
                        f.index
                    ));
                    continue;
                }
            };
            names.push(name);
            shapes.push(mp);
        }
        if names.is_empty() {
            return Err(Error::Config(format!(
                "{}: no zone polygon has a \"{name_property}\" property (and passes --zone-where)",
                layer.path.display()
            )));
        }
        let lookup = PolygonLookup::new(
            (0u32..)
                .zip(&shapes)
                .map(|(i, mp)| (i, mp.clone()))
                .collect(),
        );
        Ok(Self {
            names,
            shapes,
            lookup,
            skipped,
        })
    }

    /// The first zone (in file order) whose interior holds `p`.
    pub fn zone_of(&self, p: Coord) -> Option<usize> {
        self.lookup.containing(p).map(|z| z as usize)
    }
}

/// An overlap between two zones.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// The zones, by index (first < second).
    pub zones: (usize, usize),
    /// Shared area, m².
    pub area_m2: f64,
}

impl Zones {
    /// Every zone whose interior holds `p`, in file order.
    pub fn zones_of(&self, p: Coord) -> Vec<usize> {
        self.lookup
            .all_containing(p)
            .into_iter()
            .map(|z| z as usize)
            .collect()
    }

    /// Pairs of zones that share area: more than 1 m² and more than 0.1% of the smaller one
    /// (slivers from digitising along a shared border are not overlaps).
    pub fn overlaps(&self) -> Vec<Overlap> {
        use geo::{Area, BooleanOps, BoundingRect, Intersects};
        let boxes: Vec<_> = self.shapes.iter().map(|s| s.bounding_rect()).collect();
        let mut out = Vec::new();
        for a in 0..self.shapes.len() {
            for b in a + 1..self.shapes.len() {
                let (Some(ra), Some(rb)) = (boxes[a], boxes[b]) else {
                    continue;
                };
                if !ra.intersects(&rb) {
                    continue;
                }
                let shared = self.shapes[a].intersection(&self.shapes[b]).unsigned_area();
                let smaller = self.shapes[a]
                    .unsigned_area()
                    .min(self.shapes[b].unsigned_area());
                if shared > 1.0 && shared > 1e-3 * smaller {
                    out.push(Overlap {
                        zones: (a, b),
                        area_m2: shared,
                    });
                }
            }
        }
        out
    }
}

/// Zone rows worst first (by the share of points meeting every tier), then the points in no
/// zone (the last entry of `per_zone`), when there are any; and apart, the zones with no
/// point (not ranked: a 0% there means nothing).
pub(crate) fn zone_table(names: &[String], per_zone: Vec<Shares>) -> (Vec<ZoneRow>, Vec<String>) {
    let n_zones = names.len();
    let mut zone_rows: Vec<ZoneRow> = Vec::new();
    let mut empty = Vec::new();
    let mut outside = None;
    for (k, shares) in per_zone.into_iter().enumerate() {
        match names.get(k) {
            Some(name) if shares.points.total == 0 => empty.push(name.clone()),
            Some(name) => zone_rows.push(ZoneRow {
                name: name.clone(),
                shares,
            }),
            None if k == n_zones && shares.points.total > 0 => {
                outside = Some(ZoneRow {
                    name: OUTSIDE_ZONES.into(),
                    shares,
                })
            }
            None => {}
        }
    }
    zone_rows.sort_by(|a, b| {
        a.shares
            .point_share(None)
            .total_cmp(&b.shares.point_share(None))
            .then(a.name.cmp(&b.name))
    });
    zone_rows.extend(outside);
    (zone_rows, empty)
}
