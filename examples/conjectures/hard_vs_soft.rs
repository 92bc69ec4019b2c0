//! README, "Add a conjecture": layered hard thresholding is never farther from `Γ_i` than soft.
use mlcsc::conjecture::prelude::*;

pub fn hard_is_never_worse() -> Stated {
    conjecture("hard-thresholding-is-never-worse")
        .known_false()
        .family(Family::theorem2(Thresholding::Soft).first_layer(FirstLayerDesign::Dirac))
        .assume("theorem2", |v| v.theorem2_hypotheses())
        .pursuit(Pursuit::Hard)
        .claim_each_layer("hard error ≤ soft error", |l| {
            l.versus(Pursuit::Soft, |h, s| {
                at_most(h.error_patch_squared(), s.error_patch_squared())
            })
        })
        .event("deep", |v| v.depth() >= 2)
}

#[test]
fn hard_thresholding_is_sometimes_worse() {
    hard_is_never_worse().test();
}
