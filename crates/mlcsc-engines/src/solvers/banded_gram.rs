//! The Gram matrix `D_Sᵀ D_S` of a convolutional dictionary on a support `S`, and the exact
//! solution of `D_Sᵀ D_S x = b`, in time and memory linear in `|S|` for fixed filter sizes
//! (docs/math.md §7, `proofs/layered_basis_pursuit.md` C4).
//!
//! **Entries.** The atom `(p, c)` is the filter `f_c` placed at positions `p, …, p + n − 1`
//! (mod `N`), so two atoms meet only where their positions are closer than `n` (circularly):
//!
//! `⟨d_{p,a}, d_{q,b}⟩ = Σ_{δ ≡ q − p (mod N), |δ| < n} c_{ab}(δ)`, with
//! `c_{ab}(δ) = Σ_{t − t' = δ} ⟨f_a[t], f_b[t']⟩`,
//!
//! a table of `m² (2n − 1)` filter correlations, independent of `N` (the sum over `δ` has more
//! than one term only when `N < 2n − 1`, where an atom meets another on both sides).
//!
//! **Order.** Positions are rotated by an `r` chosen so that the *border*, the support entries
//! at rotated positions `π = (p − r) mod N < n − 1`, is as small as possible (empty whenever the
//! support leaves `n − 1` consecutive positions free). Two entries with `π, π' ≥ n − 1` meet
//! only when `|π − π'| < n`: a wrapped overlap would need `π' − π > N − n`, i.e. `π' ≥ N`. So in
//! the order *interior by `π`, then border*, the matrix is
//!
//! ```text
//! [ A   C ]    A banded: row i reaches at most to last(i), the last interior entry with
//! [ Cᵀ  E ]    π ≤ π_i + n − 1 (non-decreasing in i, so at most n·m − 1 entries further on);
//!              C and E the border's columns, E dense and at most (n − 1) m square.
//! ```
//!
//! **Elimination.** Symmetric Gaussian elimination (`LDLᵀ`, no pivoting) of the interior in
//! order: eliminating `i` updates only rows and columns in `(i, last(i)]` and the border, and
//! `last` is non-decreasing, so the fill stays inside the band and `C`; the Schur complement on
//! the border is then eliminated densely. Cost `O(|S| (h + w)²)` time and `O(|S| (h + w))`
//! memory for half-bandwidth `h ≤ n m` and border `w ≤ (n − 1) m`. A Gram matrix is positive
//! semidefinite, and a leading principal submatrix of a positive definite matrix is positive
//! definite; so every pivot is positive exactly when `D_Sᵀ D_S` is nonsingular, and a pivot
//! that is not positive means the matrix is singular (Sylvester's criterion).

use crate::coherence::filter_correlation;
use crate::model::{Layer, stripe_width};
use crate::scalar::Scalar;

/// The correlations `c_{ab}(δ)`, `|δ| < n`, of one layer's filters: every entry of every Gram
/// matrix of the layer's dictionary.
#[derive(Clone, Debug)]
pub struct AtomCorrelations<S> {
    filter_count: usize,
    filter_length: usize,
    signal_length: usize,
    /// `values[(a · m + b) · (2n − 1) + (δ + n − 1)] = c_{ab}(δ)`.
    values: Vec<S>,
}

impl<S: Scalar> AtomCorrelations<S> {
    /// The table of `layer` for signals of length `signal_length`.
    pub fn new(layer: &Layer<S>, signal_length: usize) -> Self {
        let m = layer.filter_count();
        let n = layer.filter_length();
        let width = layer.stripe_width();
        let mut values = Vec::with_capacity(m * m * width);
        for a in 0..m {
            for b in 0..m {
                for offset in 0..width {
                    // δ = offset − (n − 1); c_ab(δ) = Σ_t' ⟨f_a[t' + δ], f_b[t']⟩.
                    values.push(if offset + 1 >= n {
                        filter_correlation(layer, b, a, offset + 1 - n)
                    } else {
                        filter_correlation(layer, a, b, n - 1 - offset)
                    });
                }
            }
        }
        AtomCorrelations {
            filter_count: m,
            filter_length: n,
            signal_length,
            values,
        }
    }

    /// `⟨d_k, d_l⟩` for atoms `k = p · m + a` and `l = q · m + b`.
    pub fn inner_product(&self, k: usize, l: usize) -> S {
        let (m, n, length) = (self.filter_count, self.filter_length, self.signal_length);
        let (p, a, q, b) = (k / m, k % m, l / m, l % m);
        let d = (q + length - p % length) % length;
        let row = (a * m + b) * stripe_width(n);
        let mut sum = S::zero();
        // Every δ ≡ d (mod N) with −n < δ < n, from the smallest one up.
        let (n, length) = (n as i64, length as i64);
        let mut delta = d as i64 - length * ((d as i64 + n - 1) / length);
        while delta < n {
            sum += &self.values[row + (delta + n - 1) as usize];
            delta += length;
        }
        sum
    }
}

