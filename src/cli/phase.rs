//! `mlcsc phase NAME`: a phase-transition study over a grid, with the theorem's boundary.

use clap::Args;

use super::output::CliError;

/// Arguments of `phase`.
#[derive(Args, Debug)]
pub struct PhaseArgs {
    /// A study name.
    name: String,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

pub fn run(args: PhaseArgs) -> Result<i32, CliError> {
    Err(CliError::Input(format!(
        "phase {:?} (json {}) is not available yet",
        args.name, args.json
    )))
}
