// kernel.wgsl: the per-trial Monte Carlo kernel on the GPU, the twin of src/kernel/mod.rs, and the
// compute entry points (one dispatch each per chunk of trials):
//   classify_main,  one invocation per (trial, slot) each: the slots sorted by threat class
//   order_main      (scheduling only, no Rust twin; see "Slot ordering" below)
//   propagate_main  one invocation per (trial, slot): propagate_slot -> tracks, windows
//   allocate_main   one invocation per trial: allocate_trial over its slots -> outcomes, then
//                   tally_trial into the u64 (lo, hi) tallies with atomics
//   replay_main     one invocation per (trial, slot), per-trial output only: replay_kill fills
//                   kill_alt_km of killed slots
// Same function names and the same order of operations as kernel/mod.rs, function for function.
//
// Rust twin                                 WGSL
//   b: &Batch, b.seed                         the bindings of engage.wgsl, batch_seed()
//   trial: u64                                trial: u32 (the host keeps trial indices < 2^32)
//   impl Observer for EventTracker / StopAt    observe_start / observe_segment dispatching on
//                                             OBSERVER_TRACKER / OBSERVER_STOP_AT
//   tally_trial(.., add)                      tally_trial(first, n) with tally_add (atomics)

// Offsets of the sampling draws inside a slot (DRAW_* in kernel/mod.rs).
const DRAW_CLASS: u32 = 0u;
const DRAW_LAUNCH_TIME: u32 = 1u;
const DRAW_RAID_TIME: u32 = 2u;
const DRAW_TRACK_RELIABILITY: u32 = 3u;
// Launch disc radius and bearing.
const DRAW_LAUNCH_DISC: u32 = 4u;
// Two uniforms for the aim point's two normal offsets.
const DRAW_AIM: u32 = 6u;
// Two uniforms for the speed and azimuth normals.
const DRAW_BURNOUT: u32 = 8u;
const DRAW_FPA: u32 = 10u;
const DRAW_WEAVE_PHASE: u32 = 11u;
const DRAW_WEAVE_PERIOD: u32 = 12u;
// Sampling draws per slot (twin in src/base/limits.rs).
const SAMPLE_DRAWS: u32 = 13u;

// Invocations per workgroup of every entry point.
const WORKGROUP_SIZE: u32 = 64u;

// The batch's seed (Batch::seed) as a u64 (lo, hi).
fn batch_seed() -> vec2<u32> {
    return vec2<u32>(u_params.seed_lo, u_params.seed_hi);
}

// The run's environment.
fn env_of(p: RunParams) -> Env {
    var env: Env;
    env.rotation = (p.flags & FLAG_ROTATION) != 0u;
    env.atmosphere = (p.flags & FLAG_ATMOSPHERE) != 0u;
    env.adaptive = p.integrator == INTEGRATOR_ADAPTIVE;
    env.tolerance_km = p.tolerance_km;
    env.dt_s = p.dt_s;
    env.dt_atmosphere_s = p.dt_atmosphere_s;
    env.atmosphere_top_km = p.atmosphere_top_km;
    env.max_flight_s = p.max_flight_s;
    return env;
}

// Threat class of a uniform draw from the cumulative weights.
fn pick_class(p: RunParams, u: f32) -> u32 {
    var cdf = array<f32, 8>(
        p.class_cdf_lo[0],
        p.class_cdf_lo[1],
        p.class_cdf_lo[2],
        p.class_cdf_lo[3],
        p.class_cdf_hi[0],
        p.class_cdf_hi[1],
        p.class_cdf_hi[2],
        p.class_cdf_hi[3],
    );
    // n_classes.saturating_sub(1)
    let last = select(0u, p.n_classes - 1u, p.n_classes > 0u);
    for (var c = 0u; c < last; c++) {
        if u < cdf[c] {
            return c;
        }
    }
    return p.n_classes - 1u;
}

// The uniforms of one slot's sampling draws.
fn slot_draws(seed: vec2<u32>, trial: u32, slot: u32) -> array<f32, SAMPLE_DRAWS> {
    var rng = trial_rng(seed, trial, slot_base(slot));
    var u: array<f32, SAMPLE_DRAWS>;
    for (var k = 0u; k < SAMPLE_DRAWS; k++) {
        u[k] = pcg_uniform(&rng);
    }
    return u;
}

