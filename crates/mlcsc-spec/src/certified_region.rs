//! What Theorem 2 for real layers guarantees for a network's own thresholds
//! (`proofs/certified_region.md`): per channel whether the window `(b_c)` can hold at all,
//! and the **certified region**, the codes and noise for which every hypothesis holds.
//!
//! With `h_i = ⌊(n_i − 1)/σ_i⌋`, a window of `w` consecutive positions of `Γ_i` meets at most
//! `P_i(s) = s ⌈w / (2h_i + 1)⌉` nonzeros when every stripe holds at most `s` (one more
//! stripe when the window wraps around a signal whose stripes do not; [`stripes_per_window`]),
//! so `p_i ≤ P_i(s_i)`, with `w = n_{i+1}`, and `w = w_K = n_K` at the last layer. At `s = 1`
//! (one nonzero per stripe) the region of layer `i`, given a bound `ε` on `ε_{i-1}`, is
//!
//! ```text
//! max_c β_{i,c} + ε  <  |Γ_i^min|,   |Γ_i^max|  <  min_c (β_{i,c} − ε) / μ_{i,c},
//! ε_i ≤ sqrt(P_i(1)) (ε + max_c β_{i,c}),
//! ```
//!
//! non-empty exactly when `ε < min_c (β_c − μ_c max β)/(1 + μ_c)` ([`LayerFigures::noise_ceiling`]);
//! the chain makes `ε_{i-1}` affine in `ε_0`, and the largest `ε_0` follows in closed form.
//! Every number is `f64` made conservative by
//! [`crate::tolerance::CERTIFIED_REGION_RELATIVE_MARGIN`].

use crate::tolerance::CERTIFIED_REGION_RELATIVE_MARGIN as MARGIN;

/// One live channel of a folded layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelFigures {
    /// The channel's index among the layer's output channels in the network.
    pub channel: usize,
    /// `ρ_{i,c}`, the norm of the folded filter.
    pub rho: f64,
    /// `β_{i,c} = −b_{i,c}/ρ_{i,c}`.
    pub beta: f64,
    /// `μ_{i,c}`, the channel's coherence over displacements in `σ_i ℤ`.
    pub coherence: f64,
}

/// Why a channel can never meet its window `(b_c)`, or `None` when it can: `β ≤ 0` fails the
/// left inequality `s μ |Γ^max| + ε < β` for every code and noise.
pub fn inapplicable_reason(beta: f64) -> Option<&'static str> {
    if beta < 0.0 {
        Some("positive bias: β < 0, the channel fires on a zero input")
    } else if beta == 0.0 || beta.is_nan() {
        Some("zero bias: β = 0, no threshold above the interference")
    } else {
        None
    }
}

/// One folded layer as the certificate reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerFigures {
    /// The layer, from 1.
    pub layer: usize,
    /// Its live channels.
    pub channels: Vec<ChannelFigures>,
    /// `n_i`.
    pub filter_length: usize,
    /// `σ_i`.
    pub stride: usize,
    /// `w`: `n_{i+1}`, or the declared `w_K = n_K` at the last layer.
    pub window: usize,
    /// Whether the windows of `w` positions wrap around `Γ_i` while its stripes do not (layer
    /// `i + 1` circular over a layer `i` that is not; at `K`, the cyclic windows of `w_K` over
    /// a last layer that is not circular).
    pub window_wraps: bool,
}

pub use crate::certified_region_axis::{AxisFigures, stripes_per_window};

/// `x` grown by the margin (a conservative lower limit).
pub fn grown(x: f64) -> f64 {
    x + MARGIN * x.abs()
}

/// `x` shrunk by the margin (a conservative upper limit).
pub fn shrunk(x: f64) -> f64 {
    x - MARGIN * x.abs()
}

/// A lower bound on `a − b` computed in `f64`.
fn difference_below(a: f64, b: f64) -> f64 {
    (a - b) - MARGIN * (a.abs() + b.abs())
}

