//! One summary row of a run: the estimates of one threat class (or `all`) with their intervals.
//! Written as `summary.csv` by `output::summary` (its columns are the field order).

use serde::{Deserialize, Serialize};

/// One row of `summary.csv`. Probabilities are fractions in [0, 1]; intervals are two-sided at
/// level `confidence` (Wilson 1927 unless named `_cp_`, Clopper & Pearson 1934). The p_kill
/// intervals are per threat with the trial as the unit (`mc::stats::ClusterProportion`: the
/// binomial intervals at the effective number of independent threats); the p_zero_leakers
/// interval is binomial over trials.
///
/// The field order is the column order ([`SUMMARY_COLUMNS`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Scenario name.
    pub scenario: String,
    /// Threat class name, or `all`.
    pub threat: String,
    /// Backend that ran the trials: `cpu` or `gpu`.
    pub backend: String,
    /// Trials run (raids with `[raid]`, else single-threat trials).
    pub samples: u64,
    /// Seed of the random stream.
    pub seed: u64,
    /// Fraction of threats killed, `killed / threats`.
    pub p_kill: f64,
    /// Wilson lower bound of `p_kill` (trial as the unit).
    pub p_kill_lo: f64,
    /// Wilson upper bound of `p_kill` (trial as the unit).
    pub p_kill_hi: f64,
    /// Fraction of threats engaged by at least one interceptor, `engaged / threats`.
    pub p_engaged: f64,
    /// Interceptors fired per threat (mean).
    pub mean_interceptors: f64,
    /// Fraction of trials with no leaker (per raid with `[raid]`, else equal to `p_kill`).
    pub p_zero_leakers: f64,
    /// Wilson lower bound of `p_zero_leakers`.
    pub p_zero_leakers_lo: f64,
    /// Wilson upper bound of `p_zero_leakers`.
    pub p_zero_leakers_hi: f64,
    /// Leakers per trial (mean).
    pub mean_leakers: f64,
    /// Wall-clock time of the run, seconds.
    pub wall_s: f64,
    /// Threats simulated (`samples` x raid share of this class).
    pub threats: u64,
    /// Threats killed.
    pub killed: u64,
    /// Threats engaged.
    pub engaged: u64,
    /// Interceptors fired at these threats (decoys included).
    pub interceptors: u64,
    /// Interceptors fired at decoys.
    pub decoy_interceptors: u64,
    /// Interceptors fired at decoys per threat (mean).
    pub mean_decoy_interceptors: f64,
    /// Clopper-Pearson lower bound of `p_kill` (trial as the unit, Korn & Graubard 1998).
    pub p_kill_cp_lo: f64,
    /// Clopper-Pearson upper bound of `p_kill` (trial as the unit, Korn & Graubard 1998).
    pub p_kill_cp_hi: f64,
    /// Confidence level of the intervals (e.g. 0.95).
    pub confidence: f64,
    /// Threats that did not come down within the maximum flight time, or whose state went
    /// non-finite. Counted in `threats` and as the kill or leak their outcome says; flagged here
    /// (and on stderr) because their outcome says little.
    pub unlanded: u64,
}
