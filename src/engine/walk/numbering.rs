//! Node numbers for the vertices of the ways: one node per vertex key, numbered in the order
//! keys first appear along the ways (ways in order, vertices in order along each).
//!
//! The keys are spread over [`SHARDS`] hash maps by a hash of the key, each map filled on its
//! own thread with the key's first appearance (its position in the sequence of all vertices),
//! so each map stays small enough to sit in cache; then the first appearances are numbered
//! in one pass. The numbers are those a single map filled in order would give.

use std::hash::BuildHasher;

use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use super::network::VKey;

/// Number of maps the keys are spread over.
const SHARDS: usize = 64;

/// Vertex keys to node numbers.
pub(crate) struct NodeMap {
    shards: Vec<HashMap<VKey, u32>>,
}

/// The shard of a key: the top bits of its hash remixed (the maps themselves use the hash's
/// low bits and top seven bits, which must stay varied within a shard).
fn shard_of(k: &VKey) -> usize {
    let h = FxBuildHasher.hash_one(k);
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SHARDS.trailing_zeros())) as usize
}

impl NodeMap {
    /// Number the vertex keys `keys` (all ways' vertices, one after the other). Returns the
    /// map and the node of every vertex; the first appearance of each node is the vertex
    /// whose node number is new, in order.
    pub(crate) fn number(keys: &[VKey]) -> (NodeMap, Vec<u32>) {
        let n = keys.len();
        let shard: Vec<u8> = keys.par_iter().map(|k| shard_of(k) as u8).collect();
        // Vertices grouped by shard, in order within each.
        let mut start = vec![0usize; SHARDS + 1];
        for &s in &shard {
            start[s as usize + 1] += 1;
        }
        for s in 0..SHARDS {
            start[s + 1] += start[s];
        }
        let mut fill = start.clone();
        let mut grouped = vec![0u32; n];
        for (i, &s) in shard.iter().enumerate() {
            grouped[fill[s as usize]] = i as u32;
            fill[s as usize] += 1;
        }
        drop(shard);
        // Each shard's first appearances, in the grouped order.
        let mut first = vec![0u32; n];
        let mut parts: Vec<(&[u32], &mut [u32])> = Vec::with_capacity(SHARDS);
        let (mut g, mut f) = (&grouped[..], &mut first[..]);
        for s in 0..SHARDS {
            let len = start[s + 1] - start[s];
            let (g0, g1) = g.split_at(len);
            let (f0, f1) = f.split_at_mut(len);
            parts.push((g0, f0));
            (g, f) = (g1, f1);
        }
        let mut shards: Vec<HashMap<VKey, u32>> = parts
            .into_par_iter()
            .map(|(members, firsts)| {
                let mut map: HashMap<VKey, u32> =
                    HashMap::with_capacity_and_hasher(members.len(), Default::default());
                for (&i, out) in members.iter().zip(firsts.iter_mut()) {
                    *out = *map.entry(keys[i as usize]).or_insert(i);
                }
                map
            })
            .collect();
        // Back into vertex order, then numbered in one pass (a first appearance precedes
        // every other appearance of its key).
        let mut first_of = vec![0u32; n];
        for (&i, &f) in grouped.iter().zip(&first) {
            first_of[i as usize] = f;
        }
        drop((grouped, first));
        let mut node = first_of;
        let mut next = 0u32;
        for i in 0..n {
            let f = node[i] as usize;
            node[i] = if f == i {
                next += 1;
                next - 1
            } else {
                node[f]
            };
        }
        shards.par_iter_mut().for_each(|m| {
            for v in m.values_mut() {
                *v = node[*v as usize];
            }
        });
        (NodeMap { shards }, node)
    }

    /// Give every node a new number: `new_of_old[n]` for node `n`.
    pub(crate) fn renumber(&mut self, new_of_old: &[u32]) {
        self.shards.par_iter_mut().for_each(|m| {
            for v in m.values_mut() {
                *v = new_of_old[*v as usize];
            }
        });
    }

    /// The node of `k`.
    pub(crate) fn get(&self, k: &VKey) -> Option<u32> {
        self.shards[shard_of(k)].get(k).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn numbers_as_one_map_filled_in_order(ids in prop::collection::vec(0i64..300, 0..2000)) {
            let keys: Vec<VKey> = ids
                .iter()
                .map(|&i| match i % 3 {
                    0 => VKey::Id(i),
                    1 => VKey::Xy(i as u64, 7),
                    _ => VKey::Split(i as u32),
                })
                .collect();
            let (map, node) = NodeMap::number(&keys);
            let mut one: std::collections::HashMap<VKey, u32> = Default::default();
            for (i, k) in keys.iter().enumerate() {
                let next = one.len() as u32;
                let n = *one.entry(*k).or_insert(next);
                prop_assert_eq!(node[i], n);
                prop_assert_eq!(map.get(k), Some(n));
            }
            prop_assert_eq!(map.get(&VKey::Id(-1)), None);
        }
    }
}
