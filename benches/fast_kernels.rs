//! Benchmarks of the hot kernels (`cargo bench`): the fast `f64` operators and norms against
//! the plain generic ones, and exact arithmetic in small rationals against big rationals, up to
//! a whole certified Theorem 2 check.

use divan::{Bencher, black_box};
use mlcsc::conjecture::Theorem2Entry;
use mlcsc::fast;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::model::{Layer, LayerVector};
use mlcsc::operators;
use mlcsc::pursuit::Thresholding;
use mlcsc::scalar::{Rational, Scalar};
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::theorem2::check_theorem2;
use mlcsc::theorems::theorem2_small::check_theorem2_small;
use num_bigint::BigInt;

fn main() {
    divan::main();
}

/// Deterministic entries in `[-2, 2)`, with about a third of them zero.
fn entries(count: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.33 { 0.0 } else { 4.0 * u - 2.0 }
        })
        .collect()
}

/// The deepest layer of the peer's forward-large model: 64 filters of length 8 over 32
/// channels.
fn deep_layer() -> Layer<f64> {
    let taps = entries(64 * 8 * 32, 1);
    let filters = taps
        .chunks(8 * 32)
        .map(|f| f.chunks(32).map(<[f64]>::to_vec).collect())
        .collect();
    Layer::new_unchecked_norm(3, filters).expect("shapes agree")
}

const LENGTHS: [usize; 2] = [1 << 12, 1 << 16];

#[divan::bench(args = LENGTHS, sample_count = 20)]
fn analysis_fast(bencher: Bencher, length: usize) {
    let layer = deep_layer();
    let z = LayerVector::from_entries(length, 32, entries(length * 32, 2)).expect("sizes agree");
    bencher.bench(|| fast::analysis(&layer, black_box(&z)));
}

#[divan::bench(args = LENGTHS, sample_count = 20)]
fn analysis_thresholded_fast(bencher: Bencher, length: usize) {
    let layer = deep_layer();
    let z = LayerVector::from_entries(length, 32, entries(length * 32, 2)).expect("sizes agree");
    bencher.bench(|| {
        fast::thresholded_analysis(&layer, black_box(&z), Some((Thresholding::Soft, 0.1)))
    });
}

#[divan::bench(args = LENGTHS, sample_count = 20)]
fn synthesis_fast(bencher: Bencher, length: usize) {
    let layer = deep_layer();
    let gamma =
        LayerVector::from_entries(length, 64, entries(length * 64, 3)).expect("sizes agree");
    bencher.bench(|| fast::synthesis(&layer, black_box(&gamma)));
}

#[divan::bench(args = [1 << 12], sample_count = 20)]
fn analysis_plain(bencher: Bencher, length: usize) {
    let layer = deep_layer();
    let z = LayerVector::from_entries(length, 32, entries(length * 32, 2)).expect("sizes agree");
    bencher.bench(|| operators::analysis(&layer, black_box(&z)));
}

#[divan::bench(args = LENGTHS, sample_count = 20)]
fn patch_norm_of_difference_fast(bencher: Bencher, length: usize) {
    let a = LayerVector::from_entries(length, 64, entries(length * 64, 4)).expect("sizes agree");
    let b = LayerVector::from_entries(length, 64, entries(length * 64, 5)).expect("sizes agree");
    bencher.bench(|| fast::difference_patch_norm_squared(black_box(&a), black_box(&b), 8));
}

#[divan::bench(args = LENGTHS, sample_count = 20)]
fn stripe_sparsity_fast(bencher: Bencher, length: usize) {
    let a = LayerVector::from_entries(length, 64, entries(length * 64, 6)).expect("sizes agree");
    bencher.bench(|| fast::stripe_sparsity(black_box(&a), 8));
}

/// Multiply-accumulate over fractions with the denominators of generated instances.
fn fractions<S: Scalar>() -> Vec<S> {
    (0..256i64)
        .map(|k| {
            let denominator = [1i64 << 16, 1 << 32, 3, 4, 21, 131_073][k as usize % 6];
            S::from_rational(&Rational::new(
                BigInt::from(k * 7919 % 1000 - 500),
                BigInt::from(denominator),
            ))
        })
        .collect()
}

#[divan::bench(types = [SmallRational, Rational])]
fn multiply_accumulate<S: Scalar>(bencher: Bencher) {
    let values = fractions::<S>();
    bencher.bench(|| {
        let mut acc = S::zero();
        for pair in values.chunks_exact(2) {
            S::multiply_accumulate(&mut acc, &pair[0], &pair[1]);
        }
        acc
    });
}

fn theorem2_instances() -> Vec<mlcsc::io::Instance<Rational>> {
    let entry = Theorem2Entry::paper(Thresholding::Soft);
    (0..16)
        .map(|k| entry.generate(&mut case_rng(2017, k)))
        .collect()
}

#[divan::bench(sample_count = 20)]
fn theorem2_check_small_rational(bencher: Bencher) {
    let instances = theorem2_instances();
    bencher.bench(|| {
        instances
            .iter()
            .map(|i| check_theorem2_small(i).layers.len())
            .sum::<usize>()
    });
}

#[divan::bench(sample_count = 10)]
fn theorem2_check_rational(bencher: Bencher) {
    let instances = theorem2_instances();
    bencher.bench(|| {
        instances
            .iter()
            .map(|i| check_theorem2(i).layers.len())
            .sum::<usize>()
    });
}
