//! Boost-glide guidance: the lift vector of a point-mass glider (docs/model.md section 3;
//! Acton 2015, Tracy & Wright 2020).
//!
//! - Range control (as in Space Shuttle entry guidance): the Eggers equilibrium-glide range
//!   available at the current speed is compared with the range to go before the dive; when it
//!   is more than needed, the glider banks so that only the needed fraction of its lift is
//!   vertical (cos(bank) = needed / available), which lowers it into denser air and bleeds
//!   energy. Below the needed range it flies wings level (full lift up).
//! - Heading: bank toward the great-circle direction to the aim point (bank proportional to the
//!   heading error, limited to `MAX_BANK_RAD`); with range control active the bank side follows
//!   the heading error (idealised bank reversals).
//! - Weave: a sinusoidal bank modulation (`weave_bank_deg`, period drawn per trial).
//! - Terminal dive inside `dive_range_km`: pure pursuit of the aim point, lift toward the line
//!   of sight with a normal acceleration of `DIVE_GAIN` v^2 sin(angle) / distance, at most
//!   `DIVE_LIFT_FACTOR` times the lift at maximum L/D (a pull to higher angle of attack).

use super::state::{Aero, State, GUIDANCE_BY_RANGE, GUIDANCE_DIVE};
use crate::base::constants::{EARTH_RADIUS_KM, MU_KM3_S2};
use crate::base::frames::central_angle;
use crate::base::real::clamp;
use crate::base::{Real, V3};

/// Bank per radian of heading error (dimensionless gain).
pub const BANK_GAIN: f64 = 2.0;
/// Largest steering bank, rad (80 deg).
pub const MAX_BANK_RAD: f64 = 1.3962634015954636;
/// Steering bank over which the range-control bank reverses from one side to the other, rad
/// (0.05 rad: a heading error of 1.4 deg at `BANK_GAIN` 2; less when the energy bank itself is
/// smaller). Outside it the bank is max(|steer|, energy bank) on the side of the heading error,
/// as in Shuttle-style range control; inside it the lift is the average of the two reversal
/// states weighted by steer / band, so the equations of motion are continuous in the state. An
/// instantaneous reversal makes the heading error chatter about zero, and an error-controlled
/// integrator would have to resolve every reversal.
pub const REVERSAL_BAND_RAD: f64 = 0.05;
/// Speed at which the glide is planned to end (Eggers range), as a fraction of circular speed.
pub const GLIDE_END_SPEED_FRACTION: f64 = 0.3;
/// Pure-pursuit gain of the terminal dive.
pub const DIVE_GAIN: f64 = 3.0;
/// Blind range of the terminal dive's pursuit, km: the command fades linearly from full at twice
/// this distance to the aim point to none at it, and the last 200 m are flown unsteered. A
/// seeker has a blind range; without one, pure pursuit's command grows as 1/distance, saturates
/// and flips side with the miss angle in the last metres, and an error-controlled integrator
/// had to resolve that chatter at millisecond steps (86 of a glider's 194 steps were its last
/// 50 s of dive).
pub const DIVE_BLIND_RANGE_KM: f64 = 0.2;
/// Largest dive lift, as a multiple of the lift at maximum L/D.
pub const DIVE_LIFT_FACTOR: f64 = 3.0;

/// Eggers equilibrium-glide range from speed `v` at radius `r` down to the planned end speed,
/// km: s = (L/D) (r/2) ln[(1 - vf^2/vc^2) / (1 - v^2/vc^2)], vc^2 = mu / r.
#[inline(always)]
pub fn eggers_range_km<F: Real>(lift_to_drag: F, r_km: F, v_km_s: F) -> F {
    let vc2 = F::c(MU_KM3_S2) / r_km;
    let x = (v_km_s * v_km_s / vc2).min(F::c(0.999));
    let xf = F::c(GLIDE_END_SPEED_FRACTION * GLIDE_END_SPEED_FRACTION);
    if x <= xf {
        return F::zero();
    }
    lift_to_drag * r_km * F::c(0.5) * ((F::one() - xf) / (F::one() - x)).ln()
}

