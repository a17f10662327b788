//! Boost-glide (docs/model.md section 3; Acton 2015, Tracy & Wright 2020): the engine's
//! integrated point-mass glide against the equilibrium-glide altitude and Eggers' closed-form
//! range and time, and the published finding that over intercontinental range a glider arrives
//! within minutes of a minimum-energy ballistic missile, and is seen late by ground radars.
//!
//! The glide flown: beta 13,000 kg/m^2, L/D 2.6 (HTV-2-like), launched at 6.6 km/s and 55 km
//! altitude with a zero flight-path angle on a non-rotating Earth, no weave, no dive, and the aim
//! point 17,800 km away (beyond its reach, so the range control never banks: a wings-level
//! glide). It oscillates gently (the phugoid) about the equilibrium glide.

use super::engine::{fly_f32, fly_f64, lon_at_km, scenario, speed_crossing, Point};
use super::oracles::{self, R_E_KM};
use super::{ErrorKind, Row, RowBuilder};
use crate::kernel::propagate_slot;
use crate::model::batch::Batch;

const GROUP: &str = "glide";
/// What this group checks, for the report.
pub const ABOUT: &str = "A wings-level glide (beta 13,000 kg/m^2, L/D 2.6; started at 6.6 km/s and 55 km, flight-path angle 0, non-rotating Earth, no weave, no dive, aim point 17,800 km away so the range control never banks), integrated with 0.1 s steps. Equilibrium altitude: where the integrated trajectory's vertical acceleration d2h/dt2 vanishes (the centre of its phugoid), interpolated at 6 and 3 km/s, against the altitude of rho_eq = 2 beta (g - v^2/r) / ((L/D) v^2), within 0.1 %. Eggers range and time from 6 to 3 km/s (the trajectory samples interpolated at those speeds) against the closed form at r = R + the mean of the two equilibrium altitudes, within 2.5 % (measured 1.3-1.4 %: the phugoid and the change of r, docs/model.md section 3). Intercontinental finding (Tracy & Wright 2020): at 9,000 km a glider (180 s boost, 300 km downrange, starts its glide at 50 km and 7 km/s, 100 km dive) arrives within 10 min of a minimum-energy ballistic missile with the same boost, and a surface radar at the target sees it so late that its warning time is below half the ballistic missile's. Guidance (docs/model.md section 8), flown at a tolerance of 3e-4 km (metre-level checks; at the default 1e-2 km the integration's own error reaches tens of metres), the same glider started at 55 km and 6.6 km/s (Eggers range down to the planned end speed 0.3 v_c: 9,253 km), f64 and f32: range and heading control without a dive toward aims at 25, 50 and 75 % of that range, whose ground track must pass within 10 m of the aim (measured under 1 m here, and over aims of 15-90 % with the controller before issue 10's last changes), at about the planned end speed (within 15 %; measured 0.2-4 % here, at most 11 % over aims of 25-90 %: the arrival point's phugoid phase); with a 75 km terminal dive the same aims, where the impact must fall within 10 m of the aim (measured at most 4.2 m here; 2.2 m over aims of 15-90 % with the controller before issue 10's last changes; the glider has too much energy for aims below about 15 %, and shorter or longer dives miss by kilometres, see glide_guidance.rs) and the dive must steepen at least to the line of sight at its entry (spherical geometry); heading control: started 30 deg off the great circle to aims at 25 and 50 %, it still lands within 10 m; the weave (20 deg bank, period drawn from [20, 60] s at u = 0.25: 30 s): the period measured from the zero crossings of the lateral deviation from the great circle (smoothed over 2 s, less its 200 s mean, crossings with hysteresis at a quarter of its RMS) within 1 % of the drawn period (measured 0.48 % in f64, 0.53 % in f32), and the weaving glider still lands within 10 m of the aim.";
pub const BETA: f64 = 13_000.0;
pub const LD: f64 = 2.6;
/// Relative tolerance of the equilibrium altitude (measured 1.5e-4 and 2.5e-4: the centre of
/// the phugoid found from second differences of the sampled altitude).
pub const TOL_EQUILIBRIUM: f64 = 1e-3;
/// Relative tolerance of Eggers' range and time: the closed form assumes the equilibrium glide
/// throughout, the integrated glider oscillates about it (the phugoid) and its altitude, hence
/// r, changes by 15 km between the two speeds; measured 1.3 % and 1.4 % (docs/model.md section
/// 3: "a few per cent").
pub const TOL_EGGERS: f64 = 0.025;
/// Largest difference of flight times, glider vs minimum-energy ballistic missile, min.
pub const TOL_ARRIVAL_MIN: f64 = 10.0;
/// Speeds between which Eggers' range and time are compared, km/s.
pub const EGGERS_VI: f64 = 6.0;
pub const EGGERS_VF: f64 = 3.0;

