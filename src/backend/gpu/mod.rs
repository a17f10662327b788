//! The wgpu backend: device setup ([`context`]), the structs shared with WGSL ([`layout`]) and
//! the embedded shader sources ([`shaders`]).

pub mod context;
pub mod layout;
pub mod shaders;

pub use context::{
    list_adapters, run_compute_u32, test_context, AdapterReport, GpuContext, GpuError,
};

/// Placeholder until the GPU kernel lands: the GPU backend is not available yet.
pub fn open_backend() -> Result<crate::backend::cpu::CpuBackend, String> {
    Err("the GPU kernel is not built into this version yet".to_string())
}
