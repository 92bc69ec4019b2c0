//! CR4 of `proofs/certified_region.md` as a statement: an instance inside its own network's
//! certified region ([`super::certified_region_membership`]) meets the hypotheses of Theorem 2
//! for real layers (nonnegative form), decided exactly, the theorem holds, and the patch error
//! of every layer `i` is at most the certificate's `a_{i+1} ε_0 + b_{i+1}`. The negative
//! control drops the amplitude bands and asks for the recovery of every support within the
//! certificate's bound.

use mlcsc_spec::theorems::real_layers::RealConclusions;
use num_traits::Zero;

use super::certified_region_membership::{
    Certificate, MEMBERSHIP_CLAUSES, Membership, certificate, error_bound, membership, within_bound,
};
use crate::instance::Instance;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::outcome::{Outcome, real_layer_events};
use crate::theorems::statement::Statement;
use crate::theorems::theorem2_real_layers::RealLayersTheorem2;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::thresholding::Thresholding;

const CITATION: &str =
    "the certified region of a network's own thresholds (DERIVED); proofs/certified_region.md, CR4";

/// CR4 decided on one instance, or its negative control.
#[derive(Clone, Debug)]
pub struct CertifiedRegionTheorem {
    name: String,
    citation: String,
    amplitude_limits: bool,
    widening: f64,
}

/// Everything one decision computes.
struct Decided {
    certificate: Certificate,
    membership: Membership,
    conclusions: RealConclusions<SmallRational>,
    verdict: Verdict,
}

impl CertifiedRegionTheorem {
    /// The statement: inside the region, Theorem 2's hypotheses hold, it holds, and the
    /// certificate's error bounds hold.
    pub fn stated() -> Self {
        CertifiedRegionTheorem {
            name: "certified-region".into(),
            citation: CITATION.into(),
            amplitude_limits: true,
            widening: 0.0,
        }
    }

    /// The negative control: the amplitude bands dropped (the structure kept); its conclusion
    /// is the recovery of every support within the certificate's bound.
    pub fn outside() -> Self {
        CertifiedRegionTheorem {
            name: "certified-region-outside".into(),
            citation: format!("{CITATION}: the amplitude bands dropped (negative control)"),
            amplitude_limits: false,
            widening: 0.0,
        }
    }

    /// The statement with each band's ends moved outwards by `fraction` of themselves: a
    /// deliberately wrong membership test, for the suite's check that a wrong band is caught.
    pub fn with_widened_band(fraction: f64) -> Self {
        CertifiedRegionTheorem {
            name: "certified-region-widened".into(),
            widening: fraction,
            ..Self::stated()
        }
    }

    /// The certificate and the membership check, without deciding Theorem 2.
    fn inside(
        &self,
        instance: &Instance<Rational>,
    ) -> Result<(Certificate, Membership), FailedHypothesis> {
        let certificate = certificate(instance).map_err(|why| FailedHypothesis {
            layer: 0,
            hypothesis: Clause::Named("network-folds".into()),
            detail: why,
            shortfall: 0.0,
        })?;
        let inside = membership(instance, &certificate, self.amplitude_limits, self.widening)?;
        Ok((certificate, inside))
    }

    /// Both passes of Theorem 2 on an instance inside the region.
    fn decide(&self, instance: &Instance<Rational>) -> Result<Decided, FailedHypothesis> {
        let (certificate, membership) = self.inside(instance)?;
        let theorem = RealLayersTheorem2::stated(Thresholding::Nonnegative);
        let (_, conclusions, verdict) = theorem.decide(instance);
        Ok(Decided {
            certificate,
            membership,
            conclusions,
            verdict,
        })
    }

    /// The conclusions on a decided instance.
    fn judged(&self, decided: &Decided) -> Verdict {
        if self.amplitude_limits {
            match &decided.verdict {
                Verdict::Vacuous(failed) => {
                    return Verdict::Violated(Witness {
                        layer: failed.layer,
                        conclusion: Clause::Named("theorem-2-hypotheses".into()),
                        location: format!("Theorem 2's hypothesis {}", failed.hypothesis),
                        observed: failed.detail.clone(),
                        bound: "met by every instance inside the certified region (CR4)".into(),
                    });
                }
                Verdict::Holds => {}
                other => return other.clone(),
            }
        } else if let Some(witness) = support_mismatch(decided) {
            return Verdict::Violated(witness);
        }
        match bound_violation(decided) {
            Some(witness) => Verdict::Violated(witness),
            None => Verdict::Holds,
        }
    }
}

