//! `src/model/types.rs` and `shaders/types.wgsl` describe the same memory: for every
//! struct, the same members in the same order at the same byte offsets, and the same size; for
//! every constant, the same value. naga computes the WGSL side; no GPU is needed.
//!
//! Adding a struct to types.rs: add its WGSL twin to types.wgsl and one `check!` line below
//! (the test fails until both exist). Adding a constant: add it to types.wgsl and to `consts!`.

use std::collections::BTreeSet;

use interceptmc::backend::gpu::shaders::TYPES_WGSL;
use interceptmc::model::types::{self, *};
use naga::{Expression, Literal, Module, TypeInner};

const LAYOUT_RS: &str = include_str!("../src/model/types.rs");

/// Rust member names that are reserved words in WGSL, and the name their twin uses there.
/// (Renaming the Rust field to the WGSL name makes its entry unnecessary.)
const WGSL_RENAMES: &[(&str, &str)] = &[];

/// One Rust struct: name, size, and (member, offset) sorted by offset.
struct RustStruct {
    name: &'static str,
    size: usize,
    members: Vec<(&'static str, usize)>,
}

/// `check!(Type: field, field, ...)`: the fields must be all of them (the destructuring
/// pattern has no `..`, so a missing field is a compile error).
macro_rules! check {
    ($t:ident : $($f:ident),* $(,)?) => {{
        let _all_fields_listed = |v: $t| {
            let $t { $($f: _),* } = v;
        };
        let mut members = vec![$((stringify!($f), core::mem::offset_of!($t, $f))),*];
        members.sort_by_key(|m| m.1);
        RustStruct { name: stringify!($t), size: core::mem::size_of::<$t>(), members }
    }};
}

/// `consts![NAME, ...]`: (name, value as f64) of types.rs constants.
macro_rules! consts {
    ($($c:ident),* $(,)?) => { vec![$((stringify!($c), types::$c as f64)),*] };
}

fn rust_structs() -> Vec<RustStruct> {
    vec![
        check!(RunParams:
            seed_lo, seed_hi, n_classes, n_sensors, n_batteries, n_interceptors, raid_size, flags,
            dt_s, dt_atmosphere_s, atmosphere_top_km, max_flight_s, mode, salvo_size,
            max_engagements, integrator, kill_assessment_s, kill_assessment_probability,
            system_reliability, track_reliability, launch_window_s, tolerance_km, _pad2, _pad3,
            class_cdf_lo, class_cdf_hi
        ),
        check!(ThreatClass:
            launch_dir, aim_dir, kind, traj_mode, decoys, _pad0, launch_time_lo_s,
            launch_time_hi_s, rcs_m2, ballistic_coefficient_kg_m2, boost_time_s,
            burnout_altitude_km, boost_range_km, loft_rad, fpa_rad, speed_km_s, azimuth_rad,
            speed_sigma_fraction, fpa_spread_rad, azimuth_sigma_rad, lift_to_drag,
            weave_bank_rad, weave_period_lo_s, weave_period_hi_s, dive_range_km, weave_g,
            discrimination_probability, decoy_strip_altitude_km, _pad1, _pad2
        ),
        check!(Sensor: site_km, up, boresight, max_range_km, reference_rcs_m2, track_delay_s, track_capacity),
        check!(Interceptor:
            min_altitude_km, max_altitude_km, max_range_km, flyout_speed_km_s, sspk, beta_a,
            beta_b, divert_g
        ),
        check!(Battery:
            site_km, site_dir, interceptor, inventory, sensor_mask, reaction_time_s,
            fire_channels, launch_interval_s, fire_control_mask, _pad0
        ),
        check!(ThreatTrack:
            class_id, flags, steps, evaluations, launch_time_s, track_time_s, impact_time_s, strip_time_s,
            impact_lat_deg, impact_lon_deg, dive_time_s, _pad2, detect_s, lost_s
        ),
        check!(Window: t_first_s, t_last_s, launch_first_s, launch_last_s, p_first_km, v_first_km_s, p_last_km, v_last_km_s),
        check!(ThreatOutcome:
            class_id, outcome, interceptors, decoy_interceptors, kill_time_s, kill_battery,
            kill_alt_km, last_engagement_s, battery_engagements, window_mask, leak_reason,
            capacity_bound, battery_interceptors_lo, battery_interceptors_hi
        ),
    ]
}

fn rust_consts() -> Vec<(&'static str, f64)> {
    consts![
        KIND_BALLISTIC,
        KIND_GLIDE,
        KIND_CRUISE,
        TRAJ_MIN_ENERGY,
        TRAJ_LOFT,
        TRAJ_FIXED_ANGLE,
        TRAJ_FREE,
        MODE_SALVO,
        MODE_SHOOT_LOOK_SHOOT,
        INTEGRATOR_ADAPTIVE,
        INTEGRATOR_RK4,
        FLAG_ROTATION,
        FLAG_ATMOSPHERE,
        FLAG_CAPACITY,
        CAP_CHANNELS,
        CAP_INTERVAL,
        CAP_TRACK,
        CAP_FIRE_CONTROL,
        CAP_LIMITS,
        OUTCOME_KILLED,
        OUTCOME_LEAKED,
        OUTCOME_UNENGAGED,
        TRACK_IMPACTED,
        TRACK_FAILED,
        TRACK_SYSTEM_FAILED,
        NO_BATTERY,
        LEAK_NONE,
        LEAK_MISSED,
        LEAK_INVENTORY_OUT,
        LEAK_NO_TRACK,
        LEAK_NOT_IN_TIME,
        LEAK_NO_WINDOW,
        LEAK_CAPACITY,
    ]
}

fn types_module() -> Module {
    naga::front::wgsl::parse_str(TYPES_WGSL).unwrap_or_else(|e| {
        panic!(
            "types.wgsl does not parse:\n{}",
            e.emit_to_string(TYPES_WGSL)
        )
    })
}

/// Names declared at the top level of types.rs as `pub <keyword> NAME` (associated constants
/// inside `impl` blocks are indented and not shared with WGSL).
fn declared_in_layout_rs(keyword: &str) -> BTreeSet<String> {
    let prefix = format!("pub {keyword} ");
    LAYOUT_RS
        .lines()
        .filter_map(|l| l.strip_prefix(prefix.as_str()))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

fn wgsl_name(rust: &str) -> &str {
    WGSL_RENAMES
        .iter()
        .find(|(r, _)| *r == rust)
        .map_or(rust, |(_, w)| w)
}

#[test]
fn every_layout_struct_is_checked() {
    let checked: BTreeSet<String> = rust_structs().iter().map(|s| s.name.to_string()).collect();
    assert_eq!(
        declared_in_layout_rs("struct"),
        checked,
        "add a check! line in tests/types.rs for each struct of types.rs"
    );
    let wgsl: BTreeSet<String> = types_module()
        .types
        .iter()
        .filter(|(_, t)| matches!(t.inner, TypeInner::Struct { .. }))
        .filter_map(|(_, t)| t.name.clone())
        .collect();
    assert_eq!(
        wgsl, checked,
        "types.wgsl must declare exactly the structs of types.rs"
    );
}

#[test]
fn struct_sizes_and_offsets_match_wgsl() {
    let module = types_module();
    let mut compared = 0;
    for rs in rust_structs() {
        let ty = module
            .types
            .iter()
            .find(|(_, t)| t.name.as_deref() == Some(rs.name))
            .unwrap_or_else(|| panic!("types.wgsl has no struct {}", rs.name))
            .1;
        let TypeInner::Struct { members, span } = &ty.inner else {
            panic!("{} is not a struct in types.wgsl", rs.name)
        };
        let wgsl: Vec<(&str, usize)> = members
            .iter()
            .map(|m| (m.name.as_deref().unwrap_or("?"), m.offset as usize))
            .collect();
        let rust: Vec<(&str, usize)> = rs
            .members
            .iter()
            .map(|&(n, off)| (wgsl_name(n), off))
            .collect();
        assert_eq!(
            rust, wgsl,
            "{}: members (name, offset) differ between types.rs and types.wgsl",
            rs.name
        );
        assert_eq!(
            rs.size, *span as usize,
            "{}: size {} in types.rs, {} in types.wgsl",
            rs.name, rs.size, span
        );
        assert_eq!(rs.size % 16, 0, "{}: size not a multiple of 16", rs.name);
        compared += 1;
    }
    assert!(compared > 0);
}

#[test]
fn constants_match_wgsl() {
    let module = types_module();
    let listed = rust_consts();
    let listed_names: BTreeSet<String> = listed.iter().map(|c| c.0.to_string()).collect();
    assert_eq!(
        declared_in_layout_rs("const"),
        listed_names,
        "add each types.rs constant to consts! in tests/types.rs"
    );
    for (name, value) in listed {
        let (_, c) = module
            .constants
            .iter()
            .find(|(_, c)| c.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("types.wgsl has no constant {name}"));
        let wgsl = match module.global_expressions[c.init] {
            Expression::Literal(Literal::U32(v)) => v as f64,
            Expression::Literal(Literal::I32(v)) => v as f64,
            Expression::Literal(Literal::F32(v)) => v as f64,
            ref other => panic!("{name}: unexpected WGSL constant {other:?}"),
        };
        assert_eq!(
            wgsl, value,
            "{name}: {wgsl} in types.wgsl, {value} in types.rs"
        );
    }
}
