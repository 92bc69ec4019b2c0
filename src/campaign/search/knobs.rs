//! The knobs of the Theorem 2 generator a search turns, and their mutations.

use super::*;

/// The generator knobs a candidate sets on top of the target's settings (`None`: the target's).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Knobs {
    /// The first-layer design.
    #[serde(serialize_with = "serialize_design")]
    pub first_layer: Option<FirstLayerDesign>,
    /// The largest depth.
    pub max_depth: Option<usize>,
    /// The probability of a noise-free case.
    pub noiseless_probability: Option<f64>,
    /// A fixed contrast.
    pub contrast: Option<f64>,
    /// A fixed window position of the last threshold.
    pub last_window_position: Option<f64>,
}

pub(super) fn serialize_design<Se: serde::Serializer>(
    d: &Option<FirstLayerDesign>,
    s: Se,
) -> Result<Se::Ok, Se::Error> {
    match d {
        Some(d) => s.serialize_str(crate::campaign::phase::design_name(*d)),
        None => s.serialize_none(),
    }
}

impl Knobs {
    /// The target's own settings.
    pub const NONE: Knobs = Knobs {
        first_layer: None,
        max_depth: None,
        noiseless_probability: None,
        contrast: None,
        last_window_position: None,
    };

    /// The target's settings with these knobs applied.
    pub fn apply(&self, base: &Theorem2Settings) -> Theorem2Settings {
        let mut settings = base.clone();
        if self.first_layer.is_some() {
            settings.first_layer = self.first_layer;
        }
        if let Some(depth) = self.max_depth {
            settings.max_depth = depth;
        }
        if let Some(p) = self.noiseless_probability {
            settings.noiseless_probability = p;
        }
        if self.contrast.is_some() {
            settings.contrast = self.contrast;
        }
        if self.last_window_position.is_some() {
            settings.last_window_position = self.last_window_position;
        }
        settings
    }

    /// A random change of one to three of the free knobs.
    pub(super) fn mutated(&self, rng: &mut ChaCha8Rng, free: &[Knob]) -> Knobs {
        let mut child = self.clone();
        if free.is_empty() {
            return child;
        }
        for _ in 0..rng.random_range(1..=3) {
            match free[rng.random_range(0..free.len())] {
                Knob::FirstLayer => {
                    child.first_layer = if rng.random_bool(0.2) {
                        None
                    } else {
                        Some(
                            FirstLayerDesign::ALL[rng.random_range(0..FirstLayerDesign::ALL.len())],
                        )
                    }
                }
                Knob::MaxDepth => child.max_depth = Some(rng.random_range(1..=3)),
                Knob::NoiselessProbability => {
                    let p = child.noiseless_probability.unwrap_or(0.1);
                    child.noiseless_probability = Some(nudge(rng, p, 0.0, 1.0));
                }
                Knob::Contrast => {
                    child.contrast = match child.contrast {
                        Some(_) if rng.random_bool(0.2) => None,
                        Some(c) => Some(nudge(rng, c, 0.01, 1.0)),
                        None => Some(rng.random_range(0.01..=1.0)),
                    }
                }
                Knob::LastWindowPosition => {
                    child.last_window_position = match child.last_window_position {
                        Some(_) if rng.random_bool(0.2) => None,
                        Some(theta) => Some(nudge(rng, theta, 1e-6, 1.0 - 1e-6)),
                        None => Some(rng.random_range(1e-6..=1.0 - 1e-6)),
                    }
                }
            }
        }
        child
    }

    /// A small change of the continuous knobs that are set (contrast, window position). The
    /// generator draws nothing for a knob that is set, so on the parent's stream the child is
    /// the parent's case with only these numbers moved: a local step.
    pub(super) fn nudged(&self, rng: &mut ChaCha8Rng, free: &[Knob]) -> Knobs {
        let mut child = self.clone();
        let step = |rng: &mut ChaCha8Rng, x: f64, low: f64, high: f64| {
            (x + (high - low) * rng.random_range(-LOCAL_STEP..=LOCAL_STEP)).clamp(low, high)
        };
        if free.contains(&Knob::Contrast) && rng.random_bool(0.5) {
            child.contrast = child.contrast.map(|c| step(rng, c, 0.01, 1.0));
        }
        if free.contains(&Knob::LastWindowPosition) {
            child.last_window_position = child
                .last_window_position
                .map(|t| step(rng, t, 1e-6, 1.0 - 1e-6));
        }
        child
    }
}

/// `x` moved by up to a quarter of the range, or to an end of it, clamped into `[low, high]`.
pub(super) fn nudge(rng: &mut ChaCha8Rng, x: f64, low: f64, high: f64) -> f64 {
    match rng.random_range(0..4) {
        0 => low,
        1 => high,
        _ => (x + (high - low) * rng.random_range(-0.25..=0.25)).clamp(low, high),
    }
}
