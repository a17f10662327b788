//! Runs a scenario on a backend in batches of trials: adaptive stopping on the interval
//! half-width, a progress bar, per-trial records streamed to a callback, and the summary rows
//! computed from the integer tallies.

use crate::backend::{Backend, BackendError, TrialRecord};
use crate::mc::stats::{
    watched_next_batch, watched_target_reached, ClusterProportion, ClusterSums, Proportion, Watched,
};
use crate::mc::summary::SummaryRow;
use crate::model::batch::Batch;
use crate::model::tally;
use crate::scenario::Scenario;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Trials per batch when no target half-width is set (progress granularity).
pub const BATCH_TRIALS: u64 = 20_000;

#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Trials to run (the most, with a target half-width).
    pub samples: u64,
    /// Stop once the interval of p_kill (p_zero_leakers with a raid) is this narrow.
    pub target_half_width: Option<f64>,
    pub per_trial: bool,
    /// Show a progress bar on a terminal stderr for runs longer than about a second.
    pub progress: bool,
    /// First trial index (0 unless sharded).
    pub first_trial: u64,
}

#[derive(Clone, Debug)]
pub struct RunOutput {
    pub tallies: Vec<u64>,
    pub trials: u64,
    pub wall_s: f64,
    /// Stopped by Ctrl-C (`mc::interrupt`) before `samples` trials: the results are partial.
    pub interrupted: bool,
}

/// A run estimated (from its first batch) to take longer than this is announced at its
/// start, s.
pub const LONG_RUN_S: f64 = 600.0;

/// A duration for people: `45 s`, `12 min`, `3.4 h`.
pub fn human_duration(s: f64) -> String {
    if !s.is_finite() {
        "?".into()
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 5400.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// A rate for people: `850 trials/s`, `12.3k trials/s`, `1.2M trials/s`.
fn human_rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.1}M trials/s", per_s / 1e6)
    } else if per_s >= 1e4 {
        format!("{:.1}k trials/s", per_s / 1e3)
    } else {
        format!("{per_s:.0} trials/s")
    }
}

/// The progress bar's message after `done` of `total` trials in `elapsed_s`: the mean rate so
/// far and the time left at that rate (so both are sensible from the first batch on).
pub fn progress_message(done: u64, total: u64, elapsed_s: f64) -> String {
    if done == 0 || elapsed_s <= 0.0 {
        return String::new();
    }
    let rate = done as f64 / elapsed_s;
    let left = total.saturating_sub(done) as f64 / rate;
    format!("{}, {} left", human_rate(rate), human_duration(left))
}

/// The proportion the stopping rule watches: p_zero_leakers (per trial) with a raid, else
/// p_kill of all threats (per threat, with the trial as the unit).
fn watched(tallies: &[u64], raid: bool) -> Watched {
    if raid {
        Watched::PerTrial {
            k: tallies[tally::ZERO_LEAKER_TRIALS],
            n: tallies[tally::TRIALS],
        }
    } else {
        Watched::PerThreat(kill_sums(tallies, None))
    }
}

/// The per-trial sums of p_kill (`mc::stats::ClusterSums`) of class `class`, or of all
/// threats with `None`, from the tallies.
pub fn kill_sums(tallies: &[u64], class: Option<usize>) -> ClusterSums {
    let t = |i: usize| tallies[i];
    match class {
        Some(c) => ClusterSums {
            trials: t(tally::TRIALS),
            y: t(tally::class(c, tally::C_KILLED)),
            m: t(tally::class(c, tally::C_THREATS)),
            yy: t(tally::class(c, tally::C_KILLED_SQ)),
            ym: t(tally::class(c, tally::C_KILLED_THREATS)),
            mm: t(tally::class(c, tally::C_THREATS_SQ)),
        },
        None => {
            let sum = |f| {
                (0..crate::base::limits::MAX_CLASSES)
                    .map(|c| t(tally::class(c, f)))
                    .sum()
            };
            ClusterSums {
                trials: t(tally::TRIALS),
                y: sum(tally::C_KILLED),
                m: sum(tally::C_THREATS),
                yy: t(tally::KILLED_SQ),
                ym: t(tally::KILLED_THREATS),
                mm: t(tally::THREATS_SQ),
            }
        }
    }
}

