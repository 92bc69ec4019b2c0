//! Theorem 2 for real layers as entries: the theorem for each thresholding on strided ladders
//! built to meet its hypotheses, and its three negative controls, each on ladders built to
//! reach the case it removes (`mlcsc::generate::real_layers`).

use rand_chacha::ChaCha8Rng;

use super::{Entry, ExpectedStatus};
use crate::generate::image_separable::separable_ladder;
use crate::generate::real_layers::{
    RealControl, RealLayersSettings, generate_real_layers_instance,
};
use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::real_layers::RealForm;
use crate::theorems::theorem2_real_layers::RealLayersTheorem2;
use crate::thresholding::Thresholding;

/// A form of Theorem 2 for real layers with its generator.
pub type RealLayersEntry = Entry<RealLayersTheorem2>;

/// The generator of strided ladders for `settings`.
fn ladders(
    settings: RealLayersSettings,
) -> impl Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync + 'static {
    move |rng, name| generate_real_layers_instance(rng, &settings, name)
}

impl RealLayersEntry {
    /// The theorem for one thresholding, on ladders meeting its hypotheses.
    pub fn stated(variant: Thresholding) -> Self {
        let settings = RealLayersSettings {
            variant,
            control: RealControl::None,
        };
        let theorem = RealLayersTheorem2::stated(variant);
        Entry::new(theorem, ladders(settings), ExpectedStatus::Theorem)
    }

    /// Negative control: the guard band dropped, on ladders with a cluster on a truncated
    /// border atom.
    pub fn without_guard_band() -> Self {
        Self::control(GUARD_BAND)
    }

    /// Negative control: channels without support unconstrained, on ReLU ladders whose last
    /// layer has an empty channel with a negative threshold (a positive bias).
    pub fn positive_bias() -> Self {
        Self::control(POSITIVE_BIAS)
    }

    /// Negative control: one global `μ` read off the dictionary's Gram matrix as it is, with
    /// the guard band dropped, on ladders with a cluster on a truncated border atom.
    pub fn naive_global_coherence() -> Self {
        Self::control(NAIVE_COHERENCE)
    }

    fn control((name, what, form, settings): Control) -> Self {
        let theorem = RealLayersTheorem2::control(name, what, form);
        Entry::new(theorem, ladders(settings), ExpectedStatus::KnownFalse)
    }
}

/// A negative control: its name, what it drops, its form, and the ladders that reach the
/// case it removes.
type Control = (&'static str, &'static str, RealForm, RealLayersSettings);

const GUARD_BAND: Control = (
    "theorem2-real-layers-without-guard-band",
    "the guard band dropped: supports on truncated border atoms",
    RealForm::WITHOUT_GUARD_BAND,
    border(Thresholding::Soft),
);

const POSITIVE_BIAS: Control = (
    "theorem2-real-layers-positive-bias",
    "no window for channels without support: a channel with a positive bias",
    RealForm::WITHOUT_IDLE_CHANNEL_WINDOW,
    RealLayersSettings {
        variant: Thresholding::Nonnegative,
        control: RealControl::NegativeIdleThreshold,
    },
);

const NAIVE_COHERENCE: Control = (
    "theorem2-real-layers-naive-coherence",
    "μ read off the Gram matrix of the truncated atoms, the guard band dropped",
    RealForm::NAIVE_GLOBAL_COHERENCE,
    border(Thresholding::Soft),
);

/// The same entries on images: each form on separable ladders built on its own ladders, or
/// their image lifts where the line is deeper than two layers
/// (`mlcsc::generate::image_separable`, `mlcsc::generate::image_lift`,
/// `proofs/two_dimensions.md`, G9, G13).
impl RealLayersEntry {
    /// The theorem for one thresholding on separable and lifted ladders.
    pub fn image_stated(variant: Thresholding) -> Self {
        let settings = RealLayersSettings {
            variant,
            control: RealControl::None,
        };
        let theorem = RealLayersTheorem2::stated(variant).on_images();
        Entry::new(theorem, lifted(settings), ExpectedStatus::Theorem)
    }

    /// [`Self::without_guard_band`] on separable and lifted ladders.
    pub fn image_without_guard_band() -> Self {
        Self::image_control(GUARD_BAND)
    }

    /// [`Self::positive_bias`] on separable and lifted ladders.
    pub fn image_positive_bias() -> Self {
        Self::image_control(POSITIVE_BIAS)
    }

    /// [`Self::naive_global_coherence`] on separable and lifted ladders.
    pub fn image_naive_global_coherence() -> Self {
        Self::image_control(NAIVE_COHERENCE)
    }

    fn image_control((name, what, form, settings): Control) -> Self {
        let theorem = RealLayersTheorem2::control(name, what, form).on_images();
        Entry::new(theorem, lifted(settings), ExpectedStatus::KnownFalse)
    }
}

/// Separable ladders (or lifts) on the ladders for `settings`.
fn lifted(
    settings: RealLayersSettings,
) -> impl Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync + 'static {
    move |rng, name| separable_ladder(rng, &settings, name)
}

/// Settings for ladders with a cluster on a truncated border atom.
const fn border(variant: Thresholding) -> RealLayersSettings {
    RealLayersSettings {
        variant,
        control: RealControl::BorderAtom,
    }
}
