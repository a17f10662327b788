//! The one home of the kernels' capacity limits: the fixed array sizes both kernels are built
//! with, the layout of a trial's block of random draws, and the caps that follow from them.
//!
//! Scenario validation (`scenario::validate`) imports these instead of restating numbers, so a
//! changed limit changes what is accepted. Every constant with a WGSL twin is listed in [`ALL`]
//! with that twin's name; `tests/limits.rs` checks each against the shaders (naga, no GPU) and
//! that [`ALL`] names every constant of this file.

/// Most threat classes a scenario may define (`[[threat]]` tables). Twin: types.wgsl.
pub const MAX_CLASSES: usize = 8;
/// Most sensors (the per-battery cueing mask is a u32). Twin: types.wgsl.
pub const MAX_SENSORS: usize = 16;
/// Most batteries. Twin: types.wgsl.
pub const MAX_BATTERIES: usize = 8;
/// Most interceptor types. Twin: types.wgsl.
pub const MAX_INTERCEPTORS: usize = 8;
/// Most threats in one raid (`[raid] size`). Twin: types.wgsl.
pub const MAX_RAID: usize = 256;
/// Windows of feasible intercept times kept per (threat, battery): ascent and descent passes, a
/// weave in and out of a band. Later ones are ignored. Twin: types.wgsl.
pub const MAX_WINDOWS: usize = 4;
/// Most decoys per warhead (a killed decoy is a bit of a u32 per slot). Twin: types.wgsl.
pub const MAX_DECOYS: u32 = 32;
/// Bins of the per-trial interceptors-fired histogram (the last bin collects the rest).
/// Twin: types.wgsl.
pub const INTERCEPTOR_BINS: usize = 256;

/// Most fire channels of a battery (`fire_channels`): the allocation keeps, per battery, the
/// time each channel frees. Twin: types.wgsl.
pub const MAX_FIRE_CHANNELS: u32 = 16;
/// Largest `track_capacity` of a sensor: the allocation keeps the release times of the tracks
/// a capacity-limited sensor holds. Twin: types.wgsl.
pub const MAX_TRACK_CAPACITY: u32 = 256;

/// Bits per battery of the allocation's packed engagement counts (8 batteries in a u32).
/// Twin: engage.wgsl.
pub const ENGAGEMENT_COUNT_BITS: u32 = 4;
/// Most engagements of one threat by one battery (`[doctrine] max_engagements`): the largest
/// count [`ENGAGEMENT_COUNT_BITS`] bits hold. Twin: engage.wgsl.
pub const MAX_ENGAGEMENTS: u32 = (1 << ENGAGEMENT_COUNT_BITS) - 1;

/// Draws reserved per trial: trial `i` owns draws `[i * STRIDE, (i + 1) * STRIDE)` of the one
/// PCG32 sequence. Odd, prime (999,983), not a power of two (`rand_pcg` warns that advancing by
/// a power of two correlates streams). Twin: `STRIDE` in rng.wgsl (a u32 pair).
pub const STRIDE: u64 = 999_983;
/// The trial header's first sspk draw; the header's draw 0 is the system-reliability draw.
/// Twin: engage.wgsl.
pub const SSPK_BASE: u64 = 1;
/// Header draws per interceptor type for its Beta sspk (two gamma variates by rejection).
/// Twin: engage.wgsl.
pub const SSPK_DRAWS: u64 = 64;
/// Draws before the first threat slot. Twin: engage.wgsl.
pub const HEADER_DRAWS: u64 = 1024;
/// Draws per threat slot. Twin: engage.wgsl.
pub const SLOT_DRAWS: u64 = 512;
/// Draws that sample a threat at the start of its slot. Twin: kernel.wgsl.
pub const SAMPLE_DRAWS: u64 = 13;
/// Offset of the engagement draws inside a slot (the draws before it sample the threat).
/// Twin: engage.wgsl.
pub const ENGAGE_BASE: u64 = 32;
/// Engagement draws of one threat slot: each battery's discrimination draw per decoy, then
/// `batteries * max_engagements * decision_draws`, must not exceed this ([`engagement_draws`]). No WGSL twin: the kernels never exceed it because
/// validation refuses the scenarios that would.
pub const MAX_ENGAGEMENT_DRAWS: u64 = SLOT_DRAWS - ENGAGE_BASE;

/// Flight time after which a threat that has not come down is abandoned, s (2 h: longer than
/// any sub-orbital flight). Passed to the kernels in `RunParams::max_flight_s`.
pub const MAX_FLIGHT_S: f32 = 7200.0;

