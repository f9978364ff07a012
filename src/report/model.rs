//! What a report holds: its configuration and the figures it computed, before any rendering.

use std::path::PathBuf;

use geo::MultiPolygon;

use super::compute::gaps::Gap;
use super::compute::land::LandShares;
use super::compute::places::Place;
use super::compute::weights::{WeightSource, Weights};
use super::compute::{counted, lost};
use super::lang::Lang;
use crate::engine::coverage::Coverage;
use crate::engine::tally::Tally;
use crate::io::output::Format;
use crate::run::config::CheckConfig;
use crate::run::demand::DemandPoints;
use crate::run::prepare::{LayerInfo, Prepared};
use crate::run::summary::Summary;
use crate::standard::TagMatch;

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

/// The per-point file format of the report folder.
pub const POINTS_FORMAT: Format = Format::Csv;

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
    pub(crate) fn new(tiers: usize) -> Self {
        Self {
            points: Tally::new(tiers),
            weight: Tally::new(tiers),
            land: None,
        }
    }

    pub(crate) fn add_point(&mut self, i: usize, coverage: &Coverage, w: f64) {
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
    pub(crate) fn of(cfg: &ReportConfig) -> Self {
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
