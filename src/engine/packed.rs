//! `PackedTree`: a static R-tree packed in Hilbert order (the layout of flatbush). Items are
//! sorted once by the Hilbert key of their envelope centres, then grouped [`NODE`] at a time
//! into leaves, leaves [`NODE`] at a time into parents, up to one root; each level's boxes
//! lie in one array, the children of node `k` at `k * NODE ..`. Built with a radix sort and
//! parallel box computation (rstar's bulk load partitions with repeated selections on one
//! core), searched without pointer chasing. Used for the segment indexes of the tiers, which
//! are built once and never change.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use rstar::{AABB, Envelope, RTreeObject};

/// Children per node.
pub(crate) const NODE: usize = 16;

/// Items laid out per thread at least (fewer stay on one thread).
const PARALLEL_FROM: usize = 4096;

/// A static R-tree over `T`, packed in Hilbert order.
pub(crate) struct PackedTree<T> {
    /// The items, in Hilbert order of their envelope centres.
    items: Vec<T>,
    /// Node boxes, level by level from the leaves up: level 0 has one box per [`NODE`] items.
    boxes: Vec<AABB<[f64; 2]>>,
    /// `levels[l]..levels[l + 1]`: the boxes of level `l`; the last level holds the root.
    levels: Vec<usize>,
}

/// A node (`level`, `index`) or an item (`level == u32::MAX`) met during a search.
#[derive(Clone, Copy)]
struct Entry {
    distance_2: f64,
    level: u32,
    index: u32,
}

const ITEM: u32 = u32::MAX;

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so that the max-heap pops the nearest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.distance_2.total_cmp(&self.distance_2)
    }
}

impl<T> PackedTree<T>
where
    T: RTreeObject<Envelope = AABB<[f64; 2]>> + Copy + Send + Sync,
{
    /// Pack `items`.
    pub(crate) fn new(items: Vec<T>) -> Self {
        Self::from_ordered(hilbert_order(items))
    }

    /// Pack `items` in the order given: best in Hilbert order ([`hilbert_order`]), as any
    /// subsequence of items in that order is. (Any order gives the same answers; a poor one
    /// only makes searches slower.)
    pub(crate) fn from_ordered(items: Vec<T>) -> Self {
        let mut boxes: Vec<AABB<[f64; 2]>> = items
            .par_chunks(NODE)
            .with_min_len(PARALLEL_FROM / NODE)
            .map(|c| union(c.iter().map(RTreeObject::envelope)))
            .collect();
        let mut levels = vec![0, boxes.len()];
        while boxes.len() - levels[levels.len() - 2] > 1 {
            let below = levels[levels.len() - 2]..boxes.len();
            let parents: Vec<AABB<[f64; 2]>> = boxes[below]
                .chunks(NODE)
                .map(|c| union(c.iter().copied()))
                .collect();
            boxes.extend(parents);
            levels.push(boxes.len());
        }
        Self {
            items,
            boxes,
            levels,
        }
    }

    /// How many items the tree holds.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The root, if the tree holds anything: (level, index).
    fn root(&self) -> Option<(u32, u32)> {
        (!self.items.is_empty()).then(|| (self.levels.len() as u32 - 2, 0))
    }

    fn node_box(&self, level: u32, index: u32) -> &AABB<[f64; 2]> {
        &self.boxes[self.levels[level as usize] + index as usize]
    }

    /// The children of node (`level`, `index`): node indexes on `level - 1`, or item indexes
    /// for a leaf (level 0).
    fn children(&self, level: u32, index: u32) -> std::ops::Range<usize> {
        let count = if level == 0 {
            self.items.len()
        } else {
            self.levels[level as usize] - self.levels[level as usize - 1]
        };
        let start = index as usize * NODE;
        start..(start + NODE).min(count)
    }

    /// Call `f` on every item whose envelope passes `near`, descending only into nodes whose
    /// boxes pass it; stop early (and return true) when `f` returns true.
    pub(crate) fn visit(
        &self,
        near: impl Fn(&AABB<[f64; 2]>) -> bool,
        mut f: impl FnMut(&T) -> bool,
    ) -> bool {
        let Some(root) = self.root() else {
            return false;
        };
        if !near(self.node_box(root.0, root.1)) {
            return false;
        }
        let mut stack = vec![root];
        while let Some((level, index)) = stack.pop() {
            let children = self.children(level, index);
            if level == 0 {
                for item in &self.items[children] {
                    if near(&item.envelope()) && f(item) {
                        return true;
                    }
                }
            } else {
                for child in children.rev() {
                    if near(self.node_box(level - 1, child as u32)) {
                        stack.push((level - 1, child as u32));
                    }
                }
            }
        }
        false
    }

    /// The item nearest to `q` by `distance_2` (an item's squared distance from `q`, never
    /// less than its envelope's), with that distance; `None` when the tree is empty.
    pub(crate) fn nearest(&self, q: [f64; 2], distance_2: impl Fn(&T) -> f64) -> Option<(&T, f64)> {
        let (level, index) = self.root()?;
        let mut heap = BinaryHeap::with_capacity(64);
        heap.push(Entry {
            distance_2: 0.0,
            level,
            index,
        });
        let mut best = f64::INFINITY;
        while let Some(e) = heap.pop() {
            if e.level == ITEM {
                return Some((&self.items[e.index as usize], e.distance_2));
            }
            for child in self.children(e.level, e.index) {
                let (d2, level) = if e.level == 0 {
                    let d2 = distance_2(&self.items[child]);
                    best = best.min(d2);
                    (d2, ITEM)
                } else {
                    (
                        self.node_box(e.level - 1, child as u32).distance_2(&q),
                        e.level - 1,
                    )
                };
                if d2 <= best {
                    heap.push(Entry {
                        distance_2: d2,
                        level,
                        index: child as u32,
                    });
                }
            }
        }
        None
    }
}

