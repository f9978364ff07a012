//! `greenreach site`: where to add green spaces of one tier so that the most homes newly meet
//! it. Prepares the run like `check`, turns the candidates into spaces of the tier, builds the
//! coverage sets and plans with the siting engine ([`crate::engine::siting`]); [`render`]
//! writes the folder.

pub mod render;

use std::path::PathBuf;

use geo::{Area, BoundingRect, Coord, Geometry, Rect};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::engine::lookup::{PolygonLookup, areal};
use crate::engine::reach::Reach;
use crate::engine::siting::exact::{ExactPlan, Limit};
use crate::engine::siting::{
    Candidate, CoverageSets, Goal, Plan, lattice, plan, solve_exact, square_site,
};
use crate::engine::validity::has_self_intersection;
use crate::error::Error;
use crate::io::load::load_layer;
use crate::progress::Progress;
use crate::report::compute::weights::{WeightSource, Weights};
use crate::run::check::with_threads;
use crate::run::config::CheckConfig;
use crate::run::demand::DemandPoints;
use crate::run::green::label;
use crate::run::prepare::{Prepared, prepare};
use crate::standard::Tier;

/// Largest auto-candidate lattice (cells before filtering).
pub const MAX_LATTICE: u64 = 20_000_000;
/// Seconds the exact solver may take.
pub const EXACT_TIME_LIMIT_S: f64 = 120.0;

/// Where the candidates come from.
#[derive(Debug, Clone, PartialEq)]
pub enum CandidateSource {
    /// Planner-supplied polygons or points.
    File(PathBuf),
    /// A lattice at this spacing (metres) over the homes that do not meet the tier.
    Auto {
        /// Lattice spacing, metres.
        spacing_m: f64,
    },
}

/// A validated `site` run.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Inputs and standard (its `out` is ignored).
    pub check: CheckConfig,
    /// The tier to close gaps in, by name.
    pub tier: String,
    /// Smallest and largest area of a new space, m² (points become the smallest).
    pub size_m2: (f64, f64),
    /// The candidates.
    pub candidates: CandidateSource,
    /// What to achieve.
    pub goal: Goal,
    /// How homes are weighted.
    pub weight: WeightSource,
    /// Also solve exactly (small cases).
    pub exact: bool,
    /// Folder to write, if any.
    pub out_dir: Option<PathBuf>,
}

/// A candidate as read: its label and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateInfo {
    /// `name`, `id`, or the feature index; `auto-N` for lattice points.
    pub label: String,
    /// The space as evaluated (plane metres).
    pub candidate: Candidate,
    /// Lon/lat of its representative point.
    pub lonlat: Coord,
    /// The geometry as given was a point.
    pub from_point: bool,
}

/// What a site run found.
pub struct SiteRun {
    /// The config.
    pub config: SiteConfig,
    /// The prepared inputs.
    pub prepared: Prepared,
    /// The demand points.
    pub demand: DemandPoints,
    /// The tier's position in the standard.
    pub tier: usize,
    /// Weights of the demand points.
    pub weights: Weights,
    /// The candidates, numbered as in the plan.
    pub candidates: Vec<CandidateInfo>,
    /// Candidate features not used, by reason.
    pub skipped_candidates: Vec<(String, usize)>,
    /// The coverage sets.
    pub sets: CoverageSets,
    /// The greedy plan.
    pub plan: Plan,
    /// The exact plan or why there is none, when asked for.
    pub exact: Option<Result<ExactPlan, String>>,
    /// Warnings on the way.
    pub warnings: Vec<String>,
}

impl SiteRun {
    /// The tier.
    pub fn tier_def(&self) -> &Tier {
        &self.config.check.standard.tiers[self.tier]
    }

    /// Open points left unserved, by reason: `(reason, points, weight)`.
    pub fn unserved(&self) -> Vec<(String, usize, f64)> {
        let r = self.tier_def().max_radius();
        let mut none = (0usize, 0.0);
        let mut not_chosen = (0usize, 0.0);
        for k in 0..self.sets.weight.len() {
            if self.plan.covered[k] {
                continue;
            }
            let w = self.sets.weight[k];
            let slot = if self.plan.coverable[k] {
                &mut not_chosen
            } else {
                &mut none
            };
            slot.0 += 1;
            slot.1 += w;
        }
        vec![
            (format!("no candidate within {r} m"), none.0, none.1),
            (
                "a candidate would serve it, but it is not among the chosen sites".into(),
                not_chosen.0,
                not_chosen.1,
            ),
        ]
    }
}

