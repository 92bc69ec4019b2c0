//! Random exact building blocks: unit rational filters, layers and layer vectors.