/// The box around a group of boxes (never empty: a chunk of a level).
fn union(mut boxes: impl Iterator<Item = AABB<[f64; 2]>>) -> AABB<[f64; 2]> {
    let first = boxes.next().expect("a chunk has a box");
    boxes.fold(first, |acc, b| acc.merged(&b))
}

/// `items` sorted by the Hilbert key (16 bits an axis) of their envelope centres over the
/// extent of them all; items of equal key keep their order.
pub(crate) fn hilbert_order<T>(items: Vec<T>) -> Vec<T>
where
    T: RTreeObject<Envelope = AABB<[f64; 2]>> + Copy + Send + Sync,
{
    if items.len() <= NODE {
        return items;
    }
    let centre = |t: &T| t.envelope().center();
    let extent = |(lo, hi): ([f64; 2], [f64; 2]), c: [f64; 2]| {
        (
            [lo[0].min(c[0]), lo[1].min(c[1])],
            [hi[0].max(c[0]), hi[1].max(c[1])],
        )
    };
    let empty = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    let (lo, hi) = items
        .par_iter()
        .with_min_len(PARALLEL_FROM)
        .fold(|| empty, |acc, t| extent(acc, centre(t)))
        .reduce(|| empty, |a, b| extent(extent(a, b.0), b.1));
    let cells = f64::from(u16::MAX);
    let scale = |v: f64, l: f64, h: f64| {
        if h > l {
            (((v - l) / (h - l)) * cells).clamp(0.0, cells) as u32
        } else {
            0
        }
    };
    let key = |(i, t): (usize, &T)| {
        let c = centre(t);
        let k = hilbert(scale(c[0], lo[0], hi[0]), scale(c[1], lo[1], hi[1]));
        (u64::from(k) << 32) | i as u64
    };
    let packed: Vec<u64> = items
        .par_iter()
        .with_min_len(PARALLEL_FROM)
        .enumerate()
        .map(key)
        .collect();
    crate::engine::radix::sort_by_key_bits(packed, 32)
        .into_par_iter()
        .with_min_len(PARALLEL_FROM)
        .map(|w| items[w as u32 as usize])
        .collect()
}

