//! Forms of a statement as data: the published statement, or one with a part removed or a
//! constant changed (docs/math.md §8). The negative controls are such forms, and must be
//! refuted: Theorem 2 without its contrast term, without the factor `sqrt(p_i)` or without
//! hypothesis (b); layered basis pursuit with other constants; the Welch bound with one input
//! channel.

use num_rational::Ratio;

use crate::scalar::Rational;

/// A part of a published statement that a form may remove or change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Theorem 2: the contrast `|Γ_i^min| / |Γ_i^max|` in hypothesis (a) and the window's upper
    /// end (removed: replaced by 1, that is `|Γ^min|` by `|Γ^max|`).
    ContrastTerm,
    /// Theorem 2: the factor `sqrt(p_i)` of `ε_i`.
    PatchSparsityFactor,
    /// Theorem 2: hypothesis (b), the threshold window.
    ThresholdWindow,
    /// Layered basis pursuit: the factor 4 of the LASSO weight `ξ_i = 4 ε_{i−1}`.
    LassoWeightFactor,
    /// Layered basis pursuit: the factor 7.5 of the entrywise bound `7.5 ε_{i−1}`.
    EntrywiseErrorFactor,
    /// The Welch bound: the number `m_prev` of input channels of a layer.
    InputChannels,
}

impl Part {
    /// Whether the part is a constant a form replaces (the factors and the channel count);
    /// the others are clauses a form removes. A form that removes a constant or replaces a
    /// clause would be read as the published statement by one theorem and as a removal by
    /// another, so [`Variant`]'s constructors refuse it.
    pub const fn is_constant(self) -> bool {
        matches!(
            self,
            Part::LassoWeightFactor | Part::EntrywiseErrorFactor | Part::InputChannels
        )
    }
}

/// What a form does to one part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// The part is dropped from the statement.
    Removed(Part),
    /// The part's constant is replaced by this value.
    Replaced(Part, Ratio<i64>),
}

impl Change {
    /// The part changed.
    pub const fn part(self) -> Part {
        match self {
            Change::Removed(part) | Change::Replaced(part, _) => part,
        }
    }
}

/// The most changes one form makes.
const MAX_CHANGES: usize = 3;

/// A form of a statement: the published one ([`Variant::PAPER`]) with at most three parts
/// removed or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Variant {
    changes: [Option<Change>; MAX_CHANGES],
}

impl Variant {
    /// The statement as published.
    pub const PAPER: Variant = Variant {
        changes: [None; MAX_CHANGES],
    };

    /// This form with one more change (a later change of the same part wins).
    ///
    /// # Panics
    ///
    /// When the form already has three changes (a constant, so at compile time).
    const fn with_change(self, change: Change) -> Variant {
        let mut changes = self.changes;
        let mut k = 0;
        while k < MAX_CHANGES {
            if changes[k].is_none() {
                changes[k] = Some(change);
                return Variant { changes };
            }
            k += 1;
        }
        panic!("a form makes at most three changes");
    }

    /// This form with `part` removed.
    ///
    /// # Panics
    ///
    /// When `part` is a constant ([`Part::is_constant`]): a constant is replaced, not removed.
    pub const fn without(self, part: Part) -> Variant {
        assert!(!part.is_constant(), "a constant is replaced, not removed");
        self.with_change(Change::Removed(part))
    }

    /// This form with the constant of `part` replaced by `numerator / denominator`.
    ///
    /// # Panics
    ///
    /// When `part` is a clause, not a constant ([`Part::is_constant`]).
    pub const fn with(self, part: Part, numerator: i64, denominator: i64) -> Variant {
        assert!(part.is_constant(), "a clause is removed, not replaced");
        self.with_change(Change::Replaced(
            part,
            Ratio::new_raw(numerator, denominator),
        ))
    }

    /// The changes, in order.
    pub fn changes(&self) -> impl Iterator<Item = Change> + '_ {
        self.changes.iter().flatten().copied()
    }

    /// The last change to `part`, if any.
    pub fn change(&self, part: Part) -> Option<Change> {
        self.changes().filter(|c| c.part() == part).last()
    }

    /// Whether `part` is as published.
    pub fn keeps(&self, part: Part) -> bool {
        self.change(part).is_none()
    }

    /// Whether this is the published statement.
    pub fn is_paper(&self) -> bool {
        self.changes().next().is_none()
    }

    /// The constant of `part`: `published` unless this form replaces it.
    pub fn constant(&self, part: Part, published: Rational) -> Rational {
        match self.change(part) {
            Some(Change::Replaced(_, value)) => {
                Rational::new((*value.numer()).into(), (*value.denom()).into())
            }
            _ => published,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Part, Variant};

    #[test]
    #[should_panic(expected = "a constant is replaced, not removed")]
    fn removing_a_constant_is_refused() {
        let _ = Variant::PAPER.without(Part::LassoWeightFactor);
    }

    #[test]
    #[should_panic(expected = "a clause is removed, not replaced")]
    fn replacing_a_clause_is_refused() {
        let _ = Variant::PAPER.with(Part::ContrastTerm, 1, 2);
    }

    #[test]
    fn a_replaced_constant_is_read_and_a_removed_clause_is_not_kept() {
        let variant = Variant::PAPER
            .with(Part::EntrywiseErrorFactor, 1, 1)
            .without(Part::ThresholdWindow);
        assert!(!variant.keeps(Part::ThresholdWindow));
        assert!(variant.keeps(Part::ContrastTerm));
        let published = crate::scalar::Rational::from_integer(7.into());
        assert_eq!(
            variant.constant(Part::EntrywiseErrorFactor, published.clone()),
            crate::scalar::Rational::from_integer(1.into())
        );
        assert_eq!(
            variant.constant(Part::LassoWeightFactor, published.clone()),
            published
        );
    }
}
