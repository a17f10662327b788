//! The exponential atmosphere rho = rho0 exp(-h / H) (docs/model.md; rho0 1.225 kg/m^3, H 7.2 km).

use crate::base::constants::{RHO0_KG_M3, SCALE_HEIGHT_KM};
use crate::base::Real;

/// Air density at altitude `h_km` (also below 0, inside an RK4 stage), kg/m^3.
#[inline(always)]
pub fn density_kg_m3<F: Real>(h_km: F) -> F {
    F::c(RHO0_KG_M3) * (-h_km * F::c(1.0 / SCALE_HEIGHT_KM)).exp()
}

/// Drag deceleration per unit (density x speed^2), in km/s^2 per (kg/m^3 (km/s)^2):
/// a = rho v^2 / (2 beta) in m/s^2 with v in m/s equals rho (1000 v)^2 / (2 beta) / 1000 km/s^2.
#[inline(always)]
pub fn drag_factor<F: Real>(ballistic_coefficient_kg_m2: F) -> F {
    F::c(1000.0) / (F::c(2.0) * ballistic_coefficient_kg_m2)
}
