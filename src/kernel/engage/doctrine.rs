//! Allocation of engagements by the doctrine (docs/model.md section 10): engagements go to the
//! earliest feasible *launch*, in time order, across every threat of the trial, every battery
//! and every window of it (so layers fire in time order and inventory is spent in launch
//! order), while inventory lasts, greedily (nothing is held back for later threats).
//!
//! - `shoot-look-shoot` looks before it launches: after an engagement that did not kill, the
//!   next one (any battery) is launched no earlier than that intercept time plus
//!   `kill_assessment_s` (its fly-out comes on top), and happens only if the survival is
//!   recognised (probability `kill_assessment_probability`); a target judged killed is dropped.
//! - `salvo`: no look. Every feasible engagement is fired, up to `max_engagements` per battery,
//!   whatever the earlier ones did (interceptors fired after a kill are still spent).
//!
//! A battery may engage a threat in every one of its windows (up to `max_engagements` in all).
//! Each engagement fires `salvo_size` interceptors (fewer when the battery runs out) at the
//! warhead and, above the decoy-strip altitude, `salvo_size` at each decoy that this battery
//! did not discriminate (decided once per battery and decoy) and that is not yet killed; when
//! the inventory cannot cover all objects the warhead's place in the order is random. A decoy
//! is killed by the shots at it with probability 1 - (1 - sspk)^shots and stays killed. Decoys
//! never leak; interceptors spent on them are counted. The kill probability of a shot at the
//! warhead applies the divert rule with the target's manoeuvre at the intercept time.
//!
//! Written in f32 (the precision of the windows both backends produce); mirrored by
//! `allocate_trial` in shaders/engage.wgsl.

#![allow(clippy::needless_range_loop)] // index loops keep the code comparable to the WGSL twin

use super::intercept::{earliest_intercept, launch_at, manoeuvre_g};
use super::kill::{shot_kill_probability, trial_sspk};
use crate::base::limits::*;
use crate::base::V3;
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
    /// `tracks.len() * batteries.len() * MAX_WINDOWS`: slot-major, then battery, then window.
    pub windows: &'a [Window],
    /// Diagnostics for `verify` (CPU only; the WGSL twin has no such field): when set, receives
    /// the smallest deciding margin of the allocation — time slack of a chosen engagement
    /// against its window end or the runner-up engagement (s), and the distance of each
    /// kill or assessment draw from its threshold (probability). None in normal runs.
    pub margins: Option<&'a Margins>,
}

/// The smallest deciding margins seen during one allocation, per threat slot (see
/// `TrialInput::margins`): a margin counts for the slots whose decision it decides (an
/// engagement's window end for its slot, the launch order for both slots compared).
#[derive(Debug, Default)]
pub struct Margins {
    /// Per slot, s.
    pub time_s: Vec<std::cell::Cell<f32>>,
    /// Per slot.
    pub probability: Vec<std::cell::Cell<f32>>,
}

impl Margins {
    /// No margin yet (infinite) for each of `slots` slots.
    pub fn new(slots: usize) -> Self {
        Margins {
            time_s: vec![std::cell::Cell::new(f32::INFINITY); slots],
            probability: vec![std::cell::Cell::new(f32::INFINITY); slots],
        }
    }
    fn time(&self, slot: usize, x: f32) {
        if let Some(c) = self.time_s.get(slot) {
            c.set(c.get().min(x.abs()));
        }
    }
    fn probability(&self, slot: usize, x: f32) {
        if let Some(c) = self.probability.get(slot) {
            c.set(c.get().min(x.abs()));
        }
    }
}

#[inline(always)]
fn count_of(packed: u32, b: usize) -> u32 {
    (packed >> (ENGAGEMENT_COUNT_BITS * b as u32)) & MAX_ENGAGEMENTS
}

