//! The f64 reference propagator: the nominal (dispersion-free) trajectory of one threat class,
//! sampled at every step, with the summary `interceptmc trajectory` prints. Same physics code as
//! the kernel, in f64.

use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::frames::{dir_geo_deg, ground_range_km};
use crate::base::limits::MAX_WINDOWS;
use crate::base::{Real, V3};
use crate::kernel::engage::windows::EventTracker;
use crate::kernel::env_of;
use crate::kernel::physics::propagate::{
    crossing_time, hermite_state, propagate, Observer, Sample, ThreatInit, PHASE_BOOST,
};
use crate::mc::preflight::nominal_threat;
use crate::model::batch::Batch;
use crate::model::types::Window;
use serde::Serialize;

/// One row of the trajectory CSV.
#[derive(Clone, Debug, Serialize)]
pub struct TrajectoryPoint {
    pub t_s: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_km: f64,
    pub downrange_km: f64,
    pub speed_km_s: f64,
    pub flight_path_angle_deg: f64,
    pub phase: &'static str,
    pub accel_g: f64,
    /// Empty on a step's row; on an event's row (its state interpolated linearly between the
    /// steps around it): `detection:<sensor>`, `firm_track`, `window_entry:<battery>` or
    /// `window_exit:<battery>`.
    pub event: String,
}

/// One event of a nominal flight, for the JSON summary.
#[derive(Clone, Debug, Serialize)]
pub struct TrajectoryEvent {
    pub t_s: f64,
    /// `detection`, `firm_track`, `window_entry`, `window_exit`.
    pub event: &'static str,
    /// The sensor or battery; empty for `firm_track`.
    pub by: String,
}

/// The JSON summary of a nominal trajectory.
#[derive(Clone, Debug, Serialize)]
pub struct TrajectorySummary {
    pub threat: String,
    pub kind: String,
    /// Great-circle distance from launch to impact, km.
    pub range_km: f64,
    pub apogee_km: f64,
    /// From launch to impact, s.
    pub flight_time_s: f64,
    pub impacted: bool,
    pub impact_lat_deg: f64,
    pub impact_lon_deg: f64,
    /// Earth-relative speed and flight-path angle at the start of free flight / glide / cruise.
    pub burnout_speed_km_s: f64,
    pub burnout_flight_path_angle_deg: f64,
    pub burnout_time_s: f64,
    pub burnout_altitude_km: f64,
    pub steps: u32,
    /// Derivative evaluations of the flight (0 for boost and cruise samples).
    pub evaluations: u32,
    /// First detection by any sensor (none: never), s from the threat's launch time origin.
    pub detection_time_s: Option<f64>,
    /// First firm track (detection plus the sensor's track delay), s.
    pub firm_track_time_s: Option<f64>,
    /// Detections, firm track and every battery window's entry and exit, in time order.
    pub events: Vec<TrajectoryEvent>,
}

/// Highest altitude on the segment from `a` to `b`, km: the larger end, or, where the radial
/// velocity p.v turns from climbing to descending inside it, the altitude there on the cubic
/// Hermite interpolant (the crossing of p.v refined by two regula-falsi iterations), so an
/// apogee between two long adaptive steps is not cut off.
pub fn segment_peak_altitude_km<F: Real>(a: &Sample<F>, b: &Sample<F>) -> F {
    let ends = a.altitude_km().max(b.altitude_km());
    let fa0 = a.p.dot(a.v);
    let fb0 = b.p.dot(b.v);
    if !(fa0 > F::zero() && fb0 < F::zero()) {
        return ends;
    }
    let rate = |t: F| {
        let (p, v) = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t);
        p.dot(v)
    };
    let (mut ta, mut tb, mut fa, mut fb) = (a.t_s, b.t_s, fa0, fb0);
    for _ in 0..2 {
        let t = crossing_time(ta, tb, fa, fb);
        let f = rate(t);
        if f > F::zero() {
            ta = t;
            fa = f;
        } else {
            tb = t;
            fb = f;
        }
    }
    let t = crossing_time(ta, tb, fa, fb);
    let (p, _) = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t);
    ends.max(p.length() - F::c(EARTH_RADIUS_KM))
}

/// Longest time between two rows of the trajectory CSV, s.
pub const ROW_INTERVAL_S: f64 = 1.0;

struct Recorder {
    launch_dir: V3<f64>,
    points: Vec<TrajectoryPoint>,
    apogee_km: f64,
    burnout: Option<Sample<f64>>,
}

