//! Interceptor envelopes (docs/model.md section 9): an altitude band, a ground
//! range from the battery, and the fly-out timing that makes an intercept point reachable.

use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::{Real, V3};
use crate::model::types::{Battery, Interceptor};

/// Per battery constants of the envelope test, computed once per threat.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnvelopeGeometry<F> {
    pub site_km: V3<F>,
    pub site_dir: V3<F>,
    pub min_alt_km: F,
    pub max_alt_km: F,
    /// cos and sin of the largest central angle max_range_km / R.
    pub cos_range: F,
    pub sin_range: F,
    pub flyout_km_s: F,
}

pub fn envelope_geometry<F: Real>(b: &Battery, i: &Interceptor) -> EnvelopeGeometry<F> {
    let angle = F::p(i.max_range_km) / F::c(EARTH_RADIUS_KM);
    EnvelopeGeometry {
        site_km: V3::from4(b.site_km),
        site_dir: V3::from4(b.site_dir),
        min_alt_km: F::p(i.min_altitude_km),
        max_alt_km: F::p(i.max_altitude_km),
        cos_range: angle.cos(),
        sin_range: angle.sin().max(F::c(1e-6)),
        flyout_km_s: F::p(i.flyout_speed_km_s),
    }
}

/// The three geometric margins of a point `p` (ECEF, km), km: above the band's floor, below its
/// ceiling, and inside the ground range (p^.s^ - cos g) R / sin g, which is linear in the
/// central angle near the edge). Feasible geometry iff all are >= 0.
#[inline(always)]
pub fn envelope_margins<F: Real>(g: &EnvelopeGeometry<F>, p: V3<F>) -> [F; 3] {
    let r = p.length();
    let alt = r - F::c(EARTH_RADIUS_KM);
    let cos_angle = p.dot(g.site_dir) / r;
    [
        alt - g.min_alt_km,
        g.max_alt_km - alt,
        (cos_angle - g.cos_range) * F::c(EARTH_RADIUS_KM) / g.sin_range,
    ]
}

/// Latest launch time that reaches `p` at `t_s`: t - |p - site| / fly-out speed, s. The intercept
/// is feasible when this is no earlier than the battery's firm track plus its reaction time.
#[inline(always)]
pub fn launch_time_for<F: Real>(g: &EnvelopeGeometry<F>, t_s: F, p: V3<F>) -> F {
    t_s - (p - g.site_km).length() / g.flyout_km_s
}
