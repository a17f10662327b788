//! Criterion benches of the CPU backend (rayon): trials/s and trajectory steps/s on a fixed
//! trial range of the default scenario and of the W-ballistic peer workload, each with the
//! adaptive integrator (the default) and with fixed RK4 steps (`-rk4`), so the two are compared
//! in one run.
//!
//! `cargo bench --bench cpu_backend -- --warm-up-time 1 --measurement-time 5`
//! (`-- --test` runs each bench once, as a smoke test).

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::Backend;
use interceptmc::model::batch::Batch;
use interceptmc::model::tally;
use interceptmc::scenario::Integrator;
use interceptmc::tools::bench::builtin_workloads;
use std::hint::black_box;

/// Trials per iteration (trial indices 0..TRIALS, the same every iteration).
const TRIALS: u64 = 2_000;

/// (name, batch, steps of one run of trials 0..TRIALS).
fn workloads() -> Vec<(String, Batch, u64)> {
    builtin_workloads()
        .expect("built-in bench scenarios parse")
        .into_iter()
        .filter(|w| w.name == "default" || w.name == "w-ballistic")
        .flat_map(|w| {
            let mut rk4 = w.scenario.clone();
            rk4.run.integrator = Integrator::Rk4;
            [
                (w.name.clone(), Batch::new(&w.scenario)),
                (format!("{}-rk4", w.name), Batch::new(&rk4)),
            ]
        })
        .map(|(name, batch)| {
            // Count the steps once, beforehand, from the tallies (also warms the thread pool).
            let steps = CpuBackend
                .run(&batch, 0..TRIALS, false)
                .expect("CPU backend runs")
                .tallies[tally::STEPS];
            (name, batch, steps)
        })
        .collect()
}

fn cpu_backend(c: &mut Criterion) {
    let loads = workloads();
    eprintln!(
        "cpu_backend: {TRIALS} trials per iteration, {} rayon threads",
        rayon::current_num_threads()
    );
    for (unit, per_steps) in [("trials", false), ("steps", true)] {
        let mut g = c.benchmark_group(format!("cpu_backend/{unit}"));
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
        for (name, batch, steps) in &loads {
            g.throughput(Throughput::Elements(if per_steps {
                *steps
            } else {
                TRIALS
            }));
            let mut cpu = CpuBackend;
            g.bench_function(BenchmarkId::new(name.as_str(), TRIALS), |b| {
                b.iter(|| black_box(cpu.run(batch, 0..TRIALS, false).expect("CPU backend runs")))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, cpu_backend);
criterion_main!(benches);
