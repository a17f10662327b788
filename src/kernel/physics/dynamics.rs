//! Equations of motion of a point mass over the spherical Earth in the Earth-fixed frame, the
//! classical RK4 step, and the Dormand-Prince 5(4) step with its error estimate (docs/model.md
//! sections 1, 3, 7 and 13).
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

/// State `s + h (c1 k1 + ... )`: one Runge-Kutta stage combination, position and velocity alike.
#[inline(always)]
fn combine<F: Real>(s: State<F>, h: F, k: &[State<F>], c: &[f64]) -> State<F> {
    let mut dp = V3::zero();
    let mut dv = V3::zero();
    for i in 0..k.len() {
        dp += k[i].p * F::c(c[i]);
        dv += k[i].v * F::c(c[i]);
    }
    State {
        p: s.p + dp * h,
        v: s.v + dv * h,
    }
}

/// Dormand-Prince 5(4) nodes c2..c6 (c7 = 1): Dormand & Prince, "A family of embedded
/// Runge-Kutta formulae", J. Comp. Appl. Math. 6 (1980), table 2.
pub const DP_C: [f64; 5] = [1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0];
/// Rows 2..7 of the Dormand-Prince matrix (row 7 is the fifth-order solution).
pub const DP_A2: [f64; 1] = [1.0 / 5.0];
pub const DP_A3: [f64; 2] = [3.0 / 40.0, 9.0 / 40.0];
pub const DP_A4: [f64; 3] = [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0];
pub const DP_A5: [f64; 4] = [
    19372.0 / 6561.0,
    -25360.0 / 2187.0,
    64448.0 / 6561.0,
    -212.0 / 729.0,
];
pub const DP_A6: [f64; 5] = [
    9017.0 / 3168.0,
    -355.0 / 33.0,
    46732.0 / 5247.0,
    49.0 / 176.0,
    -5103.0 / 18656.0,
];
/// Fifth-order weights (b2 = 0): the seventh stage is evaluated at the new state (FSAL).
pub const DP_A7: [f64; 6] = [
    35.0 / 384.0,
    0.0,
    500.0 / 1113.0,
    125.0 / 192.0,
    -2187.0 / 6784.0,
    11.0 / 84.0,
];
/// Fifth- minus fourth-order weights, stages 1..7: the local error estimate.
pub const DP_E: [f64; 7] = [
    71.0 / 57600.0,
    0.0,
    -71.0 / 16695.0,
    71.0 / 1920.0,
    -17253.0 / 339200.0,
    22.0 / 525.0,
    -1.0 / 40.0,
];
/// Time over which a velocity error is weighed as the position error it makes, s: the error
/// norm is max(|e_p|, VELOCITY_ERROR_TIME_S |e_v|) / tolerance (largest component). 30 s (it
/// was 100 s): a glider's velocity error, which set most of its steps, is steered out by its
/// guidance well within that; what a ballistic flight's error grows to after it is what the
/// convergence case of `validate` measures (impact points of the default scenario within
/// 0.07 km of a run 100 times tighter).
pub const VELOCITY_ERROR_TIME_S: f64 = 30.0;

/// The error allowed to the cubic Hermite interpolant of a step (on which events are found),
/// as a multiple of the step's local error tolerance: 4, so 40 m at the default 1e-2 km
/// (8 ms of flight at 5 km/s).
pub const INTERPOLANT_TOLERANCE_FACTOR: f64 = 4.0;

/// Largest position error of the cubic Hermite interpolant over a step of `h_s` seconds from
/// velocity `va` (acceleration `acc_a`) to `vb` (`acc_b`), estimated, km (largest component). The
/// interpolant's error is h^4 x^2 (1-x)^2 D / 24 at x in [0, 1], D the fourth derivative of
/// the position (the acceleration's second), largest at mid-step: h^4 D / 384. The trapezoidal
/// rule on the accelerations misses the velocity change by h^3 D / 12, so the largest error is
/// (h / 32) |h (acc_a + acc_b) / 2 - (vb - va)|. Velocities, not positions, so that f32
/// rounding (an ulp of a position is half a metre) does not drive the step controller.
/// Checked against a reference arc in tests/hermite_error.rs.
#[inline(always)]
pub fn hermite_error_km<F: Real>(va: V3<F>, acc_a: V3<F>, vb: V3<F>, acc_b: V3<F>, h_s: F) -> F {
    let miss = (acc_a + acc_b) * (h_s * F::c(0.5)) - (vb - va);
    miss.x.abs().max(miss.y.abs()).max(miss.z.abs()) * (h_s * F::c(1.0 / 32.0))
}

