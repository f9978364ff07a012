//! The maximal covering problem solved exactly, as an integer program (pure-Rust `microlp`
//! through `good_lp`), for small cases.
//!
//! Variables: `x_c ∈ {0, 1}` per candidate, `y_g ∈ [0, 1]` per group of open points that the
//! same candidates serve (points with equal candidate lists are merged, their weights added).
//! Maximise `Σ w_g y_g` subject to `y_g ≤ Σ_{c serves g} x_c` and `Σ x_c ≤ K` (or
//! `Σ cost_c x_c ≤ B`). The greedy plan is given as the starting solution.

use std::collections::BTreeMap;

use good_lp::solvers::microlp::microlp;
use good_lp::{
    Expression, Solution, SolutionStatus, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, variable, variables,
};
use thiserror::Error;

use super::coverage::CoverageSets;

/// Largest number of candidates solved exactly.
pub(crate) const MAX_EXACT_CANDIDATES: usize = 2_000;
/// Largest number of point groups solved exactly.
pub(crate) const MAX_EXACT_GROUPS: usize = 20_000;

/// What the exact plan is limited by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// At most this many sites.
    Sites(usize),
    /// Costs summing to at most this.
    Budget(f64),
}

/// Why there is no exact answer.
#[derive(Debug, Error, PartialEq)]
pub enum ExactError {
    /// The problem is too large for the exact solver.
    #[error(
        "too large to solve exactly: {candidates} candidates and {groups} groups of homes (limits {MAX_EXACT_CANDIDATES} and {MAX_EXACT_GROUPS})"
    )]
    TooLarge {
        /// Candidates.
        candidates: usize,
        /// Groups of open points with the same candidates.
        groups: usize,
    },
    /// The solver failed or ran out of time before proving optimality.
    #[error("the integer program was not solved to optimality: {0}")]
    Solver(String),
}

/// An optimal plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactPlan {
    /// Candidates chosen, ascending.
    pub chosen: Vec<u32>,
    /// Weight meeting the tier with them (including what met it before).
    pub value: f64,
}

/// Solve exactly under `limit`, starting from `start` (e.g. the greedy picks), within
/// `time_limit_s` seconds.
#[allow(clippy::too_many_lines)] // one integer program: variables, constraints, objective, the solution read back
pub fn solve_exact(
    sets: &CoverageSets,
    limit: Limit,
    start: &[u32],
    time_limit_s: f64,
) -> Result<ExactPlan, ExactError> {
    let n = sets.candidates();
    // Group open points by the list of candidates serving them.
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); sets.weight.len()];
    for c in 0..n {
        for &m in sets.set(c) {
            lists[m as usize].push(c as u32);
        }
    }
    let mut groups: BTreeMap<Vec<u32>, f64> = BTreeMap::new();
    for (list, &w) in lists.into_iter().zip(&sets.weight) {
        if !list.is_empty() && w > 0.0 {
            *groups.entry(list).or_default() += w;
        }
    }
    if n > MAX_EXACT_CANDIDATES || groups.len() > MAX_EXACT_GROUPS {
        return Err(ExactError::TooLarge {
            candidates: n,
            groups: groups.len(),
        });
    }
    if groups.is_empty() {
        return Ok(ExactPlan {
            chosen: Vec::new(),
            value: sets.base_weight,
        });
    }
    let mut vars = variables!();
    let x: Vec<Variable> = (0..n).map(|_| vars.add(variable().binary())).collect();
    let y: Vec<Variable> = (0..groups.len())
        .map(|_| vars.add(variable().min(0).max(1)))
        .collect();
    let objective: Expression = groups.values().zip(&y).map(|(&w, &v)| w * v).sum();
    let mut model = vars.maximise(objective).using(microlp);
    for ((list, _), &yg) in groups.iter().zip(&y) {
        let served: Expression = list.iter().map(|&c| x[c as usize]).sum();
        model.add_constraint((yg - served).leq(0));
    }
    match limit {
        Limit::Sites(k) => {
            let count: Expression = x.iter().copied().sum();
            model.add_constraint(count.leq(k as f64));
        }
        Limit::Budget(b) => {
            let spend: Expression = x.iter().zip(&sets.cost).map(|(&v, &c)| c * v).sum();
            model.add_constraint(spend.leq(b));
        }
    }
    let mut on = vec![false; n];
    for &c in start {
        on[c as usize] = true;
    }
    let init: Vec<(Variable, f64)> = x
        .iter()
        .zip(&on)
        .map(|(&v, &b)| (v, if b { 1.0 } else { 0.0 }))
        .chain(groups.keys().zip(&y).map(|(list, &v)| {
            let hit = list.iter().any(|&c| on[c as usize]);
            (v, if hit { 1.0 } else { 0.0 })
        }))
        .collect();
    let model = model
        .with_initial_solution(init)
        .with_time_limit(time_limit_s);
    let sol = model
        .solve()
        .map_err(|e| ExactError::Solver(e.to_string()))?;
    if !matches!(sol.status(), SolutionStatus::Optimal) {
        return Err(ExactError::Solver(format!(
            "stopped after {time_limit_s} s without a proof of optimality"
        )));
    }
    let chosen: Vec<u32> = (0..n as u32)
        .filter(|&c| sol.value(x[c as usize]) > 0.5)
        .collect();
    // Value recomputed from the chosen sites, not read from the solver's floating answer.
    let mut covered = vec![false; sets.weight.len()];
    for &c in &chosen {
        for &m in sets.set(c as usize) {
            covered[m as usize] = true;
        }
    }
    let gained: f64 = sets
        .weight
        .iter()
        .zip(&covered)
        .filter(|(_, c)| **c)
        .map(|(w, _)| w)
        .sum();
    Ok(ExactPlan {
        chosen,
        value: sets.base_weight + gained,
    })
}

