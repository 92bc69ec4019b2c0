//! The `mlcsc` command: inspect, check, run and verify the ML-CSC model's theorems.
//!
//! Exit codes: 0 success, 1 a counterexample (or an unrefuted known-false statement), 2 bad input
//! or usage, 3 undecided. The commands live in the library ([`mlcsc::cli`]), so that a crate of
//! conjectures gets them all for its own entries with `mlcsc::cli::run_with(&[&my_conjecture])`.

/// The allocator: `mimalloc` rather than the system's. A campaign's exact arithmetic allocates
/// and frees hundreds of small big-integer buffers per case, and a large `forward` or `check`
/// keeps vectors of tens of megabytes, which `mimalloc` places on transparent huge pages.
/// Measured (docs/performance.md, "The allocator"): `campaign theorem2-soft --cases 20000`
/// takes 12% fewer CPU seconds; forward-large's pass runs at 86–88% of the per-core peak on one
/// thread rather than 76–79% (fewer address translations); `check --arithmetic f64` on
/// forward-large's file computes in 0.21 CPU-s rather than 0.28. While other processes churn
/// memory, obtaining huge pages can cost up to 0.4 s of system time per large process; there,
/// `MIMALLOC_ALLOW_THP=0` turns them off.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(mlcsc::cli::run_with(&[]));
}
