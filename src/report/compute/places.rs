//! Places: where a gap or a residential area is, in words a planner can find on a map: the
//! lon/lat of its centre, the zone it lies in and a name from the data (the street most of its
//! homes are addressed on, or the area's own name).

use std::collections::BTreeMap;

use geo::Coord;
use serde::Serialize;
use serde_json::Value;

use crate::crs::LocalPlane;
use crate::io::input::Layer;
use crate::run::demand::DemandPoints;

/// Where something is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Longitude of the centre, WGS84.
    pub lon: f64,
    /// Latitude of the centre, WGS84.
    pub lat: f64,
    /// The zone the centre lies in.
    pub zone: Option<String>,
    /// A name from the data: the most common `addr:street` of its homes, else a `name`.
    pub name: Option<String>,
}

impl Place {
    /// `Landstrasse, Schaan (47.1651, 9.5096)`: the name, the zone and the position.
    pub fn describe(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(n) = &self.name {
            parts.push(n);
        }
        if let Some(z) = self
            .zone
            .as_ref()
            .filter(|z| self.name.as_deref() != Some(z.as_str()))
        {
            parts.push(z);
        }
        let at = format!("{:.5}, {:.5}", self.lat, self.lon);
        if parts.is_empty() {
            at
        } else {
            format!("{} ({at})", parts.join(", "))
        }
    }
}

/// The street each demand point's feature is addressed on (`addr:street`), when the points
/// come from a layer; empty for grids.
pub(crate) fn streets(layer: Option<&Layer>, demand: &DemandPoints) -> Vec<Option<String>> {
    let Some(layer) = layer else {
        return Vec::new();
    };
    demand
        .source
        .iter()
        .map(
            |&k| match layer.features[k as usize].properties.get("addr:street") {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            },
        )
        .collect()
}

/// The most common name among `names` (ties: the alphabetically first), if any is given.
pub(crate) fn most_common<'a>(names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in names {
        *counts.entry(n).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|&(_, c)| c == best)
        .map(|(n, _)| n.to_string())
}

/// The place of a group of demand points: their centroid, the zone `zone_at` gives for it and
/// the most common street of the points (from [`streets`]).
pub(crate) fn of_points(
    members: &[u32],
    xy: &[Coord],
    streets: &[Option<String>],
    plane: &LocalPlane,
    zone_at: &dyn Fn(Coord) -> Option<String>,
) -> Option<Place> {
    if members.is_empty() {
        return None;
    }
    let n = members.len() as f64;
    let (sx, sy) = members.iter().fold((0.0, 0.0), |(x, y), &i| {
        (x + xy[i as usize].x, y + xy[i as usize].y)
    });
    let centre = Coord {
        x: sx / n,
        y: sy / n,
    };
    let ll = plane.inverse(centre).ok()?;
    let name = if streets.is_empty() {
        None
    } else {
        most_common(
            members
                .iter()
                .filter_map(|&i| streets[i as usize].as_deref()),
        )
    };
    Some(Place {
        lon: ll.x,
        lat: ll.y,
        zone: zone_at(centre),
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_common_breaks_ties_alphabetically() {
        assert_eq!(
            most_common(["b", "a", "b", "a", "c"].into_iter()).as_deref(),
            Some("a")
        );
        assert_eq!(
            most_common(["x", "y", "y"].into_iter()).as_deref(),
            Some("y")
        );
        assert_eq!(most_common(std::iter::empty()), None);
    }

    #[test]
    fn place_of_points_is_their_centroid_with_the_main_street() {
        let plane = LocalPlane::at(9.52, 47.14).unwrap();
        let xy = vec![
            Coord { x: -10.0, y: 0.0 },
            Coord { x: 10.0, y: 0.0 },
            Coord { x: 0.0, y: 30.0 },
        ];
        let streets = vec![Some("Landstrasse".into()), None, Some("Landstrasse".into())];
        let p = of_points(&[0, 1, 2], &xy, &streets, &plane, &|_| Some("Vaduz".into())).unwrap();
        assert_eq!(p.name.as_deref(), Some("Landstrasse"));
        assert_eq!(p.zone.as_deref(), Some("Vaduz"));
        assert!((p.lon - 9.52).abs() < 1e-6 && (p.lat - 47.14009).abs() < 1e-4);
        assert!(p.describe().starts_with("Landstrasse, Vaduz (47.140"));
    }
}
