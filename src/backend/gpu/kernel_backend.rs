//! The GPU backend: the WGSL kernel of `shaders/` (twin of `kernel.rs`) run over chunks of
//! trials with wgpu.
//!
//! Per chunk of trials, one command buffer with up to five compute passes, one dispatch each:
//! `classify_main` and `order_main` (one invocation per (trial, slot): the slots sorted by
//! threat class, so that neighbouring invocations fly the same kind of threat),
//! `propagate_main` (one invocation per (trial, slot): track and battery windows),
//! `allocate_main` (one per trial: the doctrine, then the tallies, added with u32 atomics as
//! exact u64 (lo, hi) pairs) and, only when per-trial records are wanted, `replay_main` (one
//! per (trial, slot): kill altitudes). The tallies (and the records) are then copied to staging
//! buffers, read back and added up in u64 on the host, so the result is the same integers
//! whatever the chunk size.
//!
//! Chunks keep every per-slot storage binding under the device's
//! `max_storage_buffer_binding_size` and every dispatch under
//! `max_compute_workgroups_per_dimension` (a 2-D grid), and bound the work of one dispatch.
//! The pipelines ([`super::pipelines`]), the uniforms and the chunk buffers
//! ([`super::buffers`], bound through [`super::bindings`]) are created once and reused; results
//! come back through [`super::readback`].
//!
//! lavapipe (Mesa's software Vulkan, the CI adapter) runs the kernel as LLVM code over 8 f32
//! lanes per core. Every lane of a vector runs both sides of a branch whose condition differs
//! between lanes, so slots are flown sorted by threat class (`classify_main`, `order_main`);
//! and its loop limit is guarded by [`super::lavapipe`].

use std::ops::Range;

use super::buffers::{
    ChunkBuffers, Uniforms, COUNTER_MAX_STEPS, OUTCOME_BYTES, SLOT_STATE_BYTES,
    STAGING_COUNTER_WORDS, TALLY_WORDS, TRACK_BYTES, WINDOW_BYTES,
};
use super::context::{AdapterKind, AdapterReport, GpuContext};
use super::error::GpuError;
use super::lavapipe;
use super::pipelines::{fly_kind, Pipelines, ALLOCATE, CLASSIFY, ORDER, PROPAGATE, REPLAY};
use super::readback::{add_tallies, read_all, records};
use super::shaders::kernel_source;
use super::timer::{timestamp_bytes, PassTimer};
use crate::backend::{Backend, BackendError, ChunkOutput};
use crate::base::limits::{
    MAX_BATTERIES, MAX_CLASSES, MAX_INTERCEPTORS, MAX_RAID, MAX_SENSORS, MAX_WINDOWS,
};
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::Window;

/// Invocations per workgroup (`WORKGROUP_SIZE` in kernel.wgsl).
pub const WORKGROUP_SIZE: u32 = 64;

/// Threat slots per chunk on a software adapter (lavapipe): about a second of work there for
/// the default scenario.
pub const DEFAULT_CHUNK_SLOTS_CPU: u64 = 1 << 16;
/// Threat slots per chunk on a hardware GPU.
pub const DEFAULT_CHUNK_SLOTS_GPU: u64 = 1 << 20;

/// Everything `run` returns, plus the battery windows when asked for (debug readback).
#[derive(Clone, Debug, Default)]
pub struct GpuRunOutput {
    pub output: ChunkOutput,
    /// With windows requested: `n_batteries * MAX_WINDOWS` per record, in record order.
    pub windows: Vec<Window>,
}

/// The wgpu backend (see the module docs).
pub struct GpuBackend {
    ctx: GpuContext,
    pipelines: Pipelines,
    uniforms: Uniforms,
    chunk: Option<ChunkBuffers>,
    /// Trials per chunk when forced (tests); else chosen from the device and the batch.
    chunk_trials: Option<u64>,
    /// The adapter is lavapipe, whose loops stop at `LAVAPIPE_LOOP_LIMIT` iterations.
    loop_limited: bool,
    /// Timestamps of the passes, when the device has them.
    timer: Option<PassTimer>,
    /// Device time of the last run's passes, s (None without timestamps).
    last_kernel_s: Option<f64>,
}

impl GpuBackend {
    /// Opens the adapter chosen by the environment, software adapters included (see
    /// `context`), and builds the pipelines.
    pub fn new() -> Result<GpuBackend, GpuError> {
        Self::open(AdapterKind::Any)
    }

    /// Opens an adapter of `kind` and builds the pipelines.
    pub fn open(kind: AdapterKind) -> Result<GpuBackend, GpuError> {
        Self::from_context(GpuContext::open(kind)?)
    }

