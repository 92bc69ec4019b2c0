//! Files: instances (`mlcsc-instance-1`, serde JSON) and exact numbers in them.

mod atomic_write;
mod error;
mod instance;
pub mod npy;
pub mod number;
pub mod work_limits;

pub use crate::instance::Instance;
pub use atomic_write::write_atomically;
pub use error::InstanceError;
pub use instance::{EntryFile, INSTANCE_FORMAT, InstanceFile, LayerFile, MAX_INSTANCE_BYTES};
