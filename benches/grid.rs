//! Grid benchmarks on the synthetic city (`src/synth.rs`, 3920 polygons, 20 × 20 km):
//! index build, the tiled flags path and the per-point path on the same 1M-point 20 m grid.

/// The binary's synthetic-city generator (not part of the library).
#[allow(dead_code, unused_imports)]
#[path = "../src/synth.rs"]
mod synth;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::{Coord, Geometry, Rect};
use greenreach::crs::PlaneScale;
use greenreach::engine::coverage::{Detail, EvalSettings, evaluate};
use greenreach::engine::grid::{self, AreaMask, GridSpec};
use greenreach::engine::reach::StraightLine;
use greenreach::run::green::{GreenFeature, GreenSpaces};
use greenreach::standard::presets;

fn city() -> GreenSpaces {
    let standard = presets::jiangbei();
    let features = synth::city(20240611, 3000, 800, 120)
        .into_iter()
        .enumerate()
        .map(|(i, (cat, p))| GreenFeature {
            label: i.to_string(),
            category: standard
                .category_index(cat)
                .expect("jiangbei names the kit's categories"),
            area_m2: geo::Area::unsigned_area(&p),
            reason: format!("category={cat}"),
            geometry: Geometry::Polygon(p),
        })
        .collect();
    GreenSpaces {
        features,
        ..Default::default()
    }
}

fn grids(c: &mut Criterion) {
    let standard = presets::jiangbei();
    let green = city();
    let extent = Rect::new(
        Coord {
            x: synth::ORIGIN.0,
            y: synth::ORIGIN.1,
        },
        Coord {
            x: synth::ORIGIN.0 + synth::EXTENT_M,
            y: synth::ORIGIN.1 + synth::EXTENT_M,
        },
    );
    let mut g = c.benchmark_group("synth_index");
    g.sample_size(10);
    g.bench_function("build_3_tiers", |b| b.iter(|| green.tier_groups(&standard)));
    g.finish();

    let reach = StraightLine::new(green.tier_groups(&standard), PlaneScale::unit());
    let spec = GridSpec::over(20.0, extent).unwrap();
    let mask = AreaMask::new(None);
    let mut g = c.benchmark_group("synth_grid_20m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(spec.nx * spec.ny));
    g.bench_function("tiled_flags", |b| {
        b.iter(|| grid::tally_flags(&spec, &mask, &reach, &|_| {}))
    });
    let pts = grid::points(&spec, &mask);
    let flags = EvalSettings {
        limit_m: 5000.0,
        detail: Detail::Flags,
    };
    g.bench_function("per_point_flags", |b| {
        b.iter(|| evaluate(&reach, &pts.xy, &flags, &|_| {}))
    });
    g.finish();
}

criterion_group!(benches, grids);
criterion_main!(benches);