    /// Builds the pipelines on an open context (e.g. `test_context()`).
    pub fn from_context(ctx: GpuContext) -> Result<GpuBackend, GpuError> {
        Self::from_context_with_source(ctx, &kernel_source())
    }

    /// Builds the pipelines from another composition of the kernel (a variant of the files of
    /// `shaders/` with the same bindings and entry points), for tests and benchmarks of shader
    /// changes without a rebuild.
    pub fn from_context_with_source(ctx: GpuContext, source: &str) -> Result<GpuBackend, GpuError> {
        let pipelines = Pipelines::new(&ctx.device, source)?;
        let uniforms = Uniforms::new(&ctx.device);
        let loop_limited = ctx.info.driver == "llvmpipe";
        let timer = ctx
            .timestamps
            .then(|| PassTimer::new(&ctx.device, &ctx.queue));
        Ok(GpuBackend {
            ctx,
            pipelines,
            uniforms,
            chunk: None,
            chunk_trials: None,
            loop_limited,
            timer,
            last_kernel_s: None,
        })
    }

    /// Forces `n` trials per chunk (at least 1; still capped by the device limits). Chunking
    /// never changes the result; tests use tiny chunks to check that.
    pub fn with_chunk_trials(mut self, n: u64) -> Self {
        self.chunk_trials = Some(n.max(1));
        self
    }

    /// The open device.
    pub fn context(&self) -> &GpuContext {
        &self.ctx
    }

    /// Trials per chunk for `batch`: the forced or default number of slots, capped so that
    /// every per-slot binding fits `max_storage_buffer_binding_size` (and `max_buffer_size`),
    /// and slot and window indices fit a u32.
    pub fn chunk_trials_for(&self, batch: &Batch) -> u64 {
        let raid = u64::from(batch.raid_size().max(1));
        let nb = (batch.batteries.len() as u64).max(1) * MAX_WINDOWS as u64;
        let limits = self.ctx.device.limits();
        let max_binding = limits
            .max_storage_buffer_binding_size
            .min(limits.max_buffer_size);
        let widest_per_slot = TRACK_BYTES
            .max(OUTCOME_BYTES)
            .max(SLOT_STATE_BYTES)
            .max(WINDOW_BYTES * nb);
        let slots_cap = (max_binding / widest_per_slot).min(u64::from(u32::MAX) / nb);
        let wanted = match self.chunk_trials {
            Some(t) => t.saturating_mul(raid),
            None if self.ctx.info.is_cpu => DEFAULT_CHUNK_SLOTS_CPU,
            None => DEFAULT_CHUNK_SLOTS_GPU,
        };
        (wanted.min(slots_cap) / raid).max(1)
    }

    /// Runs trials `trials` of `batch`; with `want_records` also the per-slot records, and
    /// with `want_windows` (debug readback) the battery windows of every record.
    pub fn run_detailed(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
        want_records: bool,
        want_windows: bool,
    ) -> Result<GpuRunOutput, GpuError> {
        self.run_inner(batch, trials, want_records, want_records, want_windows)
    }

    /// [`run_detailed`](Self::run_detailed), with the replay pass (kill altitudes) only when
    /// `replay` is set: records without it have `kill_alt_km` unfilled.
    fn run_inner(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
        want_records: bool,
        replay: bool,
        want_windows: bool,
    ) -> Result<GpuRunOutput, GpuError> {
        check_batch(batch, &trials)?;
        if self.loop_limited {
            lavapipe::check_allocation(batch, &self.ctx.info.name)?;
        }
        let mut out = GpuRunOutput {
            output: ChunkOutput {
                tallies: vec![0u64; tally::COUNT],
                records: Vec::new(),
            },
            windows: Vec::new(),
        };
        self.last_kernel_s = self.timer.as_ref().map(|_| 0.0);
        if trials.is_empty() {
            return Ok(out);
        }
        self.uniforms.upload_scenario(&self.ctx.queue, batch);
        let raid = u64::from(batch.raid_size());
        let nb = batch.batteries.len() as u64 * MAX_WINDOWS as u64;
        let per_chunk = self.chunk_trials_for(batch);
        self.ensure_chunk_buffers(per_chunk * raid, per_chunk * raid * nb.max(1))?;
        // The propagate pipeline of the batch's one threat kind, or of every kind.
        let kinds: Vec<u32> = batch.classes.iter().map(|c| c.kind).collect();
        let fly = fly_kind(&kinds);
        self.pipelines.ensure_propagate(&self.ctx.device, fly)?;
        let mut first = trials.start;
        while first < trials.end {
            let n = per_chunk.min(trials.end - first);
            let wants = (want_records, replay && want_records, want_windows);
            self.run_chunk(batch, first, n, fly, wants, &mut out)?;
            first += n;
        }
        Ok(out)
    }

