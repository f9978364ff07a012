//! Standards: named tiers, each a radius and the categories of green space it accepts, and the
//! rules that give a green feature its category from an explicit `category` property or from
//! its OpenStreetMap tags.

use std::fmt;

use serde_json::{Map, Value};

/// A `key=value1|value2` tag test.
#[derive(Debug, Clone, PartialEq)]
pub struct TagMatch {
    /// OSM key, e.g. `leisure`.
    pub key: String,
    /// Accepted values; the test passes when the feature's value is one of them.
    pub values: Vec<String>,
}

impl TagMatch {
    /// `TagMatch::new("leisure", &["park", "garden"])`.
    pub fn new(key: &str, values: &[&str]) -> Self {
        Self {
            key: key.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// The matching `key=value` if the properties pass the test.
    pub fn find(&self, props: &Map<String, Value>) -> Option<String> {
        let v = props.get(&self.key)?.as_str()?;
        self.values
            .iter()
            .any(|x| x == v)
            .then(|| format!("{}={v}", self.key))
    }
}

/// Which geometry kinds a rule accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Polygon or MultiPolygon.
    Area,
    /// LineString or MultiLineString (tree rows).
    Line,
    /// Point or MultiPoint (features mapped as nodes).
    Point,
}

/// One way a feature can belong to a category.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The feature must pass at least one of these tag tests.
    pub any_tag: Vec<TagMatch>,
    /// Geometry kinds the rule accepts.
    pub kinds: Vec<Kind>,
    /// Minimum area in m² for areas. A rule with a minimum never matches a line or a point,
    /// whose area is unknown.
    pub min_area_m2: f64,
}

/// A category of green space (e.g. `park`), defined by rules tried in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Name, also the value of an explicit `category` property.
    pub name: String,
    /// Ways to qualify.
    pub rules: Vec<Rule>,
}

/// A tier of a standard: a radius and the categories that serve it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Name used in output columns, e.g. `street_green`.
    pub name: String,
    /// The name in the plan's own words, e.g. `街头绿地`.
    pub label: String,
    /// Service radius in metres (ground distance).
    pub radius_m: f64,
    /// Indices into [`Standard::categories`] of the categories that serve this tier.
    pub accepts: Vec<usize>,
}

/// A green standard: tiers, categories and exclusions.
#[derive(Debug, Clone, PartialEq)]
pub struct Standard {
    /// Short name, e.g. `jiangbei`.
    pub name: String,
    /// One line on where it comes from.
    pub source: String,
    /// Tiers in the standard's order (the order of output columns).
    pub tiers: Vec<Tier>,
    /// Categories, in priority order: a feature takes the first one whose rules it meets.
    pub categories: Vec<Category>,
    /// A feature passing any of these tests never serves the public (private, fee-only, ...).
    pub exclude: Vec<TagMatch>,
}

/// What a green feature is under a standard.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Classification {
    /// Belongs to this category (index into [`Standard::categories`]).
    Category(usize),
    /// An exclusion matched (the `key=value` that did).
    Excluded(String),
    /// Has a `category` property that names no category of the standard.
    UnknownCategory(String),
    /// Its tags fit a category but it is smaller than that category's minimum area.
    BelowMinimumArea,
    /// Nothing in the standard matches it.
    NotGreenSpace,
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Classification::Category(i) => write!(f, "category #{i}"),
            Classification::Excluded(tag) => write!(f, "excluded ({tag})"),
            Classification::UnknownCategory(c) => write!(f, "unknown category \"{c}\""),
            Classification::BelowMinimumArea => f.write_str("below the minimum area"),
            Classification::NotGreenSpace => f.write_str("not green space under the standard"),
        }
    }
}

impl Standard {
    /// The Jiangbei district plan: street greenery 300 m, leisure space 1000 m, park 2000 m.
    pub fn jiangbei() -> Self {
        let parks = TagMatch::new("leisure", &["park", "garden", "nature_reserve"]);
        let leisure_tags = vec![
            TagMatch::new(
                "leisure",
                &[
                    "playground",
                    "pitch",
                    "recreation_ground",
                    "fitness_station",
                    "dog_park",
                    "common",
                ],
            ),
            TagMatch::new("landuse", &["recreation_ground", "village_green"]),
            TagMatch::new("place", &["square"]),
        ];
        let street_tags = vec![
            parks.clone(),
            TagMatch::new("landuse", &["grass", "meadow", "forest", "flowerbed"]),
            TagMatch::new("natural", &["wood", "scrub", "grassland", "heath"]),
        ];
        let areas = vec![Kind::Area];
        let categories = vec![
            Category {
                name: "park".into(),
                rules: vec![Rule {
                    any_tag: vec![parks.clone()],
                    kinds: areas.clone(),
                    min_area_m2: 10_000.0,
                }],
            },
            Category {
                name: "leisure".into(),
                rules: vec![
                    Rule {
                        any_tag: vec![parks],
                        kinds: areas.clone(),
                        min_area_m2: 400.0,
                    },
                    Rule {
                        any_tag: leisure_tags,
                        kinds: vec![Kind::Area, Kind::Point],
                        min_area_m2: 0.0,
                    },
                ],
            },
            Category {
                name: "street_green".into(),
                rules: vec![
                    Rule {
                        any_tag: street_tags,
                        kinds: areas,
                        min_area_m2: 400.0,
                    },
                    Rule {
                        any_tag: vec![TagMatch::new("natural", &["tree_row"])],
                        kinds: vec![Kind::Line],
                        min_area_m2: 0.0,
                    },
                ],
            },
        ];
        let tier = |name: &str, label: &str, radius_m: f64, accepts: Vec<usize>| Tier {
            name: name.into(),
            label: label.into(),
            radius_m,
            accepts,
        };
        Standard {
            name: "jiangbei".into(),
            source: "Jiangbei District (Chongqing) green space plan: street greenery within 300 m, leisure space within 1000 m, park within 2000 m of every home".into(),
            tiers: vec![
                tier("street_green", "街头绿地", 300.0, vec![0, 1, 2]),
                tier("leisure", "休闲空间", 1000.0, vec![0, 1]),
                tier("park", "公园", 2000.0, vec![0]),
            ],
            categories,
            exclude: vec![
                TagMatch::new("access", &["private", "no", "customers"]),
                TagMatch::new("fee", &["yes"]),
                TagMatch::new("leisure", &["golf_course"]),
                TagMatch::new("landuse", &["cemetery"]),
                TagMatch::new("amenity", &["grave_yard"]),
            ],
        }
    }

