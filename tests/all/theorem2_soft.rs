//! Theorem 2 with soft thresholding holds on generated instances that meet its hypotheses,
//! decided exactly (docs/math.md §6; proofs/theorem2.md).

use crate::theorem2_support;

use mlcsc::pursuit::Thresholding;

#[test]
fn layered_soft_thresholding_recovers_every_support_within_the_error_bound() {
    theorem2_support::theorem_holds_on_generated_instances(
        theorem2_support::paper_entry(Thresholding::Soft),
        file!(),
    );
}
