//! The engagement model against oracles that are neither kernel (docs/model.md sections 9 and
//! 10): window geometry, the launch-time condition and the shoot-look-shoot shots that fit,
//! computed here with spherical geometry and bisection; a lofted missile's two passes through
//! an exo-atmospheric band from Kepler's equation; a radar at the launch point; decoys decided
//! once per battery and killed for good; inventory spent in launch-time order; the divert rule
//! with the manoeuvre at the intercept. Each case runs on the CPU backend and, where an adapter
//! exists, on the GPU backend (`INTERCEPTMC_REQUIRE_GPU=1` makes a missing adapter a failure).

mod common;

use common::*;
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::gpu::{test_context, GpuBackend};
use interceptmc::backend::{Backend, TrialRecord};
use interceptmc::base::limits::MAX_WINDOWS;
use interceptmc::kernel::propagate_slot;
use interceptmc::model::batch::Batch;
use interceptmc::model::types::{Window, OUTCOME_KILLED};

const R: f64 = 6371.0;

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

/// Trial records of trials `0..n` on `backend`.
fn records(backend: &mut dyn Backend, b: &Batch, n: u64) -> Vec<TrialRecord> {
    backend.run(b, 0..n, true).expect("run").records
}

/// The CPU kernel's windows of trial 0, slot 0 (battery-major, `MAX_WINDOWS` each).
fn cpu_windows(b: &Batch) -> Vec<Window> {
    let mut w = vec![Window::NONE; b.batteries.len() * MAX_WINDOWS];
    propagate_slot::<f32>(b, 0, 0, &mut w);
    w
}

/// The GPU kernel's windows of trial 0, slot 0, when an adapter opens.
fn gpu_windows(b: &Batch) -> Option<Vec<Window>> {
    let ctx = test_context()?;
    let mut g = GpuBackend::from_context(ctx).expect("GPU backend");
    Some(
        g.run_detailed(b, 0..1, false, true)
            .expect("GPU run")
            .windows,
    )
}

/// Unit vector of a geographic point.
fn geo(lat_deg: f64, lon_deg: f64) -> [f64; 3] {
    let (la, lo) = (lat_deg.to_radians(), lon_deg.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn dist(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// The root of a monotone `f` on [lo, hi] (f(lo) and f(hi) of opposite signs), by bisection.
fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let flo = f(lo);
    assert!(flo * f(hi) <= 0.0, "no sign change on [{lo}, {hi}]");
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if (f(mid) >= 0.0) == (flo >= 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

// ---- A straight cruise pass past a battery ---------------------------------------------------

/// Cruise missile along the equator from (0, 0) toward the east at `ALT` km and `SPEED` km/s
/// (ground speed), no boost, no weave, no dive; a radar at the launch point sees it from t = 0.
const ALT: f64 = 20.0;
const SPEED: f64 = 1.0;
const AIM_LON: f64 = 3.0;

fn cruise_world(batteries: &str, interceptors: &str, doctrine: &str, track_delay: f64) -> String {
    format!(
        r#"
name = "cruise-pass"
[run]
samples = 1
dt_s = 1.0
dt_atmosphere_s = 0.1
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "cm"
kind = "cruise"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = {AIM_LON}, sigma_km = 0.0 }}
launch_time_s = [0.0, 0.0]
rcs_m2 = 1.0
ballistic_coefficient_kg_m2 = 5000.0
boost_time_s = 0.0
cruise = {{ altitude_km = {ALT}, speed_km_s = {SPEED}, weave_g = 0.0, dive_range_km = 0.0 }}
[[sensor]]
name = "r"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = 0.0, alt_km = 0.0 }}
max_range_km = 5000.0
min_elevation_deg = -1.0
track_delay_s = {track_delay}
{interceptors}
{batteries}
{doctrine}
"#
    )
}

/// The missile's position at `t` (ECEF, km): angle u t / R along the equator at R + ALT.
fn cruise_p(t: f64) -> [f64; 3] {
    let a = SPEED * t / R;
    [(R + ALT) * a.cos(), (R + ALT) * a.sin(), 0.0]
}

