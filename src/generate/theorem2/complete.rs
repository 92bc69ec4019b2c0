//! The last steps of drawing a Theorem 2 case on a drawn model and `Γ_K`: the chain and the
//! profiles, thresholds at their window positions and noise within the largest budget they
//! admit.

use super::*;

/// A drawn model: exact, the same in machine-word rationals (converted once per case), and what
/// drawing it computed of the chain of `Γ_K`.
pub(super) struct Design {
    pub model: Model<Rational>,
    pub small: Model<SmallRational>,
    pub known: Known,
}

/// What drawing a model computed of the synthesis chain of its `Γ_K` and the profiles on it.
pub(super) enum Known {
    /// The chain and its profiles (a coherent ladder's).
    Chain {
        /// `[Γ_0, …, Γ_K]`.
        levels: Vec<LayerVector<SmallRational>>,
        /// The profile of each layer `1..=K` on that chain.
        profiles: Vec<LayerProfile<SmallRational>>,
    },
    /// The profiles of another chain on the same model (their `μ_i` and `w_i` depend on the
    /// model alone and are reused), and `Γ_K` in machine-word rationals.
    Coherences {
        /// The profiles of the other chain.
        profiles: Vec<LayerProfile<SmallRational>>,
        /// `Γ_K`.
        gamma: LayerVector<SmallRational>,
    },
}

/// Places thresholds at the window positions `θ_i` and draws noise within the largest budget
/// they admit, for a drawn model and `Γ_K`; `name` is completed with the depth.
#[allow(clippy::too_many_arguments)]
pub(super) fn complete_instance(
    rng: &mut ChaCha8Rng,
    settings: &Theorem2Settings,
    design: Design,
    gamma: LayerVector<Rational>,
    mut thetas: Vec<f64>,
    last_patch_width: usize,
    name: String,
    source: &str,
) -> (Instance<Rational>, PreparedTheorem2) {
    let Design {
        model,
        small,
        known,
    } = design;
    let depth = model.depth();
    let variant = settings.variant;
    let signal_length = model.signal_length();
    let input_channels = model.input_channels();
    let (chain, profiles) = match known {
        Known::Chain { levels, profiles } => (levels, profiles),
        Known::Coherences {
            profiles: known,
            gamma: small_gamma,
        } => {
            let chain = sparse_synthesis_chain(&small, small_gamma);
            let profiles = known
                .iter()
                .map(|k| {
                    sparse_profile(&small, &chain, k.layer, k.coherence.clone(), k.patch_width)
                })
                .collect();
            (chain.levels, profiles)
        }
    };
    let mut layer_placements: Vec<Placement> = profiles.iter().map(LayerProfile::to_f64).collect();
    if settings.contrast_free_window {
        for layer in &mut layer_placements {
            layer.gamma_min = layer.gamma_max;
        }
    }
    // Early thresholds add to every later ε; if even the noise-free chain fails, they go to the
    // bottom of their windows.
    if !chain_holds(&layer_placements, &thetas, 0.0, variant) {
        for theta in thetas.iter_mut().take(depth - 1) {
            *theta = 1e-6;
        }
    }
    let low = largest_noise_budget(&layer_placements, &thetas, variant);
    let reference = if low > 0.0 {
        low
    } else if settings.noise_fraction.1 > 1.0 {
        layer_placements.first().map_or(0.0, |l| l.gamma_min / 2.0)
    } else {
        0.0
    };
    let noiseless = reference == 0.0 || rng.random_bool(settings.noiseless_probability);
    let (least, most) = settings.noise_fraction;
    let fraction = if most > least {
        rng.random_range(least..most)
    } else {
        least
    };
    let budget = if noiseless {
        r(0, 1)
    } else {
        rational_below(reference * fraction, PLACEMENT_DENOMINATOR)
    };
    let width = model.layer(1).filter_length();
    let drawn = noise::draw_small_noise(rng, signal_length, input_channels, width, &budget);
    let betas = place_thresholds(&layer_placements, &thetas, budget.to_f64(), variant);
    let thresholds = betas
        .iter()
        .map(|&(beta, room_below)| Threshold::Shared(threshold_rational(beta, room_below)))
        .collect();
    let instance = Instance {
        name: format!("{name}{depth}"),
        source: source.to_string(),
        model,
        thresholding: settings.variant,
        thresholds,
        deepest_representation: gamma,
        noise: drawn.0.map(SmallRational::to_big),
        noise_budget: (!noiseless && rng.random_bool(0.5)).then_some(budget),
        last_patch_width,
        last_patch_rows: 1,
    };
    (
        instance,
        PreparedTheorem2::new(small, chain, profiles, drawn),
    )
}
