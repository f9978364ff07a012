//! Green spaces: read features classified under a standard and projected onto the plane.

use std::collections::BTreeMap;

use geo::{Area, BoundingRect, Geometry, Validation};
use rayon::prelude::*;

use crate::crs::{CrsError, LocalPlane};
use crate::engine::index::TierIndex;
use crate::engine::lookup::areal;
use crate::engine::reach::RadiusGroup;
use crate::engine::validity::has_self_intersection;
use crate::io::input::{Layer, RawFeature};
use crate::standard::{Classification, Kind, Standard};

/// A green feature that serves at least one tier.
#[derive(Debug, Clone)]
pub struct GreenFeature {
    /// How output names it: `name`, else `id`, else `osm_id`, else its index in the file.
    pub label: String,
    /// Index into [`Standard::categories`].
    pub category: usize,
    /// Area on the plane, m² (0 for lines and points).
    pub area_m2: f64,
    /// The rule that admitted it, e.g. `leisure=park, 1.30 ha ≥ 1 ha`.
    pub reason: String,
    /// Geometry in plane metres.
    pub geometry: Geometry<f64>,
}

/// A feature whose tags looked like green space but that does not count, and why (excluded,
/// too small, or an exception of the rule).
#[derive(Debug, Clone)]
pub struct NotCounted {
    /// How output names it.
    pub label: String,
    /// Area on the plane, m² (0 for lines and points).
    pub area_m2: f64,
    /// Why it does not count, e.g. `access=private: not open to the public`.
    pub reason: String,
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
    /// Features that looked like green space but do not count (excluded, too small, an
    /// exception), in file order: what the standard kept out, and why.
    pub not_counted: Vec<NotCounted>,
    /// Used polygons that are not valid (self-intersections, holes outside their shell, ...),
    /// as `file: feature N: problem`. They are evaluated as given.
    pub invalid: Vec<String>,
}

impl GreenSpaces {
    /// Classify and project the features of `layers`.
    pub fn classify(
        layers: &[Layer],
        standard: &Standard,
        plane: &LocalPlane,
    ) -> Result<Self, CrsError> {
        Self::classify_with(layers, standard, plane, |_| ()).map(|(g, ())| g)
    }

