//! Equations of motion of a point mass over the spherical Earth in the Earth-fixed frame, and
//! the classical RK4 step (docs/model.md sections 1, 3 and 7).
//!
//! a = -mu p / |p|^3  - 2 w x v - w x (w x p)  + drag + lift
//! (w = Earth's rotation, zero on a non-rotating Earth; the air co-rotates, so v is also the
//! air-relative velocity).

use super::atmosphere::density_kg_m3;
use super::glide::{lift_direction, DIVE_LIFT_FACTOR};
use super::state::{Aero, Env, State};
use crate::base::constants::{EARTH_RADIUS_KM, G0_KM_S2, MU_KM3_S2, OMEGA_RAD_S};
use crate::base::{Real, V3};

/// Derivative of the state and the lift (manoeuvre) acceleration magnitude, km/s^2.
#[inline(always)]
pub fn derivative<F: Real>(s: State<F>, t_s: F, aero: &Aero<F>, env: &Env<F>) -> (State<F>, F) {
    let r = s.p.length();
    let mut a = s.p * (-F::c(MU_KM3_S2) / (r * r * r));
    if env.rotation {
        let w = F::c(OMEGA_RAD_S);
        // -2 w x v - w x (w x p) with w = (0, 0, w).
        a += V3::new(
            F::c(2.0) * w * s.v.y + w * w * s.p.x,
            -F::c(2.0) * w * s.v.x + w * w * s.p.y,
            F::zero(),
        );
    }
    let mut lift_accel = F::zero();
    if env.atmosphere {
        let speed = s.v.length();
        let q = density_kg_m3(r - F::c(EARTH_RADIUS_KM)) * speed * aero.drag_factor;
        // Drag: rho v^2 / (2 beta) opposite v.
        a += s.v * (-q);
        if aero.lift_to_drag > F::zero() {
            let max_ld_lift = aero.lift_to_drag * q * speed;
            let (dir, wanted) = lift_direction(s, t_s, aero);
            // wanted < 0: glide at max L/D; else the dive's wanted normal acceleration.
            lift_accel = if wanted < F::zero() {
                max_ld_lift
            } else {
                wanted.min(F::c(DIVE_LIFT_FACTOR) * max_ld_lift)
            };
            a += dir * lift_accel;
        }
    }
    (State { p: s.v, v: a }, lift_accel)
}

/// One classical fourth-order Runge-Kutta step of length `dt_s` from time `t_s`.
/// Returns the new state and the lift acceleration (km/s^2) at the start of the step.
#[inline(always)]
pub fn rk4_step<F: Real>(
    s: State<F>,
    t_s: F,
    dt_s: F,
    aero: &Aero<F>,
    env: &Env<F>,
) -> (State<F>, F) {
    let half = dt_s * F::c(0.5);
    let (k1, lift) = derivative(s, t_s, aero, env);
    let s2 = State {
        p: s.p + k1.p * half,
        v: s.v + k1.v * half,
    };
    let (k2, _) = derivative(s2, t_s + half, aero, env);
    let s3 = State {
        p: s.p + k2.p * half,
        v: s.v + k2.v * half,
    };
    let (k3, _) = derivative(s3, t_s + half, aero, env);
    let s4 = State {
        p: s.p + k3.p * dt_s,
        v: s.v + k3.v * dt_s,
    };
    let (k4, _) = derivative(s4, t_s + dt_s, aero, env);
    let sixth = dt_s / F::c(6.0);
    let two = F::c(2.0);
    let p = s.p + (k1.p + k2.p * two + k3.p * two + k4.p) * sixth;
    let v = s.v + (k1.v + k2.v * two + k3.v * two + k4.v) * sixth;
    (State { p, v }, lift)
}

/// Acceleration in g.
#[inline(always)]
pub fn in_g<F: Real>(a_km_s2: F) -> F {
    a_km_s2 / F::c(G0_KM_S2)
}
