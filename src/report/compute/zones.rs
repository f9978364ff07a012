//! Zones (districts, municipalities, 街道): named polygons that demand points fall in.

use geo::{Coord, MultiPolygon};
use serde_json::Value;

use crate::crs::LocalPlane;
use crate::engine::lookup::{PolygonLookup, areal};
use crate::error::Error;
use crate::io::input::Layer;
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
