//! The kernels' limits have one home, `src/base/limits.rs`: every constant there is either
//! listed in `limits::ALL` with the shader file of its WGSL twin, whose value naga reads here
//! (no GPU needed), or in `limits::HOST_ONLY` with the reason it has none. And scenario
//! validation enforces exactly those limits: one past each is refused, each itself accepted.

use std::collections::BTreeSet;

use interceptmc::backend::gpu::shaders::{kernel_source, KERNEL_FILES};
use interceptmc::base::limits::{self, ALL, HOST_ONLY};
use interceptmc::scenario::Scenario;
use naga::{Expression, Literal, Module};

const LIMITS_RS: &str = include_str!("../src/base/limits.rs");

/// The words of a constant: a u32 literal, or a vector of them (rng.wgsl's u64 as lo, hi).
fn words(module: &Module, h: naga::Handle<Expression>) -> Vec<u32> {
    match &module.global_expressions[h] {
        Expression::Literal(Literal::U32(v)) => vec![*v],
        Expression::Compose { components, .. } => {
            components.iter().flat_map(|&c| words(module, c)).collect()
        }
        Expression::Constant(c) => words(module, module.constants[*c].init),
        other => panic!("unexpected constant expression {other:?}"),
    }
}

fn value_of(module: &Module, name: &str) -> u64 {
    let (_, c) = module
        .constants
        .iter()
        .find(|(_, c)| c.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("the composed kernel has no constant {name}"));
    let w = words(module, c.init);
    match w.as_slice() {
        [v] => u64::from(*v),
        [lo, hi] => u64::from(*lo) | (u64::from(*hi) << 32),
        _ => panic!("{name}: {w:?} is not a u32 or a (lo, hi) pair"),
    }
}

#[test]
fn every_limit_equals_its_wgsl_twin() {
    let source = kernel_source();
    let module = naga::front::wgsl::parse_str(&source).expect("kernel parses");
    for &(name, value, file) in ALL {
        let (_, text) = KERNEL_FILES
            .iter()
            .find(|(f, _)| *f == file)
            .unwrap_or_else(|| panic!("{name}: no kernel file {file}"));
        assert!(
            text.contains(&format!("const {name}:")),
            "{name}: its twin is not declared in {file}"
        );
        assert_eq!(
            value_of(&module, name),
            value,
            "{name}: WGSL ({file}) and base/limits.rs differ"
        );
    }
}

#[test]
fn every_limit_is_listed_once() {
    let declared: BTreeSet<&str> = LIMITS_RS
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub const "))
        .map(|rest| rest.split(':').next().unwrap().trim())
        .collect();
    let listed: Vec<&str> = ALL
        .iter()
        .map(|(n, _, _)| *n)
        .chain(HOST_ONLY.iter().map(|(n, _)| *n))
        .collect();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "a limit is listed twice");
    assert_eq!(
        declared, unique,
        "list every pub const of base/limits.rs in ALL or HOST_ONLY"
    );
}

/// The draw budget as the limits module states it, computed here by hand from the block layout:
/// a slot of 512 draws whose first 32 sample the threat leaves 480 for engagements: each
/// battery's discrimination draw per decoy, then per decision the assessment, the warhead's
/// order, one draw per decoy (its kill) and one per shot.
#[test]
fn draw_budget_by_hand() {
    assert_eq!(limits::MAX_ENGAGEMENT_DRAWS, 512 - 32);
    assert_eq!(limits::decision_draws(3, 2), 2 + 3 + 2);
    // One discrimination draw per (battery, decoy), then the decisions.
    assert_eq!(limits::engagement_draws(8, 15, 2, 2), 8 * 2 + 8 * 15 * 6);
    assert!(limits::HEADER_DRAWS + limits::MAX_RAID as u64 * limits::SLOT_DRAWS <= limits::STRIDE);
}

fn base() -> String {
    "name = \"limits\"\n\
     [[threat]]\nname = \"t\"\nkind = \"ballistic\"\n\
     launch = { lat_deg = 35.0, lon_deg = 51.0 }\naim = { lat_deg = 40.0, lon_deg = 45.0 }\n\
     rcs_m2 = 0.1\nballistic_coefficient_kg_m2 = 5000.0\nboost_time_s = 60.0\nburnout_altitude_km = 60.0\n\
     [interceptor.i]\nmin_altitude_km = 10.0\nmax_altitude_km = 100.0\nmax_range_km = 100.0\n\
     flyout_speed_km_s = 2.0\nsspk = 0.5\ndivert_g = 10.0\n"
        .to_string()
}

fn batteries(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "[[battery]]\nname = \"b{i}\"\nsite = {{ lat_deg = 40.0, lon_deg = {} }}\n\
                 interceptor = \"i\"\ninventory = 10\nreaction_time_s = 10.0\n",
                45.0 + i as f64 * 0.1
            )
        })
        .collect()
}

fn check(text: &str) -> Result<Scenario, String> {
    Scenario::from_toml_str(text, "limits.toml").map_err(|e| e.to_string())
}

#[test]
fn validation_enforces_the_limits_module() {
    // Batteries: MAX_BATTERIES accepted (with 1 engagement), one more refused.
    let n = limits::MAX_BATTERIES;
    let ok = format!("{}{}", base(), batteries(n));
    check(&ok).expect("MAX_BATTERIES batteries are accepted");
    let err = check(&format!("{}{}", base(), batteries(n + 1))).unwrap_err();
    assert!(err.contains("battery"), "{err}");

    // Raid size: MAX_RAID accepted, one more refused.
    let raid = |k: usize| format!("{}{}[raid]\nsize = {k}\n", base(), batteries(1));
    check(&raid(limits::MAX_RAID)).expect("MAX_RAID accepted");
    assert!(check(&raid(limits::MAX_RAID + 1))
        .unwrap_err()
        .contains("raid"));

    // Engagements per battery: MAX_ENGAGEMENTS accepted with one battery, one more refused.
    let eng = |k: u32| {
        format!(
            "{}{}[doctrine]\nmax_engagements = {k}\n",
            base(),
            batteries(1)
        )
    };
    check(&eng(limits::MAX_ENGAGEMENTS)).expect("MAX_ENGAGEMENTS accepted");
    assert!(check(&eng(limits::MAX_ENGAGEMENTS + 1))
        .unwrap_err()
        .contains("max_engagements"));

    // The draw budget: the largest salvo that fits with 8 batteries x 15 engagements is
    // floor(480 / 120) - 2 = 2 (120 x 4 = 480); a salvo of 3 needs 600 draws and is refused.
    let salvo = |k: u32| {
        format!(
            "{}{}[doctrine]\nmode = \"salvo\"\nmax_engagements = 15\nsalvo_size = {k}\n",
            base(),
            batteries(8)
        )
    };
    check(&salvo(2)).expect("480 draws fit");
    let err = check(&salvo(3)).unwrap_err();
    assert!(err.contains("random-draw budget"), "{err}");
}