/// The oracle of one battery against the pass: (window entry, window exit, shots).
struct PassOracle {
    entry: f64,
    exit: f64,
    shots: Vec<f64>,
    /// Smallest distance of a shot decision from flipping: the last shot to the exit, the next
    /// (infeasible) shot past the exit, s.
    slack: f64,
}

fn pass_oracle(
    lat: f64,
    lon: f64,
    range_km: f64,
    flyout: f64,
    ready: f64,
    assess: f64,
    max_shots: usize,
) -> PassOracle {
    let s_dir = geo(lat, lon);
    let site = [R * s_dir[0], R * s_dir[1], R * s_dir[2]];
    let t_end = AIM_LON.to_radians() * R / SPEED;
    let t_ca = lon.to_radians() * R / SPEED;
    let angle = |t: f64| {
        let p = cruise_p(t);
        (dot(p, s_dir) / (R + ALT)).clamp(-1.0, 1.0).acos()
    };
    let limit = range_km / R;
    let geo_in = bisect(0.0, t_ca, |t| limit - angle(t));
    let geo_out = bisect(t_ca, t_end, |t| limit - angle(t));
    let launch = |t: f64| t - dist(cruise_p(t), site) / flyout;
    // Launch time is increasing on the pass (the missile is slower than the interceptor).
    let entry = if launch(geo_in) >= ready {
        geo_in
    } else {
        bisect(geo_in, geo_out, |t| launch(t) - ready)
    };
    let exit = geo_out;
    let mut shots = vec![entry];
    let mut slack = f64::INFINITY;
    while shots.len() < max_shots {
        let not_before = shots.last().unwrap() + assess;
        if launch(exit) < not_before {
            // The next launch would reach beyond the window: how far beyond.
            let t_next = bisect(exit, exit + 1000.0, |t| launch(t) - not_before);
            slack = slack.min(t_next - exit);
            break;
        }
        let t = bisect(entry, exit, |t| launch(t) - not_before);
        slack = slack.min(exit - t);
        shots.push(t);
    }
    PassOracle {
        entry,
        exit,
        shots,
        slack,
    }
}

/// Shoot-look-shoot against a cruise missile passing a battery 20 km off its track, never
/// killed (sspk 0), always seen to survive: the window's entry is set by the launch-time
/// condition (radar track at 0 s + 10 s delay + 5 s reaction), its exit by the range circle,
/// and the shots are the launches spaced by the look (previous intercept + 10 s) that still
/// reach the missile inside the window.
#[test]
fn cruise_pass_window_and_shots_that_fit() {
    let (lat, lon) = ((20.0 / R).to_degrees(), (90.0 / R).to_degrees());
    let text = cruise_world(
        &format!(
            "[[battery]]\nname = \"b\"\nsite = {{ lat_deg = {lat}, lon_deg = {lon} }}\n\
             interceptor = \"i\"\ninventory = 100\nreaction_time_s = 5.0\n"
        ),
        "[interceptor.i]\nmin_altitude_km = 0.0\nmax_altitude_km = 100.0\nmax_range_km = 60.0\n\
         flyout_speed_km_s = 3.0\nsspk = 0.0\ndivert_g = 10.0\n",
        "[doctrine]\nmode = \"shoot-look-shoot\"\nsalvo_size = 1\nmax_engagements = 15\n\
         kill_assessment_s = 10.0\nkill_assessment_probability = 1.0\n",
        10.0,
    );
    let b = batch(&text);
    let o = pass_oracle(lat, lon, 60.0, 3.0, 15.0, 10.0, 15);
    println!(
        "oracle: window [{:.3}, {:.3}] s, {} shots at {:?}, slack {:.2} s",
        o.entry,
        o.exit,
        o.shots.len(),
        o.shots,
        o.slack
    );
    assert!(o.slack > 0.5, "the case is not a boundary case");
    assert!(o.entry > 34.0, "the launch-time condition sets the entry");
    assert!(o.shots.len() >= 3 && o.shots.len() < 15);
    let mut all = vec![("cpu", cpu_windows(&b))];
    if let Some(g) = gpu_windows(&b) {
        all.push(("gpu", g));
    }
    // The exit is where the range margin (cos(angle) - cos(60 km / R)) R / sin(60 km / R)
    // crosses zero: in f32 its resolution is an ulp of 1 times R / sin(60 km / R), 80 m, which
    // the missile flies in 0.08 s at 1 km/s (with a quarter more for the root-finder); the
    // entry is set by the launch time.
    let exit_tol_s = f64::from(f32::EPSILON) * R / (60.0 / R).sin() / SPEED * 1.25;
    for (name, w) in &all {
        println!("{name} window: [{}, {}]", w[0].t_first_s, w[0].t_last_s);
        assert!(
            (w[0].t_first_s as f64 - o.entry).abs() < 0.05,
            "{name} entry"
        );
        assert!(
            (w[0].t_last_s as f64 - o.exit).abs() < exit_tol_s,
            "{name} exit (tolerance {exit_tol_s:.3} s)"
        );
        assert_eq!(w[1].t_first_s, f32::INFINITY, "{name}: one window");
    }
    for mut be in backends() {
        let r = records(be.as_mut(), &b, 1);
        assert_eq!(
            r[0].outcome.interceptors as usize,
            o.shots.len(),
            "{} backend: shots that fit",
            be.kind()
        );
        assert!((r[0].track.track_time_s - 10.0).abs() < 1e-3);
    }
}

