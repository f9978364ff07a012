//! One `check` run: read the layers, classify and index the green spaces, make the demand
//! points, evaluate every point against every tier, write the per-point file, summarise.

use std::path::{Path, PathBuf};

use geo::{BoundingRect, MultiPolygon, Rect};

use crate::crs::SourceCrs;
use crate::crs::{LocalPlane, LonLatBox, WIDE_SPAN_DEG};
use crate::engine::coverage::{Coverage, Detail, EvalSettings, evaluate};
use crate::engine::grid::{self, AreaMask, GridSpec};
use crate::engine::lookup::areal;
use crate::engine::reach::Reach;
use crate::engine::reach::StraightLine;
use crate::error::Error;
use crate::io::input::{Layer, ReadOptions};
use crate::io::load::CrsSource;
use crate::io::load::{CrsOptions, LoadedLayer, consistency_warnings, load_layer};
use crate::io::output::{self, Format, PointTable};
use crate::progress::Progress;
use crate::run::demand::{self, DemandPoints};
use crate::run::green::GreenSpaces;
use crate::run::summary::{Counts, Summary};
use crate::standard::Standard;
use crate::standard::homes::HomeFilter;

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
}

impl CheckConfig {
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
        if let Some(0) = self.threads {
            return Err(Error::Config("--threads must be at least 1".into()));
        }
        match &self.out {
            None => Ok(Format::Csv),
            Some(p) => Format::from_path(p).ok_or_else(|| {
                Error::Config(format!(
                    "{}: unknown output format; use a .csv or .geojson file name",
                    p.display()
                ))
            }),
        }
    }
}

/// One input file as used in a run: for provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerInfo {
    /// The file.
    pub path: PathBuf,
    /// What it was used for (`green`, `points`, `residential`, `area`, ...).
    pub role: String,
    /// The CRS it was read in.
    pub crs: String,
    /// How the CRS was chosen.
    pub crs_source: CrsSource,
    /// Features in the file.
    pub read: usize,
    /// Features skipped on reading.
    pub skipped: usize,
}

impl LayerInfo {
    /// Describe a loaded layer.
    pub fn of(l: &LoadedLayer, role: &str) -> Self {
        Self {
            path: l.layer.path.clone(),
            role: role.to_string(),
            crs: l.crs.to_string(),
            crs_source: l.crs_source,
            read: l.layer.read_count(),
            skipped: l.layer.skipped.len(),
        }
    }
}

/// Warnings of a run; under `strict` the first one is an error.
#[derive(Debug, Clone, Default)]
pub struct Warnings {
    strict: bool,
    /// The warnings so far.
    pub list: Vec<String>,
}

impl Warnings {
    /// A collector; `strict` turns warnings into errors.
    pub fn new(strict: bool) -> Self {
        Self {
            strict,
            list: Vec::new(),
        }
    }

    /// Record a warning (an error under `strict`).
    pub fn warn(&mut self, msg: String) -> Result<(), Error> {
        if self.strict {
            return Err(Error::Strict(msg));
        }
        self.list.push(msg);
        Ok(())
    }
}

/// A run with its inputs read, classified, projected and indexed, before evaluation.
pub struct Prepared {
    /// The plane everything is measured on.
    pub plane: LocalPlane,
    /// Classified green spaces.
    pub green: GreenSpaces,
    /// The metric over the green spaces.
    pub reach: StraightLine,
    /// The demand points (empty for a grid left to stream).
    pub demand: DemandPoints,
    /// A grid to evaluate by streaming, when `prepare_streaming` left it unmaterialised.
    pub grid: Option<(GridSpec, AreaMask)>,
    /// The points or residential layer (WGS84), when the points come from one.
    pub demand_layer: Option<Layer>,
    /// Every input file.
    pub layers: Vec<LayerInfo>,
    /// Warnings so far.
    pub warnings: Warnings,
}

/// Everything a run produced.
#[derive(Debug)]
pub struct CheckRun {
    /// The printed summary.
    pub summary: Summary,
    /// Warnings raised on the way (already errors under `strict`).
    pub warnings: Vec<String>,
    /// The plane everything was measured on.
    pub plane: LocalPlane,
    /// Classified green spaces.
    pub green: GreenSpaces,
    /// The demand points.
    pub demand: DemandPoints,
    /// Per-point results (empty for grids, which are streamed).
    pub coverage: Coverage,
}

/// Rows of grid points evaluated and written per band (about 256 000 points a band).
fn band_rows(spec: &GridSpec) -> u64 {
    (262_144 / spec.nx).max(1)
}

