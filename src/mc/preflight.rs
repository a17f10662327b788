//! Preflight: the checks of a scenario that need the physics, run after the scenario layer has
//! validated it and before any trial (`run`, `verify`, `scenario check`, `trajectory`).
//!
//! Each threat class's nominal (dispersion-free) trajectory is flown with the f64 reference
//! propagator: the kernel's own physics (`sample_threat`, `propagate`) in f64, at the
//! scenario's steps, from the centres of the launch and aim areas at the earliest launch time.
//! A class whose ballistic burnout cannot be solved, whose state goes non-finite or that never
//! comes down is an error ([`PreflightError`]): every trial would count it as a silent
//! unengaged leaker. A nominal impact far from the aim point, a battery whose envelope no class
//! enters and a sensor that sees no class are warnings ([`PreflightWarning`]): legal, but
//! probably a mistake.

use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::frames::{central_angle, dir_geo_deg, ground_range_km};
use crate::base::limits::MAX_FLIGHT_S;
use crate::base::vec3::mix;
use crate::base::{Real, V3};
use crate::kernel::engage::envelope::{envelope_geometry, envelope_margins, EnvelopeGeometry};
use crate::kernel::engage::sensors::{detection_range_km, sensor_margin};
use crate::kernel::physics::ballistic::min_energy_angle;
use crate::kernel::physics::propagate::{propagate, Observer, Sample, ThreatInit};
use crate::kernel::{env_of, nominal_draws, sample_threat};
use crate::model::batch::Batch;
use crate::model::types::Sensor;
use crate::scenario::{BallisticAim, Scenario, ThreatKind};

/// A nominal impact farther than this from the aim point is a warning, km. The aim solve is a
/// vacuum conic, so drag makes a re-entry vehicle fall short: for a 300 km SRBM (a shipped
/// scenario's) 2.4 km at a ballistic coefficient of 20,000 kg/m^2, 10 km at 5,000, 24 km at
/// 2,000 and 47 km at 1,000 (the low end for warheads); a glider's dive and a cruise end at the
/// aim. 100 km is twice the worst of those: a miss this large says that the threat cannot reach
/// its aim (out of energy, depressed into the ground, a very light body), not just drag.
pub const FAR_FROM_AIM_KM: f64 = 100.0;

/// Longest chord between two points at which the envelopes and sensors are tested, km (each
/// integration step is cut into pieces this long).
const PROBE_KM: f64 = 2.0;
/// Most pieces per step.
const MAX_PROBES: usize = 256;

/// A class whose nominal flight cannot run: `key` is the key path to name (`threat[1]`,
/// `threat[0].loft_deg`), `message` names the class and the reason.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct PreflightError {
    /// Index of the threat class.
    pub class: usize,
    pub key: String,
    pub message: String,
}

/// Something the nominal flights show that looks wrong but does not stop a run.
#[derive(Clone, Debug, PartialEq)]
pub struct PreflightWarning {
    /// Key path: `threat[0].aim`, `battery[2]`, `sensor[1]`.
    pub key: String,
    pub message: String,
}

/// What the nominal flight of one class did.
#[derive(Clone, Debug, PartialEq)]
pub struct NominalFlight {
    pub threat: String,
    /// From launch to impact (or to the end of the flight), s.
    pub flight_time_s: f64,
    pub apogee_km: f64,
    pub impact_lat_deg: f64,
    pub impact_lon_deg: f64,
    /// Great-circle distance from the nominal impact to the aim point (None: a free shot), km.
    pub miss_km: Option<f64>,
}

/// The result of a preflight that found no error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preflight {
    /// One per threat class, in scenario order.
    pub flights: Vec<NominalFlight>,
    pub warnings: Vec<PreflightWarning>,
}

/// The nominal (dispersion-free) initial conditions of class `class` in precision `F`: the
/// centres of the launch and aim areas, the earliest launch time, no burnout dispersion.
pub fn nominal_threat<F: Real>(batch: &Batch, class: u32) -> ThreatInit<F> {
    sample_threat(batch, class, &nominal_draws())
}

fn finite(v: V3<f64>) -> bool {
    v.x.is_finite() && v.y.is_finite() && v.z.is_finite()
}

