//! Parallel evaluation of demand points against every tier, into result columns.

use geo::Coord;
use rayon::prelude::*;

use crate::engine::reach::Reach;
use crate::engine::tally::Tally;

/// Feature number meaning "nothing within the search limit".
pub const NO_FEATURE: u32 = u32::MAX;

/// Points per parallel work item.
const CHUNK: usize = 4096;

/// How much to compute per point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Only whether each tier is met (early exit; the benchmark and summary case).
    Flags,
    /// Also the distance to and the identity of the nearest feature.
    Distances,
}

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct EvalSettings {
    /// Search limit for nearest features, ground metres.
    pub limit_m: f64,
    /// Flags only, or distances too.
    pub detail: Detail,
}

/// Results for one tier, one entry per point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierColumn {
    /// Within the radius.
    pub ok: Vec<bool>,
    /// Ground metres to the nearest feature; NaN when none is within the limit. Empty for
    /// [`Detail::Flags`].
    pub distance_m: Vec<f64>,
    /// The nearest feature's number, or [`NO_FEATURE`]. Empty for [`Detail::Flags`].
    pub nearest: Vec<u32>,
}

/// Results for all tiers.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// One column set per tier.
    pub tiers: Vec<TierColumn>,
    /// Every tier met.
    pub all_ok: Vec<bool>,
}

impl Coverage {
    /// Number of points evaluated.
    pub fn len(&self) -> usize {
        self.all_ok.len()
    }

    /// True when no point was evaluated.
    pub fn is_empty(&self) -> bool {
        self.all_ok.is_empty()
    }

    /// The points evaluated, within reach of each tier and of every tier.
    pub fn tally(&self) -> Tally<usize> {
        let count = |v: &[bool]| v.iter().filter(|&&b| b).count();
        Tally {
            total: self.len(),
            within: self.tiers.iter().map(|t| count(&t.ok)).collect(),
            all: count(&self.all_ok),
        }
    }

    fn empty(tiers: usize, detail: Detail, cap: usize) -> Self {
        let column = || TierColumn {
            ok: Vec::with_capacity(cap),
            distance_m: Vec::with_capacity(if detail == Detail::Distances { cap } else { 0 }),
            nearest: Vec::with_capacity(if detail == Detail::Distances { cap } else { 0 }),
        };
        Self {
            tiers: (0..tiers).map(|_| column()).collect(),
            all_ok: Vec::with_capacity(cap),
        }
    }
}

/// Evaluate `points` (plane metres) in parallel on the current rayon pool. `progress` is
/// called with the number of points finished, chunk by chunk.
pub fn evaluate<R: Reach + ?Sized>(
    reach: &R,
    points: &[Coord],
    settings: &EvalSettings,
    progress: &(dyn Fn(usize) + Sync),
) -> Coverage {
    let n_tiers = reach.tier_count();
    // Evaluate in Z-order so that neighbouring points share index paths and cache lines, then
    // put the results back in input order.
    let order = z_order(points);
    let parts: Vec<Coverage> = order
        .par_chunks(CHUNK)
        .map(|idx| {
            let chunk: Vec<Coord> = idx.iter().map(|&i| points[i as usize]).collect();
            let out = evaluate_chunk(reach, &chunk, settings);
            progress(chunk.len());
            out
        })
        .collect();
    // Gathered straight from the parts (each of `CHUNK` points but the last) into input order.
    let position = positions(&order);
    Coverage {
        tiers: (0..n_tiers)
            .map(|t| TierColumn {
                ok: gather_parts(&parts, &position, |c| &c.tiers[t].ok),
                distance_m: gather_parts(&parts, &position, |c| &c.tiers[t].distance_m),
                nearest: gather_parts(&parts, &position, |c| &c.tiers[t].nearest),
            })
            .collect(),
        all_ok: gather_parts(&parts, &position, |c| &c.all_ok),
    }
}

/// `column` of the evaluated `parts` (each of [`CHUNK`] points but the last, in Z-order) in
/// input order: `position[i]` is where input point `i` was evaluated. An empty column (no
/// distances asked for) stays empty.
fn gather_parts<T: Copy + Send + Sync>(
    parts: &[Coverage],
    position: &[u32],
    column: impl Fn(&Coverage) -> &Vec<T> + Sync,
) -> Vec<T> {
    if parts.first().is_none_or(|p| column(p).is_empty()) {
        return Vec::new();
    }
    position
        .par_iter()
        .map(|&k| {
            let k = k as usize;
            column(&parts[k / CHUNK])[k % CHUNK]
        })
        .collect()
}

/// Indices of `points` in Morton (Z) order of 16 m cells, ties in input order.
pub(crate) fn z_order(points: &[Coord]) -> Vec<u32> {
    let (keys, key_bits) = z_keys(points);
    if key_bits <= 32 {
        by_radix(&keys, key_bits)
    } else {
        by_sort(&keys)
    }
}

