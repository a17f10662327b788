//! The p_kill interval of `summary.csv` has the trial (raid) as its unit (`mc::stats`
//! `ClusterProportion`, docs/model.md section 5): on a raid whose threats are correlated
//! (common-mode `system_reliability`, one Beta sspk draw per raid shared by every shot) its
//! coverage is near nominal, while the interval that treats threats as independent Bernoulli
//! trials undercovers.
//!
//! Oracle: the true p_kill of the scenario in closed form, not the engine's output. Every
//! threat of the raid is always engageable and gets one salvo of 2 shots (ample inventory), so
//! a threat is killed iff the defense works (probability r) and one of 2 shots kills, each with
//! the raid's P ~ Beta(a, b):
//! `p_kill = r (1 - E[(1 - P)^2]) = r (1 - b (b + 1) / ((a + b) (a + b + 1)))`, the same for
//! each class and for `all`.
//!
//! Replications are disjoint trial ranges of one seed (trials are independent by
//! construction: docs/model.md section 11), run on the CPU backend.

use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::Backend;
use interceptmc::mc::runner::{kill_sums, summary_rows, RunOutput};
use interceptmc::mc::stats::{wilson, ClusterSums};
use interceptmc::model::batch::Batch;
use interceptmc::model::types::OUTCOME_KILLED;
use interceptmc::scenario::Scenario;

const RELIABILITY: f64 = 0.8;
const RAID: u64 = 10;
const BETA: (f64, f64) = (6.0, 4.0);
/// Raids per replication.
const RAIDS: u64 = 200;
/// Replications: the Monte Carlo standard error of a 95 % coverage is about 0.5 %.
const REPLICATIONS: u64 = 2_000;

/// Two identical cruise-missile classes (so a class's threats per raid vary, Binomial(10, 1/2))
/// against one battery that always reaches them.
fn scenario() -> Scenario {
    let text = format!(
        r#"
name = "correlated-raid"
[run]
samples = 1
seed = 11
dt_s = 10.0
dt_atmosphere_s = 10.0
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "a"
kind = "cruise"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = 2.0, sigma_km = 0.0 }}
boost_time_s = 0.0
cruise = {{ altitude_km = 10.0, speed_km_s = 1.0, weave_g = 0.0, dive_range_km = 0.0 }}
[[threat]]
name = "b"
kind = "cruise"
launch = {{ lat_deg = 0.0, lon_deg = 0.0, radius_km = 0.0 }}
aim = {{ lat_deg = 0.0, lon_deg = 2.0, sigma_km = 0.0 }}
boost_time_s = 0.0
cruise = {{ altitude_km = 10.0, speed_km_s = 1.0, weave_g = 0.0, dive_range_km = 0.0 }}
[[sensor]]
name = "r"
kind = "radar"
site = {{ lat_deg = 0.0, lon_deg = 1.0, alt_km = 0.0 }}
max_range_km = 5000.0
min_elevation_deg = 0.0
track_delay_s = 0.0
[interceptor.x]
min_altitude_km = 0.0
max_altitude_km = 1000.0
max_range_km = 2000.0
flyout_speed_km_s = 100.0
sspk = {{ beta = [{a:.1}, {b:.1}] }}
divert_g = 30.0
[[battery]]
name = "b1"
site = {{ lat_deg = 0.0, lon_deg = 1.0 }}
interceptor = "x"
inventory = {inventory}
reaction_time_s = 0.0
[doctrine]
mode = "salvo"
salvo_size = 2
max_engagements = 1
[raid]
size = {RAID}
system_reliability = {RELIABILITY}
"#,
        a = BETA.0,
        b = BETA.1,
        inventory = 2 * RAID,
    );
    Scenario::from_toml_str(&text, "<cluster-intervals>")
        .unwrap_or_else(|e| panic!("test scenario invalid: {e}"))
}

/// The closed-form p_kill (module docs).
fn true_p_kill() -> f64 {
    let (a, b) = BETA;
    RELIABILITY * (1.0 - b * (b + 1.0) / ((a + b) * (a + b + 1.0)))
}

#[test]
fn tallied_sums_match_the_trial_records() {
    // The per-trial sums behind the interval, from the kernel's tallies, against the same sums
    // computed from the per-slot records of the same trials.
    let sc = scenario();
    let batch = Batch::new(&sc);
    let out = CpuBackend.run(&batch, 0..500, true).expect("CPU run");
    let classes = sc.threats.len();
    let mut by_class = vec![ClusterSums::default(); classes];
    let mut all = ClusterSums::default();
    let add = |s: &mut ClusterSums, y: u64, m: u64| {
        s.trials += 1;
        s.y += y;
        s.m += m;
        s.yy += y * y;
        s.ym += y * m;
        s.mm += m * m;
    };
    for trial in 0..500u64 {
        let slots: Vec<_> = out.records.iter().filter(|r| r.trial == trial).collect();
        assert_eq!(slots.len() as u64, RAID);
        let killed = |c: Option<u32>| {
            slots
                .iter()
                .filter(|r| c.is_none_or(|c| r.outcome.class_id == c))
                .map(|r| ((r.outcome.outcome == OUTCOME_KILLED) as u64, 1u64))
                .fold((0, 0), |(y, m), (k, n)| (y + k, m + n))
        };
        for (c, s) in by_class.iter_mut().enumerate() {
            let (y, m) = killed(Some(c as u32));
            add(s, y, m);
        }
        let (y, m) = killed(None);
        add(&mut all, y, m);
    }
    for (c, s) in by_class.iter().enumerate() {
        assert_eq!(kill_sums(&out.tallies, Some(c)), *s, "class {c}");
    }
    assert_eq!(kill_sums(&out.tallies, None), all);
    // Threats of a class per raid vary, so the per-class sums exercise unequal cluster sizes.
    assert!(by_class[0].mm * by_class[0].trials > by_class[0].m * by_class[0].m);
}

