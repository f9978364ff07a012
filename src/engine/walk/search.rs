//! Multi-source shortest walks over the incoming arcs, with a cutoff and a start value per
//! source: Dijkstra's labels, computed bucket by bucket of keys (see [`multi_source`])
//! rather than node by node from a heap, which lets the memory loads of a bucket's nodes
//! overlap (the searches wait on memory, not on arithmetic).
//!
//! Labels are `(key, feature)` pairs: the least key of a walk to a source (in `f64`), and
//! the feature that Dijkstra's order by key, then feature, gives (the lowest over the walks
//! whose every step is tight, see `multi_source_by`), whatever the order of work.

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
/// [`super::WalkReach::new`] has run its searches). Buckets are as wide as the mean edge
/// (1–50 m); the labels do not depend on it (see `multi_source_by`). Keys are finite: a
/// cutoff above `f64::MAX` is taken as `f64::MAX`, and a NaN cutoff reaches nothing.
pub fn multi_source(arcs: &IncomingArcs, sources: &[Source], cutoff: f64) -> Labels {
    multi_source_by(arcs, sources, cutoff, arcs.mean_len.clamp(1.0, 50.0))
}

/// [`multi_source`] with buckets `step` metres wide: Dijkstra's labels exactly, keys and
/// features, whatever `step` (it sets only the speed).
///
/// What Dijkstra's order (a heap of `(key, feature, node)`) gives, and so what this gives:
/// - the **keys** are the least solution of `key(v) = min(source key, min over arcs u → v of
///   key(u) + len)` in floating point. Rounded addition is monotone, so any order of
///   relaxation that settles every improvement reaches it.
/// - the **feature** of `v` is the lowest over the sources at `v` whose key is `key(v)` and
///   over the arcs that are *tight* for the final keys (`key(u) + len == key(v)` after
///   rounding) of `feature(u)`. It depends on the final keys only, so it is computed once
///   they are known.
///
/// Nodes wait in buckets by key (`⌊key / step⌋`, a ring of them). A bucket is taken as a
/// whole and its nodes are swept in node order, for keys only: neighbouring nodes are
/// neighbours in memory and the next nodes are known ahead, so their loads overlap. A node
/// whose key improves into the bucket is swept again in a next round. Once a round improves
/// nothing, the bucket's keys are final (later buckets hold larger keys). Then its nodes, in
/// node order, offer their features over their tight arcs, and a node whose feature fell
/// after it made its offers makes them again, until no feature falls: every feature comes
/// from final keys only. (Carrying features in the sweep instead would let a node swept with
/// a key that later improved pass on a feature that a tie in rounding then keeps.)
fn multi_source_by(arcs: &IncomingArcs, sources: &[Source], cutoff: f64, step: f64) -> Labels {
    let n = arcs.node_count();
    let unreached = Label {
        key: f64::INFINITY,
        feature: u32::MAX,
    };
    let mut label = vec![unreached; n];
    if cutoff.is_nan() {
        return Labels(label);
    }
    let cutoff = cutoff.min(f64::MAX);
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
    let mut settled: Vec<u32> = Vec::new();
    while let Some(b) = ring.take_next(&mut list) {
        settle_keys(
            arcs,
            &mut label,
            cutoff,
            &mut ring,
            b,
            &mut list,
            &mut settled,
        );
        settle_features(arcs, &mut label, cutoff, &ring, b, &mut settled);
    }
    Labels(label)
}

/// Sweep bucket `b` (its nodes in `list`) for keys until no key in it improves, queueing
/// improved nodes of later buckets in the ring; the bucket's nodes end in `settled`. A node
/// whose key improves has no feature until [`settle_features`] gives it one.
fn settle_keys(
    arcs: &IncomingArcs,
    label: &mut [Label],
    cutoff: f64,
    ring: &mut Ring,
    b: usize,
    list: &mut Vec<u32>,
    settled: &mut Vec<u32>,
) {
    let mut again: Vec<u32> = Vec::new();
    while !list.is_empty() {
        list.sort_unstable();
        list.dedup();
        for &u in list.iter() {
            let ui = u as usize;
            let ku = label[ui].key;
            if ring.slot(ku) != b {
                continue; // queued before it improved into a lower bucket
            }
            settled.push(u);
            let (lo, hi) = (arcs.start[ui] as usize, arcs.start[ui + 1] as usize);
            for a in &arcs.arcs[lo..hi] {
                let Arc { from: v, len } = *a;
                let kv = ku + len;
                let vi = v as usize;
                if kv > cutoff || kv >= label[vi].key {
                    continue;
                }
                label[vi] = Label {
                    key: kv,
                    feature: u32::MAX,
                };
                if ring.slot(kv) == b {
                    again.push(v);
                } else {
                    ring.put(kv, v);
                }
            }
        }
        list.clear();
        std::mem::swap(list, &mut again);
    }
}

