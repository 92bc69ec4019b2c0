//! `inspect` on named fixtures: coherence, Welch bound, sparsities and magnitudes per layer,
//! with exact rationals, pinned by insta snapshots under `fixtures/snapshots/`.

use std::path::Path;

use mlcsc::inspect::inspect_instance;
use mlcsc::io::InstanceFile;

#[test]
fn inspect_reports_exact_quantities_of_named_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let names = [
        "instances/two-layer-dirac-pythagorean",
        "instances/binary4-two-atoms-noisy",
        "instances/dirac-exact-tie",
        "theorem2/multi-channel-householder",
        "theorem2/three-layers",
        "theorem2/three-layers-coherent",
    ];
    for name in names {
        let path = root.join(format!("{name}.json"));
        let instance = InstanceFile::read(&path)
            .and_then(|f| f.to_exact())
            .expect("valid fixture");
        let mut report = serde_json::to_value(inspect_instance(&instance)).expect("serialises");
        // Floats keep 9 significant digits; exact values are strings.
        round_floats(&mut report);
        insta::with_settings!({
            snapshot_path => "../../fixtures/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("inspect__{}", name.replace('/', "__")), serde_json::to_string_pretty(&report).expect("serialises"));
        });
    }
}

/// The text of `inspect` names both noise levels when a budget is declared: the measured
/// `‖E‖^P_{2,∞}` and the declared budget, the `ε_0` that `check` uses (so `inspect`'s 0.02 and
/// `check`'s 0.05 are not a contradiction); without a budget, the measured one is `ε_0`.
#[test]
fn inspect_text_shows_the_measured_noise_beside_the_declared_budget() {
    for name in [
        "instances/binary4-two-atoms-noisy",
        "instances/two-layer-dirac-pythagorean",
    ] {
        let output = crate::common::cli::mlcsc(["inspect"])
            .arg(crate::common::cli::fixture(&format!("{name}.json")))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{name}");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        insta::with_settings!({
            snapshot_path => "../../fixtures/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("inspect_text__{}", name.replace('/', "__")), text);
        });
    }
    let check = crate::common::cli::json_in(
        &crate::common::cli::root(),
        [
            "check",
            "--json",
            "fixtures/instances/binary4-two-atoms-noisy.json",
        ],
    );
    assert_eq!(check["epsilon-0"], 0.05, "check uses the declared budget");
}

fn round_floats(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().expect("f64");
            let r: f64 = format!("{x:.8e}").parse().expect("float");
            *value = serde_json::json!(r);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(round_floats),
        serde_json::Value::Object(map) => map.values_mut().for_each(round_floats),
        _ => {}
    }
}
