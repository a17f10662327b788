//! Radar visibility (docs/model.md section 9): range against the target's RCS, elevation above the
//! site's horizon, optional azimuth sector.

use crate::base::{Real, V3};
use crate::model::types::Sensor;

/// Detection range against a target of radar cross-section `rcs_m2`, km: the radar equation's
/// fourth-root scaling, R = R_ref (sigma / sigma_ref)^(1/4).
#[inline(always)]
pub fn detection_range_km<F: Real>(s: &Sensor, rcs_m2: F) -> F {
    F::p(s.max_range_km) * (rcs_m2 / F::p(s.reference_rcs_m2)).sqrt().sqrt()
}

/// Visibility margin of a target at `p` (ECEF, km), km: the smallest of the range margin, the
/// height above the minimum-elevation cone and (with a sector) the distance inside the sector's
/// edge. Visible iff the margin is >= 0; each term is linear enough along a step for the zero
/// crossing to be interpolated.
#[inline(always)]
pub fn sensor_margin<F: Real>(s: &Sensor, range_km: F, p: V3<F>) -> F {
    let site = V3::from4(s.site_km);
    let up = V3::from4(s.up);
    let d = p - site;
    let dist = d.length();
    let m_range = range_km - dist;
    // Elevation >= e  <=>  d . up >= |d| sin(e); the horizon for e = 0.
    let m_elev = d.dot(up) - dist * F::p(s.up[3]);
    let mut m = m_range.min(m_elev);
    if s.boresight[3] > -1.5 {
        let dh = d - up * d.dot(up);
        let m_sector = dh.dot(V3::from4(s.boresight)) - dh.length() * F::p(s.boresight[3]);
        m = m.min(m_sector);
    }
    m
}
