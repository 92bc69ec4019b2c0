//! Laws of the local norms of docs/math.md §2, exactly in rationals:
//!
//! - the patch norms `‖Z‖^P_{2,∞}(w)` (squared) and `‖Z‖^P_{0,∞}(w)` and the stripe norm
//!   `‖Γ‖^S_{0,∞}` equal their brute-force definitions (a maximum over every position `p` of the
//!   window `p, …, p + w - 1`, respectively `p - n + 1, …, p + n - 1`, taken modulo `N` with
//!   each position counted once);
//! - they are monotone in the width, and a width of at least `N` gives the whole vector;
//! - the patch `ℓ2` norm is a norm: triangle inequality (decided on squares, without square
//!   roots) and homogeneity; the patch `ℓ0` count is subadditive and scale-invariant.

use std::collections::BTreeSet;

use crate::common::{check, check_with_hypotheses, config, find_counterexamples, r};
use mlcsc::generate::random::{layer_case_strategy, random_layer_vector, seeded_rng};
use mlcsc::norms::{
    patch_norm_squared, patch_sparsity, stripe_count_at, stripe_sparsity, worst_patch,
};
use mlcsc::{LayerVector, Rational};
use num_traits::{Signed, Zero};
use proptest::prelude::*;
use rand::RngExt;

const REGRESSIONS: &str = "proptest-regressions/norms.txt";

/// The distinct positions `(start + j) mod N` for `j = 0..width`.
fn window(length: usize, start: isize, width: usize) -> BTreeSet<usize> {
    (0..width as isize)
        .map(|j| (start + j).rem_euclid(length as isize) as usize)
        .collect()
}

fn energy(z: &LayerVector<Rational>, positions: &BTreeSet<usize>) -> Rational {
    let mut total = Rational::zero();
    for &p in positions {
        for v in z.at_position(p) {
            total += v * v;
        }
    }
    total
}

fn nonzeros(z: &LayerVector<Rational>, positions: &BTreeSet<usize>) -> usize {
    positions
        .iter()
        .map(|&p| z.at_position(p).iter().filter(|v| !v.is_zero()).count())
        .sum()
}

fn brute_patch_norm_squared(z: &LayerVector<Rational>, width: usize) -> Rational {
    (0..z.length())
        .map(|p| energy(z, &window(z.length(), p as isize, width)))
        .max()
        .expect("N ≥ 1")
}

fn brute_patch_sparsity(z: &LayerVector<Rational>, width: usize) -> usize {
    (0..z.length())
        .map(|p| nonzeros(z, &window(z.length(), p as isize, width)))
        .max()
        .expect("N ≥ 1")
}

fn brute_stripe(gamma: &LayerVector<Rational>, n: usize, p: usize) -> usize {
    let start = p as isize - (n as isize - 1);
    nonzeros(gamma, &window(gamma.length(), start, 2 * n - 1))
}

/// Two vectors of one shape, `N` in `1..=10`, `m` in `1..=3`; a quarter of the time the second
/// is a positive multiple of the first (the equality case of the triangle inequality).
#[derive(Clone, Debug)]
struct Pair {
    a: LayerVector<Rational>,
    b: LayerVector<Rational>,
    scale: Rational,
}

fn pair_strategy() -> impl Strategy<Value = Pair> {
    (1..=10usize, 1..=3usize, any::<u64>()).prop_map(|(length, channels, seed)| {
        let mut rng = seeded_rng(seed);
        let density_a = rng.random_range(1..=10) as f64 / 10.0;
        let density_b = rng.random_range(1..=10) as f64 / 10.0;
        let a = random_layer_vector(&mut rng, length, channels, density_a, 6, 3);
        let scale = r(rng.random_range(-6..=6), rng.random_range(1..=4));
        let b = if rng.random_bool(0.25) {
            a.map(|v| v * scale.abs())
        } else {
            random_layer_vector(&mut rng, length, channels, density_b, 6, 2)
        };
        Pair { a, b, scale }
    })
}

#[test]
fn patch_norms_equal_their_brute_force_definitions() {
    check(
        "patch_norms_equal_their_brute_force_definitions",
        config(256, REGRESSIONS),
        layer_case_strategy(3, 3, 3, 8),
        |case| {
            let z = &case.input;
            for width in 1..=case.signal_length + 2 {
                prop_assert_eq!(
                    patch_norm_squared(z, width),
                    brute_patch_norm_squared(z, width),
                    "ℓ2 at width {}",
                    width
                );
                prop_assert_eq!(
                    patch_sparsity(z, width),
                    brute_patch_sparsity(z, width),
                    "ℓ0 at width {}",
                    width
                );
                let (p, worst) = worst_patch(z, width);
                prop_assert_eq!(&worst, &brute_patch_norm_squared(z, width));
                prop_assert_eq!(&worst, &energy(z, &window(z.length(), p as isize, width)));
            }
            Ok(())
        },
    );
}

