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

/// Points per step at which `max_sensor_margins_km` samples a flight's interpolant.
pub const MARGIN_SAMPLES: usize = 512;

/// The largest margin of every sensor over a flight (`sensor_margin`, km), sampled
/// `MARGIN_SAMPLES` times a step on the step's interpolant: no split points, no root-finding.
struct MaxMargins {
    sensors: Vec<interceptmc::model::types::Sensor>,
    range_km: Vec<f64>,
    max_km: Vec<f64>,
}

impl MaxMargins {
    fn at(&mut self, p: interceptmc::base::V3<f64>) {
        use interceptmc::kernel::engage::sensors::sensor_margin;
        for (i, s) in self.sensors.iter().enumerate() {
            self.max_km[i] = self.max_km[i].max(sensor_margin(s, self.range_km[i], p));
        }
    }
}

impl interceptmc::kernel::physics::propagate::Observer<f64> for MaxMargins {
    fn start(&mut self, s: &interceptmc::kernel::physics::propagate::Sample<f64>) {
        self.at(s.p);
    }
    fn segment(
        &mut self,
        a: &interceptmc::kernel::physics::propagate::Sample<f64>,
        b: &interceptmc::kernel::physics::propagate::Sample<f64>,
    ) -> bool {
        use interceptmc::kernel::physics::propagate::hermite_state;
        for k in 1..=MARGIN_SAMPLES {
            let t = a.t_s + (b.t_s - a.t_s) * k as f64 / MARGIN_SAMPLES as f64;
            self.at(hermite_state(a.t_s, a.p, a.v, b.t_s, b.p, b.v, t).0);
        }
        true
    }
}

/// Largest margin of each sensor of `b` over the f64 flight of slot `slot` of `trial`, km
/// (an independent oracle for the event tracker's detections: dense sampling of the same flight).
pub fn max_sensor_margins_km(b: &Batch, trial: u64, slot: u32) -> Vec<f64> {
    use interceptmc::kernel::engage::sensors::detection_range_km;
    use interceptmc::kernel::{env_of, pick_class, sample_threat, slot_draws, DRAW_CLASS};
    let u = slot_draws(b.seed, trial, slot);
    let class = pick_class(&b.params, u[DRAW_CLASS as usize]);
    let th = sample_threat::<f64>(b, class, &u);
    let rcs = f64::from(b.classes[class as usize].rcs_m2);
    let mut o = MaxMargins {
        sensors: b.sensors.clone(),
        range_km: b
            .sensors
            .iter()
            .map(|s| detection_range_km(s, rcs))
            .collect(),
        max_km: vec![f64::NEG_INFINITY; b.sensors.len()],
    };
    interceptmc::kernel::physics::propagate::propagate(&th, &env_of::<f64>(&b.params), &mut o);
    o.max_km
}
