//! The defense: radar detection and tracking, interceptor envelopes and the windows of feasible
//! intercept times they give per battery (`windows`), and the allocation of engagements by the
//! doctrine across threats, batteries and layers (`doctrine`). Mirrored by shaders/engage.wgsl.

pub mod doctrine;
pub mod envelope;
pub mod intercept;
pub mod kill;
pub mod sensors;
pub mod windows;
