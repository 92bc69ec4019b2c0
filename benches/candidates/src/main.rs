//! `cargo run --release -- SECTION [ROUNDS]` with SECTION one of `kernels`, `ratio`,
//! `intervals` (needs `--features intervals` and `RUSTFLAGS=-Ctarget-cpu=haswell`), `timing`.
//! Everything runs on one thread (the worker of a one-thread rayon pool).

use mlcsc_candidates::{kernels, measure, ratio, timing};

fn main() {
    // Everything runs on the one worker of a one-thread pool: the kernels' parallel blocks
    // then run inline on the measuring thread, whose CPU time the tables report.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool");
    pool.install(run);
}

fn run() {
    let args: Vec<String> = std::env::args().collect();
    let section = args.get(1).map_or("kernels", String::as_str);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(7);
    println!("load average at start: {}", measure::load_text());
    match section {
        "kernels" => kernels::run(rounds),
        "ratio" => ratio::run(rounds),
        "timing" => timing::run(),
        #[cfg(feature = "intervals")]
        "intervals" => mlcsc_candidates::intervals::run(rounds),
        other => {
            eprintln!(
                "unknown section {other}: kernels, ratio, intervals (with --features intervals), timing"
            );
            std::process::exit(2);
        }
    }
    println!("\nload average at end: {}", measure::load_text());
}
