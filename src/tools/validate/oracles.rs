//! Closed-form oracles of `interceptmc validate`, coded from the published formulas
//! (docs/model.md) independently of the engine: nothing here calls the physics, kernel or
//! statistics code it checks, and the constants are restated from docs/model.md.
//!
//! - Vacuum ballistic flight (Bate, Mueller & White, *Fundamentals of Astrodynamics*, 1971,
//!   ch. 6): the equal-radius range, apogee and time of flight, and a general conic from a
//!   burnout radius `r1` to a re-entry radius `r2` from the orbit equation and Kepler's equation.
//! - The radar horizon (docs/model.md section 2).
//! - The equilibrium glide and Eggers' glide range and time (docs/model.md section 3).
//! - Wilkening's defense-effectiveness model (Science & Global Security 8, 2000; docs/model.md
//!   section 4), with the expectation over a Beta-distributed kill probability by quadrature,
//!   and the arithmetic of a shared inventory and of decoys (docs/model.md section 10).
//! - Radar sectors (docs/model.md section 9).

use std::f64::consts::{PI, TAU};

/// Earth radius, km (docs/model.md).
pub const R_E_KM: f64 = 6371.0;
/// Earth's gravitational parameter, km^3/s^2 (docs/model.md).
pub const MU_KM3_S2: f64 = 398_600.441_8;
/// Earth's rotation rate, rad/s (docs/model.md section 7).
pub const OMEGA_RAD_S: f64 = 7.292_115_9e-5;
/// Sea-level density of the exponential atmosphere, kg/m^3.
pub const RHO0_KG_M3: f64 = 1.225;
/// Scale height of the exponential atmosphere, km.
pub const SCALE_HEIGHT_KM: f64 = 7.2;

/// A vacuum free flight from burnout to re-entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Conic {
    /// Free-flight range angle, rad.
    pub psi_rad: f64,
    /// Ground range, `R_E * psi`, km.
    pub range_km: f64,
    /// Highest altitude of the free flight, km.
    pub apogee_km: f64,
    /// Time of free flight, s.
    pub time_s: f64,
}

/// BMW eq. 6.2-8 and 6.3-*: the free flight that leaves radius `r_km` at speed `v_km_s` and
/// flight-path angle `phi_rad` (above the local horizontal) and comes back to the same radius.
/// `Q = v^2 r / mu`; `cos(psi/2) = (1 - Q cos^2 phi) / sqrt(1 + Q (Q - 2) cos^2 phi)`;
/// `a = r / (2 - Q)`, `e = sqrt(1 + Q (Q - 2) cos^2 phi)`, apogee radius `a (1 + e)`;
/// `t = 2 sqrt(a^3/mu) (pi - E1 + e sin E1)`, `cos E1 = (e - cos(psi/2)) / (1 - e cos(psi/2))`.
/// Elliptic flights (`Q < 2`) with `phi > 0` only.
pub fn bmw_equal_radius(r_km: f64, v_km_s: f64, phi_rad: f64) -> Conic {
    let q = v_km_s * v_km_s * r_km / MU_KM3_S2;
    let c2 = phi_rad.cos().powi(2);
    let e = (1.0 + q * (q - 2.0) * c2).sqrt();
    let cos_half = (1.0 - q * c2) / e;
    let half = cos_half.clamp(-1.0, 1.0).acos();
    let a = r_km / (2.0 - q);
    let cos_e1 = (e - cos_half) / (1.0 - e * cos_half);
    let e1 = cos_e1.clamp(-1.0, 1.0).acos();
    let time_s = 2.0 * (a.powi(3) / MU_KM3_S2).sqrt() * (PI - e1 + e * e1.sin());
    Conic {
        psi_rad: 2.0 * half,
        range_km: 2.0 * half * R_E_KM,
        apogee_km: a * (1.0 + e) - R_E_KM,
        time_s,
    }
}

/// BMW minimum-energy trajectory over the range angle `psi_rad` with burnout and re-entry at
/// the same radius: `phi = (pi - psi) / 4`, `Q = 2 sin(psi/2) / (1 + sin(psi/2))`.
/// Returns `(phi_rad, v_km_s)` for radius `r_km`.
pub fn min_energy_equal_radius(r_km: f64, psi_rad: f64) -> (f64, f64) {
    let s = (psi_rad / 2.0).sin();
    let q = 2.0 * s / (1.0 + s);
    ((PI - psi_rad) / 4.0, (q * MU_KM3_S2 / r_km).sqrt())
}

