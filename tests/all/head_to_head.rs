//! The head-to-head of the forward pass and layered basis pursuit: deterministic for a seed,
//! and at low contrast and low noise, layered basis pursuit's hypotheses hold where Theorem 2's
//! fail (the seed's "better pursuit", made measurable).

use mlcsc::campaign::head_to_head::{head_to_head, head_to_head_csv};

#[test]
fn head_to_head_is_deterministic_and_shows_the_better_pursuit() {
    let cells = head_to_head(&[0.05, 1.0], &[0.01], 8, 3);
    let again = head_to_head(&[0.05, 1.0], &[0.01], 8, 3);
    assert_eq!(head_to_head_csv(&cells), head_to_head_csv(&again));
    eprint!("{}", head_to_head_csv(&cells));
    let low = &cells[0];
    assert_eq!(low.contrast, 0.05);
    assert_eq!(
        low.basis_pursuit_hypotheses, low.cases,
        "no contrast condition in basis pursuit"
    );
    assert!(
        low.forward_hypotheses < low.cases / 2,
        "Theorem 2 needs contrast"
    );
    assert!(low.basis_pursuit_success > low.forward_success);
    let high = &cells[1];
    assert_eq!(high.forward_success, high.cases);
}
