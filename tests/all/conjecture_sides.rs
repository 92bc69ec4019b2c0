//! A stated conjecture's rules as a new user writes them: a per-layer claim that reads the whole
//! instance (`LayerView::whole`), comparisons that name both sides (`Check::at_most` and its
//! kin, on rationals, counts and `f64`s) down to the campaign's report and `--json`, and a plain
//! `bool` whose detail says it has no values to show.

use mlcsc::cli::run_with_args_captured;
use mlcsc::conjecture::prelude::*;
use mlcsc::theorems::verdict::Verdict;

/// Two Dirac layers (`N = 2`) with thresholds `1/4` and `1/2`, one unit atom in `Γ_2`, and
/// noise `1/8` at position 1 (`ε_0² = 1/64`).
fn two_thresholds() -> mlcsc::io::Instance<Rational> {
    let text = r#"{
        "format": "mlcsc-instance-1",
        "signal-length": 2,
        "thresholding": "soft",
        "layers": [
            {"filters": [[["1"]]], "threshold": "1/4"},
            {"filters": [[["1"]]], "threshold": "1/2"}
        ],
        "deepest-representation": [{"position": 0, "channel": 0, "value": "1"}],
        "noise": [{"position": 1, "channel": 0, "value": "1/8"}]
    }"#;
    let file = mlcsc::io::InstanceFile::parse(text).expect("parses");
    file.to_exact().expect("valid")
}

/// A conjecture on [`two_thresholds`] alone.
fn on_two_thresholds(name: &str) -> Stated {
    conjecture(name).family(Family::custom(|_| two_thresholds()))
}