/// The distance along the Hilbert curve of the cell (`x`, `y`) of a 2¹⁶ × 2¹⁶ grid, without
/// branches: the curve's state after each level (which quadrant is swapped or reflected) is a
/// prefix scan over the bits of `x` and `y`, done in log₂ 16 = 4 rounds of bit operations
/// (the construction flatbush and others use). Tested against the level-by-level walk.
fn hilbert(x: u32, y: u32) -> u32 {
    const M: u32 = 0xFFFF;
    let (x, y) = (x & M, y & M);
    let a = x ^ y;
    let b = M ^ a;
    let c = M ^ (x | y);
    let d = x & (y ^ M);
    let mut ra = a | (b >> 1);
    let mut rb = (a >> 1) ^ a;
    let mut rc = ((c >> 1) ^ (b & (d >> 1))) ^ c;
    let mut rd = ((a & (c >> 1)) ^ (d >> 1)) ^ d;
    for shift in [2, 4] {
        let (a, b, c, d) = (ra, rb, rc, rd);
        ra = (a & (a >> shift)) ^ (b & (b >> shift));
        rb = (a & (b >> shift)) ^ (b & ((a ^ b) >> shift));
        rc ^= (a & (c >> shift)) ^ (b & (d >> shift));
        rd ^= (b & (c >> shift)) ^ ((a ^ b) & (d >> shift));
    }
    let (a, b, c, d) = (ra, rb, rc, rd);
    rc ^= (a & (c >> 8)) ^ (b & (d >> 8));
    rd ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));
    let a = rc ^ (rc >> 1);
    let b = rd ^ (rd >> 1);
    let i0 = x ^ y;
    let i1 = b | (M ^ (i0 | a));
    (spread(i1) << 1) | spread(i0)
}

