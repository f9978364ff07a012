//! The walking stage of a check (`--metric walk`): read the network, build the graph with the
//! green spaces' entrances, search once per tier, evaluate every point on foot and in a
//! straight line, write the per-point file (and the graph with `--export-network`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use geo::{Coord, Geometry};
use rayon::prelude::*;

use crate::crs::SourceCrs;
use crate::engine::coverage::{Coverage, Detail};
use crate::engine::reach::StraightLine;
use crate::engine::walk::{
    self, NetworkInput, NetworkWay, TaggedNode, WalkCoverage, WalkNetwork, WalkReach,
};
use crate::error::Error;
use crate::io::network::{read_entrances, read_network};
use crate::io::output::{self, Format, PointTable};
use crate::progress::Progress;
use crate::run::check::evaluate_points;
use crate::run::config::CheckConfig;
use crate::run::demand::DemandPoints;
use crate::run::prepare::Prepared;
use crate::run::warnings::Warnings;

/// Default `--snap`, metres.
pub const DEFAULT_SNAP_M: f64 = 150.0;

/// `--metric walk` options.
#[derive(Debug, Clone, PartialEq)]
pub struct WalkConfig {
    /// The walking network (GeoJSON LineStrings with OSM tags).
    pub network: PathBuf,
    /// `--network-crs`.
    pub network_crs: Option<SourceCrs>,
    /// `--entrances`: points that are entrances of green spaces.
    pub entrances: Option<PathBuf>,
    /// `--entrances-crs` (over `--network-crs` for the entrances).
    pub entrances_crs: Option<SourceCrs>,
    /// A home farther than this from any walkable way has no network, metres.
    pub snap_m: f64,
    /// Trunk roads are walkable.
    pub walk_trunk: bool,
    /// `--export-network`: write the graph as used (GeoJSON).
    pub export: Option<PathBuf>,
}

impl WalkConfig {
    /// Walking over `network` with the defaults.
    pub fn new(network: PathBuf) -> Self {
        Self {
            network,
            network_crs: None,
            entrances: None,
            entrances_crs: None,
            snap_m: DEFAULT_SNAP_M,
            walk_trunk: false,
            export: None,
        }
    }

    /// Check the options before any file is read.
    pub fn validate(&self) -> Result<(), Error> {
        if !(self.snap_m.is_finite() && self.snap_m >= 0.0) {
            return Err(Error::Config(format!(
                "--snap must be a non-negative number of metres, got {}",
                self.snap_m
            )));
        }
        if let Some(p) = &self.export
            && !p.extension().is_some_and(|e| {
                e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json")
            })
        {
            return Err(Error::Config(format!(
                "{}: --export-network writes GeoJSON; use a .geojson file name",
                p.display()
            )));
        }
        Ok(())
    }
}

/// Per tier: points within reach on foot and in a straight line, and those lost to barriers
/// (within in a straight line, not on foot).
#[derive(Debug, Clone, PartialEq)]
pub struct WalkTier {
    /// Tier name.
    pub name: String,
    /// Within reach on foot.
    pub walk: usize,
    /// Within reach in a straight line.
    pub straight: usize,
    /// Within in a straight line but not on foot.
    pub lost: usize,
}

/// What the walking stage did, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct WalkSummary {
    /// The network file.
    pub network: PathBuf,
    /// Ways in the file, and walkable ones.
    pub ways: (usize, usize),
    /// Nodes and edges of the graph.
    pub graph: (usize, usize),
    /// Connected pieces of network.
    pub pieces: usize,
    /// Green features by how they were entered, and those with no entrance.
    pub entered: (BTreeMap<&'static str, usize>, usize),
    /// Points evaluated.
    pub points: usize,
    /// Points with no walkable way within the snap distance.
    pub no_network: usize,
    /// Points that would have snapped to a small piece of network but took a larger one.
    pub moved_off_small_pieces: usize,
    /// The snap distance, metres.
    pub snap_m: f64,
    /// Per tier.
    pub tiers: Vec<WalkTier>,
}

impl fmt::Display for WalkSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "walking network {}: {} ways, {} walkable; {} nodes, {} edges, {} piece(s)",
            self.network.display(),
            self.ways.0,
            self.ways.1,
            self.graph.0,
            self.graph.1,
            self.pieces
        )?;
        let kinds: Vec<String> = self
            .entered
            .0
            .iter()
            .map(|(k, n)| format!("{n} by {k}"))
            .collect();
        writeln!(
            f,
            "green spaces entered: {}; {} with no way within reach",
            if kinds.is_empty() {
                "none".to_string()
            } else {
                kinds.join(", ")
            },
            self.entered.1
        )?;
        writeln!(
            f,
            "homes with no walkable way within {} m (no_network): {} of {}; moved off small pieces of network: {}",
            self.snap_m, self.no_network, self.points, self.moved_off_small_pieces
        )?;
        writeln!(
            f,
            "{:<16} {:>10} {:>10} {:>18}",
            "tier", "on foot", "straight", "lost to barriers"
        )?;
        for t in &self.tiers {
            writeln!(
                f,
                "{:<16} {:>10} {:>10} {:>18}",
                t.name, t.walk, t.straight, t.lost
            )?;
        }
        Ok(())
    }
}

