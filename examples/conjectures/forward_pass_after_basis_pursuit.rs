//! Known false: the forward pass recovers every support that layered basis pursuit recovers,
//! even with its threshold chosen after the fact.
use mlcsc::conjecture::prelude::*;

pub fn forward_pass_recovers_what_basis_pursuit_recovers() -> Stated {
    conjecture("forward-pass-recovers-what-basis-pursuit-recovers")
        .with_citation(
            "Papyan, Romano, Elad, the seed paper's abstract: layered basis pursuit, the better pursuit",
        )
        .known_false()
        .family(
            Family::theorem2(Thresholding::Soft)
                .max_depth(1)
                .first_layer(FirstLayerDesign::Barker13)
                .atoms(3)
                .contrast(0.02, 0.15)
                .noise(0.02, 1.5),
        )
        .assume("basis pursuit recovers", |v| {
            v.recovers(Pursuit::BasisPursuit)
        })
        .claim_each_layer("some threshold recovers", |l| l.some_threshold_recovers())
        .target("contrast", |v| v.contrast().to_f64())
}

#[test]
fn basis_pursuit_recovers_what_no_threshold_does() {
    forward_pass_recovers_what_basis_pursuit_recovers().test();
}