// Builds the initial conditions of a threat of class class_id from its slot's draws.
fn sample_threat(class_id: u32, u: array<f32, SAMPLE_DRAWS>) -> ThreatInit {
    let p = u_params;
    let c = u_classes[class_id];
    let r_e = EARTH_RADIUS_KM;
    let two_pi = TAU_F32;
    // Launch: uniform over the disc (radius ~ sqrt(u)); aim: circular normal.
    let disc_km = c.launch_dir[3] * sqrt(u[DRAW_LAUNCH_DISC]);
    let bearing = two_pi * u[DRAW_LAUNCH_DISC + 1u];
    let launch = offset_km(c.launch_dir.xyz, disc_km * cos(bearing), disc_km * sin(bearing));
    let aim_sigma = c.aim_dir[3];
    // open(k) = 1 - u[k], in (0, 1].
    let z_aim = box_muller(1.0 - u[DRAW_AIM], u[DRAW_AIM + 1u]);
    let aim = offset_km(c.aim_dir.xyz, aim_sigma * z_aim.x, aim_sigma * z_aim.y);
    let launch_time = c.launch_time_lo_s
        + (c.launch_time_hi_s - c.launch_time_lo_s) * u[DRAW_LAUNCH_TIME]
        + p.launch_window_s * u[DRAW_RAID_TIME];
    var boost_heading: vec3<f32>;
    if c.kind == KIND_BALLISTIC && c.traj_mode == TRAJ_FREE {
        boost_heading = heading_dir(launch, c.azimuth_rad);
    } else {
        boost_heading = direction_to(launch, aim);
    }
    let boost_dir = travel(launch, boost_heading, c.boost_range_km / r_e);
    let start_p = boost_dir * (r_e + c.burnout_altitude_km);
    let weave_period = c.weave_period_lo_s
        + (c.weave_period_hi_s - c.weave_period_lo_s) * u[DRAW_WEAVE_PERIOD];
    var weave_omega = 0.0;
    if weave_period > 0.0 {
        weave_omega = two_pi / weave_period;
    }
    let weave_phase = two_pi * u[DRAW_WEAVE_PHASE];
    var th: ThreatInit;
    th.kind = c.kind;
    th.launch_time_s = launch_time;
    th.launch_dir = launch;
    th.boost_heading = boost_heading;
    th.boost_time_s = c.boost_time_s;
    th.boost_range_km = c.boost_range_km;
    th.boost_altitude_km = c.burnout_altitude_km;
    th.start.p = start_p;
    th.start.v = vec3<f32>(0.0);
    th.aero.drag_factor = drag_factor(c.ballistic_coefficient_kg_m2);
    th.aero.lift_to_drag = 0.0;
    th.aero.aim_km = aim * r_e;
    th.aero.weave_bank_rad = 0.0;
    th.aero.weave_omega_rad_s = weave_omega;
    th.aero.weave_phase_rad = weave_phase;
    th.aero.dive_range_km = 0.0;
    th.aero.guidance = GUIDANCE_BY_RANGE;
    // CruisePath::default()
    th.cruise = CruisePath();
    let rotation = (p.flags & FLAG_ROTATION) != 0u;
    var v: vec3<f32>;
    if c.kind == KIND_BALLISTIC {
        switch c.traj_mode {
            case TRAJ_FREE: {
                v = launch_velocity(boost_dir, c.speed_km_s, c.fpa_rad, c.azimuth_rad);
            }
            case TRAJ_FIXED_ANGLE: {
                v = aim_burnout(start_p, aim, false, 0.0, c.fpa_rad, rotation);
            }
            default: {
                v = aim_burnout(start_p, aim, true, c.loft_rad, 0.0, rotation);
            }
        }
    } else {
        let heading = direction_to(boost_dir, aim);
        v = launch_velocity(boost_dir, c.speed_km_s, c.fpa_rad, azimuth_of(boost_dir, heading));
    }
    let z_burnout = box_muller(1.0 - u[DRAW_BURNOUT], u[DRAW_BURNOUT + 1u]);
    th.start.v = disperse(
        boost_dir,
        v,
        c.speed_sigma_fraction * z_burnout.x,
        c.fpa_spread_rad * (2.0 * u[DRAW_FPA] - 1.0),
        c.azimuth_sigma_rad * z_burnout.y,
    );
    if c.kind == KIND_GLIDE {
        th.aero.lift_to_drag = c.lift_to_drag;
        th.aero.weave_bank_rad = c.weave_bank_rad;
        th.aero.dive_range_km = c.dive_range_km;
    }
    if c.kind == KIND_CRUISE {
        th.cruise.start_dir = boost_dir;
        th.cruise.heading = direction_to(boost_dir, aim);
        th.cruise.length_km = ground_range_km(boost_dir, aim);
        th.cruise.altitude_km = c.burnout_altitude_km;
        th.cruise.speed_km_s = c.speed_km_s;
        th.cruise.weave_g = c.weave_g;
        th.cruise.weave_omega_rad_s = weave_omega;
        th.cruise.weave_phase_rad = weave_phase;
        th.cruise.dive_range_km = c.dive_range_km;
    }
    return th;
}

