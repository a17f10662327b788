//! Shared helpers of the integration tests: small scenarios written as TOML.
#![allow(dead_code)]

use interceptmc::model::batch::Batch;
use interceptmc::scenario::Scenario;

pub const R_KM: f64 = 6371.0;
pub const MU: f64 = 398600.4418;

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

/// An engagement world where every threat is always engageable: a short cruise missile seen
/// from launch by a radar with a huge range, and `batteries` (TOML) whose envelope covers it.
pub fn always_engageable(
    doctrine: &str,
    interceptors: &str,
    batteries: &str,
    extra: &str,
) -> String {
    format!(
        r#"
name = "always"
[run]
samples = 1
seed = 2
dt_s = 10.0
dt_atmosphere_s = 10.0
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "cm"
kind = "cruise"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = 2.0, sigma_km = 0.0 }}
boost_time_s = 0.0
cruise = {{ altitude_km = 10.0, speed_km_s = 1.0, weave_g = 0.0, dive_range_km = 0.0 }}
[[sensor]]
name = "r"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = 1.0, alt_km = 0.0 }}
max_range_km = 5000.0
min_elevation_deg = 0.0
track_delay_s = 0.0
{interceptors}
{batteries}
[doctrine]
{doctrine}
{extra}
"#
    )
}

/// An interceptor table whose envelope covers the `always_engageable` threat.
pub fn wide_interceptor(name: &str, sspk: &str) -> String {
    format!(
        r#"
[interceptor.{name}]
min_altitude_km = 0.0
max_altitude_km = 1000.0
max_range_km = 2000.0
flyout_speed_km_s = 100.0
sspk = {sspk}
divert_g = 30.0
"#
    )
}

pub fn battery(name: &str, interceptor: &str, inventory: u32) -> String {
    format!(
        r#"
[[battery]]
name = "{name}"
site = {{ lat_deg = 0.0, lon_deg = 1.0 }}
interceptor = "{interceptor}"
inventory = {inventory}
reaction_time_s = 0.0
"#
    )
}
