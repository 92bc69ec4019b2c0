//! Theorem 2 of Papyan, Romano and Elad, as the suite runs it: the statement and its two
//! passes from the specification ([`mlcsc_spec::theorems::theorem2`]), decided by the fast
//! exact engine or, in `f64`, by the sound `f64` check; the registered forms ([`Theorem2`]) and
//! what a campaign records of a report ([`outcome_of`]).

pub use mlcsc_engines::theorem2_report::{
    DecidedBy, LayerReport, Theorem2Report, exact_report, tightness,
};
pub use mlcsc_spec::theorems::theorem2::*;

use crate::exact_engine::IntegerViews;
use crate::instance::Instance;
use crate::integer_view::IntegerView;

mod form;
mod outcome;

pub use form::Theorem2;
pub use mlcsc_engines::theorem2_f64::screen_out_of_range;
pub use outcome::outcome_of;

/// Checks a form of Theorem 2 on an instance, with the variant given by the instance's
/// `thresholding`. In exact arithmetic the verdict is certified
/// ([`DecidedBy::Exact`]), by the fast exact engine
/// ([`IntegerViews`]); in `f64` it comes from
/// [`super::theorem2_f64::check_theorem2_f64`], whose `holds`, `violated` and `vacuous` are
/// right whenever given and which says `undecided` where rounding could matter.
pub fn check_theorem2_statement<S: IntegerView>(
    instance: &Instance<S>,
    statement: Statement,
) -> Theorem2Report {
    if S::EXACT {
        exact_report::<S, IntegerViews>(instance, statement)
    } else if let Some(image) = (instance as &dyn std::any::Any).downcast_ref::<Instance<f64>>() {
        // An `f64` instance is its own image (`to_f64` is the identity): no copy.
        super::theorem2_f64::check_theorem2_f64(image, statement)
    } else {
        super::theorem2_f64::check_theorem2_f64(&instance.map(|x: &S| x.to_f64()), statement)
    }
}

/// Theorem 2 as stated in the paper (see [`check_theorem2_statement`]).
pub fn check_theorem2<S: IntegerView>(instance: &Instance<S>) -> Theorem2Report {
    check_theorem2_statement(instance, Statement::PAPER)
}
