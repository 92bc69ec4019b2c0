//! The speed-ups of the campaign path (big gcds on limbs, `f64` values read off the limbs, the
//! noise formed as big rationals directly, the report spooled as its own text, the patch
//! screen's sparse sums) change no number: the generated instances and the campaign reports of
//! fixed seeds are pinned by their SHA-256 digests (the files `mlcsc generate` and
//! `mlcsc campaign` write for these seeds were the same, byte for byte, before the speed-ups).

use mlcsc::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign};
use mlcsc::conjecture::find;
use mlcsc::generate::seed::case_rng;
use sha2::Digest;

/// The hexadecimal SHA-256 digest of `text`.
fn digest(text: &str) -> String {
    (sha2::Sha256::digest(text.as_bytes()).iter())
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Cases `0..200` of seed 3 of each Theorem 2 campaign, coherent ladders among them (deep
/// layers with denominators of hundreds of bits, noise scaled into its budget), written out
/// number by number.
#[test]
fn generated_theorem2_instances_are_the_same_as_before() {
    let expected = [
        (
            "theorem2-soft",
            "8c39fdf381f060860d3b671d5c064444b25e7a02674213d5d86704d614e11548",
        ),
        (
            "theorem2-hard",
            "9995a88f0a599b6e4a89dac6ef67afb4d38513541d8717a1d5cd930eee4c866e",
        ),
        (
            "theorem2-nonnegative",
            "83ecce49a72aa16a80a45f40038d3e69e0716151d13e1ce5f0461ef3a18b8085",
        ),
    ];
    let found = expected.map(|(name, _)| {
        let entry = find(name).expect("registered");
        let text: String = (0..200)
            .map(|case| format!("{:?}\n", entry.generate(&mut case_rng(3, case))))
            .collect();
        (name, digest(&text))
    });
    assert_eq!(
        found.map(|(name, d)| (name, d.clone())),
        expected.map(|(n, d)| (n, d.to_string()))
    );
}

/// The JSON report of 400 cases of `theorem2-soft` (seed 2017), without its time: every
/// verdict, margin, tightness and float of the records.
#[test]
fn campaign_reports_are_the_same_as_before() {
    let expected = [
        (
            "theorem2-soft",
            "a20ecf9e4523749c62786a6376bb50d1bde93ddfd64957e681417e7d2940c9a4",
        ),
        (
            "theorem2-hard",
            "09a83349e1c3d1360b1d9e1eb7aa05e717fa1019cecf4cb8fc34f46029bafefb",
        ),
    ];
    let found = expected.map(|(name, _)| {
        let entry = find(name).expect("registered");
        let settings = CampaignSettings {
            cases: 400,
            seed: 2017,
            shard: Shard::WHOLE,
            arithmetic: Arithmetic::Exact,
        };
        let mut report = run_campaign(entry.as_ref(), settings, None, &|| {}).expect("runs");
        report.seconds = 0.0;
        let text = serde_json::to_string_pretty(&report).expect("serialises");
        (name, digest(&text))
    });
    assert_eq!(found, expected.map(|(n, d)| (n, d.to_string())));
}
