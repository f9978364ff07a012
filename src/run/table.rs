//! A check on layers held in memory, results as columns: the entry point for embedding (the
//! Python package). The stages are those of a file run (`prepare_loaded`, `evaluate_points`,
//! `Summary`), so the numbers are the same as the command line's for the same features.

use std::path::PathBuf;

use crate::crs::SourceCrs;
use crate::crs::source::to_wgs84;
use crate::engine::coverage::{Coverage, Detail, NO_FEATURE};
use crate::error::Error;
use crate::io::input::{Layer, check_lonlat};
use crate::io::load::{CrsOptions, CrsSource, LoadedLayer};
use crate::progress::Silent;
use crate::run::check::{evaluate_points, with_threads};
use crate::run::config::{CheckConfig, DemandSource};
use crate::run::demand::{DemandPoints, SkippedRow};
use crate::run::prepare::{Prepared, prepare_loaded};
use crate::run::summary::Summary;
use crate::standard::Standard;
use crate::standard::homes::HomeFilter;

/// A layer held in memory with the CRS its coordinates are in (`None`: WGS84 lon/lat).
#[derive(Debug, Clone)]
pub struct TableLayer {
    /// The features; `path` is the name used in messages (e.g. `homes`).
    pub layer: Layer,
    /// Its coordinate system.
    pub crs: Option<SourceCrs>,
}

/// What to check.
#[derive(Debug, Clone)]
pub struct TableCheck {
    /// Green features (properties classify them under the standard).
    pub green: TableLayer,
    /// Demand features: points, or polygons (one representative point each).
    pub demand: TableLayer,
    /// Which demand features are homes (`OsmHomes` reads their properties).
    pub homes: HomeFilter,
    /// The standard.
    pub standard: Standard,
    /// Search limit, metres (`None`: 5000 m or the largest radius).
    pub max_distance_m: Option<f64>,
    /// Projected input has northing first.
    pub swap_xy: bool,
    /// Warnings become errors.
    pub strict: bool,
    /// Worker threads (`None`: every core).
    pub threads: Option<usize>,
    /// Centre of the plane (lon, lat); `None` centres it on the layers. Parts of one study
    /// evaluated apart must share it to give the numbers of the whole.
    pub origin: Option<(f64, f64)>,
}

/// Results for one tier, one entry per output row.
#[derive(Debug, Clone, PartialEq)]
pub struct TableTier {
    /// Tier name (the column prefix).
    pub name: String,
    /// Ground metres to the nearest serving feature; NaN when none is within the limit or
    /// the row was skipped.
    pub distance_m: Vec<f64>,
    /// Within the radius (false for skipped rows).
    pub ok: Vec<bool>,
    /// The nearest serving feature as a number into [`TableResult::labels`]; [`NO_LABEL`]
    /// when none is within the limit or the row was skipped.
    pub nearest: Vec<u32>,
}

/// `nearest` of a row with no serving feature.
pub const NO_LABEL: u32 = NO_FEATURE;

/// The rows of the per-point file, as columns, with the summary.
#[derive(Debug, Clone)]
pub struct TableResult {
    /// For each row, the position of its feature in the demand layer's input (features and
    /// skipped features counted alike: the `index` of the feature).
    pub row_of: Vec<usize>,
    /// Point ids (`id#k` for the parts of a multipoint; the feature's number when it has no
    /// id).
    pub ids: Vec<String>,
    /// Every row's id is its feature's id (or number): no multipoint was split into parts.
    /// An embedding that holds the input ids can then take them by `row_of` instead of
    /// converting `ids`.
    pub ids_are_features: bool,
    /// Longitude of the evaluated point (NaN for skipped rows).
    pub lon: Vec<f64>,
    /// Latitude of the evaluated point (NaN for skipped rows).
    pub lat: Vec<f64>,
    /// Per tier, in the standard's order.
    pub tiers: Vec<TableTier>,
    /// Every tier met.
    pub all_ok: Vec<bool>,
    /// The row's status as a number into `statuses`.
    pub status: Vec<u32>,
    /// The distinct statuses: `ok` (number 0), then `skipped: reason` as they occur.
    pub statuses: Vec<String>,
    /// The labels of the green features, by feature number (what `nearest` points into).
    pub labels: Vec<String>,
    /// The summary a file run prints.
    pub summary: Summary,
    /// Warnings raised on the way.
    pub warnings: Vec<String>,
    /// The plane's centre (lon, lat).
    pub origin: (f64, f64),
}

fn load(t: TableLayer, swap_xy: bool) -> Result<LoadedLayer, Error> {
    let mut layer = t.layer;
    let (crs, crs_source) = match &t.crs {
        Some(c) => (c.clone(), CrsSource::Flag),
        None => (SourceCrs::Wgs84, CrsSource::Default),
    };
    to_wgs84(&mut layer, &crs, swap_xy && crs.is_projected())?;
    check_lonlat(&layer)?;
    Ok(LoadedLayer {
        layer,
        crs,
        crs_source,
    })
}

