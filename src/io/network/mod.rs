//! Trained networks: a weight file (`.safetensors` or NumPy `.npz`) and a manifest
//! (`mlcsc-network-1`, `fixtures/README.md`) that says which tensors make
//! each convolutional layer, read by [`load_network`] into a [`NetworkFile`] with every shape
//! checked. Nothing is folded here: the layers are as trained.
//!
//! Every refusal is a [`NetworkError`] naming the file, the tensor or the manifest's field
//! (with its layer, from 1) and the value; it converts into [`crate::io::InstanceError`], an
//! input error of the command line (exit code 2). Files are read only up to
//! [`MAX_WEIGHT_FILE_BYTES`] and [`MAX_MANIFEST_BYTES`]. The 16-bit floats are converted by
//! [`float16`] (no crate of the build does it).

mod error;
pub mod float16;
mod limits;
mod manifest;
mod manifest_fields;
mod manifest_layer;
mod network_file;
mod npz;
mod safetensors_errors;
mod safetensors_file;
mod tensor;
mod weights;

pub use error::NetworkError;
pub use limits::{MAX_MANIFEST_BYTES, MAX_WEIGHT_FILE_BYTES};
pub use manifest::{
    AveragePool, BatchNormNames, Manifest, ManifestLayer, NETWORK_FORMAT, parse_manifest,
    read_manifest,
};
pub use network_file::{
    BatchNorm, ImageLayers, LayerGrid, NetworkFile, NetworkLayer, ReadNetwork, load_network,
    read_network,
};
pub use tensor::Tensor;

/// The message of a tensor the file does not hold, listing (up to 12 of) those it holds.
fn missing_message(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
    let more = if names.len() > shown.len() {
        format!(" and {} more", names.len() - shown.len())
    } else {
        String::new()
    };
    format!(
        "missing: the file holds no tensor of this name (it holds {}{more})",
        if shown.is_empty() {
            "none".to_string()
        } else {
            shown.join(", ")
        }
    )
}
