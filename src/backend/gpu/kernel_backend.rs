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
//! Pipelines (the replay pipeline on the first run that needs it), the bind-group layout, the
//! scenario's uniform buffers (rewritten only when the batch changes) and the chunk buffers and
//! staging buffers (grown when a larger chunk needs them) are created once and reused.
//!
//! lavapipe (Mesa's software Vulkan, the CI adapter) runs the kernel as LLVM code over 8 f32
//! lanes per core: on the default scenario about 1.5 times as much work per CPU-second as the
//! CPU backend. Two of its traits shape this backend. Every lane of a vector runs both sides
//! of a branch whose condition differs between lanes, so slots are flown sorted by threat
//! class (`classify_main`, `order_main`). And its loop limiter (Mesa 22.x) silently ends every
//! loop of a shader invocation once the invocation's loops have iterated 65,535 times in all,
//! shared by the 8 invocations of a vector: a flight of more than a few thousand steps there
//! (a glider at 0.1 s steps, a flight that never comes down) would be cut short, and with it
//! its 7 neighbours. On lavapipe the backend therefore bounds the loop iterations of every
//! chunk (`propagation_loops_per_step` with the longest flight the chunk read back, and
//! `allocation_loop_bound` before running) and returns an error rather than results that
//! could be wrong. Hardware GPUs have no such limit.

use crate::base::limits::*;
use std::ops::Range;
use std::sync::mpsc;

use super::context::{AdapterReport, GpuContext, GpuError};
use super::shaders::kernel_source;
use crate::backend::{Backend, BackendError, ChunkOutput, TrialRecord};
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::*;

/// Invocations per workgroup (`WORKGROUP_SIZE` in kernel.wgsl).
pub const WORKGROUP_SIZE: u32 = 64;

/// Threat slots per chunk on a software adapter (lavapipe): about a second of work there for
/// the default scenario.
pub const DEFAULT_CHUNK_SLOTS_CPU: u64 = 1 << 16;
/// Threat slots per chunk on a hardware GPU.
pub const DEFAULT_CHUNK_SLOTS_GPU: u64 = 1 << 20;

/// Bytes of the allocation's per-slot scratch (`SlotState` in engage.wgsl: four u32).
const SLOT_STATE_BYTES: u64 = 16;
/// Length of `chunk_counters` (engage.wgsl `CHUNK_COUNTERS`): the class ordering's counts and
/// cursors, then the most steps of a flight in the chunk, then padding.
pub const CHUNK_COUNTERS: u32 = 2 * MAX_CLASSES as u32 + 4;
/// Index of the most steps of a flight in `chunk_counters` (engage.wgsl `COUNTER_MAX_STEPS`).
pub const COUNTER_MAX_STEPS: u32 = 2 * MAX_CLASSES as u32;

/// lavapipe's loop limit: gallivm (Mesa 22.x) ends every loop of a shader invocation, silently,
/// once the invocation's loops together have iterated this many times (one count shared by the
/// 8 invocations of a SIMD vector). The GPU backend refuses work that could reach it there.
pub const LAVAPIPE_LOOP_LIMIT: u64 = 65_535;
/// Loop iterations of one slot outside its trajectory loop and tracker, an upper bound.
const LOOP_OVERHEAD: u64 = 1_000;
/// u32 words of the tallies' staging buffer: the tallies, then the most steps of a flight.
const STAGING_COUNTER_WORDS: u64 = TALLY_WORDS + 4;
/// u32 words of the tallies: `tally::COUNT` u64 counters as (lo, hi) pairs.
const TALLY_WORDS: u64 = 2 * tally::COUNT as u64;

const TRACK_BYTES: u64 = std::mem::size_of::<ThreatTrack>() as u64;
const WINDOW_BYTES: u64 = std::mem::size_of::<Window>() as u64;
const OUTCOME_BYTES: u64 = std::mem::size_of::<ThreatOutcome>() as u64;

