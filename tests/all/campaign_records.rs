//! Records read back are checked, never trusted (issue 25): a checkpoint or shard record is
//! validated by value (its entry's own hypotheses and layers, the tightness in its range,
//! `certified` as its arithmetic decides, the entry's status), and a sample is decided again
//! from the seed; a refusal names the file and the line and exits 2. Also: merge does not warn
//! on genuine shards, takes a folder and names missing shards; temporary files left by a kill
//! are removed; and a byte-mutation fuzz of checkpoints.

use std::path::{Path, PathBuf};
use std::process::Output;

use mlcsc::campaign::{Arithmetic, CampaignSettings, Shard, Statistics, run_campaign};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("campaign-records")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("scratch folder");
    path
}

fn run(folder: &Path, args: &[&str]) -> Output {
    crate::common::cli::run_in(folder, args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeed(folder: &Path, args: &[&str]) -> Output {
    let output = run(folder, args);
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{args:?}: {}",
        stderr(&output)
    );
    output
}

/// `mlcsc ARGS` must exit 2 naming every word.
fn refused(folder: &Path, args: &[&str], words: &[&str]) {
    let output = run(folder, args);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
    for word in words {
        assert!(
            message.contains(word),
            "{args:?}: {word:?} not in {message}"
        );
    }
}

/// The checkpoint of `theorem2-soft`, 40 cases, seed 7, as lines.
fn genuine_checkpoint(folder: &Path) -> Vec<String> {
    succeed(
        folder,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "40",
            "--seed",
            "7",
            "--save",
            "0",
            "--checkpoint",
            "genuine.jsonl",
        ],
    );
    let text = std::fs::read_to_string(folder.join("genuine.jsonl")).expect("checkpoint");
    text.lines().map(str::to_string).collect()
}

/// The line (from 0) of the first record with this verdict.
fn first_line(lines: &[String], verdict: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(&format!("\"verdict\":\"{verdict}\"")))
        .unwrap_or_else(|| panic!("no {verdict} record"))
}

fn edited(lines: &[String], k: usize, edit: &dyn Fn(&mut serde_json::Value)) -> String {
    let mut out = lines.to_vec();
    let mut record: serde_json::Value = serde_json::from_str(&out[k]).expect("record");
    edit(&mut record);
    out[k] = record.to_string();
    out.join("\n") + "\n"
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "a table of edited records, each refused with its line named"
)]
fn checkpoint_records_are_validated_by_value_and_rechecked_naming_the_line() {
    let folder = scratch("by-value");
    let lines = genuine_checkpoint(&folder);
    let holds = first_line(&lines, "holds");
    let vacuous = first_line(&lines, "vacuous");
    let line = |k: usize| format!("line {}", k + 1);
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        (
            "tightness-5.jsonl",
            edited(&lines, holds, &|r| r["tightness"] = 5.0.into()),
            vec![line(holds), "tightness 5".into(), "at most 1".into()],
        ),
        (
            "tightness-minus-3.jsonl",
            edited(&lines, holds, &|r| r["tightness"] = (-3.0).into()),
            vec![line(holds), "tightness -3".into(), "negative".into()],
        ),
        (
            "layer9.jsonl",
            edited(&lines, vacuous, &|r| {
                r["failed-hypothesis"] = "a-layer9".into()
            }),
            vec![line(vacuous), "a-layer9".into(), "layer 9".into()],
        ),
        (
            "no-such-hypothesis.jsonl",
            edited(&lines, vacuous, &|r| {
                r["failed-hypothesis"] = "stripe-budget-layer1".into()
            }),
            vec![line(vacuous), "has no hypothesis \"stripe-budget\"".into()],
        ),
        (
            "certified.jsonl",
            edited(&lines, holds, &|r| r["certified"] = false.into()),
            vec![line(holds), "certified is false".into(), "exact".into()],
        ),
        (
            "undecided-x.jsonl",
            edited(&lines, holds, &|r| {
                r["verdict"] = "undecided".into();
                r["tightness"] = serde_json::Value::Null;
                r["witness"] = "x".into();
            }),
            vec![line(holds), "witness \"x\"".into()],
        ),
        (
            "tightness-in-range.jsonl",
            edited(&lines, holds, &|r| {
                let t = r["tightness"].as_f64().expect("a tightness");
                r["tightness"] = (t * 0.999).into();
            }),
            vec![line(holds), "check does not match".into()],
        ),
        (
            "tightness-in-range-without-check.jsonl",
            edited(&lines, holds, &|r| {
                let t = r["tightness"].as_f64().expect("a tightness");
                r["tightness"] = (t * 0.999).into();
                r.as_object_mut().expect("a record").remove("check");
            }),
            vec![line(holds), "deciding it again".into(), "tightness".into()],
        ),
    ];
    for (name, content, words) in &cases {
        std::fs::write(folder.join(name), content).expect("write");
        let started = std::time::Instant::now();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        refused(
            &folder,
            &[
                "campaign",
                "theorem2-soft",
                "--cases",
                "40",
                "--seed",
                "7",
                "--save",
                "0",
                "--checkpoint",
                name,
                "--report",
                "refused.json",
            ],
            &[&[*name][..], &words].concat(),
        );
        eprintln!(
            "{name}: refused in {:.2} s",
            started.elapsed().as_secs_f64()
        );
        assert_eq!(
            &std::fs::read_to_string(folder.join(name)).expect("kept"),
            content
        );
        assert!(!folder.join("refused.json").exists());
    }
}

