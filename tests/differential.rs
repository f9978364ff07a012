//! The tier index against brute force: on random polygons (with holes of either winding,
//! multipolygons, collinear and repeated vertices, self-intersecting bow-ties, zero area),
//! lines and points, the indexed distance and flags equal
//! geo's Euclidean distance to every feature, minimised.

use geo::{
    Contains, Coord, Distance, Euclidean, Geometry, LineString, MultiPolygon, Point, Polygon,
};
use greenreach::crs::PlaneScale;
use greenreach::engine::index::TierIndex;
use greenreach::engine::reach::{Reach, StraightLine};
use proptest::prelude::*;

/// A star-shaped (hence simple) ring around `c` with `n` vertices and radii in `[r0, r1]`,
/// counter-clockwise or clockwise, optionally with collinear midpoints and repeated vertices.
fn star(
    c: Coord,
    radii: &[f64],
    jitter: &[f64],
    collinear: bool,
    repeat: bool,
    cw: bool,
) -> LineString {
    let n = radii.len();
    let mut pts = Vec::new();
    for k in 0..n {
        let a = std::f64::consts::TAU * (k as f64 + 0.4 * jitter[k]) / n as f64;
        pts.push(Coord {
            x: c.x + radii[k] * a.cos(),
            y: c.y + radii[k] * a.sin(),
        });
    }
    let mut ring = Vec::new();
    for k in 0..n {
        let (p, q) = (pts[k], pts[(k + 1) % n]);
        ring.push(p);
        if repeat && k % 3 == 0 {
            ring.push(p);
        }
        if collinear && k % 2 == 0 {
            ring.push(Coord {
                x: (p.x + q.x) / 2.0,
                y: (p.y + q.y) / 2.0,
            });
        }
    }
    if cw {
        ring.reverse();
    }
    ring.push(ring[0]);
    LineString(ring)
}

#[derive(Debug, Clone)]
struct Shape {
    kind: u8,
    c: (f64, f64),
    radii: Vec<f64>,
    jitter: Vec<f64>,
    flags: (bool, bool, bool, bool),
    hole_cw: bool,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        0u8..6,
        (-2000.0..2000.0f64, -2000.0..2000.0f64),
        prop::collection::vec(100.0..400.0f64, 3..24),
        any::<(bool, bool, bool, bool, bool)>(),
    )
        .prop_flat_map(|(kind, c, radii, flags)| {
            let n = radii.len();
            (
                Just(kind),
                Just(c),
                Just(radii),
                prop::collection::vec(-1.0..1.0f64, n),
                Just(flags),
            )
        })
        .prop_map(
            |(kind, c, radii, jitter, (a, b, cw, hole, hole_cw))| Shape {
                kind,
                c,
                radii,
                jitter,
                flags: (a, b, cw, hole),
                hole_cw,
            },
        )
}

fn build(s: &Shape) -> Geometry<f64> {
    let c = Coord { x: s.c.0, y: s.c.1 };
    let (collinear, repeat, cw, hole) = s.flags;
    let outer = star(c, &s.radii, &s.jitter, collinear, repeat, cw);
    // A hole well inside the largest circle around the centre that the star holds (the
    // distance from the centre to the ring: a jittered triangle's edge can pass far closer
    // to the centre than its smallest radius). A hole poking out of its shell is an invalid
    // polygon, where winding-number and even-odd "inside" legitimately differ. With three
    // jittered vertices the centre can even lie outside the triangle: then no hole.
    let centre_inside = Polygon::new(outer.clone(), vec![]).contains(&Point(c));
    let inner = Euclidean.distance(&Point(c), &outer);
    let hole = hole && centre_inside;
    let max_r = s.radii.iter().cloned().fold(0.0, f64::max);
    let hole_ring = || {
        let hr: Vec<f64> = s
            .radii
            .iter()
            .map(|r| 0.6 * inner * (0.5 + r / 800.0) / (0.5 + max_r / 800.0))
            .collect();
        // Hole winding drawn independently: files often break the right-hand rule.
        star(c, &hr, &s.jitter, false, false, s.hole_cw)
    };
    match s.kind {
        0 => Geometry::Polygon(Polygon::new(
            outer,
            if hole { vec![hole_ring()] } else { vec![] },
        )),
        1 => {
            let far = Coord {
                x: c.x + 1500.0,
                y: c.y - 700.0,
            };
            let second = star(far, &s.radii, &s.jitter, !collinear, repeat, !cw);
            Geometry::MultiPolygon(MultiPolygon(vec![
                Polygon::new(outer, if hole { vec![hole_ring()] } else { vec![] }),
                Polygon::new(second, vec![]),
            ]))
        }
        2 => {
            let mut line = outer;
            line.0.pop();
            Geometry::LineString(line)
        }
        3 => Geometry::Point(Point(c)),
        4 => {
            // A self-intersecting "bow-tie": evaluated as given (inside where the ring winds).
            let r = s.radii[0];
            let ring = vec![
                Coord {
                    x: c.x - r,
                    y: c.y - r,
                },
                Coord {
                    x: c.x + r,
                    y: c.y + r,
                },
                Coord {
                    x: c.x + r,
                    y: c.y - r,
                },
                Coord {
                    x: c.x - r,
                    y: c.y + r,
                },
                Coord {
                    x: c.x - r,
                    y: c.y - r,
                },
            ];
            Geometry::Polygon(Polygon::new(LineString(ring), vec![]))
        }
        _ => {
            // A zero-area polygon: every vertex on one line.
            let ring: Vec<Coord> = (0..4)
                .map(|k| Coord {
                    x: c.x + 50.0 * k as f64,
                    y: c.y + 20.0 * k as f64,
                })
                .chain(std::iter::once(c))
                .collect();
            Geometry::Polygon(Polygon::new(LineString(ring), vec![]))
        }
    }
}