fn wings_level_glide() -> String {
    format!(
        r#"
name = "validate-glide"
[run]
samples = 1
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = false
atmosphere = "exponential"
[[threat]]
name = "g"
kind = "glide"
launch = {{ lat_deg = 0.0, lon_deg = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = {} }}
ballistic_coefficient_kg_m2 = {BETA}
boost_time_s = 0.0
glide = {{ start_altitude_km = 55.0, start_speed_km_s = 6.6, lift_to_drag = {LD}, weave_bank_deg = 0.0, dive_range_km = 0.0 }}
"#,
        lon_at_km(17_800.0)
    )
}

/// Altitudes where the trajectory's vertical acceleration d2h/dt2 changes sign (the centre of
/// the phugoid oscillation, where lift and centrifugal relief balance gravity), with the speed
/// there: `(speed_km_s, alt_km)`, from second differences over about `span_s` seconds.
pub fn inflections(points: &[Point], span_s: f64) -> Vec<(f64, f64)> {
    let pts: Vec<Point> = points
        .iter()
        .copied()
        .filter(|p| p.speed_km_s > 0.0 && p.alt_km > 0.0)
        .collect();
    if pts.len() < 3 {
        return Vec::new();
    }
    let dt = (pts[pts.len() - 1].t_s - pts[0].t_s) / (pts.len() - 1) as f64;
    let k = ((span_s / dt).round() as usize).max(1);
    let mut acc: Vec<(f64, f64, f64)> = Vec::new(); // (speed, alt, d2h/dt2)
    for i in k..pts.len().saturating_sub(k) {
        let (a, b, c) = (pts[i - k], pts[i], pts[i + k]);
        let (h1, h2) = (b.t_s - a.t_s, c.t_s - b.t_s);
        let d2 = 2.0 * ((c.alt_km - b.alt_km) / h2 - (b.alt_km - a.alt_km) / h1) / (h1 + h2);
        acc.push((b.speed_km_s, b.alt_km, d2));
    }
    acc.windows(2)
        .filter(|w| w[0].2 * w[1].2 < 0.0)
        .map(|w| {
            let f = w[0].2 / (w[0].2 - w[1].2);
            (
                w[0].0 + f * (w[1].0 - w[0].0),
                w[0].1 + f * (w[1].1 - w[0].1),
            )
        })
        .collect()
}

/// The equilibrium altitude of the integrated glide at speed `v`: interpolated between the two
/// inflections that bracket it.
pub fn equilibrium_altitude(points: &[Point], v_km_s: f64) -> Option<f64> {
    inflections(points, 1.0).windows(2).find_map(|w| {
        let ((va, ha), (vb, hb)) = (w[0], w[1]);
        (va >= v_km_s && vb < v_km_s).then(|| ha + (v_km_s - va) / (vb - va) * (hb - ha))
    })
}

pub fn cases() -> Vec<Row> {
    let mut rows = Vec::new();
    let text = wings_level_glide();
    let b = match scenario(&text, "wings-level glide") {
        Ok(sc) => Batch::new(&sc),
        Err(e) => return vec![RowBuilder::new(GROUP, "wings-level glide", "", "f64", "").broken(e)],
    };
    let f = fly_f64(&b, 0);
    let src_eq = "docs/model.md §3 rho_eq closed form";
    for (v, published) in [(6.0, 50.3), (3.0, 35.2)] {
        let want = oracles::equilibrium_glide_altitude_km(v, BETA, LD);
        let case = format!("equilibrium glide altitude at {v} km/s");
        let got = equilibrium_altitude(&f.points, v).unwrap_or(f64::NAN);
        rows.push(
            RowBuilder::new(GROUP, case, src_eq, "f64", "km")
                .note(format!("published {published} km; engine: altitude where the integrated wings-level glide's d2h/dt2 = 0, interpolated at {v} km/s"))
                .rel(want, got, TOL_EQUILIBRIUM),
        );
    }
    // Eggers: r at the mean of the two equilibrium altitudes.
    let h_mean = 0.5
        * (oracles::equilibrium_glide_altitude_km(EGGERS_VI, BETA, LD)
            + oracles::equilibrium_glide_altitude_km(EGGERS_VF, BETA, LD));
    let (want_s, want_t) = oracles::eggers_glide(LD, R_E_KM + h_mean, EGGERS_VI, EGGERS_VF);
    let src_eggers = "Eggers equilibrium glide";
    let note = format!("from {EGGERS_VI} to {EGGERS_VF} km/s along the wings-level glide; Eggers at r = R + {h_mean:.1} km");
    let f32_ = fly_f32(&b, 0);
    for (backend, flown) in [("f64", &f), ("f32", &f32_)] {
        let (a, z) = (
            speed_crossing(&flown.points, EGGERS_VI),
            speed_crossing(&flown.points, EGGERS_VF),
        );
        let (range, time) = match (a, z) {
            (Some(a), Some(z)) => (z.1 - a.1, z.0 - a.0),
            _ => (f64::NAN, f64::NAN),
        };
        rows.push(
            RowBuilder::new(
                GROUP,
                format!("Eggers glide range {EGGERS_VI} -> {EGGERS_VF} km/s"),
                src_eggers,
                backend,
                "km",
            )
            .note(&note)
            .rel(want_s, range, TOL_EGGERS),
        );
        rows.push(
            RowBuilder::new(
                GROUP,
                format!("Eggers glide time {EGGERS_VI} -> {EGGERS_VF} km/s"),
                src_eggers,
                backend,
                "s",
            )
            .note(&note)
            .rel(want_t, time, TOL_EGGERS),
        );
    }
    rows.extend(glider_vs_ballistic());
    rows
}

