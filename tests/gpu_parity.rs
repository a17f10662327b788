//! GPU parity: the WGSL kernel (shaders/, run by `GpuBackend`) against the CPU kernel
//! (`kernel.rs`, f32) on the same trials, slot by slot, for every threat kind, both doctrines
//! and a raid; and chunking that never changes the tallies.
//!
//! Both kernels draw identical random numbers, but their f32 transcendentals (sin, exp, atan2,
//! ...) differ in the last bits, so trajectories differ slightly and a slot whose outcome hinges
//! on a threshold (a window edge, an intercept time tie, a kill draw next to the kill
//! probability) can come out differently. The checks:
//! - the integer outcome of a slot (class, outcome, interceptors, decoy interceptors, kill
//!   battery) agrees for at least 99.5 % of the slots;
//! - every disagreement is a boundary case: the CPU f64 recomputation of its trial agrees with
//!   one of the two backends, and for every slot of the trial the track times and window edges
//!   of the two backends agree within `TIME_ABS_S` or relative `TIME_REL` (they saw the same
//!   events), a window found by one backend only being shorter than `TIME_ABS_S` (grazed);
//! - the float fields of agreeing slots (track, impact and kill times, window edges, impact
//!   point) agree within those tolerances and `IMPACT_DEG`, or else within twice the CPU's own
//!   f32-versus-f64 difference for that slot;
//! - the GPU's kill altitude (replay pass) is the CPU replay at the GPU's kill time, within
//!   `KILL_ALT_KM`;
//! - with no disagreement, the tallies equal the CPU backend's (step counts within 1e-4).
//!
//! Runs on any adapter (lavapipe included); without one the tests print
//! `GPU tests skipped: no adapter` and pass, unless `INTERCEPTMC_REQUIRE_GPU=1`.

mod common;

use std::ops::Range;
use std::time::Instant;

use common::*;
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::gpu::layout::*;
use interceptmc::backend::gpu::{test_context, GpuBackend};
use interceptmc::backend::Backend;
use interceptmc::batch::Batch;
use interceptmc::engage::doctrine::{allocate_trial, TrialInput};
use interceptmc::kernel::{propagate_slot, replay_kill, tally};
use interceptmc::physics::Real;

/// Smallest share of slots whose integer outcomes must agree.
const MIN_AGREEMENT: f64 = 0.995;
/// Times (track, impact, window edges, kill) agree when within this, s ...
const TIME_ABS_S: f64 = 0.05;
/// ... or within this relative difference.
const TIME_REL: f64 = 1e-4;
/// Impact points of agreeing slots agree within this, deg (about 1 km).
const IMPACT_DEG: f64 = 0.01;
/// The GPU's kill altitude agrees with the CPU replay at the same kill time within this, km.
const KILL_ALT_KM: f64 = 0.05;

/// One slot as a kernel produced it.
#[derive(Clone, Debug)]
struct Slot {
    track: ThreatTrack,
    windows: Vec<Window>,
    outcome: ThreatOutcome,
}

/// The integer part of an outcome, which must agree.
fn key(o: &ThreatOutcome) -> (u32, u32, u32, u32, u32) {
    (
        o.class_id,
        o.outcome,
        o.interceptors,
        o.decoy_interceptors,
        o.kill_battery,
    )
}

