use super::{load_checked, Failure};
use crate::backend::cpu::CpuBackend;
use crate::backend::gpu::{run_compute_u32, shaders::rng_test_source, GpuBackend, GpuContext};
use crate::backend::BackendError;
use crate::model::batch::Batch;
use crate::tools::verify::{check_draws, compare_backends, render, Tolerances, VerifyReport};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// Scenario file (default: the embedded default scenario).
    scenario: Option<PathBuf>,
    /// Trials run on both backends.
    #[arg(long, default_value_t = 100_000)]
    samples: u64,
    /// Random seed; overrides [run] seed.
    #[arg(long)]
    seed: Option<u64>,
    /// A disagreement is a boundary case when a deciding time margin is within this, s.
    #[arg(long, default_value_t = 0.1)]
    time_tolerance_s: f32,
    /// ... or a kill/assessment draw is within this of its threshold.
    #[arg(long, default_value_t = 1e-4)]
    probability_tolerance: f32,
    /// ... or one backend engaged where the f64 trajectory is within this of an envelope edge, km.
    #[arg(long, default_value_t = 0.5)]
    depth_tolerance_km: f32,
    /// Override a scenario value, PATH=VALUE (repeatable; see `run --help`).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
}

pub fn run(a: VerifyArgs) -> Result<ExitCode> {
    if a.samples == 0 {
        return Err(Failure::BadInput("--samples: must be at least 1".into()).into());
    }
    let mut sc = load_checked(a.scenario.as_ref(), &a.set)?.scenario;
    if let Some(s) = a.seed {
        sc.run.seed = s;
    }
    let mut gpu = GpuBackend::new()
        .map_err(|e| Failure::Unavailable(format!("verify needs a GPU adapter: {e}")))?;
    let ctx = GpuContext::new()
        .map_err(|e| Failure::Unavailable(format!("verify needs a GPU adapter: {e}")))?;
    let batch = Batch::new(&sc);
    let tol = Tolerances {
        time_s: a.time_tolerance_s,
        probability: a.probability_tolerance,
        depth_km: a.depth_tolerance_km,
    };
    let source = rng_test_source();
    let mut report = VerifyReport::default();
    let (compared, mismatches) =
        check_draws(&batch, a.samples, |seed, trial_base, offset, n, draws| {
            let params: Vec<u32> = vec![
                n,
                draws,
                1,
                0,
                seed as u32,
                (seed >> 32) as u32,
                trial_base,
                offset,
            ];
            run_compute_u32(
                &ctx,
                &source,
                "trial_check",
                &[bytemuck::cast_slice(&params)],
                (n * draws) as usize,
                n.div_ceil(64),
            )
            .map_err(BackendError::from)
        })?;
    report.draws_compared = compared;
    report.draw_mismatches = mismatches;
    eprintln!(
        "verify: {} on {} ({} trials)",
        sc.name, ctx.info.name, a.samples
    );
    // A second GPU backend reads back the windows of disagreeing trials.
    let mut probe = GpuBackend::new().ok();
    let mut gpu_windows = |trial: u64| {
        probe
            .as_mut()
            .and_then(|g| g.run_detailed(&batch, trial..trial + 1, false, true).ok())
            .map(|o| o.windows)
    };
    compare_backends(
        &sc,
        &batch,
        &mut CpuBackend,
        &mut gpu,
        a.samples,
        tol,
        &mut report,
        &mut gpu_windows,
    )?;
    print!("{}", render(&report, tol));
    if report.pass() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Failure::CheckFailed(format!("verify failed on {}", sc.name)).into())
    }
}
