//! Generators of Theorem 2's designed instances, and Theorem 2's forms as entries: the paper's
//! statement for each thresholding, and the three negative controls, each on instances built
//! to reach the case it removes.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{Entry, ExpectedStatus};
use crate::generate::filters::FirstLayerDesign;
use crate::generate::theorem2::{
    Theorem2Settings, generate_theorem2_instance, generate_theorem2_prepared,
};
use crate::io::Instance;
use crate::pursuit::Thresholding;
use crate::scalar::Rational;
use crate::theorems::theorem2::Theorem2;

/// A form of Theorem 2 with its generator.
pub type Theorem2Entry = Entry<Theorem2>;

/// The generator of instances designed by `settings` to meet Theorem 2's hypotheses.
pub fn designed(
    settings: Theorem2Settings,
) -> impl Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync + 'static {
    move |rng, name| generate_theorem2_instance(rng, &settings, name)
}

/// The entry of a form of Theorem 2 on instances designed by `settings`, decided in a campaign
/// with what drawing each instance computed taken over ([`Theorem2::outcome_prepared`]).
fn designed_entry(
    theorem: Theorem2,
    settings: Theorem2Settings,
    status: ExpectedStatus,
) -> Theorem2Entry {
    let (form, drawn) = (theorem.clone(), settings.clone());
    Entry::new(theorem, designed(settings), status).with_prepared_run(move |rng, name| {
        let (instance, prepared) = generate_theorem2_prepared(rng, &drawn, name);
        form.outcome_prepared(&instance, prepared)
    })
}

/// Theorem 2's designed instances, always noisy, with the contrast drawn from `[0.02, 1]`
/// half the time and the noise up to three times what Theorem 2 admits: the cases where
/// Theorem 2's hypotheses fail and layered basis pursuit still speaks.
pub fn any_contrast(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    let mut settings = Theorem2Settings::new(Thresholding::Soft);
    settings.noiseless_probability = 0.0;
    settings.noise_fraction = (0.05, 3.0);
    if rng.random_bool(0.5) {
        settings.contrast = Some(rng.random_range(0.02..1.0));
    }
    generate_theorem2_instance(rng, &settings, name)
}

impl Theorem2Entry {
    /// Theorem 2 for one thresholding variant, on generated instances meeting its hypotheses.
    pub fn paper(variant: Thresholding) -> Self {
        designed_entry(
            Theorem2::paper(variant),
            Theorem2Settings::paper(variant),
            ExpectedStatus::Theorem,
        )
    }

    /// Negative control: (a) and the window without the contrast term, on low-contrast
    /// single-layer instances with the threshold high in the contrast-free window.
    pub fn without_contrast_term() -> Self {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.max_depth = 1;
        settings.contrast = Some(0.1);
        settings.contrast_free_window = true;
        settings.last_window_position = Some(0.8);
        let theorem = Theorem2::without_contrast_term();
        designed_entry(theorem, settings, ExpectedStatus::KnownFalse)
    }

    /// Negative control: the patch bound without the factor `sqrt(p_i)`, on instances whose
    /// first layer is the Dirac basis.
    pub fn without_patch_sparsity_factor() -> Self {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.first_layer = Some(FirstLayerDesign::Dirac);
        let theorem = Theorem2::without_patch_sparsity_factor();
        designed_entry(theorem, settings, ExpectedStatus::KnownFalse)
    }

    /// Negative control: hypothesis (b) dropped, with the last threshold just above its window.
    pub fn threshold_outside_window() -> Self {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.last_window_position = Some(1.02);
        settings.noiseless_probability = 0.5;
        let theorem = Theorem2::threshold_outside_window();
        designed_entry(theorem, settings, ExpectedStatus::KnownFalse)
    }
}