/// `β_i` against `β_K`, the deepest layer's threshold, read through the whole instance.
fn against_deepest_threshold(
    compare: fn(&LayerView<'_>, &str, &Rational, &Rational) -> Check,
) -> impl Fn(&LayerView<'_>) -> Check + Send + Sync + 'static {
    move |l| match l.whole().layers() {
        Ok(layers) => {
            let deepest = layers.last().expect("K ≥ 1").beta;
            compare(l, &format!("β_{}", l.index()), l.beta, deepest)
        }
        Err(why) => why,
    }
}

#[test]
fn a_per_layer_claim_compares_a_layer_with_the_whole_instance() {
    let instance = two_thresholds();
    // Instance-wide quantities: K, ε_0² and the deepest representation, from any layer.
    let whole = on_two_thresholds("whole")
        .claim_each_layer("K, ε_0² and Γ_K seen from layer i", |l| {
            let v = l.whole();
            assert_eq!(l.index(), l.layer);
            (
                v.depth(),
                v.epsilon_0_squared(),
                v.gamma(v.depth()).count_nonzeros(),
            ) == (2, Rational::new(1.into(), 64.into()), 1)
        })
        .check(&instance);
    assert_eq!(whole.verdict, Verdict::Holds);
    // True: every β_i² is at least ε_0² = 1/64, and at most β_K = 1/2.
    let above_noise = on_two_thresholds("above-noise")
        .claim_each_layer("β_i² ≥ ε_0²", |l| {
            l.at_least(
                "β_i²",
                l.beta * l.beta,
                "ε_0²",
                l.whole().epsilon_0_squared(),
            )
        })
        .claim_each_layer(
            "β_i ≤ β_K",
            against_deepest_threshold(|l, name, beta, deepest| {
                l.at_most(name, beta, "β_K", deepest)
            }),
        )
        .check(&instance);
    assert_eq!(above_noise.verdict, Verdict::Holds);
    // False at layer 1: β_1 = 1/4 < β_K = 1/2, both named in the witness.
    let falls = on_two_thresholds("falls")
        .claim_each_layer(
            "β_i ≥ β_K",
            against_deepest_threshold(|l, name, beta, deepest| {
                l.at_least(name, beta, "β_K", deepest)
            }),
        )
        .check(&instance);
    let Verdict::Violated(witness) = &falls.verdict else {
        panic!("{:?}", falls.verdict)
    };
    assert_eq!(
        (
            witness.layer,
            witness.observed.as_str(),
            witness.bound.as_str()
        ),
        (1, "β_1 = 1/4", "β_K = 1/2")
    );
    // False at layer 2 only: 4 β_i² ≤ ε_0² · 16 = 1/4 holds at layer 1 (1/4), not at 2 (1).
    let noise = on_two_thresholds("noise")
        .claim_each_layer("4 β_i² ≤ 16 ε_0²", |l| {
            let four = Rational::from_integer(4.into());
            let sixteen = Rational::from_integer(16.into());
            let beta_squared = l.beta * l.beta;
            let scaled = l.whole().epsilon_0_squared() * sixteen;
            l.at_most("4 β_i²", beta_squared * four, "16 ε_0²", scaled)
        })
        .check(&instance);
    let Verdict::Violated(witness) = &noise.verdict else {
        panic!("{:?}", noise.verdict)
    };
    assert_eq!(
        (
            witness.layer,
            witness.observed.as_str(),
            witness.bound.as_str()
        ),
        (2, "4 β_i² = 1", "16 ε_0² = 1/4")
    );
}

#[test]
fn named_comparisons_carry_both_sides_of_rationals_counts_and_floats() {
    let instance = two_thresholds();
    let witness = |stated: Stated| match stated.check(&instance).verdict {
        Verdict::Violated(w) => (w.layer, w.observed, w.bound),
        other => panic!("{other:?}"),
    };
    let counts = on_two_thresholds("counts")
        .claim_each_layer("s_i < n_i", |l| l.below("s_i", l.s(), "n_i", l.n()));
    assert_eq!(
        witness(counts),
        (1, "s_i = 1".to_string(), "n_i = 1".to_string())
    );
    let floats = on_two_thresholds("floats").claim("K ≤ 1.5", |v| {
        Check::at_most("K", v.depth() as f64, "1.5", 1.5)
    });
    assert_eq!(witness(floats), (0, "K = 2".into(), "1.5 = 1.5".into()));
    // Floats are compared exactly: 0.1 + 0.2 is not 0.3 in f64.
    let sum = on_two_thresholds("sum").claim("0.1 + 0.2 = 0.3", |_| {
        Check::equal("0.1 + 0.2", 0.1 + 0.2, "0.3", 0.3)
    });
    assert_eq!(
        witness(sum),
        (
            0,
            "0.1 + 0.2 = 0.30000000000000004".into(),
            "0.3 = 0.3".into()
        )
    );
    // A NaN makes every comparison false, and is shown.
    let nan =
        on_two_thresholds("nan").claim("x ≥ 0", |_| Check::at_least("x", f64::NAN, "0", 0usize));
    assert_eq!(witness(nan), (0, "x = NaN".into(), "0 = 0".into()));
    let mixed = on_two_thresholds("mixed").claim("ε_0² > 1/64", |v| {
        Check::above("ε_0²", v.epsilon_0_squared(), "1/64", 1.0 / 64.0)
    });
    assert_eq!(
        witness(mixed),
        (0, "ε_0² = 1/64".into(), "1/64 = 0.015625".into())
    );
    for (name, check) in [
        ("≤", Check::at_most("a", 1usize, "b", 1usize)),
        (
            "=",
            Check::equal("a", 0.5, "b", Rational::new(1.into(), 2.into())),
        ),
        ("≥", Check::at_least("a", f64::INFINITY, "b", 1e300)),
        (">", Check::above("a", 2u64, "b", 1.999)),
    ] {
        assert_eq!(check, Check::Pass, "{name}");
    }
}

#[test]
fn a_plain_bool_says_it_carries_no_values() {
    let stated = on_two_thresholds("plain").claim_each_layer("β_i ≥ 1/3", |l| {
        *l.beta >= Rational::new(1.into(), 3.into())
    });
    let Verdict::Violated(witness) = stated.check(&two_thresholds()).verdict else {
        panic!("β_1 = 1/4")
    };
    assert_eq!(witness.layer, 1);
    assert_eq!(witness.observed, mlcsc::conjecture::view::PLAIN_BOOL_FALSE);
    assert!(
        witness.observed.contains("plain bool") && witness.observed.contains("Check::at_most"),
        "{witness:?}"
    );
}

/// Runs `mlcsc ARGS` with `entries` registered, in this process, returning its exit code and
/// standard output.
fn command(args: &[&str], entries: &[&Entry]) -> (i32, String) {
    let mut line = vec!["mlcsc"];
    line.extend_from_slice(args);
    let captured = run_with_args_captured(line, entries);
    (captured.code, captured.stdout)
}

#[test]
fn a_campaign_report_and_its_json_carry_both_sides_of_a_named_claim() {
    let named = on_two_thresholds("thresholds-fall-with-depth")
        .known_false()
        .claim_each_layer(
            "β_i ≥ β_K",
            against_deepest_threshold(|l, name, beta, deepest| {
                l.at_least(name, beta, "β_K", deepest)
            }),
        );
    let plain = on_two_thresholds("thresholds-fall-plainly")
        .known_false()
        .claim_each_layer("β_i ≥ 1/2", |l| {
            *l.beta >= Rational::new(1.into(), 2.into())
        });
    let folder = tempfile::tempdir().expect("folder");
    let run = |stated: &Stated| {
        let report = folder.path().join(format!("{}.json", stated.name()));
        let report = report.to_str().expect("UTF-8");
        let args = [
            "campaign",
            stated.name(),
            "--cases",
            "3",
            "--report",
            report,
            "--json",
        ];
        let (code, stdout) = command(&args, &[stated]);
        assert_eq!(code, 0, "{stdout}");
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(report).expect("written")).expect("JSON");
        let printed: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        let recorded = written["records"][0]["witness"]
            .as_str()
            .expect("a witness")
            .to_string();
        let shrunk = printed["shrunk-counterexamples"][0]["witness"]
            .as_str()
            .expect("the shrunk witness")
            .to_string();
        (recorded, shrunk)
    };
    // The case as recorded, and as shrunk (to simpler thresholds): both sides, named.
    let (recorded, shrunk) = run(&named);
    assert!(
        recorded.ends_with("observed β_1 = 1/4 against bound β_K = 1/2"),
        "{recorded}"
    );
    assert!(
        shrunk.contains("observed β_1 = ") && shrunk.contains(" against bound β_K = "),
        "{shrunk}"
    );
    let (recorded, shrunk) = run(&plain);
    for witness in [&recorded, &shrunk] {
        assert!(witness.contains("plain bool"), "{witness}");
    }
}
