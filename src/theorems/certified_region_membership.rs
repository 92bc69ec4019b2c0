//! Whether an instance lies in its own network's certified region (`proofs/certified_region.md`,
//! CR4, nonnegative form): the instance's layers and per-channel thresholds read as a ReLU
//! network (convolution weights the unit filters, bias `−β`), folded by the specification's
//! [`fold`], its figures and region computed by the code `mlcsc certify` runs
//! ([`layer_figures`], [`certified_region`]), and every `Γ_i` checked against the region:
//! `≥ 0`, on interior atoms, one nonzero per stripe, and (unless dropped) its magnitudes
//! strictly inside layer `i`'s band at `ε = a_i ε_0 + b_i`.
//!
//! The band is `f64` with the margins of CR5; a magnitude is compared exactly with the band's
//! ends moved inwards once more by the margin, so a magnitude too close to an edge to tell
//! counts as outside and a "met" is provably right.

pub use mlcsc_spec::certified_region::grown;
use mlcsc_spec::certified_region::{
    CertifiedRegion, LayerFigures, LayerRegion, certified_region, epsilon_chain, shrunk,
};
use mlcsc_spec::folding::{Convolution, Network, Stage, fold};
use mlcsc_spec::strided_norms::{atom_support_patch_norm_squared, strided_stripe_sparsity};
use num_traits::Signed;

use mlcsc_spec::certified_region_figures::layer_figures;

use crate::instance::Instance;
use crate::model::LayerVector;
use crate::scalar::{Rational, Scalar};
use crate::theorems::verdict::{Clause, FailedHypothesis};

/// The certificate of an instance's own network.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// Every layer's figures, as `certify` reads them.
    pub figures: Vec<LayerFigures>,
    /// The region at one nonzero per stripe.
    pub region: CertifiedRegion,
    /// `(a_i, b_i)` for `i = 1..=K+1`: `ε_{i-1} ≤ a_i ε_0 + b_i`.
    pub chain: Vec<(f64, f64)>,
}

/// The instance's layers and thresholds as a ReLU network: convolution `c` of layer `i` has
/// the weights `W[c][c'][t] = f_{i,c}[t][c']` and the bias `−β_{i,c}`, with the layer's stride
/// and padding.
pub fn instance_network(instance: &Instance<Rational>) -> Network<Rational> {
    let model = &instance.model;
    let mut stages = Vec::with_capacity(2 * model.depth());
    for (layer, threshold) in model.layers().iter().zip(&instance.thresholds) {
        let weights = layer.convolution_weights();
        let biases = (0..layer.filter_count())
            .map(|c| -threshold.channel(c).clone())
            .collect();
        let geometry = layer.geometry();
        let convolution = Convolution::new(weights, biases)
            .expect("a layer of the model has consistent shapes")
            .with_stride_and_padding(geometry.stride, geometry.padding);
        stages.extend([Stage::Convolution(convolution), Stage::Relu]);
    }
    Network {
        input_channels: model.input_channels(),
        stages,
    }
}

/// The certificate of the instance's network, or why it cannot be folded.
pub fn certificate(instance: &Instance<Rational>) -> Result<Certificate, String> {
    let folded = fold(&instance_network(instance)).map_err(|e| e.to_string())?;
    let figures = layer_figures(&folded);
    let region = certified_region(&figures);
    let chain = epsilon_chain(&figures);
    Ok(Certificate {
        figures,
        region,
        chain,
    })
}

/// A finite `f64` as the rational it is (the band's ends, the certificate's figures).
pub fn finite_rational(value: f64) -> Rational {
    Rational::from_float(value).expect("a finite number")
}

/// What the membership check found on an instance inside the region.
#[derive(Clone, Debug)]
pub struct Membership {
    /// `ε_0²`, exact: the noise's energy over the first layer's atom supports, or the
    /// declared budget squared.
    pub epsilon_0_squared: Rational,
    /// `ε_0` rounded up in `f64`.
    pub epsilon_0_above: f64,
    /// Whether some magnitude lies within a tenth of its band's width of an edge.
    pub near_band_edge: bool,
    /// `[Γ_0, …, Γ_K]`.
    pub representations: Vec<LayerVector<Rational>>,
}

