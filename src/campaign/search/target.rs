//! What a targeted search aims at: the margin, the direction and the knobs it may turn.

use super::*;

/// A margin of Theorem 2 on one case that meets the hypotheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Margin {
    /// The largest `‖Γ_i − Γ̂_i‖^P_{2,∞} / ε_i` over the layers (1 is the bound attained).
    Tightness,
    /// The last threshold's position `θ_K = (β_K − low) / (high − low)` in its window.
    WindowPosition,
    /// The smallest distance `min(θ_i, 1 − θ_i)` of a threshold to an end of its window.
    WindowEdgeDistance,
    /// The smallest margin of hypothesis (a) over the layers, relative to `|Γ_i^max|`:
    /// `((|Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|) / 2 − ε_{i-1}) / |Γ_i^max|`.
    HypothesisA,
}

impl Margin {
    /// Every margin.
    pub const ALL: [Margin; 4] = [
        Margin::Tightness,
        Margin::WindowPosition,
        Margin::WindowEdgeDistance,
        Margin::HypothesisA,
    ];

    /// The margin's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Margin::Tightness => "tightness",
            Margin::WindowPosition => "window-position",
            Margin::WindowEdgeDistance => "window-edge-distance",
            Margin::HypothesisA => "hypothesis-a",
        }
    }

    /// The margin with this name.
    pub fn parse(name: &str) -> Option<Margin> {
        Margin::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The margin's value on a report, or `None` when the case does not meet the hypotheses
    /// (or is undecided).
    pub fn value(self, report: &Theorem2Report) -> Option<f64> {
        if !matches!(report.verdict, Verdict::Holds | Verdict::Violated(_)) {
            return None;
        }
        let layers = &report.layers;
        let value = match self {
            Margin::Tightness => report.largest_tightness(),
            Margin::WindowPosition => layers.last()?.window_position,
            Margin::WindowEdgeDistance => layers
                .iter()
                .map(|l| l.window_position.min(1.0 - l.window_position))
                .fold(f64::INFINITY, f64::min),
            Margin::HypothesisA => layers
                .iter()
                .map(|l| {
                    crate::theorems::theorem2_bounds::relative_a_margin(
                        &profile_of_report(l),
                        l.epsilon_previous,
                    )
                })
                .fold(f64::INFINITY, f64::min),
        };
        value.is_finite().then_some(value)
    }
}

/// Which end of the margin the search drives toward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Toward the smallest value.
    Minimum,
    /// Toward the largest value.
    Maximum,
}

impl Direction {
    /// Whether `a` is strictly better than `b`.
    pub(super) fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Minimum => a < b,
            Direction::Maximum => a > b,
        }
    }
}

/// A generator knob the search may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Knob {
    /// [`Theorem2Settings::first_layer`].
    FirstLayer,
    /// [`Theorem2Settings::max_depth`].
    MaxDepth,
    /// [`Theorem2Settings::noiseless_probability`].
    NoiselessProbability,
    /// [`Theorem2Settings::contrast`].
    Contrast,
    /// [`Theorem2Settings::last_window_position`].
    LastWindowPosition,
}

impl Knob {
    /// Every knob.
    pub const ALL: [Knob; 5] = [
        Knob::FirstLayer,
        Knob::MaxDepth,
        Knob::NoiselessProbability,
        Knob::Contrast,
        Knob::LastWindowPosition,
    ];

    /// The knob's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Knob::FirstLayer => "first-layer",
            Knob::MaxDepth => "max-depth",
            Knob::NoiselessProbability => "noiseless-probability",
            Knob::Contrast => "contrast",
            Knob::LastWindowPosition => "last-window-position",
        }
    }

    /// The knob with this name.
    pub fn parse(name: &str) -> Option<Knob> {
        Knob::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What is searched: a form of Theorem 2, the generator settings the search starts from, and
/// the knobs it may change.
#[derive(Clone, Debug)]
pub struct SearchTarget {
    /// A name for reports (`theorem2-soft`).
    pub name: String,
    /// The statement checked.
    pub statement: Statement,
    /// The generator's starting settings.
    pub settings: Theorem2Settings,
    /// The knobs the search may change (the others keep the settings' values).
    pub free_knobs: Vec<Knob>,
}

impl SearchTarget {
    /// Theorem 2 as stated, for one variant, from the default generator settings.
    pub fn paper(variant: Thresholding) -> Self {
        SearchTarget {
            name: format!("theorem2-{}", variant.name()),
            statement: Statement::PAPER,
            settings: Theorem2Settings::new(variant),
            free_knobs: Knob::ALL.to_vec(),
        }
    }
}
