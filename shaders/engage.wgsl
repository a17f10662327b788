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
    // Chord of that angle on the unit sphere, 2 sin(angle / 2).
    chord_range: f32,
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
    g.chord_range = 2.0 * sin(angle * 0.5);
    g.flyout_km_s = i.flyout_speed_km_s;
    return g;
}

// Whether a step moving the threat by at most reach_km stays out of the ground range from a
// start with ground-range margin range_margin_km (out_of_range_all_step in envelope.rs).
fn out_of_range_all_step(g: EnvelopeGeometry, range_margin_km: f32, reach_km: f32) -> bool {
    let cos_a = range_margin_km * g.sin_range * (1.0 / EARTH_RADIUS_KM) + g.cos_range;
    let chord = g.chord_range + (reach_km + 1.0) * (1.0 / EARTH_RADIUS_KM);
    return 2.0 - 2.0 * cos_a > chord * chord;
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

// crossing_time is in physics.wgsl (propagate.rs), which this file follows.

// The margins an event crossing is refined on (EVENT_* in windows.rs).
const EVENT_SENSOR: u32 = 0u;
const EVENT_FLOOR: u32 = 1u;
const EVENT_CEILING: u32 = 2u;
const EVENT_RANGE: u32 = 3u;
const EVENT_LAUNCH: u32 = 4u;
const EVENT_STRIP: u32 = 5u;

// The flight's state at t_s inside the segment from a to b (cubic Hermite).
fn sample_at(a: Sample, b: Sample, t_s: f32) -> Sample {
    let st = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t_s);
    var s: Sample;
    s.t_s = t_s;
    s.p = st.p;
    s.v = st.v;
    s.accel_g = 0.0;
    s.phase = b.phase;
    return s;
}

// Sign-carrying rate of change of p^.s^ along the ground track: (v.s)(p.p) - (p.s)(p.v).
fn ground_rate(site_dir: vec3<f32>, s: Sample) -> f32 {
    return dot(s.v, site_dir) * dot(s.p, s.p) - dot(s.p, site_dir) * dot(s.p, s.v);
}

// (p - site).v: zero at the closest approach to sensor s in three dimensions (range_rate).
fn range_rate(s: Sensor, x: Sample) -> f32 {
    return dot(x.p - s.site_km.xyz, x.v);
}

// Rate of change of the elevation margin d.up - |d| sin(e) of sensor s (elevation_rate).
fn elevation_rate(s: Sensor, x: Sample) -> f32 {
    let d = x.p - s.site_km.xyz;
    let up = s.up.xyz;
    return dot(x.v, up) - dot(d, x.v) / length(d) * s.up.w;
}

// range_rate (elevation false) or elevation_rate (true) of sensor s at x (turn_rate).
fn turn_rate(s: Sensor, x: Sample, elevation: bool) -> f32 {
    if elevation {
        return elevation_rate(s, x);
    }
    return range_rate(s, x);
}

// Where in (a, b) sensor s's range or elevation margin turns, or +inf: the linear crossing of
// turn_rate, then one regula falsi iteration on the interpolant (turn_time).
fn turn_time(s: Sensor, a: Sample, b: Sample, elevation: bool) -> f32 {
    let fa = turn_rate(s, a, elevation);
    let fb = turn_rate(s, b, elevation);
    let t0 = sign_change_time(a.t_s, b.t_s, fa, fb);
    if t0 == f32_inf() {
        return t0;
    }
    let f0 = turn_rate(s, sample_at(a, b, t0), elevation);
    return refine_turn(a.t_s, b.t_s, fa, fb, t0, f0);
}

// One regula falsi iteration for a rate's zero, keeping the sign change (refine_turn).
fn refine_turn(ta: f32, tb: f32, fa: f32, fb: f32, t0: f32, f0: f32) -> f32 {
    if f0 == 0.0 {
        return t0;
    }
    if (f0 > 0.0) == (fa > 0.0) {
        return crossing_time(t0, tb, f0, fb);
    }
    return crossing_time(ta, t0, fa, f0);
}

// Time inside (ta, tb) where a quantity with values fa, fb changes sign (linear), or +inf.
fn sign_change_time(ta: f32, tb: f32, fa: f32, fb: f32) -> f32 {
    if (fa < 0.0 && fb > 0.0) || (fa > 0.0 && fb < 0.0) {
        return crossing_time(ta, tb, fa, fb);
    }
    return f32_inf();
}

// Narrows iv = (lo, hi, empty) to where a constraint with margins mx at the piece's start and
// my at its end, crossing zero at tc, holds (clip_interval in windows.rs).
fn clip_interval(iv_in: vec3<f32>, mx: f32, my: f32, tc: f32) -> vec3<f32> {
    var iv = iv_in;
    let in_x = mx >= 0.0;
    let in_y = my >= 0.0;
    if in_x && in_y {
        return iv;
    }
    if !in_x && !in_y {
        iv.z = 1.0;
        return iv;
    }
    if in_y {
        iv.x = max(iv.x, tc);
    } else {
        iv.y = min(iv.y, tc);
    }
    return iv;
}

// One battery's view of the flight (BatteryTrack in windows.rs).
struct BatteryTrack {
    // Envelope margins (floor, ceiling, range) at the last point seen, km.
    margin_prev: vec3<f32>,
    // Launch time for an intercept at the last point seen, s.
    launch_prev: f32,
    open: bool,
    // Windows written so far.
    count: u32,
    // The open window's entry point and its launch time.
    first: Sample,
    launch_first: f32,
}

// The event tracker of one threat's flight (EventTracker in windows.rs). Sensors and batteries
// are the first n_sensors / n_batteries of u_sensors / u_batteries; windows are written to
// windows[first_window + battery * MAX_WINDOWS + w] as they close.
struct EventTracker {
    first_window: u32,
    // When false (track or system failure) the defense never sees the threat.
    enabled: bool,
    range_km: array<f32, MAX_SENSORS>,
    sensor_prev: array<f32, MAX_SENSORS>,
    detect_s: array<f32, MAX_SENSORS>,
    // When the threat first leaves each sensor's coverage after its detection, or the flight's
    // end (+inf: not detected, or track_loss unset), s.
    lost_s: array<f32, MAX_SENSORS>,
    // Whether to record lost_s (FLAG_CAPACITY).
    track_loss: bool,
    geometry: array<EnvelopeGeometry, MAX_BATTERIES>,
    // Firm track plus reaction time per battery (+inf: no track yet), s.
    ready_s: array<f32, MAX_BATTERIES>,
    battery: array<BatteryTrack, MAX_BATTERIES>,
    strip_altitude_km: f32,
    // Whether the threat has been above the strip altitude.
    above_strip: bool,
    strip_time_s: f32,
    // When a glider's terminal dive starts (+inf: never), s.
    dive_time_s: f32,
}

