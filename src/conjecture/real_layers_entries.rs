//! Theorem 2 for real layers as entries: the theorem for each thresholding on strided ladders
//! built to meet its hypotheses, and its three negative controls, each on ladders built to
//! reach the case it removes (`mlcsc::generate::real_layers`).

use rand_chacha::ChaCha8Rng;

use super::{Entry, ExpectedStatus};
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
        let theorem = RealLayersTheorem2::control(
            "theorem2-real-layers-without-guard-band",
            "the guard band dropped: supports on truncated border atoms",
            RealForm::WITHOUT_GUARD_BAND,
        );
        Entry::new(
            theorem,
            ladders(border(Thresholding::Soft)),
            ExpectedStatus::KnownFalse,
        )
    }

    /// Negative control: channels without support unconstrained, on ReLU ladders whose last
    /// layer has an empty channel with a negative threshold (a positive bias).
    pub fn positive_bias() -> Self {
        let theorem = RealLayersTheorem2::control(
            "theorem2-real-layers-positive-bias",
            "no window for channels without support: a channel with a positive bias",
            RealForm::WITHOUT_IDLE_CHANNEL_WINDOW,
        );
        let settings = RealLayersSettings {
            variant: Thresholding::Nonnegative,
            control: RealControl::NegativeIdleThreshold,
        };
        Entry::new(theorem, ladders(settings), ExpectedStatus::KnownFalse)
    }

    /// Negative control: one global `μ` read off the dictionary's Gram matrix as it is, with
    /// the guard band dropped, on ladders with a cluster on a truncated border atom.
    pub fn naive_global_coherence() -> Self {
        let theorem = RealLayersTheorem2::control(
            "theorem2-real-layers-naive-coherence",
            "μ read off the Gram matrix of the truncated atoms, the guard band dropped",
            RealForm::NAIVE_GLOBAL_COHERENCE,
        );
        Entry::new(
            theorem,
            ladders(border(Thresholding::Soft)),
            ExpectedStatus::KnownFalse,
        )
    }
}

/// Settings for ladders with a cluster on a truncated border atom.
fn border(variant: Thresholding) -> RealLayersSettings {
    RealLayersSettings {
        variant,
        control: RealControl::BorderAtom,
    }
}
