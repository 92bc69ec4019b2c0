//! The strided, padded dictionary of `proofs/strided_dictionary.md` (`mlcsc_spec::model::Geometry`,
//! `mlcsc_spec::strided_operators`), held to independent sources:
//!
//! - `fixtures/conv1d/*.json`, PyTorch's `conv1d` and `conv_transpose1d` computed with explicit
//!   loops by `scripts/conv1d_fixtures.py`, reproduced exactly;
//! - the dense matrix built atom by atom, and the adjoint identity, exactly;
//! - today's circular operators, bit for bit, at the default geometry;
//! - the counts of the definitions: interior atoms, patches, stripes, output lengths.

use std::path::Path;

use crate::common::{check, check_with_hypotheses, config};
use mlcsc::generate::random::{layer_case_strategy, layer_strategy, seeded_rng};
use mlcsc::operators::dense_apply;
use mlcsc::pursuit::cnn::ConvolutionLayer;
use mlcsc::{Layer, LayerVector, ModelError, Rational, Scalar};
use mlcsc_spec::model::{Geometry, Padding};
use mlcsc_spec::operators::analysis as analysis_of_layer;
use mlcsc_spec::strided_operators::{
    strided_analysis, strided_dense_dictionary, strided_synthesis,
};
use num_traits::Zero;
use proptest::prelude::*;
use rand::RngExt;
use serde_json::Value;

const REGRESSIONS: &str = "proptest-regressions/strided_operators.txt";

fn integer(value: &Value) -> Rational {
    Rational::from_integer(value.as_i64().expect("an integer").into())
}

fn rows(value: &Value) -> Vec<&Vec<Value>> {
    let rows = value.as_array().expect("an array of rows");
    rows.iter()
        .map(|row| row.as_array().expect("a row"))
        .collect()
}

/// `[channel][position]` (PyTorch's layout) as a position-major layer vector.
fn channels_to_vector(value: &Value) -> LayerVector<Rational> {
    let rows = rows(value);
    let length = rows[0].len();
    let entries = (0..length)
        .flat_map(|q| rows.iter().map(move |row| integer(&row[q])))
        .collect();
    LayerVector::from_entries(length, rows.len(), entries).expect("a rectangular array")
}

/// `W[c][c'][t]` (PyTorch's layout) as the filters `f_c[t][c']` of a layer.
fn weight_to_layer(value: &Value) -> Layer<Rational> {
    let filters = value
        .as_array()
        .expect("filters")
        .iter()
        .map(|filter| {
            let inputs = rows(filter);
            (0..inputs[0].len())
                .map(|t| inputs.iter().map(|row| integer(&row[t])).collect())
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(1, filters).expect("a well-formed weight")
}

fn fixture_geometry(case: &Value) -> Geometry {
    let padding = &case["padding"];
    let amount = |key: &str| padding[key].as_u64().expect("an amount") as usize;
    let padding = match padding["mode"].as_str().expect("a mode") {
        "circular" => Padding::Circular,
        "valid" => Padding::Valid,
        "zero" => Padding::Zero {
            left: amount("left"),
            right: amount("right"),
        },
        other => panic!("unknown padding mode {other}"),
    };
    let stride = case["stride"].as_u64().expect("a stride") as usize;
    Geometry { stride, padding }
}

#[test]
fn conv1d_fixtures_are_reproduced_exactly() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/conv1d");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&folder).expect("fixtures/conv1d") {
        let path = entry.expect("an entry").path();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("readable"))
            .expect("a JSON fixture");
        let name = case["name"].as_str().expect("a name").to_string();
        let layer = weight_to_layer(&case["weight"]);
        let geometry = fixture_geometry(&case);
        let input = channels_to_vector(&case["input"]);
        let input_length = case["input_length"].as_u64().expect("a length") as usize;
        assert_eq!(input.length(), input_length, "{name}");
        let expected = channels_to_vector(&case["expected_analysis"]);
        let analysis = strided_analysis(1, &layer, &geometry, &input).expect("a valid case");
        assert_eq!(analysis, expected, "{name}: Dᵀ z differs from conv1d");
        // The layer carrying its geometry, as a model holds it, takes the same path.
        let carried = layer.clone().with_geometry(geometry);
        assert_eq!(
            analysis_of_layer(&carried, &input),
            expected,
            "{name}: operators"
        );
        // The independent CNN layer (a framework's loop over padded planes), bias 0.
        let weights: Vec<Vec<Vec<Rational>>> = case["weight"]
            .as_array()
            .expect("weights")
            .iter()
            .map(|filter| {
                rows(filter)
                    .iter()
                    .map(|row| row.iter().map(integer).collect())
                    .collect()
            })
            .collect();
        let biases = vec![Rational::zero(); weights.len()];
        let convolution = ConvolutionLayer::new(weights, biases)
            .expect("a well-formed weight")
            .with_stride_and_padding(geometry.stride, geometry.padding);
        assert_eq!(
            convolution.pre_activation(&input),
            expected,
            "{name}: CNN layer"
        );
        let gamma = channels_to_vector(&case["gamma"]);
        let synthesis =
            strided_synthesis(1, &layer, &geometry, input_length, &gamma).expect("a valid case");
        let expected = channels_to_vector(&case["expected_synthesis"]);
        assert_eq!(
            synthesis, expected,
            "{name}: D γ differs from conv_transpose1d"
        );
        checked.push((geometry.stride, geometry.padding.mode_name()));
    }
    assert!(checked.len() >= 12, "only {} fixtures", checked.len());
    for stride in 1..=3 {
        for mode in ["circular", "zero", "valid"] {
            assert!(
                checked.contains(&(stride, mode)),
                "no fixture of stride {stride}, {mode}"
            );
        }
    }
}

