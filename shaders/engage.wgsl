// engage.wgsl: the defense in f32, the twin of src/kernel/engage/ (sensors.rs, envelope.rs,
// windows.rs, kill.rs, doctrine.rs), plus the bindings every entry point of kernel.wgsl shares.
// Same function names and the same order of operations as the Rust, function for function.
//
// Rust twin                                  WGSL
//   &[Sensor], &[Battery], &[Interceptor],     u_sensors, u_batteries, u_interceptors,
//   &RunParams, &[ThreatClass] of a Batch      u_params, u_classes (uniform bindings below)
//   EventTracker (an Observer)                 the private `tracker` and tracker_new /
//                                              tracker_start / tracker_segment /
//                                              tracker_finish / tracker_track_time_s
//   TrialInput { tracks, windows, .. }          TrialInput { first, n, .. } indexing the storage
//                                              arrays tracks / windows / outcomes
//   allocate_trial's counts / decisions / done  slot_state[first + s] (storage, not 256-entry
//                                              private arrays)
//   TrialRng::at(seed, trial, k)               trial_rng(seed, trial, k) (rng.wgsl)

// ---- Bindings (group 0), one layout for every entry point -------------------------------------

// Run-wide parameters (seed_lo/hi are the batch's seed).
@group(0) @binding(0) var<uniform> u_params: RunParams;
// Threat classes; the first n_classes are used.
@group(0) @binding(1) var<uniform> u_classes: array<ThreatClass, MAX_CLASSES>;
// Radars; the first n_sensors are used.
@group(0) @binding(2) var<uniform> u_sensors: array<Sensor, MAX_SENSORS>;
// Interceptor types; the first n_interceptors are used.
@group(0) @binding(3) var<uniform> u_interceptors: array<Interceptor, MAX_INTERCEPTORS>;
// Batteries; the first n_batteries are used.
@group(0) @binding(4) var<uniform> u_batteries: array<Battery, MAX_BATTERIES>;
// This dispatch's chunk: x = global index of its first trial, y = trials in it, z = w = 0.
@group(0) @binding(5) var<uniform> u_chunk: vec4<u32>;
// Per (trial, slot) of the chunk, index trial_in_chunk * raid_size + slot.
@group(0) @binding(6) var<storage, read_write> tracks: array<ThreatTrack>;
// Per (trial, slot, battery): index (trial_in_chunk * raid_size + slot) * n_batteries + battery.
@group(0) @binding(7) var<storage, read_write> windows: array<Window>;
// Per (trial, slot), like tracks.
@group(0) @binding(8) var<storage, read_write> outcomes: array<ThreatOutcome>;
// Per (trial, slot), like tracks: the allocation's scratch state.
@group(0) @binding(9) var<storage, read_write> slot_state: array<SlotState>;
// The integer tallies, model::tally::COUNT u64 counters as (lo, hi) u32 pairs.
@group(0) @binding(10) var<storage, read_write> tallies: array<atomic<u32>>;
// Per (trial, slot) of the chunk: the slots sorted by threat class (order[k] = slot index), so
// that neighbouring invocations fly the same kind of threat (scheduling only; see
// classify_main in kernel.wgsl).
@group(0) @binding(11) var<storage, read_write> order: array<u32>;
// Counters of the chunk (no Rust twin; read by the host): the slots per class and the scatter
// cursors per class of the class ordering, and the most steps any slot's flight took.
@group(0) @binding(12) var<storage, read_write> chunk_counters: array<atomic<u32>, CHUNK_COUNTERS>;
// chunk_counters[COUNTER_CLASSES + c]: slots of class c in the chunk.
const COUNTER_CLASSES: u32 = 0u;
// chunk_counters[COUNTER_CURSORS + c]: slots of class c placed in `order` so far.
const COUNTER_CURSORS: u32 = MAX_CLASSES;
// chunk_counters[COUNTER_MAX_STEPS]: the most steps of a flight in the chunk.
const COUNTER_MAX_STEPS: u32 = 2u * MAX_CLASSES;
// Length of chunk_counters (a multiple of 4).
const CHUNK_COUNTERS: u32 = 2u * MAX_CLASSES + 4u;

// ---- sensors.rs -----------------------------------------------------------------------------

