//! Proposed green spaces (`--proposed FILE`): spaces that do not exist yet, classified under
//! the same standard and added to the existing ones. Gives, for every tier, the demand points
//! meeting it before and after, and for each proposed space the points it newly serves (that
//! space alone added to the existing ones), through the siting engine's coverage sets.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::engine::reach::{Reach, StraightLine};
use crate::engine::siting::{Candidate, CoverageSets};
use crate::error::Error;
use crate::io::load::load_layer;
use crate::run::config::CheckConfig;
use crate::run::green::GreenSpaces;
use crate::run::prepare::Prepared;

/// One tier before and after the proposed spaces.
#[derive(Debug, Clone, PartialEq)]
pub struct TierChange {
    /// Tier name.
    pub tier: String,
    /// Points meeting it with the existing spaces.
    pub before: usize,
    /// Points meeting it with the proposed spaces added.
    pub after: usize,
}

/// What one proposed space adds on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceImpact {
    /// How it is named (`name`, `id`, or file:index).
    pub label: String,
    /// Its category under the standard.
    pub category: String,
    /// Area, m² (0 for points and lines).
    pub area_m2: f64,
    /// Per tier: points that do not meet it now and that this space alone would serve.
    pub newly: Vec<usize>,
}

/// Before → after for a set of proposed spaces.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedImpact {
    /// Demand points evaluated.
    pub points: usize,
    /// Per tier.
    pub tiers: Vec<TierChange>,
    /// Points meeting every tier, before and after.
    pub all: (usize, usize),
    /// The proposed spaces that serve some tier, in file order.
    pub spaces: Vec<SpaceImpact>,
    /// Proposed features that serve no tier, by reason.
    pub ignored: BTreeMap<String, usize>,
    /// Per tier, per point: meets it with the existing spaces.
    pub before_flags: Vec<Vec<bool>>,
    /// Per tier, per point: meets it with the proposed spaces added.
    pub after_flags: Vec<Vec<bool>>,
}

/// One group of points (a zone) before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupChange {
    /// Group name.
    pub name: String,
    /// Points in the group.
    pub points: usize,
    /// Per tier: points meeting it before and after.
    pub tiers: Vec<(usize, usize)>,
}

impl ProposedImpact {
    /// Before and after per group: `group_of[i]` is point `i`'s group (an index into
    /// `names`), `None` for points in no group (gathered under `other`).
    pub fn by_group(
        &self,
        group_of: &[Option<usize>],
        names: &[String],
        other: &str,
    ) -> Vec<GroupChange> {
        let n_tiers = self.tiers.len();
        let mut out: Vec<GroupChange> = names
            .iter()
            .chain(std::iter::once(&other.to_string()))
            .map(|name| GroupChange {
                name: name.clone(),
                points: 0,
                tiers: vec![(0, 0); n_tiers],
            })
            .collect();
        for (i, g) in group_of.iter().enumerate() {
            let row = &mut out[g.unwrap_or(names.len())];
            row.points += 1;
            for t in 0..n_tiers {
                row.tiers[t].0 += self.before_flags[t][i] as usize;
                row.tiers[t].1 += self.after_flags[t][i] as usize;
            }
        }
        out.retain(|r| r.points > 0);
        out
    }

    /// A text table of `by_group` rows: one line per group, `before → after` per tier.
    pub fn group_table(&self, rows: &[GroupChange]) -> String {
        let mut s = format!("{:<24} {:>7}", "zone", "points");
        for t in &self.tiers {
            s += &format!(" {:>22}", t.tier);
        }
        s.push('\n');
        for r in rows {
            s += &format!("{:<24} {:>7}", r.name, r.points);
            for &(b, a) in &r.tiers {
                s += &format!(
                    " {:>22}",
                    format!("{:.1}% → {:.1}%", pct(b, r.points), pct(a, r.points))
                );
            }
            s.push('\n');
        }
        s
    }
}

