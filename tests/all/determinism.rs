//! Determinism, resumption and the safety of files (issue 8; README.md, "Robustness"), through
//! the `mlcsc` binary: case `k` of a campaign depends on `(seed, k)` alone, so reports are
//! byte-identical (the `seconds` field aside) whatever the thread count and however often they
//! are run; a run killed with `kill -9` resumes from its checkpoint to the report of an
//! uninterrupted run; shards merge to the unsharded report; and no command replaces a file
//! or folder the user already has unless told to.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

// Runs that are killed, raced or limited by a shell are spawned with std::process (snapbox
// only runs a command to its end).
use crate::common::cli::BINARY;
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("determinism")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("scratch folder");
    path
}

fn mlcsc(folder: &Path, threads: usize, args: &[&str]) -> Output {
    crate::common::cli::command()
        .args(args)
        .current_dir(folder)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("the binary runs")
}

fn succeed(folder: &Path, threads: usize, args: &[&str]) -> Output {
    let output = mlcsc(folder, threads, args);
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
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
        // The campaign stops making progress after its 21st record, so the kill below lands at a
        // known point rather than racing the run to its end.
        .env("MLCSC_PAUSE_AFTER_CHECKPOINT_RECORDS", "21")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        let lines = std::fs::read_to_string(&checkpoint).map_or(0, |t| t.lines().count());
        if lines > 21 {
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
        std::thread::sleep(Duration::from_millis(10));
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
        for number in 1..=count {
            let shard = format!("{number}/{count}");
            let report = format!("shard-{number}-of-{count}.json");
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
            "shard-1-of-2.json",
            "shard-1-of-2.json",
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
            "shard-1-of-3.json",
            "shard-2-of-3.json",
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
    // --overwrite replaces only a report mlcsc wrote, never the user's own file.
    let mut args = args;
    args.push("--overwrite");
    let refused = mlcsc(&folder, 1, &args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a file mlcsc wrote"));
    assert_eq!(
        std::fs::read_to_string(folder.join("mine.json")).expect("file"),
        "the user's own file\n"
    );
    std::fs::remove_file(folder.join("mine.json")).expect("removed");
    succeed(
        &folder,
        1,
        &campaign_args("theorem2-soft", "4", "mine.json", &[]),
    );
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
    // Without --report: verify's own earlier report is replaced, never another folder
    // (tests/all/output_folders.rs, verify_replaces_only_its_own_report).
    succeed(&folder, 2, &["verify", "--scale", "0.01"]);
    succeed(&folder, 2, &["verify", "--scale", "0.01"]);
    assert!(folder.join("mlcsc-report/summary.json").exists());
    assert!(!folder.join("mlcsc-report-2").exists());
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

/// Runs `mlcsc` under a limit on the size of any file it writes (`ulimit -f`, in blocks of
/// 512 bytes, with `SIGXFSZ` ignored so that a write past it fails as on a full disk).
fn mlcsc_with_file_limit(folder: &Path, blocks: u64, args: &[&str]) -> Output {
    Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(BINARY)
        .args(args)
        .current_dir(folder)
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .expect("sh runs")
}

/// The names of the leftover temporary files in a folder.
fn partial_files(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".partial"))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_write_that_fails_like_a_full_disk_keeps_the_old_report_and_stops_a_checkpointed_run() {
    if !Path::new("/bin/sh").exists() {
        return;
    }
    let folder = scratch("disk-full");
    // --overwrite onto an old report, with room for 20 KiB per file: the new report (about
    // 60 KiB) cannot be written, and the old one stays whole.
    succeed(
        &folder,
        1,
        &campaign_args("theorem2-soft", "5", "report.json", &[]),
    );
    let old = std::fs::read(folder.join("report.json")).expect("old report");
    let failed = mlcsc_with_file_limit(
        &folder,
        40,
        &campaign_args("theorem2-soft", "60", "report.json", &["--overwrite"]),
    );
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert_eq!(
        std::fs::read(folder.join("report.json")).expect("report"),
        old,
        "the old report was changed"
    );
    assert!(
        partial_files(&folder).is_empty(),
        "{:?}",
        partial_files(&folder)
    );
    // merge --overwrite alike.
    for number in 1..=2 {
        succeed(
            &folder,
            1,
            &campaign_args(
                "theorem2-soft",
                "60",
                &format!("shard-{number}.json"),
                &["--shard", &format!("{number}/2")],
            ),
        );
    }
    let merge = [
        "merge",
        "shard-1.json",
        "shard-2.json",
        "--report",
        "report.json",
        "--overwrite",
    ];
    let failed = mlcsc_with_file_limit(&folder, 40, &merge);
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert_eq!(std::fs::read(folder.join("report.json")).expect("r"), old);
    assert!(partial_files(&folder).is_empty());
    // A checkpoint that stops growing at 10 KiB: the run stops with exit 2 and says why,
    // writes no report, and a rerun with room resumes to the uninterrupted report.
    let args = campaign_args(
        "theorem2-soft",
        "100",
        "resumed.json",
        &["--checkpoint", "checkpoint.jsonl"],
    );
    let stopped = mlcsc_with_file_limit(&folder, 20, &args);
    assert_eq!(stopped.status.code(), Some(2), "{}", stderr(&stopped));
    assert!(
        stderr(&stopped).contains("could not be written") && stderr(&stopped).contains("resume"),
        "{}",
        stderr(&stopped)
    );
    assert!(!folder.join("resumed.json").exists());
    let (kept, _) = checkpoint_cases(&folder.join("checkpoint.jsonl"), false);
    assert!(kept < 100, "{kept}");
    succeed(&folder, 2, &args);
    succeed(
        &folder,
        2,
        &campaign_args("theorem2-soft", "100", "whole.json", &[]),
    );
    assert_eq!(
        without_seconds(&folder.join("resumed.json")),
        without_seconds(&folder.join("whole.json"))
    );
}

#[test]
fn a_checkpoint_locked_by_a_running_campaign_is_refused_with_exit_2() {
    use fs4::FileExt;
    let folder = scratch("locked");
    let args = campaign_args(
        "theorem2-soft",
        "10",
        "first.json",
        &["--checkpoint", "checkpoint.jsonl"],
    );
    succeed(&folder, 1, &args);
    let before = std::fs::read(folder.join("checkpoint.jsonl")).expect("checkpoint");
    // This test holds the lock, as a running campaign does.
    let held = std::fs::File::open(folder.join("checkpoint.jsonl")).expect("open");
    FileExt::try_lock(&held).expect("locked");
    let mut second = args.clone();
    second[9] = "second.json";
    let refused = mlcsc(&folder, 1, &second);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("in use"), "{}", stderr(&refused));
    assert!(refused.stdout.is_empty());
    assert_eq!(
        std::fs::read(folder.join("checkpoint.jsonl")).expect("checkpoint"),
        before
    );
    assert!(!folder.join("second.json").exists());
    drop(held);
    succeed(&folder, 1, &second);
    assert_eq!(
        without_seconds(&folder.join("first.json")),
        without_seconds(&folder.join("second.json"))
    );
}

#[test]
fn two_campaigns_started_together_on_one_checkpoint_never_mix() {
    let folder = scratch("race");
    succeed(
        &folder,
        1,
        &campaign_args("theorem2-soft", "30", "seed7.json", &[]),
    );
    let mut clean8 = campaign_args("theorem2-soft", "30", "seed8.json", &[]);
    clean8[5] = "8";
    succeed(&folder, 1, &clean8);
    for trial in 0..6 {
        let checkpoint = format!("checkpoint-{trial}.jsonl");
        let spawn = |seed: &str| {
            let mut args = campaign_args(
                "theorem2-soft",
                "30",
                "unused.json",
                &["--checkpoint", &checkpoint],
            );
            args[5] = seed;
            args.truncate(8);
            args.extend(["--checkpoint", &checkpoint]);
            Command::new(BINARY)
                .args(&args)
                .current_dir(&folder)
                .env("RAYON_NUM_THREADS", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (spawn("7"), spawn("8"));
        let (a, b) = (
            a.wait_with_output().expect("a"),
            b.wait_with_output().expect("b"),
        );
        let codes = (a.status.code(), b.status.code());
        assert!(
            matches!(codes, (Some(0), Some(2)) | (Some(2), Some(0))),
            "trial {trial}: exit codes {codes:?}: {} / {}",
            stderr(&a),
            stderr(&b)
        );
        let loser = if codes.0 == Some(2) { &a } else { &b };
        assert!(
            stderr(loser).contains("in use") || stderr(loser).contains("another campaign"),
            "{}",
            stderr(loser)
        );
        // One header and the winner's 30 records, which resume to the winner's clean report.
        let text = std::fs::read_to_string(folder.join(&checkpoint)).expect("checkpoint");
        assert_eq!(text.lines().count(), 31, "trial {trial}");
        let winner = if codes.0 == Some(0) { "7" } else { "8" };
        let mut resume = campaign_args(
            "theorem2-soft",
            "30",
            "resumed.json",
            &["--checkpoint", &checkpoint, "--overwrite"],
        );
        resume[5] = winner;
        succeed(&folder, 1, &resume);
        assert_eq!(
            without_seconds(&folder.join("resumed.json")),
            without_seconds(&folder.join(format!("seed{winner}.json"))),
            "trial {trial}"
        );
    }
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "a table of checkpoint edits, each refused with the file left unchanged"
)]
fn edited_checkpoints_are_refused_naming_the_line_and_left_unchanged() {
    let folder = scratch("edited-checkpoint");
    // Shard 1/2 of 24 cases: cases 0, 2, 4, …
    let args = |report: &'static str, checkpoint: &'static str| {
        campaign_args(
            "theorem2-soft",
            "24",
            report,
            &["--shard", "1/2", "--checkpoint", checkpoint],
        )
    };
    succeed(&folder, 1, &args("clean.json", "clean.jsonl"));
    let text = std::fs::read_to_string(folder.join("clean.jsonl")).expect("checkpoint");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 13);
    let with_line = |k: usize, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut out = lines.clone();
        let mut record: serde_json::Value = serde_json::from_str(&out[k]).expect("record");
        edit(&mut record);
        out[k] = record.to_string();
        out.join("\n") + "\n"
    };
    let report = std::fs::read_to_string(folder.join("clean.json")).expect("report");
    let minified = serde_json::from_str::<serde_json::Value>(&report)
        .expect("json")
        .to_string()
        + "\n";
    let mut duplicated = lines.clone();
    duplicated.insert(6, lines[3].clone());
    let mut corrupt = lines.clone();
    corrupt[5] = "{\"case\": 8, \"verdict\": ".into();
    let edits: Vec<(&str, String, &[&str])> = vec![
        (
            "outside.jsonl",
            with_line(4, &|r| r["case"] = 5000.into()),
            &["line 5", "5000", "outside"],
        ),
        (
            "other-shard.jsonl",
            with_line(4, &|r| r["case"] = 7.into()),
            &["line 5", "case 7", "shard 2/2"],
        ),
        (
            "banana.jsonl",
            with_line(2, &|r| r["verdict"] = "banana".into()),
            &["line 3", "banana"],
        ),
        (
            "inconsistent.jsonl",
            with_line(2, &|r| r["verdict"] = "violated".into()),
            &["line 3", "violated", "does not match"],
        ),
        (
            "duplicate.jsonl",
            duplicated.join("\n") + "\n",
            &["line 7", "twice"],
        ),
        (
            "corrupt-middle.jsonl",
            corrupt.join("\n") + "\n",
            &["line 6", "not a case record"],
        ),
        (
            "report.jsonl",
            minified,
            &["not a checkpoint", "unknown field"],
        ),
    ];
    for (name, content, words) in &edits {
        std::fs::write(folder.join(name), content).expect("write");
        let mut run = args("refused.json", "placeholder");
        let at = run.len() - 1;
        run[at] = name;
        let output = mlcsc(&folder, 1, &run);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        for word in *words {
            assert!(
                stderr(&output).contains(word),
                "{name}: {word:?} in {}",
                stderr(&output)
            );
        }
        assert_eq!(
            &std::fs::read_to_string(folder.join(name)).expect("kept"),
            content,
            "{name} was changed"
        );
        assert!(!folder.join("refused.json").exists());
    }
    // A last record whose newline was never written is dropped, not padded, and rerun.
    std::fs::write(
        folder.join("no-newline.jsonl"),
        text.strip_suffix('\n').expect("newline"),
    )
    .expect("write");
    succeed(&folder, 1, &args("resumed.json", "no-newline.jsonl"));
    let resumed = std::fs::read(folder.join("no-newline.jsonl")).expect("checkpoint");
    assert!(!resumed.contains(&0), "a NUL byte was written");
    assert_eq!(String::from_utf8(resumed).expect("utf-8"), text);
    assert_eq!(
        without_seconds(&folder.join("resumed.json")),
        without_seconds(&folder.join("clean.json"))
    );
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "a table of bad output paths, each refused before any case runs"
)]
fn bad_output_paths_are_refused_before_any_case_runs() {
    let folder = scratch("output-paths");
    std::fs::write(folder.join("target.json"), "the user's file\n").expect("write");
    std::fs::write(folder.join("a-file"), "a file\n").expect("write");
    std::fs::write(folder.join("empty-target.jsonl"), "").expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("target.json", folder.join("link.json")).expect("link");
        std::os::unix::fs::symlink("nowhere.json", folder.join("dangling.json")).expect("link");
        std::os::unix::fs::symlink("empty-target.jsonl", folder.join("link.jsonl")).expect("link");
    }
    // Each would run 10^5 cases (minutes) if the path were checked after the work.
    let mut cases: Vec<(Vec<&str>, &[&str])> = vec![
        (
            campaign_args("theorem2-soft", "100000", "target.json", &[]),
            &["target.json", "exists", "--overwrite"],
        ),
        (
            campaign_args(
                "theorem2-soft",
                "100000",
                "same.json",
                &["--checkpoint", "./same.json"],
            ),
            &["same file"],
        ),
        (
            vec![
                "campaign",
                "theorem2-without-contrast-term",
                "--cases",
                "100000",
                "--report",
                "r.json",
                "--counterexamples",
                "a-file",
            ],
            &["--counterexamples", "a-file", "not a folder"],
        ),
    ];
    if Path::new("/dev/null").exists() {
        cases.push((
            campaign_args("theorem2-soft", "100000", "/dev/null", &["--overwrite"]),
            &["/dev/null", "not a regular file"],
        ));
        cases.push((
            vec![
                "merge",
                "target.json",
                "--report",
                "/dev/null",
                "--overwrite",
            ],
            &["/dev/null", "not a regular file"],
        ));
    }
    if cfg!(unix) {
        cases.push((
            campaign_args("theorem2-soft", "100000", "link.json", &["--overwrite"]),
            &["link.json", "symbolic link"],
        ));
        cases.push((
            campaign_args("theorem2-soft", "100000", "dangling.json", &[]),
            &["dangling.json", "symbolic link"],
        ));
        cases.push((
            campaign_args(
                "theorem2-soft",
                "100000",
                "r.json",
                &["--checkpoint", "link.jsonl"],
            ),
            &["link.jsonl", "symbolic link"],
        ));
    }
    for (args, words) in &cases {
        let started = Instant::now();
        let output = mlcsc(&folder, 2, args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{args:?} ran cases first"
        );
        for word in *words {
            assert!(
                stderr(&output).contains(word),
                "{args:?}: {word:?} in {}",
                stderr(&output)
            );
        }
        assert!(output.stdout.is_empty());
    }
    assert_eq!(
        std::fs::read_to_string(folder.join("target.json")).expect("t"),
        "the user's file\n"
    );
    assert_eq!(
        std::fs::read(folder.join("empty-target.jsonl")).expect("e"),
        b""
    );
    for absent in ["same.json", "r.json", "nowhere.json"] {
        assert!(!folder.join(absent).exists(), "{absent}");
    }
    if cfg!(unix) {
        assert!(
            std::fs::symlink_metadata(folder.join("link.jsonl"))
                .expect("link")
                .file_type()
                .is_symlink()
        );
    }
}

