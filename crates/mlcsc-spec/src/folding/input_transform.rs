//! The linear maps between a ReLU and the next convolution, folded into that convolution
//! (`proofs/folding.md`, F3 and F4): an averaging prefilter (average pools, composed) and a
//! per-channel affine map (batch norms after the ReLU, composed).

use super::error::{FoldingError, StagePlace};
use crate::model::{FilterShape, Geometry, GridGeometry, Padding};
use crate::scalar::Scalar;

/// One convolution followed by ReLU, `ReLU(W ⋆ Z + b)`, as the fold reads a network.
#[derive(Clone, Debug, PartialEq)]
pub struct ReluLayer<S> {
    /// `W[out][in][tap]`.
    pub weights: Vec<Vec<Vec<S>>>,
    /// `b[out]`.
    pub biases: Vec<S>,
    /// The stride and padding (of the columns axis, for an image layer).
    pub geometry: Geometry,
    /// The taps as `n_h × n_w`, row-major (`1 × n` for a one-dimensional layer).
    pub filter_shape: FilterShape,
    /// The stride and padding of the rows axis (stride 1, valid, for a one-dimensional layer).
    pub row_geometry: Geometry,
}

impl<S> ReluLayer<S> {
    /// The stride and padding of both axes.
    pub fn grid_geometry(&self) -> GridGeometry {
        GridGeometry {
            rows: self.row_geometry,
            columns: self.geometry,
        }
    }

    /// Whether the layer is one-dimensional (as [`crate::model::Layer::is_line`]).
    pub fn is_line(&self) -> bool {
        self.grid_geometry() == GridGeometry::line(self.geometry)
            && self.filter_shape == FilterShape::line(self.filter_shape.taps())
    }

    /// Whether either axis extends the input by zeros ([`pads_zeros`]).
    fn pads_zeros_on_an_axis(&self) -> bool {
        pads_zeros(self.geometry.padding) || pads_zeros(self.row_geometry.padding)
    }
}

/// Whether a padding extends the signal by zeros: zero padding with a nonzero amount.
pub fn pads_zeros(padding: Padding) -> bool {
    padding.amounts() != (0, 0)
}

/// The maps waiting for the next convolution: its input is `a ⊙ P(x) + s`, `P` the prefilter.
#[derive(Clone, Debug)]
pub(super) struct InputTransform<S> {
    /// `(h, s_h)`: `P(x)[c, q] = Σ_u h[u] x[c, s_h q + u]`, with `Σ h = 1`; `None` is `P = id`.
    prefilter: Option<(Vec<S>, usize, StagePlace)>,
    /// `(a, s)` per channel; `None` is the identity.
    affine: Option<(Vec<S>, Vec<S>, StagePlace)>,
}

impl<S> Default for InputTransform<S> {
    fn default() -> Self {
        InputTransform {
            prefilter: None,
            affine: None,
        }
    }
}

impl<S: Scalar> InputTransform<S> {
    /// The first stage waiting, if any.
    pub(super) fn pending(&self) -> Option<&StagePlace> {
        let pool = self.prefilter.as_ref().map(|(_, _, place)| place);
        let affine = self.affine.as_ref().map(|(_, _, place)| place);
        pool.into_iter()
            .chain(affine)
            .min_by_key(|place| place.stage)
    }

    /// An average pool of `kernel` at `stride` after the maps so far: `P ← pool ∘ P`.
    pub(super) fn add_pool(&mut self, kernel: usize, stride: usize, place: StagePlace) {
        let (kernel, stride) = (kernel.max(1), stride.max(1));
        let weight = S::one() / S::from_integer(kernel as i64);
        let (h1, s1) = match self.prefilter.take() {
            Some((h, s, _)) => (h, s),
            None => (vec![S::one()], 1),
        };
        let mut h = vec![S::zero(); s1 * (kernel - 1) + h1.len()];
        for v in 0..kernel {
            for (u, tap) in h1.iter().enumerate() {
                S::multiply_accumulate(&mut h[s1 * v + u], &weight, tap);
            }
        }
        self.prefilter = Some((h, s1 * stride, place));
    }

