//! The trajectory loop shared by every threat kind: a kinematic boost, then an integrated
//! flight (ballistic, glide) or an analytic one (cruise), reported segment by segment to an
//! `Observer` (the kernel's event tracker, or the trajectory recorder). Integrated flights take
//! error-controlled Dormand-Prince 5(4) steps (`Env::adaptive`, the default) or fixed RK4 steps.
//! Ground impact is located inside the last step: by root-finding on the cubic Hermite
//! interpolant with adaptive steps, by linear interpolation of the altitude with fixed ones.

use super::cruise::{cruise_duration, cruise_point, CruisePath};
use super::dynamics::{derivative, dp54_step, in_g, rk4_step, step_factor};
use super::glide::dive_to_go_km;
use super::state::{Aero, Env, State, GUIDANCE_DIVE, GUIDANCE_GLIDE};
use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::frames::travel;
use crate::base::limits::{MAX_ADAPTIVE_STEP_S, MIN_ADAPTIVE_STEP_S};
use crate::base::vec3::mix;
use crate::base::{Real, V3};
use crate::model::types::{KIND_CRUISE, KIND_GLIDE};

/// Flight phases, as written in the trajectory CSV.
pub const PHASE_BOOST: u32 = 0;
pub const PHASE_MIDCOURSE: u32 = 1;
pub const PHASE_REENTRY: u32 = 2;
pub const PHASE_GLIDE: u32 = 3;
pub const PHASE_CRUISE: u32 = 4;
pub const PHASE_DIVE: u32 = 5;
pub const PHASE_IMPACT: u32 = 6;

pub fn phase_name(phase: u32) -> &'static str {
    match phase {
        PHASE_BOOST => "boost",
        PHASE_MIDCOURSE => "midcourse",
        PHASE_REENTRY => "reentry",
        PHASE_GLIDE => "glide",
        PHASE_CRUISE => "cruise",
        PHASE_DIVE => "dive",
        _ => "impact",
    }
}

/// One point of a trajectory.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sample<F> {
    /// Time since the start of the trial (launch time included), s.
    pub t_s: F,
    /// Position (ECEF), km.
    pub p: V3<F>,
    /// Velocity (Earth-relative), km/s.
    pub v: V3<F>,
    /// Manoeuvre (lift or weave) acceleration, g.
    pub accel_g: F,
    pub phase: u32,
}

impl<F: Real> Sample<F> {
    pub fn altitude_km(&self) -> F {
        self.p.length() - F::c(EARTH_RADIUS_KM)
    }
}

/// A sampled threat, ready to fly.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreatInit<F> {
    /// `KIND_*`.
    pub kind: u32,
    pub launch_time_s: F,
    /// Launch point (unit vector).
    pub launch_dir: V3<F>,
    /// Horizontal unit direction of the boost at the launch point.
    pub boost_heading: V3<F>,
    pub boost_time_s: F,
    /// Ground distance covered by the boost, km.
    pub boost_range_km: F,
    /// Altitude at the end of the boost, km.
    pub boost_altitude_km: F,
    /// State at the end of the boost (ballistic burnout, glide start).
    pub start: State<F>,
    pub aero: Aero<F>,
    pub cruise: CruisePath<F>,
}

/// Receives the trajectory one segment at a time.
pub trait Observer<F: Real> {
    fn start(&mut self, s: &Sample<F>);
    /// Segment from `a` to `b`; return false to stop the flight here.
    fn segment(&mut self, a: &Sample<F>, b: &Sample<F>) -> bool;
}

/// How a flight ended.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flight<F> {
    pub impacted: bool,
    /// Last sample (the impact point when `impacted`).
    pub last: Sample<F>,
    /// Integration or sampling steps taken (adaptive: attempts, rejected ones included).
    pub steps: u32,
    /// Derivative evaluations (0 for the kinematic boost and the analytic cruise).
    pub evaluations: u32,
}

