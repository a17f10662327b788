//! The scenario file as written: serde structs that mirror the TOML keys one to one
//! (`deny_unknown_fields` everywhere, so a misspelt key is an error, not a silent default).
//!
//! Nothing here is checked beyond its TOML type; `validate.rs` turns a [`ScenarioFile`] into the
//! immutable [`crate::scenario::Scenario`]. Keys whose default depends on other keys (the threat
//! kind, the aim mode) are `Option`s here and resolved there. Units are in the key names.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub run: RunRaw,
    #[serde(default)]
    pub earth: EarthRaw,
    /// `[[threat]]` tables, in file order.
    #[serde(default)]
    pub threat: Vec<ThreatRaw>,
    /// `[[sensor]]` tables, in file order.
    #[serde(default)]
    pub sensor: Vec<SensorRaw>,
    /// `[interceptor.NAME]` tables. The map is ordered by name; validation restores file order
    /// from the key positions.
    #[serde(default)]
    pub interceptor: BTreeMap<String, InterceptorRaw>,
    /// `[[battery]]` tables, in file order.
    #[serde(default)]
    pub battery: Vec<BatteryRaw>,
    #[serde(default)]
    pub doctrine: DoctrineRaw,
    #[serde(default)]
    pub raid: Option<RaidRaw>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BackendRaw {
    Auto,
    Cpu,
    Gpu,
}

/// `[run]`; every key has a default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct RunRaw {
    /// Trials (default 100000).
    pub samples: u64,
    /// Seed of the random stream (default 1).
    pub seed: u64,
    /// `auto` (default), `cpu` or `gpu`.
    pub backend: BackendRaw,
    /// `adaptive` (default: error-controlled Dormand-Prince 5(4) steps) or `rk4` (fixed steps).
    pub integrator: IntegratorRaw,
    /// Local error allowed per adaptive step, km (default 1e-2).
    pub tolerance: f64,
    /// Integration step above 100 km with `integrator = "rk4"`, and the sampling interval of
    /// boosts and cruise legs, s (default 1.0).
    pub dt_s: f64,
    /// Integration step below 100 km with `integrator = "rk4"`, s (default 0.1).
    pub dt_atmosphere_s: f64,
    /// Confidence level of the intervals (default 0.95).
    pub confidence: f64,
}

