//! Physical constants (docs/model.md section 7).

/// Mean Earth radius of the spherical model, km.
pub const EARTH_RADIUS_KM: f64 = 6371.0;
/// Earth's gravitational parameter, km^3/s^2 (WGS-84 / Bate, Mueller & White).
pub const MU_KM3_S2: f64 = 398600.4418;
/// Earth's rotation rate, rad/s (sidereal, IERS).
pub const OMEGA_RAD_S: f64 = 7.2921159e-5;
/// Sea-level density of the exponential atmosphere, kg/m^3.
pub const RHO0_KG_M3: f64 = 1.225;
/// Scale height of the exponential atmosphere, km.
pub const SCALE_HEIGHT_KM: f64 = 7.2;
/// Standard gravity, km/s^2 (for accelerations quoted in g).
pub const G0_KM_S2: f64 = 9.80665e-3;
/// Altitude below which the fine step `dt_atmosphere_s` is used, km.
pub const ATMOSPHERE_TOP_KM: f64 = 100.0;
