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
    // Heading error err = atan2(y, x), > 0 when the aim is to the left; the steering bank
    // clamp(-BANK_GAIN err, +-MAX_BANK_RAD) is used through its cosine and sine (`steer_bank`).
    let y = vh.cross(th).dot(up);
    let x = vh.dot(th);
    let available = eggers_range_km(aero.lift_to_drag, r, speed);
    let needed = range_km - aero.dive_range_km;
    // cos of the energy bank (the vertical fraction of the lift).
    let ratio = clamp(
        needed / available.max(F::c(1e-3)),
        F::c(COS_MAX_BANK),
        F::one(),
    );
    let weave = aero.weave_bank_rad * (aero.weave_omega_rad_s * t_s + aero.weave_phase_rad).sin();
    let (sin_w, cos_w) = (weave.sin(), weave.cos());
    let (cos_s, sin_s) = steer_bank(y, x);
    // |steer| >= energy bank (both in [0, MAX_BANK_RAD], where cos decreases): bank by the
    // steering bank plus the weave.
    if cos_s <= ratio {
        return (
            l0 * (cos_s * cos_w - sin_s * sin_w) + right * (sin_s * cos_w + cos_s * sin_w),
            -F::one(),
        );
    }
    // Range control banks by the energy bank to the side of the heading error. Near zero error
    // the side reverses back and forth (bank reversals); the lift is their average, weighted by
    // where the steering bank lies in the reversal band (Filippov's sliding average): the same
    // vertical lift, the lateral lift scaled by the side, continuous in the state. With weights
    // (1 +- side) / 2 on the banks weave +- energy bank, the angle-sum formulas give
    // l0 (cos E cos w - side sin E sin w) + right (cos E sin w + side sin E cos w).
    let side = reversal_side(y, x, ratio);
    let sin_e = ((F::one() + ratio) * (F::one() - ratio)).sqrt();
    (
        l0 * (ratio * cos_w - side * sin_e * sin_w)
            + right * (ratio * sin_w + side * sin_e * cos_w),
        -F::one(),
    )
}

/// cos(MAX_BANK_RAD).
pub const COS_MAX_BANK: f64 = 0.173_648_177_666_930_4;
/// sin(MAX_BANK_RAD).
pub const SIN_MAX_BANK: f64 = 0.984_807_753_012_208;
/// tan(MAX_BANK_RAD / BANK_GAIN): beyond this |y| / x the steering bank is at its limit.
pub const TAN_HALF_MAX_BANK: f64 = 0.839_099_631_177_280;
/// tan(REVERSAL_BAND_RAD / BANK_GAIN): beyond this |y| / x the steering bank is outside any
/// reversal band.
pub const TAN_HALF_BAND: f64 = 0.025_005_209_635_746_147;
/// cos(REVERSAL_BAND_RAD): an energy bank narrower than the band (ratio above this) is the band.
pub const COS_BAND: f64 = 0.998_750_260_394_966_3;

/// (cos, sin) of the steering bank clamp(-BANK_GAIN err, +-MAX_BANK_RAD) for the heading error
/// err = atan2(y, x), without trigonometric calls: BANK_GAIN is 2, so inside the limit the
/// double-angle formulas give cos(2 err) = (x^2 - y^2) / n^2 and sin(-2 err) = -2 x y / n^2
/// (n^2 = x^2 + y^2); at the limit (|err| >= MAX_BANK_RAD / 2, x <= 0 included) the bank is
/// MAX_BANK_RAD to the side opposite y's sign.
#[inline(always)]
pub fn steer_bank<F: Real>(y: F, x: F) -> (F, F) {
    let limit = F::c(TAN_HALF_MAX_BANK) * x;
    if x <= F::zero() || y >= limit || y <= -limit {
        let sin_max = F::c(SIN_MAX_BANK);
        return (
            F::c(COS_MAX_BANK),
            if y < F::zero() { sin_max } else { -sin_max },
        );
    }
    let n2 = x * x + y * y;
    ((x * x - y * y) / n2, -F::c(2.0) * x * y / n2)
}

