//! The big-integer views of layered thresholding (`D_iᵀ Z` summed in big integers over one
//! common denominator, for the estimates of deep layers whose denominators outgrow `i128`) held
//! to the specification: on vectors built to have no `i128` view, and on the generated
//! instances of the campaigns, whose deep layers took the term-by-term fallback before.

use crate::common;

use mlcsc::conjecture::{Theorem2Entry, registry};
use mlcsc::exact_engine::IntegerViews;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::instance::small_instance;
use mlcsc::integer_view::IntegerView;
use mlcsc::kernels::{Kernels, Plain};
use mlcsc::model::{Layer, LayerVector};
use mlcsc::pursuit::Thresholding;
use mlcsc::scalar::Rational;
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::theorem2::{Theorem2Report, exact_report};
use mlcsc::threshold::Threshold;
use num_bigint::BigInt;
use num_traits::Zero;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const REGRESSIONS: &str = "proptest-regressions/big_integer_views.txt";

/// A tap: zero or a small fraction, so that the taps have an `i128` view.
fn tap() -> impl Strategy<Value = Rational> {
    prop_oneof![
        1 => Just(Rational::zero()),
        4 => (-40i64..40, 1i64..24).prop_map(|(n, d)| Rational::new(n.into(), d.into())),
    ]
}

/// An entry of `Z`: zero, a small fraction, a numerator of up to 126 bits over a small
/// denominator (an `i128` view whose sums may overflow), or a fraction whose numerator and
/// denominator have up to 126 bits each (two such have no common denominator in `i128`), some
/// sharing a denominator.
fn entry() -> impl Strategy<Value = Rational> {
    let word = any::<i64>().prop_map(BigInt::from);
    let positive = (1i64..i64::MAX).prop_map(BigInt::from);
    prop_oneof![
        3 => Just(Rational::zero()),
        2 => (-40i64..40, 1i64..24).prop_map(|(n, d)| Rational::new(n.into(), d.into())),
        3 => (word.clone(), word, positive.clone(), positive)
            .prop_map(|(a, b, c, d)| Rational::new(a * b, c * d)),
        1 => (any::<i64>(), any::<i64>(), 1i64..24)
            .prop_map(|(a, b, d)| Rational::new(BigInt::from(a) * BigInt::from(b), d.into())),
        1 => (any::<i64>(), 0u32..4).prop_map(|(a, k)| Rational::new(
            BigInt::from(a),
            (BigInt::from(1u8) << 100u32) + BigInt::from(k) * 2 + 1,
        )),
    ]
}

/// An entry of a thresholded estimate on words: mostly zero, else a small fraction or a
/// dyadic one (noise, thresholds), so that `Z` has an `i128` view whose sums fit.
fn sparse_entry() -> impl Strategy<Value = Rational> {
    prop_oneof![
        12 => Just(Rational::zero()),
        2 => (-40i64..40, 1i64..24).prop_map(|(n, d)| Rational::new(n.into(), d.into())),
        2 => (-(1i64 << 40)..(1i64 << 40), 0u32..56)
            .prop_map(|(n, k)| Rational::new(n.into(), BigInt::from(1u8) << k)),
    ]
}

/// A layer of small taps and a vector `Z` of large entries over its input channels.
fn layer_and_vector() -> impl Strategy<Value = (Layer<Rational>, LayerVector<Rational>)> {
    layer_and_vector_of(entry)
}

/// A layer of small taps and a vector `Z` over its input channels, of entries drawn by `entry`.
fn layer_and_vector_of<E: Strategy<Value = Rational> + 'static>(
    entry: fn() -> E,
) -> impl Strategy<Value = (Layer<Rational>, LayerVector<Rational>)> {
    (1usize..6, 1usize..4, 1usize..4, 1usize..12)
        .prop_flat_map(move |(n, m, m_previous, length)| {
            (
                Just((n, m_previous, length)),
                proptest::collection::vec(tap(), n * m * m_previous),
                proptest::collection::vec(entry(), length * m_previous),
            )
        })
        .prop_map(|((n, m_previous, length), taps, z)| {
            let filters = taps
                .chunks(n * m_previous)
                .map(|f| f.chunks(m_previous).map(<[Rational]>::to_vec).collect())
                .collect();
            let layer = Layer::new_unchecked_norm(1, filters).expect("shapes agree");
            let z = LayerVector::from_entries(length, m_previous, z).expect("sizes agree");
            (layer, z)
        })
}

