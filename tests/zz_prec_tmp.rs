// TEMPORARY precision probe
use interceptmc::backend::gpu::{run_compute_u32, test_context};
#[test]
fn prec() {
    let Some(ctx) = test_context() else { return };
    let src = r#"
@group(0) @binding(0) var<storage, read> inp: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if i >= arrayLength(&inp) / 2u { return; }
    let x = inp[2u * i];
    let y = inp[2u * i + 1u];
    out[8u * i + 0u] = sin(x);
    out[8u * i + 1u] = cos(x);
    out[8u * i + 2u] = exp(-abs(x) * 3.0);
    out[8u * i + 3u] = log(abs(x) + 1e-3);
    out[8u * i + 4u] = atan2(y, x);
    out[8u * i + 5u] = acos(clamp(x / 7.0, -1.0, 1.0));
    out[8u * i + 6u] = x / y;
    out[8u * i + 7u] = sqrt(abs(x));
}
"#;
    let n = 1 << 16;
    let mut inp = Vec::with_capacity(2 * n);
    let mut s = 12345u64;
    let mut r = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 40) as f64 / (1u64 << 24) as f64) as f32
    };
    for _ in 0..n {
        inp.push((r() - 0.5) * 14.0);
        inp.push((r() - 0.5) * 14.0);
    }
    let bytes: Vec<u8> = inp.iter().flat_map(|v| v.to_le_bytes()).collect();
    let out = run_compute_u32(&ctx, src, "main", &[&bytes], 8 * n, (n / 64) as u32).unwrap();
    let names = ["sin", "cos", "exp", "log", "atan2", "acos", "div", "sqrt"];
    for k in 0..8 {
        let mut worst_rel = 0f64;
        let mut worst_abs = 0f64;
        let mut worst_rs = 0f64;
        for i in 0..n {
            let (x, y) = (inp[2 * i] as f64, inp[2 * i + 1] as f64);
            let (xf, yf) = (inp[2 * i], inp[2 * i + 1]);
            let (exact, rs) = match k {
                0 => (x.sin(), xf.sin()),
                1 => (x.cos(), xf.cos()),
                2 => ((-x.abs() * 3.0).exp(), (-xf.abs() * 3.0).exp()),
                3 => ((x.abs() + 1e-3f32 as f64).ln(), (xf.abs() + 1e-3).ln()),
                4 => (y.atan2(x), yf.atan2(xf)),
                5 => (
                    (x / 7.0).clamp(-1.0, 1.0).acos(),
                    (xf / 7.0).clamp(-1.0, 1.0).acos(),
                ),
                6 => (x / y, xf / yf),
                _ => (x.abs().sqrt(), xf.abs().sqrt()),
            };
            let g = f32::from_bits(out[8 * i + k]) as f64;
            let a = (g - exact).abs();
            worst_abs = worst_abs.max(a);
            if exact.abs() > 1e-3 {
                worst_rel = worst_rel.max(a / exact.abs());
                worst_rs = worst_rs.max((rs as f64 - exact).abs() / exact.abs());
            }
        }
        println!("PREC {:6}: gpu max abs err {worst_abs:.3e}, max rel err {worst_rel:.3e} ({:.1} ulp); rust f32 max rel {worst_rs:.3e}", names[k], worst_rel / 5.96e-8);
    }
}
#[test]
fn prec_own() {
    let Some(ctx) = test_context() else { return };
    let src = format!(
        "{}\n{}\n{}\n{}",
        interceptmc::backend::gpu::shaders::TYPES_WGSL,
        interceptmc::backend::gpu::shaders::RNG_WGSL,
        interceptmc::backend::gpu::shaders::PHYSICS_WGSL,
        interceptmc::backend::gpu::shaders::OBSERVER_STUBS_WGSL
    ) + r#"
@group(0) @binding(0) var<storage, read> inp: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if i >= arrayLength(&inp) / 2u { return; }
    let x = inp[2u * i];
    let y = inp[2u * i + 1u];
    out[2u * i + 0u] = atan2_f32(y, x);
    out[2u * i + 1u] = acos_f32(clamp(x / 7.0, -1.0, 1.0));
}
"#;
    let n = 1 << 16;
    let mut inp = Vec::with_capacity(2 * n);
    let mut s = 12345u64;
    let mut r = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 40) as f64 / (1u64 << 24) as f64) as f32
    };
    for i in 0..n {
        if i % 7 == 0 {
            inp.push(0.0);
            inp.push((r() - 0.5) * 14.0);
        } else if i % 11 == 0 {
            inp.push((r() - 0.5) * 1e-4);
            inp.push((r() - 0.5) * 14.0);
        } else {
            inp.push((r() - 0.5) * 14.0);
            inp.push((r() - 0.5) * 14.0);
        }
    }
    let bytes: Vec<u8> = inp.iter().flat_map(|v| v.to_le_bytes()).collect();
    let out = run_compute_u32(&ctx, &src, "main", &[&bytes], 2 * n, (n / 64) as u32).unwrap();
    let mut wa = 0f64;
    let mut wr = 0f64;
    let mut wc = 0f64;
    for i in 0..n {
        let (xf, yf) = (inp[2 * i], inp[2 * i + 1]);
        let a = f32::from_bits(out[2 * i]);
        let c = f32::from_bits(out[2 * i + 1]);
        let ea = (yf as f64).atan2(xf as f64);
        wa = wa.max((a as f64 - ea).abs());
        if ea.abs() > 1e-6 {
            wr = wr.max((a as f64 - ea).abs() / ea.abs());
        }
        let xc = (xf / 7.0).clamp(-1.0, 1.0);
        wc = wc.max((c as f64 - (xc as f64).acos()).abs());
    }
    println!(
        "PREC own atan2: max abs {wa:.3e} rel {wr:.3e} ({:.1} ulp); acos max abs {wc:.3e}",
        wr / 5.96e-8
    );
}
