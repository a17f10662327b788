//! Allocation of engagements by the doctrine (docs/model.md section 10): engagements go
//! to the earliest feasible window, in time order, across every threat of the trial and every
//! battery (so layers fire in time order), while inventory lasts, greedily (nothing is held
//! back for later threats).
//!
//! - `shoot-look-shoot`: after an engagement that did not kill, the next one (any battery) has
//!   its intercept at least `kill_assessment_s` later, and happens only if the survival is
//!   recognised (probability `kill_assessment_probability`); a target judged killed is dropped.
//! - `salvo`: no look. Every feasible engagement is fired, up to `max_engagements` per battery,
//!   whatever the earlier ones did (interceptors fired after a kill are still spent).
//!
//! Each engagement fires `salvo_size` interceptors (fewer when the battery runs out) at the
//! warhead and, above the decoy-strip altitude, `salvo_size` at each decoy that was not
//! discriminated; when the inventory cannot cover all objects the warhead's place in the order
//! is random. Decoys never leak; interceptors spent on them are counted.
//!
//! Written in f32 (the precision of the windows both backends produce); mirrored by
//! `allocate_trial` in shaders/engage.wgsl.

#![allow(clippy::needless_range_loop)] // index loops keep the code comparable to the WGSL twin

use super::kill::{shot_kill_probability, trial_sspk};
use crate::base::limits::*;
use crate::kernel::rng::TrialRng;
use crate::model::types::*;

/// Offset of slot `slot`'s first draw in its trial's block.
#[inline(always)]
pub fn slot_base(slot: u32) -> u64 {
    HEADER_DRAWS + slot as u64 * SLOT_DRAWS
}

/// Everything the allocation reads, per trial.
pub struct TrialInput<'a> {
    pub params: &'a RunParams,
    pub classes: &'a [ThreatClass],
    pub interceptors: &'a [Interceptor],
    pub batteries: &'a [Battery],
    pub seed: u64,
    pub trial: u64,
    /// One per threat slot.
    pub tracks: &'a [ThreatTrack],
    /// `tracks.len() * batteries.len()`, slot-major.
    pub windows: &'a [Window],
    /// Diagnostics for `verify` (CPU only; the WGSL twin has no such field): when set, receives
    /// the smallest deciding margin of the allocation — time slack of a chosen engagement
    /// against its window end or the runner-up engagement (s), and the distance of each
    /// kill or assessment draw from its threshold (probability). None in normal runs.
    pub margins: Option<&'a Margins>,
}

/// The smallest deciding margins seen during one allocation (see `TrialInput::margins`).
#[derive(Debug, Default)]
pub struct Margins {
    pub time_s: std::cell::Cell<f32>,
    pub probability: std::cell::Cell<f32>,
}

impl Margins {
    pub fn new() -> Self {
        Margins {
            time_s: std::cell::Cell::new(f32::INFINITY),
            probability: std::cell::Cell::new(f32::INFINITY),
        }
    }
    fn time(&self, x: f32) {
        self.time_s.set(self.time_s.get().min(x.abs()));
    }
    fn probability(&self, x: f32) {
        self.probability.set(self.probability.get().min(x.abs()));
    }
}

#[inline(always)]
fn count_of(packed: u32, b: usize) -> u32 {
    (packed >> (ENGAGEMENT_COUNT_BITS * b as u32)) & MAX_ENGAGEMENTS
}