#[test]
fn a_checkpoint_of_another_campaign_is_described_in_words_with_shards_from_one() {
    let folder = scratch("mismatch");
    succeed(
        &folder,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "8",
            "--shard",
            "1/2",
            "--save",
            "0",
            "--checkpoint",
            "c.jsonl",
        ],
    );
    refused(
        &folder,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "8",
            "--shard",
            "2/2",
            "--save",
            "0",
            "--checkpoint",
            "c.jsonl",
        ],
        &["shard 1/2", "shard 2/2", "8 cases", "exact arithmetic"],
    );
    let output = run(
        &folder,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "8",
            "--shard",
            "2/2",
            "--checkpoint",
            "c.jsonl",
        ],
    );
    for debug in ["CampaignSettings", "Shard {", "index:"] {
        assert!(!stderr(&output).contains(debug), "{}", stderr(&output));
    }
}

/// Three shards of `theorem2-soft`, 30 cases, seed 7.
fn three_shards(folder: &Path) {
    for number in 1..=3 {
        succeed(
            folder,
            &[
                "campaign",
                "theorem2-soft",
                "--cases",
                "30",
                "--seed",
                "7",
                "--save",
                "0",
                "--shard",
                &format!("{number}/3"),
                "--report",
                &format!("shard-{number}.json"),
            ],
        );
    }
}

fn edit_report(folder: &Path, from: &str, to: &str, edit: &dyn Fn(&mut serde_json::Value)) {
    let text = std::fs::read_to_string(folder.join(from)).expect("report");
    let mut report: serde_json::Value = serde_json::from_str(&text).expect("json");
    edit(&mut report);
    let text = serde_json::to_string_pretty(&report).expect("json");
    std::fs::write(folder.join(to), text).expect("write");
}

