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
    /// Chord of that angle on the unit sphere, 2 sin(angle / 2): the largest |p^ - s^| in range.
    pub chord_range: F,
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
        chord_range: F::c(2.0) * (angle * F::c(0.5)).sin(),
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

/// Whether a step that moves the threat by at most `reach_km` (path length) from a point whose
/// ground-range margin is `range_margin_km` (`envelope_margins`' third) stays out of the
/// battery's ground range throughout: the direction p^ moves by at most reach / R on the unit
/// sphere (a chord; r >= R above the ground), so a start farther from the site's direction
/// than the range's chord plus that (and 1 km of slack for rounding) cannot come within range.
/// The start's cos(angle) is recovered from the margin.
#[inline(always)]
pub fn out_of_range_all_step<F: Real>(
    g: &EnvelopeGeometry<F>,
    range_margin_km: F,
    reach_km: F,
) -> bool {
    let cos_a = range_margin_km * g.sin_range * F::c(1.0 / EARTH_RADIUS_KM) + g.cos_range;
    let chord = g.chord_range + (reach_km + F::one()) * F::c(1.0 / EARTH_RADIUS_KM);
    F::c(2.0) - F::c(2.0) * cos_a > chord * chord
}

/// Latest launch time that reaches `p` at `t_s`: t - |p - site| / fly-out speed, s. The intercept
/// is feasible when this is no earlier than the battery's firm track plus its reaction time.
#[inline(always)]
pub fn launch_time_for<F: Real>(g: &EnvelopeGeometry<F>, t_s: F, p: V3<F>) -> F {
    t_s - (p - g.site_km).length() / g.flyout_km_s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whenever `out_of_range_all_step` says a step stays out of range, no point reachable in
    /// it (any point within `reach` of the start, at or above the ground) is within the ground
    /// range, by the central angle computed directly in f64; and it does say so for starts far
    /// beyond the range plus the reach (the prune is not vacuous).
    #[test]
    fn out_of_range_prune_is_conservative() {
        let r_e = EARTH_RADIUS_KM;
        let site_dir = V3::new(1.0f64, 0.0, 0.0);
        let mut fired = 0;
        for &max_range in &[30.0f64, 200.0, 900.0, 3000.0] {
            let b = Battery {
                site_km: [r_e as f32, 0.0, 0.0, 0.0],
                site_dir: [1.0, 0.0, 0.0, 0.0],
                ..Default::default()
            };
            let i = Interceptor {
                max_altitude_km: 500.0,
                max_range_km: max_range as f32,
                flyout_speed_km_s: 3.0,
                ..Default::default()
            };
            let g: EnvelopeGeometry<f64> = envelope_geometry(&b, &i);
            for k in 0..200 {
                // Starts from the site out to 6,000 km, 0-800 km up; reaches up to 1,500 km.
                let ground = k as f64 * 30.0;
                let alt = (k % 5) as f64 * 200.0;
                let reach = (k % 7) as f64 * 250.0;
                let a = ground / r_e;
                let p = V3::new(a.cos(), a.sin(), 0.0) * (r_e + alt);
                let m = envelope_margins(&g, p);
                if !out_of_range_all_step(&g, m[2], reach) {
                    continue;
                }
                fired += 1;
                // Points `reach` away toward the site and around it, projected up to the
                // ground where they would fall below it: the closest the step can come.
                let toward = site_dir * r_e - p;
                let dirs = [
                    toward * (1.0 / toward.length()),
                    V3::new(0.0, 0.0, 1.0),
                    V3::new(-a.sin(), a.cos(), 0.0) * -1.0,
                ];
                for d in dirs {
                    for f in [0.25, 0.5, 0.75, 1.0] {
                        let mut q = p + d * (reach * f);
                        if q.length() < r_e {
                            q = q * (r_e / q.length());
                        }
                        let angle = q.cross(site_dir).length().atan2(q.dot(site_dir));
                        assert!(
                            angle * r_e > max_range,
                            "range {max_range}: start {ground} km, reach {reach}: {} km",
                            angle * r_e
                        );
                    }
                }
            }
        }
        assert!(fired > 100, "the prune fired only {fired} times");
    }
}
