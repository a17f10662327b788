//! The event tracker: follows one threat's trajectory segment by segment, records when each
//! radar first sees it (the crossing interpolated inside the step), the firm-track time each
//! battery gets from its cueing sensors, every window of feasible intercept times of each
//! battery (up to `MAX_WINDOWS`, with the threat's state at both ends), when a glider's dive
//! starts and when the threat descends below the decoy-strip altitude (docs/model.md
//! section 9).
//!
//! Inside a step the constraints are made monotone by splitting the step: a battery's at the
//! altitude extremum (p.v = 0) and at the closest approach of the ground track to its site
//! (d/dt of p^.s^ = 0), a sensor's where its range margin and its elevation margin turn
//! (`turn_time`), the state there interpolated by cubic Hermite. On each piece every
//! constraint is feasible on one interval (entered or left once), so the conjunction's entry and
//! exit are found inside the piece, and a window shorter than a step, whose constraints hand
//! over inside it (altitude stops being satisfied while the ground range becomes satisfied), is
//! not lost. The launch-time condition is taken as monotone on each piece. Each crossing is the
//! linear one refined by three regula-falsi (Illinois) iterations on the margin along the step's Hermite
//! interpolant (`refine_crossing`), so steps of tens of seconds place events as well as short
//! ones.

#![allow(clippy::needless_range_loop)] // index loops keep the code comparable to the WGSL twin

use super::envelope::{
    envelope_geometry, envelope_margins, launch_time_for, out_of_range_all_step, EnvelopeGeometry,
};
use super::sensors::{detection_range_km, sensor_margin};
use crate::base::limits::{MAX_BATTERIES, MAX_SENSORS, MAX_WINDOWS};
use crate::base::{Real, V3};
pub use crate::kernel::physics::propagate::crossing_time;
use crate::kernel::physics::propagate::{hermite_state, Observer, Sample, PHASE_DIVE};
use crate::model::types::{Battery, Interceptor, Sensor, Window};

/// The margins an event crossing is refined on (`EventTracker::event_margin`); the index is
/// the sensor's or the battery's.
pub const EVENT_SENSOR: u32 = 0;
pub const EVENT_FLOOR: u32 = 1;
pub const EVENT_CEILING: u32 = 2;
pub const EVENT_RANGE: u32 = 3;
/// Launch time for an intercept there minus the battery's ready time.
pub const EVENT_LAUNCH: u32 = 4;
/// Altitude above the decoy-strip altitude.
pub const EVENT_STRIP: u32 = 5;

/// The flight's state at `t_s` inside the segment from `a` to `b` (cubic Hermite).
#[inline(always)]
pub fn sample_at<F: Real>(a: &Sample<F>, b: &Sample<F>, t_s: F) -> Sample<F> {
    let (p, v) = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t_s);
    Sample {
        t_s,
        p,
        v,
        accel_g: F::zero(),
        phase: b.phase,
    }
}

/// Sign-carrying rate of change of p^.s^ (the cosine of the ground angle to the site along the
/// ground track): (v.s)(p.p) - (p.s)(p.v), |p|^3 times the derivative.
#[inline(always)]
pub fn ground_rate<F: Real>(site_dir: V3<F>, s: &Sample<F>) -> F {
    s.v.dot(site_dir) * s.p.dot(s.p) - s.p.dot(site_dir) * s.p.dot(s.v)
}

/// Rate of change of the squared slant range from sensor `s` to sample `x`, over 2, km^2/s:
/// zero at the closest approach in three dimensions, where the range margin turns.
#[inline(always)]
pub fn range_rate<F: Real>(s: &Sensor, x: &Sample<F>) -> F {
    (x.p - V3::from4(s.site_km)).dot(x.v)
}

/// Rate of change of the elevation margin `d.up - |d| sin(e)` of sensor `s` at sample `x`,
/// km/s: zero where the elevation margin turns.
#[inline(always)]
pub fn elevation_rate<F: Real>(s: &Sensor, x: &Sample<F>) -> F {
    let d = x.p - V3::from4(s.site_km);
    let up = V3::from4(s.up);
    x.v.dot(up) - d.dot(x.v) / d.length() * F::p(s.up[3])
}