// Detection range against a target of radar cross-section rcs_m2, km (fourth-root scaling).
fn detection_range_km(s: Sensor, rcs_m2: f32) -> f32 {
    return s.max_range_km * sqrt(sqrt(rcs_m2 / s.reference_rcs_m2));
}

// Visibility margin of a target at p (ECEF, km), km; visible iff >= 0.
fn sensor_margin(s: Sensor, range_km: f32, p: vec3<f32>) -> f32 {
    let site = s.site_km.xyz;
    let up = s.up.xyz;
    let d = p - site;
    let dist = length(d);
    let m_range = range_km - dist;
    // Elevation >= e  <=>  d . up >= |d| sin(e).
    let m_elev = dot(d, up) - dist * s.up.w;
    var m = min(m_range, m_elev);
    if s.boresight.w > -1.5 {
        let dh = d - up * dot(d, up);
        let m_sector = dot(dh, s.boresight.xyz) - length(dh) * s.boresight.w;
        m = min(m, m_sector);
    }
    return m;
}

// ---- envelope.rs ----------------------------------------------------------------------------

// Per battery constants of the envelope test, computed once per threat.
struct EnvelopeGeometry {
    site_km: vec3<f32>,
    site_dir: vec3<f32>,
    min_alt_km: f32,
    max_alt_km: f32,
    // cos and sin of the largest central angle max_range_km / R.
    cos_range: f32,
    sin_range: f32,
    flyout_km_s: f32,
}

fn envelope_geometry(b: Battery, i: Interceptor) -> EnvelopeGeometry {
    let angle = i.max_range_km / EARTH_RADIUS_KM;
    var g: EnvelopeGeometry;
    g.site_km = b.site_km.xyz;
    g.site_dir = b.site_dir.xyz;
    g.min_alt_km = i.min_altitude_km;
    g.max_alt_km = i.max_altitude_km;
    g.cos_range = cos(angle);
    g.sin_range = max(sin(angle), 1e-6);
    g.flyout_km_s = i.flyout_speed_km_s;
    return g;
}

// The three geometric margins of p (ECEF, km), km: above the floor, below the ceiling, inside
// the ground range. Feasible geometry iff all are >= 0.
fn envelope_margins(g: EnvelopeGeometry, p: vec3<f32>) -> vec3<f32> {
    let r = length(p);
    let alt = r - EARTH_RADIUS_KM;
    let cos_angle = dot(p, g.site_dir) / r;
    return vec3<f32>(
        alt - g.min_alt_km,
        g.max_alt_km - alt,
        (cos_angle - g.cos_range) * EARTH_RADIUS_KM / g.sin_range,
    );
}

// Latest launch time that reaches p at t_s: t - |p - site| / fly-out speed, s.
fn launch_time_for(g: EnvelopeGeometry, t_s: f32, p: vec3<f32>) -> f32 {
    return t_s - length(p - g.site_km) / g.flyout_km_s;
}

// ---- windows.rs -----------------------------------------------------------------------------

// Time at which a quantity going linearly from ma (at ta) to mb (at tb) crosses zero.
fn crossing_time(ta: f32, tb: f32, ma: f32, mb: f32) -> f32 {
    let den = ma - mb;
    if den == 0.0 {
        return tb;
    }
    return ta + (tb - ta) * (ma / den);
}

struct WindowState {
    first: f32,
    last: f32,
    accel_g: f32,
    open: bool,
    closed: bool,
}

// The event tracker of one threat's flight (EventTracker in windows.rs). Sensors and batteries
// are the first n_sensors / n_batteries of u_sensors / u_batteries.
struct EventTracker {
    // When false (track or system failure) the defense never sees the threat.
    enabled: bool,
    range_km: array<f32, MAX_SENSORS>,
    sensor_prev: array<f32, MAX_SENSORS>,
    detect_s: array<f32, MAX_SENSORS>,
    geometry: array<EnvelopeGeometry, MAX_BATTERIES>,
    // Firm track plus reaction time per battery (+inf: no track yet), s.
    ready_s: array<f32, MAX_BATTERIES>,
    margin_prev: array<vec3<f32>, MAX_BATTERIES>,
    launch_prev: array<f32, MAX_BATTERIES>,
    window: array<WindowState, MAX_BATTERIES>,
    strip_altitude_km: f32,
    // Whether the threat has been above the strip altitude.
    above_strip: bool,
    strip_time_s: f32,
}

