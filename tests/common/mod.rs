//! Shared helpers of the integration tests: small scenarios written as TOML.
#![allow(dead_code)]

use assert_cmd::Command;
use interceptmc::model::batch::Batch;
use interceptmc::scenario::Scenario;
use std::path::{Path, PathBuf};

pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text, "<test>")
        .unwrap_or_else(|e| panic!("test scenario invalid: {e}\n{text}"))
}

pub fn batch(text: &str) -> Batch {
    Batch::new(&scenario(text))
}

/// A vacuum, non-rotating world with one ballistic threat from (0, 0) toward the east, with the
/// given extra threat keys, a step of 1 s above 100 km and 0.1 s below.
pub fn vacuum_ballistic(threat_keys: &str) -> String {
    format!(
        r#"
name = "vacuum"
[run]
samples = 1
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "t"
kind = "ballistic"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 0.0 }}
boost_time_s = 0.0
{threat_keys}
[interceptor.x]
min_altitude_km = 10.0
max_altitude_km = 20.0
max_range_km = 10.0
flyout_speed_km_s = 1.0
sspk = 0.5
divert_g = 10.0
"#
    )
}

// ---- CLI helpers (sweep, shard and merge tests) ----

pub fn bin() -> Command {
    let mut c = Command::cargo_bin("interceptmc").expect("binary");
    c.env("XDG_RUNTIME_DIR", "/tmp");
    c
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// The file without its `wall_s` column.
pub fn without_wall(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let all: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    let w = all[0].iter().position(|c| c == "wall_s").unwrap();
    all.into_iter()
        .map(|mut row| {
            row.remove(w);
            row
        })
        .collect()
}

/// Points per step at which `sensor_coverage` samples a flight's interpolant.
pub const MARGIN_SAMPLES: usize = 512;

/// One sensor's coverage of a flight, from its margin (`sensor_margin`, km) sampled
/// `MARGIN_SAMPLES` times a step on the step's interpolant: no split points, no root-finding.
#[derive(Clone, Copy, Debug)]
pub struct Coverage {
    /// Largest margin over the flight, km.
    pub max_km: f64,
    /// First sample inside coverage (margin >= 0), s (+inf: none).
    pub first_in_s: f64,
    /// Smallest margin after `first_in_s`, km (+inf: none).
    pub min_after_in_km: f64,
    /// First sample after `first_in_s` with a margin under `-deep_km`, s (+inf: none).
    pub deep_out_s: f64,
    /// Time of the flight's last sample, s.
    pub end_s: f64,
}

struct CoverageObserver {
    sensors: Vec<interceptmc::model::types::Sensor>,
    range_km: Vec<f64>,
    deep_km: f64,
    cov: Vec<Coverage>,
}

impl CoverageObserver {
    fn at(&mut self, t_s: f64, p: interceptmc::base::V3<f64>) {
        use interceptmc::kernel::engage::sensors::sensor_margin;
        for (i, s) in self.sensors.iter().enumerate() {
            let m = sensor_margin(s, self.range_km[i], p);
            let c = &mut self.cov[i];
            c.max_km = c.max_km.max(m);
            c.end_s = t_s;
            if c.first_in_s.is_finite() {
                c.min_after_in_km = c.min_after_in_km.min(m);
                if m < -self.deep_km && c.deep_out_s == f64::INFINITY {
                    c.deep_out_s = t_s;
                }
            } else if m >= 0.0 {
                c.first_in_s = t_s;
            }
        }
    }
}

impl interceptmc::kernel::physics::propagate::Observer<f64> for CoverageObserver {
    fn start(&mut self, s: &interceptmc::kernel::physics::propagate::Sample<f64>) {
        self.at(s.t_s, s.p);
    }
    fn segment(
        &mut self,
        a: &interceptmc::kernel::physics::propagate::Sample<f64>,
        b: &interceptmc::kernel::physics::propagate::Sample<f64>,
    ) -> bool {
        use interceptmc::kernel::physics::propagate::hermite_state;
        for k in 1..=MARGIN_SAMPLES {
            let t = a.t_s + (b.t_s - a.t_s) * k as f64 / MARGIN_SAMPLES as f64;
            self.at(t, hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t).0);
        }
        true
    }
}

/// Each sensor's coverage of the f64 flight of slot `slot` of `trial` (`deep_km`: the depth
/// outside coverage that `Coverage::deep_out_s` waits for): an independent oracle for the
/// event tracker's detections and track losses, by dense sampling of the same flight.
pub fn sensor_coverage(b: &Batch, trial: u64, slot: u32, deep_km: f64) -> Vec<Coverage> {
    use interceptmc::kernel::engage::sensors::detection_range_km;
    use interceptmc::kernel::{env_of, pick_class, sample_threat, slot_draws, DRAW_CLASS};
    let u = slot_draws(b.seed, trial, slot);
    let class = pick_class(&b.params, u[DRAW_CLASS as usize]);
    let th = sample_threat::<f64>(b, class, &u);
    let rcs = f64::from(b.classes[class as usize].rcs_m2);
    let inf = f64::INFINITY;
    let mut o = CoverageObserver {
        sensors: b.sensors.clone(),
        range_km: b
            .sensors
            .iter()
            .map(|s| detection_range_km(s, rcs))
            .collect(),
        deep_km,
        cov: vec![
            Coverage {
                max_km: -inf,
                first_in_s: inf,
                min_after_in_km: inf,
                deep_out_s: inf,
                end_s: 0.0,
            };
            b.sensors.len()
        ],
    };
    interceptmc::kernel::physics::propagate::propagate(&th, &env_of::<f64>(&b.params), &mut o);
    o.cov
}
