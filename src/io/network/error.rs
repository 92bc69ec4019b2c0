//! Why a network (a weight file and its manifest) cannot be read: every error names the file,
//! and the tensor or the manifest's field (with its layer, from 1), and what is wrong.

use std::path::PathBuf;

use thiserror::Error;

use crate::io::InstanceError;

/// Why a weight file or a network manifest is not usable.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// The file could not be read, is too large, or is not of its format.
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A tensor of the weight file is missing or unusable.
    #[error("{}: tensor `{tensor}`: {message}", path.display())]
    Tensor {
        /// The weight file.
        path: PathBuf,
        /// The tensor's name.
        tensor: String,
        /// What is wrong with it.
        message: String,
    },
    /// A field of the manifest holds a bad value, is missing or is unknown.
    #[error("{}: field {field}: {message}", path.display())]
    Field {
        /// The manifest.
        path: PathBuf,
        /// The field's path, such as `layers[0].activation (layer 1)`.
        field: String,
        /// What is wrong with it, with the value found.
        message: String,
    },
}

impl From<NetworkError> for InstanceError {
    /// The error as an input error of the command line (exit code 2), with the same text.
    fn from(error: NetworkError) -> Self {
        let (path, message) = match error {
            NetworkError::File { path, message } => (path, message),
            NetworkError::Tensor {
                path,
                tensor,
                message,
            } => (path, format!("tensor `{tensor}`: {message}")),
            NetworkError::Field {
                path,
                field,
                message,
            } => (path, format!("field {field}: {message}")),
        };
        InstanceError::Io {
            path: path.display().to_string(),
            message,
        }
    }
}