/// One accepted-or-not Dormand-Prince step.
#[derive(Clone, Copy, Debug)]
pub struct DpStep<F> {
    /// Fifth-order state at `t + h`.
    pub s: State<F>,
    /// Derivative at the new state (the next step's first stage), and its lift, km/s^2.
    pub k7: State<F>,
    pub lift7: F,
    /// Error norm: the local error over the tolerance, or the interpolant's estimated error
    /// over `INTERPOLANT_TOLERANCE_FACTOR` tolerances, whichever is larger (<= 1: acceptable).
    pub err: F,
}

/// One Dormand-Prince 5(4) step of length `h_s` from `s` at `t_s`, whose derivative `k1` (first
/// same as last) is known: six derivative evaluations.
#[inline(always)]
pub fn dp54_step<F: Real>(
    s: State<F>,
    k1: State<F>,
    t_s: F,
    h_s: F,
    tolerance_km: F,
    aero: &Aero<F>,
    env: &Env<F>,
) -> DpStep<F> {
    let (k2, _) = derivative(
        combine(s, h_s, &[k1], &DP_A2),
        t_s + h_s * F::c(DP_C[0]),
        aero,
        env,
    );
    let (k3, _) = derivative(
        combine(s, h_s, &[k1, k2], &DP_A3),
        t_s + h_s * F::c(DP_C[1]),
        aero,
        env,
    );
    let (k4, _) = derivative(
        combine(s, h_s, &[k1, k2, k3], &DP_A4),
        t_s + h_s * F::c(DP_C[2]),
        aero,
        env,
    );
    let (k5, _) = derivative(
        combine(s, h_s, &[k1, k2, k3, k4], &DP_A5),
        t_s + h_s * F::c(DP_C[3]),
        aero,
        env,
    );
    let (k6, _) = derivative(
        combine(s, h_s, &[k1, k2, k3, k4, k5], &DP_A6),
        t_s + h_s * F::c(DP_C[4]),
        aero,
        env,
    );
    let s7 = combine(s, h_s, &[k1, k2, k3, k4, k5, k6], &DP_A7);
    let (k7, lift7) = derivative(s7, t_s + h_s, aero, env);
    // The error state is h (e1 k1 + ... + e7 k7): combine from a zero state.
    let e = combine(
        State {
            p: V3::zero(),
            v: V3::zero(),
        },
        h_s,
        &[k1, k2, k3, k4, k5, k6, k7],
        &DP_E,
    );
    let ep = e.p.x.abs().max(e.p.y.abs()).max(e.p.z.abs());
    let ev = e.v.x.abs().max(e.v.y.abs()).max(e.v.z.abs()) * F::c(VELOCITY_ERROR_TIME_S);
    let eh =
        hermite_error_km(s.v, k1.v, s7.v, k7.v, h_s) * F::c(1.0 / INTERPOLANT_TOLERANCE_FACTOR);
    DpStep {
        s: s7,
        k7,
        lift7,
        err: ep.max(ev).max(eh) / tolerance_km,
    }
}

/// The step controller on a grid of quarter octaves: the factor the next step length is
/// multiplied by for an error norm `err` (local error growing as h^5, a safety factor 0.9): the
/// largest of x16, x8, x4, x2, x2^(3/4), x2^(1/2), x2^(1/4) and x1 whose predicted error
/// 0.9^-5 f^5 err stays under 1 (thresholds `STEP_GROW*_ERR` = (0.9 / f)^5), kept while
/// err <= 1; else the step is rejected and retried at x2^(-1/4), x2^(-1/2), x1/2 or x1/4 (also
/// for a NaN error: a stage that overflowed, e.g. the air density of a stage far below ground in
/// f32). Comparisons only, no `powf`, so both twins pick the same step from nearly equal
/// estimates. Quarter octaves rather than octaves: a step is then on average within 2^(1/8) of
/// the longest the error allows, not 2^(1/2) (about a fifth fewer steps on a glider). The growth
/// is capped by the caller right after a rejection (see `propagate::fly_adaptive`).
#[inline(always)]
pub fn step_factor<F: Real>(err: F) -> F {
    if err <= F::c(STEP_GROW16_ERR) {
        F::c(16.0)
    } else if err <= F::c(STEP_GROW8_ERR) {
        F::c(8.0)
    } else if err <= F::c(STEP_GROW4_ERR) {
        F::c(4.0)
    } else if err <= F::c(STEP_GROW2_ERR) {
        F::c(2.0)
    } else if err <= F::c(STEP_GROW_Q3_ERR) {
        F::c(STEP_Q3)
    } else if err <= F::c(STEP_GROW_Q2_ERR) {
        F::c(STEP_Q2)
    } else if err <= F::c(STEP_GROW_Q1_ERR) {
        F::c(STEP_Q1)
    } else if err <= F::one() {
        F::one()
    } else if err <= F::c(STEP_SHRINK_Q1_ERR) {
        F::c(STEP_INV_Q1)
    } else if err <= F::c(STEP_SHRINK_Q2_ERR) {
        F::c(STEP_INV_Q2)
    } else if err <= F::c(STEP_SHRINK2_ERR) {
        F::c(0.5)
    } else {
        F::c(0.25)
    }
}