/// `stripe_sparsity(Γ, n)` is the largest number of nonzeros at positions `p - n + 1, …,
/// p + n - 1`, `stripe_count_at` is that count at each `p`, and the stripe is the patch of
/// width `2n - 1`. Counted hypothesis: `Γ ≠ 0`.
#[test]
fn stripe_sparsity_equals_its_brute_force_definition() {
    check_with_hypotheses(
        "stripe_sparsity_equals_its_brute_force_definition",
        config(256, REGRESSIONS),
        0.5,
        layer_case_strategy(3, 4, 1, 6),
        |case| {
            let gamma = &case.gamma;
            let n = case.layer.filter_length();
            let mut largest = 0;
            for p in 0..case.signal_length {
                let count = brute_stripe(gamma, n, p);
                prop_assert_eq!(stripe_count_at(gamma, n, p), count, "p = {}", p);
                largest = largest.max(count);
            }
            prop_assert_eq!(stripe_sparsity(gamma, n), largest);
            prop_assert_eq!(stripe_sparsity(gamma, n), patch_sparsity(gamma, 2 * n - 1));
            Ok(gamma.count_nonzeros() > 0)
        },
    );
}

#[test]
fn patch_norms_are_monotone_in_the_width_and_total_beyond_n() {
    check(
        "patch_norms_are_monotone_in_the_width_and_total_beyond_n",
        config(256, REGRESSIONS),
        layer_case_strategy(3, 3, 3, 8),
        |case| {
            let z = &case.input;
            let length = case.signal_length;
            for width in 1..=length {
                prop_assert!(patch_norm_squared(z, width) <= patch_norm_squared(z, width + 1));
                prop_assert!(patch_sparsity(z, width) <= patch_sparsity(z, width + 1));
            }
            let total = z.inner_product(z);
            for width in [length, length + 1, 2 * length + 3] {
                prop_assert_eq!(&patch_norm_squared(z, width), &total);
                prop_assert_eq!(patch_sparsity(z, width), z.count_nonzeros());
            }
            Ok(())
        },
    );
}

/// `sqrt(A) ≤ sqrt(B) + sqrt(C)` for `A = P(a + b)²`, `B = P(a)²`, `C = P(b)²`, decided
/// exactly: it holds iff `A - B - C ≤ 0` or `(A - B - C)² ≤ 4 B C`. Counted hypothesis:
/// `A - B - C > 0`, the case where the square-root comparison is needed.
#[test]
fn patch_norm_satisfies_the_triangle_inequality() {
    check_with_hypotheses(
        "patch_norm_satisfies_the_triangle_inequality",
        config(256, REGRESSIONS),
        0.3,
        (pair_strategy(), 1..=4usize),
        |(pair, width)| {
            let a_squared = patch_norm_squared(&pair.a.sum(&pair.b), width);
            let b_squared = patch_norm_squared(&pair.a, width);
            let c_squared = patch_norm_squared(&pair.b, width);
            let excess = &a_squared - &b_squared - &c_squared;
            let needs_roots = excess.is_positive();
            prop_assert!(
                !needs_roots || &excess * &excess <= r(4, 1) * &b_squared * &c_squared,
                "‖a + b‖² = {}, ‖a‖² = {}, ‖b‖² = {}",
                a_squared,
                b_squared,
                c_squared
            );
            Ok(needs_roots)
        },
    );
}

/// For `b = λ a` with `λ ≥ 0` the triangle inequality is an equality, which the square
/// comparison must decide as a tie: `(A - B - C)² = 4 B C`.
#[test]
fn patch_triangle_inequality_is_tight_for_parallel_vectors() {
    check(
        "patch_triangle_inequality_is_tight_for_parallel_vectors",
        config(128, REGRESSIONS),
        (pair_strategy(), 1..=4usize),
        |(pair, width)| {
            let b = pair.a.map(|v| v * pair.scale.abs());
            let a_squared = patch_norm_squared(&pair.a.sum(&b), width);
            let b_squared = patch_norm_squared(&pair.a, width);
            let c_squared = patch_norm_squared(&b, width);
            let excess = &a_squared - &b_squared - &c_squared;
            prop_assert!(!excess.is_negative());
            prop_assert_eq!(&excess * &excess, r(4, 1) * &b_squared * &c_squared);
            Ok(())
        },
    );
}

