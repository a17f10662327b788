//! Vacuum two-body relations used to aim a ballistic missile: the burnout speed that reaches a
//! point at a given range angle and flight-path angle, the minimum-energy angle, and the time of
//! free flight. Bate, Mueller & White, *Fundamentals of Astrodynamics* (1971), ch. 6, generalised
//! to a burnout radius r1 different from the re-entry radius r2 (docs/model.md section 1).

use crate::base::constants::{EARTH_RADIUS_KM, MU_KM3_S2, OMEGA_RAD_S};
use crate::base::frames::{central_angle, direction_to, rotate_z};
use crate::base::{Real, V3};

/// Burnout speed (km/s) for which a conic leaving radius `r1_km` at flight-path angle `phi_rad`
/// reaches radius `r2_km` after the range angle `psi_rad`. From the orbit equation
/// 1/r(theta) = mu/h^2 (1 - cos theta) + cos theta / r1 - tan(phi) sin theta / r1 (h = r1 v cos phi):
/// v^2 = mu (1 - cos psi) / (r1 cos phi ((r1/r2) cos phi - cos(phi + psi))).
/// Returns NaN when no such conic exists (the denominator is not positive).
pub fn burnout_speed<F: Real>(r1_km: F, r2_km: F, psi_rad: F, phi_rad: F) -> F {
    let den = r1_km * phi_rad.cos() * ((r1_km / r2_km) * phi_rad.cos() - (phi_rad + psi_rad).cos());
    if den <= F::zero() {
        return F::nan();
    }
    (F::c(MU_KM3_S2) * (F::one() - psi_rad.cos()) / den).sqrt()
}

/// Flight-path angle (rad) that minimises the burnout speed for range angle `psi_rad` from
/// radius `r1_km` to `r2_km`: d(v^2)/d(phi) = 0 gives tan(2 phi) = sin psi / (r1/r2 - cos psi),
/// which is (pi - psi)/4 for r1 = r2 (BMW eq. 6.2-17).
pub fn min_energy_angle<F: Real>(r1_km: F, r2_km: F, psi_rad: F) -> F {
    F::c(0.5) * psi_rad.sin().atan2k(r1_km / r2_km - psi_rad.cos())
}

/// Time of free flight (s) from radius `r1_km` with speed `v_km_s` at flight-path angle `phi_rad`
/// through the range angle `psi_rad` (Kepler's equation between the two true anomalies; elliptic
/// orbits only, NaN otherwise).
pub fn time_of_flight<F: Real>(r1_km: F, v_km_s: F, phi_rad: F, psi_rad: F) -> F {
    let mu = F::c(MU_KM3_S2);
    let h = r1_km * v_km_s * phi_rad.cos();
    let energy = v_km_s * v_km_s * F::c(0.5) - mu / r1_km;
    if energy >= F::zero() {
        return F::nan();
    }
    let a = -mu / (F::c(2.0) * energy);
    let e = (F::one() + F::c(2.0) * energy * h * h / (mu * mu))
        .max(F::zero())
        .sqrt();
    // True anomaly at burnout: r1 = p / (1 + e cos theta), radial speed ~ e sin theta.
    let p = h * h / mu;
    let cos_t1 = if e > F::c(1e-9) {
        ((p / r1_km - F::one()) / e).max(-F::one()).min(F::one())
    } else {
        F::one()
    };
    let mut theta1 = cos_t1.acosk();
    if phi_rad < F::zero() {
        theta1 = -theta1;
    }
    let theta2 = theta1 + psi_rad;
    let mean_anomaly = |theta: F| {
        let ecc = (F::one() - e * e).sqrt() * theta.sin();
        let big_e = ecc.atan2k(e + theta.cos());
        big_e - e * big_e.sin()
    };
    let m1 = mean_anomaly(theta1);
    let mut m2 = mean_anomaly(theta2);
    let two_pi = F::c(2.0 * std::f64::consts::PI);
    while m2 < m1 {
        m2 = m2 + two_pi;
    }
    (a * a * a / mu).sqrt() * (m2 - m1)
}

/// Earth-relative burnout velocity (km/s) at `p_km` (ECEF) that reaches the ground point
/// `aim_dir` in vacuum, with flight-path angle `phi_rad`, or the minimum-energy angle plus
/// `loft_rad` when `min_energy` is set. On a rotating Earth the conic is solved in the inertial
/// frame that coincides with the Earth-fixed one at burnout, aiming at where the aim point will
/// be after the time of flight (fixed-point iteration on that time), and the Earth's rotation
/// velocity w x p is then subtracted. Drag is not anticipated: a re-entry vehicle falls slightly
/// short, as in the simple models of the open literature.
pub fn aim_burnout<F: Real>(
    p_km: V3<F>,
    aim_dir: V3<F>,
    min_energy: bool,
    loft_rad: F,
    phi_rad: F,
    rotation: bool,
) -> V3<F> {
    let r1 = p_km.length();
    let r2 = F::c(EARTH_RADIUS_KM);
    let up = p_km * (F::one() / r1);
    let w = F::c(OMEGA_RAD_S);
    let mut tof = F::zero();
    let mut v_in = V3::zero();
    let iterations = if rotation { 4 } else { 1 };
    for _ in 0..iterations {
        let target = if rotation {
            rotate_z(aim_dir, w * tof)
        } else {
            aim_dir
        };
        let psi = central_angle(up, target);
        let phi = if min_energy {
            min_energy_angle(r1, r2, psi) + loft_rad
        } else {
            phi_rad
        };
        let speed = burnout_speed(r1, r2, psi, phi);
        let h = direction_to(up, target);
        v_in = (h * phi.cos() + up * phi.sin()) * speed;
        tof = time_of_flight(r1, speed, phi, psi);
        if !tof.is_finite() {
            tof = F::zero();
        }
    }
    if rotation {
        v_in - V3::new(-w * p_km.y, w * p_km.x, F::zero())
    } else {
        v_in
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::constants::EARTH_RADIUS_KM as R;

    #[test]
    fn min_energy_angle_matches_equal_radius_closed_form() {
        for psi in [0.1f64, 0.5, 1.0, 2.0] {
            let phi = min_energy_angle(R, R, psi);
            assert!((phi - (std::f64::consts::PI - psi) / 4.0).abs() < 1e-12);
        }
    }

    /// docs/model.md section 1 table: 1000 km minimum energy from the surface -> 3.0161 km/s,
    /// 7.906 min.
    #[test]
    fn reference_table_1000_km() {
        let psi = 1000.0 / R;
        let phi = min_energy_angle(R, R, psi);
        let v = burnout_speed(R, R, psi, phi);
        assert!((v - 3.0161).abs() < 1e-4, "{v}");
        let t = time_of_flight(R, v, phi, psi);
        assert!((t / 60.0 - 7.906).abs() < 1e-3, "{t}");
    }
}
