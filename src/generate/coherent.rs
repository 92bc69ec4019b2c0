//! Coherent deep instances of Theorem 2: every layer has `μ_i > 0`, and interference is placed
//! on purpose, at layer 1 and deeper (`proofs/theorem2_depth.md`).
//!
//! The family is a *ladder*. Every layer has `m ∈ {1, 2}` (two in 70% of ladders) filters over `m` input channels
//! (`m_0 = m_1 = … = m_K = m`); filter `c` of layer `i` is the Pythagorean pair
//!
//! ```text
//! f_{i,c}[0][c] = b_i,   f_{i,c}[g_i][(c + 1) mod m] = a_i,   a_i = 2q_i/(q_i² + 1),  b_i = (q_i² − 1)/(q_i² + 1),
//! ```
//!
//! exactly unit, with `n_i = g_i + 1`. Two atoms of layer `i` meet in at most one entry, and only
//! when their positions differ by `g_i` (and their channels by one), so `μ_i = a_i b_i > 0`
//! exactly; `μ_i` falls like `2 / q_i`, so any target coherence is met by an integer `q_i`.
//!
//! Which quantity each choice bounds:
//!
//! - **Gaps bound the stripe sparsity.** `g_1 ∈ {1, 2}`. For `i ≥ 2` the gap is either *spread*,
//!   `g_i = 2 n_{i-1} − 1`, so the two entries an atom of layer `i` writes into `Γ_{i-1}` never
//!   share a stripe of layer `i − 1` (`s_{i-1}` gains nothing), or *paired*, `g_i = g_{i-1}`,
//!   so they share one and sit exactly at the shift where two atoms of layer `i − 1` overlap:
//!   `s_{i-1} ≥ 2` (3 where a pair of `Γ_K` also lands in the stripe) with interference
//!   `μ_{i-1} |Γ|` that really occurs; a paired gap at layer 2 puts interference at layer 1.
//! - **Pairs in `Γ_K` bound `s_K`.** Each cluster of `Γ_K` is one atom, or two atoms `g_K`
//!   apart in neighbouring channels (`s_K = 2`, overlapping in one entry). Clusters are spaced
//!   beyond the reach of every layer, so their images never meet.
//! - **Coherences are chosen from the top down against a budget.** With the normalised error
//!   `u_i = ε_{i-1} / |Γ_i^max|`, the contrast `ρ_i = |Γ_i^min| / |Γ_i^max|`,
//!   `c_i = (2 s_i − 1) μ_i` and the amplification `λ_{i-1} = sqrt(p_{i-1}) |Γ_{i-1}^max| / |Γ_i^max|`,
//!   hypothesis (a) at layer `i` reads `2 u_i + c_i < ρ_i`, and a threshold at position `θ_i` of
//!   its window gives `u_{i+1} = λ_i ((1 − θ_i)(2 u_i + c_i) + θ_i ρ_i)` (soft; hard thresholding
//!   gives less). Going down from layer `K`, layer `i` receives a budget `B_i` on `2 u_i + c_i`
//!   (`B_K = ρ_K`); it takes `c_i = f_i · L_i` with `L_i = min(ρ_i, B_i − θ_i ρ_i)` and
//!   `f_i ∈ [0.3, 0.6]`, and hands `B_{i-1} = (L_i − c_i) / (2 λ_{i-1})` down. Early thresholds
//!   are capped at `θ_i ≤ B_i / (4 ρ_i)` so that the reservation stays below a quarter of the
//!   budget. Every layer then meets (a) noise-free with room left, and the remaining room at
//!   layer 1 is what the noise budget fills. `ρ_i`, `λ_i`, `s_i`, `p_i` depend only on the
//!   layers above `i`, which are fixed when `μ_i` is chosen.
//! - **Magnitudes.** `|Γ_K|` lies in `[0.85, 1]`; half the pairs have equal magnitudes, where
//!   the interference term of the bound is attained and the tightness approaches 1.
//!
//! The depth costs are real: each layer passes a contrast `a_i / b_i ≈ μ_i` down and doubles
//! the error (soft), so `μ_1` shrinks fast with `K`. `proofs/theorem2_depth.md` proves that this
//! is not a weakness of the family: every instance meeting the hypotheses has
//! `Σ_j 2^{K-j} (Π λ) (2 s_j − 1) μ_j < ρ_K ≤ 1`.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

mod budget;

use crate::model::{Layer, LayerVector, Model, stripe_width};
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::theorem2_bounds::LayerProfile;
use budget::{Structure, choose_coherences};

/// The deepest ladder generated.
pub const MAX_LADDER_DEPTH: usize = 4;

