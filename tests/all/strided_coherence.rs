//! The coherence of a strided layer (`mlcsc_spec::strided_coherence`,
//! `proofs/strided_coherence.md`), held to independent sources:
//!
//! - the dense dictionary of `mlcsc_spec::strided_operators`, built atom by atom, whose Gram
//!   matrix is computed entry by entry, exactly over `Rational`;
//! - today's stride-one `mutual_coherence` and `welch_bound_squared`;
//! - the two-tap ladder, whose coherence is known in closed form.
//!
//! Every generated family is counted, with floors on the cases that matter (stride ≥ 2).

use mlcsc::coherence::{mutual_coherence, welch_bound_squared};
use mlcsc::generate::coherent::{ladder_layer, pythagorean_pair};
use mlcsc::generate::random::{FilterDraw, LayerShape, random_layer, seeded_rng};
use mlcsc::{Layer, Rational, Scalar};
use mlcsc_spec::model::{Geometry, Padding};
use mlcsc_spec::strided_coherence::{
    channel_coherence, shortest_faithful_length, strided_coherence, strided_welch_bound_squared,
};
use mlcsc_spec::strided_operators::strided_dense_dictionary;
use nalgebra::DMatrix;
use num_traits::{One, Signed, Zero};
use rand::{Rng, RngExt};

use crate::common::r;

/// Generated layers per test.
const CASES: u64 = 400;

/// A random exactly unit layer: `m` filters of `n` taps over `m_prev` channels with `stride`.
fn random_strided_layer<R: Rng>(
    rng: &mut R,
    shape: (usize, usize, usize),
    geometry: Geometry,
) -> Layer<Rational> {
    let (m, n, m_prev) = shape;
    let denominator = rng.random_range(1..=4);
    random_layer(
        rng,
        1,
        LayerShape::new(n, m),
        m_prev,
        FilterDraw::RandomPole { denominator },
    )
    .with_geometry(geometry)
}

/// `DᵀD`, entry by entry.
fn gram(dictionary: &DMatrix<Rational>) -> DMatrix<Rational> {
    let columns = dictionary.ncols();
    DMatrix::from_fn(columns, columns, |a, b| {
        let mut sum = Rational::zero();
        for row in 0..dictionary.nrows() {
            sum += &dictionary[(row, a)] * &dictionary[(row, b)];
        }
        sum
    })
}

/// The largest `|G[a, b]|` over `b ≠ a` in the rows `a` listed (and the columns `b` listed).
fn largest_off_diagonal(gram: &DMatrix<Rational>, rows: &[usize], columns: &[usize]) -> Rational {
    let mut best = Rational::zero();
    for &a in rows {
        for &b in columns {
            if a != b && gram[(a, b)].abs() > best {
                best = gram[(a, b)].abs();
            }
        }
    }
    best
}

fn maximum(values: &[Rational]) -> Rational {
    values
        .iter()
        .cloned()
        .fold(Rational::zero(), |a, b| a.max(b))
}

#[test]
fn circular_coherence_is_the_largest_off_diagonal_gram_entry() {
    let mut rng = seeded_rng(5101);
    let (mut cases, mut strided, mut positive) = (0, 0, 0);
    for _ in 0..CASES {
        let shape = (
            rng.random_range(1..=3),
            rng.random_range(1..=4),
            rng.random_range(1..=2),
        );
        let stride = rng.random_range(1..=3);
        let geometry = Geometry {
            stride,
            padding: Padding::Circular,
        };
        let layer = random_strided_layer(&mut rng, shape, geometry);
        let length = shortest_faithful_length(shape.1, stride) + stride * rng.random_range(0..=2);
        let dictionary = strided_dense_dictionary(1, &layer, &geometry, length).expect("σ | N");
        let gram = gram(&dictionary);
        let all: Vec<usize> = (0..gram.ncols()).collect();
        assert!(all.iter().all(|&a| gram[(a, a)].is_one()), "unit atoms");
        let mu = strided_coherence(&layer);
        assert_eq!(
            mu,
            largest_off_diagonal(&gram, &all, &all),
            "{layer:?} N = {length}"
        );
        let per_channel = channel_coherence(&layer);
        assert_eq!(maximum(&per_channel), mu);
        for (c, mu_c) in per_channel.iter().enumerate() {
            // Column `p · m + c` is the atom of channel `c` at position `p`; take `p = 0`.
            assert_eq!(
                mu_c,
                &largest_off_diagonal(&gram, &[c], &all),
                "channel {c}"
            );
        }
        cases += 1;
        strided += usize::from(stride >= 2);
        positive += usize::from(!mu.is_zero());
    }
    eprintln!("circular: {cases} layers, {strided} with stride ≥ 2, {positive} with μ > 0");
    assert!(strided >= 200, "stride ≥ 2 in {strided}");
    assert!(positive >= 200, "μ > 0 in {positive}");
}

