//! Reading GeoJSON layers into features with lon/lat geometry, and the errors that names the
//! file, the feature and the problem.

mod coords_fast;
mod geometry;
mod point_fast;
mod stream;

use std::fmt;
use std::path::{Path, PathBuf};

use geo::{CoordsIter, Geometry};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::crs::LonLatBox;

pub use geometry::GeometryProblem;

/// One feature as read from a file: its position in the file, its id and its lon/lat geometry.
#[derive(Debug, Clone)]
pub struct RawFeature {
    /// 0-based index of the feature in the file's `features` array.
    pub index: usize,
    /// The feature's `id` member, else its `properties.id`, as text.
    pub id: Option<String>,
    /// The feature's properties (empty when absent or null).
    pub properties: Map<String, Value>,
    /// The geometry, in the file's coordinates (x = lon, y = lat for RFC 7946 files).
    pub geometry: Geometry<f64>,
}

impl RawFeature {
    /// `id` if present, else the index, as text: how the feature is named in messages and output.
    pub fn id_or_index(&self) -> String {
        self.id.clone().unwrap_or_else(|| self.index.to_string())
    }
}

/// A feature that was read but could not be used, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedFeature {
    /// 0-based index in the file.
    pub index: usize,
    /// The feature's id, if any.
    pub id: Option<String>,
    /// Why it was skipped.
    pub reason: SkipReason,
}

/// Why a feature was skipped on reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// `"geometry": null`.
    NullGeometry,
    /// A geometry with no coordinates at all.
    EmptyGeometry,
    /// Left out by a `--*-where` attribute filter.
    NotSelected,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::NullGeometry => "null geometry",
            SkipReason::EmptyGeometry => "empty geometry",
            SkipReason::NotSelected => "not selected by --residential-where / --points-where",
        })
    }
}

/// A GeoJSON layer: the features that can be used and those that were skipped.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Where it was read from.
    pub path: PathBuf,
    /// Usable features, in file order.
    pub features: Vec<RawFeature>,
    /// Features read but skipped, in file order.
    pub skipped: Vec<SkippedFeature>,
    /// The top-level `crs` member, if the file has one (legacy GeoJSON).
    pub crs_member: Option<Value>,
    /// The CRS another format declares (`.prj`, GeoPackage srs, FlatGeobuf header), or why
    /// it could not be read.
    pub declared_crs: Option<Result<crate::crs::SourceCrs, String>>,
    /// How the file was read (format, layer, text encoding), for the run's provenance.
    pub notes: Vec<String>,
    /// Warnings from reading (e.g. a datum without a shift).
    pub warnings: Vec<String>,
}

impl Layer {
    /// Append features decoded apart (in parallel), in file order: each kept or skipped.
    pub(crate) fn extend_decoded(
        &mut self,
        decoded: impl IntoIterator<Item = Result<RawFeature, SkippedFeature>>,
    ) {
        for d in decoded {
            match d {
                Ok(f) => self.features.push(f),
                Err(s) => self.skipped.push(s),
            }
        }
    }

    /// Grow `bbox` to hold every coordinate of the layer (read as lon/lat).
    pub fn include_in(&self, bbox: &mut LonLatBox) {
        use rayon::prelude::*;
        let part = self
            .features
            .par_iter()
            .with_max_len(self.coord_piece())
            .fold(LonLatBox::empty, |mut b, f| {
                match &f.geometry {
                    // Most features of a large layer are points: no iterator for them.
                    Geometry::Point(p) => b.include(p.0),
                    g => g.coords_iter().for_each(|c| b.include(c)),
                }
                b
            })
            .reduce(LonLatBox::empty, |mut a, b| {
                a.union(&b);
                a
            });
        bbox.union(&part);
    }

    /// Features per parallel piece of a pass over every coordinate: at most about 4096
    /// coordinates (estimated from the first features), so that a few thousand polygons are
    /// shared between threads as a million points are.
    fn coord_piece(&self) -> usize {
        let sample = &self.features[..self.features.len().min(64)];
        let coords: usize = sample.iter().map(|f| f.geometry.coords_count()).sum();
        (4096 * sample.len() / coords.max(1)).max(1)
    }

