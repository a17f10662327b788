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
//! Capacity (docs/model.md section 10, "Capacity"; only with `FLAG_CAPACITY`, so a scenario
//! without capacity keys is allocated exactly as before): before the allocation,
//! `assign_tracks` gives each capacity-limited sensor's tracks first come, first served by
//! detection time (a track is held until the object leaves the sensor's coverage or the flight
//! ends; decoys count while above their strip altitude). A battery's engagement is then
//! launched no earlier than a free fire channel (a channel is held from launch to intercept),
//! its last launch plus `launch_interval_s`, and the firm track of its cueing sensors as the
//! track capacity delays it; with `fire_control_sensors`, one of them must hold the target at
//! launch and still cover it at the intercept. Each limit that delayed or prevented an
//! engagement of a threat by a battery sets a bit of the threat's `capacity_bound`.
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
    pub sensors: &'a [Sensor],
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
    /// against its window end or the runner-up engagement, and with capacity limits the slack
    /// of each candidate's feasibility against its launch bound and its intercept deadline
    /// (s); and the distance of each kill or assessment draw from its threshold
    /// (probability). None in normal runs.
    pub margins: Option<&'a Margins>,
}

/// Time step over which `verify` measures how fast a shot's kill probability changes with its
/// intercept time (the divert rule), s.
const PK_PROBE_S: f32 = 0.01;

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

/// The batteries' capacity state during one trial's allocation.
pub struct CapacityState {
    /// Per battery `b` and fire channel `c` (index `b * MAX_FIRE_CHANNELS + c`): when the
    /// channel frees, the intercept time of its last engagement (-inf: never used), s.
    pub channel_free_s: [f32; MAX_BATTERIES * MAX_FIRE_CHANNELS as usize],
    /// Per battery: its last launch (-inf: none yet), s.
    pub last_launch_s: [f32; MAX_BATTERIES],
}

impl CapacityState {
    /// Every channel free, no launch yet.
    pub fn new() -> Self {
        CapacityState {
            channel_free_s: [f32::NEG_INFINITY; MAX_BATTERIES * MAX_FIRE_CHANNELS as usize],
            last_launch_s: [f32::NEG_INFINITY; MAX_BATTERIES],
        }
    }
}

impl Default for CapacityState {
    fn default() -> Self {
        Self::new()
    }
}

/// Sensor `i`'s entry of a per-sensor record (`ThreatTrack::detect_s`, `lost_s`).
#[inline(always)]
pub fn sensor_time(x: &[[f32; 4]; 4], i: usize) -> f32 {
    x[i / 4][i % 4]
}

/// The earliest launch battery `b`'s own limits and its cueing track allow for slot `s`
/// (-inf: none), the limits in `relax` (bits `1 << CAP_*`) ignored: a free fire channel, the
/// last launch plus `launch_interval_s`, and, when the track capacity of the cueing sensors
/// delays the firm track (`starts` against the detections), that firm track plus the reaction
/// time.
fn capacity_bound(
    input: &TrialInput,
    s: usize,
    b: usize,
    cap: &CapacityState,
    starts: &[[f32; MAX_SENSORS]],
    relax: u32,
) -> f32 {
    let bat = &input.batteries[b];
    let mut bound = f32::NEG_INFINITY;
    if bat.fire_channels > 0 && relax & (1 << CAP_CHANNELS) == 0 {
        let mut free = f32::INFINITY;
        for c in 0..bat.fire_channels as usize {
            free = free.min(cap.channel_free_s[b * MAX_FIRE_CHANNELS as usize + c]);
        }
        bound = bound.max(free);
    }
    if bat.launch_interval_s > 0.0 && relax & (1 << CAP_INTERVAL) == 0 {
        bound = bound.max(cap.last_launch_s[b] + bat.launch_interval_s);
    }
    if relax & (1 << CAP_TRACK) == 0 {
        let track = &input.tracks[s];
        let mut capped = f32::INFINITY;
        let mut free = f32::INFINITY;
        for (i, sensor) in input.sensors.iter().enumerate() {
            if bat.sensor_mask & (1 << i) != 0 {
                capped = capped.min(starts[s][i] + sensor.track_delay_s);
                free = free.min(sensor_time(&track.detect_s, i) + sensor.track_delay_s);
            }
        }
        if capped > free {
            bound = bound.max(capped + bat.reaction_time_s);
        }
    }
    bound
}

