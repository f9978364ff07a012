//! Walking search benchmark: one multi-source search (the per-tier search of `--metric walk`)
//! over a street grid of 1M nodes, 20 m blocks with lengths varied by up to ±10% (as a
//! projected city's are), sources at one node in 500 with start values of 0–30 m (entrance
//! gaps), cut off at 5000 m. `benches/peers/walk_grid.py` times scipy on the same graph.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use greenreach::engine::walk::IncomingArcs;
use greenreach::engine::walk::network::Arc;
use greenreach::engine::walk::search::{Source, multi_source};

/// A deterministic stream of numbers in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A `side` × `side` grid, both ways along every block, nodes in row order.
fn grid(side: usize, rng: &mut Lcg) -> IncomingArcs {
    let id = |x: usize, y: usize| (y * side + x) as u32;
    let mut per: Vec<Vec<Arc>> = vec![Vec::new(); side * side];
    let mut longest = 0.0f64;
    let mut total = 0.0;
    let mut count = 0usize;
    for y in 0..side {
        for x in 0..side {
            for (nx, ny) in [(x + 1, y), (x, y + 1)] {
                if nx >= side || ny >= side {
                    continue;
                }
                let len = 20.0 * (0.9 + 0.2 * rng.next());
                let (a, b) = (id(x, y), id(nx, ny));
                per[b as usize].push(Arc { from: a, len });
                per[a as usize].push(Arc { from: b, len });
                longest = longest.max(len);
                total += 2.0 * len;
                count += 2;
            }
        }
    }
    let mut start = vec![0u32];
    let mut arcs = Vec::with_capacity(count);
    for a in per {
        arcs.extend(a);
        start.push(arcs.len() as u32);
    }
    IncomingArcs {
        start,
        arcs,
        longest,
        mean_len: total / count as f64,
    }
}

fn walk(c: &mut Criterion) {
    let mut rng = Lcg(12);
    let side = 1000;
    let arcs = grid(side, &mut rng);
    let nodes: Vec<usize> = (0..side * side)
        .filter(|_| rng.next() < 1.0 / 500.0)
        .collect();
    let sources: Vec<Source> = nodes
        .into_iter()
        .enumerate()
        .map(|(f, node)| Source {
            node: node as u32,
            key: 30.0 * rng.next(),
            feature: f as u32,
        })
        .collect();
    // The checksum `benches/peers/walk_grid.py` prints for scipy on the same graph.
    let labels = multi_source(&arcs, &sources, 5000.0);
    let reached: Vec<f64> = (0..side * side)
        .map(|i| labels.key(i))
        .filter(|k| k.is_finite())
        .collect();
    eprintln!(
        "{} sources, {} nodes reached, sum of distances {:.3} m, max {:.3} m",
        sources.len(),
        reached.len(),
        reached.iter().sum::<f64>(),
        reached.iter().copied().fold(0.0, f64::max)
    );
    let mut g = c.benchmark_group("walk");
    g.sample_size(20);
    g.throughput(Throughput::Elements((side * side) as u64));
    g.bench_function("search_1m_node_grid", |b| {
        b.iter(|| multi_source(&arcs, &sources, 5000.0))
    });
    g.finish();
}

criterion_group!(benches, walk);
criterion_main!(benches);