/// Inventory is spent in launch-time order: battery X beside the track intercepts early but
/// launches late; battery Y far down the track launches at once for a later intercept. With
/// one shot each and sspk 1, the first launch kills: Y's.
#[test]
fn inventory_goes_in_launch_time_order() {
    let (x_lat, x_lon) = ((1.0 / R).to_degrees(), (111.0 / R).to_degrees());
    let y_lon = (333.0 / R).to_degrees();
    let text = cruise_world(
        &format!(
            "[[battery]]\nname = \"x\"\nsite = {{ lat_deg = {x_lat}, lon_deg = {x_lon} }}\n\
             interceptor = \"near\"\ninventory = 1\nreaction_time_s = 0.0\n\
             [[battery]]\nname = \"y\"\nsite = {{ lat_deg = 0.0, lon_deg = {y_lon} }}\n\
             interceptor = \"far\"\ninventory = 1\nreaction_time_s = 0.0\n"
        ),
        "[interceptor.near]\nmin_altitude_km = 0.0\nmax_altitude_km = 100.0\nmax_range_km = 20.0\n\
         flyout_speed_km_s = 1.0\nsspk = 1.0\ndivert_g = 10.0\n\
         [interceptor.far]\nmin_altitude_km = 0.0\nmax_altitude_km = 100.0\nmax_range_km = 400.0\n\
         flyout_speed_km_s = 1.0\nsspk = 1.0\ndivert_g = 10.0\n",
        "[doctrine]\nmode = \"shoot-look-shoot\"\nsalvo_size = 1\nmax_engagements = 1\n\
         kill_assessment_s = 20.0\n",
        0.0,
    );
    let b = batch(&text);
    let x = pass_oracle(x_lat, x_lon, 20.0, 1.0, 0.0, 20.0, 1);
    // Y: the first intercept whose launch is no earlier than the track (t = 0).
    let y_site = {
        let d = geo(0.0, y_lon);
        [R * d[0], R * d[1], R * d[2]]
    };
    let y_launch = |t: f64| t - dist(cruise_p(t), y_site);
    let y_t = bisect(0.0, 330.0, y_launch);
    let x_launch = x.entry
        - dist(cruise_p(x.entry), {
            let d = geo(x_lat, x_lon);
            [R * d[0], R * d[1], R * d[2]]
        });
    println!(
        "x: intercept {:.2} launch {:.2}; y: intercept {y_t:.2} launch 0",
        x.entry, x_launch
    );
    assert!(
        x.entry < y_t && x_launch > 10.0,
        "intercept order and launch order differ"
    );
    for mut be in backends() {
        let r = records(be.as_mut(), &b, 1);
        let o = r[0].outcome;
        assert_eq!(o.outcome, OUTCOME_KILLED, "{}", be.kind());
        assert_eq!(o.kill_battery, 1, "{}: battery y launched first", be.kind());
        assert!(
            (o.kill_time_s as f64 - y_t).abs() < 0.05,
            "{}: kill time",
            be.kind()
        );
        assert_eq!(o.interceptors, 1, "{}: the look stops battery x", be.kind());
    }
}

