//! Mesa's software Vulkan adapter (lavapipe) and its loop limit: gallivm (Mesa 22.x) ends every
//! loop of a shader invocation, silently, once the invocation's loops together have iterated
//! 65,535 times (one count shared by the 8 invocations of a SIMD vector). A flight of more than
//! a few thousand steps there (a glider at 0.1 s steps, a flight that never comes down) would be
//! cut short, and with it its 7 neighbours. On lavapipe the backend therefore bounds the loop
//! iterations of every chunk (`propagation_loops_per_step` with the longest flight the chunk
//! read back, and `allocation_loop_bound` before running) and returns
//! [`GpuError::LoopLimit`] rather than results that could be wrong. Hardware GPUs have no such
//! limit.

use super::error::GpuError;
use crate::base::limits::{MAX_BATTERIES, MAX_CLASSES};
use crate::model::batch::Batch;

/// lavapipe's loop limit, iterations per shader invocation.
pub const LAVAPIPE_LOOP_LIMIT: u64 = 65_535;
/// Loop iterations of one slot outside its trajectory loop and tracker, an upper bound.
const LOOP_OVERHEAD: u64 = 1_000;

/// Loop iterations per trajectory step on lavapipe, an upper bound: gallivm counts one per
/// pass of every loop and one more per loop entered (the pass that exits), so a step costs the
/// trajectory loop and the event tracker's loops over sensors and batteries, and the firm-track
/// update at a detection costs more (counted in `propagation_loop_overhead`). Measured on Mesa
/// 22.3.6: 5 per step with no sensor and no battery, 11 to 12.3 with 2 sensors and 4
/// batteries; this gives 6 and 16.
pub fn propagation_loops_per_step(batch: &Batch) -> u64 {
    6 + batch.sensors.len() as u64 + 2 * batch.batteries.len() as u64
}

/// Loop iterations of one slot outside its trajectory's steps, an upper bound: two
/// random-number jumps (64 each), the draws, the burnout solution, the tracker's set-up and
/// finish, and the firm-track updates at the detections (one per sensor).
pub fn propagation_loop_overhead(batch: &Batch) -> u64 {
    let ns = batch.sensors.len() as u64;
    let nb = batch.batteries.len() as u64;
    // (+ MAX_SENSORS: the per-sensor detection and loss times copied into the slot's record.)
    LOOP_OVERHEAD + ns * (nb + 1) * (ns + 2) + crate::base::limits::MAX_SENSORS as u64
}

/// An upper bound of the loop iterations of one trial's allocation (allocate_trial and
/// tally_trial): per engagement a scan of every (slot, battery) and a random-number jump (64),
/// the decoy and shot draws; per interceptor type two gamma variates; per slot the attribution
/// and the per-battery tallies. Engagements are at most
/// the total inventory (each fires at least one interceptor) and at most slots x batteries x
/// max_engagements.
pub fn allocation_loop_bound(batch: &Batch) -> u64 {
    let n = u64::from(batch.raid_size());
    let nb = batch.batteries.len() as u64;
    let p = &batch.params;
    let inventory: u64 = batch.batteries.iter().map(|b| u64::from(b.inventory)).sum();
    let engagements = inventory.min(n * nb * u64::from(p.max_engagements));
    let decoys = max_decoys(batch);
    let per_engagement = n * (nb + 1) + 64 + decoys + u64::from(p.salvo_size) + 4;
    let sspk = batch.interceptors.len() as u64 * 2 * (64 + 1 + 9);
    // Who did what: attribute_trial's and leak_reason's loops over batteries per slot,
    // tally_batteries' per slot, the reset of the per-(battery, class) counts and their sums
    // per class.
    let attribution = 3 * n * (nb + 1) + (MAX_BATTERIES * MAX_CLASSES) as u64 + 1;
    let cluster = MAX_CLASSES as u64 * (nb + 1) + (nb + 1) * (MAX_CLASSES as u64 + 1);
    engagements * per_engagement
        + sspk
        + 4 * n
        + 2 * nb
        + 16
        + attribution
        + cluster
        + capacity_loop_bound(batch)
}

