//! `interceptmc validate`: runs the reference cases of `crate::tools::validate`, prints the table, writes
//! `validation.csv` and `validation.md` into `--out`, and exits 1 when a check fails.

use super::Failure;
use crate::backend::Backend;
use crate::backend::{open_for_comparison, BackendChoice};
use crate::tools::validate::report::{cores, cpu_model, render_text, write_report, Meta};
use crate::tools::validate::{run_suite, McBackend, Status, SuiteOptions};
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Run the quick subset (fewer Monte Carlo trials and replications: under a minute on two
    /// cores; what CI runs).
    #[arg(long)]
    pub quick: bool,
    /// Directory for validation.csv and validation.md (default: a new
    /// results/runs/validate-<run id>/; the committed report is `--out results`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Backends of the Monte Carlo cases: auto (the CPU, and a hardware GPU when there is one),
    /// cpu (the CPU only), or gpu (the CPU and the GPU on any adapter, a software one included;
    /// an error when there is none).
    #[arg(long, value_parser = super::backend_parser(), default_value = "auto")]
    pub backend: BackendChoice,
}

fn describe_adapter(b: &dyn Backend) -> Option<String> {
    b.adapter().map(|a| {
        format!(
            "{} ({}, {}, driver {} {})",
            a.name, a.backend, a.device_type, a.driver, a.driver_info
        )
    })
}

pub fn run(a: ValidateArgs) -> Result<ExitCode> {
    // By default a fresh run directory, so that a plain `validate` never rewrites the
    // committed report. An unwritable --out is bad input before any case runs (the report is
    // written at the end; an explicit --out such as `results` is shared with other results, so
    // files there are expected).
    let out = a.out.clone().unwrap_or_else(|| {
        crate::output::rundir::default_run_dir(std::path::Path::new("results"), "validate")
    });
    let claim = crate::output::rundir::claim_out_dir(&out, true, true)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let result = validate(&a, &out);
    if result.is_err() {
        claim.release();
    }
    result
}

fn validate(a: &ValidateArgs, out: &Path) -> Result<ExitCode> {
    let started = crate::output::time::now_rfc3339();
    let start = Instant::now();
    let mut backends: Vec<McBackend> = Vec::new();
    let mut gpu_note = "none requested (--backend cpu)".to_string();
    // The CPU backend is the reference and always runs; `gpu` adds the GPU on any adapter (a
    // software one included), `auto` a hardware GPU when there is one.
    let mut opened = open_for_comparison(a.backend).map_err(|e| {
        Failure::Unavailable(format!(
            "--backend gpu: no usable GPU adapter ({e}); use --backend cpu or auto"
        ))
    })?;
    if a.backend == BackendChoice::Gpu {
        opened.insert(0, Ok(Box::new(crate::backend::cpu::CpuBackend)));
    }
    let labels: &[&str] = match a.backend {
        BackendChoice::Cpu => &["cpu"],
        BackendChoice::Gpu | BackendChoice::Auto => &["cpu", "gpu"],
    };
    for (label, backend) in labels.iter().zip(opened) {
        if *label == "gpu" {
            match &backend {
                Ok(b) => {
                    gpu_note =
                        describe_adapter(b.as_ref()).unwrap_or_else(|| "unknown adapter".into())
                }
                Err(e) => {
                    eprintln!(
                        "note: auto: no hardware GPU ({e}); the Monte Carlo cases run on the CPU \
                         backend only and their GPU rows are marked skipped (a software adapter \
                         runs only with --backend gpu)"
                    );
                    gpu_note = format!("none: {e}");
                }
            }
        }
        backends.push(McBackend {
            label: label.to_string(),
            backend: backend.map_err(|e| format!("no hardware GPU: {e}")),
        });
    }
    let opts = SuiteOptions { quick: a.quick };
    let result = run_suite(&opts, &mut backends, |group, rows, wall_s| match rows {
        None => eprintln!("validate: {group} ..."),
        Some(rows) => {
            let failed = rows.iter().filter(|r| r.status == Status::Fail).count();
            eprintln!(
                "validate: {group}: {} checks, {failed} failed, {wall_s:.1} s",
                rows.len()
            );
        }
    });
    let meta = Meta {
        version: env!("CARGO_PKG_VERSION").to_string(),
        date_utc: started,
        suite: if a.quick {
            "quick (--quick)".into()
        } else {
            "full".into()
        },
        cpu_model: cpu_model(),
        cores: cores(),
        threads: rayon::current_num_threads(),
        backends: backends
            .iter()
            .map(|b| {
                if b.backend.is_ok() {
                    b.label.clone()
                } else {
                    format!("{} (skipped)", b.label)
                }
            })
            .collect(),
        gpu: gpu_note,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        wall_s: start.elapsed().as_secs_f64(),
    };
    print!("{}", render_text(&result.rows));
    write_report(out, &meta, &result)
        .with_context(|| format!("writing the validation report into {}", out.display()))?;
    println!(
        "{} passed, {} failed, {} skipped of {} checks in {:.1} s; wrote {} and {}",
        result.passes(),
        result.failures(),
        result.skips(),
        result.rows.len(),
        meta.wall_s,
        out.join("validation.csv").display(),
        out.join("validation.md").display()
    );
    if result.failures() > 0 {
        let failed: Vec<String> = result
            .rows
            .iter()
            .filter(|r| r.status == Status::Fail)
            .map(|r| format!("{} [{}]", r.case, r.backend))
            .collect();
        return Err(Failure::CheckFailed(format!(
            "{} validation check(s) failed: {}",
            failed.len(),
            failed.join("; ")
        ))
        .into());
    }
    Ok(ExitCode::SUCCESS)
}