/// `range_rate` (`elevation` false) or `elevation_rate` (true) of sensor `s` at sample `x`.
#[inline(always)]
pub fn turn_rate<F: Real>(s: &Sensor, x: &Sample<F>, elevation: bool) -> F {
    if elevation {
        elevation_rate(s, x)
    } else {
        range_rate(s, x)
    }
}

/// Where in (a, b) sensor `s`'s range margin (`elevation` false) or elevation margin (true)
/// turns (`turn_rate` changes sign), or +inf: the linear crossing of the rate, then one regula
/// falsi iteration on the interpolant's rate (the linear estimate alone was seconds off over a
/// long step, and a margin sampled there missed a detection the flight made).
#[inline(always)]
pub fn turn_time<F: Real>(s: &Sensor, a: &Sample<F>, b: &Sample<F>, elevation: bool) -> F {
    let (fa, fb) = (turn_rate(s, a, elevation), turn_rate(s, b, elevation));
    let t0 = sign_change_time(a.t_s, b.t_s, fa, fb);
    if t0 == F::infinity() {
        return t0;
    }
    let f0 = turn_rate(s, &sample_at(a, b, t0), elevation);
    refine_turn(a.t_s, b.t_s, fa, fb, t0, f0)
}

/// One regula falsi iteration for the zero of a rate with values `fa` at `ta`, `fb` at `tb`
/// (opposite signs) and `f0` at the first estimate `t0`: the crossing in the half that keeps
/// the sign change.
#[inline(always)]
pub fn refine_turn<F: Real>(ta: F, tb: F, fa: F, fb: F, t0: F, f0: F) -> F {
    if f0 == F::zero() {
        return t0;
    }
    if (f0 > F::zero()) == (fa > F::zero()) {
        crossing_time(t0, tb, f0, fb)
    } else {
        crossing_time(ta, t0, fa, f0)
    }
}

/// Time inside (ta, tb) where a quantity with values `fa`, `fb` changes sign (linear), or +inf.
#[inline(always)]
pub fn sign_change_time<F: Real>(ta: F, tb: F, fa: F, fb: F) -> F {
    if (fa < F::zero() && fb > F::zero()) || (fa > F::zero() && fb < F::zero()) {
        return crossing_time(ta, tb, fa, fb);
    }
    F::infinity()
}

/// Narrows `iv = [lo, hi, empty]` to where a constraint with margins `mx` at the piece's start
/// and `my` at its end (monotone in between, crossing zero at `tc` when the signs differ) holds:
/// the whole piece, the part after its entry, the part before its exit, or nothing (`empty` set
/// to 1).
#[inline(always)]
pub fn clip_interval<F: Real>(iv: &mut [F; 3], mx: F, my: F, tc: F) {
    let in_x = mx >= F::zero();
    let in_y = my >= F::zero();
    if in_x && in_y {
        return;
    }
    if !in_x && !in_y {
        iv[2] = F::one();
        return;
    }
    if in_y {
        iv[0] = iv[0].max(tc);
    } else {
        iv[1] = iv[1].min(tc);
    }
}

/// One battery's view of the flight.
#[derive(Clone, Copy, Debug, Default)]
struct BatteryTrack<F> {
    /// Envelope margins (floor, ceiling, range) at the last point seen, km.
    margin_prev: [F; 3],
    /// Launch time for an intercept at the last point seen, s.
    launch_prev: F,
    /// A window is open.
    open: bool,
    /// Windows written so far.
    count: u32,
    /// The open window's entry point and its launch time.
    first: Sample<F>,
    launch_first: F,
}

