//! Layer 2, GPU-free data both kernels share: the `#[repr(C)]` Pod structs ([`types`], twin of
//! `shaders/types.wgsl`), the compiled form of a scenario that both backends run ([`batch`])
//! and the indices of the integer tallies ([`tally`]).

pub mod batch;
pub mod tally;
pub mod types;
