//! The `mlcsc` command: inspect, check, run and verify the ML-CSC model's theorems.
//!
//! Exit codes: 0 success, 1 a counterexample (or an unrefuted known-false statement), 2 bad input
//! or usage, 3 undecided. The commands live in the library ([`mlcsc::cli`]), so that a crate of
//! conjectures gets them all for its own entries with `mlcsc::cli::run_with(&[&my_conjecture])`.

/// The allocator: `mimalloc` rather than the system's. A campaign's exact arithmetic allocates
/// and frees hundreds of small big-integer buffers per case; measured on
/// `campaign theorem2-soft --cases 20000`, it takes 9–11% fewer CPU seconds. It is built
/// without transparent huge pages (`no_thp`): with them, `check --arithmetic f64` on a large
/// instance spent from 0.03 to 0.36 s of system time obtaining its huge pages when
/// other processes were busy (docs/performance.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(mlcsc::cli::run_with(&[]));
}
