//! What a stated conjecture sees of an instance: the chain `Γ_i`, the estimates `Γ̂_i` of a
//! chosen pursuit, and per layer the quantities of docs/math.md (`w_i`, `μ_i`, `s_i`, `p_i`,
//! `|Γ_i^min|`, `|Γ_i^max|`, `β_i`), so that no statement writes an index shift or re-derives a
//! patch width. Everything is exact ([`Rational`]) and computed once, when first asked for.
//!
//! Statements are written as [`Check`]s: a comparison of two exact values ([`at_most`],
//! [`below`], [`equal`], …) or a plain `bool`. A failed check carries both values, its layer and
//! its location, which become the witness of `violated` or the detail of `vacuous`.

use std::cell::OnceCell;

pub use super::check::{
    Check, Detail, Exact, PLAIN_BOOL_FALSE, above, at_least, at_most, below, equal,
};
pub use super::layer_view::LayerView;

use num_traits::Zero;

use crate::exact_engine::IntegerViews;
use crate::io::Instance;
use crate::model::LayerVector;
use crate::norms::patch_norm_squared;
use crate::pursuit::layered_lasso::layered_basis_pursuit;
use crate::pursuit::{Thresholding, layered_thresholding};
use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use crate::theorems::layered_basis_pursuit::prescribed_weights;
use crate::theorems::theorem2::{EpsilonChain, Statement, Theorem2Report, epsilon_chain};
use crate::theorems::theorem2_bounds::{LayerProfile, dictionary_profile, patch_width};
use crate::theorems::theorem2_small::check_theorem2_statement_small;

/// The pursuit whose estimates `Γ̂_i` a view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pursuit {
    /// Layered thresholding with the instance's own operator (`thresholding` in its file).
    Instance,
    /// Layered soft thresholding with the instance's thresholds.
    Soft,
    /// Layered nonnegative soft thresholding (the ReLU forward pass).
    Nonnegative,
    /// Layered hard thresholding.
    Hard,
    /// Layered basis pursuit, a certified LASSO per layer with the weights `ξ_i = 4 ε_{i-1}` of
    /// its stability theorem ([`prescribed_weights`]; a small positive floor replaces
    /// `ε_{i-1} = 0` on noise-free instances).
    BasisPursuit,
}

impl Pursuit {
    fn slot(self) -> usize {
        match self {
            Pursuit::Instance => 0,
            Pursuit::Soft => 1,
            Pursuit::Nonnegative => 2,
            Pursuit::Hard => 3,
            Pursuit::BasisPursuit => 4,
        }
    }

    /// A short name (`instance`, `soft`, `nonnegative`, `hard`, `basis-pursuit`).
    pub fn name(self) -> &'static str {
        match self {
            Pursuit::Instance => "instance",
            Pursuit::Soft => "soft",
            Pursuit::Nonnegative => "nonnegative",
            Pursuit::Hard => "hard",
            Pursuit::BasisPursuit => "basis-pursuit",
        }
    }
}

/// Why a pursuit has no estimate: the layer whose minimiser could not be certified, and why.
#[derive(Clone, Debug, PartialEq)]
struct Unavailable {
    layer: usize,
    reason: String,
}

/// An instance as a stated conjecture sees it (see the module documentation).
pub struct View<'a> {
    instance: &'a Instance<Rational>,
    pursuit: Pursuit,
    signal: LayerVector<Rational>,
    chain: Vec<LayerVector<Rational>>,
    profiles: OnceCell<Vec<LayerProfile<Rational>>>,
    estimates: [OnceCell<Result<Vec<LayerVector<Rational>>, Unavailable>>; 5],
    theorem2: OnceCell<Theorem2Report>,
    epsilon_chain: OnceCell<EpsilonChain<Rational>>,
}

fn profile_of(
    instance: &Instance<Rational>,
    chain: &[LayerVector<Rational>],
    layer: usize,
) -> LayerProfile<Rational> {
    let model = &instance.model;
    let width = patch_width(model, layer, instance.last_patch_width);
    // In machine-word fractions where they suffice (the same values, faster).
    dictionary_profile(
        layer,
        &model
            .layer(layer)
            .map(|v: &Rational| SmallRational::from(v)),
        &chain[layer].map(|v: &Rational| SmallRational::from(v)),
        width,
    )
    .map(|v: &SmallRational| v.into())
}