/// The network read, projected and built, with the walking metric over the run's green
/// spaces; and the number of ways read.
pub fn build_reach(
    cfg: &CheckConfig,
    wc: &WalkConfig,
    prepared: &Prepared,
    warnings: &mut Warnings,
) -> Result<(WalkReach, usize), Error> {
    let network = read_projected(cfg, wc, &prepared.plane, warnings)?;
    let net = network_over(wc, &prepared.plane, &network, &prepared.green)?;
    let ways_read = network.ways_read;
    // The input ways are not needed by the searches.
    drop(network);
    let reach = reach_on(cfg, wc, &prepared.plane, net, &prepared.green);
    Ok((reach, ways_read))
}

/// The walking network file (and `--entrances`) read and projected onto the run's plane,
/// ready to be built over any set of green spaces.
pub struct ProjectedNetwork {
    ways: Vec<NetworkWay>,
    tagged: Vec<TaggedNode>,
    given: Vec<Coord>,
    /// Ways in the file.
    pub ways_read: usize,
}

/// Read the network of `wc` (and its entrances) and project it onto `plane`.
pub fn read_projected(
    cfg: &CheckConfig,
    wc: &WalkConfig,
    plane: &crate::crs::LocalPlane,
    warnings: &mut Warnings,
) -> Result<ProjectedNetwork, Error> {
    let opts = cfg.read_options();
    let mut notes = Vec::new();
    let file = read_network(
        &wc.network,
        wc.network_crs.as_ref(),
        &cfg.crs,
        opts.clone(),
        &mut notes,
    )?;
    let given = match &wc.entrances {
        Some(p) => {
            let flag = wc.entrances_crs.as_ref().or(wc.network_crs.as_ref());
            read_entrances(p, flag, &cfg.crs, opts, &mut notes)?.1
        }
        None => Vec::new(),
    };
    for n in notes {
        warnings.warn(n)?;
    }
    let ways_read = file.ways_read();
    let project = |c: Coord| plane.forward(c.x, c.y);
    let ways: Vec<NetworkWay> = file
        .ways
        .into_par_iter()
        .map(|mut w| {
            w.coords = w
                .coords
                .iter()
                .map(|&c| project(c))
                .collect::<Result<_, _>>()?;
            Ok(w)
        })
        .collect::<Result<_, crate::crs::CrsError>>()?;
    let tagged: Vec<TaggedNode> = file
        .tagged
        .into_iter()
        .map(|mut n| {
            n.xy = project(n.xy)?;
            Ok(n)
        })
        .collect::<Result<_, crate::crs::CrsError>>()?;
    let given: Vec<Coord> = given.into_iter().map(project).collect::<Result<_, _>>()?;
    Ok(ProjectedNetwork {
        ways,
        tagged,
        given,
        ways_read,
    })
}

/// The walking metric over the green spaces `green` (e.g. with proposed ones added) on an
/// already read network.
pub fn reach_over(
    cfg: &CheckConfig,
    wc: &WalkConfig,
    plane: &crate::crs::LocalPlane,
    network: &ProjectedNetwork,
    green: &crate::run::green::GreenSpaces,
) -> Result<WalkReach, Error> {
    let net = network_over(wc, plane, network, green)?;
    Ok(reach_on(cfg, wc, plane, net, green))
}

/// The walking graph of an already read network, with the green spaces `green` entered.
pub fn network_over(
    wc: &WalkConfig,
    plane: &crate::crs::LocalPlane,
    network: &ProjectedNetwork,
    green: &crate::run::green::GreenSpaces,
) -> Result<WalkNetwork, Error> {
    let (ways, tagged, given) = (&network.ways, &network.tagged, &network.given);
    let green: Vec<(u32, &Geometry<f64>)> = green
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| (i as u32, &f.geometry))
        .collect();
    let net = walk::build(&NetworkInput {
        ways,
        tagged,
        given_entrances: given,
        green: &green,
        scale: plane.scale(),
        snap_m: wc.snap_m,
        walk_trunk: wc.walk_trunk,
    })
    .map_err(|e| Error::Config(format!("{}: {e}", wc.network.display())))?;
    Ok(net)
}