/// Offset of the first engagement-decision draw of a slot: after each battery's discrimination
/// draw per decoy.
#[inline(always)]
pub fn decisions_base(slot: u32, n_batteries: u32, decoys: u32) -> u64 {
    slot_base(slot) + ENGAGE_BASE + n_batteries as u64 * decoys as u64
}

/// A slot's best next engagement: the earliest launch over its batteries and windows.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// Launch time (+inf: none), s.
    pub launch_s: f32,
    /// Intercept time, s.
    pub t_s: f32,
    pub battery: u32,
    pub window: u32,
}

const NO_CANDIDATE: Candidate = Candidate {
    launch_s: f32::INFINITY,
    t_s: f32::INFINITY,
    battery: 0,
    window: 0,
};

/// The earliest-launch engagement of slot `s` whose launch is no earlier than `not_before_s`,
/// over the batteries with inventory and engagements left; ties go to the lower battery, then
/// the earlier window.
fn best_candidate(
    input: &TrialInput,
    s: usize,
    not_before_s: f32,
    counts: u32,
    inventory: &[u32; MAX_BATTERIES],
) -> Candidate {
    let nb = input.batteries.len();
    let mut best = NO_CANDIDATE;
    for b in 0..nb {
        if inventory[b] == 0 || count_of(counts, b) >= input.params.max_engagements {
            continue;
        }
        let bat = &input.batteries[b];
        let site = V3::from4(bat.site_km);
        let flyout = input.interceptors[bat.interceptor as usize].flyout_speed_km_s;
        for w in 0..MAX_WINDOWS {
            let win = &input.windows[(s * nb + b) * MAX_WINDOWS + w];
            if win.t_first_s == f32::INFINITY {
                break;
            }
            let t = earliest_intercept(win, site, flyout, not_before_s);
            if t == f32::INFINITY {
                continue;
            }
            let launch = launch_at(win, site, flyout, t);
            if launch < best.launch_s {
                best = Candidate {
                    launch_s: launch,
                    t_s: t,
                    battery: b as u32,
                    window: w as u32,
                };
            }
        }
    }
    best
}

/// Earliest launch allowed for slot `s`'s next engagement: shoot-look-shoot waits for the look
/// (previous intercept plus `kill_assessment_s`); salvo does not wait.
#[inline(always)]
fn not_before(p: &RunParams, out: &ThreatOutcome) -> f32 {
    if p.mode == MODE_SHOOT_LOOK_SHOOT {
        out.last_engagement_s + p.kill_assessment_s
    } else {
        f32::NEG_INFINITY
    }
}

