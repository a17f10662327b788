//! The `#[repr(C)]` Pod structs shared by the CPU kernel and the WGSL kernel.
//!
//! Keep in sync with `shaders/types.wgsl`: every struct here has a twin there with the same
//! members in the same order. `tests/layout.rs` parses the shaders with naga and checks sizes
//! and member offsets against this file. Only 4-byte scalars and `[f32; 4]` rows (vec4) are
//! used, with explicit padding, so std430 and `#[repr(C)]` agree.
//!
//! Units are in the names: `_km`, `_s`, `_rad`, `_km_s`, `_g`. Positions are Earth-fixed
//! (ECEF, the frame the trajectory is integrated in) in km.

use bytemuck::{Pod, Zeroable};

/// `ThreatClass::kind` values.
pub const KIND_BALLISTIC: u32 = 0;
pub const KIND_GLIDE: u32 = 1;
pub const KIND_CRUISE: u32 = 2;

/// `ThreatClass::traj_mode` values (how a ballistic burnout velocity is chosen).
pub const TRAJ_MIN_ENERGY: u32 = 0;
/// Minimum-energy angle plus `loft_rad`.
pub const TRAJ_LOFT: u32 = 1;
/// Explicit flight-path angle `fpa_rad`, speed solved to the aim point.
pub const TRAJ_FIXED_ANGLE: u32 = 2;
/// Explicit speed, angle and azimuth: no aim point.
pub const TRAJ_FREE: u32 = 3;

/// `RunParams::mode` values.
pub const MODE_SALVO: u32 = 0;
pub const MODE_SHOOT_LOOK_SHOOT: u32 = 1;

/// `RunParams::integrator` values.
/// Error-controlled Dormand-Prince 5(4) steps (the default).
pub const INTEGRATOR_ADAPTIVE: u32 = 0;
/// Fixed RK4 steps of `dt_s` above the atmosphere top and `dt_atmosphere_s` below.
pub const INTEGRATOR_RK4: u32 = 1;

/// `RunParams::flags` bits.
pub const FLAG_ROTATION: u32 = 1;
pub const FLAG_ATMOSPHERE: u32 = 2;
/// Some capacity key is set (`fire_channels`, `launch_interval_s`, `track_capacity`,
/// `fire_control_sensors`): the tracker records when each sensor loses the threat and the
/// allocation honours the limits. Without it both run exactly as before the keys existed.
pub const FLAG_CAPACITY: u32 = 4;

/// Capacity limits, the bit `4 * battery + CAP_*` of `ThreatOutcome::capacity_bound`.
/// A battery's busy fire channels.
pub const CAP_CHANNELS: u32 = 0;
/// A battery's `launch_interval_s`.
pub const CAP_INTERVAL: u32 = 1;
/// The `track_capacity` of the battery's cueing sensors (a later firm track).
pub const CAP_TRACK: u32 = 2;
/// The battery's `fire_control_sensors` (no track at launch, or the intercept point outside
/// their coverage).
pub const CAP_FIRE_CONTROL: u32 = 3;
/// Limits per battery in `ThreatOutcome::capacity_bound`.
pub const CAP_LIMITS: u32 = 4;

/// `ThreatOutcome::outcome` values.
pub const OUTCOME_KILLED: u32 = 0;
pub const OUTCOME_LEAKED: u32 = 1;
pub const OUTCOME_UNENGAGED: u32 = 2;

/// `ThreatTrack::flags` bits.
pub const TRACK_IMPACTED: u32 = 1;
/// The defense could not track this threat (`track_reliability` draw failed).
pub const TRACK_FAILED: u32 = 2;
/// The defense as a whole failed this trial (`system_reliability` draw failed).
pub const TRACK_SYSTEM_FAILED: u32 = 4;

/// No battery (kill_battery of a threat that was not killed).
pub const NO_BATTERY: u32 = u32::MAX;

