//! Every `const` of the WGSL kernel (physics.wgsl, engage.wgsl, kernel.wgsl) has the value of
//! its Rust twin, or is listed as having none. naga evaluates the WGSL side; no GPU is needed.
//! (types.wgsl's constants are checked by tests/layout.rs, rng.wgsl's by tests/shaders.rs, the
//! limits of base/limits.rs, wherever their twins are, by tests/limits.rs.)
//!
//! Adding a WGSL constant: add it to `twins()` with its Rust value, or to `NO_TWIN` with why.

use std::collections::BTreeMap;

use interceptmc::backend::gpu::kernel_backend::WORKGROUP_SIZE;
use interceptmc::backend::gpu::shaders::{kernel_source, RNG_WGSL, TYPES_WGSL};
use interceptmc::base::constants as k;
use interceptmc::base::limits;
use interceptmc::kernel;
use interceptmc::kernel::engage::{intercept, kill, windows};
use interceptmc::kernel::physics::dynamics as dp;
use interceptmc::kernel::physics::{glide, propagate, state};
use interceptmc::model::tally;
use naga::{Expression, Literal, Module};

/// WGSL constants without a Rust constant, and why.
const NO_TWIN: &[(&str, &str)] = &[
    (
        "DEG_PER_RAD",
        "f32::to_degrees's factor (std's PIS_IN_180), checked against 180/pi below",
    ),
    (
        "OBSERVER_TRACKER",
        "selects the observer (the Rust Observer trait)",
    ),
    (
        "OBSERVER_STOP_AT",
        "selects the observer (the Rust Observer trait)",
    ),
    (
        "CHUNK_COUNTERS",
        "counters of the class ordering and the loop-limit check, GPU only",
    ),
    ("COUNTER_CLASSES", "index into chunk_counters, GPU only"),
    ("COUNTER_CURSORS", "index into chunk_counters, GPU only"),
    ("COUNTER_MAX_STEPS", "index into chunk_counters, GPU only"),
];

