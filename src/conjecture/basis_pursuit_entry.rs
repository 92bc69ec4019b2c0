//! Layered basis pursuit (docs/math.md §7) as a registry entry, on instances of every contrast.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{Conjecture, ExpectedStatus, Outcome};
use crate::generate::theorem2::{Theorem2Settings, generate_theorem2_instance};
use crate::io::Instance;
use crate::pursuit::Thresholding;
use crate::scalar::Rational;
use crate::theorems::layered_basis_pursuit::check_layered_basis_pursuit;

/// The layered basis pursuit theorem, recalled from the full paper and checked as stated.
pub struct LayeredBasisPursuitEntry;

impl Conjecture for LayeredBasisPursuitEntry {
    fn name(&self) -> &str {
        "layered-basis-pursuit"
    }

    fn citation(&self) -> &str {
        "Papyan, Romano, Elad, JMLR 18 (2017), stability of layered basis pursuit (recalled); docs/math.md §7"
    }

    fn status(&self) -> ExpectedStatus {
        ExpectedStatus::Theorem
    }

    /// Theorem 2's designed instances, always noisy, with the contrast drawn from `[0.02, 1]`
    /// half the time and the noise up to three times what Theorem 2 admits: the cases where
    /// Theorem 2's hypotheses fail and this theorem still speaks.
    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.noiseless_probability = 0.0;
        settings.noise_fraction = (0.05, 3.0);
        if rng.random_bool(0.5) {
            settings.contrast = Some(rng.random_range(0.02..1.0));
        }
        generate_theorem2_instance(rng, &settings, self.name())
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        let report = check_layered_basis_pursuit(instance);
        let tightness = report
            .layers
            .iter()
            .map(|l| {
                if l.epsilon > 0.0 {
                    l.error_patch_norm / l.epsilon
                } else {
                    0.0
                }
            })
            .fold(None, |best: Option<f64>, t| {
                Some(best.map_or(t, |b| b.max(t)))
            });
        let contrast = instance
            .deepest_representation
            .support_magnitude_range()
            .map_or(0.0, |(lo, hi)| (lo / hi).to_f64_lossy());
        Outcome {
            tightness: report
                .verdict
                .hypotheses_met()
                .then_some(tightness)
                .flatten(),
            certified: report.certified,
            margins: report
                .layers
                .iter()
                .map(|l| {
                    (
                        format!("sparsity-margin-layer{}", l.layer),
                        l.sparsity_bound.min(1e9) - l.stripe_sparsity as f64,
                    )
                })
                .collect(),
            features: vec![
                ("depth".into(), instance.model.depth() as f64),
                ("contrast".into(), contrast),
                (
                    "noisy".into(),
                    if instance.is_noiseless() { 0.0 } else { 1.0 },
                ),
                (
                    "max-stripe-sparsity".into(),
                    report
                        .layers
                        .iter()
                        .map(|l| l.stripe_sparsity)
                        .max()
                        .unwrap_or(0) as f64,
                ),
                (
                    "max-channels".into(),
                    (0..=instance.model.depth())
                        .map(|i| instance.model.channels(i))
                        .max()
                        .unwrap_or(1) as f64,
                ),
            ],
            verdict: report.verdict,
        }
    }

    fn default_cases(&self) -> usize {
        200
    }
}

trait LossyFloat {
    fn to_f64_lossy(&self) -> f64;
}

impl LossyFloat for Rational {
    fn to_f64_lossy(&self) -> f64 {
        crate::scalar::rational_to_f64(self)
    }
}