/// Run `f` on a rayon pool of `threads` workers (all cores when `None`).
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build().map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(f)
}

/// Run a check.
pub fn run_check(cfg: &CheckConfig, progress: &dyn Progress) -> Result<CheckRun, Error> {
    let format = cfg.validate()?;
    with_threads(cfg.threads, || {
        let prepared = prepare_streaming(cfg)?;
        if let Some(path) = &cfg.classified_out {
            output::write_classified(path, &prepared.green, &cfg.standard, &prepared.plane)
                .map_err(|source| Error::Output {
                    path: path.clone(),
                    source,
                })?;
        }
        if let Some((spec, mask)) = &prepared.grid {
            let summary = run_grid(cfg, format, &prepared, spec, mask, progress)?;
            return Ok(CheckRun {
                summary,
                warnings: prepared.warnings.list,
                plane: prepared.plane,
                green: prepared.green,
                demand: prepared.demand,
                coverage: Coverage {
                    tiers: vec![],
                    all_ok: vec![],
                },
            });
        }
        let coverage = evaluate_points(
            &prepared.reach,
            &prepared.demand,
            cfg,
            if cfg.out.is_some() {
                Detail::Distances
            } else {
                Detail::Flags
            },
            progress,
        );
        if let Some(path) = &cfg.out {
            write_points(path, format, cfg, &prepared, &coverage)?;
        }
        let summary = Summary::new(
            &cfg.standard,
            &prepared.green,
            &prepared.demand,
            &coverage,
            cfg.max_distance_m,
        );
        Ok(CheckRun {
            summary,
            warnings: prepared.warnings.list,
            plane: prepared.plane,
            green: prepared.green,
            demand: prepared.demand,
            coverage,
        })
    })
}

/// A grid run without holding its points: tiles decided whole for flags, or bands of rows
/// streamed to the per-point file.
fn run_grid(
    cfg: &CheckConfig,
    format: Format,
    prepared: &Prepared,
    spec: &GridSpec,
    mask: &AreaMask,
    progress: &dyn Progress,
) -> Result<Summary, Error> {
    progress.begin("evaluating", spec.nx * spec.ny);
    let advance = |n: u64| progress.advance(n);
    let counts = match &cfg.out {
        None => {
            let t = grid::tally_flags(spec, mask, &prepared.reach, &advance);
            Counts::flags(
                t.points as usize,
                t.within.iter().map(|&w| w as usize).collect(),
                t.all as usize,
            )
        }
        Some(path) => {
            let out_err = |source| Error::Output {
                path: path.clone(),
                source,
            };
            let mut writer =
                output::Writer::create(path, format, &cfg.standard).map_err(out_err)?;
            let mut counts = Counts::default();
            grid::stream_bands(
                spec,
                mask,
                &prepared.reach,
                cfg.max_distance_m,
                band_rows(spec),
                &advance,
                |band, coverage| {
                    counts.merge(&Counts::of(&cfg.standard, &prepared.green, &coverage));
                    let table = PointTable {
                        standard: &cfg.standard,
                        demand: &band,
                        coverage: &coverage,
                        green: &prepared.green,
                        plane: &prepared.plane,
                    };
                    writer.write(&table).map_err(out_err)
                },
            )?;
            writer.finish().map_err(out_err)?;
            counts
        }
    };
    progress.end();
    if counts.points == 0 {
        return Err(Error::Config(
            "the grid has no point inside the area".into(),
        ));
    }
    Ok(Summary::from_counts(
        &cfg.standard,
        &prepared.green,
        counts.points,
        Default::default(),
        &counts,
        cfg.max_distance_m,
    ))
}

/// Evaluate every demand point with a progress bar.
pub fn evaluate_points(
    reach: &dyn Reach,
    demand: &DemandPoints,
    cfg: &CheckConfig,
    detail: Detail,
    progress: &dyn Progress,
) -> Coverage {
    let settings = EvalSettings {
        limit_m: cfg.max_distance_m,
        detail,
    };
    progress.begin("evaluating", demand.len() as u64);
    let coverage = evaluate(reach, &demand.xy, &settings, &|n| {
        progress.advance(n as u64)
    });
    progress.end();
    coverage
}