/// BMW's explicit inverse (equal radii): the burnout speed at radius `r_km` that reaches the
/// range angle `psi_rad` at flight-path angle `phi_rad`:
/// `Q = (1 - cos psi) / (cos phi (cos phi - cos(phi + psi)))`.
pub fn speed_for_range_equal_radius(r_km: f64, psi_rad: f64, phi_rad: f64) -> f64 {
    let q = (1.0 - psi_rad.cos()) / (phi_rad.cos() * (phi_rad.cos() - (phi_rad + psi_rad).cos()));
    (q * MU_KM3_S2 / r_km).sqrt()
}

/// Eccentric anomaly (continuous, unwrapped) of true anomaly `theta` on an ellipse of
/// eccentricity `e`: `tan(E/2) = sqrt((1 - e)/(1 + e)) tan(theta/2)`, branch chosen so that E
/// and theta lie in the same revolution.
fn eccentric_anomaly(theta: f64, e: f64) -> f64 {
    let turns = ((theta + PI) / TAU).floor();
    let reduced = theta - turns * TAU; // in [-pi, pi)
    let k = ((1.0 - e) / (1.0 + e)).sqrt();
    2.0 * (k * (reduced / 2.0).tan()).atan() + turns * TAU
}

/// A general vacuum conic from burnout radius `r1_km` (speed `v_km_s`, flight-path angle
/// `phi_rad`) down to radius `r2_km`, coded from the orbit equation and Kepler's equation:
/// `h = r1 v cos phi`, `p = h^2 / mu`, `a = -mu / (2 E)` with `E = v^2/2 - mu/r1`,
/// `e = sqrt(1 - p / a)`; the true anomaly at burnout from `e cos theta1 = p/r1 - 1` and
/// `e sin theta1 = (h / mu) v sin phi`; at re-entry `e cos theta2 = p/r2 - 1` on the descending
/// branch (`sin theta2 < 0`); range angle `theta2 - theta1`; time from the mean anomalies
/// `M = E - e sin E` (`tan(E/2) = sqrt((1-e)/(1+e)) tan(theta/2)`) times `sqrt(a^3/mu)`.
/// `None` when the flight is not elliptic or never comes down to `r2`.
pub fn conic_general(r1_km: f64, v_km_s: f64, phi_rad: f64, r2_km: f64) -> Option<Conic> {
    let energy = 0.5 * v_km_s * v_km_s - MU_KM3_S2 / r1_km;
    if energy >= 0.0 {
        return None;
    }
    let h = r1_km * v_km_s * phi_rad.cos();
    let p = h * h / MU_KM3_S2;
    let a = -MU_KM3_S2 / (2.0 * energy);
    let e = (1.0 - p / a).max(0.0).sqrt();
    if e < 1e-12 {
        return None;
    }
    let mut theta1 = (h / MU_KM3_S2 * v_km_s * phi_rad.sin()).atan2(p / r1_km - 1.0);
    if theta1 < 0.0 {
        theta1 += TAU; // descending at burnout: past apogee
    }
    let c2 = (p / r2_km - 1.0) / e;
    if !(-1.0..=1.0).contains(&c2) {
        return None;
    }
    let theta2 = TAU - c2.acos(); // descending branch, in [pi, 2 pi]
    if theta2 < theta1 {
        return None;
    }
    let mean = |theta: f64| {
        let big_e = eccentric_anomaly(theta, e);
        big_e - e * big_e.sin()
    };
    let time_s = (a.powi(3) / MU_KM3_S2).sqrt() * (mean(theta2) - mean(theta1));
    let apogee_r = if theta1 <= PI { a * (1.0 + e) } else { r1_km };
    let psi = theta2 - theta1;
    Some(Conic {
        psi_rad: psi,
        range_km: psi * R_E_KM,
        apogee_km: apogee_r - R_E_KM,
        time_s,
    })
}