/// Buffers sized for a chunk of `slots` threat slots with `windows` battery windows.
struct ChunkBuffers {
    slots: u64,
    windows: u64,
    tracks: wgpu::Buffer,
    window_buf: wgpu::Buffer,
    outcomes: wgpu::Buffer,
    /// Kept with the bind group that uses it.
    _slot_state: wgpu::Buffer,
    /// Kept with the bind group that uses it.
    _order: wgpu::Buffer,
    chunk_counters: wgpu::Buffer,
    tallies: wgpu::Buffer,
    staging_tallies: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    /// Staging for per-slot records (tracks, outcomes, windows), made on first use.
    staging_records: Option<[wgpu::Buffer; 3]>,
}

/// Everything `run` returns, plus the battery windows when asked for (debug readback).
#[derive(Clone, Debug, Default)]
pub struct GpuRunOutput {
    pub output: ChunkOutput,
    /// With windows requested: `n_batteries` per record, in record order.
    pub windows: Vec<Window>,
}

/// The wgpu backend (see the module docs).
pub struct GpuBackend {
    ctx: GpuContext,
    layout: wgpu::BindGroupLayout,
    classify: wgpu::ComputePipeline,
    order: wgpu::ComputePipeline,
    propagate: wgpu::ComputePipeline,
    allocate: wgpu::ComputePipeline,
    /// Built on the first run with per-trial records (its compile time is wasted otherwise).
    replay: Option<wgpu::ComputePipeline>,
    /// The kernel module and the pipeline layout, for `replay`.
    module: wgpu::ShaderModule,
    pipeline_layout: wgpu::PipelineLayout,
    /// Uniforms: RunParams, classes, sensors, interceptors, batteries, chunk (vec4<u32>).
    uniforms: [wgpu::Buffer; 6],
    /// The bytes last written to the five scenario uniforms.
    uploaded: Option<Vec<u8>>,
    chunk: Option<ChunkBuffers>,
    /// Trials per chunk when forced (tests); else chosen from the device and the batch.
    chunk_trials: Option<u64>,
    /// The adapter is lavapipe, whose loops stop at `LAVAPIPE_LOOP_LIMIT` iterations.
    loop_limited: bool,
}

/// `len` bytes rounded up to a non-zero multiple of 16 (uniform and storage sizes).
fn padded(len: u64) -> u64 {
    len.max(16).div_ceil(16) * 16
}

fn table_bytes<T: bytemuck::Pod + Default>(items: &[T], max: usize) -> Vec<u8> {
    let mut all = vec![T::default(); max];
    all[..items.len()].copy_from_slice(items);
    bytemuck::cast_slice(&all).to_vec()
}

impl GpuBackend {
    /// Opens the adapter chosen by the environment (see `context`) and builds the pipelines.
    pub fn new() -> Result<GpuBackend, GpuError> {
        Self::from_context(GpuContext::new()?)
    }

    /// Builds the pipelines on an open context (e.g. `test_context()`).
    pub fn from_context(ctx: GpuContext) -> Result<GpuBackend, GpuError> {
        Self::from_context_with_source(ctx, &kernel_source())
    }

