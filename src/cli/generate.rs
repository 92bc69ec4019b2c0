//! `mlcsc generate NAME --cases C --seed S --out DIR`: the instances a campaign checks, as
//! `mlcsc-instance-1` files.

use std::path::PathBuf;

use crate::campaign::export_cases;
use clap::Args;

use super::Entries;
use super::campaign::progress_bar;
use super::output::{CliError, outln, output_folder, print_json};

/// Arguments of `generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// A registered name (`mlcsc list`).
    name: String,
    /// Number of cases: cases `0..C` of the campaign with the same seed.
    #[arg(long, default_value_t = 100)]
    cases: u64,
    /// Master seed: case k is generated from (seed, k) alone, as in `campaign`.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// A new or empty folder for the files (default: a fresh `mlcsc-generate-NAME` folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Machine-readable output (the list of files).
    #[arg(long)]
    json: bool,
}

/// The most files one run writes.
const MAX_GENERATED_CASES: u64 = 1_000_000;

/// Runs `generate`.
pub fn run(entries: &Entries<'_>, args: GenerateArgs) -> Result<i32, CliError> {
    let conjecture = entries.find_or_refuse(&args.name, &format!("{:?}", args.name))?;
    if args.cases > MAX_GENERATED_CASES {
        return Err(CliError::Input(format!(
            "--cases {} is above the limit of {MAX_GENERATED_CASES} files per run; use several seeds",
            args.cases
        )));
    }
    let out = output_folder(
        args.out.clone(),
        "--out",
        &format!("mlcsc-generate-{}", args.name),
    )?;
    let bar = progress_bar(args.cases, conjecture.name());
    let paths = export_cases(conjecture, args.cases, args.seed, &out, |k| {
        bar.set_position(k)
    })
    .map_err(CliError::Input)?;
    bar.finish_and_clear();
    if args.json {
        print_json(&serde_json::json!({
            "name": conjecture.name(),
            "seed": args.seed,
            "cases": args.cases,
            "files": paths,
        }));
    } else {
        outln!(
            "{} cases of {} (seed {}) written to {}",
            paths.len(),
            conjecture.name(),
            args.seed,
            out.display()
        );
    }
    Ok(0)
}
