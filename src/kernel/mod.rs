//! The per-trial Monte Carlo kernel on the CPU: the line-for-line twin of shaders/kernel.wgsl.
//!
//! A trial is a raid of `raid_size` threat slots (1 without `[raid]`). Pass 1, `propagate_slot`
//! (one GPU invocation per (trial, slot)): draw the threat, fly it, and record its track and
//! its window per battery. Pass 2, `allocate_trial` (engage/doctrine.rs; one invocation per
//! trial): run the doctrine over all slots. Pass 3 (per-trial output only), `replay_kill`: fly
//! killed threats again to their kill time for the kill altitude. `tally_trial` turns outcomes
//! into the integer counters both backends add up.
//!
//! The physics is generic over the float type: `F = f32` is the kernel, `F = f64` the reference
//! recomputation used by `verify` on disagreeing trials.

pub mod engage;
pub mod physics;
pub mod rng;

use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::frames::{
    azimuth_of, dir_geo_deg, direction_to, ground_range_km, heading_dir, offset_km, travel,
};
use crate::base::limits::{
    ENGAGEMENT_COUNT_BITS, INTERCEPTOR_BINS, MAX_BATTERIES, MAX_CLASSES, MAX_ENGAGEMENTS,
    SAMPLE_DRAWS,
};
use crate::base::{Real, V3};
use crate::kernel::engage::doctrine::slot_base;
use crate::kernel::engage::windows::EventTracker;
use crate::kernel::physics::atmosphere::drag_factor;
use crate::kernel::physics::ballistic::aim_burnout;
use crate::kernel::physics::cruise::CruisePath;
use crate::kernel::physics::propagate::{propagate, Flight, Observer, Sample, ThreatInit};
use crate::kernel::physics::state::{Aero, Env, State, GUIDANCE_BY_RANGE};
use crate::kernel::rng::TrialRng;
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::*;

/// Offsets of the sampling draws inside a slot (see base/limits.rs for the block layout).
pub const DRAW_CLASS: u64 = 0;
pub const DRAW_LAUNCH_TIME: u64 = 1;
pub const DRAW_RAID_TIME: u64 = 2;
pub const DRAW_TRACK_RELIABILITY: u64 = 3;
/// Launch disc radius and bearing.
pub const DRAW_LAUNCH_DISC: u64 = 4;
/// Two uniforms for the aim point's two normal offsets.
pub const DRAW_AIM: u64 = 6;
/// Two uniforms for the speed and azimuth normals.
pub const DRAW_BURNOUT: u64 = 8;
pub const DRAW_FPA: u64 = 10;
pub const DRAW_WEAVE_PHASE: u64 = 11;
pub const DRAW_WEAVE_PERIOD: u64 = 12;

/// The run's environment in precision `F`.
pub fn env_of<F: Real>(p: &RunParams) -> Env<F> {
    Env {
        rotation: p.flags & FLAG_ROTATION != 0,
        atmosphere: p.flags & FLAG_ATMOSPHERE != 0,
        adaptive: p.integrator == INTEGRATOR_ADAPTIVE,
        tolerance_km: F::p(p.tolerance_km),
        dt_s: F::p(p.dt_s),
        dt_atmosphere_s: F::p(p.dt_atmosphere_s),
        atmosphere_top_km: F::p(p.atmosphere_top_km),
        max_flight_s: F::p(p.max_flight_s),
    }
}

/// Threat class of a uniform draw from the cumulative weights.
pub fn pick_class(p: &RunParams, u: f32) -> u32 {
    let cdf = [
        p.class_cdf_lo[0],
        p.class_cdf_lo[1],
        p.class_cdf_lo[2],
        p.class_cdf_lo[3],
        p.class_cdf_hi[0],
        p.class_cdf_hi[1],
        p.class_cdf_hi[2],
        p.class_cdf_hi[3],
    ];
    for c in 0..p.n_classes.saturating_sub(1) {
        if u < cdf[c as usize] {
            return c;
        }
    }
    p.n_classes - 1
}

/// The uniforms of one slot's sampling draws.
pub fn slot_draws(seed: u64, trial: u64, slot: u32) -> [f32; SAMPLE_DRAWS as usize] {
    let mut rng = TrialRng::at(seed, trial, slot_base(slot));
    let mut u = [0f32; SAMPLE_DRAWS as usize];
    for x in u.iter_mut() {
        *x = rng.uniform();
    }
    u
}

