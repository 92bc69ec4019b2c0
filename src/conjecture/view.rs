//! What a stated conjecture sees of an instance: the chain `Γ_i`, the estimates `Γ̂_i` of a
//! chosen pursuit, and per layer the quantities of docs/math.md (`w_i`, `μ_i`, `s_i`, `p_i`,
//! `|Γ_i^min|`, `|Γ_i^max|`, `β_i`), so that no statement writes an index shift or re-derives a
//! patch width. Everything is exact ([`Rational`]) and computed once, when first asked for.
//!
//! Statements are written as [`Check`]s: a comparison of two exact values ([`at_most`],
//! [`below`], [`equal`], …) or a plain `bool`. A failed check carries both values, its layer and
//! its location, which become the witness of `violated` or the detail of `vacuous`.

use std::cell::OnceCell;

use num_traits::{Signed, Zero};

use crate::io::Instance;
use crate::io::number::rational_to_text;
use crate::model::{Layer, LayerVector};
use crate::norms::patch_norm_squared;
use crate::operators::analysis;
use crate::pursuit::layered_lasso::layered_basis_pursuit;
use crate::pursuit::{Thresholding, layered_thresholding};
use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use crate::theorems::layered_basis_pursuit::prescribed_weights;
use crate::theorems::theorem2::{Statement, Theorem2Report};
use crate::theorems::theorem2_bounds::{LayerProfile, dictionary_profile, patch_width};
use crate::theorems::theorem2_small::check_theorem2_statement_small;
use crate::theorems::verdict::Verdict;

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

/// The details of a failed or undecided [`Check`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detail {
    /// The layer, from 1, when the check is about one layer.
    pub layer: Option<usize>,
    /// The part of a compound statement that failed (`a` for Theorem 2's hypothesis (a)).
    pub part: Option<String>,
    /// Where (an atom, a patch); empty when the whole layer or instance is meant.
    pub location: String,
    /// The observed value, exactly.
    pub observed: String,
    /// The value it was compared with, exactly.
    pub bound: String,
    /// How far the observed value is on the wrong side, in `f64` (0 when not numeric).
    pub shortfall: f64,
}

/// The result of one statement about an instance.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// True.
    Pass,
    /// False, with both values.
    Fail(Detail),
    /// Not decided (a pursuit could not be certified).
    Undecided(Detail),
}

impl From<bool> for Check {
    fn from(holds: bool) -> Check {
        if holds {
            Check::Pass
        } else {
            Check::Fail(Detail {
                observed: "false".into(),
                bound: "true".into(),
                ..Detail::default()
            })
        }
    }
}

impl Check {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        matches!(self, Check::Pass)
    }

    /// This check, and then `next` if it passed.
    pub fn and(self, next: impl FnOnce() -> Check) -> Check {
        match self {
            Check::Pass => next(),
            other => other,
        }
    }

    fn map_detail(self, f: impl FnOnce(&mut Detail)) -> Check {
        match self {
            Check::Pass => Check::Pass,
            Check::Fail(mut d) => {
                f(&mut d);
                Check::Fail(d)
            }
            Check::Undecided(mut d) => {
                f(&mut d);
                Check::Undecided(d)
            }
        }
    }

    /// The same check, said to be about layer `layer` (unless it names a layer already).
    pub fn at_layer(self, layer: usize) -> Check {
        self.map_detail(|d| {
            d.layer.get_or_insert(layer);
        })
    }

    /// The same check with its location.
    pub fn at(self, location: impl Into<String>) -> Check {
        let location = location.into();
        self.map_detail(|d| d.location = location)
    }

    /// The same check, naming the part of a statement it is.
    pub fn part(self, part: impl Into<String>) -> Check {
        let part = part.into();
        self.map_detail(|d| d.part = Some(part))
    }
}

/// A value that can be compared exactly: rationals, and counts such as `s_i`.
pub trait Exact {
    /// The value as a rational.
    fn exact(self) -> Rational;
}

impl Exact for Rational {
    fn exact(self) -> Rational {
        self
    }
}

impl Exact for &Rational {
    fn exact(self) -> Rational {
        self.clone()
    }
}

macro_rules! exact_integer {
    ($($t:ty),*) => {$(
        impl Exact for $t {
            fn exact(self) -> Rational {
                Rational::from_integer((self as i128).into())
            }
        }
    )*};
}
exact_integer!(usize, u32, u64, i32, i64);