/// One trial on the CPU in precision F: passes 1 and 2, and (F = f32) pass 3.
fn cpu_trial<F: Real>(b: &Batch, trial: u64, replay: bool) -> Vec<Slot> {
    let n = b.raid_size() as usize;
    let nb = b.batteries.len();
    let mut windows = vec![Window::default(); n * nb];
    let tracks: Vec<ThreatTrack> = (0..n)
        .map(|s| propagate_slot::<F>(b, trial, s as u32, &mut windows[s * nb..(s + 1) * nb]))
        .collect();
    let mut outcomes = vec![ThreatOutcome::default(); n];
    let input = TrialInput {
        params: &b.params,
        classes: &b.classes,
        interceptors: &b.interceptors,
        batteries: &b.batteries,
        seed: b.seed,
        trial,
        tracks: &tracks,
        windows: &windows,
        margins: None,
    };
    allocate_trial(&input, &mut outcomes);
    (0..n)
        .map(|s| {
            let mut outcome = outcomes[s];
            if replay && outcome.outcome == OUTCOME_KILLED {
                outcome.kill_alt_km =
                    replay_kill::<F>(b, trial, s as u32, F::p(outcome.kill_time_s)).to_f64() as f32;
            }
            Slot {
                track: tracks[s],
                windows: windows[s * nb..(s + 1) * nb].to_vec(),
                outcome,
            }
        })
        .collect()
}

/// Whether two times agree (both the same infinity, or within TIME_ABS_S or TIME_REL).
fn close_time(a: f32, b: f32) -> bool {
    if a == b {
        return true;
    }
    let (a, b) = (a as f64, b as f64);
    let d = (a - b).abs();
    d.is_finite() && (d < TIME_ABS_S || d <= TIME_REL * a.abs().max(b.abs()))
}

/// Whether two battery windows are the same event: edges that agree, or a window that only
/// one backend finds and that is shorter than `TIME_ABS_S` (an envelope grazed so narrowly that
/// f32 rounding decides whether it exists at all).
fn same_window(a: &Window, b: &Window) -> bool {
    let grazed = |w: &Window| (w.t_last_s as f64 - w.t_first_s as f64) < TIME_ABS_S;
    match (a.t_first_s.is_finite(), b.t_first_s.is_finite()) {
        (true, false) => grazed(a),
        (false, true) => grazed(b),
        _ => close_time(a.t_first_s, b.t_first_s) && close_time(a.t_last_s, b.t_last_s),
    }
}

/// Whether the events two backends saw for one slot agree in time.
fn same_events(c: &Slot, g: &Slot) -> bool {
    close_time(c.track.track_time_s, g.track.track_time_s)
        && c.windows
            .iter()
            .zip(&g.windows)
            .all(|(a, b)| same_window(a, b))
}

fn gpu_backend() -> Option<GpuBackend> {
    let ctx = test_context()?;
    println!("adapter: {} ({})", ctx.info.name, ctx.info.driver);
    let t = Instant::now();
    let g = GpuBackend::from_context(ctx).expect("GPU backend");
    println!("pipelines built in {:.2} s", t.elapsed().as_secs_f64());
    Some(g)
}

/// |a - b|, 0 for equal values and for two NaNs, +inf when only one is finite.
fn diff(a: f32, b: f32) -> f64 {
    if a == b || (a.is_nan() && b.is_nan()) {
        0.0
    } else {
        (a as f64 - b as f64).abs()
    }
}

/// Largest differences of one slot's times (s) and impact point (deg) between two runs.
#[derive(Clone, Copy, Debug, Default)]
struct SlotDiff {
    time_s: f64,
    impact_deg: f64,
}

impl SlotDiff {
    fn of(a: &Slot, b: &Slot) -> SlotDiff {
        let finite = |x: f64| if x.is_finite() { x } else { 0.0 };
        let mut t = diff(a.track.impact_time_s, b.track.impact_time_s)
            .max(finite(diff(a.track.track_time_s, b.track.track_time_s)));
        for (x, y) in a.windows.iter().zip(&b.windows) {
            t = t
                .max(finite(diff(x.t_first_s, y.t_first_s)))
                .max(finite(diff(x.t_last_s, y.t_last_s)));
        }
        if a.outcome.outcome == OUTCOME_KILLED && b.outcome.outcome == OUTCOME_KILLED {
            t = t.max(diff(a.outcome.kill_time_s, b.outcome.kill_time_s));
        }
        let deg = diff(a.track.impact_lat_deg, b.track.impact_lat_deg)
            .max(diff(a.track.impact_lon_deg, b.track.impact_lon_deg));
        SlotDiff {
            time_s: t,
            impact_deg: deg,
        }
    }
}