/// The divert rule uses the manoeuvre at the intercept: a cruise missile weaving at 10 g against
/// a 15 g interceptor has pk = sspk min(1, 15 / 30) = 0.4 whatever the weave's phase at the
/// intercept (the instantaneous weave acceleration is zero at its zero crossings).
#[test]
fn divert_rule_uses_the_weave_amplitude() {
    let (lat, lon) = ((5.0 / R).to_degrees(), (150.0 / R).to_degrees());
    let text = cruise_world(
        &format!(
            "[[battery]]\nname = \"b\"\nsite = {{ lat_deg = {lat}, lon_deg = {lon} }}\n\
             interceptor = \"i\"\ninventory = 10\nreaction_time_s = 0.0\n"
        ),
        "[interceptor.i]\nmin_altitude_km = 0.0\nmax_altitude_km = 100.0\nmax_range_km = 60.0\n\
         flyout_speed_km_s = 3.0\nsspk = 0.8\ndivert_g = 15.0\n",
        "[doctrine]\nmode = \"salvo\"\nsalvo_size = 1\nmax_engagements = 1\n",
        0.0,
    )
    .replace(
        "weave_g = 0.0",
        "weave_g = 10.0, weave_period_s = [20.0, 60.0]",
    )
    .replace("samples = 1", "samples = 4000");
    let b = batch(&text);
    let n = 4000u64;
    for mut be in backends() {
        let r = records(be.as_mut(), &b, n);
        let engaged = r.iter().filter(|x| x.outcome.interceptors == 1).count() as f64;
        let kills = r
            .iter()
            .filter(|x| x.outcome.outcome == OUTCOME_KILLED)
            .count() as f64;
        assert_eq!(engaged, n as f64, "{}: every trial engaged", be.kind());
        // 99.9 % normal interval of a binomial proportion with p = 0.4.
        let half = 3.29 * (0.4f64 * 0.6 / n as f64).sqrt();
        let p = kills / n as f64;
        println!("{}: p_kill {p:.4} (0.4 +- {half:.4})", be.kind());
        assert!((p - 0.4).abs() < half, "{}: {p}", be.kind());
    }
}

// ---- A lofted missile through an exo-atmospheric band ---------------------------------------

/// A vacuum free shot from the surface at (0, 0) toward the east: 6 km/s at 60 deg.
const V0: f64 = 6.0;
const GAMMA_DEG: f64 = 60.0;
const MU: f64 = 398600.4418;

/// Times after launch at which the free shot's radius passes `r` going up and coming down,
/// from the conic and Kepler's equation.
fn kepler_crossings(r: f64) -> (f64, f64) {
    let (r0, g) = (R, GAMMA_DEG.to_radians());
    let h = r0 * V0 * g.cos();
    let energy = V0 * V0 / 2.0 - MU / r0;
    let a = -MU / (2.0 * energy);
    let p = h * h / MU;
    let e = (1.0 - p / a).sqrt();
    let n = (MU / a.powi(3)).sqrt();
    // Time from periapsis at true anomaly theta (0 < theta < 2 pi, elliptic).
    let time_at = |theta: f64| {
        let ecc = 2.0 * (((1.0 - e) / (1.0 + e)).sqrt() * (theta / 2.0).tan()).atan();
        let m = ecc - e * ecc.sin();
        m.rem_euclid(2.0 * std::f64::consts::PI) / n
    };
    let theta_at = |rr: f64| ((p / rr - 1.0) / e).clamp(-1.0, 1.0).acos();
    // The launch is on the ascending branch (0 < theta < pi); the descent at 2 pi - theta.
    let th0 = theta_at(r0);
    let thr = theta_at(r);
    let t0 = time_at(th0);
    let period = 2.0 * std::f64::consts::PI / n;
    let up = time_at(thr) - t0;
    let down = (time_at(2.0 * std::f64::consts::PI - thr) - t0).rem_euclid(period);
    (up, down)
}

