//! Software prefetch: asking for cache lines ahead of their use, where the processor has it
//! (a hint: nothing is read, nothing can fault).

/// Software prefetch of cache lines ahead of their use, where the processor has it.
#[derive(Clone, Copy)]
pub(crate) struct Prefetch {
    #[cfg(target_arch = "x86_64")]
    sse: Option<pulp::x86::V1>,
}

impl Prefetch {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Prefetch {
            #[cfg(target_arch = "x86_64")]
            sse: pulp::x86::V1::try_new(),
        }
    }

    /// Asks for the cache lines of `values` (a hint: nothing is read, nothing can fault).
    #[inline(always)]
    pub(crate) fn lines<T>(self, values: &[T]) {
        #[cfg(target_arch = "x86_64")]
        if let Some(simd) = self.sse {
            let step = (64 / size_of::<T>()).max(1);
            for k in (0..values.len()).step_by(step) {
                let line: *const i8 = values[k..].as_ptr().cast();
                simd.sse
                    ._mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T1 }>(line);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = values;
    }
}
