//! The `f64` check's screen for inputs outside the normal range: an entry of `Γ_K` that is
//! subnormal, infinite or NaN makes the verdict undecided and names the entry, whether the
//! check found it while enclosing `Γ_K` or not, and the report is the full check's.

use mlcsc::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::theorem2::Statement;
use mlcsc::theorems::theorem2_f64::{check_theorem2_f64, check_theorem2_f64_with_every_radius};
use mlcsc::theorems::verdict::Verdict;

#[test]
fn an_entry_of_the_deepest_representation_outside_the_normal_range_is_named() {
    for (seed, odd) in [
        (1u64, 1e-310),
        (2, -3e-320),
        (3, f64::INFINITY),
        (4, f64::NAN),
    ] {
        let mut rng = case_rng(0x5c4e, seed);
        let settings = Theorem2Settings::paper(Thresholding::Soft);
        let mut instance =
            generate_theorem2_instance(&mut rng, &settings, "f64-screen-inputs").to_f64();
        let entries = instance.deepest_representation.entries_mut();
        let place = entries.len() / 2;
        entries[place] = odd;
        let fast = check_theorem2_f64(&instance, Statement::PAPER);
        let full = check_theorem2_f64_with_every_radius(&instance, Statement::PAPER);
        let Verdict::Undecided { layer, comparison } = &fast.verdict else {
            panic!("seed {seed}: {:?}", fast.verdict);
        };
        assert_eq!(*layer, 0, "seed {seed}");
        assert!(
            comparison.contains("of Γ_K is subnormal"),
            "seed {seed}: {comparison}"
        );
        assert_eq!(
            serde_json::to_string(&fast).expect("JSON"),
            serde_json::to_string(&full).expect("JSON"),
            "seed {seed}"
        );
    }
}