/// (WGSL name, Rust value as f64). f32 constants are compared after rounding the Rust f64
/// value to f32 (what `F::c` does).
fn twins() -> Vec<(&'static str, f64)> {
    let f = |x: f64| x as f32 as f64;
    vec![
        // base/constants.rs
        ("EARTH_RADIUS_KM", f(k::EARTH_RADIUS_KM)),
        ("MU_KM3_S2", f(k::MU_KM3_S2)),
        ("OMEGA_RAD_S", f(k::OMEGA_RAD_S)),
        ("RHO0_KG_M3", f(k::RHO0_KG_M3)),
        ("SCALE_HEIGHT_KM", f(k::SCALE_HEIGHT_KM)),
        ("INV_SCALE_HEIGHT_KM", f(1.0 / k::SCALE_HEIGHT_KM)),
        ("G0_KM_S2", f(k::G0_KM_S2)),
        ("ATMOSPHERE_TOP_KM", f(k::ATMOSPHERE_TOP_KM)),
        ("TAU_F32", f(std::f64::consts::TAU)),
        // kernel/physics/glide.rs
        ("BANK_GAIN", f(glide::BANK_GAIN)),
        ("MAX_BANK_RAD", f(glide::MAX_BANK_RAD)),
        (
            "GLIDE_END_SPEED_FRACTION",
            f(glide::GLIDE_END_SPEED_FRACTION),
        ),
        (
            "GLIDE_END_SPEED_FRACTION_SQ",
            f(glide::GLIDE_END_SPEED_FRACTION * glide::GLIDE_END_SPEED_FRACTION),
        ),
        ("DIVE_GAIN", f(glide::DIVE_GAIN)),
        ("DIVE_LIFT_FACTOR", f(glide::DIVE_LIFT_FACTOR)),
        // kernel/physics/propagate.rs
        ("PHASE_BOOST", propagate::PHASE_BOOST as f64),
        ("PHASE_MIDCOURSE", propagate::PHASE_MIDCOURSE as f64),
        ("PHASE_REENTRY", propagate::PHASE_REENTRY as f64),
        ("PHASE_GLIDE", propagate::PHASE_GLIDE as f64),
        ("PHASE_CRUISE", propagate::PHASE_CRUISE as f64),
        ("PHASE_DIVE", propagate::PHASE_DIVE as f64),
        ("PHASE_IMPACT", propagate::PHASE_IMPACT as f64),
        // kernel/engage/kill.rs
        ("GAMMA_DRAWS", kill::GAMMA_DRAWS as f64),
        ("GAMMA_ATTEMPTS", kill::GAMMA_ATTEMPTS as f64),
        // kernel/engage/intercept.rs
        ("SCAN_POINTS", intercept::SCAN_POINTS as f64),
        ("BISECTIONS", intercept::BISECTIONS as f64),
        // kernel.rs
        ("DRAW_CLASS", kernel::DRAW_CLASS as f64),
        ("DRAW_LAUNCH_TIME", kernel::DRAW_LAUNCH_TIME as f64),
        ("DRAW_RAID_TIME", kernel::DRAW_RAID_TIME as f64),
        (
            "DRAW_TRACK_RELIABILITY",
            kernel::DRAW_TRACK_RELIABILITY as f64,
        ),
        ("DRAW_LAUNCH_DISC", kernel::DRAW_LAUNCH_DISC as f64),
        ("DRAW_AIM", kernel::DRAW_AIM as f64),
        ("DRAW_BURNOUT", kernel::DRAW_BURNOUT as f64),
        ("DRAW_FPA", kernel::DRAW_FPA as f64),
        ("DRAW_WEAVE_PHASE", kernel::DRAW_WEAVE_PHASE as f64),
        ("DRAW_WEAVE_PERIOD", kernel::DRAW_WEAVE_PERIOD as f64),
        ("TALLY_TRIALS", tally::TRIALS as f64),
        ("TALLY_ZERO_LEAKER_TRIALS", tally::ZERO_LEAKER_TRIALS as f64),
        ("TALLY_STEPS", tally::STEPS as f64),
        ("TALLY_INTERCEPTORS", tally::INTERCEPTORS as f64),
        ("TALLY_DECOY_INTERCEPTORS", tally::DECOY_INTERCEPTORS as f64),
        ("TALLY_LEAKERS", tally::LEAKERS as f64),
        ("TALLY_INTERCEPTORS_SQ", tally::INTERCEPTORS_SQ as f64),
        ("TALLY_LEAKERS_SQ", tally::LEAKERS_SQ as f64),
        ("TALLY_CLASS_BASE", tally::CLASS_BASE as f64),
        ("TALLY_PER_CLASS", tally::PER_CLASS as f64),
        ("TALLY_C_THREATS", tally::C_THREATS as f64),
        ("TALLY_C_KILLED", tally::C_KILLED as f64),
        ("TALLY_C_ENGAGED", tally::C_ENGAGED as f64),
        ("TALLY_C_INTERCEPTORS", tally::C_INTERCEPTORS as f64),
        (
            "TALLY_C_DECOY_INTERCEPTORS",
            tally::C_DECOY_INTERCEPTORS as f64,
        ),
        ("TALLY_C_TRIALS_WITH", tally::C_TRIALS_WITH as f64),
        (
            "TALLY_C_ZERO_LEAK_TRIALS_WITH",
            tally::C_ZERO_LEAK_TRIALS_WITH as f64,
        ),
        ("TALLY_C_STEPS", tally::C_STEPS as f64),
        ("TALLY_C_KILLED_SQ", tally::C_KILLED_SQ as f64),
        ("TALLY_C_KILLED_THREATS", tally::C_KILLED_THREATS as f64),
        ("TALLY_C_THREATS_SQ", tally::C_THREATS_SQ as f64),
        ("TALLY_LEAKER_HIST", tally::LEAKER_HIST as f64),
        ("TALLY_INTERCEPTOR_HIST", tally::INTERCEPTOR_HIST as f64),
        ("TALLY_KILLED_SQ", tally::KILLED_SQ as f64),
        ("TALLY_KILLED_THREATS", tally::KILLED_THREATS as f64),
        ("TALLY_THREATS_SQ", tally::THREATS_SQ as f64),
        ("TALLY_UNLANDED", tally::UNLANDED as f64),
        ("TALLY_NONFINITE", tally::NONFINITE as f64),
        ("TALLY_EVALUATIONS", tally::EVALUATIONS as f64),
        ("TALLY_BATTERY_BASE", tally::BATTERY_BASE as f64),
        ("TALLY_PER_BATTERY", tally::PER_BATTERY as f64),
        ("TALLY_B_ENGAGEMENTS", tally::B_ENGAGEMENTS as f64),
        ("TALLY_B_INTERCEPTORS", tally::B_INTERCEPTORS as f64),
        ("TALLY_B_KILLS", tally::B_KILLS as f64),
        ("TALLY_B_WINDOW", tally::B_WINDOW as f64),
        ("TALLY_B_FIRED", tally::B_FIRED as f64),
        ("TALLY_B_WINDOW_SQ", tally::B_WINDOW_SQ as f64),
        ("TALLY_B_WINDOW_THREATS", tally::B_WINDOW_THREATS as f64),
        ("TALLY_B_FIRED_SQ", tally::B_FIRED_SQ as f64),
        ("TALLY_B_FIRED_THREATS", tally::B_FIRED_THREATS as f64),
        ("TALLY_BATTERY_ALL_BASE", tally::BATTERY_ALL_BASE as f64),
        ("TALLY_PER_BATTERY_ALL", tally::PER_BATTERY_ALL as f64),
        ("TALLY_BA_WINDOW_SQ", tally::BA_WINDOW_SQ as f64),
        ("TALLY_BA_WINDOW_THREATS", tally::BA_WINDOW_THREATS as f64),
        ("TALLY_BA_FIRED_SQ", tally::BA_FIRED_SQ as f64),
        ("TALLY_BA_FIRED_THREATS", tally::BA_FIRED_THREATS as f64),
        ("TALLY_CAPACITY", tally::CAPACITY as f64),
        ("TALLY_PER_CLASS_CAPACITY", tally::PER_CLASS_CAPACITY as f64),
        ("TALLY_COUNT", tally::COUNT as f64),
        // kernel/physics/dynamics.rs: the Dormand-Prince tableau and the step controller
        ("DP_C2", dp::DP_C[0] as f32 as f64),
        ("DP_C3", dp::DP_C[1] as f32 as f64),
        ("DP_C4", dp::DP_C[2] as f32 as f64),
        ("DP_C5", dp::DP_C[3] as f32 as f64),
        ("DP_C6", dp::DP_C[4] as f32 as f64),
        ("DP_A21", dp::DP_A2[0] as f32 as f64),
        ("DP_A31", dp::DP_A3[0] as f32 as f64),
        ("DP_A32", dp::DP_A3[1] as f32 as f64),
        ("DP_A41", dp::DP_A4[0] as f32 as f64),
        ("DP_A42", dp::DP_A4[1] as f32 as f64),
        ("DP_A43", dp::DP_A4[2] as f32 as f64),
        ("DP_A51", dp::DP_A5[0] as f32 as f64),
        ("DP_A52", dp::DP_A5[1] as f32 as f64),
        ("DP_A53", dp::DP_A5[2] as f32 as f64),
        ("DP_A54", dp::DP_A5[3] as f32 as f64),
        ("DP_A61", dp::DP_A6[0] as f32 as f64),
        ("DP_A62", dp::DP_A6[1] as f32 as f64),
        ("DP_A63", dp::DP_A6[2] as f32 as f64),
        ("DP_A64", dp::DP_A6[3] as f32 as f64),
        ("DP_A65", dp::DP_A6[4] as f32 as f64),
        ("DP_A71", dp::DP_A7[0] as f32 as f64),
        ("DP_A72", dp::DP_A7[1] as f32 as f64),
        ("DP_A73", dp::DP_A7[2] as f32 as f64),
        ("DP_A74", dp::DP_A7[3] as f32 as f64),
        ("DP_A75", dp::DP_A7[4] as f32 as f64),
        ("DP_A76", dp::DP_A7[5] as f32 as f64),
        ("DP_E1", dp::DP_E[0] as f32 as f64),
        ("DP_E2", dp::DP_E[1] as f32 as f64),
        ("DP_E3", dp::DP_E[2] as f32 as f64),
        ("DP_E4", dp::DP_E[3] as f32 as f64),
        ("DP_E5", dp::DP_E[4] as f32 as f64),
        ("DP_E6", dp::DP_E[5] as f32 as f64),
        ("DP_E7", dp::DP_E[6] as f32 as f64),
        (
            "VELOCITY_ERROR_TIME_S",
            dp::VELOCITY_ERROR_TIME_S as f32 as f64,
        ),
        (
            "INTERPOLANT_TOLERANCE_FACTOR",
            dp::INTERPOLANT_TOLERANCE_FACTOR as f32 as f64,
        ),
        ("STEP_GROW16_ERR", dp::STEP_GROW16_ERR as f32 as f64),
        ("STEP_GROW8_ERR", dp::STEP_GROW8_ERR as f32 as f64),
        ("STEP_GROW4_ERR", dp::STEP_GROW4_ERR as f32 as f64),
        ("STEP_GROW2_ERR", dp::STEP_GROW2_ERR as f32 as f64),
        ("STEP_GROW_Q3_ERR", dp::STEP_GROW_Q3_ERR as f32 as f64),
        ("STEP_GROW_Q2_ERR", dp::STEP_GROW_Q2_ERR as f32 as f64),
        ("STEP_GROW_Q1_ERR", dp::STEP_GROW_Q1_ERR as f32 as f64),
        ("STEP_SHRINK_Q1_ERR", dp::STEP_SHRINK_Q1_ERR as f32 as f64),
        ("STEP_SHRINK_Q2_ERR", dp::STEP_SHRINK_Q2_ERR as f32 as f64),
        ("STEP_SHRINK2_ERR", dp::STEP_SHRINK2_ERR as f32 as f64),
        ("STEP_Q1", dp::STEP_Q1 as f32 as f64),
        ("STEP_Q2", dp::STEP_Q2 as f32 as f64),
        ("STEP_Q3", dp::STEP_Q3 as f32 as f64),
        ("STEP_INV_Q1", dp::STEP_INV_Q1 as f32 as f64),
        ("STEP_INV_Q2", dp::STEP_INV_Q2 as f32 as f64),
        ("BOOST_SAMPLE_S", propagate::BOOST_SAMPLE_S as f32 as f64),
        (
            "MAX_CRUISE_SAMPLE_S",
            propagate::MAX_CRUISE_SAMPLE_S as f32 as f64,
        ),
        ("GUIDANCE_BY_RANGE", state::GUIDANCE_BY_RANGE as f64),
        ("GUIDANCE_GLIDE", state::GUIDANCE_GLIDE as f64),
        ("GUIDANCE_DIVE", state::GUIDANCE_DIVE as f64),
        (
            "CRUISE_SAMPLES_PER_WEAVE",
            propagate::CRUISE_SAMPLES_PER_WEAVE as f32 as f64,
        ),
        (
            "DIVE_BLIND_RANGE_KM",
            glide::DIVE_BLIND_RANGE_KM as f32 as f64,
        ),
        ("REVERSAL_BAND_RAD", glide::REVERSAL_BAND_RAD as f32 as f64),
        ("COS_MAX_BANK", glide::COS_MAX_BANK as f32 as f64),
        ("SIN_MAX_BANK", glide::SIN_MAX_BANK as f32 as f64),
        ("TAN_HALF_MAX_BANK", glide::TAN_HALF_MAX_BANK as f32 as f64),
        ("TAN_HALF_BAND", glide::TAN_HALF_BAND as f32 as f64),
        ("COS_BAND", glide::COS_BAND as f32 as f64),
        // base/limits.rs (f32, so not in limits::ALL)
        ("MIN_ADAPTIVE_STEP_S", limits::MIN_ADAPTIVE_STEP_S as f64),
        ("MAX_ADAPTIVE_STEP_S", limits::MAX_ADAPTIVE_STEP_S as f64),
        // kernel/engage/windows.rs
        ("EVENT_SENSOR", windows::EVENT_SENSOR as f64),
        ("EVENT_FLOOR", windows::EVENT_FLOOR as f64),
        ("EVENT_CEILING", windows::EVENT_CEILING as f64),
        ("EVENT_RANGE", windows::EVENT_RANGE as f64),
        ("EVENT_LAUNCH", windows::EVENT_LAUNCH as f64),
        ("EVENT_STRIP", windows::EVENT_STRIP as f64),
        // kernel/engage/doctrine.rs (CapacityState::channel_free_s)
        (
            "MAX_CHANNEL_SLOTS",
            (limits::MAX_BATTERIES * limits::MAX_FIRE_CHANNELS as usize) as f64,
        ),
        // backend/gpu/kernel_backend.rs (WORKGROUP_SIZE)
        ("WORKGROUP_SIZE", WORKGROUP_SIZE as f64),
        // backend/gpu/pipelines.rs (the FLY_KIND of a pipeline that flies every kind)
        (
            "ALL_KINDS",
            interceptmc::backend::gpu::pipelines::ALL_KINDS as f64,
        ),
    ]
}

