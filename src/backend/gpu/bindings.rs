//! The kernel's bindings, named once: the table from which both the bind-group layout and every
//! bind group are built, so no slot number appears anywhere else. Twin: the `@group(0)
//! @binding(n)` globals at the top of `shaders/engage.wgsl`; `tests/bindings.rs` parses the
//! composed kernel with naga and checks every entry (name, group, binding, address space)
//! against them, and that the shader declares no other binding.

/// The bind group every entry point uses.
pub const GROUP: u32 = 0;

/// How a binding is bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    /// `var<uniform>`: the scenario tables and the chunk's indices.
    Uniform,
    /// `var<storage, read_write>`: per-slot records, scratch and counters.
    Storage,
}

/// One binding of the kernel: the WGSL global's name and its address space. Its binding number
/// is its position in [`BINDINGS`] (its `Slot` value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    pub slot: Slot,
    pub name: &'static str,
    pub space: Space,
}

/// The kernel's bindings by name; the value is the binding number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u32)]
pub enum Slot {
    /// `RunParams`.
    Params = 0,
    /// `array<ThreatClass, MAX_CLASSES>`.
    Classes = 1,
    /// `array<Sensor, MAX_SENSORS>`.
    Sensors = 2,
    /// `array<Interceptor, MAX_INTERCEPTORS>`.
    Interceptors = 3,
    /// `array<Battery, MAX_BATTERIES>`.
    Batteries = 4,
    /// `vec4<u32>`: first trial of the chunk, trials in it.
    Chunk = 5,
    /// `array<ThreatTrack>`, one per slot of the chunk.
    Tracks = 6,
    /// `array<Window>`, one per (slot, battery).
    Windows = 7,
    /// `array<ThreatOutcome>`, one per slot.
    Outcomes = 8,
    /// `array<SlotState>`, the allocation's scratch.
    SlotState = 9,
    /// `array<atomic<u32>>`, the tallies as (lo, hi) pairs.
    Tallies = 10,
    /// `array<u32>`, the slots sorted by threat class.
    Order = 11,
    /// `array<atomic<u32>, CHUNK_COUNTERS>`.
    ChunkCounters = 12,
}

impl Slot {
    /// The binding number.
    pub const fn index(self) -> u32 {
        self as u32
    }
}

/// Every binding of the kernel, in binding order.
pub const BINDINGS: [Binding; 13] = [
    Binding {
        slot: Slot::Params,
        name: "u_params",
        space: Space::Uniform,
    },
    Binding {
        slot: Slot::Classes,
        name: "u_classes",
        space: Space::Uniform,
    },
    Binding {
        slot: Slot::Sensors,
        name: "u_sensors",
        space: Space::Uniform,
    },
    Binding {
        slot: Slot::Interceptors,
        name: "u_interceptors",
        space: Space::Uniform,
    },
    Binding {
        slot: Slot::Batteries,
        name: "u_batteries",
        space: Space::Uniform,
    },
    Binding {
        slot: Slot::Chunk,
        name: "u_chunk",
        space: Space::Uniform,
    },
    Binding {
        slot: Slot::Tracks,
        name: "tracks",
        space: Space::Storage,
    },
    Binding {
        slot: Slot::Windows,
        name: "windows",
        space: Space::Storage,
    },
    Binding {
        slot: Slot::Outcomes,
        name: "outcomes",
        space: Space::Storage,
    },
    Binding {
        slot: Slot::SlotState,
        name: "slot_state",
        space: Space::Storage,
    },
    Binding {
        slot: Slot::Tallies,
        name: "tallies",
        space: Space::Storage,
    },
    Binding {
        slot: Slot::Order,
        name: "order",
        space: Space::Storage,
    },
    Binding {
        slot: Slot::ChunkCounters,
        name: "chunk_counters",
        space: Space::Storage,
    },
];

/// The uniform slots, in binding order (the scenario tables, then the chunk).
pub const UNIFORM_SLOTS: [Slot; 6] = [
    Slot::Params,
    Slot::Classes,
    Slot::Sensors,
    Slot::Interceptors,
    Slot::Batteries,
    Slot::Chunk,
];

// Each entry sits at its own binding number, so `BINDINGS[slot.index()]` is that slot's entry.
const _: () = {
    let mut i = 0;
    while i < BINDINGS.len() {
        assert!(BINDINGS[i].slot as usize == i);
        i += 1;
    }
};

/// The bind-group layout entries of [`BINDINGS`], visible to compute shaders.
pub fn layout_entries() -> Vec<wgpu::BindGroupLayoutEntry> {
    BINDINGS
        .iter()
        .map(|b| wgpu::BindGroupLayoutEntry {
            binding: b.slot.index(),
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: match b.space {
                    Space::Uniform => wgpu::BufferBindingType::Uniform,
                    Space::Storage => wgpu::BufferBindingType::Storage { read_only: false },
                },
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        })
        .collect()
}

/// A bind group over [`BINDINGS`], each slot bound to the whole of `buffer(slot)`.
pub fn bind_group<'a>(
    device: &wgpu::Device,
    layout: &wgpu::BindGroupLayout,
    buffer: impl Fn(Slot) -> &'a wgpu::Buffer,
) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry> = BINDINGS
        .iter()
        .map(|b| wgpu::BindGroupEntry {
            binding: b.slot.index(),
            resource: buffer(b.slot).as_entire_binding(),
        })
        .collect();
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("interceptmc kernel"),
        layout,
        entries: &entries,
    })
}
