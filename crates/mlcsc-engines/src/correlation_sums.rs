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

mod wide;

pub(crate) use wide::{
    Wide, WideSignal, limit_magnitude, wide_entries, wide_signal, wide_signal_of_words,
};

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
/// all zero). The entries are first all set to the zero image in one run (as
/// [`Scalar::zero`](mlcsc_spec::scalar::Scalar::zero) when it is zero, rather than cloned), then
/// the nonzero sums of the touched positions replace theirs, in order.
fn assemble<X: Default + Zero, S: IntegerView>(
    touched: &[bool],
    m: usize,
    sums: &mut [X],
    zero_image: &S,
    mut entry: impl FnMut(X) -> S,
) -> Vec<S> {
    let length = touched.len() * m;
    let mut entries = Vec::with_capacity(length);
    if zero_image.is_zero() {
        entries.resize_with(length, S::zero);
    } else {
        entries.resize(length, zero_image.clone());
    }
    let runs = sums.chunks_exact_mut(m).zip(entries.chunks_exact_mut(m));
    for (&touched, (sums, entries)) in touched.iter().zip(runs) {
        if !touched {
            continue;
        }
        for (s, out) in sums.iter_mut().zip(entries) {
            if !s.is_zero() {
                *out = entry(std::mem::take(s));
            }
        }
    }
    entries
}

thread_local! {
    /// The `i128` sums of one call, all zero between calls, and the taps side by side, reused.
    static WORD_SUMS: RefCell<(Vec<i128>, Vec<i128>)> =
        const { RefCell::new((Vec::new(), Vec::new())) };
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
    WORD_SUMS.with_borrow_mut(|(sums, side_by_side)| {
        if sums.len() < length * m {
            sums.resize(length * m, 0);
        }
        word_products(shape(layer), taps, side_by_side, signal, &mut touched, sums);
        assemble(&touched, m, &mut sums[..length * m], zero_image, entry)
    })
}

/// [`each_product`] on words, adding every product to `sums`: the taps are first laid side by
/// side, `f_c[t][k]` at `(t m_{i-1} + k) m_i + c`, so that for a nonzero entry at channel `k`
/// and a tap `t` the `m_i` filters' taps meet the `m_i` sums of one position in one run (a
/// zero tap adds zero). Layers of one to three filters take a loop of that width; when every
/// tap and numerator fits an `i64`, each product is one widening multiplication.
fn word_products(
    (n, m_prev, m): (usize, usize, usize),
    taps: &[i128],
    side_by_side: &mut Vec<i128>,
    signal: &[(usize, i128)],
    touched: &mut [bool],
    sums: &mut [i128],
) {
    side_by_side.clear();
    side_by_side
        .extend((0..n * m_prev).flat_map(|tk| (0..m).map(move |c| taps[c * n * m_prev + tk])));
    let narrow = |v: &i128| i64::try_from(*v).is_ok();
    let products = Products {
        columns: side_by_side,
        signal,
        n,
        m_prev,
    };
    if taps.iter().all(narrow) && signal.iter().all(|(_, x)| narrow(x)) {
        products.add(m, touched, sums, |f, x| {
            i128::from(f as i64) * i128::from(x as i64)
        });
    } else {
        products.add(m, touched, sums, |f, x| f * x);
    }
}

/// The products of [`word_products`]: the taps side by side, the signal, `n` and `m_{i-1}`.
struct Products<'a> {
    columns: &'a [i128],
    signal: &'a [(usize, i128)],
    n: usize,
    m_prev: usize,
}

