//! Boost-glide steering: the lift vector of a point-mass glider (REFERENCES.md section 3;
//! Acton 2015, Tracy & Wright 2020). The glider flies at its full lift-to-drag ratio and turns
//! toward the aim point by banking (bank proportional to the heading error, limited to
//! `MAX_BANK_RAD`), with an optional sinusoidal bank weave; inside `dive_range_km` of the aim
//! point it dives on it, pointing its lift at the line of sight (pure pursuit).

use super::constants::EARTH_RADIUS_KM;
use super::dynamics::{Aero, State};
use super::frames::central_angle;
use super::real::clamp;
use super::{Real, V3};

/// Bank per radian of heading error (dimensionless gain).
pub const BANK_GAIN: f64 = 2.0;
/// Largest steering bank, rad (60 deg).
pub const MAX_BANK_RAD: f64 = 1.0471975511965976;

/// Unit lift direction (perpendicular to v) at state `s` and time `t_s` (s since launch).
#[inline(always)]
pub fn lift_direction<F: Real>(s: State<F>, t_s: F, aero: &Aero<F>) -> V3<F> {
    let up = s.p.normalize();
    let vhat = s.v.normalize();
    let to_aim = aero.aim_km - s.p;
    let range_km = F::c(EARTH_RADIUS_KM) * central_angle(s.p, aero.aim_km);
    if range_km < aero.dive_range_km {
        // Terminal dive: lift toward the line of sight to the aim point.
        let los = to_aim.normalize();
        let perp = los - vhat * los.dot(vhat);
        let n = perp.length();
        if n > F::c(1e-6) {
            return perp * (F::one() / n);
        }
        return perp;
    }
    // In-plane lift direction: "up" rotated about v; bank turns it to the right (positive).
    let l0 = (up - vhat * up.dot(vhat)).normalize();
    let right = vhat.cross(l0);
    // Heading error: angle from the horizontal velocity to the great-circle direction to the aim.
    let vh = s.v - up * s.v.dot(up);
    let th = to_aim - up * to_aim.dot(up);
    let err = vh.cross(th).dot(up).atan2(vh.dot(th)); // > 0: aim is to the left
    let max_bank = F::c(MAX_BANK_RAD);
    let mut bank = clamp(-F::c(BANK_GAIN) * err, -max_bank, max_bank);
    bank = bank + aero.weave_bank_rad * (aero.weave_omega_rad_s * t_s + aero.weave_phase_rad).sin();
    l0 * bank.cos() + right * bank.sin()
}
