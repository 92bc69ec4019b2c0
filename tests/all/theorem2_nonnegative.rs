//! Theorem 2 with nonnegative thresholding holds on generated instances that meet its hypotheses,
//! decided exactly (docs/math.md §6; proofs/theorem2.md).

use crate::theorem2_support;

use mlcsc::pursuit::Thresholding;

#[test]
fn layered_nonnegative_thresholding_recovers_every_support_within_the_error_bound() {
    theorem2_support::theorem_holds_on_generated_instances(
        theorem2_support::paper_entry(Thresholding::Nonnegative),
        file!(),
    );
}
