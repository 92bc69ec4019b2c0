//! The clauses of every result, typed: what a failed hypothesis or a violated conclusion is
//! called (docs/math.md §8). A report names a clause by value; its text (the JSON value and the
//! command line's words) is made only at the edge, by [`Clause::as_str`].

use std::fmt;

#[cfg(feature = "serde")]
use serde::{Serialize, Serializer};

/// Theorem 2's hypotheses and conclusions (docs/math.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Theorem2Clause {
    /// The declared budget `ε_0` bounds the noise, `‖E‖^P_{2,∞} ≤ ε_0`.
    NoiseBudget,
    /// Every `Γ_i` is nonzero.
    NonzeroRepresentation,
    /// The ReLU form needs nonnegative `Γ_i`.
    NonnegativeRepresentation,
    /// Hypothesis (a): `‖Γ_i‖^S_{0,∞} < ½ (1 + 1/μ_i · |Γ_i^min| / |Γ_i^max|) − 1/μ_i · ε_{i−1} / |Γ_i^max|`.
    A,
    /// Hypothesis (b): the threshold lies strictly inside its window.
    B,
    /// Conclusion: `supp(Γ̂_i) = supp(Γ_i)`.
    Support,
    /// Conclusion: `‖Γ̂_i − Γ_i‖^P_{2,∞} ≤ ε_i`.
    PatchError,
    /// Conclusion: the entrywise error bound.
    EntrywiseError,
}

impl Theorem2Clause {
    /// The hypotheses, in the order they are decided.
    pub const HYPOTHESES: [Theorem2Clause; 5] = [
        Theorem2Clause::NoiseBudget,
        Theorem2Clause::NonzeroRepresentation,
        Theorem2Clause::NonnegativeRepresentation,
        Theorem2Clause::A,
        Theorem2Clause::B,
    ];
}

/// The hypotheses and conclusions of Theorem 2 for real layers (`proofs/theorem2_real_layers.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RealLayersClause {
    /// The declared budget `ε_0` bounds the noise over the first layer's atom supports.
    NoiseBudget,
    /// Every `Γ_i` is nonzero.
    NonzeroRepresentation,
    /// The ReLU form needs nonnegative `Γ_i`.
    NonnegativeRepresentation,
    /// The guard band: every `Γ_i` is supported on interior atoms of layer `i`.
    GuardBand,
    /// Hypothesis `(b_c)`: each channel's threshold lies strictly inside its window.
    ChannelWindow,
    /// Conclusion: `supp(Γ̂_i) = supp(Γ_i)` with equal signs.
    Support,
    /// Conclusion: `‖Γ̂_i − Γ_i‖^P_{2,∞} ≤ ε_i` over the next layer's atom supports.
    PatchError,
    /// Conclusion: the entrywise error of an atom of channel `c` is at most `δ_{i,c}`.
    EntrywiseError,
}

impl RealLayersClause {
    /// The hypotheses, in the order they are decided.
    pub const HYPOTHESES: [RealLayersClause; 5] = [
        RealLayersClause::NoiseBudget,
        RealLayersClause::NonzeroRepresentation,
        RealLayersClause::NonnegativeRepresentation,
        RealLayersClause::GuardBand,
        RealLayersClause::ChannelWindow,
    ];
}

/// Layered basis pursuit's hypotheses and conclusions (docs/math.md §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BasisPursuitClause {
    /// The declared budget bounds the noise.
    NoiseBudget,
    /// `‖Γ_i‖^S_{0,∞} < ⅓ (1 + 1/μ_i)`.
    StripeSparsity,
    /// `ε_0 > 0`, so that every LASSO weight is positive.
    PositiveNoiseLevel,
    /// `supp(Γ̂_i) ⊆ supp(Γ_i)`.
    SupportInclusion,
    /// `‖Γ̂_i − Γ_i‖_∞ ≤ 7.5 ε_{i−1}`.
    EntrywiseError,
    /// Every entry above `7.5 ε_{i−1}` is recovered.
    LargeEntryRecovery,
    /// `‖Γ̂_i − Γ_i‖^P_{2,∞} ≤ ε_i`.
    PatchError,
}

impl BasisPursuitClause {
    /// The hypotheses, in the order they are decided.
    pub const HYPOTHESES: [BasisPursuitClause; 3] = [
        BasisPursuitClause::NoiseBudget,
        BasisPursuitClause::StripeSparsity,
        BasisPursuitClause::PositiveNoiseLevel,
    ];
}

