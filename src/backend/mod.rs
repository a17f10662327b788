//! The engines that run trials: the rayon CPU kernel ([`cpu`]) and the wgpu GPU kernel
//! ([`gpu`]), behind one trait. Both take the same [`Batch`] and a trial range and return the
//! same integer tallies and per-slot records, from the same random numbers.

pub mod cpu;
pub mod gpu;

use crate::model::batch::Batch;
use crate::model::types::{ThreatOutcome, ThreatTrack};
use std::ops::Range;

/// One threat slot of one trial, as both backends report it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrialRecord {
    pub trial: u64,
    pub slot: u32,
    pub track: ThreatTrack,
    pub outcome: ThreatOutcome,
}

/// What a backend returns for a range of trials.
#[derive(Clone, Debug, Default)]
pub struct ChunkOutput {
    /// Counters indexed by `kernel::tally::*`.
    pub tallies: Vec<u64>,
    /// With `want_records`: one per (trial, slot), in trial then slot order.
    pub records: Vec<TrialRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Gpu(#[from] gpu::GpuError),
    #[error("{0}")]
    Other(String),
}

/// An engine that runs trials.
pub trait Backend {
    /// "cpu" or "gpu".
    fn kind(&self) -> &'static str;
    /// The adapter that runs the GPU backend (None for the CPU).
    fn adapter(&self) -> Option<gpu::AdapterReport>;
    /// Runs trials `trials` of `batch`; with `want_records` also returns per-slot records
    /// (kill altitudes filled by the replay pass).
    fn run(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
        want_records: bool,
    ) -> Result<ChunkOutput, BackendError>;
}
