//! The engines that run trials: the rayon CPU kernel ([`cpu`]) and the wgpu GPU kernel
//! ([`gpu`]), behind one trait. Both take the same [`Batch`] and a trial range and return the
//! same integer tallies and per-slot records, from the same random numbers. [`open`] turns the
//! one backend choice ([`BackendChoice`]: auto, cpu, gpu) into a backend, with one meaning of
//! `auto` for every command.

pub mod cpu;
pub mod gpu;

use crate::model::batch::Batch;
use crate::model::types::{ThreatOutcome, ThreatTrack};
use std::ops::Range;

pub use crate::scenario::BackendChoice;

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
    /// Counters indexed by `model::tally::*`.
    pub tallies: Vec<u64>,
    /// With `want_records`: one per (trial, slot), in trial then slot order.
    pub records: Vec<TrialRecord>,
}

/// Why running trials failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The GPU path failed (see [`gpu::GpuError`]'s variants).
    #[error(transparent)]
    Gpu(#[from] gpu::GpuError),
    /// Writing what the run produced (per-trial records) failed.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// Two runs of the same trials on one backend gave different tallies.
    #[error("{backend} backend: two runs of the same {trials} trials gave different tallies")]
    NotReproducible { backend: &'static str, trials: u64 },
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

    /// Runs trials `trials` of `batch` and returns the tallies and the per-slot records
    /// without the kill altitudes (`kill_alt_km` is not filled: no replay pass), for what
    /// needs only each slot's class and outcome (the paired comparisons of `sweep` and
    /// `compare`). The default runs [`run`](Backend::run) with records.
    fn run_outcomes(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
    ) -> Result<ChunkOutput, BackendError> {
        self.run(batch, trials, true)
    }

    /// Device time of the last run's kernel passes, s, from timestamp queries: GPU backends
    /// whose device has them (`gpu::timer`); None otherwise (the CPU backend).
    fn last_kernel_s(&self) -> Option<f64> {
        None
    }
}

/// A backend opened for a choice, and what `auto` decided (for stderr).
pub struct Opened {
    pub backend: Box<dyn Backend>,
    /// For `auto`: which backend it chose and why. None for `cpu` and `gpu`.
    pub note: Option<String>,
}

/// Opens the backend of `choice`:
/// - `cpu`: the CPU backend;
/// - `gpu`: the adapter the environment picks, software adapters included; none is an error
///   ([`gpu::GpuError::NoAdapter`]), never a silent CPU run;
/// - `auto`: a hardware GPU when one opens, otherwise the CPU backend, with a note saying which
///   and why. A software adapter is never chosen by `auto` (lavapipe measured slower than the
///   CPU backend on raids: 97-145 s against 57 s).
pub fn open(choice: BackendChoice) -> Result<Opened, gpu::GpuError> {
    match choice {
        BackendChoice::Cpu => Ok(Opened {
            backend: Box::new(cpu::CpuBackend),
            note: None,
        }),
        BackendChoice::Gpu => Ok(Opened {
            backend: Box::new(gpu::GpuBackend::open(gpu::AdapterKind::Any)?),
            note: None,
        }),
        BackendChoice::Auto => Ok(match open_hardware_gpu() {
            Ok(g) => {
                let note = format!(
                    "auto: GPU backend on {} ({})",
                    g.context().info.name,
                    g.context().info.device_type
                );
                Opened {
                    backend: Box::new(g),
                    note: Some(note),
                }
            }
            Err(why) => Opened {
                backend: Box::new(cpu::CpuBackend),
                note: Some(format!(
                    "auto: CPU backend ({why}; a software adapter runs only with --backend gpu)"
                )),
            },
        }),
    }
}

/// The GPU backend on a hardware adapter, for `auto`.
pub fn open_hardware_gpu() -> Result<gpu::GpuBackend, gpu::GpuError> {
    gpu::GpuBackend::open(gpu::AdapterKind::Hardware)
}

/// A backend of a comparison, or why it could not open (for a note and skipped rows).
pub type MaybeBackend = Result<Box<dyn Backend>, String>;

/// The backends a comparing command (`validate`, `bench`) runs for `choice`: `cpu` the CPU
/// backend; `gpu` the GPU on any adapter (an error without one); `auto` the CPU backend and,
/// when one opens, a hardware GPU (else the `Err` says why there is none, for a note).
pub fn open_for_comparison(choice: BackendChoice) -> Result<Vec<MaybeBackend>, gpu::GpuError> {
    Ok(match choice {
        BackendChoice::Cpu => vec![Ok(Box::new(cpu::CpuBackend))],
        BackendChoice::Gpu => vec![Ok(open(BackendChoice::Gpu)?.backend)],
        BackendChoice::Auto => vec![
            Ok(Box::new(cpu::CpuBackend)),
            open_hardware_gpu()
                .map(|g| Box::new(g) as Box<dyn Backend>)
                .map_err(|e| e.to_string()),
        ],
    })
}
