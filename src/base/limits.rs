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
/// Bins of the per-trial interceptors-fired histogram (the last bin collects the rest).
/// Twin: types.wgsl.
pub const INTERCEPTOR_BINS: usize = 256;

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
/// Engagement draws of one threat slot: `batteries * max_engagements * decision_draws` must not
/// exceed this ([`engagement_draws`]). No WGSL twin: the kernels never exceed it because
/// validation refuses the scenarios that would.
pub const MAX_ENGAGEMENT_DRAWS: u64 = SLOT_DRAWS - ENGAGE_BASE;

/// Flight time after which a threat that has not come down is abandoned, s (2 h: longer than
/// any sub-orbital flight). Passed to the kernels in `RunParams::max_flight_s`.
pub const MAX_FLIGHT_S: f32 = 7200.0;

// The draw layout fits: the sspk draws inside the header, the sampling draws before the
// engagement draws, a full raid inside a trial's block, STRIDE odd, not a power of two and
// below 2^32 (the WGSL twin multiplies it as a u32).
const _: () = assert!(SSPK_BASE + MAX_INTERCEPTORS as u64 * SSPK_DRAWS <= HEADER_DRAWS);
const _: () = assert!(SAMPLE_DRAWS <= ENGAGE_BASE);
const _: () = assert!(HEADER_DRAWS + MAX_RAID as u64 * SLOT_DRAWS <= STRIDE);
const _: () = assert!(STRIDE % 2 == 1 && !STRIDE.is_power_of_two() && STRIDE < 1 << 32);
const _: () = assert!(MAX_BATTERIES as u32 * ENGAGEMENT_COUNT_BITS <= 32);

/// Draws one engagement decision uses: the assessment, the warhead's place in the firing order,
/// one per decoy (discrimination) and one per shot. Twin: `decision_draws` in engage.wgsl.
#[inline(always)]
pub fn decision_draws(decoys: u32, salvo_size: u32) -> u64 {
    2 + decoys as u64 + salvo_size as u64
}

/// Engagement draws a threat with `decoys` may use in the worst case: every battery engaging it
/// `max_engagements` times. Validation requires this to be at most [`MAX_ENGAGEMENT_DRAWS`].
pub fn engagement_draws(batteries: usize, max_engagements: u32, decoys: u32, salvo: u32) -> u64 {
    batteries as u64 * u64::from(max_engagements) * decision_draws(decoys, salvo)
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
    ("ALL", "this table"),
    ("HOST_ONLY", "this table"),
];
