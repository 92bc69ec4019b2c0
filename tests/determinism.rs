//! Determinism, resumption and the safety of files (issue 8; README.md, "Robustness"), through
//! the `mlcsc` binary: case `k` of a campaign depends on `(seed, k)` alone, so reports are
//! byte-identical (the `seconds` field aside) whatever the thread count and however often they
//! are run; a run killed with `kill -9` resumes from its checkpoint to the report of an
//! uninterrupted run; shards merge to the unsharded report; and no command replaces a file
//! or folder the user already has unless told to.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_mlcsc");

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("determinism")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("scratch folder");
    path
}

fn mlcsc(folder: &Path, threads: usize, args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .current_dir(folder)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("the binary runs")
}

fn succeed(folder: &Path, threads: usize, args: &[&str]) -> Output {
    let output = mlcsc(folder, threads, args);
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A report's text without its `seconds` line, the one field that differs between runs.
fn without_seconds(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        text.contains("\"records\""),
        "{} is not a campaign report",
        path.display()
    );
    text.lines()
        .filter(|line| !line.trim_start().starts_with("\"seconds\":"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `campaign NAME --cases C --seed S --save 0 --report FILE` plus `extra`.
fn campaign_args<'a>(
    name: &'a str,
    cases: &'a str,
    report: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "campaign", name, "--cases", cases, "--seed", "7", "--save", "0", "--report", report,
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn the_same_seed_gives_byte_identical_reports_with_one_and_two_threads_and_across_runs() {
    let folder = scratch("threads");
    let mut compared = 0;
    for (name, cases, extra) in [
        ("theorem2-soft", "120", &[][..]),
        ("theorem2-hard", "80", &["--arithmetic", "f64"][..]),
        ("theorem2-without-contrast-term", "60", &[][..]),
    ] {
        let mut reports = Vec::new();
        for (run, threads) in [1, 2, 2].into_iter().enumerate() {
            let report = format!("{name}-{threads}-threads-run{run}.json");
            succeed(
                &folder,
                threads,
                &campaign_args(name, cases, &report, extra),
            );
            reports.push(without_seconds(&folder.join(report)));
        }
        assert_eq!(reports[0], reports[1], "{name}: 1 and 2 threads differ");
        assert_eq!(
            reports[1], reports[2],
            "{name}: two runs with 2 threads differ"
        );
        compared += 2;
    }
    eprintln!("determinism: {compared} pairs of reports byte-identical (seconds aside)");
}

/// The records of a checkpoint and their distinct case numbers. With `torn_tail`, a last line
/// cut by `kill -9` in the middle of a write is left out (every other line must be whole).
fn checkpoint_cases(path: &Path, torn_tail: bool) -> (usize, BTreeSet<u64>) {
    let text = std::fs::read_to_string(path).expect("checkpoint");
    let mut lines: Vec<&str> = text.lines().skip(1).collect();
    if torn_tail
        && lines
            .last()
            .is_some_and(|l| serde_json::from_str::<serde_json::Value>(l).is_err())
    {
        lines.pop();
    }
    let cases = lines
        .iter()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).expect("a record")["case"]
                .as_u64()
                .expect("case")
        })
        .collect();
    (lines.len(), cases)
}

