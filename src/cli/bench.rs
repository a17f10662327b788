//! `interceptmc bench`: GPU vs CPU throughput on the built-in workloads -> bench.csv
//! (see `crate::tools::bench` for what is timed).

use super::Failure;
use crate::backend::{open_for_comparison, Backend, BackendChoice};
use crate::model::batch::Batch;
use crate::tools::bench::{
    adapter_label, builtin_workloads, machine_description, measure, parse_size, ratios,
    render_table, time_run, write_bench_csv, BenchRow, RowContext, WORKLOAD_NAMES,
};
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// One small size per workload (a few seconds in all on a 2-core CPU).
    #[arg(long)]
    pub quick: bool,
    /// Directory for bench.csv.
    #[arg(long, default_value = "results/bench")]
    pub out: PathBuf,
    /// auto: the CPU, and a hardware GPU when there is one; cpu; gpu: the GPU only, on any
    /// adapter, a software one included (exit 3 without one).
    #[arg(long, value_parser = super::backend_parser(), default_value = "auto")]
    pub backend: BackendChoice,
    /// Trial counts for every workload, comma-separated (5000, 10k, 1M, 1e6); default: a few
    /// per workload. A trial of saturation-raid is a raid of 20 threats.
    #[arg(long, value_delimiter = ',', value_parser = parse_size)]
    pub sizes: Vec<u64>,
    /// Workloads, comma-separated: default, w-ballistic, saturation-raid (default: all).
    #[arg(long, value_delimiter = ',')]
    pub workloads: Vec<String>,
    /// Skip a size when the previous size's rate predicts a longer run than this, s
    /// (default 60; 10 with --quick). The first size of each workload always runs.
    #[arg(long)]
    pub max_run_s: Option<f64>,
    /// Multiplies every size (at least 1 trial); for tests and very slow machines.
    #[arg(long, hide = true, default_value_t = 1.0)]
    pub trials_scale: f64,
    /// No progress lines on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

fn bad(msg: String) -> anyhow::Error {
    Failure::BadInput(msg).into()
}

