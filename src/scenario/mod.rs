//! Scenario files: the TOML schema (`schema.rs`, unknown keys are errors), validation into the
//! immutable [`Scenario`] (`validate.rs`), the error type ([`ScenarioError`]: file, key path,
//! line, message) and the embedded default scenario.
//!
//! ```
//! use interceptmc::scenario::Scenario;
//! let s = Scenario::default_scenario();
//! assert!(!s.threats.is_empty());
//! ```

pub mod error;
mod lint;
pub mod model;
pub mod overrides;
mod schema;
pub mod sweep;
mod validate;

use std::path::Path;

pub use error::{ScenarioError, ScenarioWarning};
pub use lint::{SITE_ALTITUDE_LOOKS_LIKE_M, SPEED_LOOKS_LIKE_M_S, THREAT_ALTITUDE_LOOKS_LIKE_M};
pub use model::*;

use validate::{KeyPath, Locator};

/// The built-in default scenario (`scenarios/default.toml`), as text.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/default.toml");

/// The origin named in errors about [`DEFAULT_SCENARIO_TOML`].
pub const DEFAULT_ORIGIN: &str = "<default>";

impl Scenario {
    /// Whether any capacity key is set (a sensor's `track_capacity`, a battery's
    /// `fire_channels`, `launch_interval_s` or `fire_control_sensors`): the kernels then apply
    /// the limits (`FLAG_CAPACITY`) and the outputs report how often they bound.
    pub fn has_capacity_limits(&self) -> bool {
        self.sensors.iter().any(|s| s.track_capacity.is_some())
            || self.batteries.iter().any(|b| {
                b.fire_channels.is_some()
                    || b.launch_interval_s > 0.0
                    || !b.fire_control_sensors.is_empty()
            })
    }

    /// Parses and validates a scenario from TOML text. `origin` (a file path, or `<default>`)
    /// names the source in error messages. Never panics, whatever the text.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let (doc, syntax_errors) = toml::de::DeTable::parse_recoverable(text);
        let loc = Locator::new(text, doc.get_ref());
        if let Some(e) = syntax_errors.first() {
            return Err(loc.toml_error(origin, e, true));
        }
        if doc.get_ref().is_empty() {
            return Err(ScenarioError::new(
                origin,
                "",
                "the scenario is empty: it needs at least `name` and one [[threat]] table \
                 (`interceptmc scenario show default` prints a template)",
            ));
        }
        let file: schema::ScenarioFile =
            toml::from_str(text).map_err(|e| loc.toml_error(origin, &e, false))?;
        validate::build(&file, &loc).map_err(|f| loc.error(origin, f))
    }

    /// Reads, parses and validates a scenario file. Unreadable files and files that are not
    /// UTF-8 text are `ScenarioError`s naming the file, like any schema or value error.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| ScenarioError::new(&origin, "", format!("cannot read the file: {e}")))?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let bad = e.utf8_error().valid_up_to();
                let bytes = e.as_bytes();
                let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = bytes[..bad]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let column = String::from_utf8_lossy(&bytes[line_start..bad])
                    .chars()
                    .count()
                    + 1;
                return Err(ScenarioError::new(
                    &origin,
                    "",
                    format!(
                        "not a UTF-8 text file (invalid byte 0x{:02x} at byte offset {bad}); a \
                         scenario must be TOML text",
                        bytes[bad]
                    ),
                )
                .at(line, column));
            }
        };
        Scenario::from_toml_str(&text, &origin)
    }

    /// Warnings about values of this scenario that are legal but look like a unit mistake (a
    /// speed over 20 km/s, a threat altitude over 2,000 km, a site over 10 km high), each
    /// naming `origin`, the key and its line in `text`, the text the scenario was loaded from.
    pub fn unit_warnings(&self, text: &str, origin: &str) -> Vec<ScenarioWarning> {
        let (doc, _) = toml::de::DeTable::parse_recoverable(text);
        let loc = Locator::new(text, doc.get_ref());
        lint::lint(self)
            .into_iter()
            .map(|f| ScenarioWarning(loc.error(origin, f)))
            .collect()
    }

    /// The built-in default scenario ([`DEFAULT_SCENARIO_TOML`]).
    pub fn default_scenario() -> Scenario {
        Scenario::from_toml_str(DEFAULT_SCENARIO_TOML, DEFAULT_ORIGIN)
            .unwrap_or_else(|e| panic!("the embedded default scenario is invalid: {e}"))
    }
}

