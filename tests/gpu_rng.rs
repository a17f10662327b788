//! GPU parity of the RNG: `shaders/rng.wgsl` must reproduce `rand_pcg`'s `Pcg32` and
//! `interceptmc::kernel::rng` bit for bit. Runs on any adapter (lavapipe included); without one the
//! tests print `GPU tests skipped: no adapter` and pass, unless `INTERCEPTMC_REQUIRE_GPU=1`.
//! Also checks that `run_compute_u32` reports a bad shader as an error instead of panicking.

use std::time::Instant;

use interceptmc::backend::gpu::shaders::rng_test_source;
use interceptmc::backend::gpu::{run_compute_u32, test_context, GpuContext, GpuError};
use interceptmc::kernel::rng::{u01, u01_open, TrialRng, STREAM, STRIDE};
use rand_core::Rng;
use rand_pcg::Pcg32;

const WORKGROUP: u32 = 64;

fn as_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

fn workgroups(n: usize) -> u32 {
    (n as u32).div_ceil(WORKGROUP)
}

/// Compares GPU and CPU words; prints the first mismatches; returns their number.
fn count_mismatches(
    what: &str,
    gpu: &[u32],
    cpu: &[u32],
    describe: impl Fn(usize) -> String,
) -> usize {
    assert_eq!(gpu.len(), cpu.len());
    let mut bad = 0;
    for (i, (g, c)) in gpu.iter().zip(cpu).enumerate() {
        if g != c {
            if bad < 10 {
                eprintln!(
                    "{what}: word {i} ({}): gpu {g:#010x} cpu {c:#010x}",
                    describe(i)
                );
            }
            bad += 1;
        }
    }
    println!("{what}: {} words compared, {bad} mismatches", gpu.len());
    bad
}

fn ctx() -> Option<GpuContext> {
    let ctx = test_context()?;
    println!("adapter: {:?}", ctx.info);
    Some(ctx)
}

