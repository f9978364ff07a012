//! `greenreach report`: the check aggregated as planners quote it (`compute`) and written as an
//! offline folder ([`render`]). Top of the library: uses `run`, `io`, `engine`; nothing imports it.

pub(crate) mod compute;
pub(crate) mod lang;
pub(crate) mod pdf;
pub mod render;
pub mod site;

use compute::{counted, gaps, land, lost, places, weights, zones};
pub use places::Place;

use std::path::{Path, PathBuf};

use geo::MultiPolygon;

use crate::engine::coverage::{Coverage, Detail};
use crate::engine::lookup::areal;
use crate::engine::reach::Reach;
use crate::engine::tally::Tally;
use crate::error::Error;
use crate::io::input::ReadOptions;
use crate::io::load::{load_layer, load_role};
use crate::io::osm::layers::OsmLayer;
use crate::io::output::Format;
use crate::progress::Progress;
use crate::run::check::{evaluate_points, with_threads};
use crate::run::config::{CheckConfig, DemandSource};
use crate::run::demand::DemandPoints;
use crate::run::prepare::{LayerInfo, Prepared, prepare};
use crate::run::summary::Summary;
use crate::standard::TagMatch;

pub use gaps::Gap;
pub use land::LandShares;
pub use lang::Lang;
pub use weights::{WeightSource, Weights};
pub use zones::Zones;

/// The name of the row of homes in no zone (`zones.csv` keeps it; the page translates it).
pub const OUTSIDE_ZONES: &str = "outside every zone";

/// Where zones come from.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSpec {
    /// Zone polygons.
    pub path: PathBuf,
    /// The property that names a zone.
    pub name_property: String,
    /// Only features passing every test are zones (e.g. `admin_level=8`).
    pub filter: Vec<TagMatch>,
    /// `--zones-crs`.
    pub crs: Option<crate::crs::SourceCrs>,
    /// What to do with homes in several zones.
    pub overlap: ZoneOverlap,
}

/// Homes that lie in several zones (overlapping zone polygons, e.g. a country, its districts
/// and its municipalities in one file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneOverlap {
    /// Overlapping zones are an error that names the overlap.
    Error,
    /// A home counts in the first zone (file order) that holds it.
    First,
    /// A home counts in every zone that holds it.
    Each,
}

/// A validated `report` run.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// The check to run (its `out` is ignored: points go to `points.csv`).
    pub check: CheckConfig,
    /// The folder to write.
    pub out_dir: PathBuf,
    /// How points are weighted.
    pub weight: WeightSource,
    /// Zones, if any.
    pub zones: Option<ZoneSpec>,
    /// Residential land-use polygons, the denominator of the land-area rate; `None` measures
    /// the residential layer's polygons (building footprints) when the points come from one.
    pub land: Option<PathBuf>,
    /// `--land-crs`.
    pub land_crs: Option<crate::crs::SourceCrs>,
    /// `--land-where`: only --land features passing every test are residential land.
    pub land_where: Vec<crate::standard::TagMatch>,
    /// Failing points closer than this form one gap, metres; `None`: 1.5 × grid spacing,
    /// or 150 m.
    pub gap_link_m: Option<f64>,
    /// Smallest cell of the land-area quadtree, metres.
    pub land_cell_m: f64,
    /// The language of the page, the Markdown and the map (CSV and JSON names stay English).
    pub lang: Lang,
    /// Also print the page to `report.pdf` with a local Chromium or Chrome.
    pub pdf: bool,
    /// Green spaces that do not exist yet (`--proposed`): the report shows before → after.
    pub proposed: Vec<PathBuf>,
}

impl ReportConfig {
    /// Whether homes carry weights (residents) other than one each.
    pub fn weighted(&self) -> bool {
        !matches!(self.weight, WeightSource::Points)
    }
}

/// The PDF of the report folder.
pub const PDF_NAME: &str = "report.pdf";

/// Points, residents and land within reach, for one group of points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shares {
    /// Demand points.
    pub points: Tally<usize>,
    /// Their weight (residents; one each when unweighted).
    pub weight: Tally<f64>,
    /// Residential land, when measured.
    pub land: Option<LandShares>,
}

impl Shares {
    fn new(tiers: usize) -> Self {
        Self {
            points: Tally::new(tiers),
            weight: Tally::new(tiers),
            land: None,
        }
    }

    fn add_point(&mut self, i: usize, coverage: &Coverage, w: f64) {
        let ok = || coverage.tiers.iter().map(|col| col.ok[i]);
        self.points.add(1, ok());
        self.weight.add(w, ok());
    }

