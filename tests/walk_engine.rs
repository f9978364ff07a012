//! The walking engine: hand cases of the issue, a brute-force oracle on random networks, and
//! the invariants (walk ≥ straight line, removing a way never shortens, adding one never
//! lengthens, the same answers at 1 and 4 threads).

use geo::{Contains, Coord, Geometry, Point, Rect};
use greenreach::crs::PlaneScale;
use greenreach::engine::coverage::Detail;
use greenreach::engine::index::TierIndex;
use greenreach::engine::reach::{RadiusGroup, Reach, StraightLine};
use greenreach::engine::walk::network::flag;
use greenreach::engine::walk::search::{Source, multi_source};
use greenreach::engine::walk::{
    NetworkInput, NetworkWay, TaggedNode, WalkError, WalkNetwork, WalkReach, build,
};
use proptest::prelude::*;

fn c(x: f64, y: f64) -> Coord {
    Coord { x, y }
}

fn way(id: &str, tags: &[(&str, &str)], pts: &[(f64, f64)]) -> NetworkWay {
    NetworkWay {
        id: id.into(),
        tags: tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        coords: pts.iter().map(|&(x, y)| c(x, y)).collect(),
        node_ids: None,
    }
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Geometry<f64> {
    Geometry::Polygon(Rect::new(c(x0, y0), c(x1, y1)).to_polygon())
}

const FOOT: &[(&str, &str)] = &[("highway", "footway")];
const STREET: &[(&str, &str)] = &[("highway", "residential")];

/// The green features numbered by position.
fn numbered(green: &[Geometry<f64>]) -> Vec<(u32, &Geometry<f64>)> {
    green
        .iter()
        .enumerate()
        .map(|(i, g)| (i as u32, g))
        .collect()
}

/// The walking graph of `ways` on the unit plane, `numbered` entered.
fn network(
    ways: &[NetworkWay],
    tagged: &[TaggedNode],
    numbered: &[(u32, &Geometry<f64>)],
    snap_m: f64,
) -> Result<WalkNetwork, WalkError> {
    build(&NetworkInput {
        ways,
        tagged,
        given_entrances: &[],
        green: numbered,
        scale: PlaneScale::unit(),
        snap_m,
        walk_trunk: false,
    })
}

/// A one-tier walking metric: feature `i` of `green` serves `radii[i]`.
fn metric(
    ways: &[NetworkWay],
    tagged: &[TaggedNode],
    green: &[Geometry<f64>],
    radii: &[f64],
    snap_m: f64,
) -> Result<WalkReach, WalkError> {
    let numbered = numbered(green);
    let net = network(ways, tagged, &numbered, snap_m)?;
    let mut distinct: Vec<f64> = radii.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let groups = distinct
        .iter()
        .map(|&r| RadiusGroup {
            radius_m: r,
            index: TierIndex::build(
                numbered
                    .iter()
                    .filter(|(i, _)| radii[*i as usize] == r)
                    .copied(),
            ),
        })
        .collect();
    let straight = StraightLine::new(vec![groups], PlaneScale::unit());
    Ok(WalkReach::new(
        net,
        straight,
        vec![radii.to_vec()],
        5000.0,
        snap_m,
        PlaneScale::unit(),
    ))
}

/// [`metric`] with two tiers over one polygon lookup shared by both (as the command line
/// builds them): tier 0 served by every feature at its radius in `radii`, tier 1 by the
/// features of even number at 300 m; a square over the middle of the city overlaps others,
/// and a large one 2 km away has no way near it.
fn metric_shared(city: &City) -> WalkReach {
    let mut green = city.green.clone();
    green.push(square(150., 150., 350., 350.));
    green.push(square(2000., 2000., 4000., 4000.));
    let mut radii = city.radii.clone();
    radii.extend([600., 600.]);
    let numbered = numbered(&green);
    let net = network(&city.ways, &[], &numbered, 150.).unwrap();
    let areas = TierIndex::shared_areas(numbered.iter().copied());
    let segments = TierIndex::shared_segments(numbered.iter().copied());
    let tier1: Vec<f64> = (0..green.len())
        .map(|i| if i % 2 == 0 { 300. } else { f64::NAN })
        .collect();
    let radius = vec![radii, tier1];
    let tiers = radius
        .iter()
        .map(|per| {
            let mut distinct: Vec<f64> = per.iter().copied().filter(|r| r.is_finite()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            distinct
                .iter()
                .map(|&r| RadiusGroup {
                    radius_m: r,
                    index: TierIndex::build_sharing(
                        per.iter().map(|&x| x == r).collect(),
                        &areas,
                        &segments,
                    ),
                })
                .collect()
        })
        .collect();
    let straight = StraightLine::new(tiers, PlaneScale::unit());
    WalkReach::new(net, straight, radius, 5000.0, 150., PlaneScale::unit())
}

fn walk_m(m: &WalkReach, p: Coord) -> Option<f64> {
    m.assess(0, p, 5000.0).nearest.map(|h| h.distance_m)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn park_across_a_river_is_reached_by_the_bridge_1_km_away() {
    // River along y = 50: only the bridge at x = 1000 crosses it.
    let ways = vec![
        way("south", STREET, &[(-100., 0.), (0., 0.), (1000., 0.)]),
        way(
            "bridge",
            &[("highway", "footway"), ("bridge", "yes")],
            &[(1000., 0.), (1000., 100.)],
        ),
        way("north", STREET, &[(1000., 100.), (0., 100.)]),
        way("park path", FOOT, &[(0., 100.), (0., 150.)]),
    ];
    let park = square(-50., 110., 50., 200.);
    let m = metric(&ways, &[], &[park], &[2000.0], 150.0).unwrap();
    let home = c(0., -10.);
    let d = walk_m(&m, home).unwrap();
    assert!(close(d, 10. + 1000. + 100. + 1000. + 10.), "{d}");
    assert!(
        !m.assess(0, home, 5000.0).ok,
        "2120 m on foot: not within 2000 m"
    );
    assert!(m.straight().within(0, home), "120 m in a straight line");
}

#[test]
fn a_gate_is_the_only_way_in() {
    let street = way("street", STREET, &[(-200., -5.), (50., -5.), (300., -5.)]);
    let to_gate = way("to gate", FOOT, &[(50., -5.), (50., 0.)]);
    let park = square(0., 0., 100., 100.);
    let gate = TaggedNode {
        id: None,
        tags: vec![("barrier".into(), "gate".into())],
        xy: c(50., 0.),
    };
    let home = c(0., -20.);
    let m = metric(
        &[street.clone(), to_gate],
        &[gate],
        std::slice::from_ref(&park),
        &[300.],
        150.,
    )
    .unwrap();
    assert!(close(walk_m(&m, home).unwrap(), 15. + 50. + 5.));
    let (kinds, none) = m.network().entry_summary(1);
    assert_eq!(none, 0);
    assert_eq!(kinds.get("gate"), Some(&1));
    // Without gate or path: pseudo-entrances every 20 m, 5 m from the street.
    let m = metric(&[street], &[], &[park], &[300.], 150.).unwrap();
    assert!(close(walk_m(&m, home).unwrap(), 15. + 5.));
    assert_eq!(m.network().entry_summary(1).0.get("pseudo"), Some(&1));
}

#[test]
fn a_home_on_a_dead_end_walks_back() {
    let ways = vec![
        way("dead end", STREET, &[(0., 0.), (300., 0.)]),
        way("into park", FOOT, &[(0., 0.), (-30., 0.)]),
    ];
    let park = square(-100., -50., -20., 50.);
    let m = metric(&ways, &[], &[park], &[300.], 150.).unwrap();
    let d = walk_m(&m, c(310., 0.)).unwrap();
    assert!(close(d, 10. + 300. + 20.), "{d}");
    assert!(!m.assess(0, c(310., 0.), 5000.).ok);
    assert!(m.assess(0, c(250., 5.), 5000.).ok);
}

#[test]
fn a_home_beyond_the_snap_distance_has_no_network() {
    let ways = vec![way("s", STREET, &[(0., 0.), (100., 0.)])];
    let park = square(0., 10., 50., 50.);
    let m = metric(&ways, &[], &[park], &[300.], 150.).unwrap();
    let far = c(50., -151.);
    assert!(m.snap(far).is_none());
    let a = m.assess(0, far, 5000.);
    assert!(!a.ok && a.nearest.is_none());
    let w = m.evaluate(&[far, c(50., -149.)], Detail::Distances, 5000.);
    assert_eq!(w.no_network(), 1);
    assert!(w.coverage.tiers[0].distance_m[0].is_nan());
    assert!(close(w.coverage.tiers[0].distance_m[1], 149. + 10.));
}

#[test]
fn oneway_is_ignored_but_oneway_foot_is_honoured() {
    // Home at (0,-10) on a street; the park is 100 m east along it.
    let park = square(100., -20., 150., 20.);
    let home = c(0., -10.);
    let tagged = |extra: (&str, &str)| {
        vec![way(
            "s",
            &[("highway", "residential"), extra],
            &[(0., 0.), (200., 0.)],
        )]
    };
    // oneway=yes drawn against the walk: ignored.
    let rev = |mut w: Vec<NetworkWay>| {
        w[0].coords.reverse();
        w
    };
    let m = metric(
        &rev(tagged(("oneway", "yes"))),
        &[],
        std::slice::from_ref(&park),
        &[300.],
        150.,
    )
    .unwrap();
    assert!(close(walk_m(&m, home).unwrap(), 110.));
    // oneway:foot=yes drawn against the walk: no way there along it.
    let m = metric(
        &rev(tagged(("oneway:foot", "yes"))),
        &[],
        std::slice::from_ref(&park),
        &[300.],
        150.,
    )
    .unwrap();
    assert_eq!(walk_m(&m, home), None);
    // ... and drawn with the walk, fine.
    let m = metric(&tagged(("oneway:foot", "yes")), &[], &[park], &[300.], 150.).unwrap();
    assert!(close(walk_m(&m, home).unwrap(), 110.));
}

#[test]
fn a_footbridge_over_a_motorway() {
    let ways = vec![
        way(
            "motorway",
            &[("highway", "motorway")],
            &[(-500., 50.), (500., 50.)],
        ),
        way(
            "south",
            STREET,
            &[(-300., 0.), (0., 0.), (200., 0.), (300., 0.)],
        ),
        way(
            "north",
            STREET,
            &[(-300., 100.), (0., 100.), (200., 100.), (300., 100.)],
        ),
        way(
            "footbridge",
            &[("highway", "footway"), ("bridge", "yes")],
            &[(200., 0.), (200., 100.)],
        ),
        // A street under the footbridge shares no vertex with it.
        way("under", STREET, &[(150., 30.), (250., 30.)]),
        way("park path", FOOT, &[(0., 100.), (0., 130.)]),
    ];
    let park = square(-50., 120., 50., 200.);
    let m = metric(&ways, &[], &[park], &[1000.], 150.).unwrap();
    let d = walk_m(&m, c(0., -10.)).unwrap();
    assert!(close(d, 10. + 200. + 100. + 200. + 20.), "{d}");
    // From the street under the bridge: it does not connect.
    assert_eq!(walk_m(&m, c(200., 32.)), None);
}

#[test]
fn a_home_inside_the_park_is_at_zero() {
    let ways = vec![way("s", STREET, &[(-100., -20.), (100., -20.)])];
    let park = square(-50., 0., 50., 50.);
    let m = metric(&ways, &[], &[park], &[300.], 150.).unwrap();
    let a = m.assess(0, c(0., 25.), 5000.);
    assert!(a.ok);
    assert_eq!(a.nearest.unwrap().distance_m, 0.0);
}

#[test]
fn a_home_never_snaps_to_a_small_piece_when_a_large_one_is_near() {
    let mut ways = vec![way("island", FOOT, &[(0., 5.), (10., 5.)])];
    let pts: Vec<(f64, f64)> = (0..=30).map(|i| (-150. + 10. * i as f64, -20.)).collect();
    ways.push(way("main", STREET, &pts));
    let park = square(-200., -40., -160., 0.);
    let m = metric(&ways, &[], &[park], &[300.], 150.).unwrap();
    let s = m.snap(c(5., 0.)).unwrap();
    assert!(s.moved_off_small_piece);
    assert!(close(s.gap_m, 20.));
}

/// A playground point 5 m from a one-edge path and 65 m from the street snaps to the street,
/// as a home would: the home beside the street reaches it on foot.
#[test]
fn a_point_feature_never_snaps_to_a_small_piece_when_a_large_one_is_near() {
    let pts: Vec<(f64, f64)> = (0..=25).map(|i| (20. * i as f64, 0.)).collect();
    let ways = vec![
        way("street", STREET, &pts),
        way("island", FOOT, &[(180., 60.), (230., 60.)]),
    ];
    let playground = Geometry::Point(Point::new(205., 65.));
    let m = metric(&ways, &[], &[playground], &[300.], 150.).unwrap();
    let d = walk_m(&m, c(205., -10.)).unwrap();
    assert!(close(d, 10. + 65.), "{d}");
    assert!(m.assess(0, c(205., -10.), 5000.).ok);
    // With no large piece within reach, it stays on the small one.
    let far: Vec<(f64, f64)> = (0..=25).map(|i| (20. * i as f64, -200.)).collect();
    let ways = vec![
        way("street", STREET, &far),
        way("island", FOOT, &[(180., 60.), (230., 60.)]),
    ];
    let playground = Geometry::Point(Point::new(205., 65.));
    let m = metric(&ways, &[], &[playground], &[300.], 150.).unwrap();
    assert!(walk_m(&m, c(205., 55.)).is_some_and(|d| close(d, 5. + 5.)));
    assert!(!m.assess(0, c(205., -210.), 5000.).ok);
}

/// `--entrances` points: one 5 m outside a park with no way into it enters it there; one
/// 40 m from every boundary and one with no way within 30 m enter nothing, and are listed.
#[test]
fn given_entrances_enter_a_park_or_are_listed_as_unused() {
    let ways = vec![
        way("street", STREET, &[(0., 0.), (400., 0.)]),
        way("far", STREET, &[(0., 500.), (400., 500.)]),
    ];
    let park = square(100., 20., 200., 100.);
    let meadow = square(100., 200., 200., 400.);
    let given = [c(150., 15.), c(150., 140.), c(150., 405.)];
    let green = [park, meadow];
    let numbered = numbered(&green);
    let net = build(&NetworkInput {
        ways: &ways,
        tagged: &[],
        given_entrances: &given,
        green: &numbered,
        scale: PlaneScale::unit(),
        snap_m: 150.,
        walk_trunk: false,
    })
    .unwrap();
    // Point 2 lies 5 m from the meadow, but the nearest way is 95 m away.
    assert_eq!(net.given_unused, vec![1, 2]);
    let (kinds, none) = net.entry_summary(2);
    // The park by its given gate; the meadow has no way within 30 m of its boundary.
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), vec![("gate", 1)]);
    assert_eq!(none, 1);
    let gate = net.entrances.iter().find(|e| e.feature == 0).unwrap();
    assert!(close(gate.offset_m, 15. + 5.), "{}", gate.offset_m);
}

#[test]
fn no_walkable_way_is_an_error() {
    let ways = vec![
        way("m", &[("highway", "motorway")], &[(0., 0.), (1., 1.)]),
        way("r", &[("railway", "rail")], &[(0., 0.), (1., 2.)]),
    ];
    let e = metric(&ways, &[], &[], &[300.], 150.).unwrap_err();
    assert_eq!(e, WalkError::NoWalkableWay { ways: 2 });
}

// ---------------------------------------------------------------------------------------
// Random networks.

#[derive(Debug, Clone)]
struct City {
    ways: Vec<NetworkWay>,
    green: Vec<Geometry<f64>>,
    radii: Vec<f64>,
    homes: Vec<Coord>,
}

const KINDS: &[&[(&str, &str)]] = &[
    &[("highway", "residential")],
    &[("highway", "footway")],
    &[("highway", "steps")],
    &[("highway", "footway"), ("bridge", "yes")],
    &[("highway", "path"), ("oneway:foot", "yes")],
    &[("highway", "service"), ("tunnel", "yes")],
];

/// A jittered 6 × 6 lattice of 100 m, with random links, kinds, diagonals (which cross other
/// ways without joining them), squares and points as green, and homes.
fn city() -> impl Strategy<Value = City> {
    (
        prop::collection::vec((-20.0..20.0f64, -20.0..20.0f64), 36),
        prop::collection::vec((0..4u8, 0..KINDS.len()), 60),
        prop::collection::vec(
            (
                0.0..500.0f64,
                0.0..500.0f64,
                10.0..120.0f64,
                0..3usize,
                any::<bool>(),
            ),
            1..6,
        ),
        prop::collection::vec((-60.0..560.0f64, -60.0..560.0f64), 1..40),
    )
        .prop_map(|(jit, links, greens, homes)| {
            let at = |i: usize, j: usize| {
                let (dx, dy) = jit[i * 6 + j];
                (i as f64 * 100. + dx, j as f64 * 100. + dy)
            };
            let mut ways = Vec::new();
            for (k, &(choice, kind)) in links.iter().enumerate() {
                let (i, j) = (k % 6, (k / 6) % 6);
                let (a, b) = match choice {
                    0 if i < 5 => (at(i, j), at(i + 1, j)),
                    1 if j < 5 => (at(i, j), at(i, j + 1)),
                    2 if i < 5 && j < 5 => (at(i, j), at(i + 1, j + 1)),
                    _ => continue,
                };
                let mid = ((a.0 + b.0) / 2.0 + 3.0, (a.1 + b.1) / 2.0);
                ways.push(way(&format!("w{k}"), KINDS[kind], &[a, mid, b]));
            }
            if ways.is_empty() {
                ways.push(way("w", STREET, &[at(0, 0), at(5, 5)]));
            }
            let mut green = Vec::new();
            let mut radii = Vec::new();
            for &(x, y, s, r, is_point) in &greens {
                green.push(if is_point {
                    Geometry::Point(Point::new(x, y))
                } else {
                    square(x, y, x + s, y + s * 0.7)
                });
                radii.push([150.0, 300.0, 600.0][r]);
            }
            City {
                ways,
                green,
                radii,
                homes: homes.into_iter().map(|(x, y)| c(x, y)).collect(),
            }
        })
}

/// Brute force over the built network: per feature, Bellman-Ford from its entrances over the
/// walkable arcs; per home, its two edge ends, plus 0 inside a polygon; the best by shortfall,
/// then distance, then feature number.
fn oracle(m: &WalkReach, city: &City, p: Coord) -> (bool, Option<(f64, u32)>) {
    let net: &WalkNetwork = m.network();
    let n = net.node_count();
    let snap = m.snap(p);
    let mut best: Option<(f64, f64, u32)> = None;
    for (f, g) in city.green.iter().enumerate() {
        let r = city.radii[f];
        let mut d = vec![f64::INFINITY; n];
        for e in net.entrances.iter().filter(|e| e.feature == f as u32) {
            d[e.node as usize] = d[e.node as usize].min(e.offset_m);
        }
        loop {
            let mut changed = false;
            for e in 0..net.edge_count() {
                let (u, v, l) = (
                    net.edge_u[e] as usize,
                    net.edge_v[e] as usize,
                    net.edge_len[e],
                );
                if net.edge_flags[e] & flag::FORWARD != 0 && d[v] + l < d[u] {
                    d[u] = d[v] + l;
                    changed = true;
                }
                if net.edge_flags[e] & flag::BACKWARD != 0 && d[u] + l < d[v] {
                    d[v] = d[u] + l;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let mut w = f64::INFINITY;
        if let Some(s) = snap {
            let e = s.edge as usize;
            let (u, v, l) = (
                net.edge_u[e] as usize,
                net.edge_v[e] as usize,
                net.edge_len[e],
            );
            if net.edge_flags[e] & flag::BACKWARD != 0 {
                w = w.min(s.gap_m + s.t * l + d[u]);
            }
            if net.edge_flags[e] & flag::FORWARD != 0 {
                w = w.min(s.gap_m + (1.0 - s.t) * l + d[v]);
            }
            if let Geometry::Polygon(poly) = g
                && poly.contains(&Point(p))
            {
                w = 0.0;
            }
        }
        if w.is_finite() {
            let cand = (w - r, w, f as u32);
            if best.is_none_or(|b| cand < b) {
                best = Some(cand);
            }
        }
    }
    match best {
        None => (false, None),
        Some((short, w, f)) => (short <= 1e-9, Some((w, f))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn walking_distances_equal_brute_force(city in city()) {
        let m = metric(&city.ways, &[], &city.green, &city.radii, 150.).unwrap();
        for &p in &city.homes {
            let a = m.assess(0, p, 5000.);
            let (ok, best) = oracle(&m, &city, p);
            match (a.nearest, best) {
                (None, None) => {}
                (Some(h), Some((w, f))) => {
                    prop_assert!((h.distance_m - w).abs() < 1e-6, "{p:?}: {h:?} vs {w} {f}");
                    if a.ok != ok {
                        // Only a tie at the radius may differ by rounding.
                        prop_assert!((w - city.radii[f as usize]).abs() < 1e-6);
                    }
                    prop_assert!(h.feature == f || (h.distance_m - w).abs() < 1e-6);
                }
                (x, y) => prop_assert!(false, "{p:?}: {x:?} vs {y:?}"),
            }
        }
    }

    #[test]
    fn a_walk_is_never_shorter_than_the_straight_line(city in city()) {
        let m = metric(&city.ways, &[], &city.green, &city.radii, 150.).unwrap();
        for &p in &city.homes {
            if let Some(h) = m.assess(0, p, 5000.).nearest {
                let s = m.straight().assess(0, p, 1e9);
                let straight_to_same = straight_distance(&city.green[h.feature as usize], p);
                prop_assert!(h.distance_m >= straight_to_same - 0.01, "{p:?} {h:?} {s:?}");
                if m.assess(0, p, 5000.).ok {
                    prop_assert!(m.straight().within(0, p), "walking yes, straight no at {p:?}");
                }
            }
        }
    }

    #[test]
    fn straight_flags_beside_the_walk_equal_the_straight_line(city in city()) {
        // Flags settled by the walk where it is within reach with a margin, measured
        // elsewhere: the same as measuring every point.
        let m = metric(&city.ways, &[], &city.green, &city.radii, 150.).unwrap();
        let (walked, flags) = m.evaluate_beside(&city.homes, Detail::Distances, 5000., true);
        let flags = flags.unwrap();
        // (Compared as text: unreached distances are NaN.)
        let alone = m.evaluate(&city.homes, Detail::Distances, 5000.);
        prop_assert_eq!(format!("{walked:?}"), format!("{alone:?}"));
        for (i, &p) in city.homes.iter().enumerate() {
            prop_assert_eq!(flags.tiers[0].ok[i], m.straight().within(0, p), "{:?}", p);
        }
        prop_assert!(m.evaluate_beside(&city.homes, Detail::Flags, 5000., false).1.is_none());
    }

    #[test]
    fn one_polygon_lookup_for_all_tiers_gives_each_tiers_answers(city in city()) {
        // The bulk path finds the polygons holding a point once for all tiers; point by
        // point, each tier looks its own up. Overlapping squares, and features that serve
        // one tier only.
        let m = metric_shared(&city);
        let mut homes = city.homes.clone();
        homes.extend([c(250., 250.), c(160., 160.), c(340., 200.), c(3000., 3000.)]);
        let (walked, flags) = m.evaluate_beside(&homes, Detail::Distances, 5000., true);
        let flags = flags.unwrap();
        for (i, &p) in homes.iter().enumerate() {
            for t in 0..2 {
                let a = m.assess(t, p, 5000.);
                let col = &walked.coverage.tiers[t];
                prop_assert_eq!(col.ok[i], a.ok, "tier {} at {:?}", t, p);
                let got = (col.nearest[i] != u32::MAX).then(|| (col.distance_m[i], col.nearest[i]));
                prop_assert_eq!(got, a.nearest.map(|h| (h.distance_m, h.feature)), "tier {} at {:?}", t, p);
                prop_assert_eq!(flags.tiers[t].ok[i], m.straight().within(t, p), "tier {} at {:?}", t, p);
            }
        }
    }

    #[test]
    fn removing_a_way_never_shortens_and_adding_never_lengthens(
        city in city(),
        drop in any::<prop::sample::Index>(),
        sources in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
    ) {
        let numbered: [(u32, &Geometry<f64>); 0] = [];
        let net_of = |ways: &[NetworkWay]| build(&NetworkInput {
            ways,
            tagged: &[],
            given_entrances: &[],
            green: &numbered,
            scale: PlaneScale::unit(),
            snap_m: 150.,
            walk_trunk: false,
        });
        let full = net_of(&city.ways).unwrap();
        let mut fewer = city.ways.clone();
        fewer.remove(drop.index(fewer.len()));
        let Ok(less) = net_of(&fewer) else { return Ok(()); };
        // Sources at nodes present in both networks, by position.
        let key = |c: Coord| (c.x.to_bits(), c.y.to_bits());
        let in_less: std::collections::HashMap<_, u32> =
            less.xy.iter().enumerate().map(|(i, &c)| (key(c), i as u32)).collect();
        let starts: Vec<Coord> = sources
            .iter()
            .map(|s| less.xy[s.index(less.node_count())])
            .collect();
        let src = |net: &WalkNetwork| -> Vec<Source> {
            let at: std::collections::HashMap<_, u32> =
                net.xy.iter().enumerate().map(|(i, &c)| (key(c), i as u32)).collect();
            starts
                .iter()
                .enumerate()
                .map(|(f, &c)| Source { node: at[&key(c)], key: 10.0 * f as f64, feature: f as u32 })
                .collect()
        };
        let lf = multi_source(&full.arcs, &src(&full), 1e9);
        let ll = multi_source(&less.arcs, &src(&less), 1e9);
        for (i, &c) in full.xy.iter().enumerate() {
            if let Some(&j) = in_less.get(&key(c)) {
                prop_assert!(ll.key(j as usize) >= lf.key(i) - 1e-9,
                    "removing a way shortened the walk from {c:?}");
            }
        }
    }

    #[test]
    fn one_thread_and_four_agree(city in city()) {
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
                let m = metric(&city.ways, &[], &city.green, &city.radii, 150.).unwrap();
                m.evaluate(&city.homes, Detail::Distances, 5000.)
            })
        };
        let (a, b) = (run(1), run(4));
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}

fn straight_distance(g: &Geometry<f64>, p: Coord) -> f64 {
    use geo::{Distance, Euclidean};
    Euclidean.distance(&Point(p), g)
}