/// A checkpoint of an earlier format (`mlcsc-campaign-2`) is refused before any work, with
/// the format named and what to do, and is left as it was.
#[test]
fn a_checkpoint_of_an_earlier_format_is_refused_with_the_reason() {
    let folder = scratch("earlier-checkpoint");
    succeed(
        &folder,
        1,
        &campaign_args(
            "theorem2-soft",
            "30",
            "first.json",
            &["--checkpoint", "checkpoint.jsonl"],
        ),
    );
    let path = folder.join("checkpoint.jsonl");
    let text = std::fs::read_to_string(&path).expect("checkpoint");
    let (header, records) = text.split_once('\n').expect("a header line");
    let mut header: serde_json::Value = serde_json::from_str(header).expect("JSON");
    header["format"] = "mlcsc-campaign-2".into();
    let earlier = format!("{header}\n{records}");
    std::fs::write(&path, &earlier).expect("write");
    let output = mlcsc(
        &folder,
        1,
        &campaign_args(
            "theorem2-soft",
            "30",
            "resumed.json",
            &["--checkpoint", "checkpoint.jsonl"],
        ),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    for word in [
        "mlcsc-campaign-2",
        "earlier version",
        "run the campaign again",
    ] {
        assert!(
            stderr(&output).contains(word),
            "{word:?} in {}",
            stderr(&output)
        );
    }
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), earlier);
    assert!(!folder.join("resumed.json").exists());
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one merge scenario: the files it writes are read by its later steps"
)]
fn merge_validates_records_and_recomputes_statistics() {
    let folder = scratch("merge-validation");
    for number in 1..=3 {
        succeed(
            &folder,
            1,
            &campaign_args(
                "theorem2-soft",
                "30",
                &format!("shard-{number}.json"),
                &["--shard", &format!("{number}/3")],
            ),
        );
    }
    succeed(
        &folder,
        1,
        &campaign_args("theorem2-soft", "30", "whole.json", &[]),
    );
    let edit = |name: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let text = std::fs::read_to_string(folder.join("shard-1.json")).expect("shard");
        let mut report: serde_json::Value = serde_json::from_str(&text).expect("json");
        change(&mut report);
        std::fs::write(
            folder.join(name),
            serde_json::to_string_pretty(&report).expect("json"),
        )
        .expect("write");
    };
    edit("renumbered.json", &|r| {
        r["records"][0]["case"] = 100000.into()
    });
    edit("banana.json", &|r| {
        r["records"][0]["verdict"] = "banana".into()
    });
    edit("unregistered.json", &|r| {
        r["conjecture"] = "theorem2-imagined".into()
    });
    edit("relabelled.json", &|r| {
        r["settings"]["shard"] = "2/3".into()
    });
    edit("statistics.json", &|r| {
        r["statistics"]["cases"] = 301.into()
    });
    edit("earlier-format.json", &|r| {
        r["format"] = "mlcsc-campaign-1".into()
    });
    let merge = |first: &str, out: &str| {
        mlcsc(
            &folder,
            1,
            &[
                "merge",
                first,
                "shard-2.json",
                "shard-3.json",
                "--report",
                out,
            ],
        )
    };
    for (first, words) in [
        (
            "renumbered.json",
            &["renumbered.json", "100000", "outside"][..],
        ),
        ("banana.json", &["banana.json", "banana"][..]),
        (
            "unregistered.json",
            &["theorem2-imagined", "not a registered"][..],
        ),
        (
            "relabelled.json",
            &["relabelled.json", "shard 1/3", "not to shard 2/3"][..],
        ),
        (
            "earlier-format.json",
            &["earlier-format.json", "mlcsc-campaign-1", "earlier version"][..],
        ),
    ] {
        let output = merge(first, "refused.json");
        assert_eq!(
            output.status.code(),
            Some(2),
            "{first}: {}",
            stderr(&output)
        );
        for word in words {
            assert!(
                stderr(&output).contains(word),
                "{first}: {word:?} in {}",
                stderr(&output)
            );
        }
        assert!(!folder.join("refused.json").exists());
    }
    let warned = merge("statistics.json", "warned.json");
    assert_eq!(warned.status.code(), Some(0), "{}", stderr(&warned));
    assert!(
        stderr(&warned).contains("warning") && stderr(&warned).contains("statistics.json"),
        "{}",
        stderr(&warned)
    );
    assert_eq!(
        without_seconds(&folder.join("warned.json")),
        without_seconds(&folder.join("whole.json"))
    );
}

