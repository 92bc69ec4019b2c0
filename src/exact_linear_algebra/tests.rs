//! Unit tests.

use super::*;
use num_bigint::BigInt;
use num_traits::Zero;

use crate::scalar::Scalar;
use crate::small_rational::SmallRational;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

fn matrix(rows: usize, columns: usize, entries: &[i64]) -> DMatrix<Rational> {
    DMatrix::from_row_iterator(rows, columns, entries.iter().map(|&e| r(e, 1)))
}

#[test]
fn rank_and_null_space_of_a_dependent_matrix() {
    let a = matrix(2, 3, &[1, 2, 3, 2, 4, 6]);
    assert_eq!(rank(&a), 1);
    let basis = null_space(&a);
    assert_eq!(basis.len(), 2);
    for v in &basis {
        assert!(matrix_vector_product(&a, v).iter().all(Zero::is_zero));
    }
}

#[test]
fn solving_reports_every_kind_of_solution_set() {
    let a = matrix(2, 2, &[2, 1, 1, 3]);
    let b = DVector::from_vec(vec![r(3, 1), r(4, 1)]);
    assert_eq!(
        solve(&a, &b).unwrap(),
        DVector::from_vec(vec![r(1, 1), r(1, 1)])
    );
    let singular = matrix(2, 2, &[1, 1, 1, 1]);
    let inconsistent = DVector::from_vec(vec![r(1, 1), r(2, 1)]);
    assert_eq!(
        solve_linear_system(&singular, &inconsistent).unwrap(),
        LinearSystemSolution::Inconsistent
    );
    let consistent = DVector::from_vec(vec![r(1, 1), r(1, 1)]);
    assert!(matches!(
        solve_linear_system(&singular, &consistent).unwrap(),
        LinearSystemSolution::Affine { .. }
    ));
    assert!(matches!(
        solve(&singular, &consistent),
        Err(LinearAlgebraError::Singular { size: 2, rank: 1 })
    ));
}

#[test]
fn least_squares_on_a_support_solves_the_normal_equations() {
    // Columns e1, e2 of R³ and b = (1, 2, 3): the fit on {0, 1} is (1, 2).
    let a = matrix(3, 3, &[1, 0, 1, 0, 1, 1, 0, 0, 0]);
    let b = DVector::from_vec(vec![r(1, 1), r(2, 1), r(3, 1)]);
    let x = least_squares_on_support(&a, &b, &[0, 1]).unwrap();
    assert_eq!(x, DVector::from_vec(vec![r(1, 1), r(2, 1)]));
    assert!(matches!(
        least_squares_on_support(
            &matrix(2, 2, &[1, 1, 1, 1]),
            &b.rows(0, 2).into_owned(),
            &[0, 1]
        ),
        Err(LinearAlgebraError::DependentColumns {
            columns: 2,
            rank: 1
        })
    ));
}

#[test]
fn definiteness_tests_are_exact_at_the_boundary() {
    // [[1, 1], [1, 1]] has eigenvalues 0 and 2.
    let a = matrix(2, 2, &[1, 1, 1, 1]);
    assert!(is_positive_semidefinite(&a));
    assert!(!is_positive_definite(&a));
    assert!(smallest_eigenvalue_at_least(&a, &r(0, 1)));
    assert!(!smallest_eigenvalue_at_least(&a, &r(1, 1_000_000)));
    assert!(largest_eigenvalue_at_most(&a, &r(2, 1)));
    assert!(!largest_eigenvalue_at_most(&a, &r(1999, 1000)));
    // A zero pivot with a nonzero row is indefinite.
    assert!(!is_positive_semidefinite(&matrix(2, 2, &[0, 1, 1, 5])));
}

#[test]
fn smallest_eigenvalue_is_enclosed_by_bisection() {
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
    let a = matrix(2, 2, &[2, 1, 1, 2]);
    let enclosure = smallest_eigenvalue_enclosure(&a, 30);
    assert!(enclosure.lo < r(1, 1) && r(1, 1) <= enclosure.hi);
    assert!(&enclosure.hi - &enclosure.lo < r(1, 1 << 24));
}

