//! The one accumulator of "within reach": how many points (or how many residents) meet each
//! tier and every tier. Summaries, shards, grids and the report's zones all add up a `Tally`.

use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

/// What a tally adds up: a count of points (`usize`) or a weight such as residents (`f64`).
pub trait Amount: Copy + Default + AddAssign + PartialEq {
    /// The amount as a float, for shares.
    fn as_f64(self) -> f64;
}

impl Amount for usize {
    fn as_f64(self) -> f64 {
        self as f64
    }
}

impl Amount for f64 {
    fn as_f64(self) -> f64 {
        self
    }
}

/// Points (or their weight) in all, within reach of each tier, and within reach of every tier.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally<N> {
    /// Everything counted.
    #[serde(rename = "points")]
    pub total: N,
    /// Within reach, per tier.
    pub within: Vec<N>,
    /// Within reach of every tier.
    pub all: N,
}

impl<N: Amount> Tally<N> {
    /// Nothing yet, over `tiers` tiers.
    pub fn new(tiers: usize) -> Self {
        Self {
            total: N::default(),
            within: vec![N::default(); tiers],
            all: N::default(),
        }
    }

    /// Add `n` (points or weight) whose tiers are met as `ok` says, one flag per tier.
    pub fn add(&mut self, n: N, ok: impl IntoIterator<Item = bool>) {
        self.total += n;
        let mut every = true;
        for (w, f) in self.within.iter_mut().zip(ok) {
            if f {
                *w += n;
            } else {
                every = false;
            }
        }
        if every {
            self.all += n;
        }
    }

    /// Add another tally of the same tiers (a default, tier-less tally takes the other's).
    pub fn merge(&mut self, o: &Self) {
        if self.within.is_empty() {
            self.within = vec![N::default(); o.within.len()];
        }
        self.total += o.total;
        for (a, &b) in self.within.iter_mut().zip(&o.within) {
            *a += b;
        }
        self.all += o.all;
    }

    /// Share within reach of tier `t` (`None`: every tier), 0–1; 0 when nothing was counted.
    pub fn share(&self, t: Option<usize>) -> f64 {
        let k = t.map_or(self.all, |t| self.within[t]).as_f64();
        let total = self.total.as_f64();
        if total > 0.0 { k / total } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_merges_and_shares() {
        let mut a = Tally::<usize>::new(2);
        a.add(1, [true, false]);
        a.add(2, [true, true]);
        let mut b = Tally::default();
        b.merge(&a);
        b.merge(&a);
        assert_eq!((b.total, b.within.clone(), b.all), (6, vec![6, 4], 4));
        assert!((b.share(Some(1)) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(Tally::<f64>::new(3).share(None), 0.0);
        let mut w = Tally::<f64>::new(1);
        w.add(2.5, [false]);
        w.add(1.5, [true]);
        assert_eq!(w.share(None), 1.5 / 4.0);
    }

    #[test]
    fn serialises_with_the_shard_field_names() {
        let t = Tally::<usize> {
            total: 3,
            within: vec![2],
            all: 1,
        };
        let s = serde_json::to_string(&t).unwrap();
        assert_eq!(s, r#"{"points":3,"within":[2],"all":1}"#);
    }
}
