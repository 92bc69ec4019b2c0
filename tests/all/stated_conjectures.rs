//! The conjectures of `examples/conjectures/`, stated with `mlcsc::conjecture::conjecture`, run
//! as tests: each is refuted or answered with a counterexample shrunk in the domain and saved;
//! a saved counterexample replays through the example's command line; the README shows
//! `hard_vs_soft.rs` as it is.

#[path = "../../examples/conjectures/basis_pursuit_under_theorem2.rs"]
mod basis_pursuit_under_theorem2;
#[path = "../../examples/conjectures/forward_pass_after_basis_pursuit.rs"]
mod forward_pass_after_basis_pursuit;
#[path = "../../examples/conjectures/hard_vs_soft.rs"]
mod hard_vs_soft;

use mlcsc::cli::run_with_args_captured;
use mlcsc::conjecture::prelude::*;

use basis_pursuit_under_theorem2::basis_pursuit_recovers_where_theorem2_holds;
use forward_pass_after_basis_pursuit::forward_pass_recovers_what_basis_pursuit_recovers;
use hard_vs_soft::hard_is_never_worse;

/// Runs a command of a binary that registers `entries`, in this process, its output captured.
fn command(args: &[&str], entries: &[&Entry]) -> i32 {
    let mut line = vec!["mlcsc"];
    line.extend_from_slice(args);
    run_with_args_captured(line, entries).code
}

#[test]
fn a_saved_counterexample_replays_with_check_theorem() {
    let conjecture = forward_pass_recovers_what_basis_pursuit_recovers();
    let found = conjecture.test().counterexample.expect("refuted");
    let path = found.saved.expect("saved");
    let file = path.to_str().expect("a UTF-8 path");
    // 1: violated, with the witness printed; the built-in entries still answer.
    assert_eq!(
        command(
            &["check", "--theorem", conjecture.name(), file],
            &[&conjecture]
        ),
        1
    );
    assert_eq!(
        command(&["check", "--theorem", "theorem2", file], &[&conjecture]),
        0
    );
    // Without the entry the name is unknown: 2, bad usage.
    assert_eq!(
        command(&["check", "--theorem", conjecture.name(), file], &[]),
        2
    );
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario through campaign, search, list and merge sharing its files"
)]
fn user_entries_run_in_campaign_search_list_and_merge_with_their_events() {
    let hard = hard_is_never_worse();
    let open = basis_pursuit_recovers_where_theorem2_holds();
    let entries: [&Entry; 2] = [&hard, &open];
    let folder = tempfile::tempdir().expect("folder");
    let report = folder.path().join("report.json");
    let report = report.to_str().expect("UTF-8");
    // Known false and refuted within 40 cases: exit 0, and a shrunk counterexample beside the
    // report.
    let code = command(
        &[
            "campaign",
            hard.name(),
            "--cases",
            "40",
            "--seed",
            "2017",
            "--report",
            report,
        ],
        &entries,
    );
    assert_eq!(code, 0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("report")).expect("JSON");
    let statistics = &written["statistics"];
    assert!(statistics["violated"].as_u64().expect("count") > 0);
    let deep = &statistics["events"]["deep"];
    assert!(deep["cases"].as_u64().expect("count") > 0, "{statistics}");
    assert!(deep["hypotheses-met"].as_u64().expect("count") <= deep["cases"].as_u64().unwrap());
    let saved = std::fs::read_dir(folder.path().join("report.json.counterexamples"))
        .expect("counterexamples saved")
        .count();
    assert_eq!(saved, 1);
    // Shards of a user entry merge (the name is known to merge).
    let shard = |i: &str| folder.path().join(format!("shard{i}.json"));
    for i in ["1", "2"] {
        let path = shard(i);
        let args = [
            "campaign",
            open.name(),
            "--cases",
            "6",
            "--seed",
            "1",
            "--shard",
            &format!("{i}/2"),
            "--report",
            path.to_str().unwrap(),
            "--save",
            "0",
        ];
        assert!([0, 1].contains(&command(&args, &entries)));
    }
    let (one, two) = (shard("1"), shard("2"));
    let merged = folder.path().join("merged.json");
    let args = [
        "merge",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
        "--report",
        merged.to_str().unwrap(),
    ];
    assert_eq!(command(&args, &entries), 0);
    // search drives a declared target; an undeclared one is bad usage.
    let search = [
        "search",
        open.name(),
        "--margin",
        "contrast",
        "--direction",
        "min",
        "--budget",
        "8",
    ];
    assert!([0, 1].contains(&command(&search, &entries)));
    let wrong = [
        "search",
        open.name(),
        "--margin",
        "nothing",
        "--budget",
        "8",
    ];
    assert_eq!(command(&wrong, &entries), 2);
    assert_eq!(command(&["list"], &entries), 0);
    // Two entries of one name are refused.
    assert_eq!(command(&["list"], &[&hard, &hard]), 2);
}

#[test]
fn the_readme_shows_the_conjecture_of_hard_vs_soft_as_it_is() {
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("## Add a conjecture").expect("the section")..];
    let start = section.find("```rust\n").expect("a rust block") + "```rust\n".len();
    let block = &section[start..start + section[start..].find("```").expect("its end")];
    assert_eq!(
        block,
        include_str!("../../examples/conjectures/hard_vs_soft.rs")
    );
}

