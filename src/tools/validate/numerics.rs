//! Numerics: convergence of the default scenario's p_kill as the integration is refined, with
//! the same seed and trials (common random numbers; the paired difference of kills, per threat,
//! must be compatible with 0 under Newcombe's paired interval, docs/model.md section 5): the
//! adaptive integrator's `tolerance` divided by 100 (and the impact points of the two runs
//! compared trial by trial), and the fixed RK4 steps halved; and the f32 kernel's impact point
//! against the f64 reference propagator on a 10,000 km flight over the rotating Earth with an
//! atmosphere.

use super::engine::{fly_f32, fly_f64, scenario, surface_distance_km};
use super::oracles::destination;
use super::{ErrorKind, McBackend, Row, RowBuilder};
use crate::mc::runner::{run_trials, RunOptions, RunOutput};
use crate::mc::stats::{paired_difference, wilson, PairedCounts};
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::OUTCOME_KILLED;
use crate::scenario::Scenario;

const GROUP: &str = "numerics";
/// What this group checks, for the report.
pub const ABOUT: &str = "Convergence, a paired test on common random numbers: the default scenario run twice on the same trials (same seed), at the default tolerance and at a tolerance 100 times tighter (adaptive steps; the impact points of the two runs must also agree, the largest distance under TOL_CONVERGED_IMPACT_KM) and, with integrator = rk4, at its steps and with dt_s and dt_atmosphere_s halved; per threat (one per trial, so the pairs are independent) killed at both steps, at one only or at neither; the difference of p_kill (all threats, and per class) with Newcombe's paired 99.9 % interval (docs/model.md section 5), which must contain 0 (10,000 trials; 4,000 with `--quick`), on each backend. Only the trials whose outcome the step changes count, so the interval is about 20 times narrower than the Wilson interval of either run (measured ±0.0007 against ±0.016 at 99.9 %). Precision: the f32 kernel's impact point within 1 km of the f64 reference propagator's after a 10,000 km minimum-energy flight with boost over the rotating Earth with the atmosphere.";
/// Largest distance between the f32 and f64 impact points, km.
pub const TOL_IMPACT_KM: f64 = 1.0;
/// Largest distance between a trial's impact points at the default tolerance and at one 100
/// times tighter, km (the f32 kernel's position resolution near the Earth's surface is 0.5 m).
pub const TOL_CONVERGED_IMPACT_KM: f64 = 1.0;
/// Tightening of the tolerance in the convergence check.
pub const TOLERANCE_FACTOR: f64 = 100.0;

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

/// Samples of the step-halving check.
pub fn step_samples(quick: bool) -> u64 {
    if quick {
        4_000
    } else {
        10_000
    }
}

/// Level of the paired interval of the step-halving check.
pub const STEP_CONFIDENCE: f64 = 0.999;

/// One slot's kill outcome and impact point: `(trial, slot, class, killed, (lat, lon) deg)`.
type Kill = (u64, u32, u32, bool, (f64, f64));

/// Per-slot kill outcomes of one run, in trial then slot order.
fn kill_records(
    backend: &mut dyn crate::backend::Backend,
    sc: &Scenario,
    opts: &RunOptions,
) -> Result<(RunOutput, Vec<Kill>), String> {
    let mut kills = Vec::new();
    let out = run_trials(
        backend,
        &Batch::new(sc),
        opts,
        sc.run.confidence,
        |records| {
            kills.extend(records.iter().map(|r| {
                (
                    r.trial,
                    r.slot,
                    r.outcome.class_id,
                    r.outcome.outcome == OUTCOME_KILLED,
                    (r.track.impact_lat_deg as f64, r.track.impact_lon_deg as f64),
                )
            }));
            Ok(())
        },
    )
    .map_err(|e| format!("backend error: {e}"))?;
    Ok((out, kills))
}

/// The paired counts of kills at `dt` (A) and `dt / 2` (B) over the slots of class `class`
/// (all classes with `None`).
fn paired_kills(a: &[Kill], b: &[Kill], class: Option<u32>) -> PairedCounts {
    let mut c = PairedCounts::default();
    for (x, y) in a.iter().zip(b) {
        if class.is_some_and(|k| x.2 != k) {
            continue;
        }
        c.n += 1;
        match (x.3, y.3) {
            (true, true) => c.both += 1,
            (true, false) => c.only_a += 1,
            (false, true) => c.only_b += 1,
            (false, false) => {}
        }
    }
    c
}

/// The default scenario at the default tolerance against 100 times tighter, and with fixed RK4
/// steps against half those steps.
fn refinements(base: &Scenario) -> Vec<(String, String, Scenario, Scenario)> {
    let mut tight = base.clone();
    tight.run.tolerance_km /= TOLERANCE_FACTOR;
    let mut rk4 = base.clone();
    rk4.run.integrator = crate::scenario::Integrator::Rk4;
    let mut half = rk4.clone();
    half.run.dt_s /= 2.0;
    half.run.dt_atmosphere_s /= 2.0;
    vec![
        (
            format!(
                "default scenario: p_kill change when the tolerance is divided by {TOLERANCE_FACTOR}"
            ),
            format!(
                "adaptive steps at tolerance {} km and {} km",
                base.run.tolerance_km, tight.run.tolerance_km
            ),
            base.clone(),
            tight,
        ),
        (
            "default scenario: p_kill change when dt_s and dt_atmosphere_s are halved (rk4)".into(),
            format!(
                "fixed RK4 steps dt_s {} / dt_atmosphere_s {} s and half those",
                rk4.run.dt_s, rk4.run.dt_atmosphere_s
            ),
            rk4,
            half,
        ),
    ]
}