impl Default for RunRaw {
    fn default() -> Self {
        RunRaw {
            samples: 100_000,
            seed: 1,
            backend: BackendRaw::Auto,
            integrator: IntegratorRaw::Adaptive,
            tolerance: crate::base::limits::DEFAULT_TOLERANCE_KM,
            dt_s: 1.0,
            dt_atmosphere_s: 0.1,
            confidence: 0.95,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum IntegratorRaw {
    Adaptive,
    Rk4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AtmosphereRaw {
    Exponential,
    None,
}

/// `[earth]`; every key has a default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct EarthRaw {
    /// Rotating Earth (default true).
    pub rotation: bool,
    /// `exponential` (default) or `none`.
    pub atmosphere: AtmosphereRaw,
}

impl Default for EarthRaw {
    fn default() -> Self {
        EarthRaw {
            rotation: true,
            atmosphere: AtmosphereRaw::Exponential,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ThreatKindRaw {
    Ballistic,
    Glide,
    Cruise,
}

impl ThreatKindRaw {
    pub fn name(self) -> &'static str {
        match self {
            ThreatKindRaw::Ballistic => "ballistic",
            ThreatKindRaw::Glide => "glide",
            ThreatKindRaw::Cruise => "cruise",
        }
    }
}

/// `launch = { lat_deg, lon_deg, radius_km }`: launch points uniform over a disc.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LaunchRaw {
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Disc radius, km (default 0).
    #[serde(default)]
    pub radius_km: f64,
}

/// `aim = { lat_deg, lon_deg, sigma_km }`: aim points circular normal about the centre.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AimRaw {
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Sigma per axis, km (default 0).
    #[serde(default)]
    pub sigma_km: f64,
}

/// `glide = { ... }` of a `kind = "glide"` threat.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GlideRaw {
    /// Altitude at the start of the glide, km.
    pub start_altitude_km: f64,
    /// Speed at the start of the glide, km/s.
    pub start_speed_km_s: f64,
    /// Flight-path angle at the start of the glide, deg (default 0).
    #[serde(default)]
    pub start_flight_path_angle_deg: f64,
    /// Lift-to-drag ratio.
    pub lift_to_drag: f64,
    /// Weave bank-angle amplitude, deg (default 0: no weave).
    #[serde(default)]
    pub weave_bank_deg: f64,
    /// Weave period drawn uniformly from [lo, hi], s (default [20, 40]).
    #[serde(default = "default_weave_period")]
    pub weave_period_s: Pair,
    /// Ground distance before the aim point where the terminal dive starts, km (default 0).
    #[serde(default)]
    pub dive_range_km: f64,
}

/// `cruise = { ... }` of a `kind = "cruise"` threat.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CruiseRaw {
    /// Cruise altitude, km.
    pub altitude_km: f64,
    /// Cruise speed, km/s.
    pub speed_km_s: f64,
    /// Weave lateral acceleration amplitude, g (default 0: no weave).
    #[serde(default)]
    pub weave_g: f64,
    /// Weave period drawn uniformly from [lo, hi], s (default [20, 40]).
    #[serde(default = "default_weave_period")]
    pub weave_period_s: Pair,
    /// Ground distance before the aim point where the terminal dive starts, km (default 0).
    #[serde(default)]
    pub dive_range_km: f64,
}

pub(crate) fn default_weave_period() -> Pair {
    Pair([20.0, 40.0])
}

/// `[lo, hi]` or `[a, b]`: exactly two numbers. (A plain `[f64; 2]` would silently ignore a
/// third element.)
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pair(pub [f64; 2]);

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Vec::<f64>::deserialize(deserializer)?;
        match v.as_slice() {
            [a, b] => Ok(Pair([*a, *b])),
            _ => Err(de::Error::invalid_length(
                v.len(),
                &"an array of exactly two numbers",
            )),
        }
    }
}

/// One `[[threat]]` table. Keys that apply to one kind only are `Option`s so that validation can
/// reject them on the other kinds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThreatRaw {
    pub name: String,
    pub kind: ThreatKindRaw,
    /// Relative frequency in a raid (default 1).
    pub weight: Option<f64>,
    pub launch: LaunchRaw,
    /// Required except for free ballistic shots.
    pub aim: Option<AimRaw>,
    /// Launch time uniform in [lo, hi], s (default [0, 0]).
    pub launch_time_s: Option<Pair>,
    /// Radar cross-section, m^2 (default 1).
    pub rcs_m2: Option<f64>,
    /// kg/m^2 (default 20000 for ballistic and cruise; required for glide).
    pub ballistic_coefficient_kg_m2: Option<f64>,
    /// Boost duration, s (required, every kind).
    pub boost_time_s: Option<f64>,
    /// Ground distance covered during boost, km (default: the altitude at boost end; 0 when
    /// `boost_time_s = 0`).
    pub boost_range_km: Option<f64>,

    // ballistic only
    pub burnout_altitude_km: Option<f64>,
    pub loft_deg: Option<f64>,
    pub flight_path_angle_deg: Option<f64>,
    pub burnout_speed_km_s: Option<f64>,
    pub azimuth_deg: Option<f64>,
    pub burnout_speed_sigma_fraction: Option<f64>,
    pub flight_path_angle_spread_deg: Option<f64>,
    pub azimuth_sigma_deg: Option<f64>,
    pub decoys: Option<u32>,
    pub discrimination_probability: Option<f64>,
    pub decoy_strip_altitude_km: Option<f64>,

    // glide / cruise only
    pub glide: Option<GlideRaw>,
    pub cruise: Option<CruiseRaw>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SensorKindRaw {
    Radar,
}

/// `site = { lat_deg, lon_deg, alt_km }` of a sensor or battery.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteRaw {
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Site altitude, km (default 0).
    #[serde(default)]
    pub alt_km: f64,
}

