//! Campaigns on a cluster (docs/cluster.md): `--shard auto` reads the shard from each job
//! scheduler's variables (Slurm, PBS Pro, Torque, SGE, LSF job arrays, GNU parallel) and
//! refuses, exit 2 naming the variable, when none is set, two are, or a value is out of range
//! or disagrees; `merge` takes a folder or a glob, names missing shards and a shard given
//! twice, and its streamed merge of many shards equals the unsharded run, whatever the order
//! of a report's keys. (The real Slurm run is scripts/cluster/slurm_test.sh, in .ci/run.)

use std::path::{Path, PathBuf};
use std::process::Output;

/// Every variable `--shard auto` reads, removed from the tests' own runs (which may run
/// inside a job array).
const SCHEDULER_VARIABLES: [&str; 15] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_STEP",
    "SLURM_ARRAY_TASK_COUNT",
    "PBS_ARRAY_INDEX",
    "PBS_ARRAYID",
    "SGE_TASK_ID",
    "SGE_TASK_FIRST",
    "SGE_TASK_LAST",
    "SGE_TASK_STEPSIZE",
    "LSB_JOBINDEX",
    "LSB_JOBINDEX_END",
    "LSB_JOBINDEX_STEP",
    "PARALLEL_SEQ",
];

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cluster")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("scratch folder");
    path
}

/// `mlcsc ARGS` in `folder` with exactly the scheduler variables `environment`.
fn run(folder: &Path, environment: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = std::process::Command::new(crate::common::cli::BINARY);
    command.current_dir(folder).args(args);
    for name in SCHEDULER_VARIABLES {
        command.env_remove(name);
    }
    command.envs(environment.iter().copied());
    command.output().expect("the mlcsc binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeed(folder: &Path, environment: &[(&str, &str)], args: &[&str]) -> Output {
    let output = run(folder, environment, args);
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{environment:?} {args:?}: {}",
        stderr(&output)
    );
    output
}

fn refused(folder: &Path, environment: &[(&str, &str)], args: &[&str], expected: &[&str]) {
    let output = run(folder, environment, args);
    let message = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{environment:?} {args:?}: {message}"
    );
    for part in expected {
        assert!(
            message.contains(part),
            "{environment:?}: {part:?} not in {message:?}"
        );
    }
}

/// The shard a campaign with `--shard SHARD` ran under `environment`.
fn shard_of(folder: &Path, environment: &[(&str, &str)], shard: &str) -> String {
    let output = succeed(
        folder,
        environment,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "12",
            "--save",
            "0",
            "--shard",
            shard,
            "--json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    json["settings"]["shard"]
        .as_str()
        .expect("a shard label")
        .to_string()
}

#[test]
fn shard_auto_reads_each_schedulers_task_index() {
    let folder = scratch("auto-valid");
    let slurm_from_zero = [
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
        ("SLURM_ARRAY_TASK_MAX", "3"),
        ("SLURM_ARRAY_TASK_COUNT", "4"),
    ];
    let cases: [(Environment<'_>, &str, &str); 10] = [
        (&slurm_from_zero, "auto", "3/4"),
        (&slurm_from_zero, "auto/4", "3/4"),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "4"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
            ],
            "auto",
            "4/4",
        ),
        (&[("PBS_ARRAY_INDEX", "2")], "auto/3", "2/3"),
        (&[("PBS_ARRAYID", "1")], "auto/2", "1/2"),
        (
            &[
                ("SGE_TASK_ID", "5"),
                ("SGE_TASK_FIRST", "1"),
                ("SGE_TASK_LAST", "9"),
                ("SGE_TASK_STEPSIZE", "2"),
            ],
            "auto",
            "3/5",
        ),
        (
            &[("LSB_JOBINDEX", "2"), ("LSB_JOBINDEX_END", "4")],
            "auto",
            "2/4",
        ),
        (&[("LSB_JOBINDEX", "3")], "auto/5", "3/5"),
        (&[("PARALLEL_SEQ", "7")], "auto/8", "7/8"),
        // SGE outside an array job writes `undefined`: not a scheduler's index.
        (
            &[("SGE_TASK_ID", "undefined"), ("PARALLEL_SEQ", "1")],
            "auto/2",
            "1/2",
        ),
    ];
    for (environment, shard, expected) in cases {
        assert_eq!(
            shard_of(&folder, environment, shard),
            expected,
            "{environment:?} --shard {shard}"
        );
    }
}

