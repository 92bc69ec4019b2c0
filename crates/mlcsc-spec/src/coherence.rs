//! Mutual coherence of a convolutional dictionary (docs/math.md §3).
//!
//! `μ(D_i)` is the largest `|⟨a, b⟩|` over distinct unit atoms. With `N ≥ 2 n_i - 1` two atoms
//! overlap at most once, so `μ` is the largest aperiodic filter correlation
//! `max |Σ_t Σ_{c''} f_c[t][c''] · f_{c'}[t+s][c'']|` over `|s| ≤ n_i - 1`, `(c, s) ≠ (c', 0)`,
//! computed here at cost `O(m_i² n_i² m_{i-1})`, independent of `N`. For rational unit filters
//! it is an exact rational.

use nalgebra::DMatrix;

use crate::model::Layer;
use crate::scalar::{Rational, Scalar};

/// The aperiodic correlation `Σ_t Σ_{c''} f_a[t][c''] · f_b[t+s][c'']` for a shift `s ≥ 0`.
pub fn filter_correlation<S: Scalar>(layer: &Layer<S>, a: usize, b: usize, shift: usize) -> S {
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let fa = layer.filter(a);
    let fb = layer.filter(b);
    let overlap = n.saturating_sub(shift) * m_prev;
    S::dot(fa[..overlap].iter().zip(&fb[shift * m_prev..]))
}

/// Where the coherence is attained: atoms `(0, first)` and `(shift, second)`.
#[derive(Clone, Debug, PartialEq)]
pub struct CoherenceWitness<S> {
    /// `μ`.
    pub coherence: S,
    /// The filter of the first atom.
    pub first: usize,
    /// The filter of the second atom.
    pub second: usize,
    /// The shift of the second atom relative to the first.
    pub shift: usize,
}

/// `μ(D_i)` with the pair of atoms attaining it. When `μ = 0` (no two atoms correlate, for
/// instance `m = n = 1`) the witness `(0, 0, shift 0)` names no pair and only the value counts.
pub fn mutual_coherence_with_witness<S: Scalar>(layer: &Layer<S>) -> CoherenceWitness<S> {
    let m = layer.filter_count();
    let mut best = CoherenceWitness {
        coherence: S::zero(),
        first: 0,
        second: 0,
        shift: 0,
    };
    for shift in 0..layer.filter_length() {
        for a in 0..m {
            for b in 0..m {
                if shift == 0 && a >= b {
                    // (a, a, 0) is an atom with itself; (a, b, 0) and (b, a, 0) coincide.
                    continue;
                }
                let value = filter_correlation(layer, a, b, shift).abs();
                if value > best.coherence {
                    best = CoherenceWitness {
                        coherence: value,
                        first: a,
                        second: b,
                        shift,
                    };
                }
            }
        }
    }
    best
}

/// `μ(D_i)`, the mutual coherence, computed locally.
pub fn mutual_coherence<S: Scalar>(layer: &Layer<S>) -> S {
    mutual_coherence_with_witness(layer).coherence
}

/// `μ` from the dense Gram matrix `DᵀD` of the global dictionary (columns must be unit): the
/// largest off-diagonal magnitude. For cross-checks on small `N` only.
pub fn dense_mutual_coherence<S: Scalar + nalgebra::Scalar>(dictionary: &DMatrix<S>) -> S {
    let columns = dictionary.ncols();
    let mut best = S::zero();
    for a in 0..columns {
        for b in (a + 1)..columns {
            let mut acc = S::zero();
            for r in 0..dictionary.nrows() {
                S::multiply_accumulate(&mut acc, &dictionary[(r, a)], &dictionary[(r, b)]);
            }
            let value = acc.abs();
            if value > best {
                best = value;
            }
        }
    }
    best
}

/// The square of the Welch-type lower bound on `μ(D_i)` (docs/math.md §3, DERIVED), exact:
///
/// `μ(D)² ≥ (m - m_prev) / (m_prev (m(2n - 1) - 1))` when `m > m_prev`, and 0 otherwise,
///
/// with `m = m_i` filters of length `n = n_i` over `m_prev = m_{i-1}` input channels. The
/// `N = 2n - 1` dictionary has `A = m(2n - 1)` unit atoms in dimension `d = (2n - 1) m_prev`, and
/// the Welch bound `(A - d) / (d (A - 1))` for `A > d` unit vectors is largest at that `N`. With
/// `m_prev = 1` it is the classical `μ ≥ sqrt((m - 1) / (m(2n - 1) - 1))`.
pub fn welch_bound_squared(
    layer_filter_count: usize,
    filter_length: usize,
    input_channels: usize,
) -> Rational {
    let atoms = (layer_filter_count * (2 * filter_length - 1)) as i64;
    let dimension = ((2 * filter_length - 1) * input_channels) as i64;
    if atoms <= dimension || atoms <= 1 {
        return Rational::from_integer(0.into());
    }
    // Welch: μ² ≥ (A - d) / (d (A - 1)) for A unit vectors in dimension d; with d = (2n-1) m_prev
    // and A = m (2n - 1) this is (m - m_prev) / (m_prev (m (2n-1) - 1)).
    Rational::new((atoms - dimension).into(), (dimension * (atoms - 1)).into())
}

/// The Welch-type lower bound as an `f64`.
pub fn welch_bound(layer_filter_count: usize, filter_length: usize, input_channels: usize) -> f64 {
    welch_bound_squared(layer_filter_count, filter_length, input_channels)
        .to_f64()
        .sqrt()
}
