//! Green spaces: read features classified under a standard and projected onto the plane.

use std::collections::BTreeMap;

use geo::{Area, Geometry, MapCoords};

use crate::crs::{CrsError, LocalPlane};
use crate::index::TierIndex;
use crate::input::{Layer, RawFeature};
use crate::standard::{Classification, Kind, Standard};

/// A green feature that serves at least one tier.
#[derive(Debug, Clone)]
pub struct GreenFeature {
    /// How output names it: `name`, else `id`, else `osm_id`, else its index in the file.
    pub label: String,
    /// Index into [`Standard::categories`].
    pub category: usize,
    /// Geometry in plane metres.
    pub geometry: Geometry<f64>,
}

/// The classified green layer(s).
#[derive(Debug, Clone, Default)]
pub struct GreenSpaces {
    /// Features that serve at least one tier; their position is their feature number.
    pub features: Vec<GreenFeature>,
    /// Features read from the files, including skipped ones.
    pub read: usize,
    /// Features skipped on reading (null or empty geometry).
    pub skipped: usize,
    /// Features read but serving no tier, by reason.
    pub ignored: BTreeMap<String, usize>,
    /// `category` values that name no category of the standard, with counts.
    pub unknown_categories: BTreeMap<String, usize>,
}

impl GreenSpaces {
    /// Classify and project the features of `layers`.
    pub fn classify(
        layers: &[Layer],
        standard: &Standard,
        plane: &LocalPlane,
    ) -> Result<Self, CrsError> {
        let mut out = GreenSpaces::default();
        let several = layers.len() > 1;
        for layer in layers {
            out.read += layer.read_count();
            out.skipped += layer.skipped.len();
            let stem = layer
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            for f in &layer.features {
                let geometry = project(&f.geometry, plane)?;
                let (kind, area) = match &geometry {
                    Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {
                        (Kind::Area, geometry.unsigned_area())
                    }
                    Geometry::LineString(_) | Geometry::MultiLineString(_) => (Kind::Line, 0.0),
                    _ => (Kind::Point, 0.0),
                };
                match standard.classify(&f.properties, kind, area) {
                    Classification::Category(category) => out.features.push(GreenFeature {
                        label: label(f, several.then_some(stem.as_str())),
                        category,
                        geometry,
                    }),
                    Classification::UnknownCategory(c) => {
                        *out.unknown_categories.entry(c.clone()).or_default() += 1;
                        *out.ignored
                            .entry(format!("unknown category \"{c}\""))
                            .or_default() += 1;
                    }
                    other => *out.ignored.entry(other.to_string()).or_default() += 1,
                }
            }
        }
        Ok(out)
    }

    /// Number of features serving each tier.
    pub fn per_tier(&self, standard: &Standard) -> Vec<usize> {
        let mut counts = vec![0; standard.tiers.len()];
        for f in &self.features {
            for t in standard.tiers_served_by(f.category) {
                counts[t] += 1;
            }
        }
        counts
    }

    /// One index per tier of `standard`, over the features that serve it.
    pub fn tier_indexes(&self, standard: &Standard) -> Vec<TierIndex> {
        (0..standard.tiers.len())
            .map(|t| {
                let accepts = &standard.tiers[t].accepts;
                TierIndex::build(
                    self.features
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| accepts.contains(&f.category))
                        .map(|(i, f)| (i as u32, &f.geometry)),
                )
            })
            .collect()
    }
}

/// Project a lon/lat geometry onto the plane.
pub fn project(g: &Geometry<f64>, plane: &LocalPlane) -> Result<Geometry<f64>, CrsError> {
    g.try_map_coords(|c| plane.forward(c.x, c.y))
}

fn label(f: &RawFeature, file: Option<&str>) -> String {
    let text = |key: &str| match f.properties.get(key) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    text("name")
        .or_else(|| f.id.clone())
        .or_else(|| text("osm_id"))
        .unwrap_or_else(|| match file {
            Some(stem) => format!("{stem}:{}", f.index),
            None => f.index.to_string(),
        })
}