// Two independent standard normals (x, y) from (0,1] and [0,1) uniforms (Box-Muller).
fn box_muller(u1_open: f32, u2: f32) -> vec2<f32> {
    let r = sqrt(-2.0 * log(u1_open));
    let a = TAU_F32 * u2;
    return vec2<f32>(r * cos(a), r * sin(a));
}

// Earth-relative velocity of speed, flight-path angle and azimuth at ground point dir.
fn launch_velocity(dir: vec3<f32>, speed: f32, fpa: f32, azimuth: f32) -> vec3<f32> {
    return (heading_dir(dir, azimuth) * cos(fpa) + dir * sin(fpa)) * speed;
}

// Applies burnout dispersions: relative speed change, flight-path-angle and azimuth offsets.
fn disperse(dir: vec3<f32>, v: vec3<f32>, d_speed_rel: f32, d_fpa: f32, d_az: f32) -> vec3<f32> {
    if d_speed_rel == 0.0 && d_fpa == 0.0 && d_az == 0.0 {
        return v;
    }
    let speed = length(v);
    let vh = v - dir * dot(v, dir);
    let fpa = atan2_f32(dot(v, dir), length(vh));
    let az = azimuth_of(dir, vh);
    return launch_velocity(dir, speed * (1.0 + d_speed_rel), fpa + d_fpa, az + d_az);
}

// Whether the defense works this trial (common-mode system_reliability, header draw 0).
fn system_works(trial: u32) -> bool {
    var rng = trial_rng(batch_seed(), trial, 0u);
    return pcg_uniform(&rng) < u_params.system_reliability;
}

// Pass 1 for one (trial, slot): draw, fly, and record the track and the battery windows
// (written to windows[first_window .. first_window + n_batteries * MAX_WINDOWS]).
fn propagate_slot(trial: u32, slot: u32, first_window: u32) -> ThreatTrack {
    let u = slot_draws(batch_seed(), trial, slot);
    let class_id = pick_class(u_params, u[DRAW_CLASS]);
    let th = sample_threat(class_id, u);
    let c = u_classes[class_id];
    var flags = 0u;
    if !system_works(trial) {
        flags |= TRACK_SYSTEM_FAILED;
    }
    if u[DRAW_TRACK_RELIABILITY] >= u_params.track_reliability {
        flags |= TRACK_FAILED;
    }
    tracker_new(first_window, c.rcs_m2, c.decoy_strip_altitude_km, flags == 0u);
    tracker.track_loss = (u_params.flags & FLAG_CAPACITY) != 0u;
    let env = env_of(u_params);
    let flight = propagate(th, env, OBSERVER_TRACKER);
    tracker_finish(flight.last);
    if flight.impacted {
        flags |= TRACK_IMPACTED;
    }
    let geo = dir_geo_deg(flight.last.p);
    var track: ThreatTrack;
    track.class_id = class_id;
    track.flags = flags;
    track.steps = flight.steps;
    track.evaluations = flight.evaluations;
    track.launch_time_s = th.launch_time_s;
    track.track_time_s = tracker_track_time_s();
    track.impact_time_s = flight.last.t_s;
    track.strip_time_s = tracker.strip_time_s;
    track.impact_lat_deg = geo.x;
    track.impact_lon_deg = geo.y;
    track.dive_time_s = tracker.dive_time_s;
    track._pad2 = 0.0;
    for (var i = 0u; i < MAX_SENSORS; i++) {
        track.detect_s[i / 4u][i % 4u] = tracker.detect_s[i];
        track.lost_s[i / 4u][i % 4u] = tracker.lost_s[i];
    }
    return track;
}

