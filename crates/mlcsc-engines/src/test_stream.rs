//! The pseudo-random numbers the engines' unit tests draw their cases from: Marsaglia's
//! xorshift on 64 bits (shifts 13, 7, 17), and a counter's mixed bits as a number in `[-1, 1)`,
//! so that a seed or a counter names the same cases on every machine.

/// The xorshift stream from `seed` (which must not be 0): each call gives the next state.
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// A pseudo-random number in `[-1, 1)` from a counter `k` (a splitmix-style mix of `k + 1`):
/// the same number for the same `k`, with no state to carry.
pub(crate) fn counter_noise(k: usize) -> f64 {
    let mut x = (k as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^= x >> 29;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 32;
    (x >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// A layer of `m` filters of length `n` on `m_previous` channels, its taps
/// [`counter_noise`] of `c · 97 + t · 13 + k` (filter `c`, tap `t`, channel `k`), the norms not
/// normalised.
pub(crate) fn noise_layer(n: usize, m: usize, m_previous: usize) -> crate::model::Layer<f64> {
    let filters = (0..m)
        .map(|c| {
            (0..n)
                .map(|t| {
                    (0..m_previous)
                        .map(|k| counter_noise(c * 97 + t * 13 + k))
                        .collect()
                })
                .collect()
        })
        .collect();
    crate::model::Layer::new_unchecked_norm(1, filters).expect("a layer")
}