/// Observer of one threat's flight that produces its track and battery windows.
pub struct EventTracker<'a, F: Real> {
    sensors: &'a [Sensor],
    batteries: &'a [Battery],
    /// `batteries.len() * MAX_WINDOWS` windows, battery-major, written as they close.
    windows: &'a mut [Window],
    /// When false (track or system failure) the defense never sees the threat.
    enabled: bool,
    range_km: [F; MAX_SENSORS],
    sensor_prev: [F; MAX_SENSORS],
    /// First detection per sensor (+inf: never), s.
    pub detect_s: [F; MAX_SENSORS],
    /// When the threat first leaves each sensor's coverage after its detection, or the
    /// flight's end (+inf: not detected, or `track_loss` unset), s.
    pub lost_s: [F; MAX_SENSORS],
    /// Whether to record `lost_s` (`FLAG_CAPACITY`; docs/model.md section 9, "Capacity").
    pub track_loss: bool,
    geometry: [EnvelopeGeometry<F>; MAX_BATTERIES],
    /// Firm track plus reaction time per battery (+inf: no track yet), s.
    ready_s: [F; MAX_BATTERIES],
    battery: [BatteryTrack<F>; MAX_BATTERIES],
    strip_altitude_km: F,
    /// Whether the threat has been above the strip altitude (decoys exist only then).
    above_strip: bool,
    pub strip_time_s: F,
    /// When a glider's terminal dive starts (+inf: never), s.
    pub dive_time_s: F,
}

impl<'a, F: Real> EventTracker<'a, F> {
    pub fn new(
        sensors: &'a [Sensor],
        batteries: &'a [Battery],
        interceptors: &[Interceptor],
        windows: &'a mut [Window],
        rcs_m2: F,
        strip_altitude_km: F,
        enabled: bool,
    ) -> Self {
        let inf = F::infinity();
        let mut t = EventTracker {
            sensors,
            batteries,
            windows,
            enabled,
            range_km: [F::zero(); MAX_SENSORS],
            sensor_prev: [-inf; MAX_SENSORS],
            detect_s: [inf; MAX_SENSORS],
            lost_s: [inf; MAX_SENSORS],
            track_loss: false,
            geometry: [EnvelopeGeometry::default(); MAX_BATTERIES],
            ready_s: [inf; MAX_BATTERIES],
            battery: [BatteryTrack::default(); MAX_BATTERIES],
            strip_altitude_km,
            above_strip: false,
            strip_time_s: inf,
            dive_time_s: inf,
        };
        for (i, s) in sensors.iter().enumerate() {
            t.range_km[i] = detection_range_km(s, rcs_m2);
        }
        for (i, b) in batteries.iter().enumerate() {
            t.geometry[i] = envelope_geometry(b, &interceptors[b.interceptor as usize]);
        }
        t
    }

    /// First firm track by any sensor (+inf: never), s.
    pub fn track_time_s(&self) -> F {
        let mut t = F::infinity();
        for (i, s) in self.sensors.iter().enumerate() {
            t = t.min(self.detect_s[i] + F::p(s.track_delay_s));
        }
        t
    }

    /// Closes the windows still open at the flight's last sample and marks the unused ones.
    pub fn finish(&mut self, last: &Sample<F>) {
        if self.track_loss {
            // Still in coverage at the end: the track ends with the flight.
            for i in 0..self.sensors.len() {
                if self.detect_s[i] != F::infinity() && self.lost_s[i] == F::infinity() {
                    self.lost_s[i] = last.t_s;
                }
            }
        }
        for j in 0..self.batteries.len() {
            if self.battery[j].open {
                self.close_window(j, *last);
            }
            for w in self.battery[j].count as usize..MAX_WINDOWS {
                self.windows[j * MAX_WINDOWS + w] = Window::NONE;
            }
        }
        if self.strip_time_s == F::infinity() {
            // Never came down through the strip altitude: decoys to the end if it was ever
            // above it, else never any decoys.
            self.strip_time_s = if self.above_strip {
                last.t_s
            } else {
                -F::infinity()
            };
        }
    }

    /// Firm track plus reaction time of every battery from the detections so far.
    fn update_ready(&mut self) {
        for (j, bat) in self.batteries.iter().enumerate() {
            let mut track = F::infinity();
            for (i, s) in self.sensors.iter().enumerate() {
                if bat.sensor_mask & (1u32 << i) != 0 {
                    track = track.min(self.detect_s[i] + F::p(s.track_delay_s));
                }
            }
            self.ready_s[j] = track + F::p(bat.reaction_time_s);
        }
    }