/// The band 200-400 km is crossed twice, going up and coming down; a battery under the
/// trajectory with a fast interceptor can engage in both windows. Shoot-look-shoot with a
/// 300 s look fits one shot per window: two shots, the second in the descent window, which a
/// first-window-only model cannot fire.
#[test]
fn lofted_missile_two_windows_both_used() {
    let text = format!(
        "{}[[sensor]]\nname = \"r\"\nkind = \"radar\"\nsite = {{ lat_deg = 0.0, lon_deg = 0.0 }}\n\
         max_range_km = 20000.0\nmin_elevation_deg = -1.0\ntrack_delay_s = 0.0\n\
         [interceptor.exo]\nmin_altitude_km = 200.0\nmax_altitude_km = 400.0\nmax_range_km = 5000.0\n\
         flyout_speed_km_s = 100.0\nsspk = 0.0\ndivert_g = 10.0\n\
         [[battery]]\nname = \"b\"\nsite = {{ lat_deg = 0.0, lon_deg = 10.0 }}\ninterceptor = \"exo\"\n\
         inventory = 10\nreaction_time_s = 0.0\n\
         [doctrine]\nmode = \"shoot-look-shoot\"\nsalvo_size = 1\nmax_engagements = 4\n\
         kill_assessment_s = 300.0\nkill_assessment_probability = 1.0\n",
        vacuum_ballistic(&format!(
            "burnout_altitude_km = 0.0\nburnout_speed_km_s = {V0}\nflight_path_angle_deg = {GAMMA_DEG}\n\
             azimuth_deg = 90.0\nrcs_m2 = 1.0\nballistic_coefficient_kg_m2 = 5000.0\n"
        ))
        .replace("[interceptor.x]\nmin_altitude_km = 10.0\nmax_altitude_km = 20.0\nmax_range_km = 10.0\nflyout_speed_km_s = 1.0\nsspk = 0.5\ndivert_g = 10.0\n", "")
    );
    let b = batch(&text);
    let (up200, down200) = kepler_crossings(R + 200.0);
    let (up400, down400) = kepler_crossings(R + 400.0);
    println!("oracle windows: [{up200:.2}, {up400:.2}] and [{down400:.2}, {down200:.2}] s");
    assert!(up400 - up200 < 300.0 && down400 - up200 > 300.0);
    let mut all = vec![("cpu", cpu_windows(&b))];
    if let Some(g) = gpu_windows(&b) {
        all.push(("gpu", g));
    }
    for (name, w) in &all {
        println!(
            "{name}: [{}, {}] and [{}, {}]",
            w[0].t_first_s, w[0].t_last_s, w[1].t_first_s, w[1].t_last_s
        );
        // The launch-time condition shifts nothing here (100 km/s fly-out, track at 0 s), so
        // the windows are the band crossings; 1 s steps of f32 state, cubic between them.
        for (got, want) in [
            (w[0].t_first_s, up200),
            (w[0].t_last_s, up400),
            (w[1].t_first_s, down400),
            (w[1].t_last_s, down200),
        ] {
            assert!((got as f64 - want).abs() < 0.1, "{name}: {got} vs {want}");
        }
        assert_eq!(w[2].t_first_s, f32::INFINITY);
    }
    for mut be in backends() {
        let r = records(be.as_mut(), &b, 1);
        assert_eq!(
            r[0].outcome.interceptors,
            2,
            "{}: one shot per window",
            be.kind()
        );
    }
}

// ---- A radar at the launch point --------------------------------------------------------------

