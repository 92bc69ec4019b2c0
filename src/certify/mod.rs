//! `mlcsc certify`: what Theorem 2 for real layers guarantees for a trained network
//! (`proofs/certified_region.md`). The network as read ([`crate::io::network::load_network`])
//! becomes a network of the specification ([`network`]: exact without batch norms), is folded
//! ([`mlcsc_spec::folding::fold`]), and its figures give the certified region
//! ([`mlcsc_spec::certified_region`]); [`report`] assembles what the command prints.

pub mod figures;
pub mod network;
pub mod plot;
pub mod report;

pub use report::{CERTIFY_FORMAT, CertifyReport, certify, certify_read};
