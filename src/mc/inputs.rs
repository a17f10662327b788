//! Each threat's sampled inputs, as `trials.csv` carries them: the values `sample_threat`
//! drew for a (trial, slot) (launch and aim points, launch time, the state at burnout or at the
//! start of the glide or cruise, the weave) and the trial's sspk of every interceptor type, so
//! that a trial can be re-flown by hand or by another tool; and the inverse,
//! [`threat_from_inputs`], which builds the threat again from them (in f64 for the reference
//! propagator, `tools::trajectory::fly_reference`).
//!
//! The inputs are computed on the host with the CPU twin of the kernel (f32), whichever backend
//! ran the trial; the GPU's own values agree with them to f32 rounding.

use crate::base::constants::EARTH_RADIUS_KM;
use crate::base::frames::{azimuth_of, dir_geo_deg, direction_to, geo_dir, ground_range_km};
use crate::base::frames::{heading_dir, travel};
use crate::base::limits::SSPK_DRAWS;
use crate::base::Real;
use crate::kernel::engage::kill::trial_sspk;
use crate::kernel::physics::atmosphere::drag_factor;
use crate::kernel::physics::cruise::CruisePath;
use crate::kernel::physics::propagate::ThreatInit;
use crate::kernel::physics::state::{Aero, State, GUIDANCE_BY_RANGE};
use crate::kernel::{launch_velocity, pick_class, sample_threat, slot_draws, DRAW_CLASS};
use crate::model::batch::Batch;
use crate::model::types::{KIND_BALLISTIC, KIND_CRUISE, KIND_GLIDE, TRAJ_FREE};

/// One threat's sampled inputs (f32, the kernel's precision). Angles in degrees.
#[derive(Clone, Debug, PartialEq)]
pub struct SampledInputs {
    pub class_id: u32,
    pub launch_lat_deg: f32,
    pub launch_lon_deg: f32,
    pub aim_lat_deg: f32,
    pub aim_lon_deg: f32,
    /// Launch time from the trial's time origin, s.
    pub launch_time_s: f32,
    /// Where the boost ends (ballistic burnout, glide or cruise start).
    pub burnout_lat_deg: f32,
    pub burnout_lon_deg: f32,
    /// Earth-relative speed, flight-path angle and azimuth (from north, clockwise) there, with
    /// the dispersions applied.
    pub burnout_speed_km_s: f32,
    pub burnout_flight_path_angle_deg: f32,
    pub burnout_azimuth_deg: f32,
    /// Phase of the weave (glide bank or cruise lateral), degrees.
    pub weave_phase_deg: f32,
    /// Period of the weave, s (0: no weave).
    pub weave_period_s: f32,
    /// The trial's single-shot kill probability of each interceptor type (scenario order):
    /// drawn once per trial for an uncertain sspk, else the fixed value.
    pub sspk: Vec<f32>,
}

/// The sampled inputs of slot `slot` of trial `trial`.
pub fn sampled_inputs(b: &Batch, trial: u64, slot: u32) -> SampledInputs {
    let u = slot_draws(b.seed, trial, slot);
    let class_id = pick_class(&b.params, u[DRAW_CLASS as usize]);
    let th = sample_threat::<f32>(b, class_id, &u);
    let (launch_lat, launch_lon) = dir_geo_deg(th.launch_dir);
    let (aim_lat, aim_lon) = dir_geo_deg(th.aero.aim_km);
    let up = th.start.p.normalize();
    let (burnout_lat, burnout_lon) = dir_geo_deg(up);
    let v = th.start.v;
    let speed = v.length();
    let vh = v - up * v.dot(up);
    let fpa = v.dot(up).atan2(vh.length());
    let (omega, phase) = if th.kind == KIND_CRUISE {
        (th.cruise.weave_omega_rad_s, th.cruise.weave_phase_rad)
    } else {
        (th.aero.weave_omega_rad_s, th.aero.weave_phase_rad)
    };
    SampledInputs {
        class_id,
        launch_lat_deg: launch_lat,
        launch_lon_deg: launch_lon,
        aim_lat_deg: aim_lat,
        aim_lon_deg: aim_lon,
        launch_time_s: th.launch_time_s,
        burnout_lat_deg: burnout_lat,
        burnout_lon_deg: burnout_lon,
        burnout_speed_km_s: speed,
        burnout_flight_path_angle_deg: fpa.to_degrees(),
        burnout_azimuth_deg: azimuth_of(up, vh).to_degrees(),
        weave_phase_deg: phase.to_degrees(),
        weave_period_s: if omega > 0.0 {
            std::f32::consts::TAU / omega
        } else {
            0.0
        },
        sspk: b
            .interceptors
            .iter()
            .enumerate()
            .map(|(k, i)| {
                trial_sspk(
                    i,
                    b.seed,
                    trial,
                    crate::base::limits::SSPK_BASE + k as u64 * SSPK_DRAWS,
                )
            })
            .collect(),
    }
}