    /// Builds the pipelines from another composition of the kernel (a variant of the files of
    /// `shaders/` with the same bindings and entry points), for tests and benchmarks of shader
    /// changes without a rebuild.
    pub fn from_context_with_source(ctx: GpuContext, source: &str) -> Result<GpuBackend, GpuError> {
        let device = &ctx.device;
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("interceptmc kernel"),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let entry = |binding: u32, ty: wgpu::BufferBindingType| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty,
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let storage = wgpu::BufferBindingType::Storage { read_only: false };
        let entries: Vec<wgpu::BindGroupLayoutEntry> = (0..6)
            .map(|b| entry(b, wgpu::BufferBindingType::Uniform))
            .chain((6..13).map(|b| entry(b, storage)))
            .collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("interceptmc kernel"),
            entries: &entries,
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("interceptmc kernel"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |name: &str| compute_pipeline(device, &pipeline_layout, &module, name);
        let classify = pipeline("classify_main");
        let order = pipeline("order_main");
        let propagate = pipeline("propagate_main");
        let allocate = pipeline("allocate_main");
        let uniform = |label: &str, size: usize| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: padded(size as u64),
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let uniforms = [
            uniform("params", std::mem::size_of::<RunParams>()),
            uniform("classes", MAX_CLASSES * std::mem::size_of::<ThreatClass>()),
            uniform("sensors", MAX_SENSORS * std::mem::size_of::<Sensor>()),
            uniform(
                "interceptors",
                MAX_INTERCEPTORS * std::mem::size_of::<Interceptor>(),
            ),
            uniform("batteries", MAX_BATTERIES * std::mem::size_of::<Battery>()),
            uniform("chunk", 16),
        ];
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Shader(e.to_string()));
        }
        let loop_limited = ctx.info.driver == "llvmpipe";
        Ok(GpuBackend {
            ctx,
            layout,
            classify,
            order,
            propagate,
            allocate,
            replay: None,
            module,
            pipeline_layout,
            uniforms,
            uploaded: None,
            chunk: None,
            chunk_trials: None,
            loop_limited,
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
        let nb = (batch.batteries.len() as u64).max(1);
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
        check_batch(batch, &trials)?;
        if self.loop_limited {
            let needed = allocation_loop_bound(batch);
            if needed >= LAVAPIPE_LOOP_LIMIT {
                return Err(GpuError::Dispatch(format!(
                    "the allocation of a raid of {} threats past {} batteries may need up to \
                     {needed} loop iterations, and lavapipe (Mesa's software Vulkan, adapter \
                     {:?}) silently ends every loop of a shader invocation after \
                     {LAVAPIPE_LOOP_LIMIT}. Use --backend cpu or a hardware GPU",
                    batch.raid_size(),
                    batch.batteries.len(),
                    self.ctx.info.name
                )));
            }
        }
        let mut out = GpuRunOutput {
            output: ChunkOutput {
                tallies: vec![0u64; tally::COUNT],
                records: Vec::new(),
            },
            windows: Vec::new(),
        };
        if trials.is_empty() {
            return Ok(out);
        }
        self.upload_scenario(batch);
        let raid = u64::from(batch.raid_size());
        let nb = batch.batteries.len() as u64;
        let per_chunk = self.chunk_trials_for(batch);
        self.ensure_chunk_buffers(per_chunk * raid, per_chunk * raid * nb.max(1))?;
        let mut first = trials.start;
        while first < trials.end {
            let n = per_chunk.min(trials.end - first);
            self.run_chunk(batch, first, n, want_records, want_windows, &mut out)?;
            first += n;
        }
        Ok(out)
    }

    /// Writes the scenario uniforms when they differ from the last upload. The parameters'
    /// counts and seed are taken from the batch's tables and `seed` (what the CPU kernel uses).
    fn upload_scenario(&mut self, batch: &Batch) {
        let mut params = batch.params;
        params.seed_lo = batch.seed as u32;
        params.seed_hi = (batch.seed >> 32) as u32;
        params.n_sensors = batch.sensors.len() as u32;
        params.n_interceptors = batch.interceptors.len() as u32;
        params.n_batteries = batch.batteries.len() as u32;
        let tables = [
            bytemuck::bytes_of(&params).to_vec(),
            table_bytes(&batch.classes, MAX_CLASSES),
            table_bytes(&batch.sensors, MAX_SENSORS),
            table_bytes(&batch.interceptors, MAX_INTERCEPTORS),
            table_bytes(&batch.batteries, MAX_BATTERIES),
        ];
        let all: Vec<u8> = tables.concat();
        if self.uploaded.as_ref() == Some(&all) {
            return;
        }
        for (buf, bytes) in self.uniforms.iter().zip(&tables) {
            self.ctx.queue.write_buffer(buf, 0, bytes);
        }
        self.uploaded = Some(all);
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
        let device = &self.ctx.device;
        let oom = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let val = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let storage = |label: &str, size: u64, extra: wgpu::BufferUsages| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: padded(size),
                usage: wgpu::BufferUsages::STORAGE | extra,
                mapped_at_creation: false,
            })
        };
        let copy_src = wgpu::BufferUsages::COPY_SRC;
        let tracks = storage("tracks", slots * TRACK_BYTES, copy_src);
        let window_buf = storage("windows", windows * WINDOW_BYTES, copy_src);
        let outcomes = storage("outcomes", slots * OUTCOME_BYTES, copy_src);
        let slot_state = storage(
            "slot_state",
            slots * SLOT_STATE_BYTES,
            wgpu::BufferUsages::empty(),
        );
        let order = storage("order", slots * 4, wgpu::BufferUsages::empty());
        let chunk_counters = storage(
            "chunk_counters",
            u64::from(CHUNK_COUNTERS) * 4,
            wgpu::BufferUsages::COPY_DST | copy_src,
        );
        let tallies = storage(
            "tallies",
            TALLY_WORDS * 4,
            copy_src | wgpu::BufferUsages::COPY_DST,
        );
        let staging_tallies = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("staging tallies"),
            size: STAGING_COUNTER_WORDS * 4,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut entries: Vec<wgpu::BindGroupEntry> = self
            .uniforms
            .iter()
            .enumerate()
            .map(|(i, b)| wgpu::BindGroupEntry {
                binding: i as u32,
                resource: b.as_entire_binding(),
            })
            .collect();
        for (i, b) in [
            &tracks,
            &window_buf,
            &outcomes,
            &slot_state,
            &tallies,
            &order,
            &chunk_counters,
        ]
        .into_iter()
        .enumerate()
        {
            entries.push(wgpu::BindGroupEntry {
                binding: 6 + i as u32,
                resource: b.as_entire_binding(),
            });
        }
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("interceptmc kernel"),
            layout: &self.layout,
            entries: &entries,
        });
        let v = pollster::block_on(val.pop());
        let o = pollster::block_on(oom.pop());
        if let Some(e) = v.or(o) {
            return Err(GpuError::Buffer(format!(
                "chunk buffers for {slots} slots and {windows} windows: {e}"
            )));
        }
        self.chunk = Some(ChunkBuffers {
            slots,
            windows,
            tracks,
            window_buf,
            outcomes,
            _slot_state: slot_state,
            _order: order,
            chunk_counters,
            tallies,
            staging_tallies,
            bind_group,
            staging_records: None,
        });
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
            return Err(GpuError::Dispatch(format!(
                "{items} invocations need {groups} workgroups, more than {max} x {max}"
            )));
        }
        Ok((x as u32, y as u32))
    }

    /// One chunk: trials `first .. first + n`.
    fn run_chunk(
        &mut self,
        batch: &Batch,
        first: u64,
        n: u64,
        want_records: bool,
        want_windows: bool,
        out: &mut GpuRunOutput,
    ) -> Result<(), GpuError> {
        let raid = u64::from(batch.raid_size());
        let nb = batch.batteries.len() as u64;
        let slots = n * raid;
        let (slot_grid, trial_grid) = (self.grid(slots)?, self.grid(n)?);
        let device = &self.ctx.device;
        let queue = &self.ctx.queue;
        let chunk_words = [first as u32, n as u32, 0u32, 0u32];
        queue.write_buffer(&self.uniforms[5], 0, bytemuck::cast_slice(&chunk_words));
        let records = want_records || want_windows;
        if want_records && self.replay.is_none() {
            let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
            let replay =
                compute_pipeline(device, &self.pipeline_layout, &self.module, "replay_main");
            if let Some(e) = pollster::block_on(scope.pop()) {
                return Err(GpuError::Shader(e.to_string()));
            }
            self.replay = Some(replay);
        }
        let c = self.chunk.as_mut().expect("chunk buffers");
        if records && c.staging_records.is_none() {
            let staging = |label: &str, size: u64| {
                device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some(label),
                    size: padded(size),
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                })
            };
            c.staging_records = Some([
                staging("staging tracks", c.slots * TRACK_BYTES),
                staging("staging outcomes", c.slots * OUTCOME_BYTES),
                staging("staging windows", c.windows * WINDOW_BYTES),
            ]);
        }
        let c = self.chunk.as_ref().expect("chunk buffers");

        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("interceptmc chunk"),
        });
        encoder.clear_buffer(&c.tallies, 0, None);
        encoder.clear_buffer(&c.chunk_counters, 0, None);
        let mut passes: Vec<(&str, &wgpu::ComputePipeline, (u32, u32))> = vec![
            ("classify_main", &self.classify, slot_grid),
            ("order_main", &self.order, slot_grid),
            ("propagate_main", &self.propagate, slot_grid),
            ("allocate_main", &self.allocate, trial_grid),
        ];
        if let Some(replay) = self.replay.as_ref().filter(|_| want_records) {
            passes.push(("replay_main", replay, slot_grid));
        }
        // One pass per dispatch: wgpu orders the storage writes of one before the next.
        for (label, pipeline, (x, y)) in passes {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some(label),
                timestamp_writes: None,
            });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &c.bind_group, &[]);
            pass.dispatch_workgroups(x, y, 1);
        }
        encoder.copy_buffer_to_buffer(&c.tallies, 0, &c.staging_tallies, 0, TALLY_WORDS * 4);
        encoder.copy_buffer_to_buffer(
            &c.chunk_counters,
            u64::from(COUNTER_MAX_STEPS) * 4,
            &c.staging_tallies,
            TALLY_WORDS * 4,
            4,
        );
        let record_bytes = [
            slots * TRACK_BYTES,
            slots * OUTCOME_BYTES,
            slots * nb * WINDOW_BYTES,
        ];
        if let Some(st) = c.staging_records.as_ref().filter(|_| records) {
            let sources = [&c.tracks, &c.outcomes, &c.window_buf];
            for k in 0..3 {
                if record_bytes[k] > 0 && (k < 2 || want_windows) {
                    encoder.copy_buffer_to_buffer(sources[k], 0, &st[k], 0, record_bytes[k]);
                }
            }
        }
        queue.submit([encoder.finish()]);
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Dispatch(e.to_string()));
        }

        // Readback: map every staging buffer needed, wait once.
        let mut maps: Vec<(&wgpu::Buffer, u64)> =
            vec![(&c.staging_tallies, STAGING_COUNTER_WORDS * 4)];
        if let Some(st) = c.staging_records.as_ref().filter(|_| records) {
            for k in 0..3 {
                if record_bytes[k] > 0 && (k < 2 || want_windows) {
                    maps.push((&st[k], record_bytes[k]));
                }
            }
        }
        let (tx, rx) = mpsc::channel();
        for (i, (buf, len)) in maps.iter().enumerate() {
            let tx = tx.clone();
            buf.map_async(wgpu::MapMode::Read, 0..*len, move |r| {
                let _ = tx.send((i, r));
            });
        }
        drop(tx);
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        for r in rx.iter() {
            r.1.map_err(|e| GpuError::Readback(format!("staging buffer {}: {e}", r.0)))?;
        }
        let read = |buf: &wgpu::Buffer, len: u64| -> Result<Vec<u8>, GpuError> {
            let bytes = buf
                .get_mapped_range(0..len)
                .map_err(|e| GpuError::Readback(e.to_string()))?
                .to_vec();
            buf.unmap();
            Ok(bytes)
        };
        let words = read(&c.staging_tallies, STAGING_COUNTER_WORDS * 4)?;
        let words: &[u32] = bytemuck::cast_slice(&words);
        let max_steps = u64::from(words[TALLY_WORDS as usize]);
        for (t, pair) in out.output.tallies.iter_mut().zip(words.chunks_exact(2)) {
            *t += u64::from(pair[0]) | (u64::from(pair[1]) << 32);
        }
        // Drop the record staging's mapping before a possible error below.
        let record_words = c
            .staging_records
            .as_ref()
            .filter(|_| records)
            .map(|st| -> Result<_, GpuError> {
                Ok((
                    read(&st[0], record_bytes[0])?,
                    read(&st[1], record_bytes[1])?,
                    if want_windows && record_bytes[2] > 0 {
                        read(&st[2], record_bytes[2])?
                    } else {
                        Vec::new()
                    },
                ))
            })
            .transpose()?;
        if self.loop_limited {
            let needed =
                max_steps * propagation_loops_per_step(batch) + propagation_loop_overhead(batch);
            if needed >= LAVAPIPE_LOOP_LIMIT {
                return Err(GpuError::Dispatch(format!(
                    "trials {first}..{}: a flight of {max_steps} steps past {} sensors and {} \
                     batteries needs about {needed} loop iterations, and lavapipe (Mesa's \
                     software Vulkan, adapter {:?}) silently ends every loop of a shader \
                     invocation after {LAVAPIPE_LOOP_LIMIT}: the results of that trial and of \
                     up to 7 others would be wrong. Use --backend cpu or a hardware GPU",
                    first + n,
                    batch.sensors.len(),
                    batch.batteries.len(),
                    self.ctx.info.name
                )));
            }
        }
        if let Some((track_bytes, outcome_bytes, window_bytes)) = record_words {
            let tracks: Vec<ThreatTrack> = bytemuck::pod_collect_to_vec(&track_bytes);
            let outcomes: Vec<ThreatOutcome> = bytemuck::pod_collect_to_vec(&outcome_bytes);
            if want_records {
                for (i, (track, outcome)) in tracks.into_iter().zip(outcomes).enumerate() {
                    let i = i as u64;
                    out.output.records.push(TrialRecord {
                        trial: first + i / raid,
                        slot: (i % raid) as u32,
                        track,
                        outcome,
                    });
                }
            }
            out.windows
                .extend(bytemuck::pod_collect_to_vec::<u8, Window>(&window_bytes));
        }
        Ok(())
    }
}

