//! Multi-source Dijkstra over the incoming arcs, with a cutoff and a start value per source.
//!
//! Labels are `(key, feature)` pairs compared lexicographically, so that ties between
//! features are broken by the lower feature number whatever the order of work.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::network::IncomingArcs;

/// A start of the search: `node` begins at `key` metres on behalf of `feature`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    /// The node.
    pub node: u32,
    /// Its start value, metres (entrance gap plus size-class offset).
    pub key: f64,
    /// The green feature.
    pub feature: u32,
}

/// The best label of every node: the least key of a walk from the node to some source, and
/// that source's feature. Unreached nodes (beyond the cutoff) have an infinite key.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// Metres, per node.
    pub key: Vec<f64>,
    /// Feature, per node (`u32::MAX` when unreached).
    pub feature: Vec<u32>,
}

/// Non-negative finite floats order like their bit patterns.
fn bits(x: f64) -> u64 {
    x.to_bits()
}

/// Run the search from `sources` over walks towards them, keeping labels up to `cutoff`.
pub fn multi_source(arcs: &IncomingArcs, sources: &[Source], cutoff: f64) -> Labels {
    let n = arcs.node_count();
    let mut key = vec![f64::INFINITY; n];
    let mut feature = vec![u32::MAX; n];
    let mut heap: BinaryHeap<Reverse<(u64, u32, u32)>> = BinaryHeap::new();
    for s in sources {
        let k = s.key.max(0.0);
        if k.is_nan() || k > cutoff {
            continue;
        }
        let i = s.node as usize;
        if (k, s.feature) < (key[i], feature[i]) {
            key[i] = k;
            feature[i] = s.feature;
            heap.push(Reverse((bits(k), s.feature, s.node)));
        }
    }
    while let Some(Reverse((kb, f, u))) = heap.pop() {
        let ku = f64::from_bits(kb);
        let ui = u as usize;
        if kb != bits(key[ui]) || f != feature[ui] {
            continue;
        }
        let (lo, hi) = (arcs.start[ui] as usize, arcs.start[ui + 1] as usize);
        for a in lo..hi {
            let v = arcs.from[a];
            let kv = ku + arcs.len[a];
            if kv > cutoff {
                continue;
            }
            let vi = v as usize;
            if kv < key[vi] || (kv == key[vi] && f < feature[vi]) {
                key[vi] = kv;
                feature[vi] = f;
                heap.push(Reverse((bits(kv), f, v)));
            }
        }
    }
    Labels { key, feature }
}