/// Runs the trials; `on_records` receives each batch's records (in trial order) when
/// `per_trial` is set.
pub fn run_trials(
    backend: &mut dyn Backend,
    batch: &Batch,
    opts: &RunOptions,
    confidence: f64,
    mut on_records: impl FnMut(&[TrialRecord]) -> std::io::Result<()>,
) -> Result<RunOutput, BackendError> {
    let start = Instant::now();
    let mut tallies = vec![0u64; tally::COUNT];
    let mut done = 0u64;
    let raid = batch.raid_size() > 1
        || batch.params.system_reliability < 1.0
        || batch.params.track_reliability < 1.0;
    let mut bar: Option<ProgressBar> = None;
    let mut interrupted = false;
    while done < opts.samples {
        if crate::mc::interrupt::requested() {
            interrupted = true;
            break;
        }
        let remaining = opts.samples - done;
        let n = match opts.target_half_width {
            Some(h) if done > 0 => {
                let w = watched(&tallies, raid);
                if watched_target_reached(&w, h, confidence) {
                    break;
                }
                watched_next_batch(&w, h, confidence, remaining)
            }
            Some(_) => remaining.min(10_000),
            None => remaining.min(BATCH_TRIALS),
        };
        let range = opts.first_trial + done..opts.first_trial + done + n;
        let out = backend.run(batch, range, opts.per_trial)?;
        for (t, v) in tallies.iter_mut().zip(&out.tallies) {
            *t += v;
        }
        if opts.per_trial {
            on_records(&out.records).map_err(|source| BackendError::Io {
                what: "writing trials.csv".into(),
                source,
            })?;
        }
        done += n;
        let elapsed = start.elapsed().as_secs_f64();
        if opts.progress && done == n && done < opts.samples && opts.target_half_width.is_none() {
            let estimate = elapsed * opts.samples as f64 / done as f64;
            if estimate > LONG_RUN_S {
                eprintln!(
                    "note: {} trials will take about {} at this rate ({} in the first {n}); \
                     Ctrl-C stops cleanly",
                    opts.samples,
                    human_duration(estimate),
                    human_duration(elapsed)
                );
            }
        }
        if opts.progress && bar.is_none() && done < opts.samples && std::io::stderr().is_terminal()
        {
            let b = ProgressBar::with_draw_target(Some(opts.samples), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} trials ({msg})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_position(done);
            b.set_message(progress_message(done, opts.samples, elapsed));
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(RunOutput {
        tallies,
        trials: done,
        wall_s: start.elapsed().as_secs_f64(),
        interrupted,
    })
}

/// Summary rows: one per threat class (scenario order) and `threat = all`.
pub fn summary_rows(sc: &Scenario, backend: &str, out: &RunOutput) -> Vec<SummaryRow> {
    let t = &out.tallies;
    let conf = sc.run.confidence;
    let mut rows = Vec::new();
    let row = |threat: &str,
               threats: u64,
               killed: u64,
               engaged: u64,
               interceptors: u64,
               decoy: u64,
               trials_with: u64,
               zero_leak: u64,
               kill: ClusterSums| {
        debug_assert_eq!((kill.y, kill.m), (killed, threats));
        // p_kill: per threat with the trial as the unit (the threats of a raid are not
        // independent); p_zero_leakers: per trial, binomial.
        let pk = ClusterProportion::new(kill, conf);
        let pz = Proportion::new(zero_leak, trials_with, conf);
        let per = |x: u64, n: u64| {
            if n == 0 {
                f64::NAN
            } else {
                x as f64 / n as f64
            }
        };
        SummaryRow {
            scenario: sc.name.clone(),
            threat: threat.to_string(),
            backend: backend.to_string(),
            samples: trials_with,
            seed: sc.run.seed,
            p_kill: pk.p,
            p_kill_lo: pk.wilson.0,
            p_kill_hi: pk.wilson.1,
            p_engaged: per(engaged, threats),
            mean_interceptors: per(interceptors, threats),
            p_zero_leakers: pz.p,
            p_zero_leakers_lo: pz.wilson.0,
            p_zero_leakers_hi: pz.wilson.1,
            mean_leakers: per(threats - killed, trials_with),
            wall_s: out.wall_s,
            threats,
            killed,
            engaged,
            interceptors,
            decoy_interceptors: decoy,
            mean_decoy_interceptors: per(decoy, threats),
            p_kill_cp_lo: pk.clopper_pearson.0,
            p_kill_cp_hi: pk.clopper_pearson.1,
            confidence: conf,
            unlanded: 0,
        }
    };
    let (mut all_threats, mut all_killed, mut all_engaged, mut all_int, mut all_decoy) =
        (0, 0, 0, 0, 0);
    for (c, th) in sc.threats.iter().enumerate() {
        let g = |f| t[tally::class(c, f)];
        let r = row(
            &th.name,
            g(tally::C_THREATS),
            g(tally::C_KILLED),
            g(tally::C_ENGAGED),
            g(tally::C_INTERCEPTORS),
            g(tally::C_DECOY_INTERCEPTORS),
            g(tally::C_TRIALS_WITH),
            g(tally::C_ZERO_LEAK_TRIALS_WITH),
            kill_sums(t, Some(c)),
        );
        all_threats += r.threats;
        all_killed += r.killed;
        all_engaged += r.engaged;
        all_int += r.interceptors;
        all_decoy += r.decoy_interceptors;
        rows.push(r);
    }
    rows.push(row(
        "all",
        all_threats,
        all_killed,
        all_engaged,
        all_int,
        all_decoy,
        t[tally::TRIALS],
        t[tally::ZERO_LEAKER_TRIALS],
        kill_sums(t, None),
    ));
    // Slots that never came down or went non-finite: flagged, still counted above.
    let unlanded = |c: usize| t[tally::UNLANDED + c];
    for (c, r) in rows.iter_mut().take(sc.threats.len()).enumerate() {
        r.unlanded = unlanded(c);
    }
    if let Some(all) = rows.last_mut() {
        all.unlanded = (0..crate::base::limits::MAX_CLASSES).map(unlanded).sum();
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_message_from_the_first_batch() {
        // 20,000 of 1,000,000 trials in 4 s: 5,000 trials/s, 980,000 left = 196 s = 3 min.
        assert_eq!(
            progress_message(20_000, 1_000_000, 4.0),
            "5000 trials/s, 3 min left"
        );
        assert_eq!(progress_message(0, 10, 0.0), "");
        assert_eq!(human_duration(7200.0), "2.0 h");
        assert_eq!(human_rate(2.5e6), "2.5M trials/s");
    }
}
