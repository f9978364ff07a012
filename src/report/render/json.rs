//! `summary.json`: every number of the report, machine-readable. The types below are the
//! schema of `docs/summary-schema.md` (tested against it); fields are declared in
//! alphabetical order, the order the file has always had.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::{LandBasis, Place, Report, Shares};
use super::grade;
use crate::report::compute::counted::SpacesCounted;
use crate::report::lang::{Key, Lang};
use crate::run::summary::Shortfall;

/// The whole `summary.json`.
#[derive(Debug, Serialize)]
pub struct SummaryJson<'a> {
    empty_zones: &'a [String],
    gaps: Vec<GapJson<'a>>,
    generated_utc: &'a str,
    green: GreenJson<'a>,
    greenreach_version: &'static str,
    histograms: Vec<HistogramJson<'a>>,
    homes_rule: &'a str,
    inputs: Vec<InputJson<'a>>,
    land_basis: Option<LandBasisJson>,
    labels: LabelsJson<'a>,
    lang: &'static str,
    plane: PlaneJson,
    points: PointsJson<'a>,
    proposed: Option<ProposedJson<'a>>,
    residential_areas: Vec<AreaJson<'a>>,
    schema: &'static str,
    search_limit_m: f64,
    shortfalls: Vec<ShortfallJson<'a>>,
    spaces_counted: &'a SpacesCounted,
    standard: StandardJson<'a>,
    totals: SharesJson<'a>,
    walk: Option<WalkJson<'a>>,
    warnings: &'a [String],
    weighting: WeightingJson<'a>,
    zones: Vec<SharesJson<'a>>,
}

/// `--metric walk`: the network, the straight-line figures beside the walking ones (`totals`
/// and `zones` of the file are on foot) and the homes lost to barriers.
#[derive(Debug, Serialize)]
struct WalkJson<'a> {
    entered: &'a BTreeMap<&'static str, usize>,
    graph_edges: usize,
    graph_nodes: usize,
    lost: Vec<LostJson<'a>>,
    lost_per_tier: Vec<usize>,
    moved_off_small_pieces: usize,
    network: String,
    no_entrance: usize,
    no_network: usize,
    pieces: usize,
    snap_m: f64,
    straight_totals: SharesJson<'a>,
    straight_zones: Vec<SharesJson<'a>>,
    ways_read: usize,
    ways_walkable: usize,
}

#[derive(Debug, Serialize)]
struct LostJson<'a> {
    detour: Option<f64>,
    nearest: Option<&'a str>,
    no_network: usize,
    place: Option<&'a Place>,
    points: usize,
    straight_m: f64,
    tier: &'a str,
    walk_m: Option<f64>,
    weight: f64,
}

fn walk_json<'a>(r: &'a Report, w: &'a crate::report::WalkPart) -> WalkJson<'a> {
    let s = &w.summary;
    let std = &r.config.check.standard;
    WalkJson {
        entered: &s.entered.0,
        graph_edges: s.graph.1,
        graph_nodes: s.graph.0,
        lost: w
            .lost
            .iter()
            .zip(&w.lost_places)
            .map(|(g, place)| LostJson {
                detour: g.detour,
                nearest: g.gap.nearest.as_deref(),
                no_network: g.no_network,
                place: place.as_ref(),
                points: g.gap.members.len(),
                straight_m: g.straight_m,
                tier: &std.tiers[g.gap.tier].name,
                walk_m: g.walk_m,
                weight: g.gap.weight,
            })
            .collect(),
        lost_per_tier: s.tiers.iter().map(|t| t.lost).collect(),
        moved_off_small_pieces: s.moved_off_small_pieces,
        network: s.network.display().to_string(),
        no_entrance: s.entered.1,
        no_network: s.no_network,
        pieces: s.pieces,
        snap_m: s.snap_m,
        straight_totals: shares(r, &w.totals, None),
        straight_zones: w
            .zones
            .iter()
            .map(|z| shares(r, &z.shares, Some(&z.name)))
            .collect(),
        ways_read: s.ways.0,
        ways_walkable: s.ways.1,
    }
}

