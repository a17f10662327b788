//! Who did what, against hand-computed cases (docs/model.md section 10, "Who did what"): a
//! battery that cannot reach the threat never has a window, never fires and is warned about; a
//! battery with sspk 1 and a guaranteed window kills every threat; each leak reason comes out
//! where the layout forces it (sspk 0: missed; inventory 0: inventory out; a radar that sees
//! nothing: no track; a reaction time longer than the flight: not in time; no battery within
//! reach: no window). Each case runs on the CPU backend and, where an adapter exists, on the
//! GPU backend (`INTERCEPTMC_REQUIRE_GPU=1` makes a missing adapter a failure), and the
//! per-battery tallies and battery.csv rows are checked against the same numbers.
//!
//! The geometry: a ballistic threat from (0, 0) to (0, 10 deg) on a non-rotating airless Earth
//! (minimum energy, 1,112 km, apogee about 280 km, some 500 s of flight), a radar midway that
//! sees the whole flight (range 3,000 km), a "defender" battery at the aim point whose envelope
//! (20 to 400 km altitude, 300 km ground range) the descent must cross (at 300 km ground range
//! from the aim point a minimum-energy arc of this range is still above 150 km), and a
//! "faraway" battery at (60 N, 100 E), 10,000 km from every point of the flight.

mod common;

use common::*;
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::gpu::{test_context, GpuBackend};
use interceptmc::backend::Backend;
use interceptmc::mc::battery::{battery_rows, never_fired_warnings, BatteryRow};
use interceptmc::model::tally;
use interceptmc::model::types::*;

const N: u64 = 200;

/// The backends to run: the CPU, and the GPU when an adapter opens.
fn backends() -> Vec<Box<dyn Backend>> {
    let mut v: Vec<Box<dyn Backend>> = vec![Box::new(CpuBackend)];
    if let Some(ctx) = test_context() {
        v.push(Box::new(
            GpuBackend::from_context(ctx).expect("GPU backend"),
        ));
    }
    v
}

struct Case {
    sspk: f64,
    inventory: u32,
    reaction_s: f64,
    radar_range_km: f64,
    defender_site: (f64, f64),
    raid: Option<u32>,
    /// The defender's `launch_interval_s` (0: no capacity key).
    launch_interval_s: f64,
}

const BASE: Case = Case {
    sspk: 1.0,
    inventory: 100_000,
    reaction_s: 0.0,
    radar_range_km: 3000.0,
    defender_site: (0.0, 10.0),
    raid: None,
    launch_interval_s: 0.0,
};

fn text(c: &Case) -> String {
    let raid = c
        .raid
        .map(|n| format!("[raid]\nsize = {n}\nlaunch_window_s = 0.0\n"))
        .unwrap_or_default();
    format!(
        r#"
name = "attribution"
[run]
samples = {N}
seed = 7
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "srbm"
kind = "ballistic"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 10.0 }}
aim = {{ lat_deg = 0.0, lon_deg = 10.0, sigma_km = 5.0 }}
boost_time_s = 0.0
burnout_altitude_km = 0.0
rcs_m2 = 1.0
[[sensor]]
name = "radar"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = 5.0 }}
max_range_km = {range}
reference_rcs_m2 = 1.0
min_elevation_deg = 0.0
track_delay_s = 5.0
[interceptor.sure]
min_altitude_km = 20.0
max_altitude_km = 400.0
max_range_km = 300.0
flyout_speed_km_s = 5.0
sspk = {sspk}
divert_g = 10.0
[[battery]]
name = "defender"
site = {{ lat_deg = {dlat}, lon_deg = {dlon} }}
interceptor = "sure"
inventory = {inv}
reaction_time_s = {reaction}
launch_interval_s = {interval}
[[battery]]
name = "faraway"
site = {{ lat_deg = 60.0, lon_deg = 100.0 }}
interceptor = "sure"
inventory = 10
reaction_time_s = {reaction}
[doctrine]
mode = "shoot-look-shoot"
salvo_size = 1
max_engagements = 1
kill_assessment_s = 0.0
kill_assessment_probability = 1.0
{raid}"#,
        range = c.radar_range_km,
        sspk = c.sspk,
        dlat = c.defender_site.0,
        dlon = c.defender_site.1,
        inv = c.inventory,
        reaction = c.reaction_s,
        interval = c.launch_interval_s,
    )
}

