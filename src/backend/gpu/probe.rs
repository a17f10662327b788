//! A plain helper that runs one compute entry point over u32 data: the random-number parity
//! checks (`tests/gpu_rng.rs`, `interceptmc verify`) use it with their own small shaders.

use std::sync::mpsc;

use wgpu::util::DeviceExt;

use super::context::GpuContext;
use super::error::GpuError;

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
/// Shader and pipeline validation errors come back as [`GpuError::Shader`], sizes over the
/// device limits as [`GpuError::TooLarge`], others as their own variants, instead of panicking.
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
        return Err(GpuError::TooLarge(format!(
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
            return Err(GpuError::TooLarge(format!(
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
    if let Some(e) = pollster::block_on(val_scope.pop()) {
        return Err(GpuError::Validation(e.to_string()));
    }
    if let Some(e) = pollster::block_on(oom_scope.pop()) {
        return Err(GpuError::OutOfMemory(e.to_string()));
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
        return Err(GpuError::Validation(e.to_string()));
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
    ctx.check_lost()?;
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