#[derive(Debug, Serialize)]
struct GapJson<'a> {
    beyond_limit: usize,
    hull_area_m2: f64,
    nearest: Option<&'a str>,
    place: Option<&'a Place>,
    points: usize,
    shortfall_max_m: Option<f64>,
    shortfall_min_m: Option<f64>,
    tier: &'a str,
    weight: f64,
}

#[derive(Debug, Serialize)]
struct GreenJson<'a> {
    ignored: &'a BTreeMap<String, usize>,
    per_tier: Vec<TierFeaturesJson<'a>>,
    read: usize,
    skipped: usize,
    used: usize,
}

#[derive(Debug, Serialize)]
struct TierFeaturesJson<'a> {
    features: usize,
    tier: &'a str,
}

#[derive(Debug, Serialize)]
struct HistogramJson<'a> {
    beyond: usize,
    bin_m: f64,
    counts: &'a [usize],
    none_within_limit: usize,
    tier: &'a str,
}

#[derive(Debug, Serialize)]
struct InputJson<'a> {
    crs: &'a str,
    crs_source: String,
    features: usize,
    path: String,
    role: &'a str,
    sha256: &'a str,
    skipped: usize,
}

#[derive(Debug, Serialize)]
struct PlaneJson {
    lat0: f64,
    lon0: f64,
}

#[derive(Debug, Serialize)]
struct PointsJson<'a> {
    evaluated: usize,
    read: usize,
    skipped: &'a BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
struct AreaJson<'a> {
    all_share: f64,
    area_m2: f64,
    error_bound_pp: f64,
    id: &'a str,
    land_share: Vec<f64>,
    place: Option<&'a Place>,
    zone: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct LandBasisJson {
    /// `residential_land` or `building_footprints`.
    kind: &'static str,
    /// The land-use file, for `residential_land`.
    source: Option<String>,
}

#[derive(Debug, Serialize)]
struct ShortfallJson<'a> {
    beyond_limit: u64,
    failing: u64,
    p50: QuantileJson,
    p75: QuantileJson,
    p90: QuantileJson,
    tier: &'a str,
}

/// A shortfall percentile: `m`, or more than `m` when `more_than`.
#[derive(Debug, Serialize)]
struct QuantileJson {
    m: f64,
    more_than: bool,
}

impl From<Shortfall> for QuantileJson {
    fn from(s: Shortfall) -> Self {
        match s {
            Shortfall::At(m) => QuantileJson {
                m: (m * 10.0).round() / 10.0,
                more_than: false,
            },
            Shortfall::Above(m) => QuantileJson { m, more_than: true },
        }
    }
}

#[derive(Debug, Serialize)]
struct StandardJson<'a> {
    grades: &'a [f64],
    grades_source: &'a str,
    name: &'a str,
    source: &'a str,
    tiers: Vec<TierJson<'a>>,
}

#[derive(Debug, Serialize)]
struct TierJson<'a> {
    accepts: Vec<&'a str>,
    label: &'a str,
    name: &'a str,
    radius_m: f64,
    size_classes: Vec<SizeClassJson>,
}

#[derive(Debug, Serialize)]
struct SizeClassJson {
    min_area_m2: f64,
    radius_m: f64,
}

#[derive(Debug, Serialize)]
struct WeightingJson<'a> {
    description: &'a str,
    points_outside_population_cells: usize,
    unassigned_population: f64,
}

/// SHARES of the schema: totals, and each zone (with its `name`).
#[derive(Debug, Serialize)]
struct SharesJson<'a> {
    all: AllJson,
    land: Option<LandJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    points: usize,
    tiers: Vec<TierSharesJson<'a>>,
    weight: f64,
}

#[derive(Debug, Serialize)]
struct AllJson {
    land_covered_m2: Option<f64>,
    land_share: Option<f64>,
    point_share: f64,
    points_within: usize,
    weight_share: f64,
    weight_within: f64,
}

#[derive(Debug, Serialize)]
struct LandJson {
    area_m2: f64,
    error_bound_pp: f64,
}