    /// Share of points within reach of tier `t` (`None`: all tiers), 0–1.
    pub fn point_share(&self, t: Option<usize>) -> f64 {
        self.points.share(t)
    }

    /// Share of weight within reach of tier `t` (`None`: all tiers), 0–1.
    pub fn weight_share(&self, t: Option<usize>) -> f64 {
        self.weight.share(t)
    }
}

/// One zone's row.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneRow {
    /// Zone name (`outside every zone` for the rest).
    pub name: String,
    /// Its figures.
    pub shares: Shares,
}

/// One residential polygon's land figures.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaRow {
    /// The feature's `name`, else id, else `osm_id`, else index.
    pub id: String,
    /// The zone its representative point lies in.
    pub zone: Option<String>,
    /// Where it is (lon/lat of its representative point, zone, name).
    pub place: Option<Place>,
    /// Its land figures.
    pub land: LandShares,
}

/// What the land-area rate is measured over.
#[derive(Debug, Clone, PartialEq)]
pub enum LandBasis {
    /// Residential land-use polygons (`--land`): the 公园绿地服务半径覆盖率.
    ResidentialLand(PathBuf),
    /// Only the homes' own polygons (building footprints): a footprint-area share, not the
    /// residential land rate.
    BuildingFootprints,
}

impl LandBasis {
    /// The basis of a run that measures land: `--land`, else the homes' own polygons.
    fn of(cfg: &ReportConfig) -> Self {
        match &cfg.land {
            Some(path) => LandBasis::ResidentialLand(path.clone()),
            None => LandBasis::BuildingFootprints,
        }
    }

    /// How the report names the denominator.
    pub fn describe(&self) -> &'static str {
        match self {
            LandBasis::ResidentialLand(_) => "residential land",
            LandBasis::BuildingFootprints => "building footprint area",
        }
    }
}

/// Distances of one tier in bins.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Bin width, metres; bin `k` holds distances in `[k·w, (k+1)·w)`.
    pub bin_m: f64,
    /// Counts per bin.
    pub counts: Vec<usize>,
    /// Points beyond the last bin but with a space within the search limit.
    pub beyond: usize,
    /// Points with nothing within the search limit.
    pub none: usize,
}

/// An input file with its checksum.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    /// The layer.
    pub info: LayerInfo,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

/// Everything a report shows.
pub struct Report {
    /// The configuration it ran with.
    pub config: ReportConfig,
    /// The same summary `check` prints.
    pub summary: Summary,
    /// All points together.
    pub totals: Shares,
    /// Zones, worst first (by the share of points meeting every tier), the rest last.
    pub zones: Vec<ZoneRow>,
    /// Zones with no home in them: listed apart, not ranked.
    pub empty_zones: Vec<String>,
    /// What the land-area rate is measured over, when it is measured.
    pub land_basis: Option<LandBasis>,
    /// Which green spaces counted, why, and how much each serves.
    pub spaces: counted::SpacesCounted,
    /// Where each gap is (same order as `gaps`).
    pub gap_places: Vec<Option<Place>>,
    /// Residential polygons, worst first by the land share meeting every tier.
    pub areas: Vec<AreaRow>,
    /// Gaps of every tier.
    pub gaps: Vec<Gap>,
    /// One histogram per tier.
    pub histograms: Vec<Histogram>,
    /// How points were weighted.
    pub weights: Weights,
    /// Which residential features are homes.
    pub homes_rule: String,
    /// Input files.
    pub inputs: Vec<InputFile>,
    /// Warnings of the run.
    pub warnings: Vec<String>,
    /// When it ran, UTC, RFC 3339.
    pub generated_utc: String,
    /// The evaluated run (plane, green spaces, layers).
    pub prepared: Prepared,
    /// The demand points.
    pub points: DemandPoints,
    /// Per-point results (with distances).
    pub coverage: Coverage,
    /// Zone polygons, plane metres.
    pub zone_shapes: Vec<(String, MultiPolygon<f64>)>,
    /// With `--proposed`: the same figures with the proposed spaces added.
    pub proposed: Option<ProposedReport>,
    /// With `--metric walk`: the straight-line figures beside the walking ones (then
    /// `coverage`, `totals`, `zones`, `gaps` and `summary` are on foot).
    pub walk: Option<WalkPart>,
}

