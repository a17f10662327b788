//! interceptmc: Monte Carlo estimates of the probability that a missile-defense layout
//! intercepts ballistic and hypersonic threats, on a GPU (wgpu/WGSL) or the CPU (rayon), from
//! the same random numbers.
//!
//! The pipeline: a TOML file is checked into a [`scenario::Scenario`]; it is compiled into a
//! [`model::batch::Batch`] of Pod tables; a [`backend`] runs the [`kernel`] (on the CPU, or its
//! WGSL twin in `shaders/` on a GPU) over ranges of trials and returns integer tallies; [`mc`]
//! turns tallies into probabilities with intervals; [`output`] writes them; [`tools`] checks
//! and measures the engine; [`cli`] is the command line.
//!
//! The modules are layers in dependency order: each imports only from those listed before it
//! (`tests/architecture.rs` enforces it). See CONTRIBUTING.md for the code map and
//! docs/model.md for the model, its equations and its sources.

/// Layer 4: the engines that run trials (rayon CPU, wgpu GPU) behind one trait.
pub mod backend;
/// Layer 0: limits, Earth constants, float type, vectors, frames; imports nothing of the crate.
pub mod base;
/// Layer 8: the command line, thin: parse, call, print, exit code.
pub mod cli;
/// Layer 3: the per-trial kernel on the CPU, the twin of `shaders/` file for file.
pub mod kernel;
/// Layer 5: the Monte Carlo runner, estimators, intervals and summary rows.
pub mod mc;
/// Layer 2: GPU-free data both kernels share: Pod structs, compiled batch, tally indices.
pub mod model;
/// Layer 6: files written by a run (CSV, manifest, tables), always atomically.
pub mod output;
/// Layer 1: the scenario file's schema and checks, and the embedded default.
pub mod scenario;
/// Layer 7: verify, validate, bench and trajectory.
pub mod tools;