#[test]
fn incremental_span_detects_dependence() {
    let mut span = IncrementalSpan::new();
    let v = |e: [i64; 3]| DVector::from_vec(e.iter().map(|&x| r(x, 1)).collect());
    assert!(span.insert(&v([1, 1, 0])));
    assert!(span.insert(&v([0, 1, 1])));
    assert!(!span.insert(&v([1, 2, 1])));
    assert!(span.insert(&v([1, 0, 0])));
    span.remove_last();
    assert_eq!(span.dimension(), 2);
    assert!(!span.insert(&v([2, 3, 1])));
}

/// A seeded matrix with entries `a / d`, `d` in {1, 2, 3, 5, 13, 51}; with `huge`, some entries
/// have numerators and denominators near `2^62`, so that [`SmallRational`] overflows its
/// machine words and falls back to big integers mid-elimination.
fn seeded_matrix(
    rng: &mut rand_chacha::ChaCha8Rng,
    rows: usize,
    columns: usize,
    huge: bool,
) -> DMatrix<Rational> {
    use rand::RngExt;
    DMatrix::from_fn(rows, columns, |_, _| {
        if rng.random_range(0..3) == 0 {
            return Rational::zero();
        }
        if huge && rng.random_range(0..4) == 0 {
            let big = (1i64 << 62) - rng.random_range(1..1000i64);
            return r(rng.random_range(-3..=3) * (big / 4), big - 1);
        }
        let d = [1, 2, 3, 5, 13, 51][rng.random_range(0..6)];
        r(rng.random_range(-9..=9), d)
    })
}

fn small(matrix: &DMatrix<Rational>) -> DMatrix<SmallRational> {
    to_small_rationals(matrix)
}

fn big_matrix(matrix: &DMatrix<SmallRational>) -> DMatrix<Rational> {
    matrix.map(|x| x.to_big())
}

#[test]
fn small_rational_elimination_equals_big_rational_elimination() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(61);
    let (mut wide_or_big, mut big) = (0, 0);
    for case in 0..300 {
        let (rows, columns) = (1 + case % 5, 1 + case / 5 % 6);
        let a = seeded_matrix(&mut rng, rows, columns, case % 3 == 0);
        let echelon = reduced_row_echelon_form(&a);
        let fast = reduced_row_echelon_form(&small(&a));
        assert_eq!(big_matrix(&fast.reduced), echelon.reduced, "case {case}");
        assert_eq!(fast.pivot_columns, echelon.pivot_columns);
        wide_or_big += usize::from(fast.reduced.iter().any(|x| !x.is_small()));
        big += usize::from(fast.reduced.iter().any(SmallRational::is_big));
        let null: Vec<_> = null_space(&small(&a))
            .iter()
            .map(to_big_rationals)
            .collect();
        assert_eq!(null, null_space(&a));
        let b = seeded_matrix(&mut rng, rows, 1, false)
            .column(0)
            .into_owned();
        let exact = solve_linear_system(&a, &b).unwrap();
        let fast = solve_linear_system(&small(&a), &b.map(|x| SmallRational::from(&x))).unwrap();
        let fast = match fast {
            LinearSystemSolution::Inconsistent => LinearSystemSolution::Inconsistent,
            LinearSystemSolution::Unique(x) => LinearSystemSolution::Unique(to_big_rationals(&x)),
            LinearSystemSolution::Affine {
                particular,
                null_space,
            } => LinearSystemSolution::Affine {
                particular: to_big_rationals(&particular),
                null_space: null_space.iter().map(to_big_rationals).collect(),
            },
        };
        assert_eq!(fast, exact, "case {case}");
        let mut span = IncrementalSpan::new();
        let mut fast_span = IncrementalSpan::new();
        for k in 0..columns {
            let column = a.column(k).into_owned();
            let small_column = column.map(|x| SmallRational::from(&x));
            assert_eq!(fast_span.insert(&small_column), span.insert(&column));
        }
    }
    println!(
        "of 300 reduced forms, {wide_or_big} leave machine words and {big} hold big rationals"
    );
    assert!(
        wide_or_big >= 15 && big >= 5,
        "too few cases exercise the wide and big forms"
    );
}

