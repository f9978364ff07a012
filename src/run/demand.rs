//! Demand points: where people live, as plane coordinates with ids, from a point file, from
//! residential polygons (one representative point each), or from a regular grid.

use std::collections::BTreeMap;

use geo::{Area, Centroid, Contains, Coord, Geometry, InteriorPoint, MultiPolygon};
use rayon::prelude::*;

use crate::crs::{CrsError, LocalPlane};
use crate::engine::grid::Cells;
use crate::engine::lookup::areal;
use crate::io::input::Layer;
use crate::standard::homes::HomeFilter;

/// How points are named in output.
#[derive(Debug, Clone, PartialEq)]
pub enum PointIds {
    /// One id per point, from the file.
    Listed(Vec<String>),
    /// Row-major lattice cell numbers (`row * columns + column`, rows from south to north).
    Cells(Vec<u64>),
}

impl PointIds {
    /// The id of point `i`, as text.
    pub fn get(&self, i: usize) -> String {
        self.text(i).into_owned()
    }

    /// The id of point `i`, as text, borrowed when it is stored as text.
    pub fn text(&self, i: usize) -> std::borrow::Cow<'_, str> {
        match self {
            PointIds::Listed(v) => std::borrow::Cow::Borrowed(&v[i]),
            PointIds::Cells(v) => std::borrow::Cow::Owned(v[i].to_string()),
        }
    }
}

/// Demand points ready for evaluation.
#[derive(Debug, Clone)]
pub struct DemandPoints {
    /// Ids, one per point.
    pub ids: PointIds,
    /// Lon/lat of each point as given; `None` for grids (derived from `xy` on output).
    pub lonlat: Option<Vec<Coord>>,
    /// Plane metres, one per point.
    pub xy: Vec<Coord>,
    /// For points from a layer, the position in `Layer::features` of the feature each point
    /// comes from; empty for grids.
    pub source: Vec<u32>,
    /// For points from a layer, the feature's index in the file, per point; empty for grids.
    pub file_index: Vec<usize>,
    /// Features that gave no point, in file order: they still get an output row.
    pub skipped_rows: Vec<SkippedRow>,
    /// Points evaluated plus skipped rows: the rows of the per-point output.
    pub read: usize,
    /// Points whose id repeats an earlier point's id, and the first such id.
    pub duplicate_ids: (usize, Option<String>),
}

/// A feature of the demand layer that gave no point.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedRow {
    /// Its index in the file.
    pub file_index: usize,
    /// Its id (or index).
    pub id: String,
    /// Why.
    pub reason: String,
}

impl DemandPoints {
    /// Grid cells as demand points (ids are cell numbers; lon/lat computed on output).
    pub fn from_cells(cells: Cells) -> Self {
        DemandPoints {
            ids: PointIds::Cells(cells.ids),
            lonlat: None,
            read: cells.xy.len(),
            xy: cells.xy,
            source: Vec::new(),
            file_index: Vec::new(),
            skipped_rows: Vec::new(),
            duplicate_ids: (0, None),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.xy.len()
    }

    /// True when there are no points.
    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }

    /// Skipped features, counted by reason.
    pub fn skipped_counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in &self.skipped_rows {
            *m.entry(r.reason.clone()).or_default() += 1;
        }
        m
    }

    /// Lon/lat of point `i`.
    pub fn lonlat_of(&self, i: usize, plane: &LocalPlane) -> Result<Coord, CrsError> {
        match &self.lonlat {
            Some(v) => Ok(v[i]),
            None => plane.inverse(self.xy[i]),
        }
    }
}