/// Each point's Morton key, and how many low bits the keys use.
fn z_keys(points: &[Coord]) -> (Vec<u64>, u32) {
    let (mut min_x, mut min_y) = (f64::INFINITY, f64::INFINITY);
    let (mut max_x, mut max_y) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in points {
        min_x = min_x.min(p.x);
        min_y = min_y.min(p.y);
        max_x = max_x.max(p.x);
        max_y = max_y.max(p.y);
    }
    let q = |v: f64, m: f64| (((v - m) / 16.0).max(0.0) as u64).min(u32::MAX as u64);
    let keys = points
        .par_iter()
        .map(|p| spread(q(p.x, min_x)) | (spread(q(p.y, min_y)) << 1))
        .collect();
    let cells = q(max_x, min_x).max(q(max_y, min_y));
    (keys, 2 * (u64::BITS - cells.leading_zeros()))
}

/// Indices by key, ties in index order: a comparison sort.
fn by_sort(keys: &[u64]) -> Vec<u32> {
    let mut order: Vec<(u64, u32)> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, i as u32))
        .collect();
    order.par_sort_unstable();
    order.into_iter().map(|(_, i)| i).collect()
}

/// [`by_sort`] for keys of at most 32 bits: key and index packed in one word, sorted by
/// least-significant-digit radix passes over the key's bits (stable, so ties stay in index
/// order).
fn by_radix(keys: &[u64], bits: u32) -> Vec<u32> {
    let packed: Vec<u64> = keys
        .par_iter()
        .enumerate()
        .map(|(i, &k)| (k << 32) | i as u64)
        .collect();
    crate::engine::radix::sort_by_key_bits(packed, bits)
        .into_iter()
        .map(|v| v as u32)
        .collect()
}

/// Spread the low 32 bits of `v` to the even bit positions.
fn spread(mut v: u64) -> u64 {
    v &= 0xFFFF_FFFF;
    v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF;
    v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF;
    v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    v = (v | (v << 2)) & 0x3333_3333_3333_3333;
    (v | (v << 1)) & 0x5555_5555_5555_5555
}

/// Values computed in `order` put back in input order, in parallel: `position[i]` is where
/// input point `i` was computed (an empty column stays empty).
pub(crate) fn gather<T: Copy + Send + Sync>(src: Vec<T>, position: &[u32]) -> Vec<T> {
    if src.is_empty() {
        return src;
    }
    position.par_iter().map(|&k| src[k as usize]).collect()
}

/// Where each input point sits in `order`: the inverse permutation.
pub(crate) fn positions(order: &[u32]) -> Vec<u32> {
    let mut position = vec![0u32; order.len()];
    for (k, &i) in order.iter().enumerate() {
        position[i as usize] = k as u32;
    }
    position
}

/// Results computed in order put back in input order (`position` from [`positions`]).
pub(crate) fn unpermute(sorted: Coverage, position: &[u32]) -> Coverage {
    Coverage {
        tiers: sorted
            .tiers
            .into_iter()
            .map(|c| TierColumn {
                ok: gather(c.ok, position),
                distance_m: gather(c.distance_m, position),
                nearest: gather(c.nearest, position),
            })
            .collect(),
        all_ok: gather(sorted.all_ok, position),
    }
}

fn evaluate_chunk<R: Reach + ?Sized>(reach: &R, chunk: &[Coord], s: &EvalSettings) -> Coverage {
    let mut out = Coverage::empty(reach.tier_count(), s.detail, chunk.len());
    match s.detail {
        Detail::Flags => {
            for &p in chunk {
                let mut all = true;
                for (t, col) in out.tiers.iter_mut().enumerate() {
                    let ok = reach.within(t, p);
                    col.ok.push(ok);
                    all &= ok;
                }
                out.all_ok.push(all);
            }
        }
        Detail::Distances => {
            let mut found = vec![Vec::with_capacity(chunk.len()); out.tiers.len()];
            reach.assess_tiers(chunk, s.limit_m, &mut found);
            out.all_ok.resize(chunk.len(), true);
            for (col, found) in out.tiers.iter_mut().zip(&found) {
                for (a, all) in found.iter().zip(out.all_ok.iter_mut()) {
                    col.distance_m
                        .push(a.nearest.map_or(f64::NAN, |h| h.distance_m));
                    col.nearest
                        .push(a.nearest.map_or(NO_FEATURE, |h| h.feature));
                    col.ok.push(a.ok);
                    *all &= a.ok;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The radix path orders exactly as the comparison sort, ties included.
        #[test]
        fn radix_equals_sort(
            coords in proptest::collection::vec((0.0f64..30_000.0, 0.0f64..30_000.0), 0..3000),
            dup in 0usize..50,
        ) {
            let mut points: Vec<Coord> = coords.iter().map(|&(x, y)| Coord { x, y }).collect();
            let copies: Vec<Coord> = points.iter().take(dup).copied().collect();
            points.extend(copies);
            let (keys, bits) = z_keys(&points);
            proptest::prop_assert!(bits <= 32);
            proptest::prop_assert_eq!(by_radix(&keys, bits), by_sort(&keys));
        }
    }
}