// The tracker of the threat this invocation flies (one per invocation: private).
var<private> tracker: EventTracker;

// EventTracker::new.
fn tracker_new(rcs_m2: f32, strip_altitude_km: f32, enabled: bool) {
    let inf = f32_inf();
    tracker.enabled = enabled;
    for (var i = 0u; i < MAX_SENSORS; i++) {
        tracker.range_km[i] = 0.0;
        tracker.sensor_prev[i] = -inf;
        tracker.detect_s[i] = inf;
    }
    for (var j = 0u; j < MAX_BATTERIES; j++) {
        tracker.ready_s[j] = inf;
        tracker.margin_prev[j] = vec3<f32>(-inf);
        tracker.launch_prev[j] = -inf;
        // WindowState { first: inf, last: inf, ..Default::default() }
        var w = WindowState();
        w.first = inf;
        w.last = inf;
        tracker.window[j] = w;
    }
    tracker.strip_altitude_km = strip_altitude_km;
    tracker.above_strip = false;
    tracker.strip_time_s = inf;
    for (var i = 0u; i < u_params.n_sensors; i++) {
        tracker.range_km[i] = detection_range_km(u_sensors[i], rcs_m2);
    }
    for (var j = 0u; j < u_params.n_batteries; j++) {
        let b = u_batteries[j];
        tracker.geometry[j] = envelope_geometry(b, u_interceptors[b.interceptor]);
    }
}

// EventTracker::track_time_s: first firm track by any sensor (+inf: never), s.
fn tracker_track_time_s() -> f32 {
    var t = f32_inf();
    for (var i = 0u; i < u_params.n_sensors; i++) {
        t = min(t, tracker.detect_s[i] + u_sensors[i].track_delay_s);
    }
    return t;
}

// EventTracker::finish: closes windows still open at t_end_s and writes them to
// windows[first_window + battery].
fn tracker_finish(t_end_s: f32, first_window: u32) {
    for (var i = 0u; i < u_params.n_batteries; i++) {
        var w = tracker.window[i];
        if w.open {
            w.last = t_end_s;
            w.open = false;
            w.closed = true;
        }
        tracker.window[i] = w;
        var out: Window;
        out.t_first_s = w.first;
        out.t_last_s = w.last;
        out.accel_g = w.accel_g;
        out._pad0 = 0.0;
        windows[first_window + i] = out;
    }
    if tracker.strip_time_s == f32_inf() {
        if tracker.above_strip {
            tracker.strip_time_s = t_end_s;
        } else {
            tracker.strip_time_s = -f32_inf();
        }
    }
}

// EventTracker::update_sensors.
fn update_sensors(a: Sample, b: Sample) {
    var changed = false;
    for (var i = 0u; i < u_params.n_sensors; i++) {
        if tracker.detect_s[i] != f32_inf() {
            continue;
        }
        let m = sensor_margin(u_sensors[i], tracker.range_km[i], b.p);
        if m >= 0.0 {
            if tracker.sensor_prev[i] >= 0.0 {
                tracker.detect_s[i] = a.t_s;
            } else {
                tracker.detect_s[i] = crossing_time(a.t_s, b.t_s, tracker.sensor_prev[i], m);
            }
            changed = true;
        }
        tracker.sensor_prev[i] = m;
    }
    if changed {
        for (var j = 0u; j < u_params.n_batteries; j++) {
            let bat = u_batteries[j];
            var track = f32_inf();
            for (var i = 0u; i < u_params.n_sensors; i++) {
                if (bat.sensor_mask & (1u << i)) != 0u {
                    track = min(track, tracker.detect_s[i] + u_sensors[i].track_delay_s);
                }
            }
            tracker.ready_s[j] = track + bat.reaction_time_s;
        }
    }
}

