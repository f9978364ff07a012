//! Command-line definitions (clap) and their translation into library configs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use greenreach::crs::SourceCrs;
use greenreach::io::load::CrsOptions;
use greenreach::report::{Lang, ReportConfig, WeightSource, ZoneSpec};
use greenreach::standard::homes::HomeFilter;
use greenreach::standard::{TagMatch, file};
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
    /// Run the check and write a planner's report folder (HTML, JSON, Markdown, CSV, map).
    /// Without arguments: the shipped Liechtenstein data by municipality.
    Report(Box<ReportArgs>),
    /// List the built-in standards, or show one (as TOML with --toml).
    Standards(StandardsArgs),
    /// Write the deterministic synthetic city used for benchmarks (GeoJSON, UTM 48N and WGS84).
    Synth(SynthArgs),
}

/// `greenreach synth` options.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// The folder to write.
    #[arg(long, value_name = "DIR", default_value = "synth-city")]
    pub out: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 20240611)]
    pub seed: u64,
    /// Small street greens (200–5000 m²).
    #[arg(long, default_value_t = 3000)]
    pub street: usize,
    /// Leisure spaces (0.5–5 ha).
    #[arg(long, default_value_t = 800)]
    pub leisure: usize,
    /// Parks (5–300 ha, up to 2000 vertices, 30% with holes).
    #[arg(long, default_value_t = 120)]
    pub parks: usize,
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

/// Inputs, standard and run options shared by `check` and `report`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("demand").args(["points", "residential", "grid"]))]
pub struct InputArgs {
    /// Green-space layer (GeoJSON FeatureCollection; WGS84 unless --crs); repeat for several files.
    #[arg(long, value_name = "FILE")]
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
    /// Which --residential features are homes: all, or osm (dwelling building types; a plain
    /// building=yes without a name or non-residential use, of 30–2000 m²).
    #[arg(long, value_enum)]
    pub homes: Option<Homes>,
    /// Polygons the grid covers (default: the extent of the green spaces).
    #[arg(long, value_name = "FILE", requires = "grid")]
    pub area: Option<PathBuf>,
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

/// `greenreach check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inputs and run options.
    #[command(flatten)]
    pub input: InputArgs,
    /// Per-point output file, .csv or .geojson.
    #[arg(long, value_name = "FILE", default_value = "greenreach-check.csv")]
    pub out: PathBuf,
    /// Print the summary only; write no per-point file (flags only: fastest).
    #[arg(long)]
    pub summary_only: bool,
    /// Also write the green features that count, each with its category and tiers (GeoJSON).
    #[arg(long, value_name = "FILE")]
    pub classified: Option<PathBuf>,
}

/// `greenreach report` options.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inputs and run options.
    #[command(flatten)]
    pub input: InputArgs,
    /// The folder to write.
    #[arg(long, value_name = "DIR", default_value = "greenreach-report")]
    pub out: PathBuf,
    /// Weight homes by this numeric property of the points / residential layer (e.g. population).
    #[arg(long, value_name = "PROPERTY", conflicts_with = "population")]
    pub weight: Option<String>,
    /// Weight homes by a population layer (points or grid cells), each cell's population spread
    /// over the homes in it.
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// The population property of --population.
    #[arg(long, value_name = "PROPERTY", default_value = "population")]
    pub population_field: String,
    /// Zone polygons (districts, municipalities, 街道).
    #[arg(long, value_name = "FILE")]
    pub zones: Option<PathBuf>,
    /// The property that names a zone.
    #[arg(long, value_name = "PROPERTY", default_value = "name")]
    pub zone_name: String,
    /// Keep only zone features with this tag, e.g. admin_level=8 (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub zone_where: Vec<String>,
    /// CRS of --zones (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub zones_crs: Option<SourceCrs>,
    /// Residential land polygons for the land-area share (default: the --residential layer).
    #[arg(long, value_name = "FILE")]
    pub land: Option<PathBuf>,
    /// Failing homes closer than this form one gap, metres [default: 150, or 1.5 × grid spacing].
    #[arg(long, value_name = "M")]
    pub gap_link: Option<f64>,
    /// Smallest cell of the land-area quadtree, metres.
    #[arg(long, value_name = "M", default_value_t = 2.0)]
    pub land_cell: f64,
    /// Language of the page, summary.md, map and printed summary: zh or en [default: zh for
    /// the Chinese standards (jiangbei, jiangbei-alt, gbt51346, Chinese tier labels), else en].
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<Lang>,
    /// Also print the page to report.pdf (A4) with a locally installed Chromium or Chrome
    /// (or the browser named by GREENREACH_BROWSER).
    #[arg(long)]
    pub pdf: bool,
}

