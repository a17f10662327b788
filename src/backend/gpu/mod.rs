//! The wgpu backend, one concern per file:
//! [`context`] (instance, adapter choice, device, adapter report), [`error`] (typed failures),
//! [`shaders`] (the embedded WGSL, composed into one module), [`bindings`] (the named binding
//! table, twin of the shader's `@binding` globals), [`pipelines`] (the compute pipelines),
//! [`buffers`] (uniforms, chunk buffers, staging), [`readback`] (mapping and decoding),
//! [`lavapipe`] (the software adapter's loop limit), [`timer`] (device time of the passes from
//! timestamp queries), [`kernel_backend`] (the chunked runner behind the `Backend` trait) and
//! [`probe`] (one entry point over u32 data, for RNG checks).

pub mod bindings;
pub mod buffers;
pub mod context;
pub mod error;
pub mod kernel_backend;
pub mod lavapipe;
pub mod pipelines;
pub mod probe;
pub mod readback;
pub mod shaders;
pub mod timer;

pub use context::{list_adapters, test_context, AdapterKind, AdapterReport, GpuContext};
pub use error::GpuError;
pub use kernel_backend::{GpuBackend, GpuRunOutput};
pub use probe::run_compute_u32;