/// The draws of a dispersion-free (nominal) threat: centres of the launch and aim areas, the
/// earliest launch time, mid-range weave period, zero phase.
pub fn nominal_draws() -> [f32; SAMPLE_DRAWS as usize] {
    let mut u = [0f32; SAMPLE_DRAWS as usize];
    u[DRAW_FPA as usize] = 0.5;
    u[DRAW_WEAVE_PERIOD as usize] = 0.5;
    u
}

/// Builds the initial conditions of a threat of class `class` from its slot's draws (launch and
/// aim points, times, dispersions).
pub fn sample_threat<F: Real>(
    b: &Batch,
    class: u32,
    u: &[f32; SAMPLE_DRAWS as usize],
) -> ThreatInit<F> {
    let p = &b.params;
    let c = &b.classes[class as usize];
    let r_e = F::c(EARTH_RADIUS_KM);
    let two_pi = F::c(std::f64::consts::TAU);
    let uf = |k: u64| F::p(u[k as usize]);
    // open(k) = 1 - u[k], in (0, 1].
    let open = |k: u64| F::p(1.0 - u[k as usize]);
    // Launch: uniform over the disc (radius ~ sqrt(u)); aim: circular normal.
    let disc_km = F::p(c.launch_dir[3]) * uf(DRAW_LAUNCH_DISC).sqrt();
    let bearing = two_pi * uf(DRAW_LAUNCH_DISC + 1);
    let launch = offset_km(
        V3::from4(c.launch_dir),
        disc_km * bearing.cos(),
        disc_km * bearing.sin(),
    );
    let aim_sigma = F::p(c.aim_dir[3]);
    let (z_n, z_e) = box_muller(open(DRAW_AIM), uf(DRAW_AIM + 1));
    let aim = offset_km(V3::from4(c.aim_dir), aim_sigma * z_n, aim_sigma * z_e);
    let launch_time = F::p(c.launch_time_lo_s)
        + F::p(c.launch_time_hi_s - c.launch_time_lo_s) * uf(DRAW_LAUNCH_TIME)
        + F::p(p.launch_window_s) * uf(DRAW_RAID_TIME);
    let boost_heading = if c.kind == KIND_BALLISTIC && c.traj_mode == TRAJ_FREE {
        heading_dir(launch, F::p(c.azimuth_rad))
    } else {
        direction_to(launch, aim)
    };
    let boost_dir = travel(launch, boost_heading, F::p(c.boost_range_km) / r_e);
    let start_p = boost_dir * (r_e + F::p(c.burnout_altitude_km));
    let weave_period = F::p(c.weave_period_lo_s)
        + F::p(c.weave_period_hi_s - c.weave_period_lo_s) * uf(DRAW_WEAVE_PERIOD);
    let weave_omega = if weave_period > F::zero() {
        two_pi / weave_period
    } else {
        F::zero()
    };
    let weave_phase = two_pi * uf(DRAW_WEAVE_PHASE);
    let mut th = ThreatInit {
        kind: c.kind,
        launch_time_s: launch_time,
        launch_dir: launch,
        boost_heading,
        boost_time_s: F::p(c.boost_time_s),
        boost_range_km: F::p(c.boost_range_km),
        boost_altitude_km: F::p(c.burnout_altitude_km),
        start: State {
            p: start_p,
            v: V3::zero(),
        },
        aero: Aero {
            drag_factor: drag_factor(F::p(c.ballistic_coefficient_kg_m2)),
            lift_to_drag: F::zero(),
            aim_km: aim * r_e,
            weave_bank_rad: F::zero(),
            weave_omega_rad_s: weave_omega,
            weave_phase_rad: weave_phase,
            dive_range_km: F::zero(),
            guidance: GUIDANCE_BY_RANGE,
        },
        cruise: CruisePath::default(),
    };
    let rotation = p.flags & FLAG_ROTATION != 0;
    let v = if c.kind == KIND_BALLISTIC {
        match c.traj_mode {
            TRAJ_FREE => launch_velocity(
                boost_dir,
                F::p(c.speed_km_s),
                F::p(c.fpa_rad),
                F::p(c.azimuth_rad),
            ),
            TRAJ_FIXED_ANGLE => {
                aim_burnout(start_p, aim, false, F::zero(), F::p(c.fpa_rad), rotation)
            }
            _ => aim_burnout(start_p, aim, true, F::p(c.loft_rad), F::zero(), rotation),
        }
    } else {
        let heading = direction_to(boost_dir, aim);
        launch_velocity(
            boost_dir,
            F::p(c.speed_km_s),
            F::p(c.fpa_rad),
            azimuth_of(boost_dir, heading),
        )
    };
    let (z_v, z_az) = box_muller(open(DRAW_BURNOUT), uf(DRAW_BURNOUT + 1));
    th.start.v = disperse(
        boost_dir,
        v,
        F::p(c.speed_sigma_fraction) * z_v,
        F::p(c.fpa_spread_rad) * (F::c(2.0) * uf(DRAW_FPA) - F::one()),
        F::p(c.azimuth_sigma_rad) * z_az,
    );
    if c.kind == KIND_GLIDE {
        th.aero.lift_to_drag = F::p(c.lift_to_drag);
        th.aero.weave_bank_rad = F::p(c.weave_bank_rad);
        th.aero.dive_range_km = F::p(c.dive_range_km);
    }
    if c.kind == KIND_CRUISE {
        th.cruise = CruisePath {
            start_dir: boost_dir,
            heading: direction_to(boost_dir, aim),
            length_km: ground_range_km(boost_dir, aim),
            altitude_km: F::p(c.burnout_altitude_km),
            speed_km_s: F::p(c.speed_km_s),
            weave_g: F::p(c.weave_g),
            weave_omega_rad_s: weave_omega,
            weave_phase_rad: weave_phase,
            dive_range_km: F::p(c.dive_range_km),
        };
    }
    th
}

