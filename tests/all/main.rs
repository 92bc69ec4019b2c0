//! The test suite as one crate: every file below is a module, so `cargo test` builds and links
//! one test binary instead of one per file. The shared helpers are `common` and
//! `theorem2_support`. Run one file's tests with `cargo test --test all FILE::` (for example
//! `cargo test --test all theorem2_lemmas::`).

mod common;
mod theorem2_support;

mod bad_inputs;
mod campaign_records;
mod certify;
mod cli_messages;
mod cli_robustness;
mod cnn_forward_pass;
mod coherence;
mod definition1;
mod determinism;
mod doc_examples;
mod engines_agree;
mod entry_work_limits;
mod exhaustive_shortcuts;
mod f64_fast_kernels;
mod f64_soundness;
mod fast_paths;
mod file_sizes;
mod folding;
mod fuzz_loaders;
mod head_to_head;
mod inspect_snapshots;
mod instance_format_2;
mod invariances;
mod json_keys;
mod layered_basis_pursuit;
mod layering;
mod network_readers;
mod norms;
mod npy_import;
mod numeric_extremes;
mod operators;
mod output_folders;
mod per_channel_thresholds;
mod phase;
mod proofs_cite_tests;
mod read_limits;
mod simplifications;
mod soundness_edges;
mod stated_conjectures;
mod statement_trait;
mod strided_coherence;
mod strided_norms;
mod strided_operators;
mod strided_welch_bound;
mod stripe_rip_and_stability;
mod targeted_search;
mod theorem2_fixtures;
mod theorem2_hard;
mod theorem2_lemmas;
mod theorem2_negative_controls;
mod theorem2_nonnegative;
mod theorem2_real_layers;
mod theorem2_soft;
mod thresholding_laws;
mod uniqueness;
mod verdict_fixtures;
mod welch_bound;
mod work_limits;