/// Runs the doctrine over one trial; writes one outcome per slot.
pub fn allocate_trial(input: &TrialInput, outcomes: &mut [ThreatOutcome]) {
    let p = input.params;
    let nb = input.batteries.len();
    let n = input.tracks.len();
    let mut sspk = [0f32; MAX_INTERCEPTORS];
    for (k, i) in input.interceptors.iter().enumerate() {
        sspk[k] = trial_sspk(
            i,
            input.seed,
            input.trial,
            SSPK_BASE + k as u64 * SSPK_DRAWS,
        );
    }
    let mut inventory = [0u32; MAX_BATTERIES];
    for (b, bat) in input.batteries.iter().enumerate() {
        inventory[b] = bat.inventory;
    }
    // Per slot: engagements per battery (ENGAGEMENT_COUNT_BITS bits each), decisions made, and whether done.
    let mut counts = [0u32; MAX_RAID];
    let mut decisions = [0u32; MAX_RAID];
    let mut done = [false; MAX_RAID];
    for s in 0..n {
        outcomes[s] = ThreatOutcome {
            class_id: input.tracks[s].class_id,
            outcome: OUTCOME_UNENGAGED,
            interceptors: 0,
            decoy_interceptors: 0,
            kill_time_s: f32::NAN,
            kill_battery: NO_BATTERY,
            kill_alt_km: f32::NAN,
            last_engagement_s: f32::NEG_INFINITY,
        };
        done[s] = input.tracks[s].flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED) != 0;
    }
    let sls = p.mode == MODE_SHOOT_LOOK_SHOOT;
    let gap = if sls { p.kill_assessment_s } else { 0.0 };
    loop {
        // The earliest feasible engagement over all (slot, battery); ties to the lower index.
        let mut best_t = f32::INFINITY;
        let mut second_t = f32::INFINITY;
        let (mut best_s, mut best_b) = (0usize, 0usize);
        for s in 0..n {
            if done[s] {
                continue;
            }
            let ready = outcomes[s].last_engagement_s + gap;
            for b in 0..nb {
                if inventory[b] == 0 || count_of(counts[s], b) >= p.max_engagements {
                    continue;
                }
                let w = input.windows[s * nb + b];
                let t = w.t_first_s.max(ready);
                if let Some(m) = input.margins {
                    if w.t_first_s.is_finite() {
                        m.time(w.t_last_s - t);
                    }
                }
                if t <= w.t_last_s && t < best_t {
                    second_t = best_t;
                    best_t = t;
                    best_s = s;
                    best_b = b;
                } else if t <= w.t_last_s && t < second_t {
                    second_t = t;
                }
            }
        }
        if best_t == f32::INFINITY {
            break;
        }
        if let Some(m) = input.margins {
            if second_t.is_finite() && second_t != best_t {
                m.time(second_t - best_t);
            }
        }
        let (s, b) = (best_s, best_b);
        let given_up = engage(
            input,
            &sspk,
            s,
            b,
            best_t,
            decisions[s],
            &mut inventory,
            &mut outcomes[s],
        );
        counts[s] += 1 << (ENGAGEMENT_COUNT_BITS * b as u32);
        decisions[s] += 1;
        if given_up {
            done[s] = true;
        }
    }
}

/// One engagement decision of battery `b` against slot `s` at intercept time `t`. Returns true
/// when the slot is not to be engaged again.
#[allow(clippy::too_many_arguments)] // mirrors the WGSL function's parameters
fn engage(
    input: &TrialInput,
    sspk: &[f32; MAX_INTERCEPTORS],
    s: usize,
    b: usize,
    t: f32,
    decision: u32,
    inventory: &mut [u32; MAX_BATTERIES],
    out: &mut ThreatOutcome,
) -> bool {
    let p = input.params;
    let track = &input.tracks[s];
    let class = &input.classes[track.class_id as usize];
    let bat = &input.batteries[b];
    let w = input.windows[s * input.batteries.len() + b];
    let offset = slot_base(s as u32)
        + ENGAGE_BASE
        + decision as u64 * decision_draws(class.decoys, p.salvo_size);
    let mut rng = TrialRng::at(input.seed, input.trial, offset);
    let u_assess = rng.uniform();
    let u_order = rng.uniform();
    // Decoys still flying (above the strip altitude) and not discriminated.
    let mut live_decoys = 0u32;
    for _ in 0..class.decoys {
        let u = rng.uniform();
        if t < track.strip_time_s && u >= class.discrimination_probability {
            live_decoys += 1;
        }
    }
    let salvo = p.salvo_size;
    let objects = live_decoys + 1;
    let before = ((u_order * objects as f32) as u32).min(live_decoys) * salvo;
    let available = inventory[b];
    let at_warhead = available.saturating_sub(before).min(salvo);
    let used = (salvo * objects).min(available);
    inventory[b] = available - used;
    out.interceptors += at_warhead;
    out.decoy_interceptors += used - at_warhead;
    out.last_engagement_s = t;
    let interceptor = &input.interceptors[bat.interceptor as usize];
    let pk = shot_kill_probability(
        sspk[bat.interceptor as usize],
        interceptor.divert_g,
        w.accel_g,
    );
    let mut killed = false;
    for k in 0..salvo {
        let u = rng.uniform();
        if k < at_warhead && u < pk {
            killed = true;
        }
        if let (Some(m), true) = (input.margins, k < at_warhead && pk > 0.0 && pk < 1.0) {
            m.probability(u - pk);
        }
    }
    let a = p.kill_assessment_probability;
    if let (Some(m), true) = (
        input.margins,
        p.mode == MODE_SHOOT_LOOK_SHOOT && a > 0.0 && a < 1.0,
    ) {
        m.probability(u_assess - a);
    }
    if at_warhead > 0 && out.outcome == OUTCOME_UNENGAGED {
        out.outcome = OUTCOME_LEAKED;
    }
    if killed && out.outcome != OUTCOME_KILLED {
        out.outcome = OUTCOME_KILLED;
        out.kill_time_s = t;
        out.kill_battery = b as u32;
    }
    if p.mode != MODE_SHOOT_LOOK_SHOOT {
        return false;
    }
    // Look: a kill ends it; a survivor is recognised with probability a, else judged killed.
    killed || u_assess >= p.kill_assessment_probability
}
