//! Every registered theorem and conjecture.

use super::{
    Conjecture, DcpStabilityEntry, Definition1Entry, Entry, ExpectedStatus,
    LayeredBasisPursuitEntry, StripeRipEntry, StripeSparkEntry, Theorem2Entry, UniquenessEntry,
};
use crate::generate::filter_banks::filter_bank_instance;
use crate::pursuit::Thresholding;
use crate::theorems::welch_bound::WelchBound;

/// The registered entries, in the order `list` and `verify` show them.
pub fn registry() -> Vec<Box<dyn Conjecture>> {
    vec![
        Box::new(Theorem2Entry::paper(Thresholding::Soft)),
        Box::new(Theorem2Entry::paper(Thresholding::Nonnegative)),
        Box::new(Theorem2Entry::paper(Thresholding::Hard)),
        Box::new(Theorem2Entry::without_contrast_term()),
        Box::new(Theorem2Entry::without_patch_sparsity_factor()),
        Box::new(Theorem2Entry::threshold_outside_window()),
        Box::new(LayeredBasisPursuitEntry),
        Box::new(UniquenessEntry),
        Box::new(StripeSparkEntry),
        Box::new(StripeRipEntry),
        Box::new(DcpStabilityEntry),
        Box::new(Definition1Entry),
        Box::new(Entry::new(
            WelchBound::STATED,
            filter_bank_instance,
            ExpectedStatus::Theorem,
        )),
        Box::new(Entry::new(
            WelchBound::SINGLE_CHANNEL,
            filter_bank_instance,
            ExpectedStatus::KnownFalse,
        )),
    ]
}

/// The entry with this name.
pub fn find(name: &str) -> Option<Box<dyn Conjecture>> {
    registry().into_iter().find(|c| c.name() == name)
}
