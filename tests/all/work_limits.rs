//! Work limits (docs/robustness.md): a valid instance whose exact check, `f64` passes or exact
//! layered basis pursuit would take too long is refused before the work with exit 2 and a
//! message naming the limit and what to use instead.

fn instance(filter_length: usize, signal_length: usize) -> String {
    let mut taps = vec![r#"["1"]"#.to_string()];
    taps.extend(std::iter::repeat_n(
        r#"["0"]"#.to_string(),
        filter_length - 1,
    ));
    format!(
        r#"{{"format":"mlcsc-instance-1","name":"limits","source":"tests/all/work_limits.rs","signal-length":{signal_length},"input-channels":1,"thresholding":"soft","layers":[{{"filters":[[{}]],"threshold":"1/10"}}],"deepest-representation":[{{"position":0,"channel":0,"value":"1"}}],"noise":[],"noise-budget":null,"last-patch-width":1}}"#,
        taps.join(",")
    )
}

fn run(args: &[&str], text: &str) -> (Option<i32>, String) {
    let folder = std::env::temp_dir().join(format!("mlcsc-limits-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("scratch folder");
    let path = folder.join(format!("{}.json", args.join("-").replace('/', "_")));
    std::fs::write(&path, text).expect("written");
    let output = crate::common::cli::command()
        .args(args)
        .arg(&path)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_long_filter_is_refused_in_exact_arithmetic_and_checked_in_f64() {
    let long = instance(10_000, 19_999);
    let (code, stderr) = run(&["check"], &long);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("limit of") && stderr.contains("--arithmetic f64"),
        "{stderr}"
    );
    // With a declared noise budget the bound is strict: the f64 screen settles the case.
    let budgeted = long.replace(r#""noise-budget":null"#, r#""noise-budget":"1/100""#);
    let (code, stderr) = run(&["check", "--arithmetic", "f64"], &budgeted);
    assert_eq!(code, Some(0), "{stderr}");
    // Soft thresholding meets its bound with equality, which f64 cannot settle: the exact
    // re-check keeps the exact limit.
    let (code, stderr) = run(&["check", "--arithmetic", "f64"], &long);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("exact re-check is beyond the limit") && stderr.contains("limit of"),
        "{stderr}"
    );
}

#[test]
fn exact_layered_basis_pursuit_is_refused_beyond_its_size_limit() {
    // N · n · m · m_0 = 40000 · 64 > 2^21.
    let large = instance(64, 40_000);
    for args in [
        &["check", "--theorem", "layered-basis-pursuit"][..],
        &["forward", "--pursuit", "basis-pursuit"][..],
    ] {
        let (code, stderr) = run(args, &large);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("limit of 2097152") && stderr.contains("--pursuit thresholding"),
            "{args:?}: {stderr}"
        );
    }
}
