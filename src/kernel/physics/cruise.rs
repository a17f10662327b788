//! The hypersonic cruise missile: an analytic path at constant altitude and ground speed along
//! the great circle to the aim point, with an optional lateral sinusoidal weave of given
//! acceleration amplitude, and a straight terminal dive over the last `dive_range_km`.

use crate::base::constants::{EARTH_RADIUS_KM, G0_KM_S2};
use crate::base::frames::travel;
use crate::base::{Real, V3};

/// The cruise leg of one trial, from the end of the climb ("boost") to the aim point.
#[derive(Clone, Copy, Debug, Default)]
pub struct CruisePath<F> {
    /// Ground point (unit vector) where the cruise leg starts.
    pub start_dir: V3<F>,
    /// Horizontal unit direction at `start_dir` toward the aim point.
    pub heading: V3<F>,
    /// Ground distance of the cruise leg, km.
    pub length_km: F,
    pub altitude_km: F,
    /// Ground speed, km/s.
    pub speed_km_s: F,
    /// Lateral weave acceleration amplitude, g (0: no weave).
    pub weave_g: F,
    pub weave_omega_rad_s: F,
    pub weave_phase_rad: F,
    pub dive_range_km: F,
}

/// Position (km), velocity (km/s) and manoeuvre acceleration (g) at `t_s` after the leg starts.
pub fn cruise_point<F: Real>(c: &CruisePath<F>, t_s: F) -> (V3<F>, V3<F>, F) {
    let r_e = F::c(EARTH_RADIUS_KM);
    let s_km = (c.speed_km_s * t_s).min(c.length_km);
    let angle = s_km / r_e;
    let u = travel(c.start_dir, c.heading, angle);
    let forward = (c.heading * angle.cos() - c.start_dir * angle.sin()).normalize();
    let side = u.cross(forward);
    let to_go_km = c.length_km - s_km;
    // Inside the dive the altitude and the weave taper linearly to zero at the aim point.
    let (taper, dh_dt) = if to_go_km < c.dive_range_km && c.dive_range_km > F::zero() {
        (
            to_go_km / c.dive_range_km,
            -c.altitude_km * c.speed_km_s / c.dive_range_km,
        )
    } else {
        (F::one(), F::zero())
    };
    let alt_km = c.altitude_km * taper;
    let (mut lateral_km, mut lateral_km_s, mut accel_g) = (F::zero(), F::zero(), F::zero());
    if c.weave_g > F::zero() && c.weave_omega_rad_s > F::zero() {
        let w = c.weave_omega_rad_s;
        let amplitude_km = c.weave_g * F::c(G0_KM_S2) / (w * w);
        let phase = w * t_s + c.weave_phase_rad;
        lateral_km = amplitude_km * phase.sin() * taper;
        lateral_km_s = amplitude_km * w * phase.cos() * taper;
        accel_g = c.weave_g * phase.sin().abs() * taper;
    }
    let dir = (u + side * (lateral_km / r_e)).normalize();
    let p = dir * (r_e + alt_km);
    let v = forward * c.speed_km_s + side * lateral_km_s + u * dh_dt;
    (p, v, accel_g)
}

/// Duration of the cruise leg (to the aim point), s.
pub fn cruise_duration<F: Real>(c: &CruisePath<F>) -> F {
    c.length_km / c.speed_km_s
}