    /// The first sample: detections and windows that hold there start at its time.
    fn start_events(&mut self, s: &Sample<F>) {
        for (i, sensor) in self.sensors.iter().enumerate() {
            let m = sensor_margin(sensor, self.range_km[i], s.p);
            if m >= F::zero() {
                self.detect_s[i] = s.t_s;
            }
            self.sensor_prev[i] = m;
        }
        self.update_ready();
        for j in 0..self.batteries.len() {
            let g = self.geometry[j];
            let m = envelope_margins(&g, s.p);
            let launch = launch_time_for(&g, s.t_s, s.p);
            self.battery[j].margin_prev = m;
            self.battery[j].launch_prev = launch;
            let feasible = m[0] >= F::zero()
                && m[1] >= F::zero()
                && m[2] >= F::zero()
                && launch - self.ready_s[j] >= F::zero();
            if feasible {
                self.open_window(j, *s);
            }
        }
    }

    /// The margin `kind` (`EVENT_*`) of sensor or battery `idx` at `s`.
    fn event_margin(&self, kind: u32, idx: usize, s: &Sample<F>) -> F {
        if kind == EVENT_SENSOR {
            return sensor_margin(&self.sensors[idx], self.range_km[idx], s.p);
        }
        if kind == EVENT_STRIP {
            return s.altitude_km() - self.strip_altitude_km;
        }
        let g = &self.geometry[idx];
        if kind == EVENT_LAUNCH {
            return launch_time_for(g, s.t_s, s.p) - self.ready_s[idx];
        }
        let m = envelope_margins(g, s.p);
        if kind == EVENT_FLOOR {
            m[0]
        } else if kind == EVENT_CEILING {
            m[1]
        } else {
            m[2]
        }
    }

    /// Where margin `kind` of `idx` crosses zero between times `tx` (margin `mx`) and `ty`
    /// (`my`, of the other sign) inside the step from `a` to `b`: the linear crossing, then three
    /// regula-falsi (Illinois) iterations on the margin at the step's Hermite interpolant (written out, no
    /// loop, like the WGSL twin).
    #[allow(clippy::too_many_arguments)]
    fn refine_crossing(
        &self,
        kind: u32,
        idx: usize,
        a: &Sample<F>,
        b: &Sample<F>,
        tx: F,
        ty: F,
        mx: F,
        my: F,
    ) -> F {
        let mut ta = tx;
        let mut tb = ty;
        let mut fa = mx;
        let mut fb = my;
        let t1 = crossing_time(ta, tb, fa, fb);
        let f1 = self.event_margin(kind, idx, &sample_at(a, b, t1));
        let kept_b = (f1 >= F::zero()) == (fa >= F::zero());
        if kept_b {
            ta = t1;
            fa = f1;
        } else {
            tb = t1;
            fb = f1;
        }
        // Illinois: the end kept twice has its margin halved, so the next estimate moves past
        // the stagnation of plain regula falsi.
        let t2 = if kept_b {
            crossing_time(ta, tb, fa, fb * F::c(0.5))
        } else {
            crossing_time(ta, tb, fa * F::c(0.5), fb)
        };
        let f2 = self.event_margin(kind, idx, &sample_at(a, b, t2));
        let kept_b2 = (f2 >= F::zero()) == (fa >= F::zero());
        if kept_b2 {
            ta = t2;
            fa = f2;
        } else {
            tb = t2;
            fb = f2;
        }
        // A third iteration: over a step of 128 s a curved margin left the second estimate
        // tenths of a second from the crossing.
        let t3 = if kept_b2 == kept_b {
            if kept_b2 {
                crossing_time(ta, tb, fa, fb * F::c(0.5))
            } else {
                crossing_time(ta, tb, fa * F::c(0.5), fb)
            }
        } else {
            crossing_time(ta, tb, fa, fb)
        };
        let f3 = self.event_margin(kind, idx, &sample_at(a, b, t3));
        if (f3 >= F::zero()) == (fa >= F::zero()) {
            ta = t3;
            fa = f3;
        } else {
            tb = t3;
            fb = f3;
        }
        crossing_time(ta, tb, fa, fb)
    }

