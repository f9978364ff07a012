//! OSM tags as a compact sorted list, and the rules that decide whether a closed way is an area.

use serde_json::{Map, Value};

/// The tags of one OSM element, sorted by key (keys are unique).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(Box<str>, Box<str>)>);

impl Tags {
    /// Tags from `(key, value)` pairs; a repeated key keeps its first value.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut v: Vec<(Box<str>, Box<str>)> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v.dedup_by(|b, a| a.0 == b.0);
        Self(v)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| &*self.0[i].1)
    }

    /// Whether `key` is present.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether `key` has one of `values`.
    pub fn is(&self, key: &str, values: &[&str]) -> bool {
        self.get(key).is_some_and(|v| values.contains(&v))
    }

    /// `(key, value)` pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No tags at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The tags without `key` (e.g. a relation's `type`).
    pub fn without(&self, key: &str) -> Self {
        Self(
            self.0
                .iter()
                .filter(|(k, _)| &**k != key)
                .cloned()
                .collect(),
        )
    }

    /// The tags as GeoJSON-style properties (every value a string).
    pub fn to_properties(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect()
    }
}

/// Keys that make a closed way an area (unless `area=no`).
pub(crate) const AREA_KEYS: [&str; 22] = [
    "building",
    "building:part",
    "landuse",
    "leisure",
    "natural",
    "amenity",
    "tourism",
    "historic",
    "military",
    "place",
    "shop",
    "office",
    "craft",
    "aeroway",
    "power",
    "water",
    "wetland",
    "golf",
    "area:highway",
    "public_transport",
    "indoor",
    "boundary",
];

/// `natural=*` values that are lines even when the way is closed.
const NATURAL_LINES: [&str; 6] = [
    "coastline",
    "cliff",
    "ridge",
    "arete",
    "tree_row",
    "earth_bank",
];

/// Whether a closed way with these tags is an area: `area=yes`, or (unless `area=no`) a key of
/// [`AREA_KEYS`] other than a linear `natural=*` (coastline, cliff, ridge, arete, tree_row,
/// earth_bank), `leisure=track` or `leisure=slipway`, or `waterway=riverbank|dock|boatyard`,
/// `man_made` other than linear structures (`embankment`, `pipeline`, `breakwater`, `groyne`,
/// `dyke`), or `highway=pedestrian|platform` with `area=yes` only. The closedness itself is the
/// caller's test.
pub(crate) fn closed_way_is_area(tags: &Tags) -> bool {
    match tags.get("area") {
        Some("yes") => return true,
        Some("no") => return false,
        _ => {}
    }
    for (k, v) in tags.iter() {
        let area = match k {
            "natural" => !NATURAL_LINES.contains(&v),
            "leisure" => !matches!(v, "track" | "slipway"),
            "waterway" => matches!(v, "riverbank" | "dock" | "boatyard"),
            "man_made" => !matches!(
                v,
                "embankment" | "pipeline" | "breakwater" | "groyne" | "dyke" | "cutline"
            ),
            _ => AREA_KEYS.contains(&k),
        };
        if area {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(pairs: &[(&str, &str)]) -> Tags {
        Tags::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn lookup_and_properties() {
        let tags = t(&[("name", "A"), ("leisure", "park"), ("name", "B")]);
        assert_eq!(tags.len(), 2);
        assert_eq!(tags.get("name"), Some("A"));
        assert!(tags.is("leisure", &["garden", "park"]));
        assert!(!tags.has("landuse"));
        assert_eq!(tags.to_properties()["leisure"], "park");
        assert_eq!(tags.without("name").len(), 1);
    }

    #[test]
    fn area_rules() {
        assert!(closed_way_is_area(&t(&[("leisure", "park")])));
        assert!(closed_way_is_area(&t(&[("building", "yes")])));
        assert!(closed_way_is_area(&t(&[
            ("highway", "pedestrian"),
            ("area", "yes")
        ])));
        assert!(!closed_way_is_area(&t(&[("highway", "pedestrian")])));
        assert!(!closed_way_is_area(&t(&[
            ("landuse", "grass"),
            ("area", "no")
        ])));
        assert!(!closed_way_is_area(&t(&[("natural", "tree_row")])));
        assert!(!closed_way_is_area(&t(&[("barrier", "hedge")])));
        assert!(closed_way_is_area(&t(&[("boundary", "administrative")])));
        assert!(closed_way_is_area(&t(&[("waterway", "riverbank")])));
        assert!(!closed_way_is_area(&t(&[("waterway", "stream")])));
        assert!(!closed_way_is_area(&t(&[])));
    }
}