// Observer that stops a flight at a given time and keeps the altitude there (StopAt).
struct StopAt {
    t_s: f32,
    alt_km: f32,
}

var<private> stop_at: StopAt;

// Observer::start of StopAt.
fn stop_at_start(s: Sample) {
    stop_at.alt_km = sample_altitude_km(s);
}

// Observer::segment of StopAt.
fn stop_at_segment(a: Sample, b: Sample) -> bool {
    if b.t_s < stop_at.t_s {
        stop_at.alt_km = sample_altitude_km(b);
        return true;
    }
    var f = 1.0;
    if b.t_s > a.t_s {
        f = (stop_at.t_s - a.t_s) / (b.t_s - a.t_s);
    }
    stop_at.alt_km = sample_altitude_km(a) + (sample_altitude_km(b) - sample_altitude_km(a)) * f;
    return false;
}

// Observers of propagate (physics.wgsl), in place of the Rust Observer trait.
const OBSERVER_TRACKER: u32 = 0u;
const OBSERVER_STOP_AT: u32 = 1u;

fn observe_start(obs: u32, s: Sample) {
    if obs == OBSERVER_STOP_AT {
        stop_at_start(s);
    } else {
        tracker_start(s);
    }
}

fn observe_segment(obs: u32, a: Sample, b: Sample) -> bool {
    if obs == OBSERVER_STOP_AT {
        return stop_at_segment(a, b);
    }
    return tracker_segment(a, b);
}

// Pass 3: altitude of slot `slot` at t_s (its kill time), by flying it again, km.
fn replay_kill(trial: u32, slot: u32, t_s: f32) -> f32 {
    let u = slot_draws(batch_seed(), trial, slot);
    let th = sample_threat(pick_class(u_params, u[DRAW_CLASS]), u);
    stop_at.t_s = t_s;
    stop_at.alt_km = f32_nan();
    propagate(th, env_of(u_params), OBSERVER_STOP_AT);
    return stop_at.alt_km;
}