/// Runs the doctrine over one trial; writes one outcome per slot.
pub fn allocate_trial(input: &TrialInput, outcomes: &mut [ThreatOutcome]) {
    let p = input.params;
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
    // Per slot: engagements per battery (ENGAGEMENT_COUNT_BITS bits each), decisions made,
    // whether done, the decoys killed (one bit each), and the best next engagement.
    let mut counts = [0u32; MAX_RAID];
    let mut decisions = [0u32; MAX_RAID];
    let mut done = [false; MAX_RAID];
    let mut decoys_killed = [0u32; MAX_RAID];
    let mut best = [NO_CANDIDATE; MAX_RAID];
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
            battery_engagements: 0,
            window_mask: 0,
            leak_reason: LEAK_NONE,
            _pad0: 0,
            battery_interceptors_lo: [0; 4],
            battery_interceptors_hi: [0; 4],
        };
        done[s] = input.tracks[s].flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED) != 0;
        if !done[s] {
            best[s] = best_candidate(input, s, not_before(p, &outcomes[s]), 0, &inventory);
        }
    }
    loop {
        // The earliest launch over all slots; ties to the lower slot.
        let mut best_launch = f32::INFINITY;
        let mut second_launch = f32::INFINITY;
        let mut s = 0usize;
        for k in 0..n {
            let l = best[k].launch_s;
            if done[k] || l == f32::INFINITY {
                continue;
            }
            if l < best_launch {
                second_launch = best_launch;
                best_launch = l;
                s = k;
            } else if l < second_launch {
                second_launch = l;
            }
        }
        if best_launch == f32::INFINITY {
            break;
        }
        let c = best[s];
        let b = c.battery as usize;
        if let Some(m) = input.margins {
            let nb = input.batteries.len();
            let w = &input.windows[(s * nb + b) * MAX_WINDOWS + c.window as usize];
            m.time(s, w.t_last_s - c.t_s);
            if second_launch.is_finite() && second_launch != best_launch {
                // The order decides for this slot and for the runner-up(s).
                for k in 0..n {
                    if k == s || (!done[k] && best[k].launch_s == second_launch) {
                        m.time(k, second_launch - best_launch);
                    }
                }
            }
        }
        let given_up = engage(
            input,
            &sspk,
            s,
            &c,
            decisions[s],
            &mut inventory,
            &mut decoys_killed[s],
            &mut outcomes[s],
        );
        counts[s] += 1 << (ENGAGEMENT_COUNT_BITS * b as u32);
        decisions[s] += 1;
        if given_up {
            done[s] = true;
        } else {
            best[s] = best_candidate(input, s, not_before(p, &outcomes[s]), counts[s], &inventory);
        }
        if inventory[b] == 0 {
            // Slots whose best engagement was with the emptied battery look again.
            for k in 0..n {
                if !done[k] && best[k].launch_s != f32::INFINITY && best[k].battery == b as u32 {
                    best[k] = best_candidate(
                        input,
                        k,
                        not_before(p, &outcomes[k]),
                        counts[k],
                        &inventory,
                    );
                }
            }
        }
    }
    attribute_trial(input, outcomes);
}

