//! The kernel's buffers: the scenario uniforms (written only when the batch changes) and the
//! chunk buffers (per-slot records, scratch, counters and their staging copies), grown when a
//! larger chunk needs them and reused otherwise. Every buffer is bound through the binding
//! table ([`super::bindings`]).

use super::bindings::{bind_group, Slot, UNIFORM_SLOTS};
use super::error::GpuError;
use crate::base::limits::{MAX_BATTERIES, MAX_CLASSES, MAX_INTERCEPTORS, MAX_SENSORS};
use crate::model::batch::Batch;
use crate::model::tally;
use crate::model::types::{
    Battery, Interceptor, RunParams, Sensor, ThreatClass, ThreatOutcome, ThreatTrack, Window,
};

/// Bytes of the allocation's per-slot scratch (`SlotState` in engage.wgsl: eight 4-byte
/// members and four vec4 of track starts).
pub const SLOT_STATE_BYTES: u64 = 96;
/// Bytes per slot of the class ordering (`order`: one u32).
pub const ORDER_BYTES: u64 = 4;
/// u32 words of the tallies: `tally::COUNT` u64 counters as (lo, hi) pairs.
pub const TALLY_WORDS: u64 = 2 * tally::COUNT as u64;
/// Length of `chunk_counters` (engage.wgsl `CHUNK_COUNTERS`): the class ordering's counts and
/// cursors, then the most steps of a flight in the chunk, then padding.
pub const CHUNK_COUNTERS: u32 = 2 * MAX_CLASSES as u32 + 4;
/// Index of the most steps of a flight in `chunk_counters` (engage.wgsl `COUNTER_MAX_STEPS`).
pub const COUNTER_MAX_STEPS: u32 = 2 * MAX_CLASSES as u32;
/// u32 words of the tallies' staging buffer: the tallies, then the most steps of a flight.
pub const STAGING_COUNTER_WORDS: u64 = TALLY_WORDS + 4;

pub const TRACK_BYTES: u64 = std::mem::size_of::<ThreatTrack>() as u64;
pub const WINDOW_BYTES: u64 = std::mem::size_of::<Window>() as u64;
pub const OUTCOME_BYTES: u64 = std::mem::size_of::<ThreatOutcome>() as u64;

/// `len` bytes rounded up to a non-zero multiple of 16 (uniform and storage sizes).
pub fn padded(len: u64) -> u64 {
    len.max(16).div_ceil(16) * 16
}

/// The bytes of a uniform table: `items`, then defaults up to the kernel's array length `max`.
fn table_bytes<T: bytemuck::Pod + Default>(items: &[T], max: usize) -> Vec<u8> {
    let mut all = vec![T::default(); max];
    all[..items.len()].copy_from_slice(items);
    bytemuck::cast_slice(&all).to_vec()
}

/// The uniform buffers: the scenario tables and the chunk's indices.
pub struct Uniforms {
    /// One per slot of [`UNIFORM_SLOTS`], in that order.
    buffers: Vec<wgpu::Buffer>,
    /// The bytes last written to the scenario tables.
    uploaded: Option<Vec<u8>>,
}

impl Uniforms {
    pub fn new(device: &wgpu::Device) -> Uniforms {
        let size = |slot: Slot| -> usize {
            match slot {
                Slot::Params => std::mem::size_of::<RunParams>(),
                Slot::Classes => MAX_CLASSES * std::mem::size_of::<ThreatClass>(),
                Slot::Sensors => MAX_SENSORS * std::mem::size_of::<Sensor>(),
                Slot::Interceptors => MAX_INTERCEPTORS * std::mem::size_of::<Interceptor>(),
                Slot::Batteries => MAX_BATTERIES * std::mem::size_of::<Battery>(),
                Slot::Chunk => 16,
                other => unreachable!("{other:?} is not a uniform"),
            }
        };
        let buffers = UNIFORM_SLOTS
            .iter()
            .map(|&slot| {
                device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some(&format!("{slot:?}")),
                    size: padded(size(slot) as u64),
                    usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                })
            })
            .collect();
        Uniforms {
            buffers,
            uploaded: None,
        }
    }

    /// The uniform buffer of `slot`.
    pub fn get(&self, slot: Slot) -> &wgpu::Buffer {
        let i = UNIFORM_SLOTS
            .iter()
            .position(|&s| s == slot)
            .unwrap_or_else(|| panic!("{slot:?} is not a uniform"));
        &self.buffers[i]
    }

    /// Writes the scenario tables when they differ from the last upload. The parameters'
    /// counts and seed are taken from the batch's tables and `seed` (what the CPU kernel uses).
    pub fn upload_scenario(&mut self, queue: &wgpu::Queue, batch: &Batch) {
        let mut params = batch.params;
        params.seed_lo = batch.seed as u32;
        params.seed_hi = (batch.seed >> 32) as u32;
        params.n_sensors = batch.sensors.len() as u32;
        params.n_interceptors = batch.interceptors.len() as u32;
        params.n_batteries = batch.batteries.len() as u32;
        let tables = [
            (Slot::Params, bytemuck::bytes_of(&params).to_vec()),
            (Slot::Classes, table_bytes(&batch.classes, MAX_CLASSES)),
            (Slot::Sensors, table_bytes(&batch.sensors, MAX_SENSORS)),
            (
                Slot::Interceptors,
                table_bytes(&batch.interceptors, MAX_INTERCEPTORS),
            ),
            (
                Slot::Batteries,
                table_bytes(&batch.batteries, MAX_BATTERIES),
            ),
        ];
        let all: Vec<u8> = tables.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        if self.uploaded.as_ref() == Some(&all) {
            return;
        }
        for (slot, bytes) in &tables {
            queue.write_buffer(self.get(*slot), 0, bytes);
        }
        self.uploaded = Some(all);
    }

    /// Writes the chunk's first trial and trial count.
    pub fn write_chunk(&self, queue: &wgpu::Queue, first: u64, n: u64) {
        let words = [first as u32, n as u32, 0u32, 0u32];
        queue.write_buffer(self.get(Slot::Chunk), 0, bytemuck::cast_slice(&words));
    }
}

