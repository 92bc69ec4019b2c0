//! The shortcuts of the exhaustive checks agree with the plain computation (docs/math.md §7;
//! proofs/uniqueness.md, D3): Gram certificates decided once per class of supports under
//! cyclic shifts equal the certificates decided support by support, in big rationals; and the
//! enclosures of the extreme eigenvalues, placed around the `f64` screen's estimate, are
//! certified on every support; and the stripe spark searched with independence tested modulo a
//! prime equals the search in rationals, falling back to it on a false dependency.

use crate::common;

use mlcsc::coherence::mutual_coherence;
use mlcsc::exact_linear_algebra::{
    SPAN_MODULUS, gram_on_support, is_positive_definite, largest_eigenvalue_at_most,
    shifted_by_identity, smallest_eigenvalue_at_least,
};
use mlcsc::theorems::stripe_rip::{certify_gram_bounds, stripe_rip_constants};
use mlcsc::theorems::stripe_spark::{
    StripeSpark, stripe_spark, stripe_spark_in_rationals, stripe_spark_modulo,
};
use mlcsc::theorems::support_enumeration::{
    exact_dictionary, for_each_support_within_budget, shift_canonical_support,
};
use mlcsc::{Layer, Rational};

/// The catalogue at `N = 2n − 1, 2n, 2n + 1`, at most `max_atoms` atoms.
fn tiny_dictionaries(max_atoms: usize) -> Vec<(String, Layer<Rational>, usize)> {
    common::tiny_dictionaries(|n| vec![2 * n - 1, 2 * n, 2 * n + 1], max_atoms)
}

/// Atom `(p, c)` moved to `((p + s) mod N, c)`.
fn shift_atom(atom: usize, s: usize, length: usize, channels: usize) -> usize {
    ((atom / channels + s) % length) * channels + atom % channels
}

#[test]
fn lemma_gram_matrices_of_shifted_supports_are_permutation_similar() {
    let mut checked = 0;
    for (name, layer, length) in tiny_dictionaries(16) {
        let dictionary = exact_dictionary(&layer, length);
        let (m, n) = (layer.filter_count(), layer.filter_length());
        let budget = if length * m <= 12 { 3 } else { 2 };
        for_each_support_within_budget(length, m, n, budget, |t| {
            let gram = gram_on_support(&dictionary, t).unwrap();
            let canonical = shift_canonical_support(t, length, m);
            let mut canonical_is_a_shift = false;
            for s in 0..length {
                // The atoms of T + s listed in the order of T: the Gram matrix is the same.
                let shifted: Vec<usize> = t.iter().map(|&a| shift_atom(a, s, length, m)).collect();
                assert_eq!(
                    gram_on_support(&dictionary, &shifted).unwrap(),
                    gram,
                    "{name} N={length}: T = {t:?} shifted by {s}"
                );
                let mut sorted = shifted;
                sorted.sort_unstable();
                assert!(
                    canonical <= sorted,
                    "{name} N={length}: {t:?} has a smaller shift"
                );
                canonical_is_a_shift |= canonical == sorted;
            }
            assert!(
                canonical_is_a_shift,
                "{name} N={length}: {canonical:?} is no shift of {t:?}"
            );
            checked += 1;
        });
    }
    println!("{checked} supports compared with every shift");
    assert!(checked >= 3_000, "too few supports compared: {checked}");
}

/// The first support, in enumeration order, whose Gram matrix fails `holds`, decided in big
/// rationals support by support.
fn first_failure_by_support(
    layer: &Layer<Rational>,
    length: usize,
    budget: usize,
    holds: impl Fn(&nalgebra::DMatrix<Rational>) -> bool,
) -> Option<Vec<usize>> {
    let dictionary = exact_dictionary(layer, length);
    let mut first = None;
    for_each_support_within_budget(
        length,
        layer.filter_count(),
        layer.filter_length(),
        budget,
        |t| {
            if first.is_none() && !holds(&gram_on_support(&dictionary, t).unwrap()) {
                first = Some(t.to_vec());
            }
        },
    );
    first
}

