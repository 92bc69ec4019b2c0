//! Writes `bench --workload forward-large`'s problem as an instance file, for measuring
//! `forward` and `check --arithmetic f64` on the numbers `bench` computes with.
//!
//! ```text
//! cargo run --release --example forward_large_instance -- FILE [N] [DEPTH] [CHANNELS]
//! ```
//!
//! The defaults are `bench`'s: `N = 65536`, 3 layers, 16 filters in the first. The file is new
//! (an existing one is never replaced) and is about 10 MB at the defaults: keep it out of the
//! repository.

use mlcsc::bench::forward::ForwardShape;
use mlcsc::bench::instance_file::forward_large_instance;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: forward_large_instance FILE [N] [DEPTH] [CHANNELS]");
        std::process::exit(2);
    };
    let argument = |k: usize, default: usize| -> usize {
        args.get(k).map_or(default, |s| {
            s.parse().unwrap_or_else(|_| {
                eprintln!("argument {k}: {s:?} is not a whole number");
                std::process::exit(2);
            })
        })
    };
    let shape = ForwardShape {
        length: argument(2, 65536),
        depth: argument(3, 3),
        channels: argument(4, 16),
    };
    if shape.length < 15 || shape.depth == 0 || shape.channels == 0 {
        eprintln!("N must be at least 15 (filters of length 8), DEPTH and CHANNELS at least 1");
        std::process::exit(2);
    }
    let text = serde_json::to_string(&forward_large_instance(&shape)).expect("JSON of a file");
    if let Err(e) = mlcsc::io::write_atomically(path.as_ref(), text.as_bytes(), false) {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    }
}
