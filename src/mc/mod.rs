//! Layer 5, the Monte Carlo on top of a backend: the checks of a scenario's nominal flights
//! before any trial ([`preflight`]), the runner that drives batches of trials ([`runner`], with
//! adaptive stopping), the estimators and their intervals ([`stats`]), the per-class summary
//! rows ([`summary`]), paired comparisons on common random numbers ([`paired`]) and the points
//! of a sweep, with shards ([`sweep`]).

pub mod battery;
pub mod inputs;
pub mod interrupt;
pub mod paired;
pub mod preflight;
pub mod runner;
pub mod stats;
pub mod summary;
pub mod sweep;
