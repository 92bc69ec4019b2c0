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

use cpu_time::ThreadTime;
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

/// The measured peak of `T` multiply-adds (two operations each), in GFLOP/s.
#[derive(Clone, Copy, Debug)]
pub struct Peak {
    /// On `threads` threads in wall-clock time: the fastest of a few runs.
    pub gflops: f64,
    /// On one core in its own CPU time (the operations of a thread over the time it held a
    /// core): the most any thread of any run reached. Other load does not lower it, so it is
    /// the yardstick of a run's operations per CPU second.
    pub gflops_per_core: f64,
}

/// Measures the peak of `T` multiply-adds on `threads` threads.
pub fn peak<T: Real>(threads: usize) -> Peak {
    let threads = threads.max(1);
    let per_thread = (2 * CHAINS * lanes::<T>() * STEPS) as f64;
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    for _ in 0..RUNS {
        let start = Instant::now();
        let cpu: Vec<f64> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let cpu_start = ThreadTime::now();
                        let total = Arch::new().dispatch(Chains {
                            steps: black_box(STEPS),
                            seed: black_box(T::from_f64(1.0)),
                        });
                        black_box(total);
                        cpu_start.elapsed().as_secs_f64()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a chain never panics"))
                .collect()
        });
        best = best.min(start.elapsed().as_secs_f64());
        best_cpu = cpu.into_iter().fold(best_cpu, f64::min);
    }
    Peak {
        gflops: per_thread * threads as f64 / best / 1e9,
        gflops_per_core: per_thread / best_cpu / 1e9,
    }
}
