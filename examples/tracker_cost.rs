//! How much of the GPU kernel's time the event tracker takes: runs a scenario on the GPU
//! backend with the kernel as shipped and with variants of shaders/engage.wgsl that switch
//! parts of the tracker off (the results of the variants are wrong on purpose; only their
//! kernel time, from timestamp queries, is of interest), and prints the best of two runs each.
//!
//! `cargo run --release --example tracker_cost -- scenarios/w-ballistic.toml 20000`
//! (results/bench/README.md has its figures on lavapipe).

use interceptmc::backend::gpu::{shaders::kernel_source, GpuBackend, GpuContext};
use interceptmc::backend::Backend;
use interceptmc::model::batch::Batch;
use interceptmc::scenario::Scenario;

/// The battery loop of `tracker_segment`, as shipped.
const BATTERY_LOOP: &str = "    for (var j = 0u; j < u_params.n_batteries; j++) {
        if tracker.battery[j].open || tracker.battery[j].count < MAX_WINDOWS {
            update_battery(j, a, b, t_alt);
        }
    }";

/// The same for the first two batteries with constant indices (no dynamic indexing of the
/// tracker's per-battery arrays after inlining).
const BATTERY_CONST: &str = "    if u_params.n_batteries > 0u && (tracker.battery[0].open || tracker.battery[0].count < MAX_WINDOWS) {
        update_battery(0u, a, b, t_alt);
    }
    if u_params.n_batteries > 1u && (tracker.battery[1].open || tracker.battery[1].count < MAX_WINDOWS) {
        update_battery(1u, a, b, t_alt);
    }";

/// The battery loop written out for the eight batteries `MAX_BATTERIES` allows.
fn unrolled_battery_loop() -> String {
    (0..8)
        .map(|j| {
            format!(
                "    if u_params.n_batteries > {j}u && (tracker.battery[{j}].open || tracker.battery[{j}].count < MAX_WINDOWS) {{\n        update_battery({j}u, a, b, t_alt);\n    }}\n"
            )
        })
        .collect()
}

const SEGMENT: &str = "fn tracker_segment(a: Sample, b: Sample) -> bool {";
const REFINE: &str = "fn refine_crossing(kind: u32, idx: u32, a: Sample, b: Sample, tx: f32, ty: f32, mx: f32, my: f32) -> f32 {";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, trials) = match args.as_slice() {
        [_, p, n] => (p.clone(), n.parse::<u64>().expect("trials")),
        _ => {
            eprintln!("usage: tracker_cost SCENARIO TRIALS");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(&path).expect("scenario file");
    let sc = Scenario::from_toml_str(&text, &path).expect("valid scenario");
    let batch = Batch::new(&sc);
    let base = kernel_source();
    let variants = [
        ("as shipped", base.clone()),
        (
            "no tracker",
            base.replace(
                SEGMENT,
                &format!("{SEGMENT}\n    if true {{ return true; }}"),
            ),
        ),
        ("no batteries", base.replace(BATTERY_LOOP, "")),
        (
            "no sensors",
            base.replace("    update_sensors(a, b);\n", ""),
        ),
        (
            "batteries 0, 1 by constant index, others skipped",
            base.replace(BATTERY_LOOP, BATTERY_CONST),
        ),
        (
            "every battery by constant index",
            base.replace(BATTERY_LOOP, &unrolled_battery_loop()),
        ),
        (
            "linear crossings (no refinement)",
            base.replace(
                REFINE,
                &format!("{REFINE}\n    if true {{ return crossing_time(tx, ty, mx, my); }}"),
            ),
        ),
    ];
    for (name, source) in variants {
        assert!(
            name == "as shipped" || source != base,
            "{name}: the shader did not change"
        );
        let ctx = GpuContext::new().expect("a GPU adapter");
        let mut gpu = GpuBackend::from_context_with_source(ctx, &source).expect("pipelines");
        gpu.run(&batch, 0..trials.min(1000), false)
            .expect("warm-up run");
        let mut best = f64::INFINITY;
        for _ in 0..2 {
            gpu.run(&batch, 0..trials, false).expect("run");
            best = best.min(gpu.last_kernel_s().expect("timestamp queries"));
        }
        println!("{name:>34}: kernel {best:.3} s for {trials} trials");
    }
}
