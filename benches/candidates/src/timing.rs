//! Candidate 4: the timing of `mlcsc bench` (`src/bench/timing.rs`: the median of `repeat`
//! wall-clock runs after one untimed run, each run one call) on the kernel that
//! `benches/divan_analysis.rs` times with divan, so that the two can be set side by side.

use std::hint::black_box;
use std::time::Instant;

use mlcsc_engines::fast;
use mlcsc_spec::model::LayerVector;

use crate::kernels::{entries, layer};
use crate::measure::{median, seconds_text};

/// As `mlcsc::bench::timing::timed`: median wall-clock seconds of `repeat` runs after
/// `warm_up` untimed ones.
fn timed(repeat: usize, warm_up: usize, mut work: impl FnMut()) -> f64 {
    for _ in 0..warm_up {
        work();
    }
    median(
        (0..repeat.max(1))
            .map(|_| {
                let start = Instant::now();
                work();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// `fast::analysis` of the deepest forward-large layer at both lengths of the divan bench.
pub fn run() {
    for length in [1usize << 12, 1 << 16] {
        let layer = layer(1, 8, 32, 64, 1);
        let z = LayerVector::from_entries(length, 32, entries(length * 32, 2)).expect("sizes");
        let seconds = timed(20, 1, || {
            black_box(fast::analysis(&layer, black_box(&z)));
        });
        println!(
            "timed (mlcsc bench's clock), analysis_fast N = {length}: median {}",
            seconds_text(seconds)
        );
    }
}
