//! The order of the kernel's sums: every output of [`super::kernel::PackedWeights`] is
//! `Σ_k A[r, k] · W[k, c]` taken as one fused multiply-add per step, `k = 0, 1, …, K − 1` in
//! order from zero, whatever tile, group of steps or prefetch the kernel computes it in.

use super::kernel::PackedWeights;
use super::simd::Real;

/// Numbers that are not round, so that another order of the sum shows in the last bits.
fn values(count: usize, seed: usize) -> Vec<f64> {
    (0..count)
        .map(|k| {
            let h = (k * 2_654_435_761 + seed * 97) % 10_007;
            h as f64 / 1_001.0 - 4.9 + 1e-7 * (k % 13) as f64
        })
        .collect()
}

/// Every output of the kernel on windows of `(K, outputs, stride, rows)`, against the sum in
/// order with `mul_add`, bit for bit.
fn sums_in_order<T: Real>(mul_add: impl Fn(T, T, T) -> T) {
    for (depth, outputs, stride, rows) in [
        (8, 16, 1, 37),
        (128, 32, 16, 100),
        (256, 64, 32, 61),
        (512, 32, 64, 20),
        (37, 9, 5, 13),
        (3, 40, 2, 7),
    ] {
        let window: Vec<T> = values((rows - 1) * stride + depth, depth)
            .into_iter()
            .map(T::from_f64)
            .collect();
        let taps = values(depth * outputs, outputs);
        let column = |o: usize| &taps[o * depth..(o + 1) * depth];
        let packed = PackedWeights::<T>::new(depth, outputs, column);
        let ahead = vec![T::default(); rows * outputs];
        let mut out = vec![T::default(); rows * outputs];
        packed.apply_rows_ahead(&window, stride, rows, &mut out, &ahead);
        for r in 0..rows {
            for (o, found) in out[r * outputs..(r + 1) * outputs].iter().enumerate() {
                let expected = (0..depth).fold(T::default(), |sum, k| {
                    mul_add(window[r * stride + k], T::from_f64(column(o)[k]), sum)
                });
                assert_eq!(
                    found.to_f64().to_bits(),
                    expected.to_f64().to_bits(),
                    "row {r}, output {o}, K = {depth}"
                );
            }
        }
    }
}

/// In `f64`, every output is the sum in order, one rounding per step.
#[test]
fn the_kernel_sums_in_order_in_f64() {
    sums_in_order::<f64>(f64::mul_add);
}

/// In `f32`, every output is the sum in order, one rounding per step.
#[test]
fn the_kernel_sums_in_order_in_f32() {
    sums_in_order::<f32>(f32::mul_add);
}