impl LayerFigures {
    /// `β_c` lowered by the margin (where `β` bounds from above).
    fn beta_low(&self, c: usize) -> f64 {
        shrunk(self.channels[c].beta)
    }

    /// `μ_c` raised by the margin.
    fn coherence_high(&self, c: usize) -> f64 {
        grown(self.channels[c].coherence)
    }

    /// `max_c β_c`, raised by the margin.
    pub fn largest_threshold(&self) -> f64 {
        grown(
            self.channels
                .iter()
                .map(|c| c.beta)
                .fold(f64::NEG_INFINITY, f64::max),
        )
    }

    /// The first channel that can never meet its window, with the reason.
    pub fn first_inapplicable(&self) -> Option<(usize, &'static str)> {
        self.channels
            .iter()
            .find_map(|figures| inapplicable_reason(figures.beta).map(|why| (figures.channel, why)))
    }

    /// The columns axis (the only axis of a one-dimensional layer).
    pub fn columns(&self) -> AxisFigures {
        AxisFigures {
            filter_length: self.filter_length,
            stride: self.stride,
            window: self.window,
            window_wraps: self.window_wraps,
        }
    }

    /// `P_i(s)`, the bound on `p_i` when every stripe holds at most `s` nonzeros.
    pub fn patch_bound(&self, s: usize) -> usize {
        self.patch_bound_on_grid(s, &AxisFigures::LINE)
    }

    /// `P_i(s) = s · (stripes of the rows) · (stripes of the columns)` on an image layer whose
    /// rows axis is `rows` (G11): a rectangle of windows is covered by the products of the
    /// axes' covering runs.
    pub fn patch_bound_on_grid(&self, s: usize, rows: &AxisFigures) -> usize {
        s * rows.stripes() * self.columns().stripes()
    }

    /// The largest number of atoms a stripe can hold, `m_i (2h_i + 1)`.
    pub fn stripe_atoms(&self) -> usize {
        self.stripe_atoms_on_grid(&AxisFigures::LINE)
    }

    /// `m_i (2h_h + 1)(2h_w + 1)` on an image layer whose rows axis is `rows`.
    pub fn stripe_atoms_on_grid(&self, rows: &AxisFigures) -> usize {
        self.channels.len() * rows.stripe_width() * self.columns().stripe_width()
    }

