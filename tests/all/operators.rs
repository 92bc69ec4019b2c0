//! The local operators `D_i`, `D_iᵀ` of docs/math.md §1 against the dense global matrix, exactly.
//!
//! - Synthesis: `(D_i Γ)[q, c'] = Σ_c Σ_t f_{i,c}[t][c'] · Γ[(q - t) mod N, c]`.
//! - Analysis: `(D_iᵀ Z)[p, c] = Σ_t Σ_{c'} f_{i,c}[t][c'] · Z[(p + t) mod N, c']`.
//!
//! The dense matrix is built atom by atom from the definition of the atom `(p, c)`, so equality
//! with it checks the index conventions of both local loops; the adjoint identity checks that
//! the two loops are transposes of each other without any matrix.

use crate::common::{check, check_with_hypotheses, config, find_counterexamples};
use mlcsc::generate::random::{layer_case_strategy, model_and_vectors_strategy};
use mlcsc::operators::{analysis, dense_apply, dense_dictionary, synthesis};
use mlcsc::scalar::Scalar;
use mlcsc::tolerance::OPERATOR_AGREEMENT_RELATIVE;
use mlcsc::{LayerVector, Rational};
use num_traits::{Signed, Zero};
use proptest::prop_assert_eq;
use proptest::test_runner::TestCaseError;

const REGRESSIONS: &str = "proptest-regressions/operators.txt";

#[test]
fn local_operators_equal_the_dense_matrix_exactly() {
    check(
        "local_operators_equal_the_dense_matrix_exactly",
        config(256, REGRESSIONS),
        layer_case_strategy(3, 3, 3, 4),
        |case| {
            let dictionary = dense_dictionary(&case.layer, case.signal_length);
            let m_prev = case.layer.input_channels();
            let m = case.layer.filter_count();
            prop_assert_eq!(dictionary.nrows(), case.signal_length * m_prev);
            prop_assert_eq!(dictionary.ncols(), case.signal_length * m);
            prop_assert_eq!(
                synthesis(&case.layer, &case.gamma),
                dense_apply(&dictionary, &case.gamma, m_prev)
            );
            prop_assert_eq!(
                analysis(&case.layer, &case.input),
                dense_apply(&dictionary.transpose(), &case.input, m)
            );
            Ok(())
        },
    );
}

/// Counted hypothesis: `⟨D Γ, Z⟩ ≠ 0`, so that the identity compares two nonzero numbers.
#[test]
fn adjoint_identity_holds_exactly() {
    check_with_hypotheses(
        "adjoint_identity_holds_exactly",
        config(256, REGRESSIONS),
        0.3,
        layer_case_strategy(3, 4, 3, 5),
        |case| {
            let left = synthesis(&case.layer, &case.gamma).inner_product(&case.input);
            let right = case
                .gamma
                .inner_product(&analysis(&case.layer, &case.input));
            prop_assert_eq!(&left, &right);
            Ok(!left.is_zero())
        },
    );
}

/// The largest entry of `|D| |Γ|` (all filters and coefficients taken in absolute value): the
/// largest magnitude of the terms summed into any entry of `D Γ`, which scales the rounding error.
fn synthesis_magnitude(layer: &mlcsc::Layer<Rational>, gamma: &LayerVector<Rational>) -> Rational {
    synthesis(&layer.map(|v| v.abs()), &gamma.map(|v| v.abs())).max_abs()
}

fn analysis_magnitude(layer: &mlcsc::Layer<Rational>, z: &LayerVector<Rational>) -> Rational {
    analysis(&layer.map(|v| v.abs()), &z.map(|v| v.abs())).max_abs()
}

fn assert_agree(
    what: &str,
    float: &LayerVector<f64>,
    exact: &LayerVector<Rational>,
    magnitude: &Rational,
) -> Result<(), TestCaseError> {
    let allowed = OPERATOR_AGREEMENT_RELATIVE * magnitude.to_f64().max(f64::MIN_POSITIVE);
    for (k, (a, b)) in float.entries().iter().zip(exact.entries()).enumerate() {
        let difference = (a - b.to_f64()).abs();
        if difference > allowed {
            return Err(TestCaseError::fail(format!(
                "{what}: entry {k}: f64 {a} against exact {b} (difference {difference:e} > {allowed:e})"
            )));
        }
    }
    Ok(())
}

