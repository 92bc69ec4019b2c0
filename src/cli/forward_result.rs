//! `forward --signal Y --save-instance OUT`: the result of a pursuit on a user's own signal as
//! an instance, so that `inspect` and `check` read it. Its deepest representation is the
//! estimate `Γ̂_K` and its noise `E = Y − D_1 ⋯ D_K Γ̂_K`, so that its signal `X + E` is `Y`
//! exactly (every entry a rational).

use std::path::Path;

use super::super::PursuitArg;
use super::super::output::{CliError, write_new_file};
use crate::io::{Instance, ToInstanceFile};
use crate::model::LayerVector;
use crate::pursuit::{cnn, layered_thresholding};
use crate::scalar::Rational;
use crate::thresholding::Thresholding;

/// The instance of `instance`'s model and thresholds whose code is the pursuit's estimate of
/// `Γ_K` from `y` (read from `signal`) and whose signal is `y`.
pub(super) fn result_instance(
    instance: &Instance<Rational>,
    pursuit: PursuitArg,
    y: LayerVector<Rational>,
    signal: &Path,
) -> Instance<Rational> {
    let model = &instance.model;
    let estimates = match pursuit {
        PursuitArg::Cnn => cnn::cnn_forward(model, &y, &instance.thresholds),
        _ => layered_thresholding(model, &y, &instance.thresholds, instance.thresholding),
    };
    let deepest = estimates.last().expect("at least one layer").clone();
    let chain = model
        .synthesis_chain(&deepest)
        .expect("an estimate of the model's own shape");
    let noise = y.difference(&chain[0]);
    Instance {
        name: format!("{}-forward", instance.name),
        source: format!(
            "mlcsc forward --signal {} --pursuit {}: the estimate of Γ_K as the code, the rest of the signal as the noise",
            signal.display(),
            match pursuit {
                PursuitArg::Cnn => "cnn",
                _ => "thresholding",
            }
        ),
        thresholding: match pursuit {
            PursuitArg::Cnn => Thresholding::Nonnegative,
            _ => instance.thresholding,
        },
        deepest_representation: deepest,
        noise,
        noise_budget: None,
        ..instance.clone()
    }
}

/// Writes [`result_instance`] to `out` (a new file, atomically).
pub(super) fn save(
    instance: &Instance<Rational>,
    pursuit: PursuitArg,
    (y, signal): (LayerVector<Rational>, &Path),
    out: &Path,
) -> Result<(), CliError> {
    let result = result_instance(instance, pursuit, y, signal);
    let text = serde_json::to_string_pretty(&result.to_file())
        .map_err(|e| CliError::Input(e.to_string()))?;
    write_new_file(out, &(text + "\n"), false)
}
