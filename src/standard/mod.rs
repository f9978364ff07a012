//! Standards: named tiers, their radii and the green categories they accept ([`presets`], the
//! TOML [`file`](mod@file) format), and which features are homes ([`homes`]). Imports no other folder.

pub mod file;
pub mod homes;
pub mod presets;

use std::fmt;

use serde_json::{Map, Value};

/// A `key=value1|value2` tag test; the value `*` accepts any value.
#[derive(Debug, Clone, PartialEq)]
pub struct TagMatch {
    /// OSM key, e.g. `leisure`.
    pub key: String,
    /// Accepted values; the test passes when the feature's value is one of them.
    pub values: Vec<String>,
}

impl TagMatch {
    /// Parse `key=value1|value2` or `key in value1,value2`; a value ending in `*` matches
    /// every value starting with the rest (`用地代码=G1*`).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (key, values): (&str, Vec<String>) = match spec.split_once('=') {
            Some((k, v)) => (k, v.split('|').map(|v| v.trim().to_string()).collect()),
            None => {
                let (k, v) = spec.split_once(" in ").ok_or_else(|| {
                    format!("\"{spec}\" is not key=value1|value2 or key in value1,value2")
                })?;
                let v = v.trim().trim_start_matches('(').trim_end_matches(')');
                (
                    k,
                    v.split([',', '，']).map(|v| v.trim().to_string()).collect(),
                )
            }
        };
        if key.trim().is_empty() || values.iter().any(String::is_empty) {
            return Err(format!("\"{spec}\" has an empty key or value"));
        }
        Ok(Self {
            key: key.trim().to_string(),
            values,
        })
    }

    /// `key=value1|value2`.
    pub fn to_spec(&self) -> String {
        format!("{}={}", self.key, self.values.join("|"))
    }

    /// The matching `key=value` if the properties pass the test. Numbers match their text
    /// (a Shapefile's numeric code field `1401` matches `1401`).
    pub fn find(&self, props: &Map<String, Value>) -> Option<String> {
        let text;
        let v = match props.get(&self.key)? {
            Value::String(s) => s.as_str(),
            Value::Number(n) => {
                text = n.to_string();
                text.as_str()
            }
            _ => return None,
        };
        self.values
            .iter()
            .any(|x| match x.strip_suffix('*') {
                Some(prefix) => v.starts_with(prefix),
                None => x == v,
            })
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
    /// The rule does not apply to a feature passing any of these tests (e.g. `sport=*`: a
    /// "park" tagged with a sport is a sports facility).
    pub unless: Vec<TagMatch>,
}

/// A category of green space (e.g. `park`), defined by rules tried in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Name, also the value of an explicit `category` property.
    pub name: String,
    /// Other values of `category` that mean this category (e.g. `公园`).
    pub aliases: Vec<String>,
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
    /// Service radius in metres (ground distance), for features in no size class.
    pub radius_m: f64,
    /// Larger spaces serve larger radii (GB/T 51346 style): a feature takes the radius of the
    /// class with the largest `min_area_m2` it reaches. Sorted by `min_area_m2`.
    pub size_classes: Vec<SizeClass>,
    /// Indices into [`Standard::categories`] of the categories that serve this tier.
    pub accepts: Vec<usize>,
}

/// A size class of a tier: features of at least `min_area_m2` serve `radius_m`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeClass {
    /// Smallest area of the class, m².
    pub min_area_m2: f64,
    /// Service radius of the class, metres.
    pub radius_m: f64,
}

impl Tier {
    /// The radius a feature of `area_m2` serves in this tier.
    pub fn radius_for(&self, area_m2: f64) -> f64 {
        self.size_classes
            .iter()
            .rev()
            .find(|c| area_m2 >= c.min_area_m2)
            .map_or(self.radius_m, |c| c.radius_m)
    }

    /// The largest radius any feature can serve in this tier.
    pub fn max_radius(&self) -> f64 {
        self.size_classes
            .iter()
            .map(|c| c.radius_m)
            .fold(self.radius_m, f64::max)
    }
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
    /// Coverage thresholds in percent that grade a result (e.g. 80 and 90 for the Chinese
    /// garden-city grades), with where they come from; empty when the standard sets none.
    pub grades: Vec<f64>,
    /// Where the grades come from (empty without grades).
    pub grades_source: String,
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
    /// Its tags fit a rule but an exception of the rule applies (`leisure=park with
    /// sport=swimming`).
    Exception(String),
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
            Classification::Exception(r) => write!(f, "not counted ({r})"),
            Classification::NotGreenSpace => f.write_str("not green space under the standard"),
        }
    }
}

