// types.wgsl: the structs and constants shared by the CPU and GPU kernels.
// Keep in sync with src/model/types.rs: every struct there has a twin here with the same
// members in the same order, and every constant there has a twin here with the same value.
// tests/layout.rs parses this file with naga and checks struct sizes, member offsets and
// constant values against the Rust side. The capacity limits (MAX_*, INTERCEPTOR_BINS) are
// twins of src/base/limits.rs instead, checked by tests/limits.rs. Only 4-byte scalars and
// vec4s (no vec3), with explicit padding, so std430/WGSL layout and #[repr(C)] agree.
//
// Units are in the names: _km, _s, _rad, _km_s, _g. Positions are Earth-fixed (ECEF), km.

// Most threat classes a scenario may define.
const MAX_CLASSES: u32 = 8u;
// Most sensors (the per-battery cueing mask is a u32).
const MAX_SENSORS: u32 = 16u;
// Most batteries.
const MAX_BATTERIES: u32 = 8u;
// Most interceptor types.
const MAX_INTERCEPTORS: u32 = 8u;
// Most threats in one raid.
const MAX_RAID: u32 = 256u;
// Bins of the per-trial interceptors-fired histogram (the last bin collects the rest).
const INTERCEPTOR_BINS: u32 = 256u;
// Windows of feasible intercept times kept per (threat, battery).
const MAX_WINDOWS: u32 = 4u;
// Most decoys per warhead (a killed decoy is a bit of a u32 per slot).
const MAX_DECOYS: u32 = 32u;
// Most fire channels of a battery (the allocation keeps when each frees).
const MAX_FIRE_CHANNELS: u32 = 16u;
// Largest track_capacity of a sensor (the allocation keeps the release times of its tracks).
const MAX_TRACK_CAPACITY: u32 = 256u;

// ThreatClass::kind values.
const KIND_BALLISTIC: u32 = 0u;
const KIND_GLIDE: u32 = 1u;
const KIND_CRUISE: u32 = 2u;

// ThreatClass::traj_mode values (how a ballistic burnout velocity is chosen).
const TRAJ_MIN_ENERGY: u32 = 0u;
// Minimum-energy angle plus loft_rad.
const TRAJ_LOFT: u32 = 1u;
// Explicit flight-path angle fpa_rad, speed solved to the aim point.
const TRAJ_FIXED_ANGLE: u32 = 2u;
// Explicit speed, angle and azimuth: no aim point.
const TRAJ_FREE: u32 = 3u;

// RunParams::mode values.
const MODE_SALVO: u32 = 0u;
const MODE_SHOOT_LOOK_SHOOT: u32 = 1u;

// RunParams::integrator values.
const INTEGRATOR_ADAPTIVE: u32 = 0u;
const INTEGRATOR_RK4: u32 = 1u;

// RunParams::flags bits.
const FLAG_ROTATION: u32 = 1u;
const FLAG_ATMOSPHERE: u32 = 2u;
// Some capacity key is set: the tracker records when each sensor loses the threat and the
// allocation honours the limits (FLAG_CAPACITY in types.rs).
const FLAG_CAPACITY: u32 = 4u;

// Capacity limits, the bit 4 * battery + CAP_* of ThreatOutcome::capacity_bound.
const CAP_CHANNELS: u32 = 0u;
const CAP_INTERVAL: u32 = 1u;
const CAP_TRACK: u32 = 2u;
const CAP_FIRE_CONTROL: u32 = 3u;
const CAP_LIMITS: u32 = 4u;

// ThreatOutcome::outcome values.
const OUTCOME_KILLED: u32 = 0u;
const OUTCOME_LEAKED: u32 = 1u;
const OUTCOME_UNENGAGED: u32 = 2u;

// ThreatTrack::flags bits.
const TRACK_IMPACTED: u32 = 1u;
// The defense could not track this threat (track_reliability draw failed).
const TRACK_FAILED: u32 = 2u;
// The defense as a whole failed this trial (system_reliability draw failed).
const TRACK_SYSTEM_FAILED: u32 = 4u;

// No battery (kill_battery of a threat that was not killed).
const NO_BATTERY: u32 = 0xffffffffu;

// ThreatOutcome::leak_reason values: why a threat was not killed, the first that applies
// (docs/model.md section 10). Killed threats have LEAK_NONE.
const LEAK_NONE: u32 = 0u;
// Interceptors were fired at the warhead and none killed it.
const LEAK_MISSED: u32 = 1u;
// A battery had a feasible window but no interceptor reached the warhead's turn.
const LEAK_INVENTORY_OUT: u32 = 2u;
// No firm track before impact.
const LEAK_NO_TRACK: u32 = 3u;
// In firm track before impact, but no battery ready (track plus reaction time) before impact.
const LEAK_NOT_IN_TIME: u32 = 4u;
// In firm track with time to react, but no battery had a feasible intercept window.
const LEAK_NO_WINDOW: u32 = 5u;
// A battery had a feasible window, but a capacity limit delayed or prevented its engagement.
const LEAK_CAPACITY: u32 = 6u;

