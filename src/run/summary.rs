//! The coverage summary printed after every run.

use std::collections::BTreeMap;
use std::fmt;

use rayon::prelude::*;

use crate::engine::coverage::{Coverage, TierColumn};
use crate::engine::tally::Tally;
use crate::run::demand::DemandPoints;
use crate::run::green::GreenSpaces;
use crate::standard::{Standard, Tier};

/// Figures for one tier.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TierSummary {
    /// Tier name.
    pub name: String,
    /// Tier name in the plan's words.
    pub label: String,
    /// Radius, metres.
    pub radius_m: f64,
    /// The largest radius of the tier (size classes), metres.
    pub max_radius_m: f64,
    /// Green features serving the tier.
    pub features: usize,
    /// Points within reach.
    pub within: usize,
    /// `within / evaluated` (0 when nothing was evaluated).
    pub share: f64,
    /// Percentiles of (distance − radius) over every point out of reach, those with nothing
    /// within the search limit included as "more than limit − radius"; `None` when distances
    /// were not computed or every point is within reach.
    pub shortfall: Option<ShortfallStats>,
    /// Points with nothing serving the tier within the search limit (when distances were
    /// computed).
    pub beyond_limit: Option<usize>,
}

/// Figures for a whole run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// Shortfalls (distance − radius) of points that miss a tier, in 0.1 m bins: enough for the
/// median a summary prints, and small enough to accumulate over any number of points.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ShortfallBins {
    bins: Vec<u64>,
}

/// Width of a shortfall bin, metres.
const SHORTFALL_BIN_M: f64 = 0.1;

impl ShortfallBins {
    fn add(&mut self, short_m: f64) {
        let k = (short_m.max(0.0) / SHORTFALL_BIN_M) as usize;
        if self.bins.len() <= k {
            self.bins.resize(k + 1, 0);
        }
        self.bins[k] += 1;
    }

    fn merge(&mut self, o: &ShortfallBins) {
        if self.bins.len() < o.bins.len() {
            self.bins.resize(o.bins.len(), 0);
        }
        for (a, b) in self.bins.iter_mut().zip(&o.bins) {
            *a += b;
        }
    }

    /// The `q`-percentile (nearest rank: the smallest shortfall that at least `q` of the
    /// points do not exceed) over the binned points plus `censored` points known only to fall
    /// short by more than `censor_m` (nothing within the search limit). Binned values are
    /// bin centres, within 0.05 m of the true shortfall. `None` when there is no point.
    pub fn percentile(&self, q: f64, censored: u64, censor_m: f64) -> Option<Shortfall> {
        let n = self.bins.iter().sum::<u64>() + censored;
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (k, &c) in self.bins.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(Shortfall::At((k as f64 + 0.5) * SHORTFALL_BIN_M));
            }
        }
        Some(Shortfall::Above(censor_m))
    }
}

/// A shortfall percentile: a distance, or a lower bound when the percentile falls among the
/// points with nothing within the search limit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Shortfall {
    /// Falls short by this much, metres.
    At(f64),
    /// Falls short by more than this (search limit − radius), metres.
    Above(f64),
}

impl fmt::Display for Shortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shortfall::At(m) => write!(f, "{m:.0} m"),
            Shortfall::Above(m) => write!(f, "> {m:.0} m"),
        }
    }
}

/// Shortfall percentiles over every point out of reach of a tier.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShortfallStats {
    /// Points out of reach (those beyond the search limit included).
    pub failing: u64,
    /// Of which with nothing within the search limit.
    pub beyond_limit: u64,
    /// Median.
    pub p50: Shortfall,
    /// 75th percentile.
    pub p75: Shortfall,
    /// 90th percentile.
    pub p90: Shortfall,
}

