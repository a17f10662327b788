//! The event tracker: follows one threat's trajectory segment by segment, records when each
//! radar first sees it (the crossing interpolated inside the step), the firm-track time each
//! battery gets from its cueing sensors, and each battery's first window of feasible intercept
//! times (entry and exit interpolated per condition), the manoeuvre acceleration inside it, and
//! when the threat descends below the decoy-strip altitude.

#![allow(clippy::needless_range_loop)] // index loops keep the code comparable to the WGSL twin

use super::envelope::{envelope_geometry, envelope_margins, launch_time_for, EnvelopeGeometry};
use super::sensors::{detection_range_km, sensor_margin};
use crate::base::limits::{MAX_BATTERIES, MAX_SENSORS};
use crate::base::Real;
use crate::kernel::physics::propagate::{Observer, Sample};
use crate::model::types::{Battery, Interceptor, Sensor, Window};

/// Time at which a quantity going linearly from `ma` (at `ta`) to `mb` (at `tb`) crosses zero.
#[inline(always)]
pub fn crossing_time<F: Real>(ta: F, tb: F, ma: F, mb: F) -> F {
    let den = ma - mb;
    if den == F::zero() {
        return tb;
    }
    ta + (tb - ta) * (ma / den)
}

#[derive(Clone, Copy, Debug, Default)]
struct WindowState<F> {
    first: F,
    last: F,
    accel_g: F,
    open: bool,
    closed: bool,
}

/// Observer of one threat's flight that produces its track and battery windows.
pub struct EventTracker<'a, F: Real> {
    sensors: &'a [Sensor],
    batteries: &'a [Battery],
    /// When false (track or system failure) the defense never sees the threat.
    enabled: bool,
    range_km: [F; MAX_SENSORS],
    sensor_prev: [F; MAX_SENSORS],
    detect_s: [F; MAX_SENSORS],
    geometry: [EnvelopeGeometry<F>; MAX_BATTERIES],
    /// Firm track plus reaction time per battery (+inf: no track yet), s.
    ready_s: [F; MAX_BATTERIES],
    margin_prev: [[F; 3]; MAX_BATTERIES],
    launch_prev: [F; MAX_BATTERIES],
    window: [WindowState<F>; MAX_BATTERIES],
    strip_altitude_km: F,
    /// Whether the threat has been above the strip altitude (decoys exist only then).
    above_strip: bool,
    pub strip_time_s: F,
}

