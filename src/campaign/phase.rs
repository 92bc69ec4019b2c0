//! Phase-transition studies: success rates over a grid of generator parameters.
