//! OSM PBF decoding: the shipped Liechtenstein extract (1.3 MB) and, when present, the
//! Helsinki and Kouvola sources in `../shared/data/`: everything a run can ask for (all areas,
//! highways with node ids, tagged nodes), and the green candidates of one standard alone.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use greenreach::io::osm::layers::{self, LayerChoice};
use greenreach::io::osm::{OsmWanted, TagFilter, read_pbf};
use greenreach::standard::presets;

fn files() -> Vec<(&'static str, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        (
            "liechtenstein",
            "geodata/liechtenstein/liechtenstein-latest.osm.pbf",
        ),
        (
            "helsinki",
            "../shared/data/helsinki/source/Helsinki.osm.pbf",
        ),
        ("kouvola", "../shared/data/kouvola/source/test.osm.pbf"),
    ]
    .into_iter()
    .map(|(n, p)| (n, root.join(p)))
    .filter(|(_, p)| p.exists())
    .collect()
}

fn everything() -> OsmWanted {
    OsmWanted {
        ways: TagFilter::any_key(&["highway"]),
        areas: TagFilter::any_tag(),
        nodes: TagFilter::any_tag(),
    }
}

fn bench(c: &mut Criterion) {
    let standard = presets::jiangbei();
    let green = layers::wanted(
        &standard,
        LayerChoice {
            green: true,
            ..LayerChoice::default()
        },
    );
    let mut g = c.benchmark_group("osm_pbf");
    g.sample_size(10);
    for (name, path) in files() {
        let bytes = std::fs::metadata(&path).unwrap().len();
        g.throughput(Throughput::Bytes(bytes));
        let all = everything();
        g.bench_function(format!("{name}/everything"), |b| {
            b.iter(|| read_pbf(&path, &all).unwrap())
        });
        g.bench_function(format!("{name}/green_jiangbei"), |b| {
            b.iter(|| read_pbf(&path, &green).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