/// Float fields of agreeing slots: the largest GPU-CPU differences, and how far they are from
/// the CPU's own f32 rounding noise.
#[derive(Default, Debug)]
struct FloatStats {
    /// Largest GPU-CPU time difference (track, impact, window edges, kill), s.
    time_s: f64,
    /// Largest GPU-CPU impact-point difference, deg.
    impact_deg: f64,
    /// Largest GPU kill altitude minus the CPU replay at the GPU's kill time, km.
    kill_alt_km: f64,
    /// Slots beyond the fixed tolerances (then compared with the f64 drift).
    beyond_fixed: usize,
    /// Largest GPU-CPU time difference over the CPU f32-f64 one, among those slots.
    worst_time_ratio: f64,
    /// Slots beyond every tolerance.
    failures: usize,
}

/// Compares GPU and CPU trial by trial over `trials`; asserts the criteria of the module docs;
/// returns (slots, disagreements).
fn check_parity(gpu: &mut GpuBackend, name: &str, b: &Batch, trials: Range<u64>) -> (usize, usize) {
    let t = Instant::now();
    let g = gpu
        .run_detailed(b, trials.clone(), true, true)
        .expect("GPU run");
    let gpu_s = t.elapsed().as_secs_f64();
    let nb = b.batteries.len();
    let n = b.raid_size() as usize;
    assert_eq!(
        g.output.records.len(),
        (trials.end - trials.start) as usize * n
    );
    assert_eq!(g.windows.len(), g.output.records.len() * nb);
    let t = Instant::now();
    let cpu: Vec<Vec<Slot>> = trials
        .clone()
        .map(|tr| cpu_trial::<f32>(b, tr, true))
        .collect();
    let cpu_s = t.elapsed().as_secs_f64();

    let mut stats = FloatStats::default();
    let mut slots = 0usize;
    let mut disagreements = Vec::new();
    let mut not_boundary = Vec::new();
    for (k, trial) in trials.clone().enumerate() {
        let gpu_slots: Vec<Slot> = (0..n)
            .map(|s| {
                let i = k * n + s;
                let r = &g.output.records[i];
                assert_eq!((r.trial, r.slot as usize), (trial, s), "record order");
                Slot {
                    track: r.track,
                    windows: g.windows[i * nb..(i + 1) * nb].to_vec(),
                    outcome: r.outcome,
                }
            })
            .collect();
        let mut f64_slots: Option<Vec<Slot>> = None;
        for s in 0..n {
            slots += 1;
            let (c, gs) = (&cpu[k][s], &gpu_slots[s]);
            assert_eq!(
                c.track.class_id, gs.track.class_id,
                "{name} trial {trial} slot {s}: class"
            );
            assert_eq!(
                c.track.flags & !TRACK_IMPACTED,
                gs.track.flags & !TRACK_IMPACTED,
                "{name} trial {trial} slot {s}: reliability flags"
            );
            if key(&c.outcome) != key(&gs.outcome) {
                let reference = f64_slots.get_or_insert_with(|| cpu_trial::<f64>(b, trial, false));
                let r = key(&reference[s].outcome);
                let f64_agrees = r == key(&c.outcome) || r == key(&gs.outcome);
                let events = (0..n).all(|j| same_events(&cpu[k][j], &gpu_slots[j]));
                let line = format!(
                    "{name} trial {trial} slot {s}: cpu {:?} gpu {:?} f64 {:?}; f64 agrees with \
                     one: {f64_agrees}; same events: {events}\n  cpu {:?}\n  gpu {:?}\n  \
                     cpu windows {:?}\n  gpu windows {:?}",
                    key(&c.outcome),
                    key(&gs.outcome),
                    r,
                    c.outcome,
                    gs.outcome,
                    c.windows,
                    gs.windows
                );
                if !(f64_agrees && events) {
                    not_boundary.push(line.clone());
                }
                disagreements.push(line);
                continue;
            }
            // Float fields of agreeing slots: within the fixed tolerances, or else within
            // twice the CPU's own f32-versus-f64 difference for this slot (a flight that
            // amplifies rounding, such as a glider's bank reversals, does so on both backends).
            let d = SlotDiff::of(c, gs);
            stats.time_s = stats.time_s.max(d.time_s);
            stats.impact_deg = stats.impact_deg.max(d.impact_deg);
            let fixed_ok = same_events(c, gs)
                && close_time(c.track.impact_time_s, gs.track.impact_time_s)
                && (c.outcome.outcome != OUTCOME_KILLED
                    || close_time(c.outcome.kill_time_s, gs.outcome.kill_time_s))
                && d.impact_deg <= IMPACT_DEG;
            if !fixed_ok {
                stats.beyond_fixed += 1;
                let reference = f64_slots.get_or_insert_with(|| cpu_trial::<f64>(b, trial, false));
                let drift = SlotDiff::of(c, &reference[s]);
                let ratio = d.time_s / drift.time_s;
                stats.worst_time_ratio = stats.worst_time_ratio.max(ratio);
                let ok = d.time_s <= TIME_ABS_S.max(2.0 * drift.time_s)
                    && d.impact_deg <= IMPACT_DEG.max(2.0 * drift.impact_deg);
                if !ok {
                    stats.failures += 1;
                    if stats.failures <= 5 {
                        println!(
                            "{name} trial {trial} slot {s}: float fields differ beyond tolerance \
                             ({d:?}, CPU f32-f64 {drift:?})\n  cpu {:?} {:?}\n  gpu {:?} {:?}\n  \
                             cpu windows {:?}\n  gpu windows {:?}",
                            c.track, c.outcome, gs.track, gs.outcome, c.windows, gs.windows
                        );
                    }
                }
            }
            // The replay pass: the GPU's kill altitude is the CPU's replay at the GPU's own kill
            // time.
            if gs.outcome.outcome == OUTCOME_KILLED {
                let alt = replay_kill::<f32>(b, trial, s as u32, gs.outcome.kill_time_s) as f64;
                let da = (alt - gs.outcome.kill_alt_km as f64).abs();
                stats.kill_alt_km = stats.kill_alt_km.max(da);
                assert!(
                    da <= KILL_ALT_KM,
                    "{name} trial {trial} slot {s}: GPU kill altitude {} km, CPU replay at the \
                     same time {alt} km",
                    gs.outcome.kill_alt_km
                );
            }
        }
    }
    let agree = slots - disagreements.len();
    println!(
        "{name}: {slots} slots, {} disagreements ({} not boundary), agreement {:.4} %; \
         GPU {gpu_s:.2} s, CPU (1 thread) {cpu_s:.2} s",
        disagreements.len(),
        not_boundary.len(),
        100.0 * agree as f64 / slots as f64
    );
    println!("{name}: float fields of agreeing slots: {stats:?}");
    for d in &disagreements {
        println!("{d}");
    }
    assert!(
        not_boundary.is_empty(),
        "{name}: disagreements that are not boundary cases:\n{}",
        not_boundary.join("\n")
    );
    assert!(
        agree as f64 >= MIN_AGREEMENT * slots as f64,
        "{name}: only {agree} of {slots} slots agree"
    );
    assert_eq!(
        stats.failures, 0,
        "{name}: agreeing slots with float fields beyond tolerance"
    );
    // When every slot agrees, the tallies are the CPU backend's exactly, but for the step
    // counts: a step count is an integer taken from floats (a ceil of a duration, the step of
    // ground impact) and may differ by one.
    if disagreements.is_empty() {
        let cpu_tallies = CpuBackend.run(b, trials, false).expect("CPU run").tallies;
        let step_counters: Vec<usize> = std::iter::once(tally::STEPS)
            .chain((0..MAX_CLASSES).map(|c| tally::class(c, tally::C_STEPS)))
            .collect();
        let differ: Vec<(usize, u64, u64)> = (0..tally::COUNT)
            .filter(|&i| g.output.tallies[i] != cpu_tallies[i])
            .map(|i| (i, g.output.tallies[i], cpu_tallies[i]))
            .collect();
        println!("{name}: tallies (index, gpu, cpu) that differ: {differ:?}");
        for &(i, gv, cv) in &differ {
            assert!(
                step_counters.contains(&i) && gv.abs_diff(cv) as f64 <= 1e-4 * cv as f64,
                "{name}: tally {i}: gpu {gv}, cpu {cv}"
            );
        }
    }
    (slots, disagreements.len())
}

