//! The generators of the image entries that are not Theorem 2's: random image models
//! (`mlcsc::generate::random_images`) and separable ladders (`mlcsc::generate::image_separable`,
//! `proofs/two_dimensions.md`, G13), half each.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::image_separable::separable_ladder;
use crate::generate::random_images::random_image_instance;
use crate::generate::real_layers::{RealControl, RealLayersSettings};
use crate::instance::Instance;
use crate::pursuit::Thresholding;
use crate::scalar::Rational;

/// A random image instance or a separable ladder (soft thresholding), half each.
pub fn any_image(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    if rng.random_bool(0.5) {
        random_image_instance(rng, name)
    } else {
        let settings = RealLayersSettings {
            variant: Thresholding::Soft,
            control: RealControl::None,
        };
        separable_ladder(rng, &settings, name)
    }
}
