//! `mlcsc list`: the registered theorems and conjectures.

use super::output::outln;
use serde_json::json;

use super::Entries;
use super::output::{CliError, print_json};

pub fn run(known: &Entries<'_>, json: bool) -> Result<i32, CliError> {
    let entries: Vec<_> = known
        .all()
        .into_iter()
        .map(|c| {
            json!({
                "name": c.name(),
                "status": c.status().name(),
                "citation": c.citation(),
                "default-cases": c.default_cases(),
            })
        })
        .collect();
    if json {
        print_json(&json!({ "entries": entries }));
    } else {
        for c in known.all() {
            outln!(
                "{:<42} {:<12} {}",
                c.name(),
                c.status().name(),
                c.citation()
            );
        }
    }
    Ok(0)
}