/// A layer, a geometry, an input length the geometry admits, and random integer vectors on
/// both sides of the layer (about a third of their entries zero).
#[derive(Clone, Debug)]
struct StridedCase {
    layer: Layer<Rational>,
    geometry: Geometry,
    input_length: usize,
    input: LayerVector<Rational>,
    gamma: LayerVector<Rational>,
}

fn geometry_strategy() -> impl Strategy<Value = Geometry> {
    (1..=3usize, 0..3usize, 0..=3usize, 0..=3usize).prop_map(|(stride, mode, left, right)| {
        let padding = match mode {
            0 => Padding::Circular,
            1 => Padding::Zero { left, right },
            _ => Padding::Valid,
        };
        Geometry { stride, padding }
    })
}

/// The shortest input length `geometry` admits for filter length `n`, plus `extra` (in
/// strides when circular).
fn admitted_length(geometry: &Geometry, n: usize, extra: usize) -> usize {
    let (left, right) = geometry.padding.amounts();
    match geometry.padding {
        Padding::Circular => geometry.stride * (1 + extra),
        _ => n.saturating_sub(left + right).max(1) + extra,
    }
}

fn random_integer_vector(seed: u64, length: usize, channels: usize) -> LayerVector<Rational> {
    let mut rng = seeded_rng(seed);
    let entries = (0..length * channels)
        .map(|_| match rng.random_range(0..3) {
            0 => Rational::zero(),
            _ => Rational::from_integer(rng.random_range(-4i64..=4).into()),
        })
        .collect();
    LayerVector::from_entries(length, channels, entries).expect("the shape")
}

fn strided_case_strategy() -> impl Strategy<Value = StridedCase> {
    (
        layer_strategy(3, 5, 3),
        geometry_strategy(),
        0..=6usize,
        any::<u64>(),
    )
        .prop_map(|(layer, geometry, extra, seed)| {
            let n = layer.filter_length();
            let input_length = admitted_length(&geometry, n, extra);
            let output_length = geometry
                .output_length(1, input_length, n)
                .expect("an admitted length");
            let input = random_integer_vector(seed, input_length, layer.input_channels());
            let gamma = random_integer_vector(seed ^ 1, output_length, layer.filter_count());
            StridedCase {
                layer,
                geometry,
                input_length,
                input,
                gamma,
            }
        })
}

#[test]
fn strided_operators_equal_the_dense_matrix_exactly() {
    check(
        "strided_operators_equal_the_dense_matrix_exactly",
        config(256, REGRESSIONS),
        strided_case_strategy(),
        |case| {
            let layer = &case.layer;
            let dictionary =
                strided_dense_dictionary(1, layer, &case.geometry, case.input_length).unwrap();
            let m_prev = layer.input_channels();
            let m = layer.filter_count();
            prop_assert_eq!(dictionary.nrows(), case.input_length * m_prev);
            prop_assert_eq!(dictionary.ncols(), case.gamma.length() * m);
            let synthesis =
                strided_synthesis(1, layer, &case.geometry, case.input_length, &case.gamma);
            prop_assert_eq!(
                synthesis.unwrap(),
                dense_apply(&dictionary, &case.gamma, m_prev)
            );
            let analysis = strided_analysis(1, layer, &case.geometry, &case.input).unwrap();
            let transposed = dense_apply(&dictionary.transpose(), &case.input, m);
            prop_assert_eq!(analysis, transposed);
            Ok(())
        },
    );
}

