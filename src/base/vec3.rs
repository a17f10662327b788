//! A 3-vector over `F` (the WGSL side uses `vec3<f32>`).

use super::Real;
use std::ops::{Add, AddAssign, Mul, Neg, Sub};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct V3<F> {
    pub x: F,
    pub y: F,
    pub z: F,
}

impl<F: Real> V3<F> {
    #[inline(always)]
    pub fn new(x: F, y: F, z: F) -> Self {
        V3 { x, y, z }
    }
    #[inline(always)]
    pub fn zero() -> Self {
        V3::new(F::zero(), F::zero(), F::zero())
    }
    /// From the xyz of a Pod `[f32; 4]` row.
    #[inline(always)]
    pub fn from4(a: [f32; 4]) -> Self {
        V3::new(F::p(a[0]), F::p(a[1]), F::p(a[2]))
    }
    #[inline(always)]
    pub fn dot(self, o: Self) -> F {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    #[inline(always)]
    pub fn cross(self, o: Self) -> Self {
        V3::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }
    #[inline(always)]
    pub fn length(self) -> F {
        self.dot(self).sqrt()
    }
    #[inline(always)]
    pub fn normalize(self) -> Self {
        self * (F::one() / self.length())
    }
    pub fn to_f64(self) -> V3<f64> {
        V3::new(self.x.to_f64(), self.y.to_f64(), self.z.to_f64())
    }
}

/// `mix(a, b, f)` as WGSL defines it.
#[inline(always)]
pub fn mix<F: Real>(a: V3<F>, b: V3<F>, f: F) -> V3<F> {
    a + (b - a) * f
}

impl<F: Real> Add for V3<F> {
    type Output = Self;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        V3::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}
impl<F: Real> AddAssign for V3<F> {
    #[inline(always)]
    fn add_assign(&mut self, o: Self) {
        *self = *self + o;
    }
}
impl<F: Real> Sub for V3<F> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        V3::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}
impl<F: Real> Mul<F> for V3<F> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, s: F) -> Self {
        V3::new(self.x * s, self.y * s, self.z * s)
    }
}
impl<F: Real> Neg for V3<F> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        V3::new(-self.x, -self.y, -self.z)
    }
}
