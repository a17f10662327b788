//! Who did what: one row per (battery, threat class) and per battery over all classes, from
//! the per-battery tallies (`model::tally::battery`). Written as `battery.csv` by
//! `output::battery`; the run table shows the `all` rows and warns about a battery that never
//! fired.

use crate::mc::stats::{ClusterProportion, ClusterSums};
use crate::model::tally;
use crate::model::types::CAP_LIMITS;
use crate::scenario::Scenario;

/// One row of `battery.csv`. Shares are per threat of the class (`threats`), with the trial as
/// the unit of their intervals (`mc::stats::ClusterProportion`, Wilson 1927 at the effective
/// number of independent threats): with `[raid]` the threats of one raid are not independent.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryRow {
    pub scenario: String,
    pub battery: String,
    /// Interceptor type the battery fires.
    pub interceptor: String,
    /// Threat class, or `all`.
    pub threat: String,
    /// Threats of the class simulated.
    pub threats: u64,
    /// Engagements of those threats by this battery.
    pub engagements: u64,
    /// Interceptors this battery fired at them (warheads and decoys).
    pub interceptors: u64,
    /// Threats this battery killed (its shot was the killing one).
    pub kills: u64,
    /// Share of the threats against which this battery had a feasible intercept window.
    pub p_window: f64,
    pub p_window_lo: f64,
    pub p_window_hi: f64,
    /// Share of the threats this battery fired at least one interceptor at.
    pub p_fired: f64,
    pub p_fired_lo: f64,
    pub p_fired_hi: f64,
    /// Share of the threats this battery killed, `kills / threats`.
    pub p_kill_by: f64,
    pub confidence: f64,
    /// Threats with a window (numerator of `p_window`).
    pub windows: u64,
    /// Threats fired at (numerator of `p_fired`).
    pub fired_at: u64,
    /// With capacity keys in the scenario: threats whose engagement by this battery each limit
    /// delayed or prevented, in `CAP_*` order (fire channels, launch interval, track capacity,
    /// fire control); `None` without capacity keys (docs/model.md section 10, "Capacity").
    pub bound: Option<[u64; CAP_LIMITS as usize]>,
}

/// The rows of every battery (scenario order): one per threat class (scenario order), then
/// `all`.
pub fn battery_rows(sc: &Scenario, tallies: &[u64]) -> Vec<BatteryRow> {
    let t = |i: usize| tallies[i];
    let trials = t(tally::TRIALS);
    let conf = sc.run.confidence;
    let limited = sc.has_capacity_limits();
    let mut rows = Vec::new();
    for b in 0..sc.batteries.len() {
        let mut all = [0u64; 5];
        let mut all_threats = 0u64;
        for (c, th) in sc.threats.iter().enumerate() {
            let g = |f| t(tally::battery(b, c, f));
            let threats = t(tally::class(c, tally::C_THREATS));
            let sums = |y, yy, ym| ClusterSums {
                trials,
                y,
                m: threats,
                yy,
                ym,
                mm: t(tally::class(c, tally::C_THREATS_SQ)),
            };
            let counts = [
                g(tally::B_ENGAGEMENTS),
                g(tally::B_INTERCEPTORS),
                g(tally::B_KILLS),
                g(tally::B_WINDOW),
                g(tally::B_FIRED),
            ];
            for (a, x) in all.iter_mut().zip(counts) {
                *a += x;
            }
            all_threats += threats;
            let bound =
                limited.then(|| std::array::from_fn(|l| t(tally::capacity(b, c, l as u32))));
            rows.push(row(
                sc,
                b,
                &th.name,
                threats,
                counts,
                sums(counts[3], g(tally::B_WINDOW_SQ), g(tally::B_WINDOW_THREATS)),
                sums(counts[4], g(tally::B_FIRED_SQ), g(tally::B_FIRED_THREATS)),
                conf,
                bound,
            ));
        }
        let ga = |f| t(tally::battery_all(b, f));
        let sums = |y, yy, ym| ClusterSums {
            trials,
            y,
            m: all_threats,
            yy,
            ym,
            mm: t(tally::THREATS_SQ),
        };
        rows.push(row(
            sc,
            b,
            "all",
            all_threats,
            all,
            sums(
                all[3],
                ga(tally::BA_WINDOW_SQ),
                ga(tally::BA_WINDOW_THREATS),
            ),
            sums(all[4], ga(tally::BA_FIRED_SQ), ga(tally::BA_FIRED_THREATS)),
            conf,
            limited.then(|| std::array::from_fn(|l| tally::capacity_all(tallies, b, l as u32))),
        ));
    }
    rows
}

#[allow(clippy::too_many_arguments)] // one row's counts, named at the call
fn row(
    sc: &Scenario,
    b: usize,
    threat: &str,
    threats: u64,
    [engagements, interceptors, kills, windows, fired_at]: [u64; 5],
    window: ClusterSums,
    fired: ClusterSums,
    conf: f64,
    bound: Option<[u64; CAP_LIMITS as usize]>,
) -> BatteryRow {
    let bat = &sc.batteries[b];
    let pw = ClusterProportion::new(window, conf);
    let pf = ClusterProportion::new(fired, conf);
    BatteryRow {
        scenario: sc.name.clone(),
        battery: bat.name.clone(),
        interceptor: sc.interceptors[bat.interceptor].name.clone(),
        threat: threat.to_string(),
        threats,
        engagements,
        interceptors,
        kills,
        p_window: pw.p,
        p_window_lo: pw.wilson.0,
        p_window_hi: pw.wilson.1,
        p_fired: pf.p,
        p_fired_lo: pf.wilson.0,
        p_fired_hi: pf.wilson.1,
        p_kill_by: if threats == 0 {
            f64::NAN
        } else {
            kills as f64 / threats as f64
        },
        confidence: conf,
        windows,
        fired_at,
        bound,
    }
}

/// The warning for each battery that never fired (its `all` row has no interceptor), with
/// why: never a feasible window, or windows but the others took every shot first.
pub fn never_fired_warnings(rows: &[BatteryRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.threat == "all" && r.interceptors == 0 && r.threats > 0)
        .map(|r| {
            let why = if r.windows == 0 {
                "it never had a feasible intercept window (check its site, envelope, cueing \
                 sensors and reaction time)"
                    .to_string()
            } else {
                format!(
                    "it had a feasible window against {} of {} threats, but they were killed, \
                     judged killed or out of its inventory before its turn",
                    r.windows, r.threats
                )
            };
            format!(
                "warning: battery {:?} never fired in {} threats: {why}; it adds nothing to \
                 p_kill here",
                r.battery, r.threats
            )
        })
        .collect()
}
