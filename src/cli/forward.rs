//! `mlcsc forward FILE`: the estimates of a pursuit, per layer.

use std::path::Path;

use crate::fast;
use crate::io::signal_file::read_signal_f64;
use crate::io::{Instance, is_image_instance};
use crate::model::{Grid, LayerVector};
use crate::pursuit::{cnn, layered_thresholding};
use crate::scalar::{Rational, Scalar};
use crate::thresholding::Thresholding;
use serde::Serialize;

use super::output::{
    CliError, exact_instance, float_instance, paper_layers_for, print_json, read_instance_file,
};
use super::{Arithmetic, PursuitArg};

#[path = "forward_decimals.rs"]
mod forward_decimals;
#[path = "forward_number.rs"]
mod forward_number;
#[path = "forward_result.rs"]
mod forward_result;
#[path = "forward_text.rs"]
mod forward_text;
#[path = "forward_timings.rs"]
pub(super) mod forward_timings;
use forward_text::write_text;
use forward_timings::Timings;

/// The exact estimates, as the `f64` values they are printed as.
fn exact_estimates(
    instance: &Instance<Rational>,
    pursuit: PursuitArg,
    own_signal: Option<LayerVector<Rational>>,
) -> Vec<LayerVector<f64>> {
    let signal = own_signal.unwrap_or_else(|| instance.signal_and_chain().0);
    let estimates = match pursuit {
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
    };
    estimates.iter().map(|e| e.map(|x| x.to_f64())).collect()
}

/// The `f64` estimates on the fast kernels ([`crate::fast`]), in the memory of the synthesis
/// chain: `X + E` is formed in place of `X`, and `Γ̂_i` is written over `Γ_i` (`Γ_K` included),
/// which the pursuit no longer needs, so no fresh memory is touched after the chain. The CNN
/// pass is layered `S⁺_β` (its bias `−β_i` subtracted after the sum, not before).
fn f64_estimates(mut instance: Instance<f64>, pursuit: PursuitArg) -> Vec<LayerVector<f64>> {
    let mut chain = Vec::new();
    fast::synthesis_chain_into(
        &instance.model,
        &instance.deepest_representation,
        &mut chain,
    );
    let mut signal = chain.remove(0);
    for (x, e) in signal
        .entries_mut()
        .iter_mut()
        .zip(instance.noise.entries())
    {
        *x += e;
    }
    chain.push(std::mem::replace(
        &mut instance.deepest_representation,
        LayerVector::zeros(0, 0),
    ));
    fast_estimates_into(&instance, pursuit, &signal, &mut chain);
    chain
}

/// The thresholding the pursuit applies: the file's, or `S⁺_β` for the CNN pass.
fn pursuit_thresholding<S: Scalar>(instance: &Instance<S>, pursuit: PursuitArg) -> Thresholding {
    match pursuit {
        PursuitArg::Cnn => Thresholding::Nonnegative,
        _ => instance.thresholding,
    }
}

/// The estimates `Γ̂_1, …, Γ̂_K` from `signal` on the fast kernels, into `estimates`: a
/// one-dimensional model through [`fast::layered_thresholding_into`] (its vectors reused), an
/// image model layer by layer through [`fast::image::image_thresholded_analysis`], each
/// channel at its own threshold (the plain loops of the specification for a layer it refuses).
fn fast_estimates_into(
    instance: &Instance<f64>,
    pursuit: PursuitArg,
    signal: &LayerVector<f64>,
    estimates: &mut Vec<LayerVector<f64>>,
) {
    let (model, thresholds) = (&instance.model, &instance.thresholds);
    let thresholding = pursuit_thresholding(instance, pursuit);
    if model.is_line() {
        fast::layered_thresholding_into(model, signal, thresholds, thresholding, estimates);
        return;
    }
    estimates.clear();
    for (index, (layer, beta)) in model.layers().iter().zip(thresholds).enumerate() {
        let input = estimates.last().unwrap_or(signal);
        let estimate = fast::image::image_thresholded_analysis(
            index + 1,
            layer,
            input,
            Some((thresholding, beta)),
        )
        .unwrap_or_else(|_| {
            let mut z = mlcsc_spec::operators::analysis(layer, input);
            let channels = z.channels();
            for (k, value) in z.entries_mut().iter_mut().enumerate() {
                *value = thresholding.apply(value, beta.channel(k % channels));
            }
            z
        });
        estimates.push(estimate);
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
    /// An image layer's grid `[H_i, W_i]`; its estimate is then `[row][column][channel]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    grid: Option<[usize; 2]>,
    estimate: PositionRows<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lasso_weight: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertified: Option<&'a str>,
}

/// One layer's estimate serialised as rows of positions, without a copy: `[position][channel]`
/// on a line, `[row][column][channel]` on an image's grid.
struct PositionRows<'a>(&'a LayerVector<f64>, Option<Grid>);

/// One row of an image layer's estimate, `[column][channel]`.
struct GridRow<'a>(&'a LayerVector<f64>, Grid, usize);

impl Serialize for GridRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let GridRow(v, grid, row) = *self;
        let mut columns = serializer.serialize_seq(Some(grid.columns))?;
        for column in 0..grid.columns {
            columns.serialize_element(v.at_position(grid.position(row, column)))?;
        }
        columns.end()
    }
}

impl Serialize for PositionRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let v = self.0;
        if let Some(grid) = self.1 {
            let mut rows = serializer.serialize_seq(Some(grid.rows))?;
            for row in 0..grid.rows {
                rows.serialize_element(&GridRow(v, grid, row))?;
            }
            return rows.end();
        }
        let mut rows = serializer.serialize_seq(Some(v.length()))?;
        for p in 0..v.length() {
            rows.serialize_element(v.at_position(p))?;
        }
        rows.end()
    }
}