/// Two Dirac layers, `N = 3`, `Γ_2` with two unit atoms, thresholds `1/4` and `1/2`.
fn two_dirac_layers() -> mlcsc::io::Instance<Rational> {
    let text = r#"{
        "format": "mlcsc-instance-1",
        "signal-length": 3,
        "thresholding": "soft",
        "layers": [
            {"filters": [[["1"]]], "threshold": "1/4"},
            {"filters": [[["1"]]], "threshold": "1/2"}
        ],
        "deepest-representation": [
            {"position": 0, "channel": 0, "value": "1"},
            {"position": 2, "channel": 0, "value": "1"}
        ]
    }"#;
    let file = mlcsc::io::InstanceFile::parse(text).expect("parses");
    file.to_exact().expect("valid")
}

#[test]
fn a_failed_assumption_names_its_layer_and_a_false_claim_both_values() {
    use mlcsc::theorems::verdict::Verdict;
    let r = |n: i64, d: i64| Rational::new(n.into(), d.into());
    let base = || {
        conjecture("thresholds")
            .family(Family::custom(|_| two_dirac_layers()))
            .event("two atoms", |v| v.gamma(2).count_nonzeros() == 2)
            .target("depth", |v| v.depth() as f64)
    };
    let instance = two_dirac_layers();
    let vacuous = base()
        .assume_each_layer("β below 1/3", move |l| below(l.beta, r(1, 3)))
        .check(&instance);
    let Verdict::Vacuous(failed) = &vacuous.verdict else {
        panic!("{:?}", vacuous.verdict)
    };
    assert_eq!(
        (failed.layer, failed.hypothesis.as_str()),
        (2, "β below 1/3")
    );
    assert!(
        failed.detail.contains("1/2") && failed.detail.contains("1/3"),
        "{failed:?}"
    );
    assert!(
        vacuous.margins.is_empty(),
        "targets only where the assumptions hold"
    );
    let violated = base()
        .claim_each_layer("β at most 1/4", move |l| at_most(l.beta, r(1, 4)))
        .check(&instance);
    let Verdict::Violated(witness) = &violated.verdict else {
        panic!("{:?}", violated.verdict)
    };
    assert_eq!(
        (
            witness.layer,
            witness.observed.as_str(),
            witness.bound.as_str()
        ),
        (2, "1/2", "1/4")
    );
    assert!(
        violated
            .features
            .contains(&("event:two atoms".to_string(), 1.0))
    );
    assert_eq!(violated.margins, vec![("depth".to_string(), 2.0)]);
    // The per-layer view: w_i, s_i, p_i and the estimates of the instance's pursuit.
    let holds = base()
        .claim_each_layer("quantities", |l| {
            (l.w(), l.s(), l.p(), l.n()) == (1, 1, 1, 1) && l.same_support().passed()
        })
        .check(&instance);
    assert_eq!(holds.verdict, Verdict::Holds);
}

/// A claim compares an error with `ε_i` exactly through the view's `ε` chain: Theorem 2's
/// patch bound, restated by a user, holds on every case meeting its hypotheses (some at
/// equality, where `ε_i` is irrational in general); the same bound halved is refuted.
#[test]
fn a_claim_compares_an_error_with_the_exact_epsilon_chain() {
    use mlcsc::theorems::verdict::Verdict;
    let stated = |name: &str, factor: i64| {
        conjecture(name)
            .family(Family::theorem2(Thresholding::Soft))
            .assume("theorem2", |v| v.theorem2_hypotheses())
            .claim_each_layer(
                "(‖Γ_i − Γ̂_i‖^P)² · factor ≤ ε_i²",
                move |l| {
                    let scaled = l.error_patch_squared() * Rational::from_integer(factor.into());
                    l.at_most_epsilon_squared(scaled)
                },
            )
            .claim_each_layer(
                "‖Γ_i − Γ̂_i‖_∞ within the entrywise bound",
                |l| l.at_most_entrywise_bound(l.error_max()),
            )
    };
    let (mut met, mut irrational) = (0, 0);
    let restated = stated("theorem2-restated", 1);
    for case in 0..60 {
        let instance = restated.generate(&mut mlcsc::generate::seed::case_rng(2017, case));
        let outcome = restated.check(&instance);
        assert!(
            !outcome.verdict.is_violated(),
            "case {case}: {:?}",
            outcome.verdict
        );
        if matches!(outcome.verdict, Verdict::Holds) {
            met += 1;
            let view = mlcsc::conjecture::View::new(&instance, Pursuit::Instance);
            irrational += usize::from(
                view.epsilon_chain()
                    .layers
                    .iter()
                    .any(|l| l.epsilon.rational_value().is_none()),
            );
        }
    }
    println!(
        "restated Theorem 2: {met} of 60 met the hypotheses, {irrational} with an irrational ε_i"
    );
    assert!(
        met >= 30 && irrational >= 10,
        "{met} met, {irrational} irrational"
    );
    // The negative control: 4 (‖·‖^P)² ≤ ε_i² is the bound halved, false at tight cases.
    let halved = stated("theorem2-halved", 4).known_false();
    assert!(halved.test().counterexample.is_some());
}
