//! Conjectures as first-class citizens: anything with a generator, hypotheses and conclusions
//! gets the same machinery as the paper's theorems (campaigns, statistics, shrinking, saved
//! counterexamples, reports).
//!
//! The short way is [`conjecture`]: a builder ([`Stated`]) of a family, assumptions, claims,
//! events, targets and coverage floors over a per-layer [`View`] of each instance, which runs as
//! a test with domain shrinking ([`property`]) and is itself an [`Entry`]; see
//! `examples/conjectures/`. The long way implements [`Statement`], the one trait of the suite's
//! own results too (a name, a citation, [`Statement::hypotheses`] and
//! [`Statement::conclusions`]), and pairs it with a generator drawing an exact instance from a
//! seeded stream and an expected status in [`Entry::new`].

mod certified_region_entries;
mod check;
mod claims;
mod decide;
mod entry;
mod family;
mod image_entry_instances;
mod layer_view;
pub mod property;
mod real_layers_entries;
mod registry;
pub mod shrink;
mod sides;
pub mod simplify;
mod simplify_structure;
pub mod stated;
mod stated_details;
mod theorem2_entries;
mod tiny_entry_instances;
pub mod view;

use serde::Serialize;

pub use crate::exact_engine::{reference_engine, use_reference_engine};
pub use crate::theorems::outcome::Outcome;
pub use crate::theorems::statement::Statement;
pub use certified_region_entries::CertifiedRegionEntry;
pub use decide::{Arithmetic, Decided, decide, decide_image, settled};
pub use entry::{Entry, Generator, SizeLimit};
pub use real_layers_entries::RealLayersEntry;
pub use registry::{find, registry};
pub use sides::{Side, SideValue};
pub use stated::{Claims, Family, Stated, conjecture};
pub use theorem2_entries::Theorem2Entry;
pub use view::{Check, LayerView, Pursuit, View};

/// Everything a stated conjecture needs, in one import:
/// `use mlcsc::conjecture::prelude::*;`.
pub mod prelude {
    pub use super::property::{PropertyReport, explore, save_folder, test_conjecture};
    pub use super::sides::Side;
    pub use super::stated::{Family, Stated, conjecture};
    pub use super::view::{
        Check, Exact, LayerView, Pursuit, View, above, at_least, at_most, below, equal,
    };
    pub use super::{Entry, ExpectedStatus, Statement};
    pub use crate::generate::ChaCha8Rng;
    pub use crate::generate::filters::FirstLayerDesign;
    pub use crate::pursuit::Thresholding;
    pub use crate::scalar::{Rational, Scalar};
}

/// What a conjecture is believed to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExpectedStatus {
    /// Proved: a violation is a bug in the code or the proof.
    Theorem,
    /// Unknown: the campaign is the evidence.
    Open,
    /// Believed false: `verify` requires a counterexample.
    KnownFalse,
}

impl ExpectedStatus {
    /// `theorem`, `open` or `known-false`.
    pub fn name(self) -> &'static str {
        match self {
            ExpectedStatus::Theorem => "theorem",
            ExpectedStatus::Open => "open",
            ExpectedStatus::KnownFalse => "known-false",
        }
    }
}