impl ShortfallStats {
    /// Percentiles over `bins` plus `beyond` points short by more than `censor_m`.
    pub fn new(bins: &ShortfallBins, beyond: u64, censor_m: f64) -> Option<Self> {
        let p = |q| bins.percentile(q, beyond, censor_m);
        Some(Self {
            failing: bins.bins.iter().sum::<u64>() + beyond,
            beyond_limit: beyond,
            p50: p(0.5)?,
            p75: p(0.75)?,
            p90: p(0.9)?,
        })
    }
}

/// What a summary counts, accumulated from one or many batches of evaluated points.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Points evaluated, within reach of each tier and of every tier.
    #[serde(flatten)]
    pub tally: Tally<usize>,
    /// With distances: per tier, the shortfalls of the points out of reach.
    pub shortfalls: Option<Vec<ShortfallBins>>,
    /// With distances: per tier, points with nothing within the search limit.
    pub beyond: Option<Vec<usize>>,
}

impl Counts {
    /// Counts from flags alone.
    pub fn flags(tally: Tally<usize>) -> Self {
        Self {
            tally,
            shortfalls: None,
            beyond: None,
        }
    }

    /// Count a batch of results (with distances when `coverage` has them).
    pub fn of(standard: &Standard, green: &GreenSpaces, coverage: &Coverage) -> Self {
        let n = coverage.len();
        let with_distances = coverage.tiers.iter().all(|c| c.distance_m.len() == n);
        let mut counts = Counts::flags(coverage.tally());
        if with_distances {
            let (shortfalls, beyond) = coverage
                .tiers
                .iter()
                .enumerate()
                .map(|(t, col)| shortfalls_of(&standard.tiers[t], green, col))
                .unzip();
            counts.shortfalls = Some(shortfalls);
            counts.beyond = Some(beyond);
        }
        counts
    }

    /// Add another batch.
    pub fn merge(&mut self, o: &Counts) {
        if self.tally.within.is_empty() {
            *self = o.clone();
            return;
        }
        self.tally.merge(&o.tally);
        if let (Some(a), Some(b)) = (&mut self.shortfalls, &o.shortfalls) {
            a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y));
        }
        if let (Some(a), Some(b)) = (&mut self.beyond, &o.beyond) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
    }
}

/// The shortfalls of the points that miss `tier` (measured from the radius their nearest
/// feature serves), and how many have nothing within the search limit; in parallel.
fn shortfalls_of(tier: &Tier, green: &GreenSpaces, col: &TierColumn) -> (ShortfallBins, usize) {
    (0..col.ok.len())
        .into_par_iter()
        .with_min_len(1 << 16)
        .fold(
            || (ShortfallBins::default(), 0),
            |(mut bins, mut beyond), i| {
                let d = col.distance_m[i];
                if d.is_nan() {
                    beyond += 1;
                } else if !col.ok[i] {
                    let f = &green.features[col.nearest[i] as usize];
                    bins.add(d - tier.radius_for(f.area_m2));
                }
                (bins, beyond)
            },
        )
        .reduce(
            || (ShortfallBins::default(), 0),
            |(mut a, x), (b, y)| {
                a.merge(&b);
                (a, x + y)
            },
        )
}

impl Summary {
    /// Summarise a finished evaluation held in memory.
    pub fn new(
        standard: &Standard,
        green: &GreenSpaces,
        demand: &DemandPoints,
        coverage: &Coverage,
        limit_m: f64,
    ) -> Self {
        Self::from_counts(
            standard,
            green,
            demand.read,
            demand.skipped_counts(),
            &Counts::of(standard, green, coverage),
            limit_m,
        )
    }

