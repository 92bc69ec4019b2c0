//! `mlcsc forward FILE`: the estimates of a pursuit, per layer.

use super::output::outln;
use std::path::Path;

use mlcsc::io::Instance;
use mlcsc::model::LayerVector;
use mlcsc::pursuit::{cnn, layered_thresholding};
use mlcsc::scalar::Scalar;
use serde_json::json;

use super::output::{CliError, exact_instance, float_instance, print_json, read_instance_file, short};
use super::{ArithmeticArg, PursuitArg};

fn estimates<S: Scalar>(instance: &Instance<S>, pursuit: PursuitArg) -> Vec<LayerVector<S>> {
    let (signal, _) = instance.signal_and_chain();
    match pursuit {
        PursuitArg::Thresholding => {
            layered_thresholding(&instance.model, &signal, &instance.thresholds, instance.thresholding)
        }
        PursuitArg::Cnn => cnn::cnn_forward(&instance.model, &signal, &instance.thresholds),
    }
}

fn as_rows<S: Scalar>(v: &LayerVector<S>) -> Vec<Vec<f64>> {
    (0..v.length())
        .map(|p| v.at_position(p).iter().map(|x| x.to_f64()).collect())
        .collect()
}

pub fn run(path: &Path, pursuit: PursuitArg, arithmetic: ArithmeticArg, json: bool) -> Result<i32, CliError> {
    let file = read_instance_file(path)?;
    let layers: Vec<Vec<Vec<f64>>> = match arithmetic {
        ArithmeticArg::Exact => estimates(&exact_instance(path, &file)?, pursuit).iter().map(as_rows).collect(),
        ArithmeticArg::F64 => estimates(&float_instance(path, &file)?, pursuit).iter().map(as_rows).collect(),
    };
    let name = match pursuit {
        PursuitArg::Thresholding => "thresholding",
        PursuitArg::Cnn => "cnn",
    };
    if json {
        let layers: Vec<_> = layers
            .iter()
            .enumerate()
            .map(|(i, estimate)| json!({ "layer": i + 1, "estimate": estimate }))
            .collect();
        print_json(&json!({ "pursuit": name, "layers": layers }));
    } else {
        outln!("pursuit: {name}");
        for (i, estimate) in layers.iter().enumerate() {
            let nonzeros: Vec<String> = estimate
                .iter()
                .enumerate()
                .flat_map(|(p, row)| {
                    row.iter()
                        .enumerate()
                        .filter(|(_, v)| **v != 0.0)
                        .map(move |(c, v)| format!("({p},{c})={}", short(*v)))
                })
                .collect();
            outln!("layer {}: {} nonzeros: {}", i + 1, nonzeros.len(), nonzeros.join(" "));
        }
    }
    Ok(0)
}