/// With the capacity limits: the earliest launch of an intercept in `w` no later than `end_s`
/// whose launch is no earlier than `bound_s` (+inf: none). The launch time is taken as
/// increasing along the window (as the window search takes it): the window's first launch if it
/// meets the bound, else the bound itself if the launch for an intercept at `end_s` still does
/// (an engagement whose launch a bound sets is launched at that bound exactly, so engagements
/// waiting for the same channel tie exactly and go in slot order). No search here: the
/// intercept time is found once the engagement is chosen (`intercept_time`).
#[inline(always)]
fn capacity_launch(
    w: &Window,
    site_km: V3<f32>,
    flyout_km_s: f32,
    bound_s: f32,
    end_s: f32,
) -> f32 {
    if end_s < w.t_first_s {
        return f32::INFINITY;
    }
    if w.launch_first_s >= bound_s {
        return w.launch_first_s;
    }
    if launch_at(w, site_km, flyout_km_s, end_s.min(w.t_last_s)) >= bound_s {
        return bound_s;
    }
    f32::INFINITY
}

/// For `verify` (CPU only, with `TrialInput::margins`): the slack of each comparison that
/// decides `capacity_launch`'s answer for slot `s` (the deadline against the window's start,
/// the window's first launch and the launch for an intercept at the deadline against the
/// bound), s. Infinite or NaN slack (a sensor that never held the target) is no margin.
fn capacity_margins(
    input: &TrialInput,
    s: usize,
    w: &Window,
    site_km: V3<f32>,
    flyout_km_s: f32,
    bound_s: f32,
    end_s: f32,
) {
    let Some(m) = input.margins else {
        return;
    };
    let slacks = [
        end_s - w.t_first_s,
        w.launch_first_s - bound_s,
        launch_at(w, site_km, flyout_km_s, end_s.min(w.t_last_s)) - bound_s,
    ];
    for x in slacks {
        if x.is_finite() {
            m.time(s, x);
        }
    }
}

/// The intercept time of a chosen engagement found by `capacity_launch`: the earliest intercept
/// in its window whose launch is no earlier than its launch.
fn intercept_time(input: &TrialInput, s: usize, c: &Candidate) -> f32 {
    let nb = input.batteries.len();
    let b = c.battery as usize;
    let bat = &input.batteries[b];
    let win = &input.windows[(s * nb + b) * MAX_WINDOWS + c.window as usize];
    let flyout = input.interceptors[bat.interceptor as usize].flyout_speed_km_s;
    let t = earliest_intercept(win, V3::from4(bat.site_km), flyout, c.launch_s);
    if t == f32::INFINITY {
        // Only where the launch time is not increasing along the window: its end.
        return win.t_last_s;
    }
    t
}

