//! The `mlcsc` command: inspect, check, run and verify the ML-CSC model's theorems.
//!
//! Exit codes: 0 success, 1 a counterexample (or an unrefuted known-false statement), 2 bad input
//! or usage, 3 undecided.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
