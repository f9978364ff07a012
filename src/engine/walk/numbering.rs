//! Node numbers for the vertices of the ways: one node per vertex key, numbered in the order
//! keys first appear along the ways (ways in order, vertices in order along each). The
//! network renumbers them afterwards in Z-order of the nodes' positions.
//!
//! The keys are spread over [`SHARDS`] hash tables by a hash of the key, each table filled on
//! its own thread with the key's first appearance (its position in the sequence of all
//! vertices), so each table stays small enough to sit in cache; then the first appearances
//! are numbered in one pass. The numbers are those a single map filled in order would give.
//! A table holds only positions (four bytes an entry): a key is compared through the
//! sequence of keys.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::network::VKey;

/// Number of tables the keys are spread over.
const SHARDS: usize = 64;

fn hash(k: &VKey) -> u64 {
    FxBuildHasher.hash_one(k)
}

/// The shard of a key's hash: its top bits remixed (the tables themselves use the hash's low
/// bits and top seven bits, which must stay varied within a shard).
fn shard_of(h: u64) -> usize {
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SHARDS.trailing_zeros())) as usize
}

/// Number the vertex keys `keys` (all ways' vertices, one after the other), and find the
/// nodes of the keys `wanted`. Returns the node of every vertex (the first appearance of each
/// node is the vertex whose node number is new, in order) and of every wanted key (`None`
/// for a key that is no vertex).
pub(crate) fn number(keys: &[VKey], wanted: &[VKey]) -> (Vec<u32>, Vec<Option<u32>>) {
    let n = keys.len();
    let shard: Vec<u8> = keys.par_iter().map(|k| shard_of(hash(k)) as u8).collect();
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
    let tables: Vec<HashTable<u32>> = parts
        .into_par_iter()
        .map(|(members, firsts)| {
            let mut table: HashTable<u32> = HashTable::with_capacity(members.len());
            for (&i, out) in members.iter().zip(firsts.iter_mut()) {
                let k = &keys[i as usize];
                let entry = table.entry(
                    hash(k),
                    |&j| keys[j as usize] == *k,
                    |&j| hash(&keys[j as usize]),
                );
                *out = *entry.or_insert(i).get();
            }
            table
        })
        .collect();
    // Back into vertex order, then numbered in one pass (a first appearance precedes every
    // other appearance of its key).
    let mut node = vec![0u32; n];
    for (&i, &f) in grouped.iter().zip(&first) {
        node[i as usize] = f;
    }
    drop((grouped, first));
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
    let found = wanted
        .par_iter()
        .map(|k| {
            let h = hash(k);
            tables[shard_of(h)]
                .find(h, |&j| keys[j as usize] == *k)
                .map(|&j| node[j as usize])
        })
        .collect();
    (node, found)
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
            let wanted = [VKey::Id(0), VKey::Xy(1, 7), VKey::Split(2), VKey::Id(-1)];
            let (node, found) = number(&keys, &wanted);
            let mut one: std::collections::HashMap<VKey, u32> = Default::default();
            for (i, k) in keys.iter().enumerate() {
                let next = one.len() as u32;
                let n = *one.entry(*k).or_insert(next);
                prop_assert_eq!(node[i], n);
            }
            for (k, f) in wanted.iter().zip(&found) {
                prop_assert_eq!(*f, one.get(k).copied());
            }
        }
    }
}
