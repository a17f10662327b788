//! The float type the physics is written over (f32 for the kernel, f64 for the reference).

use num_traits::{Float, FloatConst};

/// A float the physics can run in: `f32` (the GPU kernel's precision) or `f64` (reference).
pub trait Real: Float + FloatConst + std::fmt::Debug + Default + Send + Sync + 'static {
    /// A constant from an f64 literal (rounded to nearest for f32).
    fn c(x: f64) -> Self;
    /// An f32 parameter (from a Pod struct) in this precision.
    fn p(x: f32) -> Self;
    fn to_f64(self) -> f64;
}

impl Real for f32 {
    #[inline(always)]
    fn c(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn p(x: f32) -> Self {
        x
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Real for f64 {
    #[inline(always)]
    fn c(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn p(x: f32) -> Self {
        x as f64
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
}

/// `clamp(x, lo, hi)` as WGSL defines it.
#[inline(always)]
pub fn clamp<F: Real>(x: F, lo: F, hi: F) -> F {
    x.max(lo).min(hi)
}