// Counter indices of the integer tallies (model::tally; each a u64, here a (lo, hi) pair).
// TALLY_COUNT is not read here (the host sizes the buffer); tests/kernel_consts.rs checks it.
const TALLY_TRIALS: u32 = 0u;
const TALLY_ZERO_LEAKER_TRIALS: u32 = 1u;
const TALLY_STEPS: u32 = 2u;
const TALLY_INTERCEPTORS: u32 = 3u;
const TALLY_DECOY_INTERCEPTORS: u32 = 4u;
const TALLY_LEAKERS: u32 = 5u;
const TALLY_INTERCEPTORS_SQ: u32 = 6u;
const TALLY_LEAKERS_SQ: u32 = 7u;
const TALLY_CLASS_BASE: u32 = 8u;
const TALLY_PER_CLASS: u32 = 11u;
const TALLY_C_THREATS: u32 = 0u;
const TALLY_C_KILLED: u32 = 1u;
const TALLY_C_ENGAGED: u32 = 2u;
const TALLY_C_INTERCEPTORS: u32 = 3u;
const TALLY_C_DECOY_INTERCEPTORS: u32 = 4u;
const TALLY_C_TRIALS_WITH: u32 = 5u;
const TALLY_C_ZERO_LEAK_TRIALS_WITH: u32 = 6u;
const TALLY_C_STEPS: u32 = 7u;
const TALLY_C_KILLED_SQ: u32 = 8u;
const TALLY_C_KILLED_THREATS: u32 = 9u;
const TALLY_C_THREATS_SQ: u32 = 10u;
const TALLY_LEAKER_HIST: u32 = TALLY_CLASS_BASE + MAX_CLASSES * TALLY_PER_CLASS;
const TALLY_INTERCEPTOR_HIST: u32 = TALLY_LEAKER_HIST + MAX_RAID + 1u;
const TALLY_KILLED_SQ: u32 = TALLY_INTERCEPTOR_HIST + INTERCEPTOR_BINS;
const TALLY_KILLED_THREATS: u32 = TALLY_KILLED_SQ + 1u;
const TALLY_THREATS_SQ: u32 = TALLY_KILLED_SQ + 2u;
const TALLY_UNLANDED: u32 = TALLY_THREATS_SQ + 1u;
const TALLY_NONFINITE: u32 = TALLY_UNLANDED + MAX_CLASSES;
const TALLY_EVALUATIONS: u32 = TALLY_NONFINITE + MAX_CLASSES;
const TALLY_BATTERY_BASE: u32 = TALLY_EVALUATIONS + 1u;
const TALLY_PER_BATTERY: u32 = 9u;
const TALLY_B_ENGAGEMENTS: u32 = 0u;
const TALLY_B_INTERCEPTORS: u32 = 1u;
const TALLY_B_KILLS: u32 = 2u;
const TALLY_B_WINDOW: u32 = 3u;
const TALLY_B_FIRED: u32 = 4u;
const TALLY_B_WINDOW_SQ: u32 = 5u;
const TALLY_B_WINDOW_THREATS: u32 = 6u;
const TALLY_B_FIRED_SQ: u32 = 7u;
const TALLY_B_FIRED_THREATS: u32 = 8u;
const TALLY_BATTERY_ALL_BASE: u32 = TALLY_BATTERY_BASE + MAX_BATTERIES * MAX_CLASSES * TALLY_PER_BATTERY;
const TALLY_PER_BATTERY_ALL: u32 = 4u;
const TALLY_BA_WINDOW_SQ: u32 = 0u;
const TALLY_BA_WINDOW_THREATS: u32 = 1u;
const TALLY_BA_FIRED_SQ: u32 = 2u;
const TALLY_BA_FIRED_THREATS: u32 = 3u;
const TALLY_CAPACITY: u32 = TALLY_BATTERY_ALL_BASE + MAX_BATTERIES * TALLY_PER_BATTERY_ALL;
const TALLY_PER_CLASS_CAPACITY: u32 = MAX_BATTERIES * CAP_LIMITS;
const TALLY_COUNT: u32 = TALLY_CAPACITY + MAX_CLASSES * TALLY_PER_CLASS_CAPACITY;

// tally::class(c, field).
fn tally_class(c: u32, field: u32) -> u32 {
    return TALLY_CLASS_BASE + c * TALLY_PER_CLASS + field;
}

// tally::battery(b, c, field).
fn tally_battery(b: u32, c: u32, field: u32) -> u32 {
    return TALLY_BATTERY_BASE + (b * MAX_CLASSES + c) * TALLY_PER_BATTERY + field;
}

// tally::battery_all(b, field).
fn tally_battery_all(b: u32, field: u32) -> u32 {
    return TALLY_BATTERY_ALL_BASE + b * TALLY_PER_BATTERY_ALL + field;
}

// Threats of each (battery, class) with a window and fired at, in the trial being tallied
// (tally_trial's battery_window and battery_fired), index b * MAX_CLASSES + c.
var<private> battery_window: array<u32, MAX_BATTERIES * MAX_CLASSES>;
var<private> battery_fired: array<u32, MAX_BATTERIES * MAX_CLASSES>;