#[test]
fn small_rational_definiteness_equals_big_rational_definiteness() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(62);
    let (mut definite, mut semidefinite_only) = (0, 0);
    for case in 0..200 {
        let columns = 1 + case % 5;
        // Gram matrices of dependent and independent columns: semidefinite, often definite.
        let a = seeded_matrix(&mut rng, 1 + case / 5 % 5, columns, case % 4 == 0);
        let gram = gram_matrix(&a);
        let fast = gram_matrix(&small(&a));
        assert_eq!(big_matrix(&fast), gram);
        let verdicts = (is_positive_definite(&gram), is_positive_semidefinite(&gram));
        assert_eq!(
            (is_positive_definite(&fast), is_positive_semidefinite(&fast)),
            verdicts
        );
        definite += usize::from(verdicts.0);
        semidefinite_only += usize::from(verdicts.1 && !verdicts.0);
        let shift = r(case as i64 % 7 - 2, 3);
        let fast_shift = SmallRational::from(&shift);
        assert_eq!(
            smallest_eigenvalue_at_least(&fast, &fast_shift),
            smallest_eigenvalue_at_least(&gram, &shift)
        );
        assert_eq!(
            largest_eigenvalue_at_most(&fast, &fast_shift),
            largest_eigenvalue_at_most(&gram, &shift)
        );
        let enclosure = smallest_eigenvalue_enclosure(&gram, 40);
        let fast = smallest_eigenvalue_enclosure(&fast, 40);
        assert_eq!(
            (fast.lo.to_big(), fast.hi.to_big()),
            (enclosure.lo, enclosure.hi)
        );
    }
    assert!(
        definite >= 20 && semidefinite_only >= 20,
        "{definite} definite, {semidefinite_only} only semidefinite"
    );
}

#[test]
fn enclosure_near_an_estimate_is_certified_or_refused() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(63);
    let (mut confirmed, mut refused) = (0, 0);
    for case in 0..120 {
        let a = seeded_matrix(&mut rng, 2 + case % 4, 1 + case % 5, false);
        let gram = to_small_rationals(&gram_matrix(&a));
        let estimate = gram.map(|x| x.to_f64()).symmetric_eigenvalues().min();
        let bisection = smallest_eigenvalue_enclosure(&gram, 40);
        let near = smallest_eigenvalue_enclosure_near(&gram, estimate, 42)
            .expect("the f64 eigenvalue of a small matrix is within 2^-42");
        // Both enclose the same eigenvalue: the intervals meet, and the new one is narrower.
        assert!(
            near.lo < bisection.hi && bisection.lo < near.hi,
            "case {case}"
        );
        assert!(near.hi.clone() - near.lo.clone() <= SmallRational::new(3, 1 << 42));
        confirmed += 1;
        // An estimate off by more than the grid is refused by one of the exact tests.
        for wrong in [estimate + 1e-9, estimate - 1e-9, f64::NAN] {
            assert!(smallest_eigenvalue_enclosure_near(&gram, wrong, 42).is_none());
            refused += 1;
        }
    }
    assert!(confirmed == 120 && refused == 360);
    // An eigenvalue on the grid itself (the identity's 1) is enclosed with lo < 1 ≤ hi.
    let identity = DMatrix::from_fn(3, 3, |i, j| r(i64::from(i == j), 1));
    let near = smallest_eigenvalue_enclosure_near(&identity, 1.0, 42).unwrap();
    assert!(near.lo < r(1, 1) && r(1, 1) <= near.hi);
}

#[test]
fn independence_modulo_a_prime_certifies_independence_over_the_rationals() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(64);
    for modulus in [2, 3, 5, SPAN_MODULUS] {
        let (mut agreed, mut false_dependencies) = (0, 0);
        for case in 0..200 {
            let vectors = seeded_matrix(&mut rng, 2 + case % 5, 1 + case % 7, case % 5 == 0);
            let mut modular = ModularSpan::new(modulus);
            let mut exact = IncrementalSpan::new();
            for k in 0..vectors.ncols() {
                let column = vectors.column(k).into_owned();
                let independent_mod_p = modular.insert(&modular.residues(&column));
                let independent = exact.insert(&column);
                // Independent modulo p implies independent over Q (never the reverse failure).
                assert!(
                    independent || !independent_mod_p,
                    "p = {modulus}, case {case}"
                );
                if independent != independent_mod_p {
                    false_dependencies += 1;
                    break;
                }
                agreed += 1;
            }
        }
        println!("p = {modulus}: {agreed} answers agreed, {false_dependencies} false dependencies");
        assert!(agreed >= 300);
        if modulus == SPAN_MODULUS {
            assert_eq!(false_dependencies, 0, "a false dependency modulo 2^61 − 1");
        } else {
            assert!(
                false_dependencies >= 5,
                "a small prime should meet false dependencies"
            );
        }
    }
}
