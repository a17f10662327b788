// TEMPORARY kernel benchmark (not to be kept).
use interceptmc::backend::gpu::{test_context, GpuBackend};
use interceptmc::batch::Batch;
use interceptmc::scenario::Scenario;
use std::time::Instant;

#[test]
fn kbench() {
    let Some(ctx) = test_context() else { return };
    let mut g = GpuBackend::from_context(ctx).unwrap();
    for f in std::env::var("KB_SCEN").unwrap().split(',') {
        let text = std::fs::read_to_string(f).unwrap();
        let b = Batch::new(&Scenario::from_toml_str(&text, f).unwrap());
        let n: u64 = std::env::var("KB_N")
            .map(|v| v.parse().unwrap())
            .unwrap_or(4000);
        g.run_detailed(&b, 0..64, false, false).unwrap();
        let mut best = f64::MAX;
        let mut steps = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let o = g.run_detailed(&b, 0..n, false, false).unwrap();
            best = best.min(t.elapsed().as_secs_f64());
            steps = o.output.tallies[2];
        }
        let cpu_t = Instant::now();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        pool.install(|| {
            use interceptmc::backend::Backend;
            interceptmc::backend::cpu::CpuBackend
                .run(&b, 0..n, false)
                .unwrap();
        });
        let cpu = cpu_t.elapsed().as_secs_f64();
        println!("KB {f}: {n} trials, {steps} steps: gpu best {best:.3} s ({:.0} trials/s), cpu 1 thread {cpu:.3} s", n as f64 / best);
    }
}
