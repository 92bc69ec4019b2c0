//! The two machine precisions of the fast kernels, as lanes of the widest vector registers the
//! processor offers, chosen at run time (`pulp`: AVX2 with FMA where present, else scalar), all
//! through a safe interface.

use std::fmt::Debug;
use std::ops::{Add, Mul, Sub};

use pulp::{Arch, Simd, WithSimd};

/// `f64` or `f32`: what a kernel needs of its numbers, in scalars and in vector lanes.
pub trait Real:
    Copy
    + Send
    + Sync
    + Default
    + Debug
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + 'static
{
    /// A vector register of these numbers under the instruction set `S`.
    type Lanes<S: Simd>: Copy;
    /// `x` in every lane.
    fn splat<S: Simd>(simd: S, x: Self) -> Self::Lanes<S>;
    /// `a · b + c`, lane by lane, with one rounding where the processor has FMA.
    fn mul_add<S: Simd>(
        simd: S,
        a: Self::Lanes<S>,
        b: Self::Lanes<S>,
        c: Self::Lanes<S>,
    ) -> Self::Lanes<S>;
    /// The whole vector registers at the start of `x` (a tail shorter than one is left out).
    fn as_lanes<S: Simd>(x: &[Self]) -> &[Self::Lanes<S>];
    /// The sum of the lanes of `x`.
    fn reduce_sum<S: Simd>(simd: S, x: Self::Lanes<S>) -> Self;
    /// As [`Real::as_lanes`], mutably.
    fn as_mut_lanes<S: Simd>(x: &mut [Self]) -> &mut [Self::Lanes<S>];
    /// The numbers in one register.
    fn lanes<S: Simd>() -> usize;
    /// The nearest number of this precision.
    fn from_f64(x: f64) -> Self;
    /// The value as `f64` (exact).
    fn to_f64(self) -> f64;
    /// `|x|`.
    fn abs(self) -> Self;
    /// `|x|` with the sign of `sign`.
    fn copysign(self, sign: Self) -> Self;
}

impl Real for f64 {
    type Lanes<S: Simd> = S::f64s;
    #[inline(always)]
    fn splat<S: Simd>(simd: S, x: Self) -> S::f64s {
        simd.splat_f64s(x)
    }
    #[inline(always)]
    fn mul_add<S: Simd>(simd: S, a: S::f64s, b: S::f64s, c: S::f64s) -> S::f64s {
        simd.mul_add_f64s(a, b, c)
    }
    #[inline(always)]
    fn reduce_sum<S: Simd>(simd: S, x: S::f64s) -> Self {
        simd.reduce_sum_f64s(x)
    }
    #[inline(always)]
    fn as_lanes<S: Simd>(x: &[Self]) -> &[S::f64s] {
        S::as_simd_f64s(x).0
    }
    #[inline(always)]
    fn as_mut_lanes<S: Simd>(x: &mut [Self]) -> &mut [S::f64s] {
        S::as_mut_simd_f64s(x).0
    }
    #[inline(always)]
    fn lanes<S: Simd>() -> usize {
        S::F64_LANES
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f64::copysign(self, sign)
    }
}

impl Real for f32 {
    type Lanes<S: Simd> = S::f32s;
    #[inline(always)]
    fn splat<S: Simd>(simd: S, x: Self) -> S::f32s {
        simd.splat_f32s(x)
    }
    #[inline(always)]
    fn mul_add<S: Simd>(simd: S, a: S::f32s, b: S::f32s, c: S::f32s) -> S::f32s {
        simd.mul_add_f32s(a, b, c)
    }
    #[inline(always)]
    fn reduce_sum<S: Simd>(simd: S, x: S::f32s) -> Self {
        simd.reduce_sum_f32s(x)
    }
    #[inline(always)]
    fn as_lanes<S: Simd>(x: &[Self]) -> &[S::f32s] {
        S::as_simd_f32s(x).0
    }
    #[inline(always)]
    fn as_mut_lanes<S: Simd>(x: &mut [Self]) -> &mut [S::f32s] {
        S::as_mut_simd_f32s(x).0
    }
    #[inline(always)]
    fn lanes<S: Simd>() -> usize {
        S::F32_LANES
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f32::copysign(self, sign)
    }
}

/// The numbers of type `T` in one vector register of the instruction set chosen at run time.
pub fn lanes<T: Real>() -> usize {
    struct Lanes<T>(std::marker::PhantomData<T>);
    impl<T: Real> WithSimd for Lanes<T> {
        type Output = usize;
        #[inline(always)]
        fn with_simd<S: Simd>(self, _: S) -> usize {
            T::lanes::<S>()
        }
    }
    Arch::new().dispatch(Lanes::<T>(std::marker::PhantomData))
}
