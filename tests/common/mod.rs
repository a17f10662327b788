//! Shared helpers of the integration tests: small scenarios written as TOML.
#![allow(dead_code)]

use interceptmc::model::batch::Batch;
use interceptmc::scenario::Scenario;

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