/// `report --metric walk`: what the walking stage did, the straight-line figures of the same
/// homes (aligned with the report's: `zones` in the order of [`Report::zones`]) and the homes
/// lost to barriers.
pub struct WalkPart {
    /// Network, graph, entrances, snaps and per-tier counts.
    pub summary: crate::run::walk::WalkSummary,
    /// Straight-line results per point.
    pub straight: Coverage,
    /// Where each home joined the network (`None`: no walkable way within the snap distance).
    pub snaps: Vec<Option<crate::engine::walk::Snap>>,
    /// All homes, in a straight line.
    pub totals: Shares,
    /// Per zone, in a straight line.
    pub zones: Vec<ZoneRow>,
    /// Homes within reach in a straight line but not on foot, grouped, per tier.
    pub lost: Vec<lost::Lost>,
    /// Where each lost group is (same order as `lost`).
    pub lost_places: Vec<Option<Place>>,
}

/// The report's figures with the proposed spaces added (`--proposed`), aligned with the
/// report's own: `zones` in the order of [`Report::zones`], `areas` of [`Report::areas`].
#[derive(Debug, Clone)]
pub struct ProposedReport {
    /// The proposed files.
    pub files: Vec<PathBuf>,
    /// All points, after.
    pub totals: Shares,
    /// Per zone, after.
    pub zones: Vec<ZoneRow>,
    /// Per residential polygon, after.
    pub areas: Vec<LandShares>,
    /// Per tier and per proposed space, the points newly served.
    pub impact: crate::run::proposed::ProposedImpact,
}

/// How the report groups points and land: all, per zone (the last group: in no zone).
struct Grouping<'a> {
    tiers: usize,
    /// Zones of each point.
    zones_of: &'a [Vec<usize>],
    /// Weight of each point.
    weights: &'a [f64],
    /// Number of zones, `None` without zones.
    n_zones: Option<usize>,
    /// Zone of each land polygon.
    land_zone: Vec<Option<usize>>,
}

impl Grouping<'_> {
    /// Totals and per-zone figures of `coverage` (and of `land`, one per land polygon).
    fn shares(&self, coverage: &Coverage, land: Option<&[LandShares]>) -> (Shares, Vec<Shares>) {
        let mut totals = Shares::new(self.tiers);
        let n = self.n_zones.unwrap_or(0);
        let mut per_zone = vec![Shares::new(self.tiers); n + 1];
        for (i, in_zones) in self.zones_of.iter().enumerate() {
            let w = self.weights[i];
            totals.add_point(i, coverage, w);
            if self.n_zones.is_some() {
                if in_zones.is_empty() {
                    per_zone[n].add_point(i, coverage, w);
                }
                for &z in in_zones {
                    per_zone[z].add_point(i, coverage, w);
                }
            }
        }
        if let Some(land) = land {
            let mut total_land = LandShares::default();
            for (figures, zone) in land.iter().zip(&self.land_zone) {
                total_land.add(figures);
                if self.n_zones.is_some() {
                    per_zone[zone.unwrap_or(n)]
                        .land
                        .get_or_insert_with(LandShares::default)
                        .add(figures);
                }
            }
            totals.land = Some(total_land);
        }
        (totals, per_zone)
    }
}

/// Run a report and write its folder.
pub fn run_report(cfg: &ReportConfig, progress: &dyn Progress) -> Result<Report, Error> {
    cfg.check.validate()?;
    if cfg.check.walk.is_some() && !cfg.proposed.is_empty() {
        return Err(Error::Config(
            "report --proposed measures in a straight line; for a plan on foot run check --proposed --metric walk".into(),
        ));
    }
    // Find the browser before the work, so that a missing one fails at once.
    let browser = cfg.pdf.then(pdf::find_browser).transpose()?;
    let report = with_threads(cfg.check.threads, || build(cfg, progress))?;
    render::write_folder(&report)?;
    if let Some(browser) = browser {
        progress.begin("PDF", 0);
        let printed = pdf::print(
            &browser,
            &cfg.out_dir.join("index.html"),
            &cfg.out_dir.join(PDF_NAME),
        );
        progress.end();
        printed?;
    }
    Ok(report)
}