/// The minimum-energy flight from radius `r1_km` to radius `r2_km` over the range angle
/// `psi_rad`, found numerically from [`conic_general`] alone: for each flight-path angle the
/// burnout speed that reaches `psi` (bisection on the speed), minimised over the angle
/// (golden-section search). Returns `(phi_rad, v_km_s, conic)`.
pub fn min_energy_general(r1_km: f64, r2_km: f64, psi_rad: f64) -> (f64, f64, Conic) {
    let speed_for = |phi: f64| -> f64 {
        // The range grows with the speed on (0, escape) for a fixed angle above the horizon.
        let (mut lo, mut hi) = (1e-3, (2.0 * MU_KM3_S2 / r1_km).sqrt() * (1.0 - 1e-12));
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            match conic_general(r1_km, mid, phi, r2_km) {
                Some(c) if c.psi_rad >= psi_rad => hi = mid,
                _ => lo = mid,
            }
        }
        0.5 * (lo + hi)
    };
    let golden = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (1e-4, PI / 2.0 - 1e-4);
    let mut x1 = b - golden * (b - a);
    let mut x2 = a + golden * (b - a);
    let (mut f1, mut f2) = (speed_for(x1), speed_for(x2));
    for _ in 0..80 {
        if f1 < f2 {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - golden * (b - a);
            f1 = speed_for(x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + golden * (b - a);
            f2 = speed_for(x2);
        }
    }
    let phi = 0.5 * (a + b);
    let v = speed_for(phi);
    let conic = conic_general(r1_km, v, phi, r2_km).expect("the minimum-energy conic exists");
    (phi, v, conic)
}

