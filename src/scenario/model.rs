//! The validated, immutable scenario. Built only by `Scenario::from_toml_str` (see
//! `validate.rs`), so every value here has been checked: finite, in range, references resolved.
//! Units are in the field names, as in the file.

/// A geographic point on (or above) the spherical Earth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoPoint {
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_km: f64,
}

/// Which backend runs the trials: the one choice type of the scenario's `[run] backend`, of
/// `--backend` on every command, and of `backend::open`. `auto` means the same everywhere: a
/// hardware GPU when there is one, otherwise the CPU backend (said on stderr); a software
/// adapter (lavapipe/llvmpipe) runs only when asked for with `gpu`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackendChoice {
    #[default]
    Auto,
    Cpu,
    Gpu,
}

impl BackendChoice {
    /// Every choice, in the order `--help` lists them.
    pub const ALL: [BackendChoice; 3] =
        [BackendChoice::Auto, BackendChoice::Cpu, BackendChoice::Gpu];

    /// The name in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            BackendChoice::Auto => "auto",
            BackendChoice::Cpu => "cpu",
            BackendChoice::Gpu => "gpu",
        }
    }
}

impl std::fmt::Display for BackendChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for BackendChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        BackendChoice::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown backend `{s}` (auto, cpu or gpu)"))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    pub samples: u64,
    pub seed: u64,
    pub backend: BackendChoice,
    pub integrator: Integrator,
    /// Local error allowed per adaptive step, km.
    pub tolerance_km: f64,
    /// Step above 100 km (fixed RK4), and the sampling interval of boosts and cruise legs, s.
    pub dt_s: f64,
    /// Step below 100 km, s.
    pub dt_atmosphere_s: f64,
    /// Confidence level of every interval, in (0, 1).
    pub confidence: f64,
}

/// How ballistic and glide flights are integrated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integrator {
    /// Dormand-Prince 5(4) with error control (`tolerance_km`).
    Adaptive,
    /// Classical RK4 at `dt_s` above the atmosphere top, `dt_atmosphere_s` below.
    Rk4,
}