/// The compute pipeline of entry point `name` of the kernel module.
fn compute_pipeline(
    device: &wgpu::Device,
    layout: &wgpu::PipelineLayout,
    module: &wgpu::ShaderModule,
    name: &str,
) -> wgpu::ComputePipeline {
    device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(name),
        layout: Some(layout),
        module,
        entry_point: Some(name),
        compilation_options: Default::default(),
        cache: None,
    })
}

/// Loop iterations per trajectory step on lavapipe, an upper bound: gallivm counts one per
/// pass of every loop and one more per loop entered (the pass that exits), so a step costs the
/// trajectory loop and the event tracker's loops over sensors and batteries, and the firm-track
/// update at a detection costs more (counted in `propagation_loop_overhead`). Measured on Mesa
/// 22.3.6: 5 per step with no sensor and no battery, 11 to 12.3 with 2 sensors and 4
/// batteries; this gives 6 and 16.
pub fn propagation_loops_per_step(batch: &Batch) -> u64 {
    6 + batch.sensors.len() as u64 + 2 * batch.batteries.len() as u64
}

/// Loop iterations of one slot outside its trajectory's steps, an upper bound: two
/// random-number jumps (64 each), the draws, the burnout solution, the tracker's set-up and
/// finish, and the firm-track updates at the detections (one per sensor).
pub fn propagation_loop_overhead(batch: &Batch) -> u64 {
    let ns = batch.sensors.len() as u64;
    let nb = batch.batteries.len() as u64;
    LOOP_OVERHEAD + ns * (nb + 1) * (ns + 2)
}

