//! What the validation cases need from the engine: scenarios from TOML text, and one nominal
//! flight in f64 (the reference propagator, `reference::nominal_trajectory`) or in f32 (the
//! kernel's precision: `kernel::sample_threat::<f32>` and `physics::propagate`), or a flight
//! with chosen random draws in either precision ([`fly`]).

use crate::base::frames::{dir_geo_deg, ground_range_km};
use crate::base::limits::SAMPLE_DRAWS;
use crate::base::{Real, V3};
use crate::kernel::physics::propagate::{
    phase_name, propagate, Observer, Sample, ThreatInit, PHASE_IMPACT,
};
use crate::kernel::{env_of, nominal_draws, sample_threat};
use crate::model::batch::Batch;
use crate::scenario::Scenario;
use crate::tools::trajectory::{nominal_trajectory, segment_peak_altitude_km};

/// Parses one of the validation's own scenarios.
pub fn scenario(text: &str, case: &str) -> Result<Scenario, String> {
    Scenario::from_toml_str(text, &format!("<validate: {case}>"))
        .map_err(|e| format!("internal scenario rejected: {e}"))
}

/// One trajectory sample, in f64 whatever the precision it was computed in.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub t_s: f64,
    pub alt_km: f64,
    /// Great-circle distance from the launch point, km.
    pub downrange_km: f64,
    pub speed_km_s: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Flight-path angle (Earth-relative velocity above the local horizontal), deg.
    pub fpa_deg: f64,
    /// `PHASE_*` of the sample.
    pub phase: u32,
}

/// A nominal flight.
#[derive(Clone, Debug, Default)]
pub struct Flown {
    /// Great circle from launch to the last point (the impact point when `impacted`), km.
    pub range_km: f64,
    pub apogee_km: f64,
    /// From launch to the last point, s.
    pub time_s: f64,
    pub impacted: bool,
    pub impact_lat_deg: f64,
    pub impact_lon_deg: f64,
    /// Earth-relative speed at the start of the free flight / glide, km/s.
    pub burnout_speed_km_s: f64,
    pub points: Vec<Point>,
}

/// The nominal flight of class `class` with the f64 reference propagator.
pub fn fly_f64(batch: &Batch, class: u32) -> Flown {
    let (points, s) = nominal_trajectory(batch, class, "validate", "validate");
    Flown {
        range_km: s.range_km,
        apogee_km: s.apogee_km,
        time_s: s.flight_time_s,
        impacted: s.impacted,
        impact_lat_deg: s.impact_lat_deg,
        impact_lon_deg: s.impact_lon_deg,
        burnout_speed_km_s: s.burnout_speed_km_s,
        points: points
            .iter()
            .map(|p| Point {
                t_s: p.t_s,
                alt_km: p.alt_km,
                downrange_km: p.downrange_km,
                speed_km_s: p.speed_km_s,
                lat_deg: p.lat_deg,
                lon_deg: p.lon_deg,
                fpa_deg: p.flight_path_angle_deg,
                phase: phase_of(p.phase),
            })
            .collect(),
    }
}

struct Recorder<F: Real> {
    launch_dir: V3<F>,
    points: Vec<Point>,
    apogee_km: f64,
}

impl<F: Real> Recorder<F> {
    fn push(&mut self, s: &Sample<F>) {
        let alt = s.altitude_km().to_f64();
        self.apogee_km = self.apogee_km.max(alt);
        let (lat, lon) = dir_geo_deg(s.p);
        let speed = s.v.length();
        let fpa = (s.v.dot(s.p.normalize()) / speed).to_f64();
        self.points.push(Point {
            t_s: s.t_s.to_f64(),
            alt_km: alt,
            downrange_km: ground_range_km(self.launch_dir, s.p).to_f64(),
            speed_km_s: speed.to_f64(),
            lat_deg: lat.to_f64(),
            lon_deg: lon.to_f64(),
            fpa_deg: fpa.clamp(-1.0, 1.0).asin().to_degrees(),
            phase: s.phase,
        });
    }
}

impl<F: Real> Observer<F> for Recorder<F> {
    fn start(&mut self, s: &Sample<F>) {
        self.push(s);
    }
    fn segment(&mut self, a: &Sample<F>, b: &Sample<F>) -> bool {
        self.push(b);
        self.apogee_km = self.apogee_km.max(segment_peak_altitude_km(a, b).to_f64());
        true
    }
}

/// The nominal flight of class `class` in f32, the kernel's precision (the same physics code
/// the CPU kernel and, line for line, the WGSL kernel run).
pub fn fly_f32(batch: &Batch, class: u32) -> Flown {
    fly::<f32>(batch, class, &nominal_draws())
}

/// The flight of class `class` with the sampling draws `draws` (e.g. [`nominal_draws`] with a
/// chosen weave period and phase), in precision `F`: f64 is the reference propagator's
/// precision, f32 the kernel's.
pub fn fly<F: Real>(batch: &Batch, class: u32, draws: &[f32; SAMPLE_DRAWS as usize]) -> Flown {
    fly_threat(batch, &sample_threat::<F>(batch, class, draws))
}

/// The flight of an explicit threat (e.g. one from `kernel::sample_threat` whose start state a
/// case has changed), in its precision.
pub fn fly_threat<F: Real>(batch: &Batch, th: &ThreatInit<F>) -> Flown {
    let mut rec = Recorder {
        launch_dir: th.launch_dir,
        points: Vec::new(),
        apogee_km: f64::NEG_INFINITY,
    };
    let flight = propagate(th, &env_of::<F>(&batch.params), &mut rec);
    let (lat, lon) = dir_geo_deg(flight.last.p);
    Flown {
        range_km: ground_range_km(th.launch_dir, flight.last.p).to_f64(),
        apogee_km: rec.apogee_km,
        time_s: (flight.last.t_s - th.launch_time_s).to_f64(),
        impacted: flight.impacted,
        impact_lat_deg: lat.to_f64(),
        impact_lon_deg: lon.to_f64(),
        burnout_speed_km_s: th.start.v.length().to_f64(),
        points: rec.points,
    }
}

/// The `PHASE_*` constant of a phase name of the trajectory CSV.
fn phase_of(name: &str) -> u32 {
    (0..=PHASE_IMPACT)
        .find(|&k| phase_name(k) == name)
        .unwrap_or(PHASE_IMPACT)
}

/// Great-circle distance between two geographic points (degrees) on the validation's sphere,
/// km (haversine; coded here so the f32-vs-f64 comparison does not use the engine's frames).
pub fn surface_distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * super::oracles::R_E_KM * a.sqrt().min(1.0).asin()
}

/// First time the (decreasing) speed crosses `v_km_s`, with the downrange there, linearly
/// interpolated between samples: `(t_s, downrange_km, alt_km)`.
pub fn speed_crossing(points: &[Point], v_km_s: f64) -> Option<(f64, f64, f64)> {
    points.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        if a.speed_km_s >= v_km_s && b.speed_km_s < v_km_s {
            let f = (a.speed_km_s - v_km_s) / (a.speed_km_s - b.speed_km_s);
            Some((
                a.t_s + f * (b.t_s - a.t_s),
                a.downrange_km + f * (b.downrange_km - a.downrange_km),
                a.alt_km + f * (b.alt_km - a.alt_km),
            ))
        } else {
            None
        }
    })
}

/// Longitude (degrees) of the point `range_km` east of (0, 0) along the equator.
pub fn lon_at_km(range_km: f64) -> f64 {
    (range_km / super::oracles::R_E_KM).to_degrees()
}
