//! Command-line definitions (clap) and their translation into library configs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use greenreach::crs::SourceCrs;
use greenreach::engine::siting::Goal;
use greenreach::io::input::Properties;
use greenreach::io::load::CrsOptions;
use greenreach::io::source::{InputFormat, SourceOptions};
use greenreach::report::site::{CandidateSource, SiteConfig};
use greenreach::report::{Lang, ReportConfig, WeightSource, ZoneOverlap, ZoneSpec};
use greenreach::run::shard::ShardSpec;
use greenreach::run::walk::WalkConfig;
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
    /// Where to add green spaces of one tier so that the most homes newly meet it
    /// (candidate sites from a file or a lattice; greedy with a bound on the optimum).
    Site(Box<SiteArgs>),
    /// List the built-in standards, or show one (as TOML with --toml).
    Standards(StandardsArgs),
    /// Write the deterministic synthetic city used for benchmarks (GeoJSON, UTM 48N and WGS84).
    Synth(SynthArgs),
    /// Add the summaries of `check --shard I/N` runs into the summary of a single run, and
    /// their per-point files into one.
    Merge(MergeArgs),
}

/// `greenreach merge` options.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard summaries (`--shard-summary` files of every shard of one study).
    #[arg(required = true, value_name = "SHARD.json")]
    pub shards: Vec<PathBuf>,
    /// Also merge the shards' per-point files into this CSV, in the single run's order.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also find the gaps of every tier over the merged homes (across shard edges) and write
    /// them as GeoJSON to this file.
    #[arg(long, value_name = "FILE.geojson", requires = "out")]
    pub gaps: Option<PathBuf>,
    /// Failing homes closer than this form one gap, metres.
    #[arg(long, value_name = "M", default_value_t = 150.0)]
    pub gap_link: f64,
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
    /// Also write a walking network: a street grid with this spacing in metres (20 gives
    /// about 1M junctions) cut by a river with 10 bridges and a motorway with 10 footbridges
    /// (streets_utm48n.geojson), and --homes random homes (homes_utm48n.geojson).
    #[arg(long, value_name = "M")]
    pub streets_every: Option<f64>,
    /// Homes written with --streets-every.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1_000_000,
        requires = "streets_every"
    )]
    pub homes: usize,
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
    /// An OpenStreetMap extract (.osm.pbf) that fills every layer not given by its own flag:
    /// green spaces (the standard's tag rules), homes (buildings, --homes osm), and for
    /// `report` residential land (landuse=residential) and zones (boundary=administrative,
    /// --zone-where admin_level=8 unless given).
    #[arg(long, value_name = "FILE.osm.pbf")]
    pub osm: Option<PathBuf>,
    /// Green-space layer (GeoJSON, Shapefile, GeoPackage, FlatGeobuf or CSV; WGS84 unless the
    /// file or --crs says otherwise); repeat for several files.
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
    /// Inputs have their axes the other way round: northing first (common in Chinese survey
    /// files) or [lat, lon].
    #[arg(long)]
    pub swap_xy: bool,
    /// Accept a layer that lies mostly out of reach of the green layers, or looks axis-swapped
    /// (an error otherwise: usually a wrong CRS).
    #[arg(long)]
    pub allow_far_layers: bool,
    /// Format of inputs whose extension does not say it: geojson, shp, gpkg, fgb, csv.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<InputFormat>,
    /// Keep only green features with this attribute, e.g. 用地代码=G1* or "DLBM in 1401,1403"
    /// (repeatable: all must hold). A land-use map then needs a standard that reads its codes
    /// (--standard gb50137 or ydyh).
    #[arg(long, value_name = "KEY=VALUE")]
    pub green_where: Vec<String>,
    /// Only --points / --residential features with this attribute are demand points, e.g.
    /// 用地代码=R* (repeatable); the others are listed as skipped.
    #[arg(long, visible_alias = "points-where", value_name = "KEY=VALUE")]
    pub residential_where: Vec<String>,
    /// The GeoPackage layer to read (when a file holds several; or give FILE.gpkg:LAYER).
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
    /// Text encoding of Shapefile attributes and CSV files (utf-8, gbk, ...) [default: from
    /// the .cpg, the DBF language id, or the text itself].
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
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
    /// Per-point output file: .csv, .geojson, .fgb (FlatGeobuf), .gpkg (GeoPackage) or .parquet
    /// (GeoParquet build); under --metric walk .csv, .geojson or .gpkg; missing folders are
    /// created.
    #[arg(long, value_name = "FILE", default_value = "greenreach-check.csv")]
    pub out: PathBuf,
    /// Print the summary only; write no per-point file (flags only: fastest).
    #[arg(long)]
    pub summary_only: bool,
    /// Also write the green features that count, each with its category and tiers (GeoJSON).
    #[arg(long, value_name = "FILE")]
    pub classified: Option<PathBuf>,
    /// Green spaces that do not exist yet (repeatable): prints before → after per tier and
    /// the homes each proposed space newly serves.
    #[arg(long, value_name = "FILE")]
    pub proposed: Vec<PathBuf>,
    /// Evaluate only part I of N of the demand points (a deterministic spatial split; green
    /// features within the part's bounds plus the search limit); `greenreach merge` adds the
    /// parts up. The per-point file (CSV) gets a leading `row` column.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, conflicts_with = "classified")]
    pub shard: Option<ShardSpec>,
    /// Where the shard writes its summary for `merge` [default: greenreach-shard-I-of-N.json].
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub shard_summary: Option<PathBuf>,
    /// Walking options.
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// Distance on foot over a street network.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// How distance is measured: straight (a straight line) or walk (on foot over --network).
    #[arg(long, value_enum, default_value = "straight")]
    pub metric: Metric,
    /// The walking network: an OSM extract (.osm.pbf) or GeoJSON LineStrings with OSM tags
    /// as properties [default with --osm: the --osm file].
    #[arg(long, value_name = "FILE")]
    pub network: Option<PathBuf>,
    /// CRS of --network and --entrances (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub network_crs: Option<SourceCrs>,
    /// CRS of --entrances (overrides --network-crs and --crs; e.g. projected entrances beside
    /// an .osm.pbf network, which is always WGS84).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub entrances_crs: Option<SourceCrs>,
    /// A home farther than this from any walkable way has status no_network, metres.
    #[arg(long, value_name = "M", default_value_t = greenreach::run::walk::DEFAULT_SNAP_M)]
    pub snap: f64,
    /// Points that are entrances of green spaces (besides gates and crossings in the network).
    #[arg(long, value_name = "FILE")]
    pub entrances: Option<PathBuf>,
    /// Write the walking graph as used (edges, nodes, entrances, home snaps) to a GeoJSON file.
    #[arg(long, value_name = "FILE")]
    pub export_network: Option<PathBuf>,
    /// Trunk roads without a sidewalk tag are walkable too.
    #[arg(long)]
    pub walk_trunk: bool,
}