/// The clauses of uniqueness and stability of the deep coding problem, and of the stripe
/// lemmas (docs/math.md §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeepCodingClause {
    /// `‖Γ_i‖^S_{0,∞} ≤ λ_i`.
    StripeBudget,
    /// `λ_i < ½ (1 + 1/μ_i)`.
    UniquenessBound,
    /// The budget drawn lies below the uniqueness bound.
    BudgetBelowBound,
    /// `{Γ_i}` is the only solution of `DCP_λ`.
    UniqueSolution,
    /// `‖Γ_i − Γ̂_i‖_2 ≤ E_i` for every solution of `DCP^E_λ`.
    Stability,
    /// `σ_S(D) ≥ 1 + 1/μ(D)`.
    StripeSpark,
    /// The stripe RIP bounds hold on every support.
    StripeRip,
}

impl DeepCodingClause {
    /// The hypotheses of uniqueness and stability, in the order they are decided.
    pub const HYPOTHESES: [DeepCodingClause; 3] = [
        DeepCodingClause::StripeBudget,
        DeepCodingClause::UniquenessBound,
        DeepCodingClause::BudgetBelowBound,
    ];
}

/// A clause of some result.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Clause {
    /// Of Theorem 2.
    Theorem2(Theorem2Clause),
    /// Of Theorem 2 for real layers.
    RealLayers(RealLayersClause),
    /// Of layered basis pursuit.
    BasisPursuit(BasisPursuitClause),
    /// Of uniqueness, stability and the stripe lemmas.
    DeepCoding(DeepCodingClause),
    /// The Welch-type bound `μ(D_i)² ≥ (m − m_prev)/(m_prev (m(2n − 1) − 1))`.
    WelchBound,
    /// A clause a user's statement names itself (a stated conjecture's assumption or claim,
    /// or a constraint of Definition 1 with its problem).
    Named(String),
}

impl Clause {
    /// The clause's name: `a`, `support`, `stripe-budget`, … or the user's own.
    pub fn as_str(&self) -> &str {
        match self {
            Clause::Theorem2(clause) => match clause {
                Theorem2Clause::NoiseBudget => "noise-budget",
                Theorem2Clause::NonzeroRepresentation => "nonzero-representation",
                Theorem2Clause::NonnegativeRepresentation => "nonnegative-representation",
                Theorem2Clause::A => "a",
                Theorem2Clause::B => "b",
                Theorem2Clause::Support => "support",
                Theorem2Clause::PatchError => "patch-error",
                Theorem2Clause::EntrywiseError => "entrywise-error",
            },
            Clause::RealLayers(clause) => match clause {
                RealLayersClause::NoiseBudget => "noise-budget",
                RealLayersClause::NonzeroRepresentation => "nonzero-representation",
                RealLayersClause::NonnegativeRepresentation => "nonnegative-representation",
                RealLayersClause::GuardBand => "guard-band",
                RealLayersClause::ChannelWindow => "channel-window",
                RealLayersClause::Support => "support",
                RealLayersClause::PatchError => "patch-error",
                RealLayersClause::EntrywiseError => "entrywise-error",
            },
            Clause::BasisPursuit(clause) => match clause {
                BasisPursuitClause::NoiseBudget => "noise-budget",
                BasisPursuitClause::StripeSparsity => "stripe-sparsity",
                BasisPursuitClause::PositiveNoiseLevel => "positive-noise-level",
                BasisPursuitClause::SupportInclusion => "support-inclusion",
                BasisPursuitClause::EntrywiseError => "entrywise-error",
                BasisPursuitClause::LargeEntryRecovery => "large-entry-recovery",
                BasisPursuitClause::PatchError => "patch-error",
            },
            Clause::DeepCoding(clause) => match clause {
                DeepCodingClause::StripeBudget => "stripe-budget",
                DeepCodingClause::UniquenessBound => "uniqueness-bound",
                DeepCodingClause::BudgetBelowBound => "budget-below-bound",
                DeepCodingClause::UniqueSolution => "unique-solution",
                DeepCodingClause::Stability => "stability",
                DeepCodingClause::StripeSpark => "stripe-spark",
                DeepCodingClause::StripeRip => "stripe-rip",
            },
            Clause::WelchBound => "welch-bound",
            Clause::Named(name) => name,
        }
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl Serialize for Clause {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A clause compares equal to its name, so a test or a user may write `f.hypothesis == "b"`.
impl PartialEq<&str> for Clause {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

impl From<Theorem2Clause> for Clause {
    fn from(clause: Theorem2Clause) -> Self {
        Clause::Theorem2(clause)
    }
}

impl From<RealLayersClause> for Clause {
    fn from(clause: RealLayersClause) -> Self {
        Clause::RealLayers(clause)
    }
}

impl From<BasisPursuitClause> for Clause {
    fn from(clause: BasisPursuitClause) -> Self {
        Clause::BasisPursuit(clause)
    }
}

impl From<DeepCodingClause> for Clause {
    fn from(clause: DeepCodingClause) -> Self {
        Clause::DeepCoding(clause)
    }
}
