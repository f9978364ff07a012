//! Weights of demand points: 1 each, a numeric property, or population spread from a
//! population layer (points or grid cells) over the demand points that fall in each cell.

use geo::Geometry;
use rstar::primitives::GeomWithData;
use rstar::{PointDistance, RTree};
use serde_json::Value;

use crate::crs::LocalPlane;
use crate::engine::lookup::{PolygonLookup, areal};
use crate::error::Error;
use crate::io::input::{InputError, Layer};
use crate::run::demand::DemandPoints;

/// Where weights come from.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightSource {
    /// Every point weighs 1 (share of homes).
    Points,
    /// A numeric property of the demand features.
    Property(String),
    /// A population layer with a numeric property `field`.
    Population {
        /// The layer (points or polygons).
        path: std::path::PathBuf,
        /// The property holding the population.
        field: String,
        /// `--population-crs`.
        crs: Option<crate::crs::SourceCrs>,
    },
}

/// One weight per demand point, and how they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Weight of each point.
    pub per_point: Vec<f64>,
    /// One sentence for the report.
    pub description: String,
    /// Population of cells that hold no demand point (not counted anywhere).
    pub unassigned: f64,
    /// Demand points that fall in no population cell (weight 0).
    pub points_outside: usize,
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Read a weight property; an absent or null value is 0, anything else must be a finite
/// number ≥ 0.
fn weight_of(layer: &Layer, k: usize, field: &str) -> Result<f64, Error> {
    let f = &layer.features[k];
    match f.properties.get(field) {
        None | Some(Value::Null) => Ok(0.0),
        Some(v) => match number(v) {
            Some(w) if w.is_finite() && w >= 0.0 => Ok(w),
            _ => Err(Error::Input(InputError::Feature {
                path: layer.path.clone(),
                index: f.index,
                id: f.id.clone(),
                problem: format!("\"{field}\" is {v}; a weight must be a number ≥ 0"),
            })),
        },
    }
}

/// Every point weighs 1.
pub(crate) fn unit(demand: &DemandPoints) -> Weights {
    Weights {
        per_point: vec![1.0; demand.len()],
        description: "every home (demand point) counts once".into(),
        unassigned: 0.0,
        points_outside: 0,
    }
}

/// Weights from property `field` of the demand layer; a feature that gave several points
/// (MultiPoint) splits its weight evenly.
pub(crate) fn from_property(
    layer: &Layer,
    demand: &DemandPoints,
    field: &str,
) -> Result<Weights, Error> {
    let mut per_feature = vec![0usize; layer.features.len()];
    for &s in &demand.source {
        per_feature[s as usize] += 1;
    }
    let per_point = demand
        .source
        .iter()
        .map(|&s| Ok(weight_of(layer, s as usize, field)? / per_feature[s as usize] as f64))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Weights {
        per_point,
        description: format!("demand points weighted by their \"{field}\" property"),
        unassigned: 0.0,
        points_outside: 0,
    })
}

/// Spread the population of each cell of `pop` evenly over the demand points in it. Polygon
/// cells hold the points inside them; point cells (cell centres) hold the points nearer to
/// them than to any other centre, within 1.5 × the typical spacing of the centres.
pub(crate) fn from_population(
    pop: &Layer,
    field: &str,
    demand: &DemandPoints,
    plane: &LocalPlane,
) -> Result<Weights, Error> {
    let mut cells: Vec<(f64, Geometry<f64>)> = Vec::with_capacity(pop.features.len());
    for (k, f) in pop.features.iter().enumerate() {
        cells.push((weight_of(pop, k, field)?, plane.project(&f.geometry)?));
    }
    let polygons = PolygonLookup::new(
        (0u32..)
            .zip(&cells)
            .filter_map(|(i, (_, g))| Some((i, areal(g)?)))
            .collect(),
    );
    let centres: Vec<GeomWithData<[f64; 2], usize>> = cells
        .iter()
        .enumerate()
        .filter_map(|(i, (_, g))| match g {
            Geometry::Point(p) => Some(GeomWithData::new([p.x(), p.y()], i)),
            _ => None,
        })
        .collect();
    let centre_tree = RTree::bulk_load(centres);
    let cap2 = {
        let mut nn: Vec<f64> = centre_tree
            .iter()
            .filter_map(|c| {
                centre_tree
                    .nearest_neighbor_iter(c.geom())
                    .nth(1)
                    .map(|o| o.distance_2(c.geom()))
            })
            .collect();
        nn.sort_by(f64::total_cmp);
        nn.get(nn.len() / 2).map_or(0.0, |m| 2.25 * m)
    };
    let cell_of: Vec<Option<usize>> = demand
        .xy
        .iter()
        .map(|p| {
            let q = [p.x, p.y];
            polygons.containing(*p).map(|c| c as usize).or_else(|| {
                let c = centre_tree.nearest_neighbor(&q)?;
                (c.distance_2(&q) <= cap2).then_some(c.data)
            })
        })
        .collect();
    let mut members = vec![0usize; cells.len()];
    for c in cell_of.iter().flatten() {
        members[*c] += 1;
    }
    let per_point = cell_of
        .iter()
        .map(|c| c.map_or(0.0, |c| cells[c].0 / members[c] as f64))
        .collect();
    let unassigned = cells
        .iter()
        .zip(&members)
        .filter(|(_, m)| **m == 0)
        .map(|((w, _), _)| w)
        .sum();
    Ok(Weights {
        per_point,
        description: format!(
            "residents from {} (\"{field}\"), each cell's population spread evenly over the demand points in it",
            pop.path.display()
        ),
        unassigned,
        points_outside: cell_of.iter().filter(|c| c.is_none()).count(),
    })
}
