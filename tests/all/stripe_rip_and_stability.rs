//! The stripe RIP and the stability of `DCP^E_λ`, certified on every support of tiny
//! dictionaries against the exact worst case (docs/math.md §7; proofs/uniqueness.md).
//!
//! On a support `T`, `‖DΔ‖² / ‖Δ‖²` ranges over the eigenvalues of `G_T = D_Tᵀ D_T`, so both
//! statements reduce to exact semidefiniteness tests, one per support: nothing is sampled. The
//! exact worst cases are enclosed between rationals, and a concrete pair of `DCP^E_λ` solutions
//! (accepted by the Definition 1 predicate) shows that the stability worst case is attained.

use crate::common;

use std::time::Instant;

use crate::common::r;

use mlcsc::coherence::mutual_coherence;
use mlcsc::exact_linear_algebra::gram_on_support;
use mlcsc::generate::catalogue::catalogue;
use mlcsc::operators::synthesis;
use mlcsc::theorems::dcp_stability::{
    dcp_stability_theorem, layer_stability, stability_squared_budget,
};
use mlcsc::theorems::definition1::noisy_deep_coding_problem;
use mlcsc::theorems::stripe_rip::{certify_gram_bounds, stripe_rip, stripe_rip_constants};
use mlcsc::theorems::support_enumeration::{Coverage, exact_dictionary, support_stripe_sparsity};
use mlcsc::{Layer, LayerVector, Model, Rational, Scalar};
use num_traits::{One, Signed, Zero};

/// The catalogue at `N = 2n - 1` and `N = 2n`, at most `max_atoms` atoms.
fn tiny_dictionaries(max_atoms: usize) -> Vec<(String, Layer<Rational>, usize)> {
    common::tiny_dictionaries(|n| vec![(2 * n - 1).max(3), 2 * n.max(2)], max_atoms)
}

#[test]
fn lemma_atoms_overlap_only_within_a_stripe() {
    // ⟨d_k, d_j⟩ ≠ 0 only for j in the stripe of k, and |⟨d_k, d_j⟩| ≤ μ for j ≠ k: the facts
    // behind Gershgorin in the stripe RIP and behind the stripe spark lemma.
    let mut pairs = 0;
    let mut outside = 0;
    for (name, layer, length) in tiny_dictionaries(16) {
        let mu = mutual_coherence(&layer);
        let dictionary = exact_dictionary(&layer, length);
        let atoms: Vec<usize> = (0..dictionary.ncols()).collect();
        let gram = gram_on_support(&dictionary, &atoms).unwrap();
        let (m, n) = (layer.filter_count(), layer.filter_length());
        for k in 0..atoms.len() {
            assert!(gram[(k, k)].is_one(), "{name}: atoms are unit");
            for j in (0..atoms.len()).filter(|&j| j != k) {
                let shift = (j / m + length - k / m) % length;
                let in_stripe = shift < n || shift > length - n;
                if !in_stripe {
                    outside += 1;
                    assert!(
                        gram[(k, j)].is_zero(),
                        "{name} N={length}: atoms {k}, {j} overlap outside the stripe"
                    );
                }
                assert!(
                    gram[(k, j)].abs() <= mu,
                    "{name} N={length}: |⟨d_k, d_j⟩| > μ"
                );
                pairs += 1;
            }
        }
    }
    println!("{pairs} pairs of atoms checked, {outside} of them outside each other's stripe");
    assert!(pairs >= 1_500 && outside >= 100, "too few pairs checked");
}

