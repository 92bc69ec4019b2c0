//! `mlcsc certify` on the three trained digits networks of `fixtures/networks/`
//! (`scripts/train_digits_cnn.py`): the certified network has a non-empty region with both
//! layers banded, the constrained and unconstrained ones are the contrast, and every committed
//! network is the file `fixtures/networks/README.md` describes (its sha256 and size), so a
//! retraining that changes a file is noticed.

use crate::certify::digits_args;
use crate::common::cli::{fixture, json_in, run_in};

/// `certify --json` for a digits network.
fn digits_json(which: &str) -> serde_json::Value {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut args = digits_args(which);
    args.push("--json".into());
    json_in(folder.path(), &args)
}

/// The number at `value`, which must be one.
fn number(value: &serde_json::Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

/// `(β_c, μ_c)` of every channel of layer `index` (from 0) of a report.
fn channel_figures(json: &serde_json::Value, index: usize) -> Vec<(f64, f64)> {
    json["layers"][index]["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .map(|c| (number(&c["beta"]), number(&c["coherence"])))
        .collect()
}

/// `(max_c β_c, max_c μ_c)`.
fn largest(channels: &[(f64, f64)]) -> (f64, f64) {
    channels
        .iter()
        .fold((f64::MIN, 0.0), |(b, m), &(beta, mu)| {
            (b.max(beta), m.max(mu))
        })
}

/// `E = min_c (β_c − μ_c max β)/(1 + μ_c)`, the noise ceiling at one nonzero per stripe (CR2).
fn noise_ceiling(channels: &[(f64, f64)]) -> f64 {
    let (most, _) = largest(channels);
    channels
        .iter()
        .map(|&(beta, mu)| (beta - mu * most) / (1.0 + mu))
        .fold(f64::INFINITY, f64::min)
}

/// The certified network: every channel applicable, one bias per layer (so `β` varies only
/// with the float32 rounding of `ρ = 1`), layer 2's threshold above the chain's least value
/// with the factor 2 the trainer keeps, and a region with both layers banded:
/// `ε_0^* = min(E_1, E_2 − β_1) = E_1`, `ε_K` at it, up to 3 nonzeros per stripe in layer 1
/// (`μ_1 < 1/5`) and 2 in layer 2.
#[test]
fn certify_gives_the_certified_digits_network_a_region() {
    let json = digits_json("certified");
    assert_eq!(json["exact"], true);
    let (first, second) = (channel_figures(&json, 0), channel_figures(&json, 1));
    for (index, channels) in [&first, &second].into_iter().enumerate() {
        assert_eq!(json["layers"][index]["applicable-channels"], 16);
        let (most, _) = largest(channels);
        let spread = channels.iter().map(|&(beta, _)| 1.0 - beta / most);
        assert!(
            spread.fold(0.0, f64::max) < 1e-7,
            "layer {}: {channels:?}",
            index + 1
        );
    }
    let ((beta_1, mu_1), (beta_2, mu_2)) = (largest(&first), largest(&second));
    assert!((beta_1 - 0.104_44).abs() < 1e-5, "{beta_1}");
    assert!((beta_2 - 0.297_72).abs() < 1e-5, "{beta_2}");
    assert!(mu_1 < 0.2 && mu_2 < 0.2, "μ = {mu_1}, {mu_2}");
    assert!(beta_2 >= 2.0 * beta_1 * (1.0 + mu_2) / (1.0 - mu_2) * (1.0 - 1e-6));
    let region = &json["region"];
    assert_eq!(region["empty"], false);
    assert!(region["reason"].is_null());
    let epsilon_0 = number(&region["epsilon-0"]);
    let expected = noise_ceiling(&first).min(noise_ceiling(&second) - beta_1);
    assert!(
        (epsilon_0 - expected).abs() < 1e-8 * expected,
        "{epsilon_0} {expected}"
    );
    assert_eq!(expected, noise_ceiling(&first));
    assert!((epsilon_0 - 0.073_19).abs() < 1e-5, "{epsilon_0}");
    // ε_K = sqrt(P_2(1)) (ε_1 + β_2), ε_1 = sqrt(P_1(1)) (ε_0 + β_1), P_1(1) = 1 and
    // P_2(1) = 2 (the cyclic windows of w_K = 3 over the zero-padded last layer).
    let epsilon_k = number(&region["epsilon-k"]);
    let chained = 2f64.sqrt() * (epsilon_0 + beta_1 + beta_2);
    assert!(
        (epsilon_k - chained).abs() < 1e-8 * chained,
        "{epsilon_k} {chained}"
    );
    let layers = region["layers"].as_array().expect("region layers");
    for (layer, sparsity) in layers.iter().zip([3, 2]) {
        assert!(layer["empty"].is_null(), "{layer}");
        assert_eq!(layer["largest-stripe-sparsity"], sparsity, "{layer}");
        let band = &layer["amplitude-band"];
        assert!(number(&band["above"]) < number(&band["below"]), "{band}");
    }
    assert!((number(&layers[0]["amplitude-band"]["above"]) - beta_1).abs() < 1e-8);
}

/// The text report of the certified network names the region and each layer's stripe sparsity.
#[test]
fn certify_prints_the_region_of_the_certified_digits_network() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let output = run_in(folder.path(), digits_args("certified"));
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "certified region (one nonzero per stripe, w_K = 3): every ε_0 < 7.3195e-2; then ε_K ≤ 6.7226e-1",
        "layer 1: at zero noise 1.0444e-1 < |Γ| < 5.9377e-1; largest stripe sparsity 3",
        "layer 2: at zero noise 4.0216e-1 < |Γ| < 1.1301e0; largest stripe sparsity 2",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
}

/// The contrast: the same network trained inside the model without the threshold structure
/// (uneven thresholds, μ ≈ 0.88) has an empty region at layer 1, and trained freely it is
/// refused for its positive biases; only the certified network has `ε_0^*`.
#[test]
fn the_constrained_and_unconstrained_networks_have_no_region() {
    let constrained = digits_json("constrained");
    let channels = channel_figures(&constrained, 0);
    let (most, mu) = largest(&channels);
    assert!(mu > 0.85, "{mu}");
    let least = channels
        .iter()
        .map(|&(beta, _)| beta)
        .fold(f64::MAX, f64::min);
    assert!(least < 0.1 * most, "{channels:?}");
    assert!(noise_ceiling(&channels) < 0.0, "{channels:?}");
    let unconstrained = digits_json("unconstrained");
    for (json, reason) in [
        (
            &constrained,
            "layer 1: no amplitude at one nonzero per stripe",
        ),
        (
            &unconstrained,
            "layer 1: channel 4 (and 7 more): positive bias",
        ),
    ] {
        assert_eq!(json["region"]["empty"], true);
        assert!(json["region"]["epsilon-0"].is_null());
        assert!(json["region"]["epsilon-k"].is_null());
        let why = json["region"]["reason"].as_str().expect("a reason");
        assert!(why.starts_with(reason), "{why}");
    }
    assert_eq!(unconstrained["layers"][0]["applicable-channels"], 8);
}

/// Every committed digits network is the file the README lists: its sha256 in the
/// `sha256sum` block and its size in the sizes line.
#[test]
fn the_trained_networks_are_the_files_the_readme_describes() {
    let readme = std::fs::read_to_string(fixture("networks/README.md")).expect("the README");
    for which in ["constrained", "unconstrained", "certified"] {
        let name = format!("digits-{which}.safetensors");
        let bytes = std::fs::read(fixture(&format!("networks/{name}"))).expect("the weights");
        let line = format!("{}  {name}", hex(&sha256(&bytes)));
        assert!(readme.contains(&line), "the README lacks `{line}`");
        let manifest = std::fs::read(fixture(&format!("networks/digits-{which}.json"))).unwrap();
        let sizes = format!(
            "{} bytes per safetensors file, {} bytes per manifest",
            bytes.len(),
            manifest.len()
        );
        assert!(readme.contains(&sizes), "the README lacks `{sizes}`");
    }
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `message`.
fn sha256(message: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(message).to_vec()
}
