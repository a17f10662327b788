// TEMPORARY micro benchmark (not to be kept).
use interceptmc::backend::gpu::shaders::kernel_source;
use interceptmc::backend::gpu::{run_compute_u32, test_context};
use std::time::Instant;

const EXTRA: &str = r#"
@group(1) @binding(0) var<storage, read> mb_in: array<u32>;
@group(1) @binding(1) var<storage, read_write> mb_out: array<u32>;
"#;

#[test]
fn microbench() {
    let Some(ctx) = test_context() else { return };
    let variants = [
        (
            "rk4",
            r#"
@compute @workgroup_size(64)
fn mb(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n = mb_in[0];
    let env = Env(true, true, 1.0, 0.5, 100.0, 7200.0);
    let aero = Aero(0.025, 0.0, vec3<f32>(6371.0, 0.0, 0.0), 0.0, 0.0, 0.0, 0.0);
    var s = State(vec3<f32>(6371.0 + 200.0 + f32(gid.x) * 1e-3, 0.0, 0.0), vec3<f32>(0.0, 6.0, 1.0));
    var t = 0.0;
    for (var i = 0u; i < n; i++) {
        let st = rk4_step(s, t, 1.0, aero, env);
        s = st.s;
        t += 1.0;
    }
    mb_out[gid.x] = bitcast<u32>(s.p.x);
}
"#,
        ),
        (
            "rk4_glide",
            r#"
@compute @workgroup_size(64)
fn mb(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n = mb_in[0];
    let env = Env(true, true, 1.0, 0.5, 100.0, 7200.0);
    let aero = Aero(0.025, 2.6, vec3<f32>(0.0, 6371.0, 0.0), 0.3, 0.1, 0.0, 100.0);
    var s = State(vec3<f32>(6371.0 + 40.0 + f32(gid.x) * 1e-3, 0.0, 0.0), vec3<f32>(0.0, 5.0, 0.0));
    var t = 0.0;
    for (var i = 0u; i < n; i++) {
        let st = rk4_step(s, t, 0.01, aero, env);
        s = st.s;
        t += 0.01;
    }
    mb_out[gid.x] = bitcast<u32>(s.p.x);
}
"#,
        ),
        (
            "fly",
            r#"
@compute @workgroup_size(64)
fn mb(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n = mb_in[0];
    let env = Env(true, true, 1.0, 0.5, 100.0, 7200.0);
    let launch = geo_dir(0.62, 0.9);
    let aim = geo_dir(0.87, 0.25 + f32(gid.x) * 1e-7);
    let heading = direction_to(launch, aim);
    let start_p = launch * (6371.0 + 80.0);
    var th: ThreatInit;
    th.kind = KIND_BALLISTIC;
    th.launch_time_s = 0.0;
    th.launch_dir = launch;
    th.boost_heading = heading;
    th.boost_time_s = 0.0;
    th.boost_range_km = 0.0;
    th.boost_altitude_km = 80.0;
    th.aero = Aero(0.025, 0.0, aim * 6371.0, 0.0, 0.0, 0.0, 0.0);
    var v = vec3<f32>(0.0);
    for (var i = 0u; i < n; i++) {
      v = aim_burnout(start_p, aim, true, 0.0, 0.0, true);
    }
    th.start = State(start_p, v);
    var f: Flight;
    if mb_in[1] != 0u {
    f = propagate(th, env, 0u);
    }
    mb_out[gid.x] = f.steps;
}
"#,
        ),
    ];
    for (name, body) in variants {
        // Replace binding group 0 names: bind our buffers at group 0 would clash; use a module
        // without kernel.wgsl entry points? kernel_source has bindings in group 0; run_compute_u32
        // uses group 0 bindings 0..n. So instead compose physics only.
        let src = format!(
            "{}\n{}\n{}\n{}\n{}",
            interceptmc::backend::gpu::shaders::TYPES_WGSL,
            interceptmc::backend::gpu::shaders::RNG_WGSL,
            interceptmc::backend::gpu::shaders::PHYSICS_WGSL,
            interceptmc::backend::gpu::shaders::OBSERVER_STUBS_WGSL.to_string() + "@group(0) @binding(0) var<storage, read> mb_in: array<u32>;\n@group(0) @binding(1) var<storage, read_write> mb_out: array<u32>;",
            body
        );
        let _ = (EXTRA, kernel_source);
        let n_inv = 16384usize;
        for steps in [1u32, 1000] {
            for flag in [0u32, 1] {
                let input: Vec<u8> = [steps, flag, 0, 0]
                    .iter()
                    .flat_map(|w: &u32| w.to_le_bytes())
                    .collect();
                let t = Instant::now();
                let out = run_compute_u32(&ctx, &src, "mb", &[&input], n_inv, (n_inv / 64) as u32)
                    .expect("run");

                let dt = t.elapsed().as_secs_f64();
                println!(
                    "{name} flag {flag}: {steps} steps x {n_inv}: {dt:.3} s ({:.3e} steps/s) {}",
                    (steps as f64 * n_inv as f64) / dt,
                    out[0]
                );
            }
        }
    }
}