#[test]
fn shards_relabelled_as_another_entry_or_edited_within_range_are_refused_by_merge() {
    let folder = scratch("merge-relabelled");
    three_shards(&folder);
    for number in 1..=3 {
        edit_report(
            &folder,
            &format!("shard-{number}.json"),
            &format!("relabelled-{number}.json"),
            &|r| {
                r["conjecture"] = "theorem2-without-contrast-term".into();
                r["status"] = "known-false".into();
            },
        );
    }
    let started = std::time::Instant::now();
    refused(
        &folder,
        &[
            "merge",
            "relabelled-1.json",
            "relabelled-2.json",
            "relabelled-3.json",
            "--report",
            "merged.json",
        ],
        &["relabelled-1.json line", "deciding it again"],
    );
    eprintln!(
        "relabelled shards: refused in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // The status alone relabelled.
    edit_report(&folder, "shard-1.json", "status.json", &|r| {
        r["status"] = "known-false".into()
    });
    refused(
        &folder,
        &[
            "merge",
            "status.json",
            "shard-2.json",
            "shard-3.json",
            "--report",
            "merged.json",
        ],
        &["status.json", "known-false", "theorem"],
    );
    // A margin changed within its range: found by the re-check, with its line.
    edit_report(&folder, "shard-2.json", "margin.json", &|r| {
        let margins = r["records"][4]["margins"]
            .as_object_mut()
            .expect("margins are an object");
        let margin = margins.values_mut().next().expect("a margin");
        *margin = (margin.as_f64().expect("a margin") * 0.5).into();
    });
    let text = std::fs::read_to_string(folder.join("margin.json")).expect("report");
    let record_line = text
        .lines()
        .enumerate()
        .filter(|(k, l)| *k > 0 && l.trim() == "{")
        .nth(4)
        .map(|(k, _)| k + 1)
        .expect("the fifth record");
    for recheck in ["sample", "all"] {
        refused(
            &folder,
            &[
                "merge",
                "shard-1.json",
                "margin.json",
                "shard-3.json",
                "--recheck",
                recheck,
                "--report",
                "merged.json",
            ],
            &[&format!("margin.json line {record_line}"), "margins"],
        );
    }
    assert!(!folder.join("merged.json").exists());
}

/// Re-decided in the arithmetic the report says: `f64` shards relabelled `exact` are refused
/// (their screened cases are not certified), and genuine `f64` shards merge.
#[test]
fn f64_shards_relabelled_as_exact_are_refused() {
    let folder = scratch("merge-arithmetic");
    for number in 1..=2 {
        succeed(
            &folder,
            &[
                "campaign",
                "theorem2-soft",
                "--cases",
                "40",
                "--seed",
                "7",
                "--save",
                "0",
                "--arithmetic",
                "f64",
                "--shard",
                &format!("{number}/2"),
                "--report",
                &format!("f64-{number}.json"),
            ],
        );
        edit_report(
            &folder,
            &format!("f64-{number}.json"),
            &format!("exact-{number}.json"),
            &|r| r["settings"]["arithmetic"] = "exact".into(),
        );
    }
    succeed(
        &folder,
        &[
            "merge",
            "f64-1.json",
            "f64-2.json",
            "--recheck",
            "all",
            "--report",
            "f64.json",
        ],
    );
    refused(
        &folder,
        &[
            "merge",
            "exact-1.json",
            "exact-2.json",
            "--report",
            "exact.json",
        ],
        &[
            "exact-1.json line",
            "certified is false",
            "exact arithmetic",
        ],
    );
}

#[test]
fn genuine_shards_merge_without_a_warning_from_a_list_or_a_folder() {
    let folder = scratch("merge-genuine");
    let shards = folder.join("shards");
    std::fs::create_dir_all(&shards).expect("folder");
    for number in 1..=9 {
        succeed(
            &shards,
            &[
                "campaign",
                "theorem2-soft",
                "--cases",
                "900",
                "--save",
                "0",
                "--shard",
                &format!("{number}/9"),
                "--report",
                &format!("shard-{number}.json"),
            ],
        );
    }
    succeed(
        &folder,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "900",
            "--save",
            "0",
            "--report",
            "whole.json",
        ],
    );
    let listed: Vec<String> = (1..=9).map(|n| format!("shards/shard-{n}.json")).collect();
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(listed.iter().map(String::as_str));
    args.extend(["--report", "from-list.json", "--recheck", "all"]);
    let output = succeed(&folder, &args);
    assert_eq!(stderr(&output), "", "genuine shards gave a warning");
    let output = succeed(
        &folder,
        &["merge", "shards", "--report", "from-folder.json"],
    );
    assert_eq!(stderr(&output), "");
    let without_seconds = |name: &str| {
        let mut report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(folder.join(name)).expect("report"))
                .expect("json");
        report["seconds"] = 0.into();
        report
    };
    assert_eq!(
        without_seconds("from-list.json"),
        without_seconds("whole.json")
    );
    assert_eq!(
        without_seconds("from-folder.json"),
        without_seconds("whole.json")
    );
    std::fs::remove_file(shards.join("shard-4.json")).expect("remove");
    std::fs::remove_file(shards.join("shard-7.json")).expect("remove");
    refused(
        &folder,
        &["merge", "shards", "--report", "incomplete.json"],
        &["shards 4/9, 7/9 are missing"],
    );
}

