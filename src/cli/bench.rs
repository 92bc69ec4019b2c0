//! `mlcsc bench`: the workloads of the NumPy peer, measured.

use clap::Args;

use super::output::CliError;

/// Arguments of `bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Which workload.
    #[arg(long, default_value = "forward-large")]
    workload: String,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

pub fn run(args: BenchArgs) -> Result<i32, CliError> {
    Err(CliError::Input(format!(
        "bench {:?} (json {}) is not available yet",
        args.workload, args.json
    )))
}
