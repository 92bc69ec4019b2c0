//! Where the time of a certified case goes: generation and exact check, timed apart per
//! family of generated instance, on one thread.
//!
//! ```text
//! cargo run --release --example certified_case_split -- [ENTRY] [CASES] [SEED]
//! ```
//!
//! `ENTRY` is a registered name (default `theorem2-soft`), `CASES` the number of cases (1000),
//! `SEED` the master seed (2017). Recording is left out: it is under 1% of a campaign. Run it
//! on an idle machine and print the load average beside the figures.

use std::collections::BTreeMap;
use std::time::Instant;

use mlcsc::conjecture::find;
use mlcsc::generate::theorem2::case_rng;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("theorem2-soft", String::as_str);
    let cases: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2017);
    let Some(entry) = find(name) else {
        eprintln!("{name:?} is not a registered name (`mlcsc list` shows them)");
        std::process::exit(2);
    };
    // Per family: cases, generation seconds, check seconds.
    let mut families: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
    let (mut generation, mut check) = (0.0, 0.0);
    for case in 0..cases {
        let started = Instant::now();
        let instance = entry.generate(&mut case_rng(seed, case));
        let generated = started.elapsed().as_secs_f64();
        let started = Instant::now();
        std::hint::black_box(entry.check(&instance));
        let checked = started.elapsed().as_secs_f64();
        generation += generated;
        check += checked;
        let family = families.entry(instance.name.clone()).or_default();
        family.0 += 1;
        family.1 += generated;
        family.2 += checked;
    }
    println!(
        "{name}: {cases} cases on one thread: generation {generation:.3} s, check {check:.3} s, {:.0} certified cases/s end to end, {:.0}/s check only",
        cases as f64 / (generation + check),
        cases as f64 / check
    );
    for (family, (count, generated, checked)) in families {
        println!(
            "  {family:32} {count:6} cases   generation {:8.1} µs   check {:8.1} µs",
            generated / count as f64 * 1e6,
            checked / count as f64 * 1e6
        );
    }
}