    /// Sensor `i` over the segment from `a` (margin `ma`) to `b` (margin `mb`), split where
    /// its range margin turns (the closest approach to the site in three dimensions) and where
    /// its elevation margin turns (`turn_time`): the first time the margin is >= 0 (`entering`:
    /// a detection) or < 0 (not `entering`: a track lost), or +inf. (Splitting at the altitude
    /// extremum and the ground track's closest approach, as for a battery, missed a detection
    /// by a 2.6 km margin inside a 128 s step that neither split point saw; a track that
    /// leaves coverage and comes back inside one long step is lost there, as with short steps.)
    fn sensor_crossing(
        &self,
        i: usize,
        a: &Sample<F>,
        b: &Sample<F>,
        ma: F,
        mb: F,
        entering: bool,
    ) -> F {
        let sensor = &self.sensors[i];
        let t_range = turn_time(sensor, a, b, false);
        let t_elev = turn_time(sensor, a, b, true);
        let t1 = t_range.min(t_elev);
        let t2 = t_range.max(t_elev);
        let mut tx = a.t_s;
        let mut mx = ma;
        if t1 < b.t_s {
            let m1 = self.event_margin(EVENT_SENSOR, i, &sample_at(a, b, t1));
            if (m1 >= F::zero()) == entering {
                return self.refine_crossing(EVENT_SENSOR, i, a, b, tx, t1, mx, m1);
            }
            tx = t1;
            mx = m1;
        }
        if t2 < b.t_s && t2 > t1 {
            let m2 = self.event_margin(EVENT_SENSOR, i, &sample_at(a, b, t2));
            if (m2 >= F::zero()) == entering {
                return self.refine_crossing(EVENT_SENSOR, i, a, b, tx, t2, mx, m2);
            }
            tx = t2;
            mx = m2;
        }
        if (mb >= F::zero()) == entering {
            return self.refine_crossing(EVENT_SENSOR, i, a, b, tx, b.t_s, mx, mb);
        }
        F::infinity()
    }

    fn update_sensors(&mut self, a: &Sample<F>, b: &Sample<F>) {
        let mut changed = false;
        for i in 0..self.sensors.len() {
            if self.detect_s[i] != F::infinity() {
                if self.track_loss && self.lost_s[i] == F::infinity() {
                    // The first exit from coverage after the detection ends the track (found
                    // like a detection: split where the margins turn, root-found between).
                    let m = sensor_margin(&self.sensors[i], self.range_km[i], b.p);
                    let prev = self.sensor_prev[i].max(F::zero());
                    self.lost_s[i] = self.sensor_crossing(i, a, b, prev, m, false);
                    self.sensor_prev[i] = m;
                }
                continue;
            }
            let m = sensor_margin(&self.sensors[i], self.range_km[i], b.p);
            let t = if self.sensor_prev[i] >= F::zero() {
                a.t_s
            } else {
                self.sensor_crossing(i, a, b, self.sensor_prev[i], m, true)
            };
            if t != F::infinity() {
                self.detect_s[i] = t;
                changed = true;
            }
            self.sensor_prev[i] = m;
        }
        if changed {
            self.update_ready();
        }
    }

    /// Opens battery `j`'s next window at `entry` (if the cap allows).
    fn open_window(&mut self, j: usize, entry: Sample<F>) {
        let mut bt = self.battery[j];
        open_window_of(&mut bt, &self.geometry[j], entry);
        self.battery[j] = bt;
    }

    /// Closes battery `j`'s open window at `exit` and writes it out.
    fn close_window(&mut self, j: usize, exit: Sample<F>) {
        let mut bt = self.battery[j];
        let g = self.geometry[j];
        self.close_window_of(&mut bt, j, &g, exit);
        self.battery[j] = bt;
    }