#[test]
fn gram_certificates_by_shift_class_equal_the_certificates_support_by_support() {
    let (mut cases, mut violated) = (0, 0);
    let width = Rational::new(1.into(), (1u64 << 38).into());
    for (name, layer, length) in tiny_dictionaries(12) {
        let mu = mutual_coherence(&layer);
        let dictionary = exact_dictionary(&layer, length);
        for k in 1..=3 {
            // The constants of the stripe RIP, and the wrong ones 1 ∓ (k − 2)μ, which fail.
            for constants_of in [k, k - 1] {
                let (lower, upper) = stripe_rip_constants(&mu, constants_of);
                let certificate = certify_gram_bounds(&layer, length, k, &lower, Some(&upper));
                let here = format!("{name} N={length} k={k} constants of {constants_of}");
                assert_eq!(
                    certificate.lower_violation,
                    first_failure_by_support(&layer, length, k, |g| {
                        smallest_eigenvalue_at_least(g, &lower)
                    }),
                    "{here}: lower"
                );
                assert_eq!(
                    certificate.upper_violation,
                    first_failure_by_support(&layer, length, k, |g| {
                        largest_eigenvalue_at_most(g, &upper)
                    }),
                    "{here}: upper"
                );
                violated += usize::from(!certificate.holds());
                // Both enclosures: no support beyond the strict end, the named support within.
                let smallest = &certificate.smallest;
                let largest = certificate.largest.as_ref().unwrap();
                assert!(&smallest.hi - &smallest.lo <= width && &largest.hi - &largest.lo <= width);
                for_each_support_within_budget(
                    length,
                    layer.filter_count(),
                    layer.filter_length(),
                    k,
                    |t| {
                        let gram = gram_on_support(&dictionary, t).unwrap();
                        assert!(
                            is_positive_definite(&shifted_by_identity(&gram, &smallest.lo)),
                            "{here}: λ_min ≤ lo on {t:?}"
                        );
                        let negated = gram.map(|x| -x);
                        assert!(
                            is_positive_definite(&shifted_by_identity(
                                &negated,
                                &-largest.hi.clone()
                            )),
                            "{here}: λ_max ≥ hi on {t:?}"
                        );
                    },
                );
                let at = |support: &[usize]| gram_on_support(&dictionary, support).unwrap();
                assert!(!is_positive_definite(&shifted_by_identity(
                    &at(&smallest.support),
                    &smallest.hi
                )));
                assert!(!is_positive_definite(&shifted_by_identity(
                    &at(&largest.support).map(|x| -x),
                    &-largest.lo.clone()
                )));
                cases += 1;
            }
        }
    }
    println!("{cases} certificates compared, {violated} of them with a violation");
    assert!(
        cases >= 60 && violated >= 10,
        "{cases} cases, {violated} violated"
    );
}

#[test]
fn stripe_spark_modulo_a_prime_equals_the_search_in_rationals() {
    let (mut confirmed, mut fell_back) = (0, 0);
    for (name, layer, length) in tiny_dictionaries(16) {
        let exact = stripe_spark_in_rationals(&layer, length);
        let same = |s: &StripeSpark| {
            s.spark == exact.spark
                && s.witness == exact.witness
                && s.coverage.supports_enumerated == exact.coverage.supports_enumerated
        };
        assert!(same(&stripe_spark(&layer, length)), "{name} N={length}");
        for modulus in [2, 3, 5, 7, SPAN_MODULUS] {
            match stripe_spark_modulo(&layer, length, modulus) {
                Some(spark) => {
                    assert!(same(&spark), "{name} N={length} p={modulus}");
                    confirmed += 1;
                }
                None => {
                    assert_ne!(modulus, SPAN_MODULUS, "{name} N={length}");
                    fell_back += 1;
                }
            }
        }
    }
    println!("{confirmed} searches modulo a prime confirmed, {fell_back} met a false dependency");
    assert!(
        confirmed >= 40 && fell_back >= 5,
        "{confirmed} confirmed, {fell_back} fell back"
    );
}
