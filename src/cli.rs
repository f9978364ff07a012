//! Command-line definitions (clap) and their translation into library configs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use greenreach::crs::SourceCrs;
use greenreach::homes::HomeFilter;
use greenreach::load::CrsOptions;
use greenreach::standard::file;
use greenreach::{CheckConfig, DemandSource, Error};

/// Which homes are within reach of green space, and how far the rest fall short.
#[derive(Debug, Parser)]
#[command(name = "greenreach", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decide for every demand point whether each tier of the standard is met.
    Check(Box<CheckArgs>),
    /// List the built-in standards, or show one (as TOML with --toml).
    Standards(StandardsArgs),
}

/// `greenreach standards` options.
#[derive(Debug, Args)]
pub struct StandardsArgs {
    /// A preset name or a .toml file; without it, list the presets.
    pub name: Option<String>,
    /// Print the standard as an editable TOML file.
    #[arg(long, requires = "name")]
    pub toml: bool,
}

/// `greenreach check` options.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("demand").required(true).args(["points", "residential", "grid"]))]
pub struct CheckArgs {
    /// Green-space layer (GeoJSON FeatureCollection; WGS84 unless --crs); repeat for several files.
    #[arg(long, required = true, value_name = "FILE")]
    pub green: Vec<PathBuf>,
    /// Demand points: Point/MultiPoint features (polygons give a representative point).
    #[arg(long, value_name = "FILE")]
    pub points: Option<PathBuf>,
    /// Demand points: residential polygons (buildings or areas), one point inside each.
    #[arg(long, value_name = "FILE")]
    pub residential: Option<PathBuf>,
    /// Demand points: a regular grid with this spacing in metres.
    #[arg(long, value_name = "SPACING_M")]
    pub grid: Option<f64>,
    /// Which --residential features are homes: all, or osm (dwelling building types; plain
    /// building=yes without a non-residential use and of at least 30 m²).
    #[arg(long, value_enum, default_value = "all")]
    pub homes: Homes,
    /// Polygons the grid covers (default: the extent of the green spaces).
    #[arg(long, value_name = "FILE", requires = "grid")]
    pub area: Option<PathBuf>,
    /// Per-point output file, .csv or .geojson.
    #[arg(long, value_name = "FILE", default_value = "greenreach-check.csv")]
    pub out: PathBuf,
    /// Print the summary only; write no per-point file (flags only: fastest).
    #[arg(long)]
    pub summary_only: bool,
    /// The standard: a preset name (see `greenreach standards`) or a TOML file.
    #[arg(long, value_name = "NAME|FILE", default_value = "jiangbei")]
    pub standard: String,
    /// Search limit for the nearest feature, metres [default: 5000, or the largest radius].
    #[arg(long, value_name = "M")]
    pub max_distance: Option<f64>,
    /// CRS of every input: wgs84 (default), cgcs2000, gcj02, bd09, EPSG:CODE or a +proj= string.
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub crs: Option<SourceCrs>,
    /// CRS of the green layers (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub green_crs: Option<SourceCrs>,
    /// CRS of the --points / --residential layer (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub points_crs: Option<SourceCrs>,
    /// CRS of the --area layer (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub area_crs: Option<SourceCrs>,
    /// Projected inputs have northing first (common in Chinese survey files).
    #[arg(long)]
    pub swap_xy: bool,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Turn every warning into an error.
    #[arg(long)]
    pub strict: bool,
}

impl CheckArgs {
    /// The library config these options describe.
    pub fn config(&self) -> Result<CheckConfig, Error> {
        let standard = file::load(&self.standard)?;
        let demand = match (&self.points, &self.residential, self.grid) {
            (Some(p), _, _) => DemandSource::Points(p.clone()),
            (_, Some(r), _) => DemandSource::Residential(r.clone()),
            (_, _, Some(spacing_m)) => DemandSource::Grid {
                spacing_m,
                area: self.area.clone(),
            },
            _ => unreachable!("clap requires one demand source"),
        };
        Ok(CheckConfig {
            green: self.green.clone(),
            demand,
            max_distance_m: self
                .max_distance
                .unwrap_or_else(|| standard.max_radius().max(5000.0)),
            standard,
            out: (!self.summary_only).then(|| self.out.clone()),
            strict: self.strict,
            threads: self.threads,
            crs: CrsOptions {
                all: self.crs.clone(),
                swap_xy: self.swap_xy,
            },
            green_crs: self.green_crs.clone(),
            points_crs: self.points_crs.clone(),
            area_crs: self.area_crs.clone(),
            homes: match self.homes {
                Homes::All => HomeFilter::All,
                Homes::Osm => HomeFilter::OsmHomes,
            },
        })
    }
}

fn parse_crs(s: &str) -> Result<SourceCrs, String> {
    s.parse()
}

/// `--homes` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Homes {
    /// Every residential feature.
    All,
    /// OSM buildings that are homes.
    Osm,
}