impl Integrator {
    pub fn name(self) -> &'static str {
        match self {
            Integrator::Adaptive => "adaptive",
            Integrator::Rk4 => "rk4",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Atmosphere {
    Exponential,
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EarthSettings {
    pub rotation: bool,
    pub atmosphere: Atmosphere,
}

/// How the ballistic burnout velocity is chosen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BallisticAim {
    /// Minimum-energy flight-path angle plus `loft_deg` (0 = minimum energy), speed solved.
    MinEnergy { loft_deg: f64 },
    /// Explicit flight-path angle, speed solved to the aim point.
    FixedAngle { flight_path_angle_deg: f64 },
    /// Explicit speed, angle and azimuth (Earth-relative); no aim point needed.
    Free {
        burnout_speed_km_s: f64,
        flight_path_angle_deg: f64,
        azimuth_deg: f64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct BallisticParams {
    pub boost_time_s: f64,
    pub burnout_altitude_km: f64,
    /// Ground distance covered during the boost (default: equal to the burnout altitude), km.
    pub boost_range_km: f64,
    pub aim_mode: BallisticAim,
    pub burnout_speed_sigma_fraction: f64,
    pub flight_path_angle_spread_deg: f64,
    pub azimuth_sigma_deg: f64,
    pub decoys: u32,
    pub discrimination_probability: f64,
    pub decoy_strip_altitude_km: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GlideParams {
    pub boost_time_s: f64,
    /// Ground distance covered during the boost, km.
    pub boost_range_km: f64,
    pub start_altitude_km: f64,
    pub start_speed_km_s: f64,
    pub start_flight_path_angle_deg: f64,
    pub lift_to_drag: f64,
    pub weave_bank_deg: f64,
    /// Weave period drawn uniformly from [lo, hi], s.
    pub weave_period_s: [f64; 2],
    pub dive_range_km: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CruiseParams {
    /// Climb from launch to cruise altitude, s.
    pub boost_time_s: f64,
    pub boost_range_km: f64,
    pub altitude_km: f64,
    pub speed_km_s: f64,
    pub weave_g: f64,
    pub weave_period_s: [f64; 2],
    pub dive_range_km: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ThreatKind {
    Ballistic(BallisticParams),
    Glide(GlideParams),
    Cruise(CruiseParams),
}

impl ThreatKind {
    pub fn name(&self) -> &'static str {
        match self {
            ThreatKind::Ballistic(_) => "ballistic",
            ThreatKind::Glide(_) => "glide",
            ThreatKind::Cruise(_) => "cruise",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LaunchArea {
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Launch points are uniform over a disc of this radius, km.
    pub radius_km: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AimArea {
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Circular-normal sigma per axis, km.
    pub sigma_km: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Threat {
    pub name: String,
    pub weight: f64,
    pub launch: LaunchArea,
    /// Absent only for free ballistic shots.
    pub aim: Option<AimArea>,
    /// Launch time drawn uniformly from [lo, hi], s.
    pub launch_time_s: [f64; 2],
    pub rcs_m2: f64,
    pub ballistic_coefficient_kg_m2: f64,
    pub kind: ThreatKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sector {
    pub boresight_azimuth_deg: f64,
    pub half_width_deg: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sensor {
    pub name: String,
    pub site: GeoPoint,
    pub max_range_km: f64,
    pub reference_rcs_m2: f64,
    pub min_elevation_deg: f64,
    pub sector: Option<Sector>,
    pub track_delay_s: f64,
    /// Objects tracked at once (`None`: unlimited; docs/model.md section 9, "Capacity").
    pub track_capacity: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sspk {
    Fixed(f64),
    /// Uncertain: drawn once per trial from Beta(a, b), shared by all shots of that type.
    Beta {
        a: f64,
        b: f64,
    },
}

impl Sspk {
    pub fn mean(&self) -> f64 {
        match *self {
            Sspk::Fixed(p) => p,
            Sspk::Beta { a, b } => a / (a + b),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Interceptor {
    pub name: String,
    pub min_altitude_km: f64,
    pub max_altitude_km: f64,
    pub max_range_km: f64,
    pub flyout_speed_km_s: f64,
    pub sspk: Sspk,
    pub divert_g: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Battery {
    pub name: String,
    pub site: GeoPoint,
    /// Index into `Scenario::interceptors`.
    pub interceptor: usize,
    pub inventory: u32,
    pub reaction_time_s: f64,
    /// Indices into `Scenario::sensors` that can cue this battery.
    pub sensors: Vec<usize>,
    /// Engagements in flight at once (`None`: unlimited; docs/model.md section 10, "Capacity").
    pub fire_channels: Option<u32>,
    /// Minimum time between two launches of the battery, s (0: none).
    pub launch_interval_s: f64,
    /// Indices into `Scenario::sensors`: a launch needs one of them to hold the target in track
    /// and to cover the intercept point (empty: no such requirement).
    pub fire_control_sensors: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoctrineMode {
    Salvo,
    ShootLookShoot,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Doctrine {
    pub mode: DoctrineMode,
    pub salvo_size: u32,
    pub max_engagements: u32,
    pub kill_assessment_s: f64,
    pub kill_assessment_probability: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Raid {
    pub size: u32,
    pub launch_window_s: f64,
    pub system_reliability: f64,
    pub track_reliability: f64,
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub run: RunSettings,
    pub earth: EarthSettings,
    pub threats: Vec<Threat>,
    pub sensors: Vec<Sensor>,
    /// In file order of their `[interceptor.NAME]` tables (sorted by name if order is lost).
    pub interceptors: Vec<Interceptor>,
    pub batteries: Vec<Battery>,
    pub doctrine: Doctrine,
    /// `None` without `[raid]`: a trial is one threat (equivalent to size 1, reliabilities 1).
    pub raid: Option<Raid>,
}