fn parse(name: &str, source: &str) -> Module {
    naga::front::wgsl::parse_str(source)
        .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)))
}

/// Named scalar constants of a module and their values (vector constants are skipped).
fn scalar_constants(module: &Module) -> BTreeMap<String, Option<f64>> {
    module
        .constants
        .iter()
        .filter_map(|(_, c)| {
            let value = match module.global_expressions[c.init] {
                Expression::Literal(Literal::U32(v)) => Some(v as f64),
                Expression::Literal(Literal::I32(v)) => Some(v as f64),
                Expression::Literal(Literal::F32(v)) => Some(v as f64),
                _ => None,
            };
            c.name.clone().map(|n| (n, value))
        })
        .collect()
}

#[test]
fn every_kernel_constant_matches_its_rust_twin() {
    let kernel = scalar_constants(&parse("kernel_source()", &kernel_source()));
    let elsewhere: Vec<String> = scalar_constants(&parse("types.wgsl", TYPES_WGSL))
        .into_keys()
        .chain(
            parse("rng.wgsl", RNG_WGSL)
                .constants
                .iter()
                .filter_map(|(_, c)| c.name.clone()),
        )
        .collect();
    let twins: BTreeMap<&str, f64> = twins().into_iter().collect();
    let mut checked = 0;
    for (name, value) in &kernel {
        if elsewhere.contains(name) || limits::ALL.iter().any(|(n, _, _)| n == name) {
            continue;
        }
        if NO_TWIN.iter().any(|(n, _)| n == name) {
            continue;
        }
        let want = twins.get(name.as_str()).unwrap_or_else(|| {
            panic!("WGSL constant {name} has no Rust twin listed in tests/kernel_consts.rs")
        });
        let got = value.unwrap_or_else(|| panic!("{name}: not a scalar literal"));
        assert_eq!(got, *want, "{name}: {got} in WGSL, {want} in Rust");
        checked += 1;
    }
    for name in twins.keys() {
        assert!(kernel.contains_key(*name), "no WGSL constant {name}");
    }
    for (name, _) in NO_TWIN {
        assert!(kernel.contains_key(*name), "no WGSL constant {name}");
    }
    assert_eq!(checked, twins.len());
}

#[test]
fn degrees_factor_is_std_to_degrees() {
    let kernel = scalar_constants(&parse("kernel_source()", &kernel_source()));
    let factor = kernel["DEG_PER_RAD"].expect("scalar") as f32;
    for x in [0.1f32, 1.0, -2.5, 3.1415925] {
        assert_eq!(x * factor, x.to_degrees());
    }
    assert_eq!(factor, (180.0 / std::f64::consts::PI) as f32);
}

#[test]
fn chunk_counters_layout() {
    let kernel = scalar_constants(&parse("kernel_source()", &kernel_source()));
    let max_classes = limits::MAX_CLASSES as f64;
    assert_eq!(kernel["COUNTER_CLASSES"], Some(0.0));
    assert_eq!(kernel["COUNTER_CURSORS"], Some(max_classes));
    assert_eq!(kernel["COUNTER_MAX_STEPS"], Some(2.0 * max_classes));
    assert_eq!(
        kernel["CHUNK_COUNTERS"],
        Some(interceptmc::backend::gpu::buffers::CHUNK_COUNTERS as f64)
    );
    assert_eq!(
        interceptmc::backend::gpu::buffers::COUNTER_MAX_STEPS as f64,
        2.0 * max_classes
    );
}
