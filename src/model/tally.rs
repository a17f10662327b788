//! Counter indices of the integer tallies both kernels add up (each a u64; on the GPU a pair
//! of u32 words). Twin: the `TALLY_*` constants of shaders/kernel.wgsl.

use crate::base::limits::{INTERCEPTOR_BINS, MAX_CLASSES, MAX_RAID};
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
pub const PER_CLASS: usize = 8;
pub const C_THREATS: usize = 0;
pub const C_KILLED: usize = 1;
pub const C_ENGAGED: usize = 2;
pub const C_INTERCEPTORS: usize = 3;
pub const C_DECOY_INTERCEPTORS: usize = 4;
pub const C_TRIALS_WITH: usize = 5;
pub const C_ZERO_LEAK_TRIALS_WITH: usize = 6;
pub const C_STEPS: usize = 7;
pub const LEAKER_HIST: usize = CLASS_BASE + MAX_CLASSES * PER_CLASS;
pub const INTERCEPTOR_HIST: usize = LEAKER_HIST + MAX_RAID + 1;
pub const COUNT: usize = INTERCEPTOR_HIST + INTERCEPTOR_BINS;

pub fn class(c: usize, field: usize) -> usize {
    CLASS_BASE + c * PER_CLASS + field
}