impl Recorder {
    fn push(&mut self, s: &Sample<f64>) {
        let alt = s.altitude_km();
        self.apogee_km = self.apogee_km.max(alt);
        let up = s.p.normalize();
        let speed = s.v.length();
        let fpa = if speed > 0.0 {
            (s.v.dot(up) / speed).clamp(-1.0, 1.0).asin().to_degrees()
        } else {
            0.0
        };
        let (lat, lon) = dir_geo_deg(s.p);
        if self.burnout.is_none() && s.phase != PHASE_BOOST {
            self.burnout = Some(*s);
        }
        self.points.push(TrajectoryPoint {
            t_s: s.t_s,
            lat_deg: lat,
            lon_deg: lon,
            alt_km: alt,
            downrange_km: ground_range_km(self.launch_dir, s.p),
            speed_km_s: speed,
            flight_path_angle_deg: fpa,
            phase: crate::kernel::physics::propagate::phase_name(s.phase),
            accel_g: s.accel_g,
            event: String::new(),
        });
    }
}

impl Observer<f64> for Recorder {
    fn start(&mut self, s: &Sample<f64>) {
        self.push(s);
    }
    fn segment(&mut self, a: &Sample<f64>, b: &Sample<f64>) -> bool {
        // The first sample after the boost is the burnout state (its own row).
        if self.burnout.is_none() && a.phase != PHASE_BOOST {
            self.push(a);
        }
        // Rows at least every ROW_INTERVAL_S: long adaptive steps are filled in from the
        // step's cubic Hermite interpolant (dense output), so the CSV plots smoothly.
        let n = ((b.t_s - a.t_s) / ROW_INTERVAL_S).ceil();
        for k in 1..(n as usize) {
            let t = a.t_s + k as f64 * (b.t_s - a.t_s) / n;
            let (p, v) = hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t);
            self.push(&Sample {
                t_s: t,
                p,
                v,
                accel_g: a.accel_g,
                phase: b.phase,
            });
        }
        self.push(b);
        self.apogee_km = self.apogee_km.max(segment_peak_altitude_km(a, b));
        true
    }
}

/// Flies the nominal trajectory of class `class` in f64 (the flight `mc::preflight` checks).
pub fn nominal_trajectory(
    batch: &Batch,
    class: u32,
    name: &str,
    kind: &str,
) -> (Vec<TrajectoryPoint>, TrajectorySummary) {
    let th: ThreatInit<f64> = nominal_threat(batch, class);
    fly_reference(batch, &th, name, kind)
}

/// Names of the scenario's sensors and batteries (in batch order), for the event labels.
pub struct SiteNames<'a> {
    pub sensors: &'a [String],
    pub batteries: &'a [String],
}

/// [`nominal_trajectory`] with its events: each sensor's first detection, the firm track and
/// each battery's windows (the kernel's event tracker, in f64), marked in the rows and listed
/// in the summary.
pub fn marked_trajectory(
    batch: &Batch,
    class: u32,
    name: &str,
    kind: &str,
    names: &SiteNames,
) -> (Vec<TrajectoryPoint>, TrajectorySummary) {
    let th: ThreatInit<f64> = nominal_threat(batch, class);
    let (points, summary) = fly_reference(batch, &th, name, kind);
    let events = flight_events(batch, class, &th, names);
    let mut rows = points;
    for e in &events {
        rows.push(event_row(&rows, e));
    }
    // Stable: an event row follows the step row of the same time.
    rows.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    let first = |what: &str| events.iter().find(|e| e.event == what).map(|e| e.t_s);
    let summary = TrajectorySummary {
        detection_time_s: first("detection"),
        firm_track_time_s: first("firm_track"),
        events,
        ..summary
    };
    (rows, summary)
}