pub fn run(a: BenchArgs) -> Result<ExitCode> {
    if !(a.trials_scale.is_finite() && a.trials_scale > 0.0) {
        return Err(bad(format!(
            "--trials-scale: must be a positive number (got {})",
            a.trials_scale
        )));
    }
    let max_run_s = a.max_run_s.unwrap_or(if a.quick { 10.0 } else { 60.0 });
    if max_run_s.is_nan() || max_run_s <= 0.0 {
        return Err(bad(format!(
            "--max-run-s: must be positive (got {max_run_s})"
        )));
    }
    // An unwritable --out is bad input before any workload runs (files there are expected).
    crate::output::rundir::claim_out_dir(&a.out, true, true).map_err(|e| bad(e.to_string()))?;
    for w in &a.workloads {
        if !WORKLOAD_NAMES.contains(&w.as_str()) {
            return Err(bad(format!(
                "--workloads: unknown workload `{w}` (known: {})",
                WORKLOAD_NAMES.join(", ")
            )));
        }
    }
    // A first run shorter than this is repeated twice (median of three).
    let repeat_below_s = if a.quick { 2.0 } else { 5.0 };

    let mut backends: Vec<Box<dyn Backend>> = Vec::new();
    let opened = open_for_comparison(a.backend).map_err(|e| {
        Failure::Unavailable(format!(
            "--backend gpu: no usable GPU adapter ({e}); use --backend cpu or auto"
        ))
    })?;
    for b in opened {
        match b {
            Ok(b) => backends.push(b),
            Err(e) => eprintln!(
                "note: auto: no hardware GPU ({e}); benchmarking the CPU backend only (a \
                 software adapter runs only with --backend gpu)"
            ),
        }
    }

    let workloads: Vec<_> = builtin_workloads()
        .context("parsing the built-in bench scenarios")?
        .into_iter()
        .filter(|w| a.workloads.is_empty() || a.workloads.contains(&w.name))
        .collect();
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("creating output directory {}", a.out.display()))?;
    let csv_path = a.out.join("bench.csv");

    let machine = machine_description();
    let started_utc = crate::output::time::now_rfc3339();
    let mut rows: Vec<BenchRow> = Vec::new();
    for backend in backends.iter_mut() {
        let ctx = match backend.adapter() {
            Some(ad) => {
                if ad.is_cpu {
                    eprintln!(
                        "note: the GPU backend runs on {}, a software adapter on the CPU; its rows \
                         are labelled [software CPU adapter] and are not GPU figures",
                        ad.name
                    );
                }
                RowContext {
                    backend: backend.kind().to_string(),
                    adapter: adapter_label(&ad),
                    adapter_type: ad.device_type.clone(),
                    adapter_vendor: format!("0x{:04x}", ad.vendor),
                    machine: machine.clone(),
                    threads: None,
                    started_utc: started_utc.clone(),
                }
            }
            None => RowContext {
                backend: backend.kind().to_string(),
                machine: machine.clone(),
                threads: Some(rayon::current_num_threads()),
                started_utc: started_utc.clone(),
                ..Default::default()
            },
        };
        for w in &workloads {
            let batch = Batch::new(&w.scenario);
            let base = if !a.sizes.is_empty() {
                &a.sizes
            } else if a.quick {
                &w.quick_sizes
            } else {
                &w.sizes
            };
            let sizes: Vec<u64> = base
                .iter()
                .map(|&n| ((n as f64 * a.trials_scale).round() as u64).max(1))
                .collect();
            // Untimed warm-up: thread pool, pipeline compilation, caches.
            let warm = (sizes.iter().copied().min().unwrap_or(1) / 10).clamp(1, 1000);
            time_run(backend.as_mut(), &batch, warm)
                .with_context(|| format!("{} warm-up on {}", backend.kind(), w.name))?;
            let mut rate: Option<f64> = None;
            for &n in &sizes {
                if let Some(r) = rate {
                    let estimate = n as f64 / r;
                    if estimate > max_run_s {
                        if !a.quiet {
                            eprintln!(
                                "{:<4} {:<16} {:>10} trials: skipped (about {:.0} s > --max-run-s {})",
                                ctx.backend, w.name, n, estimate, max_run_s
                            );
                        }
                        continue;
                    }
                }
                let m =
                    measure(backend.as_mut(), &batch, n, repeat_below_s).with_context(|| {
                        format!("{} backend on {}, {n} trials", ctx.backend, w.name)
                    })?;
                let row = BenchRow::new(&ctx, w, &m);
                if !a.quiet {
                    let runs = if row.repeats > 1 {
                        format!("median of {}", row.repeats)
                    } else {
                        "1 run".to_string()
                    };
                    eprintln!(
                        "{:<4} {:<16} {:>10} trials: {:.3} s ({runs}), {:.0} trials/s, {:.3e} steps/s",
                        row.backend, row.workload, n, row.wall_s, row.trials_per_s, row.steps_per_s
                    );
                }
                rate = Some(row.trials_per_s);
                rows.push(row);
            }
        }
    }
    write_bench_csv(&csv_path, &rows).with_context(|| format!("writing {}", csv_path.display()))?;

    println!(
        "interceptmc {} bench on {} (rayon threads {}), {}",
        env!("CARGO_PKG_VERSION"),
        machine,
        rayon::current_num_threads(),
        started_utc
    );
    print!("{}", render_table(&rows));
    let rs = ratios(&rows);
    if rs.is_empty() {
        println!("GPU/CPU ratio: n/a (only one backend ran)");
    }
    for r in rs {
        let same = r
            .same_size
            .map(|(n, x)| format!("; at {n} trials {x:.2}x"))
            .unwrap_or_default();
        println!(
            "GPU/CPU ratio {}: {:.2}x trials/s (best of each backend){}{}",
            r.workload,
            r.best,
            same,
            if r.cpu_adapter {
                " [GPU backend on a software CPU adapter: not a GPU figure]"
            } else {
                ""
            }
        );
    }
    println!("results: {}", csv_path.display());
    Ok(ExitCode::SUCCESS)
}