/// Counted hypothesis: `⟨Dᵀ z, γ⟩ ≠ 0`, so that the identity compares two nonzero numbers.
#[test]
fn strided_adjoint_identity_holds_exactly() {
    check_with_hypotheses(
        "strided_adjoint_identity_holds_exactly",
        config(256, REGRESSIONS),
        0.3,
        strided_case_strategy(),
        |case| {
            let analysis = strided_analysis(1, &case.layer, &case.geometry, &case.input).unwrap();
            let synthesis = strided_synthesis(
                1,
                &case.layer,
                &case.geometry,
                case.input_length,
                &case.gamma,
            )
            .unwrap();
            let left = analysis.inner_product(&case.gamma);
            let right = case.input.inner_product(&synthesis);
            prop_assert_eq!(&left, &right);
            Ok(!left.is_zero())
        },
    );
}

/// An `f64` vector of random entries in `[-1, 1]` (a third of them zero), whose rounding makes
/// any change of summation order visible.
fn random_float_vector(seed: u64, length: usize, channels: usize) -> LayerVector<f64> {
    let mut rng = seeded_rng(seed);
    let entries = (0..length * channels)
        .map(|_| match rng.random_range(0..3) {
            0 => 0.0,
            _ => rng.random_range(-1.0..=1.0),
        })
        .collect();
    LayerVector::from_entries(length, channels, entries).expect("the shape")
}

fn bits(vector: &LayerVector<f64>) -> Vec<u64> {
    vector.entries().iter().map(|v| v.to_bits()).collect()
}

/// The loops of `mlcsc_spec::operators::synthesis` before it called the strided code, kept
/// verbatim as the reference of [`default_geometry_is_todays_operators_bit_for_bit`].
fn todays_synthesis<S: Scalar>(layer: &Layer<S>, gamma: &LayerVector<S>) -> LayerVector<S> {
    let length = gamma.length();
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let mut out = LayerVector::zeros(length, m_prev);
    let out_entries = out.entries_mut();
    for p in 0..length {
        for (c, coefficient) in gamma.at_position(p).iter().enumerate() {
            if coefficient.is_zero() {
                continue;
            }
            let filter = layer.filter(c);
            for t in 0..n {
                let row = ((p + t) % length) * m_prev;
                for (k, tap) in filter[t * m_prev..(t + 1) * m_prev].iter().enumerate() {
                    S::multiply_accumulate(&mut out_entries[row + k], coefficient, tap);
                }
            }
        }
    }
    out
}

/// The loops of `mlcsc_spec::operators::analysis` before it called the strided code, kept
/// verbatim as the reference of [`default_geometry_is_todays_operators_bit_for_bit`].
fn todays_analysis<S: Scalar>(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
    let length = z.length();
    let m_prev = layer.input_channels();
    let m = layer.filter_count();
    let n = layer.filter_length();
    let mut out = LayerVector::zeros(length, m);
    let out_entries = out.entries_mut();
    for p in 0..length {
        for c in 0..m {
            let filter = layer.filter(c);
            out_entries[p * m + c] = S::dot((0..n).flat_map(|t| {
                filter[t * m_prev..(t + 1) * m_prev]
                    .iter()
                    .zip(z.at_position(p + t))
            }));
        }
    }
    out
}

