//! Gaps of a sharded study, found in the reduce step (`greenreach merge --gaps`): the merged
//! per-point file holds every home of every shard, so failing homes are linked into gaps
//! across shard edges exactly as in one run (same plane, same link distance, same linking).
//! Each gap is reported with the distances its homes have to the nearest qualifying space
//! (the per-point file knows distances, not the size class of each space, so no shortfall).

use std::path::Path;

use geo::{Area, ConvexHull, Coord, MultiPoint, Point};
use serde::Serialize;

use crate::crs::LocalPlane;
use crate::engine::groups::link_groups;
use crate::error::Error;
use crate::run::summary::Summary;

/// One gap of one tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergedGap {
    /// Tier name.
    pub tier: String,
    /// Rank within the tier (1: most homes).
    pub rank: usize,
    /// Homes in the gap.
    pub points: usize,
    /// Area of the convex hull of the homes, m² (0 for fewer than 3).
    pub hull_area_m2: f64,
    /// The space nearest to any home of the gap, if any is within the search limit.
    pub nearest: Option<String>,
    /// Smallest and largest distance of the gap's homes to a qualifying space, metres, over
    /// the homes that have one within the search limit.
    pub distance_min_m: Option<f64>,
    /// See `distance_min_m`.
    pub distance_max_m: Option<f64>,
    /// Homes with no qualifying space within the search limit.
    pub beyond_limit: usize,
    /// lon/lat of the gap's homes (their hull is drawn from them).
    #[serde(skip)]
    pub lonlat: Vec<Coord>,
}

fn bad(path: &Path, line: usize, what: &str) -> Error {
    Error::Config(format!("{}: row {line}: {what}", path.display()))
}

/// The gaps of every tier of `summary`'s standard in the per-point CSV `path` (a merged file:
/// `id,lon,lat`, per tier `_m`, `_ok`, `_nearest`, then `all_ok,status`), homes linked within
/// `link_m` on the study's plane (centred at `origin`); each tier's ranked by homes.
pub fn gaps_from_points(
    path: &Path,
    summary: &Summary,
    origin: (f64, f64),
    link_m: f64,
) -> Result<Vec<MergedGap>, Error> {
    let plane = LocalPlane::at(origin.0, origin.1)?;
    let mut rd = csv::Reader::from_path(path).map_err(|e| bad(path, 0, &e.to_string()))?;
    let header = rd
        .headers()
        .map_err(|e| bad(path, 0, &e.to_string()))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(path, 0, &format!("no column {name}")))
    };
    let tiers: Vec<(usize, usize, usize)> = summary
        .tiers
        .iter()
        .map(|t| {
            Ok((
                col(&format!("{}_m", t.name))?,
                col(&format!("{}_ok", t.name))?,
                col(&format!("{}_nearest", t.name))?,
            ))
        })
        .collect::<Result<_, Error>>()?;
    let (c_lon, c_lat, c_status) = (col("lon")?, col("lat")?, col("status")?);
    let mut lonlat = Vec::new();
    let mut xy = Vec::new();
    let mut failing: Vec<Vec<u32>> = vec![Vec::new(); tiers.len()];
    let mut dist: Vec<Vec<Option<(f64, String)>>> = vec![Vec::new(); tiers.len()];
    for (line, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| bad(path, line + 1, &e.to_string()))?;
        if &rec[c_status] != "ok" {
            continue;
        }
        let num = |k: usize| {
            rec[k]
                .parse::<f64>()
                .map_err(|_| bad(path, line + 1, &format!("{}: not a number", &header[k])))
        };
        let c = Coord {
            x: num(c_lon)?,
            y: num(c_lat)?,
        };
        let i = xy.len() as u32;
        xy.push(plane.forward(c.x, c.y)?);
        lonlat.push(c);
        for (t, &(m, ok, near)) in tiers.iter().enumerate() {
            if &rec[ok] == "false" {
                failing[t].push(i);
            }
            dist[t].push(if rec[m].is_empty() {
                None
            } else {
                Some((num(m)?, rec[near].to_string()))
            });
        }
    }
    let mut out = Vec::new();
    for (t, tier) in summary.tiers.iter().enumerate() {
        let mut gaps: Vec<MergedGap> = link_groups(&xy, &failing[t], link_m)
            .into_iter()
            .map(|members| gap(&tier.name, &members, &xy, &lonlat, &dist[t]))
            .collect();
        // Stable: ties keep the order of their first home.
        gaps.sort_by_key(|g| std::cmp::Reverse(g.points));
        for (k, g) in gaps.iter_mut().enumerate() {
            g.rank = k + 1;
        }
        out.extend(gaps);
    }
    Ok(out)
}

fn gap(
    tier: &str,
    members: &[u32],
    xy: &[Coord],
    lonlat: &[Coord],
    dist: &[Option<(f64, String)>],
) -> MergedGap {
    let mut best: Option<(f64, &str)> = None;
    let mut worst: Option<f64> = None;
    let mut beyond = 0;
    for &i in members {
        match &dist[i as usize] {
            None => beyond += 1,
            Some((d, label)) => {
                if best.is_none_or(|(b, _)| *d < b) {
                    best = Some((*d, label));
                }
                worst = Some(worst.map_or(*d, |w: f64| w.max(*d)));
            }
        }
    }
    let hull_area_m2 = if members.len() >= 3 {
        MultiPoint(members.iter().map(|&i| Point(xy[i as usize])).collect())
            .convex_hull()
            .unsigned_area()
    } else {
        0.0
    };
    MergedGap {
        tier: tier.to_string(),
        rank: 0,
        points: members.len(),
        hull_area_m2,
        nearest: best.map(|(_, l)| l.to_string()),
        distance_min_m: best.map(|(d, _)| d),
        distance_max_m: worst,
        beyond_limit: beyond,
        lonlat: members.iter().map(|&i| lonlat[i as usize]).collect(),
    }
}

/// The gaps as a GeoJSON FeatureCollection: each gap's homes' convex hull (a point or a line
/// for one or two homes) in lon/lat, its figures as properties.
pub fn gaps_geojson(gaps: &[MergedGap]) -> Result<String, Error> {
    let features: Vec<serde_json::Value> = gaps
        .iter()
        .map(|g| {
            let hull = MultiPoint(g.lonlat.iter().map(|&c| Point(c)).collect()).convex_hull();
            let geometry = match g.lonlat.len() {
                1 => geo::Geometry::Point(Point(g.lonlat[0])),
                2 => geo::Geometry::LineString(geo::LineString(g.lonlat.clone())),
                _ => geo::Geometry::Polygon(hull),
            };
            Ok(serde_json::json!({
                "type": "Feature",
                "properties": serde_json::to_value(g)?,
                "geometry": serde_json::to_value(geojson::Geometry::from(&geometry))?,
            }))
        })
        .collect::<Result<_, serde_json::Error>>()
        .map_err(|e| Error::Config(e.to_string()))?;
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    serde_json::to_string(&fc).map_err(|e| Error::Config(e.to_string()))
}