/// `--metric` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Metric {
    /// Straight-line ground distance.
    Straight,
    /// Walking distance over --network.
    Walk,
}

impl WalkArgs {
    /// The walking config, `None` for straight lines; an error for walking options without
    /// `--metric walk` or a network. `osm`: the `--osm` file, the network when none is given.
    pub fn config(&self, osm: Option<&PathBuf>) -> Result<Option<WalkConfig>, Error> {
        if self.metric == Metric::Straight {
            let stray = [
                (self.network.is_some(), "--network"),
                (self.entrances.is_some(), "--entrances"),
                (self.export_network.is_some(), "--export-network"),
                (self.network_crs.is_some(), "--network-crs"),
                (self.entrances_crs.is_some(), "--entrances-crs"),
                (self.walk_trunk, "--walk-trunk"),
            ];
            if let Some((_, flag)) = stray.iter().find(|(on, _)| *on) {
                return Err(Error::Config(format!(
                    "{flag} needs --metric walk (distances are straight lines otherwise)"
                )));
            }
            return Ok(None);
        }
        let Some(network) = self.network.as_ref().or(osm) else {
            return Err(Error::Config(
                "--metric walk needs --network FILE (an .osm.pbf extract, or GeoJSON ways with OSM tags) or --osm FILE.osm.pbf".into(),
            ));
        };
        let mut wc = WalkConfig::new(network.clone());
        wc.network_crs = self.network_crs.clone();
        wc.entrances = self.entrances.clone();
        wc.entrances_crs = self.entrances_crs.clone();
        wc.snap_m = self.snap;
        wc.walk_trunk = self.walk_trunk;
        wc.export = self.export_network.clone();
        Ok(Some(wc))
    }
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
    /// How homes are weighted.
    #[command(flatten)]
    pub weights: WeightArgs,
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
    /// Homes in several zones: an error (default), counted in the first zone in file order, or
    /// counted in each zone that holds them.
    #[arg(long, value_name = "RULE", value_enum, default_value_t = ZoneOverlapArg::Error)]
    pub zone_overlap: ZoneOverlapArg,
    /// Residential land-use polygons, the denominator of the land-area rate (服务半径覆盖率).
    /// Without it, the --residential polygons are measured and called building footprint area.
    #[arg(long, value_name = "FILE")]
    pub land: Option<PathBuf>,
    /// CRS of --land (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub land_crs: Option<SourceCrs>,
    /// Only --land features with this attribute are residential land, e.g. 用地代码=R* or
    /// "DLBM in 0701,0702" (repeatable).
    #[arg(long, value_name = "KEY=VALUE", requires = "land")]
    pub land_where: Vec<String>,
    /// Failing homes closer than this form one gap, metres [default: 150, or 1.5 × grid spacing].
    #[arg(long, value_name = "M")]
    pub gap_link: Option<f64>,
    /// Smallest cell of the land-area quadtree, metres.
    #[arg(long, value_name = "M", default_value_t = 2.0)]
    pub land_cell: f64,
    /// Green spaces that do not exist yet (repeatable): the report shows before → after per
    /// tier, zone and residential polygon, and what each proposed space newly serves.
    #[arg(long, value_name = "FILE")]
    pub proposed: Vec<PathBuf>,
    /// Language of the page, summary.md, map and printed summary: zh or en [default: zh for
    /// the Chinese standards (jiangbei, jiangbei-alt, gbt51346, gb50137, ydyh, Chinese tier
    /// labels), else en].
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<Lang>,
    /// Also print the page to report.pdf (A4) with a locally installed Chromium or Chrome
    /// (or the browser named by GREENREACH_BROWSER).
    #[arg(long)]
    pub pdf: bool,
    /// Walking options: with --metric walk the report is on foot, with the straight-line
    /// figures beside it and the homes lost to barriers.
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// How homes are weighted (`report` and `site`).
#[derive(Debug, Args)]
pub struct WeightArgs {
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
    /// CRS of --population (overrides --crs).
    #[arg(long, value_name = "CRS", value_parser = parse_crs)]
    pub population_crs: Option<SourceCrs>,
}

impl WeightArgs {
    /// The weighting these options describe.
    fn source(&self) -> WeightSource {
        match (&self.weight, &self.population) {
            (Some(p), _) => WeightSource::Property(p.clone()),
            (_, Some(path)) => WeightSource::Population {
                path: path.clone(),
                field: self.population_field.clone(),
                crs: self.population_crs.clone(),
            },
            _ => WeightSource::Points,
        }
    }
}

/// `greenreach site` options.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("cands").args(["candidates", "candidates_auto"]).required(true))]
#[command(group = clap::ArgGroup::new("goal").args(["add", "target", "budget"]).required(true))]
pub struct SiteArgs {
    /// Inputs and run options.
    #[command(flatten)]
    pub input: InputArgs,
    /// The tier to close gaps in.
    #[arg(long, default_value = "street_green")]
    pub tier: String,
    /// Area of a new space, m²: MIN..MAX. Point candidates become a square of MIN; polygons
    /// outside the range are skipped.
    #[arg(long, value_name = "MIN..MAX", default_value = "400..10000")]
    pub size: String,
    /// Candidate sites: polygons (kept as drawn) or points, optional numeric `cost`.
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,
    /// Candidate sites on a lattice over the homes that do not meet the tier, outside existing
    /// spaces that serve it.
    #[arg(long)]
    pub candidates_auto: bool,
    /// Lattice spacing for --candidates-auto, metres.
    #[arg(
        long,
        value_name = "M",
        default_value_t = 50.0,
        requires = "candidates_auto"
    )]
    pub spacing: f64,
    /// Add this many sites.
    #[arg(long, value_name = "K")]
    pub add: Option<usize>,
    /// Add sites until this share (0–1) of homes (or residents) meets the tier.
    #[arg(long, value_name = "SHARE")]
    pub target: Option<f64>,
    /// Add sites whose `cost` sums to at most this.
    #[arg(long, value_name = "AMOUNT")]
    pub budget: Option<f64>,
    /// Also solve exactly as an integer program (small cases).
    #[arg(long)]
    pub exact: bool,
    /// How homes are weighted.
    #[command(flatten)]
    pub weights: WeightArgs,
    /// The folder to write.
    #[arg(long, value_name = "DIR", default_value = "greenreach-site")]
    pub out: PathBuf,
    /// Also write the covering problem (weights, candidate sets, costs) as JSON to this file,
    /// for other solvers.
    #[arg(long, value_name = "FILE")]
    pub export_problem: Option<PathBuf>,
}