/// Negative control: the same exact comparison catches the false "triangle inequality for the
/// squared norm", `P(a + b)² ≤ P(a)² + P(b)²`.
#[test]
fn negative_control_squared_patch_norms_are_not_subadditive() {
    find_counterexamples(
        "negative_control_squared_patch_norms_are_not_subadditive",
        config(256, REGRESSIONS),
        0.1,
        (pair_strategy(), 1..=4usize),
        |(pair, width)| {
            let a_squared = patch_norm_squared(&pair.a.sum(&pair.b), width);
            let bound = patch_norm_squared(&pair.a, width) + patch_norm_squared(&pair.b, width);
            Ok(a_squared > bound)
        },
    );
}

#[test]
fn patch_sparsity_is_subadditive() {
    check(
        "patch_sparsity_is_subadditive",
        config(256, REGRESSIONS),
        (pair_strategy(), 1..=12usize),
        |(pair, width)| {
            prop_assert!(
                patch_sparsity(&pair.a.sum(&pair.b), width)
                    <= patch_sparsity(&pair.a, width) + patch_sparsity(&pair.b, width)
            );
            Ok(())
        },
    );
}

/// `P(c z)² = c² P(z)²` and `P0(c z) = P0(z)` for `c ≠ 0` (`0` for `c = 0`).
#[test]
fn patch_norms_scale_homogeneously() {
    check(
        "patch_norms_scale_homogeneously",
        config(256, REGRESSIONS),
        (pair_strategy(), 1..=12usize),
        |(pair, width)| {
            let c = &pair.scale;
            let scaled = pair.a.map(|v| v * c);
            prop_assert_eq!(
                patch_norm_squared(&scaled, width),
                c * c * patch_norm_squared(&pair.a, width)
            );
            let expected = if c.is_zero() {
                0
            } else {
                patch_sparsity(&pair.a, width)
            };
            prop_assert_eq!(patch_sparsity(&scaled, width), expected);
            Ok(())
        },
    );
}

/// A vector whose second half repeats its first (so patches half a period apart tie exactly),
/// with one entry moved by `±2^-exponent` of itself: the two patches then differ far below
/// `f64` resolution for large exponents.
fn near_tie(
    length: usize,
    channels: usize,
    seed: u64,
    exponent: u32,
    larger: bool,
) -> LayerVector<Rational> {
    let mut rng = seeded_rng(seed);
    let half = length.div_ceil(2);
    let base = random_layer_vector(&mut rng, half, channels, 0.7, 6, 3);
    let mut z = LayerVector::zeros(length, channels);
    for p in 0..length {
        for c in 0..channels {
            z.set(p, c, base.at_position(p % half)[c].clone());
        }
    }
    let (p, c) = (rng.random_range(0..length), rng.random_range(0..channels));
    let value = z.at_position(p)[c].clone();
    let step = Rational::new(1.into(), num_bigint::BigInt::from(1) << exponent);
    let one = Rational::from_integer(1.into());
    let moved = if value.is_zero() {
        if larger { step } else { -step }
    } else if larger {
        value * (one + step)
    } else {
        value * (one - step)
    };
    z.set(p, c, moved);
    z
}

/// The `f64` screen of `patch_norm_squared` (which sums exactly only the patches that may be
/// largest) keeps the exact maximum when patches tie exactly or differ by `2^-20 … 2^-90` of
/// themselves, below or near `f64` resolution, and when an entry lies outside the screen's
/// magnitudes (the plain sum then runs): in big rationals and in `SmallRational`, equal to the
/// brute-force definition and to the plain sliding sum. Counted hypothesis: the vector has a
/// nonzero patch.
#[test]
fn the_screen_of_patch_energies_keeps_the_exact_maximum() {
    use mlcsc::small_rational::SmallRational;
    use mlcsc_spec::norms::patch_norm_squared as plain_patch_norm_squared;
    check_with_hypotheses(
        "the_screen_of_patch_energies_keeps_the_exact_maximum",
        config(256, REGRESSIONS),
        0.9,
        (
            2..=12usize,
            1..=3usize,
            any::<u64>(),
            20..=90u32,
            any::<bool>(),
            0..4u8,
        ),
        |(length, channels, seed, exponent, larger, huge)| {
            let mut z = near_tie(length, channels, seed, exponent, larger);
            if huge == 0 {
                let scale = Rational::from_integer(num_bigint::BigInt::from(10).pow(150));
                z = z.map(|v| v * &scale);
            }
            let small = z.map(|v| SmallRational::from(v));
            for width in 1..=length + 1 {
                let truth = brute_patch_norm_squared(&z, width);
                prop_assert_eq!(&patch_norm_squared(&z, width), &truth, "width {}", width);
                prop_assert_eq!(&plain_patch_norm_squared(&z, width), &truth);
                prop_assert_eq!(
                    patch_norm_squared(&small, width).to_big(),
                    truth,
                    "SmallRational at width {}",
                    width
                );
            }
            Ok(!patch_norm_squared(&z, length).is_zero())
        },
    );
}