/// `ThreatOutcome::leak_reason` values: why a threat was not killed, the first that applies
/// (docs/model.md section 10, "Who did what"). Killed threats have `LEAK_NONE`.
pub const LEAK_NONE: u32 = 0;
/// Interceptors were fired at the warhead and none killed it.
pub const LEAK_MISSED: u32 = 1;
/// A battery had a feasible window but no interceptor reached the warhead's turn: the
/// batteries with windows had run out (or spent the last ones on decoys).
pub const LEAK_INVENTORY_OUT: u32 = 2;
/// No firm track before impact (no sensor saw it in time, or a track or system reliability
/// draw failed).
pub const LEAK_NO_TRACK: u32 = 3;
/// In firm track before impact, but for every battery firm track plus its reaction time comes
/// at or after impact.
pub const LEAK_NOT_IN_TIME: u32 = 4;
/// In firm track with time to react, but no battery had a feasible intercept window (outside
/// every envelope, or no fly-out reaches it inside one after the battery is ready).
pub const LEAK_NO_WINDOW: u32 = 5;
/// A battery had a feasible window, but a capacity limit (fire channels, launch interval, track
/// capacity, fire-control track) delayed or prevented its engagement (`capacity_bound` set;
/// only with capacity keys), and no interceptor was aimed at the warhead.
pub const LEAK_CAPACITY: u32 = 6;

/// Run-wide parameters. Keep in sync with `RunParams` in shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct RunParams {
    pub seed_lo: u32,
    pub seed_hi: u32,
    pub n_classes: u32,
    pub n_sensors: u32,

    pub n_batteries: u32,
    pub n_interceptors: u32,
    /// Threats per trial (1 without `[raid]`).
    pub raid_size: u32,
    /// `FLAG_*` bits.
    pub flags: u32,

    /// Integration step above `atmosphere_top_km`, s.
    pub dt_s: f32,
    /// Integration step below `atmosphere_top_km`, s.
    pub dt_atmosphere_s: f32,
    /// Altitude below which the fine step is used, km (100).
    pub atmosphere_top_km: f32,
    /// Flight time after which a threat that has not impacted is abandoned, s.
    pub max_flight_s: f32,

    /// `MODE_*`.
    pub mode: u32,
    pub salvo_size: u32,
    pub max_engagements: u32,
    /// `INTEGRATOR_*`.
    pub integrator: u32,

    pub kill_assessment_s: f32,
    pub kill_assessment_probability: f32,
    pub system_reliability: f32,
    pub track_reliability: f32,

    /// Raid launch times are spread uniformly over [0, launch_window_s], s.
    pub launch_window_s: f32,
    /// Local error allowed per adaptive step, km.
    pub tolerance_km: f32,
    pub _pad2: f32,
    pub _pad3: f32,

    /// Cumulative normalised threat weights, classes 0..3 then 4..7 (1.0 past the last class).
    pub class_cdf_lo: [f32; 4],
    pub class_cdf_hi: [f32; 4],
}

