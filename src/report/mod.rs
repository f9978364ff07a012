//! `greenreach report`: the check aggregated as planners quote it (`compute`) and written as an
//! offline folder ([`render`]). Top of the library: uses `run`, `io`, `engine`; nothing imports it.

pub(crate) mod compute;
mod inputs;
pub(crate) mod lang;
mod model;
pub(crate) mod pdf;
pub mod render;
pub mod site;

pub use inputs::now_utc;
pub(crate) use inputs::weights_of;
use inputs::{LandPolygon, input_files, land_polygons, zones_of};
pub use model::*;

use compute::zones::zone_table;
use compute::{counted, gaps, land, lost, places, weights, zones};
pub use places::Place;

use geo::MultiPolygon;

use crate::engine::coverage::{Coverage, Detail};
use crate::engine::reach::Reach;
use crate::error::Error;
use crate::progress::Progress;
use crate::run::check::{evaluate_points, with_threads};
use crate::run::config::{CheckConfig, DemandSource};
use crate::run::demand::DemandPoints;
use crate::run::prepare::{Prepared, prepare};
use crate::run::summary::Summary;

pub use gaps::Gap;
pub use land::LandShares;
pub use lang::Lang;
pub use weights::{WeightSource, Weights};
pub use zones::Zones;

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

#[allow(clippy::too_many_lines)] // assembles the report's fields in order, each one call
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bins() {
        let h = histogram(&[0.0, 59.9, 60.0, 1000.0, f64::NAN], 60.0, 3);
        assert_eq!(h.counts, vec![2, 1, 0]);
        assert_eq!((h.beyond, h.none), (1, 1));
    }
}
