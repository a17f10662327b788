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
