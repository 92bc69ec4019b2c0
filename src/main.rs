//! The `mlcsc` command: inspect, check, run and verify the ML-CSC model's theorems.
//!
//! Exit codes: 0 success, 1 a counterexample (or an unrefuted known-false statement), 2 bad input
//! or usage, 3 undecided. The commands live in the library ([`mlcsc::cli`]), so that a crate of
//! conjectures gets them all for its own entries with `mlcsc::cli::run_with(&[&my_conjecture])`.

fn main() {
    std::process::exit(mlcsc::cli::run_with(&[]));
}