/// Per point and tier: does it meet the tier under `reach`?
fn flags(reach: &dyn Reach, xy: &[geo::Coord], tiers: usize) -> Vec<Vec<bool>> {
    (0..tiers)
        .map(|t| xy.par_iter().map(|&p| reach.within(t, p)).collect())
        .collect()
}

/// Assess `proposed` files against a prepared run (its demand points must be materialised).
pub fn assess(
    cfg: &CheckConfig,
    prepared: &Prepared,
    xy: &[geo::Coord],
    proposed: &[PathBuf],
) -> Result<ProposedImpact, Error> {
    let new = load(cfg, prepared, proposed)?;
    assess_classified(cfg, prepared, xy, new)
}

/// Read the proposed files (with the green layers' CRS flags) and classify them under the
/// standard on the run's plane.
pub fn load(
    cfg: &CheckConfig,
    prepared: &Prepared,
    proposed: &[PathBuf],
) -> Result<GreenSpaces, Error> {
    Ok(load_with_info(cfg, prepared, proposed)?.0)
}

/// [`load`], with a description of each file read (role `proposed`).
pub fn load_with_info(
    cfg: &CheckConfig,
    prepared: &Prepared,
    proposed: &[PathBuf],
) -> Result<(GreenSpaces, Vec<crate::run::prepare::LayerInfo>), Error> {
    let mut notes = Vec::new();
    let layers = proposed
        .iter()
        .map(|p| {
            load_layer(
                p,
                cfg.green_crs.as_ref(),
                "--green-crs",
                &cfg.crs,
                cfg.read_options(),
                &mut notes,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let info = layers
        .iter()
        .map(|l| crate::run::prepare::LayerInfo::of(l, "proposed"))
        .collect();
    let layers: Vec<_> = layers.into_iter().map(|l| l.layer).collect();
    Ok((
        GreenSpaces::classify(&layers, &cfg.standard, &prepared.plane)?,
        info,
    ))
}

/// The straight-line reach of the existing spaces with the proposed `new` ones added.
pub fn combined_reach(cfg: &CheckConfig, prepared: &Prepared, new: &GreenSpaces) -> StraightLine {
    let mut combined = prepared.green.clone();
    combined.features.extend(new.features.iter().cloned());
    StraightLine::new(combined.tier_groups(&cfg.standard), prepared.plane.scale())
}

/// [`assess`] for proposed spaces already read and classified.
pub fn assess_classified(
    cfg: &CheckConfig,
    prepared: &Prepared,
    xy: &[geo::Coord],
    new: GreenSpaces,
) -> Result<ProposedImpact, Error> {
    let std = &cfg.standard;
    let n_tiers = std.tiers.len();
    let before = flags(&prepared.reach, xy, n_tiers);
    let after = flags(&combined_reach(cfg, prepared, &new), xy, n_tiers);
    let mut newly = vec![vec![0usize; n_tiers]; new.features.len()];
    for (t, tier) in std.tiers.iter().enumerate() {
        let serving: Vec<usize> = (0..new.features.len())
            .filter(|&j| tier.accepts.contains(&new.features[j].category))
            .collect();
        let cands: Vec<Candidate> = serving
            .iter()
            .map(|&j| {
                let f = &new.features[j];
                Candidate {
                    geometry: f.geometry.clone(),
                    radius_m: tier.radius_for(f.area_m2),
                    cost: 1.0,
                }
            })
            .collect();
        let sets = CoverageSets::build(
            xy,
            &vec![1.0; xy.len()],
            &before[t],
            &cands,
            prepared.plane.scale(),
        )
        .map_err(|e| Error::Config(format!("--proposed: {e}")))?;
        for (c, &j) in serving.iter().enumerate() {
            newly[j][t] = sets.set(c).len();
        }
    }
    Ok(impact(std, xy.len(), before, after, new, newly))
}

/// The impact from per-tier, per-point flags before and after, and the points each proposed
/// space newly serves per tier.
fn impact(
    std: &crate::standard::Standard,
    points: usize,
    before: Vec<Vec<bool>>,
    after: Vec<Vec<bool>>,
    new: GreenSpaces,
    newly: Vec<Vec<usize>>,
) -> ProposedImpact {
    let count = |f: &[bool]| f.iter().filter(|&&b| b).count();
    let all = |fl: &[Vec<bool>]| (0..points).filter(|&i| fl.iter().all(|t| t[i])).count();
    let tiers = std
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| TierChange {
            tier: tier.name.clone(),
            before: count(&before[t]),
            after: count(&after[t]),
        })
        .collect();
    let spaces = new
        .features
        .iter()
        .zip(newly)
        .map(|(f, newly)| SpaceImpact {
            label: f.label.clone(),
            category: std.categories[f.category].name.clone(),
            area_m2: f.area_m2,
            newly,
        })
        .collect();
    ProposedImpact {
        points,
        tiers,
        all: (all(&before), all(&after)),
        spaces,
        ignored: new.ignored,
        before_flags: before,
        after_flags: after,
    }
}

/// [`assess`] on foot (`--metric walk`): before and after from walking searches over the
/// existing spaces and over the existing and proposed ones; what each proposed space alone
/// newly serves from a search from that space only (one network build per proposed space).
pub fn assess_walk(
    cfg: &CheckConfig,
    wc: &crate::run::walk::WalkConfig,
    prepared: &Prepared,
    xy: &[geo::Coord],
    new: GreenSpaces,
    warnings: &mut crate::run::warnings::Warnings,
) -> Result<ProposedImpact, Error> {
    // The network is read once; it is built over each set of green spaces.
    let network = crate::run::walk::read_projected(cfg, wc, &prepared.plane, warnings)?;
    let flags_over = |green: &GreenSpaces| -> Result<Vec<Vec<bool>>, Error> {
        let reach = crate::run::walk::reach_over(cfg, wc, &prepared.plane, &network, green)?;
        let walked = reach.evaluate(
            xy,
            crate::engine::coverage::Detail::Flags,
            cfg.max_distance_m,
        );
        Ok(walked.coverage.tiers.into_iter().map(|t| t.ok).collect())
    };
    let before = flags_over(&prepared.green)?;
    let mut combined = prepared.green.clone();
    combined.features.extend(new.features.iter().cloned());
    let after = flags_over(&combined)?;
    let mut newly = Vec::with_capacity(new.features.len());
    for f in &new.features {
        let alone = GreenSpaces {
            features: vec![f.clone()],
            ..Default::default()
        };
        let serves = flags_over(&alone)?;
        newly.push(
            serves
                .iter()
                .zip(&before)
                .map(|(s, b)| s.iter().zip(b).filter(|&(&s, &b)| s && !b).count())
                .collect(),
        );
    }
    Ok(impact(&cfg.standard, xy.len(), before, after, new, newly))
}

fn pct(k: usize, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        100.0 * k as f64 / n as f64
    }
}

impl fmt::Display for ProposedImpact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.points;
        writeln!(f, "with the proposed spaces ({n} points):")?;
        writeln!(
            f,
            "  {:<14} {:>16} {:>16} {:>8}",
            "tier", "before", "after", "change"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, b: usize, a: usize| {
            writeln!(
                f,
                "  {:<14} {:>8} {:>6.1}% {:>8} {:>6.1}% {:>+8}",
                name,
                b,
                pct(b, n),
                a,
                pct(a, n),
                a as i64 - b as i64
            )
        };
        for t in &self.tiers {
            row(f, &t.tier, t.before, t.after)?;
        }
        row(f, "all tiers", self.all.0, self.all.1)?;
        writeln!(
            f,
            "each proposed space alone, points it newly serves per tier:"
        )?;
        for s in &self.spaces {
            let per: Vec<String> = self
                .tiers
                .iter()
                .zip(&s.newly)
                .map(|(t, k)| format!("{} +{k}", t.tier))
                .collect();
            writeln!(
                f,
                "  {} ({}, {:.0} m²): {}",
                s.label,
                s.category,
                s.area_m2,
                per.join(", ")
            )?;
        }
        for (reason, k) in &self.ignored {
            writeln!(f, "  {k} proposed feature(s) serve no tier: {reason}")?;
        }
        Ok(())
    }
}