    /// A batch norm `x ↦ a x + s` after the maps so far (it commutes with the prefilter, whose
    /// taps sum to 1): `(a, s) ← (a₂ a₁, a₂ s₁ + s₂)`.
    pub(super) fn add_affine(&mut self, scale: &[S], shift: &[S], place: StagePlace) {
        let (a, s) = match self.affine.take() {
            None => (scale.to_vec(), shift.to_vec()),
            Some((a1, s1, _)) => {
                let a = a1.iter().zip(scale).map(|(x, y)| x.clone() * y.clone());
                let s = s1.iter().zip(scale).zip(shift).map(|((s1, a2), s2)| {
                    let mut value = s2.clone();
                    S::multiply_accumulate(&mut value, a2, s1);
                    value
                });
                (a.collect(), s.collect())
            }
        };
        self.affine = Some((a, s, place));
    }

    /// `layer` (number `number`, from 1), reading `a ⊙ P(x) + s`, as one layer reading `x`;
    /// refused where that is not exact for every signal length the result accepts.
    pub(super) fn fold_into(
        self,
        number: usize,
        mut layer: ReluLayer<S>,
    ) -> Result<ReluLayer<S>, FoldingError> {
        let padding = layer.geometry.padding;
        if let Some((scale, shift, place)) = self.affine {
            if layer.pads_zeros_on_an_axis() && shift.iter().any(|s| !s.is_zero()) {
                return Err(FoldingError::Refused {
                    place,
                    reason: format!(
                        "the shift of a batch norm after a ReLU moves into the bias of layer {number}, which pads zeros ({}): the padded zeros are not shifted, so the fold is exact only when layer {number} pads no zeros (circular or valid padding)",
                        layer.geometry.describe()
                    ),
                });
            }
            fold_affine(&mut layer, &scale, &shift);
        }
        if let Some((_, _, place)) = self.prefilter.as_ref().filter(|_| !layer.is_line()) {
            return Err(FoldingError::Refused {
                place: place.clone(),
                reason: format!(
                    "average pooling before layer {number}, an image layer, is not folded: the pools are one-dimensional"
                ),
            });
        }
        if let Some((h, step, place)) = self.prefilter {
            let circular_overlap = padding == Padding::Circular && h.len() > step;
            if pads_zeros(padding) || circular_overlap {
                return Err(FoldingError::Refused {
                    place,
                    reason: format!(
                        "the average pooling (window {}, step {step}) before layer {number} ({}) is one strided convolution only when layer {number} is valid, or circular with the window no longer than the step",
                        h.len(),
                        layer.geometry.describe()
                    ),
                });
            }
            layer = fold_prefilter(layer, &h, step);
        }
        Ok(layer)
    }
}

/// `W[c, c', t] ← W[c, c', t] a_{c'}` and `b_c ← b_c + Σ_{c', t} W[c, c', t] s_{c'}`.
fn fold_affine<S: Scalar>(layer: &mut ReluLayer<S>, scale: &[S], shift: &[S]) {
    for (filter, bias) in layer.weights.iter_mut().zip(&mut layer.biases) {
        for ((taps, a), s) in filter.iter_mut().zip(scale).zip(shift) {
            for w in taps.iter_mut() {
                S::multiply_accumulate(bias, w, s);
                *w = w.clone() * a.clone();
            }
        }
    }
}

/// The layer reading `P(x)` as one layer reading `x`: `W''[c, c', j] = Σ_{s_h t + u = j}
/// W[c, c', t] h[u]`, `s_h (n − 1) + |h|` taps, stride `σ s_h`, the same padding (zero padding
/// of no zeros read as valid).
fn fold_prefilter<S: Scalar>(layer: ReluLayer<S>, h: &[S], step: usize) -> ReluLayer<S> {
    let taps = layer.weights[0][0].len();
    let length = step * (taps - 1) + h.len();
    let weights = layer
        .weights
        .iter()
        .map(|filter| {
            filter
                .iter()
                .map(|w| {
                    let mut composed = vec![S::zero(); length];
                    for (t, weight) in w.iter().enumerate() {
                        for (u, tap) in h.iter().enumerate() {
                            S::multiply_accumulate(&mut composed[step * t + u], weight, tap);
                        }
                    }
                    composed
                })
                .collect()
        })
        .collect();
    let padding = match layer.geometry.padding {
        Padding::Circular => Padding::Circular,
        _ => Padding::Valid,
    };
    ReluLayer {
        weights,
        biases: layer.biases,
        geometry: Geometry {
            stride: layer.geometry.stride * step,
            padding,
        },
        filter_shape: FilterShape::line(length),
        row_geometry: layer.row_geometry,
    }
}