/// The largest `q_i` (so `μ_i > 2^-30`): `q² + 1` still fits a machine word, and the deepest
/// budgets (`K = 4`, `μ_1` near `10^-7`) stay above it.
const MAX_PYTHAGOREAN_PARAMETER: i64 = 1 << 30;

/// Denominator of the magnitudes of `Γ_K`.
const MAGNITUDE_DENOMINATOR: i64 = 1 << 16;

/// A coherent ladder: the model, `Γ_K`, the last patch width and the window positions `θ_i`.
pub struct Ladder {
    /// The model.
    pub model: Model<Rational>,
    /// The deepest representation `Γ_K`.
    pub gamma: LayerVector<Rational>,
    /// The window positions of the thresholds, one per layer.
    pub thetas: Vec<f64>,
    /// The declared width `w_K` of the last patch norm.
    pub last_patch_width: usize,
    /// The synthesis chain and the profiles on it in machine-word rationals, when drawing the
    /// ladder computed them.
    pub chain: Option<LadderChain>,
}

/// What drawing a ladder computed in machine-word rationals: the model, the same values as its
/// `synthesis_chain` of `Γ_K` and the exact layer profiles on it.
#[derive(Clone, Debug, PartialEq)]
pub struct LadderChain {
    /// The model in machine-word rationals.
    pub model: Model<SmallRational>,
    /// `[Γ_0, …, Γ_K]`.
    pub levels: Vec<LayerVector<SmallRational>>,
    /// The profile of each layer `1..=K` on that chain (with `w_K` the ladder's).
    pub profiles: Vec<LayerProfile<SmallRational>>,
}

use crate::scalar::ratio as r;

/// The Pythagorean pair `(b, a) = ((q² − 1)/(q² + 1), 2q/(q² + 1))`, and `μ = a b` in `f64`.
pub fn pythagorean_pair(q: i64) -> (Rational, Rational, f64) {
    let denominator = q * q + 1;
    let (b, a) = (r(q * q - 1, denominator), r(2 * q, denominator));
    (b, a, pythagorean_coherence(q))
}

/// `μ = a b` of the pair of `q`, in `f64`: the product of the two entries each rounded from its
/// exact value (computed on machine words; `q ≤ 2^30` keeps `q² + 1` within one).
fn pythagorean_coherence(q: i64) -> f64 {
    let denominator = q * q + 1;
    SmallRational::new(2 * q, denominator).to_f64()
        * SmallRational::new(q * q - 1, denominator).to_f64()
}

/// The least `q ≥ 2` whose pair has `μ = a b ≤ target` (capped at
/// `MAX_PYTHAGOREAN_PARAMETER` (2^30)).
pub fn parameter_for_coherence(target: f64) -> i64 {
    // μ(q) = 2q(q² − 1)/(q² + 1)² < 2/q, and μ(q) ≥ 2/q − 4/q³ for q ≥ 2.
    let mut q = if target > 0.0 {
        ((2.0 / target).floor() as i64).clamp(2, MAX_PYTHAGOREAN_PARAMETER)
    } else {
        MAX_PYTHAGOREAN_PARAMETER
    };
    while q > 2 && pythagorean_coherence(q - 1) <= target {
        q -= 1;
    }
    while q < MAX_PYTHAGOREAN_PARAMETER && pythagorean_coherence(q) > target {
        q += 1;
    }
    q
}

/// `sign · x` for a sign `±1`: a negation, which keeps a reduced value reduced (a product
/// would reduce it again by two gcds of big integers).
fn signed(x: &Rational, sign: i64) -> Rational {
    if sign < 0 { -x } else { x.clone() }
}

/// The layer of a ladder: `m` filters, filter `c` with `b` on channel `c` at tap 0 and `a` on
/// channel `c + 1 (mod m)` at tap `g`; the signs of the two taps are given. Every filter is
/// exactly unit.
pub fn ladder_layer(
    number: usize,
    channels: usize,
    gap: usize,
    q: i64,
    signs: (i64, i64),
) -> Layer<Rational> {
    let (b, a, _) = pythagorean_pair(q);
    let filters = (0..channels)
        .map(|c| {
            let mut filter = vec![vec![<Rational as num_traits::Zero>::zero(); channels]; gap + 1];
            filter[0][c] = signed(&b, signs.0);
            filter[gap][(c + 1) % channels] = signed(&a, signs.1);
            filter
        })
        .collect();
    // `(q² − 1)² + (2q)² = (q² + 1)²`: every filter is exactly unit, so the layer is built
    // without summing its norms (the checked constructor would return the same layer).
    Layer::new_unchecked_norm(number, filters).expect("a ladder layer has consistent shapes")
}

