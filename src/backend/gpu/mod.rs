//! The wgpu backend: device setup ([`context`]), the structs shared with WGSL ([`layout`]),
//! the embedded shader sources ([`shaders`]) and the chunked kernel runner
//! ([`kernel_backend`]).

pub mod context;
pub mod kernel_backend;
pub mod shaders;

pub use context::{
    list_adapters, run_compute_u32, test_context, AdapterReport, GpuContext, GpuError,
};
pub use kernel_backend::{GpuBackend, GpuRunOutput};

/// Opens the GPU backend on the adapter chosen by the environment (`WGPU_BACKEND`,
/// `WGPU_ADAPTER_NAME`, ...; see [`context`]) and compiles the kernel's pipelines.
pub fn open_backend() -> Result<GpuBackend, GpuError> {
    GpuBackend::new()
}