/// A radar 50 km from the launch point with a minimum elevation of -1 deg sees the missile on
/// its pad (a surface point 50 km away is 0.22 deg below the radar's horizontal): the first
/// sample is a detection, and the firm track comes `track_delay_s` after launch.
#[test]
fn radar_near_the_launch_point_sees_the_first_sample() {
    let lon = (50.0 / R).to_degrees();
    let text = format!(
        "{}[[sensor]]\nname = \"r\"\nkind = \"radar\"\nsite = {{ lat_deg = 0.0, lon_deg = {lon} }}\n\
         max_range_km = 3000.0\nmin_elevation_deg = -1.0\ntrack_delay_s = 7.0\n",
        vacuum_ballistic(
            "burnout_altitude_km = 0.0\nburnout_speed_km_s = 3.0\nflight_path_angle_deg = 45.0\n\
             azimuth_deg = 90.0\nrcs_m2 = 1.0\nballistic_coefficient_kg_m2 = 5000.0\n"
        )
        .replace("boost_time_s = 0.0", "boost_time_s = 60.0\nboost_range_km = 20.0")
    );
    let b = batch(&text);
    for mut be in backends() {
        let r = records(be.as_mut(), &b, 1);
        assert!(
            (r[0].track.track_time_s - 7.0).abs() < 1e-3,
            "{}: track at {}",
            be.kind(),
            r[0].track.track_time_s
        );
    }
}

// ---- Decoys -----------------------------------------------------------------------------------

fn decoy_world(decoys: u32, discrimination: f64, sspk: f64, engagements: u32) -> String {
    format!(
        "{}[[sensor]]\nname = \"r\"\nkind = \"radar\"\nsite = {{ lat_deg = 0.0, lon_deg = 0.0 }}\n\
         max_range_km = 20000.0\nmin_elevation_deg = -1.0\ntrack_delay_s = 0.0\n\
         [interceptor.i]\nmin_altitude_km = 0.0\nmax_altitude_km = 1000.0\nmax_range_km = 5000.0\n\
         flyout_speed_km_s = 100.0\nsspk = {sspk}\ndivert_g = 100.0\n\
         [[battery]]\nname = \"b\"\nsite = {{ lat_deg = 0.0, lon_deg = 1.0 }}\ninterceptor = \"i\"\n\
         inventory = 1000\nreaction_time_s = 0.0\n\
         [doctrine]\nmode = \"salvo\"\nsalvo_size = 1\nmax_engagements = {engagements}\n",
        vacuum_ballistic(&format!(
            "burnout_altitude_km = 0.0\nburnout_speed_km_s = 3.0\nflight_path_angle_deg = 45.0\n\
             azimuth_deg = 90.0\nrcs_m2 = 1.0\nballistic_coefficient_kg_m2 = 5000.0\n\
             decoys = {decoys}\ndiscrimination_probability = {discrimination}\n\
             decoy_strip_altitude_km = 0.0\n"
        ))
    )
}

/// A killed decoy stays killed: three decoys, none discriminated, every shot kills (sspk 1),
/// three salvo engagements: the first fires at the warhead and the three decoys (all die), the
/// next two at the warhead only. By hand: 3 interceptors at the warhead, 3 at decoys.
#[test]
fn killed_decoys_stay_killed() {
    let b = batch(&decoy_world(3, 0.0, 1.0, 3));
    for mut be in backends() {
        for r in records(be.as_mut(), &b, 20) {
            assert_eq!(r.outcome.interceptors, 3, "{}", be.kind());
            assert_eq!(r.outcome.decoy_interceptors, 3, "{}", be.kind());
        }
    }
}

/// Each battery discriminates each decoy once: with never-killed decoys (sspk 0), three salvo
/// engagements shoot at the same undiscriminated decoys every time, so the decoy interceptors
/// of a trial are 3 K with K ~ Binomial(3, 0.5): a multiple of 3, mean 4.5.
#[test]
fn decoys_are_discriminated_once_per_battery() {
    let b = batch(&decoy_world(3, 0.5, 0.0, 3));
    let n = 4000u64;
    for mut be in backends() {
        let r = records(be.as_mut(), &b, n);
        let mut sum = 0u64;
        for x in &r {
            assert_eq!(x.outcome.decoy_interceptors % 3, 0, "{}", be.kind());
            sum += x.outcome.decoy_interceptors as u64;
        }
        let mean = sum as f64 / n as f64;
        // var(3K) = 9 * 3 * 0.25 = 6.75; 99.9 % normal interval of the mean.
        let half = 3.29 * (6.75 / n as f64).sqrt();
        println!(
            "{}: mean decoy interceptors {mean:.3} (4.5 +- {half:.3})",
            be.kind()
        );
        assert!((mean - 4.5).abs() < half, "{}", be.kind());
    }
}
