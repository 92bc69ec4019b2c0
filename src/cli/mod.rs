//! The `mlcsc` command line: parsing (clap) and dispatch. Every command takes `--json`; key
//! names are listed in docs/command-line.md.
//!
//! The commands live in the library so that a crate of conjectures gets all of them for its own
//! entries, beside the built-in ones, with a binary of two lines:
//!
//! ```no_run
//! # use mlcsc::conjecture::prelude::*;
//! # fn my_conjecture() -> Stated { conjecture("my-conjecture") }
//! fn main() {
//!     std::process::exit(mlcsc::cli::run_with(&[&my_conjecture()]));
//! }
//! ```
//!
//! `list`, `campaign`, `generate`, `check --theorem NAME FILE`, `search NAME --margin TARGET`,
//! `merge` and `verify` then know the user's entries by name; `verify` runs them after the
//! built-in ones.

mod bench;
mod campaign;
mod capture;
mod certify;
mod check;
mod depth_study;
mod forward;
mod generate;
mod head_to_head;
mod inspect;
mod list;
mod merge;
mod output;
mod output_folder;
mod phase;
mod phase_plot;
mod rationalize;
pub mod readable;
mod search;
mod shard;
mod suggest;
mod verify;
mod verify_folder;
mod verify_plot;
mod verify_table;

pub use crate::conjecture::Arithmetic;
pub use capture::Captured;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::conjecture::{Entry, registry};

/// The entries the commands know: the registered ones, then the caller's.
pub(crate) struct Entries<'a> {
    builtin: Vec<Box<Entry>>,
    user: &'a [&'a Entry],
}

impl<'a> Entries<'a> {
    /// The registry and `user`; a user entry may not take a registered name, nor `theorem2`,
    /// and its name must be a plain file name (it names the entry's report files).
    fn new(user: &'a [&'a Entry]) -> Result<Self, String> {
        let builtin = registry();
        let mut names: Vec<&str> = vec!["theorem2"];
        names.extend(builtin.iter().map(|c| c.name()));
        for entry in user {
            // A name names the entry's report and counterexample files.
            crate::io::file_names::check_file_name(entry.name())
                .map_err(|why| format!("a conjecture's name: {why}"))?;
            if names.contains(&entry.name()) {
                return Err(format!(
                    "two entries are named {:?}; give each conjecture its own name",
                    entry.name()
                ));
            }
            names.push(entry.name());
        }
        Ok(Entries { builtin, user })
    }

    /// Every entry, the registered ones first.
    pub(crate) fn all(&self) -> Vec<&Entry> {
        self.builtin
            .iter()
            .map(|c| c.as_ref())
            .chain(self.user.iter().copied())
            .collect()
    }

    /// The entry with this name.
    pub(crate) fn find(&self, name: &str) -> Option<&Entry> {
        self.all().into_iter().find(|c| c.name() == name)
    }

    /// The entry with this name, or the error naming it as `what` shows it (`"NAME"`,
    /// `--theorem "NAME"`), with the nearest registered name when one is a likely slip.
    pub(crate) fn find_or_refuse(
        &self,
        name: &str,
        what: &str,
    ) -> Result<&Entry, output::CliError> {
        self.find(name).ok_or_else(|| {
            let all = self.all();
            let near = suggest::did_you_mean(name, all.iter().map(|c| c.name()));
            output::CliError::Input(format!(
                "{what} is not registered{near}; `mlcsc list` shows the names"
            ))
        })
    }
}

