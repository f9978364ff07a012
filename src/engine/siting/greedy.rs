//! Lazy greedy site selection with a stated upper bound on the optimum.
//!
//! The objective — the weight of open points that a set of sites serves — is monotone and
//! submodular, so a candidate's marginal gain only falls as sites are added. The heap keeps
//! the last gain computed for each candidate; the top entry is recomputed until it is fresh,
//! then picked. Ties go to the smaller candidate number, so the picks are those of plain
//! greedy and do not depend on the number of threads.
//!
//! Upper bound: for any set `S` and any `k` sites `O`, `f(O) ≤ f(S) + Σ_{o∈O} Δ(o | S)`, so
//! the optimum with `k` sites is at most `f(S)` plus the `k` largest marginal gains at `S`
//! (for a budget, the fractional knapsack of the gains). The bound is taken at several
//! states along the greedy path (no site, 1, 2, 4, … sites, the end) and the smallest is
//! stated, capped by all the weight any candidate can serve.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use thiserror::Error;

use super::coverage::CoverageSets;

/// What the plan must achieve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Add this many sites.
    Sites(usize),
    /// Add sites until this share (0–1) of all weight meets the tier.
    Share(f64),
    /// Add sites whose costs sum to at most this.
    Budget(f64),
}

/// Why a goal cannot be planned.
#[derive(Debug, Error, PartialEq)]
pub enum SitingError {
    /// There are no candidates.
    #[error("there are no candidate sites")]
    NoCandidates,
    /// Zero sites asked for.
    #[error("the number of sites to add must be at least 1")]
    ZeroSites,
    /// The share is not in (0, 1].
    #[error("the target share {0} must be above 0 and at most 1")]
    ShareRange(f64),
    /// The share is met already.
    #[error("the target share {target} is already met: {current:.4} of the weight meets the tier")]
    TargetMet {
        /// The target.
        target: f64,
        /// The share now.
        current: f64,
    },
    /// The budget is not a positive number.
    #[error("the budget {0} must be a positive number")]
    Budget(f64),
    /// No candidate fits the budget.
    #[error("no candidate costs {0} or less")]
    NothingAffordable(f64),
}

/// One site of a plan, in the order picked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    /// Candidate number.
    pub candidate: u32,
    /// Weight it newly serves (given the sites before it).
    pub gain: f64,
    /// Points it newly serves.
    pub points: u32,
    /// Weight meeting the tier after it, including what met it before any site.
    pub value_after: f64,
    /// Points meeting the tier after it.
    pub points_after: usize,
}

/// Why the plan stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The goal is met (K sites, the share, or the budget spent as well as greedy can).
    Done,
    /// No remaining candidate serves anyone more: fewer sites than asked, or the share
    /// cannot be reached with these candidates.
    NoGain,
}

/// A greedy plan and what is known about the optimum.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The sites, in order.
    pub picks: Vec<Pick>,
    /// Weight meeting the tier with the plan (including the weight that met it before).
    pub value: f64,
    /// Upper bound on the best value any plan of the same size (or budget) can reach.
    pub upper_bound: f64,
    /// For a share goal: no plan with fewer sites can reach it (a lower bound).
    pub min_sites: Option<usize>,
    /// Why it stopped.
    pub stop: Stop,
    /// For each open point: served by a site of the plan.
    pub covered: Vec<bool>,
    /// For each open point: served by some candidate.
    pub coverable: Vec<bool>,
}

impl Plan {
    /// The plan's value as a share of the bound (1 when the bound adds nothing).
    pub fn quality(&self, base: f64) -> f64 {
        let gained = self.value - base;
        let possible = self.upper_bound - base;
        if possible <= 0.0 {
            1.0
        } else {
            gained / possible
        }
    }
}

/// A heap entry: a (possibly stale) key for a candidate, highest key first, then smaller id.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: f64,
    id: u32,
    round: u32,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.total_cmp(&o.key).then_with(|| o.id.cmp(&self.id))
    }
}

/// What one lazy-greedy step did with the top of the heap.
enum Step {
    /// Its key was out of date: recomputed and pushed back.
    Stale,
    /// It was fresh and gains nothing: no candidate gains anything.
    NoGain,
    /// It was fresh and was taken.
    Taken,
}

/// State of the objective along the greedy path.
struct State<'a> {
    sets: &'a CoverageSets,
    covered: Vec<bool>,
    value: f64,
    points: usize,
    picks: Vec<Pick>,
}

