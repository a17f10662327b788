//! The wgpu instance, adapter, device and queue, an adapter report for manifests and
//! `interceptmc devices`, and a plain helper that runs one compute entry point over u32 data.
//!
//! Adapter choice follows wgpu's environment variables: `WGPU_BACKEND` (e.g. `vulkan`) limits
//! the backends, `WGPU_ADAPTER_NAME` picks the first adapter whose name contains it
//! (case-insensitive), `WGPU_POWER_PREF` overrides the default high-performance preference.
//! On a machine without a GPU, Mesa's lavapipe (`apt-get install mesa-vulkan-drivers
//! libvulkan1`) provides a software Vulkan adapter (`device_type` Cpu, driver `llvmpipe`); pin it
//! with `VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json WGPU_BACKEND=vulkan` and set
//! `XDG_RUNTIME_DIR` to silence its warning.

use std::sync::mpsc;

use serde::Serialize;
use wgpu::util::DeviceExt;

/// Why the GPU path failed.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    /// No adapter was found (none enumerated, or none matching `WGPU_ADAPTER_NAME`).
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// The adapter refused to open a device with the requested limits.
    #[error("could not open the GPU device: {0}")]
    RequestDevice(#[from] wgpu::RequestDeviceError),
    /// The shader failed to compile or the pipeline failed validation.
    #[error("shader or pipeline rejected: {0}")]
    Shader(String),
    /// A buffer was too large for the device's limits, or could not be created.
    #[error("GPU buffer: {0}")]
    Buffer(String),
    /// A dispatch exceeded the device's limits or failed validation.
    #[error("GPU dispatch: {0}")]
    Dispatch(String),
    /// Waiting for the GPU or mapping the readback buffer failed.
    #[error("GPU readback: {0}")]
    Readback(String),
}

/// What an adapter is and the limits that matter to the kernel. Serialised into manifests and
/// printed by `interceptmc devices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AdapterReport {
    /// Adapter name, e.g. `NVIDIA H100 80GB HBM3` or `llvmpipe (LLVM 15.0.6, 256 bits)`.
    pub name: String,
    /// wgpu backend: `vulkan`, `metal`, `dx12`, `gl`.
    pub backend: String,
    /// Driver name, e.g. `NVIDIA` or `llvmpipe`.
    pub driver: String,
    /// Driver version string.
    pub driver_info: String,
    /// wgpu `DeviceType` as written by Debug: `DiscreteGpu`, `IntegratedGpu`, `Cpu`, ...
    pub device_type: String,
    /// PCI vendor id (0x10DE NVIDIA, 0x1002 AMD, 0x8086 Intel; 0x10005 Mesa for lavapipe).
    pub vendor: u32,
    /// PCI device id.
    pub device: u32,
    /// True for software adapters (`DeviceType::Cpu`, e.g. lavapipe).
    pub is_cpu: bool,
    /// Largest storage-buffer binding, bytes.
    pub max_storage_buffer_binding_size: u64,
    /// Largest buffer, bytes.
    pub max_buffer_size: u64,
    /// Most workgroups in one dispatch dimension.
    pub max_compute_workgroups_per_dimension: u32,
    /// Most invocations in one workgroup.
    pub max_compute_invocations_per_workgroup: u32,
}

impl AdapterReport {
    /// The report of an adapter: its info and its own (not the device's) limits.
    pub fn of(adapter: &wgpu::Adapter) -> Self {
        let info = adapter.get_info();
        let limits = adapter.limits();
        AdapterReport {
            name: info.name,
            backend: info.backend.to_string(),
            driver: info.driver,
            driver_info: info.driver_info,
            device_type: format!("{:?}", info.device_type),
            vendor: info.vendor,
            device: info.device,
            is_cpu: info.device_type == wgpu::DeviceType::Cpu,
            max_storage_buffer_binding_size: limits.max_storage_buffer_binding_size,
            max_buffer_size: limits.max_buffer_size,
            max_compute_workgroups_per_dimension: limits.max_compute_workgroups_per_dimension,
            max_compute_invocations_per_workgroup: limits.max_compute_invocations_per_workgroup,
        }
    }
}

/// An open GPU device and what it runs on.
#[derive(Debug)]
pub struct GpuContext {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    /// The adapter's report (its limits are also the device's for the limits listed there).
    pub info: AdapterReport,
}