/// The 16 low bits of `v` moved to the even bits of the result.
fn spread(v: u32) -> u32 {
    let mut v = v & 0xFFFF;
    v = (v | (v << 8)) & 0x00FF_00FF;
    v = (v | (v << 4)) & 0x0F0F_0F0F;
    v = (v | (v << 2)) & 0x3333_3333;
    (v | (v << 1)) & 0x5555_5555
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstar::primitives::Rectangle;

    #[test]
    fn hilbert_visits_every_cell_of_a_small_grid_once() {
        // The four quarters of the grid come in curve order 0, 1, 2, 3.
        let q = 1u32 << 15;
        let quarters: Vec<u32> = [(0, 0), (0, q), (q, q), (q, 0)]
            .iter()
            .map(|&(x, y)| hilbert(x, y) >> 30)
            .collect();
        assert_eq!(quarters, vec![0, 1, 2, 3]);
        // Neighbouring keys are neighbouring cells.
        let mut cells: Vec<(u32, u32, u32)> = (0..64u32)
            .flat_map(|x| (0..64u32).map(move |y| (hilbert(x << 10, y << 10), x, y)))
            .collect();
        cells.sort_unstable();
        for w in cells.windows(2) {
            let (dx, dy) = (w[0].1.abs_diff(w[1].1), w[0].2.abs_diff(w[1].2));
            assert_eq!(dx + dy, 1, "{w:?}");
        }
    }

    /// The curve walked level by level, from the top quadrant down: the oracle of [`hilbert`].
    fn hilbert_walk(mut x: u32, mut y: u32) -> u32 {
        const N: u32 = 1 << 16;
        let mut d = 0u32;
        let mut s = N / 2;
        while s > 0 {
            let rx = u32::from(x & s > 0);
            let ry = u32::from(y & s > 0);
            d = d.wrapping_add(s.wrapping_mul(s).wrapping_mul((3 * rx) ^ ry));
            if ry == 0 {
                if rx == 1 {
                    x = N - 1 - x;
                    y = N - 1 - y;
                }
                std::mem::swap(&mut x, &mut y);
            }
            s /= 2;
        }
        d
    }

    proptest! {
        #[test]
        fn hilbert_equals_the_level_by_level_walk(x in 0u32..1 << 16, y in 0u32..1 << 16) {
            prop_assert_eq!(hilbert(x, y), hilbert_walk(x, y));
        }
    }

    #[test]
    fn hilbert_equals_the_walk_on_a_coarse_grid_and_the_edges() {
        for x in (0..1u32 << 16).step_by(257).chain([0xFFFF, 0x8000, 0x7FFF]) {
            for y in (0..1u32 << 16).step_by(263).chain([0xFFFF, 0x8000, 0x7FFF]) {
                assert_eq!(hilbert(x, y), hilbert_walk(x, y), "{x} {y}");
            }
        }
    }

    fn rect(x: f64, y: f64, w: f64, h: f64) -> Rectangle<[f64; 2]> {
        Rectangle::from_corners([x, y], [x + w, y + h])
    }

    fn box_distance_2(r: &Rectangle<[f64; 2]>, q: [f64; 2]) -> f64 {
        r.envelope().distance_2(&q)
    }

    proptest! {
        /// Every item is kept once; `visit` finds exactly the items a scan finds; `nearest`
        /// finds the smallest distance a scan finds.
        #[test]
        fn agrees_with_a_scan(
            raw in proptest::collection::vec((-1e3f64..1e3, -1e3f64..1e3, 0f64..50.0, 0f64..50.0), 0..600),
            q in (-1.2e3f64..1.2e3, -1.2e3f64..1.2e3),
            r in 0f64..300.0,
        ) {
            let items: Vec<_> = raw.iter().map(|&(x, y, w, h)| rect(x, y, w, h)).collect();
            let tree = PackedTree::new(items.clone());
            prop_assert_eq!(tree.len(), items.len());
            let q = [q.0, q.1];
            let near = |b: &AABB<[f64; 2]>| b.distance_2(&q) <= r * r;
            let mut found = Vec::new();
            tree.visit(near, |t| { found.push(t.envelope()); false });
            let mut want: Vec<_> = items.iter().map(|t| t.envelope()).filter(|e| near(e)).collect();
            let key = |e: &AABB<[f64; 2]>| (e.lower()[0].to_bits(), e.lower()[1].to_bits(), e.upper()[0].to_bits(), e.upper()[1].to_bits());
            found.sort_by_key(key);
            want.sort_by_key(key);
            prop_assert_eq!(found, want);
            let best = items.iter().map(|t| box_distance_2(t, q)).fold(f64::INFINITY, f64::min);
            match tree.nearest(q, |t| box_distance_2(t, q)) {
                None => prop_assert!(items.is_empty()),
                Some((t, d2)) => {
                    prop_assert_eq!(d2, best);
                    prop_assert_eq!(box_distance_2(t, q), best);
                }
            }
            prop_assert_eq!(tree.visit(|_| true, |_| true), !items.is_empty());
        }
    }

    #[test]
    fn large_tree_has_levels_and_agrees() {
        let items: Vec<_> = (0..20_000)
            .map(|i| {
                let (x, y) = ((i * 7919 % 1000) as f64, (i * 104_729 % 997) as f64);
                rect(x, y, 1.0, 2.0)
            })
            .collect();
        let tree = PackedTree::new(items.clone());
        assert!(tree.levels.len() >= 4, "{:?}", tree.levels);
        for q in [[-5.0, -5.0], [500.5, 500.5], [2000.0, 10.0]] {
            let best = items
                .iter()
                .map(|t| box_distance_2(t, q))
                .fold(f64::INFINITY, f64::min);
            assert_eq!(tree.nearest(q, |t| box_distance_2(t, q)).unwrap().1, best);
        }
    }
}