fn brute(features: &[Geometry<f64>], p: Coord) -> f64 {
    features
        .iter()
        .map(|g| Euclidean.distance(g, &Point(p)))
        .fold(f64::INFINITY, f64::min)
}

/// One index per radius over the features that serve it.
fn radius_groups(
    features: &[(Geometry<f64>, f64)],
    radii: &[f64],
) -> Vec<greenreach::engine::reach::RadiusGroup> {
    radius_groups_in(features, radii, None)
}

/// The polygon lookup and boundary segments of every feature, for indexes sharing them.
type Shared<'a> = (
    std::sync::Arc<greenreach::engine::lookup::PolygonLookup>,
    greenreach::engine::index::SharedSegments<'a>,
);

/// [`radius_groups`], their polygons and boundaries taken from `shared` (built over the same
/// geometries, in the same order) when given.
fn radius_groups_in(
    features: &[(Geometry<f64>, f64)],
    radii: &[f64],
    shared: Option<&Shared<'_>>,
) -> Vec<greenreach::engine::reach::RadiusGroup> {
    radii
        .iter()
        .map(|&radius_m| {
            let serving = features
                .iter()
                .enumerate()
                .filter(|(_, (_, r))| *r == radius_m)
                .map(|(i, (g, _))| (i as u32, g));
            greenreach::engine::reach::RadiusGroup {
                radius_m,
                index: match shared {
                    Some((areas, segments)) => {
                        let mut members = vec![false; features.len()];
                        for (i, _) in serving {
                            members[i as usize] = true;
                        }
                        TierIndex::build_sharing(members, areas, segments)
                    }
                    None => TierIndex::build(serving),
                },
            }
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn index_matches_brute_force(
        shapes in prop::collection::vec(shape(), 1..12),
        points in prop::collection::vec((-3000.0..3000.0f64, -3000.0..3000.0f64), 1..40),
        near in prop::collection::vec((-120.0..120.0f64, -120.0..120.0f64), 1..5),
        radius in 0.0..800.0f64,
    ) {
        let features: Vec<Geometry<f64>> = shapes.iter().map(build).collect();
        let idx = TierIndex::build(features.iter().enumerate().map(|(i, g)| (i as u32, g)));
        let reach = StraightLine::single_radius(vec![(radius, idx)], PlaneScale::unit());
        // Uniform points, plus points near each shape's centre: holes, interiors, overlaps.
        let centred = shapes
            .iter()
            .flat_map(|s| near.iter().map(move |&(dx, dy)| (s.c.0 + dx, s.c.1 + dy)));
        for (x, y) in points.iter().copied().chain(centred) {
            let p = Coord { x, y };
            let want = brute(&features, p);
            let a = reach.assess(0, p, 1e9);
            let hit = a.nearest.expect("a feature always exists within 1e9 m");
            prop_assert!(close(hit.distance_m, want), "p={p:?} index {} brute {want}", hit.distance_m);
            // The named feature really is at that distance.
            let own = Euclidean.distance(&features[hit.feature as usize], &Point(p));
            prop_assert!(close(own, want), "feature {} is at {own}, nearest is {want}", hit.feature);
            if !close(want, radius) {
                prop_assert_eq!(a.ok, want <= radius, "p={:?} d={} r={}", p, want, radius);
                prop_assert_eq!(reach.within(0, p), want <= radius);
            }
            prop_assert_eq!(reach.within(0, p), a.ok, "within and assess agree");
        }
    }

    #[test]
    fn search_limit_is_respected(
        shapes in prop::collection::vec(shape(), 1..6),
        (x, y) in (-6000.0..6000.0f64, -6000.0..6000.0f64),
        limit in 1.0..3000.0f64,
    ) {
        let features: Vec<Geometry<f64>> = shapes.iter().map(build).collect();
        let idx = TierIndex::build(features.iter().enumerate().map(|(i, g)| (i as u32, g)));
        let reach = StraightLine::single_radius(vec![(1.0, idx)], PlaneScale::unit());
        let want = brute(&features, Coord { x, y });
        let a = reach.assess(0, Coord { x, y }, limit);
        if !close(want, limit) {
            prop_assert_eq!(a.nearest.is_some(), want <= limit);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Size classes: features serve different radii. A point meets the tier when some feature
    /// is within its own radius; the reported feature is the one that misses by the least.
    #[test]
    fn radius_groups_match_brute_force(
        shapes in prop::collection::vec((shape(), 0usize..3), 1..10),
        points in prop::collection::vec((-3000.0..3000.0f64, -3000.0..3000.0f64), 1..30),
    ) {
        let radii = [200.0, 500.0, 900.0];
        let features: Vec<(Geometry<f64>, f64)> =
            shapes.iter().map(|(s, r)| (build(s), radii[*r])).collect();
        let reach = StraightLine::new(vec![radius_groups(&features, &radii)], PlaneScale::unit());
        for &(x, y) in &points {
            let p = Point::new(x, y);
            let margins: Vec<f64> = features
                .iter()
                .map(|(g, r)| Euclidean.distance(g, &p) - r)
                .collect();
            let best = margins.iter().cloned().fold(f64::INFINITY, f64::min);
            let a = reach.assess(0, p.0, 1e9);
            let hit = a.nearest.unwrap();
            prop_assert!(close(hit.distance_m - hit.radius_m, best), "margin {} vs {best}", hit.distance_m - hit.radius_m);
            if best.abs() > 1e-9 {
                prop_assert_eq!(a.ok, best <= 0.0);
            }
            prop_assert_eq!(reach.within(0, p.0), a.ok);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// The batched search (runs of nearby points sharing one tree query) gives exactly the
    /// per-point answer: same distance to the bit, same feature, same flag, for clustered and
    /// scattered points, repeated features (exact ties), tight limits, size classes and a
    /// plane with a point scale.
    #[test]
    fn batch_equals_point_by_point(
        shapes in prop::collection::vec((shape(), 0usize..3, any::<bool>()), 1..10),
        clusters in prop::collection::vec(
            ((-4000.0..4000.0f64, -4000.0..4000.0f64), 0.0..400.0f64, 1usize..90),
            1..5,
        ),
        jitter in prop::collection::vec((-1.0..1.0f64, -1.0..1.0f64), 90),
        limit in prop_oneof![Just(1e9), 0.0..1500.0f64],
        scaled in any::<bool>(),
    ) {
        use greenreach::engine::reach::Assessment;
        let radii = [200.0, 500.0, 900.0];
        let mut features: Vec<(Geometry<f64>, f64)> = Vec::new();
        for (s, r, twice) in &shapes {
            features.push((build(s), radii[*r]));
            if *twice {
                features.push((build(s), radii[*r]));
            }
        }
        let scale = if scaled {
            greenreach::crs::LocalPlane::at(106.5, 29.5).unwrap().scale()
        } else {
            PlaneScale::unit()
        };
        // Tier 0 with size classes, tier 1 with every feature at one radius.
        let one_radius: Vec<_> = features.iter().map(|(g, _)| (g.clone(), 500.0)).collect();
        let reach = StraightLine::new(
            vec![radius_groups(&features, &radii), radius_groups(&one_radius, &[500.0])],
            scale,
        );
        // Points in clusters, one after another (as Z-order hands them over), some far
        // from their cluster so that runs break.
        let mut points = Vec::new();
        for ((cx, cy), spread, n) in &clusters {
            for (dx, dy) in jitter.iter().take(*n) {
                points.push(Coord { x: cx + dx * spread, y: cy + dy * spread });
            }
        }
        // The same tiers with one polygon lookup shared by every group (containment found
        // once per point for all tiers), each tier taking a subset of the features.
        let all = || features.iter().enumerate().map(|(i, (g, _))| (i as u32, g));
        let shared = (TierIndex::shared_areas(all()), TierIndex::shared_segments(all()));
        let sharing = StraightLine::new(
            vec![
                radius_groups_in(&features, &radii, Some(&shared)),
                radius_groups_in(&one_radius, &[500.0], Some(&shared)),
            ],
            scale,
        );
        let mut all_tiers: Vec<Vec<Assessment>> = vec![Vec::new(); 2];
        sharing.assess_tiers(&points, limit, &mut all_tiers);
        let mut batch: Vec<Assessment> = Vec::new();
        for (tier, shared_answers) in all_tiers.iter().enumerate() {
            reach.assess_batch(tier, &points, limit, &mut batch);
            prop_assert_eq!(batch.len(), points.len());
            prop_assert_eq!(shared_answers, &batch, "shared lookup, tier {}", tier);
            for (p, b) in points.iter().zip(&batch) {
                let one = reach.assess(tier, *p, limit);
                prop_assert_eq!(*b, one, "tier {} point {:?}", tier, p);
                prop_assert_eq!(sharing.assess(tier, *p, limit), one, "shared, one point");
            }
        }
    }
}
