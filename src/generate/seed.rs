//! The one seed scheme of every generator: case `k` of a campaign with master seed `S` is drawn
//! from its own ChaCha8 stream, so a case replays alone and no result depends on threads.

use rand_chacha::ChaCha8Rng;

/// A seeded generator stream for case `k` of a campaign with master seed `seed`: ChaCha8 with
/// the seed as key and `k` as stream, so a case replays alone and does not depend on threads.
pub fn case_rng(seed: u64, case: u64) -> ChaCha8Rng {
    use rand::SeedableRng;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(case);
    rng
}