/// Two independent standard normals from (0,1] and [0,1) uniforms (Box-Muller).
pub fn box_muller<F: Real>(u1_open: F, u2: F) -> (F, F) {
    let r = (-F::c(2.0) * u1_open.ln()).sqrt();
    let a = F::c(std::f64::consts::TAU) * u2;
    (r * a.cos(), r * a.sin())
}

/// Earth-relative velocity of speed, flight-path angle and azimuth at ground point `dir`.
pub fn launch_velocity<F: Real>(dir: V3<F>, speed: F, fpa: F, azimuth: F) -> V3<F> {
    (heading_dir(dir, azimuth) * fpa.cos() + dir * fpa.sin()) * speed
}

/// Applies burnout dispersions: relative speed change, flight-path-angle and azimuth offsets.
pub fn disperse<F: Real>(dir: V3<F>, v: V3<F>, d_speed_rel: F, d_fpa: F, d_az: F) -> V3<F> {
    if d_speed_rel == F::zero() && d_fpa == F::zero() && d_az == F::zero() {
        return v;
    }
    let speed = v.length();
    let vh = v - dir * v.dot(dir);
    let fpa = v.dot(dir).atan2k(vh.length());
    let az = azimuth_of(dir, vh);
    launch_velocity(
        dir,
        speed * (F::one() + d_speed_rel),
        fpa + d_fpa,
        az + d_az,
    )
}

/// Whether the defense works this trial (common-mode `system_reliability`, header draw 0).
pub fn system_works(b: &Batch, trial: u64) -> bool {
    TrialRng::at(b.seed, trial, 0).uniform() < b.params.system_reliability
}

/// Pass 1 for one (trial, slot): draw, fly, and record the track and the battery windows
/// (`windows.len() == n_batteries * MAX_WINDOWS`, battery-major).
pub fn propagate_slot<F: Real>(
    b: &Batch,
    trial: u64,
    slot: u32,
    windows: &mut [Window],
) -> ThreatTrack {
    let u = slot_draws(b.seed, trial, slot);
    let class = pick_class(&b.params, u[DRAW_CLASS as usize]);
    let th = sample_threat::<F>(b, class, &u);
    let c = &b.classes[class as usize];
    let mut flags = 0;
    if !system_works(b, trial) {
        flags |= TRACK_SYSTEM_FAILED;
    }
    if u[DRAW_TRACK_RELIABILITY as usize] >= b.params.track_reliability {
        flags |= TRACK_FAILED;
    }
    let mut tracker = EventTracker::new(
        &b.sensors,
        &b.batteries,
        &b.interceptors,
        windows,
        F::p(c.rcs_m2),
        F::p(c.decoy_strip_altitude_km),
        flags == 0,
    );
    tracker.track_loss = b.params.flags & FLAG_CAPACITY != 0;
    let env = env_of::<F>(&b.params);
    let flight: Flight<F> = propagate(&th, &env, &mut tracker);
    tracker.finish(&flight.last);
    if flight.impacted {
        flags |= TRACK_IMPACTED;
    }
    let (lat, lon) = dir_geo_deg(flight.last.p);
    let mut detect_s = [[f32::INFINITY; 4]; 4];
    let mut lost_s = [[f32::INFINITY; 4]; 4];
    for i in 0..b.sensors.len() {
        detect_s[i / 4][i % 4] = tracker.detect_s[i].to_f64() as f32;
        lost_s[i / 4][i % 4] = tracker.lost_s[i].to_f64() as f32;
    }
    ThreatTrack {
        class_id: class,
        flags,
        steps: flight.steps,
        evaluations: flight.evaluations,
        launch_time_s: th.launch_time_s.to_f64() as f32,
        track_time_s: tracker.track_time_s().to_f64() as f32,
        impact_time_s: flight.last.t_s.to_f64() as f32,
        strip_time_s: tracker.strip_time_s.to_f64() as f32,
        impact_lat_deg: lat.to_f64() as f32,
        impact_lon_deg: lon.to_f64() as f32,
        dive_time_s: tracker.dive_time_s.to_f64() as f32,
        _pad2: 0.0,
        detect_s,
        lost_s,
    }
}