/// The side of a bank reversal, in [-1, 1]: clamp(steer / band, -1, 1) with steer =
/// -BANK_GAIN atan2(y, x) and band = min(REVERSAL_BAND_RAD, acos(ratio)) (the energy bank). A
/// steering bank outside the widest band is a whole side; inside it (|y| / x under tan(band / 2),
/// at most 0.025), atan is its series z - z^3/3 + z^5/5 (next term z^7/7 < 1e-12 of z: exact in
/// f32), and the band is the energy bank only where that is narrower than REVERSAL_BAND_RAD.
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(x > 0)` is meant: a NaN takes the whole side
pub fn reversal_side<F: Real>(y: F, x: F, ratio: F) -> F {
    let edge = F::c(TAN_HALF_BAND) * x;
    if !(x > F::zero()) || y >= edge || y <= -edge {
        return if y < F::zero() { F::one() } else { -F::one() };
    }
    let z = y / x;
    let z2 = z * z;
    let steer = -F::c(BANK_GAIN) * (z - z * z2 * (F::c(1.0 / 3.0) - z2 * F::c(0.2)));
    let band = if ratio > F::c(COS_BAND) {
        ratio.acosk()
    } else {
        F::c(REVERSAL_BAND_RAD)
    };
    clamp(steer / band, -F::one(), F::one())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::physics::state::GUIDANCE_GLIDE;

    #[test]
    fn bank_constants_are_their_formulas() {
        let half = |a: f64| (a / BANK_GAIN).tan();
        assert!((COS_MAX_BANK - MAX_BANK_RAD.cos()).abs() < 1e-15);
        assert!((SIN_MAX_BANK - MAX_BANK_RAD.sin()).abs() < 1e-15);
        assert!((TAN_HALF_MAX_BANK - half(MAX_BANK_RAD)).abs() < 1e-15);
        assert!((TAN_HALF_BAND - half(REVERSAL_BAND_RAD)).abs() < 1e-15);
        assert!((COS_BAND - REVERSAL_BAND_RAD.cos()).abs() < 1e-15);
        // steer_bank's double-angle formulas hold for a gain of 2 only.
        assert_eq!(BANK_GAIN, 2.0);
    }

    /// The glide law written with angles, as the model states it (docs/model.md section 8):
    /// steer = clamp(-2 atan2(y, x), +-80 deg), energy bank acos(ratio), bank = steer + weave
    /// outside the reversal band, else the (1 +- side) / 2 average of the banks weave +- energy
    /// bank. An independent f64 oracle for the trigonometry-free `lift_direction`; also says
    /// whether the reversal branch (rather than the steering one) was taken.
    fn angle_form(s: State<f64>, t_s: f64, aero: &Aero<f64>) -> (V3<f64>, bool) {
        let r = s.p.length();
        let up = s.p * (1.0 / r);
        let speed = s.v.length();
        let vhat = s.v * (1.0 / speed);
        let to_aim = aero.aim_km - s.p;
        let range_km =
            EARTH_RADIUS_KM * s.p.cross(aero.aim_km).length().atan2(s.p.dot(aero.aim_km));
        let l0 = (up - vhat * up.dot(vhat)).normalize();
        let right = vhat.cross(l0);
        let vh = s.v - up * s.v.dot(up);
        let th = to_aim - up * to_aim.dot(up);
        let err = vh.cross(th).dot(up).atan2(vh.dot(th));
        let steer = (-2.0 * err).clamp(-MAX_BANK_RAD, MAX_BANK_RAD);
        let available = eggers_range_km(aero.lift_to_drag, r, speed);
        let ratio =
            ((range_km - aero.dive_range_km) / available.max(1e-3)).clamp(MAX_BANK_RAD.cos(), 1.0);
        let eb = ratio.acos();
        let weave =
            aero.weave_bank_rad * (aero.weave_omega_rad_s * t_s + aero.weave_phase_rad).sin();
        let dir = |b: f64| l0 * b.cos() + right * b.sin();
        if steer.abs() >= eb {
            return (dir(steer + weave), false);
        }
        let side = (steer / REVERSAL_BAND_RAD.min(eb)).clamp(-1.0, 1.0);
        let lift = dir(eb + weave) * ((1.0 + side) * 0.5) + dir(weave - eb) * ((1.0 - side) * 0.5);
        (lift, true)
    }

    /// Headings from 0 to 180 deg off the aim (both sides, the reversal band's edges and the
    /// 80 deg limit included), aims near and far (energy banks from 0 to the limit), with and
    /// without weave, in f64 and f32: the same lift direction as the angle form.
    #[test]
    fn lift_direction_matches_the_angle_form() {
        let r = EARTH_RADIUS_KM + 35.0;
        let p = V3::new(r, 0.0, 0.0);
        let mut checked = [0usize; 2];
        for &aim_deg in &[3.0f64, 6.0, 12.0, 25.0] {
            for &bearing_deg in &[0.0f64, 10.0, -33.0] {
                let (a, b) = (aim_deg.to_radians(), bearing_deg.to_radians());
                // Aim on the ground `aim_deg` away, `bearing_deg` from north.
                let aim = V3::new(a.cos(), a.sin() * b.sin(), a.sin() * b.cos()) * EARTH_RADIUS_KM;
                for i in 0..=72 {
                    // Heading errors over the whole circle, with a fine grid near zero.
                    let off = if i < 36 {
                        (i as f64 - 18.0) * 0.004
                    } else {
                        (i as f64 - 54.0) * 10.0f64.to_radians()
                    };
                    let heading = b + off;
                    let v = V3::new(-0.02, heading.sin(), heading.cos()) * 5.5;
                    for &(weave, speed_scale) in &[(0.0f64, 1.0f64), (0.35, 1.0), (0.35, 0.6)] {
                        let s = State {
                            p,
                            v: v * speed_scale,
                        };
                        let aero = Aero {
                            drag_factor: 0.04,
                            lift_to_drag: 2.6,
                            aim_km: aim,
                            weave_bank_rad: weave,
                            weave_omega_rad_s: 0.1,
                            weave_phase_rad: 0.3,
                            dive_range_km: 100.0,
                            guidance: GUIDANCE_GLIDE,
                        };
                        let (want, reversal) = angle_form(s, 37.0, &aero);
                        let (got, wanted) = lift_direction(s, 37.0, &aero);
                        assert_eq!(wanted, -1.0);
                        let d = got - want;
                        assert!(
                            d.length() < 1e-9,
                            "f64 aim {aim_deg} off {off}: {got:?} vs {want:?}"
                        );
                        let s32 = State {
                            p: V3::new(p.x as f32, p.y as f32, p.z as f32),
                            v: V3::new(s.v.x as f32, s.v.y as f32, s.v.z as f32),
                        };
                        let aero32 = Aero {
                            drag_factor: 0.04f32,
                            lift_to_drag: 2.6,
                            aim_km: V3::new(aim.x as f32, aim.y as f32, aim.z as f32),
                            weave_bank_rad: weave as f32,
                            weave_omega_rad_s: 0.1,
                            weave_phase_rad: 0.3,
                            dive_range_km: 100.0,
                            guidance: GUIDANCE_GLIDE,
                        };
                        let (g32, _) = lift_direction(s32, 37.0f32, &aero32);
                        let d32 = V3::new(g32.x as f64, g32.y as f64, g32.z as f64) - want;
                        // Flying straight away from the aim, the side is f32 rounding's choice.
                        let behind = off.abs() > 3.1;
                        assert!(
                            behind || d32.length() < 2e-5,
                            "f32 aim {aim_deg} off {off}: {g32:?} vs {want:?}"
                        );
                        checked[usize::from(reversal)] += 1;
                    }
                }
            }
        }
        // Both the steering and the reversal branch were exercised.
        assert!(checked[0] > 100 && checked[1] > 100, "{checked:?}");
    }
}
