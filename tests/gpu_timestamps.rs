//! Kernel time from timestamp queries (`backend::gpu::timer`): a GPU run on a device with
//! `TIMESTAMP_QUERY` reports the device time of its passes, more than zero and no more than
//! the run's wall time (which also holds the uploads, the readback and the host's work); the
//! CPU backend reports none; bench.csv carries it as `kernel_s`. lavapipe has timestamps, so
//! under `INTERCEPTMC_REQUIRE_GPU=1` on lavapipe the check cannot be skipped.

mod common;

use common::*;
use interceptmc::backend::cpu::CpuBackend;
use interceptmc::backend::gpu::{test_context, GpuBackend};
use interceptmc::backend::Backend;
use interceptmc::tools::bench::time_run;

#[test]
fn gpu_runs_report_kernel_time_within_their_wall_time() {
    let Some(ctx) = test_context() else { return };
    if ctx.info.driver == "llvmpipe" {
        assert!(ctx.timestamps, "lavapipe offers TIMESTAMP_QUERY");
    }
    if !ctx.timestamps {
        eprintln!(
            "no timestamp queries on {}: nothing to check",
            ctx.info.name
        );
        return;
    }
    let gpu = GpuBackend::from_context(ctx).expect("GPU backend");
    let text = std::fs::read_to_string(format!(
        "{}/scenarios/w-ballistic.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let b = batch(&text);
    // Two chunks, so that the kernel time is a sum over chunks too.
    let mut gpu = gpu.with_chunk_trials(1000);
    assert_eq!(gpu.last_kernel_s(), None, "before any run");
    let (_, wall) = time_run(&mut gpu, &b, 2000).unwrap();
    let kernel = gpu.last_kernel_s().expect("kernel time");
    assert!(
        kernel > 0.0 && kernel <= wall,
        "kernel {kernel} s, wall {wall} s"
    );
    let mut cpu = CpuBackend;
    time_run(&mut cpu, &b, 10).unwrap();
    assert_eq!(cpu.last_kernel_s(), None);
}