    /// Number of features in the file.
    pub fn read_count(&self) -> usize {
        self.features.len() + self.skipped.len()
    }

    /// Keep the features every `filter` test passes; the others are dropped (`skip` false)
    /// or moved to `skipped` in file order (`skip` true).
    pub fn select(&mut self, filter: &[crate::standard::TagMatch], skip: bool) {
        if filter.is_empty() {
            return;
        }
        let (keep, out): (Vec<RawFeature>, Vec<RawFeature>) = std::mem::take(&mut self.features)
            .into_iter()
            .partition(|f| filter.iter().all(|t| t.find(&f.properties).is_some()));
        self.features = keep;
        if skip {
            self.skipped.extend(out.into_iter().map(|f| SkippedFeature {
                index: f.index,
                id: f.id,
                reason: SkipReason::NotSelected,
            }));
            self.skipped.sort_by_key(|s| s.index);
        }
    }
}

/// What went wrong reading a layer. Every variant names the file.
#[derive(Debug, Error)]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file as a whole is wrong (not JSON, not a FeatureCollection, ...).
    #[error("{}: {problem}", .path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        problem: String,
    },
    /// One feature is wrong.
    #[error("{}: feature {index}{}: {problem}", .path.display(), id_note(.id))]
    Feature {
        /// The file.
        path: PathBuf,
        /// 0-based index in `features`.
        index: usize,
        /// The feature's id, if any.
        id: Option<String>,
        /// What is wrong and what to do.
        problem: String,
    },
}

fn id_note(id: &Option<String>) -> String {
    match id {
        Some(id) => format!(" (id {id})"),
        None => String::new(),
    }
}

/// How strictly to read, what to keep, and how to read formats other than GeoJSON.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Turn every skippable problem (null or empty geometry) into an error.
    pub strict: bool,
    /// Which properties to keep.
    pub properties: Properties,
    /// Format, layer and text encoding (`--format`, `--layer`, `--encoding`).
    pub source: crate::io::source::SourceOptions,
}

/// Which feature properties a reader keeps (ids are always read).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Properties {
    /// Every property.
    #[default]
    All,
    /// None: `RawFeature::properties` stays empty (a layer only located and named, such as
    /// a million homes under `check`).
    None,
}

/// Read a GeoJSON FeatureCollection from `path`.
pub fn read_layer(path: &Path, opts: ReadOptions) -> Result<Layer, InputError> {
    if path.is_dir() {
        return Err(file_error(path, "is a directory, not a GeoJSON file"));
    }
    let bytes = crate::io::source::read_bytes(path)?;
    parse_layer(path, &bytes, opts)
}

/// Parse GeoJSON text already in memory; `path` is used in messages only.
pub fn parse_layer(path: &Path, bytes: &[u8], opts: ReadOptions) -> Result<Layer, InputError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(file_error(
            path,
            "is UTF-16 text; GeoJSON must be UTF-8 (re-save it as UTF-8)",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(file_error(
            path,
            "is empty; expected a GeoJSON FeatureCollection",
        ));
    }
    if let Some(layer) = stream::parse(path, bytes, &opts) {
        return Ok(layer);
    }
    parse_tree(path, bytes, &opts)
}

