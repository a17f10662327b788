//! Layer 7, the engine's checks and instruments, each a library function the CLI calls:
//! [`verify`] (GPU against CPU on identical trials), [`validate`] (the engine against closed
//! forms and published references; the tests run the same cases), [`bench`] (throughput) and
//! [`trajectory`] (the f64 nominal trajectory of one threat class) and [`map`] (the layers of a
//! scenario's map and GeoJSON, with its nominal trajectories).

pub mod bench;
pub mod map;
pub mod trajectory;
pub mod validate;
pub mod verify;
