//! One `check` run: prepare, evaluate every demand point (or tile a grid), write the
//! per-point file, summarise.

use std::path::Path;

use crate::crs::LocalPlane;
use crate::engine::coverage::{Coverage, Detail, EvalSettings, evaluate};
use crate::engine::grid::{self, AreaMask, GridSpec};
use crate::engine::reach::Reach;
use crate::error::Error;
use crate::io::output::{self, Format, PointTable};
use crate::progress::Progress;
use crate::run::config::CheckConfig;
use crate::run::demand::DemandPoints;
use crate::run::green::GreenSpaces;
use crate::run::prepare::{Demand, Prepared, prepare};
use crate::run::summary::{Counts, Summary};
use crate::run::walk::WalkSummary;
use crate::standard::Standard;

/// Everything a run produced.
#[derive(Debug)]
pub struct CheckRun {
    /// The printed summary.
    pub summary: Summary,
    /// Warnings raised on the way (already errors under `strict`).
    pub warnings: Vec<String>,
    /// How each file was read (format, layer, text encoding, CRS source).
    pub notes: Vec<String>,
    /// The plane everything was measured on.
    pub plane: LocalPlane,
    /// Classified green spaces.
    pub green: GreenSpaces,
    /// The demand points (a grid stays a lattice).
    pub demand: Demand,
    /// Per-point results (empty for grids, which are streamed); walking results under
    /// `--metric walk`.
    pub coverage: Coverage,
    /// What the walking stage did, under `--metric walk`.
    pub walk: Option<WalkSummary>,
}

impl CheckRun {
    /// The record of a run: plane, green spaces and warnings from `prepared`, the notes of
    /// its layers.
    fn new(
        prepared: Prepared,
        summary: Summary,
        demand: Demand,
        coverage: Coverage,
        walk: Option<WalkSummary>,
    ) -> Self {
        if let Some(layer) = prepared.demand_layer {
            drop_aside(layer);
        }
        Self {
            summary,
            notes: prepared
                .layers
                .iter()
                .flat_map(|l| l.notes.iter().cloned())
                .collect(),
            warnings: prepared.warnings.list,
            plane: prepared.plane,
            green: prepared.green,
            demand,
            coverage,
            walk,
        }
    }
}

/// Free a large value on a thread of its own: a million raw features took 46 ms to free on
/// one core after the results were written, which the caller need not wait for (dropped here
/// when no thread can be started).
fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("greenreach-free".into())
        .spawn(move || drop(value));
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
        let (mut prepared, demand) = prepare(cfg)?;
        if let Some(path) = &cfg.classified_out {
            output::write_classified(path, &prepared.green, &cfg.standard, &prepared.plane)
                .map_err(|source| Error::Output {
                    path: path.clone(),
                    source,
                })?;
        }
        if let Some(wc) = &cfg.walk {
            // Walking distances are read per point from the searches: a grid is materialised.
            let points = demand.into_points(&prepared)?;
            // The raw layer is not needed beyond its points: freed now, not held through
            // the walking stage (a million features: about 150 MB).
            if let Some(layer) = prepared.demand_layer.take() {
                drop_aside(layer);
            }
            let mut warnings = std::mem::take(&mut prepared.warnings);
            let (coverage, walk) = crate::run::walk::check_points(
                cfg,
                wc,
                format,
                &prepared,
                &points,
                &mut warnings,
                progress,
            )?;
            let summary = Summary::new(
                &cfg.standard,
                &prepared.green,
                &points,
                &coverage,
                cfg.max_distance_m,
            );
            prepared.warnings = warnings;
            return Ok(CheckRun::new(
                prepared,
                summary,
                Demand::Points(points),
                coverage,
                Some(walk),
            ));
        }
        let (summary, coverage) = match &demand {
            Demand::Grid(spec, mask) => {
                let summary = run_grid(cfg, format, &prepared, spec, mask, progress)?;
                let none = Coverage {
                    tiers: vec![],
                    all_ok: vec![],
                };
                (summary, none)
            }
            Demand::Points(points) => {
                let detail = match cfg.out {
                    Some(_) => Detail::Distances,
                    None => Detail::Flags,
                };
                let coverage = evaluate_points(
                    &prepared.reach,
                    points,
                    cfg.max_distance_m,
                    detail,
                    progress,
                );
                if let Some(path) = &cfg.out {
                    write_points(path, format, &cfg.standard, &prepared, points, &coverage)?;
                }
                let summary = Summary::new(
                    &cfg.standard,
                    &prepared.green,
                    points,
                    &coverage,
                    cfg.max_distance_m,
                );
                (summary, coverage)
            }
        };
        Ok(CheckRun::new(prepared, summary, demand, coverage, None))
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
            Counts::flags(t)
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
                    let band = DemandPoints::from_cells(band);
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
    if counts.tally.total == 0 {
        return Err(Error::Config(
            "the grid has no point inside the area".into(),
        ));
    }
    Ok(Summary::from_counts(
        &cfg.standard,
        &prepared.green,
        counts.tally.total,
        Default::default(),
        &counts,
        cfg.max_distance_m,
    ))
}

/// Evaluate every demand point with a progress bar; nearest features are searched within
/// `limit_m`.
pub fn evaluate_points(
    reach: &dyn Reach,
    demand: &DemandPoints,
    limit_m: f64,
    detail: Detail,
    progress: &dyn Progress,
) -> Coverage {
    let settings = EvalSettings { limit_m, detail };
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
    standard: &Standard,
    prepared: &Prepared,
    demand: &DemandPoints,
    coverage: &Coverage,
) -> Result<(), Error> {
    let table = PointTable {
        standard,
        demand,
        coverage,
        green: &prepared.green,
        plane: &prepared.plane,
    };
    output::write(path, format, &table).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}
