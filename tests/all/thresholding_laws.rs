//! The laws of the thresholding operators of docs/math.md §4, checked with quickcheck as a second,
//! independent property engine (the other test files use proptest):
//!
//! - hard `H_β(z) = z · [|z| > β]`, soft `S_β(z) = sign(z) · max(|z| - β, 0)`, nonnegative soft
//!   `S⁺_β(z) = max(z - β, 0)`, always for `β ≥ 0`;
//! - exactly on rationals built from small quickcheck integers (numerator in `-24..=24`,
//!   denominator in `1..=6`, with the tie `|z| = β` drawn on purpose a quarter of the time),
//!   and on `f64` values (the same small rationals, and dyadic numbers `k · 2^e` of wide range).
//!
//! The runs use a fixed generator seed ([`SEED`]) so that they replay; `QUICKCHECK_TESTS`
//! overrides the default number of tests, and `QUICKCHECK_SEED` the seed.

use std::sync::atomic::{AtomicUsize, Ordering};

use mlcsc::Rational;
use mlcsc::pursuit::{Thresholding, hard_threshold, nonnegative_soft_threshold, soft_threshold};
use mlcsc::scalar::Scalar;
use mlcsc::tolerance::{OPERATOR_AGREEMENT_RELATIVE, SCREEN_RELATIVE};
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};

/// The seed of every quickcheck generator in this file.
const SEED: u64 = 20_170_601;

/// Tests per property when `QUICKCHECK_TESTS` is not set.
const DEFAULT_TESTS: u64 = 3000;

const OPERATORS: [Thresholding; 3] = [
    Thresholding::Soft,
    Thresholding::Nonnegative,
    Thresholding::Hard,
];