fn scenario_file(name: &str) -> Batch {
    let path = format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    batch(&text)
}

#[test]
fn default_scenario_all_kinds_shoot_look_shoot() {
    let Some(mut g) = gpu_backend() else { return };
    check_parity(&mut g, "default", &scenario_file("default.toml"), 0..3000);
}

#[test]
fn glide_vs_ballistic() {
    let Some(mut g) = gpu_backend() else { return };
    check_parity(
        &mut g,
        "glide-vs-ballistic",
        &scenario_file("glide-vs-ballistic.toml"),
        0..2000,
    );
}

#[test]
fn ballistic_salvo_beta_sspk() {
    let Some(mut g) = gpu_backend() else { return };
    check_parity(
        &mut g,
        "gulf-layered",
        &scenario_file("gulf-layered.toml"),
        0..3000,
    );
}

#[test]
fn saturation_raid_with_reliability() {
    let Some(mut g) = gpu_backend() else { return };
    check_parity(
        &mut g,
        "saturation-raid",
        &scenario_file("saturation-raid.toml"),
        0..400,
    );
}

/// A weaving cruise missile, salvo doctrine, and a sector radar.
const CRUISE_SALVO: &str = r#"
name = "cruise-salvo"
[run]
seed = 7
dt_s = 1.0
dt_atmosphere_s = 0.5
[earth]
rotation = true
atmosphere = "exponential"
[[threat]]
name = "hcm"
kind = "cruise"
launch = { lat_deg = 42.5, lon_deg = 39.0, radius_km = 50.0 }
aim = { lat_deg = 44.4, lon_deg = 26.1, sigma_km = 2.0 }
launch_time_s = [0.0, 30.0]
rcs_m2 = 0.1
boost_time_s = 30.0
cruise = { altitude_km = 25.0, speed_km_s = 1.8, weave_g = 3.0, weave_period_s = [20.0, 40.0], dive_range_km = 30.0 }
[[sensor]]
name = "r"
kind = "radar"
site = { lat_deg = 44.3, lon_deg = 28.0, alt_km = 0.1 }
max_range_km = 1500.0
reference_rcs_m2 = 1.0
min_elevation_deg = 0.5
boresight_azimuth_deg = 100.0
sector_half_width_deg = 60.0
track_delay_s = 10.0
[interceptor.pac3]
min_altitude_km = 3.0
max_altitude_km = 30.0
max_range_km = 60.0
flyout_speed_km_s = 1.5
sspk = 0.7
divert_g = 10.0
[[battery]]
name = "a"
site = { lat_deg = 44.5, lon_deg = 26.3 }
interceptor = "pac3"
inventory = 8
reaction_time_s = 10.0
[[battery]]
name = "b"
site = { lat_deg = 44.2, lon_deg = 26.0 }
interceptor = "pac3"
inventory = 8
reaction_time_s = 10.0
[doctrine]
mode = "salvo"
salvo_size = 2
max_engagements = 2
kill_assessment_s = 0.0
kill_assessment_probability = 1.0
"#;