/// Why a Gram system was not solved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingularGram {
    /// The support entry (index into the support as given) whose pivot was not positive.
    pub entry: usize,
}

/// The support in elimination order: interior entries by rotated position, then the border.
struct Ordering {
    /// `order[i]` is the index into the support of the `i`-th unknown.
    order: Vec<usize>,
    /// Interior unknowns come first; `interior` of them.
    interior: usize,
    /// `last[i]` for interior `i`: the last interior unknown it meets.
    last: Vec<usize>,
}

fn elimination_order(atoms: &[usize], m: usize, n: usize, length: usize) -> Ordering {
    let mut per_position = vec![0usize; length];
    for &k in atoms {
        per_position[k / m] += 1;
    }
    // The rotation r minimising the entries at positions r, …, r + n − 2 (mod N).
    let window = (n - 1).min(length);
    let mut count: usize = (0..window).map(|p| per_position[p]).sum();
    let (mut best, mut rotation) = (count, 0);
    for r in 1..length {
        count += per_position[(r - 1 + window) % length];
        count -= per_position[r - 1];
        if count < best {
            (best, rotation) = (count, r);
        }
    }
    let rotated = |k: usize| (k / m + length - rotation) % length;
    let mut order: Vec<usize> = (0..atoms.len()).collect();
    order.sort_by_key(|&i| (rotated(atoms[i]) < window, rotated(atoms[i]), atoms[i] % m));
    let interior = order
        .iter()
        .take_while(|&&i| rotated(atoms[i]) >= window)
        .count();
    let mut last = Vec::with_capacity(interior);
    let mut reach = 0;
    for i in 0..interior {
        reach = reach.max(i);
        while reach + 1 < interior
            && rotated(atoms[order[reach + 1]]) - rotated(atoms[order[i]]) < n
        {
            reach += 1;
        }
        last.push(reach);
    }
    Ordering {
        order,
        interior,
        last,
    }
}

/// `acc −= a · b`.
fn subtract_product<S: Scalar>(acc: &mut S, a: &S, b: &S) {
    if !a.is_zero() && !b.is_zero() {
        S::multiply_accumulate(acc, &-a.clone(), b);
    }
}

/// The blocks of `D_Sᵀ D_S` in elimination order and the right-hand side, eliminated in place:
/// `band[i][j − i] = A[i][j]` for `i ≤ j ≤ last(i)`, `cross[i][b] = C[i][b]`, `schur = E`.
struct Blocks<S> {
    band: Vec<Vec<S>>,
    cross: Vec<Vec<S>>,
    schur: Vec<Vec<S>>,
    b: Vec<S>,
}

/// Solves `D_Sᵀ D_S x = rhs` exactly for the atoms `atoms` (indices `p · m + c`, distinct) of a
/// layer with `m` filters of `n` taps on signals of length `N` (see the module documentation);
/// `x[a]` belongs to `atoms[a]`. A pivot that is not positive means `D_Sᵀ D_S` is singular.
pub fn solve_support_gram<S: Scalar>(
    correlations: &AtomCorrelations<S>,
    atoms: &[usize],
    rhs: &[S],
) -> Result<Vec<S>, SingularGram> {
    let (m, n, length) = (
        correlations.filter_count,
        correlations.filter_length,
        correlations.signal_length,
    );
    let Ordering {
        order,
        interior,
        last,
    } = elimination_order(atoms, m, n, length);
    let size = atoms.len();
    let singular = |i: usize| SingularGram { entry: order[i] };
    let mut blocks = assemble(correlations, atoms, rhs, &order, interior, &last);
    eliminate_interior(&mut blocks, interior, &last).map_err(singular)?;
    eliminate_border(&mut blocks, interior).map_err(singular)?;
    let x = back_substitute(&blocks, interior, &last);
    let mut solution = vec![S::zero(); size];
    for (i, value) in x.into_iter().enumerate() {
        solution[order[i]] = value;
    }
    Ok(solution)
}

