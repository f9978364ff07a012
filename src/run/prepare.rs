//! Preparing a run: read every layer with its CRS, choose the plane, classify and index the
//! green spaces, and make the demand (points in memory, or a grid left as a lattice).

use std::path::{Path, PathBuf};

use geo::{BoundingRect, MultiPolygon, Rect};

use crate::crs::SourceCrs;
use crate::crs::{LocalPlane, LonLatBox, WIDE_SPAN_DEG};
use crate::engine::grid::{self, AreaMask, GridSpec};
use crate::engine::lookup::areal;
use crate::engine::reach::StraightLine;
use crate::error::Error;
use crate::io::input::{Layer, Properties, ReadOptions};
use crate::io::load::CrsSource;
use crate::io::load::{LoadedLayer, consistency, load_role};
use crate::io::osm::layers::OsmLayer;
use crate::run::config::{CheckConfig, DemandSource};
use crate::run::demand::{self, DemandPoints};
use crate::run::green::GreenSpaces;
use crate::run::warnings::{Warnings, report_skips};
use crate::standard::Standard;
use crate::standard::homes::HomeFilter;

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
    /// How the file was read (format, layer, text encoding, CRS source), when not GeoJSON.
    pub notes: Vec<String>,
}

impl LayerInfo {
    /// Describe a loaded layer.
    pub fn of(l: &LoadedLayer, role: &str) -> Self {
        Self {
            path: l.layer.path.clone(),
            notes: l.layer.notes.clone(),
            role: role.to_string(),
            crs: l.crs.to_string(),
            crs_source: l.crs_source,
            read: l.layer.read_count(),
            skipped: l.layer.skipped.len(),
        }
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
    /// The points or residential layer (WGS84), when the points come from one.
    pub demand_layer: Option<Layer>,
    /// The file the demand comes from: the points or residential layer, or the grid's area.
    pub demand_path: Option<PathBuf>,
    /// Every input file.
    pub layers: Vec<LayerInfo>,
    /// Warnings so far.
    pub warnings: Warnings,
}

/// The demand points of a run.
#[derive(Debug)]
pub enum Demand {
    /// Points in memory (from a points or residential layer).
    Points(DemandPoints),
    /// A regular grid, left as a lattice and a mask: evaluated by tiles or streamed in bands.
    Grid(GridSpec, AreaMask),
}

/// The demand's layer as read: points (with their role and homes rule), or a grid with its
/// optional area.
enum DemandInput {
    Points {
        loaded: LoadedLayer,
        role: &'static str,
        homes: HomeFilter,
    },
    Grid {
        spacing_m: f64,
        area: Option<LoadedLayer>,
    },
}

impl DemandInput {
    fn loaded(&self) -> Option<&LoadedLayer> {
        match self {
            DemandInput::Points { loaded, .. } => Some(loaded),
            DemandInput::Grid { area, .. } => area.as_ref(),
        }
    }

    fn role(&self) -> &'static str {
        match self {
            DemandInput::Points { role, .. } => role,
            DemandInput::Grid { .. } => "area",
        }
    }
}

/// Read, classify, project and index everything a check needs, and make its demand.
pub(crate) fn prepare(cfg: &CheckConfig) -> Result<(Prepared, Demand), Error> {
    let mut warnings = Warnings::new(cfg.strict);
    let (green_layers, input, layers) = read_layers(cfg, &mut warnings)?;
    prepare_layers(cfg, green_layers, input, layers, warnings, None)
}

/// As [`prepare`], from layers already loaded (held in memory, e.g. by an embedding): green
/// layers and a points layer (residential when `cfg.demand` says so, with `cfg.homes`). With
/// `origin`, the plane is centred there (lon, lat degrees) instead of on the layers' extent:
/// parts of one study evaluated apart share one plane, and so give the numbers of the whole.
pub(crate) fn prepare_loaded(
    cfg: &CheckConfig,
    green: Vec<LoadedLayer>,
    demand: LoadedLayer,
    origin: Option<(f64, f64)>,
) -> Result<(Prepared, Demand), Error> {
    let mut warnings = Warnings::new(cfg.strict);
    let input = match cfg.demand {
        DemandSource::Residential(_) => DemandInput::Points {
            loaded: demand,
            role: "residential",
            homes: cfg.homes,
        },
        _ => DemandInput::Points {
            loaded: demand,
            role: "points",
            homes: HomeFilter::All,
        },
    };
    let (green_layers, input, layers) =
        gather_layers(cfg, green, input, Vec::new(), &mut warnings)?;
    prepare_layers(cfg, green_layers, input, layers, warnings, origin)
}