#[test]
fn lemma_stripe_rip_holds_on_every_support() {
    let started = Instant::now();
    let mut total = Coverage::default();
    let mut tight_lower = 0;
    let mut table = Vec::new();
    for (name, layer, length) in tiny_dictionaries(16) {
        for k in 1..=3 {
            if k == 3 && length * layer.filter_count() > 12 {
                continue;
            }
            let check = stripe_rip(&layer, length, k);
            let certificate = &check.certificate;
            total.absorb(&certificate.coverage);
            assert!(
                certificate.holds(),
                "{name} N={length} k={k}: lower violated on {:?}, upper violated on {:?}",
                certificate.lower_violation,
                certificate.upper_violation
            );
            // The enclosures are consistent with the certificate.
            assert!(certificate.smallest.hi >= certificate.lower);
            let largest = certificate
                .largest
                .as_ref()
                .expect("an upper bound was claimed");
            assert!(largest.lo <= *certificate.upper.as_ref().unwrap());
            let (lower, _) = stripe_rip_constants(&check.coherence, k);
            if certificate.smallest.lo <= lower {
                tight_lower += 1;
            }
            table.push(serde_json::json!({
                "dictionary": name,
                "signal_length": length,
                "k": k,
                "coherence": check.coherence.to_string(),
                "lower_constant": lower.to_string(),
                "smallest_eigenvalue_at_most": format!("{:.6}", certificate.smallest.hi.to_f64()),
                "largest_eigenvalue_at_least": format!("{:.6}", largest.lo.to_f64()),
                "supports": certificate.coverage.supports_enumerated,
            }));
        }
    }
    total.elapsed = started.elapsed();
    common::report_coverage("stripe RIP", &total);
    println!("cases where the lower constant is attained (within 2^-40): {tight_lower}");
    assert!(
        total.instances >= 40,
        "too few (dictionary, k) cases: {}",
        total.instances
    );
    assert!(
        total.supports_enumerated >= 5_000,
        "too few supports certified"
    );
    assert!(
        tight_lower >= 1,
        "the lower constant should be attained somewhere"
    );
    insta::with_settings!({snapshot_path => "../../fixtures/snapshots"}, {
        insta::assert_snapshot!("stripe_rip_table", serde_json::to_string_pretty(&table).unwrap());
    });
}

#[test]
fn negative_control_stripe_rip_with_k_minus_two_is_refuted() {
    // The deliberately wrong constants 1 ∓ (k - 2)μ must fail on some support.
    let mut refuted = 0;
    let mut cases = 0;
    for (name, layer, length) in tiny_dictionaries(12) {
        let mu = mutual_coherence(&layer);
        for k in 2..=3 {
            let (lower, upper) = stripe_rip_constants(&mu, k - 1);
            let certificate = certify_gram_bounds(&layer, length, k, &lower, Some(&upper));
            cases += 1;
            if !certificate.holds() {
                refuted += 1;
                if refuted <= 3 {
                    println!(
                        "{name} N={length} k={k}: wrong lower {lower} fails on {:?}, wrong upper {upper} fails on {:?}",
                        certificate.lower_violation, certificate.upper_violation
                    );
                }
            }
        }
    }
    println!("the wrong constants are refuted in {refuted} of {cases} cases");
    assert!(
        refuted >= cases / 2,
        "the wrong constants were refuted too rarely"
    );
}

