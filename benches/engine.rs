//! Engine benchmarks on the shipped Liechtenstein data: index build, per-point evaluation of
//! the buildings (flags and distances), and a 50 m grid over the country (flags).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use geo::MultiPolygon;
use greenreach::crs::{LocalPlane, LonLatBox};
use greenreach::engine::coverage::{Detail, EvalSettings, evaluate};
use greenreach::engine::grid;
use greenreach::engine::lookup::areal;
use greenreach::engine::reach::StraightLine;
use greenreach::io::input::{ReadOptions, read_layer};
use greenreach::run::demand;
use greenreach::run::green::GreenSpaces;
use greenreach::standard::presets;

fn layer(name: &str) -> greenreach::io::input::Layer {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("geodata/liechtenstein")
        .join(name);
    read_layer(&path, ReadOptions::default()).expect("shipped data reads")
}

fn engine(c: &mut Criterion) {
    let standard = presets::jiangbei();
    let green_layers = vec![layer("green_areas.geojson"), layer("green_points.geojson")];
    let buildings = layer("buildings.geojson");
    let admin = layer("admin_boundaries.geojson");
    let mut bbox = LonLatBox::empty();
    for l in green_layers.iter().chain([&buildings]) {
        l.include_in(&mut bbox);
    }
    let plane = LocalPlane::centred_on(&bbox).unwrap();
    let green = GreenSpaces::classify(&green_layers, &standard, &plane).unwrap();
    let homes = demand::from_layer(
        &buildings,
        &plane,
        greenreach::standard::homes::HomeFilter::All,
    )
    .unwrap();
    let country: Vec<MultiPolygon<f64>> = admin
        .features
        .iter()
        .filter(|f| f.properties.get("admin_level").and_then(|v| v.as_str()) == Some("2"))
        .map(|f| areal(&plane.project(&f.geometry).unwrap()).expect("the country is a polygon"))
        .collect();
    let extent = geo::BoundingRect::bounding_rect(&country[0]).unwrap();
    let grid = grid::points(
        &grid::GridSpec::over(50.0, extent).unwrap(),
        &grid::AreaMask::new(Some(&country)),
    );
    let reach = StraightLine::new(green.tier_groups(&standard), plane.scale());
    let settings = |detail| EvalSettings {
        limit_m: 5000.0,
        detail,
    };

    let mut g = c.benchmark_group("index");
    g.bench_function("build_liechtenstein_3_tiers", |b| {
        b.iter(|| green.tier_groups(&standard))
    });
    g.finish();

    let mut g = c.benchmark_group("buildings_8994");
    g.throughput(Throughput::Elements(homes.len() as u64));
    for (name, detail) in [("flags", Detail::Flags), ("distances", Detail::Distances)] {
        let s = settings(detail);
        g.bench_function(name, |b| {
            b.iter(|| evaluate(&reach, &homes.xy, &s, &|_| {}))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("grid_50m");
    g.sample_size(20);
    g.throughput(Throughput::Elements(grid.len() as u64));
    let s = settings(Detail::Flags);
    g.bench_function("flags", |b| {
        b.iter(|| evaluate(&reach, &grid.xy, &s, &|_| {}))
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
