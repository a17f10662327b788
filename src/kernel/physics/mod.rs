//! Physics of the threat trajectories, written once over a float type `F` so that the same code
//! is the f64 reference propagator (`trajectory`, tests, `verify`'s recomputation) and the f32
//! per-trial kernel that `shaders/physics.wgsl` mirrors function for function.
//!
//! Frame: Earth-centred, Earth-fixed (ECEF) in km, km/s; a rotating Earth adds the Coriolis and
//! centrifugal terms (so sites and aim points stay fixed and the air is at rest in it).

pub mod atmosphere;
pub mod ballistic;
pub mod cruise;
pub mod dynamics;
pub mod glide;
pub mod propagate;
pub mod state;