#[test]
fn float_operators_agree_with_exact_operators() {
    check(
        "float_operators_agree_with_exact_operators",
        config(256, REGRESSIONS),
        layer_case_strategy(4, 4, 3, 8),
        |case| {
            let layer = case.layer.map(|v| v.to_f64());
            let gamma = case.gamma.to_f64();
            let input = case.input.to_f64();
            assert_agree(
                "D Γ",
                &synthesis(&layer, &gamma),
                &synthesis(&case.layer, &case.gamma),
                &synthesis_magnitude(&case.layer, &case.gamma),
            )?;
            assert_agree(
                "Dᵀ Z",
                &analysis(&layer, &input),
                &analysis(&case.layer, &case.input),
                &analysis_magnitude(&case.layer, &case.input),
            )?;
            Ok(())
        },
    );
}

/// The chain `[X, Γ_1, …, Γ_K]` equals the product of the dense dictionaries, layer by layer,
/// and its adjoint (analysis from layer 1 down to `K`) satisfies
/// `⟨D_1 ⋯ D_K Γ_K, Y⟩ = ⟨Γ_K, D_Kᵀ ⋯ D_1ᵀ Y⟩`. Counted hypothesis: depth at least 2.
#[test]
fn synthesis_chain_is_the_product_of_the_dense_dictionaries() {
    check_with_hypotheses(
        "synthesis_chain_is_the_product_of_the_dense_dictionaries",
        config(128, REGRESSIONS),
        0.3,
        model_and_vectors_strategy(3, 3, 3, 3),
        |case| {
            let model = &case.model;
            let depth = model.depth();
            let chain = model
                .synthesis_chain(&case.deepest)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(chain.len(), depth + 1);
            prop_assert_eq!(&chain[depth], &case.deepest);
            let mut dense = case.deepest.clone();
            for i in (1..=depth).rev() {
                let dictionary = dense_dictionary(model.layer(i), model.signal_length());
                dense = dense_apply(&dictionary, &dense, model.channels(i - 1));
                prop_assert_eq!(&chain[i - 1], &dense, "Γ_{} differs", i - 1);
                prop_assert_eq!(chain[i - 1].length(), model.signal_length());
                prop_assert_eq!(chain[i - 1].channels(), model.channels(i - 1));
            }
            let mut pulled_back = case.signal.clone();
            for layer in model.layers() {
                pulled_back = analysis(layer, &pulled_back);
            }
            prop_assert_eq!(
                chain[0].inner_product(&case.signal),
                case.deepest.inner_product(&pulled_back)
            );
            Ok(depth >= 2)
        },
    );
}

/// `Σ_t Σ_{c'} f_{i,c}[t][c'] · Z[(p - t) mod N, c']`: a convolution, the wrong index
/// convention for `D_iᵀ` (docs/math.md §1 fixes the cross-correlation).
fn convolution_analysis(
    layer: &mlcsc::Layer<Rational>,
    z: &LayerVector<Rational>,
) -> LayerVector<Rational> {
    let length = z.length();
    let mut out = LayerVector::zeros(length, layer.filter_count());
    for p in 0..length {
        for c in 0..layer.filter_count() {
            let mut acc = Rational::zero();
            for t in 0..layer.filter_length() {
                for k in 0..layer.input_channels() {
                    let q = (p + length * layer.filter_length() - t) % length;
                    acc += layer.tap(c, t, k) * z.get(q, k);
                }
            }
            out.set(p, c, acc);
        }
    }
    out
}

/// Negative control: the dense comparison has teeth. Replacing the correlation of `Dᵀ` by a
/// convolution must disagree with the dense transpose on many generated cases (it agrees only
/// when the filters are short or symmetric enough that the two conventions coincide on the
/// case). Counted: cases where the wrong convention is caught.
#[test]
fn negative_control_a_convolution_in_place_of_the_correlation_is_caught() {
    find_counterexamples(
        "negative_control_a_convolution_in_place_of_the_correlation_is_caught",
        config(128, REGRESSIONS),
        0.3,
        layer_case_strategy(3, 4, 2, 4),
        |case| {
            let dictionary = dense_dictionary(&case.layer, case.signal_length);
            let transpose = dense_apply(
                &dictionary.transpose(),
                &case.input,
                case.layer.filter_count(),
            );
            Ok(convolution_analysis(&case.layer, &case.input) != transpose)
        },
    );
}
