//! Warnings about values that are legal but look like a unit mistake: a speed in m/s where km/s
//! is meant, an altitude in metres where km is meant. They never stop a run (`scenario check`
//! and `run` print them on stderr and exit as they would without them). The warnings that need
//! the physics (an impact far from the aim point, an envelope or a sensor that no nominal
//! trajectory reaches) are `mc::preflight`'s.

use super::model::*;
use super::validate::{Fail, KeyPath};

/// A speed above this, km/s, looks like m/s: the escape speed is 11.2 km/s, so no missile or
/// interceptor comes near it, and any speed over 20 m/s written in m/s lands above it.
pub const SPEED_LOOKS_LIKE_M_S: f64 = 20.0;
/// A threat altitude (burnout, glide start, cruise) above this, km, looks like metres:
/// burnouts are at 50 to 400 km, glides at 20 to 80 km, cruises at 0 to 40 km, and any altitude
/// over 2 km written in metres lands above it.
pub const THREAT_ALTITUDE_LOOKS_LIKE_M: f64 = 2_000.0;
/// A site altitude above this, km, looks like metres: the highest ground is 8.8 km.
pub const SITE_ALTITUDE_LOOKS_LIKE_M: f64 = 10.0;

fn speed(out: &mut Vec<Fail>, path: KeyPath, what: &str, v: f64) {
    if v > SPEED_LOOKS_LIKE_M_S {
        out.push(Fail {
            path,
            message: format!(
                "{what} of {v} km/s looks like m/s (the escape speed is 11.2 km/s; nothing in the \
                 model flies faster than {SPEED_LOOKS_LIKE_M_S} km/s): did you mean {} km/s?",
                v / 1000.0
            ),
        });
    }
}

fn altitude(out: &mut Vec<Fail>, path: KeyPath, what: &str, v: f64, limit: f64, why: &str) {
    if v > limit {
        out.push(Fail {
            path,
            message: format!(
                "{what} of {v} km looks like metres ({why}): did you mean {} km?",
                v / 1000.0
            ),
        });
    }
}