/// Watches a nominal flight: apogee, non-finite states, and which envelopes and sensor
/// coverages it enters (accumulated over the classes).
struct Watch<'a> {
    envelopes: &'a [EnvelopeGeometry<f64>],
    entered: &'a mut [bool],
    sensors: &'a [Sensor],
    /// Detection range of each sensor against this class, km.
    ranges: Vec<f64>,
    seen: &'a mut [bool],
    apogee_km: f64,
    /// Time of the first non-finite sample, s.
    nonfinite_s: Option<f64>,
}

impl Watch<'_> {
    fn probe(&mut self, p: V3<f64>) {
        self.apogee_km = self.apogee_km.max(p.length() - EARTH_RADIUS_KM);
        for (g, hit) in self.envelopes.iter().zip(self.entered.iter_mut()) {
            if !*hit && envelope_margins(g, p).iter().all(|m| *m >= 0.0) {
                *hit = true;
            }
        }
        for ((s, range), hit) in self
            .sensors
            .iter()
            .zip(&self.ranges)
            .zip(self.seen.iter_mut())
        {
            if !*hit && sensor_margin(s, *range, p) >= 0.0 {
                *hit = true;
            }
        }
    }
}

impl Observer<f64> for Watch<'_> {
    fn start(&mut self, s: &Sample<f64>) {
        if finite(s.p) && finite(s.v) {
            self.probe(s.p);
        } else {
            self.nonfinite_s = Some(s.t_s);
        }
    }

    fn segment(&mut self, a: &Sample<f64>, b: &Sample<f64>) -> bool {
        if !(finite(b.p) && finite(b.v) && b.t_s.is_finite()) {
            self.nonfinite_s.get_or_insert(b.t_s);
            return false;
        }
        let n = ((b.p - a.p).length() / PROBE_KM)
            .ceil()
            .clamp(1.0, MAX_PROBES as f64) as usize;
        for k in 1..=n {
            self.probe(mix(a.p, b.p, k as f64 / n as f64));
        }
        true
    }
}

/// The key of a threat that chose its flight: the loft or angle of an aimed ballistic shot, the
/// speed of a free shot, the glide or cruise table; empty for a minimum-energy shot.
fn flight_key(t: &crate::scenario::Threat) -> &'static str {
    match &t.kind {
        ThreatKind::Ballistic(b) => match b.aim_mode {
            BallisticAim::MinEnergy { loft_deg } if loft_deg != 0.0 => "loft_deg",
            BallisticAim::MinEnergy { .. } => "",
            BallisticAim::FixedAngle { .. } => "flight_path_angle_deg",
            BallisticAim::Free { .. } => "burnout_speed_km_s",
        },
        ThreatKind::Glide(_) => "glide",
        ThreatKind::Cruise(_) => "cruise",
    }
}

/// Key path of threat class `i`, extended by `key` when not empty.
fn threat_key(i: usize, key: &str) -> String {
    if key.is_empty() {
        format!("threat[{i}]")
    } else {
        format!("threat[{i}].{key}")
    }
}