    /// [`Self::classify`], and `alongside` run on the classified spaces while their polygons
    /// are screened for validity (the two share the threads; e.g. the tier indexes are
    /// built during the screen).
    pub fn classify_with<T: Send>(
        layers: &[Layer],
        standard: &Standard,
        plane: &LocalPlane,
        alongside: impl FnOnce(&GreenSpaces) -> T + Send,
    ) -> Result<(Self, T), CrsError> {
        let mut out = GreenSpaces::default();
        let mut to_validate = Vec::new();
        let several = layers.len() > 1;
        for layer in layers {
            out.read += layer.read_count();
            out.skipped += layer.skipped.len();
            let stem = layer
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Projected, measured and screened for flatness in parallel, in pieces small
            // enough to share a few thousand polygons between the threads.
            let projected = layer
                .features
                .par_iter()
                .with_max_len(64)
                .map(|f| {
                    let geometry = plane.project(&f.geometry)?;
                    let (kind, area) = match &geometry {
                        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {
                            (Kind::Area, geometry.unsigned_area())
                        }
                        Geometry::LineString(_) | Geometry::MultiLineString(_) => (Kind::Line, 0.0),
                        _ => (Kind::Point, 0.0),
                    };
                    let flat = kind == Kind::Area && is_flat(&f.geometry);
                    Ok((geometry, kind, area, flat))
                })
                .collect::<Result<Vec<_>, CrsError>>()?;
            for (f, (geometry, kind, area, flat)) in layer.features.iter().zip(projected) {
                let verdict = standard.explain(&f.properties, kind, area);
                match verdict.class {
                    Classification::Category(category) => {
                        if kind == Kind::Area {
                            to_validate.push((out.features.len(), &layer.path, f.index, flat));
                        }
                        out.features.push(GreenFeature {
                            label: label(f, several.then_some(stem.as_str())),
                            category,
                            area_m2: area,
                            reason: verdict.reason,
                            geometry,
                        })
                    }
                    Classification::UnknownCategory(c) => {
                        *out.unknown_categories.entry(c.clone()).or_default() += 1;
                        *out.ignored
                            .entry(format!("unknown category \"{c}\""))
                            .or_default() += 1;
                    }
                    other => {
                        if !matches!(other, Classification::NotGreenSpace) {
                            out.not_counted.push(NotCounted {
                                label: label(f, several.then_some(stem.as_str())),
                                area_m2: area,
                                reason: verdict.reason,
                            });
                        }
                        *out.ignored.entry(other.to_string()).or_default() += 1
                    }
                }
            }
        }
        let screen = || -> Vec<String> {
            to_validate
                .par_iter()
                .with_max_len(64)
                .filter_map(|&(k, path, index, flat)| {
                    let geometry = &out.features[k].geometry;
                    let crosses = match geometry {
                        Geometry::Polygon(p) => has_self_intersection(std::slice::from_ref(p)),
                        Geometry::MultiPolygon(mp) => has_self_intersection(&mp.0),
                        g => areal(g).is_some_and(|mp| has_self_intersection(&mp.0)),
                    };
                    if !(crosses || flat) {
                        return None;
                    }
                    // The cheap screen found a problem: geo's validation names it.
                    let reasons = validation_reasons(geometry);
                    let problem = if !reasons.is_empty() {
                        reasons.join("; ")
                    } else if crosses {
                        "its edges cross or touch (self-intersection)".to_string()
                    } else {
                        "it has zero area".to_string()
                    };
                    Some(format!("{}: feature {index}: {problem}", path.display()))
                })
                .collect()
        };
        let (invalid, beside) = rayon::join(screen, || alongside(&out));
        out.invalid = invalid;
        Ok((out, beside))
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

    /// Per tier of `standard`, one index per distinct radius over the features that serve it
    /// (one group unless the tier has size classes).
    pub fn tier_groups(&self, standard: &Standard) -> Vec<Vec<RadiusGroup>> {
        // Each polygon is indexed for containment once, and each boundary segment laid out
        // once, whatever the tiers they serve.
        let all = || {
            self.features
                .iter()
                .enumerate()
                .map(|(i, f)| (i as u32, &f.geometry))
        };
        let (areas, segments) = rayon::join(
            || TierIndex::shared_areas(all()),
            || TierIndex::shared_segments(all()),
        );
        standard
            .tiers
            .par_iter()
            .map(|tier| {
                let mut radii: Vec<f64> = self
                    .features
                    .iter()
                    .filter(|f| tier.accepts.contains(&f.category))
                    .map(|f| tier.radius_for(f.area_m2))
                    .collect();
                radii.sort_by(f64::total_cmp);
                radii.dedup();
                if radii.is_empty() {
                    radii.push(tier.radius_m);
                }
                radii
                    .into_iter()
                    .map(|radius_m| RadiusGroup {
                        radius_m,
                        index: TierIndex::build_sharing(
                            self.features
                                .iter()
                                .map(|f| {
                                    tier.accepts.contains(&f.category)
                                        && tier.radius_for(f.area_m2) == radius_m
                                })
                                .collect(),
                            &areas,
                            &segments,
                        ),
                    })
                    .collect()
            })
            .collect()
    }
}

/// True when a polygon's area is nil relative to its size (all vertices on one line), in the
/// file's own coordinates.
/// What geo's `Validation` finds wrong with a polygon or multipolygon (O(n²) in the ring
/// length: called only for polygons the R-tree screen flagged).
fn validation_reasons(g: &Geometry<f64>) -> Vec<String> {
    match g {
        Geometry::Polygon(p) => p
            .validation_errors()
            .iter()
            .map(|e| e.to_string())
            .collect(),
        Geometry::MultiPolygon(mp) => mp
            .validation_errors()
            .iter()
            .map(|e| e.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn is_flat(g: &Geometry<f64>) -> bool {
    let Some(r) = g.bounding_rect() else {
        return true;
    };
    let diag2 = r.width() * r.width() + r.height() * r.height();
    g.unsigned_area() <= 1e-10 * diag2
}

/// How a feature is named in output: `name`, else `id`, else `osm_id`, else its index in the
/// file (`file:index` when `file` is given).
pub fn label(f: &RawFeature, file: Option<&str>) -> String {
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