/// Basis pursuit's estimates, weights `ξ_i`, and per layer why it is uncertified (if it is).
type BasisPursuitEstimates = (Vec<LayerVector<f64>>, Vec<f64>, Vec<Option<String>>);

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
        estimates
            .iter()
            .map(|e| e.estimate.map(|x| x.to_f64()))
            .collect(),
        weights.iter().map(|w| w.to_f64()).collect(),
        estimates.into_iter().map(|e| e.uncertified).collect(),
    ))
}

pub fn run(
    path: &Path,
    pursuit: PursuitArg,
    arithmetic: Arithmetic,
    json: bool,
    (signal, save_instance): (Option<&Path>, Option<&Path>),
) -> Result<i32, CliError> {
    let mut timings = Timings::start();
    let file = read_instance_file(path)?;
    timings.lap("read");
    save_result(path, &file, pursuit, (signal, save_instance))?;
    if pursuit == PursuitArg::BasisPursuit {
        paper_layers_for("forward --pursuit basis-pursuit", path, &file)?;
    }
    let mut weights: Option<Vec<f64>> = None;
    let mut uncertified: Vec<Option<String>> = Vec::new();
    let mut grids: Option<Vec<Grid>> = None;
    let layers: Vec<LayerVector<f64>> = match (pursuit, arithmetic) {
        (PursuitArg::BasisPursuit, _) => {
            let (layers, w, why) = basis_pursuit_estimates(path, &file)?;
            weights = Some(w);
            uncertified = why;
            layers
        }
        (_, Arithmetic::Exact) => {
            let instance = exact_instance(path, &file)?;
            grids = image_grids(&instance);
            let own = own_signal(signal, &instance)?;
            exact_estimates(&instance, pursuit, own)
        }
        (_, Arithmetic::F64) => {
            let instance = float_instance(path, &file)?;
            grids = image_grids(&instance);
            let own = own_signal_f64(signal, &instance)?;
            timings.lap("convert");
            match own {
                Some(y) => {
                    let mut estimates = Vec::new();
                    fast_estimates_into(&instance, pursuit, &y, &mut estimates);
                    estimates
                }
                None => f64_estimates(instance, pursuit),
            }
        }
    };
    if layers
        .iter()
        .any(|layer| layer.entries().iter().any(|v| !v.is_finite()))
    {
        return Err(CliError::Input(format!(
            "{}: an estimate is beyond the range of f64 (|x| < 1.8e308), in which estimates are printed; rescale the instance",
            path.display()
        )));
    }
    timings.lap("compute");
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
                grid: grids.as_ref().map(|g| [g[i + 1].rows, g[i + 1].columns]),
                estimate: PositionRows(estimate, grids.as_ref().map(|g| g[i + 1])),
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
        write_text(name, &layers, &uncertified, grids.as_deref());
    }
    timings.lap("format+write");
    timings.report();
    Ok(0)
}

/// With `--signal`: refuses basis pursuit, and with `--save-instance OUT` writes the result as
/// an instance ([`forward_result::save`]).
fn save_result(
    path: &Path,
    file: &crate::io::InstanceFile,
    pursuit: PursuitArg,
    (signal, save_instance): (Option<&Path>, Option<&Path>),
) -> Result<(), CliError> {
    if signal.is_some() && pursuit == PursuitArg::BasisPursuit {
        return Err(CliError::Input(
            "--signal runs thresholding or cnn; basis pursuit reads its weights off the instance's own noise".into(),
        ));
    }
    if let (Some(signal), Some(out)) = (signal, save_instance) {
        super::output::check_output_file(out, "--save-instance", None)?;
        let instance = exact_instance(path, file)?;
        let y = own_signal(Some(signal), &instance)?.expect("a signal");
        forward_result::save(&instance, pursuit, (y, signal), out)?;
    }
    Ok(())
}

/// The user's own signal `Y` from `--signal FILE`, on the instance's signal grid, or `None`.
fn own_signal<S: Scalar>(
    signal: Option<&Path>,
    instance: &Instance<S>,
) -> Result<Option<LayerVector<Rational>>, CliError> {
    let Some(file) = signal else {
        return Ok(None);
    };
    let model = &instance.model;
    crate::io::signal_file::read_signal(file, model.grid(0), model.input_channels())
        .map(Some)
        .map_err(|reason| CliError::Input(format!("--signal {reason}")))
}

/// The user's own signal `Y` from `--signal FILE` as `f64` ([`read_signal_f64`]: a `.npy`
/// file decoded straight into `f64`), on the instance's signal grid, or `None`.
fn own_signal_f64(
    signal: Option<&Path>,
    instance: &Instance<f64>,
) -> Result<Option<LayerVector<f64>>, CliError> {
    let Some(file) = signal else {
        return Ok(None);
    };
    let model = &instance.model;
    read_signal_f64(file, model.grid(0), model.input_channels())
        .map(Some)
        .map_err(|reason| CliError::Input(format!("--signal {reason}")))
}

/// The grids `Γ_0, …, Γ_K` lie on for an image instance; `None` on a line.
fn image_grids<S: Scalar>(instance: &Instance<S>) -> Option<Vec<Grid>> {
    let model = &instance.model;
    is_image_instance(instance).then(|| (0..=model.depth()).map(|i| model.grid(i)).collect())
}