impl<'a> View<'a> {
    /// The view of an instance, with the estimates of `pursuit`.
    pub fn new(instance: &'a Instance<Rational>, pursuit: Pursuit) -> Self {
        let (signal, chain) = instance.signal_and_chain();
        View {
            instance,
            pursuit,
            signal,
            chain,
            profiles: OnceCell::new(),
            estimates: Default::default(),
            theorem2: OnceCell::new(),
            epsilon_chain: OnceCell::new(),
        }
    }

    /// The instance.
    pub fn instance(&self) -> &'a Instance<Rational> {
        self.instance
    }

    /// `K`.
    pub fn depth(&self) -> usize {
        self.instance.model.depth()
    }

    /// `N`.
    pub fn signal_length(&self) -> usize {
        self.instance.model.signal_length()
    }

    /// `Y = X + E`.
    pub fn signal(&self) -> &LayerVector<Rational> {
        &self.signal
    }

    /// `Γ_i` for `0 ≤ i ≤ K` (`Γ_0 = X`).
    pub fn gamma(&self, i: usize) -> &LayerVector<Rational> {
        &self.chain[i]
    }

    /// The noise `E`.
    pub fn noise(&self) -> &LayerVector<Rational> {
        &self.instance.noise
    }

    /// Whether the noise is zero.
    pub fn noiseless(&self) -> bool {
        self.instance.is_noiseless()
    }

    /// `ε_0²`: the declared noise budget squared, or `(‖E‖^P_{2,∞}(n_1))²`.
    pub fn epsilon_0_squared(&self) -> Rational {
        match &self.instance.noise_budget {
            Some(budget) => budget * budget,
            None => patch_norm_squared(
                &self.instance.noise,
                self.instance.model.layer(1).filter_length(),
            ),
        }
    }

    /// The contrast `|Γ_K^min| / |Γ_K^max|` of the deepest representation (0 when it is zero).
    pub fn contrast(&self) -> Rational {
        match self.chain[self.depth()].support_magnitude_range() {
            Some((low, high)) => low / high,
            None => Rational::zero(),
        }
    }

    /// The per-layer quantities of layers `1..=K`.
    pub fn profiles(&self) -> &[LayerProfile<Rational>] {
        self.profiles.get_or_init(|| {
            (1..=self.depth())
                .map(|i| profile_of(self.instance, &self.chain, i))
                .collect()
        })
    }

    fn estimates(&self, pursuit: Pursuit) -> &Result<Vec<LayerVector<Rational>>, Unavailable> {
        self.estimates[pursuit.slot()].get_or_init(|| {
            let thresholding = |t| {
                Ok(layered_thresholding(
                    &self.instance.model,
                    &self.signal,
                    &self.instance.thresholds,
                    t,
                ))
            };
            match pursuit {
                Pursuit::Instance => thresholding(self.instance.thresholding),
                Pursuit::Soft => thresholding(Thresholding::Soft),
                Pursuit::Nonnegative => thresholding(Thresholding::Nonnegative),
                Pursuit::Hard => thresholding(Thresholding::Hard),
                Pursuit::BasisPursuit => layered_basis_pursuit(
                    &self.instance.model,
                    &self.signal,
                    &prescribed_weights(self.instance),
                )
                .map_err(|stopped| Unavailable {
                    layer: stopped.layer,
                    reason: stopped.reason,
                }),
            }
        })
    }

    /// The estimates `[Γ̂_1, …, Γ̂_K]` of a pursuit, or `None` where it has none (a basis
    /// pursuit minimiser that could not be certified).
    pub fn estimates_of(&self, pursuit: Pursuit) -> Option<&[LayerVector<Rational>]> {
        self.estimates(pursuit).as_ref().ok().map(Vec::as_slice)
    }

    /// The layers of a pursuit, or the undecided check that says why it has no estimate (a
    /// minimiser that could not be certified) or why a layer has no one `β_i` (its channels
    /// have thresholds of their own; statements refuse such instances before any work).
    pub fn layers_of<'v>(&'v self, pursuit: Pursuit) -> Result<Vec<LayerView<'v>>, Check>
    where
        'a: 'v,
    {
        let estimates = self.estimates(pursuit).as_ref().map_err(|u| {
            Check::Undecided(Detail {
                layer: Some(u.layer),
                part: Some(format!("{} certified", pursuit.name())),
                observed: u.reason.clone(),
                bound: format!("a certified estimate of layer {}", u.layer),
                ..Detail::default()
            })
        })?;
        let betas = (self.instance.thresholds.iter().enumerate())
            .map(|(index, beta)| {
                beta.shared().ok_or_else(|| {
                    Check::Undecided(Detail {
                        layer: Some(index + 1),
                        part: Some("one threshold per layer".into()),
                        observed: "one threshold per channel".into(),
                        bound: "a threshold shared by the layer's channels".into(),
                        ..Detail::default()
                    })
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let profiles = self.profiles();
        Ok((1..=self.depth())
            .map(|i| LayerView {
                view: self,
                layer: i,
                gamma: &self.chain[i],
                estimate: &estimates[i - 1],
                input: if i == 1 {
                    &self.signal
                } else {
                    &estimates[i - 2]
                },
                dictionary: self.instance.model.layer(i),
                profile: &profiles[i - 1],
                beta: betas[i - 1],
            })
            .collect())
    }

    /// The layers of the view's own pursuit.
    pub fn layers(&self) -> Result<Vec<LayerView<'_>>, Check> {
        self.layers_of(self.pursuit)
    }

    /// `check` at every layer of a pursuit: the first layer where it fails (or why the pursuit
    /// has no estimate).
    pub fn each_layer<C: Into<Check>>(
        &self,
        pursuit: Pursuit,
        check: impl Fn(&LayerView<'_>) -> C,
    ) -> Check {
        match self.layers_of(pursuit) {
            Err(why) => why,
            Ok(layers) => {
                for layer in &layers {
                    let result = check(layer).into().at_layer(layer.layer);
                    if !result.passed() {
                        return result;
                    }
                }
                Check::Pass
            }
        }
    }

    /// Whether a pursuit recovers every support with its signs (`supp Γ̂_i = supp Γ_i`).
    pub fn recovers(&self, pursuit: Pursuit) -> Check {
        self.each_layer(pursuit, |l| l.same_support())
    }

    /// Theorem 2 on this instance (as stated, for the instance's variant), decided exactly.
    pub fn theorem2(&self) -> &Theorem2Report {
        self.theorem2
            .get_or_init(|| check_theorem2_statement_small(self.instance, Statement::PAPER))
    }

    /// The exact `ε` chain of Theorem 2 (as stated, for the instance's variant): per layer the
    /// window, hypotheses (a) and (b), the entrywise bound and `ε_i`, each an exact sum of
    /// square roots, from the hypotheses alone (no estimate is computed).
    pub fn epsilon_chain(&self) -> &EpsilonChain<Rational> {
        self.epsilon_chain.get_or_init(|| {
            epsilon_chain::<Rational, IntegerViews>(self.instance, Statement::PAPER)
        })
    }

    /// Theorem 2's hypotheses, from [`View::epsilon_chain`] alone: a failure names the
    /// hypothesis (`a`, `b`, …) and its layer; a hypothesis no enclosure settled is undecided.
    pub fn theorem2_hypotheses(&self) -> Check {
        let chain = self.epsilon_chain();
        if let Some(failed) = &chain.failed {
            return Check::Fail(Detail {
                layer: Some(failed.layer),
                part: Some(failed.hypothesis.to_string()),
                location: String::new(),
                observed: failed.detail.clone(),
                bound: "Theorem 2's hypotheses".into(),
                shortfall: failed.shortfall,
            });
        }
        match chain
            .layers
            .iter()
            .find_map(|l| Some((l.profile.layer, l.open.clone()?)))
        {
            Some((layer, comparison)) => Check::Undecided(Detail {
                layer: Some(layer),
                observed: comparison,
                ..Detail::default()
            }),
            None => Check::Pass,
        }
    }
}