impl<'a> State<'a> {
    fn new(sets: &'a CoverageSets) -> Self {
        Self {
            sets,
            covered: vec![false; sets.weight.len()],
            value: sets.base_weight,
            points: sets.base_count,
            picks: Vec::new(),
        }
    }

    fn take(&mut self, c: u32) {
        let (gain, points) = self.sets.gain(c as usize, &self.covered);
        for &m in self.sets.set(c as usize) {
            self.covered[m as usize] = true;
        }
        self.value += gain;
        self.points += points as usize;
        self.picks.push(Pick {
            candidate: c,
            gain,
            points,
            value_after: self.value,
            points_after: self.points,
        });
    }

    /// One lazy-greedy step on the entry popped from the top of `heap`: a key from an earlier
    /// round is recomputed (`key` turns the fresh gain into a heap key) and pushed back; a
    /// fresh one is taken if it gains anything.
    fn step(&mut self, heap: &mut BinaryHeap<Entry>, top: Entry, key: impl Fn(f64) -> f64) -> Step {
        let round = self.picks.len() as u32;
        if top.round != round {
            let (g, _) = self.sets.gain(top.id as usize, &self.covered);
            heap.push(Entry {
                key: key(g),
                id: top.id,
                round,
            });
            return Step::Stale;
        }
        if top.key <= 0.0 {
            return Step::NoGain;
        }
        self.take(top.id);
        Step::Taken
    }

    /// Fresh marginal gains of every candidate.
    fn gains(&self) -> Vec<f64> {
        (0..self.sets.candidates())
            .into_par_iter()
            .map(|c| self.sets.gain(c, &self.covered).0)
            .collect()
    }
}

/// A bound checkpoint: the value at a state and the prefix sums of its gains, largest first.
struct Checkpoint {
    value: f64,
    prefix: Vec<f64>,
}

impl Checkpoint {
    fn new(value: f64, mut gains: Vec<f64>) -> Self {
        gains.sort_by(|a, b| b.total_cmp(a));
        let mut prefix = Vec::with_capacity(gains.len() + 1);
        let mut s = 0.0;
        prefix.push(0.0);
        for g in gains {
            s += g;
            prefix.push(s);
        }
        Self { value, prefix }
    }

    fn bound(&self, k: usize) -> f64 {
        self.value + self.prefix[k.min(self.prefix.len() - 1)]
    }

    /// Fewest sites whose gains at this state could reach `need`, if any.
    fn sites_for(&self, need: f64) -> Option<usize> {
        self.prefix.iter().position(|&s| self.value + s >= need)
    }
}

/// Fractional knapsack of `gains` with `cost` under `budget`: an upper bound on what any
/// plan within the budget adds to the state the gains were taken at.
fn knapsack_bound(gains: &[f64], cost: &[f64], budget: f64) -> f64 {
    let mut items: Vec<(f64, f64)> = gains
        .iter()
        .zip(cost)
        .filter(|(g, _)| **g > 0.0)
        .map(|(&g, &c)| (g, c))
        .collect();
    items.sort_by(|a, b| (b.0 / b.1).total_cmp(&(a.0 / a.1)));
    let (mut left, mut total) = (budget, 0.0);
    for (g, c) in items {
        if c <= left {
            total += g;
            left -= c;
        } else {
            total += g * left / c;
            break;
        }
    }
    total
}

/// Plan sites for `goal` over `sets`.
pub fn plan(sets: &CoverageSets, goal: Goal) -> Result<Plan, SitingError> {
    let n = sets.candidates();
    if n == 0 {
        return Err(SitingError::NoCandidates);
    }
    match goal {
        Goal::Sites(0) => return Err(SitingError::ZeroSites),
        Goal::Share(t) if !(t > 0.0 && t <= 1.0) => return Err(SitingError::ShareRange(t)),
        Goal::Share(t) => {
            let current = share(sets.base_weight, sets.total_weight);
            if current >= t {
                return Err(SitingError::TargetMet { target: t, current });
            }
        }
        Goal::Budget(b) if !(b.is_finite() && b > 0.0) => return Err(SitingError::Budget(b)),
        Goal::Budget(b) => {
            if !sets.cost.iter().any(|&c| c <= b) {
                return Err(SitingError::NothingAffordable(b));
            }
        }
        Goal::Sites(_) => {}
    }
    let coverable = sets.coverable();
    let coverable_weight: f64 = sets
        .weight
        .iter()
        .zip(&coverable)
        .filter(|(_, c)| **c)
        .map(|(w, _)| w)
        .sum();
    let cap = sets.base_weight + coverable_weight;
    let singles: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|c| sets.set(c).iter().map(|&m| sets.weight[m as usize]).sum())
        .collect();
    let mut plan = match goal {
        Goal::Budget(b) => budget_plan(sets, &singles, b),
        _ => count_plan(sets, &singles, goal),
    };
    plan.upper_bound = plan.upper_bound.min(cap).max(plan.value);
    plan.coverable = coverable;
    Ok(plan)
}

