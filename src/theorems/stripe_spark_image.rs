//! The stripe spark lemma on images (`proofs/two_dimensions.md`, G15) as a [`Statement`]: on
//! every image layer circulant on both axes (circular at stride 1 and at least `2 n − 1` long,
//! or of one tap without padding),
//! every nonzero `Δ` with `D Δ = 0` has `‖Δ‖^S_{0,∞} ≥ 1 + 1/μ(D)`, the stripe of an atom the
//! product of its axes' stripes (G7) and `μ(D)` the largest `|⟨d_j, d_k⟩|` over distinct atoms
//! of the exact dense dictionary; decided by the exact circuit search on the grid
//! ([`mlcsc_spec::theorems::stripe_spark::stripe_spark_on_grid`]). Its negative control asks
//! one atom more (`σ_S ≥ 2 + 1/μ`).

use mlcsc_spec::theorems::stripe_spark::stripe_spark_on_grid;
use mlcsc_spec::theorems::support_enumeration::exact_grid_dictionary;
use mlcsc_spec::theorems::uniqueness_grid::dictionary_coherence;

use super::clause::DeepCodingClause;
use super::outcome::image_events;
use super::statement::Statement;
use super::stripe_spark::spark_lower_bound_holds;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::Instance;
use crate::model::{Geometry, Layer, Padding};
use crate::scalar::Rational;
use crate::small_rational::SmallRational;

/// The stripe spark lemma on images, or its negative control (`slack` atoms more).
#[derive(Clone, Copy, Debug)]
pub struct ImageStripeSparkLemma {
    /// 0 for the lemma; 1 for the control `σ_S ≥ 2 + 1/μ`.
    pub slack: usize,
}

impl ImageStripeSparkLemma {
    /// The lemma.
    pub const STATED: Self = ImageStripeSparkLemma { slack: 0 };
    /// The negative control: one atom more than the lemma gives.
    pub const ONE_MORE: Self = ImageStripeSparkLemma { slack: 1 };
}

/// Whether a layer reading `rows × columns` is circulant on both axes: each axis at stride 1,
/// circular and at least `2 n − 1` long, or of one tap without padding (a line's rows axis), so
/// that every atom is its filter, of unit norm, and the atoms an atom meets are those of its
/// stripe.
fn circulant_layer(layer: &Layer<Rational>, rows: usize, columns: usize) -> bool {
    let geometry = layer.grid_geometry();
    let shape = layer.filter_shape();
    let circulant = |g: Geometry, taps: usize, length: usize| {
        g.stride == 1
            && match g.padding {
                Padding::Circular => length + 1 >= 2 * taps,
                padding => taps == 1 && padding.amounts() == (0, 0),
            }
    };
    circulant(geometry.rows, shape.rows, rows)
        && circulant(geometry.columns, shape.columns, columns)
}

impl Statement for ImageStripeSparkLemma {
    fn name(&self) -> &str {
        match self.slack {
            0 => "stripe-spark-lemma-image",
            _ => "stripe-spark-lemma-image-one-more",
        }
    }

    fn citation(&self) -> &str {
        match self.slack {
            0 => {
                "The stripe spark bound σ_S(D) ≥ 1 + 1/μ(D) on image layers (stripes the products of the axes' stripes); docs/math.md §7, proofs/two_dimensions.md (G15)"
            }
            _ => {
                "σ_S(D) ≥ 2 + 1/μ(D) on image layers: one atom more than the lemma (negative control); proofs/two_dimensions.md (G15)"
            }
        }
    }

    /// Every layer circulant on both axes (circular at stride 1 and at least `2 n − 1` long, or
    /// of one tap without padding).
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        let model = &instance.model;
        for (index, layer) in model.layers().iter().enumerate() {
            let input = model.grid(index);
            if !circulant_layer(layer, input.rows, input.columns) {
                return Err(FailedHypothesis {
                    layer: index + 1,
                    hypothesis: Clause::Named("circulant-image-layer".into()),
                    detail: format!(
                        "layer {}: {:?} on a {} × {} grid; the lemma on images is stated for circular stride-1 axes of at least 2n − 1 positions",
                        index + 1,
                        layer.grid_geometry(),
                        input.rows,
                        input.columns
                    ),
                    shortfall: 1.0,
                });
            }
        }
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        let model = &instance.model;
        for (index, layer) in model.layers().iter().enumerate() {
            let small = layer.map(|v: &Rational| SmallRational::from(v));
            let input = model.grid(index);
            let (dictionary, _) =
                exact_grid_dictionary(index + 1, &small, input).expect("the model's grids fit");
            let coherence = dictionary_coherence(&dictionary);
            let spark =
                stripe_spark_on_grid(index + 1, &small, input).expect("the model's grids fit");
            if !spark_lower_bound_holds(spark.spark, &coherence, self.slack) {
                return Err(Witness {
                    layer: index + 1,
                    conclusion: DeepCodingClause::StripeSpark.into(),
                    location: "a null vector of D".into(),
                    observed: format!("σ_S = {:?}", spark.spark),
                    bound: format!("{} + 1/μ with μ = {}", 1 + self.slack, coherence.to_big()),
                });
            }
        }
        Ok(())
    }

    /// Stated for image layers.
    fn states_real_layers(&self) -> bool {
        true
    }

    /// The image events.
    fn features(&self, instance: &Instance<Rational>) -> Vec<(String, f64)> {
        image_events(instance)
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(vec![Clause::Named("circulant-image-layer".into())])
    }
}
