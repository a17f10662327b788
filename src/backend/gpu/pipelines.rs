//! The kernel's compute pipelines: one shader module (the composed `shaders/`), one bind-group
//! layout built from the binding table ([`super::bindings`]), and one pipeline per entry point
//! of kernel.wgsl. The replay pipeline is built on the first run that wants per-trial records
//! (its compile time is wasted otherwise).

use super::bindings::layout_entries;
use super::error::GpuError;

/// The compute entry points of kernel.wgsl, in dispatch order.
pub const CLASSIFY: &str = "classify_main";
pub const ORDER: &str = "order_main";
pub const PROPAGATE: &str = "propagate_main";
pub const ALLOCATE: &str = "allocate_main";
pub const REPLAY: &str = "replay_main";

/// The pipelines of one kernel module.
pub struct Pipelines {
    pub layout: wgpu::BindGroupLayout,
    pub classify: wgpu::ComputePipeline,
    pub order: wgpu::ComputePipeline,
    pub propagate: wgpu::ComputePipeline,
    pub allocate: wgpu::ComputePipeline,
    /// Built by [`Pipelines::ensure_replay`].
    pub replay: Option<wgpu::ComputePipeline>,
    module: wgpu::ShaderModule,
    pipeline_layout: wgpu::PipelineLayout,
}

impl Pipelines {
    /// Compiles `source` (a composition of the kernel's files) and builds every pipeline but
    /// the replay's. A shader or pipeline the driver rejects is [`GpuError::Shader`].
    pub fn new(device: &wgpu::Device, source: &str) -> Result<Pipelines, GpuError> {
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("interceptmc kernel"),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("interceptmc kernel"),
            entries: &layout_entries(),
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("interceptmc kernel"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |name: &str| compute_pipeline(device, &pipeline_layout, &module, name);
        let classify = pipeline(CLASSIFY);
        let order = pipeline(ORDER);
        let propagate = pipeline(PROPAGATE);
        let allocate = pipeline(ALLOCATE);
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Shader(e.to_string()));
        }
        Ok(Pipelines {
            layout,
            classify,
            order,
            propagate,
            allocate,
            replay: None,
            module,
            pipeline_layout,
        })
    }

    /// Builds the replay pipeline if it is not built yet.
    pub fn ensure_replay(&mut self, device: &wgpu::Device) -> Result<(), GpuError> {
        if self.replay.is_none() {
            let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
            let replay = compute_pipeline(device, &self.pipeline_layout, &self.module, REPLAY);
            if let Some(e) = pollster::block_on(scope.pop()) {
                return Err(GpuError::Shader(e.to_string()));
            }
            self.replay = Some(replay);
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