// One slot's part of the per-battery counters (who did what), and its window and fired counts
// per (battery, class) for the trial's cluster sums.
fn tally_batteries(o: ThreatOutcome) {
    let c = o.class_id;
    for (var b = 0u; b < u_params.n_batteries; b++) {
        let engagements = (o.battery_engagements >> (ENGAGEMENT_COUNT_BITS * b)) & MAX_ENGAGEMENTS;
        var interceptors = 0u;
        if b < 4u {
            interceptors = o.battery_interceptors_lo[b];
        } else {
            interceptors = o.battery_interceptors_hi[b - 4u];
        }
        tally_add(tally_battery(b, c, TALLY_B_ENGAGEMENTS), amount(engagements));
        tally_add(tally_battery(b, c, TALLY_B_INTERCEPTORS), amount(interceptors));
        if o.outcome == OUTCOME_KILLED && o.kill_battery == b {
            tally_add(tally_battery(b, c, TALLY_B_KILLS), amount(1u));
        }
        if (o.window_mask & (1u << b)) != 0u {
            tally_add(tally_battery(b, c, TALLY_B_WINDOW), amount(1u));
            battery_window[b * MAX_CLASSES + c] += 1u;
        }
        if interceptors > 0u {
            tally_add(tally_battery(b, c, TALLY_B_FIRED), amount(1u));
            battery_fired[b * MAX_CLASSES + c] += 1u;
        }
    }
}

// The add(index, amount) of tally_trial: adds the u64 `amount` (lo, hi) to counter `index`,
// exactly: the low word's wrap is carried into the high word.
fn tally_add(index: u32, amount: vec2<u32>) {
    if (amount.x | amount.y) == 0u {
        return;
    }
    let old = atomicAdd(&tallies[2u * index], amount.x);
    let carry = select(0u, 1u, old + amount.x < old);
    let hi = amount.y + carry;
    if hi != 0u {
        atomicAdd(&tallies[2u * index + 1u], hi);
    }
}

// A u32 as a u64 amount.
fn amount(x: u32) -> vec2<u32> {
    return vec2<u32>(x, 0u);
}

