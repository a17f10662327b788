//! Defense effectiveness against the analytic model of Wilkening, "A Simple Model for
//! Calculating Ballistic Missile Defense Effectiveness", Science & Global Security 8 (2000)
//! (docs/model.md section 4), with geometry that always allows engagement: each Monte Carlo
//! estimate must contain the analytic value in its 99.9 % Wilson interval. Run on the CPU
//! backend; tests/gpu_parity.rs checks the GPU against the CPU trial by trial.

mod common;
use common::*;
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::mc::runner::{run_trials, RunOptions, RunOutput};
use interceptmc::mc::stats::{mean_interval, wilson};
use interceptmc::model::batch::Batch;
use interceptmc::model::tally;

const CONF: f64 = 0.999;

// The checks are 99.9 % intervals, so for a fixed seed about one assertion in a thousand fails
// by chance. The helper scenarios use seed 2: with seed 1 the kill draw of the first
// engagement (block offset 1058) happens to sit 3.75 sigma high over trials 0..100,000 (we
// measured the spread of that statistic over 200 offsets and two strides: standard deviation
// 0.90-0.98 sigma, i.e. no defect of the generator, just that one tail value).

fn run(text: &str, samples: u64) -> RunOutput {
    let b = Batch::new(&scenario(text));
    let opts = RunOptions {
        samples,
        target_half_width: None,
        per_trial: false,
        progress: false,
        first_trial: 0,
    };
    run_trials(&mut CpuBackend, &b, &opts, CONF, |_| Ok(())).expect("run")
}

fn killed(o: &RunOutput) -> u64 {
    o.tallies[tally::class(0, tally::C_KILLED)]
}

fn assert_in(label: &str, k: u64, n: u64, want: f64) {
    let (lo, hi) = wilson(k, n, CONF);
    assert!(
        lo <= want && want <= hi,
        "{label}: {k}/{n} = {:.5}, 99.9 % interval [{lo:.5}, {hi:.5}] misses {want:.5}",
        k as f64 / n as f64
    );
}

/// Mean interceptors per trial against its analytic value (normal interval at 99.9 %).
fn assert_mean_interceptors(label: &str, o: &RunOutput, want: f64) {
    let n = o.tallies[tally::TRIALS];
    let (m, lo, hi) = mean_interval(
        o.tallies[tally::INTERCEPTORS] as f64,
        o.tallies[tally::INTERCEPTORS_SQ] as f64,
        n,
        CONF,
    );
    assert!(
        lo <= want && want <= hi,
        "{label}: mean interceptors {m:.5} [{lo:.5}, {hi:.5}] misses {want:.5}"
    );
}

fn single(doctrine: &str, sspk: &str, inventory: u32) -> String {
    always_engageable(
        doctrine,
        &wide_interceptor("i", sspk),
        &battery("b", "i", inventory),
        "",
    )
}

#[test]
fn val_salvo_of_n() {
    for (p, n) in [(0.8f64, 2u32), (0.7, 3), (0.5, 1)] {
        let o = run(
            &single(
                &format!("mode = \"salvo\"\nsalvo_size = {n}\nmax_engagements = 1"),
                &p.to_string(),
                1000,
            ),
            100_000,
        );
        assert_in(
            &format!("salvo p={p} n={n}"),
            killed(&o),
            o.trials,
            1.0 - (1.0 - p).powi(n as i32),
        );
        assert_mean_interceptors("salvo", &o, n as f64);
    }
}

#[test]
fn val_salvo_engagements_without_look() {
    // Two engagements of one interceptor each, no look: both always fire.
    let o = run(
        &single(
            "mode = \"salvo\"\nsalvo_size = 1\nmax_engagements = 2",
            "0.6",
            1000,
        ),
        100_000,
    );
    assert_in(
        "salvo 2 engagements",
        killed(&o),
        o.trials,
        1.0 - 0.4f64.powi(2),
    );
    assert_mean_interceptors("salvo 2 engagements", &o, 2.0);
}

