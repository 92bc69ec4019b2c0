//! Every registered theorem and conjecture: one line each, a theorem with its generator, its
//! expected status and, where it differs from 400, the number of cases `verify` runs.

use super::image_entry_instances::{
    any_image, tiny_circulant_image, tiny_image_below_uniqueness_bound,
    tiny_image_split_null_vector,
};
use super::theorem2_entries::{any_contrast, designed};
use super::tiny_entry_instances::{
    MAX_ATOMS, tiny_below_uniqueness_bound, tiny_one_per_stripe, tiny_within_drawn_budget,
};
use super::{CertifiedRegionEntry, Entry, ExpectedStatus, RealLayersEntry, Theorem2Entry};
use crate::generate::filter_banks::filter_bank_instance;
use crate::generate::random_images::random_image_instance;
use crate::generate::strided_filter_banks::strided_filter_bank_instance;
use crate::generate::theorem2::Theorem2Settings;
use crate::io::exhaustive_limits::{
    check_dcp_stability_size, check_dcp_uniqueness_size, check_image_stripe_spark_size,
    check_image_uniqueness_size, check_stripe_rip_size, check_stripe_spark_size,
};
use crate::io::work_limits::check_basis_pursuit_size;
use crate::pursuit::Thresholding::{Hard, Nonnegative, Soft};
use crate::theorems::cnn_forward_pass::{CnnForwardPass, ImageCnnForwardPass};
use crate::theorems::dcp_stability_theorem::DcpStability;
use crate::theorems::definition1_theorem::TrueChainIsFeasible;
use crate::theorems::layered_basis_pursuit_theorem::LayeredBasisPursuit;
use crate::theorems::strided_welch_bound::StridedWelchBound;
use crate::theorems::stripe_rip_theorem::StripeRip;
use crate::theorems::stripe_spark_image::ImageStripeSparkLemma;
use crate::theorems::stripe_spark_theorem::StripeSparkLemma;
use crate::theorems::uniqueness_image::ImageDcpUniqueness;
use crate::theorems::uniqueness_theorem::DcpUniqueness;
use crate::theorems::welch_bound::WelchBound;
use ExpectedStatus::{KnownFalse, Theorem};

/// The registered entries, in the order `list` and `verify` show them (one line each, kept
/// as a table).
#[rustfmt::skip]
pub fn registry() -> Vec<Box<Entry>> {
    vec![
        Box::new(Theorem2Entry::paper(Soft)),
        Box::new(Theorem2Entry::paper(Nonnegative)),
        Box::new(Theorem2Entry::paper(Hard)),
        Box::new(Theorem2Entry::without_contrast_term()),
        Box::new(Theorem2Entry::without_patch_sparsity_factor()),
        Box::new(Theorem2Entry::threshold_outside_window()),
        Box::new(Entry::new(LayeredBasisPursuit::PAPER, any_contrast, Theorem).with_default_cases(200).with_size_limit(check_basis_pursuit_size)),
        Box::new(Entry::new(DcpUniqueness { most_budget: MAX_ATOMS }, tiny_below_uniqueness_bound, Theorem).with_default_cases(100).with_size_limit(|i| check_dcp_uniqueness_size(i, MAX_ATOMS))),
        // The spark search is the slowest enumeration: 40 cases keep `verify` within seconds.
        Box::new(Entry::new(StripeSparkLemma, tiny_one_per_stripe, Theorem).with_default_cases(40).with_size_limit(check_stripe_spark_size)),
        Box::new(Entry::new(ImageStripeSparkLemma::STATED, tiny_circulant_image, Theorem).with_default_cases(40).with_size_limit(check_image_stripe_spark_size)),
        Box::new(Entry::new(ImageStripeSparkLemma::ONE_MORE, tiny_circulant_image, KnownFalse).with_default_cases(40).with_size_limit(check_image_stripe_spark_size)),
        Box::new(Entry::new(ImageDcpUniqueness::STATED, tiny_image_below_uniqueness_bound, Theorem).with_default_cases(40).with_size_limit(check_image_uniqueness_size)),
        Box::new(Entry::new(ImageDcpUniqueness::BEYOND_BOUND, tiny_image_split_null_vector, KnownFalse).with_default_cases(40).with_size_limit(check_image_uniqueness_size)),
        Box::new(Entry::new(StripeRip, tiny_within_drawn_budget, Theorem).with_default_cases(100).with_size_limit(check_stripe_rip_size)),
        Box::new(Entry::new(DcpStability { most_budget: MAX_ATOMS }, tiny_below_uniqueness_bound, Theorem).with_default_cases(60).with_size_limit(|i| check_dcp_stability_size(i, MAX_ATOMS))),
        Box::new(Entry::new(TrueChainIsFeasible::STATED, designed(Theorem2Settings::paper(Soft)), Theorem).with_default_cases(200)),
        Box::new(Entry::new(TrueChainIsFeasible::IMAGE, any_image, Theorem).with_default_cases(100)),
        Box::new(Entry::new(TrueChainIsFeasible::IMAGE_LAMBDA_BELOW_STRIPE, any_image, KnownFalse).with_default_cases(50)),
        Box::new(Entry::new(CnnForwardPass, designed(Theorem2Settings::paper(Nonnegative)), Theorem).with_default_cases(200)),
        Box::new(Entry::new(ImageCnnForwardPass::STATED, random_image_instance, Theorem).with_default_cases(200)),
        Box::new(Entry::new(ImageCnnForwardPass::SOFT_FORM, random_image_instance, KnownFalse).with_default_cases(100)),
        Box::new(Entry::new(WelchBound::STATED, |rng, _| filter_bank_instance(rng), Theorem)),
        Box::new(Entry::new(WelchBound::SINGLE_CHANNEL, |rng, _| filter_bank_instance(rng), KnownFalse)),
        Box::new(Entry::new(StridedWelchBound::STATED, |rng, _| strided_filter_bank_instance(rng), Theorem)),
        Box::new(Entry::new(StridedWelchBound::STRIDE_ONE_FORM, |rng, _| strided_filter_bank_instance(rng), KnownFalse)),
        Box::new(RealLayersEntry::stated(Soft)),
        Box::new(RealLayersEntry::stated(Nonnegative)),
        Box::new(RealLayersEntry::stated(Hard)),
        Box::new(RealLayersEntry::without_guard_band()),
        Box::new(RealLayersEntry::positive_bias()),
        Box::new(RealLayersEntry::naive_global_coherence()),
        Box::new(RealLayersEntry::image_stated(Soft)),
        Box::new(RealLayersEntry::image_stated(Nonnegative)),
        Box::new(RealLayersEntry::image_stated(Hard)),
        Box::new(RealLayersEntry::image_without_guard_band()),
        Box::new(RealLayersEntry::image_positive_bias()),
        Box::new(RealLayersEntry::image_naive_global_coherence()),
        Box::new(CertifiedRegionEntry::inside()),
        Box::new(CertifiedRegionEntry::outside()),
    ]
}

/// The entry with this name.
pub fn find(name: &str) -> Option<Box<Entry>> {
    registry().into_iter().find(|c| c.name() == name)
}