/// Settings of the intercontinental comparison.
pub const ICBM_RANGE_KM: f64 = 9000.0;

fn intercontinental() -> String {
    let lon = lon_at_km(ICBM_RANGE_KM);
    format!(
        r#"
name = "validate-glide-vs-ballistic"
[run]
samples = 1
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = false
atmosphere = "exponential"
[[threat]]
name = "hgv"
kind = "glide"
launch = {{ lat_deg = 0.0, lon_deg = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = {lon} }}
ballistic_coefficient_kg_m2 = {BETA}
rcs_m2 = 1.0
boost_time_s = 180.0
boost_range_km = 300.0
glide = {{ start_altitude_km = 50.0, start_speed_km_s = 7.0, lift_to_drag = {LD}, weave_bank_deg = 0.0, dive_range_km = 100.0 }}
[[threat]]
name = "icbm"
kind = "ballistic"
launch = {{ lat_deg = 0.0, lon_deg = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = {lon} }}
ballistic_coefficient_kg_m2 = 20000.0
rcs_m2 = 1.0
boost_time_s = 180.0
burnout_altitude_km = 200.0
boost_range_km = 300.0
[[sensor]]
name = "radar-at-target"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = {lon} }}
max_range_km = 6000.0
min_elevation_deg = 0.0
track_delay_s = 0.0
"#
    )
}

fn glider_vs_ballistic() -> Vec<Row> {
    let src = "Tracy & Wright 2020 (qualitative)";
    let case = format!("{ICBM_RANGE_KM} km: glider vs min-energy ballistic flight time");
    let b = match scenario(&intercontinental(), &case) {
        Ok(sc) => Batch::new(&sc),
        Err(e) => return vec![RowBuilder::new(GROUP, &case, src, "f64", "min").broken(e)],
    };
    let (glider, icbm) = (fly_f64(&b, 0), fly_f64(&b, 1));
    let settings = "both: 180 s boost, 300 km downrange; glider starts at 50 km, 7.0 km/s, L/D 2.6, beta 13,000, 100 km dive; ballistic: minimum energy, burnout at 200 km";
    let mut rows = vec![
        RowBuilder::new(GROUP, &case, src, "f64", "min")
            .note(format!("reference = ballistic ({:.1} km, apogee {:.0} km); engine = glider ({:.1} km, highest {:.1} km); {settings}", icbm.range_km, icbm.apogee_km, glider.range_km, glider.apogee_km))
            .abs(icbm.time_s / 60.0, glider.time_s / 60.0, TOL_ARRIVAL_MIN),
        RowBuilder::new(GROUP, format!("{ICBM_RANGE_KM} km: glider reaches its aim point"), "aim point", "f64", "km").rel(ICBM_RANGE_KM, glider.range_km, 0.01),
    ];
    // Warning time from a surface radar at the target (0 deg elevation): impact minus first
    // detection. The glider stays below the radar horizon until late.
    let warning = |class: u32| {
        // Trial 0 with one class per draw: pick the class by flying the slot's own class only
        // when it matches; use the nominal draws instead through a single-class batch.
        let mut single = b.clone();
        single.classes = vec![b.classes[class as usize]];
        single.params.n_classes = 1;
        let t = propagate_slot::<f64>(&single, 0, 0, &mut []);
        (t.impact_time_s - t.track_time_s) as f64 / 60.0
    };
    let (w_glider, w_icbm) = (warning(0), warning(1));
    rows.push(
        RowBuilder::new(GROUP, format!("{ICBM_RANGE_KM} km: warning time from a radar at the target"), src, "f64", "min")
            .note("reference = ballistic warning time, engine = glider's; the ratio (error) must be below the tolerance")
            .custom(ErrorKind::Relative, w_icbm, w_glider, w_glider / w_icbm, 0.5, "glider warning time below half the ballistic missile's"),
    );
    rows
}
