//! The coverage summary printed after every run.

use std::collections::BTreeMap;
use std::fmt;

use crate::coverage::Coverage;
use crate::demand::DemandPoints;
use crate::green::GreenSpaces;
use crate::standard::Standard;

/// Figures for one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct TierSummary {
    /// Tier name.
    pub name: String,
    /// Tier name in the plan's words.
    pub label: String,
    /// Radius, metres.
    pub radius_m: f64,
    /// Green features serving the tier.
    pub features: usize,
    /// Points within reach.
    pub within: usize,
    /// `within / evaluated` (0 when nothing was evaluated).
    pub share: f64,
    /// Median of (distance − radius) over the points out of reach that have a feature within
    /// the search limit; `None` when distances were not computed or no such point exists.
    pub median_shortfall_m: Option<f64>,
    /// Points with nothing serving the tier within the search limit (when distances were
    /// computed).
    pub beyond_limit: Option<usize>,
}

/// Figures for a whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Standard name.
    pub standard: String,
    /// The tiers and radii, as one line.
    pub tiers_described: String,
    /// Search limit, metres.
    pub limit_m: f64,
    /// Green features read, including skipped ones.
    pub green_read: usize,
    /// Green features serving at least one tier.
    pub green_used: usize,
    /// Green features skipped on reading.
    pub green_skipped: usize,
    /// Green features read but serving no tier, by reason.
    pub green_ignored: BTreeMap<String, usize>,
    /// Demand features (or grid points) read.
    pub points_read: usize,
    /// Demand points evaluated.
    pub points_evaluated: usize,
    /// Demand features that gave no point, by reason.
    pub points_skipped: BTreeMap<String, usize>,
    /// Per tier, in the standard's order.
    pub tiers: Vec<TierSummary>,
    /// Points within reach of every tier.
    pub all_within: usize,
    /// `all_within / evaluated`.
    pub all_share: f64,
}

fn share(k: usize, n: usize) -> f64 {
    if n == 0 { 0.0 } else { k as f64 / n as f64 }
}

impl Summary {
    /// Summarise a finished evaluation.
    pub fn new(
        standard: &Standard,
        green: &GreenSpaces,
        demand: &DemandPoints,
        coverage: &Coverage,
        limit_m: f64,
    ) -> Self {
        let n = coverage.len();
        let per_tier = green.per_tier(standard);
        let within = coverage.within_counts();
        let tiers = standard
            .tiers
            .iter()
            .enumerate()
            .map(|(t, tier)| {
                let col = &coverage.tiers[t];
                let (median_shortfall_m, beyond_limit) = if col.distance_m.len() == n && n > 0 {
                    let mut short: Vec<f64> = (0..n)
                        .filter(|&i| !col.ok[i] && col.distance_m[i].is_finite())
                        .map(|i| {
                            let f = &green.features[col.nearest[i] as usize];
                            col.distance_m[i] - tier.radius_for(f.area_m2)
                        })
                        .collect();
                    let beyond = col.distance_m.iter().filter(|d| d.is_nan()).count();
                    (median(&mut short), Some(beyond))
                } else {
                    (None, None)
                };
                TierSummary {
                    name: tier.name.clone(),
                    label: tier.label.clone(),
                    radius_m: tier.radius_m,
                    features: per_tier[t],
                    within: within[t],
                    share: share(within[t], n),
                    median_shortfall_m,
                    beyond_limit,
                }
            })
            .collect();
        let all_within = coverage.all_count();
        Summary {
            standard: standard.name.clone(),
            tiers_described: standard.describe_tiers(),
            limit_m,
            green_read: green.read,
            green_used: green.features.len(),
            green_skipped: green.skipped,
            green_ignored: green.ignored.clone(),
            points_read: demand.read,
            points_evaluated: n,
            points_skipped: demand.skipped_counts(),
            tiers,
            all_within,
            all_share: share(all_within, n),
        }
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

fn reasons(m: &BTreeMap<String, usize>) -> String {
    if m.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{v} {k}")).collect();
    format!(" ({})", parts.join(", "))
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "standard {}: {}", self.standard, self.tiers_described)?;
        let ignored: usize = self.green_ignored.values().sum();
        writeln!(
            f,
            "green features: {} read, {} used, {} ignored{}, {} skipped",
            self.green_read,
            self.green_used,
            ignored,
            reasons(&self.green_ignored),
            self.green_skipped
        )?;
        let skipped: usize = self.points_skipped.values().sum();
        writeln!(
            f,
            "demand points: {} read, {} evaluated, {} skipped{}",
            self.points_read,
            self.points_evaluated,
            skipped,
            reasons(&self.points_skipped)
        )?;
        writeln!(f)?;
        let n = self.points_evaluated;
        writeln!(
            f,
            "{:<14} {:>8} {:>9} {:>12} {:>8} {:>17}",
            "tier", "radius", "features", "within", "share", "median shortfall"
        )?;
        for t in &self.tiers {
            let short = t
                .median_shortfall_m
                .map_or("-".to_string(), |s| format!("{s:.0} m"));
            writeln!(
                f,
                "{:<14} {:>6} m {:>9} {:>12} {:>7.1}% {:>17}",
                t.name,
                t.radius_m,
                t.features,
                format!("{}/{}", t.within, n),
                100.0 * t.share,
                short
            )?;
        }
        writeln!(
            f,
            "{:<14} {:>8} {:>9} {:>12} {:>7.1}%",
            "all tiers",
            "",
            "",
            format!("{}/{}", self.all_within, n),
            100.0 * self.all_share
        )?;
        for t in &self.tiers {
            if let Some(b) = t.beyond_limit.filter(|&b| b > 0) {
                writeln!(
                    f,
                    "note: {b} point(s) have no {} feature within {} m",
                    t.name, self.limit_m
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
