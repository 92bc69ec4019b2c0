//! The threshold `β_i` of a layer: one number for every output channel (the paper's layer), or
//! one per output channel `β_{i,c}` (a CNN layer with one bias per channel, folded:
//! `β_{i,c} = −b_{i,c} / ρ_{i,c}`, `proofs/folding.md`).
//!
//! A list whose entries are all equal *is* the shared threshold: [`Threshold::per_channel`]
//! returns [`Threshold::Shared`] for it, so an instance has one representation and every
//! statement about one threshold per layer applies to it unchanged.

use crate::model::{Geometry, LayerVector};
use crate::scalar::Scalar;
use crate::thresholding::Thresholding;

/// `β_i`: shared by the layer's channels, or one per output channel.
#[derive(Clone, Debug, PartialEq)]
pub enum Threshold<S> {
    /// One `β_i` for every channel.
    Shared(S),
    /// `β_{i,c}` for `c = 0..m_i`, not all equal.
    PerChannel(Vec<S>),
}

impl<S: Scalar> Threshold<S> {
    /// `β_{i,c}` from a list with one entry per output channel; [`Threshold::Shared`] when the
    /// entries are all equal (or there is one).
    pub fn per_channel(values: Vec<S>) -> Self {
        match values.first() {
            Some(first) if values.iter().all(|v| v == first) => Threshold::Shared(first.clone()),
            _ => Threshold::PerChannel(values),
        }
    }

    /// The shared `β_i`, or `None` when the channels' thresholds differ.
    pub fn shared(&self) -> Option<&S> {
        match self {
            Threshold::Shared(beta) => Some(beta),
            Threshold::PerChannel(_) => None,
        }
    }

    /// `β_{i,c}`, the threshold of output channel `c`.
    pub fn channel(&self, c: usize) -> &S {
        match self {
            Threshold::Shared(beta) => beta,
            Threshold::PerChannel(values) => &values[c],
        }
    }

    /// The number of per-channel entries (`None` when shared).
    pub fn channel_count(&self) -> Option<usize> {
        match self {
            Threshold::Shared(_) => None,
            Threshold::PerChannel(values) => Some(values.len()),
        }
    }

    /// Every number the threshold holds: one when shared, `m_i` otherwise.
    pub fn values(&self) -> &[S] {
        match self {
            Threshold::Shared(beta) => std::slice::from_ref(beta),
            Threshold::PerChannel(values) => values,
        }
    }

    /// The same threshold with `f` applied to each number (another arithmetic). Equal entries
    /// stay in one [`Threshold::PerChannel`] list only if `f` keeps them apart.
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T) -> Threshold<T> {
        match self {
            Threshold::Shared(beta) => Threshold::Shared(f(beta)),
            Threshold::PerChannel(values) => Threshold::per_channel(values.iter().map(f).collect()),
        }
    }

    /// `T_β(z)` entry by entry, the entry of channel `c` thresholded at `β_{i,c}`:
    /// "`Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, with `β_i` read per channel".
    pub fn apply(&self, thresholding: Thresholding, z: &LayerVector<S>) -> LayerVector<S> {
        match self {
            Threshold::Shared(beta) => thresholding.apply_vector(z, beta),
            Threshold::PerChannel(values) => {
                let channels = z.channels();
                let entries = z
                    .entries()
                    .iter()
                    .enumerate()
                    .map(|(k, v)| thresholding.apply(v, &values[k % channels]))
                    .collect();
                LayerVector::from_entries(z.length(), channels, entries)
                    .and_then(|v| v.on_grid(z.grid()))
                    .expect("same shape as z")
            }
        }
    }
}

/// The first layer (layer 1 first) that is not the paper's, from each layer's geometry and
/// whether its output channels have thresholds of their own, in words: its stride and padding
/// when they are not the paper's, then `one threshold per channel` (`layer 2: stride 2, zero
/// padding (1, 1); one threshold per channel`, `layer 1: one threshold per channel`). With no
/// per-channel threshold it is [`crate::model::first_real_layer`].
pub fn first_real_layer_of(layers: impl IntoIterator<Item = (Geometry, bool)>) -> Option<String> {
    layers
        .into_iter()
        .enumerate()
        .find(|(_, (geometry, per_channel))| !geometry.is_paper() || *per_channel)
        .map(|(index, (geometry, per_channel))| {
            let mut words = Vec::new();
            if !geometry.is_paper() {
                words.push(geometry.describe());
            }
            if per_channel {
                words.push("one threshold per channel".to_string());
            }
            format!("layer {}: {}", index + 1, words.join("; "))
        })
}

impl<S> From<S> for Threshold<S> {
    fn from(beta: S) -> Self {
        Threshold::Shared(beta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Rational;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    #[test]
    fn an_all_equal_list_is_the_shared_threshold() {
        let list = Threshold::per_channel(vec![r(1, 2), r(1, 2), r(1, 2)]);
        assert_eq!(list, Threshold::Shared(r(1, 2)));
        assert_eq!(list.shared(), Some(&r(1, 2)));
        let differing = Threshold::per_channel(vec![r(1, 2), r(1, 3)]);
        assert_eq!(differing.shared(), None);
        assert_eq!(differing.channel(1), &r(1, 3));
    }

    #[test]
    fn each_channel_is_thresholded_at_its_own_value() {
        // Two positions, two channels: entries (p0 c0, p0 c1, p1 c0, p1 c1).
        let z = LayerVector::from_entries(2, 2, vec![r(1, 1), r(1, 1), r(3, 1), r(-3, 1)]).unwrap();
        let beta = Threshold::per_channel(vec![r(1, 2), r(2, 1)]);
        let soft = beta.apply(Thresholding::Soft, &z);
        assert_eq!(soft.entries(), &[r(1, 2), r(0, 1), r(5, 2), r(-1, 1)]);
        let shared = Threshold::Shared(r(1, 2)).apply(Thresholding::Soft, &z);
        assert_eq!(shared, Thresholding::Soft.apply_vector(&z, &r(1, 2)));
    }
}