    /// A lower bound on `E_i = min_c (β_c − μ_c max β)/(1 + μ_c)`: the band at `s = 1` is
    /// non-empty exactly when `ε_{i-1} < E_i` (CR2).
    pub fn noise_ceiling(&self) -> f64 {
        let largest = self.largest_threshold();
        (0..self.channels.len())
            .map(|c| {
                let mu = self.coherence_high(c);
                shrunk(difference_below(self.beta_low(c), mu * largest) / grown(1.0 + mu))
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// The amplitude band at stripe sparsity `s` given `ε ≥ ε_{i-1}`: `(lower, upper)` with
    /// every amplitude `A` of `Γ_i` in `lower < A < upper` meeting every window `(b_c)` (no
    /// upper limit: `None`), or `None` when no `A` does (CR3).
    pub fn band(&self, s: usize, epsilon: f64) -> Option<(f64, Option<f64>)> {
        let mut lower = 0.0_f64;
        let mut upper: Option<f64> = None;
        for c in 0..self.channels.len() {
            let mu = self.coherence_high(c);
            let interference = grown((s.saturating_sub(1)) as f64 * mu);
            let denominator = difference_below(1.0, interference);
            let room = difference_below(self.beta_low(c), epsilon);
            if denominator <= 0.0 || room <= 0.0 {
                return None;
            }
            let beta_high = grown(self.channels[c].beta);
            lower = lower.max(grown(grown(beta_high + epsilon) / denominator));
            if mu > 0.0 {
                let limit = shrunk(room / grown(s as f64 * mu));
                upper = Some(upper.map_or(limit, |u: f64| u.min(limit)));
            }
        }
        match upper {
            Some(u) if u <= lower => None,
            _ => Some((lower, upper)),
        }
    }

    /// The largest `s ≤` [`LayerFigures::stripe_atoms`] with a non-empty band at `ε`, 0 when
    /// there is none (the band only narrows as `s` grows, CR3).
    pub fn largest_stripe_sparsity(&self, epsilon: f64) -> usize {
        self.largest_stripe_sparsity_on_grid(epsilon, &AxisFigures::LINE)
    }

    /// [`LayerFigures::largest_stripe_sparsity`] on an image layer whose rows axis is `rows`.
    pub fn largest_stripe_sparsity_on_grid(&self, epsilon: f64, rows: &AxisFigures) -> usize {
        (1..=self.stripe_atoms_on_grid(rows))
            .take_while(|&s| self.band(s, epsilon).is_some())
            .last()
            .unwrap_or(0)
    }
}

/// The region of one layer.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerRegion {
    /// The layer's band.
    Band(LayerBand),
    /// No code of this layer is certified, and why.
    Empty {
        /// The layer, from 1.
        layer: usize,
        /// Why.
        reason: String,
    },
}

/// A layer with a non-empty band at zero noise.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerBand {
    /// The layer, from 1.
    pub layer: usize,
    /// `ε_{i-1} ≤ slope · ε_0 + offset` along the chain at `s = 1`.
    pub epsilon_slope: f64,
    /// See `epsilon_slope`.
    pub epsilon_offset: f64,
    /// The band at `s = 1` and `ε_0 = 0`: `(lower, upper)`, `None` for no upper limit.
    pub amplitude_band: (f64, Option<f64>),
    /// The largest `s` with a non-empty band at `ε_0 = 0` (see
    /// [`LayerFigures::largest_stripe_sparsity`]).
    pub largest_stripe_sparsity: usize,
    /// `E_i`: the band at `s = 1` is non-empty while `ε_{i-1} < E_i`.
    pub noise_ceiling: f64,
}

/// The certified region of a network at `s = 1`.
#[derive(Clone, Debug, PartialEq)]
pub struct CertifiedRegion {
    /// Layer by layer.
    pub layers: Vec<LayerRegion>,
    /// Every `ε_0` below this is certified (with amplitudes in each layer's band at that noise);
    /// `None` when the region is empty.
    pub epsilon_0: Option<f64>,
    /// The bound `ε_K` at `ε_0`.
    pub epsilon_k: Option<f64>,
}

impl CertifiedRegion {
    /// Whether some code and noise are certified.
    pub fn is_empty(&self) -> bool {
        self.epsilon_0.is_none()
    }
}

/// `ε_{i-1} ≤ slope · ε_0 + offset` for each layer `i`, and the same for `ε_K` last: the chain
/// `ε_i = sqrt(P_i(1)) (ε_{i-1} + max_c β_{i,c})`, made conservative.
pub fn epsilon_chain(layers: &[LayerFigures]) -> Vec<(f64, f64)> {
    epsilon_chain_on_grids(layers, &vec![AxisFigures::LINE; layers.len()])
}

/// [`epsilon_chain`] of image layers, `rows[i]` the rows axis of `layers[i]`.
pub fn epsilon_chain_on_grids(layers: &[LayerFigures], rows: &[AxisFigures]) -> Vec<(f64, f64)> {
    let mut chain = vec![(1.0, 0.0)];
    for (layer, rows) in layers.iter().zip(rows) {
        let (slope, offset) = *chain.last().expect("starts with layer 1's");
        let root = grown((layer.patch_bound_on_grid(1, rows) as f64).sqrt());
        chain.push((
            grown(root * slope),
            grown(root * grown(offset + layer.largest_threshold())),
        ));
    }
    chain
}

/// The certified region of `layers` (layer 1 first) at `s = 1`, with each layer's largest
/// stripe sparsity at `ε_0 = 0` (`proofs/certified_region.md`, CR4). A layer with a channel
/// that can never meet its window, or whose band is empty at zero noise, has no region, and
/// neither does any layer after it.
pub fn certified_region(layers: &[LayerFigures]) -> CertifiedRegion {
    certified_region_on_grids(layers, &vec![AxisFigures::LINE; layers.len()])
}

/// [`certified_region`] of image layers, `rows[i]` the rows axis of `layers[i]`
/// (`proofs/two_dimensions.md`, G11): the same bands, with `P_i(1)` and the stripe's atoms
/// counted on both axes.
pub fn certified_region_on_grids(layers: &[LayerFigures], rows: &[AxisFigures]) -> CertifiedRegion {
    let chain = epsilon_chain_on_grids(layers, rows);
    let mut regions = Vec::with_capacity(layers.len());
    let mut first_empty: Option<usize> = None;
    let mut epsilon_0 = f64::INFINITY;
    for ((layer, &(slope, offset)), rows) in layers.iter().zip(&chain).zip(rows) {
        if let Some(empty) = first_empty {
            regions.push(LayerRegion::Empty {
                layer: layer.layer,
                reason: format!("the region is empty from layer {empty} on"),
            });
            continue;
        }
        match layer_band(layer, rows, slope, offset) {
            Ok(band) => {
                let room = difference_below(band.noise_ceiling, offset);
                epsilon_0 = epsilon_0.min(shrunk(room / grown(slope)));
                regions.push(LayerRegion::Band(band));
            }
            Err(reason) => {
                first_empty = Some(layer.layer);
                regions.push(LayerRegion::Empty {
                    layer: layer.layer,
                    reason,
                });
            }
        }
    }
    let (slope, offset) = *chain.last().expect("never empty");
    let certified = first_empty.is_none() && epsilon_0 > 0.0 && epsilon_0.is_finite();
    CertifiedRegion {
        layers: regions,
        epsilon_0: certified.then_some(epsilon_0),
        epsilon_k: certified.then(|| grown(grown(slope * epsilon_0) + offset)),
    }
}

/// Layer `i`'s band given `ε_{i-1} ≤ slope · ε_0 + offset`, or why it has none.
fn layer_band(
    layer: &LayerFigures,
    rows: &AxisFigures,
    slope: f64,
    offset: f64,
) -> Result<LayerBand, String> {
    if let Some((channel, why)) = layer.first_inapplicable() {
        let count = layer
            .channels
            .iter()
            .filter(|c| inapplicable_reason(c.beta).is_some())
            .count();
        return Err(format!(
            "channel {channel} (and {} more): {why}; every channel needs s μ |Γ^max| + ε < β",
            count - 1
        ));
    }
    let noise_ceiling = layer.noise_ceiling();
    let amplitude_band = match layer.band(1, offset) {
        Some(band) if offset < noise_ceiling => band,
        _ => {
            let limiting = limiting_channel(layer);
            return Err(format!(
                "no amplitude at one nonzero per stripe: channel {limiting} has β ≤ μ (max β + ε) + ε at ε_{{i-1}} = {offset:.4e} (the interference exceeds its threshold)"
            ));
        }
    };
    Ok(LayerBand {
        layer: layer.layer,
        epsilon_slope: slope,
        epsilon_offset: offset,
        amplitude_band,
        largest_stripe_sparsity: layer.largest_stripe_sparsity_on_grid(offset, rows),
        noise_ceiling,
    })
}

/// The channel (network index) with the smallest `(β_c − μ_c max β)/(1 + μ_c)`.
fn limiting_channel(layer: &LayerFigures) -> usize {
    let largest = layer.largest_threshold();
    let room = |c: &ChannelFigures| (c.beta - c.coherence * largest) / (1.0 + c.coherence);
    layer
        .channels
        .iter()
        .min_by(|a, b| room(a).total_cmp(&room(b)))
        .map_or(0, |c| c.channel)
}