/// Check the goal and sizes before anything is read.
pub fn validate(cfg: &SiteConfig) -> Result<(), Error> {
    cfg.check.validate()?;
    let (lo, hi) = cfg.size_m2;
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo <= hi) {
        return Err(Error::Config(format!(
            "--size {lo}..{hi}: give the smallest and largest area of a new space in m², smallest first"
        )));
    }
    match cfg.goal {
        Goal::Sites(0) => Err(Error::Config("--add must be at least 1".into())),
        Goal::Share(t) if !(t > 0.0 && t <= 1.0) => Err(Error::Config(format!(
            "--target {t}: give a share above 0 and at most 1 (e.g. 0.9)"
        ))),
        Goal::Budget(b) if !(b.is_finite() && b > 0.0) => Err(Error::Config(format!(
            "--budget {b}: give a positive number"
        ))),
        _ => Ok(()),
    }?;
    if let CandidateSource::Auto { spacing_m } = cfg.candidates
        && !(spacing_m.is_finite() && spacing_m > 0.0)
    {
        return Err(Error::Config(format!(
            "--spacing {spacing_m}: give a positive number of metres"
        )));
    }
    if !cfg.check.standard.tiers.iter().any(|t| t.name == cfg.tier) {
        return Err(Error::Config(format!(
            "--tier {}: standard {} has tiers {}",
            cfg.tier,
            cfg.check.standard.name,
            cfg.check.standard.describe_tiers()
        )));
    }
    Ok(())
}

/// Run the siting.
#[allow(clippy::too_many_lines)] // the siting run's stages in order, each one call
pub fn run_site(cfg: &SiteConfig, progress: &dyn Progress) -> Result<SiteRun, Error> {
    validate(cfg)?;
    with_threads(cfg.check.threads, || {
        let (mut prepared, demand) = prepare(&cfg.check)?;
        let demand = demand.into_points(&prepared)?;
        let mut warnings = prepared.warnings.list.clone();
        let std = &cfg.check.standard;
        let tier = std
            .tiers
            .iter()
            .position(|t| t.name == cfg.tier)
            .expect("validated");
        let xy = &demand.xy;
        progress.begin("assessing", xy.len() as u64);
        let served: Vec<bool> = xy
            .par_iter()
            .map(|&p| prepared.reach.within(tier, p))
            .collect();
        progress.end();
        let weights = super::weights_of(
            &cfg.weight,
            &cfg.check,
            &mut prepared,
            &demand,
            &mut warnings,
        )?;
        let (candidates, skipped_candidates) = match &cfg.candidates {
            CandidateSource::File(path) => read_candidates(cfg, &prepared, tier, path)?,
            CandidateSource::Auto { spacing_m } => (
                auto_candidates(cfg, &prepared, &demand, tier, &served, *spacing_m)?,
                vec![],
            ),
        };
        if candidates.is_empty() {
            let skipped: usize = skipped_candidates.iter().map(|(_, n)| n).sum();
            return Err(Error::Config(match &cfg.candidates {
                CandidateSource::File(p) => format!(
                    "{}: no usable candidate sites ({skipped} feature(s) skipped{})",
                    p.display(),
                    skipped_candidates
                        .iter()
                        .map(|(r, n)| format!("; {n} {r}"))
                        .collect::<String>()
                ),
                CandidateSource::Auto { spacing_m } => format!(
                    "no candidate sites: no lattice point at {spacing_m} m lies within reach of a home that does not meet {} and outside the existing spaces",
                    cfg.tier
                ),
            }));
        }
        let cands: Vec<Candidate> = candidates.iter().map(|c| c.candidate.clone()).collect();
        progress.begin("coverage", cands.len() as u64);
        let sets = CoverageSets::build(
            xy,
            &weights.per_point,
            &served,
            &cands,
            prepared.plane.scale(),
        )
        .map_err(|e| Error::Config(e.to_string()))?;
        progress.end();
        let plan = plan(&sets, cfg.goal).map_err(|e| Error::Config(e.to_string()))?;
        let exact = cfg.exact.then(|| {
            let limit = match cfg.goal {
                Goal::Budget(b) => Limit::Budget(b),
                Goal::Sites(k) => Limit::Sites(k),
                Goal::Share(_) => Limit::Sites(plan.picks.len()),
            };
            let start: Vec<u32> = plan.picks.iter().map(|p| p.candidate).collect();
            solve_exact(&sets, limit, &start, EXACT_TIME_LIMIT_S).map_err(|e| e.to_string())
        });
        Ok(SiteRun {
            config: cfg.clone(),
            prepared,
            demand,
            tier,
            weights,
            candidates,
            skipped_candidates,
            sets,
            plan,
            exact,
            warnings,
        })
    })
}

