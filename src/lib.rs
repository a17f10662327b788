//! interceptmc: Monte Carlo estimates of the probability that a missile-defense layout
//! intercepts ballistic and hypersonic threats, on a GPU (wgpu/WGSL) or the CPU (rayon), from
//! the same random numbers.
//!
//! Illustrative open-literature physics: a spherical Earth, point-mass threats, envelope-based
//! interceptors. See README.md for the model's assumptions and limits.

pub mod backend;
pub mod batch;
pub mod bench;
pub mod cli;
pub mod engage;
pub mod kernel;
pub mod output;
pub mod physics;
pub mod reference;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod validate;
pub mod verify;