// EventTracker::update_battery. The entry and exit crossings use Rust's NaN-ignoring max / min:
// at the first sample the previous margins are -inf and their crossing is NaN, which Rust drops.
fn update_battery(j: u32, a: Sample, b: Sample) {
    let g = tracker.geometry[j];
    let m = envelope_margins(g, b.p);
    let launch = launch_time_for(g, b.t_s, b.p);
    let ma = tracker.margin_prev[j];
    let ta_margin = tracker.launch_prev[j] - tracker.ready_s[j];
    let tb_margin = launch - tracker.ready_s[j];
    let feasible = m[0] >= 0.0 && m[1] >= 0.0 && m[2] >= 0.0 && tb_margin >= 0.0;
    var w = tracker.window[j];
    if !w.open && feasible {
        var entry = a.t_s;
        for (var c = 0u; c < 3u; c++) {
            if ma[c] < 0.0 {
                entry = max_num(entry, crossing_time(a.t_s, b.t_s, ma[c], m[c]));
            }
        }
        if ta_margin < 0.0 {
            entry = max_num(entry, crossing_time(a.t_s, b.t_s, ta_margin, tb_margin));
        }
        w.first = entry;
        w.open = true;
        w.accel_g = max(a.accel_g, b.accel_g);
    } else if w.open && feasible {
        w.accel_g = max(w.accel_g, b.accel_g);
    } else if w.open {
        var exit = b.t_s;
        for (var c = 0u; c < 3u; c++) {
            if m[c] < 0.0 {
                exit = min_num(exit, crossing_time(a.t_s, b.t_s, ma[c], m[c]));
            }
        }
        if tb_margin < 0.0 {
            exit = min_num(exit, crossing_time(a.t_s, b.t_s, ta_margin, tb_margin));
        }
        w.last = exit;
        w.open = false;
        w.closed = true;
    }
    tracker.window[j] = w;
    tracker.margin_prev[j] = m;
    tracker.launch_prev[j] = launch;
}

// Observer::start of EventTracker.
fn tracker_start(s: Sample) {
    if !tracker.enabled {
        return;
    }
    // A zero-length segment: detections and windows that hold at the start open at t0.
    tracker_segment(s, s);
}

// Observer::segment of EventTracker; always goes on.
fn tracker_segment(a: Sample, b: Sample) -> bool {
    let alt_a = sample_altitude_km(a);
    let alt_b = sample_altitude_km(b);
    tracker.above_strip = tracker.above_strip || alt_b >= tracker.strip_altitude_km;
    if tracker.strip_time_s == f32_inf()
        && alt_a >= tracker.strip_altitude_km
        && alt_b < tracker.strip_altitude_km {
        tracker.strip_time_s = crossing_time(
            a.t_s,
            b.t_s,
            alt_a - tracker.strip_altitude_km,
            alt_b - tracker.strip_altitude_km,
        );
    }
    if !tracker.enabled {
        return true;
    }
    update_sensors(a, b);
    for (var j = 0u; j < u_params.n_batteries; j++) {
        if !tracker.window[j].closed {
            update_battery(j, a, b);
        }
    }
    return true;
}

// ---- kill.rs --------------------------------------------------------------------------------

// Uniforms reserved for one gamma variate.
const GAMMA_DRAWS: u32 = 32u;
// Acceptance attempts inside that budget.
const GAMMA_ATTEMPTS: u32 = 9u;

// Standard normal from two uniforms (Box-Muller, cosine branch).
fn normal_from(u1_open: f32, u2: f32) -> f32 {
    return sqrt(-2.0 * log(u1_open)) * cos(TAU_F32 * u2);
}

// Gamma(shape, 1) variate by Marsaglia & Tsang (2000); consumes exactly GAMMA_DRAWS uniforms
// (28 used, the rest spare); the mean if every attempt is rejected.
fn gamma_variate(shape: f32, rng: ptr<function, Pcg>) -> f32 {
    let u0 = pcg_uniform_open(rng);
    var boost = 1.0;
    if shape < 1.0 {
        boost = pow(u0, 1.0 / shape);
    }
    let a = select(shape, shape + 1.0, shape < 1.0);
    let d = a - 1.0 / 3.0;
    let c = 1.0 / sqrt(9.0 * d);
    var result = a;
    var found = false;
    for (var k = 0u; k < GAMMA_ATTEMPTS; k++) {
        // Rust evaluates normal_from's arguments left to right: the open uniform first.
        let u1 = pcg_uniform_open(rng);
        let u2 = pcg_uniform(rng);
        let z = normal_from(u1, u2);
        let u = pcg_uniform_open(rng);
        let v1 = 1.0 + c * z;
        if !found && v1 > 0.0 {
            let v = v1 * v1 * v1;
            if log(u) < 0.5 * z * z + d - d * v + d * log(v) {
                result = d * v;
                found = true;
            }
        }
    }
    return result * boost;
}

