//! What `check` shows of a stated conjecture beyond its verdict.

use crate::theorems::outcome::{Cell, Details, Report};

/// What `check` shows of a stated conjecture beyond its verdict: whether each event happened,
/// and each target's value.
#[derive(Debug)]
pub(super) struct EventsAndTargets {
    pub(super) events: Vec<(String, bool)>,
    pub(super) targets: Vec<(String, f64)>,
}

impl Details for EventsAndTargets {
    fn render(&self) -> Report {
        let events = self
            .events
            .iter()
            .map(|(event, happened)| (format!("event {event}: "), Cell::Flag(*happened)));
        let targets = self
            .targets
            .iter()
            .map(|(name, value)| (format!("target {name}: "), Cell::Number(*value)));
        Report {
            lines: events.chain(targets).collect(),
            ..Report::default()
        }
    }
}
