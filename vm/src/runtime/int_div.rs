//! Floor division of big ints, with a linear-time path for short quotients.
//!
//! `num-bigint` divides with Burnikel–Ziegler recursion whatever the quotient's size; for
//! two long numbers whose quotient fits in a machine word (pidigits' `(q*j + r) // (s*j +
//! t)`, most `x % m` with `x < m * 2**62`), that recursion does many times the work of
//! the answer. CPython's schoolbook division costs one pass over the digits there. This
//! module estimates such a quotient from the top 128 bits of the dividend and the top 64
//! of the divisor, corrects it by at most a step or two, and finds the remainder with one
//! scalar multiply and one subtraction.

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::Zero;

/// Divisors shorter than this many bits go to `num-bigint`, whose single-word and
/// schoolbook paths are as fast.
const MIN_DIVISOR_BITS: u64 = 256;

/// The longest quotient, in bits, the estimate handles (so it fits an u64 with room).
const MAX_QUOTIENT_BITS: u64 = 62;

/// `(x // y, x % y)` with Python's floor semantics. `y` must not be zero.
pub fn div_mod_floor(x: &BigInt, y: &BigInt) -> (BigInt, BigInt) {
    let Some((q, r)) = short_quotient(x.magnitude(), y.magnitude()) else {
        return x.div_mod_floor(y);
    };
    // Truncated division first: the quotient's sign is the product of the signs, the
    // remainder's is the dividend's.
    let neg_q = (x.sign() == Sign::Minus) != (y.sign() == Sign::Minus);
    let q = BigInt::from_biguint(
        if neg_q { Sign::Minus } else { Sign::Plus },
        BigUint::from(q),
    );
    let r = BigInt::from_biguint(x.sign(), r);
    // Floor: a nonzero remainder whose sign differs from the divisor's moves one step.
    if !r.is_zero() && (r.sign() == Sign::Minus) != (y.sign() == Sign::Minus) {
        (q - 1u32, r + y)
    } else {
        (q, r)
    }
}

/// `x // y` (floor). `y` must not be zero.
pub fn div_floor(x: &BigInt, y: &BigInt) -> BigInt {
    div_mod_floor(x, y).0
}

/// `x % y` (floor: the sign of `y`). `y` must not be zero.
pub fn mod_floor(x: &BigInt, y: &BigInt) -> BigInt {
    div_mod_floor(x, y).1
}

/// `(a / b, a % b)` when `b` is long and the quotient short; `None` otherwise.
fn short_quotient(a: &BigUint, b: &BigUint) -> Option<(u64, BigUint)> {
    let (abits, bbits) = (a.bits(), b.bits());
    if bbits < MIN_DIVISOR_BITS || abits > bbits + MAX_QUOTIENT_BITS {
        return None;
    }
    if a < b {
        return Some((0, a.clone()));
    }
    // With s = bbits - 64: b_top = b >> s has its top bit set, a_top = a >> s has at most
    // 64 + 62 bits, and q = a // b lies in [a_top // (b_top + 1), a_top // b_top], a range
    // of at most two values for a quotient this short.
    let s = bbits - 64;
    let b_top = bits_at(b, s) as u64;
    let a_top = bits_at(a, s);
    let mut q = (a_top / b_top as u128) as u64;
    let mut p = b * q;
    while &p > a {
        q -= 1;
        p -= b;
    }
    let mut r = a - p;
    while &r >= b {
        q += 1;
        r -= b;
    }
    Some((q, r))
}

/// The low 128 bits of `v >> s`.
fn bits_at(v: &BigUint, s: u64) -> u128 {
    let shift = (s % 64) as u32;
    let mut digits = v.iter_u64_digits().skip((s / 64) as usize);
    let mut word = || digits.next().unwrap_or(0) as u128;
    let (d0, d1, d2) = (word(), word(), word());
    if shift == 0 {
        d0 | (d1 << 64)
    } else {
        // Bits past 128 fall off the top.
        (d0 >> shift) | (d1 << (64 - shift)) | (d2 << (128 - shift))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::One;

    fn from_u64s(words: &[u64]) -> BigUint {
        words
            .iter()
            .rev()
            .fold(BigUint::zero(), |acc, &w| (acc << 64u32) + w)
    }

    fn check(x: &BigInt, y: &BigInt) {
        let want = x.div_mod_floor(y);
        assert_eq!(div_mod_floor(x, y), want, "{x} divmod {y}");
    }

    /// A deterministic spread of long numbers with every sign and quotient length around
    /// the limits, including exact multiples and quotients just below a power of two.
    #[test]
    fn agrees_with_num_bigint_on_long_operands() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..400 {
            let words = 4 + (next() % 40) as usize;
            let mut digits: Vec<u64> = (0..words).map(|_| next()).collect();
            digits[words - 1] |= 1 << 63;
            let y = BigInt::from_biguint(Sign::Plus, from_u64s(&digits));
            for qbits in [0u32, 1, 5, 31, 61, 62, 63, 64, 100] {
                let q = (BigInt::one() << qbits) - 1u32 + (next() % 3);
                let r = BigInt::from(next()) % &y;
                let x = &y * &q + &r;
                if qbits <= 60 {
                    assert!(short_quotient(x.magnitude(), y.magnitude()).is_some());
                }
                for (sx, sy) in [(1, 1), (-1, 1), (1, -1), (-1, -1)] {
                    let (xx, yy) = (&x * sx, &y * sy);
                    check(&xx, &yy);
                    check(&(&xx - 1u32), &yy);
                    check(&(&y * &q * sx), &yy);
                }
            }
        }
    }

    #[test]
    fn the_bits_at_any_offset_are_the_shifted_number() {
        let v = from_u64s(&[0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0xdead_beef]);
        for s in [0u64, 1, 17, 63, 64, 65, 100, 127, 128, 150] {
            let want: BigUint = (&v >> s) & ((BigUint::one() << 128u32) - 1u32);
            assert_eq!(BigUint::from(bits_at(&v, s)), want, "shift {s}");
        }
    }
}
