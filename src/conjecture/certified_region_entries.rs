//! The certified region as entries: CR4 on cases drawn inside their network's region, and its
//! negative control on cases one amplitude just outside (`mlcsc::generate::certified_region`).

use super::{Entry, ExpectedStatus};
use crate::generate::certified_region::{RegionControl, generate_certified_region_instance};
use crate::theorems::certified_region_theorem::CertifiedRegionTheorem;

/// CR4 or its control with its generator.
pub type CertifiedRegionEntry = Entry<CertifiedRegionTheorem>;

impl CertifiedRegionEntry {
    /// CR4: every case inside its network's region meets Theorem 2's hypotheses and holds,
    /// within the certificate's bounds.
    pub fn inside() -> Self {
        Entry::new(
            CertifiedRegionTheorem::stated(),
            |rng, name| generate_certified_region_instance(rng, RegionControl::Inside, name),
            ExpectedStatus::Theorem,
        )
    }

    /// Negative control: the amplitude bands dropped, on cases one amplitude just outside.
    pub fn outside() -> Self {
        Entry::new(
            CertifiedRegionTheorem::outside(),
            |rng, name| generate_certified_region_instance(rng, RegionControl::Outside, name),
            ExpectedStatus::KnownFalse,
        )
    }
}