/// A classification with the reason for it, in words a planner can check: the rule that
/// admitted the feature (`leisure=park, 1.3 ha ≥ 1 ha`), or what kept it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// What the feature is.
    pub class: Classification,
    /// Why.
    pub reason: String,
}

fn hectares(m2: f64) -> String {
    let ha = m2 / 10_000.0;
    if ha >= 10.0 {
        format!("{ha:.0} ha")
    } else if ha >= 0.1 {
        format!("{ha:.2} ha").replace(".00 ha", " ha")
    } else {
        format!("{m2:.0} m²")
    }
}

impl Rule {
    /// Does the rule admit a feature? `Ok(reason)`, or `Err` with why not when the tags fit
    /// but the size or an exception does not (`None` when the tags do not fit at all).
    fn test(
        &self,
        props: &Map<String, Value>,
        kind: Kind,
        area_m2: f64,
    ) -> Option<Result<String, Miss>> {
        if !self.kinds.contains(&kind) {
            return None;
        }
        let tag = self.any_tag.iter().find_map(|t| t.find(props))?;
        if let Some(ex) = self.unless.iter().find_map(|t| t.find(props)) {
            return Some(Err(Miss::Exception(format!("{tag} with {ex}"))));
        }
        if self.min_area_m2 > 0.0 {
            if kind != Kind::Area || area_m2 < self.min_area_m2 {
                return Some(Err(Miss::TooSmall(
                    format!(
                        "{tag}, {} < {}",
                        hectares(area_m2),
                        hectares(self.min_area_m2)
                    ),
                    self.min_area_m2,
                )));
            }
            return Some(Ok(format!(
                "{tag}, {} ≥ {}",
                hectares(area_m2),
                hectares(self.min_area_m2)
            )));
        }
        Some(Ok(match kind {
            Kind::Area => tag,
            Kind::Line => format!("{tag} (line)"),
            Kind::Point => format!("{tag} (point)"),
        }))
    }
}

/// Why a rule whose tags fit did not admit a feature.
enum Miss {
    /// Smaller than the rule's minimum (the reason, the minimum).
    TooSmall(String, f64),
    /// An exception of the rule applies.
    Exception(String),
}

impl Standard {
    /// Classify a feature from its properties, geometry kind and area (m², 0 for lines/points).
    pub fn classify(&self, props: &Map<String, Value>, kind: Kind, area_m2: f64) -> Classification {
        self.explain(props, kind, area_m2).class
    }