/// The first layer whose estimate's support differs from `Γ_i`'s.
fn support_mismatch(decided: &Decided) -> Option<Witness> {
    let representations = &decided.membership.representations;
    decided
        .conclusions
        .layers
        .iter()
        .enumerate()
        .find_map(|(index, errors)| {
            let i = index + 1;
            let gamma = &representations[i];
            let entries = gamma.entries().iter().zip(errors.error.entries());
            let channels = gamma.channels();
            entries.enumerate().find_map(|(k, (g, e))| {
                let estimate = g.to_f64() - e.to_f64();
                let estimate_zero = e.to_big() == *g;
                (g.is_zero() != estimate_zero).then(|| Witness {
                    layer: i,
                    conclusion: Clause::Named("support".into()),
                    location: format!("Γ_{i}[{}, {}]", k / channels, k % channels),
                    observed: format!("Γ̂ = {estimate:.6e}"),
                    bound: format!("Γ = {:.6e}", g.to_f64()),
                })
            })
        })
}

/// The first layer whose patch error exceeds the certificate's bound.
fn bound_violation(decided: &Decided) -> Option<Witness> {
    let e = &decided.membership.epsilon_0_squared;
    decided
        .conclusions
        .layers
        .iter()
        .enumerate()
        .find_map(|(index, errors)| {
            let i = index + 1;
            let (a, b) = error_bound(&decided.certificate, i);
            let observed = errors.error_patch_squared.to_big();
            (!within_bound(&observed, &a, &b, e)).then(|| Witness {
                layer: i,
                conclusion: Clause::Named("certified-error".into()),
                location: "the worst atom support of the next layer".into(),
                observed: format!("squared norm {:.6e}", observed.to_f64()),
                bound: format!(
                    "(a ε_0 + b)² with a = {:.6e}, b = {:.6e}",
                    a.to_f64(),
                    b.to_f64()
                ),
            })
        })
}

/// The largest ratio of an observed patch error to the certificate's bound.
fn tightness(decided: &Decided) -> Option<f64> {
    let epsilon_0 = decided.membership.epsilon_0_squared.to_f64().sqrt();
    decided
        .conclusions
        .layers
        .iter()
        .enumerate()
        .map(|(index, errors)| {
            let (a, b) = decided.certificate.chain[index + 1];
            let bound = a * epsilon_0 + b;
            let observed = errors.error_patch_squared.to_f64().sqrt();
            if bound > 0.0 { observed / bound } else { 0.0 }
        })
        .reduce(f64::max)
}

/// The coverage features: `event:two-layers`, `strided`, `zero-padding`,
/// `differing-thresholds`, `coherent-every-layer` (at every layer a channel holding support
/// has `μ_{i,c} > 0` in the certificate), `noisy` (`ε_0 > 0`) and `near-band-edge`.
fn features(instance: &Instance<Rational>, decided: &Decided) -> Vec<(String, f64)> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let representations = &decided.membership.representations;
    let coherent = decided
        .certificate
        .figures
        .iter()
        .enumerate()
        .all(|(index, figures)| {
            representations[index + 1].support().any(|(_, c, _)| {
                figures
                    .channels
                    .iter()
                    .any(|f| f.channel == c && f.coherence > 0.0)
            })
        });
    let mut features = vec![
        ("depth".into(), instance.model.depth() as f64),
        ("event:two-layers".into(), flag(instance.model.depth() >= 2)),
    ];
    features.extend(real_layer_events(instance));
    features.extend([
        ("event:coherent-every-layer".into(), flag(coherent)),
        (
            "event:noisy".into(),
            flag(!decided.membership.epsilon_0_squared.is_zero()),
        ),
        (
            "event:near-band-edge".into(),
            flag(decided.membership.near_band_edge),
        ),
    ]);
    features
}

impl Statement for CertifiedRegionTheorem {
    fn name(&self) -> &str {
        &self.name
    }

    fn citation(&self) -> &str {
        &self.citation
    }

    /// Membership in the region alone: Theorem 2 is not decided.
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.inside(instance).map(|_| ())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.verdict(instance).into_conclusions()
    }

    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        match self.decide(instance) {
            Err(failed) => Verdict::Vacuous(failed),
            Ok(decided) => self.judged(&decided),
        }
    }

    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let decided = match self.decide(instance) {
            Err(failed) => return Outcome::from_verdict(Verdict::Vacuous(failed)),
            Ok(decided) => decided,
        };
        let verdict = self.judged(&decided);
        Outcome {
            tightness: verdict
                .hypotheses_met()
                .then(|| tightness(&decided))
                .flatten(),
            features: features(instance, &decided),
            ..Outcome::from_verdict(verdict)
        }
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(
            MEMBERSHIP_CLAUSES
                .iter()
                .map(|name| Clause::Named((*name).into()))
                .collect(),
        )
    }

    /// Stated for layers of any stride and padding, with one threshold per channel.
    fn states_real_layers(&self) -> bool {
        true
    }
}
