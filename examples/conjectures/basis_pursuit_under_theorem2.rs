//! An open question: wherever Theorem 2 guarantees that the forward pass recovers every support,
//! does layered basis pursuit (`ξ_i = 4 ε_{i-1}`) recover it too?
use mlcsc::conjecture::prelude::*;

pub fn basis_pursuit_recovers_where_theorem2_holds() -> Stated {
    conjecture("basis-pursuit-recovers-where-theorem2-holds")
        .with_citation("Papyan, Romano, Elad: Theorem 2 of the seed paper (docs/math.md §6) and layered basis pursuit (recalled, §7)")
        .family(Family::theorem2(Thresholding::Soft).noisy())
        .assume("noisy", |v| !v.noiseless())
        .assume("theorem2", |v| v.theorem2_hypotheses())
        .claim("basis pursuit recovers", |v| {
            v.recovers(Pursuit::BasisPursuit)
        })
        .event("deep", |v| v.depth() >= 2)
        .event("coherent", |v| {
            v.profiles().iter().all(|p| above(&p.coherence, 0).passed())
        })
        .target("contrast", |v| v.contrast().to_f64())
        .floor("deep", 0.3)
}

#[test]
fn the_campaign_answers_no() {
    let report = basis_pursuit_recovers_where_theorem2_holds().explore();
    let answer = report
        .counterexample
        .expect("a case where basis pursuit misses");
    assert!(answer.verdict.is_violated(), "{:?}", answer.verdict);
}