    /// Classify a feature from its properties, geometry kind and area (m², 0 for lines/points).
    pub fn classify(&self, props: &Map<String, Value>, kind: Kind, area_m2: f64) -> Classification {
        if let Some(tag) = self.exclude.iter().find_map(|t| t.find(props)) {
            return Classification::Excluded(tag);
        }
        if let Some(c) = props.get("category").and_then(Value::as_str) {
            return match self.categories.iter().position(|k| k.name == c) {
                Some(i) => Classification::Category(i),
                None => Classification::UnknownCategory(c.to_string()),
            };
        }
        let mut too_small = false;
        for (i, cat) in self.categories.iter().enumerate() {
            for rule in &cat.rules {
                if !rule.kinds.contains(&kind)
                    || !rule.any_tag.iter().any(|t| t.find(props).is_some())
                {
                    continue;
                }
                let area_ok = if rule.min_area_m2 > 0.0 {
                    kind == Kind::Area && area_m2 >= rule.min_area_m2
                } else {
                    true
                };
                if area_ok {
                    return Classification::Category(i);
                }
                too_small = true;
            }
        }
        if too_small {
            Classification::BelowMinimumArea
        } else {
            Classification::NotGreenSpace
        }
    }

    /// For each tier, whether it accepts category `cat`.
    pub fn tiers_served_by(&self, cat: usize) -> impl Iterator<Item = usize> + '_ {
        self.tiers
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.accepts.contains(&cat))
            .map(|(i, _)| i)
    }

    /// `street_green 300 m, leisure 1000 m, park 2000 m`.
    pub fn describe_tiers(&self) -> String {
        self.tiers
            .iter()
            .map(|t| format!("{} {} m", t.name, t.radius_m))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn jiangbei_osm_rules() {
        let s = Standard::jiangbei();
        let c = |v: Value, kind, area| s.classify(&props(v), kind, area);
        use Classification::*;
        assert_eq!(
            c(json!({"leisure": "park"}), Kind::Area, 20_000.0),
            Category(0)
        );
        assert_eq!(
            c(json!({"leisure": "park"}), Kind::Area, 5_000.0),
            Category(1)
        );
        assert_eq!(
            c(json!({"leisure": "park"}), Kind::Area, 100.0),
            BelowMinimumArea
        );
        assert_eq!(
            c(json!({"leisure": "playground"}), Kind::Point, 0.0),
            Category(1)
        );
        assert_eq!(
            c(json!({"landuse": "forest"}), Kind::Area, 5e5),
            Category(2)
        );
        assert_eq!(
            c(json!({"landuse": "grass"}), Kind::Area, 300.0),
            BelowMinimumArea
        );
        assert_eq!(
            c(json!({"natural": "tree_row"}), Kind::Line, 0.0),
            Category(2)
        );
        assert_eq!(
            c(json!({"natural": "tree"}), Kind::Point, 0.0),
            NotGreenSpace
        );
        assert_eq!(
            c(
                json!({"leisure": "park", "access": "private"}),
                Kind::Area,
                5e4
            ),
            Excluded("access=private".into())
        );
        assert_eq!(
            c(json!({"leisure": "golf_course"}), Kind::Area, 5e5),
            Excluded("leisure=golf_course".into())
        );
    }

    #[test]
    fn explicit_category_decides() {
        let s = Standard::jiangbei();
        let c = |v: Value| s.classify(&props(v), Kind::Area, 1.0);
        assert_eq!(c(json!({"category": "park"})), Classification::Category(0));
        assert_eq!(
            c(json!({"category": "lawn"})),
            Classification::UnknownCategory("lawn".into())
        );
    }

    #[test]
    fn tiers_nest() {
        let s = Standard::jiangbei();
        assert_eq!(s.tiers_served_by(0).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(s.tiers_served_by(1).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(s.tiers_served_by(2).collect::<Vec<_>>(), vec![0]);
    }
}
