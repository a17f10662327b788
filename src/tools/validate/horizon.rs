//! Radar horizon (docs/model.md section 2): a cruise target at constant altitude h flies along
//! the equator straight toward a radar on the surface (zero minimum elevation, a detection range
//! far beyond the horizon, no track delay); its first detection, converted to the slant range
//! at that moment, must equal `d = sqrt((R+h)^2 - R^2) + sqrt((R+hr)^2 - R^2)` with hr = 0.
//!
//! A radar with a sector (docs/model.md section 9) sees the target only from inside it: pointed
//! away it never detects the target, pointed at it the horizon distance holds as before.
//!
//! (With the radar above the surface the closed form counts the dip below the radar's local
//! horizontal that a grazing line of sight allows; the engine's `min_elevation_deg` is measured
//! from the local horizontal, so the case keeps the radar on the surface, where both agree.)

use super::engine::scenario;
use super::oracles::{self, R_E_KM};
use super::{ErrorKind, Row, RowBuilder};
use crate::base::Real;
use crate::kernel::propagate_slot;
use crate::model::batch::Batch;

const GROUP: &str = "horizon";
/// What this group checks, for the report.
pub const ABOUT: &str = "A cruise target at constant altitude (1, 10, 40, 100 km) flies along the equator at 1 km/s straight toward a radar on the surface (0 deg minimum elevation, detection range far beyond the horizon, no track delay). Its first detection time (`propagate_slot`, interpolated inside the 1 s step), converted to the slant range at that moment, against d = sqrt((R+h)^2 - R^2) + sqrt((R+hr)^2 - R^2) with hr = 0 (docs/model.md section 2), within 0.1 %. The radar sits on the surface because the engine measures elevation from the site's local horizontal: a raised radar with 0 deg minimum elevation does not look below it, while the closed form's grazing ray does. Sectors: the same radar with a 30 deg half-width sector, the target at 40 km coming from bearing 270 deg (aimed short of the radar, so it never passes overhead): pointed north it never detects the target; pointed at it, it detects it at the horizon (0.1 %).";
/// Relative tolerance on the slant range at first detection.
pub const TOL: f64 = 1e-3;
/// Cruise speed, km/s, and the distance the target starts beyond the horizon, km.
const SPEED_KM_S: f64 = 1.0;
const MARGIN_KM: f64 = 300.0;

/// The horizon world: the target at `h_km` from (0, 0) toward a radar `radar_km` east of it
/// along the equator, aimed `aim_past_radar_km` beyond the radar (short of it when negative),
/// with the extra sensor keys `sector` (none: the radar sees all around).
fn text(h_km: f64, radar_km: f64, aim_past_radar_km: f64, sector: &str) -> String {
    let radar_lon = (radar_km / R_E_KM).to_degrees();
    let aim_lon = ((radar_km + aim_past_radar_km) / R_E_KM).to_degrees();
    format!(
        r#"
name = "validate-horizon"
[run]
samples = 1
dt_s = 1.0
dt_atmosphere_s = 1.0
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "cm"
kind = "cruise"
launch = {{ lat_deg = 0.0, lon_deg = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = {aim_lon} }}
rcs_m2 = 1.0
boost_time_s = 0.0
cruise = {{ altitude_km = {h_km}, speed_km_s = {SPEED_KM_S}, weave_g = 0.0, dive_range_km = 0.0 }}
[[sensor]]
name = "radar"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = {radar_lon}, alt_km = 0.0 }}
max_range_km = 5000.0
reference_rcs_m2 = 1.0
min_elevation_deg = 0.0
track_delay_s = 0.0
{sector}
"#
    )
}

/// Where the all-round cases aim: one degree of longitude beyond the radar, km.
const AIM_PAST_RADAR_KM: f64 = R_E_KM * std::f64::consts::PI / 180.0;
/// The sector cases aim one degree short of the radar, so the target never passes overhead
/// (where its bearing from the radar is undefined), km.
const AIM_SHORT_OF_RADAR_KM: f64 = -AIM_PAST_RADAR_KM;
/// Target altitude of the sector cases, km, and the sector's half-width, deg.
const SECTOR_ALT_KM: f64 = 40.0;
const SECTOR_HALF_WIDTH_DEG: f64 = 30.0;
/// Bearing from the radar to the approaching target (it comes from the west along the
/// equator), deg.
const TARGET_BEARING_DEG: f64 = 270.0;

/// Slant range from the radar at first detection, km (NaN if never detected).
fn detection_slant<F: Real>(b: &Batch, h_km: f64, radar_km: f64) -> f64 {
    let track = propagate_slot::<F>(b, 0, 0, &mut []);
    detection_slant_at(h_km, radar_km, track.track_time_s as f64)
}