// Adds one trial's outcomes (slots first .. first + n) to the counters.
fn tally_trial(first: u32, n: u32) {
    var leakers = 0u;
    var fired = 0u;
    var decoy_fired = 0u;
    var class_present = 0u;
    var class_leaked = 0u;
    // Threats and kills of each class in this trial (at most MAX_RAID, so their products fit
    // a u32).
    var class_threats: array<u32, MAX_CLASSES>;
    var class_killed: array<u32, MAX_CLASSES>;
    for (var k = 0u; k < MAX_BATTERIES * MAX_CLASSES; k++) {
        battery_window[k] = 0u;
        battery_fired[k] = 0u;
    }
    for (var s = 0u; s < n; s++) {
        let t = tracks[first + s];
        let o = outcomes[first + s];
        let c = o.class_id;
        class_present |= 1u << c;
        class_threats[c] += 1u;
        tally_add(tally_class(c, TALLY_C_THREATS), amount(1u));
        tally_add(tally_class(c, TALLY_C_STEPS), amount(t.steps));
        tally_add(TALLY_STEPS, amount(t.steps));
        tally_add(TALLY_EVALUATIONS, amount(t.evaluations));
        if o.outcome == OUTCOME_KILLED {
            class_killed[c] += 1u;
            tally_add(tally_class(c, TALLY_C_KILLED), amount(1u));
        } else {
            leakers += 1u;
            class_leaked |= 1u << c;
        }
        if o.outcome != OUTCOME_UNENGAGED {
            tally_add(tally_class(c, TALLY_C_ENGAGED), amount(1u));
        }
        // A slot that never came down, or whose state went non-finite, is flagged; it stays in
        // the counts above as its outcome says.
        let nonfinite = !(is_finite_f32(t.impact_lat_deg) && is_finite_f32(t.impact_lon_deg));
        if nonfinite || (t.flags & TRACK_IMPACTED) == 0u {
            tally_add(TALLY_UNLANDED + c, amount(1u));
        }
        if nonfinite {
            tally_add(TALLY_NONFINITE + c, amount(1u));
        }
        tally_add(tally_class(c, TALLY_C_INTERCEPTORS), amount(o.interceptors));
        tally_add(tally_class(c, TALLY_C_DECOY_INTERCEPTORS), amount(o.decoy_interceptors));
        fired += o.interceptors + o.decoy_interceptors;
        decoy_fired += o.decoy_interceptors;
        tally_batteries(o);
        // Each capacity limit that bound, per battery (one bit each).
        var bits = o.capacity_bound;
        // (Guarded: a loop entered counts against lavapipe's loop limit.)
        if bits != 0u {
            loop {
                if bits == 0u {
                    break;
                }
                tally_add(
                    TALLY_CAPACITY + TALLY_PER_CLASS_CAPACITY * o.class_id + firstTrailingBit(bits),
                    amount(1u),
                );
                bits &= bits - 1u;
            }
        }
    }
    for (var c = 0u; c < MAX_CLASSES; c++) {
        if (class_present & (1u << c)) != 0u {
            tally_add(tally_class(c, TALLY_C_TRIALS_WITH), amount(1u));
            if (class_leaked & (1u << c)) == 0u {
                tally_add(tally_class(c, TALLY_C_ZERO_LEAK_TRIALS_WITH), amount(1u));
            }
            let m = class_threats[c];
            let k = class_killed[c];
            tally_add(tally_class(c, TALLY_C_KILLED_SQ), amount(k * k));
            tally_add(tally_class(c, TALLY_C_KILLED_THREATS), amount(k * m));
            tally_add(tally_class(c, TALLY_C_THREATS_SQ), amount(m * m));
            for (var b = 0u; b < u_params.n_batteries; b++) {
                let w = battery_window[b * MAX_CLASSES + c];
                let f = battery_fired[b * MAX_CLASSES + c];
                tally_add(tally_battery(b, c, TALLY_B_WINDOW_SQ), amount(w * w));
                tally_add(tally_battery(b, c, TALLY_B_WINDOW_THREATS), amount(w * m));
                tally_add(tally_battery(b, c, TALLY_B_FIRED_SQ), amount(f * f));
                tally_add(tally_battery(b, c, TALLY_B_FIRED_THREATS), amount(f * m));
            }
        }
    }
    var threats = 0u;
    var killed = 0u;
    for (var c = 0u; c < MAX_CLASSES; c++) {
        threats += class_threats[c];
        killed += class_killed[c];
    }
    for (var b = 0u; b < u_params.n_batteries; b++) {
        var w = 0u;
        var f = 0u;
        for (var c = 0u; c < MAX_CLASSES; c++) {
            w += battery_window[b * MAX_CLASSES + c];
            f += battery_fired[b * MAX_CLASSES + c];
        }
        tally_add(tally_battery_all(b, TALLY_BA_WINDOW_SQ), amount(w * w));
        tally_add(tally_battery_all(b, TALLY_BA_WINDOW_THREATS), amount(w * threats));
        tally_add(tally_battery_all(b, TALLY_BA_FIRED_SQ), amount(f * f));
        tally_add(tally_battery_all(b, TALLY_BA_FIRED_THREATS), amount(f * threats));
    }
    tally_add(TALLY_KILLED_SQ, amount(killed * killed));
    tally_add(TALLY_KILLED_THREATS, amount(killed * threats));
    tally_add(TALLY_THREATS_SQ, amount(threats * threats));
    tally_add(TALLY_TRIALS, amount(1u));
    if leakers == 0u {
        tally_add(TALLY_ZERO_LEAKER_TRIALS, amount(1u));
    }
    tally_add(TALLY_INTERCEPTORS, amount(fired));
    tally_add(TALLY_LEAKERS, amount(leakers));
    // fired * fired and leakers * leakers as u64 (mulhi32 from rng.wgsl).
    tally_add(TALLY_INTERCEPTORS_SQ, vec2<u32>(fired * fired, mulhi32(fired, fired)));
    tally_add(TALLY_LEAKERS_SQ, vec2<u32>(leakers * leakers, mulhi32(leakers, leakers)));
    tally_add(TALLY_DECOY_INTERCEPTORS, amount(decoy_fired));
    tally_add(TALLY_LEAKER_HIST + leakers, amount(1u));
    tally_add(TALLY_INTERCEPTOR_HIST + min(fired, INTERCEPTOR_BINS - 1u), amount(1u));
}

// ---- Entry points -----------------------------------------------------------------------------

// Global invocation index of a 2-D dispatch grid of (x, y) workgroups of WORKGROUP_SIZE.
fn global_index(gid: vec3<u32>, groups: vec3<u32>) -> u32 {
    return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}