/// The flight's state at `e.t_s`, interpolated linearly between the step rows around it, as
/// an event row.
fn event_row(rows: &[TrajectoryPoint], e: &TrajectoryEvent) -> TrajectoryPoint {
    let k = rows
        .partition_point(|r| r.t_s <= e.t_s)
        .clamp(1, rows.len().max(2) - 1);
    let (a, b) = (&rows[k - 1], &rows[k.min(rows.len() - 1)]);
    let f = if b.t_s > a.t_s {
        ((e.t_s - a.t_s) / (b.t_s - a.t_s)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let l = |x: f64, y: f64| x + (y - x) * f;
    let label = if e.by.is_empty() {
        e.event.to_string()
    } else {
        format!("{}:{}", e.event, e.by)
    };
    TrajectoryPoint {
        t_s: e.t_s,
        lat_deg: l(a.lat_deg, b.lat_deg),
        lon_deg: l(a.lon_deg, b.lon_deg),
        alt_km: l(a.alt_km, b.alt_km),
        downrange_km: l(a.downrange_km, b.downrange_km),
        speed_km_s: l(a.speed_km_s, b.speed_km_s),
        flight_path_angle_deg: l(a.flight_path_angle_deg, b.flight_path_angle_deg),
        phase: b.phase,
        accel_g: l(a.accel_g, b.accel_g),
        event: label,
    }
}

/// The events of threat `th` of class `class` in f64, in time order: each sensor's first
/// detection, the first firm track, and every window of every battery (entry and exit).
pub fn flight_events(
    batch: &Batch,
    class: u32,
    th: &ThreatInit<f64>,
    names: &SiteNames,
) -> Vec<TrajectoryEvent> {
    let c = &batch.classes[class as usize];
    let rcs = f64::from(c.rcs_m2);
    let mut windows = vec![Window::NONE; batch.batteries.len() * MAX_WINDOWS];
    let mut tracker = EventTracker::new(
        &batch.sensors,
        &batch.batteries,
        &batch.interceptors,
        &mut windows,
        rcs,
        f64::from(c.decoy_strip_altitude_km),
        true,
    );
    let flight = propagate(th, &env_of::<f64>(&batch.params), &mut tracker);
    tracker.finish(&flight.last);
    let track_s = tracker.track_time_s();
    let mut events = Vec::new();
    // Each sensor's first detection, as the kernel's tracker finds it (root-found on the
    // step's interpolant between the points where the sensor's margins turn).
    let detect_s = tracker.detect_s;
    for (i, &t) in detect_s.iter().take(batch.sensors.len()).enumerate() {
        if t.is_finite() {
            let by = names.sensors.get(i).cloned().unwrap_or_default();
            events.push(TrajectoryEvent {
                t_s: t,
                event: "detection",
                by,
            });
        }
    }
    if track_s.is_finite() {
        events.push(TrajectoryEvent {
            t_s: track_s,
            event: "firm_track",
            by: String::new(),
        });
    }
    for (j, w) in windows.chunks(MAX_WINDOWS).enumerate() {
        let by = names.batteries.get(j).cloned().unwrap_or_default();
        for w in w.iter().filter(|w| w.t_first_s.is_finite()) {
            events.push(TrajectoryEvent {
                t_s: f64::from(w.t_first_s),
                event: "window_entry",
                by: by.clone(),
            });
            events.push(TrajectoryEvent {
                t_s: f64::from(w.t_last_s),
                event: "window_exit",
                by: by.clone(),
            });
        }
    }
    events.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    events
}

/// Flies an explicit threat in f64 and summarises it.
pub fn fly_reference(
    batch: &Batch,
    th: &ThreatInit<f64>,
    name: &str,
    kind: &str,
) -> (Vec<TrajectoryPoint>, TrajectorySummary) {
    let mut rec = Recorder {
        launch_dir: th.launch_dir,
        points: Vec::new(),
        apogee_km: f64::NEG_INFINITY,
        burnout: None,
    };
    let flight = propagate(th, &env_of::<f64>(&batch.params), &mut rec);
    let last = flight.last;
    let (lat, lon) = dir_geo_deg(last.p);
    let b = rec.burnout.unwrap_or(last);
    let up = b.p.normalize();
    let speed = b.v.length();
    let summary = TrajectorySummary {
        threat: name.to_string(),
        kind: kind.to_string(),
        range_km: ground_range_km(th.launch_dir, last.p),
        apogee_km: rec.apogee_km,
        flight_time_s: last.t_s - th.launch_time_s,
        impacted: flight.impacted,
        impact_lat_deg: lat,
        impact_lon_deg: lon,
        burnout_speed_km_s: speed,
        burnout_flight_path_angle_deg: (b.v.dot(up) / speed).clamp(-1.0, 1.0).asin().to_degrees(),
        burnout_time_s: b.t_s - th.launch_time_s,
        burnout_altitude_km: b.p.length() - EARTH_RADIUS_KM,
        steps: flight.steps,
        evaluations: flight.evaluations,
        detection_time_s: None,
        firm_track_time_s: None,
        events: Vec::new(),
    };
    (rec.points, summary)
}