/// The shipped data `greenreach report` uses without arguments.
pub const DEFAULT_GREEN: [&str; 2] = [
    "geodata/liechtenstein/green_areas.geojson",
    "geodata/liechtenstein/green_points.geojson",
];
/// Homes of the default report.
pub const DEFAULT_HOMES: &str = "geodata/liechtenstein/buildings.geojson";
/// Zones of the default report.
pub const DEFAULT_ZONES: &str = "geodata/liechtenstein/admin_boundaries.geojson";

impl InputArgs {
    fn is_bare(&self) -> bool {
        self.green.is_empty()
            && self.points.is_none()
            && self.residential.is_none()
            && self.grid.is_none()
    }

    /// The library config these options describe.
    pub fn config(&self, out: Option<PathBuf>) -> Result<CheckConfig, Error> {
        let standard = file::load(&self.standard)?;
        let demand = match (&self.points, &self.residential, self.grid) {
            (Some(p), _, _) => DemandSource::Points(p.clone()),
            (_, Some(r), _) => DemandSource::Residential(r.clone()),
            (_, _, Some(spacing_m)) => DemandSource::Grid {
                spacing_m,
                area: self.area.clone(),
            },
            _ => {
                return Err(Error::Config(
                    "give the demand points: --points FILE, --residential FILE or --grid SPACING_M"
                        .into(),
                ));
            }
        };
        Ok(CheckConfig {
            green: self.green.clone(),
            demand,
            max_distance_m: self
                .max_distance
                .unwrap_or_else(|| standard.max_radius().max(5000.0)),
            standard,
            out,
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
                Some(Homes::Osm) => HomeFilter::OsmHomes,
                _ => HomeFilter::All,
            },
            classified_out: None,
        })
    }
}

impl CheckArgs {
    /// The library config these options describe.
    pub fn config(&self) -> Result<CheckConfig, Error> {
        let mut cfg = self
            .input
            .config((!self.summary_only).then(|| self.out.clone()))?;
        cfg.classified_out = self.classified.clone();
        Ok(cfg)
    }
}

impl ReportArgs {
    /// The library config these options describe; with no inputs at all, the shipped
    /// Liechtenstein data by municipality.
    pub fn config(&mut self) -> Result<ReportConfig, Error> {
        let bare = self.input.is_bare();
        if bare {
            self.input.green = DEFAULT_GREEN.iter().map(PathBuf::from).collect();
            self.input.residential = Some(DEFAULT_HOMES.into());
            self.input.homes = self.input.homes.or(Some(Homes::Osm));
            if self.zones.is_none() {
                self.zones = Some(DEFAULT_ZONES.into());
                if self.zone_where.is_empty() {
                    self.zone_where = vec!["admin_level=8".into()];
                }
            }
            if !PathBuf::from(DEFAULT_HOMES).exists() {
                return Err(Error::Config(format!(
                    "{DEFAULT_HOMES} not found: run `greenreach report` from the repository, or give --green and --residential/--points/--grid"
                )));
            }
        }
        let check = self.input.config(None)?;
        let weight = match (&self.weight, &self.population) {
            (Some(p), _) => WeightSource::Property(p.clone()),
            (_, Some(path)) => WeightSource::Population {
                path: path.clone(),
                field: self.population_field.clone(),
            },
            _ => WeightSource::Points,
        };
        let filter = self
            .zone_where
            .iter()
            .map(|w| TagMatch::parse(w).map_err(|e| Error::Config(format!("--zone-where: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let lang = self
            .lang
            .unwrap_or_else(|| Lang::default_for(&check.standard));
        Ok(ReportConfig {
            check,
            out_dir: self.out.clone(),
            weight,
            zones: self.zones.clone().map(|path| ZoneSpec {
                path,
                name_property: self.zone_name.clone(),
                filter,
                crs: self.zones_crs.clone(),
            }),
            land: self.land.clone(),
            gap_link_m: self.gap_link,
            land_cell_m: self.land_cell,
            lang,
            pdf: self.pdf,
        })
    }
}

/// `--homes` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Homes {
    /// Every residential feature.
    All,
    /// OSM buildings that are homes.
    Osm,
}

fn parse_crs(s: &str) -> Result<SourceCrs, String> {
    s.parse()
}