/// Trial blocks: 65,536 consecutive trials for each (seed, first trial, offset), 8 draws each,
/// from `trial_rng` on the GPU and `TrialRng::at` on the CPU.
#[test]
fn trial_blocks_match_rand_pcg() {
    let Some(ctx) = ctx() else { return };
    const N_PER: u32 = 65_536;
    const DRAWS: u32 = 8;
    let seeds = [0u64, 1, 0xdead_beef_cafe_f00d, u64::MAX];
    // 0 and near 2^32 - 1: the last trial of the second base is u32::MAX.
    let bases = [0u32, u32::MAX - (N_PER - 1)];
    let offsets = [0u32, 1, 65_537, (STRIDE - 1) as u32];
    let mut configs = Vec::new();
    for &seed in &seeds {
        for &base in &bases {
            for &offset in &offsets {
                configs.push((seed, base, offset));
            }
        }
    }
    let mut params = vec![N_PER, DRAWS, configs.len() as u32, 0];
    for &(seed, base, offset) in &configs {
        params.extend([seed as u32, (seed >> 32) as u32, base, offset]);
    }
    let n = N_PER as usize * configs.len();
    let t = Instant::now();
    let gpu = run_compute_u32(
        &ctx,
        &rng_test_source(),
        "trial_check",
        &[&as_bytes(&params)],
        n * DRAWS as usize,
        workgroups(n),
    )
    .expect("trial_check dispatch");
    println!("GPU: {n} trials in {:.2} s", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut cpu = Vec::with_capacity(n * DRAWS as usize);
    for &(seed, base, offset) in &configs {
        for j in 0..N_PER {
            let mut rng = TrialRng::at(seed, (base + j) as u64, offset as u64);
            cpu.extend((0..DRAWS).map(|_| rng.next_u32()));
        }
    }
    println!("CPU: {n} trials in {:.2} s", t.elapsed().as_secs_f64());
    // Anchor the CPU side to rand_pcg directly for one trial of each config.
    for &(seed, base, offset) in &configs {
        let mut pcg = Pcg32::new(seed, STREAM);
        pcg.advance(base as u64 * STRIDE + offset as u64);
        let mut rng = TrialRng::at(seed, base as u64, offset as u64);
        assert_eq!(pcg.next_u32(), rng.next_u32());
    }

    let per_config = (N_PER * DRAWS) as usize;
    let bad = count_mismatches("trial_check", &gpu, &cpu, |i| {
        let (seed, base, offset) = configs[i / per_config];
        let j = (i % per_config) / DRAWS as usize;
        format!(
            "seed {seed:#x} trial {} offset {offset} draw {}",
            base as u64 + j as u64,
            i % DRAWS as usize
        )
    });
    assert_eq!(bad, 0);
}

/// `pcg_new` with arbitrary seeds and streams (top stream bit set too) and `pcg_advance` by
/// arbitrary 64-bit jumps, 16 draws each, against `Pcg32::new` + `advance`.
#[test]
fn any_seed_stream_and_jump_match_rand_pcg() {
    let Some(ctx) = ctx() else { return };
    const N: usize = 8192;
    const DRAWS: usize = 16;
    let mut src = Pcg32::new(2024, 7);
    let mut cases = Vec::with_capacity(N);
    for i in 0..N {
        let seed = src.next_u64();
        let stream = src.next_u64();
        let delta = match i % 8 {
            0 => 0,
            1 => (i / 8) as u64,
            2 => 1u64 << (i % 64),
            3 => u64::MAX - (i as u64),
            4 => src.next_u64() >> 32,
            _ => src.next_u64(),
        };
        cases.push((seed, stream, delta));
    }
    let mut params = vec![N as u32, DRAWS as u32, 0, 0];
    for &(seed, stream, delta) in &cases {
        for x in [seed, stream, delta] {
            params.extend([x as u32, (x >> 32) as u32]);
        }
    }
    let gpu = run_compute_u32(
        &ctx,
        &rng_test_source(),
        "pcg_check",
        &[&as_bytes(&params)],
        N * DRAWS,
        workgroups(N),
    )
    .expect("pcg_check dispatch");
    let mut cpu = Vec::with_capacity(N * DRAWS);
    for &(seed, stream, delta) in &cases {
        let mut pcg = Pcg32::new(seed, stream);
        pcg.advance(delta);
        cpu.extend((0..DRAWS).map(|_| pcg.next_u32()));
    }
    let bad = count_mismatches("pcg_check", &gpu, &cpu, |i| {
        let (seed, stream, delta) = cases[i / DRAWS];
        format!("seed {seed:#x} stream {stream:#x} delta {delta:#x}")
    });
    assert_eq!(bad, 0);
}

/// `u01` / `u01_open` give the same f32 bits on both sides.
#[test]
fn float_conversions_match() {
    let Some(ctx) = ctx() else { return };
    let mut xs = vec![
        0u32,
        1,
        0xff,
        0x100,
        0x1ff,
        0x7fff_ffff,
        0x8000_0000,
        u32::MAX - 0xff,
    ];
    xs.push(u32::MAX);
    let mut src = Pcg32::new(99, 1);
    xs.extend((0..65_536).map(|_| src.next_u32()));
    let mut params = vec![xs.len() as u32, 0, 0, 0];
    params.extend(&xs);
    let gpu = run_compute_u32(
        &ctx,
        &rng_test_source(),
        "u01_check",
        &[&as_bytes(&params)],
        2 * xs.len(),
        workgroups(xs.len()),
    )
    .expect("u01_check dispatch");
    let cpu: Vec<u32> = xs
        .iter()
        .flat_map(|&x| [u01(x).to_bits(), u01_open(x).to_bits()])
        .collect();
    let bad = count_mismatches("u01_check", &gpu, &cpu, |i| format!("x {:#x}", xs[i / 2]));
    assert_eq!(bad, 0);
    assert_eq!(f32::from_bits(gpu[1]), 2f32.powi(-24));
    assert_eq!(f32::from_bits(gpu[2 * 8 + 1]), 1.0);
}

/// A shader that does not compile is a `GpuError::Shader`, not a panic.
#[test]
fn bad_shader_is_an_error() {
    let Some(ctx) = ctx() else { return };
    let src = "@compute @workgroup_size(1) fn main() { let x: u32 = undefined_thing; }";
    match run_compute_u32(&ctx, src, "main", &[], 1, 1) {
        Err(GpuError::Shader(msg)) => println!("rejected as expected: {msg}"),
        other => panic!("expected GpuError::Shader, got {other:?}"),
    }
    // A missing entry point is a pipeline error.
    let src = "@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n\
               @compute @workgroup_size(1) fn main() { out[0] = 7u; }";
    assert!(matches!(
        run_compute_u32(&ctx, src, "nope", &[], 1, 1),
        Err(GpuError::Shader(_))
    ));
    // The same shader with the right entry point works on the same device afterwards.
    assert_eq!(
        run_compute_u32(&ctx, src, "main", &[], 1, 1).unwrap(),
        vec![7]
    );
}

/// Too many workgroups is an error, not a panic.
#[test]
fn oversized_dispatch_is_an_error() {
    let Some(ctx) = ctx() else { return };
    let src = "@group(0) @binding(0) var<storage, read_write> out: array<u32>;\n\
               @compute @workgroup_size(1) fn main() { out[0] = 7u; }";
    let too_many = ctx
        .info
        .max_compute_workgroups_per_dimension
        .saturating_add(1);
    if too_many > ctx.info.max_compute_workgroups_per_dimension {
        assert!(matches!(
            run_compute_u32(&ctx, src, "main", &[], 1, too_many),
            Err(GpuError::TooLarge(_))
        ));
    }
}

/// The adapter list contains the adapter the context opened.
#[test]
fn list_adapters_includes_the_context_adapter() {
    let Some(ctx) = ctx() else { return };
    let list = interceptmc::backend::gpu::list_adapters();
    println!("{}", serde_json::to_string_pretty(&list).unwrap());
    assert!(list.iter().any(|a| a.name == ctx.info.name));
    assert!(ctx.info.max_storage_buffer_binding_size >= 128 << 20);
    assert_eq!(
        ctx.device.limits().max_storage_buffer_binding_size,
        ctx.info.max_storage_buffer_binding_size
    );
}