/// One engagement decision against slot `s`: candidate `c` (battery, window, intercept time).
/// Returns true when the slot is not to be engaged again.
#[allow(clippy::too_many_arguments)] // mirrors the WGSL function's parameters
fn engage(
    input: &TrialInput,
    sspk: &[f32; MAX_INTERCEPTORS],
    s: usize,
    c: &Candidate,
    decision: u32,
    inventory: &mut [u32; MAX_BATTERIES],
    decoys_killed: &mut u32,
    out: &mut ThreatOutcome,
) -> bool {
    let p = input.params;
    let nb = input.batteries.len();
    let b = c.battery as usize;
    let t = c.t_s;
    let track = &input.tracks[s];
    let class = &input.classes[track.class_id as usize];
    let bat = &input.batteries[b];
    let w = &input.windows[(s * nb + b) * MAX_WINDOWS + c.window as usize];
    // This battery's discrimination of each decoy, decided once (the same draws every time).
    let mut discriminated = 0u32;
    let mut drng = TrialRng::at(
        input.seed,
        input.trial,
        slot_base(s as u32) + ENGAGE_BASE + b as u64 * class.decoys as u64,
    );
    for d in 0..class.decoys {
        if drng.uniform() < class.discrimination_probability {
            discriminated |= 1 << d;
        }
    }
    let offset = decisions_base(s as u32, nb as u32, class.decoys)
        + decision as u64 * decision_draws(class.decoys, p.salvo_size);
    let mut rng = TrialRng::at(input.seed, input.trial, offset);
    let u_assess = rng.uniform();
    let u_order = rng.uniform();
    // Decoys still flying (above the strip altitude), not discriminated, not killed.
    let mut live = 0u32;
    for d in 0..class.decoys {
        if t < track.strip_time_s && (discriminated | *decoys_killed) & (1 << d) == 0 {
            live |= 1 << d;
        }
    }
    let n_live = live.count_ones();
    let salvo = p.salvo_size;
    let objects = n_live + 1;
    // The warhead's place among the objects; each object in order gets a salvo while the
    // inventory lasts.
    let place = ((u_order * objects as f32) as u32).min(n_live);
    let available = inventory[b];
    let shots_at = |position: u32| available.saturating_sub(position * salvo).min(salvo);
    let at_warhead = shots_at(place);
    let used = (salvo * objects).min(available);
    inventory[b] = available - used;
    out.interceptors += at_warhead;
    out.decoy_interceptors += used - at_warhead;
    out.last_engagement_s = t;
    record_engagement(out, b, used);
    let base_sspk = sspk[bat.interceptor as usize];
    // One draw per decoy: a live decoy is killed by the shots at it.
    let mut k_live = 0u32;
    for d in 0..class.decoys {
        let u = rng.uniform();
        if live & (1 << d) != 0 {
            let position = if k_live < place { k_live } else { k_live + 1 };
            let shots = shots_at(position);
            let mut miss = 1.0f32;
            for _ in 0..shots {
                miss *= 1.0 - base_sspk;
            }
            let p_kill = 1.0 - miss;
            if shots > 0 && u < p_kill {
                *decoys_killed |= 1 << d;
            }
            k_live += 1;
        }
    }
    let interceptor = &input.interceptors[bat.interceptor as usize];
    let a_t = manoeuvre_g(class, p, track, w, t);
    let pk = shot_kill_probability(base_sspk, interceptor.divert_g, a_t);
    let mut killed = false;
    for k in 0..salvo {
        let u = rng.uniform();
        if k < at_warhead && u < pk {
            killed = true;
        }
        if let (Some(m), true) = (input.margins, k < at_warhead && pk > 0.0 && pk < 1.0) {
            m.probability(s, u - pk);
        }
    }
    let a = p.kill_assessment_probability;
    if let (Some(m), true) = (
        input.margins,
        p.mode == MODE_SHOOT_LOOK_SHOOT && a > 0.0 && a < 1.0,
    ) {
        m.probability(s, u_assess - a);
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

/// Records who fired: one more engagement of slot `out` by battery `b`, with `used`
/// interceptors (warhead and decoys).
#[inline(always)]
fn record_engagement(out: &mut ThreatOutcome, b: usize, used: u32) {
    out.battery_engagements += 1 << (ENGAGEMENT_COUNT_BITS * b as u32);
    if b < 4 {
        out.battery_interceptors_lo[b] += used;
    } else {
        out.battery_interceptors_hi[b - 4] += used;
    }
}

/// After the allocation: each slot's window mask (which batteries had a feasible window) and
/// why it was not killed (`LEAK_*`, the first that applies; docs/model.md section 10).
pub fn attribute_trial(input: &TrialInput, outcomes: &mut [ThreatOutcome]) {
    let nb = input.batteries.len();
    for s in 0..input.tracks.len() {
        let mut mask = 0u32;
        for b in 0..nb {
            // Windows are in time order: the first is unused only when there is none.
            if input.windows[(s * nb + b) * MAX_WINDOWS].t_first_s != f32::INFINITY {
                mask |= 1 << b;
            }
        }
        outcomes[s].window_mask = mask;
        outcomes[s].leak_reason = leak_reason(input, &input.tracks[s], &outcomes[s]);
    }
}

/// Why slot `out` was not killed (`LEAK_*`), from its track and its allocation.
fn leak_reason(input: &TrialInput, track: &ThreatTrack, out: &ThreatOutcome) -> u32 {
    if out.outcome == OUTCOME_KILLED {
        return LEAK_NONE;
    }
    if out.interceptors > 0 {
        return LEAK_MISSED;
    }
    if out.window_mask != 0 {
        return LEAK_INVENTORY_OUT;
    }
    let failed = track.flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED) != 0;
    // A NaN time counts as no track.
    let tracked = track.track_time_s < track.impact_time_s;
    if failed || !tracked {
        return LEAK_NO_TRACK;
    }
    for bat in input.batteries {
        if track.track_time_s + bat.reaction_time_s < track.impact_time_s {
            return LEAK_NO_WINDOW;
        }
    }
    LEAK_NOT_IN_TIME
}