/// The earliest-launch engagement of slot `s` by battery `b` whose launch is no earlier than
/// `not_before_s`, under the capacity limits (with `FLAG_CAPACITY`) but those in `relax`;
/// ties go to the earlier window. With fire-control sensors, each one that holds a track on
/// the target is tried: launch no earlier than its firm track, intercept no later than it
/// loses the target.
#[allow(clippy::too_many_arguments)] // mirrors the WGSL function's parameters
fn battery_candidate(
    input: &TrialInput,
    s: usize,
    b: usize,
    not_before_s: f32,
    cap: &CapacityState,
    starts: &[[f32; MAX_SENSORS]],
    relax: u32,
) -> Candidate {
    let nb = input.batteries.len();
    let bat = &input.batteries[b];
    let site = V3::from4(bat.site_km);
    let flyout = input.interceptors[bat.interceptor as usize].flyout_speed_km_s;
    let mut bound = not_before_s;
    let mut fire_control = 0u32;
    let capacity = input.params.flags & FLAG_CAPACITY != 0;
    if capacity {
        bound = bound.max(capacity_bound(input, s, b, cap, starts, relax));
        if relax & (1 << CAP_FIRE_CONTROL) == 0 {
            fire_control = bat.fire_control_mask;
        }
    }
    let track = &input.tracks[s];
    let mut best = NO_CANDIDATE;
    for w in 0..MAX_WINDOWS {
        let win = &input.windows[(s * nb + b) * MAX_WINDOWS + w];
        if win.t_first_s == f32::INFINITY {
            break;
        }
        if !capacity {
            let t = earliest_intercept(win, site, flyout, bound);
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
            continue;
        }
        // With the capacity limits the intercept time is found once chosen (+inf until then).
        if fire_control == 0 {
            capacity_margins(input, s, win, site, flyout, bound, win.t_last_s);
            let launch = capacity_launch(win, site, flyout, bound, win.t_last_s);
            if launch < best.launch_s {
                best = Candidate {
                    launch_s: launch,
                    t_s: f32::INFINITY,
                    battery: b as u32,
                    window: w as u32,
                };
            }
            continue;
        }
        for (i, sensor) in input.sensors.iter().enumerate() {
            if fire_control & (1 << i) == 0 {
                continue;
            }
            let start = if relax & (1 << CAP_TRACK) == 0 {
                starts[s][i]
            } else {
                sensor_time(&track.detect_s, i)
            };
            // Launch no earlier than its firm track, intercept no later than it loses the target.
            let firm = start + sensor.track_delay_s;
            let lost = sensor_time(&track.lost_s, i);
            capacity_margins(input, s, win, site, flyout, bound.max(firm), lost);
            let launch = capacity_launch(win, site, flyout, bound.max(firm), lost);
            if launch < best.launch_s {
                best = Candidate {
                    launch_s: launch,
                    t_s: f32::INFINITY,
                    battery: b as u32,
                    window: w as u32,
                };
            }
        }
    }
    best
}

/// The earliest-launch engagement of slot `s` whose launch is no earlier than `not_before_s`,
/// over the batteries with inventory and engagements left; ties go to the lower battery, then
/// the earlier window.
fn best_candidate(
    input: &TrialInput,
    s: usize,
    not_before_s: f32,
    counts: u32,
    inventory: &[u32; MAX_BATTERIES],
    cap: &CapacityState,
    starts: &[[f32; MAX_SENSORS]],
) -> Candidate {
    let nb = input.batteries.len();
    let mut best = NO_CANDIDATE;
    for b in 0..nb {
        if inventory[b] == 0 || count_of(counts, b) >= input.params.max_engagements {
            continue;
        }
        let c = battery_candidate(input, s, b, not_before_s, cap, starts, 0);
        if c.launch_s < best.launch_s {
            best = c;
        }
    }
    best
}

/// One object seen by a sensor of track capacity `k` whose current tracks' release times are
/// the min-heap `heap[..len]` (at most `k`): detected at `detect_s`, gone at `release_s`. Its
/// track starts at the detection or, with every track in use, when the earliest one is
/// released; it is never tracked (+inf) if it is gone by then. A tracked object's release time
/// joins the heap (replacing the earliest, which has been released by its start).
fn track_object(
    heap: &mut [f32; MAX_TRACK_CAPACITY as usize],
    len: &mut u32,
    k: u32,
    detect_s: f32,
    release_s: f32,
) -> f32 {
    let full = *len >= k;
    let start = if full {
        detect_s.max(heap[0])
    } else {
        detect_s
    };
    if start >= release_s {
        return f32::INFINITY;
    }
    if full {
        heap[0] = release_s;
        // Sift down.
        let mut j = 0usize;
        loop {
            let l = 2 * j + 1;
            if l >= *len as usize {
                break;
            }
            let mut m = l;
            if l + 1 < *len as usize && heap[l + 1] < heap[l] {
                m = l + 1;
            }
            if heap[j] <= heap[m] {
                break;
            }
            heap.swap(j, m);
            j = m;
        }
    } else {
        let mut j = *len as usize;
        heap[j] = release_s;
        *len += 1;
        // Sift up.
        while j > 0 {
            let parent = (j - 1) / 2;
            if heap[parent] <= heap[j] {
                break;
            }
            heap.swap(parent, j);
            j = parent;
        }
    }
    start
}