// The tracker of the threat this invocation flies (one per invocation: private).
var<private> tracker: EventTracker;

// EventTracker::new.
fn tracker_new(first_window: u32, rcs_m2: f32, strip_altitude_km: f32, enabled: bool) {
    let inf = f32_inf();
    tracker.first_window = first_window;
    tracker.enabled = enabled;
    for (var i = 0u; i < MAX_SENSORS; i++) {
        tracker.range_km[i] = 0.0;
        tracker.sensor_prev[i] = -inf;
        tracker.detect_s[i] = inf;
        tracker.lost_s[i] = inf;
    }
    for (var j = 0u; j < MAX_BATTERIES; j++) {
        tracker.ready_s[j] = inf;
        tracker.battery[j] = BatteryTrack();
    }
    tracker.track_loss = false;
    tracker.strip_altitude_km = strip_altitude_km;
    tracker.above_strip = false;
    tracker.strip_time_s = inf;
    tracker.dive_time_s = inf;
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

// The window that marks "no window".
fn no_window() -> Window {
    let inf = f32_inf();
    var w = Window();
    w.t_first_s = inf;
    w.t_last_s = inf;
    w.launch_first_s = inf;
    w.launch_last_s = inf;
    return w;
}

// EventTracker::finish: closes the windows still open at the flight's last sample and marks
// the unused ones.
fn tracker_finish(last: Sample) {
    if tracker.track_loss {
        // Still in coverage at the end: the track ends with the flight.
        for (var i = 0u; i < u_params.n_sensors; i++) {
            if tracker.detect_s[i] != f32_inf() && tracker.lost_s[i] == f32_inf() {
                tracker.lost_s[i] = last.t_s;
            }
        }
    }
    for (var j = 0u; j < u_params.n_batteries; j++) {
        if tracker.battery[j].open {
            close_window(j, last);
        }
        for (var w = tracker.battery[j].count; w < MAX_WINDOWS; w++) {
            windows[tracker.first_window + j * MAX_WINDOWS + w] = no_window();
        }
    }
    if tracker.strip_time_s == f32_inf() {
        if tracker.above_strip {
            tracker.strip_time_s = last.t_s;
        } else {
            tracker.strip_time_s = -f32_inf();
        }
    }
}

// EventTracker::update_ready: firm track plus reaction time of every battery.
fn update_ready() {
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

// EventTracker::start_events: detections and windows that hold at the first sample.
fn start_events(s: Sample) {
    for (var i = 0u; i < u_params.n_sensors; i++) {
        let m = sensor_margin(u_sensors[i], tracker.range_km[i], s.p);
        if m >= 0.0 {
            tracker.detect_s[i] = s.t_s;
        }
        tracker.sensor_prev[i] = m;
    }
    update_ready();
    for (var j = 0u; j < u_params.n_batteries; j++) {
        let g = tracker.geometry[j];
        let m = envelope_margins(g, s.p);
        let launch = launch_time_for(g, s.t_s, s.p);
        tracker.battery[j].margin_prev = m;
        tracker.battery[j].launch_prev = launch;
        let feasible = m[0] >= 0.0 && m[1] >= 0.0 && m[2] >= 0.0
            && launch - tracker.ready_s[j] >= 0.0;
        if feasible {
            open_window(j, s);
        }
    }
}

// EventTracker::event_margin: the margin kind (EVENT_*) of sensor or battery idx at s.
fn event_margin(kind: u32, idx: u32, s: Sample) -> f32 {
    if kind == EVENT_SENSOR {
        return sensor_margin(u_sensors[idx], tracker.range_km[idx], s.p);
    }
    if kind == EVENT_STRIP {
        return sample_altitude_km(s) - tracker.strip_altitude_km;
    }
    let g = tracker.geometry[idx];
    if kind == EVENT_LAUNCH {
        return launch_time_for(g, s.t_s, s.p) - tracker.ready_s[idx];
    }
    let m = envelope_margins(g, s.p);
    if kind == EVENT_FLOOR {
        return m[0];
    } else if kind == EVENT_CEILING {
        return m[1];
    }
    return m[2];
}

// EventTracker::refine_crossing: where margin kind of idx crosses zero between tx (mx) and ty
// (my) inside the step from a to b: the linear crossing and three regula-falsi (Illinois) iterations on the
// step's Hermite interpolant.
fn refine_crossing(kind: u32, idx: u32, a: Sample, b: Sample, tx: f32, ty: f32, mx: f32, my: f32) -> f32 {
    var ta = tx;
    var tb = ty;
    var fa = mx;
    var fb = my;
    let t1 = crossing_time(ta, tb, fa, fb);
    let f1 = event_margin(kind, idx, sample_at(a, b, t1));
    let kept_b = (f1 >= 0.0) == (fa >= 0.0);
    if kept_b {
        ta = t1;
        fa = f1;
    } else {
        tb = t1;
        fb = f1;
    }
    // Illinois: the end kept twice has its margin halved.
    var t2: f32;
    if kept_b {
        t2 = crossing_time(ta, tb, fa, fb * 0.5);
    } else {
        t2 = crossing_time(ta, tb, fa * 0.5, fb);
    }
    let f2 = event_margin(kind, idx, sample_at(a, b, t2));
    let kept_b2 = (f2 >= 0.0) == (fa >= 0.0);
    if kept_b2 {
        ta = t2;
        fa = f2;
    } else {
        tb = t2;
        fb = f2;
    }
    // A third iteration (refine_crossing).
    var t3 = crossing_time(ta, tb, fa, fb);
    if kept_b2 == kept_b {
        if kept_b2 {
            t3 = crossing_time(ta, tb, fa, fb * 0.5);
        } else {
            t3 = crossing_time(ta, tb, fa * 0.5, fb);
        }
    }
    let f3 = event_margin(kind, idx, sample_at(a, b, t3));
    if (f3 >= 0.0) == (fa >= 0.0) {
        ta = t3;
        fa = f3;
    } else {
        tb = t3;
        fb = f3;
    }
    return crossing_time(ta, tb, fa, fb);
}

// EventTracker::sensor_crossing: sensor i over the step from a (margin ma) to b (margin mb),
// split where its range and elevation margins turn: the first time the margin is >= 0
// (entering: a detection) or < 0 (not entering: a track lost), or +inf.
fn sensor_crossing(i: u32, a: Sample, b: Sample, ma: f32, mb: f32, entering: bool) -> f32 {
    let sensor = u_sensors[i];
    let t_range = turn_time(sensor, a, b, false);
    let t_elev = turn_time(sensor, a, b, true);
    let t1 = min(t_range, t_elev);
    let t2 = max(t_range, t_elev);
    var tx = a.t_s;
    var mx = ma;
    if t1 < b.t_s {
        let m1 = event_margin(EVENT_SENSOR, i, sample_at(a, b, t1));
        if (m1 >= 0.0) == entering {
            return refine_crossing(EVENT_SENSOR, i, a, b, tx, t1, mx, m1);
        }
        tx = t1;
        mx = m1;
    }
    if t2 < b.t_s && t2 > t1 {
        let m2 = event_margin(EVENT_SENSOR, i, sample_at(a, b, t2));
        if (m2 >= 0.0) == entering {
            return refine_crossing(EVENT_SENSOR, i, a, b, tx, t2, mx, m2);
        }
        tx = t2;
        mx = m2;
    }
    if (mb >= 0.0) == entering {
        return refine_crossing(EVENT_SENSOR, i, a, b, tx, b.t_s, mx, mb);
    }
    return f32_inf();
}

// EventTracker::update_sensors.
fn update_sensors(a: Sample, b: Sample) {
    var changed = false;
    for (var i = 0u; i < u_params.n_sensors; i++) {
        if tracker.detect_s[i] != f32_inf() {
            if tracker.track_loss && tracker.lost_s[i] == f32_inf() {
                // The first exit from coverage after the detection ends the track (found like
                // a detection: split where the margins turn, root-found between).
                let ml = sensor_margin(u_sensors[i], tracker.range_km[i], b.p);
                let prev = max(tracker.sensor_prev[i], 0.0);
                tracker.lost_s[i] = sensor_crossing(i, a, b, prev, ml, false);
                tracker.sensor_prev[i] = ml;
            }
            continue;
        }
        let m = sensor_margin(u_sensors[i], tracker.range_km[i], b.p);
        var t = a.t_s;
        if tracker.sensor_prev[i] < 0.0 {
            t = sensor_crossing(i, a, b, tracker.sensor_prev[i], m, true);
        }
        if t != f32_inf() {
            tracker.detect_s[i] = t;
            changed = true;
        }
        tracker.sensor_prev[i] = m;
    }
    if changed {
        update_ready();
    }
}

// EventTracker::open_window: opens battery j's next window at entry (if the cap allows).
fn open_window(j: u32, entry: Sample) {
    var bt = tracker.battery[j];
    open_window_of(&bt, tracker.geometry[j], entry);
    tracker.battery[j] = bt;
}

// EventTracker::close_window: closes battery j's open window at exit and writes it out.
fn close_window(j: u32, exit: Sample) {
    var bt = tracker.battery[j];
    close_window_of(&bt, j, tracker.geometry[j], exit);
    tracker.battery[j] = bt;
}

// EventTracker::close_window_of: closes the open window of battery j (state bt, geometry g) at
// exit and writes it out.
fn close_window_of(bt: ptr<function, BatteryTrack>, j: u32, g: EnvelopeGeometry, exit: Sample) {
    let launch = launch_time_for(g, exit.t_s, exit.p);
    let f = (*bt).first;
    var w: Window;
    w.t_first_s = f.t_s;
    w.t_last_s = exit.t_s;
    w.launch_first_s = (*bt).launch_first;
    w.launch_last_s = launch;
    w.p_first_km = vec4<f32>(f.p, 0.0);
    w.v_first_km_s = vec4<f32>(f.v, 0.0);
    w.p_last_km = vec4<f32>(exit.p, 0.0);
    w.v_last_km_s = vec4<f32>(exit.v, 0.0);
    windows[tracker.first_window + j * MAX_WINDOWS + (*bt).count] = w;
    (*bt).count = (*bt).count + 1u;
    (*bt).open = false;
}

// EventTracker::update_battery: battery j over the segment from a to b, split where a
// constraint can turn (the altitude extremum, the ground track's closest approach to the site);
// a step wholly below the floor or above the ceiling by more than it can move is skipped. The
// battery's state, geometry and ready time are read once into locals and its state written
// back once: the tracker's per-battery arrays are indexed by j, which lavapipe gathers lane by
// lane at every access.
fn update_battery(j: u32, a: Sample, b: Sample, t_alt: f32) {
    var bt = tracker.battery[j];
    let g = tracker.geometry[j];
    let ready = tracker.ready_s[j];
    if !bt.open {
        let reach = (b.t_s - a.t_s) * (length(a.v) + length(b.v));
        let m = envelope_margins(g, b.p);
        let below = bt.margin_prev[0] < -reach && m[0] < -reach;
        let above = bt.margin_prev[1] < -reach && m[1] < -reach;
        if below || above || out_of_range_all_step(g, bt.margin_prev[2], reach) {
            tracker.battery[j].margin_prev = m;
            tracker.battery[j].launch_prev = launch_time_for(g, b.t_s, b.p);
            return;
        }
    }
    let site_dir = g.site_dir;
    let t_site = sign_change_time(a.t_s, b.t_s, ground_rate(site_dir, a), ground_rate(site_dir, b));
    let t1 = min(t_alt, t_site);
    let t2 = max(t_alt, t_site);
    var x = a;
    if t1 < b.t_s {
        let y = sample_at(a, b, t1);
        update_piece(&bt, j, g, ready, a, b, x, y);
        x = y;
    }
    if t2 < b.t_s && t2 > t1 {
        let y = sample_at(a, b, t2);
        update_piece(&bt, j, g, ready, a, b, x, y);
        x = y;
    }
    update_piece(&bt, j, g, ready, a, b, x, b);
    tracker.battery[j] = bt;
}

// EventTracker::clip_constraint: narrows iv by constraint kind of battery j on the piece from x
// to y of the step from a to b.
fn clip_constraint(iv: vec3<f32>, kind: u32, j: u32, a: Sample, b: Sample, x: Sample, y: Sample, mx: f32, my: f32) -> vec3<f32> {
    var tc = y.t_s;
    if (mx >= 0.0) != (my >= 0.0) {
        tc = refine_crossing(kind, j, a, b, x.t_s, y.t_s, mx, my);
    }
    return clip_interval(iv, mx, my, tc);
}

// EventTracker::update_piece: battery j (state bt, geometry g, firm track plus reaction time
// ready) over a piece from x to y of the step from a to b on which every constraint is
// monotone.
fn update_piece(bt: ptr<function, BatteryTrack>, j: u32, g: EnvelopeGeometry, ready: f32, a: Sample, b: Sample, x: Sample, y: Sample) {
    let m = envelope_margins(g, y.p);
    let launch = launch_time_for(g, y.t_s, y.p);
    let mx = vec4<f32>((*bt).margin_prev, (*bt).launch_prev - ready);
    let my = vec4<f32>(m, launch - ready);
    // The four constraints' intervals intersected, one call each (no loop: lavapipe counts
    // every loop iteration against its per-invocation limit).
    var iv = vec3<f32>(x.t_s, y.t_s, 0.0);
    iv = clip_constraint(iv, EVENT_FLOOR, j, a, b, x, y, mx[0], my[0]);
    iv = clip_constraint(iv, EVENT_CEILING, j, a, b, x, y, mx[1], my[1]);
    iv = clip_constraint(iv, EVENT_RANGE, j, a, b, x, y, mx[2], my[2]);
    iv = clip_constraint(iv, EVENT_LAUNCH, j, a, b, x, y, mx[3], my[3]);
    let lo = iv.x;
    let hi = iv.y;
    var empty = iv.z != 0.0;
    if lo > hi {
        empty = true;
    }
    if (*bt).open {
        if empty {
            close_window_of(bt, j, g, x);
        } else if hi < y.t_s {
            close_window_of(bt, j, g, sample_at(a, b, hi));
        }
    } else if !empty {
        if hi >= y.t_s {
            open_window_of(bt, g, sample_at(a, b, lo));
        } else if hi > lo {
            // A window wholly inside the piece.
            open_window_of(bt, g, sample_at(a, b, lo));
            if (*bt).open {
                close_window_of(bt, j, g, sample_at(a, b, hi));
            }
        }
    }
    (*bt).margin_prev = m;
    (*bt).launch_prev = launch;
}

// open_window_of in windows.rs: opens the next window of a battery (state bt, geometry g) at
// entry, if the cap allows.
fn open_window_of(bt: ptr<function, BatteryTrack>, g: EnvelopeGeometry, entry: Sample) {
    if (*bt).count >= MAX_WINDOWS {
        return;
    }
    (*bt).first = entry;
    (*bt).launch_first = launch_time_for(g, entry.t_s, entry.p);
    (*bt).open = true;
}

// Observer::start of EventTracker.
fn tracker_start(s: Sample) {
    if s.phase == PHASE_DIVE {
        tracker.dive_time_s = s.t_s;
    }
    tracker.above_strip = sample_altitude_km(s) >= tracker.strip_altitude_km;
    if !tracker.enabled {
        return;
    }
    start_events(s);
}

// Observer::segment of EventTracker; always goes on.
fn tracker_segment(a: Sample, b: Sample) -> bool {
    let alt_a = sample_altitude_km(a);
    let alt_b = sample_altitude_km(b);
    tracker.above_strip = tracker.above_strip || alt_b >= tracker.strip_altitude_km;
    if tracker.strip_time_s == f32_inf()
        && alt_a >= tracker.strip_altitude_km
        && alt_b < tracker.strip_altitude_km {
        tracker.strip_time_s = refine_crossing(
            EVENT_STRIP,
            0u,
            a,
            b,
            a.t_s,
            b.t_s,
            alt_a - tracker.strip_altitude_km,
            alt_b - tracker.strip_altitude_km,
        );
    }
    if tracker.dive_time_s == f32_inf() && b.phase == PHASE_DIVE {
        tracker.dive_time_s = b.t_s;
    }
    if !tracker.enabled {
        return true;
    }
    let t_alt = sign_change_time(a.t_s, b.t_s, dot(a.p, a.v), dot(b.p, b.v));
    update_sensors(a, b);
    for (var j = 0u; j < u_params.n_batteries; j++) {
        if tracker.battery[j].open || tracker.battery[j].count < MAX_WINDOWS {
            update_battery(j, a, b, t_alt);
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

// ---- intercept.rs ---------------------------------------------------------------------------

// Equal sub-intervals a window is scanned in, then bisections (twins in intercept.rs).
const SCAN_POINTS: u32 = 8u;
const BISECTIONS: u32 = 20u;

// The threat's position and velocity at t_s inside window w.
fn window_state(w: Window, t_s: f32) -> State {
    return hermite_state(
        w.t_first_s,
        w.p_first_km.xyz,
        w.v_first_km_s.xyz,
        w.t_last_s,
        w.p_last_km.xyz,
        w.v_last_km_s.xyz,
        t_s,
    );
}

// Launch time of an interceptor that reaches the threat at t_s inside w, s.
fn launch_at(w: Window, site_km: vec3<f32>, flyout_km_s: f32, t_s: f32) -> f32 {
    if t_s <= w.t_first_s {
        return w.launch_first_s;
    }
    if t_s >= w.t_last_s {
        return w.launch_last_s;
    }
    let st = window_state(w, t_s);
    return t_s - length(st.p - site_km) / flyout_km_s;
}

// The earliest intercept time inside w whose launch is no earlier than not_before_s (+inf: none).
fn earliest_intercept(w: Window, site_km: vec3<f32>, flyout_km_s: f32, not_before_s: f32) -> f32 {
    if w.t_first_s == f32_inf() {
        return f32_inf();
    }
    if w.launch_first_s >= not_before_s {
        return w.t_first_s;
    }
    let span = w.t_last_s - w.t_first_s;
    var lo = w.t_first_s;
    for (var k = 1u; k <= SCAN_POINTS; k++) {
        var t = w.t_last_s;
        if k != SCAN_POINTS {
            t = w.t_first_s + span * (f32(k) / f32(SCAN_POINTS));
        }
        if launch_at(w, site_km, flyout_km_s, t) >= not_before_s {
            var hi = t;
            for (var i = 0u; i < BISECTIONS; i++) {
                let mid = 0.5 * (lo + hi);
                if launch_at(w, site_km, flyout_km_s, mid) >= not_before_s {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return hi;
        }
        lo = t;
    }
    return f32_inf();
}

// The target's manoeuvre capability at intercept time t_s inside w, g (the divert rule's a_t).
fn manoeuvre_g(class_: ThreatClass, track: ThreatTrack, w: Window, t_s: f32) -> f32 {
    if class_.kind == KIND_CRUISE {
        return class_.weave_g;
    }
    if class_.kind != KIND_GLIDE || (u_params.flags & FLAG_ATMOSPHERE) == 0u {
        return 0.0;
    }
    let st = window_state(w, t_s);
    let alt_km = length(st.p) - EARTH_RADIUS_KM;
    let speed = length(st.v);
    let lift = class_.lift_to_drag * density_kg_m3(alt_km) * speed * speed
        * drag_factor(class_.ballistic_coefficient_kg_m2);
    let factor = select(1.0, DIVE_LIFT_FACTOR, t_s >= track.dive_time_s);
    return in_g(lift * factor);
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

// Draws one engagement decision uses: assessment, warhead order, one per decoy (its kill), one
// per shot at the warhead.
fn decision_draws(decoys: u32, salvo_size: u32) -> u32 {
    return 2u + decoys + salvo_size;
}

// What allocate_trial reads, per trial: slot s of the trial is tracks / outcomes /
// slot_state[first + s] and windows[((first + s) * n_batteries + battery) * MAX_WINDOWS + w].
struct TrialInput {
    seed: vec2<u32>,
    // Global trial index.
    trial: u32,
    // Index of the trial's slot 0 in the chunk's per-slot arrays.
    first: u32,
    // Threat slots (raid size).
    n: u32,
}

// allocate_trial's per-slot state (Rust: counts[s], decisions[s], done[s], decoys_killed[s],
// best[s]).
struct SlotState {
    // Engagements per battery, ENGAGEMENT_COUNT_BITS bits each.
    counts: u32,
    // Decisions made.
    decisions: u32,
    // Nonzero: not to be engaged again.
    done: u32,
    // Decoys killed, one bit each.
    decoys_killed: u32,
    // The best next engagement (Candidate).
    best_launch_s: f32,
    best_t_s: f32,
    best_battery: u32,
    best_window: u32,
    // Per sensor i at [i / 4][i % 4]: when it starts tracking the warhead (assign_tracks;
    // Rust: starts[s]).
    track_start_s: array<vec4<f32>, 4>,
}

// Bits per battery of the packed engagement counts, and the largest count they hold (the cap
// on max_engagements). Twins: ENGAGEMENT_COUNT_BITS and MAX_ENGAGEMENTS in src/base/limits.rs.
const ENGAGEMENT_COUNT_BITS: u32 = 4u;
const MAX_ENGAGEMENTS: u32 = 15u;

fn count_of(packed: u32, b: u32) -> u32 {
    return (packed >> (ENGAGEMENT_COUNT_BITS * b)) & MAX_ENGAGEMENTS;
}

// Offset of the first engagement-decision draw of a slot: after each battery's discrimination
// draw per decoy.
fn decisions_base(slot: u32, n_batteries: u32, decoys: u32) -> u32 {
    return slot_base(slot) + ENGAGE_BASE + n_batteries * decoys;
}

// A slot's best next engagement: the earliest launch over its batteries and windows.
struct Candidate {
    launch_s: f32,
    t_s: f32,
    battery: u32,
    window: u32,
}

fn no_candidate() -> Candidate {
    var c: Candidate;
    c.launch_s = f32_inf();
    c.t_s = f32_inf();
    c.battery = 0u;
    c.window = 0u;
    return c;
}

// Index of window w of battery b for the trial's slot s.
fn window_index(input: TrialInput, s: u32, b: u32, w: u32) -> u32 {
    return ((input.first + s) * u_params.n_batteries + b) * MAX_WINDOWS + w;
}

// Fire channels of all batteries: MAX_BATTERIES * MAX_FIRE_CHANNELS.
const MAX_CHANNEL_SLOTS: u32 = 128u;

// The batteries' capacity state during one trial's allocation (CapacityState in doctrine.rs).
struct CapacityState {
    // Per battery b and fire channel c (index b * MAX_FIRE_CHANNELS + c): when the channel
    // frees (-inf: never used), s.
    channel_free_s: array<f32, MAX_CHANNEL_SLOTS>,
    // Per battery: its last launch (-inf: none yet), s.
    last_launch_s: array<f32, MAX_BATTERIES>,
}

// CapacityState::new: every channel free, no launch yet.
fn capacity_state_new() -> CapacityState {
    var cap: CapacityState;
    for (var k = 0u; k < MAX_CHANNEL_SLOTS; k++) {
        cap.channel_free_s[k] = -f32_inf();
    }
    for (var b = 0u; b < MAX_BATTERIES; b++) {
        cap.last_launch_s[b] = -f32_inf();
    }
    return cap;
}

// Sensor i's entry of a per-sensor record (ThreatTrack::detect_s, lost_s).
fn sensor_time(x: array<vec4<f32>, 4>, i: u32) -> f32 {
    return x[i / 4u][i % 4u];
}

// When sensor i starts tracking the warhead of the trial's slot s (Rust: starts[s][i]).
fn track_start(input: TrialInput, s: u32, i: u32) -> f32 {
    return slot_state[input.first + s].track_start_s[i / 4u][i % 4u];
}

// The earliest launch battery b's own limits and its cueing track allow for slot s, the limits
// in relax ignored (capacity_bound in doctrine.rs).
fn capacity_bound(
    input: TrialInput,
    s: u32,
    b: u32,
    cap: ptr<function, CapacityState>,
    relax: u32,
) -> f32 {
    let bat = u_batteries[b];
    var bound = -f32_inf();
    if bat.fire_channels > 0u && (relax & (1u << CAP_CHANNELS)) == 0u {
        var free = f32_inf();
        for (var c = 0u; c < bat.fire_channels; c++) {
            free = min(free, (*cap).channel_free_s[b * MAX_FIRE_CHANNELS + c]);
        }
        bound = max(bound, free);
    }
    if bat.launch_interval_s > 0.0 && (relax & (1u << CAP_INTERVAL)) == 0u {
        bound = max(bound, (*cap).last_launch_s[b] + bat.launch_interval_s);
    }
    if (relax & (1u << CAP_TRACK)) == 0u {
        let track = tracks[input.first + s];
        var capped = f32_inf();
        var free = f32_inf();
        for (var i = 0u; i < u_params.n_sensors; i++) {
            if (bat.sensor_mask & (1u << i)) != 0u {
                let delay = u_sensors[i].track_delay_s;
                capped = min(capped, track_start(input, s, i) + delay);
                free = min(free, sensor_time(track.detect_s, i) + delay);
            }
        }
        if capped > free {
            bound = max(bound, capped + bat.reaction_time_s);
        }
    }
    return bound;
}

// With the capacity limits: the earliest launch of an intercept in w no later than end_s whose
// launch is no earlier than bound_s (+inf: none), without a search (capacity_launch in
// doctrine.rs).
fn capacity_launch(w: Window, site_km: vec3<f32>, flyout_km_s: f32, bound_s: f32, end_s: f32) -> f32 {
    if end_s < w.t_first_s {
        return f32_inf();
    }
    if w.launch_first_s >= bound_s {
        return w.launch_first_s;
    }
    if launch_at(w, site_km, flyout_km_s, min(end_s, w.t_last_s)) >= bound_s {
        return bound_s;
    }
    return f32_inf();
}

// The intercept time of a chosen engagement found by capacity_launch (intercept_time in
// doctrine.rs).
fn intercept_time(input: TrialInput, s: u32, c: Candidate) -> f32 {
    let bat = u_batteries[c.battery];
    let win = windows[window_index(input, s, c.battery, c.window)];
    let flyout = u_interceptors[bat.interceptor].flyout_speed_km_s;
    let t = earliest_intercept(win, bat.site_km.xyz, flyout, c.launch_s);
    if t == f32_inf() {
        // Only where the launch time is not increasing along the window: its end.
        return win.t_last_s;
    }
    return t;
}

// The earliest-launch engagement of slot s by battery b whose launch is no earlier than
// not_before_s, under the capacity limits but those in relax (battery_candidate in doctrine.rs).
fn battery_candidate(
    input: TrialInput,
    s: u32,
    b: u32,
    not_before_s: f32,
    cap: ptr<function, CapacityState>,
    relax: u32,
) -> Candidate {
    let bat = u_batteries[b];
    let site = bat.site_km.xyz;
    let flyout = u_interceptors[bat.interceptor].flyout_speed_km_s;
    var bound = not_before_s;
    var fire_control = 0u;
    let capacity = (u_params.flags & FLAG_CAPACITY) != 0u;
    if capacity {
        bound = max(bound, capacity_bound(input, s, b, cap, relax));
        if (relax & (1u << CAP_FIRE_CONTROL)) == 0u {
            fire_control = bat.fire_control_mask;
        }
    }
    let track = tracks[input.first + s];
    var best = no_candidate();
    for (var w = 0u; w < MAX_WINDOWS; w++) {
        let win = windows[window_index(input, s, b, w)];
        if win.t_first_s == f32_inf() {
            break;
        }
        if !capacity {
            let t = earliest_intercept(win, site, flyout, bound);
            if t == f32_inf() {
                continue;
            }
            let launch = launch_at(win, site, flyout, t);
            if launch < best.launch_s {
                best.launch_s = launch;
                best.t_s = t;
                best.battery = b;
                best.window = w;
            }
            continue;
        }
        // With the capacity limits the intercept time is found once chosen (+inf until then).
        if fire_control == 0u {
            let launch = capacity_launch(win, site, flyout, bound, win.t_last_s);
            if launch < best.launch_s {
                best.launch_s = launch;
                best.t_s = f32_inf();
                best.battery = b;
                best.window = w;
            }
            continue;
        }
        for (var i = 0u; i < u_params.n_sensors; i++) {
            if (fire_control & (1u << i)) == 0u {
                continue;
            }
            var start = track_start(input, s, i);
            if (relax & (1u << CAP_TRACK)) != 0u {
                start = sensor_time(track.detect_s, i);
            }
            // Launch no earlier than its firm track, intercept no later than it loses the target.
            let firm = start + u_sensors[i].track_delay_s;
            let lost = sensor_time(track.lost_s, i);
            let launch = capacity_launch(win, site, flyout, max(bound, firm), lost);
            if launch < best.launch_s {
                best.launch_s = launch;
                best.t_s = f32_inf();
                best.battery = b;
                best.window = w;
            }
        }
    }
    return best;
}

// The earliest-launch engagement of slot s whose launch is no earlier than not_before_s.
fn best_candidate(
    input: TrialInput,
    s: u32,
    not_before_s: f32,
    counts: u32,
    inventory: ptr<function, array<u32, MAX_BATTERIES>>,
    cap: ptr<function, CapacityState>,
) -> Candidate {
    let nb = u_params.n_batteries;
    var best = no_candidate();
    for (var b = 0u; b < nb; b++) {
        if (*inventory)[b] == 0u || count_of(counts, b) >= u_params.max_engagements {
            continue;
        }
        let c = battery_candidate(input, s, b, not_before_s, cap, 0u);
        if c.launch_s < best.launch_s {
            best = c;
        }
    }
    return best;
}

// One object seen by a sensor of track capacity k whose tracks' release times are the min-heap
// heap[0 .. len]: when its track starts (+inf: never) (track_object in doctrine.rs).
fn track_object(
    heap: ptr<function, array<f32, MAX_TRACK_CAPACITY>>,
    len: ptr<function, u32>,
    k: u32,
    detect_s: f32,
    release_s: f32,
) -> f32 {
    let full = *len >= k;
    var start = detect_s;
    if full {
        start = max(detect_s, (*heap)[0]);
    }
    if start >= release_s {
        return f32_inf();
    }
    if full {
        (*heap)[0] = release_s;
        // Sift down.
        var j = 0u;
        loop {
            let l = 2u * j + 1u;
            if l >= *len {
                break;
            }
            var m = l;
            if l + 1u < *len && (*heap)[l + 1u] < (*heap)[l] {
                m = l + 1u;
            }
            if (*heap)[j] <= (*heap)[m] {
                break;
            }
            let x = (*heap)[j];
            (*heap)[j] = (*heap)[m];
            (*heap)[m] = x;
            j = m;
        }
    } else {
        var j = *len;
        (*heap)[j] = release_s;
        *len += 1u;
        // Sift up.
        loop {
            if j == 0u {
                break;
            }
            let parent = (j - 1u) / 2u;
            if (*heap)[parent] <= (*heap)[j] {
                break;
            }
            let x = (*heap)[parent];
            (*heap)[parent] = (*heap)[j];
            (*heap)[j] = x;
            j = parent;
        }
    }
    return start;
}

// The track capacity of every sensor over the trial: slot_state[first + s].track_start_s
// (assign_tracks in doctrine.rs).
fn assign_tracks(input: TrialInput) {
    let n = input.n;
    var heap: array<f32, MAX_TRACK_CAPACITY>;
    for (var i = 0u; i < u_params.n_sensors; i++) {
        for (var s = 0u; s < n; s++) {
            slot_state[input.first + s].track_start_s[i / 4u][i % 4u] =
                sensor_time(tracks[input.first + s].detect_s, i);
        }
        let k = u_sensors[i].track_capacity;
        if k == 0u {
            continue;
        }
        var len = 0u;
        var prev_t = -f32_inf();
        var prev_s = n;
        for (var r = 0u; r < n; r++) {
            // The next slot in detection order (ties to the lower slot).
            var next = n;
            var next_t = f32_inf();
            for (var q = 0u; q < n; q++) {
                let t = track_start(input, q, i);
                let after = t > prev_t || (t == prev_t && (prev_s == n || q > prev_s));
                if t != f32_inf() && after && t < next_t {
                    next = q;
                    next_t = t;
                }
            }
            if next == n {
                break;
            }
            prev_t = next_t;
            prev_s = next;
            let track = tracks[input.first + next];
            let lost = sensor_time(track.lost_s, i);
            slot_state[input.first + next].track_start_s[i / 4u][i % 4u] =
                track_object(&heap, &len, k, next_t, lost);
            if next_t < track.strip_time_s {
                let release = min(lost, track.strip_time_s);
                let decoys = u_classes[track.class_id].decoys;
                for (var d = 0u; d < decoys; d++) {
                    track_object(&heap, &len, k, next_t, release);
                }
            }
        }
    }
}

// After battery b engages at candidate c: the engagement holds the fire channel that frees
// first until its intercept, and is the battery's last launch (record_launch in doctrine.rs).
fn record_launch(b: u32, c: Candidate, cap: ptr<function, CapacityState>) {
    let bat = u_batteries[b];
    if bat.fire_channels > 0u {
        let base = b * MAX_FIRE_CHANNELS;
        var first = base;
        for (var k = 1u; k < bat.fire_channels; k++) {
            if (*cap).channel_free_s[base + k] < (*cap).channel_free_s[first] {
                first = base + k;
            }
        }
        (*cap).channel_free_s[first] = c.t_s;
    }
    (*cap).last_launch_s[b] = c.launch_s;
}

// The capacity limits without which battery b would have engaged slot s earlier than at
// launch_s (+inf: not at all), each relaxed alone (bound_by in doctrine.rs).
fn bound_by(
    input: TrialInput,
    s: u32,
    b: u32,
    not_before_s: f32,
    launch_s: f32,
    cap: ptr<function, CapacityState>,
) -> u32 {
    var bits = 0u;
    for (var x = 0u; x < CAP_LIMITS; x++) {
        let relaxed = battery_candidate(input, s, b, not_before_s, cap, 1u << x);
        if relaxed.launch_s < launch_s {
            bits |= 1u << (CAP_LIMITS * b + x);
        }
    }
    return bits;
}

// Earliest launch allowed for a slot's next engagement (not_before in doctrine.rs).
fn not_before(out: ThreatOutcome) -> f32 {
    if u_params.mode == MODE_SHOOT_LOOK_SHOOT {
        return out.last_engagement_s + u_params.kill_assessment_s;
    }
    return -f32_inf();
}

// Stores a candidate in the slot state.
fn set_best(k: u32, c: Candidate) {
    slot_state[k].best_launch_s = c.launch_s;
    slot_state[k].best_t_s = c.t_s;
    slot_state[k].best_battery = c.battery;
    slot_state[k].best_window = c.window;
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
    let capacity = (p.flags & FLAG_CAPACITY) != 0u;
    // Only with the limits (its set-up loops would count against lavapipe's limit otherwise).
    var cap: CapacityState;
    if capacity {
        cap = capacity_state_new();
        assign_tracks(input);
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
        out.battery_engagements = 0u;
        out.window_mask = 0u;
        out.leak_reason = LEAK_NONE;
        out.capacity_bound = 0u;
        out.battery_interceptors_lo = vec4<u32>(0u);
        out.battery_interceptors_hi = vec4<u32>(0u);
        outcomes[input.first + s] = out;
        let failed = (track.flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED)) != 0u;
        // Members by name: track_start_s was written by assign_tracks.
        slot_state[input.first + s].counts = 0u;
        slot_state[input.first + s].decisions = 0u;
        slot_state[input.first + s].done = select(0u, 1u, failed);
        slot_state[input.first + s].decoys_killed = 0u;
        var c = no_candidate();
        if !failed {
            c = best_candidate(input, s, not_before(out), 0u, &inventory, &cap);
        }
        set_best(input.first + s, c);
    }
    loop {
        // The earliest launch over all slots; ties to the lower slot.
        var best_launch = inf;
        var s = 0u;
        for (var k = 0u; k < n; k++) {
            let st = slot_state[input.first + k];
            let l = st.best_launch_s;
            if st.done != 0u || l == inf {
                continue;
            }
            if l < best_launch {
                best_launch = l;
                s = k;
            }
        }
        if best_launch == inf {
            break;
        }
        let k = input.first + s;
        let st = slot_state[k];
        var c: Candidate;
        c.launch_s = st.best_launch_s;
        c.t_s = st.best_t_s;
        c.battery = st.best_battery;
        c.window = st.best_window;
        if capacity {
            c.t_s = intercept_time(input, s, c);
        }
        let b = c.battery;
        if capacity {
            let bits = bound_by(input, s, b, not_before(outcomes[k]), c.launch_s, &cap);
            outcomes[k].capacity_bound |= bits;
            record_launch(b, c, &cap);
        }
        var out = outcomes[k];
        var killed_decoys = st.decoys_killed;
        let given_up = engage(input, sspk, s, c, st.decisions, &inventory, &killed_decoys, &out);
        outcomes[k] = out;
        slot_state[k].decoys_killed = killed_decoys;
        let counts = st.counts + (1u << (ENGAGEMENT_COUNT_BITS * b));
        slot_state[k].counts = counts;
        slot_state[k].decisions = st.decisions + 1u;
        if given_up {
            slot_state[k].done = 1u;
        } else {
            set_best(k, best_candidate(input, s, not_before(out), counts, &inventory, &cap));
        }
        // With fire channels or a launch interval, the battery's next launch is no earlier
        // than `ready` now: the engagements planned with it before that look again.
        var ready = -inf;
        if capacity {
            ready = capacity_bound(input, s, b, &cap, 1u << CAP_TRACK);
        }
        if inventory[b] == 0u || ready > -inf {
            // Slots whose best engagement was with the emptied (or now busier) battery look
            // again.
            for (var q = 0u; q < n; q++) {
                let sq = slot_state[input.first + q];
                let stale = inventory[b] == 0u || sq.best_launch_s < ready;
                if sq.done == 0u && sq.best_launch_s != inf && sq.best_battery == b && stale {
                    let cq = best_candidate(
                        input,
                        q,
                        not_before(outcomes[input.first + q]),
                        sq.counts,
                        &inventory,
                        &cap,
                    );
                    set_best(input.first + q, cq);
                }
            }
        }
    }
    if capacity {
        // Engagements the limits prevented (see allocate_trial in doctrine.rs).
        for (var s = 0u; s < n; s++) {
            let st = slot_state[input.first + s];
            if st.done != 0u {
                continue;
            }
            for (var b = 0u; b < nb; b++) {
                if inventory[b] == 0u || count_of(st.counts, b) >= p.max_engagements {
                    continue;
                }
                let bits = bound_by(
                    input,
                    s,
                    b,
                    not_before(outcomes[input.first + s]),
                    inf,
                    &cap,
                );
                outcomes[input.first + s].capacity_bound |= bits;
            }
        }
    }
    attribute_trial(input);
}

// One engagement decision against slot s: candidate c (battery, window, intercept time).
// Returns true when the slot is not to be engaged again.
fn engage(
    input: TrialInput,
    sspk: array<f32, MAX_INTERCEPTORS>,
    s: u32,
    c: Candidate,
    decision: u32,
    inventory: ptr<function, array<u32, MAX_BATTERIES>>,
    decoys_killed: ptr<function, u32>,
    out: ptr<function, ThreatOutcome>,
) -> bool {
    let p = u_params;
    let nb = p.n_batteries;
    let b = c.battery;
    let t = c.t_s;
    let track = tracks[input.first + s];
    let class_ = u_classes[track.class_id];
    let bat = u_batteries[b];
    let w = windows[window_index(input, s, b, c.window)];
    // This battery's discrimination of each decoy, decided once (the same draws every time).
    var discriminated = 0u;
    var drng = trial_rng(input.seed, input.trial, slot_base(s) + ENGAGE_BASE + b * class_.decoys);
    for (var d = 0u; d < class_.decoys; d++) {
        if pcg_uniform(&drng) < class_.discrimination_probability {
            discriminated |= 1u << d;
        }
    }
    let offset = decisions_base(s, nb, class_.decoys) + decision * decision_draws(class_.decoys, p.salvo_size);
    var rng = trial_rng(input.seed, input.trial, offset);
    let u_assess = pcg_uniform(&rng);
    let u_order = pcg_uniform(&rng);
    // Decoys still flying (above the strip altitude), not discriminated, not killed.
    var live = 0u;
    for (var d = 0u; d < class_.decoys; d++) {
        if t < track.strip_time_s && ((discriminated | *decoys_killed) & (1u << d)) == 0u {
            live |= 1u << d;
        }
    }
    let n_live = countOneBits(live);
    let salvo = p.salvo_size;
    let objects = n_live + 1u;
    let place = min(u32(u_order * f32(objects)), n_live);
    let available = (*inventory)[b];
    let at_warhead = shots_at(available, place, salvo);
    let used = min(salvo * objects, available);
    (*inventory)[b] = available - used;
    (*out).interceptors += at_warhead;
    (*out).decoy_interceptors += used - at_warhead;
    (*out).last_engagement_s = t;
    record_engagement(out, b, used);
    let base_sspk = sspk[bat.interceptor];
    // One draw per decoy: a live decoy is killed by the shots at it.
    var k_live = 0u;
    for (var d = 0u; d < class_.decoys; d++) {
        let u = pcg_uniform(&rng);
        if (live & (1u << d)) != 0u {
            let position = select(k_live + 1u, k_live, k_live < place);
            let shots = shots_at(available, position, salvo);
            var miss = 1.0;
            for (var q = 0u; q < shots; q++) {
                miss *= 1.0 - base_sspk;
            }
            let p_kill = 1.0 - miss;
            if shots > 0u && u < p_kill {
                *decoys_killed |= 1u << d;
            }
            k_live += 1u;
        }
    }
    let interceptor = u_interceptors[bat.interceptor];
    let a_t = manoeuvre_g(class_, track, w, t);
    let pk = shot_kill_probability(base_sspk, interceptor.divert_g, a_t);
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

// Interceptors an object at `position` in the firing order gets from `available`:
// available.saturating_sub(position * salvo).min(salvo).
fn shots_at(available: u32, position: u32, salvo: u32) -> u32 {
    let before = position * salvo;
    return min(select(0u, available - before, available > before), salvo);
}

// Records who fired: one more engagement of the slot by battery b, with `used` interceptors
// (warhead and decoys).
fn record_engagement(out: ptr<function, ThreatOutcome>, b: u32, used: u32) {
    (*out).battery_engagements += 1u << (ENGAGEMENT_COUNT_BITS * b);
    if b < 4u {
        (*out).battery_interceptors_lo[b] += used;
    } else {
        (*out).battery_interceptors_hi[b - 4u] += used;
    }
}

// After the allocation: each slot's window mask and why it was not killed (LEAK_*).
fn attribute_trial(input: TrialInput) {
    let nb = u_params.n_batteries;
    for (var s = 0u; s < input.n; s++) {
        var mask = 0u;
        for (var b = 0u; b < nb; b++) {
            // Windows are in time order: the first is unused only when there is none.
            if windows[window_index(input, s, b, 0u)].t_first_s != f32_inf() {
                mask |= 1u << b;
            }
        }
        let k = input.first + s;
        var out = outcomes[k];
        out.window_mask = mask;
        out.leak_reason = leak_reason(tracks[k], out);
        outcomes[k] = out;
    }
}

// Why a slot was not killed (LEAK_*), from its track and its allocation.
fn leak_reason(track: ThreatTrack, out: ThreatOutcome) -> u32 {
    if out.outcome == OUTCOME_KILLED {
        return LEAK_NONE;
    }
    if out.interceptors > 0u {
        return LEAK_MISSED;
    }
    if out.window_mask != 0u {
        if out.capacity_bound != 0u {
            return LEAK_CAPACITY;
        }
        return LEAK_INVENTORY_OUT;
    }
    let failed = (track.flags & (TRACK_FAILED | TRACK_SYSTEM_FAILED)) != 0u;
    // A NaN time counts as no track.
    let tracked = track.track_time_s < track.impact_time_s;
    if failed || !tracked {
        return LEAK_NO_TRACK;
    }
    for (var b = 0u; b < u_params.n_batteries; b++) {
        if track.track_time_s + u_batteries[b].reaction_time_s < track.impact_time_s {
            return LEAK_NO_WINDOW;
        }
    }
    return LEAK_NOT_IN_TIME;
}