/// Smallest integration step (`[run] dt_s`, `dt_atmosphere_s`), s. The kernels keep times in
/// f32: near `MAX_FLIGHT_S` (in [4096, 8192) s) one f32 ulp is 2^-11 s = 0.49 ms, so a step below
/// about two ulp would no longer advance the time it is added to; it also bounds a slot's work
/// (`MAX_FLIGHT_S / MIN_STEP_S` = 7.2 million steps).
pub const MIN_STEP_S: f64 = 1e-3;
/// Largest integration step, s: one minute. A re-entry vehicle at 7 km/s moves 420 km in a
/// step this long, already four times the 100 km of atmosphere the fine step is for; beyond it
/// the coarse step says nothing about where the threat is.
pub const MAX_STEP_S: f64 = 60.0;
/// Shortest step of the error-controlled integrator, s: 2^-9 (1.95 ms, above `MIN_STEP_S`). Its
/// steps move on a grid of quarter octaves (factors of 2^(1/4), `dynamics::step_factor`).
pub const MIN_ADAPTIVE_STEP_S: f32 = 1.0 / 512.0;
/// Longest step of the error-controlled integrator, s: 2^7. The event tracker splits every
/// step where a constraint can turn and root-finds inside it on the step's cubic Hermite
/// interpolant, so the accuracy of the step, not the events, sets its length, up to the
/// interpolant's own error: over a 128 s vacuum arc of W-ballistic (apogee 780 km) it is under
/// 20 m (about 4 ms of flight; 1.3 m at 64 s, 0.09 m at 32 s; `tests/hermite_error.rs`).
/// Longer than the fixed-step `MAX_STEP_S`, which bounds steps that place events only at their
/// ends.
pub const MAX_ADAPTIVE_STEP_S: f32 = 128.0;
/// Default `[run] tolerance`: the local error allowed per step, km (see `dynamics::dp54_step`).
pub const DEFAULT_TOLERANCE_KM: f64 = 1e-2;
/// Loosest and tightest `[run] tolerance`, km. Below 1e-6 km the f32 kernel's error estimate is
/// rounding, not truncation (a 32 s step at 7 km/s rounds at about 1e-5 km), and steps would
/// shrink for nothing; above 1 km the step says little about where the threat is.
pub const MIN_TOLERANCE_KM: f64 = 1e-6;
pub const MAX_TOLERANCE_KM: f64 = 1.0;
/// Longest boost (`boost_time_s`), s. Real boosts last 1 to 5 minutes (a three-stage ICBM about
/// 300 s); 1,000 s is three times the longest and still far below `MAX_FLIGHT_S`.
pub const MAX_BOOST_S: f64 = 1000.0;
/// Largest offset of a circular-normal draw, in sigmas: Box-Muller's radius sqrt(-2 ln u) with
/// the smallest (0, 1] uniform 2^-24 (`u01_open`) is sqrt(48 ln 2) = 5.768. A launch-to-aim
/// distance plus this many aim sigmas (plus the launch disc radius) bounds every trial's.
pub const MAX_NORMAL_SIGMAS: f64 = 5.768;
/// Smallest Beta shape of an uncertain sspk (`sspk = { beta = [a, b] }`). A gamma variate of
/// shape a < 1 is Gamma(a + 1) U^(1/a) in f32 with U >= 2^-24, so it can be as small as
/// 2^(-24/a): below the smallest normal f32 (2^-126, where GPUs may flush to zero) for
/// a < 24/126 = 0.19, and exactly 0 for a < 24/149 = 0.16; with both variates 0 the Beta draw
/// is 0/0. 0.2 keeps every draw normal (2^-120 times the Gamma(a + 1) factor).
pub const MIN_BETA_SHAPE: f64 = 0.2;
/// Largest Beta shape of an uncertain sspk. The kernels hold the shapes in f32 (a shape above
/// 3.4e38 becomes +inf and the draw NaN); 10^6 keeps Marsaglia and Tsang's acceptance test
/// (terms of size sqrt(a), rounded to a relative 6e-8) exact enough, and a Beta of that weight
/// is a fixed probability to within 10^-3 anyway.
pub const MAX_BETA_SHAPE: f64 = 1e6;

// The draw layout fits: the sspk draws inside the header, the sampling draws before the
// engagement draws, a full raid inside a trial's block, STRIDE odd, not a power of two and
// below 2^32 (the WGSL twin multiplies it as a u32).
const _: () = assert!(SSPK_BASE + MAX_INTERCEPTORS as u64 * SSPK_DRAWS <= HEADER_DRAWS);
const _: () = assert!(SAMPLE_DRAWS <= ENGAGE_BASE);
const _: () = assert!(HEADER_DRAWS + MAX_RAID as u64 * SLOT_DRAWS <= STRIDE);
const _: () = assert!(STRIDE % 2 == 1 && !STRIDE.is_power_of_two() && STRIDE < 1 << 32);
const _: () = assert!(MAX_BATTERIES as u32 * ENGAGEMENT_COUNT_BITS <= 32);

