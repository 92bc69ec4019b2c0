//! The dictionaries of a generated Theorem 2 instance: a designed first layer and sparse
//! deeper layers, or a coherent ladder.

use super::*;

/// Draws the filters of every layer: a first-layer design and sparse deeper layers.
pub(super) fn draw_model(
    rng: &mut ChaCha8Rng,
    settings: &Theorem2Settings,
    depth: usize,
) -> (Vec<Vec<Vec<Vec<Rational>>>>, usize) {
    let nonnegative = settings.variant == Thresholding::Nonnegative;
    // Deeper layers multiply the cluster size at layer 1; a dense cluster needs a first layer of
    // small coherence, so deep cases favour Dirac and Barker-13 first layers.
    let design = if let Some(design) = settings.first_layer {
        design
    } else if depth == 1 {
        // Multi-channel designs weighted up, so that well over half the cases have m_i ≥ 2.
        [
            FirstLayerDesign::Dirac,
            FirstLayerDesign::Binary4,
            FirstLayerDesign::Binary9,
            FirstLayerDesign::Binary16,
            FirstLayerDesign::Barker13,
            FirstLayerDesign::BinaryPair16,
            FirstLayerDesign::BinaryPair16,
            FirstLayerDesign::BinaryPair16,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
        ][rng.random_range(0..13)]
    } else {
        [
            FirstLayerDesign::Dirac,
            FirstLayerDesign::Barker13,
            FirstLayerDesign::Binary16,
            FirstLayerDesign::BinaryPair16,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
            FirstLayerDesign::Householder,
        ][rng.random_range(0..9)]
    };
    let (first, input_channels) = design.filters(rng);
    let mut layers = vec![first];
    for _ in 2..=depth {
        let previous = layers.last().map_or(1, |f| f.len());
        let length = rng.random_range(1..=3usize);
        let cells = previous * length;
        // Four-cell filters when they fit, else single cells in distinct channels.
        let four = cells >= 4 && rng.random_bool(0.4);
        // Two or three filters where the cells allow, so that deep layers have m_i ≥ 2.
        let most = if four {
            (cells / 4).min(3)
        } else {
            previous.min(3)
        };
        let count = rng.random_range(most.min(2)..=most);
        layers.push(sparse_deeper_filters(
            rng,
            previous,
            length,
            count,
            if four { 4 } else { 1 },
            nonnegative,
        ));
    }
    (layers, input_channels)
}
