//! Candidate 3: `dashu-ratio` and `num-rational` on machine words against `SmallRational`, on
//! the exact engine's hot operations: a dot product of small fractions and comparisons.

use std::hint::black_box;

use dashu_int::{IBig, UBig};
use dashu_ratio::{RBig, Relaxed};
use mlcsc_engines::small_rational::SmallRational;
use mlcsc_spec::scalar::{Rational, Scalar};
use num_bigint::BigInt;
use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedMul, Zero};

use crate::measure::{Contender, interleaved, print_table};

/// `(numerator, denominator)` pairs: numerators in `[-500, 500)`, denominators from `pool`
/// (the mix of `benches/fast_kernels.rs`: the powers of two of generated thresholds, noise
/// scales and magnitudes, and the small odd ones of normalised filters).
fn parts(count: usize, pool: &[i64]) -> Vec<(i64, i64)> {
    (0..count as i64)
        .map(|k| (k * 7919 % 1000 - 500, pool[k as usize % pool.len()]))
        .collect()
}

fn text(n: &impl ToString, d: &impl ToString) -> String {
    format!("{}/{}", n.to_string(), d.to_string())
}

/// One set of values in every representation.
struct Values {
    small: Vec<SmallRational>,
    big: Vec<Rational>,
    r64: Vec<Ratio<i64>>,
    r128: Vec<Ratio<i128>>,
    dashu: Vec<RBig>,
    relaxed: Vec<Relaxed>,
}

impl Values {
    fn new(parts: &[(i64, i64)]) -> Self {
        Values {
            small: parts
                .iter()
                .map(|&(n, d)| SmallRational::new(n, d))
                .collect(),
            big: parts
                .iter()
                .map(|&(n, d)| Rational::new(BigInt::from(n), BigInt::from(d)))
                .collect(),
            r64: parts.iter().map(|&(n, d)| Ratio::new(n, d)).collect(),
            r128: parts
                .iter()
                .map(|&(n, d)| Ratio::new(i128::from(n), i128::from(d)))
                .collect(),
            dashu: parts
                .iter()
                .map(|&(n, d)| RBig::from_parts(IBig::from(n), UBig::from(d as u64)))
                .collect(),
            relaxed: parts
                .iter()
                .map(|&(n, d)| Relaxed::from_parts(IBig::from(n), UBig::from(d as u64)))
                .collect(),
        }
    }
}

fn checked_dot<T: Clone + num_integer::Integer + CheckedMul + CheckedAdd>(
    values: &[Ratio<T>],
) -> Option<Ratio<T>> {
    let mut acc = Ratio::<T>::zero();
    for pair in values.chunks_exact(2) {
        acc = acc.checked_add(&pair[0].checked_mul(&pair[1])?)?;
    }
    Some(acc)
}

fn dashu_dot(values: &[RBig]) -> RBig {
    let mut acc = RBig::ZERO;
    for pair in values.chunks_exact(2) {
        acc += &pair[0] * &pair[1];
    }
    acc
}

fn relaxed_dot(values: &[Relaxed]) -> RBig {
    let mut acc = Relaxed::ZERO;
    for pair in values.chunks_exact(2) {
        acc += &pair[0] * &pair[1];
    }
    acc.canonicalize()
}

