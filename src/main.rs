//! The `mlcsc` command.
fn main() {}