// Run-wide parameters. Keep in sync with RunParams in src/model/types.rs.
struct RunParams {
    seed_lo: u32,
    seed_hi: u32,
    n_classes: u32,
    n_sensors: u32,

    n_batteries: u32,
    n_interceptors: u32,
    // Threats per trial (1 without [raid]).
    raid_size: u32,
    // FLAG_* bits.
    flags: u32,

    // Integration step above atmosphere_top_km, s.
    dt_s: f32,
    // Integration step below atmosphere_top_km, s.
    dt_atmosphere_s: f32,
    // Altitude below which the fine step is used, km.
    atmosphere_top_km: f32,
    // Flight time after which a threat that has not impacted is abandoned, s.
    max_flight_s: f32,

    // MODE_*.
    mode: u32,
    salvo_size: u32,
    max_engagements: u32,
    // INTEGRATOR_*.
    integrator: u32,

    kill_assessment_s: f32,
    kill_assessment_probability: f32,
    system_reliability: f32,
    track_reliability: f32,

    // Raid launch times are spread uniformly over [0, launch_window_s], s.
    launch_window_s: f32,
    // Local error allowed per adaptive step, km.
    tolerance_km: f32,
    _pad2: f32,
    _pad3: f32,

    // Cumulative normalised threat weights, classes 0..3 then 4..7.
    class_cdf_lo: vec4<f32>,
    class_cdf_hi: vec4<f32>,
}

// One [[threat]] class. Keep in sync with ThreatClass in src/model/types.rs.
struct ThreatClass {
    // Unit vector (ECEF) of the launch disc centre; w = disc radius, km.
    launch_dir: vec4<f32>,
    // Unit vector (ECEF) of the aim point; w = circular-normal sigma per axis, km.
    aim_dir: vec4<f32>,

    // KIND_*.
    kind: u32,
    // TRAJ_* (ballistic only).
    traj_mode: u32,
    // Decoys carried (ballistic only).
    decoys: u32,
    _pad0: u32,

    launch_time_lo_s: f32,
    launch_time_hi_s: f32,
    rcs_m2: f32,
    ballistic_coefficient_kg_m2: f32,

    boost_time_s: f32,
    // Burnout altitude (ballistic), glide start altitude (glide), cruise altitude (cruise), km.
    burnout_altitude_km: f32,
    // Ground distance covered during the boost, km.
    boost_range_km: f32,
    // Loft above the minimum-energy angle, rad.
    loft_rad: f32,

    // Explicit flight-path angle at burnout / glide start, rad.
    fpa_rad: f32,
    // Explicit burnout speed (free shot), glide start speed, cruise speed, km/s.
    speed_km_s: f32,
    // Free-shot azimuth from north, rad.
    azimuth_rad: f32,
    // Relative 1-sigma of the burnout speed.
    speed_sigma_fraction: f32,

    // Half-width of the uniform flight-path-angle dispersion, rad.
    fpa_spread_rad: f32,
    // 1-sigma of the azimuth dispersion, rad.
    azimuth_sigma_rad: f32,
    lift_to_drag: f32,
    // Bank-angle amplitude of the glide weave, rad.
    weave_bank_rad: f32,

    weave_period_lo_s: f32,
    weave_period_hi_s: f32,
    // Ground range to the aim point at which the terminal dive starts, km.
    dive_range_km: f32,
    // Lateral acceleration amplitude of the cruise weave, g.
    weave_g: f32,

    discrimination_probability: f32,
    decoy_strip_altitude_km: f32,
    _pad1: f32,
    _pad2: f32,
}

// One radar. Keep in sync with Sensor in src/model/types.rs.
struct Sensor {
    // Site position (ECEF), km; w unused.
    site_km: vec4<f32>,
    // Local vertical unit vector; w = sin(min elevation).
    up: vec4<f32>,
    // Horizontal boresight unit vector; w = cos(sector half width), or -2 for no sector.
    boresight: vec4<f32>,
    max_range_km: f32,
    reference_rcs_m2: f32,
    track_delay_s: f32,
    // Objects tracked at once (0: unlimited).
    track_capacity: u32,
}

// One interceptor type. Keep in sync with Interceptor in src/model/types.rs.
struct Interceptor {
    min_altitude_km: f32,
    max_altitude_km: f32,
    max_range_km: f32,
    flyout_speed_km_s: f32,