#[test]
fn a_campaign_killed_with_kill_9_resumes_to_the_uninterrupted_report() {
    let folder = scratch("kill");
    let cases = "600";
    succeed(
        &folder,
        2,
        &campaign_args("theorem2-soft", cases, "uninterrupted.json", &[]),
    );
    let args = campaign_args(
        "theorem2-soft",
        cases,
        "resumed.json",
        &["--checkpoint", "checkpoint.jsonl"],
    );
    let checkpoint = folder.join("checkpoint.jsonl");
    let mut child = Command::new(BINARY)
        .args(&args)
        .current_dir(&folder)
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        let lines = std::fs::read_to_string(&checkpoint).map_or(0, |t| t.lines().count());
        if lines > 20 {
            break;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the campaign ended before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no progress in the checkpoint"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the campaign ended before it could be killed"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    assert!(
        !folder.join("resumed.json").exists(),
        "the killed run wrote its report"
    );
    let (before, _) = checkpoint_cases(&checkpoint, true);
    assert!(before < 600, "the killed run had finished");
    succeed(&folder, 2, &args);
    assert_eq!(
        without_seconds(&folder.join("resumed.json")),
        without_seconds(&folder.join("uninterrupted.json"))
    );
    let (after, distinct) = checkpoint_cases(&checkpoint, false);
    assert_eq!(
        (after, distinct.len()),
        (600, 600),
        "a case was lost or repeated"
    );
    eprintln!(
        "kill -9 after {before} of 600 cases: the resumed report equals the uninterrupted one"
    );
}

#[test]
fn a_torn_last_checkpoint_line_is_dropped_and_the_case_rerun() {
    let folder = scratch("torn");
    succeed(
        &folder,
        1,
        &campaign_args("theorem2-nonnegative", "40", "whole.json", &[]),
    );
    let args = campaign_args(
        "theorem2-nonnegative",
        "40",
        "resumed.json",
        &["--checkpoint", "checkpoint.jsonl"],
    );
    succeed(
        &folder,
        1,
        &campaign_args(
            "theorem2-nonnegative",
            "40",
            "first.json",
            &["--checkpoint", "checkpoint.jsonl"],
        ),
    );
    // Keep the header and 10 records, then half of the 11th, as a write cut by `kill -9`.
    let text = std::fs::read_to_string(folder.join("checkpoint.jsonl")).expect("checkpoint");
    let lines: Vec<&str> = text.lines().collect();
    let torn = &lines[11][..lines[11].len() / 2];
    std::fs::write(
        folder.join("checkpoint.jsonl"),
        format!("{}\n{torn}", lines[..11].join("\n")),
    )
    .expect("write");
    succeed(&folder, 2, &args);
    assert_eq!(
        without_seconds(&folder.join("resumed.json")),
        without_seconds(&folder.join("whole.json"))
    );
    let (count, distinct) = checkpoint_cases(&folder.join("checkpoint.jsonl"), false);
    assert_eq!((count, distinct.len()), (40, 40));
}

#[test]
fn an_empty_checkpoint_left_by_a_run_killed_at_once_starts_afresh() {
    let folder = scratch("empty-checkpoint");
    std::fs::write(folder.join("checkpoint.jsonl"), "").expect("write");
    let args = campaign_args(
        "theorem2-soft",
        "12",
        "first.json",
        &["--checkpoint", "checkpoint.jsonl"],
    );
    succeed(&folder, 1, &args);
    let mut again = args.clone();
    again[9] = "second.json";
    succeed(&folder, 1, &again);
    assert_eq!(
        without_seconds(&folder.join("first.json")),
        without_seconds(&folder.join("second.json"))
    );
    assert_eq!(
        checkpoint_cases(&folder.join("checkpoint.jsonl"), false)
            .1
            .len(),
        12
    );
}

#[test]
fn a_checkpoint_of_another_campaign_is_refused_and_left_intact() {
    let folder = scratch("foreign-checkpoint");
    succeed(
        &folder,
        1,
        &campaign_args(
            "theorem2-soft",
            "10",
            "first.json",
            &["--checkpoint", "checkpoint.jsonl"],
        ),
    );
    let before = std::fs::read(folder.join("checkpoint.jsonl")).expect("checkpoint");
    let mut args = campaign_args(
        "theorem2-soft",
        "10",
        "second.json",
        &["--checkpoint", "checkpoint.jsonl"],
    );
    args[5] = "8";
    let output = mlcsc(&folder, 1, &args);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("another campaign"));
    assert_eq!(
        std::fs::read(folder.join("checkpoint.jsonl")).expect("checkpoint"),
        before
    );
    assert!(!folder.join("second.json").exists());
}