fn build(cfg: &ReportConfig, progress: &dyn Progress) -> Result<Report, Error> {
    let check = &cfg.check;
    let Evaluated {
        mut prepared,
        points,
        coverage,
        summary,
        on_foot,
    } = evaluate(check, progress)?;
    let tiers = check.standard.tiers.len();
    let Framed {
        weights,
        zones,
        zones_of,
        land_polys,
    } = framed(cfg, &mut prepared, &points)?;

    let land = LandMeasure::new(cfg, land_polys.as_deref());
    let grouping = Grouping {
        tiers,
        zones_of: &zones_of,
        weights: &weights.per_point,
        n_zones: zones.as_ref().map(|z| z.names.len()),
        land_zone: land_polys
            .as_ref()
            .map_or_else(Vec::new, |p| p.iter().map(|(_, z, _)| *z).collect()),
    };
    let land_figures = land.figures(&prepared.reach, progress);
    let (totals, per_zone) = grouping.shares(&coverage, land_figures.as_deref());
    let (areas, area_order) = match (&land_polys, &land_figures) {
        (Some(polys), Some(figures)) => area_rows(polys, figures, &prepared, zones.as_ref()),
        _ => (Vec::new(), Vec::new()),
    };
    let (zone_rows, empty_zones) = match &zones {
        Some(z) => zone_table(&z.names, per_zone),
        None => (Vec::new(), Vec::new()),
    };

    let zones_ref = zones.as_ref();
    let before = Before {
        zone_rows: &zone_rows,
        area_order: &area_order,
        zones: zones_ref,
    };
    let proposed = proposed_after(
        cfg,
        &mut prepared,
        &points,
        &grouping,
        &land,
        &before,
        progress,
    )?;
    let ev = (&points, &coverage, &prepared);
    let walk = on_foot.map(|foot| walk_part(cfg, foot, ev, &grouping, zones.as_ref()));
    let gaps = report_gaps(cfg, &points, &coverage, &weights, &prepared);
    let histograms = tier_histograms(&check.standard, &coverage);
    let inputs = input_files(&prepared.layers)?;
    let land_basis = land_polys.as_ref().map(|_| LandBasis::of(cfg));
    let spaces = counted::spaces_counted(
        &check.standard,
        &prepared.green,
        &coverage,
        zones.as_ref().map(|z| z.shapes.as_slice()),
    );
    let gap_places = group_places(
        gaps.iter().map(|g| g.members.as_slice()),
        &points,
        &prepared,
        zones.as_ref(),
    );
    let zone_shapes = zones
        .map(|z| z.names.into_iter().zip(z.shapes).collect())
        .unwrap_or_default();
    let warnings = prepared.warnings.list.clone();
    Ok(Report {
        config: cfg.clone(),
        summary,
        totals,
        zones: zone_rows,
        empty_zones,
        land_basis,
        spaces,
        gap_places,
        areas,
        gaps,
        histograms,
        homes_rule: check.homes.describe(),
        weights,
        inputs,
        warnings,
        generated_utc: now_utc(),
        prepared,
        points,
        coverage,
        zone_shapes,
        proposed,
        walk,
    })
}

/// What `evaluate` measured: the run, its points, their results (on foot under `--metric
/// walk`) and the summary of those.
struct Evaluated {
    prepared: Prepared,
    points: DemandPoints,
    coverage: Coverage,
    summary: Summary,
    on_foot: Option<OnFootPart>,
}

/// The straight-line side of a walking report, before it is grouped.
struct OnFootPart {
    summary: crate::run::walk::WalkSummary,
    straight: Coverage,
    snaps: Vec<Option<crate::engine::walk::Snap>>,
}

/// The frame the figures are grouped in: each home's weight, the zones and each home's
/// zones, and the residential land polygons.
struct Framed {
    weights: Weights,
    zones: Option<Zones>,
    zones_of: Vec<Vec<usize>>,
    land_polys: Option<Vec<LandPolygon>>,
}

/// Read the weights, zones and land of a report (their notes become warnings).
fn framed(
    cfg: &ReportConfig,
    prepared: &mut Prepared,
    points: &DemandPoints,
) -> Result<Framed, Error> {
    let mut notes = Vec::new();
    let weights = weights_of(&cfg.weight, &cfg.check, prepared, points, &mut notes)?;
    let zones = zones_of(cfg, prepared, &mut notes)?;
    let zones_of = point_zones(cfg, zones.as_ref(), points);
    let zone_of: Vec<Option<usize>> = zones_of.iter().map(|z| z.first().copied()).collect();
    let land_polys = land_polygons(cfg, prepared, points, &zone_of, zones.as_ref(), &mut notes)?;
    for n in notes {
        prepared.warnings.warn(n)?;
    }
    Ok(Framed {
        weights,
        zones,
        zones_of,
        land_polys,
    })
}

