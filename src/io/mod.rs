//! Files: instances (`mlcsc-instance-1`, serde JSON) and exact numbers in them.

mod error;
mod instance;
pub mod npy;
pub mod number;

pub use error::InstanceError;
pub use instance::{
    EntryFile, INSTANCE_FORMAT, Instance, InstanceFile, LayerFile, MAX_INSTANCE_BYTES,
};
