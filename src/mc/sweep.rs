//! Running the points of a sweep (and the layouts of `compare`) on one backend: every point
//! runs the same trial range from the same seed (common random numbers), in batches whose
//! per-trial outcomes are paired with the baseline's ([`super::paired`]); the baseline's
//! per-trial counts go to a sink (a compact file) while it runs and come back from a source for
//! every other point. Shards ([`Shard`]) split the trials of every point the same way.
//!
//! Everything a row of `sweep.csv` says is a function of the integer tallies, the integer
//! paired sums and the wall time ([`PointResult`]), so shards add up to exactly the rows one
//! process writes, and a resumed sweep rewrites the rows of its finished points unchanged.

use super::paired::{Overflow, PairedEstimate, PairedMoments, TrialCounts};
use super::runner::{summary_rows, RunOutput};
use super::summary::SummaryRow;
use crate::backend::{Backend, BackendError};
use crate::model::batch::Batch;
use crate::scenario::Scenario;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::ops::Range;
use std::time::Instant;

/// Threat slots per batch: bounds the per-slot records held at once (about 100 bytes each).
pub const BATCH_SLOTS: u64 = 1 << 18;

/// Trials per batch of a point of `batch` on a backend of `kind`: at most [`BATCH_SLOTS`]
/// slots, and on the CPU at most the runner's batch (progress granularity).
pub fn batch_trials(batch: &Batch, kind: &str) -> u64 {
    let slots = (BATCH_SLOTS / u64::from(batch.raid_size().max(1))).max(1);
    if kind == "cpu" {
        slots.min(super::runner::BATCH_TRIALS)
    } else {
        slots
    }
}