#[test]
fn shards_merged_with_mlcsc_merge_equal_the_unsharded_report() {
    let folder = scratch("shards");
    let cases = "90";
    succeed(
        &folder,
        2,
        &campaign_args("theorem2-soft", cases, "whole.json", &[]),
    );
    for count in [2, 3] {
        let mut shards = Vec::new();
        for index in 0..count {
            let shard = format!("{index}/{count}");
            let report = format!("shard-{index}-of-{count}.json");
            succeed(
                &folder,
                1,
                &campaign_args("theorem2-soft", cases, &report, &["--shard", &shard]),
            );
            shards.push(report);
        }
        shards.reverse();
        let merged = format!("merged-{count}.json");
        let mut args = vec!["merge"];
        args.extend(shards.iter().map(String::as_str));
        args.extend(["--report", &merged]);
        succeed(&folder, 1, &args);
        assert_eq!(
            without_seconds(&folder.join(&merged)),
            without_seconds(&folder.join("whole.json")),
            "{count} shards"
        );
        // Merging again onto the same report is refused: it exists.
        let again = mlcsc(&folder, 1, &args);
        assert_eq!(again.status.code(), Some(2));
    }
    let overlap = mlcsc(
        &folder,
        1,
        &[
            "merge",
            "shard-0-of-2.json",
            "shard-0-of-2.json",
            "--report",
            "overlap.json",
        ],
    );
    assert_eq!(overlap.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&overlap.stderr).contains("overlap"));
    let missing = mlcsc(
        &folder,
        1,
        &[
            "merge",
            "shard-0-of-3.json",
            "shard-1-of-3.json",
            "--report",
            "missing.json",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing"));
    assert!(!folder.join("overlap.json").exists() && !folder.join("missing.json").exists());
}

#[test]
fn campaign_report_refuses_to_overwrite_an_existing_file_unless_asked() {
    let folder = scratch("overwrite");
    std::fs::write(folder.join("mine.json"), "the user's own file\n").expect("write");
    let args = campaign_args("theorem2-soft", "5", "mine.json", &[]);
    let refused = mlcsc(&folder, 1, &args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--overwrite"));
    assert!(refused.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(folder.join("mine.json")).expect("file"),
        "the user's own file\n"
    );
    let mut args = args;
    args.push("--overwrite");
    succeed(&folder, 1, &args);
    without_seconds(&folder.join("mine.json"));
    std::fs::create_dir_all(folder.join("a-folder.json")).expect("folder");
    let onto_folder = mlcsc(
        &folder,
        1,
        &campaign_args("theorem2-soft", "5", "a-folder.json", &["--overwrite"]),
    );
    assert_eq!(onto_folder.status.code(), Some(2));
    assert!(folder.join("a-folder.json").is_dir());
}

#[test]
fn verify_report_refuses_a_non_empty_folder_and_fills_an_empty_one() {
    let folder = scratch("verify");
    std::fs::create_dir_all(folder.join("occupied")).expect("folder");
    std::fs::write(folder.join("occupied/notes.txt"), "keep\n").expect("write");
    let refused = mlcsc(
        &folder,
        2,
        &["verify", "--scale", "0.01", "--report", "occupied"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    let left: Vec<_> = std::fs::read_dir(folder.join("occupied"))
        .expect("folder")
        .collect();
    assert_eq!(left.len(), 1, "verify wrote into a non-empty folder");
    std::fs::create_dir_all(folder.join("empty")).expect("folder");
    succeed(
        &folder,
        2,
        &["verify", "--scale", "0.01", "--report", "empty"],
    );
    assert!(folder.join("empty/summary.json").exists());
    let again = mlcsc(
        &folder,
        2,
        &["verify", "--scale", "0.01", "--report", "empty"],
    );
    assert_eq!(
        again.status.code(),
        Some(2),
        "verify reused its own report folder"
    );
    // Without --report: a fresh folder each time, never an existing one.
    succeed(&folder, 2, &["verify", "--scale", "0.01"]);
    succeed(&folder, 2, &["verify", "--scale", "0.01"]);
    assert!(
        folder.join("mlcsc-report/summary.json").exists()
            && folder.join("mlcsc-report-2/summary.json").exists()
    );
}

#[test]
fn counterexamples_are_never_overwritten() {
    let folder = scratch("counterexamples");
    let args = [
        "campaign",
        "theorem2-without-contrast-term",
        "--cases",
        "30",
        "--save",
        "1",
        "--counterexamples",
        "saved",
        "--json",
    ];
    let saved_path = |output: &Output| -> PathBuf {
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        folder.join(
            document["counterexamples"][0]
                .as_str()
                .expect("a counterexample was saved"),
        )
    };
    let first = saved_path(&succeed(&folder, 2, &args));
    let content = std::fs::read(&first).expect("saved");
    let second = saved_path(&succeed(&folder, 2, &args));
    assert_ne!(first, second, "the second save reused the first name");
    assert!(
        second.to_string_lossy().ends_with("-2.json"),
        "{}",
        second.display()
    );
    assert_eq!(
        std::fs::read(&first).expect("first"),
        content,
        "the first counterexample was changed"
    );
    assert_eq!(
        std::fs::read(&second).expect("second"),
        content,
        "the same case shrinks to the same file"
    );
}