#[test]
fn cluster_interval_covers_a_correlated_raid() {
    let sc = scenario();
    let batch = Batch::new(&sc);
    let truth = true_p_kill();
    let conf = sc.run.confidence;
    assert_eq!(conf, 0.95);
    let rows = sc.threats.len() + 1; // the classes, then `all`
    let mut cluster_hits = vec![0u64; rows];
    let mut independent_hits = vec![0u64; rows];
    let mut cp_hits = vec![0u64; rows];
    let mut p_all = Vec::new();
    let mut se_cluster = 0.0;
    let mut se_independent = 0.0;
    for rep in 0..REPLICATIONS {
        let range = rep * RAIDS..(rep + 1) * RAIDS;
        let out = CpuBackend.run(&batch, range, false).expect("CPU run");
        let run = RunOutput {
            tallies: out.tallies,
            trials: RAIDS,
            wall_s: 0.0,
            interrupted: false,
        };
        let summary = summary_rows(&sc, "cpu", &run);
        assert_eq!(summary.len(), rows);
        assert_eq!(summary[rows - 1].threat, "all");
        for (i, r) in summary.iter().enumerate() {
            if r.p_kill_lo <= truth && truth <= r.p_kill_hi {
                cluster_hits[i] += 1;
            }
            let (lo, hi) = wilson(r.killed, r.threats, conf);
            if lo <= truth && truth <= hi {
                independent_hits[i] += 1;
            }
            // The Clopper-Pearson columns are cluster-aware too.
            assert!(r.p_kill_cp_lo <= r.p_kill && r.p_kill <= r.p_kill_cp_hi);
            if r.p_kill_cp_lo <= truth && truth <= r.p_kill_cp_hi {
                cp_hits[i] += 1;
            }
        }
        let all = &summary[rows - 1];
        p_all.push(all.p_kill);
        se_cluster += (all.p_kill_hi - all.p_kill_lo) / (2.0 * 1.959964);
        let (lo, hi) = wilson(all.killed, all.threats, conf);
        se_independent += (hi - lo) / (2.0 * 1.959964);
    }
    let reps = REPLICATIONS as f64;
    let mean = p_all.iter().sum::<f64>() / reps;
    let spread = (p_all.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / (reps - 1.0)).sqrt();
    let (se_cluster, se_independent) = (se_cluster / reps, se_independent / reps);
    let names: Vec<String> = sc
        .threats
        .iter()
        .map(|t| t.name.clone())
        .chain(std::iter::once("all".to_string()))
        .collect();
    println!(
        "true p_kill {truth:.6}; mean estimate {mean:.6}; {REPLICATIONS} replications of \
         {RAIDS} raids of {RAID}"
    );
    println!(
        "all: replication spread of p_kill {spread:.5}; mean reported standard error: cluster \
         {se_cluster:.5} (ratio {:.2}), independent {se_independent:.5} (ratio {:.2})",
        spread / se_cluster,
        spread / se_independent
    );
    for (i, name) in names.iter().enumerate() {
        println!(
            "{name}: coverage at 95 %: cluster {:.3} (Clopper-Pearson {:.3}), independent \
             threats {:.3}",
            cluster_hits[i] as f64 / reps,
            cp_hits[i] as f64 / reps,
            independent_hits[i] as f64 / reps
        );
    }
    // The estimator is unbiased: the mean of the replications is within 4 standard errors.
    assert!(
        (mean - truth).abs() < 4.0 * spread / reps.sqrt(),
        "{mean} vs {truth}"
    );
    // The cluster standard error matches the replication spread; the independent one is
    // far too small (here by about 2.4, the square root of the design effect).
    assert!((0.9..1.1).contains(&(spread / se_cluster)));
    assert!(spread / se_independent > 1.8);
    for (i, name) in names.iter().enumerate() {
        let cluster = cluster_hits[i] as f64 / reps;
        let cp = cp_hits[i] as f64 / reps;
        let independent = independent_hits[i] as f64 / reps;
        assert!(
            (0.93..=0.97).contains(&cluster),
            "{name}: cluster coverage {cluster}"
        );
        assert!(
            (0.93..=0.98).contains(&cp),
            "{name}: cluster Clopper-Pearson coverage {cp}"
        );
        assert!(
            independent < 0.85,
            "{name}: independent-threat coverage {independent}"
        );
    }
}
