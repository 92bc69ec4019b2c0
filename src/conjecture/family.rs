//! The instances a stated conjecture is tested on ([`Family`]).

use std::sync::Arc;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::Entry;
use crate::generate::filters::FirstLayerDesign;
use crate::generate::theorem2::{Theorem2Settings, generate_theorem2_instance};
use crate::instance::Instance;
use crate::scalar::Rational;
use crate::thresholding::Thresholding;

type Generator = Arc<dyn Fn(&mut ChaCha8Rng) -> Instance<Rational> + Send + Sync>;

/// The instances a conjecture is tested on: Theorem 2's generator with chosen settings, a
/// registered entry's generator, or a function of your own.
#[derive(Clone)]
pub struct Family {
    settings: Theorem2Settings,
    contrast: Option<(f64, f64)>,
    custom: Option<Generator>,
}

impl std::fmt::Debug for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Family")
            .field("settings", &self.settings)
            .field("contrast", &self.contrast)
            .field("custom", &self.custom.is_some())
            .finish()
    }
}

impl Family {
    /// The instances of the Theorem 2 entry of a variant (`theorem2-soft`, …): designed to meet
    /// the hypotheses, half of them coherent ladders.
    pub fn theorem2(variant: Thresholding) -> Self {
        Family::settings(Theorem2Settings::paper(variant))
    }

    /// Theorem 2's generator with these settings.
    pub fn settings(settings: Theorem2Settings) -> Self {
        Family {
            settings,
            contrast: None,
            custom: None,
        }
    }

    /// The generator of a registered entry (`mlcsc list`); `None` for an unknown name.
    pub fn of_entry(name: &str) -> Option<Self> {
        let entry: Arc<Entry> = Arc::from(super::find(name)?);
        Some(Family::custom(move |rng| entry.generate(rng)))
    }

    /// Your own generator; it must draw every choice from `rng` (case `k` of a campaign is
    /// `mlcsc::generate::seed::case_rng(seed, k)`).
    pub fn custom(
        generate: impl Fn(&mut ChaCha8Rng) -> Instance<Rational> + Send + Sync + 'static,
    ) -> Self {
        Family {
            settings: Theorem2Settings::new(Thresholding::Soft),
            contrast: None,
            custom: Some(Arc::new(generate)),
        }
    }

    /// Only noisy cases.
    pub fn noisy(mut self) -> Self {
        self.settings.noiseless_probability = 0.0;
        self
    }

    /// The noise budget as a fraction `[low, high)` of the largest `ε_0` Theorem 2 admits
    /// (above 1 the noise breaks its hypotheses).
    pub fn noise(mut self, low: f64, high: f64) -> Self {
        self.settings.noise_fraction = (low, high);
        self
    }

    /// The contrast `|Γ_K^min| / |Γ_K^max|` drawn from `[low, high]` in every case, instead of
    /// just above what hypothesis (a) needs.
    pub fn contrast(mut self, low: f64, high: f64) -> Self {
        self.contrast = Some((low.min(high), low.max(high)));
        self
    }

    /// Depths `1..=depth`.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.settings.max_depth = depth.max(1);
        self
    }

    /// Signal lengths up to `length`.
    pub fn max_signal_length(mut self, length: usize) -> Self {
        self.settings.max_signal_length = length;
        self
    }

    /// At least this many atom clusters in `Γ_K` (where the signal length leaves room).
    pub fn atoms(mut self, clusters: usize) -> Self {
        self.settings.min_clusters = clusters;
        self
    }

    /// A fixed first-layer design.
    pub fn first_layer(mut self, design: FirstLayerDesign) -> Self {
        self.settings.first_layer = Some(design);
        self
    }

    /// Draws one instance.
    pub fn generate(&self, rng: &mut ChaCha8Rng, source: &str) -> Instance<Rational> {
        if let Some(generate) = &self.custom {
            return generate(rng);
        }
        match self.contrast {
            Some((low, high)) => {
                let mut settings = self.settings.clone();
                settings.contrast = Some(if high > low {
                    rng.random_range(low..=high)
                } else {
                    low
                });
                generate_theorem2_instance(rng, &settings, source)
            }
            None => generate_theorem2_instance(rng, &self.settings, source),
        }
    }
}