#[test]
fn cruise_salvo() {
    let Some(mut g) = gpu_backend() else { return };
    check_parity(&mut g, "cruise-salvo", &batch(CRUISE_SALVO), 0..3000);
}

/// A ballistic missile with decoys and imperfect discrimination, a free shot, vacuum above a
/// non-rotating Earth, shoot-look-shoot with imperfect kill assessment and an uncertain sspk.
const DECOYS_SLS: &str = r#"
name = "decoys"
[run]
seed = 11
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = false
atmosphere = "exponential"
[[threat]]
name = "rv"
kind = "ballistic"
launch = { lat_deg = 0.0, lon_deg = 0.0, radius_km = 30.0 }
aim = { lat_deg = 0.0, lon_deg = 15.0, sigma_km = 3.0 }
rcs_m2 = 0.05
boost_time_s = 100.0
burnout_altitude_km = 80.0
loft_deg = 5.0
burnout_speed_sigma_fraction = 0.005
flight_path_angle_spread_deg = 0.5
azimuth_sigma_deg = 0.1
decoys = 3
discrimination_probability = 0.6
decoy_strip_altitude_km = 80.0
[[sensor]]
name = "r"
kind = "radar"
site = { lat_deg = 0.0, lon_deg = 12.0, alt_km = 0.1 }
max_range_km = 2500.0
reference_rcs_m2 = 1.0
min_elevation_deg = 0.5
track_delay_s = 5.0
[interceptor.exo]
min_altitude_km = 100.0
max_altitude_km = 600.0
max_range_km = 1200.0
flyout_speed_km_s = 4.0
sspk = { beta = [6.0, 2.0] }
divert_g = 20.0
[interceptor.endo]
min_altitude_km = 20.0
max_altitude_km = 120.0
max_range_km = 150.0
flyout_speed_km_s = 2.5
sspk = 0.6
divert_g = 20.0
[[battery]]
name = "exo"
site = { lat_deg = 0.0, lon_deg = 13.0 }
interceptor = "exo"
inventory = 10
reaction_time_s = 20.0
[[battery]]
name = "endo"
site = { lat_deg = 0.0, lon_deg = 14.9 }
interceptor = "endo"
inventory = 10
reaction_time_s = 10.0
[doctrine]
mode = "shoot-look-shoot"
salvo_size = 2
max_engagements = 2
kill_assessment_s = 10.0
kill_assessment_probability = 0.8
"#;