    /// Closes the open window of battery `j` (state `bt`, geometry `g`) at `exit` and writes
    /// it out.
    fn close_window_of(
        &mut self,
        bt: &mut BatteryTrack<F>,
        j: usize,
        g: &EnvelopeGeometry<F>,
        exit: Sample<F>,
    ) {
        let launch = launch_time_for(g, exit.t_s, exit.p);
        let f = bt.first;
        let v4 = |v: V3<F>| {
            [
                v.x.to_f64() as f32,
                v.y.to_f64() as f32,
                v.z.to_f64() as f32,
                0.0,
            ]
        };
        self.windows[j * MAX_WINDOWS + bt.count as usize] = Window {
            t_first_s: f.t_s.to_f64() as f32,
            t_last_s: exit.t_s.to_f64() as f32,
            launch_first_s: bt.launch_first.to_f64() as f32,
            launch_last_s: launch.to_f64() as f32,
            p_first_km: v4(f.p),
            v_first_km_s: v4(f.v),
            p_last_km: v4(exit.p),
            v_last_km_s: v4(exit.v),
        };
        bt.count += 1;
        bt.open = false;
    }

    /// Battery `j` over the segment from `a` to `b`, split where a constraint can turn. A step
    /// that stays below the band's floor or above its ceiling by more than it can move
    /// (`h (|v_a| + |v_b|)`, a bound on the distance from either end), or that starts too far
    /// from the site to come within its ground range (`out_of_range_all_step`), cannot hold a
    /// window: only the margins at `b` are kept. The battery's state, geometry and ready time are
    /// read once into locals and its state written back once (the WGSL twin's per-battery
    /// arrays are indexed by `j`, which a SIMD software driver gathers lane by lane at every
    /// access).
    fn update_battery(&mut self, j: usize, a: &Sample<F>, b: &Sample<F>, t_alt: F) {
        let mut bt = self.battery[j];
        let g = self.geometry[j];
        let ready = self.ready_s[j];
        if !bt.open {
            let reach = (b.t_s - a.t_s) * (a.v.length() + b.v.length());
            let m = envelope_margins(&g, b.p);
            let below = bt.margin_prev[0] < -reach && m[0] < -reach;
            let above = bt.margin_prev[1] < -reach && m[1] < -reach;
            if below || above || out_of_range_all_step(&g, bt.margin_prev[2], reach) {
                self.battery[j].margin_prev = m;
                self.battery[j].launch_prev = launch_time_for(&g, b.t_s, b.p);
                return;
            }
        }
        let site_dir = g.site_dir;
        let t_site = sign_change_time(
            a.t_s,
            b.t_s,
            ground_rate(site_dir, a),
            ground_rate(site_dir, b),
        );
        let t1 = t_alt.min(t_site);
        let t2 = t_alt.max(t_site);
        let mut x = *a;
        if t1 < b.t_s {
            let y = sample_at(a, b, t1);
            self.update_piece(&mut bt, j, &g, ready, a, b, &x, &y);
            x = y;
        }
        if t2 < b.t_s && t2 > t1 {
            let y = sample_at(a, b, t2);
            self.update_piece(&mut bt, j, &g, ready, a, b, &x, &y);
            x = y;
        }
        self.update_piece(&mut bt, j, &g, ready, a, b, &x, b);
        self.battery[j] = bt;
    }

    /// Narrows `iv` by constraint `kind` of battery `j` on the piece from `x` to `y` of the step
    /// from `a` to `b` (margins `mx`, `my` at the piece's ends).
    #[allow(clippy::too_many_arguments)]
    fn clip_constraint(
        &self,
        iv: &mut [F; 3],
        kind: u32,
        j: usize,
        a: &Sample<F>,
        b: &Sample<F>,
        x: &Sample<F>,
        y: &Sample<F>,
        mx: F,
        my: F,
    ) {
        let mut tc = y.t_s;
        if (mx >= F::zero()) != (my >= F::zero()) {
            tc = self.refine_crossing(kind, j, a, b, x.t_s, y.t_s, mx, my);
        }
        clip_interval(iv, mx, my, tc);
    }

