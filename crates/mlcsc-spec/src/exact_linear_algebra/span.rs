//! A span grown one vector at a time, with membership decided exactly.

use super::*;

/// A growing set of vectors kept in echelon form, to test linear independence one vector at a
/// time (as a depth-first search over supports adds and removes columns).
///
/// Each stored vector is zero at the pivots of the vectors stored before it, so reducing a new
/// vector by the stored ones in order leaves zero exactly when it lies in their span.
#[derive(Clone, Debug)]
pub struct IncrementalSpan<T = Rational> {
    basis: Vec<(usize, DVector<T>)>,
}

impl<T: ExactField> Default for IncrementalSpan<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ExactField> IncrementalSpan<T> {
    /// The span of no vectors.
    pub fn new() -> Self {
        IncrementalSpan { basis: Vec::new() }
    }

    /// The number of vectors stored (the dimension of the span).
    pub fn dimension(&self) -> usize {
        self.basis.len()
    }

    /// `v` minus its projection along the stored vectors (zero iff `v` is in the span).
    pub fn reduce(&self, v: &DVector<T>) -> DVector<T> {
        let mut residual = v.clone();
        for (pivot, b) in &self.basis {
            if residual[*pivot].is_zero() {
                continue;
            }
            let factor = residual[*pivot].quotient(&b[*pivot]);
            for k in 0..residual.len() {
                if !b[k].is_zero() {
                    let update = factor.product(&b[k]);
                    residual[k] -= &update;
                }
            }
        }
        residual
    }

    /// Adds `v` if it is independent of the stored vectors and returns whether it was.
    pub fn insert(&mut self, v: &DVector<T>) -> bool {
        let residual = self.reduce(v);
        match residual.iter().position(|x| !x.is_zero()) {
            Some(pivot) => {
                self.basis.push((pivot, residual));
                true
            }
            None => false,
        }
    }

    /// Removes the most recently inserted vector.
    pub fn remove_last(&mut self) {
        self.basis.pop();
    }
}
