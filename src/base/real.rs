//! The float type the physics is written over (f32 for the kernel, f64 for the reference).

use num_traits::{Float, FloatConst};

/// A float the physics can run in: `f32` (the GPU kernel's precision) or `f64` (reference).
pub trait Real: Float + FloatConst + std::fmt::Debug + Default + Send + Sync + 'static {
    /// A constant from an f64 literal (rounded to nearest for f32).
    fn c(x: f64) -> Self;
    /// An f32 parameter (from a Pod struct) in this precision.
    fn p(x: f32) -> Self;
    fn to_f64(self) -> f64;
    /// The angle of (x, y) = atan2(self, x) in [-pi, pi], as the kernels compute it: for f32
    /// the Cephes polynomial of the WGSL twin (`atan2_f32` in shaders/physics.wgsl; inline, a
    /// few ulp), for f64 the libm function (the reference).
    fn atan2k(self, x: Self) -> Self;
    /// acos(self) for self in [-1, 1], as the kernels compute it: `atan2k(sqrt(1 - x^2), x)`
    /// for f32 (`acos_f32` in shaders/physics.wgsl), libm for f64.
    fn acosk(self) -> Self;
}

/// atan(x) for 0 <= x <= 1: Cephes' atanf polynomial after its reduction by pi/4 (S. L.
/// Moshier, Cephes Math Library, atanf.c; relative error under 2e-7). Twin: `atan_unit` in
/// shaders/physics.wgsl.
#[inline(always)]
fn atan_unit_f32(x_in: f32) -> f32 {
    let mut x = x_in;
    let mut y = 0.0f32;
    if x > 0.414_213_56 {
        y = std::f32::consts::FRAC_PI_4;
        x = (x - 1.0) / (x + 1.0);
    }
    let z = x * x;
    y + (((8.053_744_5e-2 * z - 1.387_768_5e-1) * z + 1.997_771_1e-1) * z - 3.333_295e-1) * z * x
        + x
}

/// atan2(y, x) from `atan_unit_f32`: (0, 0) gives 0, a NaN operand gives NaN. Twin:
/// `atan2_f32` in shaders/physics.wgsl.
#[inline(always)]
fn atan2_f32(y: f32, x: f32) -> f32 {
    let ax = x.abs();
    let ay = y.abs();
    let hi = ax.max(ay);
    let lo = ax.min(ay);
    let mut r = 0.0f32;
    if hi > 0.0 {
        r = atan_unit_f32(lo / hi);
    }
    if ay > ax {
        r = std::f32::consts::FRAC_PI_2 - r;
    }
    if x < 0.0 {
        r = std::f32::consts::PI - r;
    }
    if y < 0.0 {
        r = -r;
    }
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    r
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
    #[inline(always)]
    fn atan2k(self, x: Self) -> Self {
        atan2_f32(self, x)
    }
    #[inline(always)]
    fn acosk(self) -> Self {
        atan2_f32(((1.0 + self) * (1.0 - self)).sqrt(), self)
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
    #[inline(always)]
    fn atan2k(self, x: Self) -> Self {
        self.atan2(x)
    }
    #[inline(always)]
    fn acosk(self) -> Self {
        self.acos()
    }
}

/// `clamp(x, lo, hi)` as WGSL defines it.
#[inline(always)]
pub fn clamp<F: Real>(x: F, lo: F, hi: F) -> F {
    x.max(lo).min(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The f32 polynomial against f64 libm over the whole circle: within 4e-7 rad plus 2 ulp
    /// of the angle (Cephes quotes a relative error under 2e-7 for the polynomial).
    #[test]
    fn atan2k_f32_matches_f64_libm() {
        let mut worst = 0.0f64;
        for i in 0..20_000 {
            let a = -std::f64::consts::PI + (i as f64 + 0.5) * std::f64::consts::TAU / 20_000.0;
            for scale in [1e-3f64, 1.0, 7.0e3] {
                let (y, x) = ((a.sin() * scale) as f32, (a.cos() * scale) as f32);
                let want = (y as f64).atan2(x as f64);
                let got = y.atan2k(x) as f64;
                let err = (got - want).abs();
                let allowed = 4e-7 + 2.0 * f32::EPSILON as f64 * want.abs();
                assert!(err <= allowed, "atan2({y}, {x}): {got} vs {want}");
                worst = worst.max(err);
            }
        }
        assert!(worst > 0.0, "compared against itself?");
        assert_eq!(0.0f32.atan2k(0.0), 0.0);
        assert!(f32::NAN.atan2k(1.0).is_nan() && 1.0f32.atan2k(f32::NAN).is_nan());
        for x in [-1.0f32, -0.999_9, -0.5, 0.0, 0.3, 0.99, 0.999_99, 1.0] {
            let want = (x as f64).acos();
            assert!(((x.acosk() as f64) - want).abs() < 1e-6, "acos({x})");
        }
    }
}