/// An upper bound of the loop iterations of one trial's allocation (allocate_trial and
/// tally_trial): per engagement a scan of every (slot, battery) and a random-number jump (64),
/// the decoy and shot draws; per interceptor type two gamma variates. Engagements are at most
/// the total inventory (each fires at least one interceptor) and at most slots x batteries x
/// max_engagements.
pub fn allocation_loop_bound(batch: &Batch) -> u64 {
    let n = u64::from(batch.raid_size());
    let nb = batch.batteries.len() as u64;
    let p = &batch.params;
    let inventory: u64 = batch.batteries.iter().map(|b| u64::from(b.inventory)).sum();
    let engagements = inventory.min(n * nb * u64::from(p.max_engagements));
    let decoys = batch
        .classes
        .iter()
        .map(|c| u64::from(c.decoys))
        .max()
        .unwrap_or(0);
    let per_engagement = n * (nb + 1) + 64 + decoys + u64::from(p.salvo_size) + 4;
    let sspk = batch.interceptors.len() as u64 * 2 * (64 + 1 + 9);
    engagements * per_engagement + sspk + 4 * n + 2 * nb + 16
}

/// Rejects batches the kernel cannot run: tables larger than the uniform arrays, a raid size
/// outside [1, MAX_RAID], or trial indices of 2^32 and above (the WGSL trial index is a u32).
fn check_batch(batch: &Batch, trials: &Range<u64>) -> Result<(), GpuError> {
    let bad = |what: String| Err(GpuError::Dispatch(what));
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
}
