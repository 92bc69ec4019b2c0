//! The same kernel as `src/timing.rs`, timed by divan as `benches/fast_kernels.rs` times it:
//! `cargo bench --bench divan_analysis` (one rayon thread, as every measurement here).

use divan::{Bencher, black_box};
use mlcsc_candidates::kernels::{entries, layer};
use mlcsc_engines::fast;
use mlcsc_spec::model::LayerVector;

fn main() {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("the first pool");
    divan::main();
}

#[divan::bench(args = [1 << 12, 1 << 16], sample_count = 20)]
fn analysis_fast(bencher: Bencher, length: usize) {
    let layer = layer(1, 8, 32, 64, 1);
    let z = LayerVector::from_entries(length, 32, entries(length * 32, 2)).expect("sizes agree");
    bencher.bench(|| fast::analysis(&layer, black_box(&z)));
}