/// Shard `index` of `count`: trials `[floor(index N / count), floor((index + 1) N / count))`
/// of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The whole run.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// The trials of this shard of `n`.
    pub fn range(&self, n: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(n) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    /// `k/K` with `0 <= k < K`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("expected k/K with 0 <= k < K (e.g. 0/4), got {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n == 0 || k >= n {
            return Err(bad());
        }
        Ok(Shard { index: k, count: n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// SHA-256 (hex) of what the kernels see of a scenario: the compiled batch's parameter bytes
/// and the seed. Equal fingerprints run identical trials.
pub fn fingerprint(batch: &Batch) -> String {
    let mut h = Sha256::new();
    h.update(bytemuck::bytes_of(&batch.params));
    for bytes in [
        bytemuck::cast_slice::<_, u8>(&batch.classes),
        bytemuck::cast_slice(&batch.sensors),
        bytemuck::cast_slice(&batch.interceptors),
        bytemuck::cast_slice(&batch.batteries),
    ] {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.update(batch.seed.to_le_bytes());
    format!("{:x}", h.finalize())
}

/// Where the baseline's per-trial counts go while it runs.
pub trait BaselineSink {
    fn write(&mut self, counts: &TrialCounts) -> std::io::Result<()>;
}

/// Where they come back from, in trial order, for the other points.
pub trait BaselineSource {
    /// Rewinds to the first trial of the range.
    fn rewind(&mut self) -> std::io::Result<()>;
    /// The next `trials` trials.
    fn read(&mut self, trials: u64) -> std::io::Result<TrialCounts>;
}

/// How a point is paired.
pub enum Pairing<'a> {
    /// It is the baseline: its counts go to the sink (and it is paired with itself).
    Baseline(&'a mut dyn BaselineSink),
    /// Paired with the baseline's counts from the source.
    Against(&'a mut dyn BaselineSource),
}

/// Why a point could not run.
#[derive(Debug, thiserror::Error)]
pub enum PointError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error("baseline per-trial counts: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

/// What a point's run leaves: integers and its wall time, from which its rows follow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub point: usize,
    /// SHA-256 of the point's resolved scenario text.
    pub hash: String,
    /// The trials run, `[start, end)`.
    pub trials: [u64; 2],
    pub wall_s: f64,
    pub tallies: Vec<u64>,
    /// Paired with the baseline over the same trials.
    pub paired: PairedMoments,
}

/// Progress over the points and trials of a sweep: one bar with the time left, on a terminal
/// stderr only.
pub struct SweepProgress {
    bar: Option<ProgressBar>,
}

impl SweepProgress {
    /// A bar over `total` trials (all points together), shown when `show` and stderr is a
    /// terminal.
    pub fn new(total: u64, show: bool) -> SweepProgress {
        let bar = (show && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {msg}: {human_pos}/{human_len} trials, {eta} left",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        SweepProgress { bar }
    }

    /// Says which point runs.
    pub fn point(&self, message: String) {
        if let Some(b) = &self.bar {
            b.set_message(message);
        }
    }

    pub fn advance(&self, trials: u64) {
        if let Some(b) = &self.bar {
            b.inc(trials);
        }
    }

    /// Prints a line above the bar (or on stderr without one).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub fn finish(self) {
        if let Some(b) = self.bar {
            b.finish_and_clear();
        }
    }
}

/// Runs trials `trials` of one point on `backend`, in batches, pairing every batch's per-trial
/// counts with the baseline's (or, for the baseline, recording them and pairing it with
/// itself).
pub fn run_point(
    backend: &mut dyn Backend,
    batch: &Batch,
    trials: Range<u64>,
    pairing: Pairing<'_>,
    progress: &SweepProgress,
) -> Result<(Vec<u64>, PairedMoments, f64), PointError> {
    let start = Instant::now();
    let classes = batch.classes.len();
    let mut tallies = vec![0u64; crate::model::tally::COUNT];
    let mut paired = PairedMoments::new(classes);
    let per_batch = batch_trials(batch, backend.kind());
    let mut pairing = pairing;
    if let Pairing::Against(src) = &mut pairing {
        src.rewind()?;
    }
    let mut first = trials.start;
    while first < trials.end {
        let n = per_batch.min(trials.end - first);
        let out = backend.run_outcomes(batch, first..first + n)?;
        for (t, v) in tallies.iter_mut().zip(&out.tallies) {
            *t += v;
        }
        let counts = TrialCounts::from_records(&out.records, first, n, classes);
        match &mut pairing {
            Pairing::Baseline(sink) => {
                sink.write(&counts)?;
                paired.add_trials(&counts, &counts)?;
            }
            Pairing::Against(src) => {
                let base = src.read(n)?;
                if base.classes != classes || base.trials() as u64 != n {
                    return Err(PointError::Io(std::io::Error::other(format!(
                        "the baseline has {} classes and {} trials here, the point {classes} and {n}",
                        base.classes,
                        base.trials()
                    ))));
                }
                paired.add_trials(&counts, &base)?;
            }
        }
        first += n;
        progress.advance(n);
    }
    Ok((tallies, paired, start.elapsed().as_secs_f64()))
}

/// The differences of one row against the baseline: p_kill and p_zero_leakers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowDifferences {
    pub p_kill: PairedEstimate,
    pub p_zero_leakers: PairedEstimate,
}

/// The rows of one point: its summary rows (one per class, then `all`; `backend` names the
/// backend) with the differences against the baseline. `identical`: the point and the baseline
/// have the same fingerprint.
pub fn point_rows(
    sc: &Scenario,
    backend: &str,
    r: &PointResult,
    identical: bool,
) -> Vec<(SummaryRow, RowDifferences)> {
    use super::paired::{paired_estimate, Metric};
    let out = RunOutput {
        tallies: r.tallies.clone(),
        trials: r.trials[1] - r.trials[0],
        wall_s: r.wall_s,

        interrupted: false,
    };
    let conf = sc.run.confidence;
    summary_rows(sc, backend, &out)
        .into_iter()
        .enumerate()
        .map(|(g, row)| {
            let d = |m| paired_estimate(&r.paired, g, m, identical, conf);
            (
                row,
                RowDifferences {
                    p_kill: d(Metric::PKill),
                    p_zero_leakers: d(Metric::PZeroLeakers),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_trial_once() {
        for n in [0u64, 1, 5, 7, 100, 20_001] {
            for count in [1u64, 2, 3, 7] {
                let mut next = 0;
                for index in 0..count {
                    let r = Shard { index, count }.range(n);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, n);
            }
        }
        assert_eq!("2/7".parse::<Shard>(), Ok(Shard { index: 2, count: 7 }));
        for bad in ["7/7", "1/0", "x/2", "1", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