/// One `[[threat]]` class. Keep in sync with `ThreatClass` in shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct ThreatClass {
    /// Unit vector (ECEF) of the launch disc centre; w = disc radius, km.
    pub launch_dir: [f32; 4],
    /// Unit vector (ECEF) of the aim point; w = circular-normal sigma per axis, km.
    pub aim_dir: [f32; 4],

    /// `KIND_*`.
    pub kind: u32,
    /// `TRAJ_*` (ballistic only).
    pub traj_mode: u32,
    /// Decoys carried (ballistic only).
    pub decoys: u32,
    pub _pad0: u32,

    pub launch_time_lo_s: f32,
    pub launch_time_hi_s: f32,
    pub rcs_m2: f32,
    pub ballistic_coefficient_kg_m2: f32,

    pub boost_time_s: f32,
    /// Burnout altitude (ballistic), glide start altitude (glide), cruise altitude (cruise), km.
    pub burnout_altitude_km: f32,
    /// Ground distance covered during the boost, km.
    pub boost_range_km: f32,
    /// Loft above the minimum-energy angle, rad.
    pub loft_rad: f32,

    /// Explicit flight-path angle at burnout / glide start, rad.
    pub fpa_rad: f32,
    /// Explicit burnout speed (free shot), glide start speed, cruise speed, km/s.
    pub speed_km_s: f32,
    /// Free-shot azimuth from north, rad.
    pub azimuth_rad: f32,
    /// Relative 1-sigma of the burnout speed.
    pub speed_sigma_fraction: f32,

    /// Half-width of the uniform flight-path-angle dispersion, rad.
    pub fpa_spread_rad: f32,
    /// 1-sigma of the azimuth dispersion, rad.
    pub azimuth_sigma_rad: f32,
    pub lift_to_drag: f32,
    /// Bank-angle amplitude of the glide weave, rad.
    pub weave_bank_rad: f32,

    pub weave_period_lo_s: f32,
    pub weave_period_hi_s: f32,
    /// Ground range to the aim point at which the terminal dive starts, km.
    pub dive_range_km: f32,
    /// Lateral acceleration amplitude of the cruise weave, g.
    pub weave_g: f32,

    pub discrimination_probability: f32,
    pub decoy_strip_altitude_km: f32,
    pub _pad1: f32,
    pub _pad2: f32,
}

/// One radar. Keep in sync with `Sensor` in shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct Sensor {
    /// Site position (ECEF), km; w unused.
    pub site_km: [f32; 4],
    /// Local vertical unit vector; w = sin(min elevation).
    pub up: [f32; 4],
    /// Horizontal boresight unit vector; w = cos(sector half width), or -2 for no sector.
    pub boresight: [f32; 4],
    pub max_range_km: f32,
    pub reference_rcs_m2: f32,
    pub track_delay_s: f32,
    /// Objects tracked at once (0: unlimited).
    pub track_capacity: u32,
}

/// One interceptor type. Keep in sync with `Interceptor` in shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct Interceptor {
    pub min_altitude_km: f32,
    pub max_altitude_km: f32,
    pub max_range_km: f32,
    pub flyout_speed_km_s: f32,

    /// Fixed single-shot kill probability (used when `beta_a == 0`).
    pub sspk: f32,
    /// Beta(a, b) parameters of an uncertain sspk; a = 0 means fixed.
    pub beta_a: f32,
    pub beta_b: f32,
    pub divert_g: f32,
}

/// One battery. Keep in sync with `Battery` in shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct Battery {
    /// Site position (ECEF), km; w unused.
    pub site_km: [f32; 4],
    /// Unit vector of the site; w unused.
    pub site_dir: [f32; 4],
    pub interceptor: u32,
    pub inventory: u32,
    /// Bit s set: sensor s can cue this battery.
    pub sensor_mask: u32,
    pub reaction_time_s: f32,

    /// Engagements in flight at once (0: unlimited).
    pub fire_channels: u32,
    /// Minimum time between two launches, s (0: none).
    pub launch_interval_s: f32,
    /// Bit s set: sensor s is a fire-control sensor of this battery (0: none required).
    pub fire_control_mask: u32,
    pub _pad0: u32,
}

/// Per (trial, threat slot): what propagation found. Keep in sync with shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct ThreatTrack {
    pub class_id: u32,
    /// `TRACK_*` bits.
    pub flags: u32,
    /// Integration / sampling steps taken.
    pub steps: u32,
    /// Derivative evaluations of the flight.
    pub evaluations: u32,

    pub launch_time_s: f32,
    /// First firm track by any sensor (+inf: never), s.
    pub track_time_s: f32,
    pub impact_time_s: f32,
    /// Time the threat descends below the decoy-strip altitude (decoys gone after it), s.
    pub strip_time_s: f32,

    pub impact_lat_deg: f32,
    pub impact_lon_deg: f32,
    /// Time a glider's terminal dive starts (+inf: never), s.
    pub dive_time_s: f32,
    pub _pad2: f32,

    /// Per sensor (index 4 k + j at `[k][j]`): first detection (+inf: never), s.
    pub detect_s: [[f32; 4]; 4],
    /// Per sensor: when the threat first leaves its coverage after the detection, or the
    /// flight's end (+inf: never detected, or `FLAG_CAPACITY` unset: tracks are never lost), s.
    pub lost_s: [[f32; 4]; 4],
}

