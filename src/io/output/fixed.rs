//! Fixed-point formatting of floats, byte for byte what `format!("{v:.N}")` writes (ties to
//! even on the exact binary value), without the general formatter: the per-point files
//! write five or more such numbers per row, and the general path cost more than the rest of
//! the row.

use std::io::Write;

/// Digits after the point this path handles; more go through `format!`.
const MAX_DIGITS: u32 = 9;

/// Append `v` with `digits` decimals to `out`, exactly as `format!("{v:.digits$}")`.
pub(crate) fn push_fixed(out: &mut Vec<u8>, v: f64, digits: u32) {
    if !v.is_finite() || v.abs() >= 1e15 || digits > MAX_DIGITS {
        // Infallible: writing into a Vec.
        let _ = write!(out, "{:.*}", digits as usize, v);
        return;
    }
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // v = mantissa · 2^power exactly.
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    let scale = 10u128.pow(digits);
    // mantissa · scale < 2^53 · 2^30: fits, and so does the shift left below (v < 1e15).
    let n = u128::from(mantissa) * scale;
    let q = if power >= 0 {
        n << power
    } else if power <= -127 {
        // v · scale < 2^83 · 2^-127: far below one half.
        0
    } else {
        let shift = (-power) as u32;
        let q = n >> shift;
        let rest = n & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rest > half || (rest == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    if v.is_sign_negative() {
        out.push(b'-');
    }
    // Division of u128 is slow: most values fit u64.
    let (whole, part) = match u64::try_from(q) {
        Ok(q) => {
            let scale = scale as u64;
            (u128::from(q / scale), q % scale)
        }
        Err(_) => (q / scale, (q % scale) as u64),
    };
    match u64::try_from(whole) {
        Ok(w) => push_digits(out, w),
        Err(_) => {
            let _ = write!(out, "{whole}");
        }
    }
    if digits > 0 {
        out.push(b'.');
        let mut tail = [b'0'; MAX_DIGITS as usize];
        let mut p = part;
        for d in tail[..digits as usize].iter_mut().rev() {
            *d = b'0' + (p % 10) as u8;
            p /= 10;
        }
        out.extend_from_slice(&tail[..digits as usize]);
    }
}

/// The decimal digits of `v`.
fn push_digits(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixed(v: f64, digits: u32) -> String {
        let mut out = Vec::new();
        push_fixed(&mut out, v, digits);
        String::from_utf8(out).unwrap()
    }

    fn same(v: f64) {
        for digits in [0, 1, 2, 3, 7, 9, 12] {
            assert_eq!(
                fixed(v, digits),
                format!("{:.*}", digits as usize, v),
                "{v:?} with {digits} digits"
            );
        }
    }

    #[test]
    fn ties_signs_and_edges() {
        for v in [
            0.0,
            -0.0,
            0.25,
            0.75,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            0.005,
            0.015,
            1.005,
            -1e-12,
            1e-300,
            5e-324,
            -5e-324,
            0.999_999_999_5,
            9.995,
            123_456.785,
            1e14,
            999_999_999_999_999.0,
            1e15,
            1e16,
            -2.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            106.574_201_55,
            29.560_940_25,
        ] {
            same(v);
        }
        // Every multiple of 2^-12 in [0, 8): ties at every precision up to 12 bits.
        for k in 0..(8 << 12) {
            same(f64::from(k) / 4096.0);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn equals_the_formatter(bits in any::<u64>(), lonlat in -180.0..180.0f64, m in 0.0..6000.0f64) {
            same(f64::from_bits(bits));
            same(lonlat);
            same(m);
        }
    }
}