impl<'a, F: Real> EventTracker<'a, F> {
    pub fn new(
        sensors: &'a [Sensor],
        batteries: &'a [Battery],
        interceptors: &[Interceptor],
        rcs_m2: F,
        strip_altitude_km: F,
        enabled: bool,
    ) -> Self {
        let inf = F::infinity();
        let mut t = EventTracker {
            sensors,
            batteries,
            enabled,
            range_km: [F::zero(); MAX_SENSORS],
            sensor_prev: [-inf; MAX_SENSORS],
            detect_s: [inf; MAX_SENSORS],
            geometry: [EnvelopeGeometry::default(); MAX_BATTERIES],
            ready_s: [inf; MAX_BATTERIES],
            margin_prev: [[-inf; 3]; MAX_BATTERIES],
            launch_prev: [-inf; MAX_BATTERIES],
            window: [WindowState {
                first: inf,
                last: inf,
                ..Default::default()
            }; MAX_BATTERIES],
            strip_altitude_km,
            above_strip: false,
            strip_time_s: inf,
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

    /// Closes windows still open when the flight ends at `t_end_s` and writes them out.
    pub fn finish(&mut self, t_end_s: F, out: &mut [Window]) {
        for (i, w) in self
            .window
            .iter_mut()
            .enumerate()
            .take(self.batteries.len())
        {
            if w.open {
                w.last = t_end_s;
                w.open = false;
                w.closed = true;
            }
            out[i] = Window {
                t_first_s: w.first.to_f64() as f32,
                t_last_s: w.last.to_f64() as f32,
                accel_g: w.accel_g.to_f64() as f32,
                _pad0: 0.0,
            };
        }
        if self.strip_time_s == F::infinity() {
            // Never came down through the strip altitude: decoys to the end if it was ever
            // above it, else never any decoys.
            self.strip_time_s = if self.above_strip {
                t_end_s
            } else {
                -F::infinity()
            };
        }
    }

    fn update_sensors(&mut self, a: &Sample<F>, b: &Sample<F>) {
        let mut changed = false;
        for (i, s) in self.sensors.iter().enumerate() {
            if self.detect_s[i] != F::infinity() {
                continue;
            }
            let m = sensor_margin(s, self.range_km[i], b.p);
            if m >= F::zero() {
                self.detect_s[i] = if self.sensor_prev[i] >= F::zero() {
                    a.t_s
                } else {
                    crossing_time(a.t_s, b.t_s, self.sensor_prev[i], m)
                };
                changed = true;
            }
            self.sensor_prev[i] = m;
        }
        if changed {
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
    }

    fn update_battery(&mut self, j: usize, a: &Sample<F>, b: &Sample<F>) {
        let g = &self.geometry[j];
        let m = envelope_margins(g, b.p);
        let launch = launch_time_for(g, b.t_s, b.p);
        let ma = self.margin_prev[j];
        let ta_margin = self.launch_prev[j] - self.ready_s[j];
        let tb_margin = launch - self.ready_s[j];
        let feasible =
            m[0] >= F::zero() && m[1] >= F::zero() && m[2] >= F::zero() && tb_margin >= F::zero();
        let w = &mut self.window[j];
        if !w.open && feasible {
            let mut entry = a.t_s;
            for c in 0..3 {
                if ma[c] < F::zero() {
                    entry = entry.max(crossing_time(a.t_s, b.t_s, ma[c], m[c]));
                }
            }
            if ta_margin < F::zero() {
                entry = entry.max(crossing_time(a.t_s, b.t_s, ta_margin, tb_margin));
            }
            w.first = entry;
            w.open = true;
            w.accel_g = a.accel_g.max(b.accel_g);
        } else if w.open && feasible {
            w.accel_g = w.accel_g.max(b.accel_g);
        } else if w.open {
            let mut exit = b.t_s;
            for c in 0..3 {
                if m[c] < F::zero() {
                    exit = exit.min(crossing_time(a.t_s, b.t_s, ma[c], m[c]));
                }
            }
            if tb_margin < F::zero() {
                exit = exit.min(crossing_time(a.t_s, b.t_s, ta_margin, tb_margin));
            }
            w.last = exit;
            w.open = false;
            w.closed = true;
        }
        self.margin_prev[j] = m;
        self.launch_prev[j] = launch;
    }
}

impl<F: Real> Observer<F> for EventTracker<'_, F> {
    fn start(&mut self, s: &Sample<F>) {
        if !self.enabled {
            return;
        }
        // A zero-length segment: detections and windows that hold at the start open at t0.
        self.segment(s, s);
    }

    fn segment(&mut self, a: &Sample<F>, b: &Sample<F>) -> bool {
        let alt_a = a.altitude_km();
        let alt_b = b.altitude_km();
        self.above_strip = self.above_strip || alt_b >= self.strip_altitude_km;
        if self.strip_time_s == F::infinity()
            && alt_a >= self.strip_altitude_km
            && alt_b < self.strip_altitude_km
        {
            self.strip_time_s = crossing_time(
                a.t_s,
                b.t_s,
                alt_a - self.strip_altitude_km,
                alt_b - self.strip_altitude_km,
            );
        }
        if !self.enabled {
            return true;
        }
        self.update_sensors(a, b);
        for j in 0..self.batteries.len() {
            if !self.window[j].closed {
                self.update_battery(j, a, b);
            }
        }
        true
    }
}
