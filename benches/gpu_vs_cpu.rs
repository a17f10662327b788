//! Criterion benches of the GPU backend against the CPU backend on the same workloads (the
//! default scenario and W-ballistic): `gpu/e2e` is wall time of `Backend::run`, which returns
//! after the readback, so uploads, every dispatch, device synchronisation and readback are
//! included (`iter_custom`); `cpu/rayon` is the CPU backend on the same trials. Throughput is
//! reported as trials/s and as trajectory steps/s (steps counted once from the tallies).
//!
//! Without a usable GPU backend the GPU benches are skipped with a printed line and only the
//! CPU ones run. On a software adapter (lavapipe) the ids say `gpu-cpu-adapter`.
//!
//! `cargo bench --bench gpu_vs_cpu -- --warm-up-time 1 --measurement-time 5`
//! Sizes: `INTERCEPTMC_BENCH_TRIALS` (CPU and GPU, default 2000) and
//! `INTERCEPTMC_BENCH_GPU_TRIALS` (GPU only, default 200000).

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::Backend;
use interceptmc::model::batch::Batch;
use interceptmc::model::tally;
use interceptmc::tools::bench::builtin_workloads;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .filter(|&n: &u64| n > 0)
        .unwrap_or(default)
}

fn steps_of(backend: &mut dyn Backend, batch: &Batch, trials: u64) -> u64 {
    backend
        .run(batch, 0..trials, false)
        .expect("backend runs")
        .tallies[tally::STEPS]
}

fn gpu_vs_cpu(c: &mut Criterion) {
    let small = env_u64("INTERCEPTMC_BENCH_TRIALS", 2_000);
    let large = env_u64("INTERCEPTMC_BENCH_GPU_TRIALS", 200_000);
    let mut gpu: Option<Box<dyn Backend>> = match interceptmc::backend::gpu::GpuBackend::new() {
        Ok(b) => Some(Box::new(b)),
        Err(e) => {
            println!("gpu_vs_cpu: no usable GPU backend ({e}); skipping the GPU benches");
            None
        }
    };
    let gpu_id = match gpu.as_ref().and_then(|g| g.adapter()) {
        Some(ad) => {
            println!(
                "gpu_vs_cpu: GPU adapter {} ({}, {} {}, {}){}",
                ad.name,
                ad.backend,
                ad.driver,
                ad.driver_info,
                ad.device_type,
                if ad.is_cpu {
                    ": a software adapter on the CPU, not a GPU"
                } else {
                    ""
                }
            );
            if ad.is_cpu {
                "gpu-cpu-adapter/e2e"
            } else {
                "gpu/e2e"
            }
        }
        None => "gpu/e2e",
    };
    let loads: Vec<_> = builtin_workloads()
        .expect("built-in bench scenarios parse")
        .into_iter()
        .filter(|w| w.name == "default" || w.name == "w-ballistic")
        .map(|w| (w.name.clone(), Batch::new(&w.scenario)))
        .collect();
    for (name, batch) in &loads {
        let mut cpu = CpuBackend;
        // Steps once, beforehand (also the warm-up: thread pool, pipeline compilation).
        let cpu_steps = steps_of(&mut cpu, batch, small);
        let gpu_steps: Vec<(u64, u64)> = match gpu.as_mut() {
            Some(g) => [small, large]
                .into_iter()
                .map(|n| (n, steps_of(g.as_mut(), batch, n)))
                .collect(),
            None => Vec::new(),
        };
        for (unit, per_steps) in [("trials", false), ("steps", true)] {
            let mut grp = c.benchmark_group(format!("gpu_vs_cpu/{name}/{unit}"));
            grp.sample_size(10).sampling_mode(SamplingMode::Flat);
            grp.throughput(Throughput::Elements(if per_steps {
                cpu_steps
            } else {
                small
            }));
            grp.bench_function(BenchmarkId::new("cpu/rayon", small), |b| {
                b.iter(|| black_box(cpu.run(batch, 0..small, false).expect("CPU backend runs")))
            });
            if let Some(g) = gpu.as_mut() {
                for &(n, steps) in &gpu_steps {
                    grp.throughput(Throughput::Elements(if per_steps { steps } else { n }));
                    grp.bench_function(BenchmarkId::new(gpu_id, n), |b| {
                        b.iter_custom(|iters| {
                            let mut total = Duration::ZERO;
                            for _ in 0..iters {
                                let start = Instant::now();
                                // Returns after the readback: device sync included.
                                let out = g.run(batch, 0..n, false).expect("GPU backend runs");
                                total += start.elapsed();
                                black_box(out);
                            }
                            total
                        })
                    });
                }
            }
            grp.finish();
        }
    }
}

criterion_group!(benches, gpu_vs_cpu);
criterion_main!(benches);