/// A failed membership clause at `layer`.
fn failed(layer: usize, name: &str, detail: String) -> FailedHypothesis {
    FailedHypothesis {
        layer,
        hypothesis: Clause::Named(name.into()),
        detail,
        shortfall: 0.0,
    }
}

/// The clauses of membership, in the order they are decided.
pub const MEMBERSHIP_CLAUSES: [&str; 9] = [
    "network-folds",
    "region-non-empty",
    "declared-window",
    "noise-below-certified",
    "nonzero-representation",
    "nonnegative-representation",
    "interior-atoms",
    "one-per-stripe",
    "amplitude-band",
];

/// `ε_0²` exact, and whether a declared budget covers the measured noise.
fn noise_level(instance: &Instance<Rational>) -> Result<Rational, FailedHypothesis> {
    let measured = atom_support_patch_norm_squared(1, instance.model.layer(1), &instance.noise)
        .expect("shapes validated at construction");
    match &instance.noise_budget {
        None => Ok(measured),
        Some(budget) if measured <= budget.clone() * budget.clone() => {
            Ok(budget.clone() * budget.clone())
        }
        Some(budget) => Err(failed(
            0,
            "noise-below-certified",
            format!(
                "the noise's energy {} exceeds the declared budget {} squared",
                measured.to_f64(),
                budget.to_f64()
            ),
        )),
    }
}

/// Membership of `instance` in the region of `certificate`; with `amplitude_limits` false the
/// bands are not checked (the structure only), and `widening` (0 for the statement) moves each
/// band's ends outwards by that fraction of themselves.
pub fn membership(
    instance: &Instance<Rational>,
    certificate: &Certificate,
    amplitude_limits: bool,
    widening: f64,
) -> Result<Membership, FailedHypothesis> {
    let Some(epsilon_star) = certificate.region.epsilon_0 else {
        let why = certificate.region.layers.iter().find_map(|l| match l {
            LayerRegion::Empty { reason, layer } => Some(format!("layer {layer}: {reason}")),
            LayerRegion::Band(_) => None,
        });
        return Err(failed(
            0,
            "region-non-empty",
            why.unwrap_or_else(|| "the certified ε_0 is not positive".into()),
        ));
    };
    let model = &instance.model;
    let depth = model.depth();
    let n_k = model.layer(depth).filter_length();
    if instance.last_patch_width != n_k {
        let detail = format!(
            "the certificate declares w_K = n_K = {n_k}, the instance w_K = {}",
            instance.last_patch_width
        );
        return Err(failed(depth, "declared-window", detail));
    }
    let epsilon_0_squared = noise_level(instance)?;
    let epsilon_0_above = grown(grown(epsilon_0_squared.to_f64()).sqrt());
    if epsilon_0_above >= epsilon_star {
        let detail = format!("ε_0 ≈ {epsilon_0_above:.6e} is not below ε_0^* = {epsilon_star:.6e}");
        return Err(failed(0, "noise-below-certified", detail));
    }
    let representations = model
        .synthesis_chain(&instance.deepest_representation)
        .expect("shapes validated at construction");
    let mut near_band_edge = false;
    for i in 1..=depth {
        structure(instance, &representations, i)?;
        if amplitude_limits {
            let (slope, offset) = certificate.chain[i - 1];
            let epsilon = grown(grown(slope * epsilon_0_above) + offset);
            let band = certificate.figures[i - 1].band(1, epsilon);
            near_band_edge |= inside_band(&representations[i], i, band, epsilon, widening)?;
        }
    }
    Ok(Membership {
        epsilon_0_squared,
        epsilon_0_above,
        near_band_edge,
        representations,
    })
}