#[test]
fn dcp_stability_bound_dominates_the_exact_worst_case() {
    let started = Instant::now();
    let mut total = Coverage::default();
    let mut budget_two = 0;
    let mut tightest = 0.0f64;
    let noise_squared = r(1, 100);
    for (name, layer, length) in tiny_dictionaries(16) {
        let mu = mutual_coherence(&layer);
        let lambda = common::largest_budget_below_bound(&mu);
        let bound = stability_squared_budget(&noise_squared, lambda, &mu).expect("below the bound");
        let check = layer_stability(&layer, length, lambda, &noise_squared, &bound);
        total.absorb(check.coverage());
        assert!(
            check.holds(),
            "{name} N={length} λ={lambda}: ‖Δ‖² exceeds E_1² = {bound} on {:?}",
            check.certificate.lower_violation
        );
        let (worst_lo, worst_hi) = check
            .worst_case_squared
            .clone()
            .expect("bounded below the bound");
        assert!(worst_lo <= bound && worst_lo <= worst_hi);
        tightest = tightest.max(worst_lo.to_f64() / bound.to_f64());
        budget_two += usize::from(lambda == 2);
    }
    // Two layers, through the recursion E_i² = 4 E_{i-1}² / (1 - (2λ_i - 1) μ_i).
    let layers: Vec<Layer<Rational>> = catalogue()
        .into_iter()
        .filter(|(n, _)| *n == "pythagorean-3-4-pair" || *n == "halves-two-channel-pair")
        .map(|(_, layer)| layer)
        .collect();
    let model = Model::new(4, 1, layers).unwrap();
    let chain = dcp_stability_theorem(&model, &[1, 1], &noise_squared).expect("below the bounds");
    for (i, layer) in chain.iter().enumerate() {
        total.absorb(layer.coverage());
        assert!(layer.holds(), "two layers: layer {} fails", i + 1);
        println!(
            "two layers, layer {}: E² = {} → bound {:.6}, worst case in [{:.6}, {:.6}]",
            i + 1,
            layer.previous_squared,
            layer.bound_squared.to_f64(),
            layer.worst_case_squared.as_ref().unwrap().0.to_f64(),
            layer.worst_case_squared.as_ref().unwrap().1.to_f64()
        );
    }
    total.elapsed = started.elapsed();
    common::report_coverage("DCP^E stability", &total);
    println!("largest worst case / bound ratio: {tightest:.6}; instances at λ = 2: {budget_two}");
    assert!(total.instances >= 15, "too few dictionaries");
    assert!(budget_two >= 2, "too few dictionaries at λ = 2");
    assert!(
        total.supports_enumerated >= 5_000,
        "too few supports certified"
    );
}

#[test]
fn negative_control_stability_bound_with_the_undoubled_stripe_norm_is_refuted() {
    // Forgetting that Γ - Γ̂ has stripe sparsity up to 2λ gives E² = 4E_0² / (1 - (λ - 1)μ); it
    // must fail on some support of stripe sparsity 2λ.
    let noise_squared = r(1, 100);
    let mut refuted = 0;
    let mut cases = 0;
    for (name, layer, length) in tiny_dictionaries(16) {
        let mu = mutual_coherence(&layer);
        let lambda = common::largest_budget_below_bound(&mu);
        let wrong_denominator =
            Rational::one() - Rational::from_integer((lambda as i64 - 1).into()) * &mu;
        let wrong = Rational::from_integer(4.into()) * &noise_squared / wrong_denominator;
        let check = layer_stability(&layer, length, lambda, &noise_squared, &wrong);
        cases += 1;
        if !check.holds() {
            refuted += 1;
            if refuted <= 3 {
                println!(
                    "{name} N={length} λ={lambda}: wrong bound {wrong} exceeded on {:?}",
                    check.certificate.lower_violation
                );
            }
        }
    }
    println!("the undoubled bound is refuted in {refuted} of {cases} cases");
    assert!(
        refuted >= cases / 2,
        "the wrong bound was refuted too rarely"
    );
}