/// Flies every class's nominal trajectory; an error for the first class that cannot fly, else
/// the flights and the warnings.
pub fn preflight(sc: &Scenario) -> Result<Preflight, PreflightError> {
    let batch = Batch::new(sc);
    let envelopes: Vec<EnvelopeGeometry<f64>> = batch
        .batteries
        .iter()
        .map(|b| envelope_geometry(b, &batch.interceptors[b.interceptor as usize]))
        .collect();
    let mut entered = vec![false; batch.batteries.len()];
    let mut seen = vec![false; batch.sensors.len()];
    let mut out = Preflight::default();
    for (i, t) in sc.threats.iter().enumerate() {
        let class = i as u32;
        let err = |key: &str, message: String| PreflightError {
            class: i,
            key: threat_key(i, key),
            message: format!("threat {:?}: {message}", t.name),
        };
        let th = nominal_threat::<f64>(&batch, class);
        let th32 = nominal_threat::<f32>(&batch, class);
        let v32 = th32.start.v.to_f64();
        if !(finite(th.start.v) && finite(v32)) {
            return Err(burnout_error(t, &th, i));
        }
        let c = &batch.classes[i];
        let mut watch = Watch {
            envelopes: &envelopes,
            entered: &mut entered,
            sensors: &batch.sensors,
            ranges: batch
                .sensors
                .iter()
                .map(|s| detection_range_km(s, f64::from(c.rcs_m2)))
                .collect(),
            seen: &mut seen,
            apogee_km: f64::NEG_INFINITY,
            nonfinite_s: None,
        };
        let flight = propagate(&th, &env_of::<f64>(&batch.params), &mut watch);
        let apogee_km = watch.apogee_km;
        if let Some(t_s) = watch.nonfinite_s {
            return Err(err(
                "",
                format!(
                    "the nominal trajectory's position or velocity becomes non-finite (NaN or \
                     infinite) {:.1} s after launch; check the threat's parameters",
                    t_s - th.launch_time_s
                ),
            ));
        }
        let last = flight.last;
        let alt_km = last.altitude_km();
        if !flight.impacted {
            return Err(err(
                flight_key(t),
                format!(
                    "the nominal (dispersion-free) trajectory never comes down: after the maximum \
                     flight time of {MAX_FLIGHT_S} s it is {alt_km:.0} km up at {:.2} km/s \
                     (apogee {apogee_km:.0} km); every trial would count it as an unengaged \
                     leaker. An orbital or escaping shot is not a threat this model can judge",
                    last.v.length()
                ),
            ));
        }
        let (lat, lon) = dir_geo_deg(last.p);
        let miss_km = t.aim.as_ref().map(|_| {
            let aim = V3::from4(c.aim_dir);
            ground_range_km(last.p.normalize(), aim)
        });
        if let Some(miss) = miss_km.filter(|m| *m > FAR_FROM_AIM_KM) {
            out.warnings.push(PreflightWarning {
                key: threat_key(i, "aim"),
                message: format!(
                    "threat {:?}: the nominal (dispersion-free) trajectory lands {miss:.0} km from \
                     the aim point (at {lat:.2}, {lon:.2} deg; more than {FAR_FROM_AIM_KM} km): \
                     it cannot reach its aim; check its speeds, altitudes and units",
                    t.name
                ),
            });
        }
        out.flights.push(NominalFlight {
            threat: t.name.clone(),
            flight_time_s: last.t_s - th.launch_time_s,
            apogee_km,
            impact_lat_deg: lat,
            impact_lon_deg: lon,
            miss_km,
        });
    }
    for (j, b) in sc.batteries.iter().enumerate() {
        if !entered[j] {
            let i = &sc.interceptors[b.interceptor];
            out.warnings.push(PreflightWarning {
                key: format!("battery[{j}]"),
                message: format!(
                    "battery {:?}: no threat class's nominal trajectory enters its envelope \
                     (interceptor {:?}: {} to {} km altitude within {} km of the site): it can \
                     engage only threats dispersed into it; check the site, the interceptor and \
                     the units",
                    b.name, i.name, i.min_altitude_km, i.max_altitude_km, i.max_range_km
                ),
            });
        }
    }
    for (k, s) in sc.sensors.iter().enumerate() {
        if !seen[k] {
            out.warnings.push(PreflightWarning {
                key: format!("sensor[{k}]"),
                message: format!(
                    "sensor {:?}: no threat class's nominal trajectory comes into its view \
                     ({} km range against {} m^2, scaled by each class's RCS, above {} deg \
                     elevation{}): it never cues a battery; check the site, the range and the units",
                    s.name,
                    s.max_range_km,
                    s.reference_rcs_m2,
                    s.min_elevation_deg,
                    if s.sector.is_some() {
                        ", inside its sector"
                    } else {
                        ""
                    }
                ),
            });
        }
    }
    Ok(out)
}

