//! Counter indices of the integer tallies both kernels add up (each a u64; on the GPU a pair
//! of u32 words). Twin: the `TALLY_*` constants of shaders/kernel.wgsl.

use crate::base::limits::{INTERCEPTOR_BINS, MAX_BATTERIES, MAX_CLASSES, MAX_RAID};
use crate::model::types::CAP_LIMITS;
pub const TRIALS: usize = 0;
pub const ZERO_LEAKER_TRIALS: usize = 1;
pub const STEPS: usize = 2;
pub const INTERCEPTORS: usize = 3;
pub const DECOY_INTERCEPTORS: usize = 4;
pub const LEAKERS: usize = 5;
/// Sum over trials of (interceptors fired in the trial)^2, for the interval of the mean.
pub const INTERCEPTORS_SQ: usize = 6;
pub const LEAKERS_SQ: usize = 7;
pub const CLASS_BASE: usize = 8;
pub const PER_CLASS: usize = 11;
pub const C_THREATS: usize = 0;
pub const C_KILLED: usize = 1;
pub const C_ENGAGED: usize = 2;
pub const C_INTERCEPTORS: usize = 3;
pub const C_DECOY_INTERCEPTORS: usize = 4;
pub const C_TRIALS_WITH: usize = 5;
pub const C_ZERO_LEAK_TRIALS_WITH: usize = 6;
pub const C_STEPS: usize = 7;
/// Per-trial sums of the cluster (per-trial) variance of the per-threat p_kill
/// (`mc::stats::ClusterSums`): sum over trials of (threats of the class killed in the trial)^2,
/// of killed x threats, and of (threats of the class in the trial)^2.
pub const C_KILLED_SQ: usize = 8;
pub const C_KILLED_THREATS: usize = 9;
pub const C_THREATS_SQ: usize = 10;
pub const LEAKER_HIST: usize = CLASS_BASE + MAX_CLASSES * PER_CLASS;
pub const INTERCEPTOR_HIST: usize = LEAKER_HIST + MAX_RAID + 1;
/// The same three sums over all threats of a trial (classes together), for the row `all`.
pub const KILLED_SQ: usize = INTERCEPTOR_HIST + INTERCEPTOR_BINS;
pub const KILLED_THREATS: usize = KILLED_SQ + 1;
pub const THREATS_SQ: usize = KILLED_SQ + 2;
/// Per class (`UNLANDED + c`): slots that did not come down within the maximum flight time (no
/// `TRACK_IMPACTED`) or whose final state is not finite. They stay in every count above (as
/// the kill or leak their outcome says); this only flags them.
pub const UNLANDED: usize = THREATS_SQ + 1;
/// Per class (`NONFINITE + c`): slots whose final position is not finite (NaN), a subset of
/// the unlanded ones.
pub const NONFINITE: usize = UNLANDED + MAX_CLASSES;
/// Derivative evaluations of every slot's flight (`STEPS` counts its steps).
pub const EVALUATIONS: usize = NONFINITE + MAX_CLASSES;
/// Per battery and capacity limit (`CAPACITY + CAP_LIMITS * battery + CAP_*`): threats whose
/// engagement by that battery the limit delayed or prevented (`ThreatOutcome::capacity_bound`;
/// docs/model.md section 10, "Capacity").
pub const CAPACITY: usize = EVALUATIONS + 1;
pub const COUNT: usize = CAPACITY + MAX_BATTERIES * CAP_LIMITS as usize;

/// `CAPACITY + CAP_LIMITS * battery + limit`.
pub fn capacity(battery: usize, limit: u32) -> usize {
    CAPACITY + CAP_LIMITS as usize * battery + limit as usize
}

pub fn class(c: usize, field: usize) -> usize {
    CLASS_BASE + c * PER_CLASS + field
}
