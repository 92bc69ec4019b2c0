//! Checks: the statements of a stated conjecture, as comparisons whose sides are named
//! ([`Check::at_most`]`("s_i", s, "w_i", w)`, in `sides.rs`), exact comparisons of two unnamed
//! values ([`at_most`], [`below`], [`equal`], …) or plain `bool`s; a failed comparison carries
//! both values, its layer and its location, and a failed `bool` says it has no values to show.

use num_traits::Signed;

use crate::io::number::rational_to_text;
use crate::scalar::Rational;

/// The details of a failed or undecided [`Check`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detail {
    /// The layer, from 1, when the check is about one layer.
    pub layer: Option<usize>,
    /// The part of a compound statement that failed (`a` for Theorem 2's hypothesis (a)).
    pub part: Option<String>,
    /// Where (an atom, a patch); empty when the whole layer or instance is meant.
    pub location: String,
    /// The observed value, exactly.
    pub observed: String,
    /// The value it was compared with, exactly.
    pub bound: String,
    /// How far the observed value is on the wrong side, in `f64` (0 when not numeric).
    pub shortfall: f64,
}

/// The result of one statement about an instance.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// True.
    Pass,
    /// False, with both values.
    Fail(Detail),
    /// Not decided (a pursuit could not be certified).
    Undecided(Detail),
}

/// What the detail of a plain `bool` that is false says in place of its values: it has none.
pub const PLAIN_BOOL_FALSE: &str = "false (the rule returned a plain bool, which carries no values: state it with Check::at_most(\"left\", left, \"right\", right), or below, at_least, above, equal, to see both sides)";

/// A plain `bool`: `true` passes; `false` fails with a detail saying that it carries no values
/// ([`PLAIN_BOOL_FALSE`]), since a `bool` has lost both sides of whatever it compared.
impl From<bool> for Check {
    fn from(holds: bool) -> Check {
        if holds {
            Check::Pass
        } else {
            Check::Fail(Detail {
                observed: PLAIN_BOOL_FALSE.into(),
                bound: "true".into(),
                ..Detail::default()
            })
        }
    }
}

impl Check {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        matches!(self, Check::Pass)
    }

    /// This check, and then `next` if it passed.
    pub fn and(self, next: impl FnOnce() -> Check) -> Check {
        match self {
            Check::Pass => next(),
            other => other,
        }
    }

    fn map_detail(self, f: impl FnOnce(&mut Detail)) -> Check {
        match self {
            Check::Pass => Check::Pass,
            Check::Fail(mut d) => {
                f(&mut d);
                Check::Fail(d)
            }
            Check::Undecided(mut d) => {
                f(&mut d);
                Check::Undecided(d)
            }
        }
    }

    /// The same check, said to be about layer `layer` (unless it names a layer already).
    pub fn at_layer(self, layer: usize) -> Check {
        self.map_detail(|d| {
            d.layer.get_or_insert(layer);
        })
    }

    /// The same check with its location.
    pub fn at(self, location: impl Into<String>) -> Check {
        let location = location.into();
        self.map_detail(|d| d.location = location)
    }

    /// The same check, naming the part of a statement it is.
    pub fn part(self, part: impl Into<String>) -> Check {
        let part = part.into();
        self.map_detail(|d| d.part = Some(part))
    }
}

/// A value that can be compared exactly: rationals, and counts such as `s_i`.
pub trait Exact {
    /// The value as a rational.
    fn exact(self) -> Rational;
}

impl Exact for Rational {
    fn exact(self) -> Rational {
        self
    }
}

impl Exact for &Rational {
    fn exact(self) -> Rational {
        self.clone()
    }
}

macro_rules! exact_integer {
    ($($t:ty),*) => {$(
        impl Exact for $t {
            fn exact(self) -> Rational {
                Rational::from_integer((self as i128).into())
            }
        }
    )*};
}
exact_integer!(usize, u32, u64, i32, i64);

pub(super) fn compare(observed: Rational, bound: Rational, holds: bool) -> Check {
    if holds {
        return Check::Pass;
    }
    Check::Fail(Detail {
        shortfall: crate::scalar::rational_to_f64(&(&observed - &bound).abs()),
        observed: rational_to_text(&observed),
        bound: rational_to_text(&bound),
        ..Detail::default()
    })
}

/// `observed ≤ bound`, exactly; a failure shows both values unnamed ([`Check::at_most`] names
/// them).
pub fn at_most(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a <= b;
    compare(a, b, holds)
}

/// `observed < bound`, exactly; a failure shows both values unnamed ([`Check::below`] names
/// them).
pub fn below(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a < b;
    compare(a, b, holds)
}

/// `observed ≥ bound`, exactly; a failure shows both values unnamed ([`Check::at_least`] names
/// them).
pub fn at_least(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a >= b;
    compare(a, b, holds)
}

/// `observed > bound`, exactly; a failure shows both values unnamed ([`Check::above`] names
/// them).
pub fn above(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a > b;
    compare(a, b, holds)
}

/// `observed = bound`, exactly; a failure shows both values unnamed ([`Check::equal`] names
/// them).
pub fn equal(observed: impl Exact, bound: impl Exact) -> Check {
    let (a, b) = (observed.exact(), bound.exact());
    let holds = a == b;
    compare(a, b, holds)
}