fn prepare_layers(
    cfg: &CheckConfig,
    green_layers: Vec<Layer>,
    input: DemandInput,
    layers: Vec<LayerInfo>,
    mut warnings: Warnings,
    origin: Option<(f64, f64)>,
) -> Result<(Prepared, Demand), Error> {
    let plane = match origin {
        Some((lon0, lat0)) => LocalPlane::at(lon0, lat0)?,
        None => plane_over(&green_layers, &input, &mut warnings)?,
    };
    // The tier indexes are built while the polygons are screened for validity.
    let (green, groups) = GreenSpaces::classify_with(&green_layers, &cfg.standard, &plane, |g| {
        g.tier_groups(&cfg.standard)
    })?;
    warn_green(&green, &cfg.standard, &mut warnings)?;
    let demand_path = input.loaded().map(|l| l.layer.path.clone());
    let (demand, demand_layer) = match input {
        DemandInput::Points { loaded, homes, .. } => {
            let layer = loaded.layer;
            let points = demand_points(&layer, homes, &plane, &mut warnings)?;
            // A part of a larger study (a Dask partition, given the study's origin) may hold
            // only skipped rows: they are its answer. A whole run with no point is an error.
            if points.is_empty() && origin.is_none() {
                return Err(no_points(Some(&layer.path), &points));
            }
            (Demand::Points(points), Some(layer))
        }
        DemandInput::Grid { spacing_m, area } => {
            let area = area.map(|l| l.layer);
            let (spec, mask) = grid_over(spacing_m, area.as_ref(), &green, &plane, &mut warnings)?;
            (Demand::Grid(spec, mask), None)
        }
    };
    let reach = StraightLine::new(groups, plane.scale());
    let prepared = Prepared {
        plane,
        green,
        reach,
        demand_layer,
        demand_path,
        layers,
        warnings,
    };
    Ok((prepared, demand))
}

impl Demand {
    /// Every demand point in memory (a grid's kept cells, in row order); an error when there
    /// is none.
    pub fn into_points(self, prepared: &Prepared) -> Result<DemandPoints, Error> {
        match self {
            Demand::Points(points) => Ok(points),
            Demand::Grid(spec, mask) => {
                let points = DemandPoints::from_cells(grid::points(&spec, &mask));
                if points.is_empty() {
                    return Err(no_points(prepared.demand_path.as_deref(), &points));
                }
                Ok(points)
            }
        }
    }
}

fn no_points(source: Option<&Path>, demand: &DemandPoints) -> Error {
    let source = source.map_or(String::new(), |p| format!("{}: ", p.display()));
    Error::Config(format!(
        "{source}there are no demand points to evaluate ({} feature(s) read, {} skipped)",
        demand.read,
        demand.skipped_rows.len()
    ))
}