// The single-shot kill probability of interceptor type i for one trial, from the draws at
// offset .. offset + 2 GAMMA_DRAWS of the trial's block.
fn trial_sspk(i: Interceptor, seed: vec2<u32>, trial: u32, offset: u32) -> f32 {
    if i.beta_a <= 0.0 {
        return i.sspk;
    }
    var rx = trial_rng(seed, trial, offset);
    let x = gamma_variate(i.beta_a, &rx);
    var ry = trial_rng(seed, trial, offset + GAMMA_DRAWS);
    let y = gamma_variate(i.beta_b, &ry);
    return x / (x + y);
}

// Kill probability of one shot with base sspk against a target manoeuvring at accel_g.
fn shot_kill_probability(sspk: f32, divert_g: f32, accel_g: f32) -> f32 {
    if accel_g <= 0.0 {
        return sspk;
    }
    return sspk * min(divert_g / (3.0 * accel_g), 1.0);
}

// ---- doctrine.rs ----------------------------------------------------------------------------

// Random-draw layout of one trial's block (twins in src/base/limits.rs, which describes it).
const SSPK_BASE: u32 = 1u;
const SSPK_DRAWS: u32 = 64u;
// Draws before the first threat slot.
const HEADER_DRAWS: u32 = 1024u;
// Draws per threat slot.
const SLOT_DRAWS: u32 = 512u;
// Offset of the engagement draws inside a slot.
const ENGAGE_BASE: u32 = 32u;

// Offset of slot `slot`'s first draw in its trial's block.
fn slot_base(slot: u32) -> u32 {
    return HEADER_DRAWS + slot * SLOT_DRAWS;
}

// Draws one engagement decision uses: assessment, warhead order, one per decoy, one per shot.
fn decision_draws(decoys: u32, salvo_size: u32) -> u32 {
    return 2u + decoys + salvo_size;
}

// What allocate_trial reads, per trial: slot s of the trial is tracks / outcomes /
// slot_state[first + s] and windows[(first + s) * n_batteries + battery].
struct TrialInput {
    seed: vec2<u32>,
    // Global trial index.
    trial: u32,
    // Index of the trial's slot 0 in the chunk's per-slot arrays.
    first: u32,
    // Threat slots (raid size).
    n: u32,
}

// allocate_trial's per-slot state (Rust: counts[s], decisions[s], done[s]).
struct SlotState {
    // Engagements per battery, ENGAGEMENT_COUNT_BITS bits each.
    counts: u32,
    // Decisions made.
    decisions: u32,
    // Nonzero: not to be engaged again.
    done: u32,
    _pad0: u32,
}

// Bits per battery of the packed engagement counts, and the largest count they hold (the cap
// on max_engagements). Twins: ENGAGEMENT_COUNT_BITS and MAX_ENGAGEMENTS in src/base/limits.rs.
const ENGAGEMENT_COUNT_BITS: u32 = 4u;
const MAX_ENGAGEMENTS: u32 = 15u;

fn count_of(packed: u32, b: u32) -> u32 {
    return (packed >> (ENGAGEMENT_COUNT_BITS * b)) & MAX_ENGAGEMENTS;
}