/// The track capacity of every sensor over the trial (docs/model.md section 9, "Capacity"):
/// `starts[s][i]` is when sensor `i` starts tracking slot `s`'s warhead (+inf: never). Without a
/// capacity it is the detection. With capacity `k`, objects are served first come, first
/// served by detection time (ties to the lower slot; a warhead before its decoys): each slot's
/// warhead, held until it leaves the sensor's coverage or its flight ends, and its decoys
/// (detected with it while above the strip altitude), held until they leave coverage or strip.
pub fn assign_tracks(input: &TrialInput, starts: &mut [[f32; MAX_SENSORS]]) {
    let n = input.tracks.len();
    let mut heap = [0f32; MAX_TRACK_CAPACITY as usize];
    for (i, sensor) in input.sensors.iter().enumerate() {
        for s in 0..n {
            starts[s][i] = sensor_time(&input.tracks[s].detect_s, i);
        }
        let k = sensor.track_capacity;
        if k == 0 {
            continue;
        }
        let mut len = 0u32;
        let mut prev_t = f32::NEG_INFINITY;
        let mut prev_s = n;
        for _ in 0..n {
            // The next slot in detection order (ties to the lower slot).
            let mut next = n;
            let mut next_t = f32::INFINITY;
            for q in 0..n {
                let t = starts[q][i];
                let after = t > prev_t || (t == prev_t && (prev_s == n || q > prev_s));
                if t != f32::INFINITY && after && t < next_t {
                    next = q;
                    next_t = t;
                }
            }
            if next == n {
                break;
            }
            prev_t = next_t;
            prev_s = next;
            let track = &input.tracks[next];
            let lost = sensor_time(&track.lost_s, i);
            starts[next][i] = track_object(&mut heap, &mut len, k, next_t, lost);
            if next_t < track.strip_time_s {
                let release = lost.min(track.strip_time_s);
                for _ in 0..input.classes[track.class_id as usize].decoys {
                    track_object(&mut heap, &mut len, k, next_t, release);
                }
            }
        }
    }
}

/// After battery `b` engages at candidate `c`: the engagement holds the fire channel that frees
/// first until its intercept, and is the battery's last launch.
fn record_launch(input: &TrialInput, b: usize, c: &Candidate, cap: &mut CapacityState) {
    let bat = &input.batteries[b];
    if bat.fire_channels > 0 {
        let base = b * MAX_FIRE_CHANNELS as usize;
        let mut first = base;
        for k in 1..bat.fire_channels as usize {
            if cap.channel_free_s[base + k] < cap.channel_free_s[first] {
                first = base + k;
            }
        }
        cap.channel_free_s[first] = c.t_s;
    }
    cap.last_launch_s[b] = c.launch_s;
}

