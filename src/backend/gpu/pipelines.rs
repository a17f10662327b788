//! The kernel's compute pipelines: one shader module (the composed `shaders/`), one bind-group
//! layout built from the binding table ([`super::bindings`]), and one pipeline per entry point
//! of kernel.wgsl; the propagate pass also has one pipeline per threat kind: the
//! pipeline-overridable constant `FLY_KIND` of physics.wgsl is set to the kind, so the driver
//! compiles it without the other kinds' code (it flies the slots of its kind only). A batch of
//! one kind runs that pipeline; a batch of several runs the one for every kind (`FLY_KIND =
//! ALL_KINDS`), since a dispatch per kind over the chunk's slots left lavapipe's threads
//! unevenly loaded (default scenario, 2 threads: 1.25 s against 1.03 s for 10,000 trials; 1.57
//! against 1.59 s on one thread). Pipelines are built on the first run that needs them (their
//! compile time is wasted otherwise).

use super::bindings::layout_entries;
use super::error::GpuError;

/// The compute entry points of kernel.wgsl, in dispatch order.
pub const CLASSIFY: &str = "classify_main";
pub const ORDER: &str = "order_main";
pub const PROPAGATE: &str = "propagate_main";
pub const ALLOCATE: &str = "allocate_main";
pub const REPLAY: &str = "replay_main";

/// `FLY_KIND` of a pipeline that flies every kind (twin of `ALL_KINDS` in physics.wgsl).
pub const ALL_KINDS: u32 = u32::MAX;
/// Threat kinds (`KIND_*`: ballistic, glide, cruise).
pub const KINDS: usize = crate::model::types::KIND_CRUISE as usize + 1;

/// The pipelines of one kernel module.
pub struct Pipelines {
    pub layout: wgpu::BindGroupLayout,
    pub classify: wgpu::ComputePipeline,
    pub order: wgpu::ComputePipeline,
    /// Per threat kind (`KIND_*`), then for every kind (index `KINDS`), built by
    /// [`Pipelines::ensure_propagate`].
    pub propagate: [Option<wgpu::ComputePipeline>; KINDS + 1],
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
        let pipeline =
            |name: &str| compute_pipeline(device, &pipeline_layout, &module, name, ALL_KINDS);
        let classify = pipeline(CLASSIFY);
        let order = pipeline(ORDER);
        let allocate = pipeline(ALLOCATE);
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Shader(e.to_string()));
        }
        Ok(Pipelines {
            layout,
            classify,
            order,
            propagate: [None, None, None, None],
            allocate,
            replay: None,
            module,
            pipeline_layout,
        })
    }

    /// The propagate pipeline with `FLY_KIND = kind` ([`fly_kind`]), once built by
    /// [`Pipelines::ensure_propagate`] (None before).
    pub fn propagate_for(&self, kind: u32) -> Option<&wgpu::ComputePipeline> {
        self.propagate[propagate_index(kind)].as_ref()
    }

    /// Builds the propagate pipeline of threat kind `kind` (`KIND_*`, or `ALL_KINDS`) if it is
    /// not built yet.
    pub fn ensure_propagate(&mut self, device: &wgpu::Device, kind: u32) -> Result<(), GpuError> {
        let k = propagate_index(kind);
        if self.propagate[k].is_none() {
            let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
            let p = compute_pipeline(device, &self.pipeline_layout, &self.module, PROPAGATE, kind);
            if let Some(e) = pollster::block_on(scope.pop()) {
                return Err(GpuError::Shader(e.to_string()));
            }
            self.propagate[k] = Some(p);
        }
        Ok(())
    }

    /// Builds the replay pipeline if it is not built yet.
    pub fn ensure_replay(&mut self, device: &wgpu::Device) -> Result<(), GpuError> {
        if self.replay.is_none() {
            let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
            let replay = compute_pipeline(
                device,
                &self.pipeline_layout,
                &self.module,
                REPLAY,
                ALL_KINDS,
            );
            if let Some(e) = pollster::block_on(scope.pop()) {
                return Err(GpuError::Shader(e.to_string()));
            }
            self.replay = Some(replay);
        }
        Ok(())
    }
}

/// `FLY_KIND` of the propagate pipeline for a batch whose threat classes have kinds `kinds`:
/// their kind when they share one, else `ALL_KINDS`.
pub fn fly_kind(kinds: &[u32]) -> u32 {
    match kinds.split_first() {
        Some((&first, rest)) if rest.iter().all(|&k| k == first) => first,
        _ => ALL_KINDS,
    }
}

/// Index into `Pipelines::propagate` of the pipeline of `kind` (`ALL_KINDS`: the last).
fn propagate_index(kind: u32) -> usize {
    if kind == ALL_KINDS {
        KINDS
    } else {
        kind as usize
    }
}

/// The compute pipeline of entry point `name` of the kernel module, with `FLY_KIND` set to
/// `kind` (`ALL_KINDS` for every entry point but the per-kind propagate pipelines).
fn compute_pipeline(
    device: &wgpu::Device,
    layout: &wgpu::PipelineLayout,
    module: &wgpu::ShaderModule,
    name: &str,
    kind: u32,
) -> wgpu::ComputePipeline {
    let constants = [("FLY_KIND", f64::from(kind))];
    device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(name),
        layout: Some(layout),
        module,
        entry_point: Some(name),
        compilation_options: wgpu::PipelineCompilationOptions {
            constants: &constants,
            ..Default::default()
        },
        cache: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kind_gets_its_pipeline_several_share_the_general_one() {
        assert_eq!(fly_kind(&[0, 0, 0]), 0);
        assert_eq!(fly_kind(&[2]), 2);
        assert_eq!(fly_kind(&[0, 1, 2]), ALL_KINDS);
        assert_eq!(fly_kind(&[1, 1, 0]), ALL_KINDS);
        assert_eq!(fly_kind(&[]), ALL_KINDS);
        assert_eq!(propagate_index(ALL_KINDS), KINDS);
    }
}