/// Prepare the run of `cfg` and assess `proposed` against it.
/// On foot under `--metric walk`, else in a straight line.
pub fn run_proposed(cfg: &CheckConfig, proposed: &[PathBuf]) -> Result<ProposedImpact, Error> {
    crate::run::check::with_threads(cfg.threads, || {
        let (mut prepared, demand) = crate::run::prepare::prepare(cfg)?;
        let points = demand.into_points(&prepared)?;
        match &cfg.walk {
            Some(wc) => {
                let new = load(cfg, &prepared, proposed)?;
                let mut warnings = std::mem::take(&mut prepared.warnings);
                assess_walk(cfg, wc, &prepared, &points.xy, new, &mut warnings)
            }
            None => assess(cfg, &prepared, &points.xy, proposed),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::config::DemandSource;
    use crate::run::prepare::prepare;

    /// Homes on a line 100 m apart east of an existing small park; a proposed street green
    /// square 2 km away serves exactly the homes within 300 m of it.
    #[test]
    fn proposed_space_serves_the_expected_homes() {
        let dir = tempfile::tempdir().unwrap();
        let (lon0, lat0) = (9.5f64, 47.1f64);
        // Metres to degrees near (lon0, lat0), well within the test's margins.
        let dlon = |m: f64| m / (111_320.0 * lat0.to_radians().cos());
        let dlat = |m: f64| m / 110_950.0;
        let sq = |x: f64, y: f64, h: f64| {
            format!(
                "[[[{a},{b}],[{c},{b}],[{c},{d}],[{a},{d}],[{a},{b}]]]",
                a = lon0 + dlon(x - h),
                b = lat0 + dlat(y - h),
                c = lon0 + dlon(x + h),
                d = lat0 + dlat(y + h)
            )
        };
        let green = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"category":"street_green"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
            sq(0.0, 0.0, 20.0)
        );
        // Homes at x = 0, 100, ..., 3000 m on y = 0.
        let homes: Vec<String> = (0..=30)
            .map(|i| {
                format!(
                    r#"{{"type":"Feature","properties":{{"id":"h{i}"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
                    lon0 + dlon(100.0 * i as f64),
                    lat0
                )
            })
            .collect();
        let proposed = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"new","category":"street_green"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
            sq(2000.0, 0.0, 10.0)
        );
        let w = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let cfg = CheckConfig::new(
            vec![w("green.geojson", &green)],
            DemandSource::Points(w(
                "homes.geojson",
                &format!(
                    r#"{{"type":"FeatureCollection","features":[{}]}}"#,
                    homes.join(",")
                ),
            )),
        );
        let (prepared, demand) = prepare(&cfg).unwrap();
        let points = demand.into_points(&prepared).unwrap();
        let impact = assess(
            &cfg,
            &prepared,
            &points.xy,
            &[w("proposed.geojson", &proposed)],
        )
        .unwrap();
        // Existing square (±20 m) + 300 m: homes at 0..300 m → 4. Proposed square at
        // 2000 m (±10 m) + 300 m: homes at 1700..2300 m → 7.
        assert_eq!(impact.tiers[0].tier, "street_green");
        assert_eq!((impact.tiers[0].before, impact.tiers[0].after), (4, 11));
        assert_eq!(impact.spaces.len(), 1);
        assert_eq!(impact.spaces[0].label, "new");
        assert_eq!(impact.spaces[0].newly, vec![7, 0, 0]);
        assert_eq!(impact.points, 31);
        assert_eq!(impact.all, (0, 0));
        // Homes 0..=15 in group 0, the rest in none.
        let groups: Vec<Option<usize>> = (0..=30).map(|i| (i <= 15).then_some(0)).collect();
        let rows = impact.by_group(&groups, &["west".to_string()], "other");
        assert_eq!(rows[0].points, 16);
        assert_eq!(rows[0].tiers[0], (4, 4));
        assert_eq!(rows[1].name, "other");
        assert_eq!(rows[1].tiers[0], (0, 7));
    }
}