/// Observer that stops a flight at a given time and keeps the altitude there.
struct StopAt<F> {
    t_s: F,
    alt_km: F,
}

impl<F: Real> Observer<F> for StopAt<F> {
    fn start(&mut self, s: &Sample<F>) {
        self.alt_km = s.altitude_km();
    }
    fn segment(&mut self, a: &Sample<F>, b: &Sample<F>) -> bool {
        if b.t_s < self.t_s {
            self.alt_km = b.altitude_km();
            return true;
        }
        let f = if b.t_s > a.t_s {
            (self.t_s - a.t_s) / (b.t_s - a.t_s)
        } else {
            F::one()
        };
        self.alt_km = a.altitude_km() + (b.altitude_km() - a.altitude_km()) * f;
        false
    }
}

/// Pass 3: altitude of slot `slot` at `t_s` (its kill time), by flying it again, km.
pub fn replay_kill<F: Real>(b: &Batch, trial: u64, slot: u32, t_s: F) -> F {
    let u = slot_draws(b.seed, trial, slot);
    let th = sample_threat::<F>(b, pick_class(&b.params, u[DRAW_CLASS as usize]), &u);
    let mut stop = StopAt {
        t_s,
        alt_km: F::nan(),
    };
    propagate(&th, &env_of::<F>(&b.params), &mut stop);
    stop.alt_km
}