impl SiteArgs {
    /// The library config these options describe.
    pub fn config(&mut self) -> Result<SiteConfig, Error> {
        let check = self.input.config(None)?;
        let size = self
            .size
            .split_once("..")
            .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
            .ok_or_else(|| {
                Error::Config(format!(
                    "--size {}: write MIN..MAX in m², e.g. 400..10000",
                    self.size
                ))
            })?;
        let goal = match (self.add, self.target, self.budget) {
            (Some(k), _, _) => Goal::Sites(k),
            (_, Some(t), _) => Goal::Share(t),
            (_, _, Some(b)) => Goal::Budget(b),
            _ => unreachable!("clap requires one goal"),
        };
        Ok(SiteConfig {
            check,
            tier: self.tier.clone(),
            size_m2: size,
            candidates: match &self.candidates {
                Some(p) => CandidateSource::File(p.clone()),
                None => CandidateSource::Auto {
                    spacing_m: self.spacing,
                },
            },
            goal,
            weight: self.weights.source(),
            exact: self.exact,
            out_dir: Some(self.out.clone()),
        })
    }
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
/// Residential land of the default report (landuse=residential).
pub const DEFAULT_LAND: &str = "geodata/liechtenstein/residential_areas.geojson";

impl InputArgs {
    fn is_bare(&self) -> bool {
        self.osm.is_none()
            && self.green.is_empty()
            && self.points.is_none()
            && self.residential.is_none()
            && self.grid.is_none()
    }