    /// Makes sure the chunk buffers hold `slots` slots and `windows` windows.
    fn ensure_chunk_buffers(&mut self, slots: u64, windows: u64) -> Result<(), GpuError> {
        if let Some(c) = &self.chunk {
            if c.slots >= slots && c.windows >= windows {
                return Ok(());
            }
        }
        // Grow to the larger of the request and what exists, so alternating batches do not
        // reallocate every time.
        let (slots, windows) = match &self.chunk {
            Some(c) => (slots.max(c.slots), windows.max(c.windows)),
            None => (slots, windows),
        };
        self.chunk = None;
        self.chunk = Some(ChunkBuffers::new(
            &self.ctx.device,
            &self.pipelines.layout,
            &self.uniforms,
            slots,
            windows,
        )?);
        Ok(())
    }

    /// The 2-D grid of workgroups covering `items` invocations.
    fn grid(&self, items: u64) -> Result<(u32, u32), GpuError> {
        let max = u64::from(
            self.ctx
                .device
                .limits()
                .max_compute_workgroups_per_dimension,
        );
        let groups = items.div_ceil(u64::from(WORKGROUP_SIZE)).max(1);
        let x = groups.min(max);
        let y = groups.div_ceil(x);
        if y > max {
            return Err(GpuError::TooLarge(format!(
                "{items} invocations need {groups} workgroups, more than {max} x {max}"
            )));
        }
        Ok((x as u32, y as u32))
    }

    /// One chunk: trials `first .. first + n`, propagated by the pipeline of `FLY_KIND = fly`;
    /// `wants` is (records, the replay pass, windows).
    fn run_chunk(
        &mut self,
        batch: &Batch,
        first: u64,
        n: u64,
        fly: u32,
        wants: (bool, bool, bool),
        out: &mut GpuRunOutput,
    ) -> Result<(), GpuError> {
        let (want_records, replay, want_windows) = wants;
        let raid = u64::from(batch.raid_size());
        let nb = batch.batteries.len() as u64 * MAX_WINDOWS as u64;
        let slots = n * raid;
        let (slot_grid, trial_grid) = (self.grid(slots)?, self.grid(n)?);
        let device = &self.ctx.device;
        let queue = &self.ctx.queue;
        self.uniforms.write_chunk(queue, first, n);
        let records_wanted = want_records || want_windows;
        if replay {
            self.pipelines.ensure_replay(device)?;
        }
        // The propagate pipeline of the batch's one threat kind, or of every kind.
        let c = self.chunk.as_mut().expect("chunk buffers");
        if records_wanted {
            c.ensure_record_staging(device);
        }
        let c = self.chunk.as_ref().expect("chunk buffers");
        let p = &self.pipelines;

        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("interceptmc chunk"),
        });
        encoder.clear_buffer(&c.tallies, 0, None);
        encoder.clear_buffer(&c.chunk_counters, 0, None);
        let mut passes: Vec<(&str, &wgpu::ComputePipeline, (u32, u32))> = vec![
            (CLASSIFY, &p.classify, slot_grid),
            (ORDER, &p.order, slot_grid),
        ];
        let propagate = p.propagate_for(fly).expect("built by run_inner");
        passes.push((PROPAGATE, propagate, slot_grid));
        passes.push((ALLOCATE, &p.allocate, trial_grid));
        if let Some(pipeline) = p.replay.as_ref().filter(|_| replay) {
            passes.push((REPLAY, pipeline, slot_grid));
        }
        // One pass per dispatch: wgpu orders the storage writes of one before the next.
        let n_passes = passes.len() as u32;
        let timer = self.timer.as_ref();
        for (k, (label, pipeline, (x, y))) in passes.into_iter().enumerate() {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some(label),
                timestamp_writes: timer.map(|t| t.writes(k as u32)),
            });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(super::bindings::GROUP, &c.bind_group, &[]);
            pass.dispatch_workgroups(x, y, 1);
        }
        if let Some(t) = timer {
            t.resolve(&mut encoder, n_passes);
        }
        encoder.copy_buffer_to_buffer(&c.tallies, 0, &c.staging_tallies, 0, TALLY_WORDS * 4);
        encoder.copy_buffer_to_buffer(
            &c.chunk_counters,
            u64::from(COUNTER_MAX_STEPS) * 4,
            &c.staging_tallies,
            TALLY_WORDS * 4,
            4,
        );
        // Tracks, outcomes (with records) and windows (with windows) of the chunk.
        let record_bytes = [
            slots * TRACK_BYTES,
            slots * OUTCOME_BYTES,
            slots * nb * WINDOW_BYTES,
        ];
        let wanted = |k: usize| record_bytes[k] > 0 && (k < 2 || want_windows);
        let staged = c.staging_records.as_ref().filter(|_| records_wanted);
        if let Some(st) = staged {
            let sources = [&c.tracks, &c.outcomes, &c.window_buf];
            for k in (0..3).filter(|&k| wanted(k)) {
                encoder.copy_buffer_to_buffer(sources[k], 0, &st[k], 0, record_bytes[k]);
            }
        }
        queue.submit([encoder.finish()]);
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Validation(e.to_string()));
        }

        // Readback: every staging buffer needed, after one wait.
        let mut maps: Vec<(&wgpu::Buffer, u64)> =
            vec![(&c.staging_tallies, STAGING_COUNTER_WORDS * 4)];
        if let Some(t) = timer {
            maps.push((&t.staging, timestamp_bytes(n_passes)));
        }
        let mut kinds = Vec::new();
        if let Some(st) = staged {
            for k in (0..3).filter(|&k| wanted(k)) {
                maps.push((&st[k], record_bytes[k]));
                kinds.push(k);
            }
        }
        let mut bytes = read_all(&self.ctx, &maps)?.into_iter();
        let words = bytes.next().expect("the tallies");
        if let Some(t) = timer {
            let s = t.seconds(&bytes.next().expect("the timestamps"));
            self.last_kernel_s = self.last_kernel_s.map(|k| k + s);
        }
        let words: &[u32] = bytemuck::cast_slice(&words);
        let max_steps = u64::from(words[TALLY_WORDS as usize]);
        if self.loop_limited {
            lavapipe::check_propagation(batch, first..first + n, max_steps, &self.ctx.info.name)?;
        }
        add_tallies(&mut out.output.tallies, &words[..TALLY_WORDS as usize]);
        let mut got: [Vec<u8>; 3] = Default::default();
        for (k, b) in kinds.into_iter().zip(bytes) {
            got[k] = b;
        }
        if want_records {
            out.output
                .records
                .extend(records(first, raid, &got[0], &got[1]));
        }
        if want_windows {
            out.windows
                .extend(bytemuck::pod_collect_to_vec::<u8, Window>(&got[2]));
        }
        Ok(())
    }
}

