//! Multi-source shortest walks over the incoming arcs, with a cutoff and a start value per
//! source: Dijkstra's labels, settled bucket by bucket of keys (see [`multi_source`]) rather
//! than node by node from a heap, which lets the memory loads of a bucket's nodes overlap
//! (the searches wait on memory, not on arithmetic).
//!
//! Labels are `(key, feature)` pairs compared lexicographically, so that ties between
//! features are broken by the lower feature number whatever the order of work.

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

/// Run the search from `sources` over walks towards them, keeping labels up to `cutoff`.
/// Sources at nodes the arcs do not have are ignored (the arcs of a network are empty once
/// [`super::WalkReach::new`] has run its searches). Buckets are as wide as the mean arc
/// (1–50 m); the labels do not depend on it (see `multi_source_by`).
pub fn multi_source(arcs: &IncomingArcs, sources: &[Source], cutoff: f64) -> Labels {
    multi_source_by(arcs, sources, cutoff, arcs.mean_len.clamp(1.0, 50.0))
}

/// [`multi_source`] with buckets `step` metres wide.
///
/// Nodes wait in buckets by key (`⌊key / step⌋`, a ring of them); a bucket is taken as a
/// whole, its nodes settled in node order (neighbouring nodes are neighbours in memory, and
/// the next nodes are known ahead, so their loads overlap), and a node whose label improves
/// into the bucket being settled is settled again in a next round. Labels only ever
/// decrease and every improvement is settled, so the result is the least solution of
/// `label(v) = min over arcs (label(u).key + len, label(u).feature)`, which is unique (lengths
/// are positive) and the one Dijkstra's order gives, whatever `step`: the step sets only the
/// speed (a bucket as wide as a typical arc is settled about once).
fn multi_source_by(arcs: &IncomingArcs, sources: &[Source], cutoff: f64, step: f64) -> Labels {
    let n = arcs.node_count();
    let unreached = Label {
        key: f64::INFINITY,
        feature: u32::MAX,
    };
    let mut label = vec![unreached; n];
    let mut first_keys = 0.0f64;
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
            first_keys = first_keys.max(k);
        }
    }
    // Every queued key lies within the ring's span of the bucket being settled: the sources'
    // keys at the start, at most the longest arc beyond it later.
    let span = first_keys + arcs.longest;
    let step = step.max(span / (MAX_RING - 3) as f64);
    let mut ring = Ring::new((span / step) as usize + 3, step);
    for s in sources {
        let i = s.node as usize;
        if label
            .get(i)
            .is_some_and(|l| l.key == s.key.max(0.0) && l.feature == s.feature)
        {
            ring.put(s.key.max(0.0), s.node);
        }
    }
    let mut list: Vec<u32> = Vec::new();
    let mut again: Vec<u32> = Vec::new();
    while let Some(b) = ring.take_next(&mut list) {
        while !list.is_empty() {
            list.sort_unstable();
            list.dedup();
            for &u in &list {
                let ui = u as usize;
                let Label {
                    key: ku,
                    feature: f,
                } = label[ui];
                if ring.slot(ku) != b {
                    continue; // queued before it improved into a lower bucket
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
                        if ring.slot(kv) == b {
                            again.push(v);
                        } else {
                            ring.put(kv, v);
                        }
                    }
                }
            }
            list.clear();
            std::mem::swap(&mut list, &mut again);
        }
    }
    Labels(label)
}

/// Most buckets in the ring (a wider step beyond).
const MAX_RING: usize = 1 << 16;

/// Buckets of nodes by key, a ring over the keys still to come.
struct Ring {
    buckets: Vec<Vec<u32>>,
    step: f64,
    /// The bucket to settle next (an absolute number, `⌊key / step⌋`).
    next: usize,
    /// Nodes queued.
    queued: usize,
}

impl Ring {
    fn new(len: usize, step: f64) -> Self {
        Self {
            buckets: vec![Vec::new(); len.max(1)],
            step,
            next: 0,
            queued: 0,
        }
    }

    /// The bucket of `key`.
    fn slot(&self, key: f64) -> usize {
        (key / self.step) as usize
    }

    /// Queue `node` at `key` (not below the bucket being settled, within the ring's span).
    fn put(&mut self, key: f64, node: u32) {
        let len = self.buckets.len();
        let at = self.slot(key) % len;
        self.buckets[at].push(node);
        self.queued += 1;
    }