/// The tree reader: the whole file as a JSON value, then each feature. Slower and hungrier
/// than [`stream`], it is the reference that words every error.
fn parse_tree(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Layer, InputError> {
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        if let Some(what) = crate::io::sniff::not_geojson(bytes) {
            return file_error(path, &what);
        }
        let at = text_at(bytes, e.line(), e.column());
        let detail = if ["NaN", "Infinity", "-Infinity"].iter().any(|w| at.starts_with(w)) {
            "NaN and Infinity are not JSON numbers; remove the feature or give it \"geometry\": null".to_string()
        } else if e.to_string().starts_with("recursion limit") {
            "nested more than 128 levels deep".to_string()
        } else {
            strip_position(&e.to_string()).to_string()
        };
        file_error(
            path,
            &format!(
                "is not valid JSON (line {}, column {}): {detail}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let Value::Object(mut root) = root else {
        return Err(file_error(
            path,
            &format!(
                "expected a GeoJSON FeatureCollection object, found a JSON {}",
                json_kind(&root)
            ),
        ));
    };
    match root.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some(other) => {
            return Err(file_error(
                path,
                &format!(
                    "expected a GeoJSON FeatureCollection, found type \"{other}\" (wrap it in a FeatureCollection)"
                ),
            ));
        }
        None => {
            return Err(file_error(
                path,
                "expected a GeoJSON FeatureCollection: the top-level object has no \"type\"",
            ));
        }
    }
    let crs_member = root.remove("crs");
    let features = match root.remove("features") {
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(file_error(
                path,
                &format!(
                    "\"features\" must be an array, found a JSON {}",
                    json_kind(&other)
                ),
            ));
        }
        None => {
            return Err(file_error(
                path,
                "the FeatureCollection has no \"features\" array",
            ));
        }
    };
    let mut layer = Layer {
        path: path.to_path_buf(),
        features: Vec::with_capacity(features.len()),
        skipped: Vec::new(),
        crs_member,
        declared_crs: None,
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    for (index, value) in features.into_iter().enumerate() {
        read_feature(&mut layer, index, value, opts)?;
    }
    Ok(layer)
}

fn read_feature(
    layer: &mut Layer,
    index: usize,
    value: Value,
    opts: &ReadOptions,
) -> Result<(), InputError> {
    let id = raw_id(&value);
    let err = |problem: String| InputError::Feature {
        path: layer.path.clone(),
        index,
        id: id.clone(),
        problem,
    };
    let Value::Object(obj) = &value else {
        return Err(err(format!(
            "expected a Feature object, found a JSON {}",
            json_kind(&value)
        )));
    };
    if obj.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(err("is not of \"type\": \"Feature\"".into()));
    }
    if !obj.contains_key("geometry") {
        return Err(err(
            "has no \"geometry\" member (use \"geometry\": null for a feature without one)".into(),
        ));
    }
    let feature: geojson::Feature = serde_json::from_value(value)
        .map_err(|e| err(format!("is not a valid GeoJSON Feature: {e}")))?;
    let properties = match opts.properties {
        Properties::All => feature.properties.unwrap_or_default(),
        Properties::None => Map::new(),
    };
    let skip = |reason: SkipReason| -> Result<Option<SkippedFeature>, InputError> {
        if opts.strict {
            Err(InputError::Feature {
                path: layer.path.clone(),
                index,
                id: id.clone(),
                problem: format!("{reason} (--strict)"),
            })
        } else {
            Ok(Some(SkippedFeature {
                index,
                id: id.clone(),
                reason,
            }))
        }
    };
    let Some(geom) = feature.geometry else {
        if let Some(s) = skip(SkipReason::NullGeometry)? {
            layer.skipped.push(s);
        }
        return Ok(());
    };
    match geometry::to_geo(&geom.value) {
        Ok(g) if g.coords_count() == 0 => {
            if let Some(s) = skip(SkipReason::EmptyGeometry)? {
                layer.skipped.push(s);
            }
        }
        Ok(geometry) => layer.features.push(RawFeature {
            index,
            id,
            properties,
            geometry,
        }),
        Err(problem) => return Err(err(problem.to_string())),
    }
    Ok(())
}

/// Check that every coordinate of every feature is a plausible WGS84 lon/lat.
pub fn check_lonlat(layer: &Layer) -> Result<(), InputError> {
    check_lonlat_for(layer, "--crs")
}

/// As [`check_lonlat`]; a hint names `crs_flag`, the flag that sets this layer's CRS (e.g.
/// `--points-crs`).
pub fn check_lonlat_for(layer: &Layer, crs_flag: &str) -> Result<(), InputError> {
    use rayon::prelude::*;
    // The first problem in file order, whichever thread finds it.
    let first = layer
        .features
        .par_iter()
        .with_max_len(layer.coord_piece())
        .find_map_first(|f| {
            let problem = match &f.geometry {
                Geometry::Point(p) => lonlat_problem(p.x(), p.y(), crs_flag),
                g => g
                    .coords_iter()
                    .find_map(|c| lonlat_problem(c.x, c.y, crs_flag)),
            };
            problem.map(|problem| InputError::Feature {
                path: layer.path.clone(),
                index: f.index,
                id: f.id.clone(),
                problem,
            })
        });
    first.map_or(Ok(()), Err)
}

