//! The certificate's figures read off a folded network (the specification's
//! [`mlcsc_spec::certified_region_figures`]): per live channel `ρ`, `β` and `μ_c` as `f64` from
//! the fold's exact squares and signs, and each layer's geometry.

pub use mlcsc_spec::certified_region_figures::{
    channel_figures, filter_length, layer_figures, row_figures,
};
