//! The f64 reference propagator: the nominal (dispersion-free) trajectory of one threat class,
//! sampled at every step, with the summary `interceptmc trajectory` prints. Same physics code as
//! the kernel, in f64.

use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::frames::{dir_geo_deg, ground_range_km};
use crate::base::V3;
use crate::kernel::env_of;
use crate::kernel::physics::propagate::{propagate, Observer, Sample, ThreatInit, PHASE_BOOST};
use crate::mc::preflight::nominal_threat;
use crate::model::batch::Batch;
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
}

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
        self.push(b);
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
    };
    (rec.points, summary)
}