/// 2^(1/4), 2^(1/2) and 2^(3/4): the quarter-octave factors of `step_factor`.
pub const STEP_Q1: f64 = 1.189_207_115_002_721;
pub const STEP_Q2: f64 = std::f64::consts::SQRT_2;
pub const STEP_Q3: f64 = 1.681_792_830_507_429;
/// 2^(-1/4) and 2^(-1/2): the quarter-octave shrink factors of `step_factor`.
pub const STEP_INV_Q1: f64 = 0.840_896_415_253_714_5;
pub const STEP_INV_Q2: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// (0.9 / f)^5 for f = 16, 8, 4, 2, 2^(3/4), 2^(1/2), 2^(1/4), 2^(-1/4), 2^(-1/2) and 1/2: the
/// thresholds of `step_factor` (checked against the formula in the tests below).
pub const STEP_GROW16_ERR: f64 = 5.631_351_470_947_266e-7;
pub const STEP_GROW8_ERR: f64 = 1.802_032_470_703_125e-5;
pub const STEP_GROW4_ERR: f64 = 5.766_503_906_25e-4;
pub const STEP_GROW2_ERR: f64 = 1.845_281_25e-2;
pub const STEP_GROW_Q3_ERR: f64 = 4.388_843_183_362_232e-2;
pub const STEP_GROW_Q2_ERR: f64 = 1.043_848_708_057_110_9e-1;
pub const STEP_GROW_Q1_ERR: f64 = 2.482_704_621_215_830_5e-1;
pub const STEP_SHRINK_Q1_ERR: f64 = 1.404_429_818_675_914_3;
pub const STEP_SHRINK_Q2_ERR: f64 = 3.340_315_865_782_754_7;
pub const STEP_SHRINK2_ERR: f64 = 18.895_68;

/// Acceleration in g.
#[inline(always)]
pub fn in_g<F: Real>(a_km_s2: F) -> F {
    a_km_s2 / F::c(G0_KM_S2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each threshold is (0.9 / f)^5 for its factor f, computed here with `powf`, and the
    /// controller picks the largest factor whose predicted error 0.9^-5 f^5 err is <= 1.
    #[test]
    fn step_thresholds_are_the_predicted_error_bounds() {
        let table = [
            (16.0, STEP_GROW16_ERR),
            (8.0, STEP_GROW8_ERR),
            (4.0, STEP_GROW4_ERR),
            (2.0, STEP_GROW2_ERR),
            (2f64.powf(0.75), STEP_GROW_Q3_ERR),
            (2f64.powf(0.5), STEP_GROW_Q2_ERR),
            (2f64.powf(0.25), STEP_GROW_Q1_ERR),
            (2f64.powf(-0.25), STEP_SHRINK_Q1_ERR),
            (2f64.powf(-0.5), STEP_SHRINK_Q2_ERR),
            (0.5, STEP_SHRINK2_ERR),
        ];
        for (f, thr) in table {
            let want = (0.9f64 / f).powf(5.0);
            assert!(
                (thr - want).abs() <= 1e-12 * want,
                "factor {f}: {thr} vs {want}"
            );
        }
        assert!((STEP_Q1 - 2f64.powf(0.25)).abs() < 1e-15);
        assert!((STEP_Q3 - 2f64.powf(0.75)).abs() < 1e-15);
        assert!((STEP_INV_Q1 - 2f64.powf(-0.25)).abs() < 1e-15);
        // Just under and over each threshold, in f64 and in f32.
        for (f, thr) in table {
            let below = thr * (1.0 - 1e-6);
            let above = thr * (1.0 + 1e-6);
            assert!((step_factor(below) - f).abs() < 1e-12, "{f} at {below}");
            assert!(step_factor(above) < f, "{f} at {above}");
            assert!(
                (step_factor(below as f32) as f64 - f).abs() < 1e-6,
                "{f} at {below} (f32)"
            );
        }
        assert_eq!(step_factor(0.9f64), 1.0);
        assert_eq!(step_factor(100.0f64), 0.25);
        assert_eq!(step_factor(f64::NAN), 0.25);
    }
}
