//! `forward-large`'s problem as an `mlcsc-instance-1` file, so that `forward` and `check
//! --arithmetic f64` can be measured on the very numbers `bench` computes with.
//!
//! Every `f64` is written as its shortest round-trip decimal (`{:?}`), which the loader reads
//! exactly and rounds back to the same `f64`; so `InstanceFile::to_f64` gives back the drawn
//! problem bit for bit (filters included: they are unit only up to rounding, so the file is
//! for `--arithmetic f64`).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::forward::ForwardShape;
use super::problem::{Problem, problem};
use crate::io::{EntryFile, INSTANCE_FORMAT, InstanceFile, LayerFile};
use crate::model::LayerVector;

/// The density of `Γ_K` and the seed of `forward-large`'s draw.
const DENSITY: f64 = 0.01;
const SEED: u64 = 0;

/// The `f64` problem `bench --workload forward-large` draws for `shape`.
pub fn forward_large_problem(shape: &ForwardShape) -> Problem<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    problem::<f64>(&mut rng, shape.length, &shape.layers(), DENSITY)
}

fn number(x: f64) -> Value {
    Value::String(format!("{x:?}"))
}

fn sparse(v: &LayerVector<f64>) -> Vec<EntryFile> {
    v.support()
        .map(|(position, channel, value)| EntryFile {
            position: Value::from(position).into(),
            channel: Value::from(channel).into(),
            value: number(*value).into(),
        })
        .collect()
}

/// The instance file of `forward-large`'s problem for `shape` (soft thresholding, last patch
/// width 1, no noise budget, as the workload reports its norms).
pub fn forward_large_instance(shape: &ForwardShape) -> InstanceFile {
    let p = forward_large_problem(shape);
    InstanceFile {
        format: INSTANCE_FORMAT.into(),
        name: format!(
            "forward-large-n{}-k{}-m{}",
            shape.length, shape.depth, shape.channels
        ),
        source: "mlcsc::bench::instance_file::forward_large_instance (bench --workload forward-large's draw, seed 0)".into(),
        signal_length: Some(Value::from(shape.length)),
        signal_shape: None,
        input_channels: Value::from(1),
        thresholding: "soft".into(),
        layers: p
            .model
            .layers()
            .iter()
            .zip(&p.thresholds)
            .map(|(layer, beta)| LayerFile {
                stride: None,
                padding: None,
                filters: layer
                    .nested_filters()
                    .iter()
                    .map(|f| f.iter().map(|t| t.iter().map(|x| number(*x)).collect()).collect())
                    .collect(),
                threshold: number(*beta.shared().expect("the bench draws one threshold per layer")),
            })
            .collect(),
        deepest_representation: sparse(&p.deepest),
        noise: sparse(&p.noise),
        noise_budget: None,
        last_patch_width: Some(Value::from(1)),
    }
}