/// Rejects batches the kernel cannot run: tables larger than the uniform arrays, a raid size
/// outside [1, MAX_RAID], or trial indices of 2^32 and above (the WGSL trial index is a u32).
fn check_batch(batch: &Batch, trials: &Range<u64>) -> Result<(), GpuError> {
    let bad = |what: String| Err(GpuError::TooLarge(what));
    if batch.classes.is_empty() || batch.classes.len() > MAX_CLASSES {
        return bad(format!(
            "{} threat classes (1 to {MAX_CLASSES} supported)",
            batch.classes.len()
        ));
    }
    if batch.sensors.len() > MAX_SENSORS
        || batch.interceptors.len() > MAX_INTERCEPTORS
        || batch.batteries.len() > MAX_BATTERIES
    {
        return bad(format!(
            "{} sensors, {} interceptor types, {} batteries (at most {MAX_SENSORS}, \
             {MAX_INTERCEPTORS}, {MAX_BATTERIES})",
            batch.sensors.len(),
            batch.interceptors.len(),
            batch.batteries.len()
        ));
    }
    let raid = batch.raid_size() as usize;
    if raid == 0 || raid > MAX_RAID {
        return bad(format!("raid size {raid} (1 to {MAX_RAID} supported)"));
    }
    if trials.end > 1 << 32 {
        return bad(format!(
            "trial indices up to {} (the GPU kernel indexes trials with a u32)",
            trials.end
        ));
    }
    Ok(())
}

impl Backend for GpuBackend {
    fn kind(&self) -> &'static str {
        "gpu"
    }

    fn adapter(&self) -> Option<AdapterReport> {
        Some(self.ctx.info.clone())
    }

    fn last_kernel_s(&self) -> Option<f64> {
        self.last_kernel_s
    }

    fn run(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
        want_records: bool,
    ) -> Result<ChunkOutput, BackendError> {
        Ok(self
            .run_detailed(batch, trials, want_records, false)?
            .output)
    }

    fn run_outcomes(
        &mut self,
        batch: &Batch,
        trials: Range<u64>,
    ) -> Result<ChunkOutput, BackendError> {
        Ok(self.run_inner(batch, trials, true, false, false)?.output)
    }
}