/// Points from a layer: points as they are (each position of a MultiPoint), polygons by a
/// representative point (the centroid when it lies inside, else an interior point). Lines,
/// and features `homes` rejects, give no point and are counted as skipped.
pub fn from_layer(
    layer: &Layer,
    plane: &LocalPlane,
    homes: HomeFilter,
) -> Result<DemandPoints, CrsError> {
    let mut skipped_rows: Vec<SkippedRow> = layer
        .skipped
        .iter()
        .map(|s| SkippedRow {
            file_index: s.index,
            id: s.id.clone().unwrap_or_else(|| s.index.to_string()),
            reason: s.reason.to_string(),
        })
        .collect();
    // Each feature's points (or why it gives none), in parallel; then gathered in file order.
    let each: Vec<Result<FeaturePoints, CrsError>> = layer
        .features
        .par_iter()
        .map(|f| {
            let id = f.id_or_index();
            if homes != HomeFilter::All {
                let footprint = plane.project(&f.geometry)?.unsigned_area();
                if let Some(reason) = homes.reject(&f.properties, footprint) {
                    return Ok(FeaturePoints::Skip(id, reason));
                }
            }
            Ok(match &f.geometry {
                Geometry::MultiPoint(mp) if mp.0.len() > 1 => {
                    FeaturePoints::Many(id, mp.iter().map(|p| p.0).collect())
                }
                g => match representative(g) {
                    Some(c) => FeaturePoints::One(id, c),
                    None => FeaturePoints::Skip(id, "line geometry is not a demand point"),
                },
            })
        })
        .collect();
    let (ids, lonlat, source, file_index): (Vec<String>, Vec<Coord>, Vec<u32>, Vec<usize>);
    if each.iter().all(|r| matches!(r, Ok(FeaturePoints::One(..)))) {
        // One point a feature, as is usual: moved into place in parallel.
        (ids, lonlat) = each
            .into_par_iter()
            .map(|r| match r {
                Ok(FeaturePoints::One(id, c)) => (id, c),
                _ => unreachable!("every feature gave one point"),
            })
            .unzip();
        source = (0..ids.len() as u32).collect();
        file_index = layer.features.par_iter().map(|f| f.index).collect();
    } else {
        let n = layer.features.len();
        let (mut i, mut l, mut s, mut fi) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (k, (f, points)) in layer.features.iter().zip(each).enumerate() {
            match points? {
                FeaturePoints::One(id, c) => {
                    i.push(id);
                    l.push(c);
                    s.push(k as u32);
                    fi.push(f.index);
                }
                FeaturePoints::Many(id, cs) => {
                    for (j, c) in cs.into_iter().enumerate() {
                        i.push(format!("{id}#{j}"));
                        l.push(c);
                        s.push(k as u32);
                        fi.push(f.index);
                    }
                }
                FeaturePoints::Skip(id, reason) => skipped_rows.push(SkippedRow {
                    file_index: f.index,
                    id,
                    reason: reason.to_string(),
                }),
            }
        }
        (ids, lonlat, source, file_index) = (i, l, s, fi);
    }
    // The ids' duplicate check (a radix sort on one thread) beside the projection.
    let (duplicate_ids, xy) = rayon::join(|| duplicates(&ids), || project_all(plane, &lonlat));
    let xy = xy?;
    skipped_rows.sort_by_key(|r| r.file_index);
    Ok(DemandPoints {
        read: ids.len() + skipped_rows.len(),
        ids: PointIds::Listed(ids),
        lonlat: Some(lonlat),
        xy,
        source,
        file_index,
        skipped_rows,
        duplicate_ids,
    })
}

/// `points` (lon/lat) on the plane, in parallel and in place; the first failure, in input
/// order, when any point fails.
fn project_all(plane: &LocalPlane, points: &[Coord]) -> Result<Vec<Coord>, CrsError> {
    let failed = Coord {
        x: f64::NAN,
        y: f64::NAN,
    };
    let xy: Vec<Coord> = points
        .par_iter()
        .map(|c| plane.forward(c.x, c.y).unwrap_or(failed))
        .collect();
    if xy.iter().any(|c| c.x.is_nan()) {
        // Rare: find and word the first failure on one thread.
        return points.iter().map(|c| plane.forward(c.x, c.y)).collect();
    }
    Ok(xy)
}