#[test]
fn a_temporary_file_left_by_a_killed_run_is_removed_by_the_next_run_in_its_folder() {
    let folder = scratch("abandoned-partial");
    let left = folder.join(".mlcsc-killed.partial");
    let file = std::fs::File::create(&left).expect("create");
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
        .expect("mtime");
    drop(file);
    succeed(
        &folder,
        &[
            "campaign",
            "theorem2-soft",
            "--cases",
            "3",
            "--save",
            "0",
            "--report",
            "r.json",
        ],
    );
    assert!(
        !left.exists(),
        "the abandoned temporary file is still there"
    );
    assert!(folder.join("r.json").exists());
}

/// Statistics of `theorem2-soft`, `cases` cases, seed 7, resumed from a checkpoint at `path`:
/// `Err` when refused.
fn resumed_statistics(path: &Path, cases: u64) -> Result<Statistics, String> {
    let entry = mlcsc::conjecture::find("theorem2-soft").expect("registered");
    let settings = CampaignSettings {
        cases,
        seed: 7,
        shard: Shard::WHOLE,
        arithmetic: Arithmetic::Exact,
    };
    // A child process that another test of this binary forks while the checkpoint is locked
    // holds a copy of the lock until it execs (a few milliseconds): "in use" is retried.
    for _ in 0..100 {
        match run_campaign(entry.as_ref(), settings, Some(path), &|| {}) {
            Err(e) if e.contains("is in use") => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result.map(|r| r.statistics),
        }
    }
    Err(format!("{}: locked for 2 s", path.display()))
}

/// A byte-mutation fuzz of checkpoints of 40 cases (every record re-decided on resume) and of
/// 400 (a sample of 64 re-decided, the line checks finding the rest): each mutant (one byte
/// replaced by a random byte, a digit or a JSON character) is resumed, and one that is
/// accepted must give the statistics of the genuine checkpoint. `MLCSC_CHECKPOINT_MUTANTS` sets
/// how many per checkpoint (default 200).
#[test]
fn no_accepted_checkpoint_mutant_changes_the_statistics() {
    let folder = scratch("fuzz");
    let mutants: usize = std::env::var("MLCSC_CHECKPOINT_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut rng = ChaCha8Rng::seed_from_u64(25);
    for cases in [40u64, 400] {
        let genuine_path = folder.join(format!("genuine-{cases}.jsonl"));
        let written = resumed_statistics(&genuine_path, cases).expect("a new checkpoint");
        let genuine_resumed = resumed_statistics(&genuine_path, cases);
        let genuine = std::fs::read(&genuine_path).expect("checkpoint");
        let expected = genuine_resumed.expect("genuine resumes");
        assert_eq!(written, expected);
        let (mut accepted, mut changed, mut unchanged_bytes) = (0, Vec::new(), 0);
        let path = folder.join("mutant.jsonl");
        for k in 0..mutants {
            let mut bytes = genuine.clone();
            let at = rng.random_range(0..bytes.len());
            let replacement = match rng.random_range(0..3) {
                0 => rng.random::<u8>(),
                1 => b"0123456789"[rng.random_range(0..10)],
                _ => b"-.e,:\"{}[]ntf "[rng.random_range(0..14)],
            };
            if bytes[at] == replacement {
                unchanged_bytes += 1;
                continue;
            }
            bytes[at] = replacement;
            std::fs::write(&path, &bytes).expect("write");
            if let Ok(statistics) = resumed_statistics(&path, cases) {
                accepted += 1;
                if statistics != expected {
                    changed.push((k, at, replacement as char));
                }
            }
        }
        eprintln!(
            "checkpoint fuzz, {cases} cases: {mutants} mutants ({unchanged_bytes} left the byte as it was), {accepted} accepted, {} accepted with other statistics",
            changed.len()
        );
        assert!(
            changed.is_empty(),
            "{cases} cases: mutants (number, byte, new) accepted with other statistics: {changed:?}"
        );
    }
}