// Runs the doctrine over one trial; writes one outcome per slot.
fn allocate_trial(input: TrialInput) {
    let p = u_params;
    let nb = p.n_batteries;
    let n = input.n;
    let inf = f32_inf();
    var sspk: array<f32, MAX_INTERCEPTORS>;
    for (var k = 0u; k < p.n_interceptors; k++) {
        sspk[k] = trial_sspk(u_interceptors[k], input.seed, input.trial, SSPK_BASE + k * SSPK_DRAWS);
    }
    var inventory: array<u32, MAX_BATTERIES>;
    for (var b = 0u; b < nb; b++) {
        inventory[b] = u_batteries[b].inventory;
    }
    for (var s = 0u; s < n; s++) {
        let track = tracks[input.first + s];
        var out: ThreatOutcome;
        out.class_id = track.class_id;
        out.outcome = OUTCOME_UNENGAGED;
        out.interceptors = 0u;
        out.decoy_interceptors = 0u;
        out.kill_time_s = f32_nan();
        out.kill_battery = NO_BATTERY;
        out.kill_alt_km = f32_nan();
        out.last_engagement_s = -inf;
        outcomes[input.first + s] = out;
        let failed = (track.flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED)) != 0u;
        var st: SlotState;
        st.counts = 0u;
        st.decisions = 0u;
        st.done = select(0u, 1u, failed);
        st._pad0 = 0u;
        slot_state[input.first + s] = st;
    }
    let sls = p.mode == MODE_SHOOT_LOOK_SHOOT;
    let gap = select(0.0, p.kill_assessment_s, sls);
    loop {
        // The earliest feasible engagement over all (slot, battery); ties to the lower index.
        var best_t = inf;
        var best_s = 0u;
        var best_b = 0u;
        for (var s = 0u; s < n; s++) {
            let st = slot_state[input.first + s];
            if st.done != 0u {
                continue;
            }
            let ready = outcomes[input.first + s].last_engagement_s + gap;
            for (var b = 0u; b < nb; b++) {
                if inventory[b] == 0u || count_of(st.counts, b) >= p.max_engagements {
                    continue;
                }
                let w = windows[(input.first + s) * nb + b];
                let t = max_num(w.t_first_s, ready);
                if t <= w.t_last_s && t < best_t {
                    best_t = t;
                    best_s = s;
                    best_b = b;
                }
            }
        }
        if best_t == inf {
            break;
        }
        let s = best_s;
        let b = best_b;
        let k = input.first + s;
        var out = outcomes[k];
        let given_up = engage(input, sspk, s, b, best_t, slot_state[k].decisions, &inventory, &out);
        outcomes[k] = out;
        slot_state[k].counts += 1u << (ENGAGEMENT_COUNT_BITS * b);
        slot_state[k].decisions += 1u;
        if given_up {
            slot_state[k].done = 1u;
        }
    }
}

// One engagement decision of battery b against slot s at intercept time t. Returns true when
// the slot is not to be engaged again.
fn engage(
    input: TrialInput,
    sspk: array<f32, MAX_INTERCEPTORS>,
    s: u32,
    b: u32,
    t: f32,
    decision: u32,
    inventory: ptr<function, array<u32, MAX_BATTERIES>>,
    out: ptr<function, ThreatOutcome>,
) -> bool {
    let p = u_params;
    let track = tracks[input.first + s];
    let class_ = u_classes[track.class_id];
    let bat = u_batteries[b];
    let w = windows[(input.first + s) * p.n_batteries + b];
    let offset = slot_base(s) + ENGAGE_BASE + decision * decision_draws(class_.decoys, p.salvo_size);
    var rng = trial_rng(input.seed, input.trial, offset);
    let u_assess = pcg_uniform(&rng);
    let u_order = pcg_uniform(&rng);
    // Decoys still flying (above the strip altitude) and not discriminated.
    var live_decoys = 0u;
    for (var k = 0u; k < class_.decoys; k++) {
        let u = pcg_uniform(&rng);
        if t < track.strip_time_s && u >= class_.discrimination_probability {
            live_decoys += 1u;
        }
    }
    let salvo = p.salvo_size;
    let objects = live_decoys + 1u;
    let before = min(u32(u_order * f32(objects)), live_decoys) * salvo;
    let available = (*inventory)[b];
    // available.saturating_sub(before)
    let at_warhead = min(select(0u, available - before, available > before), salvo);
    let used = min(salvo * objects, available);
    (*inventory)[b] = available - used;
    (*out).interceptors += at_warhead;
    (*out).decoy_interceptors += used - at_warhead;
    (*out).last_engagement_s = t;
    let interceptor = u_interceptors[bat.interceptor];
    let pk = shot_kill_probability(sspk[bat.interceptor], interceptor.divert_g, w.accel_g);
    var killed = false;
    for (var k = 0u; k < salvo; k++) {
        let u = pcg_uniform(&rng);
        if k < at_warhead && u < pk {
            killed = true;
        }
    }
    if at_warhead > 0u && (*out).outcome == OUTCOME_UNENGAGED {
        (*out).outcome = OUTCOME_LEAKED;
    }
    if killed && (*out).outcome != OUTCOME_KILLED {
        (*out).outcome = OUTCOME_KILLED;
        (*out).kill_time_s = t;
        (*out).kill_battery = b;
    }
    if p.mode != MODE_SHOOT_LOOK_SHOOT {
        return false;
    }
    // Look: a kill ends it; a survivor is recognised with probability a, else judged killed.
    return killed || u_assess >= p.kill_assessment_probability;
}