/// Ground range to go before the terminal dive starts, km (<= 0: inside the dive range).
#[inline(always)]
pub fn dive_to_go_km<F: Real>(p: V3<F>, aero: &Aero<F>) -> F {
    F::c(EARTH_RADIUS_KM) * central_angle(p, aero.aim_km) - aero.dive_range_km
}

/// Lift direction (perpendicular to v) at state `s` and `t_s` (s since launch), and the normal
/// acceleration wanted in the dive (-1: glide at maximum L/D). A unit vector, except inside a
/// bank reversal (see `REVERSAL_BAND_RAD`), where it is the average of two unit vectors.
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(x >= y)` is meant: a NaN must take the guard
pub fn lift_direction<F: Real>(s: State<F>, t_s: F, aero: &Aero<F>) -> (V3<F>, F) {
    let r = s.p.length();
    let up = s.p * (F::one() / r);
    let speed = s.v.length();
    let vhat = s.v * (F::one() / speed);
    let to_aim = aero.aim_km - s.p;
    let range_km = F::c(EARTH_RADIUS_KM) * central_angle(s.p, aero.aim_km);
    // The dive: held by the integrator (`aero.guidance`), or by the state's range to go.
    let dive = if aero.guidance == GUIDANCE_BY_RANGE {
        range_km < aero.dive_range_km
    } else {
        aero.guidance == GUIDANCE_DIVE
    };
    if dive {
        let dist = to_aim.length();
        let los = to_aim * (F::one() / dist.max(F::c(1e-3)));
        let perp = los - vhat * los.dot(vhat);
        let n = perp.length();
        // On the line of sight (or within a metre of the aim point): no pull.
        if !(n >= F::c(1e-6)) || !(dist > F::c(1e-3)) {
            return (vhat.cross(up), F::zero());
        }
        // Normal acceleration wanted (the caller caps it at a multiple of the lift at max L/D),
        // faded out over the seeker's blind range.
        let fade = clamp(
            (dist - F::c(DIVE_BLIND_RANGE_KM)) / F::c(DIVE_BLIND_RANGE_KM),
            F::zero(),
            F::one(),
        );
        return (
            perp * (F::one() / n),
            F::c(DIVE_GAIN) * speed * speed * n / dist * fade,
        );
    }
    let l0 = (up - vhat * up.dot(vhat)).normalize();
    let right = vhat.cross(l0);
    let vh = s.v - up * s.v.dot(up);
    let th = to_aim - up * to_aim.dot(up);
    let err = vh.cross(th).dot(up).atan2(vh.dot(th)); // > 0: aim is to the left
    let max_bank = F::c(MAX_BANK_RAD);
    let steer = clamp(-F::c(BANK_GAIN) * err, -max_bank, max_bank);
    let available = eggers_range_km(aero.lift_to_drag, r, speed);
    let needed = range_km - aero.dive_range_km;
    let ratio = clamp(needed / available.max(F::c(1e-3)), max_bank.cos(), F::one());
    let energy_bank = ratio.acos();
    let weave = aero.weave_bank_rad * (aero.weave_omega_rad_s * t_s + aero.weave_phase_rad).sin();
    if steer >= energy_bank || steer <= -energy_bank {
        let bank = steer + weave;
        return (l0 * bank.cos() + right * bank.sin(), -F::one());
    }
    // Range control banks by the energy bank to the side of the heading error. Near zero error
    // the side reverses back and forth (bank reversals); the lift is their average, weighted by
    // where the steering bank lies in the reversal band (Filippov's sliding average): the same
    // vertical lift, the lateral lift scaled by the side, continuous in the state.
    let band = F::c(REVERSAL_BAND_RAD).min(energy_bank);
    let side = clamp(steer / band, -F::one(), F::one());
    let w_left = (F::one() + side) * F::c(0.5);
    let w_right = (F::one() - side) * F::c(0.5);
    let b_left = energy_bank + weave;
    let b_right = weave - energy_bank;
    (
        (l0 * b_left.cos() + right * b_left.sin()) * w_left
            + (l0 * b_right.cos() + right * b_right.sin()) * w_right,
        -F::one(),
    )
}