/// Valid padding, and zero padding restricted to its interior atoms: every off-diagonal
/// `|Gram|` entry among them is at most `μ`, and every entry in a row of channel `c` at most
/// `μ_c` (`proofs/strided_coherence.md`, C1).
#[test]
fn valid_and_interior_coherence_bounds_the_gram_entries() {
    let mut rng = seeded_rng(5102);
    let (mut cases, mut strided, mut strict, mut zero_padded) = (0, 0, 0, 0);
    for _ in 0..CASES {
        let shape = (
            rng.random_range(1..=3),
            rng.random_range(1..=4),
            rng.random_range(1..=2),
        );
        let stride = rng.random_range(1..=3);
        let padding = if rng.random_bool(0.5) {
            Padding::Valid
        } else {
            let left = rng.random_range(0..shape.1);
            let right = rng.random_range(0..shape.1);
            Padding::Zero { left, right }
        };
        let geometry = Geometry { stride, padding };
        let layer = random_strided_layer(&mut rng, shape, geometry);
        let length = shape.1 + rng.random_range(0..=3 * stride + 2);
        let dictionary = strided_dense_dictionary(1, &layer, &geometry, length).expect("N ≥ n");
        let gram = gram(&dictionary);
        let m = shape.0;
        let interior: Vec<usize> = (0..gram.ncols())
            .filter(|column| geometry.is_interior(column / m, length, shape.1))
            .collect();
        let mu = strided_coherence(&layer);
        let dense = largest_off_diagonal(&gram, &interior, &interior);
        assert!(dense <= mu, "{layer:?} N = {length}: {dense} > {mu}");
        let per_channel = channel_coherence(&layer);
        for &a in &interior {
            assert!(largest_off_diagonal(&gram, &[a], &interior) <= per_channel[a % m]);
        }
        cases += 1;
        strided += usize::from(stride >= 2);
        strict += usize::from(dense < mu);
        zero_padded += usize::from(padding != Padding::Valid);
    }
    eprintln!(
        "valid / zero interior: {cases} layers, {strided} with stride ≥ 2, {zero_padded} zero \
         padded, {strict} strictly below μ"
    );
    assert!(strided >= 200, "stride ≥ 2 in {strided}");
    assert!(zero_padded >= 100, "zero padded in {zero_padded}");
    assert!(strict >= 20, "strictly below μ in {strict}");
}

/// A zero-padded layer whose two truncated border atoms, once normalised, are `e_0` and `−e_0`:
/// their coherence is 1, above `μ = 16/25` (`proofs/strided_coherence.md`, C2).
#[test]
fn normalised_truncated_border_atoms_can_exceed_the_coherence() {
    let filters = vec![
        vec![vec![r(3, 5)], vec![r(4, 5)]],
        vec![vec![r(4, 5)], vec![r(-3, 5)]],
    ];
    let geometry = Geometry {
        stride: 1,
        padding: Padding::Zero { left: 1, right: 1 },
    };
    let layer = Layer::new(1, filters)
        .expect("unit")
        .with_geometry(geometry);
    let mu = strided_coherence(&layer);
    assert_eq!(mu, r(16, 25));
    let dictionary = strided_dense_dictionary(1, &layer, &geometry, 3).expect("N + 2 ≥ 2");
    let gram = gram(&dictionary);
    // Columns 0 and 1 are the two filters at position 0, each keeping its tap 1 only.
    let cosine_squared = &gram[(0, 1)] * &gram[(0, 1)] / (&gram[(0, 0)] * &gram[(1, 1)]);
    assert!(!geometry.is_interior(0, 3, 2));
    assert_eq!(cosine_squared, Rational::one());
    assert!(cosine_squared > &mu * &mu);
}