/// `Σ_k a_{2k} a_{2k+1}` over 256 values (128 products), in every representation.
fn dot_table(title: &str, pool: &[i64], rounds: usize) {
    let v = Values::new(&parts(256, pool));
    let exact = {
        let mut acc = Rational::zero();
        for pair in v.big.chunks_exact(2) {
            acc += &pair[0] * &pair[1];
        }
        acc
    };
    let expected = text(exact.numer(), exact.denom());
    let checks = [
        ("SmallRational::dot", {
            let r = SmallRational::dot(v.small.chunks_exact(2).map(|p| (&p[0], &p[1]))).to_big();
            text(r.numer(), r.denom())
        }),
        (
            "Ratio<i64>",
            checked_dot(&v.r64).map_or("overflow".into(), |r| text(r.numer(), r.denom())),
        ),
        (
            "Ratio<i128>",
            checked_dot(&v.r128).map_or("overflow".into(), |r| text(r.numer(), r.denom())),
        ),
        ("RBig", {
            let r = dashu_dot(&v.dashu);
            text(r.numerator(), r.denominator())
        }),
        ("Relaxed", {
            let r = relaxed_dot(&v.relaxed);
            text(r.numerator(), r.denominator())
        }),
    ];
    let mut contenders = vec![
        Contender::new(
            "hand-written `SmallRational`, `Scalar::dot` (the engine's path)",
            || {
                black_box(SmallRational::dot(
                    black_box(&v.small).chunks_exact(2).map(|p| (&p[0], &p[1])),
                ));
            },
        ),
        Contender::new(
            "hand-written `SmallRational`, `multiply_accumulate` loop",
            || {
                let mut acc = SmallRational::zero();
                for p in black_box(&v.small).chunks_exact(2) {
                    SmallRational::multiply_accumulate(&mut acc, &p[0], &p[1]);
                }
                black_box(acc);
            },
        ),
        Contender::new(
            "`num-rational` `Ratio<BigInt>` (the spec's `Rational`)",
            || {
                let mut acc = Rational::zero();
                for p in black_box(&v.big).chunks_exact(2) {
                    Rational::multiply_accumulate(&mut acc, &p[0], &p[1]);
                }
                black_box(acc);
            },
        ),
        Contender::new(
            "`num-rational` `Ratio<i64>`, checked (no promotion)",
            || {
                black_box(checked_dot(black_box(&v.r64)));
            },
        ),
        Contender::new(
            "`num-rational` `Ratio<i128>`, checked (no promotion)",
            || {
                black_box(checked_dot(black_box(&v.r128)));
            },
        ),
        Contender::new("`dashu-ratio` 0.6 `RBig`", || {
            black_box(dashu_dot(black_box(&v.dashu)));
        }),
        Contender::new(
            "`dashu-ratio` 0.6 `Relaxed` (reduced once at the end)",
            || {
                black_box(relaxed_dot(black_box(&v.relaxed)));
            },
        ),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    print_table(title, &summaries, None);
    println!();
    for (name, got) in checks {
        let verdict = if got == expected {
            "exact"
        } else if got == "overflow" {
            "OVERFLOWS"
        } else {
            "WRONG"
        };
        println!("- {name}: {verdict}");
    }
    println!("- exact value: {expected}");
}

/// `a_k < a_{k+1}` for 255 neighbours, counted, in every representation.
fn compare_table(title: &str, pool: &[i64], rounds: usize) {
    let v = Values::new(&parts(256, pool));
    fn count<T: PartialOrd>(values: &[T]) -> usize {
        values.windows(2).filter(|w| w[0] < w[1]).count()
    }
    let counts = [
        count(&v.small),
        count(&v.big),
        count(&v.r64),
        count(&v.r128),
        count(&v.dashu),
    ];
    assert!(
        counts.iter().all(|c| *c == counts[0]),
        "every type orders alike: {counts:?}"
    );
    let mut contenders = vec![
        Contender::new("hand-written `SmallRational`", || {
            black_box(count(black_box(&v.small)));
        }),
        Contender::new("`num-rational` `Ratio<BigInt>`", || {
            black_box(count(black_box(&v.big)));
        }),
        Contender::new("`num-rational` `Ratio<i64>`", || {
            black_box(count(black_box(&v.r64)));
        }),
        Contender::new("`num-rational` `Ratio<i128>`", || {
            black_box(count(black_box(&v.r128)));
        }),
        Contender::new("`dashu-ratio` 0.6 `RBig`", || {
            black_box(count(black_box(&v.dashu)));
        }),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    print_table(title, &summaries, None);
}

/// Every table of candidate 3.
pub fn run(rounds: usize) {
    let mixed = [1i64 << 16, 1 << 32, 3, 4, 21, 131_073];
    let powers = [1i64 << 16, 1 << 32, 1 << 8, 4];
    dot_table(
        "dot of 128 products, power-of-two denominators (2^16, 2^32, 2^8, 4)",
        &powers,
        rounds,
    );
    dot_table(
        "dot of 128 products, mixed denominators (2^16, 2^32, 3, 4, 21, 131073), as fast_kernels",
        &mixed,
        rounds,
    );
    compare_table(
        "255 comparisons of neighbours, mixed denominators",
        &mixed,
        rounds,
    );
}