/// The error of a ballistic class whose burnout velocity has no solution (the solve gave a
/// non-finite velocity), naming the key that chose the angle.
fn burnout_error(t: &crate::scenario::Threat, th: &ThreatInit<f64>, i: usize) -> PreflightError {
    let r1 = th.start.p.length();
    let psi = central_angle(th.start.p, th.aero.aim_km);
    let psi_deg = psi.to_degrees();
    let angle = match &t.kind {
        ThreatKind::Ballistic(b) => match b.aim_mode {
            BallisticAim::MinEnergy { loft_deg } => {
                let min_energy = min_energy_angle(r1, EARTH_RADIUS_KM, psi).to_degrees();
                format!(
                    "{:.1} deg (the minimum-energy angle {min_energy:.1} deg + loft_deg \
                     {loft_deg})",
                    min_energy + loft_deg
                )
            }
            BallisticAim::FixedAngle {
                flight_path_angle_deg,
            } => format!("{flight_path_angle_deg} deg"),
            BallisticAim::Free { .. } => "the given angle".to_string(),
        },
        _ => "the given angle".to_string(),
    };
    PreflightError {
        class: i,
        key: threat_key(i, flight_key(t)),
        message: format!(
            "threat {:?}: no ballistic trajectory from the burnout point ({:.0} km up, {:.0} km \
             from the aim point) reaches the aim point at a flight-path angle of {angle}: the \
             burnout speed has no solution (solvable angles lie between about -{:.0} and 90 deg); \
             every trial would fly a NaN state as an unengaged leaker",
            t.name,
            r1 - EARTH_RADIUS_KM,
            psi * EARTH_RADIUS_KM,
            psi_deg / 2.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::DEFAULT_SCENARIO_TOML;

    fn default_with(from: &str, to: &str) -> Scenario {
        assert_eq!(DEFAULT_SCENARIO_TOML.matches(from).count(), 1, "{from}");
        let text = DEFAULT_SCENARIO_TOML.replacen(from, to, 1);
        Scenario::from_toml_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn default_and_shipped_scenarios_fly_cleanly() {
        let s = Scenario::default_scenario();
        let p = preflight(&s).expect("default flies");
        assert_eq!(p.flights.len(), s.threats.len());
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        for f in &p.flights {
            assert!(f.miss_km.unwrap() < 1.0, "{f:?}");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let s = Scenario::load(&path).unwrap();
                let p = preflight(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(
                    p.warnings.is_empty(),
                    "{}: {:?}",
                    path.display(),
                    p.warnings
                );
            }
        }
    }

    #[test]
    fn an_unsolvable_burnout_names_the_loft() {
        let e = preflight(&default_with("loft_deg = 0.0 ", "loft_deg = 80.0")).unwrap_err();
        assert_eq!((e.class, e.key.as_str()), (0, "threat[0].loft_deg"));
        assert!(
            e.message
                .starts_with("threat \"irbm\": no ballistic trajectory"),
            "{e}"
        );
        assert!(e.message.contains("116.9 deg"), "{e}");
        // just inside the solvable range: it flies
        preflight(&default_with("loft_deg = 0.0 ", "loft_deg = 30.0")).expect("lofted");
    }

    #[test]
    fn a_flight_that_never_comes_down_is_an_error() {
        let e = preflight(&default_with("loft_deg = 0.0 ", "loft_deg = 50.0")).unwrap_err();
        assert_eq!(e.key, "threat[0].loft_deg");
        assert!(e.message.contains("never comes down"), "{e}");
        let text = "name = \"orbit\"\n[[threat]]\nname = \"sat\"\nkind = \"ballistic\"\n\
                    launch = { lat_deg = 0.0, lon_deg = 0.0 }\nboost_time_s = 0.0\n\
                    burnout_altitude_km = 300.0\nburnout_speed_km_s = 7.8\n\
                    flight_path_angle_deg = 0.0\nazimuth_deg = 90.0\n";
        let e = preflight(&Scenario::from_toml_str(text, "o.toml").unwrap()).unwrap_err();
        assert_eq!(e.key, "threat[0].burnout_speed_km_s");
        assert!(e.message.starts_with("threat \"sat\": the nominal"), "{e}");
    }

    #[test]
    fn misses_idle_batteries_and_blind_sensors_are_warnings() {
        // depressed into the ground: lands near the launch point
        let p = preflight(&default_with("loft_deg = 0.0 ", "loft_deg = -50.0")).unwrap();
        let keys: Vec<&str> = p.warnings.iter().map(|w| w.key.as_str()).collect();
        assert!(keys.contains(&"threat[0].aim"), "{keys:?}");
        assert!(p.flights[0].miss_km.unwrap() > 2000.0);
        // a battery and a sensor on the other side of the Earth
        let far = format!(
            "{DEFAULT_SCENARIO_TOML}\n[[sensor]]\nname = \"far\"\nkind = \"radar\"\n\
             site = {{ lat_deg = -40.0, lon_deg = 170.0 }}\nmax_range_km = 1000.0\n\
             [[battery]]\nname = \"nowhere\"\nsite = {{ lat_deg = -40.0, lon_deg = 170.0 }}\n\
             interceptor = \"pac3\"\ninventory = 4\n"
        );
        let s = Scenario::from_toml_str(&far, "f.toml").unwrap();
        let p = preflight(&s).unwrap();
        let keys: Vec<&str> = p.warnings.iter().map(|w| w.key.as_str()).collect();
        assert_eq!(keys, ["battery[4]", "sensor[2]"]);
        assert!(p.warnings[0].message.contains("\"nowhere\""));
        assert!(p.warnings[1].message.contains("\"far\""));
    }
}
