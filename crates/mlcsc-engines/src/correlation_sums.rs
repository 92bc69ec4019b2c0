//! `D_iᵀ Z` as integer sums over one denominator, formed only where `Z` reaches.
//!
//! With the taps as integers over `D_f` and the nonzero entries of `Z` as integers over `D_z`,
//! atom `(p, c)` of `D_iᵀ Z` is `s / (D_f D_z)` with `s = Σ_{t, c'} f_c[t][c'] z[p + t, c']`.
//! Each nonzero entry `z[q, c']` adds `f_c[t][c'] z[q, c']` to the atom at `p = (q − t) mod N`
//! for `t < n`: only the positions so reached (the *touched* positions, at most `n` per
//! nonzero position of `Z`) can hold a nonzero sum; every other atom is exactly zero and is
//! not visited. A thresholded estimate is mostly zeros, so a layer's correlations cost the
//! products of its few nonzero entries and the atoms they reach, not `N m_i` entries.

use std::cell::RefCell;

use num_bigint::BigInt;
use num_traits::Zero;

use crate::integer_view::IntegerView;
use crate::model::{Layer, LayerVector};

/// `Z`'s nonzero entries `(index, numerator)` over one common denominator.
pub(crate) enum SignalView {
    /// In `i128`.
    Words(Vec<(usize, i128)>, i128),
    /// In big integers, when the common denominator or a numerator outgrows `i128`.
    Big(Vec<(usize, BigInt)>, BigInt),
}

/// `Z`'s view: in `i128` where it fits, else in big integers; `None` without either (`f64`).
pub(crate) fn signal_view<S: IntegerView>(z: &LayerVector<S>) -> Option<SignalView> {
    if let Some((nonzero, denominator)) = S::nonzero_over_common_denominator(z.entries()) {
        return Some(SignalView::Words(nonzero, denominator));
    }
    let (nonzero, denominator) = S::over_big_common_denominator(z.entries())?;
    Some(SignalView::Big(nonzero, denominator))
}

/// The number of bits of `x` (0 for 0).
pub(crate) fn bits(x: u128) -> u32 {
    u128::BITS - x.leading_zeros()
}

/// Whether a sum of `n m_{i-1}` products of these taps and these numerators stays below
/// `2^126` (so that no `i128` sum overflows).
pub(crate) fn word_sums_fit(layer_terms: usize, taps: &[i128], signal: &[(usize, i128)]) -> bool {
    let taps = taps.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    let signal = signal
        .iter()
        .map(|(_, v)| v.unsigned_abs())
        .max()
        .unwrap_or(0);
    bits(taps) + bits(signal) + bits(layer_terms as u128) <= 126
}

/// Calls `add(index, f, x)` for every product `f = f_c[t][c'] ≠ 0` of a nonzero entry
/// `x = z[q, c']` (at `index = q m_{i-1} + c'` of `signal`), with `index` the atom
/// `p m_i + c`, `p = (q − t) mod N`; marks `touched[p]` for each position reached.
fn each_product<X>(
    layer_shape: (usize, usize, usize),
    taps: &[i128],
    signal: &[(usize, X)],
    touched: &mut [bool],
    mut add: impl FnMut(usize, i128, &X),
) {
    let (n, m_prev, m) = layer_shape;
    let length = touched.len();
    for (index, x) in signal {
        let (q, k) = (index / m_prev, index % m_prev);
        // `p = (q − t) mod N`, stepped down with `t` (no division per tap).
        let mut p = q;
        for t in 0..n {
            touched[p] = true;
            for c in 0..m {
                let f = taps[(c * n + t) * m_prev + k];
                if f != 0 {
                    add(p * m + c, f, x);
                }
            }
            p = if p == 0 { length - 1 } else { p - 1 };
        }
    }
}

/// The layer's shape `(n, m_{i-1}, m_i)`.
fn shape<S: IntegerView>(layer: &Layer<S>) -> (usize, usize, usize) {
    (
        layer.filter_length(),
        layer.input_channels(),
        layer.filter_count(),
    )
}

/// The entries `N m_i` of the result: `zero_image` where the sum is zero (every atom at an
/// untouched position), `entry(s)` for every other sum `s`, taken out of `sums` (which is left
/// all zero).
fn assemble<X: Default + Zero, S: Clone>(
    touched: &[bool],
    m: usize,
    sums: &mut [X],
    zero_image: &S,
    mut entry: impl FnMut(X) -> S,
) -> Vec<S> {
    let mut entries = vec![zero_image.clone(); touched.len() * m];
    for (p, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
        for index in p * m..(p + 1) * m {
            let s = std::mem::take(&mut sums[index]);
            if !s.is_zero() {
                entries[index] = entry(s);
            }
        }
    }
    entries
}

thread_local! {
    /// The `i128` sums of one call, reused: all zero between calls.
    static WORD_SUMS: RefCell<Vec<i128>> = const { RefCell::new(Vec::new()) };
}

/// The entries of `D_iᵀ Z` on words: `zero_image` for a zero sum, `entry(s)` for the sum `s`
/// of every other atom (the value `s / (D_f D_z)`). The caller has checked [`word_sums_fit`].
pub(crate) fn word_entries<S: IntegerView>(
    layer: &Layer<S>,
    length: usize,
    taps: &[i128],
    signal: &[(usize, i128)],
    zero_image: &S,
    entry: impl FnMut(i128) -> S,
) -> Vec<S> {
    let m = layer.filter_count();
    let mut touched = vec![false; length];
    WORD_SUMS.with_borrow_mut(|sums| {
        if sums.len() < length * m {
            sums.resize(length * m, 0);
        }
        each_product(shape(layer), taps, signal, &mut touched, |index, f, x| {
            sums[index] += f * x;
        });
        assemble(&touched, m, sums, zero_image, entry)
    })
}

/// [`word_entries`] in big integers, for `Z`'s numerators of any size.
pub(crate) fn big_entries<S: IntegerView>(
    layer: &Layer<S>,
    length: usize,
    taps: &[i128],
    signal: &[(usize, BigInt)],
    zero_image: &S,
    entry: impl FnMut(BigInt) -> S,
) -> Vec<S> {
    let m = layer.filter_count();
    let mut touched = vec![false; length];
    let mut sums = vec![BigInt::zero(); length * m];
    // Each product is formed in one buffer, reused (no allocation per product).
    let mut product = BigInt::zero();
    each_product(shape(layer), taps, signal, &mut touched, |index, f, x| {
        product.clone_from(x);
        product *= f;
        sums[index] += &product;
    });
    assemble(&touched, m, &mut sums, zero_image, entry)
}