/// At stride 1 with circular padding, the strided operators, and
/// `mlcsc_spec::operators::{analysis, synthesis}` which call them, are the circular loops of
/// `docs/math.md` §1 ([`todays_analysis`], [`todays_synthesis`]): equal over `Rational`, and
/// bit for bit in `f64` (the same terms summed in the same order).
#[test]
fn default_geometry_is_todays_operators_bit_for_bit() {
    use mlcsc_spec::operators::{analysis, synthesis};
    check(
        "default_geometry_is_todays_operators_bit_for_bit",
        config(256, REGRESSIONS),
        (layer_case_strategy(3, 4, 3, 5), any::<u64>()),
        |(case, seed)| {
            let geometry = Geometry::default();
            let length = case.signal_length;
            let (layer, input, gamma) = (&case.layer, &case.input, &case.gamma);
            let exact_analysis = strided_analysis(1, layer, &geometry, input).unwrap();
            prop_assert_eq!(&exact_analysis, &todays_analysis(layer, input));
            prop_assert_eq!(&exact_analysis, &analysis(layer, input));
            let exact_synthesis = strided_synthesis(1, layer, &geometry, length, gamma).unwrap();
            prop_assert_eq!(&exact_synthesis, &todays_synthesis(layer, gamma));
            prop_assert_eq!(&exact_synthesis, &synthesis(layer, gamma));
            let layer = case.layer.map(|v| v.to_f64());
            let input = random_float_vector(seed, length, layer.input_channels());
            let gamma = random_float_vector(seed ^ 1, length, layer.filter_count());
            let float_analysis = bits(&strided_analysis(1, &layer, &geometry, &input).unwrap());
            prop_assert_eq!(&float_analysis, &bits(&todays_analysis(&layer, &input)));
            prop_assert_eq!(&float_analysis, &bits(&analysis(&layer, &input)));
            let float_synthesis =
                bits(&strided_synthesis(1, &layer, &geometry, length, &gamma).unwrap());
            prop_assert_eq!(&float_synthesis, &bits(&todays_synthesis(&layer, &gamma)));
            prop_assert_eq!(&float_synthesis, &bits(&synthesis(&layer, &gamma)));
            Ok(())
        },
    );
}

/// Every geometry with stride 1 to 3 and padding amounts 0 to 3, in every mode.
fn small_geometries() -> Vec<Geometry> {
    let mut geometries = Vec::new();
    for stride in 1..=3 {
        geometries.push(Geometry {
            stride,
            padding: Padding::Circular,
        });
        geometries.push(Geometry {
            stride,
            padding: Padding::Valid,
        });
        for left in 0..=3 {
            for right in 0..=3 {
                let padding = Padding::Zero { left, right };
                geometries.push(Geometry { stride, padding });
            }
        }
    }
    geometries
}