/// What one feature of a demand layer gives, with its id (or index) as text.
enum FeaturePoints {
    One(String, Coord),
    /// The positions of a MultiPoint, each a point of its own.
    Many(String, Vec<Coord>),
    /// No point, and why.
    Skip(String, &'static str),
}

/// How many ids repeat one seen before, and the first id (in file order) that does. A 32-bit
/// hash of each id above its index in one word, radix-sorted in hash order (a million ids in
/// a hash set cost more); ids of equal hash are then compared as text.
fn duplicates(ids: &[String]) -> (usize, Option<String>) {
    use std::hash::BuildHasher;
    let packed: Vec<u64> = ids
        .par_iter()
        .enumerate()
        .map(|(i, id)| {
            let h = rustc_hash::FxBuildHasher.hash_one(id);
            (((h >> 32) ^ h) << 32) | i as u64
        })
        .collect();
    let order = crate::engine::radix::sort_by_key_bits(packed, 32);
    let (mut count, mut first) = (0, None::<u32>);
    // Runs of equal hashes, in file order within a run: an id is a repeat when an earlier
    // member of its run has the same text.
    for run in order
        .chunk_by(|a, b| a >> 32 == b >> 32)
        .filter(|r| r.len() > 1)
    {
        let mut members: Vec<(&str, u32)> = run
            .iter()
            .map(|&w| (ids[w as u32 as usize].as_str(), w as u32))
            .collect();
        members.sort_unstable();
        for pair in members.windows(2).filter(|p| p[0].0 == p[1].0) {
            count += 1;
            first = Some(first.map_or(pair[1].1, |f| f.min(pair[1].1)));
        }
    }
    (count, first.map(|i| ids[i as usize].clone()))
}

/// The point that stands for a feature: itself, or a point inside a polygon.
pub fn representative(g: &Geometry<f64>) -> Option<Coord> {
    let inside_or_interior = |mp: MultiPolygon<f64>| {
        let c = mp.centroid()?;
        if mp.contains(&c) {
            Some(c.0)
        } else {
            mp.interior_point().map(|p| p.0)
        }
    };
    match g {
        Geometry::Point(p) => Some(p.0),
        Geometry::MultiPoint(mp) => mp.0.first().map(|p| p.0),
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => inside_or_interior(areal(g)?),
        Geometry::Rect(r) => Some(r.center()),
        Geometry::Triangle(t) => Some(t.centroid().0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn duplicate_ids_counted_and_the_first_repeat_named() {
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(duplicates(&ids(&["a", "b", "c"])), (0, None));
        // "b" repeats at 3, "a" at 4 (and again at 5): "b" is the first id seen again.
        assert_eq!(
            duplicates(&ids(&["z", "a", "b", "b", "a", "a"])),
            (3, Some("b".to_string()))
        );
        assert_eq!(duplicates(&[]), (0, None));
    }

    proptest::proptest! {
        /// Against a set: the count of ids seen before, and the first (in file order) of them.
        #[test]
        fn duplicates_equal_a_set(ids in proptest::collection::vec("[a-d]{0,3}", 0..400)) {
            let mut seen = std::collections::HashSet::new();
            let repeats: Vec<&String> = ids.iter().filter(|id| !seen.insert(id.as_str())).collect();
            proptest::prop_assert_eq!(
                duplicates(&ids),
                (repeats.len(), repeats.first().map(|s| s.to_string()))
            );
        }
    }

    #[test]
    fn representative_point_of_a_concave_polygon_is_inside() {
        let u = Geometry::Polygon(polygon![
            (x: 0., y: 0.), (x: 30., y: 0.), (x: 30., y: 30.), (x: 20., y: 30.), (x: 20., y: 5.),
            (x: 10., y: 5.), (x: 10., y: 30.), (x: 0., y: 30.), (x: 0., y: 0.)
        ]);
        let c = representative(&u).unwrap();
        let Geometry::Polygon(p) = &u else {
            unreachable!()
        };
        assert!(p.contains(&c), "{c:?}");
    }
}
