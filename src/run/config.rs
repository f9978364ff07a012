//! The validated configuration of a `check` run: inputs, demand source, standard, limits.
//! Built by the binary (or a library user); read by the stages of `run` and by `report`.

use std::path::PathBuf;

use crate::crs::SourceCrs;
use crate::error::Error;
use crate::io::input::{Properties, ReadOptions};
use crate::io::load::CrsOptions;
use crate::io::output::Format;
use crate::io::source::SourceOptions;
use crate::standard::homes::HomeFilter;
use crate::standard::{Standard, TagMatch};

/// Where the demand points come from.
#[derive(Debug, Clone, PartialEq)]
pub enum DemandSource {
    /// Point features (polygons give a representative point).
    Points(PathBuf),
    /// Residential polygons (buildings or areas), one representative point each.
    Residential(PathBuf),
    /// A regular grid with this spacing in metres, over the polygons of `area` or, without
    /// one, over the extent of the green spaces that serve a tier.
    Grid {
        /// Grid spacing, metres.
        spacing_m: f64,
        /// Area polygons to cover.
        area: Option<PathBuf>,
    },
}

/// A validated `check` run.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Green layers.
    pub green: Vec<PathBuf>,
    /// Demand points.
    pub demand: DemandSource,
    /// The standard to check.
    pub standard: Standard,
    /// Search limit for the nearest feature, metres.
    pub max_distance_m: f64,
    /// Per-point output file; `None` computes flags only (summary only).
    pub out: Option<PathBuf>,
    /// Warnings become errors.
    pub strict: bool,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// `--crs` and `--swap-xy`.
    pub crs: CrsOptions,
    /// `--green-crs`.
    pub green_crs: Option<SourceCrs>,
    /// `--points-crs` (points or residential layer).
    pub points_crs: Option<SourceCrs>,
    /// `--area-crs`.
    pub area_crs: Option<SourceCrs>,
    /// Which residential features are homes.
    pub homes: HomeFilter,
    /// Also write the green features that count, with their category (GeoJSON).
    pub classified_out: Option<PathBuf>,
    /// Which properties of the demand layer to keep (ids are always read). `check` needs
    /// none unless a homes filter reads tags; the report's labels and weights need them.
    pub demand_properties: Properties,
    /// `--format`, `--layer`, `--encoding` for inputs other than GeoJSON.
    pub source: SourceOptions,
    /// `--green-where`: only green features passing every test are read.
    pub green_where: Vec<TagMatch>,
    /// `--residential-where` / `--points-where`: demand features failing a test are skipped.
    pub demand_where: Vec<TagMatch>,
    /// `--metric walk`: distances on foot over this network; `None` measures straight lines.
    pub walk: Option<crate::run::walk::WalkConfig>,
}

impl CheckConfig {
    /// How every input layer is read: `--strict`, and `--format`, `--layer`, `--encoding`.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            strict: self.strict,
            source: self.source.clone(),
            ..Default::default()
        }
    }

    /// A run with the default standard and limits.
    pub fn new(green: Vec<PathBuf>, demand: DemandSource) -> Self {
        Self {
            green,
            demand,
            standard: crate::standard::presets::jiangbei(),
            max_distance_m: 5000.0,
            out: None,
            strict: false,
            threads: None,
            crs: CrsOptions::default(),
            green_crs: None,
            points_crs: None,
            area_crs: None,
            homes: HomeFilter::All,
            classified_out: None,
            demand_properties: Properties::All,
            source: SourceOptions::default(),
            green_where: Vec::new(),
            demand_where: Vec::new(),
            walk: None,
        }
    }

    /// Check the options before any file is read.
    pub fn validate(&self) -> Result<Format, Error> {
        if self.green.is_empty() {
            return Err(Error::Config(
                "give at least one green layer (--green FILE)".into(),
            ));
        }
        let max_r = self.standard.max_radius();
        if !(self.max_distance_m.is_finite() && self.max_distance_m >= max_r) {
            return Err(Error::Config(format!(
                "--max-distance {} m must be a number at least the largest tier radius ({max_r} m)",
                self.max_distance_m
            )));
        }
        if let DemandSource::Grid { spacing_m, .. } = self.demand
            && !(spacing_m.is_finite() && spacing_m > 0.0)
        {
            return Err(Error::Config(format!(
                "--grid spacing must be a positive number of metres, got {spacing_m}"
            )));
        }
        if let Some(w) = &self.walk {
            w.validate()?;
            if matches!(
                self.out.as_deref().and_then(Format::from_path),
                Some(Format::FlatGeobuf | Format::GeoParquet)
            ) {
                return Err(Error::Config(
                    "--metric walk writes .csv, .geojson or .gpkg per-point files, not FlatGeobuf or GeoParquet".into(),
                ));
            }
        }
        if let Some(0) = self.threads {
            return Err(Error::Config("--threads must be at least 1".into()));
        }
        #[cfg(not(feature = "geoparquet"))]
        if let Some(p) = self
            .out
            .as_deref()
            .filter(|p| Format::from_path(p) == Some(Format::GeoParquet))
        {
            return Err(Error::Config(format!(
                "{}: {}",
                p.display(),
                crate::io::output::NO_PARQUET_OUT
            )));
        }
        match &self.out {
            None => Ok(Format::Csv),
            Some(p) => Format::from_path(p).ok_or_else(|| {
                Error::Config(format!(
                    "{}: unknown output format; use a .csv, .geojson, .fgb, .gpkg or .parquet file name",
                    p.display()
                ))
            }),
        }
    }
}