/// Prepare the run and evaluate every demand point with distances: in a straight line, or on
/// foot and in a straight line under `--metric walk`.
fn evaluate(check: &CheckConfig, progress: &dyn Progress) -> Result<Evaluated, Error> {
    let (mut prepared, demand) = prepare(check)?;
    let points = demand.into_points(&prepared)?;
    let (coverage, on_foot) = match &check.walk {
        None => {
            let coverage = evaluate_points(
                &prepared.reach,
                &points,
                check.max_distance_m,
                Detail::Distances,
                progress,
            );
            (coverage, None)
        }
        Some(wc) => {
            let mut warnings = std::mem::take(&mut prepared.warnings);
            let foot = crate::run::walk::on_foot(
                check,
                wc,
                &prepared,
                &points,
                Detail::Distances,
                &mut warnings,
                progress,
            );
            prepared.warnings = warnings;
            let foot = foot?;
            if let Some(path) = &wc.export {
                crate::io::output::network::write(
                    path,
                    &foot.reach,
                    &check.standard,
                    &prepared.green,
                    &prepared.plane,
                    &points,
                    &foot.walked.snaps,
                )
                .map_err(|source| Error::Output {
                    path: path.clone(),
                    source,
                })?;
            }
            let part = OnFootPart {
                summary: foot.summary,
                straight: foot.straight,
                snaps: foot.walked.snaps,
            };
            (foot.walked.coverage, Some(part))
        }
    };
    let summary = Summary::new(
        &check.standard,
        &prepared.green,
        &points,
        &coverage,
        check.max_distance_m,
    );
    Ok(Evaluated {
        prepared,
        points,
        coverage,
        summary,
        on_foot,
    })
}

/// The straight-line figures beside the walking ones, and the homes lost to barriers.
fn walk_part(
    cfg: &ReportConfig,
    foot: OnFootPart,
    ev: (&DemandPoints, &Coverage, &Prepared),
    grouping: &Grouping<'_>,
    zones: Option<&Zones>,
) -> WalkPart {
    let (points, coverage, prepared) = ev;
    let (totals, per_zone) = grouping.shares(&foot.straight, None);
    let zone_rows = match zones {
        Some(z) => zone_table(&z.names, per_zone).0,
        None => Vec::new(),
    };
    let no_network: Vec<bool> = foot.snaps.iter().map(Option::is_none).collect();
    let lost = lost::lost_to_barriers(
        &points.xy,
        coverage,
        &foot.straight,
        &no_network,
        grouping.weights,
        &cfg.check.standard,
        &prepared.green,
        gap_link(cfg),
    );
    let lost_places = group_places(
        lost.iter().map(|g| g.gap.members.as_slice()),
        points,
        prepared,
        zones,
    );
    WalkPart {
        lost_places,
        summary: foot.summary,
        straight: foot.straight,
        snaps: foot.snaps,
        totals,
        zones: zone_rows,
        lost,
    }
}

/// Gaps of every tier, failing homes linked within `--gap-link` (default 150 m, or 1.5 ×
/// the grid spacing).
fn report_gaps(
    cfg: &ReportConfig,
    points: &DemandPoints,
    coverage: &Coverage,
    weights: &Weights,
    prepared: &Prepared,
) -> Vec<Gap> {
    gaps::find_gaps(
        &points.xy,
        coverage,
        &weights.per_point,
        &cfg.check.standard,
        &prepared.green,
        gap_link(cfg),
    )
}

/// How close failing homes must be to share a gap: `--gap-link`, else 150 m, or 1.5 × the
/// grid spacing.
fn gap_link(cfg: &ReportConfig) -> f64 {
    cfg.gap_link_m.unwrap_or(match cfg.check.demand {
        DemandSource::Grid { spacing_m, .. } => 1.5 * spacing_m,
        _ => 150.0,
    })
}

/// The zones of each point: its first zone in file order, or every zone that holds it under
/// `--zone-overlap each`; none without zones.
fn point_zones(
    cfg: &ReportConfig,
    zones: Option<&Zones>,
    points: &DemandPoints,
) -> Vec<Vec<usize>> {
    match (zones, &cfg.zones) {
        (Some(z), Some(spec)) if spec.overlap == ZoneOverlap::Each => {
            points.xy.iter().map(|&p| z.zones_of(p)).collect()
        }
        (Some(z), _) => points
            .xy
            .iter()
            .map(|&p| z.zone_of(p).into_iter().collect())
            .collect(),
        _ => vec![Vec::new(); points.len()],
    }
}

/// One distance histogram per tier: 15 bins of a fifth of the tier's largest radius.
fn tier_histograms(standard: &crate::standard::Standard, coverage: &Coverage) -> Vec<Histogram> {
    standard
        .tiers
        .iter()
        .zip(&coverage.tiers)
        .map(|(t, col)| histogram(&col.distance_m, t.max_radius() / 5.0, 15))
        .collect()
}

/// The residential land polygons' shapes and how finely they are measured.
struct LandMeasure {
    shapes: Option<Vec<MultiPolygon<f64>>>,
    settings: land::LandSettings,
}