impl Products<'_> {
    /// Adds every product `multiply(f, x)` to the sums, `m` filters side by side.
    fn add(
        &self,
        m: usize,
        touched: &mut [bool],
        sums: &mut [i128],
        multiply: impl Fn(i128, i128) -> i128 + Copy,
    ) {
        match m {
            1 => self.add_of_width::<1>(touched, sums, multiply),
            2 => self.add_of_width::<2>(touched, sums, multiply),
            3 => self.add_of_width::<3>(touched, sums, multiply),
            _ => self.each_run(m, touched, sums, |filters, run, x| {
                for (sum, &f) in run.iter_mut().zip(filters) {
                    *sum += multiply(f, x);
                }
            }),
        }
    }

    /// [`Products::add`] for `M` filters, a loop of fixed width.
    fn add_of_width<const M: usize>(
        &self,
        touched: &mut [bool],
        sums: &mut [i128],
        multiply: impl Fn(i128, i128) -> i128,
    ) {
        self.each_run(M, touched, sums, |filters, run, x| {
            let (filters, run): (&[i128; M], &mut [i128; M]) = (
                filters.try_into().expect("M taps"),
                run.try_into().expect("M sums"),
            );
            for c in 0..M {
                run[c] += multiply(filters[c], x);
            }
        });
    }

    /// Calls `add(taps, run, x)` with the `m` taps `f_c[t][k]` and the run of `m` sums of
    /// position `p = (q − t) mod N`, for every nonzero entry `x = z[q, k]` and tap `t`, and
    /// marks `p` touched.
    fn each_run(
        &self,
        m: usize,
        touched: &mut [bool],
        sums: &mut [i128],
        mut add: impl FnMut(&[i128], &mut [i128], i128),
    ) {
        let length = touched.len();
        for &(index, x) in self.signal {
            let (q, k) = (index / self.m_prev, index % self.m_prev);
            let mut p = q;
            for t in 0..self.n {
                touched[p] = true;
                let filters = &self.columns[(t * self.m_prev + k) * m..][..m];
                add(filters, &mut sums[p * m..][..m], x);
                p = if p == 0 { length - 1 } else { p - 1 };
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_stream::xorshift;

    /// The assembled entries are, position by position, the zero image at an untouched
    /// position or a zero sum and `entry(s)` at every other, with every sum left zero, for
    /// zero images that are zero and that are not.
    #[test]
    fn assembled_entries_are_the_images_of_the_sums() {
        use crate::small_rational::SmallRational;
        let mut next = xorshift(0xa55e_2026);
        for round in 0..3000 {
            let (length, m) = ((next() % 12) as usize, 1 + (next() % 4) as usize);
            let touched: Vec<bool> = (0..length).map(|_| next() % 3 != 0).collect();
            let mut sums: Vec<i128> = (0..length * m)
                .map(|i| match next() % 3 {
                    _ if !touched[i / m] => 0,
                    0 => 0,
                    _ => (next() % 201) as i128 - 100,
                })
                .collect();
            let image = match round % 2 {
                0 => SmallRational::zero(),
                _ => SmallRational::new(-1, 3),
            };
            let expected: Vec<SmallRational> = (sums.iter().enumerate())
                .map(|(i, &s)| match s {
                    0 => image.clone(),
                    _ if !touched[i / m] => unreachable!("untouched sums are zero"),
                    _ => SmallRational::new(s as i64, 7),
                })
                .collect();
            let entries = assemble(&touched, m, &mut sums, &image, |s| {
                SmallRational::new(s as i64, 7)
            });
            assert_eq!(entries, expected, "{touched:?}");
            assert!(sums.iter().all(|&s| s == 0));
        }
    }

    /// The word products, taken by filters side by side, are the products [`each_product`]
    /// lists one by one: the same sums and the same touched positions, for layers of every
    /// shape (zero taps and entries at either end of the line included), on `i64` words and
    /// beyond.
    #[test]
    fn word_products_are_the_listed_products() {
        let mut next = xorshift(0x5ead_2026);
        for _ in 0..3000 {
            let (n, m_prev, m) = (
                1 + (next() % 5) as usize,
                1 + (next() % 4) as usize,
                1 + (next() % 4) as usize,
            );
            let length = n + (next() % 8) as usize;
            let taps: Vec<i128> = (0..m * n * m_prev)
                .map(|_| (next() % 7) as i128 - 3)
                .collect();
            // Numerators beyond `i64` in one layer of three.
            let scale = if next() % 3 == 0 { 1i128 << 70 } else { 1 };
            let mut signal: Vec<(usize, i128)> = Vec::new();
            for index in 0..length * m_prev {
                if next() % 3 == 0 {
                    signal.push((index, ((next() % 1001) as i128 - 500) * scale));
                }
            }
            let (mut touched, mut expected_touched) = (vec![false; length], vec![false; length]);
            let mut expected = vec![0i128; length * m];
            each_product(
                (n, m_prev, m),
                &taps,
                &signal,
                &mut expected_touched,
                |i, f, x| {
                    expected[i] += f * x;
                },
            );
            let mut sums = vec![0i128; length * m];
            word_products(
                (n, m_prev, m),
                &taps,
                &mut Vec::new(),
                &signal,
                &mut touched,
                &mut sums,
            );
            assert_eq!(sums, expected, "{n} {m_prev} {m} {length}");
            assert_eq!(touched, expected_touched);
        }
    }
}
