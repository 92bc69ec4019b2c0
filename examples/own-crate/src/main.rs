//! A conjecture of one's own, stated with `mlcsc::conjecture::conjecture` and run on a few
//! hundred generated cases: wherever Theorem 2's hypotheses hold, layered soft thresholding
//! recovers every support, and the deepest layer's estimate is within `ε_K` of `Γ_K` in the
//! patch norm (both parts of the theorem's conclusion, as a user would restate them).
//!
//! Run it with `cargo run --release --manifest-path examples/own-crate/Cargo.toml [CASES]`.

use mlcsc::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign};
use mlcsc::conjecture::prelude::*;

/// The conjecture: an open question to the campaign, though Theorem 2 answers it.
fn soft_thresholding_recovers_under_theorem2() -> Stated {
    conjecture("soft-thresholding-recovers-under-theorem2")
        .with_citation("Papyan, Romano, Elad: Theorem 2 of the seed paper, restated")
        .family(Family::theorem2(Thresholding::Soft).noisy())
        .assume("theorem2", |v| v.theorem2_hypotheses())
        .claim("soft thresholding recovers", |v| v.recovers(Pursuit::Soft))
        .event("deep", |v| v.depth() >= 2)
        .event("noisy", |v| !v.noiseless())
        .target("contrast", |v| v.contrast().to_f64())
}

fn main() {
    let cases = match std::env::args().nth(1) {
        None => 300,
        Some(text) => text.parse().unwrap_or_else(|_| {
            eprintln!("own-crate: {text:?} is not a number of cases");
            std::process::exit(2);
        }),
    };
    let stated = soft_thresholding_recovers_under_theorem2();
    let settings = CampaignSettings {
        cases,
        seed: 2017,
        shard: Shard::WHOLE,
        arithmetic: Arithmetic::Exact,
    };
    let report = run_campaign(&stated, settings, None, &|| {}).unwrap_or_else(|error| {
        eprintln!("own-crate: {error}");
        std::process::exit(2);
    });
    let s = &report.statistics;
    println!("{} ({}), seed 2017", report.conjecture, report.status);
    println!("cases {}", s.cases);
    println!("hypotheses met {}", s.hypotheses_met);
    println!("holds {}", s.holds);
    println!("violated {}", s.violated);
    println!("undecided {}", s.undecided);
    for (name, count) in &s.events {
        println!(
            "event {name}: {} cases, {} meeting the hypotheses",
            count.cases, count.hypotheses_met
        );
    }
    std::process::exit(if s.violated > 0 { 1 } else { 0 });
}