/// A diagnostic found after loading (by `mc::preflight`) about `key`, a key path as errors
/// display it (`threat[1]`, `threat[0].loft_deg`, `battery[2]`), of the scenario `text` read
/// from `origin`: at the line of the key, or of its longest prefix present in the text.
pub fn locate(text: &str, origin: &str, key: &str, message: impl Into<String>) -> ScenarioError {
    let e = ScenarioError::new(origin, key, message);
    let Some(path) = KeyPath::parse(key) else {
        return e;
    };
    let (doc, _) = toml::de::DeTable::parse_recoverable(text);
    let loc = Locator::new(text, doc.get_ref());
    match loc.span_of(&path) {
        Some(span) => {
            let (line, column) = loc.line_col(span.start);
            e.at(line, column)
        }
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "minimal"

[[threat]]
name = "t"
kind = "ballistic"
launch = { lat_deg = 0.0, lon_deg = 0.0 }
aim = { lat_deg = 0.0, lon_deg = 20.0 }
boost_time_s = 0.0
burnout_altitude_km = 0.0
"#;

    fn err(text: &str) -> ScenarioError {
        Scenario::from_toml_str(text, "t.toml").expect_err("should fail")
    }

    #[test]
    fn default_scenario_loads_in_file_order() {
        let s = Scenario::default_scenario();
        assert_eq!(s.name, "europe-layered");
        assert!(s
            .description
            .starts_with("Illustrative: public, approximate figures only"));
        let names: Vec<&str> = s.interceptors.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            ["sm3", "thaad", "pac3"],
            "file order, not name order"
        );
        let kinds: Vec<&str> = s.threats.iter().map(|t| t.kind.name()).collect();
        assert_eq!(kinds, ["ballistic", "glide", "cruise"]);
        // battery -> interceptor indices follow the file order too
        assert_eq!(s.batteries[0].interceptor, 0);
        assert_eq!(s.batteries[2].interceptor, 1);
        assert_eq!(s.batteries[3].interceptor, 2);
        // default sensors = all; explicit list resolved to indices
        assert_eq!(s.batteries[0].sensors, vec![0, 1]);
        assert_eq!(s.batteries[3].sensors, vec![1]);
        assert_eq!(s.interceptors[0].sspk, Sspk::Beta { a: 8.0, b: 2.0 });
        assert!((s.interceptors[0].sspk.mean() - 0.8).abs() < 1e-12);
        assert_eq!(s.run.dt_atmosphere_s, 0.5);
        assert_eq!(s.doctrine.max_engagements, 2);
        assert!(s.raid.is_none());
    }

    #[test]
    fn defaults_are_applied() {
        let s = Scenario::from_toml_str(MINIMAL, "m.toml").unwrap();
        assert_eq!(s.description, "");
        assert_eq!(
            s.run,
            RunSettings {
                samples: 100_000,
                seed: 1,
                backend: BackendChoice::Auto,
                integrator: Integrator::Adaptive,
                tolerance_km: 1e-2,
                dt_s: 1.0,
                dt_atmosphere_s: 0.1,
                confidence: 0.95,
            }
        );
        assert_eq!(
            s.earth,
            EarthSettings {
                rotation: true,
                atmosphere: Atmosphere::Exponential
            }
        );
        assert_eq!(
            s.doctrine,
            Doctrine {
                mode: DoctrineMode::ShootLookShoot,
                salvo_size: 1,
                max_engagements: 1,
                kill_assessment_s: 20.0,
                kill_assessment_probability: 1.0,
            }
        );
        let t = &s.threats[0];
        assert_eq!(t.weight, 1.0);
        assert_eq!(t.launch_time_s, [0.0, 0.0]);
        assert_eq!(t.rcs_m2, 1.0);
        assert_eq!(t.ballistic_coefficient_kg_m2, 20_000.0);
        assert_eq!(t.launch.radius_km, 0.0);
        assert_eq!(t.aim.as_ref().unwrap().sigma_km, 0.0);
        let ThreatKind::Ballistic(b) = &t.kind else {
            panic!("ballistic expected")
        };
        assert_eq!(b.aim_mode, BallisticAim::MinEnergy { loft_deg: 0.0 });
        assert_eq!(b.boost_range_km, 0.0);
        assert_eq!(b.decoys, 0);
        assert_eq!(b.discrimination_probability, 0.0);
        assert_eq!(b.decoy_strip_altitude_km, 80.0);
        assert!(s.sensors.is_empty() && s.batteries.is_empty() && s.interceptors.is_empty());
    }

    #[test]
    fn boost_range_defaults_to_the_altitude_at_boost_end() {
        let text = MINIMAL
            .replace("boost_time_s = 0.0", "boost_time_s = 100.0")
            .replace("burnout_altitude_km = 0.0", "burnout_altitude_km = 75.0");
        let s = Scenario::from_toml_str(&text, "m.toml").unwrap();
        let ThreatKind::Ballistic(b) = &s.threats[0].kind else {
            panic!()
        };
        assert_eq!(b.boost_range_km, 75.0);
        let e = err(&MINIMAL.replace(
            "boost_time_s = 0.0",
            "boost_time_s = 0.0\nboost_range_km = 5.0",
        ));
        assert_eq!(e.key(), "threat[0].boost_range_km");
        assert_eq!(e.line(), Some(10));
    }

    #[test]
    fn aim_modes() {
        let fixed = MINIMAL.replace(
            "burnout_altitude_km = 0.0",
            "burnout_altitude_km = 0.0\nflight_path_angle_deg = 30.0",
        );
        let s = Scenario::from_toml_str(&fixed, "m.toml").unwrap();
        let ThreatKind::Ballistic(b) = &s.threats[0].kind else {
            panic!()
        };
        assert_eq!(
            b.aim_mode,
            BallisticAim::FixedAngle {
                flight_path_angle_deg: 30.0
            }
        );

        let free = MINIMAL.replace("aim = { lat_deg = 0.0, lon_deg = 20.0 }\n", "").replace(
            "burnout_altitude_km = 0.0",
            "burnout_altitude_km = 0.0\nburnout_speed_km_s = 4.0\nflight_path_angle_deg = 40.0\nazimuth_deg = 90.0",
        );
        let s = Scenario::from_toml_str(&free, "m.toml").unwrap();
        assert!(s.threats[0].aim.is_none());
        let ThreatKind::Ballistic(b) = &s.threats[0].kind else {
            panic!()
        };
        assert_eq!(
            b.aim_mode,
            BallisticAim::Free {
                burnout_speed_km_s: 4.0,
                flight_path_angle_deg: 40.0,
                azimuth_deg: 90.0
            }
        );

        let lofted = MINIMAL.replace(
            "burnout_altitude_km = 0.0",
            "burnout_altitude_km = 0.0\nloft_deg = -5",
        );
        let s = Scenario::from_toml_str(&lofted, "m.toml").unwrap();
        let ThreatKind::Ballistic(b) = &s.threats[0].kind else {
            panic!()
        };
        assert_eq!(b.aim_mode, BallisticAim::MinEnergy { loft_deg: -5.0 });
    }

    #[test]
    fn missing_top_level_name_has_key_but_no_line() {
        let e = err(&MINIMAL.replace("name = \"minimal\"", ""));
        assert_eq!(e.key(), "name");
        assert_eq!(e.line(), None);
        assert!(e.message().contains("missing required key `name`"), "{e}");
        assert_eq!(e.origin(), "t.toml");
    }

    #[test]
    fn display_includes_line_and_key() {
        let e = err(&MINIMAL.replace("lon_deg = 20.0", "lon_deg = 400.0"));
        assert_eq!(
            e.to_string(),
            "t.toml:8:24: threat[0].aim.lon_deg: must be in [-180, 360) (got 400)"
        );
    }

    #[test]
    fn unreadable_file_names_the_file() {
        let e = Scenario::load(Path::new("/nonexistent/dir/x.toml")).unwrap_err();
        assert_eq!(e.origin(), "/nonexistent/dir/x.toml");
        assert!(e
            .to_string()
            .starts_with("/nonexistent/dir/x.toml: cannot read the file"));
    }
}
