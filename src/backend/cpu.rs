//! The CPU backend: the kernel of `kernel.rs` over trials in parallel with rayon. Each trial is
//! independent and keyed only by its index, so the result does not depend on the thread count.

use super::{Backend, BackendError, ChunkOutput, TrialRecord};
use crate::base::limits::MAX_WINDOWS;
use crate::kernel::engage::doctrine::{allocate_trial, TrialInput};
use crate::kernel::{propagate_slot, replay_kill, tally_trial};
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::{ThreatOutcome, ThreatTrack, Window, OUTCOME_KILLED};
use rayon::prelude::*;
use std::ops::Range;

#[derive(Default)]
pub struct CpuBackend;

/// Runs one trial on the CPU: every slot's pass 1, then the allocation.
pub fn run_trial(batch: &Batch, trial: u64) -> (Vec<ThreatTrack>, Vec<ThreatOutcome>) {
    let n = batch.raid_size() as usize;
    let nw = batch.batteries.len() * MAX_WINDOWS;
    let mut windows = vec![Window::NONE; n * nw];
    let mut tracks = Vec::with_capacity(n);
    for slot in 0..n {
        tracks.push(propagate_slot::<f32>(
            batch,
            trial,
            slot as u32,
            &mut windows[slot * nw..(slot + 1) * nw],
        ));
    }
    let mut outcomes = vec![ThreatOutcome::default(); n];
    let input = TrialInput {
        params: &batch.params,
        classes: &batch.classes,
        sensors: &batch.sensors,
        interceptors: &batch.interceptors,
        batteries: &batch.batteries,
        seed: batch.seed,
        trial,
        tracks: &tracks,
        windows: &windows,
        margins: None,
    };
    allocate_trial(&input, &mut outcomes);
    (tracks, outcomes)
}

fn add_tallies(mut a: Vec<u64>, b: Vec<u64>) -> Vec<u64> {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
    a
}

impl Backend for CpuBackend {
    fn kind(&self) -> &'static str {
        "cpu"
    }

    fn adapter(&self) -> Option<super::gpu::AdapterReport> {
        None
    }

    fn run(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
        want_records: bool,
    ) -> Result<ChunkOutput, BackendError> {
        if !want_records {
            let tallies = trials
                .into_par_iter()
                .fold(
                    || vec![0u64; tally::COUNT],
                    |mut acc, trial| {
                        let (tracks, outcomes) = run_trial(batch, trial);
                        tally_trial(&tracks, &outcomes, batch.batteries.len(), |i, v| {
                            acc[i] += v
                        });
                        acc
                    },
                )
                .reduce(|| vec![0u64; tally::COUNT], add_tallies);
            return Ok(ChunkOutput {
                tallies,
                records: Vec::new(),
            });
        }
        let per_trial: Vec<(Vec<u64>, Vec<TrialRecord>)> = trials
            .into_par_iter()
            .map(|trial| {
                let (tracks, mut outcomes) = run_trial(batch, trial);
                let mut acc = vec![0u64; tally::COUNT];
                tally_trial(&tracks, &outcomes, batch.batteries.len(), |i, v| {
                    acc[i] += v
                });
                let records = tracks
                    .iter()
                    .zip(outcomes.iter_mut())
                    .enumerate()
                    .map(|(slot, (track, outcome))| {
                        if outcome.outcome == OUTCOME_KILLED {
                            outcome.kill_alt_km =
                                replay_kill::<f32>(batch, trial, slot as u32, outcome.kill_time_s);
                        }
                        TrialRecord {
                            trial,
                            slot: slot as u32,
                            track: *track,
                            outcome: *outcome,
                        }
                    })
                    .collect();
                (acc, records)
            })
            .collect();
        let mut out = ChunkOutput {
            tallies: vec![0u64; tally::COUNT],
            records: Vec::new(),
        };
        for (acc, records) in per_trial {
            out.tallies = add_tallies(out.tallies, acc);
            out.records.extend(records);
        }
        Ok(out)
    }

    fn run_outcomes(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
    ) -> Result<ChunkOutput, BackendError> {
        let first = trials.start;
        let per_trial: Vec<(Vec<ThreatTrack>, Vec<ThreatOutcome>)> = trials
            .into_par_iter()
            .map(|trial| run_trial(batch, trial))
            .collect();
        let mut out = ChunkOutput {
            tallies: vec![0u64; tally::COUNT],
            records: Vec::with_capacity(per_trial.len() * batch.raid_size() as usize),
        };
        for (i, (tracks, outcomes)) in per_trial.into_iter().enumerate() {
            tally_trial(&tracks, &outcomes, batch.batteries.len(), |k, v| {
                out.tallies[k] += v
            });
            let trial = first + i as u64;
            out.records
                .extend(tracks.into_iter().zip(outcomes).enumerate().map(
                    |(slot, (track, outcome))| TrialRecord {
                        trial,
                        slot: slot as u32,
                        track,
                        outcome,
                    },
                ));
        }
        Ok(out)
    }
}