fn step_case(
    case: &str,
    what: &str,
    base: &Scenario,
    half: &Scenario,
    samples: u64,
    mc: &mut McBackend,
) -> Vec<Row> {
    let src = "convergence (paired, common random numbers)";
    let row = |case: &str| RowBuilder::new(GROUP, case, src, &mc.label, "probability");
    let backend = match mc.backend.as_mut() {
        Ok(b) => b,
        Err(reason) => return vec![row(case).skipped(0.0, reason.clone())],
    };
    let opts = RunOptions {
        samples,
        target_half_width: None,
        per_trial: true,
        progress: false,
        first_trial: 0,
    };
    let ((o1, k1), (o2, k2)) = match (
        kill_records(backend.as_mut(), base, &opts),
        kill_records(backend.as_mut(), half, &opts),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return vec![row(case).broken(e)],
    };
    let same_slots = k1.len() == k2.len()
        && k1
            .iter()
            .zip(&k2)
            .all(|(x, y)| (x.0, x.1, x.2) == (y.0, y.1, y.2));
    if !same_slots {
        return vec![row(case).broken(
            "the two runs did not fly the same slots and classes (common random numbers broken)",
        )];
    }
    let raid = Batch::new(base).raid_size();
    let level = format!("{:.1} % Newcombe paired", STEP_CONFIDENCE * 100.0);
    let mut rows = Vec::new();
    let classes = std::iter::once(None).chain((0..base.threats.len() as u32).map(Some));
    for class in classes {
        let c = paired_kills(&k1, &k2, class);
        let (diff, lo, hi) = paired_difference(&c, STEP_CONFIDENCE);
        let name = match class {
            None => case.to_string(),
            Some(k) => format!("{case}, {} only", base.threats[k as usize].name),
        };
        let (w_lo, w_hi) = wilson(c.k_a(), c.n, STEP_CONFIDENCE);
        rows.push(
            row(&name)
                .note(format!(
                    "reference = no change; engine = p_kill of the first minus the second of {what}, over the same {} threats ({samples} trials, seed {}, {} threat(s) per trial: the pairs are independent when it is 1); killed in both {}, only in the coarse {}, only in the fine {}; p_kill {:.4} -> {:.4}; unpaired {:.1} % Wilson half-width would be {:.4}; steps of the run (all classes) {} -> {}, derivative evaluations {} -> {}",
                    c.n,
                    base.run.seed,
                    raid,
                    c.both,
                    c.only_a,
                    c.only_b,
                    c.k_a() as f64 / c.n.max(1) as f64,
                    c.k_b() as f64 / c.n.max(1) as f64,
                    STEP_CONFIDENCE * 100.0,
                    0.5 * (w_hi - w_lo),
                    o1.tallies[tally::STEPS],
                    o2.tallies[tally::STEPS],
                    o1.tallies[tally::EVALUATIONS],
                    o2.tallies[tally::EVALUATIONS],
                ))
                .interval(0.0, diff, lo, hi, &level),
        );
    }
    if base.run.integrator == half.run.integrator
        && base.run.integrator == crate::scenario::Integrator::Adaptive
    {
        // Threats killed in either run end at their kill point, which depends on the doctrine's
        // choices; the others fly to the ground, and their impact points must agree.
        let mut d: Vec<f64> = k1
            .iter()
            .zip(&k2)
            .filter(|(x, y)| !x.3 && !y.3)
            .map(|(x, y)| surface_distance_km(x.4 .0, x.4 .1, y.4 .0, y.4 .1))
            .collect();
        d.sort_by(f64::total_cmp);
        let worst = d.last().copied().unwrap_or(0.0);
        let median = d.get(d.len() / 2).copied().unwrap_or(0.0);
        rows.push(
            RowBuilder::new(
                GROUP,
                format!("{case}: impact points"),
                src,
                &mc.label,
                "km",
            )
            .note(format!(
                "reference = 0; engine = median distance between a threat's impact points in the two runs of {what} ({} threats not killed in either run); error = the largest ({worst:.4} km)",
                d.len()
            ))
            .custom(
                ErrorKind::Absolute,
                0.0,
                median,
                worst,
                TOL_CONVERGED_IMPACT_KM,
                format!("every impact point within {TOL_CONVERGED_IMPACT_KM} km"),
            ),
        );
    }
    rows
}

pub fn cases(quick: bool, backends: &mut [McBackend]) -> Vec<Row> {
    let mut rows = vec![impact_case()];
    let base = Scenario::default_scenario();
    for mc in backends.iter_mut() {
        for (case, what, a, b) in refinements(&base) {
            rows.extend(step_case(&case, &what, &a, &b, step_samples(quick), mc));
        }
    }
    rows
}
