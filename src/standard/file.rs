//! Standards as TOML files: `greenreach standards NAME --toml` prints one, `--standard FILE`
//! reads it back. Every validation error names the file, the line and the field.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

use super::{Category, Kind, Rule, SizeClass, Standard, TagMatch, Tier, presets};

/// Why a standard could not be loaded.
#[derive(Debug, Error)]
pub enum StandardError {
    /// Neither a preset name nor a file.
    #[error("unknown standard \"{0}\": use a preset ({presets}) or a .toml file", presets = presets::NAMES.join(", "))]
    Unknown(String),
    /// The file could not be read.
    #[error("{}: cannot read the standard: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a valid standard.
    #[error("{}:{line}: {field}: {problem}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The field, e.g. `tiers[1].radius_m`.
        field: String,
        /// What is wrong.
        problem: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardFile {
    name: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    grades: Vec<Spanned<f64>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    grades_source: String,
    tiers: Vec<TierFile>,
    categories: Vec<CategoryFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TierFile {
    name: Spanned<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    label: String,
    radius_m: Spanned<f64>,
    accepts: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    size_classes: Vec<SizeClassFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SizeClassFile {
    min_area_m2: Spanned<f64>,
    radius_m: Spanned<f64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    name: Spanned<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    rules: Vec<RuleFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    tags: Vec<Spanned<String>>,
    #[serde(default = "default_kinds")]
    kinds: Vec<Spanned<String>>,
    #[serde(default = "zero")]
    min_area_m2: Spanned<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    unless: Vec<Spanned<String>>,
}

fn default_kinds() -> Vec<Spanned<String>> {
    vec![unspanned("area".to_string())]
}

fn zero() -> Spanned<f64> {
    unspanned(0.0)
}

fn unspanned<T>(v: T) -> Spanned<T> {
    Spanned::new(0..0, v)
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Area => "area",
        Kind::Line => "line",
        Kind::Point => "point",
    }
}

/// A preset name or a path to a TOML file.
pub fn load(spec: &str) -> Result<Standard, StandardError> {
    if let Some(s) = presets::preset(spec) {
        return Ok(s);
    }
    let path = Path::new(spec);
    if !path.exists() && !spec.ends_with(".toml") {
        return Err(StandardError::Unknown(spec.to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|source| StandardError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Print a standard as an editable TOML file.
pub fn to_toml(s: &Standard) -> String {
    let file = StandardFile {
        name: s.name.clone(),
        source: s.source.clone(),
        exclude: s.exclude.iter().map(|t| unspanned(t.to_spec())).collect(),
        grades: s.grades.iter().map(|&g| unspanned(g)).collect(),
        grades_source: s.grades_source.clone(),
        tiers: s
            .tiers
            .iter()
            .map(|t| TierFile {
                name: unspanned(t.name.clone()),
                label: t.label.clone(),
                radius_m: unspanned(t.radius_m),
                accepts: t
                    .accepts
                    .iter()
                    .map(|&c| unspanned(s.categories[c].name.clone()))
                    .collect(),
                size_classes: t
                    .size_classes
                    .iter()
                    .map(|c| SizeClassFile {
                        min_area_m2: unspanned(c.min_area_m2),
                        radius_m: unspanned(c.radius_m),
                    })
                    .collect(),
            })
            .collect(),
        categories: s
            .categories
            .iter()
            .map(|c| CategoryFile {
                name: unspanned(c.name.clone()),
                aliases: c.aliases.clone(),
                rules: c
                    .rules
                    .iter()
                    .map(|r| RuleFile {
                        tags: r.any_tag.iter().map(|t| unspanned(t.to_spec())).collect(),
                        kinds: r
                            .kinds
                            .iter()
                            .map(|&k| unspanned(kind_name(k).to_string()))
                            .collect(),
                        min_area_m2: unspanned(r.min_area_m2),
                        unless: r.unless.iter().map(|t| unspanned(t.to_spec())).collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let body = toml::to_string_pretty(&file).expect("a standard always serialises");
    format!(
        "# greenreach standard \"{}\". Edit it and pass it back with --standard FILE.toml.\n\
         # Tiers are checked in this order. A tier accepts green spaces of the listed categories;\n\
         # size_classes give larger spaces a larger radius. A feature takes the first category\n\
         # whose rules it meets (a rule: any of its tags, one of its kinds, at least min_area_m2).\n\
         # A rule does not apply to a feature matching one of its `unless` tags. A feature\n\
         # matching an `exclude` tag never counts. Tags are key=value1|value2 (value * = any).\n\
         # grades: coverage thresholds in percent that grade a result (none: no grade).\n\n{body}",
        s.name
    )
}

/// Parse a standard from TOML text; `path` is used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Standard, StandardError> {
    let cx = Source { path, text };
    let file: StandardFile = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim().to_string();
        let field = msg
            .split('`')
            .nth(1)
            .filter(|_| msg.starts_with("missing field") || msg.starts_with("unknown field"))
            .unwrap_or("toml")
            .to_string();
        cx.invalid(e.span(), &field, msg)
    })?;
    let categories = cx.categories(&file.categories)?;
    let tiers = cx.tiers(&file.tiers, &categories)?;
    let mut exclude = Vec::new();
    for e in &file.exclude {
        exclude.push(cx.tag(e, "exclude")?);
    }
    let grades = cx.grades(&file.grades)?;
    Ok(Standard {
        name: file.name,
        source: file.source,
        tiers,
        categories,
        exclude,
        grades,
        grades_source: file.grades_source,
    })
}

/// The span of a value read from the file (`None` for defaults, which have an empty one).
fn sp(s: Range<usize>) -> Option<Range<usize>> {
    (s.end > s.start).then_some(s)
}

/// The text being parsed and its path, for messages.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    /// An error at `span` (line 1 when unknown).
    fn invalid(&self, span: Option<Range<usize>>, field: &str, problem: String) -> StandardError {
        StandardError::Invalid {
            path: self.path.to_path_buf(),
            line: span.map_or(1, |s| line_of(self.text, s.start)),
            field: field.to_string(),
            problem,
        }
    }

    /// A tag match (`key=value1|value2`) in `field`.
    fn tag(&self, t: &Spanned<String>, field: &str) -> Result<TagMatch, StandardError> {
        TagMatch::parse(t.get_ref()).map_err(|p| self.invalid(sp(t.span()), field, p))
    }

    /// An area, at least 0, in `field`.
    fn min_area(&self, v: &Spanned<f64>, field: &str) -> Result<f64, StandardError> {
        let x = *v.get_ref();
        if x.is_finite() && x >= 0.0 {
            Ok(x)
        } else {
            Err(self.invalid(sp(v.span()), field, "must be a number ≥ 0".into()))
        }
    }

    /// A positive number of metres in `field`.
    fn positive(&self, v: &Spanned<f64>, field: &str) -> Result<f64, StandardError> {
        let x = *v.get_ref();
        if x.is_finite() && x > 0.0 {
            Ok(x)
        } else {
            Err(self.invalid(
                sp(v.span()),
                field,
                format!("{x} must be a positive number of metres"),
            ))
        }
    }

    fn categories(&self, file: &[CategoryFile]) -> Result<Vec<Category>, StandardError> {
        let mut categories = Vec::with_capacity(file.len());
        for (ci, c) in file.iter().enumerate() {
            let field = format!("categories[{ci}].name");
            let name = c.name.get_ref().trim();
            if name.is_empty() {
                return Err(self.invalid(sp(c.name.span()), &field, "is empty".into()));
            }
            if categories.iter().any(|k: &Category| k.name == name) {
                return Err(self.invalid(
                    sp(c.name.span()),
                    &field,
                    format!("\"{name}\" is defined twice"),
                ));
            }
            let mut rules = Vec::with_capacity(c.rules.len());
            for (ri, r) in c.rules.iter().enumerate() {
                rules.push(self.rule(r, &format!("categories[{ci}].rules[{ri}]"))?);
            }
            categories.push(Category {
                name: name.to_string(),
                aliases: c.aliases.clone(),
                rules,
            });
        }
        Ok(categories)
    }

    /// A rule of a category; `at` names it in messages.
    fn rule(&self, r: &RuleFile, at: &str) -> Result<Rule, StandardError> {
        let rf = |f: &str| format!("{at}.{f}");
        let mut any_tag = Vec::new();
        for t in &r.tags {
            any_tag.push(self.tag(t, &rf("tags"))?);
        }
        if any_tag.is_empty() {
            return Err(self.invalid(None, &rf("tags"), "a rule needs at least one tag".into()));
        }
        let mut kinds = Vec::new();
        for k in &r.kinds {
            kinds.push(match k.get_ref().as_str() {
                "area" => Kind::Area,
                "line" => Kind::Line,
                "point" => Kind::Point,
                other => {
                    return Err(self.invalid(
                        sp(k.span()),
                        &rf("kinds"),
                        format!("\"{other}\" is not one of area, line, point"),
                    ));
                }
            });
        }
        let min_area_m2 = self.min_area(&r.min_area_m2, &rf("min_area_m2"))?;
        let mut unless = Vec::new();
        for t in &r.unless {
            unless.push(self.tag(t, &rf("unless"))?);
        }
        Ok(Rule {
            any_tag,
            kinds,
            min_area_m2,
            unless,
        })
    }

    fn tiers(
        &self,
        file: &[TierFile],
        categories: &[Category],
    ) -> Result<Vec<Tier>, StandardError> {
        if file.is_empty() {
            return Err(self.invalid(None, "tiers", "a standard needs at least one tier".into()));
        }
        let mut tiers: Vec<Tier> = Vec::with_capacity(file.len());
        for (ti, t) in file.iter().enumerate() {
            let field = |f: &str| format!("tiers[{ti}].{f}");
            let name = t.name.get_ref().trim();
            if name.is_empty() || name.contains([',', '"', ' ', '\n']) {
                return Err(self.invalid(
                    sp(t.name.span()),
                    &field("name"),
                    format!(
                        "\"{name}\" must be non-empty, without spaces, commas or quotes (it names output columns)"
                    ),
                ));
            }
            if tiers.iter().any(|x| x.name == name) {
                return Err(self.invalid(
                    sp(t.name.span()),
                    &field("name"),
                    format!("\"{name}\" is defined twice"),
                ));
            }
            let radius_m = self.positive(&t.radius_m, &field("radius_m"))?;
            let mut size_classes = Vec::new();
            for c in &t.size_classes {
                let min_area_m2 =
                    self.min_area(&c.min_area_m2, &field("size_classes.min_area_m2"))?;
                size_classes.push(SizeClass {
                    min_area_m2,
                    radius_m: self.positive(&c.radius_m, &field("size_classes.radius_m"))?,
                });
            }
            size_classes.sort_by(|a, b| a.min_area_m2.total_cmp(&b.min_area_m2));
            tiers.push(Tier {
                name: name.to_string(),
                label: t.label.clone(),
                radius_m,
                size_classes,
                accepts: self.accepts(t, categories, &field("accepts"))?,
            });
        }
        Ok(tiers)
    }

    /// The categories a tier accepts, by number, each once; `field` names them in messages.
    fn accepts(
        &self,
        t: &TierFile,
        categories: &[Category],
        field: &str,
    ) -> Result<Vec<usize>, StandardError> {
        let mut accepts = Vec::new();
        for a in &t.accepts {
            let i = categories
                .iter()
                .position(|k| k.name == *a.get_ref() || k.aliases.contains(a.get_ref()))
                .ok_or_else(|| {
                    self.invalid(
                        sp(a.span()),
                        field,
                        format!("\"{}\" names no category of this standard", a.get_ref()),
                    )
                })?;
            if !accepts.contains(&i) {
                accepts.push(i);
            }
        }
        if accepts.is_empty() {
            return Err(self.invalid(
                sp(t.name.span()),
                field,
                "a tier must accept at least one category".into(),
            ));
        }
        Ok(accepts)
    }

    /// Grade thresholds, percentages in (0, 100], ascending.
    fn grades(&self, file: &[Spanned<f64>]) -> Result<Vec<f64>, StandardError> {
        let mut grades = Vec::new();
        for g in file {
            let v = *g.get_ref();
            if !(v > 0.0 && v <= 100.0) {
                return Err(self.invalid(
                    sp(g.span()),
                    "grades",
                    format!("{v} is not a percentage in (0, 100]"),
                ));
            }
            grades.push(v);
        }
        grades.sort_by(f64::total_cmp);
        Ok(grades)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_round_trips() {
        for s in presets::all() {
            let text = to_toml(&s);
            let back = parse(Path::new("x.toml"), &text)
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", s.name));
            assert_eq!(back, s, "{}", s.name);
        }
    }

    fn err(text: &str) -> String {
        parse(Path::new("s.toml"), text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_line_and_field() {
        let base = to_toml(&presets::jiangbei());
        let bad = base.replacen("radius_m = 1000.0", "radius_m = -5.0", 1);
        let line = bad
            .lines()
            .position(|l| l.contains("radius_m = -5.0"))
            .unwrap()
            + 1;
        assert_eq!(
            err(&bad),
            format!("s.toml:{line}: tiers[1].radius_m: -5 must be a positive number of metres")
        );
        let bad = base.replacen("\"leisure\",\n]", "\"lawn\",\n]", 1);
        let line = bad.lines().position(|l| l.contains("\"lawn\"")).unwrap() + 1;
        assert_eq!(
            err(&bad),
            format!("s.toml:{line}: tiers[1].accepts: \"lawn\" names no category of this standard")
        );
        let e = err("name = \"x\"\ncategories = []\n");
        assert!(e.contains("s.toml:1: tiers: missing field `tiers`"), "{e}");
        let bad = base.replacen("min_area_m2 = 10000.0", "min_area = 10000.0", 1);
        let e = err(&bad);
        assert!(e.contains("min_area") && e.contains("unknown field"), "{e}");
        let bad = base.replacen("\"area\"", "\"polygon\"", 1);
        assert!(err(&bad).contains("\"polygon\" is not one of area, line, point"));
    }

    #[test]
    fn load_resolves_presets_and_rejects_unknown_names() {
        assert_eq!(load("angst").unwrap().name, "angst");
        let e = load("angsst").unwrap_err().to_string();
        assert!(
            e.contains("unknown standard \"angsst\"") && e.contains("who-europe"),
            "{e}"
        );
    }
}