/// Destination `distance_km` from (lat, lon) along the initial bearing `bearing_deg` on the
/// sphere (spherical trigonometry), degrees.
pub fn destination(lat_deg: f64, lon_deg: f64, bearing_deg: f64, distance_km: f64) -> (f64, f64) {
    let (p1, l1, th) = (
        lat_deg.to_radians(),
        lon_deg.to_radians(),
        bearing_deg.to_radians(),
    );
    let d = distance_km / R_E_KM;
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * th.cos()).asin();
    let l2 = l1 + (th.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    let lon = (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    (p2.to_degrees(), lon)
}

/// Radar horizon (docs/model.md section 2): the largest distance at which a target at altitude
/// `h_km` is visible from a radar at altitude `hr_km` (line of sight grazing the sphere, no
/// refraction): `sqrt((R+h)^2 - R^2) + sqrt((R+hr)^2 - R^2)`, km.
pub fn horizon_km(h_km: f64, hr_km: f64) -> f64 {
    let r = R_E_KM;
    ((r + h_km).powi(2) - r * r).sqrt() + ((r + hr_km).powi(2) - r * r).sqrt()
}

/// Straight-line distance between a point on the surface and a point at altitude `h_km`
/// separated by the central angle `angle_rad` (law of cosines), km.
pub fn slant_range_km(h_km: f64, angle_rad: f64) -> f64 {
    let (r, rt) = (R_E_KM, R_E_KM + h_km);
    (r * r + rt * rt - 2.0 * r * rt * angle_rad.cos()).sqrt()
}

/// Radar sector (docs/model.md section 9): whether the bearing `bearing_deg` from the radar lies
/// within `half_width_deg` of the boresight azimuth `boresight_deg` (degrees, compared around
/// the circle).
pub fn in_sector(bearing_deg: f64, boresight_deg: f64, half_width_deg: f64) -> bool {
    let off = (bearing_deg - boresight_deg).rem_euclid(360.0);
    off.min(360.0 - off) <= half_width_deg
}

/// Exponential-atmosphere density at altitude `h_km`, kg/m^3.
pub fn density_kg_m3(h_km: f64) -> f64 {
    RHO0_KG_M3 * (-h_km / SCALE_HEIGHT_KM).exp()
}

/// Equilibrium glide altitude (docs/model.md section 3) at speed `v_km_s` for ballistic
/// coefficient `beta_kg_m2` and lift-to-drag ratio `ld`: the altitude whose density is
/// `rho_eq = 2 beta (g - v^2/r) / ((L/D) v^2)` (SI units), with `g = mu / r^2` and `r = R + h`
/// (fixed-point iteration, since g and r depend on the altitude), km.
pub fn equilibrium_glide_altitude_km(v_km_s: f64, beta_kg_m2: f64, ld: f64) -> f64 {
    let mut h = 40.0;
    for _ in 0..100 {
        let r = R_E_KM + h;
        let g_m_s2 = MU_KM3_S2 / (r * r) * 1e3;
        let centrifugal_m_s2 = v_km_s * v_km_s / r * 1e3;
        let v_m_s = v_km_s * 1e3;
        let rho = 2.0 * beta_kg_m2 * (g_m_s2 - centrifugal_m_s2) / (ld * v_m_s * v_m_s);
        h = -SCALE_HEIGHT_KM * (rho / RHO0_KG_M3).ln();
    }
    h
}

/// Eggers' equilibrium glide (docs/model.md section 3) at radius `r_km` from speed `vi` down to
/// `vf` (km/s), with `v_c^2 = g r = mu / r`:
/// path length `s = (L/D)(r/2) ln[(1 - vf^2/vc^2) / (1 - vi^2/vc^2)]` and time
/// `t = (L/D)(vc/g)[atanh(vi/vc) - atanh(vf/vc)]`. Returns `(ground_range_km, time_s)`, the
/// ground range being the path length at radius r projected on the surface (`s R_E / r`, as
/// `d(downrange)/dt = v cos(gamma) R_E / r`).
pub fn eggers_glide(ld: f64, r_km: f64, vi_km_s: f64, vf_km_s: f64) -> (f64, f64) {
    let g = MU_KM3_S2 / (r_km * r_km);
    let vc = (g * r_km).sqrt();
    let s =
        ld * r_km / 2.0 * ((1.0 - (vf_km_s / vc).powi(2)) / (1.0 - (vi_km_s / vc).powi(2))).ln();
    let t = ld * vc / g * ((vi_km_s / vc).atanh() - (vf_km_s / vc).atanh());
    (s * R_E_KM / r_km, t)
}

/// Wilkening: kill probability of a salvo of `n` shots of single-shot kill probability `p`,
/// `1 - (1 - p)^n`.
pub fn salvo_pk(p: f64, n: u32) -> f64 {
    1.0 - (1.0 - p).powi(n as i32)
}

/// Wilkening: shoot-look-shoot, `n1` then `n2` shots, kill assessment probability `a`:
/// `Pk = 1 - (1-p)^n1 [1 - a (1 - (1-p)^n2)]`.
pub fn sls_pk(p: f64, n1: u32, n2: u32, a: f64) -> f64 {
    let q1 = (1.0 - p).powi(n1 as i32);
    let q2 = (1.0 - p).powi(n2 as i32);
    1.0 - q1 * (1.0 - a * (1.0 - q2))
}

/// Wilkening: interceptors per warhead with shoot-look-shoot, `n1 + a (1-p)^n1 n2`.
pub fn sls_interceptors(p: f64, n1: u32, n2: u32, a: f64) -> f64 {
    n1 as f64 + a * (1.0 - p).powi(n1 as i32) * n2 as f64
}

/// Independent layers: the kill probability when the leak probability is the product of the
/// layers' leak probabilities, `1 - prod(1 - Pk_i)`.
pub fn layers_pk(layer_pks: &[f64]) -> f64 {
    1.0 - layer_pks.iter().map(|pk| 1.0 - pk).product::<f64>()
}

/// Probability of zero leakers in a raid of `n_warheads`: `Pk^N`, with a common-mode system
/// reliability `r_system` (`R Pk^N`) and an independent per-warhead reliability `r_track`
/// (`(R Pk)^N`).
pub fn zero_leakers(pk: f64, n_warheads: u32, r_system: f64, r_track: f64) -> f64 {
    r_system * (r_track * pk).powi(n_warheads as i32)
}

/// Mean number of leakers in a raid of `n_warheads`, each killed independently with
/// probability `pk`: the leakers are Binomial(N, 1 - Pk), mean `N (1 - Pk)` (docs/model.md
/// section 4).
pub fn mean_leakers(pk: f64, n_warheads: u32) -> f64 {
    n_warheads as f64 * (1.0 - pk)
}

/// Shots each threat of a raid receives when a single battery with `inventory` interceptors
/// fires salvos of `salvo` at `n_threats` threats one after the other (docs/model.md section
/// 10: the inventory is shared by the raid): `min(salvo, what is left)` each, in order.
pub fn shots_with_inventory(salvo: u32, n_threats: u32, inventory: u32) -> Vec<u32> {
    let mut left = inventory;
    (0..n_threats)
        .map(|_| {
            let s = salvo.min(left);
            left -= s;
            s
        })
        .collect()
}

/// Mean leakers of that raid with single-shot kill probability `p`: a threat facing `s` shots
/// leaks with probability `(1 - p)^s` (1 when it faces none), summed over the threats.
pub fn mean_leakers_with_inventory(p: f64, salvo: u32, n_threats: u32, inventory: u32) -> f64 {
    shots_with_inventory(salvo, n_threats, inventory)
        .into_iter()
        .map(|s| (1.0 - p).powi(s as i32))
        .sum()
}

/// Decoys (docs/model.md section 10): a warhead with `decoys` decoys, each discriminated with
/// probability `discrimination` and otherwise drawing a salvo of `salvo` of its own, costs on
/// average `salvo K (1 - d)` interceptors on decoys per engagement decision (K (1 - d) is the
/// mean of a Binomial(K, 1 - d)), with variance `salvo^2 K d (1 - d)`. Returns
/// `(mean, variance)`, with ample inventory.
pub fn decoy_interceptors(salvo: u32, decoys: u32, discrimination: f64) -> (f64, f64) {
    let (s, k, d) = (salvo as f64, decoys as f64, discrimination);
    (s * k * (1.0 - d), s * s * k * d * (1.0 - d))
}

/// Decoys exhausting a small inventory (docs/model.md section 10): `n_warheads` warheads with
/// `decoys` undiscriminated decoys each, engaged one complex after the other with salvos of
/// one from `inventory` interceptors. A complex of K + 1 objects is fully covered while at
/// least K + 1 interceptors are left; a partly covered one (r < K + 1 interceptors) reaches its
/// warhead with probability r / (K + 1), the warhead's place in the firing order being uniform.
/// Expected warheads engaged per raid.
pub fn warheads_engaged_with_decoys(n_warheads: u32, decoys: u32, inventory: u32) -> f64 {
    let objects = decoys + 1;
    let full = (inventory / objects).min(n_warheads);
    let left = inventory - full * objects;
    let partial = if full < n_warheads {
        left.min(objects) as f64 / objects as f64
    } else {
        0.0
    };
    full as f64 + partial
}

/// `E[f(p)]` for `p ~ Beta(a, b)`, by composite Simpson quadrature of `f(p)` times the Beta
/// density after the substitution `p = sin^2(theta)` (which removes the end-point
/// singularities of shapes below 1): `p^(a-1) (1-p)^(b-1) dp = 2 sin^(2a-1) cos^(2b-1) dtheta`.
/// The normalising constant is the same quadrature without `f`, so no Beta function is needed.
/// Shapes of at least 1/2 keep the transformed integrand bounded.
pub fn beta_expectation(a: f64, b: f64, f: impl Fn(f64) -> f64) -> f64 {
    let m = 20_000usize; // even
    let h = PI / 2.0 / m as f64;
    let w = |theta: f64| {
        let (s, c) = (theta.sin(), theta.cos());
        let dens = 2.0 * s.powf(2.0 * a - 1.0) * c.powf(2.0 * b - 1.0);
        (dens, s * s)
    };
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..=m {
        let coef = if i == 0 || i == m {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let (d, p) = w(i as f64 * h);
        if d.is_finite() {
            num += coef * d * f(p);
            den += coef * d;
        }
    }
    num / den
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// docs/model.md section 1 table.
    #[test]
    fn bmw_reference_table() {
        for (range, phi_deg, v, apogee, minutes) in [
            (1000.0, 42.752, 3.0161, 239.94, 7.906),
            (3000.0, 38.255, 4.8650, 655.21, 14.917),
            (10000.0, 22.517, 7.1981, 1319.48, 32.183),
        ] {
            let psi = range / R_E_KM;
            let (phi, speed) = min_energy_equal_radius(R_E_KM, psi);
            assert!(close(phi.to_degrees(), phi_deg, 1e-3), "{phi}");
            assert!(close(speed, v, 1e-4), "{speed}");
            let c = bmw_equal_radius(R_E_KM, speed, phi);
            assert!(close(c.range_km, range, 1e-6), "{c:?}");
            assert!(close(c.apogee_km, apogee, 0.01), "{c:?}");
            assert!(close(c.time_s / 60.0, minutes, 1e-3), "{c:?}");
        }
    }

    #[test]
    fn general_conic_reduces_to_bmw_and_min_energy_matches() {
        for (v, phi_deg) in [(3.0, 45.0), (5.0, 30.0), (7.0, 20.0), (4.0, 60.0)] {
            let phi = f64::to_radians(phi_deg);
            let a = bmw_equal_radius(R_E_KM, v, phi);
            let b = conic_general(R_E_KM, v, phi, R_E_KM).unwrap();
            assert!(close(a.range_km, b.range_km, 1e-6), "{a:?} {b:?}");
            assert!(close(a.apogee_km, b.apogee_km, 1e-6), "{a:?} {b:?}");
            assert!(close(a.time_s, b.time_s, 1e-6), "{a:?} {b:?}");
        }
        let psi = 3000.0 / R_E_KM;
        let (phi, v, c) = min_energy_general(R_E_KM, R_E_KM, psi);
        let (phi0, v0) = min_energy_equal_radius(R_E_KM, psi);
        assert!(close(phi, phi0, 1e-5), "{phi} {phi0}");
        assert!(close(v, v0, 1e-9), "{v} {v0}");
        assert!(close(c.psi_rad, psi, 1e-9));
        // r1 != r2: tan(2 phi) = sin psi / (r1/r2 - cos psi) (BMW's generalisation).
        let (r1, r2) = (R_E_KM + 100.0, R_E_KM);
        let (phi, _, _) = min_energy_general(r1, r2, psi);
        let want = 0.5 * psi.sin().atan2(r1 / r2 - psi.cos());
        assert!(close(phi, want, 1e-5), "{phi} {want}");
    }

    #[test]
    fn horizon_and_glide_reference_values() {
        assert!(close(horizon_km(100.0, 0.0), 1133.2, 0.05));
        assert!(close(horizon_km(1.0, 0.0), 112.9, 0.05));
        // "about 715 km" in docs/model.md section 2; the closed form gives 715.04 km.
        assert!(close(horizon_km(40.0, 0.0), 715.0, 0.1));
        assert!(close(
            equilibrium_glide_altitude_km(6.0, 13_000.0, 2.6),
            50.3,
            0.05
        ));
        assert!(close(
            equilibrium_glide_altitude_km(3.0, 13_000.0, 2.6),
            35.2,
            0.05
        ));
    }

    /// docs/model.md section 4 table.
    #[test]
    fn wilkening_table() {
        assert!(close(
            zero_leakers(salvo_pk(0.8, 2), 10, 1.0, 1.0),
            0.66483,
            5e-6
        ));
        assert!(close(
            zero_leakers(salvo_pk(0.7, 3), 20, 1.0, 1.0),
            0.57844,
            5e-6
        ));
        assert!(close(
            zero_leakers(salvo_pk(0.9, 2), 50, 1.0, 1.0),
            0.60501,
            5e-6
        ));
        assert!(close(sls_pk(0.7, 1, 1, 1.0), 0.91, 1e-12));
        assert!(close(sls_interceptors(0.7, 1, 1, 1.0), 1.30, 1e-12));
    }

    #[test]
    fn inventory_and_decoy_arithmetic() {
        // 10 threats, salvos of 2, 15 interceptors: 7 get 2, the 8th 1, two none.
        let shots = shots_with_inventory(2, 10, 15);
        assert_eq!(shots, vec![2, 2, 2, 2, 2, 2, 2, 1, 0, 0]);
        assert!(close(
            mean_leakers_with_inventory(1.0, 2, 10, 15),
            2.0,
            1e-12
        ));
        assert!(close(
            mean_leakers_with_inventory(0.5, 2, 10, 15),
            4.25,
            1e-12
        ));
        assert!(close(
            mean_leakers_with_inventory(0.8, 2, 10, 1000),
            mean_leakers(salvo_pk(0.8, 2), 10),
            1e-12
        ));
        assert_eq!(decoy_interceptors(1, 4, 0.5), (2.0, 1.0));
        assert_eq!(decoy_interceptors(1, 3, 1.0).0, 0.0);
        assert_eq!(warheads_engaged_with_decoys(2, 3, 4), 1.0);
        assert_eq!(warheads_engaged_with_decoys(2, 3, 6), 1.5);
        assert_eq!(warheads_engaged_with_decoys(2, 3, 100), 2.0);
    }

    #[test]
    fn sectors_wrap_around_north() {
        assert!(in_sector(350.0, 10.0, 30.0));
        assert!(in_sector(270.0, 270.0, 30.0));
        assert!(!in_sector(270.0, 0.0, 30.0));
        assert!(!in_sector(90.0, 270.0, 30.0));
    }

    #[test]
    fn beta_quadrature_moments() {
        // E[p] = a / (a + b); E[p^2] = a (a+1) / ((a+b)(a+b+1)).
        for (a, b) in [(8.0, 2.0), (1.5, 0.5), (0.5, 0.5), (2.0, 3.0)] {
            let m1 = beta_expectation(a, b, |p| p);
            let m2 = beta_expectation(a, b, |p| p * p);
            assert!(close(m1, a / (a + b), 1e-8), "{a} {b} {m1}");
            assert!(
                close(m2, a * (a + 1.0) / ((a + b) * (a + b + 1.0)), 1e-8),
                "{m2}"
            );
        }
    }
}
