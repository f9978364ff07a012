//! The tiled grid path is exact: on random scenes (several radius groups, a plane scale that
//! is not 1, random area polygons) its counts equal those of evaluating every point.

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon, Rect};
use greenreach::crs::LocalPlane;
use greenreach::engine::coverage::{Detail, EvalSettings, evaluate};
use greenreach::engine::grid::{self, AreaMask, GridSpec};
use greenreach::engine::index::TierIndex;
use greenreach::engine::reach::{RadiusGroup, StraightLine};
use proptest::prelude::*;

fn blob(c: (f64, f64), r: f64, n: usize) -> Polygon<f64> {
    let ring: Vec<Coord> = (0..=n)
        .map(|k| {
            let a = std::f64::consts::TAU * (k % n) as f64 / n as f64;
            let rr = r * (1.0 + 0.3 * (3.0 * a).sin());
            Coord {
                x: c.0 + rr * a.cos(),
                y: c.1 + rr * a.sin(),
            }
        })
        .collect();
    Polygon::new(LineString(ring), vec![])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tiled_counts_equal_per_point_counts(
        parks in prop::collection::vec(((0.0..6000.0f64, 0.0..6000.0f64), 20.0..600.0f64, 0usize..3), 1..12),
        points in prop::collection::vec((0.0..6000.0f64, 0.0..6000.0f64), 0..6),
        area in prop::option::of(((1000.0..3000.0f64, 1000.0..3000.0f64), 800.0..2500.0f64)),
        spacing in 23.0..80.0f64,
        offset_km in -90.0..90.0f64,
    ) {
        // Two tiers: one with three radius groups (size classes), one with a single radius.
        let radii = [150.0, 300.0, 700.0];
        let geoms: Vec<(Geometry<f64>, usize)> = parks
            .iter()
            .map(|&(c, r, g)| (Geometry::Polygon(blob((c.0 + offset_km * 1000.0, c.1), r, 12)), g))
            .chain(points.iter().map(|&(x, y)| (Geometry::Point(Point::new(x + offset_km * 1000.0, y)), 1)))
            .collect();
        let groups = radii
            .iter()
            .enumerate()
            .map(|(g, &radius_m)| RadiusGroup {
                radius_m,
                index: TierIndex::build(geoms.iter().enumerate().filter(|(_, (_, k))| *k == g).map(|(i, (geo, _))| (i as u32, geo))),
            })
            .collect();
        let single = vec![RadiusGroup {
            radius_m: 450.0,
            index: TierIndex::build(geoms.iter().enumerate().map(|(i, (geo, _))| (i as u32, geo))),
        }];
        let plane = LocalPlane::at(106.5, 29.5).unwrap();
        let reach = StraightLine::new(vec![groups, single], plane.scale());
        let extent = Rect::new(Coord { x: offset_km * 1000.0, y: 0.0 }, Coord { x: offset_km * 1000.0 + 6000.0, y: 6000.0 });
        let spec = GridSpec::over(spacing, extent).unwrap();
        let areas = area.map(|(c, r)| vec![MultiPolygon(vec![blob((c.0 + offset_km * 1000.0, c.1), r, 40)])]);
        let mask = AreaMask::new(areas.as_deref());
        let tally = grid::tally_flags(&spec, &mask, &reach, &|_| {});
        let pts = grid::points(&spec, &mask);
        let cov = evaluate(&reach, &pts.xy, &EvalSettings { limit_m: 5000.0, detail: Detail::Flags }, &|_| {});
        prop_assert_eq!(tally.total, pts.len());
        prop_assert_eq!(tally, cov.tally());
    }
}