#[test]
fn at_stride_one_it_is_todays_mutual_coherence() {
    let mut rng = seeded_rng(5103);
    let mut positive = 0;
    for _ in 0..CASES {
        let shape = (
            rng.random_range(1..=4),
            rng.random_range(1..=5),
            rng.random_range(1..=3),
        );
        let layer = random_strided_layer(&mut rng, shape, Geometry::default());
        let mu = strided_coherence(&layer);
        assert_eq!(mu, mutual_coherence(&layer), "{layer:?}");
        let rounded = layer.map(Scalar::to_f64);
        assert_eq!(strided_coherence(&rounded), mutual_coherence(&rounded));
        assert_eq!(maximum(&channel_coherence(&layer)), mu);
        positive += usize::from(!mu.is_zero());
    }
    eprintln!("stride one: {CASES} layers, {positive} with μ > 0");
    assert!(positive >= 300, "μ > 0 in {positive}");
}

#[test]
fn at_stride_one_the_welch_bound_is_todays() {
    let mut positive = 0;
    for m in 1..=8 {
        for n in 1..=6 {
            for m_prev in 1..=4 {
                let today = welch_bound_squared(m, n, m_prev);
                match strided_welch_bound_squared(m, n, m_prev, 1) {
                    Some(bound) => {
                        assert_eq!(bound, today, "m {m}, n {n}, m_prev {m_prev}");
                        positive += 1;
                    }
                    None => assert!(today.is_zero(), "m {m}, n {n}, m_prev {m_prev}"),
                }
            }
        }
    }
    assert!(positive >= 60, "positive in {positive}");
}

/// The Welch bound of `A` unit vectors in dimension `d`: `(A − d) / (d (A − 1))`.
fn welch_of_vectors(count: usize, dimension: usize) -> Rational {
    let (count, dimension) = (count as i64, dimension as i64);
    r(count - dimension, dimension * (count - 1))
}

/// A layer with `m > σ m_prev`, as random as [`random_strided_layer`].
fn layer_beyond_the_stride<R: Rng>(rng: &mut R) -> Layer<Rational> {
    let stride = rng.random_range(1..=3);
    let m_prev = rng.random_range(1..=2);
    let shape = (
        stride * m_prev + rng.random_range(1..=3),
        rng.random_range(1..=4),
        m_prev,
    );
    let geometry = Geometry {
        stride,
        padding: Padding::Circular,
    };
    random_strided_layer(rng, shape, geometry)
}

/// The strided Welch-type bound holds on every generated layer with `m > σ m_prev`, and is the
/// Welch bound of the dense dictionary on `N*` positions (`proofs/strided_coherence.md`, C3).
#[test]
fn the_strided_welch_bound_holds_when_filters_outnumber_stride_times_channels() {
    let mut rng = seeded_rng(5104);
    let (mut strided, mut tight_within_two) = (0, 0);
    for _ in 0..CASES {
        let layer = layer_beyond_the_stride(&mut rng);
        let (m, n, m_prev) = (
            layer.filter_count(),
            layer.filter_length(),
            layer.input_channels(),
        );
        let geometry = layer.geometry();
        let bound = strided_welch_bound_squared(m, n, m_prev, geometry.stride).expect("m > σ m'");
        let mu = strided_coherence(&layer);
        assert!(
            &mu * &mu >= bound,
            "{layer:?}: μ² = {} < {bound}",
            &mu * &mu
        );
        let period = shortest_faithful_length(n, geometry.stride);
        let dictionary = strided_dense_dictionary(1, &layer, &geometry, period).expect("σ | N*");
        assert_eq!(
            bound,
            welch_of_vectors(dictionary.ncols(), dictionary.nrows())
        );
        strided += usize::from(geometry.stride >= 2);
        tight_within_two += usize::from(&mu * &mu <= &bound * r(4, 1));
    }
    eprintln!(
        "strided Welch: {CASES} layers with m > σ m', all hold; {strided} with stride ≥ 2, \
         {tight_within_two} with μ within twice the bound"
    );
    assert!(strided >= 200, "stride ≥ 2 in {strided}");
}