#[derive(Debug, Serialize)]
struct TierSharesJson<'a> {
    land_covered_m2: Option<f64>,
    land_grade: Option<String>,
    land_grade_label: Option<BothJson>,
    land_share: Option<f64>,
    point_share: f64,
    points_within: usize,
    tier: &'a str,
    weight_share: f64,
    weight_within: f64,
}

/// A label in both languages.
#[derive(Debug, Serialize)]
struct BothJson {
    en: String,
    zh: String,
}

fn both(f: impl Fn(Lang) -> String) -> BothJson {
    BothJson {
        en: f(Lang::En),
        zh: f(Lang::Zh),
    }
}

/// What the page calls things, in both languages (the page shows one of them).
#[derive(Debug, Serialize)]
struct LabelsJson<'a> {
    all_tiers: BothJson,
    categories: Vec<NameLabelJson<'a>>,
    land_grade: BothJson,
    land_share: BothJson,
    outside_zones: BothJson,
    point_share: BothJson,
    source: SourceJson<'a>,
    tiers: Vec<TierLabelJson<'a>>,
    weight_share: BothJson,
}

#[derive(Debug, Serialize)]
struct NameLabelJson<'a> {
    en: String,
    name: &'a str,
    zh: String,
}

#[derive(Debug, Serialize)]
struct SourceJson<'a> {
    en: &'a str,
    zh: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct TierLabelJson<'a> {
    en: String,
    name: &'a str,
    radius: BothJson,
    zh: String,
}

fn labels(r: &Report) -> LabelsJson<'_> {
    let std = &r.config.check.standard;
    let text = |k: Key| both(|l| l.t(k).into());
    LabelsJson {
        all_tiers: text(Key::AllTiers),
        categories: std
            .categories
            .iter()
            .map(|c| NameLabelJson {
                en: Lang::En.category(c),
                name: &c.name,
                zh: Lang::Zh.category(c),
            })
            .collect(),
        land_grade: text(Key::ColGrade),
        land_share: text(if super::on_residential_land(r) {
            Key::ColLandWithin
        } else {
            Key::ColFootprintWithin
        }),
        outside_zones: text(Key::OutsideZones),
        point_share: text(Key::ColHomesWithin),
        source: SourceJson {
            en: &std.source,
            zh: Lang::Zh.source(std),
        },
        tiers: std
            .tiers
            .iter()
            .map(|t| TierLabelJson {
                en: Lang::En.tier(t),
                name: &t.name,
                radius: both(|l| l.radius(t)),
                zh: Lang::Zh.tier(t),
            })
            .collect(),
        weight_share: text(Key::ColResidentsWithin),
    }
}

/// `--proposed`: the report's figures before and after.
#[derive(Debug, Serialize)]
struct ProposedJson<'a> {
    after: SharesJson<'a>,
    before: SharesJson<'a>,
    files: Vec<String>,
    ignored: &'a std::collections::BTreeMap<String, usize>,
    residential_areas: Vec<ProposedAreaJson<'a>>,
    spaces: Vec<ProposedSpaceJson<'a>>,
    zones: Vec<ProposedZoneJson<'a>>,
}

#[derive(Debug, Serialize)]
struct ProposedZoneJson<'a> {
    after: SharesJson<'a>,
    before: SharesJson<'a>,
    name: &'a str,
}

#[derive(Debug, Serialize)]
struct ProposedAreaJson<'a> {
    all_share_after: f64,
    all_share_before: f64,
    id: &'a str,
    land_share_after: Vec<f64>,
    land_share_before: Vec<f64>,
}

#[derive(Debug, Serialize)]
struct ProposedSpaceJson<'a> {
    area_m2: f64,
    category: &'a str,
    label: &'a str,
    newly_served: &'a [usize],
}