impl LandMeasure {
    /// The shapes of `polys`, measured to `--land-cell` and as far as any tier can reach.
    fn new(cfg: &ReportConfig, polys: Option<&[LandPolygon]>) -> Self {
        LandMeasure {
            shapes: polys.map(|polys| polys.iter().map(|(_, _, p)| p.clone()).collect()),
            settings: land::LandSettings {
                min_cell_m: cfg.land_cell_m,
                limit_m: cfg.check.max_distance_m + cfg.check.standard.max_radius(),
            },
        }
    }

    /// Land figures of each polygon under `reach` (`None` without land).
    fn figures(&self, reach: &dyn Reach, progress: &dyn Progress) -> Option<Vec<LandShares>> {
        self.shapes.as_ref().map(|shapes| {
            progress.begin("land area", 0);
            let figures = land::land_cover(shapes, reach, self.settings);
            progress.end();
            figures
        })
    }
}

/// The residential polygons' rows, worst first (by the land share meeting every tier, then
/// larger first), and that order as indexes into `polys`.
fn area_rows(
    polys: &[LandPolygon],
    figures: &[LandShares],
    prepared: &Prepared,
    zones: Option<&Zones>,
) -> (Vec<AreaRow>, Vec<usize>) {
    use geo::InteriorPoint;
    let mut order: Vec<usize> = (0..polys.len()).collect();
    order.sort_by(|&a, &b| {
        figures[a]
            .all_share()
            .total_cmp(&figures[b].all_share())
            .then(figures[b].area_m2.total_cmp(&figures[a].area_m2))
    });
    let rows = order
        .iter()
        .map(|&k| {
            let (id, zone, shape) = &polys[k];
            let at = shape
                .interior_point()
                .and_then(|p| prepared.plane.inverse(p.0).ok());
            let zone = zone.and_then(|z| zones.map(|zs| zs.names[z].clone()));
            AreaRow {
                id: id.clone(),
                place: at.map(|c| Place {
                    lon: c.x,
                    lat: c.y,
                    zone: zone.clone(),
                    name: None,
                }),
                zone,
                land: figures[k].clone(),
            }
        })
        .collect();
    (rows, order)
}

/// The "before" figures the proposed pass aligns with.
struct Before<'a> {
    zone_rows: &'a [ZoneRow],
    area_order: &'a [usize],
    zones: Option<&'a Zones>,
}

/// The report's figures with the proposed spaces added: the same points, land and grouping
/// as the report's own, on the same plane. `None` without `--proposed`.
fn proposed_after(
    cfg: &ReportConfig,
    prepared: &mut Prepared,
    points: &DemandPoints,
    grouping: &Grouping<'_>,
    land: &LandMeasure,
    before: &Before<'_>,
    progress: &dyn Progress,
) -> Result<Option<ProposedReport>, Error> {
    if cfg.proposed.is_empty() {
        return Ok(None);
    }
    let check = &cfg.check;
    let (new, info) = crate::run::proposed::load_with_info(check, prepared, &cfg.proposed)?;
    prepared.layers.extend(info);
    let reach = crate::run::proposed::combined_reach(check, prepared, &new);
    let after = evaluate_points(
        &reach,
        points,
        check.max_distance_m,
        Detail::Flags,
        progress,
    );
    let after_land = land.figures(&reach, progress);
    let (totals, per_zone) = grouping.shares(&after, after_land.as_deref());
    let after_rows = before
        .zones
        .map_or_else(Vec::new, |z| zone_table(&z.names, per_zone).0);
    let zones = before
        .zone_rows
        .iter()
        .filter_map(|row| after_rows.iter().find(|a| a.name == row.name).cloned())
        .collect();
    let areas = after_land.map_or_else(Vec::new, |l| {
        before.area_order.iter().map(|&k| l[k].clone()).collect()
    });
    let impact = crate::run::proposed::assess_classified(check, prepared, &points.xy, new)?;
    Ok(Some(ProposedReport {
        files: cfg.proposed.clone(),
        totals,
        zones,
        areas,
        impact,
    }))
}