/// The threat of class `x.class_id` rebuilt from its sampled inputs, in precision `F`: the
/// launch and aim points, launch time, burnout state and weave as given, everything else from
/// the class (as `kernel::sample_threat` builds it from the draws).
pub fn threat_from_inputs<F: Real>(b: &Batch, x: &SampledInputs) -> ThreatInit<F> {
    let c = &b.classes[x.class_id as usize];
    let r_e = F::c(EARTH_RADIUS_KM);
    let rad = |deg: f32| F::c(f64::from(deg).to_radians());
    let launch = geo_dir(rad(x.launch_lat_deg), rad(x.launch_lon_deg));
    let aim = geo_dir(rad(x.aim_lat_deg), rad(x.aim_lon_deg));
    let boost_heading = if c.kind == KIND_BALLISTIC && c.traj_mode == TRAJ_FREE {
        heading_dir(launch, F::p(c.azimuth_rad))
    } else {
        direction_to(launch, aim)
    };
    let boost_dir = travel(launch, boost_heading, F::p(c.boost_range_km) / r_e);
    let start_p = boost_dir * (r_e + F::p(c.burnout_altitude_km));
    let v = launch_velocity(
        boost_dir,
        F::p(x.burnout_speed_km_s),
        rad(x.burnout_flight_path_angle_deg),
        rad(x.burnout_azimuth_deg),
    );
    let weave_omega = if x.weave_period_s > 0.0 {
        F::c(std::f64::consts::TAU) / F::p(x.weave_period_s)
    } else {
        F::zero()
    };
    let weave_phase = rad(x.weave_phase_deg);
    let glide = c.kind == KIND_GLIDE;
    let mut th = ThreatInit {
        kind: c.kind,
        launch_time_s: F::p(x.launch_time_s),
        launch_dir: launch,
        boost_heading,
        boost_time_s: F::p(c.boost_time_s),
        boost_range_km: F::p(c.boost_range_km),
        boost_altitude_km: F::p(c.burnout_altitude_km),
        start: State { p: start_p, v },
        aero: Aero {
            drag_factor: drag_factor(F::p(c.ballistic_coefficient_kg_m2)),
            lift_to_drag: if glide {
                F::p(c.lift_to_drag)
            } else {
                F::zero()
            },
            aim_km: aim * r_e,
            weave_bank_rad: if glide {
                F::p(c.weave_bank_rad)
            } else {
                F::zero()
            },
            weave_omega_rad_s: weave_omega,
            weave_phase_rad: weave_phase,
            dive_range_km: if glide {
                F::p(c.dive_range_km)
            } else {
                F::zero()
            },
            guidance: GUIDANCE_BY_RANGE,
        },
        cruise: CruisePath::default(),
    };
    if c.kind == KIND_CRUISE {
        th.cruise = CruisePath {
            start_dir: boost_dir,
            heading: direction_to(boost_dir, aim),
            length_km: ground_range_km(boost_dir, aim),
            altitude_km: F::p(c.burnout_altitude_km),
            speed_km_s: F::p(c.speed_km_s),
            weave_g: F::p(c.weave_g),
            weave_omega_rad_s: weave_omega,
            weave_phase_rad: weave_phase,
            dive_range_km: F::p(c.dive_range_km),
        };
    }
    th
}