fn lonlat_problem(x: f64, y: f64, crs_flag: &str) -> Option<String> {
    if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
        return None;
    }
    let hint = if x.abs() <= 90.0 && y.abs() <= 180.0 {
        "the axes look swapped (lat, lon): GeoJSON positions are [lon, lat]; pass --swap-xy"
            .to_string()
    } else if x.abs() > 1000.0 || y.abs() > 1000.0 {
        format!(
            "the file looks projected (metres), not WGS84 lon/lat: give this layer's CRS with {crs_flag} (e.g. {crs_flag} EPSG:32648) or reproject it to EPSG:4326"
        )
    } else {
        "longitude must be within ±180 and latitude within ±90".to_string()
    };
    Some(format!(
        "coordinate [{x}, {y}] is outside the lon/lat range; {hint}"
    ))
}

/// A feature's id as every reader names it: a string as it is, a number as serde_json prints
/// it; anything else is no id.
pub fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn raw_id(value: &Value) -> Option<String> {
    let text = id_text;
    value
        .get("id")
        .and_then(text)
        .or_else(|| value.get("properties")?.get("id").and_then(text))
}

fn file_error(path: &Path, problem: &str) -> InputError {
    InputError::File {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The text from 1-based `line`, `column` (serde_json points at the last byte it read).
fn text_at(bytes: &[u8], line: usize, column: usize) -> &str {
    let Some(l) = bytes.split(|&b| b == b'\n').nth(line.saturating_sub(1)) else {
        return "";
    };
    let start = column.saturating_sub(1).min(l.len());
    let end = (start + 10).min(l.len());
    std::str::from_utf8(&l[start..end]).unwrap_or("")
}

/// serde_json appends " at line L column C"; the message states the position itself.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Layer, InputError> {
        parse_layer(
            Path::new("t.geojson"),
            text.as_bytes(),
            ReadOptions::default(),
        )
    }

    #[test]
    fn reads_ids_and_skips_null_geometry() {
        let l = parse(
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"a","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},
            {"type":"Feature","properties":{"id":7},"geometry":null},
            {"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[1,2,3]}}]}"#,
        )
        .unwrap();
        assert_eq!(l.features.len(), 2);
        assert_eq!(l.features[0].id.as_deref(), Some("a"));
        assert_eq!(l.features[1].id_or_index(), "2");
        assert_eq!(l.skipped[0].id.as_deref(), Some("7"));
        assert_eq!(l.skipped[0].reason, SkipReason::NullGeometry);
        assert_eq!(l.read_count(), 3);
    }

    #[test]
    fn strict_turns_skips_into_errors() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#;
        let e = parse_layer(
            Path::new("t.geojson"),
            text.as_bytes(),
            ReadOptions {
                strict: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.geojson: feature 0: null geometry (--strict)"
        );
    }

    #[test]
    fn whole_file_errors_name_the_file() {
        let e = parse("{\"type\":\"Feature\"}").unwrap_err().to_string();
        assert!(
            e.starts_with(
                "t.geojson: expected a GeoJSON FeatureCollection, found type \"Feature\""
            ),
            "{e}"
        );
        let e = parse("{\"type\":").unwrap_err().to_string();
        assert!(e.contains("not valid JSON (line 1, column 8)"), "{e}");
        assert!(parse("").unwrap_err().to_string().contains("is empty"));
        assert!(
            parse("[1]")
                .unwrap_err()
                .to_string()
                .contains("found a JSON array")
        );
    }

    #[test]
    fn lonlat_range_is_checked_with_a_hint() {
        let l = parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":9,"properties":{},"geometry":{"type":"Point","coordinates":[650000,3270000]}}]}"#).unwrap();
        let e = check_lonlat(&l).unwrap_err().to_string();
        assert!(
            e.starts_with("t.geojson: feature 0 (id 9): coordinate [650000, 3270000]"),
            "{e}"
        );
        assert!(e.contains("projected"), "{e}");
        let l = parse(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[47.1,120.5]}}]}"#).unwrap();
        assert!(
            check_lonlat(&l)
                .unwrap_err()
                .to_string()
                .contains("swapped")
        );
    }
}
