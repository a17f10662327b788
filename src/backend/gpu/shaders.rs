//! WGSL sources, embedded at compile time and composed into one module.
//!
//! WGSL has no `#include`, so the kernel is the concatenation of the files in `shaders/`, in
//! dependency order: `types.wgsl` (twin of `src/model/types.rs`), `rng.wgsl` (twin of `src/kernel/rng.rs`),
//! `physics.wgsl`, `engage.wgsl`, `kernel.wgsl` (entry points). Each file may use what the files
//! before it declare, with one exception: `propagate` in physics.wgsl calls the observer hooks
//! that kernel.wgsl declares ([`OBSERVER_STUBS_WGSL`]). `tests/shaders.rs` validates every prefix
//! of this list with naga.

/// `shaders/types.wgsl`: the structs and constants of `src/model/types.rs` (and some limits).
pub const TYPES_WGSL: &str = include_str!("../../../shaders/types.wgsl");
/// `shaders/rng.wgsl`: Pcg32 and the per-trial block layout.
pub const RNG_WGSL: &str = include_str!("../../../shaders/rng.wgsl");
/// `shaders/physics.wgsl`: threat dynamics (twin of `src/kernel/physics/`).
pub const PHYSICS_WGSL: &str = include_str!("../../../shaders/physics.wgsl");
/// `shaders/engage.wgsl`: sensors, envelopes, doctrine (twin of `src/kernel/engage/`).
pub const ENGAGE_WGSL: &str = include_str!("../../../shaders/engage.wgsl");
/// `shaders/kernel.wgsl`: the compute entry points.
pub const KERNEL_WGSL: &str = include_str!("../../../shaders/kernel.wgsl");
/// `shaders/tests/rng_check.wgsl`: test entry points for the RNG parity test.
pub const RNG_CHECK_WGSL: &str = include_str!("../../../shaders/tests/rng_check.wgsl");

/// The kernel's files as `(path under shaders/, source)`, in composition order.
pub const KERNEL_FILES: [(&str, &str); 5] = [
    ("types.wgsl", TYPES_WGSL),
    ("rng.wgsl", RNG_WGSL),
    ("physics.wgsl", PHYSICS_WGSL),
    ("engage.wgsl", ENGAGE_WGSL),
    ("kernel.wgsl", KERNEL_WGSL),
];

/// Stand-ins for the observer hooks that `propagate` in `physics.wgsl` calls (the WGSL form of
/// the Rust `Observer` trait), which `kernel.wgsl` declares: `observe_start` and
/// `observe_segment`. WGSL declarations may come in any order, so the composed kernel needs no
/// stubs; only a prefix of [`KERNEL_FILES`] that holds physics.wgsl but not kernel.wgsl does, and
/// `tests/shaders.rs` appends these there.
pub const OBSERVER_STUBS_WGSL: &str = "
fn observe_start(obs: u32, s: Sample) {}
fn observe_segment(obs: u32, a: Sample, b: Sample) -> bool { return true; }
";

/// Concatenates WGSL sources in the given order, each ending in a newline, so a file may use
/// the declarations of the files before it.
pub fn compose(files: &[&str]) -> String {
    let mut out = String::with_capacity(files.iter().map(|f| f.len() + 1).sum());
    for f in files {
        out.push_str(f);
        if !f.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The full kernel module: types, rng, physics, engage, kernel.
pub fn kernel_source() -> String {
    compose(&KERNEL_FILES.map(|(_, src)| src))
}

/// The RNG test module: types, rng and the entry points of `shaders/tests/rng_check.wgsl`
/// (`trial_check`, `pcg_check`, `u01_check`).
pub fn rng_test_source() -> String {
    compose(&[TYPES_WGSL, RNG_WGSL, RNG_CHECK_WGSL])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_keeps_order_and_separates_lines() {
        assert_eq!(compose(&["a", "b\n", "c"]), "a\nb\nc\n");
        let k = kernel_source();
        let t = k.find("struct RunParams").unwrap();
        let r = k.find("fn pcg_next").unwrap();
        assert!(t < r);
    }
}