#[cfg(test)]
mod tests {
    use super::super::greedy::{Goal, plan};
    use super::*;
    use proptest::prelude::*;

    /// Best value over every subset within the limit, by enumeration.
    fn brute_force(sets: &CoverageSets, limit: Limit) -> f64 {
        let n = sets.candidates();
        let mut best: f64 = sets.base_weight;
        for mask in 0u32..(1 << n) {
            let chosen: Vec<usize> = (0..n).filter(|&c| mask >> c & 1 == 1).collect();
            let ok = match limit {
                Limit::Sites(k) => chosen.len() <= k,
                Limit::Budget(b) => chosen.iter().map(|&c| sets.cost[c]).sum::<f64>() <= b,
            };
            if !ok {
                continue;
            }
            let mut covered = vec![false; sets.weight.len()];
            for &c in &chosen {
                for &m in sets.set(c) {
                    covered[m as usize] = true;
                }
            }
            let v: f64 = sets.base_weight
                + (0..covered.len())
                    .filter(|&i| covered[i])
                    .map(|i| sets.weight[i])
                    .sum::<f64>();
            best = best.max(v);
        }
        best
    }

    fn instance() -> impl Strategy<Value = (CoverageSets, usize, f64)> {
        (2usize..30, 1usize..9).prop_flat_map(|(points, cands)| {
            (
                prop::collection::vec(1u32..5, points),
                prop::collection::vec(
                    prop::collection::btree_set(0..points as u32, 0..points),
                    cands,
                ),
                prop::collection::vec(1u32..4, cands),
                1usize..4,
                1u32..6,
            )
                .prop_map(move |(w, s, cost, k, b)| {
                    let sets: Vec<Vec<u32>> =
                        s.into_iter().map(|s| s.into_iter().collect()).collect();
                    let total: f64 = w.iter().map(|&v| v as f64).sum::<f64>() + 3.0;
                    (
                        CoverageSets::from_sets(
                            w.into_iter().map(f64::from).collect(),
                            &sets,
                            cost.into_iter().map(f64::from).collect(),
                            3.0,
                            total,
                        ),
                        k,
                        b as f64,
                    )
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Exact equals enumeration; greedy ≥ (1 − 1/e) of it; the stated bound ≥ it.
        #[test]
        fn greedy_bound_and_exact_against_enumeration((sets, k, budget) in instance()) {
            let best = brute_force(&sets, Limit::Sites(k));
            let greedy = plan(&sets, Goal::Sites(k)).unwrap();
            let start: Vec<u32> = greedy.picks.iter().map(|p| p.candidate).collect();
            let exact = solve_exact(&sets, Limit::Sites(k), &start, 60.0).unwrap();
            prop_assert!((exact.value - best).abs() < 1e-9, "exact {} brute {}", exact.value, best);
            prop_assert!(exact.chosen.len() <= k);
            let base = sets.base_weight;
            let ratio = 1.0 - (-1.0f64).exp();
            prop_assert!(greedy.value - base >= ratio * (best - base) - 1e-9,
                "greedy {} best {}", greedy.value, best);
            prop_assert!(greedy.upper_bound >= best - 1e-9, "bound {} best {}", greedy.upper_bound, best);
            prop_assert!(greedy.value <= best + 1e-9);

            let best_b = brute_force(&sets, Limit::Budget(budget));
            let exact_b = solve_exact(&sets, Limit::Budget(budget), &[], 60.0).unwrap();
            prop_assert!((exact_b.value - best_b).abs() < 1e-9, "exact {} brute {}", exact_b.value, best_b);
            if let Ok(g) = plan(&sets, Goal::Budget(budget)) {
                let spent: f64 = g.picks.iter().map(|p| sets.cost[p.candidate as usize]).sum();
                prop_assert!(spent <= budget);
                // Cost-benefit greedy with the best-single fix: at least (1 − 1/e)/2.
                prop_assert!(g.value - base >= ratio / 2.0 * (best_b - base) - 1e-9);
                prop_assert!(g.upper_bound >= best_b - 1e-9, "bound {} best {}", g.upper_bound, best_b);
            }
        }
    }

    #[test]
    fn two_clusters_best_pair_is_not_the_two_best_singles() {
        let sets = super::super::greedy::tests_support::two_clusters();
        let exact = solve_exact(&sets, Limit::Sites(2), &[0, 1], 60.0).unwrap();
        assert_eq!(exact.chosen, vec![1, 2]);
        assert_eq!(exact.value, 19.0);
    }

    #[test]
    fn too_large_is_refused() {
        let sets = CoverageSets::from_sets(
            vec![1.0],
            &vec![vec![0]; MAX_EXACT_CANDIDATES + 1],
            vec![1.0; MAX_EXACT_CANDIDATES + 1],
            0.0,
            1.0,
        );
        assert!(matches!(
            solve_exact(&sets, Limit::Sites(1), &[], 1.0),
            Err(ExactError::TooLarge { .. })
        ));
    }
}