fn runner() -> QuickCheck {
    let seed = std::env::var("QUICKCHECK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let quickcheck = QuickCheck::new().rng(Gen::from_size_and_seed(100, seed));
    if std::env::var_os("QUICKCHECK_TESTS").is_none() {
        quickcheck
            .tests(DEFAULT_TESTS)
            .max_tests(10 * DEFAULT_TESTS)
    } else {
        quickcheck
    }
}

/// The number of tests the runner will perform (for the floors of counted hypotheses).
fn test_count() -> u64 {
    std::env::var("QUICKCHECK_TESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_TESTS)
}

fn report_count(claim: &str, met: &AtomicUsize, minimum_fraction: f64) {
    let met = met.load(Ordering::Relaxed);
    let tests = test_count();
    let floor = ((minimum_fraction * tests as f64).ceil() as usize).max(1);
    eprintln!("{claim}: {met} of {tests} tests met the hypotheses (floor {floor})");
    assert!(
        met >= floor,
        "{claim}: only {met} of {tests} tests met the hypotheses"
    );
}

/// A small exact rational `numerator / denominator`, shrinking toward `0/1`.
#[derive(Clone, Debug)]
struct Small {
    numerator: i64,
    denominator: i64,
}

impl Small {
    fn value(&self) -> Rational {
        Rational::new(BigInt::from(self.numerator), BigInt::from(self.denominator))
    }
}

impl Arbitrary for Small {
    fn arbitrary(g: &mut Gen) -> Self {
        Small {
            numerator: i64::from(i8::arbitrary(g)) % 25,
            denominator: i64::from(u8::arbitrary(g) % 6) + 1,
        }
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        Box::new(
            (self.numerator, self.denominator)
                .shrink()
                .filter(|&(_, d)| (1..=6).contains(&d))
                .map(|(numerator, denominator)| Small {
                    numerator,
                    denominator,
                }),
        )
    }
}

/// A value `z` and a threshold `β ≥ 0`; a quarter of the time `z = ±β` (the boundary).
#[derive(Clone, Debug)]
struct Case {
    z: Small,
    beta: Small,
}

impl Case {
    fn values(&self) -> (Rational, Rational) {
        (self.z.value(), self.beta.value().abs())
    }
}

impl Arbitrary for Case {
    fn arbitrary(g: &mut Gen) -> Self {
        let beta = Small::arbitrary(g);
        let z = if u8::arbitrary(g) % 4 == 0 {
            let sign = if bool::arbitrary(g) { 1 } else { -1 };
            Small {
                numerator: sign * beta.numerator,
                denominator: beta.denominator,
            }
        } else {
            Small::arbitrary(g)
        };
        Case { z, beta }
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        let beta = self.beta.clone();
        let z = self.z.clone();
        Box::new(
            self.z
                .shrink()
                .map(move |z| Case {
                    z,
                    beta: beta.clone(),
                })
                .chain(
                    self.beta
                        .shrink()
                        .map(move |beta| Case { z: z.clone(), beta }),
                ),
        )
    }
}

/// A finite `f64`: a small rational's nearest `f64`, or a dyadic `k · 2^e` with `|k| < 2^20`
/// and `|e| ≤ 40`.
#[derive(Clone, Debug)]
struct Float(f64);

impl Arbitrary for Float {
    fn arbitrary(g: &mut Gen) -> Self {
        if bool::arbitrary(g) {
            Float(Small::arbitrary(g).value().to_f64())
        } else {
            let k = i32::arbitrary(g) % (1 << 20);
            let e = i32::from(i8::arbitrary(g) % 41);
            Float(f64::from(k) * 2f64.powi(e))
        }
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        Box::new(self.0.shrink().filter(|v| v.is_finite()).map(Float))
    }
}

#[test]
fn soft_thresholding_is_the_difference_of_two_nonnegative_ones() {
    fn exact(case: Case) -> TestResult {
        let (z, beta) = case.values();
        let difference =
            nonnegative_soft_threshold(&z, &beta) - nonnegative_soft_threshold(&-z.clone(), &beta);
        TestResult::from_bool(soft_threshold(&z, &beta) == difference)
    }
    fn float(z: Float, beta: Float) -> TestResult {
        let (z, beta) = (z.0, beta.0.abs());
        let difference =
            nonnegative_soft_threshold(&z, &beta) - nonnegative_soft_threshold(&-z, &beta);
        TestResult::from_bool(soft_threshold(&z, &beta) == difference)
    }
    runner().quickcheck(exact as fn(Case) -> TestResult);
    runner().quickcheck(float as fn(Float, Float) -> TestResult);
}

#[test]
fn every_thresholding_is_monotone_in_z() {
    fn exact(a: Small, b: Small, beta: Small) -> TestResult {
        let (a, b, beta) = (a.value(), b.value(), beta.value().abs());
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        TestResult::from_bool(
            OPERATORS
                .iter()
                .all(|t| t.apply(&low, &beta) <= t.apply(&high, &beta)),
        )
    }
    fn float(a: Float, b: Float, beta: Float) -> TestResult {
        let (low, high) = if a.0 <= b.0 { (a.0, b.0) } else { (b.0, a.0) };
        let beta = beta.0.abs();
        TestResult::from_bool(
            OPERATORS
                .iter()
                .all(|t| t.apply(&low, &beta) <= t.apply(&high, &beta)),
        )
    }
    runner().quickcheck(exact as fn(Small, Small, Small) -> TestResult);
    runner().quickcheck(float as fn(Float, Float, Float) -> TestResult);
}

/// `|S_β(z) - z| = min(|z|, β)`: soft thresholding moves `z` by exactly `β` outside the dead
/// zone and to 0 inside it, hence by at most `β`.
#[test]
fn soft_thresholding_moves_z_by_at_most_beta() {
    fn exact(case: Case) -> TestResult {
        let (z, beta) = case.values();
        let moved = (soft_threshold(&z, &beta) - &z).abs();
        let expected = if z.abs() < beta {
            z.abs()
        } else {
            beta.clone()
        };
        TestResult::from_bool(moved == expected && moved <= beta)
    }
    /// In `f64`, `S_β(z)` is `|z| - β` rounded, so the move may exceed `β` by the rounding
    /// of numbers of size `|z|`: the slack is relative to `max(|z|, β)`, not to `β`.
    fn float(z: Float, beta: Float) -> TestResult {
        let (z, beta) = (z.0, beta.0.abs());
        let moved = (soft_threshold(&z, &beta) - z).abs();
        TestResult::from_bool(moved <= beta + SCREEN_RELATIVE * z.abs().max(beta))
    }
    runner().quickcheck(exact as fn(Case) -> TestResult);
    runner().quickcheck(float as fn(Float, Float) -> TestResult);
}

static HARD_ZEROED: AtomicUsize = AtomicUsize::new(0);
static HARD_TIES: AtomicUsize = AtomicUsize::new(0);

/// `H_β(z) ∈ {z, 0}`, and `H_β(z) = 0` exactly when `|z| ≤ β` (the tie `|z| = β` is zeroed);
/// so hard thresholding changes `z` only by zeroing it, by `|z| ≤ β`, and `|H_β(z) - z| ≤ β`.
/// Counted hypotheses: a nonzero `z` was zeroed (the law is not `H_β(z) = z`), and the tie.
#[test]
fn hard_thresholding_changes_z_only_by_zeroing_it() {
    fn exact(case: Case) -> TestResult {
        let (z, beta) = case.values();
        let h = hard_threshold(&z, &beta);
        let zeroed = h.is_zero();
        if zeroed && !z.is_zero() {
            HARD_ZEROED.fetch_add(1, Ordering::Relaxed);
        }
        if z.abs() == beta && !z.is_zero() {
            HARD_TIES.fetch_add(1, Ordering::Relaxed);
        }
        let kept_or_zeroed = h == z || zeroed;
        let zeroed_iff_small = zeroed == (z.abs() <= beta);
        let moved = (&h - &z).abs();
        TestResult::from_bool(kept_or_zeroed && zeroed_iff_small && moved <= beta)
    }
    runner().quickcheck(exact as fn(Case) -> TestResult);
    report_count("hard thresholding zeroed a nonzero z", &HARD_ZEROED, 0.1);
    report_count(
        "hard thresholding met the tie |z| = β > 0",
        &HARD_TIES,
        0.05,
    );
}

static NONNEGATIVE_SIGNS: AtomicUsize = AtomicUsize::new(0);

/// `S⁺_β(z) = max(S_β(z), 0) = S_β(max(z, 0))`; for `z ≥ 0` it moves `z` by at most `β`.
/// Counted hypothesis: `z ≥ 0`.
#[test]
fn nonnegative_soft_thresholding_is_soft_thresholding_of_the_positive_part() {
    fn exact(case: Case) -> TestResult {
        let (z, beta) = case.values();
        let plus = nonnegative_soft_threshold(&z, &beta);
        let soft = soft_threshold(&z, &beta);
        let positive_part = if z.is_negative() {
            Rational::zero()
        } else {
            z.clone()
        };
        let clipped = if soft.is_negative() {
            Rational::zero()
        } else {
            soft
        };
        let mut holds = plus == clipped && plus == soft_threshold(&positive_part, &beta);
        if !z.is_negative() {
            NONNEGATIVE_SIGNS.fetch_add(1, Ordering::Relaxed);
            holds &= (&plus - &z).abs() <= beta;
        }
        TestResult::from_bool(holds)
    }
    runner().quickcheck(exact as fn(Case) -> TestResult);
    report_count("S⁺ on z ≥ 0", &NONNEGATIVE_SIGNS, 0.3);
}

/// `S_β(-z) = -S_β(z)`, `H_β(-z) = -H_β(z)`; `S_β(z) = H_β(z) - β · sign(H_β(z))`; and the
/// soft output keeps the sign of `z` and does not exceed it: `S_β(z) · z ≥ 0`,
/// `|S_β(z)| ≤ |z|`.
#[test]
fn soft_and_hard_thresholding_are_odd_and_related() {
    fn exact(case: Case) -> TestResult {
        let (z, beta) = case.values();
        let soft = soft_threshold(&z, &beta);
        let hard = hard_threshold(&z, &beta);
        let minus_z = -z.clone();
        let odd = soft_threshold(&minus_z, &beta) == -soft.clone()
            && hard_threshold(&minus_z, &beta) == -hard.clone();
        let from_hard = soft == &hard - &beta * hard.signum();
        let sign_kept = !(&soft * &z).is_negative() && soft.abs() <= z.abs();
        TestResult::from_bool(odd && from_hard && sign_kept)
    }
    fn float(z: Float, beta: Float) -> TestResult {
        let (z, beta) = (z.0, beta.0.abs());
        TestResult::from_bool(
            soft_threshold(&-z, &beta) == -soft_threshold(&z, &beta)
                && hard_threshold(&-z, &beta) == -hard_threshold(&z, &beta),
        )
    }
    runner().quickcheck(exact as fn(Case) -> TestResult);
    runner().quickcheck(float as fn(Float, Float) -> TestResult);
}

/// Composition: `S_β ∘ S_γ = S_{β+γ}`, `S⁺_β ∘ S⁺_γ = S⁺_{β+γ}`, `H_β ∘ H_γ = H_{max(β,γ)}`
/// (so `H_β` is idempotent).
#[test]
fn thresholdings_compose_as_a_semigroup() {
    fn exact(z: Small, beta: Small, gamma: Small) -> TestResult {
        let (z, beta, gamma) = (z.value(), beta.value().abs(), gamma.value().abs());
        let sum = &beta + &gamma;
        let larger = if beta > gamma {
            beta.clone()
        } else {
            gamma.clone()
        };
        let soft = soft_threshold(&soft_threshold(&z, &gamma), &beta) == soft_threshold(&z, &sum);
        let plus = nonnegative_soft_threshold(&nonnegative_soft_threshold(&z, &gamma), &beta)
            == nonnegative_soft_threshold(&z, &sum);
        let hard =
            hard_threshold(&hard_threshold(&z, &gamma), &beta) == hard_threshold(&z, &larger);
        TestResult::from_bool(soft && plus && hard)
    }
    runner().quickcheck(exact as fn(Small, Small, Small) -> TestResult);
}

/// `|T(a) - T(b)| ≤ |a - b|` for `T = S_β, S⁺_β` (proximal operators are non-expansive).
#[test]
fn soft_thresholdings_are_non_expansive() {
    fn exact(a: Small, b: Small, beta: Small) -> TestResult {
        let (a, b, beta) = (a.value(), b.value(), beta.value().abs());
        let distance = (&a - &b).abs();
        TestResult::from_bool(
            [Thresholding::Soft, Thresholding::Nonnegative]
                .iter()
                .all(|t| (t.apply(&a, &beta) - t.apply(&b, &beta)).abs() <= distance),
        )
    }
    runner().quickcheck(exact as fn(Small, Small, Small) -> TestResult);
}

/// The `f64` operators agree with the exact ones on the same (exactly converted) inputs, to
/// [`OPERATOR_AGREEMENT_RELATIVE`] of `max(|z|, β)`.
#[test]
fn float_thresholding_agrees_with_exact_thresholding() {
    fn agree(z: Float, beta: Float) -> TestResult {
        let (z, beta) = (z.0, beta.0.abs());
        let exact_z = z.to_rational().expect("finite");
        let exact_beta = beta.to_rational().expect("finite");
        let scale = z.abs().max(beta).max(f64::MIN_POSITIVE);
        TestResult::from_bool(OPERATORS.iter().all(|t| {
            let float = t.apply(&z, &beta);
            let exact = t.apply(&exact_z, &exact_beta).to_f64();
            (float - exact).abs() <= OPERATOR_AGREEMENT_RELATIVE * scale
        }))
    }
    runner().quickcheck(agree as fn(Float, Float) -> TestResult);
}

/// Negative controls: the engine finds real counterexamples to two false laws, "hard
/// thresholding is non-expansive" and "`S⁺_β` moves every `z` by at most `β`" (false for
/// `z < -β`).
#[test]
fn negative_controls_false_thresholding_laws_are_refuted() {
    fn hard_non_expansive(a: Small, b: Small, beta: Small) -> TestResult {
        let (a, b, beta) = (a.value(), b.value(), beta.value().abs());
        let moved = (hard_threshold(&a, &beta) - hard_threshold(&b, &beta)).abs();
        TestResult::from_bool(moved <= (&a - &b).abs())
    }
    fn nonnegative_moves_little(case: Case) -> TestResult {
        let (z, beta) = case.values();
        TestResult::from_bool((nonnegative_soft_threshold(&z, &beta) - &z).abs() <= beta)
    }
    let refuted = runner().quicktest(hard_non_expansive as fn(Small, Small, Small) -> TestResult);
    eprintln!("hard non-expansive: {refuted:?}");
    assert!(
        refuted.is_err(),
        "no counterexample to hard non-expansiveness"
    );
    let refuted = runner().quicktest(nonnegative_moves_little as fn(Case) -> TestResult);
    eprintln!("S⁺ moves by at most β: {refuted:?}");
    assert!(
        refuted.is_err(),
        "no counterexample to the S⁺ shrinkage claim"
    );
}

/// The operators in `f64` on special values (signed zeros, ties `|z| = β`, infinities, NaNs of
/// either sign, subnormals) equal their formulas bit for bit: `S_β(z) = sign(z) max(|z| − β, 0)`,
/// `S⁺_β(z) = max(z − β, 0)` and `H_β(z) = z [|z| > β]`, each written out plainly here with the
/// sign tests of `num_traits::Signed` (which read the sign bit, so `+0` and a NaN with a clear
/// sign bit count as positive).
#[test]
fn thresholding_in_f64_on_special_values_is_its_formula_bit_for_bit() {
    fn soft(z: f64, beta: f64) -> f64 {
        let shrunk = z.abs() - beta;
        if Signed::is_positive(&shrunk) {
            if Signed::is_negative(&z) {
                -shrunk
            } else {
                shrunk
            }
        } else {
            0.0
        }
    }
    fn nonnegative(z: f64, beta: f64) -> f64 {
        let shifted = z - beta;
        if Signed::is_positive(&shifted) {
            shifted
        } else {
            0.0
        }
    }
    fn hard(z: f64, beta: f64) -> f64 {
        if z.abs() > beta { z } else { 0.0 }
    }
    let positive_nan = f64::from_bits(0x7ff8_0000_0000_0000);
    let values = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        f64::MIN_POSITIVE / 4.0,
        -f64::MIN_POSITIVE / 4.0,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        positive_nan,
        -positive_nan,
    ];
    let mut pairs = 0;
    for &z in &values {
        for &beta in &values {
            let bits = |x: f64| x.to_bits();
            assert_eq!(
                bits(soft_threshold(&z, &beta)),
                bits(soft(z, beta)),
                "S at z = {z}, β = {beta}"
            );
            assert_eq!(
                bits(nonnegative_soft_threshold(&z, &beta)),
                bits(nonnegative(z, beta)),
                "S⁺ at z = {z}, β = {beta}"
            );
            assert_eq!(
                bits(hard_threshold(&z, &beta)),
                bits(hard(z, beta)),
                "H at z = {z}, β = {beta}"
            );
            pairs += 1;
        }
    }
    assert_eq!(pairs, values.len() * values.len());
}
