//! The peak rate of fused multiply-adds, measured on the machine: the yardstick for the
//! kernels' GFLOP/s.
//!
//! Each thread runs [`CHAINS`] independent chains `x ← a·x + b`, one vector register each, on
//! the instruction set found at run time. With at least latency × units chains in flight (4 × 2
//! on current x86 cores) the multiply-add units never wait, so the rate is the most the
//! kernels could reach. Every chain's value is summed into the result, so the compiler cannot
//! drop the work.

use std::hint::black_box;
use std::time::Instant;

use pulp::{Arch, Simd, WithSimd};

use super::simd::{Real, lanes};

/// Independent chains per thread.
pub const CHAINS: usize = 12;

/// Multiply-adds per chain in one timed run (about 5 ms at 4 GHz).
const STEPS: usize = 2_000_000;

/// Timed runs; the fastest is kept (other load only ever slows a run down, and on a shared
/// machine a short run is the likeliest to find every thread's core free).
const RUNS: usize = 20;

struct Chains<T> {
    steps: usize,
    seed: T,
}

impl<T: Real> WithSimd for Chains<T> {
    type Output = f64;

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) -> f64 {
        let a = T::splat(simd, T::from_f64(0.999_999));
        let b = T::splat(simd, T::from_f64(1e-6));
        let mut x = [T::splat(simd, self.seed); CHAINS];
        for _ in 0..self.steps {
            for value in x.iter_mut() {
                *value = T::mul_add(simd, a, *value, b);
            }
        }
        let mut buffer = vec![T::default(); CHAINS * T::lanes::<S>()];
        for (out, value) in T::as_mut_lanes::<S>(&mut buffer).iter_mut().zip(x) {
            *out = value;
        }
        buffer.iter().map(|v| v.to_f64()).sum()
    }
}

/// The measured peak of `T` multiply-adds on `threads` threads, in GFLOP/s (two operations per
/// multiply-add): the fastest of a few runs.
pub fn peak_gflops<T: Real>(threads: usize) -> f64 {
    let threads = threads.max(1);
    let operations = (2 * CHAINS * lanes::<T>() * STEPS * threads) as f64;
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let start = Instant::now();
        let total: f64 = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        Arch::new().dispatch(Chains {
                            steps: black_box(STEPS),
                            seed: black_box(T::from_f64(1.0)),
                        })
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a chain never panics"))
                .sum()
        });
        black_box(total);
        best = best.min(start.elapsed().as_secs_f64());
    }
    operations / best / 1e9
}