/// Load the green layers and the demand's layer, warn about their CRSs and skipped green
/// features, and describe every file for provenance.
#[allow(clippy::too_many_lines)] // each layer role read in turn, with its own CRS flag and notes
fn read_layers(
    cfg: &CheckConfig,
    warnings: &mut Warnings,
) -> Result<(Vec<Layer>, DemandInput, Vec<LayerInfo>), Error> {
    let opts = cfg.read_options();
    let mut notes = Vec::new();
    let mut read = |path: &Path,
                    flag: Option<&SourceCrs>,
                    name: &str,
                    osm: OsmLayer,
                    opts: ReadOptions|
     -> Result<LoadedLayer, Error> {
        load_role(
            path,
            osm,
            &cfg.standard,
            flag,
            name,
            &cfg.crs,
            opts,
            &mut notes,
        )
    };
    let mut green_loaded = cfg
        .green
        .iter()
        .map(|p| {
            read(
                p,
                cfg.green_crs.as_ref(),
                "--green-crs",
                OsmLayer::Green,
                opts.clone(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    for l in &mut green_loaded {
        l.layer.select(&cfg.green_where, false);
    }
    let keeping = |homes: HomeFilter| ReadOptions {
        properties: match homes {
            HomeFilter::All if cfg.demand_where.is_empty() => cfg.demand_properties,
            _ => Properties::All,
        },
        ..opts.clone()
    };
    let input = match &cfg.demand {
        DemandSource::Points(p) => DemandInput::Points {
            loaded: read(
                p,
                cfg.points_crs.as_ref(),
                "--points-crs",
                OsmLayer::Buildings,
                keeping(HomeFilter::All),
            )?,
            role: "points",
            homes: HomeFilter::All,
        },
        DemandSource::Residential(p) => DemandInput::Points {
            loaded: read(
                p,
                cfg.points_crs.as_ref(),
                "--points-crs",
                OsmLayer::Buildings,
                keeping(cfg.homes),
            )?,
            role: "residential",
            homes: cfg.homes,
        },
        DemandSource::Grid { spacing_m, area } => DemandInput::Grid {
            spacing_m: *spacing_m,
            area: area
                .as_deref()
                .map(|a| {
                    let o = ReadOptions {
                        properties: Properties::None,
                        ..opts.clone()
                    };
                    read(
                        a,
                        cfg.area_crs.as_ref(),
                        "--area-crs",
                        OsmLayer::Residential,
                        o,
                    )
                })
                .transpose()?,
        },
    };
    let mut input = input;
    if let DemandInput::Points { loaded, .. } = &mut input {
        loaded.layer.select(&cfg.demand_where, true);
    }
    gather_layers(cfg, green_loaded, input, notes, warnings)
}

/// Warn about the loaded layers' CRSs and skipped green features; describe every layer.
fn gather_layers(
    cfg: &CheckConfig,
    green_loaded: Vec<LoadedLayer>,
    input: DemandInput,
    mut notes: Vec<String>,
    warnings: &mut Warnings,
) -> Result<(Vec<Layer>, DemandInput, Vec<LayerInfo>), Error> {
    let found = consistency(
        &green_loaded,
        &input.loaded().into_iter().collect::<Vec<_>>(),
        cfg.standard.max_radius(),
    );
    notes.extend(found.warnings);
    for far in found.far {
        if cfg.crs.allow_far {
            notes.push(far);
        } else {
            return Err(Error::Config(format!(
                "{far} (pass --allow-far-layers if this is intended)"
            )));
        }
    }
    for n in notes {
        warnings.warn(n)?;
    }
    let mut layers: Vec<LayerInfo> = green_loaded
        .iter()
        .map(|l| LayerInfo::of(l, "green"))
        .collect();
    layers.extend(input.loaded().map(|l| LayerInfo::of(l, input.role())));
    let green_layers: Vec<Layer> = green_loaded.into_iter().map(|l| l.layer).collect();
    for l in &green_layers {
        if l.read_count() == 0 {
            return Err(Error::Config(format!(
                "{}: the green layer has no features",
                l.path.display()
            )));
        }
        report_skips(l, warnings)?;
    }
    Ok((green_layers, input, layers))
}

/// The plane centred on every layer's lon/lat box; a warning when the data spans too much.
fn plane_over(
    green: &[Layer],
    input: &DemandInput,
    warnings: &mut Warnings,
) -> Result<LocalPlane, Error> {
    let mut bbox = LonLatBox::empty();
    for l in green.iter().chain(input.loaded().map(|l| &l.layer)) {
        l.include_in(&mut bbox);
    }
    if bbox.span_deg() > WIDE_SPAN_DEG {
        warnings.warn(format!(
            "the data spans {:.1} degrees; one local plane is accurate to about 1e-5 within 100 km of its centre: split the run by region",
            bbox.span_deg()
        ))?;
    }
    Ok(LocalPlane::centred_on(&bbox)?)
}

/// Warnings about the classified green spaces: unknown categories, invalid polygons, tiers
/// nothing serves.
fn warn_green(
    green: &GreenSpaces,
    standard: &Standard,
    warnings: &mut Warnings,
) -> Result<(), Error> {
    for (c, n) in &green.unknown_categories {
        warnings.warn(format!(
            "{n} green feature(s) have category \"{c}\", which names no category of standard {} ({}); they are ignored",
            standard.name,
            standard.categories.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        ))?;
    }
    if let Some(first) = green.invalid.first() {
        warnings.warn(format!(
            "{} green polygon(s) are not valid (first: {first}); they are evaluated as given: distance to every ring edge, inside where the rings wind around the point",
            green.invalid.len()
        ))?;
    }
    for (tier, n) in standard.tiers.iter().zip(green.per_tier(standard)) {
        if n == 0 {
            warnings.warn(format!(
                "no green feature serves tier {}: every point fails it",
                tier.name
            ))?;
        }
    }
    Ok(())
}

/// Demand points from a points or residential layer, with warnings for skipped lines and
/// repeated ids.
fn demand_points(
    layer: &Layer,
    homes: HomeFilter,
    plane: &LocalPlane,
    warnings: &mut Warnings,
) -> Result<DemandPoints, Error> {
    report_skips(layer, warnings)?;
    let d = demand::from_layer(layer, plane, homes)?;
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
    Ok(d)
}

/// The lattice over the area's polygons (or, without an area, the green spaces' extent) and
/// the mask that keeps the cells inside the area.
fn grid_over(
    spacing_m: f64,
    area: Option<&Layer>,
    green: &GreenSpaces,
    plane: &LocalPlane,
    warnings: &mut Warnings,
) -> Result<(GridSpec, AreaMask), Error> {
    let (extent, areas) = match area {
        Some(l) => {
            report_skips(l, warnings)?;
            let areas = area_polygons(l, plane, warnings)?;
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
        Error::Config("the grid has no extent: the area (or green layer) has no polygons".into())
    })?;
    let spec = GridSpec::over(spacing_m, extent)?;
    Ok((spec, AreaMask::new(areas.as_deref())))
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
