//! The validation cases of `interceptmc validate` (src/tools/validate), run as tests: one test
//! per group and backend, each asserting that every row passes. The cases and their closed
//! forms exist once, in src/tools/validate (the oracles in `oracles.rs`, coded from
//! docs/model.md sections 1-5 and 9-10); nothing here restates them.
//!
//! - Groups that compute on the host (`ballistic`, `horizon`, `glide`, `statistics`: the f64
//!   reference propagator, the f32 kernel code and the statistics code) run once.
//! - Groups that run Monte Carlo trials (`defense`, `numerics`) run on the CPU backend always,
//!   and on the GPU backend when an adapter opens (lavapipe included). Without one the GPU
//!   tests print `GPU tests skipped: no adapter` and pass, unless `INTERCEPTMC_REQUIRE_GPU=1`,
//!   when they fail.
//!
//! The full suite runs (not `--quick`): its Monte Carlo cases have the most trials. The whole
//! file costs about 150 s of CPU time on two cores with lavapipe, most of it the defense and
//! numerics groups on the GPU; the host groups (ballistic, horizon, glide, statistics) take
//! well under a second.

use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::gpu::{test_context, GpuBackend};
use interceptmc::tools::validate::report::render_text;
use interceptmc::tools::validate::{group, McBackend, Row, Status, SuiteOptions, GROUPS};

/// Where a group runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum On {
    /// The host groups, which take no backend.
    Host,
    Cpu,
    Gpu,
}

/// The backends of `on`, or `None` when the GPU is unavailable and not required (the notice is
/// printed by `test_context`).
fn backends(on: On) -> Option<Vec<McBackend>> {
    Some(match on {
        On::Host => Vec::new(),
        On::Cpu => vec![McBackend {
            label: "cpu".into(),
            backend: Ok(Box::new(CpuBackend)),
        }],
        On::Gpu => {
            let ctx = test_context()?;
            let gpu = GpuBackend::from_context(ctx).expect("GPU backend on an open adapter");
            vec![McBackend {
                label: "gpu".into(),
                backend: Ok(Box::new(gpu)),
            }]
        }
    })
}

/// Runs the group `name` on `on` with the full suite's options and asserts that every row
/// passes; the failing rows are printed as the validation table, with their notes.
fn check_group(name: &str, on: On) {
    let g = group(name).unwrap_or_else(|| panic!("no validation group {name}"));
    assert_eq!(
        g.per_backend,
        on != On::Host,
        "group {name}: runs per backend iff it is not a host group"
    );
    let Some(mut mc) = backends(on) else {
        return;
    };
    let rows = g.run(&SuiteOptions { quick: false }, &mut mc);
    assert!(!rows.is_empty(), "group {name} produced no rows");
    let label = match on {
        On::Host => None,
        On::Cpu => Some("cpu"),
        On::Gpu => Some("gpu"),
    };
    let failed: Vec<Row> = rows
        .iter()
        .filter(|r| r.status != Status::Pass)
        .cloned()
        .collect();
    if !failed.is_empty() {
        let notes: Vec<String> = failed
            .iter()
            .map(|r| {
                format!(
                    "- {} [{}] {:?}: {}; {}",
                    r.case, r.backend, r.status, r.criterion, r.note
                )
            })
            .collect();
        panic!(
            "{name} on {on:?}: {} of {} rows did not pass\n{}\n{}",
            failed.len(),
            rows.len(),
            render_text(&failed),
            notes.join("\n")
        );
    }
    for r in &rows {
        assert_eq!(r.group, name, "row {} in the wrong group", r.case);
        if let Some(label) = label {
            // Host rows (f64, f32) may sit in a per-backend group; Monte Carlo rows carry the
            // label of the backend they ran on.
            assert!(
                ["f64", "f32", "host", label].contains(&r.backend.as_str()),
                "row {} from backend {}",
                r.case,
                r.backend
            );
        }
    }
    println!("{name} on {on:?}: {} rows passed", rows.len());
}

/// One test per (group, where): `test_name: "group" on Where;`. Also lists the pairs, so that
/// [`every_group_is_tested`] can check that no group was left out.
macro_rules! validation_tests {
    ($($test:ident: $group:literal on $on:ident;)*) => {
        $(
            #[test]
            fn $test() {
                check_group($group, On::$on);
            }
        )*
        const TESTED: &[(&str, On)] = &[$(($group, On::$on)),*];
    };
}

validation_tests! {
    ballistic: "ballistic" on Host;
    horizon: "horizon" on Host;
    glide: "glide" on Host;
    statistics: "statistics" on Host;
    defense_cpu: "defense" on Cpu;
    defense_gpu: "defense" on Gpu;
    capacity_cpu: "capacity" on Cpu;
    capacity_gpu: "capacity" on Gpu;
    numerics_cpu: "numerics" on Cpu;
    numerics_gpu: "numerics" on Gpu;
}

/// Every group of the suite has its tests: host groups once, Monte Carlo groups on the CPU and
/// on the GPU.
#[test]
fn every_group_is_tested() {
    for g in &GROUPS {
        let want: &[On] = if g.per_backend {
            &[On::Cpu, On::Gpu]
        } else {
            &[On::Host]
        };
        for on in want {
            assert!(
                TESTED.contains(&(g.name, *on)),
                "group {} has no test on {on:?}",
                g.name
            );
        }
    }
    for (name, _) in TESTED {
        assert!(group(name).is_some(), "test of an unknown group {name}");
    }
}