/// Adds one trial's outcomes to the counters (`add(index, amount)`); `n_batteries` batteries.
pub fn tally_trial(
    tracks: &[ThreatTrack],
    outcomes: &[ThreatOutcome],
    n_batteries: usize,
    mut add: impl FnMut(usize, u64),
) {
    let mut leakers = 0u64;
    let mut fired = 0u64;
    let mut decoy_fired = 0u64;
    let mut class_present = 0u32;
    let mut class_leaked = 0u32;
    // Threats and kills of each class in this trial (at most MAX_RAID, so their products fit
    // a u32 on the GPU).
    let mut class_threats = [0u64; MAX_CLASSES];
    let mut class_killed = [0u64; MAX_CLASSES];
    // Threats of each (battery, class) with a window and fired at, in this trial.
    let mut battery_window = [0u64; MAX_BATTERIES * MAX_CLASSES];
    let mut battery_fired = [0u64; MAX_BATTERIES * MAX_CLASSES];
    for (t, o) in tracks.iter().zip(outcomes) {
        let c = o.class_id as usize;
        class_present |= 1 << c;
        class_threats[c] += 1;
        add(tally::class(c, tally::C_THREATS), 1);
        add(tally::class(c, tally::C_STEPS), t.steps as u64);
        add(tally::STEPS, t.steps as u64);
        add(tally::EVALUATIONS, t.evaluations as u64);
        if o.outcome == OUTCOME_KILLED {
            class_killed[c] += 1;
            add(tally::class(c, tally::C_KILLED), 1);
        } else {
            leakers += 1;
            class_leaked |= 1 << c;
        }
        if o.outcome != OUTCOME_UNENGAGED {
            add(tally::class(c, tally::C_ENGAGED), 1);
        }
        // A slot that never came down, or whose state went non-finite, is flagged; it stays in
        // the counts above as its outcome says.
        let nonfinite = !(t.impact_lat_deg.is_finite() && t.impact_lon_deg.is_finite());
        if nonfinite || t.flags & TRACK_IMPACTED == 0 {
            add(tally::UNLANDED + c, 1);
        }
        if nonfinite {
            add(tally::NONFINITE + c, 1);
        }
        add(
            tally::class(c, tally::C_INTERCEPTORS),
            o.interceptors as u64,
        );
        add(
            tally::class(c, tally::C_DECOY_INTERCEPTORS),
            o.decoy_interceptors as u64,
        );
        fired += (o.interceptors + o.decoy_interceptors) as u64;
        decoy_fired += o.decoy_interceptors as u64;
        tally_batteries(
            o,
            n_batteries,
            &mut battery_window,
            &mut battery_fired,
            &mut add,
        );
        // Each capacity limit that bound, per battery (one bit each).
        let mut bits = o.capacity_bound;
        while bits != 0 {
            add(
                tally::CAPACITY
                    + tally::PER_CLASS_CAPACITY * o.class_id as usize
                    + bits.trailing_zeros() as usize,
                1,
            );
            bits &= bits - 1;
        }
    }
    for c in 0..MAX_CLASSES {
        if class_present & (1 << c) != 0 {
            add(tally::class(c, tally::C_TRIALS_WITH), 1);
            if class_leaked & (1 << c) == 0 {
                add(tally::class(c, tally::C_ZERO_LEAK_TRIALS_WITH), 1);
            }
            let (m, k) = (class_threats[c], class_killed[c]);
            add(tally::class(c, tally::C_KILLED_SQ), k * k);
            add(tally::class(c, tally::C_KILLED_THREATS), k * m);
            add(tally::class(c, tally::C_THREATS_SQ), m * m);
            for b in 0..n_batteries {
                let (w, f) = (
                    battery_window[b * MAX_CLASSES + c],
                    battery_fired[b * MAX_CLASSES + c],
                );
                add(tally::battery(b, c, tally::B_WINDOW_SQ), w * w);
                add(tally::battery(b, c, tally::B_WINDOW_THREATS), w * m);
                add(tally::battery(b, c, tally::B_FIRED_SQ), f * f);
                add(tally::battery(b, c, tally::B_FIRED_THREATS), f * m);
            }
        }
    }
    let threats: u64 = class_threats.iter().sum();
    let killed: u64 = class_killed.iter().sum();
    for b in 0..n_batteries {
        let mut w = 0u64;
        let mut f = 0u64;
        for c in 0..MAX_CLASSES {
            w += battery_window[b * MAX_CLASSES + c];
            f += battery_fired[b * MAX_CLASSES + c];
        }
        add(tally::battery_all(b, tally::BA_WINDOW_SQ), w * w);
        add(tally::battery_all(b, tally::BA_WINDOW_THREATS), w * threats);
        add(tally::battery_all(b, tally::BA_FIRED_SQ), f * f);
        add(tally::battery_all(b, tally::BA_FIRED_THREATS), f * threats);
    }
    add(tally::KILLED_SQ, killed * killed);
    add(tally::KILLED_THREATS, killed * threats);
    add(tally::THREATS_SQ, threats * threats);
    add(tally::TRIALS, 1);
    if leakers == 0 {
        add(tally::ZERO_LEAKER_TRIALS, 1);
    }
    add(tally::INTERCEPTORS, fired);
    add(tally::LEAKERS, leakers);
    add(tally::INTERCEPTORS_SQ, fired * fired);
    add(tally::LEAKERS_SQ, leakers * leakers);
    add(tally::DECOY_INTERCEPTORS, decoy_fired);
    add(tally::LEAKER_HIST + leakers as usize, 1);
    add(
        tally::INTERCEPTOR_HIST + (fired as usize).min(INTERCEPTOR_BINS - 1),
        1,
    );
}

/// One slot's part of the per-battery counters (who did what), and its window and fired
/// counts per (battery, class) for the trial's cluster sums.
fn tally_batteries(
    o: &ThreatOutcome,
    n_batteries: usize,
    window: &mut [u64; MAX_BATTERIES * MAX_CLASSES],
    fired: &mut [u64; MAX_BATTERIES * MAX_CLASSES],
    add: &mut impl FnMut(usize, u64),
) {
    let c = o.class_id as usize;
    for b in 0..n_batteries {
        let engagements =
            (o.battery_engagements >> (ENGAGEMENT_COUNT_BITS * b as u32)) & MAX_ENGAGEMENTS;
        let interceptors = o.battery_interceptors(b);
        add(
            tally::battery(b, c, tally::B_ENGAGEMENTS),
            engagements as u64,
        );
        add(
            tally::battery(b, c, tally::B_INTERCEPTORS),
            interceptors as u64,
        );
        if o.outcome == OUTCOME_KILLED && o.kill_battery == b as u32 {
            add(tally::battery(b, c, tally::B_KILLS), 1);
        }
        if o.window_mask & (1 << b) != 0 {
            add(tally::battery(b, c, tally::B_WINDOW), 1);
            window[b * MAX_CLASSES + c] += 1;
        }
        if interceptors > 0 {
            add(tally::battery(b, c, tally::B_FIRED), 1);
            fired[b * MAX_CLASSES + c] += 1;
        }
    }
}
