//! `report --proposed`: before → after per tier and per zone, written as `proposed.txt`.

use crate::error::Error;
use crate::io::input::ReadOptions;
use crate::io::load::load_layer;
use crate::report::{ReportConfig, Zones};
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
        let (prepared, demand) = prepare(&cfg.check)?;
        let points = demand.into_points(&prepared)?;
        let impact = assess(&cfg.check, &prepared, &points.xy, proposed)?;
        let mut text = impact.to_string();
        if let Some(z) = &cfg.zones {
            let mut notes = Vec::new();
            let l = load_layer(
                &z.path,
                z.crs.as_ref(),
                &cfg.check.crs,
                ReadOptions {
                    strict: cfg.check.strict,
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
