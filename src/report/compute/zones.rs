//! Zones (districts, municipalities, 街道): named polygons that demand points fall in.

use geo::indexed::IntervalTreeMultiPolygon;
use geo::{BoundingRect, Contains, Coord, Geometry, MultiPolygon};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};
use serde_json::Value;

use crate::crs::LocalPlane;
use crate::engine::index::containment_index;
use crate::error::Error;
use crate::io::input::Layer;
use crate::run::green::project;
use crate::standard::TagMatch;

/// Named zone polygons on the plane, in file order.
pub struct Zones {
    /// Zone names.
    pub names: Vec<String>,
    /// Zone polygons, plane metres.
    pub shapes: Vec<MultiPolygon<f64>>,
    boxes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    pips: Vec<IntervalTreeMultiPolygon<f64>>,
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
            let mp = match project(&f.geometry, plane)? {
                Geometry::Polygon(p) => MultiPolygon(vec![p]),
                Geometry::MultiPolygon(mp) => mp,
                _ => {
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
        let boxes = RTree::bulk_load(
            shapes
                .iter()
                .enumerate()
                .filter_map(|(i, mp)| {
                    let r = mp.bounding_rect()?;
                    Some(GeomWithData::new(
                        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                        i,
                    ))
                })
                .collect(),
        );
        let pips = shapes.iter().map(containment_index).collect();
        Ok(Self {
            names,
            shapes,
            boxes,
            pips,
            skipped,
        })
    }

    /// The first zone (in file order) whose interior holds `p`.
    pub fn zone_of(&self, p: Coord) -> Option<usize> {
        self.boxes
            .locate_all_at_point(&[p.x, p.y])
            .filter(|b| self.pips[b.data].contains(&p))
            .map(|b| b.data)
            .min()
    }
}