fn proposed<'a>(r: &'a Report, p: &'a crate::report::ProposedReport) -> ProposedJson<'a> {
    let tiers = r.config.check.standard.tiers.len();
    let land = |l: &crate::report::LandShares| (0..tiers).map(|t| l.share(t)).collect();
    ProposedJson {
        after: shares(r, &p.totals, None),
        before: shares(r, &r.totals, None),
        files: p.files.iter().map(|f| f.display().to_string()).collect(),
        ignored: &p.impact.ignored,
        residential_areas: r
            .areas
            .iter()
            .zip(&p.areas)
            .map(|(b, a)| ProposedAreaJson {
                all_share_after: a.all_share(),
                all_share_before: b.land.all_share(),
                id: &b.id,
                land_share_after: land(a),
                land_share_before: land(&b.land),
            })
            .collect(),
        spaces: p
            .impact
            .spaces
            .iter()
            .map(|x| ProposedSpaceJson {
                area_m2: x.area_m2,
                category: &x.category,
                label: &x.label,
                newly_served: &x.newly,
            })
            .collect(),
        zones: r
            .zones
            .iter()
            .zip(&p.zones)
            .map(|(b, a)| ProposedZoneJson {
                after: shares(r, &a.shares, None),
                before: shares(r, &b.shares, None),
                name: &b.name,
            })
            .collect(),
    }
}

fn shares<'a>(r: &'a Report, s: &Shares, name: Option<&'a str>) -> SharesJson<'a> {
    let land = s.land.as_ref();
    let tiers = r
        .config
        .check
        .standard
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| TierSharesJson {
            land_covered_m2: land.map(|l| l.covered_m2[t]),
            land_grade: land.and_then(|l| grade(l.share(t), &r.config.check.standard.grades)),
            land_grade_label: land.and_then(|l| {
                let grades = &r.config.check.standard.grades;
                grade(l.share(t), grades)?;
                Some(both(|lang| {
                    lang.grade(l.share(t), grades).unwrap_or_default()
                }))
            }),
            land_share: land.map(|l| l.share(t)),
            point_share: s.point_share(Some(t)),
            points_within: s.points.within[t],
            tier: &tier.name,
            weight_share: s.weight_share(Some(t)),
            weight_within: s.weight.within[t],
        })
        .collect();
    SharesJson {
        all: AllJson {
            land_covered_m2: land.map(|l| l.all_m2),
            land_share: land.map(|l| l.all_share()),
            point_share: s.point_share(None),
            points_within: s.points.all,
            weight_share: s.weight_share(None),
            weight_within: s.weight.all,
        },
        land: land.map(|l| LandJson {
            area_m2: l.area_m2,
            error_bound_pp: l.bound_pp(),
        }),
        name,
        points: s.points.total,
        tiers,
        weight: s.weight.total,
    }
}

