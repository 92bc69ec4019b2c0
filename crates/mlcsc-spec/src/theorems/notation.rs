//! The notation of `docs/math.md` and the proofs, mapped to the code (`proofs/notation.md`,
//! included below; the proofs link here).
//!
#![doc = include_str!("../../../../proofs/notation.md")]