impl GpuContext {
    /// Opens the adapter chosen by the environment (see the module docs), preferring high
    /// performance, and a device with no optional features and the adapter's own
    /// `max_storage_buffer_binding_size`, `max_buffer_size`,
    /// `max_compute_workgroups_per_dimension` and compute workgroup-size limits (wgpu's defaults
    /// are far smaller than an H100's). Other limits are wgpu's defaults, lowered where the
    /// adapter has less.
    pub fn new() -> Result<GpuContext, GpuError> {
        pollster::block_on(Self::new_async())
    }

    async fn new_async() -> Result<GpuContext, GpuError> {
        let instance = make_instance();
        let adapter = select_adapter(&instance).await?;
        let al = adapter.limits();
        let required_limits = wgpu::Limits {
            max_storage_buffer_binding_size: al.max_storage_buffer_binding_size,
            max_buffer_size: al.max_buffer_size,
            max_compute_workgroups_per_dimension: al.max_compute_workgroups_per_dimension,
            max_compute_invocations_per_workgroup: al.max_compute_invocations_per_workgroup,
            max_compute_workgroup_size_x: al.max_compute_workgroup_size_x,
            max_compute_workgroup_storage_size: al.max_compute_workgroup_storage_size,
            ..wgpu::Limits::default().or_worse_values_from(&al)
        };
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("interceptmc"),
                required_features: wgpu::Features::empty(),
                required_limits,
                ..Default::default()
            })
            .await?;
        let info = AdapterReport::of(&adapter);
        Ok(GpuContext {
            instance,
            adapter,
            device,
            queue,
            info,
        })
    }
}

/// An instance with the backends and flags from the environment (`WGPU_BACKEND`, ...).
fn make_instance() -> wgpu::Instance {
    wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env())
}

/// `WGPU_ADAPTER_NAME` if set (first adapter whose name contains it, case-insensitive), else
/// `request_adapter` with `WGPU_POWER_PREF` or high performance.
async fn select_adapter(instance: &wgpu::Instance) -> Result<wgpu::Adapter, GpuError> {
    if let Some(wanted) = std::env::var("WGPU_ADAPTER_NAME")
        .ok()
        .filter(|s| !s.is_empty())
    {
        let wanted_lc = wanted.to_lowercase();
        let adapters = instance.enumerate_adapters(wgpu::Backends::all()).await;
        let names: Vec<String> = adapters.iter().map(|a| a.get_info().name).collect();
        return adapters
            .into_iter()
            .find(|a| a.get_info().name.to_lowercase().contains(&wanted_lc))
            .ok_or_else(|| {
                GpuError::NoAdapter(format!(
                    "WGPU_ADAPTER_NAME={wanted:?} matches none of the adapters {names:?}"
                ))
            });
    }
    instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::from_env()
                .unwrap_or(wgpu::PowerPreference::HighPerformance),
            force_fallback_adapter: false,
            compatible_surface: None,
            apply_limit_buckets: false,
        })
        .await
        .map_err(|e| GpuError::NoAdapter(e.to_string()))
}

/// Every adapter wgpu enumerates on the backends allowed by `WGPU_BACKEND` (all if unset).
pub fn list_adapters() -> Vec<AdapterReport> {
    let instance = make_instance();
    pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()))
        .iter()
        .map(AdapterReport::of)
        .collect()
}

/// The context for GPU tests: `Some` when an adapter opens. Otherwise prints
/// `GPU tests skipped: no adapter` (with the reason) and returns `None`, unless the environment
/// sets `INTERCEPTMC_REQUIRE_GPU=1`, when it panics so that CI cannot pass without a GPU.
pub fn test_context() -> Option<GpuContext> {
    match GpuContext::new() {
        Ok(ctx) => Some(ctx),
        Err(e) => {
            if std::env::var("INTERCEPTMC_REQUIRE_GPU").as_deref() == Ok("1") {
                panic!("INTERCEPTMC_REQUIRE_GPU=1 but no usable GPU adapter: {e}");
            }
            eprintln!("GPU tests skipped: no adapter ({e})");
            None
        }
    }
}

/// Storage-buffer size for `len` bytes: wgpu wants a non-zero multiple of 4.
fn storage_size(len: usize) -> u64 {
    (len.max(4) as u64).div_ceil(4) * 4
}

