//! `tallies.json`: the integer results of a run or a sweep over a range of trials (a shard, or
//! all of them), with what `merge` needs to check that shards belong together and to write the
//! results of the whole: the scenario (or sweep) text and its SHA-256, seed, samples, shard and
//! trial range, backend, and the tallies (for a sweep, per point with the paired sums).

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::write_atomic;
use crate::mc::sweep::{PointResult, Shard};

/// The file name in a run or sweep directory.
pub const TALLIES_FILE: &str = "tallies.json";

/// What `tallies.json` holds: a run or a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Tallies {
    Run(RunTallies),
    Sweep(SweepTallies),
}

/// `interceptmc run` over trials `trials` of `samples`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunTallies {
    pub version: String,
    pub scenario_name: String,
    /// As given on the command line; `None` for the embedded default.
    pub scenario_file: Option<String>,
    /// SHA-256 of `scenario_text`.
    pub scenario_sha256: String,
    /// The scenario as run (`--set` overrides applied).
    pub scenario_text: String,
    pub seed: u64,
    /// Trials of the whole run (all shards).
    pub samples: u64,
    pub shard: Shard,
    /// This shard's trials, `[start, end)`.
    pub trials: [u64; 2],
    pub backend: String,
    pub wall_s: f64,
    /// Indexed by `model::tally`.
    pub tallies: Vec<u64>,
    /// Whether `trials.csv` was written.
    pub per_trial: bool,
}

/// `interceptmc sweep` over trials `trials` of `samples` of every point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepTallies {
    pub version: String,
    pub name: String,
    pub sweep_file: String,
    /// SHA-256 of `sweep_text`.
    pub sweep_sha256: String,
    pub sweep_text: String,
    pub base_file: String,
    /// SHA-256 of `base_text`.
    pub base_sha256: String,
    pub base_text: String,
    pub seed: u64,
    pub samples: u64,
    pub shard: Shard,
    pub trials: [u64; 2],
    /// The baseline point.
    pub baseline: usize,
    pub backend: String,
    /// Per point: SHA-256 of its resolved scenario text, in point order.
    pub point_hashes: Vec<String>,
    /// Per point: its fingerprint (`mc::sweep::fingerprint`), in point order.
    pub fingerprints: Vec<String>,
    /// In the order they ran (the baseline first).
    pub points: Vec<PointResult>,
}

/// Writes `tallies.json` into `dir`, atomically: a run's pretty-printed, a sweep's (the paired
/// sums of every point) on one line.
pub fn write_tallies(dir: &Path, t: &Tallies) -> io::Result<()> {
    let json = match t {
        Tallies::Run(_) => serde_json::to_string_pretty(t),
        Tallies::Sweep(_) => serde_json::to_string(t),
    }
    .map_err(io::Error::other)?;
    write_atomic(dir.join(TALLIES_FILE), format!("{json}\n").as_bytes())
}

/// Reads `dir/tallies.json`.
pub fn read_tallies(dir: &Path) -> io::Result<Tallies> {
    let path = dir.join(TALLIES_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not a tallies file: {e}", path.display()),
        )
    })
}
