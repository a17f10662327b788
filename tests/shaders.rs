//! Every WGSL file parses and validates with naga, on its own terms and composed, without a GPU.
//! Also checks that the WGSL twins of the Rust RNG constants agree.

use interceptmc::backend::gpu::shaders::{self, KERNEL_FILES};
use naga::valid::{Capabilities, ValidationFlags, Validator};
use naga::{Expression, Literal, Module};

/// Parses and validates `source` with every validation flag and the capabilities of a device
/// opened without optional features; panics with naga's annotated diagnostics.
fn validate(name: &str, source: &str) -> Module {
    let module = naga::front::wgsl::parse_str(source)
        .unwrap_or_else(|e| panic!("{name}: WGSL parse error:\n{}", e.emit_to_string(source)));
    Validator::new(ValidationFlags::all(), Capabilities::default())
        .validate(&module)
        .unwrap_or_else(|e| {
            panic!(
                "{name}: naga validation error:\n{}",
                e.emit_to_string(source)
            )
        });
    module
}

/// A constant's value as u32 words (a scalar is one word, a vecN<u32> N words).
fn const_words(module: &Module, name: &str) -> Vec<u32> {
    fn words(module: &Module, h: naga::Handle<Expression>, out: &mut Vec<u32>) {
        match &module.global_expressions[h] {
            Expression::Literal(Literal::U32(v)) => out.push(*v),
            Expression::Compose { components, .. } => {
                for &c in components {
                    words(module, c, out);
                }
            }
            other => panic!("unexpected constant expression {other:?}"),
        }
    }
    let (_, c) = module
        .constants
        .iter()
        .find(|(_, c)| c.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no WGSL constant {name}"));
    let mut out = Vec::new();
    words(module, c.init, &mut out);
    out
}

#[test]
fn each_kernel_file_validates_after_the_files_before_it() {
    // A file may use what earlier files declare, so validate every prefix of the list.
    for k in 0..KERNEL_FILES.len() {
        let mut parts: Vec<&str> = KERNEL_FILES[..=k].iter().map(|(_, s)| *s).collect();
        // propagate (physics.wgsl) calls the observer hooks of kernel.wgsl.
        let names: Vec<&str> = KERNEL_FILES[..=k].iter().map(|(n, _)| *n).collect();
        if names.contains(&"physics.wgsl") && !names.contains(&"kernel.wgsl") {
            parts.push(shaders::OBSERVER_STUBS_WGSL);
        }
        validate(KERNEL_FILES[k].0, &shaders::compose(&parts));
    }
}

#[test]
fn standalone_files_validate() {
    validate("types.wgsl", shaders::TYPES_WGSL);
    validate("rng.wgsl", shaders::RNG_WGSL);
}

#[test]
fn composed_kernel_validates() {
    validate("kernel_source()", &shaders::kernel_source());
}

#[test]
fn rng_test_source_validates_and_has_its_entry_points() {
    let module = validate("rng_test_source()", &shaders::rng_test_source());
    let names: Vec<&str> = module
        .entry_points
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    for entry in ["trial_check", "pcg_check", "u01_check"] {
        assert!(names.contains(&entry), "missing entry point {entry}");
    }
}

#[test]
fn rng_constants_match_rust() {
    let module = validate("rng.wgsl", shaders::RNG_WGSL);
    let split = |x: u64| vec![x as u32, (x >> 32) as u32];
    assert_eq!(
        const_words(&module, "STREAM"),
        split(interceptmc::kernel::rng::STREAM)
    );
    assert_eq!(
        const_words(&module, "STRIDE"),
        split(interceptmc::base::limits::STRIDE)
    );
    assert_eq!(const_words(&module, "PCG_MULT"), split(6364136223846793005));
}

/// Every shared struct can be bound as it will be: run parameters and scenario tables as
/// uniforms (whose layout rules are stricter than storage's), per-trial records as storage
/// arrays. naga checks the address-space layout rules of every global it validates.
#[test]
fn shared_structs_fit_uniform_and_storage_rules() {
    let bindings = "
@group(0) @binding(0) var<uniform> u_params: RunParams;
@group(0) @binding(1) var<uniform> u_classes: array<ThreatClass, MAX_CLASSES>;
@group(0) @binding(2) var<uniform> u_sensors: array<Sensor, MAX_SENSORS>;
@group(0) @binding(3) var<uniform> u_interceptors: array<Interceptor, MAX_INTERCEPTORS>;
@group(0) @binding(4) var<uniform> u_batteries: array<Battery, MAX_BATTERIES>;
@group(0) @binding(5) var<storage, read_write> s_tracks: array<ThreatTrack>;
@group(0) @binding(6) var<storage, read_write> s_windows: array<Window>;
@group(0) @binding(7) var<storage, read_write> s_outcomes: array<ThreatOutcome>;
";
    validate(
        "types.wgsl + bindings",
        &shaders::compose(&[shaders::TYPES_WGSL, bindings]),
    );
}