/// Slant range from the radar at time `t_s`: the path runs along the equator toward the radar
/// at constant ground speed from t = 0.
fn detection_slant_at(h_km: f64, radar_km: f64, t_s: f64) -> f64 {
    let ground_km = radar_km - SPEED_KM_S * t_s;
    oracles::slant_range_km(h_km, ground_km / R_E_KM)
}

pub fn cases() -> Vec<Row> {
    let mut rows = Vec::new();
    let published = [
        (1.0, "112.9 km"),
        (10.0, ""),
        (40.0, "about 715 km"),
        (100.0, "1133.2 km"),
    ];
    for (h, pub_value) in published {
        let src = "docs/model.md §2 closed form";
        let case = format!("target at {h} km: slant range at first detection");
        let want = oracles::horizon_km(h, 0.0);
        let horizon_ground = R_E_KM * (R_E_KM / (R_E_KM + h)).acos();
        let radar_km = horizon_ground + MARGIN_KM;
        let sc = match scenario(&text(h, radar_km, AIM_PAST_RADAR_KM, ""), &case) {
            Ok(sc) => sc,
            Err(e) => {
                rows.push(RowBuilder::new(GROUP, &case, src, "f64", "km").broken(e));
                continue;
            }
        };
        let b = Batch::new(&sc);
        let note = if pub_value.is_empty() {
            "radar on the surface, 0 deg minimum elevation".to_string()
        } else {
            format!("published: {pub_value}; radar on the surface, 0 deg minimum elevation")
        };
        rows.push(
            RowBuilder::new(GROUP, &case, src, "f64", "km")
                .note(&note)
                .rel(want, detection_slant::<f64>(&b, h, radar_km), TOL),
        );
        rows.push(
            RowBuilder::new(GROUP, &case, src, "f32", "km")
                .note(&note)
                .rel(want, detection_slant::<f32>(&b, h, radar_km), TOL),
        );
    }
    rows.extend(sector_cases());
    rows
}

/// A radar with a sector (`boresight_azimuth_deg`, `sector_half_width_deg`): pointed away from
/// the target it never detects it; pointed at it, it detects it at the horizon as before.
fn sector_cases() -> Vec<Row> {
    let mut rows = Vec::new();
    let h = SECTOR_ALT_KM;
    let radar_km = R_E_KM * (R_E_KM / (R_E_KM + h)).acos() + MARGIN_KM;
    for boresight in [0.0, TARGET_BEARING_DEG] {
        let sector = format!(
            "boresight_azimuth_deg = {boresight}\nsector_half_width_deg = {SECTOR_HALF_WIDTH_DEG}"
        );
        let inside = oracles::in_sector(TARGET_BEARING_DEG, boresight, SECTOR_HALF_WIDTH_DEG);
        let case = format!(
            "sector {boresight} +- {SECTOR_HALF_WIDTH_DEG} deg, target at {h} km from bearing {TARGET_BEARING_DEG} deg"
        );
        let src = if inside {
            "docs/model.md §2 closed form"
        } else {
            "docs/model.md §9 sector"
        };
        let b = match scenario(&text(h, radar_km, AIM_SHORT_OF_RADAR_KM, &sector), &case) {
            Ok(sc) => Batch::new(&sc),
            Err(e) => {
                rows.push(RowBuilder::new(GROUP, &case, src, "f64", "km").broken(e));
                continue;
            }
        };
        for backend in ["f64", "f32"] {
            let track_time_s = match backend {
                "f64" => propagate_slot::<f64>(&b, 0, 0, &mut []).track_time_s,
                _ => propagate_slot::<f32>(&b, 0, 0, &mut []).track_time_s,
            } as f64;
            if inside {
                rows.push(
                    RowBuilder::new(
                        GROUP,
                        format!("{case}: slant range at first detection"),
                        src,
                        backend,
                        "km",
                    )
                    .note("target inside the sector: seen at the horizon")
                    .rel(
                        oracles::horizon_km(h, 0.0),
                        detection_slant_at(h, radar_km, track_time_s),
                        TOL,
                    ),
                );
            } else {
                let detected = if track_time_s.is_finite() { 1.0 } else { 0.0 };
                rows.push(
                    RowBuilder::new(GROUP, format!("{case}: detections"), src, backend, "detections")
                        .note(format!("target outside the sector: never detected (first track time {track_time_s} s)"))
                        .custom(ErrorKind::Absolute, 0.0, detected, detected, 0.0, "never detected"),
                );
            }
        }
    }
    rows
}