/// The blocks of `D_Sᵀ D_S` and of `rhs` in elimination order (`interior` banded rows first).
fn assemble<S: Scalar>(
    correlations: &AtomCorrelations<S>,
    atoms: &[usize],
    rhs: &[S],
    order: &[usize],
    interior: usize,
    last: &[usize],
) -> Blocks<S> {
    let size = atoms.len();
    let atom = |i: usize| atoms[order[i]];
    let band: Vec<Vec<S>> = (0..interior)
        .map(|i| {
            (i..=last[i])
                .map(|j| correlations.inner_product(atom(i), atom(j)))
                .collect()
        })
        .collect();
    let cross: Vec<Vec<S>> = (0..interior)
        .map(|i| {
            (interior..size)
                .map(|j| correlations.inner_product(atom(i), atom(j)))
                .collect()
        })
        .collect();
    let schur: Vec<Vec<S>> = (interior..size)
        .map(|i| {
            (interior..size)
                .map(|j| correlations.inner_product(atom(i), atom(j)))
                .collect()
        })
        .collect();
    let b: Vec<S> = order.iter().map(|&a| rhs[a].clone()).collect();
    Blocks {
        band,
        cross,
        schur,
        b,
    }
}

/// Forward elimination of the interior, updating its band, the cross block and the border's
/// Schur complement; `Err(i)` for a pivot at row `i` that is not positive.
fn eliminate_interior<S: Scalar>(
    blocks: &mut Blocks<S>,
    interior: usize,
    last: &[usize],
) -> Result<(), usize> {
    let Blocks {
        band,
        cross,
        schur,
        b,
    } = blocks;
    for i in 0..interior {
        let pivot = band[i][0].clone();
        if !pivot.is_positive() {
            return Err(i);
        }
        let (head, tail) = band.split_at_mut(i + 1);
        let row = &head[i];
        let (cross_head, cross_tail) = cross.split_at_mut(i + 1);
        let cross_row = &cross_head[i];
        for j in (i + 1)..=last[i] {
            let u = &row[j - i];
            if u.is_zero() {
                continue;
            }
            let l = u.clone() / pivot.clone();
            let target = &mut tail[j - i - 1];
            for k in j..=last[i] {
                subtract_product(&mut target[k - j], &l, &row[k - i]);
            }
            for (entry, c) in cross_tail[j - i - 1].iter_mut().zip(cross_row) {
                subtract_product(entry, &l, c);
            }
            let bi = b[i].clone();
            subtract_product(&mut b[j], &l, &bi);
        }
        for (r, c) in cross_row.iter().enumerate() {
            if c.is_zero() {
                continue;
            }
            let l = c.clone() / pivot.clone();
            for (s, d) in cross_row.iter().enumerate().skip(r) {
                subtract_product(&mut schur[r][s], &l, d);
            }
            let bi = b[i].clone();
            subtract_product(&mut b[interior + r], &l, &bi);
        }
    }
    Ok(())
}

/// Dense elimination of the border's Schur complement (upper triangle kept); `Err(interior +
/// r)` for a pivot at border row `r` that is not positive.
fn eliminate_border<S: Scalar>(blocks: &mut Blocks<S>, interior: usize) -> Result<(), usize> {
    let Blocks { schur, b, .. } = blocks;
    let border = schur.len();
    for r in 0..border {
        let pivot = schur[r][r].clone();
        if !pivot.is_positive() {
            return Err(interior + r);
        }
        let (head, tail) = schur.split_at_mut(r + 1);
        let row = &head[r];
        for (offset, target) in tail.iter_mut().enumerate() {
            let s = r + 1 + offset;
            let u = &row[s];
            if u.is_zero() {
                continue;
            }
            let l = u.clone() / pivot.clone();
            for t in s..border {
                subtract_product(&mut target[t], &l, &row[t]);
            }
            let br = b[interior + r].clone();
            subtract_product(&mut b[interior + s], &l, &br);
        }
    }
    Ok(())
}

/// Back substitution on the eliminated blocks: the border, then the interior from the end;
/// the solution in elimination order.
fn back_substitute<S: Scalar>(blocks: &Blocks<S>, interior: usize, last: &[usize]) -> Vec<S> {
    let Blocks {
        band,
        cross,
        schur,
        b,
    } = blocks;
    let border = schur.len();
    let mut x: Vec<S> = vec![S::zero(); interior + border];
    for r in (0..border).rev() {
        let mut value = b[interior + r].clone();
        for s in (r + 1)..border {
            subtract_product(&mut value, &schur[r][s], &x[interior + s]);
        }
        x[interior + r] = value / schur[r][r].clone();
    }
    for i in (0..interior).rev() {
        let mut value = b[i].clone();
        for k in (i + 1)..=last[i] {
            subtract_product(&mut value, &band[i][k - i], &x[k]);
        }
        for (r, c) in cross[i].iter().enumerate() {
            subtract_product(&mut value, c, &x[interior + r]);
        }
        x[i] = value / band[i][0].clone();
    }
    x
}
