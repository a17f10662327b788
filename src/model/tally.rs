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
/// Per (battery, threat class), `battery(b, c, field)`: who did what (battery.csv).
pub const BATTERY_BASE: usize = EVALUATIONS + 1;
pub const PER_BATTERY: usize = 9;
/// Engagements of threats of the class by the battery.
pub const B_ENGAGEMENTS: usize = 0;
/// Interceptors the battery fired at them (warheads and decoys).
pub const B_INTERCEPTORS: usize = 1;
/// Threats of the class the battery killed (its shot was the killing one).
pub const B_KILLS: usize = 2;
/// Threats of the class against which the battery had a feasible window.
pub const B_WINDOW: usize = 3;
/// Threats of the class the battery fired at least one interceptor at.
pub const B_FIRED: usize = 4;
/// Per-trial sums for the cluster intervals of the two shares (`mc::stats::ClusterSums`): sum
/// over trials of (threats with a window)^2, of that times the class's threats, and the same
/// two for the threats fired at.
pub const B_WINDOW_SQ: usize = 5;
pub const B_WINDOW_THREATS: usize = 6;
pub const B_FIRED_SQ: usize = 7;
pub const B_FIRED_THREATS: usize = 8;
/// Per battery, all classes together (`battery_all(b, field)`): the four cluster sums above
/// with the trial's threats of every class (the other counters add up over classes).
pub const BATTERY_ALL_BASE: usize = BATTERY_BASE + MAX_BATTERIES * MAX_CLASSES * PER_BATTERY;
pub const PER_BATTERY_ALL: usize = 4;
pub const BA_WINDOW_SQ: usize = 0;
pub const BA_WINDOW_THREATS: usize = 1;
pub const BA_FIRED_SQ: usize = 2;
pub const BA_FIRED_THREATS: usize = 3;
/// Per (threat class, battery, capacity limit), `capacity(b, c, limit)`: threats of the class
/// whose engagement by that battery the limit delayed or prevented
/// (`ThreatOutcome::capacity_bound`; docs/model.md section 10, "Capacity"). The block of class c
/// is `capacity_bound`'s bits as they are (bit `CAP_LIMITS * battery + limit`).
pub const CAPACITY: usize = BATTERY_ALL_BASE + MAX_BATTERIES * PER_BATTERY_ALL;
pub const PER_CLASS_CAPACITY: usize = MAX_BATTERIES * CAP_LIMITS as usize;
pub const COUNT: usize = CAPACITY + MAX_CLASSES * PER_CLASS_CAPACITY;

/// `CAPACITY + PER_CLASS_CAPACITY * class + CAP_LIMITS * battery + limit`.
pub fn capacity(battery: usize, class: usize, limit: u32) -> usize {
    CAPACITY + PER_CLASS_CAPACITY * class + CAP_LIMITS as usize * battery + limit as usize
}

/// Threats of every class whose engagement by `battery` the limit delayed or prevented.
pub fn capacity_all(tallies: &[u64], battery: usize, limit: u32) -> u64 {
    (0..MAX_CLASSES)
        .map(|c| tallies[capacity(battery, c, limit)])
        .sum()
}

pub fn class(c: usize, field: usize) -> usize {
    CLASS_BASE + c * PER_CLASS + field
}

pub fn battery(b: usize, c: usize, field: usize) -> usize {
    BATTERY_BASE + (b * MAX_CLASSES + c) * PER_BATTERY + field
}

pub fn battery_all(b: usize, field: usize) -> usize {
    BATTERY_ALL_BASE + b * PER_BATTERY_ALL + field
}
