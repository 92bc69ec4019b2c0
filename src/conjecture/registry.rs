//! Every registered theorem and conjecture.

use super::{
    Conjecture, DcpStabilityEntry, Definition1Entry, Entry, ExpectedStatus,
    LayeredBasisPursuitEntry, StripeRipEntry, StripeSparkEntry, Theorem2Entry, UniquenessEntry,
};
use crate::generate::filter_banks::filter_bank_instance;
use crate::theorems::welch_bound::WelchBound;

/// The registered entries, in the order `list` and `verify` show them.
pub fn registry() -> Vec<Box<dyn Conjecture>> {
    let mut entries: Vec<Box<dyn Conjecture>> = Theorem2Entry::all()
        .into_iter()
        .map(|entry| Box::new(entry) as Box<dyn Conjecture>)
        .collect();
    let others: Vec<Box<dyn Conjecture>> = vec![
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
    ];
    entries.extend(others);
    entries
}

/// The entry with this name.
pub fn find(name: &str) -> Option<Box<dyn Conjecture>> {
    registry().into_iter().find(|c| c.name() == name)
}