/// Residential land: the `--land` polygons, else the residential layer's polygons (one per
/// demand point), each with its label and zone; `None` when the demand has no polygons.
fn land_polygons(
    cfg: &ReportConfig,
    prepared: &mut Prepared,
    points: &DemandPoints,
    zone_of: &[Option<usize>],
    zones: Option<&Zones>,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<LandPolygon>>, Error> {
    let check = &cfg.check;
    let opts = ReadOptions {
        strict: check.strict,
        source: check.source.clone(),
        ..Default::default()
    };
    Ok(match (&cfg.land, &check.demand, &prepared.demand_layer) {
        (Some(path), _, _) => {
            let mut l = load_role(
                path,
                OsmLayer::Residential,
                &check.standard,
                cfg.land_crs.as_ref(),
                "--land-crs",
                &check.crs,
                opts,
                notes,
            )?;
            l.layer.select(&cfg.land_where, false);
            prepared.layers.push(LayerInfo::of(&l, "land"));
            let mut v = Vec::new();
            for f in &l.layer.features {
                if let Some(mp) = areal(&prepared.plane.project(&f.geometry)?) {
                    let zone = crate::run::demand::representative(&f.geometry)
                        .map(|c| prepared.plane.forward(c.x, c.y))
                        .transpose()?
                        .and_then(|c| zones.and_then(|z| z.zone_of(c)));
                    v.push((crate::run::green::label(f, None), zone, mp));
                }
            }
            Some(v)
        }
        (None, DemandSource::Residential(_), Some(layer)) => {
            let mut v = Vec::new();
            for (i, &s) in points.source.iter().enumerate() {
                let f = &layer.features[s as usize];
                if let Some(mp) = areal(&prepared.plane.project(&f.geometry)?) {
                    v.push((crate::run::green::label(f, None), zone_of[i], mp));
                }
            }
            Some(v)
        }
        _ => None,
    })
}

/// The weight of each demand point: 1, a property of the demand layer, or a population
/// layer (read here, and listed among the inputs).
pub(crate) fn weights_of(
    weight: &WeightSource,
    check: &CheckConfig,
    prepared: &mut Prepared,
    points: &DemandPoints,
    notes: &mut Vec<String>,
) -> Result<Weights, Error> {
    let opts = ReadOptions {
        strict: check.strict,
        source: check.source.clone(),
        ..Default::default()
    };
    Ok(match (weight, &prepared.demand_layer) {
        (WeightSource::Points, _) => weights::unit(points),
        (WeightSource::Property(field), Some(layer)) => {
            weights::from_property(layer, points, field)?
        }
        (WeightSource::Property(_), None) => {
            return Err(Error::Config(
                "--weight needs --points or --residential (a grid has no properties)".into(),
            ));
        }
        (WeightSource::Population { path, field, crs }, _) => {
            let l = load_layer(
                path,
                crs.as_ref(),
                "--population-crs",
                &check.crs,
                opts,
                notes,
            )?;
            prepared.layers.push(LayerInfo::of(&l, "population"));
            weights::from_population(&l.layer, field, points, &prepared.plane)?
        }
    })
}

/// The zones layer, when one is given (read here, and listed among the inputs). Overlapping
/// zones are an error unless a rule for them was chosen.
fn zones_of(
    cfg: &ReportConfig,
    prepared: &mut Prepared,
    notes: &mut Vec<String>,
) -> Result<Option<Zones>, Error> {
    let Some(z) = &cfg.zones else {
        return Ok(None);
    };
    let opts = ReadOptions {
        strict: cfg.check.strict,
        source: cfg.check.source.clone(),
        ..Default::default()
    };
    let l = load_role(
        &z.path,
        OsmLayer::Zones,
        &cfg.check.standard,
        z.crs.as_ref(),
        "--zones-crs",
        &cfg.check.crs,
        opts,
        notes,
    )?;
    prepared.layers.push(LayerInfo::of(&l, "zones"));
    let zones = Zones::from_layer(&l.layer, &z.name_property, &z.filter, &prepared.plane)?;
    notes.extend(zones.skipped.iter().cloned());
    if z.overlap == ZoneOverlap::Error {
        check_zone_overlaps(&zones, &z.path)?;
    }
    Ok(Some(zones))
}

/// Overlapping zones are an error: name the largest overlaps and the ways out.
fn check_zone_overlaps(zones: &Zones, path: &Path) -> Result<(), Error> {
    let mut overlaps = zones.overlaps();
    if overlaps.is_empty() {
        return Ok(());
    }
    overlaps.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));
    let named: Vec<String> = overlaps
        .iter()
        .take(3)
        .map(|o| {
            format!(
                "\"{}\" and \"{}\" share {:.1} ha",
                zones.names[o.zones.0],
                zones.names[o.zones.1],
                o.area_m2 / 10_000.0
            )
        })
        .collect();
    Err(Error::Config(format!(
        "{}: {} pair(s) of zones overlap ({}{}): keep one level with --zone-where (e.g. admin_level=8), or say how to count homes in several zones with --zone-overlap first|each",
        path.display(),
        overlaps.len(),
        named.join("; "),
        if overlaps.len() > 3 { "; ..." } else { "" }
    )))
}