/// One backend's results: its kind, the leak reason of every slot, the battery rows and the
/// tallies.
type Outcome = (String, Vec<u32>, Vec<BatteryRow>, Vec<u64>);

/// Per backend: the leak reasons of every slot and the battery rows from the tallies.
fn run(c: &Case) -> Vec<Outcome> {
    let t = text(c);
    let sc = scenario(&t);
    let b = batch(&t);
    backends()
        .into_iter()
        .map(|mut be| {
            let out = be.run(&b, 0..N, true).expect("run");
            let reasons = out.records.iter().map(|r| r.outcome.leak_reason).collect();
            let rows = battery_rows(&sc, &out.tallies);
            (be.kind().to_string(), reasons, rows, out.tallies)
        })
        .collect()
}

fn row<'a>(rows: &'a [BatteryRow], battery: &str, threat: &str) -> &'a BatteryRow {
    rows.iter()
        .find(|r| r.battery == battery && r.threat == threat)
        .unwrap_or_else(|| panic!("no row {battery}/{threat}"))
}

fn all_reasons(c: &Case, want: u32) {
    for (kind, reasons, _, _) in run(c) {
        assert_eq!(
            reasons.len() as u64,
            N * u64::from(c.raid.unwrap_or(1)),
            "{kind}"
        );
        assert!(
            reasons.iter().all(|&r| r == want),
            "{kind}: leak reasons {reasons:?}, want all {want}"
        );
    }
}

#[test]
fn sure_battery_kills_every_threat_and_faraway_battery_never_fires() {
    for (kind, reasons, rows, _) in run(&BASE) {
        assert!(
            reasons.iter().all(|&r| r == LEAK_NONE),
            "{kind}: {reasons:?}"
        );
        for threat in ["srbm", "all"] {
            let d = row(&rows, "defender", threat);
            assert_eq!(d.threats, N, "{kind}");
            // One engagement, one interceptor and one kill per threat; a window every time.
            assert_eq!(
                (d.engagements, d.interceptors, d.kills),
                (N, N, N),
                "{kind}"
            );
            assert_eq!(
                (d.p_window, d.p_fired, d.p_kill_by),
                (1.0, 1.0, 1.0),
                "{kind}"
            );
            assert_eq!((d.windows, d.fired_at), (N, N), "{kind}");
            // Wilson at 200 of 200, 95 %: lower bound n / (n + z^2) = 0.98115.
            let z2 = 1.959963984540054f64.powi(2);
            assert!(
                (d.p_window_lo - N as f64 / (N as f64 + z2)).abs() < 1e-9,
                "{d:?}"
            );
            assert_eq!(d.p_window_hi, 1.0);
            let f = row(&rows, "faraway", threat);
            assert_eq!(
                (f.engagements, f.interceptors, f.kills),
                (0, 0, 0),
                "{kind}"
            );
            assert_eq!((f.p_window, f.p_fired, f.windows), (0.0, 0.0, 0), "{kind}");
            assert!((f.p_window_hi - z2 / (N as f64 + z2)).abs() < 1e-9, "{f:?}");
        }
        let w = never_fired_warnings(&rows);
        assert_eq!(w.len(), 1, "{kind}: {w:?}");
        assert!(w[0].contains("\"faraway\"") && w[0].contains("never had a feasible"));
    }
}

#[test]
fn zero_sspk_misses() {
    all_reasons(&Case { sspk: 0.0, ..BASE }, LEAK_MISSED);
}

#[test]
fn empty_inventory_is_inventory_out() {
    let c = Case {
        inventory: 0,
        ..BASE
    };
    all_reasons(&c, LEAK_INVENTORY_OUT);
    for (kind, _, rows, _) in run(&c) {
        let d = row(&rows, "defender", "all");
        assert_eq!(
            (d.p_window, d.p_fired, d.interceptors),
            (1.0, 0.0, 0),
            "{kind}"
        );
        let w = never_fired_warnings(&rows);
        assert!(w
            .iter()
            .any(|w| w.contains("\"defender\"") && w.contains("200 of 200")));
    }
}