    /// Move the next non-empty bucket into `list` (empty), and give its number.
    fn take_next(&mut self, list: &mut Vec<u32>) -> Option<usize> {
        if self.queued == 0 {
            return None;
        }
        let len = self.buckets.len();
        while self.buckets[self.next % len].is_empty() {
            self.next += 1;
        }
        let b = self.next;
        std::mem::swap(list, &mut self.buckets[b % len]);
        self.queued -= list.len();
        self.next += 1;
        Some(b)
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use super::*;
    use proptest::prelude::*;

    /// Dijkstra's order with a binary heap of (key, feature, node): the reference.
    fn by_heap(arcs: &IncomingArcs, sources: &[Source], cutoff: f64) -> Vec<(f64, u32)> {
        let mut label = vec![(f64::INFINITY, u32::MAX); arcs.node_count()];
        let mut heap = BinaryHeap::new();
        for s in sources {
            let k = s.key.max(0.0);
            let i = s.node as usize;
            if k <= cutoff && i < label.len() && (k, s.feature) < label[i] {
                label[i] = (k, s.feature);
                heap.push(Reverse((k.to_bits(), s.feature, s.node)));
            }
        }
        while let Some(Reverse((kb, f, u))) = heap.pop() {
            let ku = f64::from_bits(kb);
            if label[u as usize] != (ku, f) {
                continue;
            }
            let ui = u as usize;
            for a in &arcs.arcs[arcs.start[ui] as usize..arcs.start[ui + 1] as usize] {
                let Arc { from: v, len } = *a;
                let kv = ku + len;
                if kv <= cutoff && (kv, f) < label[v as usize] {
                    label[v as usize] = (kv, f);
                    heap.push(Reverse((kv.to_bits(), f, v)));
                }
            }
        }
        label
    }

    /// Arcs in CSR form from (tail, head, length) triples.
    fn csr(n: usize, list: &[(usize, usize, f64)]) -> IncomingArcs {
        let mut per: Vec<Vec<Arc>> = vec![Vec::new(); n];
        for &(u, v, len) in list {
            per[v].push(Arc {
                from: u as u32,
                len,
            });
        }
        let mut start = vec![0u32];
        let mut arcs = Vec::new();
        for a in per {
            arcs.extend(a);
            start.push(arcs.len() as u32);
        }
        let lens = list.iter().map(|a| a.2);
        IncomingArcs {
            start,
            arcs,
            longest: lens.clone().fold(0.0, f64::max),
            mean_len: lens.sum::<f64>() / list.len().max(1) as f64,
        }
    }

    proptest! {
        /// Any step gives Dijkstra's labels exactly, keys and features (ties included: the
        /// lengths are whole or tiny, and sources share keys).
        #[test]
        fn buckets_of_any_width_give_dijkstras_labels(
            n in 1..60usize,
            raw in prop::collection::vec((0..60usize, 0..60usize, 0..6u32, 0..30u32), 0..200),
            srcs in prop::collection::vec((0..60usize, 0..4u32, 0..5u32), 0..8),
            step in prop_oneof![Just(0.001), 0.5..3.0f64, Just(1e6)],
            cutoff in prop_oneof![Just(1e9), 5.0..60.0f64],
        ) {
            let list: Vec<(usize, usize, f64)> = raw
                .iter()
                .map(|&(u, v, kind, l)| {
                    let len = match kind {
                        0 => 1e-9,
                        1 => f64::from(l) / 7.0 + 0.01,
                        _ => f64::from(l + 1),
                    };
                    (u % n, v % n, len)
                })
                .collect();
            let arcs = csr(n, &list);
            let sources: Vec<Source> = srcs
                .iter()
                .map(|&(node, k, f)| Source { node: node as u32, key: f64::from(k) * 2.5, feature: f })
                .collect();
            let want = by_heap(&arcs, &sources, cutoff);
            let got = multi_source_by(&arcs, &sources, cutoff, step);
            for (i, w) in want.iter().enumerate() {
                prop_assert_eq!((got.key(i), got.feature(i)), *w, "node {}", i);
            }
            let default = multi_source(&arcs, &sources, cutoff);
            prop_assert_eq!(default, got);
        }
    }
}