/// The structure of a ladder before its coherences are chosen: channels, gaps, filter lengths,
/// the signal length, `w_K` and `Γ_K`.
struct Skeleton {
    channels: usize,
    gaps: Vec<usize>,
    lengths: Vec<usize>,
    signal_length: usize,
    last_patch_width: usize,
    gamma: LayerVector<Rational>,
}

/// The random sign of a tap or coefficient (always `+` for the nonnegative variant).
pub(crate) fn sign(rng: &mut ChaCha8Rng, nonnegative: bool) -> i64 {
    if nonnegative || rng.random_bool(0.5) {
        1
    } else {
        -1
    }
}

/// Draws the structure of a ladder of the given depth (`K = 1` allowed: one layer, with pairs
/// in `Γ_1`).
fn draw_skeleton(rng: &mut ChaCha8Rng, depth: usize, nonnegative: bool) -> Skeleton {
    // Two channels in most ladders, so that multi-channel layers stay common.
    let channels = if rng.random_bool(0.7) { 2 } else { 1 };

    // Gaps: g_1 ∈ {1, 2}; deeper gaps spread (s_{i-1} unchanged) or paired (s_{i-1} = 2).
    let mut gaps = vec![rng.random_range(1..=2usize)];
    for i in 2..=depth {
        let previous = gaps[i - 2];
        let paired = rng.random_bool(0.4);
        gaps.push(if paired {
            previous
        } else {
            2 * (previous + 1) - 1
        });
    }
    let lengths: Vec<usize> = gaps.iter().map(|g| g + 1).collect();

    // Clusters of Γ_K, spaced beyond the reach of every layer.
    let reach: usize = gaps.iter().sum::<usize>() + gaps[depth - 1];
    let widest_stripe = lengths.iter().map(|&n| stripe_width(n)).max().unwrap_or(1);
    let spacing = reach + widest_stripe + 1;
    let clusters = rng.random_range(1..=3usize);
    let signal_length = (clusters * spacing).max(widest_stripe) + rng.random_range(0..=8usize);
    let last_patch_width = rng.random_range(1..=3usize);
    let mut gamma = LayerVector::zeros(signal_length, channels);
    for k in 0..clusters {
        let position = k * spacing;
        let channel = rng.random_range(0..channels);
        let partner = |rng: &mut ChaCha8Rng| rng.random_bool(0.6).then_some(gaps[depth - 1]);
        place_cluster(rng, &mut gamma, (position, channel), partner, nonnegative);
    }

    Skeleton {
        channels,
        gaps,
        lengths,
        signal_length,
        last_patch_width,
        gamma,
    }
}

/// Draws a coherent ladder of depth `2..=max_depth` (at most [`MAX_LADDER_DEPTH`]);
/// `nonnegative` makes every filter tap and coefficient positive; `last_window_position` fixes
/// `θ_K` (for negative controls).
pub fn draw_ladder(
    rng: &mut ChaCha8Rng,
    max_depth: usize,
    nonnegative: bool,
    last_window_position: Option<f64>,
) -> Ladder {
    let depth = rng.random_range(2..=max_depth.clamp(2, MAX_LADDER_DEPTH));
    let Skeleton {
        channels,
        gaps,
        lengths,
        signal_length,
        last_patch_width,
        gamma,
    } = draw_skeleton(rng, depth, nonnegative);

    let mut thetas: Vec<f64> = (1..=depth)
        .map(|i| {
            if i < depth {
                rng.random_range(0.0..0.25) + 1e-6
            } else if let Some(theta) = last_window_position {
                theta
            } else {
                rng.random_range(0.02..0.98)
            }
        })
        .collect();

    // Coherences from the top down, each within the budget the layers above leave; the chain
    // and the profiles are computed in machine-word rationals (the same values).
    let chosen = choose_coherences(
        rng,
        &Structure {
            channels,
            gaps: &gaps,
            lengths: &lengths,
            last_patch_width,
            nonnegative,
        },
        &gamma,
        &mut thetas,
    );
    let rules = "a ladder meets every model rule";
    let chain = LadderChain {
        model: Model::new(signal_length, channels, chosen.small_layers).expect(rules),
        levels: chosen.levels,
        profiles: chosen.profiles,
    };
    Ladder {
        model: Model::new(signal_length, channels, chosen.layers).expect(rules),
        gamma,
        thetas,
        last_patch_width,
        chain: Some(chain),
    }
}

