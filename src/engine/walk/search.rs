//! Multi-source Dijkstra over the incoming arcs, with a cutoff and a start value per source.
//!
//! Labels are `(key, feature)` pairs compared lexicographically, so that ties between
//! features are broken by the lower feature number whatever the order of work.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::network::{Arc, IncomingArcs};

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

/// The best label of a node: the least key of a walk from the node to some source, and that
/// source's feature (12 bytes, unaligned: one cache line a node in the searches).
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, packed)]
pub struct Label {
    /// Metres; infinite when unreached (beyond the cutoff).
    pub key: f64,
    /// Feature (`u32::MAX` when unreached).
    pub feature: u32,
}

/// The best label of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels(pub Vec<Label>);

impl Labels {
    /// Key of node `i`, metres.
    pub fn key(&self, i: usize) -> f64 {
        self.0[i].key
    }

    /// Feature of node `i` (`u32::MAX` when unreached).
    pub fn feature(&self, i: usize) -> u32 {
        self.0[i].feature
    }
}

/// Non-negative finite floats order like their bit patterns.
fn bits(x: f64) -> u64 {
    x.to_bits()
}

/// Run the search from `sources` over walks towards them, keeping labels up to `cutoff`.
/// Sources at nodes the arcs do not have are ignored (the arcs of a network are empty once
/// [`super::WalkReach::new`] has run its searches).
pub fn multi_source(arcs: &IncomingArcs, sources: &[Source], cutoff: f64) -> Labels {
    let n = arcs.node_count();
    let unreached = Label {
        key: f64::INFINITY,
        feature: u32::MAX,
    };
    let mut label = vec![unreached; n];
    let mut heap: BinaryHeap<Reverse<(u64, u32, u32)>> = BinaryHeap::new();
    for s in sources {
        let k = s.key.max(0.0);
        if k.is_nan() || k > cutoff {
            continue;
        }
        let i = s.node as usize;
        let Some(&old) = label.get(i) else {
            continue;
        };
        if (k, s.feature) < (old.key, old.feature) {
            label[i] = Label {
                key: k,
                feature: s.feature,
            };
            heap.push(Reverse((bits(k), s.feature, s.node)));
        }
    }
    while let Some(Reverse((kb, f, u))) = heap.pop() {
        let ku = f64::from_bits(kb);
        let ui = u as usize;
        let lu = label[ui];
        if kb != bits(lu.key) || f != lu.feature {
            continue;
        }
        let (lo, hi) = (arcs.start[ui] as usize, arcs.start[ui + 1] as usize);
        for a in &arcs.arcs[lo..hi] {
            let Arc { from: v, len } = *a;
            let kv = ku + len;
            if kv > cutoff {
                continue;
            }
            let vi = v as usize;
            let lv = label[vi];
            if kv < lv.key || (kv == lv.key && f < lv.feature) {
                label[vi] = Label {
                    key: kv,
                    feature: f,
                };
                heap.push(Reverse((bits(kv), f, v)));
            }
        }
    }
    Labels(label)
}
