//! `μ(D_i)` of a drawn layer on machine words: every tap written as an integer over the
//! layer's one common denominator `D`, each aperiodic correlation is an integer sum `c / D²`,
//! and the largest `|c|` over the same pairs and shifts as [`mutual_coherence`] gives
//! `μ = max |c| / D²`, reduced once. A layer without such a view, or a sum that would overflow
//! `i128`, takes [`mutual_coherence`] (the same exact rational).

use super::*;
use crate::integer_view::IntegerView;

/// `μ(D_i)` of `layer`, equal to [`mutual_coherence`].
pub(super) fn layer_coherence(layer: &Layer<SmallRational>) -> SmallRational {
    integer_coherence(layer).unwrap_or_else(|| mutual_coherence(layer))
}

/// `μ(D_i)` over one common denominator, or `None` when `i128` does not hold every step.
fn integer_coherence(layer: &Layer<SmallRational>) -> Option<SmallRational> {
    let m = layer.filter_count();
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let size = n * m_prev;
    let taps: Vec<SmallRational> = (0..m)
        .flat_map(|c| layer.filter(c).iter().cloned())
        .collect();
    let (numerators, denominator) = SmallRational::over_common_denominator(&taps)?;
    let square = denominator.checked_mul(denominator)?;
    let largest = numerators
        .iter()
        .map(|x| x.unsigned_abs())
        .max()
        .unwrap_or(0);
    // With `x² n m_{i-1} < 2^63` for the largest `|x|`, every partial sum of at most
    // `n m_{i-1}` products is below `2^63` in magnitude: `i64` holds every step.
    let on_i64 = largest <= 1 << 31 && largest * largest * (size.max(1) as u128) < 1 << 63;
    let best = if on_i64 {
        let words: Vec<i64> = numerators.iter().map(|&x| x as i64).collect();
        largest_correlation(
            &words,
            m,
            n,
            m_prev,
            |x, y| Some(x * y),
            |s, t| Some(s + t),
            0,
        )?
    } else {
        largest_correlation(
            &numerators,
            m,
            n,
            m_prev,
            i128::checked_mul,
            i128::checked_add,
            0,
        )?
    };
    Some(SmallRational::from_integer_fraction(
        i128::try_from(best).ok()?,
        square,
    ))
}

/// The largest `|Σ f_a[t] f_b[t + s]|` over the pairs and shifts of [`mutual_coherence`], for
/// `m` filters of `n` taps of `m_prev` channels written one after another in `taps`; `None`
/// when a product or a sum does not fit (`multiply`, `add` return `None`).
fn largest_correlation<T: Copy + Into<i128>>(
    taps: &[T],
    m: usize,
    n: usize,
    m_prev: usize,
    multiply: impl Fn(T, T) -> Option<T>,
    add: impl Fn(T, T) -> Option<T>,
    zero: T,
) -> Option<u128> {
    let size = n * m_prev;
    let mut best: u128 = 0;
    for shift in 0..n {
        let overlap = (n - shift) * m_prev;
        for a in 0..m {
            for b in 0..m {
                if shift == 0 && a >= b {
                    continue;
                }
                let fa = &taps[a * size..a * size + overlap];
                let fb = &taps[b * size + shift * m_prev..(b + 1) * size];
                let mut sum = zero;
                for (x, y) in fa.iter().zip(fb) {
                    sum = add(sum, multiply(*x, *y)?)?;
                }
                best = best.max(sum.into().unsigned_abs());
            }
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::seed::case_rng;
    use rand::RngExt;

    /// The coherence on machine words is [`mutual_coherence`], on the layers of drawn models
    /// (every design, every depth) and on random small layers with taps of mixed denominators;
    /// counts the layers of nonzero coherence and those that took the integer view.
    #[test]
    fn integer_coherence_is_the_mutual_coherence() {
        let settings = Theorem2Settings::paper(Thresholding::Soft);
        let (mut layers, mut nonzero, mut on_words) = (0, 0, 0);
        let mut check = |layer: &Layer<SmallRational>| {
            let plain = mutual_coherence(layer);
            assert_eq!(layer_coherence(layer), plain);
            layers += 1;
            nonzero += usize::from(!plain.is_zero());
            on_words += usize::from(integer_coherence(layer).is_some());
        };
        for case in 0..300 {
            let mut rng = case_rng(21, case);
            let depth = rng.random_range(1..=3usize);
            let (filters, _) = draw_model(&mut rng, &settings, depth);
            for (i, f) in filters.into_iter().enumerate() {
                check(&designed_layer(i + 1, f).map(|v| SmallRational::from(v)));
            }
        }
        // Small taps (the `i64` sums) and taps of large numerators and denominators (the
        // checked `i128` sums), over denominators `2^k` that keep the common one small.
        for case in 0..600 {
            let mut rng = case_rng(22, case);
            let (top, bottom) = if case % 2 == 0 { (5, 6) } else { (1 << 40, 20) };
            let (m, n, m_prev) = (
                rng.random_range(1..=3usize),
                rng.random_range(1..=4usize),
                rng.random_range(1..=3usize),
            );
            let filters = (0..m)
                .map(|_| {
                    (0..n)
                        .map(|_| {
                            (0..m_prev)
                                .map(|_| {
                                    SmallRational::new(
                                        rng.random_range(-top..=top),
                                        if bottom > 6 {
                                            1 << rng.random_range(0..=bottom)
                                        } else {
                                            rng.random_range(1..=bottom)
                                        },
                                    )
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect();
            if let Ok(layer) = Layer::new_unchecked_norm(1, filters) {
                check(&layer);
            }
        }
        eprintln!("{layers} layers, {nonzero} of nonzero coherence, {on_words} on words");
        assert!(layers >= 1000 && nonzero >= 700 && on_words >= 1000);
    }
}
