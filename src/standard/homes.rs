//! Which residential features are homes. OSM buildings are mostly `building=yes`, so a rule is
//! needed: the `osm` rule keeps dwelling types, and a plain `building=yes` unless it has a
//! non-residential use, a name (named `yes` buildings are firms, schools, halls), or a footprint
//! under 30 m² (sheds, garages) or over 2000 m² (factories, warehouses).

use serde_json::{Map, Value};

/// `building=*` values that are dwellings.
pub const HOME_BUILDINGS: [&str; 13] = [
    "house",
    "residential",
    "apartments",
    "detached",
    "semidetached_house",
    "terrace",
    "bungalow",
    "dormitory",
    "farm",
    "static_caravan",
    "houseboat",
    "cabin",
    "yes",
];

/// Keys whose presence marks a non-residential use of a `building=yes`.
pub const NON_RESIDENTIAL_KEYS: [&str; 9] = [
    "amenity",
    "shop",
    "office",
    "tourism",
    "craft",
    "industrial",
    "man_made",
    "religion",
    "leisure",
];

/// Smallest footprint of a `building=yes` counted as a home, m².
pub const MIN_YES_FOOTPRINT_M2: f64 = 30.0;
/// Largest footprint of a `building=yes` counted as a home, m².
pub const MAX_YES_FOOTPRINT_M2: f64 = 2000.0;

/// Which residential features are demand points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HomeFilter {
    /// Every feature.
    #[default]
    All,
    /// OSM buildings that are homes (see the module docs).
    OsmHomes,
}

impl HomeFilter {
    /// `None` when the feature is a home, else the reason it is not.
    pub fn reject(&self, props: &Map<String, Value>, footprint_m2: f64) -> Option<&'static str> {
        if *self == HomeFilter::All {
            return None;
        }
        let Some(b) = props.get("building").and_then(Value::as_str) else {
            return Some("not a home: no building tag");
        };
        if !HOME_BUILDINGS.contains(&b) {
            return Some("not a home: non-dwelling building type");
        }
        if b == "yes" {
            // A null value (as GDAL writes a missing field) is an absent tag.
            let has = |k: &str| props.get(k).is_some_and(|v| !v.is_null());
            if NON_RESIDENTIAL_KEYS.iter().any(|k| has(k)) {
                return Some("not a home: building=yes with a non-residential use");
            }
            if has("name") {
                return Some("not a home: named building=yes");
            }
            if footprint_m2 < MIN_YES_FOOTPRINT_M2 {
                return Some("not a home: building=yes under 30 m²");
            }
            if footprint_m2 > MAX_YES_FOOTPRINT_M2 {
                return Some("not a home: building=yes over 2000 m²");
            }
        }
        None
    }

    /// One sentence stating the rule, for reports.
    pub fn describe(&self) -> String {
        match self {
            HomeFilter::All => "every feature of the residential layer is a home".into(),
            HomeFilter::OsmHomes => format!(
                "homes are buildings tagged building={}; a building=yes counts unless it has a name or a {} tag, or a footprint under {MIN_YES_FOOTPRINT_M2} m² or over {MAX_YES_FOOTPRINT_M2} m²",
                HOME_BUILDINGS.join("/"),
                NON_RESIDENTIAL_KEYS.join("/")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn osm_homes_rule() {
        let f = HomeFilter::OsmHomes;
        assert_eq!(f.reject(&p(json!({"building": "house"})), 10.0), None);
        assert_eq!(f.reject(&p(json!({"building": "yes"})), 120.0), None);
        assert!(f.reject(&p(json!({"building": "yes"})), 12.0).is_some());
        assert!(
            f.reject(&p(json!({"building": "yes", "shop": "bakery"})), 200.0)
                .is_some()
        );
        assert!(f.reject(&p(json!({"building": "garage"})), 40.0).is_some());
        assert!(
            f.reject(&p(json!({"building": "yes", "name": "Hilcona AG"})), 900.0)
                .is_some()
        );
        assert!(f.reject(&p(json!({"building": "yes"})), 9000.0).is_some());
        // Null fields (GDAL writes every column of a table) are absent tags.
        assert_eq!(
            f.reject(
                &p(json!({"building": "yes", "name": null, "shop": null})),
                120.0
            ),
            None
        );
        assert_eq!(
            f.reject(&p(json!({"building": "apartments"})), 9000.0),
            None
        );
        assert_eq!(
            HomeFilter::All.reject(&p(json!({"building": "garage"})), 1.0),
            None
        );
    }
}