/// `D_iᵀ Z` and `T_β(D_iᵀ Z)` of the integer views equal the definitions', for every
/// thresholding and for thresholds of a correlation's size, half of one, and zero.
fn views_equal_plain(
    layer: &Layer<SmallRational>,
    z: &LayerVector<SmallRational>,
) -> Result<(), TestCaseError> {
    let correlations = <Plain as Kernels<SmallRational>>::analysis(layer, z);
    prop_assert_eq!(
        &<IntegerViews as Kernels<SmallRational>>::analysis(layer, z),
        &correlations,
        "D_iᵀ Z"
    );
    let largest = correlations.max_abs();
    let nonzero = correlations.entries().iter().find(|v| !v.is_zero());
    let half = nonzero.map_or_else(SmallRational::zero, |v| {
        num_traits::Signed::abs(v) / SmallRational::new(2, 1)
    });
    let small = SmallRational::new(1, 3);
    for thresholding in [
        Thresholding::Soft,
        Thresholding::Nonnegative,
        Thresholding::Hard,
    ] {
        for beta in [&largest, &half, &small, &SmallRational::zero()] {
            let beta = &Threshold::Shared(beta.clone());
            prop_assert_eq!(
                <IntegerViews as Kernels<SmallRational>>::thresholded_analysis(
                    layer,
                    z,
                    thresholding,
                    beta
                ),
                <Plain as Kernels<SmallRational>>::thresholded_analysis(
                    layer,
                    z,
                    thresholding,
                    beta
                ),
                "T_β(D_iᵀ Z) for {:?} at β = {:?}",
                thresholding,
                beta
            );
        }
    }
    Ok(())
}

/// On vectors whose common denominator does not fit an `i128`, or whose sums could overflow
/// it, the integer views (in big integers) give exactly the definitions' values. Counted
/// hypothesis: the taps have an `i128` view and `Z` has none or one whose sums could reach
/// `2^126`, so the big-integer path is what was compared.
#[test]
fn big_integer_views_equal_the_plain_definitions() {
    common::check_with_hypotheses(
        "big-integer views equal the plain definitions",
        common::config(300, REGRESSIONS),
        0.3,
        layer_and_vector(),
        |(layer, z)| {
            let small_layer = layer.map(|v| SmallRational::from(v));
            let small_z = z.map(|v| SmallRational::from(v));
            views_equal_plain(&small_layer, &small_z)?;
            let Some((taps, _)) = SmallRational::over_common_denominator(small_layer.taps()) else {
                return Ok(false);
            };
            let terms = (layer.filter_length() * layer.input_channels()) as u128;
            Ok(
                SmallRational::over_common_denominator(small_z.entries()).is_none_or(
                    |(signal, _)| bits(&taps) + bits(&signal) + bits(&[terms as i128]) > 126,
                ),
            )
        },
    );
}

/// On sparse vectors with word-sized views, the sums formed only at the positions `Z`
/// reaches (and reused between calls) give exactly the definitions' values. Counted
/// hypothesis: the sums are on words (`Z` has an `i128` view, its sums cannot reach `2^126`),
/// `Z` has a nonzero entry and some atom position that no nonzero entry reaches.
#[test]
fn sparse_word_views_equal_the_plain_definitions() {
    common::check_with_hypotheses(
        "sparse word views equal the plain definitions",
        common::config(300, REGRESSIONS),
        0.25,
        layer_and_vector_of(sparse_entry),
        |(layer, z)| {
            let small_layer = layer.map(|v| SmallRational::from(v));
            let small_z = z.map(|v| SmallRational::from(v));
            views_equal_plain(&small_layer, &small_z)?;
            let (Some((taps, _)), Some((signal, _))) = (
                SmallRational::over_common_denominator(small_layer.taps()),
                SmallRational::over_common_denominator(small_z.entries()),
            ) else {
                return Ok(false);
            };
            let terms = (layer.filter_length() * layer.input_channels()) as u128;
            let on_words = bits(&taps) + bits(&signal) + bits(&[terms as i128]) <= 126;
            let (length, n) = (z.length(), layer.filter_length());
            let occupied = |q: usize| z.at_position(q % length).iter().any(|v| !v.is_zero());
            let unreached = (0..length).any(|p| (p..p + n).all(|q| !occupied(q)));
            Ok(on_words && (0..length).any(occupied) && unreached)
        },
    );
}

/// The number of bits of the largest `|v|`.
fn bits(values: &[i128]) -> u32 {
    let largest = values.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    u128::BITS - largest.leading_zeros()
}

/// The generated cases of the soft, hard and nonnegative campaigns, among them deep ladders
/// whose last layers' estimates have no `i128` view: the fast report equals the
/// specification's, JSON text for JSON text.
#[test]
fn fast_reports_equal_the_specification_on_deep_generated_cases() {
    let text = |report: &Theorem2Report| serde_json::to_string(report).expect("serialises");
    for thresholding in [
        Thresholding::Soft,
        Thresholding::Hard,
        Thresholding::Nonnegative,
    ] {
        let form = Theorem2Entry::paper(thresholding);
        let entry = (registry().into_iter())
            .find(|e| e.name() == form.name())
            .expect("the form is registered");
        let statement = form.statement().statement();
        for case in 0..24 {
            let instance = entry.generate(&mut case_rng(2017, case));
            let reference = exact_report::<Rational, Plain>(&instance, statement);
            let fast =
                exact_report::<SmallRational, IntegerViews>(&small_instance(&instance), statement);
            assert_eq!(text(&fast), text(&reference), "{} case {case}", form.name());
        }
    }
}