fn share(v: f64, total: f64) -> f64 {
    if total > 0.0 { v / total } else { 1.0 }
}

/// Greedy by gain for [`Goal::Sites`] and [`Goal::Share`].
fn count_plan(sets: &CoverageSets, singles: &[f64], goal: Goal) -> Plan {
    let mut st = State::new(sets);
    let mut heap: BinaryHeap<Entry> = singles
        .iter()
        .enumerate()
        .map(|(id, &key)| Entry {
            key,
            id: id as u32,
            round: 0,
        })
        .collect();
    let mut checkpoints = vec![Checkpoint::new(st.value, singles.to_vec())];
    let need = match goal {
        Goal::Share(t) => t * sets.total_weight,
        _ => f64::INFINITY,
    };
    let max_sites = match goal {
        Goal::Sites(k) => k,
        _ => sets.candidates(),
    };
    let mut stop = Stop::Done;
    while st.picks.len() < max_sites && st.value < need {
        let Some(top) = heap.pop() else {
            stop = Stop::NoGain;
            break;
        };
        match st.step(&mut heap, top, |g| g) {
            Step::Stale => continue,
            Step::NoGain => {
                stop = Stop::NoGain;
                break;
            }
            Step::Taken => {}
        }
        let k = st.picks.len();
        if k.is_power_of_two() && k < max_sites {
            checkpoints.push(Checkpoint::new(st.value, st.gains()));
        }
    }
    if st.value < need && matches!(goal, Goal::Share(_)) {
        stop = Stop::NoGain;
    }
    checkpoints.push(Checkpoint::new(st.value, st.gains()));
    let k = match goal {
        Goal::Sites(k) => k,
        _ => st.picks.len(),
    };
    let upper_bound = checkpoints
        .iter()
        .map(|c| c.bound(k))
        .fold(f64::INFINITY, f64::min);
    let min_sites = match goal {
        Goal::Share(_) => checkpoints.iter().filter_map(|c| c.sites_for(need)).max(),
        _ => None,
    };
    Plan {
        value: st.value,
        picks: st.picks,
        upper_bound,
        min_sites,
        stop,
        covered: st.covered,
        coverable: Vec::new(),
    }
}

/// Cost-benefit greedy within a budget, then the best single affordable site if it does
/// better (the standard fix that gives the greedy a constant-factor guarantee).
fn budget_plan(sets: &CoverageSets, singles: &[f64], budget: f64) -> Plan {
    let cost = &sets.cost;
    let mut st = State::new(sets);
    let mut heap: BinaryHeap<Entry> = singles
        .iter()
        .enumerate()
        .filter(|&(id, _)| cost[id] <= budget)
        .map(|(id, &g)| Entry {
            key: g / cost[id],
            id: id as u32,
            round: 0,
        })
        .collect();
    let mut left = budget;
    let mut stop = Stop::Done;
    let bound0 = st.value + knapsack_bound(singles, cost, budget);
    while let Some(top) = heap.pop() {
        let c = cost[top.id as usize];
        if c > left {
            continue;
        }
        match st.step(&mut heap, top, |g| g / c) {
            Step::Stale => {}
            Step::NoGain => {
                stop = Stop::NoGain;
                break;
            }
            Step::Taken => left -= c,
        }
    }
    let bound_end = st.value + knapsack_bound(&st.gains(), cost, budget);
    // The best single site within budget (smallest id on ties).
    let best = (0..singles.len())
        .filter(|&c| cost[c] <= budget)
        .fold(None::<usize>, |b, c| match b {
            Some(b) if singles[b] >= singles[c] => Some(b),
            _ => Some(c),
        })
        .expect("an affordable candidate exists");
    if sets.base_weight + singles[best] > st.value {
        let mut single = State::new(sets);
        single.take(best as u32);
        st = single;
        stop = Stop::Done;
    }
    Plan {
        value: st.value,
        picks: st.picks,
        upper_bound: bound0.min(bound_end),
        min_sites: None,
        stop,
        covered: st.covered,
        coverable: Vec::new(),
    }
}