#[test]
fn blind_radar_is_no_track() {
    // 1 km of range from a site 556 km from the launch point: never in range.
    all_reasons(
        &Case {
            radar_range_km: 1.0,
            ..BASE
        },
        LEAK_NO_TRACK,
    );
}

#[test]
fn reaction_longer_than_the_flight_is_not_in_time() {
    // The flight lasts about 500 s; track at about 5 s plus a 3,000 s reaction (both
    // batteries: with one ready in time the reason would be no window).
    all_reasons(
        &Case {
            reaction_s: 3000.0,
            ..BASE
        },
        LEAK_NOT_IN_TIME,
    );
}

#[test]
fn no_battery_within_reach_is_no_window() {
    all_reasons(
        &Case {
            defender_site: (-60.0, -100.0),
            ..BASE
        },
        LEAK_NO_WINDOW,
    );
}

#[test]
fn raid_shares_one_interceptor_the_second_threat_is_out_of_inventory() {
    // Two threats per raid, one interceptor: the earlier launch opportunity takes it (sspk 1,
    // a kill), the other threat has a window but nothing left.
    let c = Case {
        inventory: 1,
        raid: Some(2),
        ..BASE
    };
    for (kind, reasons, rows, tallies) in run(&c) {
        for pair in reasons.chunks(2) {
            let mut p = pair.to_vec();
            p.sort();
            assert_eq!(
                p,
                vec![LEAK_NONE, LEAK_INVENTORY_OUT],
                "{kind}: {reasons:?}"
            );
        }
        let d = row(&rows, "defender", "srbm");
        assert_eq!(d.threats, 2 * N);
        assert_eq!(
            (d.engagements, d.interceptors, d.kills),
            (N, N, N),
            "{kind}"
        );
        assert_eq!((d.p_window, d.p_fired), (1.0, 0.5), "{kind}");
        // Every raid fires at exactly one of its two threats: the per-raid count is 1, so the
        // cluster sums are exactly N (sum y^2) and 2N (sum y m).
        let g = |f| tallies[tally::battery(0, 0, f)];
        assert_eq!(
            (g(tally::B_FIRED_SQ), g(tally::B_FIRED_THREATS)),
            (N, 2 * N)
        );
        assert_eq!(
            (g(tally::B_WINDOW_SQ), g(tally::B_WINDOW_THREATS)),
            (4 * N, 4 * N)
        );
        assert!(d.p_fired_lo < 0.5 && d.p_fired_hi > 0.5, "{d:?}");
    }
}

#[test]
fn launch_interval_longer_than_the_flight_leaves_the_second_threat_to_capacity() {
    // Two threats per raid launched together against one battery with interceptors to spare
    // that may launch once every 7,200 s (the most allowed; the flight lasts some 500 s): it kills one (sspk
    // 1) and cannot launch at the other, which had a window: `capacity`, not `inventory_out`.
    // The other battery never has a window, so the limit bound exactly once per raid, for the
    // defender: N threats in bound_launch_interval, none in the other three limits.
    let c = Case {
        raid: Some(2),
        launch_interval_s: 7_200.0,
        ..BASE
    };
    let sc = scenario(&text(&c));
    assert!(sc.has_capacity_limits());
    for (kind, reasons, rows, _) in run(&c) {
        for pair in reasons.chunks(2) {
            let mut p = pair.to_vec();
            p.sort();
            assert_eq!(p, vec![LEAK_NONE, LEAK_CAPACITY], "{kind}: {reasons:?}");
        }
        for threat in ["srbm", "all"] {
            let d = row(&rows, "defender", threat);
            assert_eq!((d.engagements, d.kills), (N, N), "{kind}");
            assert_eq!(d.bound, Some([0, N, 0, 0]), "{kind} {threat}");
            let f = row(&rows, "faraway", threat);
            assert_eq!(f.bound, Some([0, 0, 0, 0]), "{kind} {threat}");
        }
    }
}

#[test]
fn without_capacity_keys_battery_rows_have_no_bound_columns() {
    for (kind, _, rows, _) in run(&BASE) {
        assert!(rows.iter().all(|r| r.bound.is_none()), "{kind}");
    }
}