/// Runs entry point `entry` of the WGSL `source` once over `workgroups` workgroups (x only) and
/// returns the `out_words` u32 words it wrote.
///
/// Bindings, all in group 0: `inputs[i]` is a read-only storage buffer at binding `i` (padded
/// with zeros to a non-zero multiple of 4 bytes); the output is a zero-initialised read-write
/// storage buffer of `out_words` u32 at binding `inputs.len()`. The bind-group layout is
/// explicit, so entry points that leave a binding unused still fit it.
///
/// Shader and pipeline validation errors come back as [`GpuError::Shader`], buffer and
/// dispatch errors as [`GpuError::Buffer`] / [`GpuError::Dispatch`], instead of panicking.
pub fn run_compute_u32(
    ctx: &GpuContext,
    source: &str,
    entry: &str,
    inputs: &[&[u8]],
    out_words: usize,
    workgroups: u32,
) -> Result<Vec<u32>, GpuError> {
    let device = &ctx.device;
    let limits = device.limits();
    if workgroups > limits.max_compute_workgroups_per_dimension {
        return Err(GpuError::Dispatch(format!(
            "{workgroups} workgroups exceed the device limit of {} per dimension",
            limits.max_compute_workgroups_per_dimension
        )));
    }
    let out_bytes = storage_size(out_words * 4);
    for (i, len) in inputs
        .iter()
        .map(|b| storage_size(b.len()))
        .chain(std::iter::once(out_bytes))
        .enumerate()
    {
        if len > limits.max_storage_buffer_binding_size || len > limits.max_buffer_size {
            return Err(GpuError::Buffer(format!(
                "binding {i} needs {len} bytes; the device allows {} per storage binding and {} per buffer",
                limits.max_storage_buffer_binding_size, limits.max_buffer_size
            )));
        }
    }

    // Shader and pipeline.
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(entry),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let storage_entry = |binding: u32, read_only: bool| wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    };
    let n_in = inputs.len() as u32;
    let layout_entries: Vec<wgpu::BindGroupLayoutEntry> = (0..n_in)
        .map(|i| storage_entry(i, true))
        .chain(std::iter::once(storage_entry(n_in, false)))
        .collect();
    let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("run_compute_u32"),
        entries: &layout_entries,
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("run_compute_u32"),
        bind_group_layouts: &[Some(&bind_group_layout)],
        immediate_size: 0,
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(entry),
        layout: Some(&pipeline_layout),
        module: &module,
        entry_point: Some(entry),
        compilation_options: Default::default(),
        cache: None,
    });
    if let Some(e) = pollster::block_on(scope.pop()) {
        return Err(GpuError::Shader(e.to_string()));
    }

    // Buffers.
    let oom_scope = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
    let val_scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let input_buffers: Vec<wgpu::Buffer> = inputs
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let mut padded = bytes.to_vec();
            padded.resize(storage_size(bytes.len()) as usize, 0);
            device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(&format!("input {i}")),
                contents: &padded,
                usage: wgpu::BufferUsages::STORAGE,
            })
        })
        .collect();
    let output = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("output"),
        size: out_bytes,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
        mapped_at_creation: false,
    });
    let staging = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("staging"),
        size: out_bytes,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let bind_entries: Vec<wgpu::BindGroupEntry> = input_buffers
        .iter()
        .chain(std::iter::once(&output))
        .enumerate()
        .map(|(i, b)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: b.as_entire_binding(),
        })
        .collect();
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("run_compute_u32"),
        layout: &bind_group_layout,
        entries: &bind_entries,
    });
    let validation = pollster::block_on(val_scope.pop());
    let oom = pollster::block_on(oom_scope.pop());
    if let Some(e) = validation.or(oom) {
        return Err(GpuError::Buffer(e.to_string()));
    }

    // Dispatch and copy to the staging buffer.
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("run_compute_u32"),
    });
    {
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some(entry),
            timestamp_writes: None,
        });
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.dispatch_workgroups(workgroups, 1, 1);
    }
    encoder.copy_buffer_to_buffer(&output, 0, &staging, 0, out_bytes);
    ctx.queue.submit([encoder.finish()]);
    if let Some(e) = pollster::block_on(scope.pop()) {
        return Err(GpuError::Dispatch(e.to_string()));
    }

    // Readback.
    let slice = staging.slice(..);
    let (tx, rx) = mpsc::channel();
    slice.map_async(wgpu::MapMode::Read, move |r| {
        let _ = tx.send(r);
    });
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    rx.recv()
        .map_err(|e| GpuError::Readback(e.to_string()))?
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    let words = {
        let view = slice
            .get_mapped_range()
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        view.chunks_exact(4)
            .take(out_words)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    staging.unmap();
    Ok(words)
}