/// The ML-CSC model as executable mathematics.
#[derive(Parser, Debug)]
#[command(
    name = "mlcsc",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 success (holds or vacuous; every entry as its status demands); 1 a certified counterexample to a theorem, or a known-false statement not refuted; 2 bad input or usage; 3 undecided (a comparison stayed open and nothing was violated)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The pursuit of `forward`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PursuitArg {
    /// Layered thresholding with the instance's operator.
    Thresholding,
    /// The independently written CNN layers (weights = filters, biases = −β_i, ReLU).
    Cnn,
    /// Layered basis pursuit: a LASSO per layer with `ξ_i = 4 ε_{i-1}`, certified exactly.
    BasisPursuit,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every registered theorem's and conjecture's default campaign, exactly, and summarise.
    Verify {
        /// Folder for the report, new or empty (default: `mlcsc-report`, replacing only
        /// verify's own earlier report).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Master seed.
        #[arg(long, default_value_t = 2017)]
        seed: u64,
        /// Multiply every default case count by this factor.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The full table: status, rate and each entry's coverage (wider than 100 columns).
        #[arg(long)]
        wide: bool,
        /// The most exact checks one counterexample's shrink may spend (a shrink that stops at
        /// it says so).
        #[arg(long, default_value_t = crate::campaign::SHRINK_CHECK_BUDGET)]
        shrink_budget: usize,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Report the model's quantities per layer, or how far .npy filter banks are from the theorems' hypotheses.
    Inspect(inspect::InspectArgs),
    /// What Theorem 2 for real layers guarantees for a trained network: per-channel windows and the certified region.
    Certify(certify::CertifyArgs),
    /// The verdict of a theorem on one instance.
    Check {
        /// An instance file (mlcsc-instance-1).
        file: PathBuf,
        /// A registered name (`mlcsc list`), or `theorem2` for the instance's own variant.
        #[arg(long, default_value = "theorem2")]
        theorem: String,
        /// Arithmetic (`f64` screens, then re-decides a violation exactly when it can).
        #[arg(long, value_enum, default_value_t = Arithmetic::Exact)]
        arithmetic: Arithmetic,
        /// Decide exactly with the reference engine: big rationals and the specification's
        /// plain definitions (Theorem 2 and Definition 1), instead of the fast exact engine.
        /// The verdict and report are the same; only the time differs.
        #[arg(long)]
        reference: bool,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// The estimates of a pursuit, per layer.
    Forward {
        /// An instance file (mlcsc-instance-1).
        file: PathBuf,
        /// Which pursuit.
        #[arg(long, value_enum, default_value_t = PursuitArg::Thresholding)]
        pursuit: PursuitArg,
        /// Arithmetic.
        #[arg(long, value_enum, default_value_t = Arithmetic::Exact)]
        arithmetic: Arithmetic,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// Your own signal `Y` (a .npy array or JSON, channels last: [N], [N, m_0], [H, W] or
        /// [H, W, m_0]) run through the instance's model in place of its `X + E`.
        #[arg(long, value_name = "FILE")]
        signal: Option<PathBuf>,
        /// With --signal: write the result as an instance (new file): the estimate `Γ̂_K` as its
        /// deepest representation and `Y − D Γ̂_K` as its noise, so its signal is `Y` exactly;
        /// `inspect` and `check` then read it.
        #[arg(long, value_name = "FILE", requires = "signal")]
        save_instance: Option<PathBuf>,
    },
    /// Many generated cases of one theorem or conjecture.
    Campaign(campaign::CampaignArgs),
    /// Write the generated instances of a campaign as instance files (case k = campaign case k).
    Generate(generate::GenerateArgs),
    /// Measure the workloads of the NumPy peer (benches/numpy_peer.py).
    Bench(bench::BenchArgs),
    /// A phase-transition study: success rate over a grid, with the theorem's boundary.
    Phase(phase::PhaseArgs),
    /// Targeted search toward the minimum or maximum of a margin of Theorem 2.
    Search(search::SearchArgs),
    /// The forward pass against layered basis pursuit over contrast × noise (CSV and SVG).
    HeadToHead(head_to_head::HeadToHeadArgs),
    /// Theorem 2 against the forward pass by depth and coherence (CSV, JSON and SVG).
    DepthStudy(depth_study::DepthStudyArgs),
    /// Combine shard reports into one, deterministically.
    Merge(merge::MergeArgs),
    /// Replace every filter of an instance by a rational filter of exactly unit norm near it.
    Rationalize(rationalize::RationalizeArgs),
    /// The registered theorems and conjectures.
    List {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
}

/// Prints clap's usage error (exit code 2) or its help or version (exit code 0, on standard
/// output). Help that could not be written (a full disk) exits 2 with the reason on standard
/// error, so a missing help never passes for a printed one; a reader that closed the pipe
/// (`mlcsc --help | head`) had what it wanted, and the exit code stays 0.
fn usage_or_help(error: &clap::Error) -> i32 {
    let code = if error.use_stderr() { 2 } else { 0 };
    match error.print() {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            let stream = if error.use_stderr() {
                "standard error"
            } else {
                "standard output"
            };
            output::write_error_line(&format!("mlcsc: {stream}: {e}"));
            2
        }
    }
}

/// Parses the command line, runs the command with the registered entries, prints errors, and
/// returns the exit code.
pub fn run() -> i32 {
    run_with(&[])
}

/// Parses the command line, runs the command with the registered entries and `entries` (a
/// crate's own conjectures, known to every command by name), prints errors, and returns the
/// exit code: 0 success, 1 a counterexample or failed check, 2 bad input or usage, 3
/// undecided.
pub fn run_with(entries: &[&Entry]) -> i32 {
    run_with_args(std::env::args_os(), entries)
}

/// As [`run_with_args`], with what the command prints kept in a [`Captured`] instead of
/// written to the standard streams: a test runs a command in its own process and reads its
/// output, and the test listing stays clean.
pub fn run_with_args_captured<I, T>(args: I, entries: &[&Entry]) -> Captured
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    capture::capturing(|| run_with_args(args, entries))
}

/// As [`run_with`], with the command line given (its first item is the program's name), so a
/// test can run a command in its own process.
pub fn run_with_args<I, T>(args: I, entries: &[&Entry]) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let entries = match Entries::new(entries) {
        Ok(entries) => entries,
        Err(error) => {
            output::write_error_line(&format!("mlcsc: {error}"));
            return 2;
        }
    };
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return usage_or_help(&e),
    };
    let result = match cli.command {
        Command::Verify {
            report,
            seed,
            scale,
            wide,
            shrink_budget,
            json,
        } => verify::run(
            &entries,
            report,
            verify::Settings {
                seed,
                scale,
                shrink_budget,
            },
            json,
            wide,
        ),
        Command::Inspect(args) => inspect::run_args(args),
        Command::Certify(args) => certify::run(args),
        Command::Check {
            file,
            theorem,
            arithmetic,
            reference,
            json,
        } => {
            crate::conjecture::use_reference_engine(reference);
            check::run(&entries, &file, &theorem, arithmetic, json)
        }
        Command::Forward {
            file,
            pursuit,
            arithmetic,
            json,
            signal,
            save_instance,
        } => forward::run(
            &file,
            pursuit,
            arithmetic,
            json,
            (signal.as_deref(), save_instance.as_deref()),
        ),
        Command::Campaign(args) => campaign::run(&entries, args),
        Command::Generate(args) => generate::run(&entries, args),
        Command::Bench(args) => bench::run(args),
        Command::Phase(args) => phase::run(args),
        Command::Search(args) => search::run(&entries, args),
        Command::HeadToHead(args) => head_to_head::run(args),
        Command::DepthStudy(args) => depth_study::run(args),
        Command::Merge(args) => merge::run(&entries, args),
        Command::Rationalize(args) => rationalize::run(args),
        Command::List { json } => list::run(&entries, json),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            output::write_error_line(&format!("mlcsc: {error}"));
            error.exit_code()
        }
    }
}
