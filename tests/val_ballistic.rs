//! Vacuum ballistic flight against the closed forms of Bate, Mueller & White, *Fundamentals of
//! Astrodynamics* ch. 6 (docs/model.md section 1), coded here independently of the engine:
//! the f64 reference propagator within 0.1 %, the f32 kernel within 0.2 % of it.

mod common;
use common::*;
use interceptmc::base::frames::ground_range_km;
use interceptmc::kernel::physics::propagate::{propagate, Observer, Sample};
use interceptmc::kernel::{env_of, nominal_draws, sample_threat};
use interceptmc::tools::trajectory::nominal_trajectory;
use std::f64::consts::PI;

/// Range (km), apogee (km) and flight time (s) of a surface-to-surface vacuum conic with
/// Q = v^2 R / mu and flight-path angle phi (BMW eqs. 6.2-8, 6.2-3, 6.3-*).
fn closed_form(q: f64, phi: f64) -> (f64, f64, f64) {
    let c2 = phi.cos().powi(2);
    let e = (1.0 + q * (q - 2.0) * c2).sqrt();
    let half_psi = ((1.0 - q * c2) / e).acos();
    let a = R_KM / (2.0 - q);
    let cos_e1 = (e - half_psi.cos()) / (1.0 - e * half_psi.cos());
    let e1 = cos_e1.acos();
    let t = 2.0 * (a.powi(3) / MU).sqrt() * (PI - e1 + e * e1.sin());
    (2.0 * half_psi * R_KM, a * (1.0 + e) - R_KM, t)
}

/// Q of the conic through range angle psi at flight-path angle phi (equal radii).
fn q_for(psi: f64, phi: f64) -> f64 {
    (1.0 - psi.cos()) / (phi.cos() * (phi.cos() - (phi + psi).cos()))
}

fn aim_keys(range_km: f64) -> String {
    let lon = (range_km / R_KM).to_degrees();
    format!(
        "aim = {{ lat_deg = 0.0, lon_deg = {lon}, sigma_km = 0.0 }}\nburnout_altitude_km = 0.0\n"
    )
}

struct Apogee {
    max_alt: f64,
}
impl Observer<f32> for Apogee {
    fn start(&mut self, _s: &Sample<f32>) {}
    fn segment(&mut self, _a: &Sample<f32>, b: &Sample<f32>) -> bool {
        self.max_alt = self.max_alt.max(b.altitude_km() as f64);
        true
    }
}

/// Runs the f64 reference and the f32 kernel on the scenario; returns (range, apogee, time)
/// for both.
fn fly(text: &str) -> ((f64, f64, f64), (f64, f64, f64)) {
    let b = batch(text);
    let (_, s) = nominal_trajectory(&b, 0, "t", "ballistic");
    assert!(s.impacted);
    let th = sample_threat::<f32>(&b, 0, &nominal_draws());
    let mut obs = Apogee { max_alt: 0.0 };
    let f = propagate(&th, &env_of::<f32>(&b.params), &mut obs);
    assert!(f.impacted);
    let r32 = ground_range_km(th.launch_dir, f.last.p) as f64;
    (
        (s.range_km, s.apogee_km, s.flight_time_s),
        (r32, obs.max_alt, (f.last.t_s - th.launch_time_s) as f64),
    )
}

fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    let rel = (got - want).abs() / want.abs();
    assert!(
        rel <= tol,
        "{what}: got {got}, want {want} (relative error {rel:.2e} > {tol})"
    );
}

fn check(label: &str, text: &str, want: (f64, f64, f64)) {
    let (f64_, f32_) = fly(text);
    assert_rel(&format!("{label} range f64"), f64_.0, want.0, 1e-3);
    assert_rel(&format!("{label} apogee f64"), f64_.1, want.1, 1e-3);
    assert_rel(&format!("{label} time f64"), f64_.2, want.2, 1e-3);
    assert_rel(&format!("{label} range f32"), f32_.0, f64_.0, 2e-3);
    assert_rel(&format!("{label} apogee f32"), f32_.1, f64_.1, 2e-3);
    assert_rel(&format!("{label} time f32"), f32_.2, f64_.2, 2e-3);
}

#[test]
fn val_minimum_energy_ranges() {
    for range in [300.0, 1000.0, 3000.0, 10000.0, 12000.0] {
        let psi = range / R_KM;
        let phi = (PI - psi) / 4.0;
        let q = 2.0 * (psi / 2.0).sin() / (1.0 + (psi / 2.0).sin());
        check(
            &format!("min-energy {range} km"),
            &vacuum_ballistic(&aim_keys(range)),
            closed_form(q, phi),
        );
    }
}

#[test]
fn val_reference_table_values() {
    // docs/model.md section 1 table (published to 4-5 digits): 3000 km -> apogee 655.21 km,
    // 14.917 min; 10000 km -> 1319.48 km, 32.183 min.
    let (a, _) = fly(&vacuum_ballistic(&aim_keys(3000.0)));
    assert_rel("3000 km apogee", a.1, 655.21, 1e-3);
    assert_rel("3000 km time", a.2 / 60.0, 14.917, 1e-3);
    let (b, _) = fly(&vacuum_ballistic(&aim_keys(10000.0)));
    assert_rel("10000 km apogee", b.1, 1319.48, 1e-3);
    assert_rel("10000 km time", b.2 / 60.0, 32.183, 1e-3);
}

#[test]
fn val_lofted_and_depressed() {
    for (range, loft) in [
        (3000.0, 10.0),
        (3000.0, -10.0),
        (1000.0, 20.0),
        (8000.0, -8.0),
    ] {
        let psi = range / R_KM;
        let phi = (PI - psi) / 4.0 + f64::to_radians(loft);
        let text = vacuum_ballistic(&format!("{}loft_deg = {loft}\n", aim_keys(range)));
        check(
            &format!("loft {loft} at {range} km"),
            &text,
            closed_form(q_for(psi, phi), phi),
        );
    }
}

#[test]
fn val_explicit_angle() {
    let (range, phi_deg) = (2000.0f64, 30.0f64);
    let psi = range / R_KM;
    let phi = phi_deg.to_radians();
    let text = vacuum_ballistic(&format!(
        "{}flight_path_angle_deg = {phi_deg}\n",
        aim_keys(range)
    ));
    check("explicit angle", &text, closed_form(q_for(psi, phi), phi));
}

#[test]
fn val_free_shots() {
    for (v, phi_deg) in [(3.0f64, 45.0f64), (5.0, 30.0), (7.0, 20.0), (4.0, 60.0)] {
        let text = vacuum_ballistic(&format!(
            "burnout_altitude_km = 0.0\nburnout_speed_km_s = {v}\nflight_path_angle_deg = {phi_deg}\nazimuth_deg = 90.0\n"
        ));
        let q = v * v * R_KM / MU;
        check(
            &format!("free {v} km/s {phi_deg} deg"),
            &text,
            closed_form(q, phi_deg.to_radians()),
        );
    }
}
