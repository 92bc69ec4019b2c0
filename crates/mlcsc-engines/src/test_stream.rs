//! The pseudo-random stream the engines' unit tests draw their cases from: Marsaglia's
//! xorshift on 64 bits (shifts 13, 7, 17), so that a seed names the same cases on every machine.

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