    /// Classify a feature and say why: the first category whose rule admits it (with the tag
    /// and size that did), or the exclusion, the size or the exception that kept it out.
    pub fn explain(&self, props: &Map<String, Value>, kind: Kind, area_m2: f64) -> Verdict {
        let verdict = |class, reason| Verdict { class, reason };
        if let Some(tag) = self.exclude.iter().find_map(|t| t.find(props)) {
            return verdict(
                Classification::Excluded(tag.clone()),
                format!("{tag}: not open to the public"),
            );
        }
        if let Some(c) = props.get("category").and_then(Value::as_str) {
            return match self.category_index(c) {
                Some(i) => verdict(Classification::Category(i), format!("category={c}")),
                None => verdict(
                    Classification::UnknownCategory(c.to_string()),
                    format!("category={c} is no category of {}", self.name),
                ),
            };
        }
        let mut first_miss: Option<Miss> = None;
        for (i, cat) in self.categories.iter().enumerate() {
            for rule in &cat.rules {
                match rule.test(props, kind, area_m2) {
                    Some(Ok(reason)) => return verdict(Classification::Category(i), reason),
                    // Keep the exception if any, else the smallest minimum missed: the
                    // nearest the feature came to counting.
                    Some(Err(m)) => match (&first_miss, &m) {
                        (None, _) | (Some(Miss::TooSmall(..)), Miss::Exception(_)) => {
                            first_miss = Some(m)
                        }
                        (Some(Miss::TooSmall(_, a)), Miss::TooSmall(_, b)) if b < a => {
                            first_miss = Some(m)
                        }
                        _ => {}
                    },
                    None => {}
                }
            }
        }
        match first_miss {
            Some(Miss::TooSmall(r, _)) => verdict(Classification::BelowMinimumArea, r),
            Some(Miss::Exception(r)) => verdict(Classification::Exception(r.clone()), r),
            None => verdict(
                Classification::NotGreenSpace,
                "no rule of the standard matches".into(),
            ),
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

    /// `street_green 300 m, leisure 1000 m, park 2000 m` (size classes as `500–1000 m`).
    pub fn describe_tiers(&self) -> String {
        self.tiers
            .iter()
            .map(|t| {
                if t.size_classes.is_empty() {
                    format!("{} {} m", t.name, t.radius_m)
                } else {
                    format!("{} {}–{} m", t.name, t.radius_m, t.max_radius())
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A multi-line description: source, tiers with radii and accepted categories, the rules
    /// of each category and the exclusions.
    pub fn describe(&self) -> String {
        let mut out = format!("{}\n  {}\n  tiers:\n", self.name, self.source);
        for t in &self.tiers {
            let accepts: Vec<&str> = t
                .accepts
                .iter()
                .map(|&c| self.categories[c].name.as_str())
                .collect();
            let label = if t.label.is_empty() {
                String::new()
            } else {
                format!(" ({})", t.label)
            };
            out += &format!(
                "    {}{label}: {} m, accepts {}\n",
                t.name,
                t.radius_m,
                accepts.join(", ")
            );
            for c in &t.size_classes {
                out += &format!(
                    "      spaces of {} ha or more: {} m\n",
                    c.min_area_m2 / 10_000.0,
                    c.radius_m
                );
            }
        }
        out += "  categories (first match wins):\n";
        for c in &self.categories {
            let aliases = if c.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also {})", c.aliases.join(", "))
            };
            out += &format!("    {}{aliases}:\n", c.name);
            for r in &c.rules {
                let tags: Vec<String> = r.any_tag.iter().map(TagMatch::to_spec).collect();
                let kinds: Vec<&str> = r
                    .kinds
                    .iter()
                    .map(|k| match k {
                        Kind::Area => "areas",
                        Kind::Line => "lines",
                        Kind::Point => "points",
                    })
                    .collect();
                let size = if r.min_area_m2 > 0.0 {
                    format!(" of at least {} m²", r.min_area_m2)
                } else {
                    String::new()
                };
                let unless: Vec<String> = r.unless.iter().map(TagMatch::to_spec).collect();
                let unless = if unless.is_empty() {
                    String::new()
                } else {
                    format!(", unless {}", unless.join(" or "))
                };
                out += &format!(
                    "      {}{size}: {}{unless}\n",
                    kinds.join("/"),
                    tags.join(" or ")
                );
            }
        }
        let ex: Vec<String> = self.exclude.iter().map(TagMatch::to_spec).collect();
        out += &format!("  never counted: {}\n", ex.join(", "));
        if self.grades.is_empty() {
            out += "  grades: none\n";
        } else {
            let g: Vec<String> = self.grades.iter().map(|g| format!("{g}%")).collect();
            out += &format!("  grades: {} ({})\n", g.join(", "), self.grades_source);
        }
        out
    }

    /// The largest radius of any tier or size class.
    pub fn max_radius(&self) -> f64 {
        self.tiers.iter().map(Tier::max_radius).fold(0.0, f64::max)
    }

    /// The index of a category by name or alias.
    pub fn category_index(&self, name: &str) -> Option<usize> {
        self.categories
            .iter()
            .position(|k| k.name == name || k.aliases.iter().any(|a| a == name))
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
    #[allow(clippy::too_many_lines)] // a table of tagged features and their categories
    fn jiangbei_osm_rules() {
        let s = presets::jiangbei();
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
            c(json!({"landuse": "grass"}), Kind::Area, 500.0),
            Category(2)
        );
        assert_eq!(
            c(json!({"landuse": "grass"}), Kind::Area, 300.0),
            BelowMinimumArea
        );
        // Forests and farm meadows are not street greenery, tree rows are not spaces.
        assert_eq!(
            c(json!({"landuse": "forest"}), Kind::Area, 5e5),
            NotGreenSpace
        );
        assert_eq!(
            c(json!({"landuse": "meadow"}), Kind::Area, 5e5),
            NotGreenSpace
        );
        assert_eq!(
            c(json!({"natural": "tree_row"}), Kind::Line, 0.0),
            NotGreenSpace
        );
        // A nature reserve is not a park; a pool tagged as a park is a sports facility; a
        // pitch is not a leisure space.
        assert_eq!(
            c(json!({"leisure": "nature_reserve"}), Kind::Area, 5e6),
            NotGreenSpace
        );
        assert_eq!(
            c(
                json!({"leisure": "park", "sport": "swimming"}),
                Kind::Area,
                5e4
            ),
            Exception("leisure=park with sport=swimming".into())
        );
        assert_eq!(
            c(
                json!({"leisure": "pitch", "sport": "tennis"}),
                Kind::Area,
                600.0
            ),
            NotGreenSpace
        );
        assert_eq!(
            c(
                json!({"leisure": "playground", "access": "customers"}),
                Kind::Area,
                600.0
            ),
            Excluded("access=customers".into())
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
    fn reasons_name_the_rule_and_size() {
        let s = presets::jiangbei();
        let e = |v: Value, kind, area| s.explain(&props(v), kind, area).reason;
        assert_eq!(
            e(json!({"leisure": "park"}), Kind::Area, 13_000.0),
            "leisure=park, 1.30 ha ≥ 1 ha"
        );
        assert_eq!(
            e(json!({"leisure": "park"}), Kind::Area, 300.0),
            "leisure=park, 300 m² < 400 m²"
        );
        assert_eq!(
            e(json!({"leisure": "playground"}), Kind::Point, 0.0),
            "leisure=playground (point)"
        );
        assert_eq!(
            e(json!({"leisure": "park", "fee": "yes"}), Kind::Area, 5e4),
            "fee=yes: not open to the public"
        );
        assert_eq!(
            e(json!({"category": "公园"}), Kind::Area, 1.0),
            "category=公园"
        );
        assert_eq!(
            e(json!({"natural": "tree"}), Kind::Point, 0.0),
            "no rule of the standard matches"
        );
    }

    #[test]
    fn wildcard_values_match_any_value() {
        let t = TagMatch::parse("sport=*").unwrap();
        assert_eq!(
            t.find(&props(json!({"sport": "tennis"}))).as_deref(),
            Some("sport=tennis")
        );
        assert_eq!(t.find(&props(json!({"leisure": "park"}))), None);
    }

    #[test]
    fn grades_belong_to_the_standard() {
        assert_eq!(presets::jiangbei().grades, vec![80.0, 90.0]);
        assert_eq!(presets::gbt51346().grades, vec![80.0, 90.0]);
        assert!(presets::who_europe().grades.is_empty());
        assert!(presets::angst().grades.is_empty());
    }

    #[test]
    fn explicit_category_decides() {
        let s = presets::jiangbei();
        let c = |v: Value| s.classify(&props(v), Kind::Area, 1.0);
        assert_eq!(c(json!({"category": "park"})), Classification::Category(0));
        assert_eq!(c(json!({"category": "公园"})), Classification::Category(0));
        assert_eq!(
            c(json!({"category": "街头绿地"})),
            Classification::Category(2)
        );
        assert_eq!(
            c(json!({"category": "lawn"})),
            Classification::UnknownCategory("lawn".into())
        );
    }

    #[test]
    fn size_classes_pick_the_largest_reached() {
        let t = Tier {
            name: "p".into(),
            label: String::new(),
            radius_m: 300.0,
            size_classes: vec![
                SizeClass {
                    min_area_m2: 1e4,
                    radius_m: 500.0,
                },
                SizeClass {
                    min_area_m2: 5e4,
                    radius_m: 1000.0,
                },
            ],
            accepts: vec![],
        };
        assert_eq!(t.radius_for(5e3), 300.0);
        assert_eq!(t.radius_for(1e4), 500.0);
        assert_eq!(t.radius_for(9e4), 1000.0);
        assert_eq!(t.max_radius(), 1000.0);
    }

    #[test]
    fn tiers_nest() {
        let s = presets::jiangbei();
        assert_eq!(s.tiers_served_by(0).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(s.tiers_served_by(1).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(s.tiers_served_by(2).collect::<Vec<_>>(), vec![0]);
    }
}
