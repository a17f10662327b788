//! Layer 0, the foundation every other layer may use and that uses nothing of the crate: the
//! kernels' capacity limits ([`limits`]: what scenario validation enforces and both kernels
//! size their arrays by), Earth's constants, the float type the physics is generic over, 3-vectors
//! and the geodetic frames.
//!
//! The WGSL twins of [`constants`], [`frames`] and the vector helpers are in
//! `shaders/physics.wgsl`; of [`limits`] in `shaders/types.wgsl` and `shaders/rng.wgsl`
//! (checked by `tests/kernel_consts.rs`).

pub mod constants;
pub mod frames;
pub mod limits;
pub mod real;
pub mod vec3;

pub use real::Real;
pub use vec3::V3;