/// Shared test instances.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::CoverageSets;

    /// Two clusters (10 and 9 points) and three candidates: 0 serves 6 of each, 1 all of the
    /// first, 2 all of the second. Greedy takes 0 then 1 (16); the best pair is 1 and 2 (19).
    pub(crate) fn two_clusters() -> CoverageSets {
        let a: Vec<u32> = (0..10).collect();
        let b: Vec<u32> = (10..19).collect();
        let mid: Vec<u32> = (0..6).chain(10..16).collect();
        CoverageSets::from_sets(vec![1.0; 19], &[mid, a, b], vec![1.0; 3], 0.0, 19.0)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::two_clusters;
    use super::*;

    #[test]
    fn greedy_on_two_clusters() {
        let sets = two_clusters();
        let p = plan(&sets, Goal::Sites(2)).unwrap();
        let ids: Vec<u32> = p.picks.iter().map(|p| p.candidate).collect();
        assert_eq!(ids, vec![0, 1]);
        assert_eq!(p.value, 16.0);
        assert!(p.upper_bound >= 19.0, "{}", p.upper_bound);
        assert_eq!(p.stop, Stop::Done);
        assert_eq!(p.picks[1].gain, 4.0);
        assert_eq!(p.picks[1].points_after, 16);
    }

    #[test]
    fn ties_go_to_the_smaller_id() {
        let sets = CoverageSets::from_sets(
            vec![1.0; 4],
            &[vec![2, 3], vec![0, 1], vec![0, 1]],
            vec![1.0; 3],
            0.0,
            4.0,
        );
        let p = plan(&sets, Goal::Sites(1)).unwrap();
        assert_eq!(p.picks[0].candidate, 0);
    }

    #[test]
    fn share_goal_stops_at_the_target_or_says_it_cannot() {
        let sets = two_clusters();
        let p = plan(&sets, Goal::Share(0.5)).unwrap();
        assert_eq!(p.picks.len(), 1);
        assert_eq!(p.min_sites, Some(1));
        let all = plan(&sets, Goal::Share(1.0)).unwrap();
        assert_eq!(all.value, 19.0);
        assert_eq!(all.stop, Stop::Done);
        let partial = CoverageSets::from_sets(vec![1.0; 3], &[vec![0]], vec![1.0], 0.0, 3.0);
        let p = plan(&partial, Goal::Share(0.9)).unwrap();
        assert_eq!(p.stop, Stop::NoGain);
        assert_eq!(p.value, 1.0);
        assert_eq!(p.coverable, vec![true, false, false]);
    }

    #[test]
    fn bad_goals_are_refused() {
        let sets = two_clusters();
        assert_eq!(plan(&sets, Goal::Sites(0)), Err(SitingError::ZeroSites));
        let none = CoverageSets::from_sets(vec![1.0], &[], vec![], 0.0, 1.0);
        assert_eq!(plan(&none, Goal::Sites(1)), Err(SitingError::NoCandidates));
        let met = CoverageSets::from_sets(vec![1.0], &[vec![0]], vec![1.0], 9.0, 10.0);
        assert!(matches!(
            plan(&met, Goal::Share(0.8)),
            Err(SitingError::TargetMet { .. })
        ));
        assert_eq!(
            plan(&sets, Goal::Share(1.5)),
            Err(SitingError::ShareRange(1.5))
        );
        assert_eq!(
            plan(&sets, Goal::Budget(0.5)),
            Err(SitingError::NothingAffordable(0.5))
        );
        assert_eq!(
            plan(&sets, Goal::Budget(-1.0)),
            Err(SitingError::Budget(-1.0))
        );
    }

    #[test]
    fn budget_prefers_cheap_value_and_keeps_the_best_single() {
        // Candidate 0 serves 10 for cost 10; 1 and 2 serve 3 each for cost 1.
        let sets = CoverageSets::from_sets(
            vec![1.0; 16],
            &[(0..10).collect(), vec![10, 11, 12], vec![13, 14, 15]],
            vec![10.0, 1.0, 1.0],
            0.0,
            16.0,
        );
        // Budget 10: ratio greedy takes 1 and 2 (6), then cannot afford 0; the single
        // site 0 (10) is better.
        let p = plan(&sets, Goal::Budget(10.0)).unwrap();
        assert_eq!(p.value, 10.0);
        assert_eq!(p.picks.len(), 1);
        assert!(p.upper_bound >= 10.0);
        let p = plan(&sets, Goal::Budget(2.0)).unwrap();
        assert_eq!(p.value, 6.0);
    }
}