/// Time at which a quantity going linearly from `ma` (at `ta`) to `mb` (at `tb`) crosses zero.
#[inline(always)]
pub fn crossing_time<F: Real>(ta: F, tb: F, ma: F, mb: F) -> F {
    let den = ma - mb;
    if den == F::zero() {
        return tb;
    }
    ta + (tb - ta) * (ma / den)
}

/// Time of ground impact between `a` (altitude `ha` >= 0) and `b` (`hb` < 0): the linear
/// crossing, then three Newton iterations on the altitude of the cubic Hermite interpolant,
/// whose rate p.v/|p| the interpolant gives (quadratic convergence: a step of 32 s is resolved
/// to well under a millisecond), kept inside the step.
pub fn ground_crossing<F: Real>(a: &Sample<F>, b: &Sample<F>, ha: F, hb: F) -> F {
    let t0 = crossing_time(a.t_s, b.t_s, ha, hb);
    // Three iterations, written out (no loop: see the WGSL twin).
    let t1 = newton_ground(a, b, t0);
    let t2 = newton_ground(a, b, t1);
    newton_ground(a, b, t2)
}

/// One Newton iteration for the ground crossing of the Hermite interpolant from `t_s`, kept in
/// [a.t_s, b.t_s].
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(x < 0)` is meant: a NaN rate must stop
fn newton_ground<F: Real>(a: &Sample<F>, b: &Sample<F>, t_s: F) -> F {
    let (p, v) = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t_s);
    let r = p.length();
    let rate = p.dot(v) / r;
    if !(rate < F::zero()) {
        return t_s;
    }
    (t_s - (r - F::c(EARTH_RADIUS_KM)) / rate)
        .max(a.t_s)
        .min(b.t_s)
}

/// Position and velocity at `t_s` between two samples of a flight, by cubic Hermite
/// interpolation of the position on its end values and derivatives (the velocities): exact for
/// motion at constant acceleration, error of order (step)^4 otherwise. Used for events inside a
/// step and, by the doctrine, for the state at an intercept time inside a window.
#[inline(always)]
pub fn hermite_state<F: Real>(
    ta: F,
    pa: V3<F>,
    va: V3<F>,
    tb: F,
    pb: V3<F>,
    vb: V3<F>,
    t_s: F,
) -> (V3<F>, V3<F>) {
    let h = tb - ta;
    if h <= F::zero() {
        return (pa, va);
    }
    let x = ((t_s - ta) / h).max(F::zero()).min(F::one());
    let x2 = x * x;
    let x3 = x2 * x;
    let two = F::c(2.0);
    let three = F::c(3.0);
    let h00 = two * x3 - three * x2 + F::one();
    let h10 = x3 - two * x2 + x;
    let h01 = three * x2 - two * x3;
    let h11 = x3 - x2;
    let p = pa * h00 + va * (h10 * h) + pb * h01 + vb * (h11 * h);
    // Derivatives of the basis with respect to x, divided by h.
    let six = F::c(6.0);
    let d00 = six * x2 - six * x;
    let d10 = three * x2 - F::c(4.0) * x + F::one();
    let d01 = six * x - six * x2;
    let d11 = three * x2 - two * x;
    let v = pa * (d00 / h) + va * d10 + pb * (d01 / h) + vb * d11;
    (p, v)
}

/// Point of the kinematic boost `t_s` after launch: along the great circle of the boost
/// heading, ground distance and altitude both growing as (t/T)^2 (constant acceleration from
/// rest). The boost is a geometric stand-in, not a rocket model: only where the missile is
/// matters (sensors, envelopes), and the burnout state is solved separately.
pub fn boost_point<F: Real>(th: &ThreatInit<F>, t_s: F) -> Sample<F> {
    let r_e = F::c(EARTH_RADIUS_KM);
    let (frac, dfrac) = if th.boost_time_s > F::zero() {
        let x = t_s / th.boost_time_s;
        (x * x, F::c(2.0) * x / th.boost_time_s)
    } else {
        (F::zero(), F::zero())
    };
    let angle = frac * th.boost_range_km / r_e;
    let dir = travel(th.launch_dir, th.boost_heading, angle);
    let forward = th.boost_heading * angle.cos() - th.launch_dir * angle.sin();
    let p = dir * (r_e + frac * th.boost_altitude_km);
    let v = (forward * th.boost_range_km + dir * th.boost_altitude_km) * dfrac;
    Sample {
        t_s: th.launch_time_s + t_s,
        p,
        v,
        accel_g: F::zero(),
        phase: PHASE_BOOST,
    }
}

/// Sampling interval of the kinematic boost with adaptive steps, s. The boost is quadratic in
/// time along a great circle, which the Hermite interpolant between samples follows to metres;
/// events inside are root-found on it.
pub const BOOST_SAMPLE_S: f64 = 8.0;
/// Samples per weave period of a weaving cruise missile with adaptive steps (a straight leg is
/// sampled every `MAX_CRUISE_SAMPLE_S`).
pub const CRUISE_SAMPLES_PER_WEAVE: f64 = 4.0;

/// Longest sampling interval of a cruise leg with adaptive steps, s.
pub const MAX_CRUISE_SAMPLE_S: f64 = 32.0;

/// Sampling interval of a cruise leg with adaptive steps, s: a quarter of the weave period, at
/// most `MAX_CRUISE_SAMPLE_S` (the cubic Hermite interpolant then follows the weave to within
/// (pi/2)^4 / 384 = 1.6e-2 of its amplitude: 3.6 m for 1 g at a 30 s period, under the 40 m
/// an integrated step's interpolant may err by at the default tolerance).
pub fn cruise_sample_s<F: Real>(c: &CruisePath<F>) -> F {
    let h_max = F::c(MAX_CRUISE_SAMPLE_S);
    if c.weave_g > F::zero() && c.weave_omega_rad_s > F::zero() {
        let h = F::c(std::f64::consts::TAU) / c.weave_omega_rad_s / F::c(CRUISE_SAMPLES_PER_WEAVE);
        return h.min(h_max);
    }
    h_max
}

/// Flies one threat, reporting every segment to `obs`.
pub fn propagate<F: Real, O: Observer<F>>(
    th: &ThreatInit<F>,
    env: &Env<F>,
    obs: &mut O,
) -> Flight<F> {
    let mut prev = boost_point(th, F::zero());
    obs.start(&first_sample(th, env, &prev));
    let mut steps = 0u32;
    if th.boost_time_s > F::zero() {
        let dt = if env.adaptive {
            F::c(BOOST_SAMPLE_S)
        } else {
            env.dt_s
        };
        let n = (th.boost_time_s / dt).ceil().to_f64() as u32;
        for i in 1..=n {
            let t = (F::c(i as f64) * dt).min(th.boost_time_s);
            let cur = boost_point(th, t);
            steps += 1;
            if !obs.segment(&prev, &cur) {
                return Flight {
                    impacted: false,
                    last: cur,
                    steps,
                    evaluations: 0,
                };
            }
            prev = cur;
        }
    }
    if th.kind == KIND_CRUISE {
        return fly_cruise(th, env, obs, prev, steps);
    }
    if env.adaptive {
        return fly_adaptive(th, env, obs, prev, steps);
    }
    fly_integrated(th, env, obs, prev, steps)
}

/// The flight's first sample: the launch point, or with no boost (`boost_time_s = 0`) the start
/// of free flight, glide or cruise (not the ground below it).
pub fn first_sample<F: Real>(th: &ThreatInit<F>, env: &Env<F>, launch: &Sample<F>) -> Sample<F> {
    if th.boost_time_s > F::zero() {
        return *launch;
    }
    let mut s = *launch;
    if th.kind == KIND_CRUISE {
        let (p, v, a) = cruise_point(&th.cruise, F::zero());
        s.p = p;
        s.v = v;
        s.accel_g = a;
        s.phase = PHASE_CRUISE;
    } else {
        s.p = th.start.p;
        s.v = th.start.v;
        s.phase = integrated_phase(th, &th.start, env);
    }
    s
}

/// Phase label of an integrated (ballistic or glide) state.
fn integrated_phase<F: Real>(th: &ThreatInit<F>, s: &State<F>, env: &Env<F>) -> u32 {
    if th.kind == KIND_GLIDE {
        let range = F::c(EARTH_RADIUS_KM) * crate::base::frames::central_angle(s.p, th.aero.aim_km);
        return if range < th.aero.dive_range_km {
            PHASE_DIVE
        } else {
            PHASE_GLIDE
        };
    }
    let alt = s.p.length() - F::c(EARTH_RADIUS_KM);
    if alt < env.atmosphere_top_km && s.p.dot(s.v) < F::zero() {
        PHASE_REENTRY
    } else {
        PHASE_MIDCOURSE
    }
}

/// Ballistic free flight or glide: RK4 with the fine step below `atmosphere_top_km`; the time
/// is rebuilt from step counts so that 0.1 s steps do not accumulate rounding.
fn fly_integrated<F: Real, O: Observer<F>>(
    th: &ThreatInit<F>,
    env: &Env<F>,
    obs: &mut O,
    mut prev: Sample<F>,
    mut steps: u32,
) -> Flight<F> {
    let r_e = F::c(EARTH_RADIUS_KM);
    let mut s = th.start;
    prev.p = s.p;
    prev.v = s.v;
    prev.phase = integrated_phase(th, &s, env);
    let t0 = th.boost_time_s;
    let (mut n_coarse, mut n_fine) = (0u32, 0u32);
    let steps0 = steps;
    let mut t_local = t0;
    loop {
        let h0 = s.p.length() - r_e;
        let coarse = h0 > env.atmosphere_top_km;
        let dt = if coarse {
            env.dt_s
        } else {
            env.dt_atmosphere_s
        };
        let (s1, lift) = rk4_step(s, t_local, dt, &th.aero, env);
        if coarse {
            n_coarse += 1;
        } else {
            n_fine += 1;
        }
        steps += 1;
        let t1 = t0 + F::c(n_coarse as f64) * env.dt_s + F::c(n_fine as f64) * env.dt_atmosphere_s;
        prev.accel_g = in_g(lift);
        let h1 = s1.p.length() - r_e;
        if h1 < F::zero() {
            let f = h0 / (h0 - h1);
            let impact = Sample {
                t_s: prev.t_s + f * (t1 - t_local),
                p: mix(s.p, s1.p, f),
                v: mix(s.v, s1.v, f),
                accel_g: F::zero(),
                phase: PHASE_IMPACT,
            };
            // The flight ends here whatever the observer answers.
            obs.segment(&prev, &impact);
            return Flight {
                impacted: true,
                last: impact,
                steps,
                evaluations: 4 * (steps - steps0),
            };
        }
        let cur = Sample {
            t_s: th.launch_time_s + t1,
            p: s1.p,
            v: s1.v,
            accel_g: F::zero(),
            phase: integrated_phase(th, &s1, env),
        };
        if !obs.segment(&prev, &cur) || t1 - t0 > env.max_flight_s {
            return Flight {
                impacted: false,
                last: cur,
                steps,
                evaluations: 4 * (steps - steps0),
            };
        }
        prev = cur;
        s = s1;
        t_local = t1;
    }
}

/// Ballistic free flight or glide with error-controlled Dormand-Prince 5(4) steps
/// (`dynamics::dp54_step`, `dynamics::step_factor`): steps grow and shrink by quarter octaves
/// in [`MIN_ADAPTIVE_STEP_S`, `MAX_ADAPTIVE_STEP_S`], the first 1 s above `atmosphere_top_km` and
/// 1/8 s below; a step whose error norm exceeds 1 is retried shorter unless already the
/// shortest, and the step after a rejected one does not grow. Every attempt counts in `steps`
/// (it runs the loop), six derivative evaluations each plus one at the start. A flight whose
/// state is no longer finite (a NaN flight) takes the longest step, so it reaches
/// `max_flight_s` in few steps.
///
/// A glider's guidance law is held for a whole step (`Aero::guidance`): the step in which the
/// range to go reaches the dive range is flown again to the located dive start
/// (`dive_start_fraction`), and the dive law takes over from there (one derivative evaluation
/// more). Integrating across the switch of the lift law instead had the integrator reject and
/// halve its step down to milliseconds at every dive start.
fn fly_adaptive<F: Real, O: Observer<F>>(
    th: &ThreatInit<F>,
    env: &Env<F>,
    obs: &mut O,
    mut prev: Sample<F>,
    mut steps: u32,
) -> Flight<F> {
    let r_e = F::c(EARTH_RADIUS_KM);
    let h_min = F::p(MIN_ADAPTIVE_STEP_S);
    let h_max = F::p(MAX_ADAPTIVE_STEP_S);
    let mut s = th.start;
    prev.p = s.p;
    prev.v = s.v;
    prev.phase = integrated_phase(th, &s, env);
    let mut aero = th.aero;
    if th.kind == KIND_GLIDE {
        aero.guidance = if dive_to_go_km(s.p, &aero) < F::zero() {
            GUIDANCE_DIVE
        } else {
            GUIDANCE_GLIDE
        };
    }
    let t0 = th.boost_time_s;
    let mut t_local = t0;
    let (mut k1, mut lift1) = derivative(s, t_local, &aero, env);
    let mut evaluations = 1u32;
    let mut h = if s.p.length() - r_e > env.atmosphere_top_km {
        F::one()
    } else {
        F::c(0.125)
    };
    // The previous attempt was rejected: the next accepted step does not grow.
    let mut rejected = false;
    loop {
        let mut st = dp54_step(s, k1, t_local, h, env.tolerance_km, &aero, env);
        steps += 1;
        evaluations += 6;
        let factor = if s.p.length().is_finite() {
            step_factor(st.err)
        } else {
            F::c(4.0)
        };
        if factor < F::one() && h > h_min {
            h = (h * factor).max(h_min);
            rejected = true;
            continue;
        }
        let mut h_step = h;
        let grow = if rejected {
            factor.min(F::one())
        } else {
            factor
        };
        rejected = false;
        h = (h * grow).max(h_min).min(h_max);
        // The dive starts inside this step: fly it again, still gliding, to the dive start.
        let dive_starts =
            aero.guidance == GUIDANCE_GLIDE && dive_to_go_km(st.s.p, &aero) < F::zero();
        if dive_starts {
            let x = dive_start_fraction(t_local, s, k1.p, t_local + h_step, st.s, &aero);
            h_step = (h_step * x).max(h_min);
            st = dp54_step(s, k1, t_local, h_step, env.tolerance_km, &aero, env);
            steps += 1;
            evaluations += 6;
        }
        let t1 = t_local + h_step;
        prev.accel_g = in_g(lift1);
        let h0 = s.p.length() - r_e;
        let h1 = st.s.p.length() - r_e;
        let mut cur = Sample {
            t_s: th.launch_time_s + t1,
            p: st.s.p,
            v: st.s.v,
            accel_g: F::zero(),
            // The located dive start is the dive's first sample.
            phase: if dive_starts {
                PHASE_DIVE
            } else {
                integrated_phase(th, &st.s, env)
            },
        };
        if h1 < F::zero() {
            let ti = ground_crossing(&prev, &cur, h0, h1);
            let (p, v) = hermite_state(prev.t_s, prev.p, prev.v, cur.t_s, cur.p, cur.v, ti);
            cur = Sample {
                t_s: ti,
                p,
                v,
                accel_g: F::zero(),
                phase: PHASE_IMPACT,
            };
            // The flight ends here whatever the observer answers.
            obs.segment(&prev, &cur);
            return Flight {
                impacted: true,
                last: cur,
                steps,
                evaluations,
            };
        }
        if !obs.segment(&prev, &cur) || t1 - t0 > env.max_flight_s {
            return Flight {
                impacted: false,
                last: cur,
                steps,
                evaluations,
            };
        }
        prev = cur;
        s = st.s;
        k1 = st.k7;
        lift1 = st.lift7;
        t_local = t1;
        if dive_starts {
            aero.guidance = GUIDANCE_DIVE;
            (k1, lift1) = derivative(s, t_local, &aero, env);
            evaluations += 1;
        }
    }
}

/// Where in the step from `(ta, a)` to `(tb, b)` (velocity `va` at the start) the range to go
/// before the dive falls to zero, as a fraction of the step in (0, 1]: the linear crossing of
/// the range to go, then two regula falsi iterations on the cubic Hermite interpolant (written
/// out: see the WGSL twin), each keeping the bracket.
pub fn dive_start_fraction<F: Real>(
    ta: F,
    a: State<F>,
    va: V3<F>,
    tb: F,
    b: State<F>,
    aero: &Aero<F>,
) -> F {
    let ga = dive_to_go_km(a.p, aero);
    let gb = dive_to_go_km(b.p, aero);
    let x0 = crossing_time(F::zero(), F::one(), ga, gb);
    let (p0, _) = hermite_state(ta, a.p, va, tb, b.p, b.v, ta + (tb - ta) * x0);
    let g0 = dive_to_go_km(p0, aero);
    // Keep the bracket [lo, hi] with go-to > 0 at lo and <= 0 at hi.
    let (lo, glo, hi, ghi) = if g0 > F::zero() {
        (x0, g0, F::one(), gb)
    } else {
        (F::zero(), ga, x0, g0)
    };
    let x1 = crossing_time(lo, hi, glo, ghi);
    let (p1, _) = hermite_state(ta, a.p, va, tb, b.p, b.v, ta + (tb - ta) * x1);
    let g1 = dive_to_go_km(p1, aero);
    let (lo, glo, hi, ghi) = if g1 > F::zero() {
        (x1, g1, hi, ghi)
    } else {
        (lo, glo, x1, g1)
    };
    crossing_time(lo, hi, glo, ghi).max(F::zero()).min(F::one())
}

/// Cruise leg: the analytic path sampled every `dt_s` (fixed steps) or `cruise_sample_s`
/// (adaptive), on the cruise and the dive separately so that the start of the dive, where the
/// velocity turns, is a sample; ends exactly at the aim point. Events are found between samples.
fn fly_cruise<F: Real, O: Observer<F>>(
    th: &ThreatInit<F>,
    env: &Env<F>,
    obs: &mut O,
    mut prev: Sample<F>,
    mut steps: u32,
) -> Flight<F> {
    let c = &th.cruise;
    let duration = cruise_duration(c);
    let t0 = th.launch_time_s + th.boost_time_s;
    let t_dive = ((c.length_km - c.dive_range_km).max(F::zero()) / c.speed_km_s).min(duration);
    let h = if env.adaptive {
        cruise_sample_s(c)
    } else {
        env.dt_s
    };
    let n1 = (t_dive / h).ceil().to_f64() as u32;
    let n2 = ((duration - t_dive) / h).ceil().to_f64() as u32;
    let n = n1 + n2;
    let (p, v, a) = cruise_point(c, F::zero());
    prev.p = p;
    prev.v = v;
    prev.accel_g = a;
    prev.phase = PHASE_CRUISE;
    for i in 1..=n.max(1) {
        let tl = if i <= n1 {
            (F::c(i as f64) * h).min(t_dive)
        } else {
            (t_dive + F::c((i - n1) as f64) * h).min(duration)
        };
        let (p, v, a) = cruise_point(c, tl);
        let last = i >= n;
        let to_go = c.length_km - c.speed_km_s * tl;
        let phase = if last {
            PHASE_IMPACT
        } else if to_go < c.dive_range_km {
            PHASE_DIVE
        } else {
            PHASE_CRUISE
        };
        let cur = Sample {
            t_s: t0 + tl,
            p,
            v,
            accel_g: a,
            phase,
        };
        steps += 1;
        let go_on = obs.segment(&prev, &cur);
        if last {
            return Flight {
                impacted: true,
                last: cur,
                steps,
                evaluations: 0,
            };
        }
        if !go_on {
            return Flight {
                impacted: false,
                last: cur,
                steps,
                evaluations: 0,
            };
        }
        prev = cur;
    }
    Flight {
        impacted: true,
        last: prev,
        steps,
        evaluations: 0,
    }
}