    // Fixed single-shot kill probability (used when beta_a == 0).
    sspk: f32,
    // Beta(a, b) parameters of an uncertain sspk; a = 0 means fixed.
    beta_a: f32,
    beta_b: f32,
    divert_g: f32,
}

// One battery. Keep in sync with Battery in src/model/types.rs.
struct Battery {
    // Site position (ECEF), km; w unused.
    site_km: vec4<f32>,
    // Unit vector of the site; w unused.
    site_dir: vec4<f32>,
    interceptor: u32,
    inventory: u32,
    // Bit s set: sensor s can cue this battery.
    sensor_mask: u32,
    reaction_time_s: f32,

    // Engagements in flight at once (0: unlimited).
    fire_channels: u32,
    // Minimum time between two launches, s (0: none).
    launch_interval_s: f32,
    // Bit s set: sensor s is a fire-control sensor of this battery (0: none required).
    fire_control_mask: u32,
    _pad0: u32,
}

// Per (trial, threat slot): what propagation found.
// Keep in sync with ThreatTrack in src/model/types.rs.
struct ThreatTrack {
    // Threat class index (`class_id` on both sides: WGSL reserves the word `class`).
    class_id: u32,
    // TRACK_* bits.
    flags: u32,
    // Integration / sampling steps taken.
    steps: u32,
    // Derivative evaluations of the flight.
    evaluations: u32,

    launch_time_s: f32,
    // First firm track by any sensor (+inf: never), s.
    track_time_s: f32,
    impact_time_s: f32,
    // Time the threat descends below the decoy-strip altitude (decoys gone after it), s.
    strip_time_s: f32,

    impact_lat_deg: f32,
    impact_lon_deg: f32,
    // Time a glider's terminal dive starts (+inf: never), s.
    dive_time_s: f32,
    _pad2: f32,

    // Per sensor i at [i / 4][i % 4]: first detection (+inf: never), s.
    detect_s: array<vec4<f32>, 4>,
    // Per sensor: when the threat first leaves its coverage after the detection, or the
    // flight's end (+inf: never detected, or FLAG_CAPACITY unset), s.
    lost_s: array<vec4<f32>, 4>,
}

// Per (trial, threat slot, battery, window index < MAX_WINDOWS): one interval of feasible
// intercept times with the threat's state at both ends (the doctrine rebuilds the state at any
// intercept time inside it by cubic Hermite interpolation). Unused: t_first_s = +inf.
// Keep in sync with Window in src/model/types.rs.
struct Window {
    // First feasible intercept time (+inf: no window), s.
    t_first_s: f32,
    // Last feasible intercept time, s.
    t_last_s: f32,
    // Launch times for intercepts at t_first_s and t_last_s, s.
    launch_first_s: f32,
    launch_last_s: f32,
    // Position (ECEF, km) and velocity (km/s) at t_first_s and t_last_s; w unused.
    p_first_km: vec4<f32>,
    v_first_km_s: vec4<f32>,
    p_last_km: vec4<f32>,
    v_last_km_s: vec4<f32>,
}

// Per (trial, threat slot): what the engagement produced.
// Keep in sync with ThreatOutcome in src/model/types.rs.
struct ThreatOutcome {
    // Threat class index (`class_id` on both sides: WGSL reserves the word `class`).
    class_id: u32,
    // OUTCOME_*.
    outcome: u32,
    // Interceptors fired at this threat's warhead.
    interceptors: u32,
    // Interceptors fired at its decoys.
    decoy_interceptors: u32,

    kill_time_s: f32,
    // Battery index of the killing shot, or NO_BATTERY.
    kill_battery: u32,
    // Altitude at the kill (filled by the replay pass; NaN without it), km.
    kill_alt_km: f32,
    // Internal allocation state (time of the last engagement), s.
    last_engagement_s: f32,

    // Engagements of this threat by each battery, ENGAGEMENT_COUNT_BITS bits per battery.
    battery_engagements: u32,
    // Bit b set: battery b had a feasible intercept window against this threat.
    window_mask: u32,
    // LEAK_*: why the threat was not killed (LEAK_NONE when it was).
    leak_reason: u32,
    // Bit 4 * battery + CAP_*: that capacity limit delayed or prevented an engagement of this
    // threat by that battery.
    capacity_bound: u32,

    // Interceptors batteries 0..3 fired at this threat (warhead and decoys).
    battery_interceptors_lo: vec4<u32>,
    // Interceptors batteries 4..7 fired at this threat (warhead and decoys).
    battery_interceptors_hi: vec4<u32>,
}