/// The whole report as `summary.json`'s typed value.
#[allow(clippy::too_many_lines)] // one field per member of summary.json, in the schema's order
pub fn summary_json(r: &Report) -> SummaryJson<'_> {
    let std = &r.config.check.standard;
    let sum = &r.summary;
    let per_tier = r.prepared.green.per_tier(std);
    let (lon0, lat0) = r.prepared.plane.origin();
    SummaryJson {
        empty_zones: &r.empty_zones,
        gaps: gaps_json(r),
        generated_utc: &r.generated_utc,
        green: GreenJson {
            ignored: &sum.green_ignored,
            per_tier: std
                .tiers
                .iter()
                .zip(per_tier)
                .map(|(t, features)| TierFeaturesJson {
                    features,
                    tier: &t.name,
                })
                .collect(),
            read: sum.green_read,
            skipped: sum.green_skipped,
            used: sum.green_used,
        },
        greenreach_version: env!("CARGO_PKG_VERSION"),
        histograms: std
            .tiers
            .iter()
            .zip(&r.histograms)
            .map(|(t, h)| HistogramJson {
                beyond: h.beyond,
                bin_m: h.bin_m,
                counts: &h.counts,
                none_within_limit: h.none,
                tier: &t.name,
            })
            .collect(),
        homes_rule: &r.homes_rule,
        inputs: r
            .inputs
            .iter()
            .map(|f| InputJson {
                crs: &f.info.crs,
                crs_source: format!("{:?}", f.info.crs_source),
                features: f.info.read,
                path: f.info.path.display().to_string(),
                role: &f.info.role,
                sha256: &f.sha256,
                skipped: f.info.skipped,
            })
            .collect(),
        land_basis: r.land_basis.as_ref().map(|b| match b {
            LandBasis::ResidentialLand(p) => LandBasisJson {
                kind: "residential_land",
                source: Some(p.display().to_string()),
            },
            LandBasis::BuildingFootprints => LandBasisJson {
                kind: "building_footprints",
                source: None,
            },
        }),
        labels: labels(r),
        lang: r.config.lang.code(),
        plane: PlaneJson { lat0, lon0 },
        proposed: r.proposed.as_ref().map(|p| proposed(r, p)),
        points: PointsJson {
            evaluated: sum.points_evaluated,
            read: sum.points_read,
            skipped: &sum.points_skipped,
        },
        residential_areas: areas_json(r),
        schema: "greenreach-report/1",
        search_limit_m: r.config.check.max_distance_m,
        shortfalls: shortfalls_json(r),
        spaces_counted: &r.spaces,
        standard: standard_json(r),
        totals: shares(r, &r.totals, None),
        walk: r.walk.as_ref().map(|w| walk_json(r, w)),
        warnings: &r.warnings,
        weighting: WeightingJson {
            description: &r.weights.description,
            points_outside_population_cells: r.weights.points_outside,
            unassigned_population: r.weights.unassigned,
        },
        zones: r
            .zones
            .iter()
            .map(|z| shares(r, &z.shares, Some(&z.name)))
            .collect(),
    }
}

fn gaps_json(r: &Report) -> Vec<GapJson<'_>> {
    let std = &r.config.check.standard;
    r.gaps
        .iter()
        .enumerate()
        .map(|(k, g)| GapJson {
            beyond_limit: g.beyond_limit,
            hull_area_m2: g.hull_area_m2,
            nearest: g.nearest.as_deref(),
            place: r.gap_places.get(k).and_then(Option::as_ref),
            points: g.members.len(),
            shortfall_max_m: g.shortfall_max_m,
            shortfall_min_m: g.shortfall_min_m,
            tier: &std.tiers[g.tier].name,
            weight: g.weight,
        })
        .collect()
}

fn areas_json(r: &Report) -> Vec<AreaJson<'_>> {
    let std = &r.config.check.standard;
    r.areas
        .iter()
        .map(|a| AreaJson {
            all_share: a.land.all_share(),
            area_m2: a.land.area_m2,
            error_bound_pp: a.land.bound_pp(),
            id: &a.id,
            land_share: (0..std.tiers.len()).map(|t| a.land.share(t)).collect(),
            place: a.place.as_ref(),
            zone: a.zone.as_deref(),
        })
        .collect()
}

fn shortfalls_json(r: &Report) -> Vec<ShortfallJson<'_>> {
    r.summary
        .tiers
        .iter()
        .filter_map(|t| {
            let s = t.shortfall.as_ref()?;
            Some(ShortfallJson {
                beyond_limit: s.beyond_limit,
                failing: s.failing,
                p50: s.p50.into(),
                p75: s.p75.into(),
                p90: s.p90.into(),
                tier: &t.name,
            })
        })
        .collect()
}

fn standard_json(r: &Report) -> StandardJson<'_> {
    let std = &r.config.check.standard;
    StandardJson {
        grades: &std.grades,
        grades_source: &std.grades_source,
        name: &std.name,
        source: &std.source,
        tiers: std
            .tiers
            .iter()
            .map(|t| TierJson {
                accepts: t
                    .accepts
                    .iter()
                    .map(|&c| std.categories[c].name.as_str())
                    .collect(),
                label: &t.label,
                name: &t.name,
                radius_m: t.radius_m,
                size_classes: t
                    .size_classes
                    .iter()
                    .map(|c| SizeClassJson {
                        min_area_m2: c.min_area_m2,
                        radius_m: c.radius_m,
                    })
                    .collect(),
            })
            .collect(),
    }
}
