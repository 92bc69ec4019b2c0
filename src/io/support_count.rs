//! The work of an exhaustive enumeration of supports within a stripe budget, counted before it
//! runs: the same depth-first search as
//! [`crate::theorems::support_enumeration::for_each_support_within_budget`], over the same
//! atoms, that only counts, and stops as soon as a count passes its cap. It holds one counter
//! per position and the current support, never the supports, and loops instead of recursing,
//! so a count that is refused costs at most the caps in time and `O(N)` in memory.

/// What an enumeration would do, as far as it was counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SupportWork {
    /// Non-empty supports visited.
    pub supports: u64,
    /// Atoms tried (visited or refused by the budget): each costs the enumeration a scan of
    /// its stripe counter, `O(N)`.
    pub tries: u64,
    /// `Σ_T |T|² (d + |T|)`: the exact work on each support (a Gram matrix or a linear system
    /// on `|T|` columns of dimension `d`), in multiply-adds.
    pub exact_work: u128,
}

/// The caps of a count; the count stops at the first one passed.
#[derive(Clone, Copy, Debug)]
pub struct SupportCaps {
    /// The most supports.
    pub supports: u64,
    /// The most atoms tried.
    pub tries: u64,
    /// The most exact work.
    pub exact_work: u128,
}

/// The shape of one enumeration: `N` positions of `m` channels (atoms `N m`), filters of
/// length `n`, the stripe budget, and the dimension `d = N m_{i-1}` of the atoms.
#[derive(Clone, Copy, Debug)]
pub struct Enumeration {
    /// `N`.
    pub length: usize,
    /// `m_i`.
    pub channels: usize,
    /// `n_i`.
    pub filter_length: usize,
    /// The most atoms in a stripe.
    pub budget: usize,
    /// `N m_{i-1}`.
    pub dimension: usize,
}

impl SupportWork {
    fn passes(&self, caps: &SupportCaps) -> bool {
        self.supports > caps.supports
            || self.tries > caps.tries
            || self.exact_work > caps.exact_work
    }
}

/// Counts the supports of stripe sparsity at most `budget` (each once, as the enumeration
/// visits them), the atoms tried and the exact work; `Err` with the counts reached as soon as
/// one passes its cap (the enumeration would do at least that much).
pub fn count_supports(shape: &Enumeration, caps: &SupportCaps) -> Result<SupportWork, SupportWork> {
    let length = shape.length.max(1);
    let channels = shape.channels.max(1);
    let atoms = length.saturating_mul(channels);
    let width = (2 * shape.filter_length.max(1) - 1).min(length);
    // window[s] counts the atoms at positions s, …, s + width − 1 (mod N).
    let mut window = vec![0usize; length];
    let windows = |atom: usize| {
        let position = atom / channels;
        (0..width).map(move |j| (position + length - j) % length)
    };
    let mut work = SupportWork::default();
    let mut support: Vec<usize> = Vec::new();
    // next[k]: the next atom to try at depth k.
    let mut next: Vec<usize> = vec![0];
    while let Some(start) = next.last().copied() {
        let found = (start..atoms).find(|&atom| {
            work.tries += 1;
            windows(atom).all(|s| window[s] < shape.budget)
        });
        if work.passes(caps) {
            return Err(work);
        }
        let Some(atom) = found else {
            next.pop();
            if let Some(last) = support.pop() {
                windows(last).for_each(|s| window[s] -= 1);
            }
            continue;
        };
        *next.last_mut().expect("a level") = atom + 1;
        windows(atom).for_each(|s| window[s] += 1);
        support.push(atom);
        let size = support.len() as u128;
        work.supports += 1;
        work.exact_work += size * size * (shape.dimension as u128 + size);
        if work.passes(caps) {
            return Err(work);
        }
        next.push(atom + 1);
    }
    Ok(work)
}