#[test]
fn ballistic_decoys_shoot_look_shoot() {
    let Some(mut g) = gpu_backend() else { return };
    check_parity(&mut g, "decoys-sls", &batch(DECOYS_SLS), 0..3000);
}

/// Tallies of a run split into many chunks equal the same trials in one chunk exactly, and the
/// records come back in trial then slot order across chunk boundaries.
#[test]
fn chunking_does_not_change_tallies() {
    let Some(g) = gpu_backend() else { return };
    let b = scenario_file("saturation-raid.toml");
    let trials = 5..262;
    let mut one = g.with_chunk_trials(1 << 20);
    assert!(one.chunk_trials_for(&b) >= trials.end - trials.start);
    let whole = one
        .run_detailed(&b, trials.clone(), true, false)
        .expect("one chunk");
    let mut many = one.with_chunk_trials(7);
    assert_eq!(many.chunk_trials_for(&b), 7);
    let split = many
        .run_detailed(&b, trials.clone(), true, false)
        .expect("chunks");
    assert_eq!(whole.output.tallies, split.output.tallies);
    assert_eq!(
        whole.output.tallies[tally::TRIALS],
        trials.end - trials.start
    );
    assert_eq!(whole.output.tallies.len(), tally::COUNT);
    assert_eq!(whole.output.records.len(), split.output.records.len());
    for (a, c) in whole.output.records.iter().zip(&split.output.records) {
        assert_eq!((a.trial, a.slot), (c.trial, c.slot));
        assert_eq!(key(&a.outcome), key(&c.outcome));
        assert_eq!(
            a.track.track_time_s.to_bits(),
            c.track.track_time_s.to_bits()
        );
    }
    // Without records (no replay pass) the tallies are the same again.
    let plain = many.run(&b, trials, false).expect("no records");
    assert!(plain.records.is_empty());
    assert_eq!(plain.tallies, whole.output.tallies);
}
