//! Reading results back from the GPU: map the staging buffers of a chunk, wait once, copy their
//! bytes out, and turn them into the host's u64 tallies and per-slot records.

use std::sync::mpsc;

use super::context::GpuContext;
use super::error::GpuError;
use crate::backend::TrialRecord;
use crate::model::types::{ThreatOutcome, ThreatTrack};

/// Maps every `(buffer, bytes)`, waits for the GPU once, and returns each buffer's first `bytes`
/// bytes, in order; every buffer is unmapped again. A lost device is
/// [`GpuError::DeviceLost`].
pub fn read_all(ctx: &GpuContext, maps: &[(&wgpu::Buffer, u64)]) -> Result<Vec<Vec<u8>>, GpuError> {
    let (tx, rx) = mpsc::channel();
    for (i, (buf, len)) in maps.iter().enumerate() {
        let tx = tx.clone();
        buf.map_async(wgpu::MapMode::Read, 0..*len, move |r| {
            let _ = tx.send((i, r));
        });
    }
    drop(tx);
    let polled = ctx.device.poll(wgpu::PollType::wait_indefinitely());
    ctx.check_lost()?;
    polled.map_err(|e| GpuError::Readback(e.to_string()))?;
    for (i, r) in rx.iter() {
        r.map_err(|e| GpuError::Readback(format!("staging buffer {i}: {e}")))?;
    }
    let mut out = Vec::with_capacity(maps.len());
    let mut first_error = None;
    for (buf, len) in maps {
        match buf.get_mapped_range(0..*len) {
            Ok(view) => out.push(view.to_vec()),
            Err(e) => {
                first_error.get_or_insert(GpuError::Readback(e.to_string()));
            }
        }
        buf.unmap();
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Adds the kernel's tallies, u64 counters written as (lo, hi) u32 pairs, to `tallies`.
pub fn add_tallies(tallies: &mut [u64], words: &[u32]) {
    for (t, pair) in tallies.iter_mut().zip(words.chunks_exact(2)) {
        *t += u64::from(pair[0]) | (u64::from(pair[1]) << 32);
    }
}

/// The per-slot records of a chunk whose first trial is `first`, from the bytes of its tracks
/// and outcomes (slot-major within each trial, `raid` slots per trial).
pub fn records(
    first: u64,
    raid: u64,
    track_bytes: &[u8],
    outcome_bytes: &[u8],
) -> Vec<TrialRecord> {
    let tracks: Vec<ThreatTrack> = bytemuck::pod_collect_to_vec(track_bytes);
    let outcomes: Vec<ThreatOutcome> = bytemuck::pod_collect_to_vec(outcome_bytes);
    tracks
        .into_iter()
        .zip(outcomes)
        .enumerate()
        .map(|(i, (track, outcome))| {
            let i = i as u64;
            TrialRecord {
                trial: first + i / raid,
                slot: (i % raid) as u32,
                track,
                outcome,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_are_lo_hi_pairs() {
        // 5 + 3 * 2^32 and 7, added to 1 and 2.
        let mut t = [1u64, 2];
        add_tallies(&mut t, &[5, 3, 7, 0]);
        assert_eq!(t, [1 + 5 + (3u64 << 32), 9]);
    }
}
