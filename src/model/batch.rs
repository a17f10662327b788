//! The compiled form of a scenario that both backends run: the Pod parameter structs of
//! `model::types`, computed once on the host in f64 and rounded to f32.

use crate::base::constants::{ATMOSPHERE_TOP_KM, EARTH_RADIUS_KM};
use crate::base::frames::{geo_dir, heading_dir};
use crate::base::limits::MAX_FLIGHT_S;
use crate::base::V3;
use crate::model::types::*;
use crate::scenario::{
    self, Atmosphere, BallisticAim, DoctrineMode, Integrator, Scenario, Sspk, ThreatKind,
};

/// The scenario as the kernels see it.
#[derive(Clone, Debug)]
pub struct Batch {
    pub params: RunParams,
    pub classes: Vec<ThreatClass>,
    pub sensors: Vec<Sensor>,
    pub interceptors: Vec<Interceptor>,
    pub batteries: Vec<Battery>,
    pub seed: u64,
}

fn v4(v: V3<f64>, w: f64) -> [f32; 4] {
    [v.x as f32, v.y as f32, v.z as f32, w as f32]
}

fn site_km(p: &scenario::GeoPoint) -> (V3<f64>, V3<f64>) {
    let u = geo_dir(p.lat_deg.to_radians(), p.lon_deg.to_radians());
    (u * (EARTH_RADIUS_KM + p.alt_km), u)
}

impl Batch {
    pub fn new(sc: &Scenario) -> Batch {
        let raid_size = sc.raid.as_ref().map_or(1, |r| r.size);
        let mut flags = 0;
        if sc.earth.rotation {
            flags |= FLAG_ROTATION;
        }
        if sc.earth.atmosphere == Atmosphere::Exponential {
            flags |= FLAG_ATMOSPHERE;
        }
        let capacity = sc.has_capacity_limits();
        if capacity {
            flags |= FLAG_CAPACITY;
        }
        let total_weight: f64 = sc.threats.iter().map(|t| t.weight).sum();
        let mut cdf = [1f32; 8];
        let mut acc = 0.0;
        for (i, t) in sc.threats.iter().enumerate() {
            acc += t.weight;
            cdf[i] = if i + 1 == sc.threats.len() {
                1.0
            } else {
                (acc / total_weight) as f32
            };
        }
        let params = RunParams {
            seed_lo: sc.run.seed as u32,
            seed_hi: (sc.run.seed >> 32) as u32,
            n_classes: sc.threats.len() as u32,
            n_sensors: sc.sensors.len() as u32,
            n_batteries: sc.batteries.len() as u32,
            n_interceptors: sc.interceptors.len() as u32,
            raid_size,
            flags,
            integrator: match sc.run.integrator {
                Integrator::Adaptive => INTEGRATOR_ADAPTIVE,
                Integrator::Rk4 => INTEGRATOR_RK4,
            },
            tolerance_km: sc.run.tolerance_km as f32,
            dt_s: sc.run.dt_s as f32,
            dt_atmosphere_s: sc.run.dt_atmosphere_s as f32,
            atmosphere_top_km: ATMOSPHERE_TOP_KM as f32,
            max_flight_s: MAX_FLIGHT_S,
            mode: match sc.doctrine.mode {
                DoctrineMode::Salvo => MODE_SALVO,
                DoctrineMode::ShootLookShoot => MODE_SHOOT_LOOK_SHOOT,
            },
            salvo_size: sc.doctrine.salvo_size,
            max_engagements: sc.doctrine.max_engagements,
            kill_assessment_s: sc.doctrine.kill_assessment_s as f32,
            kill_assessment_probability: sc.doctrine.kill_assessment_probability as f32,
            system_reliability: sc
                .raid
                .as_ref()
                .map_or(1.0, |r| r.system_reliability as f32),
            track_reliability: sc.raid.as_ref().map_or(1.0, |r| r.track_reliability as f32),
            launch_window_s: sc.raid.as_ref().map_or(0.0, |r| r.launch_window_s as f32),
            class_cdf_lo: [cdf[0], cdf[1], cdf[2], cdf[3]],
            class_cdf_hi: [cdf[4], cdf[5], cdf[6], cdf[7]],
            ..Default::default()
        };
        Batch {
            params,
            classes: sc.threats.iter().map(threat_class).collect(),
            sensors: sc.sensors.iter().map(sensor).collect(),
            interceptors: sc.interceptors.iter().map(interceptor).collect(),
            batteries: sc
                .batteries
                .iter()
                .map(|b| {
                    let (site, dir) = site_km(&b.site);
                    Battery {
                        site_km: v4(site, 0.0),
                        site_dir: v4(dir, 0.0),
                        interceptor: b.interceptor as u32,
                        inventory: b.inventory,
                        sensor_mask: b.sensors.iter().fold(0u32, |m, &s| m | (1 << s)),
                        reaction_time_s: b.reaction_time_s as f32,
                        fire_channels: b.fire_channels.unwrap_or(0),
                        launch_interval_s: b.launch_interval_s as f32,
                        fire_control_mask: b
                            .fire_control_sensors
                            .iter()
                            .fold(0u32, |m, &s| m | (1 << s)),
                        _pad0: 0,
                    }
                })
                .collect(),
            seed: sc.run.seed,
        }
    }

    pub fn raid_size(&self) -> u32 {
        self.params.raid_size
    }
}