/// The atoms of `support` whose bit is set in `mask`, and the others.
fn split_by_mask(support: &[usize], mask: u32) -> (Vec<usize>, Vec<usize>) {
    let chosen = |k: &usize| mask >> k & 1 == 1;
    let a = (0..support.len())
        .filter(chosen)
        .map(|k| support[k])
        .collect();
    let b = (0..support.len())
        .filter(|k| !chosen(k))
        .map(|k| support[k])
        .collect();
    (a, b)
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one worked example: the construction and its checks read in order"
)]
fn the_stability_worst_case_is_attained_by_two_feasible_solutions() {
    // On the designed pair (λ = 2 < ½(1 + 1/μ)), take the support T of stripe sparsity 2λ
    // where λ_min(G_T) is smallest and that splits into two parts of stripe sparsity λ, a
    // rational approximation v of the eigenvector, Γ = v_A, Γ̂ = -v_B, Y = (DΓ + DΓ̂)/2 and
    // E_0² = ‖Dv‖²/4. Both are solutions of DCP^E_λ, and ‖Γ - Γ̂‖² = ‖v‖² comes within 1% of
    // the certified worst case, below the bound.
    let (_, layer) = catalogue()
        .into_iter()
        .find(|(n, _)| *n == "designed-four-tap-pair")
        .unwrap();
    let mut attained = 0;
    for length in [7, 8] {
        let lambda = 2;
        let (m, n) = (layer.filter_count(), layer.filter_length());
        let dictionary = exact_dictionary(&layer, length);
        let model = Model::new(length, 1, vec![layer.clone()]).unwrap();
        // Every support of stripe sparsity ≤ 2λ that splits into two parts within λ.
        let mut best: Option<(f64, Vec<usize>, Vec<usize>)> = None;
        mlcsc::theorems::support_enumeration::for_each_support_within_budget(
            length,
            m,
            n,
            2 * lambda,
            |t| {
                let split = (1u32..(1 << t.len()) - 1).find_map(|mask| {
                    let (a, b) = split_by_mask(t, mask);
                    (support_stripe_sparsity(&a, length, m, n) <= lambda
                        && support_stripe_sparsity(&b, length, m, n) <= lambda)
                        .then_some((a, b))
                });
                if let Some((a, b)) = split {
                    let gram = gram_on_support(&dictionary, t).unwrap().map(|x| x.to_f64());
                    let smallest = gram.symmetric_eigenvalues().min();
                    if best.as_ref().is_none_or(|(v, _, _)| smallest < *v) {
                        best = Some((smallest, a, b));
                    }
                }
            },
        );
        let (_, a, b) = best.expect("a splittable support");
        let support: Vec<usize> = a.iter().chain(&b).copied().collect();
        let gram = gram_on_support(&dictionary, &support).unwrap();
        let eigen = gram.map(|x| x.to_f64()).symmetric_eigen();
        let index = eigen.eigenvalues.imin();
        let v: Vec<Rational> = eigen
            .eigenvectors
            .column(index)
            .iter()
            .map(|x| r((x * 1e6).round() as i64, 1_000_000))
            .collect();
        let mut gamma = LayerVector::zeros(length, m);
        let mut gamma_hat = LayerVector::zeros(length, m);
        for (k, &atom) in support.iter().enumerate() {
            if k < a.len() {
                gamma.set(atom / m, atom % m, v[k].clone());
            } else {
                gamma_hat.set(atom / m, atom % m, -v[k].clone());
            }
        }
        let image = synthesis(&layer, &gamma).sum(&synthesis(&layer, &gamma_hat));
        let signal = image.map(|x| x / r(2, 1));
        let difference = gamma.difference(&gamma_hat);
        let d_delta = synthesis(&layer, &difference);
        let noise_squared = d_delta.inner_product(&d_delta) / r(4, 1);
        for candidate in [&gamma, &gamma_hat] {
            let verdict = noisy_deep_coding_problem(
                &model,
                &signal,
                std::slice::from_ref(candidate),
                &[lambda],
                std::slice::from_ref(&noise_squared),
            )
            .unwrap();
            assert!(verdict.is_feasible(), "N={length}: {verdict:?}");
        }
        let mu = mutual_coherence(&layer);
        let bound = stability_squared_budget(&noise_squared, lambda, &mu).unwrap();
        let distance = difference.inner_product(&difference);
        let check = layer_stability(&layer, length, lambda, &noise_squared, &bound);
        let (worst_lo, _) = check.worst_case_squared.clone().unwrap();
        println!(
            "N={length}: ‖Γ - Γ̂‖² = {:.6}, certified worst case ≥ {:.6}, bound E_1² = {:.6}",
            distance.to_f64(),
            worst_lo.to_f64(),
            bound.to_f64()
        );
        assert!(
            distance <= bound,
            "the stability bound fails on a feasible pair"
        );
        if distance.to_f64() >= 0.99 * worst_lo.to_f64() {
            attained += 1;
        }
        assert!(!distance.is_zero());
    }
    assert_eq!(
        attained, 2,
        "the worst case should be attained within 1% on both lengths"
    );
}
