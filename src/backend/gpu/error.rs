//! Why the GPU path failed, as variants a caller can tell apart: no adapter, a scenario or
//! chunk too large for the kernel or the device, the software adapter's loop limit, out of
//! memory, a lost device, a shader the driver rejected, and internal validation errors.

/// Why the GPU path failed.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    /// No adapter was found (none enumerated, none matching `WGPU_ADAPTER_NAME`, or, for
    /// `auto`, none that is a hardware GPU).
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// The adapter refused to open a device with the requested limits.
    #[error("could not open the GPU device: {0}")]
    RequestDevice(#[from] wgpu::RequestDeviceError),
    /// The shader failed to compile or the pipeline failed validation.
    #[error("shader or pipeline rejected: {0}")]
    Shader(String),
    /// The scenario or the chunk does not fit the kernel or the device: tables larger than the
    /// kernel's arrays, trial indices beyond a u32, a binding or dispatch over the device limits.
    #[error("too large for the GPU kernel or device: {0}")]
    TooLarge(String),
    /// A software adapter (lavapipe) would silently end a shader's loops before the work is done
    /// (Mesa's loop limit), so the results would be wrong; the run is refused instead.
    #[error(
        "{what} needs about {needed} loop iterations, and the software adapter {adapter:?} \
         (Mesa's lavapipe) silently ends every loop of a shader invocation after {limit}: the \
         results would be wrong. Use --backend cpu or a hardware GPU"
    )]
    LoopLimit {
        /// What needs the iterations (a trial range, a raid's allocation).
        what: String,
        needed: u64,
        limit: u64,
        adapter: String,
    },
    /// Allocating buffers failed for lack of device memory.
    #[error("GPU out of memory: {0}")]
    OutOfMemory(String),
    /// The device was lost (driver reset, removed, destroyed) during the run.
    #[error("GPU device lost: {0}")]
    DeviceLost(String),
    /// wgpu rejected a buffer, bind group or dispatch (a bug in the backend, not in the input).
    #[error("GPU validation error: {0}")]
    Validation(String),
    /// Waiting for the GPU or mapping a readback buffer failed.
    #[error("GPU readback: {0}")]
    Readback(String),
}