fn compare(observed: Rational, bound: Rational, holds: bool) -> Check {
    if holds {
        return Check::Pass;
    }
    Check::Fail(Detail {
        shortfall: crate::scalar::rational_to_f64(&(&observed - &bound).abs()),
        observed: rational_to_text(&observed),
        bound: rational_to_text(&bound),
        ..Detail::default()
    })
}

/// `observed ≤ bound`, exactly.
pub fn at_most(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a <= b;
    compare(a, b, holds)
}

/// `observed < bound`, exactly.
pub fn below(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a < b;
    compare(a, b, holds)
}

/// `observed ≥ bound`, exactly.
pub fn at_least(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a >= b;
    compare(a, b, holds)
}

/// `observed > bound`, exactly.
pub fn above(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a > b;
    compare(a, b, holds)
}

/// `observed = bound`, exactly.
pub fn equal(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a == b;
    compare(a, b, holds)
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
}

/// Layer `i` as a stated conjecture sees it: `Γ_i`, `Γ̂_i` of the view's pursuit, and the
/// quantities of docs/math.md, each named as in the paper.
pub struct LayerView<'v> {
    view: &'v View<'v>,
    /// `i`, from 1.
    pub layer: usize,
    /// `Γ_i` (`Γ_0 = X` is [`View::gamma`]`(0)`).
    pub gamma: &'v LayerVector<Rational>,
    /// `Γ̂_i`, the pursuit's estimate.
    pub estimate: &'v LayerVector<Rational>,
    /// `Γ̂_{i-1}`, the estimate this layer's pursuit started from (`Y` at layer 1).
    pub input: &'v LayerVector<Rational>,
    /// The dictionary `D_i`.
    pub dictionary: &'v Layer<Rational>,
    /// The quantities Theorem 2 reads off the instance (`μ_i`, `s_i`, `p_i`, `w_i`,
    /// `|Γ_i^min|`, `|Γ_i^max|`).
    pub profile: &'v LayerProfile<Rational>,
    /// `β_i`.
    pub beta: &'v Rational,
}

