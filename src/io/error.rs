//! Errors of reading instance and NumPy files. Every variant says where: the path, the line and
//! column, or the field (with the layer, counted from 1).

use thiserror::Error;

use crate::model::ModelError;

/// Why an input file is not a valid instance.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum InstanceError {
    /// The file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path as given.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The text is not valid JSON of the instance shape.
    #[error("invalid instance JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The parser's message (names the missing or unknown field).
        message: String,
    },
    /// A field holds a bad value.
    #[error("field {field}: {message}")]
    Field {
        /// The field's path, such as `layers[1].filters[0][2][0] (layer 2)`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The numbers are fine but the model breaks a requirement of MATH.md §1.
    #[error("{0}")]
    Model(#[from] ModelError),
}