/// Buffers sized for a chunk of `slots` threat slots with `windows` battery windows, and the
/// bind group over them and the uniforms.
pub struct ChunkBuffers {
    pub slots: u64,
    pub windows: u64,
    pub tracks: wgpu::Buffer,
    pub window_buf: wgpu::Buffer,
    pub outcomes: wgpu::Buffer,
    /// Kept with the bind group that uses it.
    _slot_state: wgpu::Buffer,
    /// Kept with the bind group that uses it.
    _order: wgpu::Buffer,
    pub chunk_counters: wgpu::Buffer,
    pub tallies: wgpu::Buffer,
    pub staging_tallies: wgpu::Buffer,
    pub bind_group: wgpu::BindGroup,
    /// Staging for per-slot records (tracks, outcomes, windows), made on first use.
    pub staging_records: Option<[wgpu::Buffer; 3]>,
}

impl ChunkBuffers {
    /// Creates the chunk buffers and their bind group. A failed allocation is
    /// [`GpuError::OutOfMemory`]; a rejected buffer or bind group [`GpuError::Validation`].
    pub fn new(
        device: &wgpu::Device,
        layout: &wgpu::BindGroupLayout,
        uniforms: &Uniforms,
        slots: u64,
        windows: u64,
    ) -> Result<ChunkBuffers, GpuError> {
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
        let none = wgpu::BufferUsages::empty();
        let tracks = storage("tracks", slots * TRACK_BYTES, copy_src);
        let window_buf = storage("windows", windows * WINDOW_BYTES, copy_src);
        let outcomes = storage("outcomes", slots * OUTCOME_BYTES, copy_src);
        let slot_state = storage("slot_state", slots * SLOT_STATE_BYTES, none);
        let order = storage("order", slots * ORDER_BYTES, none);
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
        let staging_tallies = staging(device, "staging tallies", STAGING_COUNTER_WORDS * 4);
        let bind_group = bind_group(device, layout, |slot| match slot {
            Slot::Tracks => &tracks,
            Slot::Windows => &window_buf,
            Slot::Outcomes => &outcomes,
            Slot::SlotState => &slot_state,
            Slot::Tallies => &tallies,
            Slot::Order => &order,
            Slot::ChunkCounters => &chunk_counters,
            uniform => uniforms.get(uniform),
        });
        let v = pollster::block_on(val.pop());
        let o = pollster::block_on(oom.pop());
        if let Some(e) = o {
            return Err(GpuError::OutOfMemory(format!(
                "chunk buffers for {slots} slots and {windows} windows: {e}"
            )));
        }
        if let Some(e) = v {
            return Err(GpuError::Validation(format!(
                "chunk buffers for {slots} slots and {windows} windows: {e}"
            )));
        }
        Ok(ChunkBuffers {
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
        })
    }

    /// Creates the record staging buffers if they do not exist yet.
    pub fn ensure_record_staging(&mut self, device: &wgpu::Device) {
        if self.staging_records.is_none() {
            self.staging_records = Some([
                staging(device, "staging tracks", self.slots * TRACK_BYTES),
                staging(device, "staging outcomes", self.slots * OUTCOME_BYTES),
                staging(device, "staging windows", self.windows * WINDOW_BYTES),
            ]);
        }
    }
}

/// A mappable buffer the GPU copies into for readback.
fn staging(device: &wgpu::Device, label: &str, size: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: padded(size),
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}
