//! `mlcsc forward FILE`: the estimates of a pursuit, per layer.

use super::output::outln;
use super::readable::number;
use std::path::Path;

use crate::io::Instance;
use crate::model::LayerVector;
use crate::pursuit::{cnn, layered_thresholding};
use crate::scalar::Scalar;
use serde::Serialize;

use super::output::{CliError, exact_instance, float_instance, print_json, read_instance_file};
use super::{Arithmetic, PursuitArg};

fn estimates<S: Scalar>(instance: &Instance<S>, pursuit: PursuitArg) -> Vec<LayerVector<S>> {
    let (signal, _) = instance.signal_and_chain();
    match pursuit {
        PursuitArg::Thresholding => layered_thresholding(
            &instance.model,
            &signal,
            &instance.thresholds,
            instance.thresholding,
        ),
        PursuitArg::Cnn => cnn::cnn_forward(&instance.model, &signal, &instance.thresholds),
        PursuitArg::BasisPursuit => {
            unreachable!("basis pursuit is computed exactly by basis_pursuit_estimates")
        }
    }
}

/// The JSON of `forward --json`, borrowing the estimates: it is written as it is serialised.
#[derive(Serialize)]
struct JsonReport<'a> {
    pursuit: &'static str,
    layers: Vec<JsonLayer<'a>>,
}

/// One layer of [`JsonReport`]; basis pursuit adds its weight and whether it is certified.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct JsonLayer<'a> {
    layer: usize,
    estimate: &'a Rows,
    #[serde(skip_serializing_if = "Option::is_none")]
    lasso_weight: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertified: Option<&'a str>,
}

/// One layer's estimate as rows of positions.
type Rows = Vec<Vec<f64>>;

/// Basis pursuit's estimates, weights `ξ_i`, and per layer why it is uncertified (if it is).
type BasisPursuitEstimates = (Vec<Rows>, Vec<f64>, Vec<Option<String>>);

/// Layered basis pursuit with the weights `ξ_i = 4 ε_{i-1}` of its stability theorem: it runs
/// on every valid instance (the theorem's hypotheses are `check --theorem
/// layered-basis-pursuit`'s business). Every layer's minimiser is certified exactly when it
/// can be; otherwise the solver's estimate is given with why it is uncertified.
fn basis_pursuit_estimates(
    path: &Path,
    file: &crate::io::InstanceFile,
) -> Result<BasisPursuitEstimates, CliError> {
    let instance = exact_instance(path, file)?;
    crate::io::work_limits::check_basis_pursuit_size(&instance)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    let weights = crate::theorems::layered_basis_pursuit::prescribed_weights(&instance);
    let (signal, _) = instance.signal_and_chain();
    let estimates = crate::pursuit::layered_lasso::layered_basis_pursuit_estimates(
        &instance.model,
        &signal,
        &weights,
    );
    Ok((
        estimates.iter().map(|e| as_rows(&e.estimate)).collect(),
        weights.iter().map(|w| w.to_f64()).collect(),
        estimates.into_iter().map(|e| e.uncertified).collect(),
    ))
}

fn as_rows<S: Scalar>(v: &LayerVector<S>) -> Vec<Vec<f64>> {
    (0..v.length())
        .map(|p| v.at_position(p).iter().map(|x| x.to_f64()).collect())
        .collect()
}

pub fn run(
    path: &Path,
    pursuit: PursuitArg,
    arithmetic: Arithmetic,
    json: bool,
) -> Result<i32, CliError> {
    let file = read_instance_file(path)?;
    let mut weights: Option<Vec<f64>> = None;
    let mut uncertified: Vec<Option<String>> = Vec::new();
    let layers: Vec<Vec<Vec<f64>>> = match (pursuit, arithmetic) {
        (PursuitArg::BasisPursuit, _) => {
            let (layers, w, why) = basis_pursuit_estimates(path, &file)?;
            weights = Some(w);
            uncertified = why;
            layers
        }
        (_, arithmetic) => match arithmetic {
            Arithmetic::Exact => estimates(&exact_instance(path, &file)?, pursuit)
                .iter()
                .map(as_rows)
                .collect(),
            Arithmetic::F64 => estimates(&float_instance(path, &file)?, pursuit)
                .iter()
                .map(as_rows)
                .collect(),
        },
    };
    if layers.iter().flatten().flatten().any(|v| !v.is_finite()) {
        return Err(CliError::Input(format!(
            "{}: an estimate is beyond the range of f64 (|x| < 1.8e308), in which estimates are printed; rescale the instance",
            path.display()
        )));
    }
    let name = match pursuit {
        PursuitArg::Thresholding => "thresholding",
        PursuitArg::Cnn => "cnn",
        PursuitArg::BasisPursuit => "basis-pursuit",
    };
    if json {
        let layers = layers
            .iter()
            .enumerate()
            .map(|(i, estimate)| JsonLayer {
                layer: i + 1,
                estimate,
                lasso_weight: weights.as_ref().map(|w| w[i]),
                certified: weights.as_ref().map(|_| uncertified[i].is_none()),
                uncertified: uncertified.get(i).and_then(Option::as_deref),
            })
            .collect();
        print_json(&JsonReport {
            pursuit: name,
            layers,
        });
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
                        .map(move |(c, v)| format!("({p},{c})={}", number(*v)))
                })
                .collect();
            let mark = match uncertified.get(i) {
                Some(Some(why)) => format!(" (uncertified: {why})"),
                _ => String::new(),
            };
            outln!(
                "layer {}{mark}: {} nonzeros (position, channel)=value: {}",
                i + 1,
                nonzeros.len(),
                nonzeros.join(" ")
            );
        }
    }
    Ok(0)
}