impl<'v> LayerView<'v> {
    /// The same layer as another pursuit sees it.
    pub fn of(&self, pursuit: Pursuit) -> Result<LayerView<'v>, Check> {
        let mut layers = self.view.layers_of(pursuit)?;
        Ok(layers.swap_remove(self.layer - 1))
    }

    /// `check` on this layer and the same layer of another pursuit (`versus(Pursuit::Soft,
    /// |hard, soft| …)`); fails or is undecided as [`View::layers_of`] when that pursuit has no
    /// estimate.
    pub fn versus<C: Into<Check>>(
        &self,
        pursuit: Pursuit,
        check: impl FnOnce(&LayerView<'v>, &LayerView<'v>) -> C,
    ) -> Check {
        match self.of(pursuit) {
            Ok(other) => check(self, &other).into().at_layer(self.layer),
            Err(why) => why,
        }
    }

    /// `μ_i = μ(D_i)`, the mutual coherence.
    pub fn mu(&self) -> &Rational {
        &self.profile.coherence
    }

    /// `s_i = ‖Γ_i‖^S_{0,∞}`, the stripe sparsity.
    pub fn s(&self) -> usize {
        self.profile.stripe_sparsity
    }

    /// `p_i = ‖Γ_i‖^P_{0,∞}(w_i)`, the patch sparsity.
    pub fn p(&self) -> usize {
        self.profile.patch_sparsity
    }

    /// `w_i`, the width of layer `i`'s patch norm: `n_{i+1}`, or `w_K` at the last layer.
    pub fn w(&self) -> usize {
        self.profile.patch_width
    }

    /// `n_i`, the filter length of `D_i`.
    pub fn n(&self) -> usize {
        self.dictionary.filter_length()
    }

    /// `|Γ_i^min|`, the smallest nonzero magnitude (0 for an all-zero `Γ_i`).
    pub fn gamma_min(&self) -> &Rational {
        &self.profile.gamma_min
    }

    /// `|Γ_i^max|` (0 for an all-zero `Γ_i`).
    pub fn gamma_max(&self) -> &Rational {
        &self.profile.gamma_max
    }

    /// `Γ_i − Γ̂_i`.
    pub fn error(&self) -> LayerVector<Rational> {
        self.gamma.difference(self.estimate)
    }

    /// `(‖Γ_i − Γ̂_i‖^P_{2,∞}(w_i))²`, the squared patch error (compare it with a squared bound:
    /// no square root is taken).
    pub fn error_patch_squared(&self) -> Rational {
        patch_norm_squared(&self.error(), self.w())
    }

    /// `‖Γ_i − Γ̂_i‖_∞`.
    pub fn error_max(&self) -> Rational {
        self.error().max_abs()
    }

    /// `supp(Γ̂_i) = supp(Γ_i)` with equal signs; a failure names the first atom that differs
    /// and both values there.
    pub fn same_support(&self) -> Check {
        first_atom(self.gamma, self.estimate, |t, e| t.signum() != e.signum()).at_layer(self.layer)
    }

    /// The correlations `D_iᵀ Γ̂_{i-1}` that layer `i`'s thresholding acts on.
    pub fn correlations(&self) -> LayerVector<Rational> {
        analysis(self.dictionary, self.input)
    }

    /// Whether some threshold `β ≥ 0` makes thresholding of this layer's correlations recover
    /// `supp(Γ_i)` with its signs: every atom of the support correlates with its own sign, and
    /// the smallest such correlation exceeds the largest off the support. A failure names the
    /// atom with the wrong sign, or compares the largest off-support magnitude (observed) with
    /// the smallest on-support one (bound).
    pub fn some_threshold_recovers(&self) -> Check {
        let correlations = self.correlations();
        let wrong_sign = first_atom(self.gamma, &correlations, |t, c| {
            !t.is_zero() && t.signum() != c.signum()
        });
        if !wrong_sign.passed() {
            return wrong_sign.part("sign").at_layer(self.layer);
        }
        let channels = correlations.channels();
        // The smallest on-support and largest off-support magnitudes, with their atoms.
        let mut on: Option<(usize, Rational)> = None;
        let mut off: Option<(usize, Rational)> = None;
        for (k, (c, t)) in correlations
            .entries()
            .iter()
            .zip(self.gamma.entries())
            .enumerate()
        {
            let magnitude = c.abs();
            if t.is_zero() {
                if off.as_ref().is_none_or(|(_, m)| magnitude > *m) {
                    off = Some((k, magnitude));
                }
            } else if on.as_ref().is_none_or(|(_, m)| magnitude < *m) {
                on = Some((k, magnitude));
            }
        }
        match (on, off) {
            (Some((k_on, low)), Some((k_off, high))) if high >= low => {
                let atom =
                    |k: usize| format!("(position {}, channel {})", k / channels, k % channels);
                below(high, low)
                    .part("separation")
                    .at(format!(
                        "largest off-support correlation at {}, smallest on-support at {}",
                        atom(k_off),
                        atom(k_on)
                    ))
                    .at_layer(self.layer)
            }
            _ => Check::Pass,
        }
    }

    /// `supp(Γ̂_i) ⊆ supp(Γ_i)`; a failure names an atom outside the support.
    pub fn support_included(&self) -> Check {
        first_atom(self.gamma, self.estimate, |t, e| {
            t.is_zero() && !e.is_zero()
        })
        .at_layer(self.layer)
    }
}

/// The first atom where `differs(truth, estimate)`, as a failed check with both values.
fn first_atom(
    truth: &LayerVector<Rational>,
    estimate: &LayerVector<Rational>,
    differs: impl Fn(&Rational, &Rational) -> bool,
) -> Check {
    let channels = truth.channels();
    match truth
        .entries()
        .iter()
        .zip(estimate.entries())
        .position(|(t, e)| differs(t, e))
    {
        None => Check::Pass,
        Some(k) => {
            let (t, e) = (&truth.entries()[k], &estimate.entries()[k]);
            Check::Fail(Detail {
                location: format!("atom (position {}, channel {})", k / channels, k % channels),
                observed: format!("Γ̂ = {}", rational_to_text(e)),
                bound: format!("Γ = {}", rational_to_text(t)),
                shortfall: crate::scalar::rational_to_f64(&(t - e).abs()),
                ..Detail::default()
            })
        }
    }
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
    /// minimiser that could not be certified).
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
                beta: &self.instance.thresholds[i - 1],
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

    /// Theorem 2's hypotheses: a failure names the hypothesis (`a`, `b`, …) and its layer.
    pub fn theorem2_hypotheses(&self) -> Check {
        match &self.theorem2().verdict {
            Verdict::Vacuous(failed) => Check::Fail(Detail {
                layer: Some(failed.layer),
                part: Some(failed.hypothesis.to_string()),
                location: String::new(),
                observed: failed.detail.clone(),
                bound: "Theorem 2's hypotheses".into(),
                shortfall: failed.shortfall,
            }),
            Verdict::Undecided { layer, comparison } => Check::Undecided(Detail {
                layer: Some(*layer),
                observed: comparison.clone(),
                ..Detail::default()
            }),
            Verdict::Holds | Verdict::Violated(_) => Check::Pass,
        }
    }
}