#[test]
fn counterexamples_go_next_to_the_report_and_exit_codes_follow_the_status() {
    let folder = scratch("conventions");
    // A known-false statement refuted: exit 0, the counterexample beside the report.
    let refuted = mlcsc(
        &folder,
        2,
        &[
            "campaign",
            "theorem2-without-contrast-term",
            "--cases",
            "30",
            "--report",
            "known-false.json",
        ],
    );
    assert_eq!(refuted.status.code(), Some(0), "{}", stderr(&refuted));
    let saved: Vec<_> = std::fs::read_dir(folder.join("known-false.json.counterexamples"))
        .expect("the counterexample folder")
        .collect();
    assert_eq!(saved.len(), 1);
    // Without --report or --counterexamples nothing is written, and the text says how.
    let quiet = mlcsc(
        &folder,
        2,
        &[
            "campaign",
            "theorem2-without-contrast-term",
            "--cases",
            "30",
        ],
    );
    assert_eq!(quiet.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&quiet.stdout).contains("--counterexamples"));
    let entries: Vec<_> = std::fs::read_dir(&folder).expect("folder").collect();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(!folder.join("fixtures").exists());
    // The same statement unrefuted in one case: exit 1.
    let unrefuted = (0..40u64).find_map(|seed| {
        let seed = seed.to_string();
        let output = mlcsc(
            &folder,
            1,
            &[
                "campaign",
                "theorem2-without-contrast-term",
                "--cases",
                "1",
                "--seed",
                &seed,
                "--json",
            ],
        );
        let document: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
        (document["statistics"]["violated"] == 0).then_some(output)
    });
    let unrefuted = unrefuted.expect("a seed whose first case is no counterexample");
    assert_eq!(unrefuted.status.code(), Some(1));
    // --cases 0 is bad input.
    let none = mlcsc(&folder, 1, &["campaign", "theorem2-soft", "--cases", "0"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("--cases 0"));
}