// Slot ordering (no Rust twin; scheduling only). Neighbouring invocations run in lockstep (a
// GPU warp, a lavapipe SIMD vector), and a group that mixes threat kinds runs the glide, the
// ballistic and the cruise loops one after the other. The slots are therefore flown in order
// of their threat class: classify_main counts the classes, order_main writes the slot indices
// class by class into `order`, and propagate_main / replay_main take slot order[i]. Every slot's
// result depends only on (trial, slot), so the order within a class, which the atomics leave
// unspecified, changes nothing.

// Threat class of slot `slot` of trial `trial`: pick_class of its DRAW_CLASS draw (draw 0 of
// slot_draws), as propagate_slot computes it.
fn slot_class(trial: u32, slot: u32) -> u32 {
    var rng = trial_rng(batch_seed(), trial, slot_base(slot) + DRAW_CLASS);
    return pick_class(u_params, pcg_uniform(&rng));
}

// Ordering pass 1: one invocation per (trial, slot): its class into tracks[i].class_id
// (propagate_slot overwrites it with the same value) and the class counts.
@compute @workgroup_size(WORKGROUP_SIZE)
fn classify_main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let i = global_index(gid, groups);
    let raid = u_params.raid_size;
    if i >= u_chunk.y * raid {
        return;
    }
    let c = slot_class(u_chunk.x + i / raid, i % raid);
    tracks[i].class_id = c;
    atomicAdd(&chunk_counters[COUNTER_CLASSES + c], 1u);
}

// Ordering pass 2: one invocation per (trial, slot): its index into `order`, after the slots of
// the classes before its own.
@compute @workgroup_size(WORKGROUP_SIZE)
fn order_main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let i = global_index(gid, groups);
    let raid = u_params.raid_size;
    if i >= u_chunk.y * raid {
        return;
    }
    let c = tracks[i].class_id;
    var first = 0u;
    for (var k = 0u; k < c; k++) {
        first += atomicLoad(&chunk_counters[COUNTER_CLASSES + k]);
    }
    order[first + atomicAdd(&chunk_counters[COUNTER_CURSORS + c], 1u)] = i;
}

// Pass 1: one invocation per (trial, slot) of the chunk, in class order.
@compute @workgroup_size(WORKGROUP_SIZE)
fn propagate_main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let g = global_index(gid, groups);
    let raid = u_params.raid_size;
    if g >= u_chunk.y * raid {
        return;
    }
    let i = order[g];
    // A specialised pipeline flies the slots of its kind only (classify_main wrote the class).
    if FLY_KIND != ALL_KINDS && u_classes[tracks[i].class_id].kind != FLY_KIND {
        return;
    }
    let track = propagate_slot(u_chunk.x + i / raid, i % raid, i * u_params.n_batteries * MAX_WINDOWS);
    tracks[i] = track;
    // For the host's check of lavapipe's loop limit (see GpuBackend).
    atomicMax(&chunk_counters[COUNTER_MAX_STEPS], track.steps);
}

// Pass 2: one invocation per trial of the chunk: the doctrine, then the tallies.
@compute @workgroup_size(WORKGROUP_SIZE)
fn allocate_main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let i = global_index(gid, groups);
    if i >= u_chunk.y {
        return;
    }
    let n = u_params.raid_size;
    var input: TrialInput;
    input.seed = batch_seed();
    input.trial = u_chunk.x + i;
    input.first = i * n;
    input.n = n;
    allocate_trial(input);
    tally_trial(input.first, n);
}

// Pass 3 (per-trial output only): one invocation per (trial, slot) of the chunk, in class
// order; fills kill_alt_km of killed slots.
@compute @workgroup_size(WORKGROUP_SIZE)
fn replay_main(
    @builtin(global_invocation_id) gid: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let g = global_index(gid, groups);
    let raid = u_params.raid_size;
    if g >= u_chunk.y * raid {
        return;
    }
    let i = order[g];
    let o = outcomes[i];
    if o.outcome == OUTCOME_KILLED {
        outcomes[i].kill_alt_km = replay_kill(u_chunk.x + i / raid, i % raid, o.kill_time_s);
    }
}