/// Write the per-point file.
pub fn write_points(
    path: &Path,
    format: Format,
    cfg: &CheckConfig,
    prepared: &Prepared,
    coverage: &Coverage,
) -> Result<(), Error> {
    let table = PointTable {
        standard: &cfg.standard,
        demand: &prepared.demand,
        coverage,
        green: &prepared.green,
        plane: &prepared.plane,
    };
    output::write(path, format, &table).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

/// Check GeoJSON held in memory (WGS84 lon/lat): a green layer and a points layer, under
/// `standard`, with distances. Nothing is read from or written to disk: for embedding and
/// for the fuzz targets, which feed it arbitrary bytes.
pub fn check_geojson(
    green: &[u8],
    points: &[u8],
    standard: &Standard,
) -> Result<(Summary, Coverage), Error> {
    let opts = ReadOptions::default();
    let g = crate::io::input::parse_layer(Path::new("green.geojson"), green, opts)?;
    let p = crate::io::input::parse_layer(Path::new("points.geojson"), points, opts)?;
    crate::io::input::check_lonlat(&g)?;
    crate::io::input::check_lonlat(&p)?;
    let mut bbox = LonLatBox::empty();
    bbox.include_layer(&g);
    bbox.include_layer(&p);
    let plane = LocalPlane::centred_on(&bbox)?;
    let green = GreenSpaces::classify(std::slice::from_ref(&g), standard, &plane)?;
    let demand = demand::from_layer(&p, &plane, HomeFilter::All)?;
    let reach = StraightLine::new(green.tier_groups(standard), plane.scale());
    let limit_m = standard.max_radius().max(5000.0);
    let settings = EvalSettings {
        limit_m,
        detail: Detail::Distances,
    };
    let coverage = evaluate(&reach, &demand.xy, &settings, &|_| {});
    let summary = Summary::new(standard, &green, &demand, &coverage, limit_m);
    Ok((summary, coverage))
}

/// Read, classify, project and index everything a check needs, with every demand point in
/// memory.
pub fn prepare(cfg: &CheckConfig) -> Result<Prepared, Error> {
    prepare_with(cfg, true)
}

/// As [`prepare`], but a grid is left as a lattice and a mask (`Prepared::grid`) to stream.
pub fn prepare_streaming(cfg: &CheckConfig) -> Result<Prepared, Error> {
    prepare_with(cfg, false)
}

fn prepare_with(cfg: &CheckConfig, materialize_grid: bool) -> Result<Prepared, Error> {
    let mut warnings = Warnings::new(cfg.strict);
    let opts = ReadOptions { strict: cfg.strict };
    let mut notes = Vec::new();
    let mut read = |path: &Path, flag: Option<&SourceCrs>| -> Result<LoadedLayer, Error> {
        load_layer(path, flag, &cfg.crs, opts, &mut notes)
    };
    let green_loaded = cfg
        .green
        .iter()
        .map(|p| read(p, cfg.green_crs.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let (demand_loaded, role) = match &cfg.demand {
        DemandSource::Points(p) => (Some(read(p, cfg.points_crs.as_ref())?), "points"),
        DemandSource::Residential(p) => (Some(read(p, cfg.points_crs.as_ref())?), "residential"),
        DemandSource::Grid { area: Some(a), .. } => (Some(read(a, cfg.area_crs.as_ref())?), "area"),
        DemandSource::Grid { area: None, .. } => (None, ""),
    };
    notes.extend(consistency_warnings(
        &green_loaded,
        &demand_loaded.iter().collect::<Vec<_>>(),
        cfg.standard.max_radius(),
    ));
    for n in notes {
        warnings.warn(n)?;
    }
    let mut layers: Vec<LayerInfo> = green_loaded
        .iter()
        .map(|l| LayerInfo::of(l, "green"))
        .collect();
    layers.extend(demand_loaded.iter().map(|l| LayerInfo::of(l, role)));
    let green_layers: Vec<Layer> = green_loaded.into_iter().map(|l| l.layer).collect();
    let (demand_layer, area_layer) = match (&cfg.demand, demand_loaded) {
        (DemandSource::Grid { .. }, l) => (None, l.map(|l| l.layer)),
        (_, l) => (l.map(|l| l.layer), None),
    };
    for l in &green_layers {
        if l.read_count() == 0 {
            return Err(Error::Config(format!(
                "{}: the green layer has no features",
                l.path.display()
            )));
        }
        report_skips(l, &mut warnings)?;
    }

    let mut bbox = LonLatBox::empty();
    for l in green_layers.iter().chain(&demand_layer).chain(&area_layer) {
        bbox.include_layer(l);
    }
    if bbox.span_deg() > WIDE_SPAN_DEG {
        warnings.warn(format!(
            "the data spans {:.1} degrees; one local plane is accurate to about 1e-5 within 100 km of its centre: split the run by region",
            bbox.span_deg()
        ))?;
    }
    let plane = LocalPlane::centred_on(&bbox)?;
    let mut grid_left = None;

    let green = GreenSpaces::classify(&green_layers, &cfg.standard, &plane)?;
    for (c, n) in &green.unknown_categories {
        warnings.warn(format!(
            "{n} green feature(s) have category \"{c}\", which names no category of standard {} ({}); they are ignored",
            cfg.standard.name,
            cfg.standard.categories.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        ))?;
    }
    if let Some(first) = green.invalid.first() {
        warnings.warn(format!(
            "{} green polygon(s) are not valid (first: {first}); they are evaluated as given: distance to every ring edge, inside where the rings wind around the point",
            green.invalid.len()
        ))?;
    }
    for (tier, n) in cfg.standard.tiers.iter().zip(green.per_tier(&cfg.standard)) {
        if n == 0 {
            warnings.warn(format!(
                "no green feature serves tier {}: every point fails it",
                tier.name
            ))?;
        }
    }

    let demand = match (&cfg.demand, &demand_layer) {
        (DemandSource::Grid { spacing_m, .. }, _) => {
            let (extent, areas) = match &area_layer {
                Some(l) => {
                    report_skips(l, &mut warnings)?;
                    let areas = area_polygons(l, &plane, &mut warnings)?;
                    (
                        extent_of(areas.iter().map(|a| a.bounding_rect())),
                        Some(areas),
                    )
                }
                None => (
                    extent_of(green.features.iter().map(|f| f.geometry.bounding_rect())),
                    None,
                ),
            };
            let extent = extent.ok_or_else(|| {
                Error::Config(
                    "the grid has no extent: the area (or green layer) has no polygons".into(),
                )
            })?;
            let spec = GridSpec::over(*spacing_m, extent)?;
            let mask = AreaMask::new(areas.as_deref());
            if materialize_grid {
                grid::points(&spec, &mask)
            } else {
                let empty = grid::points(&GridSpec { nx: 0, ..spec }, &mask);
                grid_left = Some((spec, mask));
                empty
            }
        }
        (source, Some(layer)) => {
            report_skips(layer, &mut warnings)?;
            let homes = match source {
                DemandSource::Residential(_) => cfg.homes,
                _ => HomeFilter::All,
            };
            let d = demand::from_layer(layer, &plane, homes)?;
            for (reason, n) in d.skipped_counts() {
                if reason.starts_with("line geometry") {
                    warnings.warn(format!(
                        "{}: {n} feature(s) skipped: {reason}",
                        layer.path.display()
                    ))?;
                }
            }
            if let (n, Some(first)) = &d.duplicate_ids {
                warnings.warn(format!(
                    "{}: {n} point(s) repeat an earlier point's id (first: {first}); ids in the output are not unique",
                    layer.path.display()
                ))?;
            }
            d
        }
        (_, None) => unreachable!("a point source always has a layer"),
    };
    if demand.is_empty() && grid_left.is_none() {
        let source = demand_layer
            .as_ref()
            .or(area_layer.as_ref())
            .map_or(String::new(), |l| format!("{}: ", l.path.display()));
        return Err(Error::Config(format!(
            "{source}there are no demand points to evaluate ({} feature(s) read, {} skipped)",
            demand.read,
            demand.skipped_rows.len()
        )));
    }
    let reach = StraightLine::new(green.tier_groups(&cfg.standard), plane.scale());
    Ok(Prepared {
        plane,
        green,
        reach,
        demand,
        grid: grid_left,
        demand_layer,
        layers,
        warnings,
    })
}

/// Warn once for a layer's skipped features.
pub fn report_skips(layer: &Layer, warnings: &mut Warnings) -> Result<(), Error> {
    if let Some(first) = layer.skipped.first() {
        warnings.warn(format!(
            "{}: {} feature(s) skipped (first: feature {}: {})",
            layer.path.display(),
            layer.skipped.len(),
            first.index,
            first.reason
        ))?;
    }
    Ok(())
}

fn area_polygons(
    layer: &Layer,
    plane: &LocalPlane,
    warnings: &mut Warnings,
) -> Result<Vec<MultiPolygon<f64>>, Error> {
    let mut out = Vec::new();
    for f in &layer.features {
        match areal(&plane.project(&f.geometry)?) {
            Some(mp) => out.push(mp),
            None => warnings.warn(format!(
                "{}: feature {} is not a polygon and does not bound the grid",
                layer.path.display(),
                f.index
            ))?,
        }
    }
    Ok(out)
}

fn extent_of(rects: impl Iterator<Item = Option<Rect<f64>>>) -> Option<Rect<f64>> {
    rects.flatten().reduce(|a, b| {
        Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}
