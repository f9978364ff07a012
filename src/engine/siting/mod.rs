//! Siting: which new green spaces close the most gap in one tier.
//!
//! Pure engine (no files, no CLI). The caller gives the demand points in plane metres with
//! their weights and whether each already meets the tier, and the candidate spaces as plane
//! geometries with the radius they would serve and a cost. [`CoverageSets`] finds, for every
//! candidate, the demand points that do not yet meet the tier and that it would serve (one
//! range query per candidate over an R-tree of those points, then the same exact test as the
//! straight-line metric: ground distance to the boundary, 0 inside, holes outside, the plane's
//! point scale applied at the demand point). `greedy` picks sites by lazy greedy (the
//! objective is submodular), `exact` solves the maximal covering problem as an integer
//! program for small cases, and every answer carries an upper bound on the optimum.

pub(crate) mod candidates;
pub(crate) mod coverage;
pub(crate) mod exact;
pub(crate) mod greedy;

pub use candidates::{Candidate, CandidateError, lattice, square_site};
pub use coverage::CoverageSets;
pub use exact::{ExactError, ExactPlan, Limit, solve_exact};
pub use greedy::{Goal, Pick, Plan, SitingError, Stop, plan};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::LocalPlane;
    use geo::{Coord, Geometry, LineString, Point, Polygon};

    /// The two-cluster case on the ground: homes in two columns 5 km apart, a long strip along
    /// y = 0 serving the lower six of each, and a point site beside each column serving it
    /// whole. The best pair is the two point sites, not the strip and the first site.
    #[test]
    fn two_clusters_on_the_ground() {
        let mut homes: Vec<Coord> = (0..10)
            .map(|i| Coord {
                x: 0.0,
                y: 100.0 * i as f64,
            })
            .collect();
        homes.extend((0..9).map(|j| Coord {
            x: 5000.0,
            y: 100.0 * j as f64,
        }));
        let strip = Geometry::Polygon(Polygon::new(
            LineString::from(vec![
                (0.0, -10.0),
                (5000.0, -10.0),
                (5000.0, 0.0),
                (0.0, 0.0),
                (0.0, -10.0),
            ]),
            vec![],
        ));
        let cands = vec![
            Candidate {
                geometry: strip,
                radius_m: 500.0,
                cost: 1.0,
            },
            Candidate {
                geometry: Geometry::Point(Point::new(0.0, 450.0)),
                radius_m: 500.0,
                cost: 1.0,
            },
            Candidate {
                geometry: Geometry::Point(Point::new(5000.0, 400.0)),
                radius_m: 500.0,
                cost: 1.0,
            },
        ];
        let sets = CoverageSets::build(
            &homes,
            &vec![1.0; homes.len()],
            &vec![false; homes.len()],
            &cands,
            crate::crs::PlaneScale::unit(),
        )
        .unwrap();
        assert_eq!(sets.set(0).len(), 12);
        assert_eq!(sets.set(1).len(), 10);
        assert_eq!(sets.set(2).len(), 9);
        let g = plan(&sets, Goal::Sites(2)).unwrap();
        assert_eq!(
            g.picks.iter().map(|p| p.candidate).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(g.value, 16.0);
        let e = solve_exact(&sets, Limit::Sites(2), &[0, 1], 60.0).unwrap();
        assert_eq!((e.chosen, e.value), (vec![1, 2], 19.0));
        assert!(g.upper_bound >= 19.0);
    }

    /// Same sets and picks with 1 and 3 worker threads.
    #[test]
    fn deterministic_across_thread_counts() {
        let plane = LocalPlane::at(9.5, 47.1).unwrap();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let homes: Vec<Coord> = (0..3000)
            .map(|_| Coord {
                x: 20_000.0 + 4000.0 * next(),
                y: 4000.0 * next(),
            })
            .collect();
        let weights: Vec<f64> = (0..homes.len())
            .map(|_| (1.0 + 9.0 * next()).floor())
            .collect();
        let served: Vec<bool> = (0..homes.len()).map(|_| next() < 0.3).collect();
        let cands: Vec<Candidate> = (0..400)
            .map(|_| Candidate {
                geometry: square_site(
                    Coord {
                        x: 20_000.0 + 4000.0 * next(),
                        y: 4000.0 * next(),
                    },
                    400.0,
                ),
                radius_m: 300.0,
                cost: 1.0,
            })
            .collect();
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let sets =
                    CoverageSets::build(&homes, &weights, &served, &cands, plane.scale()).unwrap();
                let p = plan(&sets, Goal::Sites(25)).unwrap();
                (sets, p)
            })
        };
        let (s1, p1) = run(1);
        let (s3, p3) = run(3);
        assert_eq!(s1, s3);
        assert_eq!(p1, p3);
        assert_eq!(p1.picks.len(), 25);
    }
}
