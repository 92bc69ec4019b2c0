//! Files: instances (`mlcsc-instance-1`, serde JSON) and exact numbers in them.

mod atomic_write;
mod counterexample_files;
pub mod entry_value;
mod error;
pub mod exhaustive_limits;
pub mod file_names;
mod instance;
mod instance_fields;
mod instance_geometry;
mod instance_image;
mod instance_image_layer;
mod instance_layer;
mod instance_writer;
mod json_errors;
pub mod network;
pub mod npy;
pub mod npy_folding;
mod npy_header;
mod npy_read;
pub mod number;
pub mod number_growth;
mod objects_only;
pub mod rationalize_instance;
pub mod signal_file;
pub mod support_count;
pub mod work_limits;

pub use crate::instance::Instance;
pub use atomic_write::{
    partial_file, remove_abandoned_partials, write_atomically, write_atomically_with,
};
pub use counterexample_files::{save_counterexample, save_counterexample_once};
pub use error::InstanceError;
pub use instance::{
    EntryFile, INSTANCE_FORMAT, INSTANCE_FORMAT_2, InstanceFile, LayerFile, MAX_INSTANCE_BYTES,
    PaddingFile,
};
pub use instance_image_layer::describe_grid_geometry;
pub use instance_writer::{ToInstanceFile, is_image_instance};
