//! The drawn stream pinned: a fingerprint of the instances and of what drawing them computed,
//! over the seeds of every family, recorded from the generator before its fast paths (the
//! sparse chains, the coin built once, the machine-word `Γ_K` written at its support). Any
//! change to a random draw or to a number of a case changes it.

use super::*;
use crate::generate::seed::case_rng;

/// FNV-1a over the bytes of `text`, continued from `hash`.
fn fnv(hash: u64, text: &str) -> u64 {
    text.bytes().fold(hash, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn generated_cases_keep_their_fingerprint() {
    let families = [
        Theorem2Settings::paper(Thresholding::Soft),
        Theorem2Settings::paper(Thresholding::Hard),
        Theorem2Settings::paper(Thresholding::Nonnegative),
        Theorem2Settings::new(Thresholding::Soft),
    ];
    let mut hash = 0xcbf2_9ce4_8422_2325;
    let (mut ladders, mut noisy) = (0, 0);
    for settings in &families {
        for case in 0..120 {
            let (instance, prepared) =
                generate_theorem2_prepared(&mut case_rng(2017, case), settings, "fingerprint");
            hash = fnv(hash, &format!("{instance:?}"));
            hash = fnv(hash, &format!("{prepared:?}"));
            ladders += usize::from(instance.name.contains("ladder"));
            noisy += usize::from(instance.noise.count_nonzeros() > 0);
        }
    }
    eprintln!("480 cases, {ladders} ladders, {noisy} noisy: fingerprint {hash:#018x}");
    assert!(ladders >= 120 && noisy >= 300);
    assert_eq!(hash, FINGERPRINT, "{hash:#018x}");
}

/// The fingerprint of the 480 cases, as the generator before its fast paths computes it.
const FINGERPRINT: u64 = 0xf459_2e24_3b09_c934;
