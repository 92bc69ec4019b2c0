//! The `f64` check's vacuous shortcut writes each estimate into the memory of the chain's
//! radius of its layer; when it then finds a layer whose support may be recovered (a vacuous
//! verdict the shortcut cannot give), the full check must run on the chain built again. Its
//! report must be the check's with every radius, on instances made for that fall-back: a
//! generated instance whose estimates recover the support, given a noise budget below the
//! noise's patch norm (the budget's hypothesis fails, so the verdict is vacuous, and the
//! support is recovered at some layer).

use mlcsc::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::theorem2::Statement;
use mlcsc::theorems::theorem2_f64::{check_theorem2_f64, check_theorem2_f64_with_every_radius};
use mlcsc::theorems::verdict::Verdict;

#[test]
fn the_full_check_after_the_shortcut_declines_reads_a_chain_built_again() {
    let mut fall_backs = 0;
    for seed in 0..40u64 {
        let variant = [
            Thresholding::Soft,
            Thresholding::Nonnegative,
            Thresholding::Hard,
        ][(seed % 3) as usize];
        let mut rng = case_rng(0xfa11, seed);
        let settings = Theorem2Settings::paper(variant);
        let mut instance =
            generate_theorem2_instance(&mut rng, &settings, "f64-shortcut-fall-back").to_f64();
        let noise_norm = instance
            .noise
            .entries()
            .iter()
            .map(|x| x * x)
            .sum::<f64>()
            .sqrt();
        if noise_norm == 0.0 {
            continue;
        }
        // Far below the patch norm of the noise (at most its whole norm): certainly failed.
        instance.noise_budget = Some(noise_norm * 1e-3);
        let fast = check_theorem2_f64(&instance, Statement::PAPER);
        let full = check_theorem2_f64_with_every_radius(&instance, Statement::PAPER);
        assert_eq!(
            serde_json::to_string(&fast).expect("JSON"),
            serde_json::to_string(&full).expect("JSON"),
            "seed {seed}: the report after the fall-back differs from the full check's"
        );
        let vacuous = matches!(fast.verdict, Verdict::Vacuous(_));
        if vacuous && fast.layers.iter().any(|l| l.support_recovered) {
            fall_backs += 1;
        }
    }
    assert!(fall_backs >= 5, "only {fall_backs} instances fell back");
}