/// A layer of `m_prev` input channels and one filter of length `n` whose taps are all
/// positive, so that no entry of an atom cancels.
fn positive_layer(n: usize, m_prev: usize) -> Layer<Rational> {
    let filter = (0..n)
        .map(|t| {
            (0..m_prev)
                .map(|k| Rational::from_integer((1 + t + k).into()))
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(1, vec![filter]).expect("a well-formed layer")
}

/// The input positions where column `p` of a one-filter dense dictionary is nonzero, each
/// with the number of nonzero rows there.
fn column_support(
    dictionary: &nalgebra::DMatrix<Rational>,
    p: usize,
    m_prev: usize,
) -> (Vec<usize>, usize) {
    let rows: Vec<usize> = (0..dictionary.nrows())
        .filter(|&row| !dictionary[(row, p)].is_zero())
        .collect();
    let mut positions: Vec<usize> = rows.iter().map(|row| row / m_prev).collect();
    positions.dedup();
    (positions, rows.len())
}

/// Over every small geometry, filter length 1 to 5, 1 to 3 input channels and admitted
/// lengths (circular ones at least `n`, so that no atom wraps onto itself): an atom is interior
/// exactly when its column of the dense `D` has `n · m_{i-1}` nonzero entries, and its nonzero
/// rows are its patch, all channels (`proofs/strided_dictionary.md`, S4 and S5).
#[test]
fn interior_atoms_have_every_tap_inside_the_signal() {
    let mut interior = 0;
    let mut edge = 0;
    for geometry in small_geometries() {
        for n in 1..=5 {
            for m_prev in 1..=3 {
                let layer = positive_layer(n, m_prev);
                for extra in 0..=4 {
                    let length = admitted_length(&geometry, n, extra);
                    if geometry.padding == Padding::Circular && length < n {
                        continue;
                    }
                    let dictionary =
                        strided_dense_dictionary(1, &layer, &geometry, length).unwrap();
                    for p in 0..dictionary.ncols() {
                        let (positions, entries) = column_support(&dictionary, p, m_prev);
                        let mut patch = geometry.patch_positions(p, length, n);
                        patch.sort_unstable();
                        assert_eq!(positions, patch, "{geometry:?}, N {length}, n {n}, p {p}");
                        assert_eq!(entries, patch.len() * m_prev);
                        let is_interior = geometry.is_interior(p, length, n);
                        assert_eq!(is_interior, entries == n * m_prev, "{geometry:?} p {p}");
                        if is_interior {
                            interior += 1
                        } else {
                            edge += 1
                        }
                    }
                }
            }
        }
    }
    eprintln!("{interior} interior atoms and {edge} edge atoms checked");
    assert!(interior > 1000 && edge > 1000);
}

/// Over the same geometries: atoms whose patches meet are in each other's stripe; in a
/// circular layer, or when both atoms are interior, the converse holds too
/// (`proofs/strided_dictionary.md`, S5).
#[test]
fn stripes_hold_exactly_the_atoms_that_meet() {
    let mut pairs = 0;
    for geometry in small_geometries() {
        for n in 1..=5 {
            for extra in 0..=4 {
                let length = admitted_length(&geometry, n, extra);
                let output_length = geometry.output_length(1, length, n).unwrap();
                let patch = |p: usize| geometry.patch_positions(p, length, n);
                for p in 0..output_length {
                    let stripe = geometry.stripe_positions(p, output_length, n);
                    let mut sorted = stripe.clone();
                    sorted.sort_unstable();
                    sorted.dedup();
                    assert_eq!(
                        sorted.len(),
                        stripe.len(),
                        "a stripe lists a position twice"
                    );
                    for q in 0..output_length {
                        let meet = patch(p).iter().any(|x| patch(q).contains(x));
                        let in_stripe = stripe.contains(&q);
                        let exact = geometry.padding == Padding::Circular
                            || (geometry.is_interior(p, length, n)
                                && geometry.is_interior(q, length, n));
                        assert!(
                            !meet || in_stripe,
                            "{geometry:?} N {length} n {n}: {p}, {q}"
                        );
                        assert!(
                            !exact || meet == in_stripe,
                            "{geometry:?} N {length}: {p}, {q}"
                        );
                        pairs += 1;
                    }
                }
            }
        }
    }
    eprintln!("{pairs} pairs of atoms checked");
}

#[test]
fn output_lengths_follow_the_formula_and_errors_name_the_field() {
    let zero = |left, right| Geometry {
        stride: 2,
        padding: Padding::Zero { left, right },
    };
    assert_eq!(zero(1, 2).output_length(1, 7, 4), Ok(4)); // ⌊(7 + 3 − 4)/2⌋ + 1
    assert_eq!(zero(0, 0).output_length(1, 3, 4).map_err(|e| e.to_string()),
        Err("layer 1: input-length 3 with zero padding 0 + 0 is shorter than filter-length 4; it needs N_(i-1) + P^l + P^r ≥ n".to_string()));
    let valid = Geometry {
        stride: 3,
        padding: Padding::Valid,
    };
    assert_eq!(valid.output_length(2, 8, 3), Ok(2)); // ⌊5/3⌋ + 1
    let message = valid.output_length(2, 2, 3).unwrap_err().to_string();
    assert!(
        message.contains("layer 2") && message.contains("input-length 2"),
        "{message}"
    );
    assert!(
        message.contains("valid padding") && message.contains("filter-length 3"),
        "{message}"
    );
    let circular = Geometry {
        stride: 3,
        padding: Padding::Circular,
    };
    assert_eq!(circular.output_length(1, 9, 5), Ok(3));
    let error = circular.output_length(3, 10, 5).unwrap_err();
    assert!(matches!(
        error,
        ModelError::StrideDoesNotDivideLength {
            layer: 3,
            stride: 3,
            input_length: 10
        }
    ));
    let message = error.to_string();
    assert!(
        message.contains("layer 3: stride 3 does not divide input-length 10"),
        "{message}"
    );
    let none = Geometry {
        stride: 0,
        padding: Padding::Valid,
    };
    assert_eq!(
        none.output_length(4, 9, 5).unwrap_err().to_string(),
        "layer 4: stride is 0: it must be at least 1"
    );
    assert_eq!(Geometry::default().output_length(1, 7, 9), Ok(7));
    let layer = positive_layer(3, 2);
    let wrong_channels = LayerVector::<Rational>::zeros(6, 3);
    let message = strided_analysis(5, &layer, &Geometry::default(), &wrong_channels)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("layer 5") && message.contains("6 × 3, expected 6 × 2"),
        "{message}"
    );
    let message = strided_synthesis(5, &layer, &zero(1, 1), 6, &LayerVector::zeros(4, 1))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("layer 5") && message.contains("4 × 1, expected 3 × 1"),
        "{message}"
    );
}