#[test]
fn val_shoot_look_shoot() {
    // Pk = 1 - (1-p)^n1 [1 - a (1 - (1-p)^n2)], interceptors n1 + a (1-p)^n1 n2.
    for (p, a, n) in [(0.7f64, 1.0f64, 1u32), (0.7, 0.8, 1), (0.6, 0.5, 2)] {
        let doctrine = format!("mode = \"shoot-look-shoot\"\nsalvo_size = {n}\nmax_engagements = 2\nkill_assessment_s = 20.0\nkill_assessment_probability = {a}");
        let o = run(&single(&doctrine, &p.to_string(), 1000), 100_000);
        let q = (1.0 - p).powi(n as i32);
        assert_in(
            &format!("SLS p={p} a={a} n={n}"),
            killed(&o),
            o.trials,
            1.0 - q * (1.0 - a * (1.0 - q)),
        );
        assert_mean_interceptors(&format!("SLS p={p} a={a}"), &o, n as f64 + a * q * n as f64);
    }
}

#[test]
fn val_reference_sls_table() {
    // docs/model.md: SLS (1,1), p 0.7, a 1 -> Pk 0.91 with 1.30 interceptors per warhead.
    let o = run(
        &single(
            "mode = \"shoot-look-shoot\"\nmax_engagements = 2\nkill_assessment_s = 20.0",
            "0.7",
            1000,
        ),
        100_000,
    );
    assert_in("SLS table", killed(&o), o.trials, 0.91);
    assert_mean_interceptors("SLS table", &o, 1.30);
}

#[test]
fn val_two_independent_layers() {
    // Leak probability is the product of the layers' leak probabilities.
    let interceptors = format!(
        "{}{}",
        wide_interceptor("upper", "0.6"),
        wide_interceptor("lower", "0.7")
    );
    let batteries = format!(
        "{}{}",
        battery("u", "upper", 1000),
        battery("l", "lower", 1000)
    );
    let o = run(
        &always_engageable(
            "mode = \"shoot-look-shoot\"\nmax_engagements = 1\nkill_assessment_s = 5.0",
            &interceptors,
            &batteries,
            "",
        ),
        100_000,
    );
    assert_in("two layers", killed(&o), o.trials, 1.0 - 0.4 * 0.3);
    assert_mean_interceptors("two layers", &o, 1.0 + 0.4);
}

fn raid(doctrine: &str, sspk: &str, size: u32, reliability: &str) -> String {
    always_engageable(
        doctrine,
        &wide_interceptor("i", sspk),
        &battery("b", "i", 100_000),
        &format!("[raid]\nsize = {size}\nlaunch_window_s = 0.0\n{reliability}"),
    )
}

fn zero_leakers(o: &RunOutput) -> u64 {
    o.tallies[tally::ZERO_LEAKER_TRIALS]
}

#[test]
fn val_raid_zero_leakers_table() {
    // docs/model.md section 4 table, P0 = Pk^N: p 0.8, n 2, N 10 -> 0.66483;
    // p 0.7, n 3, N 20 -> 0.57844.
    for (p, n, size, want) in [(0.8, 2, 10, 0.66483), (0.7, 3, 20, 0.57844)] {
        let o = run(
            &raid(
                &format!("mode = \"salvo\"\nsalvo_size = {n}"),
                &format!("{p}"),
                size,
                "",
            ),
            40_000,
        );
        assert_in(
            &format!("raid p={p} n={n} N={size}"),
            zero_leakers(&o),
            o.trials,
            want,
        );
        // Leakers ~ Binomial(N, 1 - Pk): mean N (1-p)^n.
        let mean = o.tallies[tally::LEAKERS] as f64 / o.trials as f64;
        let want_mean = size as f64 * (1.0f64 - p).powi(n);
        assert!(
            (mean - want_mean).abs() < 0.02 * size as f64,
            "mean leakers {mean} vs {want_mean}"
        );
    }
}

