//! Software prefetch: asking for cache lines ahead of their use, where the processor has it
//! (a hint: nothing is read, nothing can fault).

/// Software prefetch of cache lines ahead of their use, where the processor has it.
#[derive(Clone, Copy)]
pub(crate) struct Prefetch {
    #[cfg(target_arch = "x86_64")]
    sse: Option<pulp::x86::V1>,
}

/// Which cache a line is asked into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// The first level: for what the next steps of a loop read.
    First,
    /// The second level: for what is read after the current block of work.
    Second,
}

impl Prefetch {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Prefetch {
            #[cfg(target_arch = "x86_64")]
            sse: pulp::x86::V1::try_new(),
        }
    }

    /// The numbers of `T` in one cache line.
    #[inline(always)]
    pub(crate) fn line_entries<T>() -> usize {
        (64 / size_of::<T>()).max(1)
    }

    /// Asks for the cache line of `value` into `level` (a hint: nothing is read, nothing can
    /// fault).
    #[inline(always)]
    pub(crate) fn line<T>(self, value: &T, level: Level) {
        #[cfg(target_arch = "x86_64")]
        if let Some(simd) = self.sse {
            use std::arch::x86_64::{_MM_HINT_T0, _MM_HINT_T1};
            let line: *const i8 = std::ptr::from_ref(value).cast();
            match level {
                Level::First => simd.sse._mm_prefetch::<_MM_HINT_T0>(line),
                Level::Second => simd.sse._mm_prefetch::<_MM_HINT_T1>(line),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (value, level);
    }

    /// Asks for the cache lines of `values` into `level`.
    #[inline(always)]
    pub(crate) fn lines<T>(self, values: &[T], level: Level) {
        for value in values.iter().step_by(Self::line_entries::<T>()) {
            self.line(value, level);
        }
    }
}