/// The unit warnings of a validated scenario, as (key path, message).
pub(crate) fn lint(sc: &Scenario) -> Vec<Fail> {
    let mut out = Vec::new();
    let root = KeyPath::root();
    let threat_alt = "burnouts, glides and cruises fly below 2,000 km";
    for (i, t) in sc.threats.iter().enumerate() {
        let p = root.key("threat").index(i);
        let named = |what: &str| format!("threat {:?}: {what}", t.name);
        match &t.kind {
            ThreatKind::Ballistic(b) => {
                if let BallisticAim::Free {
                    burnout_speed_km_s, ..
                } = b.aim_mode
                {
                    speed(
                        &mut out,
                        p.key("burnout_speed_km_s"),
                        &named("a burnout speed"),
                        burnout_speed_km_s,
                    );
                }
                altitude(
                    &mut out,
                    p.key("burnout_altitude_km"),
                    &named("a burnout altitude"),
                    b.burnout_altitude_km,
                    THREAT_ALTITUDE_LOOKS_LIKE_M,
                    threat_alt,
                );
            }
            ThreatKind::Glide(g) => {
                let q = p.key("glide");
                speed(
                    &mut out,
                    q.key("start_speed_km_s"),
                    &named("a glide start speed"),
                    g.start_speed_km_s,
                );
                altitude(
                    &mut out,
                    q.key("start_altitude_km"),
                    &named("a glide start altitude"),
                    g.start_altitude_km,
                    THREAT_ALTITUDE_LOOKS_LIKE_M,
                    threat_alt,
                );
            }
            ThreatKind::Cruise(c) => {
                let q = p.key("cruise");
                speed(
                    &mut out,
                    q.key("speed_km_s"),
                    &named("a cruise speed"),
                    c.speed_km_s,
                );
                altitude(
                    &mut out,
                    q.key("altitude_km"),
                    &named("a cruise altitude"),
                    c.altitude_km,
                    THREAT_ALTITUDE_LOOKS_LIKE_M,
                    threat_alt,
                );
            }
        }
    }
    for i in &sc.interceptors {
        speed(
            &mut out,
            root.key("interceptor")
                .key(&i.name)
                .key("flyout_speed_km_s"),
            &format!("interceptor {:?}: a fly-out speed", i.name),
            i.flyout_speed_km_s,
        );
    }
    let site_why = "the highest ground is 8.8 km";
    for (i, s) in sc.sensors.iter().enumerate() {
        altitude(
            &mut out,
            root.key("sensor").index(i).key("site").key("alt_km"),
            &format!("sensor {:?}: a site altitude", s.name),
            s.site.alt_km,
            SITE_ALTITUDE_LOOKS_LIKE_M,
            site_why,
        );
    }
    for (i, b) in sc.batteries.iter().enumerate() {
        altitude(
            &mut out,
            root.key("battery").index(i).key("site").key("alt_km"),
            &format!("battery {:?}: a site altitude", b.name),
            b.site.alt_km,
            SITE_ALTITUDE_LOOKS_LIKE_M,
            site_why,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Scenario, DEFAULT_SCENARIO_TOML};

    fn warnings(from: &str, to: &str) -> Vec<(String, Option<usize>, String)> {
        assert_eq!(DEFAULT_SCENARIO_TOML.matches(from).count(), 1, "{from}");
        let text = DEFAULT_SCENARIO_TOML.replacen(from, to, 1);
        let s = Scenario::from_toml_str(&text, "u.toml").unwrap_or_else(|e| panic!("{e}"));
        s.unit_warnings(&text, "u.toml")
            .into_iter()
            .map(|w| (w.key().to_string(), w.line(), w.to_string()))
            .collect()
    }

    #[test]
    fn the_default_is_clean() {
        let s = Scenario::default_scenario();
        assert!(s
            .unit_warnings(DEFAULT_SCENARIO_TOML, "<default>")
            .is_empty());
    }

    #[test]
    fn metres_and_metres_per_second_are_caught_with_their_lines() {
        let w = warnings("speed_km_s = 1.8", "speed_km_s = 1800.0");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].0, "threat[2].cruise.speed_km_s");
        // The line of the edited value, counted here from the default scenario's text.
        let line = DEFAULT_SCENARIO_TOML
            .lines()
            .position(|l| l.contains("speed_km_s = 1.8"))
            .unwrap()
            + 1;
        assert_eq!(w[0].1, Some(line));
        let at = format!("warning: u.toml:{line}:");
        assert!(w[0].2.starts_with(&at), "{}", w[0].2);
        assert!(w[0].2.contains("threat \"hcm\"") && w[0].2.contains("1.8 km/s?"));

        let w = warnings("start_speed_km_s = 6.0", "start_speed_km_s = 6000.0");
        assert_eq!(w[0].0, "threat[1].glide.start_speed_km_s");
        let w = warnings("flyout_speed_km_s = 1.5", "flyout_speed_km_s = 1500.0");
        assert_eq!(w[0].0, "interceptor.pac3.flyout_speed_km_s");
        let w = warnings(
            "burnout_altitude_km = 80.0",
            "burnout_altitude_km = 80000.0",
        );
        assert_eq!(w[0].0, "threat[0].burnout_altitude_km");
        assert!(w[0].2.contains("looks like metres") && w[0].2.contains("80 km?"));
        let w = warnings("altitude_km = 25.0", "altitude_km = 2500.0");
        assert_eq!(w[0].0, "threat[2].cruise.altitude_km");
        let w = warnings("alt_km = 0.1 }", "alt_km = 100.0 }");
        assert_eq!(w[0].0, "sensor[1].site.alt_km");
        // a high but real site, a fast but real speed: no warning
        assert!(warnings("alt_km = 0.1 }", "alt_km = 5.0 }").is_empty());
        assert!(warnings("start_speed_km_s = 6.0", "start_speed_km_s = 19.0").is_empty());
    }
}