/// `Γ_i ≠ 0`, `Γ_i ≥ 0`, on interior atoms, at most one nonzero per stripe.
fn structure(
    instance: &Instance<Rational>,
    representations: &[LayerVector<Rational>],
    i: usize,
) -> Result<(), FailedHypothesis> {
    let gamma = &representations[i];
    let layer = instance.model.layer(i);
    if gamma.count_nonzeros() == 0 {
        return Err(failed(i, "nonzero-representation", format!("Γ_{i} = 0")));
    }
    if let Some((p, c, v)) = gamma.support().find(|(_, _, v)| v.is_negative()) {
        let detail = format!("Γ_{i}[{p}, {c}] = {} < 0", v.to_f64());
        return Err(failed(i, "nonnegative-representation", detail));
    }
    let input_length = instance.model.length(i - 1);
    let n = layer.filter_length();
    if let Some((p, c, _)) = gamma
        .support()
        .find(|(p, _, _)| !layer.geometry().is_interior(*p, input_length, n))
    {
        let detail = format!("Γ_{i} holds atom ({p}, {c}), which is not interior");
        return Err(failed(i, "interior-atoms", detail));
    }
    let s = strided_stripe_sparsity(gamma, layer);
    if s > 1 {
        let detail = format!("a stripe of Γ_{i} holds {s} nonzeros");
        return Err(failed(i, "one-per-stripe", detail));
    }
    Ok(())
}

/// Every nonzero of `gamma` strictly inside `band` (computed at `epsilon`), compared exactly
/// with its ends moved inwards by the margin, or outwards by `widening`; `Ok(true)` when some
/// magnitude lies within a tenth of the band's width of an edge.
fn inside_band(
    gamma: &LayerVector<Rational>,
    i: usize,
    band: Option<(f64, Option<f64>)>,
    epsilon: f64,
    widening: f64,
) -> Result<bool, FailedHypothesis> {
    let Some((low, high)) = band else {
        let detail = format!("layer {i}'s band is empty at ε = {epsilon:.6e}");
        return Err(failed(i, "amplitude-band", detail));
    };
    let low = grown(low) * (1.0 - widening);
    let high = high.map(|h| shrunk(h) * (1.0 + widening));
    let exact_low = finite_rational(low);
    let exact_high = high.map(finite_rational);
    let mut near = false;
    for (p, c, value) in gamma.support() {
        let below = *value <= exact_low;
        let above = exact_high.as_ref().is_some_and(|h| value >= h);
        if below || above {
            let limits = format!(
                "({low:.6e}, {})",
                high.map_or("∞".into(), |h| format!("{h:.6e}"))
            );
            let detail = format!(
                "Γ_{i}[{p}, {c}] = {:.6e} is not inside the band {limits} at ε = {epsilon:.6e}",
                value.to_f64()
            );
            return Err(failed(i, "amplitude-band", detail));
        }
        if let Some(h) = high {
            let width = h - low;
            let x = value.to_f64();
            near |= x - low < 0.1 * width || h - x < 0.1 * width;
        }
    }
    Ok(near)
}

/// The certificate's bound `a_{i+1} ε_0 + b_{i+1}` on layer `i`'s patch error, as exact
/// rationals `(a, b)` (the `f64` figures are already conservative).
pub fn error_bound(certificate: &Certificate, i: usize) -> (Rational, Rational) {
    let (slope, offset) = certificate.chain[i];
    (finite_rational(slope), finite_rational(offset))
}

/// Whether `error² ≤ (a sqrt(e) + b)²` with `a, b ≥ 0`, `e = ε_0² ≥ 0`, exactly:
/// `error² − a² e − b² ≤ 2 a b sqrt(e)`, squared when its left side is positive.
pub fn within_bound(error_squared: &Rational, a: &Rational, b: &Rational, e: &Rational) -> bool {
    let left = error_squared.clone() - a.clone() * a.clone() * e.clone() - b.clone() * b.clone();
    if !left.is_positive() {
        return true;
    }
    let two_ab = Rational::from_integer(2.into()) * a.clone() * b.clone();
    left.clone() * left <= two_ab.clone() * two_ab * e.clone()
}
