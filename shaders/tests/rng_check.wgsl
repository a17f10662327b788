// rng_check.wgsl: test entry points for tests/gpu_rng.rs, appended to types.wgsl + rng.wgsl by
// backend::gpu::shaders::rng_test_source(). Binding 0: read-only u32 input; binding 1: output.

@group(0) @binding(0) var<storage, read> params: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

// Trial blocks. params = [n_per_config, draws, n_configs, 0, then per config
// (seed_lo, seed_hi, trial_base, offset)]. Invocation g handles config g / n_per_config,
// trial trial_base + g % n_per_config (wrapping u32), and writes `draws` draws of
// trial_rng(seed, trial, offset) to out[g * draws ..].
@compute @workgroup_size(64)
fn trial_check(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n_per = params[0];
    let draws = params[1];
    let n_configs = params[2];
    let g = gid.x;
    if g >= n_per * n_configs {
        return;
    }
    let c = 4u + 4u * (g / n_per);
    let seed = vec2<u32>(params[c], params[c + 1u]);
    let trial = params[c + 2u] + g % n_per;
    var rng = trial_rng(seed, trial, params[c + 3u]);
    for (var k = 0u; k < draws; k++) {
        out[g * draws + k] = pcg_next(&rng);
    }
}

// Generators with any seed, stream and 64-bit jump. params = [n, draws, 0, 0, then per
// invocation (seed_lo, seed_hi, stream_lo, stream_hi, delta_lo, delta_hi)]. Writes `draws`
// draws of pcg_new(seed, stream) advanced by delta.
@compute @workgroup_size(64)
fn pcg_check(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n = params[0];
    let draws = params[1];
    let g = gid.x;
    if g >= n {
        return;
    }
    let c = 4u + 6u * g;
    var rng = pcg_new(vec2<u32>(params[c], params[c + 1u]), vec2<u32>(params[c + 2u], params[c + 3u]));
    pcg_advance(&rng, vec2<u32>(params[c + 4u], params[c + 5u]));
    for (var k = 0u; k < draws; k++) {
        out[g * draws + k] = pcg_next(&rng);
    }
}

// Integer-to-float conversions. params = [n, 0, 0, 0, x_0, x_1, ...]; writes the f32 bits of
// u01(x_i) and u01_open(x_i) to out[2i], out[2i + 1].
@compute @workgroup_size(64)
fn u01_check(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n = params[0];
    let g = gid.x;
    if g >= n {
        return;
    }
    let x = params[4u + g];
    out[2u * g] = bitcast<u32>(u01(x));
    out[2u * g + 1u] = bitcast<u32>(u01_open(x));
}