/// Zone rows worst first (by the share of points meeting every tier), then the points in no
/// zone (the last entry of `per_zone`), when there are any; and apart, the zones with no
/// point (not ranked: a 0% there means nothing).
fn zone_table(names: &[String], per_zone: Vec<Shares>) -> (Vec<ZoneRow>, Vec<String>) {
    let n_zones = names.len();
    let mut zone_rows: Vec<ZoneRow> = Vec::new();
    let mut empty = Vec::new();
    let mut outside = None;
    for (k, shares) in per_zone.into_iter().enumerate() {
        match names.get(k) {
            Some(name) if shares.points.total == 0 => empty.push(name.clone()),
            Some(name) => zone_rows.push(ZoneRow {
                name: name.clone(),
                shares,
            }),
            None if k == n_zones && shares.points.total > 0 => {
                outside = Some(ZoneRow {
                    name: OUTSIDE_ZONES.into(),
                    shares,
                })
            }
            None => {}
        }
    }
    zone_rows.sort_by(|a, b| {
        a.shares
            .point_share(None)
            .total_cmp(&b.shares.point_share(None))
            .then(a.name.cmp(&b.name))
    });
    zone_rows.extend(outside);
    (zone_rows, empty)
}

/// Where each gap is: the centroid of its homes, its zone and its homes' main street.
fn group_places<'a>(
    groups: impl Iterator<Item = &'a [u32]>,
    points: &DemandPoints,
    prepared: &Prepared,
    zones: Option<&Zones>,
) -> Vec<Option<Place>> {
    let streets = places::streets(prepared.demand_layer.as_ref(), points);
    let zone_at = |c: geo::Coord| zones.and_then(|z| z.zone_of(c).map(|k| z.names[k].clone()));
    groups
        .map(|members| places::of_points(members, &points.xy, &streets, &prepared.plane, &zone_at))
        .collect()
}

/// Every input file with its SHA-256.
fn input_files(layers: &[LayerInfo]) -> Result<Vec<InputFile>, Error> {
    layers
        .iter()
        .map(|info| {
            Ok(InputFile {
                sha256: sha256_of(&info.path).map_err(|source| Error::Output {
                    path: info.path.clone(),
                    source,
                })?,
                info: info.clone(),
            })
        })
        .collect()
}

/// A residential land polygon: its id, its zone and its shape on the plane.
type LandPolygon = (String, Option<usize>, MultiPolygon<f64>);

/// Bin distances: `bins` bins of `bin_m`, then "beyond" and "none within the limit".
pub fn histogram(distances: &[f64], bin_m: f64, bins: usize) -> Histogram {
    let mut h = Histogram {
        bin_m,
        counts: vec![0; bins],
        beyond: 0,
        none: 0,
    };
    for &d in distances {
        if d.is_nan() {
            h.none += 1;
        } else {
            match h.counts.get_mut((d / bin_m) as usize) {
                Some(c) => *c += 1,
                None => h.beyond += 1,
            }
        }
    }
    h
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path)?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The current time, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_date(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The Gregorian date `(year, month, day)` of a day counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The per-point file format of the report folder.
pub const POINTS_FORMAT: Format = Format::Csv;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bins() {
        let h = histogram(&[0.0, 59.9, 60.0, 1000.0, f64::NAN], 60.0, 3);
        assert_eq!(h.counts, vec![2, 1, 0]);
        assert_eq!((h.beyond, h.none), (1, 1));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(-1), (1969, 12, 31));
        assert_eq!(civil_date(59), (1970, 3, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(11_017), (2000, 3, 1));
        assert_eq!(civil_date(20_414), (2025, 11, 22));
        assert_eq!(civil_date(-25_508), (1900, 3, 1));
        // Day by day over 1960–2100: the date advances by exactly one calendar day.
        let month_len = |y: i64, m: i64| match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let mut prev = civil_date(-3653);
        assert_eq!(prev, (1960, 1, 1));
        for day in -3652..47_482 {
            let (y, m, d) = civil_date(day);
            let (py, pm, pd) = prev;
            let expect = if pd < month_len(py, pm) {
                (py, pm, pd + 1)
            } else if pm < 12 {
                (py, pm + 1, 1)
            } else {
                (py + 1, 1, 1)
            };
            assert_eq!((y, m, d), expect, "day {day}");
            prev = (y, m, d);
        }
        assert_eq!(prev, (2099, 12, 31));
    }

    #[test]
    fn utc_format() {
        let t = now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