/// One `[[sensor]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SensorRaw {
    pub name: String,
    pub kind: SensorKindRaw,
    pub site: SiteRaw,
    /// Detection range against `reference_rcs_m2`, km.
    pub max_range_km: f64,
    /// m^2 (default 1).
    #[serde(default = "one")]
    pub reference_rcs_m2: f64,
    /// deg (default 0).
    #[serde(default)]
    pub min_elevation_deg: f64,
    /// Sector centre, deg clockwise from north (with `sector_half_width_deg`; default: none).
    pub boresight_azimuth_deg: Option<f64>,
    /// Sector half width, deg, in (0, 180].
    pub sector_half_width_deg: Option<f64>,
    /// Delay from first detection to a firm track, s (default 0).
    #[serde(default)]
    pub track_delay_s: f64,
    /// Objects tracked at once (default: unlimited).
    pub track_capacity: Option<u32>,
}

fn one() -> f64 {
    1.0
}

/// `sspk = 0.8` or `sspk = { beta = [a, b] }`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum SspkRaw {
    Fixed(f64),
    Beta(Pair),
}

impl<'de> Deserialize<'de> for SspkRaw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SspkVisitor;

        impl<'de> Visitor<'de> for SspkVisitor {
            type Value = SspkRaw;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a probability or a table `{ beta = [a, b] }`")
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SspkRaw, E> {
                Ok(SspkRaw::Fixed(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SspkRaw, E> {
                Ok(SspkRaw::Fixed(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SspkRaw, E> {
                Ok(SspkRaw::Fixed(v as f64))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SspkRaw, A::Error> {
                let mut beta: Option<Pair> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "beta" {
                        return Err(de::Error::unknown_field(&key, &["beta"]));
                    }
                    if beta.is_some() {
                        return Err(de::Error::duplicate_field("beta"));
                    }
                    beta = Some(map.next_value()?);
                }
                match beta {
                    Some(ab) => Ok(SspkRaw::Beta(ab)),
                    None => Err(de::Error::missing_field("beta")),
                }
            }
        }

        deserializer.deserialize_any(SspkVisitor)
    }
}

/// One `[interceptor.NAME]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InterceptorRaw {
    pub min_altitude_km: f64,
    pub max_altitude_km: f64,
    /// Ground range from the battery, km.
    pub max_range_km: f64,
    /// Average fly-out speed, km/s.
    pub flyout_speed_km_s: f64,
    pub sspk: SspkRaw,
    /// Divert capability, g.
    pub divert_g: f64,
}

/// One `[[battery]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatteryRaw {
    pub name: String,
    pub site: SiteRaw,
    /// Name of an `[interceptor.NAME]` table.
    pub interceptor: String,
    pub inventory: u32,
    /// s (default 0).
    #[serde(default)]
    pub reaction_time_s: f64,
    /// Names of the sensors that can cue this battery (default: all).
    pub sensors: Option<Vec<String>>,
    /// Engagements in flight at once (default: unlimited).
    pub fire_channels: Option<u32>,
    /// Minimum time between two launches, s (default 0).
    #[serde(default)]
    pub launch_interval_s: f64,
    /// Names of the sensors one of which must hold the target in track at launch and cover the
    /// intercept point (default: none required).
    pub fire_control_sensors: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DoctrineModeRaw {
    Salvo,
    ShootLookShoot,
}

/// `[doctrine]`; every key has a default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct DoctrineRaw {
    /// `shoot-look-shoot` (default) or `salvo`.
    pub mode: DoctrineModeRaw,
    /// Interceptors per engagement (default 1).
    pub salvo_size: u32,
    /// Engagements per threat by each battery (default 1).
    pub max_engagements: u32,
    /// s (default 20).
    pub kill_assessment_s: f64,
    /// Chance that a surviving target is recognised as surviving (default 1).
    pub kill_assessment_probability: f64,
}

impl Default for DoctrineRaw {
    fn default() -> Self {
        DoctrineRaw {
            mode: DoctrineModeRaw::ShootLookShoot,
            salvo_size: 1,
            max_engagements: 1,
            kill_assessment_s: 20.0,
            kill_assessment_probability: 1.0,
        }
    }
}

/// `[raid]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RaidRaw {
    pub size: u32,
    /// s (default 0).
    #[serde(default)]
    pub launch_window_s: f64,
    /// default 1.
    #[serde(default = "one")]
    pub system_reliability: f64,
    /// default 1.
    #[serde(default = "one")]
    pub track_reliability: f64,
}