/// Draws one engagement decision uses: the assessment, the warhead's place in the firing order,
/// one per decoy (whether the shots at it kill it) and one per shot at the warhead. Twin:
/// `decision_draws` in engage.wgsl.
#[inline(always)]
pub fn decision_draws(decoys: u32, salvo_size: u32) -> u64 {
    2 + decoys as u64 + salvo_size as u64
}

/// Engagement draws a threat with `decoys` may use in the worst case: one discrimination draw per
/// (battery, decoy), then every battery engaging it `max_engagements` times. Validation requires
/// this to be at most [`MAX_ENGAGEMENT_DRAWS`].
pub fn engagement_draws(batteries: usize, max_engagements: u32, decoys: u32, salvo: u32) -> u64 {
    batteries as u64 * u64::from(decoys)
        + batteries as u64 * u64::from(max_engagements) * decision_draws(decoys, salvo)
}

/// Every constant of this file with a WGSL twin: (name, value, the shader file that holds the
/// twin). `tests/limits.rs` compares each with the shader and checks that this list and
/// [`HOST_ONLY`] together name every `pub const` above.
pub const ALL: &[(&str, u64, &str)] = &[
    ("MAX_CLASSES", MAX_CLASSES as u64, "types.wgsl"),
    ("MAX_SENSORS", MAX_SENSORS as u64, "types.wgsl"),
    ("MAX_BATTERIES", MAX_BATTERIES as u64, "types.wgsl"),
    ("MAX_INTERCEPTORS", MAX_INTERCEPTORS as u64, "types.wgsl"),
    ("MAX_RAID", MAX_RAID as u64, "types.wgsl"),
    ("INTERCEPTOR_BINS", INTERCEPTOR_BINS as u64, "types.wgsl"),
    ("MAX_WINDOWS", MAX_WINDOWS as u64, "types.wgsl"),
    ("MAX_DECOYS", MAX_DECOYS as u64, "types.wgsl"),
    ("MAX_FIRE_CHANNELS", MAX_FIRE_CHANNELS as u64, "types.wgsl"),
    (
        "MAX_TRACK_CAPACITY",
        MAX_TRACK_CAPACITY as u64,
        "types.wgsl",
    ),
    (
        "ENGAGEMENT_COUNT_BITS",
        ENGAGEMENT_COUNT_BITS as u64,
        "engage.wgsl",
    ),
    ("MAX_ENGAGEMENTS", MAX_ENGAGEMENTS as u64, "engage.wgsl"),
    ("STRIDE", STRIDE, "rng.wgsl"),
    ("SSPK_BASE", SSPK_BASE, "engage.wgsl"),
    ("SSPK_DRAWS", SSPK_DRAWS, "engage.wgsl"),
    ("HEADER_DRAWS", HEADER_DRAWS, "engage.wgsl"),
    ("SLOT_DRAWS", SLOT_DRAWS, "engage.wgsl"),
    ("SAMPLE_DRAWS", SAMPLE_DRAWS, "kernel.wgsl"),
    ("ENGAGE_BASE", ENGAGE_BASE, "engage.wgsl"),
];

/// Constants of this file that have no WGSL twin, and why.
pub const HOST_ONLY: &[(&str, &str)] = &[
    (
        "MAX_ENGAGEMENT_DRAWS",
        "enforced by validation; the kernels rely on it",
    ),
    ("MAX_FLIGHT_S", "passed to the kernels in RunParams"),
    (
        "MIN_STEP_S",
        "enforced by validation ([run] dt_s, dt_atmosphere_s)",
    ),
    (
        "MAX_STEP_S",
        "enforced by validation ([run] dt_s, dt_atmosphere_s)",
    ),
    ("MAX_BOOST_S", "enforced by validation (boost_time_s)"),
    (
        "DEFAULT_TOLERANCE_KM",
        "the default of [run] tolerance, passed in RunParams",
    ),
    (
        "MIN_TOLERANCE_KM",
        "enforced by validation ([run] tolerance)",
    ),
    (
        "MIN_ADAPTIVE_STEP_S",
        "f32: its WGSL twin in physics.wgsl is checked by tests/kernel_consts.rs",
    ),
    (
        "MAX_ADAPTIVE_STEP_S",
        "f32: its WGSL twin in physics.wgsl is checked by tests/kernel_consts.rs",
    ),
    (
        "MAX_TOLERANCE_KM",
        "enforced by validation ([run] tolerance)",
    ),
    (
        "MAX_NORMAL_SIGMAS",
        "used by validation to bound a cruise leg's length",
    ),
    (
        "MIN_BETA_SHAPE",
        "enforced by validation (sspk Beta shapes)",
    ),
    (
        "MAX_BETA_SHAPE",
        "enforced by validation (sspk Beta shapes)",
    ),
    ("ALL", "this table"),
    ("HOST_ONLY", "this table"),
];