fn sensor(s: &scenario::Sensor) -> Sensor {
    let (site, up) = site_km(&s.site);
    let (bore, cos_half) = match &s.sector {
        Some(sec) => (
            heading_dir(up, sec.boresight_azimuth_deg.to_radians()),
            sec.half_width_deg.to_radians().cos(),
        ),
        None => (V3::zero(), -2.0),
    };
    Sensor {
        site_km: v4(site, 0.0),
        up: v4(up, s.min_elevation_deg.to_radians().sin()),
        boresight: v4(bore, cos_half),
        max_range_km: s.max_range_km as f32,
        reference_rcs_m2: s.reference_rcs_m2 as f32,
        track_delay_s: s.track_delay_s as f32,
        track_capacity: s.track_capacity.unwrap_or(0),
    }
}

fn interceptor(i: &scenario::Interceptor) -> Interceptor {
    let (sspk, a, b) = match i.sspk {
        Sspk::Fixed(p) => (p, 0.0, 0.0),
        Sspk::Beta { a, b } => (a / (a + b), a, b),
    };
    Interceptor {
        min_altitude_km: i.min_altitude_km as f32,
        max_altitude_km: i.max_altitude_km as f32,
        max_range_km: i.max_range_km as f32,
        flyout_speed_km_s: i.flyout_speed_km_s as f32,
        sspk: sspk as f32,
        beta_a: a as f32,
        beta_b: b as f32,
        divert_g: i.divert_g as f32,
    }
}

fn threat_class(t: &scenario::Threat) -> ThreatClass {
    let launch = geo_dir(t.launch.lat_deg.to_radians(), t.launch.lon_deg.to_radians());
    let (aim, sigma) = match &t.aim {
        Some(a) => (
            geo_dir(a.lat_deg.to_radians(), a.lon_deg.to_radians()),
            a.sigma_km,
        ),
        None => (launch, 0.0),
    };
    let mut c = ThreatClass {
        launch_dir: v4(launch, t.launch.radius_km),
        aim_dir: v4(aim, sigma),
        launch_time_lo_s: t.launch_time_s[0] as f32,
        launch_time_hi_s: t.launch_time_s[1] as f32,
        rcs_m2: t.rcs_m2 as f32,
        ballistic_coefficient_kg_m2: t.ballistic_coefficient_kg_m2 as f32,
        decoy_strip_altitude_km: 80.0,
        ..Default::default()
    };
    match &t.kind {
        ThreatKind::Ballistic(b) => {
            c.kind = KIND_BALLISTIC;
            c.boost_time_s = b.boost_time_s as f32;
            c.burnout_altitude_km = b.burnout_altitude_km as f32;
            c.boost_range_km = b.boost_range_km as f32;
            c.speed_sigma_fraction = b.burnout_speed_sigma_fraction as f32;
            c.fpa_spread_rad = b.flight_path_angle_spread_deg.to_radians() as f32;
            c.azimuth_sigma_rad = b.azimuth_sigma_deg.to_radians() as f32;
            c.decoys = b.decoys;
            c.discrimination_probability = b.discrimination_probability as f32;
            c.decoy_strip_altitude_km = b.decoy_strip_altitude_km as f32;
            match b.aim_mode {
                BallisticAim::MinEnergy { loft_deg } => {
                    c.traj_mode = if loft_deg == 0.0 {
                        TRAJ_MIN_ENERGY
                    } else {
                        TRAJ_LOFT
                    };
                    c.loft_rad = loft_deg.to_radians() as f32;
                }
                BallisticAim::FixedAngle {
                    flight_path_angle_deg,
                } => {
                    c.traj_mode = TRAJ_FIXED_ANGLE;
                    c.fpa_rad = flight_path_angle_deg.to_radians() as f32;
                }
                BallisticAim::Free {
                    burnout_speed_km_s,
                    flight_path_angle_deg,
                    azimuth_deg,
                } => {
                    c.traj_mode = TRAJ_FREE;
                    c.speed_km_s = burnout_speed_km_s as f32;
                    c.fpa_rad = flight_path_angle_deg.to_radians() as f32;
                    c.azimuth_rad = azimuth_deg.to_radians() as f32;
                }
            }
        }
        ThreatKind::Glide(g) => {
            c.kind = KIND_GLIDE;
            c.boost_time_s = g.boost_time_s as f32;
            c.boost_range_km = g.boost_range_km as f32;
            c.burnout_altitude_km = g.start_altitude_km as f32;
            c.speed_km_s = g.start_speed_km_s as f32;
            c.fpa_rad = g.start_flight_path_angle_deg.to_radians() as f32;
            c.lift_to_drag = g.lift_to_drag as f32;
            c.weave_bank_rad = g.weave_bank_deg.to_radians() as f32;
            c.weave_period_lo_s = g.weave_period_s[0] as f32;
            c.weave_period_hi_s = g.weave_period_s[1] as f32;
            c.dive_range_km = g.dive_range_km as f32;
        }
        ThreatKind::Cruise(cr) => {
            c.kind = KIND_CRUISE;
            c.boost_time_s = cr.boost_time_s as f32;
            c.boost_range_km = cr.boost_range_km as f32;
            c.burnout_altitude_km = cr.altitude_km as f32;
            c.speed_km_s = cr.speed_km_s as f32;
            c.weave_g = cr.weave_g as f32;
            c.weave_period_lo_s = cr.weave_period_s[0] as f32;
            c.weave_period_hi_s = cr.weave_period_s[1] as f32;
            c.dive_range_km = cr.dive_range_km as f32;
        }
    }
    c
}
