//! Radix sorting of packed words: a key of up to 32 bits above a 32-bit index in one `u64`,
//! sorted by least-significant-digit passes over the key's bits. Stable, so words with equal
//! keys stay in the order given (index order when built in index order).

/// Bits sorted per pass.
const DIGIT: u32 = 11;

/// Sort `v` by its bits 32 .. 32 + `bits` (at most 32), stably.
pub(crate) fn sort_by_key_bits(mut v: Vec<u64>, bits: u32) -> Vec<u64> {
    let mut tmp = vec![0u64; v.len()];
    let mask = (1u64 << DIGIT) - 1;
    let mut shift = 32;
    while shift < 32 + bits.min(32) {
        let mut counts = vec![0usize; 1 << DIGIT];
        for &x in &v {
            counts[((x >> shift) & mask) as usize] += 1;
        }
        let mut sum = 0;
        for c in &mut counts {
            (*c, sum) = (sum, sum + *c);
        }
        for &x in &v {
            let d = ((x >> shift) & mask) as usize;
            tmp[counts[d]] = x;
            counts[d] += 1;
        }
        std::mem::swap(&mut v, &mut tmp);
        shift += DIGIT;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The same order as a stable sort on the key bits.
        #[test]
        fn equals_a_stable_sort(keys in proptest::collection::vec(proptest::num::u32::ANY, 0..3000), bits in 0u32..=32) {
            let packed: Vec<u64> = keys.iter().enumerate().map(|(i, &k)| {
                let k = if bits == 32 { k } else { k & ((1u32 << bits) - 1) };
                (u64::from(k) << 32) | i as u64
            }).collect();
            let mut want = packed.clone();
            want.sort_by_key(|w| w >> 32);
            proptest::prop_assert_eq!(sort_by_key_bits(packed, bits), want);
        }
    }
}