/// Negative control: today's stride-one bound, claimed for strided layers, is refuted by
/// generated layers with `m > m_prev` and stride 2 to 4 (a stride at least `n` leaves only
/// `δ = 0`, and two random filters can be nearly orthogonal), and by a designed one with `μ = 0`.
#[test]
fn the_stride_one_welch_bound_fails_on_strided_layers() {
    let mut rng = seeded_rng(5105);
    let mut counterexamples = 0;
    for _ in 0..CASES {
        // More filters than input channels (so today's bound is positive), stride 2 to 4.
        let m_prev = rng.random_range(1..=2);
        let shape = (
            m_prev + rng.random_range(1..=2),
            rng.random_range(2..=4),
            m_prev,
        );
        let geometry = Geometry {
            stride: rng.random_range(2..=4),
            padding: Padding::Circular,
        };
        let layer = random_strided_layer(&mut rng, shape, geometry);
        let stride_one = welch_bound_squared(
            layer.filter_count(),
            layer.filter_length(),
            layer.input_channels(),
        );
        let mu = strided_coherence(&layer);
        counterexamples += usize::from(&mu * &mu < stride_one);
    }
    eprintln!("stride-one Welch on strided layers: {counterexamples} of {CASES} refute it");
    assert!(
        counterexamples >= 10,
        "the negative control found {counterexamples}"
    );
    // Two one-tap-apart Diracs at stride 2: no displacement but 0 is a multiple of 2 below n.
    let filters = vec![
        vec![vec![r(1, 1)], vec![r(0, 1)]],
        vec![vec![r(0, 1)], vec![r(1, 1)]],
    ];
    let geometry = Geometry {
        stride: 2,
        padding: Padding::Circular,
    };
    let layer = Layer::new(1, filters)
        .expect("unit")
        .with_geometry(geometry);
    assert!(strided_coherence(&layer).is_zero());
    assert_eq!(welch_bound_squared(2, 2, 1), r(1, 5));
    assert_eq!(strided_welch_bound_squared(2, 2, 1, 2), None);
}

/// A filter with taps `a`, `b` at spacing `d` (`offset` zeros before, `trailing` after).
fn two_tap_layer(
    a: &Rational,
    b: &Rational,
    spacing: usize,
    offset: usize,
    trailing: usize,
) -> Layer<Rational> {
    let mut filter = vec![vec![Rational::zero()]; offset + spacing + 1 + trailing];
    filter[offset][0] = a.clone();
    filter[offset + spacing][0] = b.clone();
    Layer::new(1, vec![filter]).expect("a² + b² = 1")
}

/// The two-tap claim (`proofs/strided_coherence.md`, C4): taps `a`, `b` at spacing `d` give
/// `μ = |ab|` at stride `σ` when `σ | d`, and 0 otherwise; so does the generated ladder of one
/// or two channels, whose gap is the spacing; and the dense dictionary on `N*` agrees.
#[test]
fn a_two_tap_filter_has_coherence_ab_exactly_when_the_stride_divides_the_spacing() {
    let (mut dividing, mut not_dividing) = (0, 0);
    for q in 2..=5 {
        let (b, a, _) = pythagorean_pair(q);
        let product = (&a * &b).abs();
        for spacing in 1..=5 {
            for stride in 1..=6 {
                let geometry = Geometry {
                    stride,
                    padding: Padding::Circular,
                };
                let expected = if spacing % stride == 0 {
                    dividing += 1;
                    product.clone()
                } else {
                    not_dividing += 1;
                    Rational::zero()
                };
                for (offset, trailing) in [(0, 0), (1, 0), (0, 2), (2, 1)] {
                    let negated = -&b;
                    let layer = two_tap_layer(&a, &negated, spacing, offset, trailing)
                        .with_geometry(geometry);
                    assert_eq!(
                        strided_coherence(&layer),
                        expected,
                        "q {q} d {spacing} σ {stride}"
                    );
                    let length = shortest_faithful_length(layer.filter_length(), stride);
                    let dense =
                        strided_dense_dictionary(1, &layer, &geometry, length).expect("σ | N*");
                    let gram = gram(&dense);
                    let all: Vec<usize> = (0..gram.ncols()).collect();
                    assert_eq!(largest_off_diagonal(&gram, &all, &all), expected);
                }
                for channels in 1..=2 {
                    let ladder =
                        ladder_layer(1, channels, spacing, q, (1, -1)).with_geometry(geometry);
                    assert_eq!(strided_coherence(&ladder), expected, "ladder of {channels}");
                }
            }
        }
    }
    eprintln!("two taps: {dividing} (q, d, σ) with σ | d, {not_dividing} without");
    assert!(dividing >= 20 && not_dividing >= 50);
}