/// Per (trial, threat slot, battery, window index < `MAX_WINDOWS`): one interval of feasible
/// intercept times, with the threat's state at both ends, from which the doctrine rebuilds the
/// threat's position and velocity at any intercept time inside it (cubic Hermite), hence the
/// interceptor's launch time and the target's manoeuvre there. Windows of a (slot, battery) are
/// in time order; unused ones have `t_first_s = +inf`.
/// Keep in sync with `Window` in shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct Window {
    /// First feasible intercept time (+inf: no window), s.
    pub t_first_s: f32,
    /// Last feasible intercept time, s.
    pub t_last_s: f32,
    /// Launch time for an intercept at `t_first_s`, s.
    pub launch_first_s: f32,
    /// Launch time for an intercept at `t_last_s`, s.
    pub launch_last_s: f32,
    /// Position (ECEF, km) at `t_first_s`; w unused.
    pub p_first_km: [f32; 4],
    /// Velocity (Earth-relative, km/s) at `t_first_s`; w unused.
    pub v_first_km_s: [f32; 4],
    /// Position at `t_last_s`; w unused.
    pub p_last_km: [f32; 4],
    /// Velocity at `t_last_s`; w unused.
    pub v_last_km_s: [f32; 4],
}

impl Window {
    /// No window.
    pub const NONE: Window = Window {
        t_first_s: f32::INFINITY,
        t_last_s: f32::INFINITY,
        launch_first_s: f32::INFINITY,
        launch_last_s: f32::INFINITY,
        p_first_km: [0.0; 4],
        v_first_km_s: [0.0; 4],
        p_last_km: [0.0; 4],
        v_last_km_s: [0.0; 4],
    };
}

/// Per (trial, threat slot): what the engagement produced. Keep in sync with shaders/types.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct ThreatOutcome {
    pub class_id: u32,
    /// `OUTCOME_*`.
    pub outcome: u32,
    /// Interceptors fired at this threat's warhead.
    pub interceptors: u32,
    /// Interceptors fired at its decoys.
    pub decoy_interceptors: u32,

    pub kill_time_s: f32,
    /// Battery index of the killing shot, or `NO_BATTERY`.
    pub kill_battery: u32,
    /// Altitude at the kill (filled by the replay pass; NaN without it), km.
    pub kill_alt_km: f32,
    /// Internal allocation state (time of the last engagement), s.
    pub last_engagement_s: f32,

    /// Engagements of this threat by each battery, `ENGAGEMENT_COUNT_BITS` bits per battery
    /// (battery b in bits `4b..4b+4`).
    pub battery_engagements: u32,
    /// Bit b set: battery b had a feasible intercept window against this threat.
    pub window_mask: u32,
    /// `LEAK_*`: why the threat was not killed (`LEAK_NONE` when it was).
    pub leak_reason: u32,
    /// Bit `4 * battery + CAP_*`: that capacity limit delayed or prevented an engagement of
    /// this threat by that battery.
    pub capacity_bound: u32,

    /// Interceptors batteries 0..3 fired at this threat (warhead and decoys).
    pub battery_interceptors_lo: [u32; 4],
    /// Interceptors batteries 4..7 fired at this threat (warhead and decoys).
    pub battery_interceptors_hi: [u32; 4],
}

impl ThreatOutcome {
    /// Interceptors battery `b` fired at this threat (warhead and decoys).
    pub fn battery_interceptors(&self, b: usize) -> u32 {
        if b < 4 {
            self.battery_interceptors_lo[b]
        } else {
            self.battery_interceptors_hi[b - 4]
        }
    }
}
