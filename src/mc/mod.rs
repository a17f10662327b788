//! Layer 5, the Monte Carlo on top of a backend: the checks of a scenario's nominal flights
//! before any trial ([`preflight`]), the runner that drives batches of trials ([`runner`], with
//! adaptive stopping), the estimators and their intervals ([`stats`]) and the per-class summary
//! rows ([`summary`]).

pub mod preflight;
pub mod runner;
pub mod stats;
pub mod summary;