/// Scheduler variables and their values.
type Environment<'a> = &'a [(&'a str, &'a str)];

/// A refused `--shard`: the environment, the value given, and words its message must hold.
type Refusal<'a> = (Environment<'a>, &'a str, &'a [&'a str]);

/// Each refusal exits 2 with its words, before any case: no report is written.
fn refused_before_any_case(folder: &Path, refusals: &[Refusal<'_>]) {
    for &(environment, shard, expected) in refusals {
        refused(
            folder,
            environment,
            &[
                "campaign",
                "theorem2-soft",
                "--cases",
                "12",
                "--shard",
                shard,
                "--report",
                "refused.json",
            ],
            expected,
        );
        assert!(
            !folder.join("refused.json").exists(),
            "{environment:?}: a refused campaign wrote its report"
        );
    }
}

#[test]
fn shard_auto_refuses_no_scheduler_two_schedulers_and_counts_in_conflict() {
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_MAX", "4"),
    ];
    let with = |extra: (&'static str, &'static str)| {
        let mut all = slurm.to_vec();
        all.push(extra);
        all
    };
    let disagreeing = with(("SLURM_ARRAY_TASK_COUNT", "5"));
    let two = with(("PARALLEL_SEQ", "1"));
    let refusals: [Refusal<'_>; 6] = [
        (
            &[],
            "auto",
            &["no job scheduler", "SLURM_ARRAY_TASK_ID", "PARALLEL_SEQ"],
        ),
        (
            &[("SGE_TASK_ID", "undefined")],
            "auto",
            &["no job scheduler"],
        ),
        (
            &disagreeing,
            "auto",
            &["SLURM_ARRAY_TASK_COUNT=5", "disagrees"],
        ),
        (
            &slurm,
            "auto/3",
            &["auto/3", "SLURM_ARRAY_TASK_MAX=4", "not 3"],
        ),
        (&two, "auto", &["SLURM_ARRAY_TASK_ID=2", "PARALLEL_SEQ=1"]),
        (
            &[("PARALLEL_SEQ", "3")],
            "auto",
            &["PARALLEL_SEQ", "auto/N"],
        ),
    ];
    refused_before_any_case(&scratch("auto-refused-schedulers"), &refusals);
}

#[test]
fn shard_auto_refuses_values_that_are_not_numbers_or_out_of_range() {
    let refusals: [Refusal<'_>; 5] = [
        (
            &[("PARALLEL_SEQ", "9")],
            "auto/8",
            &["PARALLEL_SEQ=9", "out of range"],
        ),
        (
            &[("PARALLEL_SEQ", "x")],
            "auto/4",
            &["PARALLEL_SEQ", "not a whole number"],
        ),
        (
            &[("PBS_ARRAY_INDEX", "0")],
            "auto/4",
            &["PBS_ARRAY_INDEX=0", "out of range"],
        ),
        (
            &[
                ("SGE_TASK_ID", "4"),
                ("SGE_TASK_FIRST", "1"),
                ("SGE_TASK_STEPSIZE", "2"),
            ],
            "auto/5",
            &["SGE_TASK_ID=4", "out of range"],
        ),
        (
            &[
                ("SLURM_ARRAY_TASK_ID", "6"),
                ("SLURM_ARRAY_TASK_COUNT", "5"),
            ],
            "auto",
            &["SLURM_ARRAY_TASK_ID=6", "out of range"],
        ),
    ];
    refused_before_any_case(&scratch("auto-refused-values"), &refusals);
}

/// A report's text without its top-level `seconds` line: every other byte must agree.
fn without_seconds(path: &Path) -> String {
    std::fs::read_to_string(path)
        .expect("report")
        .lines()
        .filter(|line| !line.starts_with("  \"seconds\": "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `count` shards of `cases` (as GNU parallel would, `--shard auto/COUNT`) into
/// `folder/shards`, and the unsharded campaign into `folder/whole.json`.
fn shards_and_whole(folder: &Path, cases: u64, count: u64) {
    let shards = folder.join("shards");
    std::fs::create_dir_all(&shards).expect("folder");
    let cases = cases.to_string();
    let auto = format!("auto/{count}");
    for number in 1..=count {
        let sequence = number.to_string();
        let report = format!("shard-{number}.json");
        let args = [
            "campaign",
            "theorem2-soft",
            "--cases",
            &cases,
            "--save",
            "0",
            "--shard",
            &auto,
            "--report",
            &report,
        ];
        succeed(&shards, &[("PARALLEL_SEQ", &sequence)], &args);
    }
    let args = [
        "campaign",
        "theorem2-soft",
        "--cases",
        &cases,
        "--save",
        "0",
        "--report",
        "whole.json",
    ];
    succeed(folder, &[], &args);
}

#[test]
fn merge_takes_a_glob_or_a_folder_and_names_missing_and_repeated_shards() {
    let folder = scratch("merge-glob");
    shards_and_whole(&folder, 200, 5);
    let merge = |source: &str, out: &str| run(&folder, &[], &["merge", source, "--report", out]);
    for (source, out) in [
        ("shards/shard-*.json", "glob.json"),
        ("shards", "folder.json"),
    ] {
        let output = merge(source, out);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{source}: {}",
            stderr(&output)
        );
        assert_eq!(
            without_seconds(&folder.join(out)),
            without_seconds(&folder.join("whole.json")),
            "{source}"
        );
    }
    refused(
        &folder,
        &[],
        &["merge", "shards/none-*.json", "--report", "m.json"],
        &["shards/none-*.json", "no file matches"],
    );
    std::fs::copy(
        folder.join("shards/shard-3.json"),
        folder.join("shards/shard-3-again.json"),
    )
    .expect("copy");
    refused(
        &folder,
        &[],
        &["merge", "shards/shard-*.json", "--report", "m.json"],
        &[
            "shard-3.json",
            "shard-3-again.json",
            "both shard 3/5",
            "overlap",
        ],
    );
    for gone in ["shard-3-again.json", "shard-2.json", "shard-4.json"] {
        std::fs::remove_file(folder.join("shards").join(gone)).expect("remove");
    }
    refused(
        &folder,
        &[],
        &["merge", "shards/shard-?.json", "--report", "m.json"],
        &["shards 2/5, 4/5 are missing"],
    );
    assert!(!folder.join("m.json").exists());
}

/// Rewrites a report with its keys in another order (records first) and its records
/// reversed when asked.
fn rewritten(path: &Path, out: &Path, reverse: bool) {
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("report")).expect("json");
    let mut records = report["records"].as_array().expect("records").clone();
    if reverse {
        records.reverse();
    }
    let mut reordered = serde_json::Map::new();
    reordered.insert("records".into(), records.into());
    for (key, value) in report.as_object().expect("an object") {
        if key != "records" {
            reordered.insert(key.clone(), value.clone());
        }
    }
    let text = serde_json::to_string(&serde_json::Value::Object(reordered)).expect("json");
    std::fs::write(out, text).expect("write");
}

#[test]
fn a_streamed_merge_of_many_shards_equals_the_unsharded_run_byte_for_byte() {
    let folder = scratch("merge-many");
    shards_and_whole(&folder, 480, 48);
    let output = run(
        &folder,
        &[],
        &[
            "merge",
            "shards",
            "--recheck",
            "all",
            "--report",
            "merged.json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        without_seconds(&folder.join("merged.json")),
        without_seconds(&folder.join("whole.json"))
    );
    // Keys in another order and on one line: the same merge.
    rewritten(
        &folder.join("shards/shard-7.json"),
        &folder.join("shards/shard-7.json"),
        false,
    );
    let output = run(
        &folder,
        &[],
        &["merge", "shards", "--report", "reordered.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        without_seconds(&folder.join("reordered.json")),
        without_seconds(&folder.join("whole.json"))
    );
    // Records out of case order are refused, naming the report.
    rewritten(
        &folder.join("shards/shard-9.json"),
        &folder.join("shards/shard-9.json"),
        true,
    );
    refused(
        &folder,
        &[],
        &["merge", "shards", "--report", "m.json"],
        &["shard-9.json line 1", "not in case order"],
    );
}