    /// Let `--osm` fill the green and demand layers not given by their own flags.
    fn fill_from_osm(&mut self) {
        let Some(osm) = self.osm.clone() else {
            return;
        };
        if self.green.is_empty() {
            self.green.push(osm.clone());
        }
        if self.points.is_none() && self.residential.is_none() && self.grid.is_none() {
            self.residential = Some(osm);
            self.homes = self.homes.or(Some(Homes::Osm));
        }
    }

    /// The library config these options describe.
    pub fn config(&mut self, out: Option<PathBuf>) -> Result<CheckConfig, Error> {
        self.fill_from_osm();
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
                allow_far: self.allow_far_layers,
            },
            green_crs: self.green_crs.clone(),
            points_crs: self.points_crs.clone(),
            area_crs: self.area_crs.clone(),
            homes: match self.homes {
                Some(Homes::Osm) => HomeFilter::OsmHomes,
                _ => HomeFilter::All,
            },
            classified_out: None,
            demand_properties: Properties::All,
            source: SourceOptions {
                format: self.format,
                layer: self.layer.clone(),
                encoding: self.encoding.clone(),
            },
            green_where: tag_tests("--green-where", &self.green_where)?,
            demand_where: tag_tests("--residential-where", &self.residential_where)?,
            walk: None,
        })
    }
}

impl CheckArgs {
    /// The library config these options describe.
    pub fn config(&mut self) -> Result<CheckConfig, Error> {
        let mut cfg = self
            .input
            .config((!self.summary_only).then(|| self.out.clone()))?;
        cfg.classified_out = self.classified.clone();
        cfg.demand_properties = Properties::None;
        cfg.walk = self.walk.config(self.input.osm.as_ref())?;
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
            if self.land.is_none() {
                self.land = Some(DEFAULT_LAND.into());
            }
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
        if let Some(osm) = self.input.osm.clone() {
            if self.zones.is_none() {
                self.zones = Some(osm.clone());
                if self.zone_where.is_empty() {
                    self.zone_where = vec!["admin_level=8".into()];
                }
            }
            if self.land.is_none() {
                self.land = Some(osm);
            }
        }
        let mut check = self.input.config(None)?;
        check.walk = self.walk.config(self.input.osm.as_ref())?;
        let weight = self.weights.source();
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
                overlap: match self.zone_overlap {
                    ZoneOverlapArg::Error => ZoneOverlap::Error,
                    ZoneOverlapArg::First => ZoneOverlap::First,
                    ZoneOverlapArg::Each => ZoneOverlap::Each,
                },
            }),
            land: self.land.clone(),
            land_crs: self.land_crs.clone(),
            land_where: tag_tests("--land-where", &self.land_where)?,
            gap_link_m: self.gap_link,
            land_cell_m: self.land_cell,
            lang,
            pdf: self.pdf,
            proposed: self.proposed.clone(),
        })
    }
}

/// `--zone-overlap` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ZoneOverlapArg {
    /// Overlapping zones are an error naming the overlap.
    Error,
    /// A home in several zones counts in the first in file order.
    First,
    /// A home in several zones counts in each of them (zone rows then add up to more than the
    /// total).
    Each,
}

/// `--homes` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Homes {
    /// Every residential feature.
    All,
    /// OSM buildings that are homes.
    Osm,
}

fn tag_tests(flag: &str, specs: &[String]) -> Result<Vec<TagMatch>, Error> {
    specs
        .iter()
        .map(|w| TagMatch::parse(w).map_err(|e| Error::Config(format!("{flag}: {e}"))))
        .collect()
}

fn parse_format(s: &str) -> Result<InputFormat, String> {
    s.parse()
}

fn parse_shard(s: &str) -> Result<ShardSpec, String> {
    s.parse()
}

fn parse_crs(s: &str) -> Result<SourceCrs, String> {
    s.parse()
}
