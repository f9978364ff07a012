//! `report --proposed`: before → after per tier and per zone, written as `proposed.txt`.

use crate::error::Error;
use crate::io::input::ReadOptions;
use crate::io::load::load_layer;
use crate::report::{ReportConfig, WeightSource, Zones};
use crate::run::check::with_threads;
use crate::run::prepare::prepare;
use crate::run::proposed::{ProposedImpact, assess};

/// Assess `proposed` for a report run: the impact, and the text of `proposed.txt` (the
/// per-tier table, then one row per zone when the report has zones).
pub fn proposed_text(
    cfg: &ReportConfig,
    proposed: &[std::path::PathBuf],
) -> Result<(ProposedImpact, String), Error> {
    with_threads(cfg.check.threads, || {
        let (mut prepared, demand) = prepare(&cfg.check)?;
        let points = demand.into_points(&prepared)?;
        let impact = assess(&cfg.check, &prepared, &points.xy, proposed)?;
        let mut text = impact.to_string();
        let mut notes = Vec::new();
        if cfg.weight != WeightSource::Points {
            let w = super::weights_of(cfg, &mut prepared, &points, &mut notes)?;
            text += &format!(
                "\nresidents ({}), share meeting each tier:\n",
                w.description
            );
            let total: f64 = w.per_point.iter().sum();
            text += &format!(
                "  {:<14} {:>19} {:>19} {:>10}\n",
                "tier", "before", "after", "change"
            );
            for (t, change) in impact.tiers.iter().enumerate() {
                let sum = |flags: &[bool]| -> f64 {
                    flags
                        .iter()
                        .zip(&w.per_point)
                        .filter(|(f, _)| **f)
                        .map(|(_, w)| w)
                        .sum()
                };
                let (b, a) = (sum(&impact.before_flags[t]), sum(&impact.after_flags[t]));
                let pct = |x: f64| if total > 0.0 { 100.0 * x / total } else { 0.0 };
                text += &format!(
                    "  {:<14} {:>12.1} {:>6.1}% {:>12.1} {:>6.1}% {:>+10.1}\n",
                    change.tier,
                    b,
                    pct(b),
                    a,
                    pct(a),
                    a - b
                );
            }
        }
        if let Some(z) = &cfg.zones {
            let l = load_layer(
                &z.path,
                z.crs.as_ref(),
                "--zones-crs",
                &cfg.check.crs,
                ReadOptions {
                    strict: cfg.check.strict,
                    ..Default::default()
                },
                &mut notes,
            )?;
            let zones = Zones::from_layer(&l.layer, &z.name_property, &z.filter, &prepared.plane)?;
            let zone_of: Vec<Option<usize>> = points.xy.iter().map(|&p| zones.zone_of(p)).collect();
            let rows = impact.by_group(&zone_of, &zones.names, "(in no zone)");
            text += "\nby zone, share of points meeting each tier before → after:\n";
            text += &impact.group_table(&rows);
        }
        Ok((impact, text))
    })
}
