//! Items grouped by bucket in CSR form (a counting sort), built in parallel without locks:
//! the counts over slices of the items, one slice a thread, then the filling over up to four
//! ranges of buckets, each scanning every item and writing only its own
//! part of the output. Within a bucket, items keep their order.

use rayon::prelude::*;

/// Most ranges of buckets filled at once (each scans every item).
const FILL_PARTS: usize = 4;

/// `emit(i)` lists the `(bucket, value)` pairs of item `i` (any number, buckets below
/// `n_buckets`); the result is the start of each bucket's values (one more than buckets) and
/// the values, bucket after bucket, in item order within each.
pub(crate) fn group<T, I, F>(
    n_items: usize,
    n_buckets: usize,
    blank: T,
    emit: F,
) -> (Vec<u32>, Vec<T>)
where
    T: Copy + Send + Sync,
    I: Iterator<Item = (usize, T)>,
    F: Fn(usize) -> I + Sync,
{
    let threads = rayon::current_num_threads().max(1);
    let slice = n_items.div_ceil(threads).max(1);
    let mut start = (0..threads)
        .into_par_iter()
        .map(|k| {
            let mut count = vec![0u32; n_buckets + 1];
            for i in (k * slice).min(n_items)..((k + 1) * slice).min(n_items) {
                for (b, _) in emit(i) {
                    count[b + 1] += 1;
                }
            }
            count
        })
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
            a
        })
        .unwrap_or_else(|| vec![0u32; n_buckets + 1]);
    for b in 0..n_buckets {
        start[b + 1] += start[b];
    }
    let total = start[n_buckets] as usize;
    let mut values = vec![blank; total];
    // Bucket ranges with about as many values each; at most FILL_PARTS of them, as every
    // part scans all the items.
    let parts_n = threads.min(FILL_PARTS);
    let mut cuts = vec![0usize];
    for k in 1..parts_n {
        let want = (total * k / parts_n) as u32;
        let b = start.partition_point(|&s| s < want).min(n_buckets);
        cuts.push(b.max(cuts[k - 1]));
    }
    cuts.push(n_buckets);
    let mut parts = Vec::with_capacity(parts_n);
    let mut rest = &mut values[..];
    for k in 0..parts_n {
        let (lo, hi) = (cuts[k], cuts[k + 1]);
        let len = (start[hi] - start[lo]) as usize;
        let (part, tail) = std::mem::take(&mut rest).split_at_mut(len);
        parts.push((lo, hi, part));
        rest = tail;
    }
    let start_ref = &start;
    parts.into_par_iter().for_each(|(lo, hi, part)| {
        if lo == hi {
            return;
        }
        let base = start_ref[lo];
        let mut next: Vec<u32> = start_ref[lo..hi].iter().map(|s| s - base).collect();
        for i in 0..n_items {
            for (b, v) in emit(i) {
                if (lo..hi).contains(&b) {
                    let at = &mut next[b - lo];
                    part[*at as usize] = v;
                    *at += 1;
                }
            }
        }
    });
    (start, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_filling_one_by_one(
            items in prop::collection::vec(prop::collection::vec(0..40usize, 0..4), 0..300),
            extra in 0..5usize,
        ) {
            let n_buckets = 40 + extra;
            let (start, values) = group(items.len(), n_buckets, u32::MAX, |i| {
                items[i].iter().map(move |&b| (b, i as u32))
            });
            let mut want: Vec<Vec<u32>> = vec![Vec::new(); n_buckets];
            for (i, bs) in items.iter().enumerate() {
                for &b in bs {
                    want[b].push(i as u32);
                }
            }
            prop_assert_eq!(start.len(), n_buckets + 1);
            for b in 0..n_buckets {
                prop_assert_eq!(&values[start[b] as usize..start[b + 1] as usize], &want[b][..]);
            }
        }
    }
}