/// Give the nodes of bucket `b` (in `settled`, keys final) their features: each offers its
/// feature over its tight arcs (`key(u) + len == key(v)`), in node order, and a node of the
/// bucket whose feature fell after it made its offers makes them again, until no feature
/// falls. Nodes of later buckets take offers at their present key (a lower key later clears
/// them).
fn settle_features(
    arcs: &IncomingArcs,
    label: &mut [Label],
    cutoff: f64,
    ring: &Ring,
    b: usize,
    settled: &mut Vec<u32>,
) {
    let mut again: Vec<u32> = Vec::new();
    settled.sort_unstable();
    settled.dedup();
    let mut first = true;
    while !settled.is_empty() {
        for &u in settled.iter() {
            let ui = u as usize;
            let Label {
                key: ku,
                feature: f,
            } = label[ui];
            if f == u32::MAX {
                continue; // no offer yet: it makes its own when one comes
            }
            let (lo, hi) = (arcs.start[ui] as usize, arcs.start[ui + 1] as usize);
            for a in &arcs.arcs[lo..hi] {
                let Arc { from: v, len } = *a;
                let kv = ku + len;
                let vi = v as usize;
                let lv = label[vi];
                if kv == lv.key && f < lv.feature && kv <= cutoff {
                    label[vi].feature = f;
                    // In the first round, the nodes after `u` have yet to make theirs.
                    if ring.slot(kv) == b && (!first || v < u) {
                        again.push(v);
                    }
                }
            }
        }
        settled.clear();
        std::mem::swap(settled, &mut again);
        settled.sort_unstable();
        settled.dedup();
        first = false;
    }
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
    /// Keys are finite: the cutoff is at most `f64::MAX` (a NaN one reaches nothing, as no
    /// key compares below it).
    fn by_heap(arcs: &IncomingArcs, sources: &[Source], cutoff: f64) -> Vec<(f64, u32)> {
        let cutoff = if cutoff.is_nan() {
            cutoff
        } else {
            cutoff.min(f64::MAX)
        };
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

    /// The review's case: node 0 starts at 0.1·3 (just above 0.3) for feature 0 and is
    /// reached from node 2 (feature 1) at exactly 0.3; node 1 is 1 m beyond node 0, and
    /// both labels of node 0 round to the same key there. Dijkstra gives node 1 feature 1.
    #[test]
    fn a_feature_from_a_key_that_improved_is_not_kept() {
        let arcs = csr(3, &[(0, 2, 0.3), (1, 0, 1.0)]);
        let sources = [
            Source {
                node: 0,
                key: 0.1 * 3.0,
                feature: 0,
            },
            Source {
                node: 2,
                key: 0.0,
                feature: 1,
            },
        ];
        let want = by_heap(&arcs, &sources, 1e9);
        assert_eq!(want[1].1, 1);
        for step in [0.001, 0.5, 2.0, 1e6] {
            let got = multi_source_by(&arcs, &sources, 1e9, step);
            for (i, w) in want.iter().enumerate() {
                assert_eq!((got.key(i), got.feature(i)), *w, "node {i}, step {step}");
            }
        }
    }

    /// An infinite cutoff keeps keys finite (a sum that overflows is unreached), and a NaN
    /// cutoff reaches nothing, as in the heap's order.
    #[test]
    fn non_finite_cutoffs() {
        let arcs = csr(3, &[(1, 0, 1e308), (2, 1, 1e308)]);
        let sources = [Source {
            node: 0,
            key: 1e308,
            feature: 0,
        }];
        for cutoff in [f64::INFINITY, f64::NAN, 1e308] {
            let want = by_heap(&arcs, &sources, cutoff);
            let got = multi_source(&arcs, &sources, cutoff);
            for (i, w) in want.iter().enumerate() {
                assert_eq!(
                    (got.key(i), got.feature(i)),
                    *w,
                    "node {i}, cutoff {cutoff}"
                );
            }
        }
        let got = multi_source(&arcs, &sources, f64::INFINITY);
        assert_eq!((got.key(2), got.feature(2)), (f64::INFINITY, u32::MAX));
        assert_eq!(multi_source(&arcs, &sources, f64::NAN).feature(0), u32::MAX);
    }

    /// Arcs of length 0 pass a lower feature among nodes of equal key, in any order.
    #[test]
    fn zero_length_arcs_pass_the_lowest_feature() {
        // 3 → 2 → 1 → 0 at 0 m; sources: node 0 (feature 5), node 3 (feature 1), same key.
        let arcs = csr(4, &[(0, 1, 0.0), (1, 2, 0.0), (2, 3, 0.0)]);
        let sources = [
            Source {
                node: 0,
                key: 2.0,
                feature: 5,
            },
            Source {
                node: 3,
                key: 2.0,
                feature: 1,
            },
        ];
        let want = by_heap(&arcs, &sources, 1e9);
        let got = multi_source_by(&arcs, &sources, 1e9, 1.0);
        for (i, w) in want.iter().enumerate() {
            assert_eq!((got.key(i), got.feature(i)), *w, "node {i}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Any step gives Dijkstra's labels exactly, keys and features (ties included: the
        /// lengths are whole or tiny, and sources share keys).
        #[test]
        fn buckets_of_any_width_give_dijkstras_labels(
            n in 1..60usize,
            raw in prop::collection::vec((0..60usize, 0..60usize, 0..8u32, 0..30u32), 0..200),
            srcs in prop::collection::vec((0..60usize, 0..4u32, 0..5u32, 0..3u32), 0..8),
            step in prop_oneof![Just(0.001), 0.5..3.0f64, Just(1e6)],
            cutoff in prop_oneof![Just(1e9), 5.0..60.0f64],
        ) {
            let list: Vec<(usize, usize, f64)> = raw
                .iter()
                .map(|&(u, v, kind, l)| {
                    let len = match kind {
                        0 => 1e-9,
                        1 => f64::from(l) / 7.0 + 0.01,
                        // Tenths: sums of them round to ties (0.1 + 0.2 against 0.3).
                        2 | 3 => f64::from(l % 10) / 10.0,
                        4 => 0.0,
                        _ => f64::from(l + 1),
                    };
                    (u % n, v % n, len)
                })
                .collect();
            let arcs = csr(n, &list);
            let sources: Vec<Source> = srcs
                .iter()
                .map(|&(node, k, f, kind)| Source {
                    node: node as u32,
                    // Keys of either rounding: k · 0.1 · 3 and k · 0.3.
                    key: match kind {
                        0 => f64::from(k) * 2.5,
                        1 => f64::from(k) * 0.1 * 3.0,
                        _ => f64::from(k) * 0.3,
                    },
                    feature: f,
                })
                .collect();
            let want = by_heap(&arcs, &sources, cutoff);
            let got = multi_source_by(&arcs, &sources, cutoff, step);
            for (i, w) in want.iter().enumerate() {
                prop_assert_eq!((got.key(i), got.feature(i)), *w, "node {}", i);
            }
            let default = multi_source(&arcs, &sources, cutoff);
            prop_assert_eq!(default, got);
        }

        /// Small graphs of tenths with sources at keys of either rounding (k · 0.1 · 3 or
        /// k · 0.3) and wide buckets, where nodes are swept with keys that improve later:
        /// the features still are Dijkstra's.
        #[test]
        fn ties_in_rounding_give_dijkstras_features(
            n in 2..10usize,
            raw in prop::collection::vec((0..10usize, 0..10usize, 1..12u32), 1..30),
            srcs in prop::collection::vec((0..10usize, 0..6u32, 0..4u32, any::<bool>()), 1..6),
            step in prop_oneof![Just(1e6), Just(1.0), Just(0.25)],
        ) {
            let list: Vec<(usize, usize, f64)> = raw
                .iter()
                .map(|&(u, v, l)| (u % n, v % n, f64::from(l) / 10.0))
                .collect();
            let arcs = csr(n, &list);
            let sources: Vec<Source> = srcs
                .iter()
                .map(|&(node, k, f, odd)| Source {
                    node: (node % n) as u32,
                    key: if odd { f64::from(k) * 0.1 * 3.0 } else { f64::from(k) * 0.3 },
                    feature: f,
                })
                .collect();
            let want = by_heap(&arcs, &sources, 1e9);
            let got = multi_source_by(&arcs, &sources, 1e9, step);
            for (i, w) in want.iter().enumerate() {
                prop_assert_eq!((got.key(i), got.feature(i)), *w, "node {}", i);
            }
        }
    }
}