#[test]
fn val_raid_reliability() {
    let (p, n, size, r) = (0.9f64, 2u32, 10u32, 0.9f64);
    let pk = 1.0 - (1.0 - p).powi(n as i32);
    let common_mode = run(
        &raid(
            &format!("mode = \"salvo\"\nsalvo_size = {n}"),
            "0.9",
            size,
            &format!("system_reliability = {r}"),
        ),
        40_000,
    );
    assert_in(
        "common-mode reliability",
        zero_leakers(&common_mode),
        common_mode.trials,
        r * pk.powi(size as i32),
    );
    let independent = run(
        &raid(
            &format!("mode = \"salvo\"\nsalvo_size = {n}"),
            "0.9",
            size,
            &format!("track_reliability = {r}"),
        ),
        40_000,
    );
    assert_in(
        "independent reliability",
        zero_leakers(&independent),
        independent.trials,
        (r * pk).powi(size as i32),
    );
}

/// E over p ~ Beta(a, b) of (1 - (1-p)^n)^N, by composite Simpson quadrature of the Beta
/// density after the substitution p = sin^2(theta), which removes the end-point singularities
/// of shapes below 1 (the oracle; independent of the engine's gamma sampler).
fn beta_expectation(a: f64, b: f64, n: i32, size: i32) -> f64 {
    use statrs::function::beta::ln_beta;
    let m = 20_000;
    let h = std::f64::consts::FRAC_PI_2 / m as f64;
    // dp = 2 sin cos dtheta; p^(a-1) (1-p)^(b-1) dp = 2 sin^(2a-1) cos^(2b-1) dtheta.
    let f = |theta: f64| {
        let (s, c) = (theta.sin(), theta.cos());
        let p = s * s;
        let dens = 2.0 * s.powf(2.0 * a - 1.0) * c.powf(2.0 * b - 1.0) * (-ln_beta(a, b)).exp();
        dens * (1.0 - (1.0 - p).powi(n)).powi(size)
    };
    let mut s = f(0.0) + f(std::f64::consts::FRAC_PI_2);
    for i in 1..m {
        s += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

#[test]
fn val_uncertain_sspk_drawn_once_per_raid() {
    let (a, b, n, size) = (1.5, 0.5, 2, 10);
    let want = beta_expectation(a, b, n, size);
    let plug_in = (1.0 - (1.0 - a / (a + b)).powi(n)).powi(size);
    assert!(
        (want - plug_in).abs() > 0.02,
        "test must separate E[f(p)] from f(E[p])"
    );
    let o = run(
        &raid(
            &format!("mode = \"salvo\"\nsalvo_size = {n}"),
            &format!("{{ beta = [{a}, {b}] }}"),
            size as u32,
            "",
        ),
        60_000,
    );
    assert_in("beta sspk raid", zero_leakers(&o), o.trials, want);
    // Single threat: E[1 - (1-p)^n] = 1 - E[(1-p)^n].
    let single_threat = run(
        &single(
            &format!("mode = \"salvo\"\nsalvo_size = {n}"),
            &format!("{{ beta = [{a}, {b}] }}"),
            1000,
        ),
        100_000,
    );
    assert_in(
        "beta sspk single",
        killed(&single_threat),
        single_threat.trials,
        beta_expectation(a, b, n, 1),
    );
}

#[test]
fn val_inventory_exhaustion() {
    // 10 threats, salvo of 2, 15 interceptors: the first 7 engagements get 2, the 8th gets 1,
    // threats 9 and 10 get none. With p = 1 exactly 2 threats leak; mean interceptors 15.
    let text = always_engageable(
        "mode = \"salvo\"\nsalvo_size = 2",
        &wide_interceptor("i", "1.0"),
        &battery("b", "i", 15),
        "[raid]\nsize = 10\nlaunch_window_s = 0.0",
    );
    let o = run(&text, 2_000);
    assert_eq!(o.tallies[tally::LEAKERS], 2 * o.trials);
    assert_eq!(o.tallies[tally::LEAKER_HIST + 2], o.trials);
    assert_eq!(o.tallies[tally::INTERCEPTORS], 15 * o.trials);
    // With p = 0.5: 7 threats face 2 shots, one faces 1, two face none:
    // E[leakers] = 7 * 0.25 + 0.5 + 2 = 4.25.
    let text = text.replace("sspk = 1.0", "sspk = 0.5");
    let o = run(&text, 40_000);
    let mean = o.tallies[tally::LEAKERS] as f64 / o.trials as f64;
    let (_, lo, hi) = mean_interval(
        o.tallies[tally::LEAKERS] as f64,
        o.tallies[tally::LEAKERS_SQ] as f64,
        o.trials,
        CONF,
    );
    assert!(
        lo <= 4.25 && 4.25 <= hi,
        "mean leakers {mean} [{lo}, {hi}] vs 4.25"
    );
}

/// A ballistic shot (apogee about 650 km) engaged only above the decoy-strip altitude.
fn decoy_world(decoys: u32, discrimination: f64, inventory: u32, size: u32) -> String {
    format!(
        r#"
name = "decoys"
[run]
seed = 2
dt_s = 5.0
dt_atmosphere_s = 1.0
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "rv"
kind = "ballistic"
launch = {{ lat_deg = 0.0, lon_deg = 0.0 }}
boost_time_s = 0.0
burnout_altitude_km = 0.0
burnout_speed_km_s = 4.865
flight_path_angle_deg = 38.255
azimuth_deg = 90.0
decoys = {decoys}
discrimination_probability = {discrimination}
decoy_strip_altitude_km = 80.0
[[sensor]]
name = "r"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = 13.0 }}
max_range_km = 5000.0
[interceptor.exo]
min_altitude_km = 150.0
max_altitude_km = 2000.0
max_range_km = 5000.0
flyout_speed_km_s = 100.0
sspk = 0.5
divert_g = 10.0
[[battery]]
name = "b"
site = {{ lat_deg = 0.0, lon_deg = 13.0 }}
interceptor = "exo"
inventory = {inventory}
[doctrine]
mode = "salvo"
salvo_size = 1
max_engagements = 1
[raid]
size = {size}
"#
    )
}

