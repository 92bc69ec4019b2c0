//! One layer as a stated conjecture sees it ([`LayerView`]).

use num_traits::{Signed, Zero};

use super::check::{Check, Detail, below};
use super::view::{Pursuit, View};
use crate::exact_engine::IntegerViews;
use crate::io::number::rational_to_text;
use crate::kernels::Kernels;
use crate::model::{Layer, LayerVector};
use crate::norms::patch_norm_squared;
use crate::operators::analysis;
use crate::scalar::Rational;
use crate::theorems::surd::Surd;
use crate::theorems::theorem2::LayerBounds;
use crate::theorems::theorem2_bounds::LayerProfile;

/// Layer `i` as a stated conjecture sees it: `Γ_i`, `Γ̂_i` of the view's pursuit, and the
/// quantities of docs/math.md, each named as in the paper; [`LayerView::whole`] is the whole
/// instance, for comparisons with instance-wide quantities.
pub struct LayerView<'v> {
    pub(super) view: &'v View<'v>,
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
    /// The whole instance as the rule's view sees it, for comparisons of this layer with
    /// instance-wide quantities: `K` ([`View::depth`]), `ε_0²` ([`View::epsilon_0_squared`]),
    /// the other layers ([`View::layers`], [`View::gamma`]), the deepest representation, the
    /// contrast. For example `l.at_least("β_i²", l.beta * l.beta, "ε_0²",
    /// l.whole().epsilon_0_squared())`.
    pub fn whole(&self) -> &'v View<'v> {
        self.view
    }

    /// `i`, the layer's index from 1 (the field [`LayerView::layer`]).
    pub fn index(&self) -> usize {
        self.layer
    }

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
pub(super) fn first_atom(
    truth: &LayerVector<Rational>,
    estimate: &LayerVector<Rational>,
    differs: impl Fn(&Rational, &Rational) -> bool,
) -> Check {
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
                location: truth.atom_text(k),
                observed: format!("Γ̂ = {}", rational_to_text(e)),
                bound: format!("Γ = {}", rational_to_text(t)),
                shortfall: crate::scalar::rational_to_f64(&(t - e).abs()),
                ..Detail::default()
            })
        }
    }
}

/// Theorem 2's exact bounds at this layer, and comparisons with them.
impl<'v> LayerView<'v> {
    /// What Theorem 2's hypotheses fix at this layer ([`View::epsilon_chain`]): the window,
    /// (a) and (b), and the exact bounds `entrywise_i` and `ε_i`.
    pub fn theorem2_bounds(&self) -> &'v LayerBounds<Rational> {
        &self.view.epsilon_chain().layers[self.layer - 1]
    }

    /// `ε_i` of Theorem 2, an exact sum of square roots.
    pub fn epsilon(&self) -> &'v Surd<Rational> {
        &self.theorem2_bounds().epsilon
    }

    /// `observed ≤ ε_i²`, decided exactly (by certified enclosures of the square roots in
    /// `ε_i`): for example `l.at_most_epsilon_squared(l.error_patch_squared())`.
    pub fn at_most_epsilon_squared(&self, observed: Rational) -> Check {
        let classes = &self.view.epsilon_chain().classes;
        let bound = classes.mul(self.epsilon(), self.epsilon());
        self.surd_at_least(&bound, observed, "ε_i²")
    }

    /// `observed ≤ ε_{i-1} + μ_i (s_i − 1) |Γ_i^max| + β_i` (the entrywise bound of Theorem 2),
    /// decided exactly.
    pub fn at_most_entrywise_bound(&self, observed: Rational) -> Check {
        let bound = self.theorem2_bounds().entrywise.clone();
        self.surd_at_least(&bound, observed, "the entrywise bound")
    }

    /// `bound ≥ observed` for an exact sum of square roots `bound`.
    fn surd_at_least(&self, bound: &Surd<Rational>, observed: Rational, name: &str) -> Check {
        let classes = &self.view.epsilon_chain().classes;
        let difference = bound.add_rational(&-observed.clone());
        let decision = <IntegerViews as Kernels<Rational>>::sign(classes, &difference);
        let text = || {
            classes
                .text(bound, |v| Some(rational_to_text(v)))
                .unwrap_or_default()
        };
        let detail = |shortfall| Detail {
            layer: Some(self.layer),
            observed: rational_to_text(&observed),
            bound: format!("{name} = {}", text()),
            shortfall,
            ..Detail::default()
        };
        match decision.sign {
            Some(sign) if sign.is_lt() => Check::Fail(detail(-classes.to_f64(&difference))),
            Some(_) => Check::Pass,
            None => Check::Undecided(detail(0.0)),
        }
    }
}