    /// Battery `j` (state `bt`, geometry `g`, firm track plus reaction time `ready`) over a
    /// piece from `x` to `y` of the step from `a` to `b` on which every constraint is
    /// monotone: the feasible part of the piece is the intersection of one interval per
    /// constraint.
    #[allow(clippy::too_many_arguments)] // mirrors the WGSL function's parameters
    fn update_piece(
        &mut self,
        bt: &mut BatteryTrack<F>,
        j: usize,
        g: &EnvelopeGeometry<F>,
        ready: F,
        a: &Sample<F>,
        b: &Sample<F>,
        x: &Sample<F>,
        y: &Sample<F>,
    ) {
        let m = envelope_margins(g, y.p);
        let launch = launch_time_for(g, y.t_s, y.p);
        let mx = [
            bt.margin_prev[0],
            bt.margin_prev[1],
            bt.margin_prev[2],
            bt.launch_prev - ready,
        ];
        let my = [m[0], m[1], m[2], launch - ready];
        // [lo, hi, empty]: the four constraints' intervals intersected, one call each (no loop:
        // lavapipe counts every loop iteration against its per-invocation limit).
        let mut iv = [x.t_s, y.t_s, F::zero()];
        self.clip_constraint(&mut iv, EVENT_FLOOR, j, a, b, x, y, mx[0], my[0]);
        self.clip_constraint(&mut iv, EVENT_CEILING, j, a, b, x, y, mx[1], my[1]);
        self.clip_constraint(&mut iv, EVENT_RANGE, j, a, b, x, y, mx[2], my[2]);
        self.clip_constraint(&mut iv, EVENT_LAUNCH, j, a, b, x, y, mx[3], my[3]);
        let (lo, hi) = (iv[0], iv[1]);
        let mut empty = iv[2] != F::zero();
        if lo > hi {
            empty = true;
        }
        if bt.open {
            if empty {
                self.close_window_of(bt, j, g, *x);
            } else if hi < y.t_s {
                self.close_window_of(bt, j, g, sample_at(a, b, hi));
            }
        } else if !empty {
            if hi >= y.t_s {
                open_window_of(bt, g, sample_at(a, b, lo));
            } else if hi > lo {
                // A window wholly inside the piece.
                open_window_of(bt, g, sample_at(a, b, lo));
                if bt.open {
                    self.close_window_of(bt, j, g, sample_at(a, b, hi));
                }
            }
        }
        bt.margin_prev = m;
        bt.launch_prev = launch;
    }
}

/// Opens the next window of a battery (state `bt`, geometry `g`) at `entry`, if the cap
/// allows.
fn open_window_of<F: Real>(bt: &mut BatteryTrack<F>, g: &EnvelopeGeometry<F>, entry: Sample<F>) {
    if bt.count as usize >= MAX_WINDOWS {
        return;
    }
    bt.first = entry;
    bt.launch_first = launch_time_for(g, entry.t_s, entry.p);
    bt.open = true;
}

impl<F: Real> Observer<F> for EventTracker<'_, F> {
    fn start(&mut self, s: &Sample<F>) {
        if s.phase == PHASE_DIVE {
            self.dive_time_s = s.t_s;
        }
        self.above_strip = s.altitude_km() >= self.strip_altitude_km;
        if !self.enabled {
            return;
        }
        self.start_events(s);
    }

    fn segment(&mut self, a: &Sample<F>, b: &Sample<F>) -> bool {
        let alt_a = a.altitude_km();
        let alt_b = b.altitude_km();
        self.above_strip = self.above_strip || alt_b >= self.strip_altitude_km;
        if self.strip_time_s == F::infinity()
            && alt_a >= self.strip_altitude_km
            && alt_b < self.strip_altitude_km
        {
            self.strip_time_s = self.refine_crossing(
                EVENT_STRIP,
                0,
                a,
                b,
                a.t_s,
                b.t_s,
                alt_a - self.strip_altitude_km,
                alt_b - self.strip_altitude_km,
            );
        }
        if self.dive_time_s == F::infinity() && b.phase == PHASE_DIVE {
            self.dive_time_s = b.t_s;
        }
        if !self.enabled {
            return true;
        }
        let t_alt = sign_change_time(a.t_s, b.t_s, a.p.dot(a.v), b.p.dot(b.v));
        self.update_sensors(a, b);
        for j in 0..self.batteries.len() {
            if self.battery[j].open || (self.battery[j].count as usize) < MAX_WINDOWS {
                self.update_battery(j, a, b, t_alt);
            }
        }
        true
    }
}