/// The most decoys of any threat class of `batch`.
fn max_decoys(batch: &Batch) -> u64 {
    batch
        .classes
        .iter()
        .map(|c| u64::from(c.decoys))
        .max()
        .unwrap_or(0)
}

/// The loop iterations the capacity limits add to one trial's allocation (0 without
/// `FLAG_CAPACITY`): the track assignment (per capacity-limited sensor a scan of the slots per
/// slot, a heap update per object), per engagement the search for its intercept time, the
/// limits relaxed one at a time and the re-evaluation of the slots that wanted the busier
/// battery, and at the end the engagements the limits prevented; each battery candidate a pass
/// over its windows (and fire-control sensors), channels and cueing sensors.
pub fn capacity_loop_bound(batch: &Batch) -> u64 {
    use crate::model::types::{CAP_LIMITS, FLAG_CAPACITY};
    if batch.params.flags & FLAG_CAPACITY == 0 {
        return 0;
    }
    let n = u64::from(batch.raid_size());
    let nb = batch.batteries.len() as u64;
    let ns = batch.sensors.len() as u64;
    let decoys = max_decoys(batch);
    let mut tracks = 16 + 136 + ns * (n + 1);
    for s in &batch.sensors {
        if s.track_capacity > 0 {
            let depth = 64 - u64::from(s.track_capacity).leading_zeros() as u64;
            tracks += n * (n + 2) + n * (1 + decoys) * (depth + 2);
        }
    }
    // One battery's candidate (no search with the limits: the intercept time is found once
    // chosen): its windows, with fire-control sensors each of them in each window, its channels
    // and its cueing sensors.
    let channels = batch
        .batteries
        .iter()
        .map(|b| u64::from(b.fire_channels))
        .max()
        .unwrap_or(0);
    let fire_control = batch.batteries.iter().any(|b| b.fire_control_mask != 0);
    let windows = crate::base::limits::MAX_WINDOWS as u64;
    let candidate = 4 + ns + 2 * channels + windows * (1 + if fire_control { ns } else { 0 });
    // The chosen engagement's intercept: the window scan and the bisections.
    let search = u64::from(crate::kernel::engage::intercept::SCAN_POINTS)
        + u64::from(crate::kernel::engage::intercept::BISECTIONS)
        + 2;
    let inventory: u64 = batch.batteries.iter().map(|b| u64::from(b.inventory)).sum();
    let engagements = inventory.min(n * nb * u64::from(batch.params.max_engagements));
    let per_engagement = search + u64::from(CAP_LIMITS) * candidate + n * nb * candidate;
    let prevented = n * nb * u64::from(CAP_LIMITS) * candidate;
    tracks + engagements * per_engagement + prevented
}

/// Before running on lavapipe: refuses a batch whose allocation could reach the limit.
pub fn check_allocation(batch: &Batch, adapter: &str) -> Result<(), GpuError> {
    let needed = allocation_loop_bound(batch);
    if needed >= LAVAPIPE_LOOP_LIMIT {
        return Err(GpuError::LoopLimit {
            what: format!(
                "the allocation of a raid of {} threats past {} batteries",
                batch.raid_size(),
                batch.batteries.len()
            ),
            needed,
            limit: LAVAPIPE_LOOP_LIMIT,
            adapter: adapter.to_string(),
        });
    }
    Ok(())
}

/// After a chunk on lavapipe: refuses its results when its longest flight (`max_steps`) could
/// have reached the limit.
pub fn check_propagation(
    batch: &Batch,
    trials: std::ops::Range<u64>,
    max_steps: u64,
    adapter: &str,
) -> Result<(), GpuError> {
    let needed = max_steps * propagation_loops_per_step(batch) + propagation_loop_overhead(batch);
    if needed >= LAVAPIPE_LOOP_LIMIT {
        return Err(GpuError::LoopLimit {
            what: format!(
                "trials {}..{}: a flight of {max_steps} steps past {} sensors and {} batteries",
                trials.start,
                trials.end,
                batch.sensors.len(),
                batch.batteries.len()
            ),
            needed,
            limit: LAVAPIPE_LOOP_LIMIT,
            adapter: adapter.to_string(),
        });
    }
    Ok(())
}