/// The capacity limits (bits `1 << (CAP_LIMITS * b + CAP_*)`) without which battery `b` would
/// have engaged slot `s` earlier than at `launch_s` (+inf: not at all), each limit relaxed alone.
#[allow(clippy::too_many_arguments)] // mirrors the WGSL function's parameters
fn bound_by(
    input: &TrialInput,
    s: usize,
    b: usize,
    not_before_s: f32,
    launch_s: f32,
    cap: &CapacityState,
    starts: &[[f32; MAX_SENSORS]],
) -> u32 {
    let mut bits = 0u32;
    for x in 0..CAP_LIMITS {
        let relaxed = battery_candidate(input, s, b, not_before_s, cap, starts, 1 << x);
        if relaxed.launch_s < launch_s {
            bits |= 1 << (CAP_LIMITS * b as u32 + x);
        }
    }
    bits
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
    let capacity = p.flags & FLAG_CAPACITY != 0;
    let mut cap = CapacityState::new();
    // Per slot and sensor: when the sensor starts tracking the warhead.
    let mut starts = vec![[f32::INFINITY; MAX_SENSORS]; n];
    if capacity {
        assign_tracks(input, &mut starts);
    }
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
            capacity_bound: 0,
            battery_interceptors_lo: [0; 4],
            battery_interceptors_hi: [0; 4],
        };
        done[s] = input.tracks[s].flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED) != 0;
        if !done[s] {
            best[s] = best_candidate(
                input,
                s,
                not_before(p, &outcomes[s]),
                0,
                &inventory,
                &cap,
                &starts,
            );
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
        let mut c = best[s];
        let b = c.battery as usize;
        if capacity {
            c.t_s = intercept_time(input, s, &c);
        }
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
        if capacity {
            let bits = bound_by(
                input,
                s,
                b,
                not_before(p, &outcomes[s]),
                c.launch_s,
                &cap,
                &starts,
            );
            outcomes[s].capacity_bound |= bits;
            record_launch(input, b, &c, &mut cap);
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
            best[s] = best_candidate(
                input,
                s,
                not_before(p, &outcomes[s]),
                counts[s],
                &inventory,
                &cap,
                &starts,
            );
        }
        // With fire channels or a launch interval, the battery's next launch is no earlier
        // than `ready` now: the engagements planned with it before that look again.
        let mut ready = f32::NEG_INFINITY;
        if capacity {
            ready = capacity_bound(input, s, b, &cap, &starts, 1 << CAP_TRACK);
        }
        if inventory[b] == 0 || ready > f32::NEG_INFINITY {
            // Slots whose best engagement was with the emptied (or now busier) battery look
            // again.
            for k in 0..n {
                let stale = inventory[b] == 0 || best[k].launch_s < ready;
                if !done[k]
                    && best[k].launch_s != f32::INFINITY
                    && best[k].battery == b as u32
                    && stale
                {
                    best[k] = best_candidate(
                        input,
                        k,
                        not_before(p, &outcomes[k]),
                        counts[k],
                        &inventory,
                        &cap,
                        &starts,
                    );
                }
            }
        }
    }
    if capacity {
        // Engagements the limits prevented: a battery with interceptors and engagements left
        // that could engage a slot still open if one limit were lifted.
        for s in 0..n {
            if done[s] {
                continue;
            }
            for b in 0..input.batteries.len() {
                if inventory[b] == 0 || count_of(counts[s], b) >= p.max_engagements {
                    continue;
                }
                let bits = bound_by(
                    input,
                    s,
                    b,
                    not_before(p, &outcomes[s]),
                    f32::INFINITY,
                    &cap,
                    &starts,
                );
                outcomes[s].capacity_bound |= bits;
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
            // The same draw as a time: how far the intercept would have to move for the
            // divert rule to carry pk past it (the manoeuvre, so pk, changes along a glider's
            // dive; a backend whose intercept time differs by rounding sees another pk).
            let a_probe = manoeuvre_g(class, p, track, w, t + PK_PROBE_S);
            let pk_probe = shot_kill_probability(base_sspk, interceptor.divert_g, a_probe);
            let slope = (pk_probe - pk) / PK_PROBE_S;
            if slope != 0.0 {
                m.time(s, (u - pk) / slope);
            }
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
        if out.capacity_bound != 0 {
            return LEAK_CAPACITY;
        }
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