/// Candidates from a file: polygons keep their shape, points become the smallest space.
#[allow(clippy::type_complexity)]
#[allow(clippy::too_many_lines)] // one arm per geometry type of a candidate
fn read_candidates(
    cfg: &SiteConfig,
    prepared: &Prepared,
    tier: usize,
    path: &std::path::Path,
) -> Result<(Vec<CandidateInfo>, Vec<(String, usize)>), Error> {
    let mut notes = Vec::new();
    let loaded = load_layer(
        path,
        cfg.check.points_crs.as_ref(),
        "--points-crs",
        &cfg.check.crs,
        cfg.check.read_options(),
        &mut notes,
    )?;
    let layer = &loaded.layer;
    let t = &cfg.check.standard.tiers[tier];
    let (lo, hi) = cfg.size_m2;
    let mut out = Vec::new();
    let mut skipped: Vec<(String, usize)> = Vec::new();
    let mut skip = |reason: String| match skipped.iter_mut().find(|(r, _)| *r == reason) {
        Some((_, n)) => *n += 1,
        None => skipped.push((reason, 1)),
    };
    for s in &layer.skipped {
        skip(s.reason.to_string());
    }
    let budget = matches!(cfg.goal, Goal::Budget(_));
    for f in &layer.features {
        let bad = |problem: &str| {
            Error::Config(format!(
                "{}: candidate feature {} ({}): {problem}",
                path.display(),
                f.index,
                f.id_or_index()
            ))
        };
        let cost = match f.properties.get("cost") {
            None | Some(serde_json::Value::Null) if budget => {
                return Err(bad("has no \"cost\" property, which --budget needs"));
            }
            None | Some(serde_json::Value::Null) => 1.0,
            Some(v) => {
                let c = match v {
                    serde_json::Value::Number(n) => n.as_f64(),
                    serde_json::Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                match c {
                    Some(c) if c.is_finite() && c > 0.0 => c,
                    _ => {
                        return Err(bad(&format!(
                            "\"cost\" is {v}; it must be a positive number"
                        )));
                    }
                }
            }
        };
        let g = prepared.plane.project(&f.geometry)?;
        let (geometry, from_point) = match &g {
            Geometry::Point(p) => (square_site(p.0, lo), true),
            Geometry::Polygon(_) | Geometry::MultiPolygon(_) => {
                let mp = areal(&g).expect("areal");
                if has_self_intersection(&mp.0) {
                    return Err(bad("invalid polygon: its edges cross or touch"));
                }
                let a = g.unsigned_area();
                if a.is_nan() || a <= 0.0 {
                    return Err(bad("invalid polygon: it has zero area"));
                }
                if a < lo || a > hi {
                    skip(format!("outside --size {lo}..{hi} m²"));
                    continue;
                }
                (g.clone(), false)
            }
            _ => {
                return Err(bad("a candidate must be a Polygon, MultiPolygon or Point"));
            }
        };
        let area = geometry.unsigned_area();
        let rep = representative(&geometry);
        let lonlat = prepared.plane.inverse(rep)?;
        out.push(CandidateInfo {
            label: label(f, None),
            candidate: Candidate {
                geometry,
                radius_m: t.radius_for(area),
                cost,
            },
            lonlat,
            from_point,
        });
    }
    Ok((out, skipped))
}

fn representative(g: &Geometry<f64>) -> Coord {
    crate::run::demand::representative(g)
        .or_else(|| g.bounding_rect().map(|r| r.center()))
        .unwrap_or(Coord { x: 0.0, y: 0.0 })
}

/// A lattice over the homes that do not meet the tier, keeping points within the tier radius
/// of one of them and outside every existing space that serves the tier.
fn auto_candidates(
    cfg: &SiteConfig,
    prepared: &Prepared,
    demand: &DemandPoints,
    tier: usize,
    served: &[bool],
    spacing_m: f64,
) -> Result<Vec<CandidateInfo>, Error> {
    let t = &cfg.check.standard.tiers[tier];
    let area = cfg.size_m2.0;
    let radius = t.radius_for(area);
    let open: Vec<GeomWithData<[f64; 2], ()>> = demand
        .xy
        .iter()
        .zip(served)
        .filter(|(_, s)| !**s)
        .map(|(p, _)| GeomWithData::new([p.x, p.y], ()))
        .collect();
    let Some(extent) = open
        .iter()
        .map(|p| Coord {
            x: p.geom()[0],
            y: p.geom()[1],
        })
        .fold(None::<Rect<f64>>, |r, c| {
            Some(match r {
                None => Rect::new(c, c),
                Some(r) => Rect::new(
                    Coord {
                        x: r.min().x.min(c.x),
                        y: r.min().y.min(c.y),
                    },
                    Coord {
                        x: r.max().x.max(c.x),
                        y: r.max().y.max(c.y),
                    },
                ),
            })
        })
    else {
        return Ok(vec![]);
    };
    let tree = RTree::bulk_load(open);
    let existing = PolygonLookup::new(
        prepared
            .green
            .features
            .iter()
            .enumerate()
            .filter(|(_, f)| t.accepts.contains(&f.category))
            .filter_map(|(i, f)| Some((i as u32, areal(&f.geometry)?)))
            .collect(),
    );
    let scale = prepared.plane.scale();
    let pts = lattice(extent, spacing_m, MAX_LATTICE, |c| {
        let r = radius * scale.at(c);
        tree.locate_within_distance([c.x, c.y], r * r).next().is_some()
            && existing.containing(c).is_none()
    })
    .ok_or_else(|| {
        Error::Config(format!(
            "--spacing {spacing_m} m makes a lattice of more than {MAX_LATTICE} points over the homes; use a larger spacing"
        ))
    })?;
    pts.into_iter()
        .enumerate()
        .map(|(i, c)| {
            Ok(CandidateInfo {
                label: format!("auto-{i}"),
                candidate: Candidate {
                    geometry: square_site(c, area),
                    radius_m: radius,
                    cost: 1.0,
                },
                lonlat: prepared.plane.inverse(c)?,
                from_point: true,
            })
        })
        .collect()
}