/// The file run's configuration for a table check.
fn config(input: &TableCheck) -> CheckConfig {
    let name = |l: &TableLayer| PathBuf::from(&l.layer.path);
    let demand = match input.homes {
        HomeFilter::All => DemandSource::Points(name(&input.demand)),
        _ => DemandSource::Residential(name(&input.demand)),
    };
    let mut cfg = CheckConfig::new(vec![name(&input.green)], demand);
    cfg.max_distance_m = input
        .max_distance_m
        .unwrap_or_else(|| input.standard.max_radius().max(5000.0));
    cfg.standard = input.standard.clone();
    cfg.strict = input.strict;
    cfg.threads = input.threads;
    cfg.homes = input.homes;
    cfg.crs = CrsOptions {
        all: None,
        swap_xy: input.swap_xy,
        allow_far: false,
    };
    cfg
}

/// Check demand features against green features held in memory. The layers are taken, not
/// copied: a national table is held once.
pub fn check_table(input: TableCheck) -> Result<TableResult, Error> {
    let cfg = config(&input);
    cfg.validate()?;
    let ids_are_features = !input
        .demand
        .layer
        .features
        .iter()
        .any(|f| matches!(&f.geometry, geo::Geometry::MultiPoint(mp) if mp.0.len() > 1));
    let TableCheck {
        green,
        demand,
        swap_xy,
        origin,
        ..
    } = input;
    with_threads(cfg.threads, || {
        let green = load(green, swap_xy)?;
        let demand = load(demand, swap_xy)?;
        let (prepared, demand) = prepare_loaded(&cfg, vec![green], demand, origin)?;
        let d = &demand.into_points(&prepared)?;
        let coverage = evaluate_points(
            &prepared.reach,
            d,
            cfg.max_distance_m,
            Detail::Distances,
            &Silent,
        );
        let summary = Summary::new(
            &cfg.standard,
            &prepared.green,
            d,
            &coverage,
            cfg.max_distance_m,
        );
        let mut out = TableResult::empty(
            &cfg.standard,
            d.len() + d.skipped_rows.len(),
            summary,
            &prepared,
        );
        out.ids_are_features = ids_are_features;
        // Rows in input order: evaluated points and skipped features merged by file index.
        let mut skipped = d.skipped_rows.iter().peekable();
        let mut i = 0;
        while i < d.len() || skipped.peek().is_some() {
            let take_skipped = match skipped.peek() {
                Some(s) => i >= d.len() || s.file_index < d.file_index[i],
                None => false,
            };
            if take_skipped {
                out.push_skipped(skipped.next().expect("peeked"));
                continue;
            }
            out.push_point(d, i, &coverage, &prepared)?;
            i += 1;
        }
        Ok(out)
    })
}

impl TableResult {
    /// No rows yet, room for `rows`.
    fn empty(standard: &Standard, rows: usize, summary: Summary, prepared: &Prepared) -> Self {
        TableResult {
            row_of: Vec::with_capacity(rows),
            ids: Vec::with_capacity(rows),
            lon: Vec::with_capacity(rows),
            lat: Vec::with_capacity(rows),
            tiers: standard
                .tiers
                .iter()
                .map(|t| TableTier {
                    name: t.name.clone(),
                    distance_m: Vec::with_capacity(rows),
                    ok: Vec::with_capacity(rows),
                    nearest: Vec::with_capacity(rows),
                })
                .collect(),
            all_ok: Vec::with_capacity(rows),
            ids_are_features: true,
            status: Vec::with_capacity(rows),
            statuses: vec!["ok".into()],
            labels: prepared
                .green
                .features
                .iter()
                .map(|f| f.label.clone())
                .collect(),
            summary,
            warnings: prepared.warnings.list.clone(),
            origin: prepared.plane.origin(),
        }
    }

    /// The row of a skipped feature: no point, no tier met.
    fn push_skipped(&mut self, s: &SkippedRow) {
        self.row_of.push(s.file_index);
        self.ids.push(s.id.clone());
        self.lon.push(f64::NAN);
        self.lat.push(f64::NAN);
        for t in &mut self.tiers {
            t.distance_m.push(f64::NAN);
            t.ok.push(false);
            t.nearest.push(NO_LABEL);
        }
        self.all_ok.push(false);
        let status = format!("skipped: {}", s.reason);
        let code = match self.statuses.iter().position(|x| *x == status) {
            Some(k) => k,
            None => {
                self.statuses.push(status);
                self.statuses.len() - 1
            }
        };
        self.status.push(code as u32);
    }

    /// The row of evaluated point `i`.
    fn push_point(
        &mut self,
        d: &DemandPoints,
        i: usize,
        coverage: &Coverage,
        prepared: &Prepared,
    ) -> Result<(), Error> {
        let c = d.lonlat_of(i, &prepared.plane)?;
        self.row_of.push(d.file_index[i]);
        self.ids.push(d.ids.get(i));
        self.lon.push(c.x);
        self.lat.push(c.y);
        for (t, col) in self.tiers.iter_mut().zip(&coverage.tiers) {
            t.distance_m.push(col.distance_m[i]);
            t.ok.push(col.ok[i]);
            t.nearest.push(col.nearest[i]);
        }
        self.all_ok.push(coverage.all_ok[i]);
        self.status.push(0);
        Ok(())
    }
}