fn magnitude(value: f64, sign: i64) -> Rational {
    let numerator = (value * MAGNITUDE_DENOMINATOR as f64).floor() as i64;
    super::dyadic::dyadic_ratio(sign * numerator.max(1), MAGNITUDE_DENOMINATOR)
}

/// A cluster of `Γ_K` at `(position, channel)`: one atom of magnitude in `[0.85, 1]` with a
/// random sign (`+` when `nonnegative`), then, when `partner` draws an offset, a second atom
/// that far later in the next channel, of the same magnitude half the time.
pub(crate) fn place_cluster(
    rng: &mut ChaCha8Rng,
    gamma: &mut LayerVector<Rational>,
    (position, channel): (usize, usize),
    partner: impl FnOnce(&mut ChaCha8Rng) -> Option<usize>,
    nonnegative: bool,
) {
    let first = rng.random_range(0.85..1.0);
    gamma.set(position, channel, magnitude(first, sign(rng, nonnegative)));
    if let Some(offset) = partner(rng) {
        let second = if rng.random_bool(0.5) {
            first
        } else {
            rng.random_range(0.85..1.0)
        };
        let next = (channel + 1) % gamma.channels();
        gamma.set(
            position + offset,
            next,
            magnitude(second, sign(rng, nonnegative)),
        );
    }
}

/// A ladder of the given depth whose every layer has the coherence `μ(q)` of the least `q`
/// with `μ(q) ≤ coherence` (no budget: the hypotheses of Theorem 2 may fail), for studies of
/// how the hypotheses and the pursuit fare with depth. The window positions are all `½`.
pub fn ladder_at_coherence(
    rng: &mut ChaCha8Rng,
    depth: usize,
    nonnegative: bool,
    coherence: f64,
) -> Ladder {
    let skeleton = draw_skeleton(rng, depth, nonnegative);
    let q = parameter_for_coherence(coherence);
    let layers = (1..=depth)
        .map(|i| {
            let signs = (sign(rng, nonnegative), sign(rng, nonnegative));
            ladder_layer(i, skeleton.channels, skeleton.gaps[i - 1], q, signs)
        })
        .collect();
    let model = Model::new(skeleton.signal_length, skeleton.channels, layers)
        .expect("a ladder meets every model rule");
    Ladder {
        model,
        gamma: skeleton.gamma,
        thetas: vec![0.5; depth],
        last_patch_width: skeleton.last_patch_width,
        chain: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theorems::theorem2_bounds::layer_profiles;
    use rand::SeedableRng;

    /// Every filter of a ladder layer is exactly unit (`b² + a² = 1`), as the checked
    /// constructor would require, for `q` from 2 to `2^30`, one or two channels, every gap and
    /// sign; counts the layers.
    #[test]
    fn ladder_filters_are_exactly_unit() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let mut layers = 0;
        for _ in 0..300 {
            let q = match rng.random_range(0..3) {
                0 => rng.random_range(2..=20),
                1 => rng.random_range(2..=MAX_PYTHAGOREAN_PARAMETER),
                _ => MAX_PYTHAGOREAN_PARAMETER,
            };
            let channels = rng.random_range(1..=2);
            let gap = rng.random_range(1..=23);
            let signs = (sign(&mut rng, false), sign(&mut rng, false));
            let layer = ladder_layer(1, channels, gap, q, signs);
            for c in 0..channels {
                assert_eq!(
                    crate::model::sum_of_squares(layer.filter(c)),
                    r(1, 1),
                    "q = {q}"
                );
            }
            assert_eq!(layer.filter_length(), gap + 1);
            layers += 1;
        }
        assert_eq!(layers, 300);
    }

    /// The model a ladder keeps from its drawing is its model converted, the chain is the
    /// model's synthesis chain of `Γ_K`, level for level, and its profiles are the plain ones on
    /// that chain, coherences included (the generator places thresholds on them instead of
    /// computing them again).
    #[test]
    fn a_ladder_keeps_the_synthesis_chain_of_its_model() {
        for seed in 0..60 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let ladder = draw_ladder(&mut rng, MAX_LADDER_DEPTH, seed % 3 == 0, None);
            let small = ladder.model.map(|v| SmallRational::from(v));
            let expected = small
                .synthesis_chain(&ladder.gamma.map(|v| SmallRational::from(v)))
                .expect("shapes agree");
            let chain = ladder.chain.expect("a drawn ladder keeps its chain");
            assert_eq!(chain.model, small, "seed {seed}");
            assert_eq!(chain.levels, expected, "seed {seed}");
            let profiles = layer_profiles(&small, &expected, ladder.last_patch_width);
            assert_eq!(chain.profiles, profiles, "seed {seed}");
        }
    }
}
