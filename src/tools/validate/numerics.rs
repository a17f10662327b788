//! Numerics: step-size convergence of the default scenario's p_kill (halving `dt_s` and
//! `dt_atmosphere_s` with the same seed and trials, i.e. common random numbers, must change it
//! by less than its interval half-width), and the f32 kernel's impact point against the f64
//! reference propagator on a 10,000 km flight over the rotating Earth with an atmosphere.

use super::engine::{fly_f32, fly_f64, scenario, surface_distance_km};
use super::{ErrorKind, McBackend, Row, RowBuilder};
use crate::base::limits::MAX_CLASSES;
use crate::mc::runner::{run_trials, RunOptions, RunOutput};
use crate::mc::stats::wilson;
use crate::model::batch::Batch;
use crate::model::tally;
use crate::scenario::Scenario;

const GROUP: &str = "numerics";
/// What this group checks, for the report.
pub const ABOUT: &str = "Step size: the default scenario's p_kill (all threats) with dt_s and dt_atmosphere_s halved, same seed and same trials (common random numbers), must move by less than the 95 % Wilson half-width of the estimate (30,000 trials; 4,000 with `--quick`), on each backend. Precision: the f32 kernel's impact point within 1 km of the f64 reference propagator's after a 10,000 km minimum-energy flight with boost over the rotating Earth with the atmosphere.";
/// Largest distance between the f32 and f64 impact points, km.
pub const TOL_IMPACT_KM: f64 = 1.0;

/// Destination `distance_km` from (lat, lon) along the initial bearing `bearing_deg` on the
/// sphere (spherical trigonometry), degrees.
pub fn destination(lat_deg: f64, lon_deg: f64, bearing_deg: f64, distance_km: f64) -> (f64, f64) {
    let (p1, l1, th) = (
        lat_deg.to_radians(),
        lon_deg.to_radians(),
        bearing_deg.to_radians(),
    );
    let d = distance_km / super::oracles::R_E_KM;
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * th.cos()).asin();
    let l2 = l1 + (th.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    let lon = (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    (p2.to_degrees(), lon)
}

fn impact_case() -> Row {
    let (lat0, lon0) = (35.7, 51.4);
    let (lat, lon) = destination(lat0, lon0, 315.0, 10_000.0);
    let case = "f32 kernel vs f64 reference impact point, 10,000 km";
    let text = format!(
        r#"
name = "validate-f32-impact"
[run]
samples = 1
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = true
atmosphere = "exponential"
[[threat]]
name = "icbm"
kind = "ballistic"
launch = {{ lat_deg = {lat0}, lon_deg = {lon0} }}
aim = {{ lat_deg = {lat}, lon_deg = {lon} }}
ballistic_coefficient_kg_m2 = 20000.0
boost_time_s = 180.0
burnout_altitude_km = 200.0
boost_range_km = 300.0
"#
    );
    let src = "f64 reference propagator";
    let sc = match scenario(&text, case) {
        Ok(sc) => sc,
        Err(e) => return RowBuilder::new(GROUP, case, src, "f32", "km").broken(e),
    };
    let b = Batch::new(&sc);
    let (a, c) = (fly_f64(&b, 0), fly_f32(&b, 0));
    let miss = surface_distance_km(
        a.impact_lat_deg,
        a.impact_lon_deg,
        c.impact_lat_deg,
        c.impact_lon_deg,
    );
    RowBuilder::new(GROUP, case, src, "f32", "km")
        .note(format!(
            "reference/engine = ground range of the f64/f32 flight; error = distance between their impact points; rotating Earth, exponential atmosphere, 180 s boost, min energy from ({lat0}, {lon0}) bearing 315 deg"
        ))
        .custom(ErrorKind::Absolute, a.range_km, c.range_km, miss, TOL_IMPACT_KM, format!("impact points within {TOL_IMPACT_KM} km"))
}

fn killed(o: &RunOutput, class: usize) -> (u64, u64) {
    (
        o.tallies[tally::class(class, tally::C_KILLED)],
        o.tallies[tally::class(class, tally::C_THREATS)],
    )
}

fn all_killed(o: &RunOutput) -> u64 {
    (0..MAX_CLASSES).map(|c| killed(o, c).0).sum()
}

/// Samples of the step-halving check.
pub fn step_samples(quick: bool) -> u64 {
    if quick {
        4_000
    } else {
        30_000
    }
}

fn step_case(base: &Scenario, samples: u64, mc: &mut McBackend) -> Row {
    let case = "default scenario: p_kill change when dt_s and dt_atmosphere_s are halved";
    let src = "convergence";
    let row = RowBuilder::new(GROUP, case, src, &mc.label, "probability");
    let backend = match mc.backend.as_mut() {
        Ok(b) => b,
        Err(reason) => return row.skipped(f64::NAN, reason.clone()),
    };
    let mut half = base.clone();
    half.run.dt_s /= 2.0;
    half.run.dt_atmosphere_s /= 2.0;
    let opts = RunOptions {
        samples,
        target_half_width: None,
        per_trial: false,
        progress: false,
        first_trial: 0,
    };
    let conf = base.run.confidence;
    let run = |b: &mut Box<dyn crate::backend::Backend>, sc: &Scenario| {
        run_trials(b.as_mut(), &Batch::new(sc), &opts, conf, |_| Ok(()))
    };
    let (o1, o2) = match (run(backend, base), run(backend, &half)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return row.broken(format!("backend error: {e}")),
    };
    let n = o1.tallies[tally::TRIALS];
    let (k1, k2) = (all_killed(&o1), all_killed(&o2));
    let (p1, p2) = (k1 as f64 / n as f64, k2 as f64 / n as f64);
    let (lo, hi) = wilson(k1, n, conf);
    let half_width = 0.5 * (hi - lo);
    let per_class: Vec<String> = base
        .threats
        .iter()
        .enumerate()
        .map(|(c, t)| {
            let ((a, na), (b, nb)) = (killed(&o1, c), killed(&o2, c));
            format!(
                "{} {:.4} -> {:.4}",
                t.name,
                a as f64 / na.max(1) as f64,
                b as f64 / nb.max(1) as f64
            )
        })
        .collect();
    row.note(format!(
        "reference = p_kill at dt_s {} / dt_atmosphere_s {} s, engine = at half those steps; {n} trials, seed {}, same trials; tolerance = {:.0} % Wilson half-width; integration steps {} -> {}; {}",
        base.run.dt_s,
        base.run.dt_atmosphere_s,
        base.run.seed,
        conf * 100.0,
        o1.tallies[tally::STEPS],
        o2.tallies[tally::STEPS],
        per_class.join(", ")
    ))
    .custom(ErrorKind::Absolute, p1, p2, (p2 - p1).abs(), half_width, "|change| < interval half-width")
}

pub fn cases(quick: bool, backends: &mut [McBackend]) -> Vec<Row> {
    let mut rows = vec![impact_case()];
    let base = Scenario::default_scenario();
    for mc in backends.iter_mut() {
        rows.push(step_case(&base, step_samples(quick), mc));
    }
    rows
}
