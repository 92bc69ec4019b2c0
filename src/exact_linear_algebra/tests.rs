//! Unit tests.

use super::*;
use num_bigint::BigInt;

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