    /// Summarise from counts (streamed runs).
    pub fn from_counts(
        standard: &Standard,
        green: &GreenSpaces,
        points_read: usize,
        points_skipped: BTreeMap<String, usize>,
        counts: &Counts,
        limit_m: f64,
    ) -> Self {
        let n = counts.tally.total;
        let per_tier = green.per_tier(standard);
        let tiers = standard
            .tiers
            .iter()
            .enumerate()
            .map(|(t, tier)| TierSummary {
                name: tier.name.clone(),
                label: tier.label.clone(),
                radius_m: tier.radius_m,
                max_radius_m: tier.max_radius(),
                features: per_tier[t],
                within: counts.tally.within[t],
                share: counts.tally.share(Some(t)),
                shortfall: match (&counts.shortfalls, &counts.beyond) {
                    (Some(s), Some(b)) => {
                        ShortfallStats::new(&s[t], b[t] as u64, limit_m - tier.max_radius())
                    }
                    _ => None,
                },
                beyond_limit: counts.beyond.as_ref().map(|b| b[t]),
            })
            .collect();
        Summary {
            standard: standard.name.clone(),
            tiers_described: standard.describe_tiers(),
            limit_m,
            green_read: green.read,
            green_used: green.features.len(),
            green_skipped: green.skipped,
            green_ignored: green.ignored.clone(),
            points_read,
            points_evaluated: n,
            points_skipped,
            tiers,
            all_within: counts.tally.all,
            all_share: counts.tally.share(None),
        }
    }
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
            "{:<14} {:>8} {:>9} {:>12} {:>8}   {:>17} {:>9} {:>9}",
            "tier", "radius", "features", "within", "share", "shortfall: median", "p75", "p90"
        )?;
        for t in &self.tiers {
            let [p50, p75, p90] = match &t.shortfall {
                Some(s) => [s.p50, s.p75, s.p90].map(|p| p.to_string()),
                None => ["-", "-", "-"].map(String::from),
            };
            writeln!(
                f,
                "{:<14} {:>6} m {:>9} {:>12} {:>7.1}%   {:>17} {:>9} {:>9}",
                t.name,
                t.radius_m,
                t.features,
                format!("{}/{}", t.within, n),
                100.0 * t.share,
                p50,
                p75,
                p90
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
                    "note: {b} point(s) have no {} feature within {} m (counted in the shortfall percentiles as more than {} m)",
                    t.name,
                    self.limit_m,
                    self.limit_m - t.max_radius_m
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
    fn censored_percentiles() {
        let mut b = ShortfallBins::default();
        for s in [10.0, 20.0, 30.0] {
            b.add(s);
        }
        // 3 measured + 1 beyond the limit: median is the 2nd of 4 (20 m), p75 the 3rd (30 m),
        // p90 the 4th: only known to exceed 4700 m.
        let st = ShortfallStats::new(&b, 1, 4700.0).unwrap();
        assert_eq!(st.failing, 4);
        assert_eq!(st.p50, Shortfall::At(20.05));
        assert_eq!(st.p75, Shortfall::At(30.05));
        assert_eq!(st.p90, Shortfall::Above(4700.0));
        assert_eq!(st.p90.to_string(), "> 4700 m");
        // Mostly beyond the limit: the median itself is censored.
        let st = ShortfallStats::new(&b, 4, 4700.0).unwrap();
        assert_eq!(st.p50, Shortfall::Above(4700.0));
        // Nothing failing: no statistics.
        assert_eq!(ShortfallStats::new(&ShortfallBins::default(), 0, 1.0), None);
        // Only censored points.
        let st = ShortfallStats::new(&ShortfallBins::default(), 2, 100.0).unwrap();
        assert_eq!(st.p50, Shortfall::Above(100.0));
    }

    /// The median of the binned points alone.
    fn median(b: &ShortfallBins) -> Option<f64> {
        match b.percentile(0.5, 0, 0.0)? {
            Shortfall::At(m) | Shortfall::Above(m) => Some(m),
        }
    }

    #[test]
    fn median_shortfall_to_a_tenth_of_a_metre() {
        let mut b = ShortfallBins::default();
        assert_eq!(median(&b), None);
        for s in [3.02, 1.01, 2.04] {
            b.add(s);
        }
        assert!((median(&b).unwrap() - 2.05).abs() < 1e-9);
        let mut c = ShortfallBins::default();
        c.add(2.0);
        b.merge(&c);
        assert!((median(&b).unwrap() - 2.05).abs() < 1e-9);
    }
}