/// The walking metric of the green spaces `spaces` over the graph `net` (its searches run
/// here).
pub fn reach_on(
    cfg: &CheckConfig,
    wc: &WalkConfig,
    plane: &crate::crs::LocalPlane,
    net: WalkNetwork,
    spaces: &crate::run::green::GreenSpaces,
) -> WalkReach {
    let radius: Vec<Vec<f64>> = cfg
        .standard
        .tiers
        .iter()
        .map(|tier| {
            spaces
                .features
                .iter()
                .map(|f| {
                    if tier.accepts.contains(&f.category) {
                        tier.radius_for(f.area_m2)
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        })
        .collect();
    let straight = StraightLine::new(spaces.tier_groups(&cfg.standard), plane.scale());
    WalkReach::new(
        net,
        straight,
        radius,
        cfg.max_distance_m,
        wc.snap_m,
        plane.scale(),
    )
}

/// Points measured on foot, with the straight-line results beside them.
pub struct OnFoot {
    /// The walking metric as built.
    pub reach: WalkReach,
    /// Straight-line results (same points, same green spaces).
    pub straight: Coverage,
    /// Walking results and each point's snap.
    pub walked: WalkCoverage,
    /// What the walking stage did.
    pub summary: WalkSummary,
}

/// Evaluate `points` on foot (and in a straight line, for the comparison: with `straight`
/// detail, flags alone when no straight distance is written) and summarise.
pub fn on_foot(
    cfg: &CheckConfig,
    wc: &WalkConfig,
    prepared: &Prepared,
    points: &DemandPoints,
    straight: Detail,
    warnings: &mut Warnings,
    progress: &dyn Progress,
) -> Result<OnFoot, Error> {
    let (reach, ways_read) = build_reach(cfg, wc, prepared, warnings)?;
    // Flags alone are settled beside the walk (most of them by it); distances need the
    // straight-line evaluation of every point.
    let (walked, flags) = reach.evaluate_beside(
        &points.xy,
        Detail::Distances,
        cfg.max_distance_m,
        straight == Detail::Flags,
    );
    let straight = match flags {
        Some(flags) => flags,
        None => evaluate_points(
            &prepared.reach,
            points,
            cfg.max_distance_m,
            straight,
            progress,
        ),
    };
    let no_network = walked.no_network();
    if !points.is_empty() && no_network * 2 > points.len() {
        warnings.warn(format!(
            "{}: {no_network} of {} homes have no walkable way within {} m: is the network from the same place, in the same CRS (--network-crs)?",
            wc.network.display(),
            points.len(),
            wc.snap_m
        ))?;
    }
    let net = reach.network();
    if let (Some(path), Some(first)) = (&wc.entrances, net.given_unused.first()) {
        warnings.warn(format!(
            "{}: {} entrance point(s) entered no green space (first: point {first}, in file order): no green boundary within {} m, or no walkable way within {} m",
            path.display(),
            net.given_unused.len(),
            crate::engine::walk::entrances::GIVEN_REACH_M,
            crate::engine::walk::entrances::PSEUDO_REACH_M
        ))?;
    }
    let tiers = cfg
        .standard
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let (w, s) = (&walked.coverage.tiers[t].ok, &straight.tiers[t].ok);
            WalkTier {
                name: tier.name.clone(),
                walk: w.iter().filter(|&&b| b).count(),
                straight: s.iter().filter(|&&b| b).count(),
                lost: w.iter().zip(s).filter(|&(&w, &s)| s && !w).count(),
            }
        })
        .collect();
    let summary = WalkSummary {
        network: wc.network.clone(),
        ways: (ways_read, net.walkable_ways),
        graph: (net.node_count(), net.edge_count()),
        pieces: net.piece_edges.len(),
        entered: net.entry_summary(prepared.green.features.len()),
        points: points.len(),
        no_network,
        moved_off_small_pieces: walked.moved_off_small_pieces(),
        snap_m: wc.snap_m,
        tiers,
    };
    Ok(OnFoot {
        reach,
        straight,
        walked,
        summary,
    })
}

/// Evaluate `points` on foot and in a straight line, write the per-point file and the
/// exported graph, and summarise. Returns the walking coverage.
#[allow(clippy::too_many_arguments)]
pub fn check_points(
    cfg: &CheckConfig,
    wc: &WalkConfig,
    format: Format,
    prepared: &Prepared,
    points: &DemandPoints,
    warnings: &mut Warnings,
    progress: &dyn Progress,
) -> Result<(Coverage, WalkSummary), Error> {
    // The per-point file carries the straight-line distance; the summary needs flags only.
    let straight = if cfg.out.is_some() {
        Detail::Distances
    } else {
        Detail::Flags
    };
    let foot = on_foot(cfg, wc, prepared, points, straight, warnings, progress)?;
    if let Some(path) = &cfg.out {
        write_points(path, format, cfg, prepared, points, &foot)?;
    }
    if let Some(path) = &wc.export {
        output::network::write(
            path,
            &foot.reach,
            &cfg.standard,
            &prepared.green,
            &prepared.plane,
            points,
            &foot.walked.snaps,
        )
        .map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?;
    }
    Ok((foot.walked.coverage, foot.summary))
}

/// The per-point file under `--metric walk`: walking columns, the straight-line distance
/// beside them and the snap.
pub fn write_points(
    path: &std::path::Path,
    format: Format,
    cfg: &CheckConfig,
    prepared: &Prepared,
    points: &DemandPoints,
    foot: &OnFoot,
) -> Result<(), Error> {
    let table = PointTable {
        standard: &cfg.standard,
        demand: points,
        coverage: &foot.walked.coverage,
        green: &prepared.green,
        plane: &prepared.plane,
    };
    output::walk::write(path, format, &table, &foot.straight, &foot.walked.snaps).map_err(
        |source| Error::Output {
            path: path.to_path_buf(),
            source,
        },
    )
}