#[test]
fn val_decoys_cost_interceptors_unless_discriminated() {
    // d = 0: every decoy draws a salvo, so interceptors per warhead rise from 1 to 1 + K;
    // the kill probability is unchanged with ample inventory.
    let k = 3u32;
    let o = run(&decoy_world(k, 0.0, 100_000, 1), 20_000);
    assert_eq!(
        o.tallies[tally::class(0, tally::C_INTERCEPTORS)],
        o.trials,
        "one interceptor per warhead"
    );
    assert_eq!(
        o.tallies[tally::DECOY_INTERCEPTORS],
        k as u64 * o.trials,
        "K per warhead on decoys"
    );
    assert_in("p_kill with decoys", killed(&o), o.trials, 0.5);
    // d = 1: decoys cost nothing.
    let o = run(&decoy_world(k, 1.0, 100_000, 1), 5_000);
    assert_eq!(o.tallies[tally::DECOY_INTERCEPTORS], 0);
    // d = 0.5: K (1 - d) decoys engaged on average (binomial; 99.9 % normal interval).
    let o = run(&decoy_world(4, 0.5, 100_000, 1), 40_000);
    let mean = o.tallies[tally::DECOY_INTERCEPTORS] as f64 / o.trials as f64;
    let sd = (4.0f64 * 0.25 / o.trials as f64).sqrt();
    assert!(
        (mean - 2.0).abs() < 3.3 * sd,
        "decoy interceptors per warhead {mean} vs 2"
    );
}

#[test]
fn val_decoys_exhaust_a_small_inventory() {
    // 2 warheads with 3 undiscriminated decoys each (8 objects), 4 interceptors, salvo 1: each
    // warhead's place among its complex's 4 objects is uniform, so the first complex's warhead
    // is shot with probability 1 (4 interceptors cover its 4 objects) and the second's never:
    // E[warheads engaged] = 1, leakers = 2 - kills.
    let o = run(&decoy_world(3, 0.0, 4, 2), 20_000);
    let engaged = o.tallies[tally::class(0, tally::C_ENGAGED)] as f64 / o.trials as f64;
    assert!(
        (engaged - 1.0).abs() < 1e-12,
        "warheads engaged per raid {engaged}"
    );
    assert_eq!(o.tallies[tally::INTERCEPTORS], 4 * o.trials);
    assert_in(
        "one warhead shot at p 0.5",
        o.tallies[tally::class(0, tally::C_KILLED)],
        o.trials,
        0.5,
    );
}
