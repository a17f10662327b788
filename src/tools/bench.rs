//! Throughput benchmarks (`interceptmc bench`, README.md "Outputs"): built-in workloads run at
//! a few sizes on each backend, timed end to end, written as `bench.csv`.
//!
//! A measurement is one `Backend::run` call over trials `0..n` without per-trial records: the
//! random draws, propagation, sensors, windows, doctrine and tallies, and on the GPU the
//! uploads, every chunk's dispatch and the readback (the call returns after the readback), so
//! its wall time is end to end. The backend chooses its own chunking. Each (backend, workload)
//! gets an untimed warm-up run first (thread pool start, pipeline compilation); a size whose
//! first run is short is run twice more and the median is reported, with the min and max.
//! Repeats must give identical tallies (a cheap determinism check).

use crate::backend::{Backend, BackendError, ChunkOutput};
use crate::mc::stats::Proportion;
use crate::model::batch::Batch;
use crate::model::tally;
use crate::output::{fmt_f64, AtomicFile};
use crate::scenario::{Scenario, ScenarioError};
use std::io;
use std::path::Path;
use std::time::Instant;

/// The peers' W-ballistic workload as a scenario (scenarios/w-ballistic.toml).
pub const W_BALLISTIC_TOML: &str = include_str!("../../scenarios/w-ballistic.toml");
/// The raid workload (scenarios/saturation-raid.toml).
pub const SATURATION_RAID_TOML: &str = include_str!("../../scenarios/saturation-raid.toml");

/// Names of the built-in workloads, in bench order.
pub const WORKLOAD_NAMES: [&str; 3] = ["default", "w-ballistic", "saturation-raid"];

/// A scenario to time and the trial counts to time it at.
#[derive(Clone, Debug)]
pub struct Workload {
    /// Workload name in bench.csv (`default`, `w-ballistic`, `saturation-raid`).
    pub name: String,
    pub scenario: Scenario,
    /// Trial counts of a full bench (a trial of a raid workload is a whole raid).
    pub sizes: Vec<u64>,
    /// Trial counts of `--quick` (a few seconds in all on a 2-core CPU).
    pub quick_sizes: Vec<u64>,
}

/// The built-in workloads: the embedded default scenario, W-ballistic and the saturation raid
/// (scenario texts compiled in, so the binary benches from any directory).
pub fn builtin_workloads() -> Result<Vec<Workload>, ScenarioError> {
    Ok(vec![
        Workload {
            name: "default".into(),
            scenario: Scenario::default_scenario(),
            sizes: vec![1_000, 10_000, 100_000, 1_000_000],
            quick_sizes: vec![1_000],
        },
        Workload {
            name: "w-ballistic".into(),
            scenario: Scenario::from_toml_str(W_BALLISTIC_TOML, "<w-ballistic>")?,
            sizes: vec![10_000, 100_000, 1_000_000, 10_000_000],
            quick_sizes: vec![4_000],
        },
        Workload {
            name: "saturation-raid".into(),
            scenario: Scenario::from_toml_str(SATURATION_RAID_TOML, "<saturation-raid>")?,
            sizes: vec![100, 1_000, 10_000, 100_000],
            quick_sizes: vec![100],
        },
    ])
}

/// One timed size.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    pub trials: u64,
    /// Threats flown (trials x raid size).
    pub threats: u64,
    /// Trajectory steps of one run (`tally::STEPS`).
    pub steps: u64,
    /// Derivative evaluations of one run (`tally::EVALUATIONS`).
    pub evaluations: u64,
    /// Peak resident memory of the process during the timed runs, MB (Linux; `None` where
    /// /proc is not there).
    pub peak_rss_mb: Option<f64>,
    /// Threats killed (all classes).
    pub killed: u64,
    /// Median wall time of the timed runs, s.
    pub wall_s: f64,
    pub wall_min_s: f64,
    pub wall_max_s: f64,
    pub repeats: u32,
    /// Device time of the kernel passes of the median run, s (GPU backends whose device has
    /// timestamp queries; `Backend::last_kernel_s`).
    pub kernel_s: Option<f64>,
}

/// Runs trials `0..trials` once; returns the output and the wall time, s.
pub fn time_run(
    backend: &mut dyn Backend,
    batch: &Batch,
    trials: u64,
) -> Result<(ChunkOutput, f64), BackendError> {
    let start = Instant::now();
    let out = backend.run(batch, 0..trials, false)?;
    Ok((out, start.elapsed().as_secs_f64()))
}

/// Times `trials` trials: once, and twice more when the first run took less than
/// `repeat_below_s` (the median of three is then reported).
pub fn measure(
    backend: &mut dyn Backend,
    batch: &Batch,
    trials: u64,
    repeat_below_s: f64,
) -> Result<Measurement, BackendError> {
    reset_peak_rss();
    let (out, first) = time_run(backend, batch, trials)?;
    // (wall, kernel) of each run, sorted by wall time.
    let mut walls = vec![(first, backend.last_kernel_s())];
    if first < repeat_below_s {
        for _ in 0..2 {
            let (again, w) = time_run(backend, batch, trials)?;
            if again.tallies != out.tallies {
                return Err(BackendError::NotReproducible {
                    backend: backend.kind(),
                    trials,
                });
            }
            walls.push((w, backend.last_kernel_s()));
        }
    }
    walls.sort_by(|a, b| a.0.total_cmp(&b.0));
    let t = &out.tallies;
    let classes = crate::base::limits::MAX_CLASSES;
    Ok(Measurement {
        trials,
        threats: (0..classes)
            .map(|c| t[tally::class(c, tally::C_THREATS)])
            .sum(),
        steps: t[tally::STEPS],
        evaluations: t[tally::EVALUATIONS],
        peak_rss_mb: peak_rss_mb(),
        killed: (0..classes)
            .map(|c| t[tally::class(c, tally::C_KILLED)])
            .sum(),
        wall_s: walls[walls.len() / 2].0,
        wall_min_s: walls[0].0,
        wall_max_s: walls[walls.len() - 1].0,
        repeats: walls.len() as u32,
        kernel_s: walls[walls.len() / 2].1,
    })
}

/// Peak resident memory of this process since the last [`reset_peak_rss`] (or its start), MB:
/// `VmHWM` of /proc/self/status. `None` where there is no /proc (not Linux).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak resident memory to the current one (Linux: writing 5 to
/// /proc/self/clear_refs, see proc(5)), so that each measurement reports its own peak. Where
/// that is refused the peak stays the process's since its start, an upper bound.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// One row of bench.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchRow {
    /// `cpu` or `gpu`.
    pub backend: String,
    /// GPU rows: adapter name, wgpu backend, driver; `[software CPU adapter]` appended when the
    /// adapter is a CPU (lavapipe/llvmpipe). Empty for the CPU backend.
    pub adapter: String,
    /// wgpu device type (`DiscreteGpu`, `Cpu`, ...); empty for the CPU backend.
    pub adapter_type: String,
    /// PCI vendor id of the adapter (`0x10de` NVIDIA); empty for the CPU backend.
    pub adapter_vendor: String,
    pub workload: String,
    pub scenario: String,
    pub trials: u64,
    pub threats: u64,
    pub steps: u64,
    /// Derivative evaluations (fixed RK4: 4 per integrated step; adaptive: 6 per attempt + 1).
    pub evaluations: u64,
    pub wall_s: f64,
    pub trials_per_s: f64,
    pub steps_per_s: f64,
    /// Evaluations per threat flown.
    pub evaluations_per_threat: f64,
    /// Peak resident memory during the measurement, MB (NaN where unknown).
    pub peak_rss_mb: f64,
    pub repeats: u32,
    pub wall_min_s: f64,
    pub wall_max_s: f64,
    /// Device time of the kernel passes in the `wall_s` run, s, from timestamp queries (NaN
    /// for the CPU backend and devices without them): the GPU's own time, without uploads,
    /// readback and host work.
    pub kernel_s: f64,
    /// Killed / threats over all classes, with its Wilson interval.
    pub p_kill: f64,
    pub p_kill_lo: f64,
    pub p_kill_hi: f64,
    pub seed: u64,
    /// CPU model and logical CPU count of the host.
    pub machine: String,
    /// rayon threads of the CPU backend (empty for GPU rows).
    pub threads: Option<usize>,
    pub version: String,
    pub started_utc: String,
}

/// Columns of bench.csv, in order.
pub const BENCH_COLUMNS: [&str; 27] = [
    "backend",
    "adapter",
    "adapter_type",
    "adapter_vendor",
    "workload",
    "scenario",
    "trials",
    "threats",
    "steps",
    "evaluations",
    "wall_s",
    "trials_per_s",
    "steps_per_s",
    "evaluations_per_threat",
    "peak_rss_mb",
    "repeats",
    "wall_min_s",
    "wall_max_s",
    "kernel_s",
    "p_kill",
    "p_kill_lo",
    "p_kill_hi",
    "seed",
    "machine",
    "threads",
    "version",
    "started_utc",
];

/// Where a row's numbers were measured.
#[derive(Clone, Debug, Default)]
pub struct RowContext {
    pub backend: String,
    pub adapter: String,
    pub adapter_type: String,
    pub adapter_vendor: String,
    pub machine: String,
    pub threads: Option<usize>,
    pub started_utc: String,
}

impl BenchRow {
    pub fn new(ctx: &RowContext, workload: &Workload, m: &Measurement) -> BenchRow {
        let conf = workload.scenario.run.confidence;
        let pk = Proportion::new(m.killed, m.threats.max(1), conf);
        let per_s = |x: u64| {
            if m.wall_s > 0.0 {
                x as f64 / m.wall_s
            } else {
                f64::NAN
            }
        };
        BenchRow {
            backend: ctx.backend.clone(),
            adapter: ctx.adapter.clone(),
            adapter_type: ctx.adapter_type.clone(),
            adapter_vendor: ctx.adapter_vendor.clone(),
            workload: workload.name.clone(),
            scenario: workload.scenario.name.clone(),
            trials: m.trials,
            threats: m.threats,
            steps: m.steps,
            evaluations: m.evaluations,
            wall_s: m.wall_s,
            trials_per_s: per_s(m.trials),
            steps_per_s: per_s(m.steps),
            evaluations_per_threat: m.evaluations as f64 / m.threats.max(1) as f64,
            peak_rss_mb: m.peak_rss_mb.unwrap_or(f64::NAN),
            repeats: m.repeats,
            wall_min_s: m.wall_min_s,
            wall_max_s: m.wall_max_s,
            kernel_s: m.kernel_s.unwrap_or(f64::NAN),
            p_kill: pk.p,
            p_kill_lo: pk.wilson.0,
            p_kill_hi: pk.wilson.1,
            seed: workload.scenario.run.seed,
            machine: ctx.machine.clone(),
            threads: ctx.threads,
            version: env!("CARGO_PKG_VERSION").to_string(),
            started_utc: ctx.started_utc.clone(),
        }
    }

    /// True when the GPU backend ran on a software (CPU) adapter such as lavapipe.
    pub fn on_cpu_adapter(&self) -> bool {
        self.backend == "gpu" && self.adapter_type == "Cpu"
    }

    /// The CSV record, in `BENCH_COLUMNS` order.
    pub fn record(&self) -> Vec<String> {
        vec![
            self.backend.clone(),
            self.adapter.clone(),
            self.adapter_type.clone(),
            self.adapter_vendor.clone(),
            self.workload.clone(),
            self.scenario.clone(),
            self.trials.to_string(),
            self.threats.to_string(),
            self.steps.to_string(),
            self.evaluations.to_string(),
            fmt_f64(self.wall_s),
            fmt_f64(self.trials_per_s),
            fmt_f64(self.steps_per_s),
            fmt_f64(self.evaluations_per_threat),
            fmt_f64(self.peak_rss_mb),
            self.repeats.to_string(),
            fmt_f64(self.wall_min_s),
            fmt_f64(self.wall_max_s),
            fmt_f64(self.kernel_s),
            fmt_f64(self.p_kill),
            fmt_f64(self.p_kill_lo),
            fmt_f64(self.p_kill_hi),
            self.seed.to_string(),
            self.machine.clone(),
            self.threads.map(|t| t.to_string()).unwrap_or_default(),
            self.version.clone(),
            self.started_utc.clone(),
        ]
    }
}

/// Writes bench.csv atomically (a temporary file renamed onto `path`).
pub fn write_bench_csv(path: &Path, rows: &[BenchRow]) -> io::Result<()> {
    let mut wtr = csv::Writer::from_writer(AtomicFile::create(path)?);
    wtr.write_record(BENCH_COLUMNS)
        .map_err(crate::output::csv_to_io)?;
    for r in rows {
        wtr.write_record(r.record())
            .map_err(crate::output::csv_to_io)?;
    }
    crate::output::finish_csv(wtr)
}

/// The host: CPU model (from /proc/cpuinfo where there is one) and the logical CPUs this
/// process may use, e.g. `AMD EPYC, 2 logical CPUs`.
pub fn machine_description() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name") || l.starts_with("Model"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!(
        "{model}, {cpus} logical CPU{}",
        if cpus == 1 { "" } else { "s" }
    )
}

/// The adapter cell of a GPU row.
pub fn adapter_label(a: &crate::backend::gpu::AdapterReport) -> String {
    let driver: Vec<&str> = [a.driver.as_str(), a.driver_info.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut s = format!("{} ({}", a.name, a.backend);
    if !driver.is_empty() {
        s.push_str(", ");
        s.push_str(&driver.join(" "));
    }
    s.push(')');
    if a.is_cpu {
        s.push_str(" [software CPU adapter]");
    }
    s
}

fn group_digits(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{:.0}", x);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}")
}

/// The stdout table: one line per row.
pub fn render_table(rows: &[BenchRow]) -> String {
    let mut lines = vec![format!(
        "{:<8} {:<16} {:>10} {:>9} {:>9} {:>8} {:>13} {:>10} {:>11} {:>7} {:>8}  {}",
        "backend",
        "workload",
        "trials",
        "wall_s",
        "kernel_s",
        "repeats",
        "trials/s",
        "steps/s",
        "evals/threat",
        "rss_MB",
        "p_kill",
        "adapter"
    )];
    for r in rows {
        let backend = if r.on_cpu_adapter() {
            "gpu*".to_string()
        } else {
            r.backend.clone()
        };
        lines.push(format!(
            "{:<8} {:<16} {:>10} {:>9.3} {:>9} {:>8} {:>13} {:>10.3e} {:>12.1} {:>7.0} {:>8.5}  {}",
            backend,
            r.workload,
            r.trials,
            r.wall_s,
            if r.kernel_s.is_nan() {
                "-".to_string()
            } else {
                format!("{:.3}", r.kernel_s)
            },
            r.repeats,
            group_digits(r.trials_per_s),
            r.steps_per_s,
            r.evaluations_per_threat,
            r.peak_rss_mb,
            r.p_kill,
            if r.adapter.is_empty() {
                format!("{} threads", r.threads.unwrap_or(0))
            } else {
                r.adapter.clone()
            }
        ));
    }
    if rows.iter().any(BenchRow::on_cpu_adapter) {
        lines.push(
            "gpu* = the GPU backend on a software CPU adapter (lavapipe/llvmpipe): \
             not a GPU measurement"
                .into(),
        );
    }
    lines.join("\n") + "\n"
}

/// GPU/CPU throughput ratio of one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct Ratio {
    pub workload: String,
    /// Best GPU trials/s over best CPU trials/s (each backend at its own best size).
    pub best: f64,
    /// At the largest size both backends ran: (trials, ratio).
    pub same_size: Option<(u64, f64)>,
    /// The GPU rows ran on a software CPU adapter.
    pub cpu_adapter: bool,
}

/// GPU/CPU ratios per workload (workloads with both backends only).
pub fn ratios(rows: &[BenchRow]) -> Vec<Ratio> {
    let mut names: Vec<&str> = Vec::new();
    for r in rows {
        if !names.contains(&r.workload.as_str()) {
            names.push(&r.workload);
        }
    }
    let best = |w: &str, b: &str| {
        rows.iter()
            .filter(|r| r.workload == w && r.backend == b)
            .map(|r| r.trials_per_s)
            .fold(f64::NAN, f64::max)
    };
    names
        .into_iter()
        .filter_map(|w| {
            let (g, c) = (best(w, "gpu"), best(w, "cpu"));
            if !(g.is_finite() && c.is_finite() && c > 0.0) {
                return None;
            }
            let same_size = rows
                .iter()
                .filter(|r| r.workload == w && r.backend == "gpu")
                .filter_map(|gr| {
                    rows.iter()
                        .find(|cr| {
                            cr.workload == w && cr.backend == "cpu" && cr.trials == gr.trials
                        })
                        .map(|cr| (gr.trials, gr.trials_per_s / cr.trials_per_s))
                })
                .max_by_key(|(n, _)| *n);
            Some(Ratio {
                workload: w.to_string(),
                best: g / c,
                same_size,
                cpu_adapter: rows.iter().any(|r| r.workload == w && r.on_cpu_adapter()),
            })
        })
        .collect()
}

/// Parses a trial count: `5000`, `10_000`, `10k`, `1M`, `1e6`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().replace('_', "");
    let (num, mult) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        _ => (t.as_str(), 1.0),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("not a trial count: `{s}` (examples: 5000, 10k, 1M, 1e6)"))?;
    let n = v * mult;
    if !((1.0..=1e13).contains(&n) && n.fract() == 0.0) {
        return Err(format!(
            "not a whole number of trials between 1 and 1e13: `{s}`"
        ));
    }
    Ok(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu::CpuBackend;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("5000"), Ok(5000));
        assert_eq!(parse_size("10_000"), Ok(10_000));
        assert_eq!(parse_size("10k"), Ok(10_000));
        assert_eq!(parse_size("1M"), Ok(1_000_000));
        assert_eq!(parse_size("1e6"), Ok(1_000_000));
        assert_eq!(parse_size("2.5k"), Ok(2_500));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1.5").is_err());
        assert!(parse_size("ten").is_err());
    }

    #[test]
    fn workloads_parse_and_w_ballistic_is_the_peer_geometry() {
        let w = builtin_workloads().unwrap();
        let names: Vec<&str> = w.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, WORKLOAD_NAMES);
        let wb = &w[1].scenario;
        assert!(!wb.earth.rotation);
        assert_eq!(wb.batteries.len(), 2);
        assert_eq!(wb.sensors.len(), 1);
        assert!(w[2].scenario.raid.is_some());
    }

    #[test]
    fn measure_counts_and_repeats() {
        let w = builtin_workloads().unwrap();
        let batch = Batch::new(&w[1].scenario);
        let mut cpu = CpuBackend;
        let m = measure(&mut cpu, &batch, 20, f64::INFINITY).unwrap();
        assert_eq!(m.repeats, 3);
        assert_eq!((m.trials, m.threats), (20, 20));
        assert!(m.wall_min_s <= m.wall_s && m.wall_s <= m.wall_max_s);
        let once = measure(&mut cpu, &batch, 20, 0.0).unwrap();
        assert_eq!(once.repeats, 1);
        assert_eq!(once.steps, m.steps);
        if cfg!(target_os = "linux") {
            let rss = m.peak_rss_mb.unwrap();
            assert!(rss > 0.0 && rss < 4096.0, "{rss}");
        }
        // Fixed RK4 at the peers' steps: the nominal flight is 962 s at 1 s above 100 km and
        // 0.1 s below (the peers' 1254.5 steps per trial, scenarios/w-ballistic.toml), four
        // evaluations a step.
        let mut rk4 = w[1].scenario.clone();
        rk4.run.integrator = crate::scenario::Integrator::Rk4;
        let fixed = measure(&mut cpu, &Batch::new(&rk4), 20, 0.0).unwrap();
        assert!(
            fixed.steps > 20 * 1100 && fixed.steps < 20 * 1400,
            "{}",
            fixed.steps
        );
        assert_eq!(fixed.evaluations, 4 * fixed.steps);
        // Adaptive steps: six evaluations per attempt and one per flight, and at least ten
        // times fewer evaluations than the fixed steps (issue 10's target).
        assert_eq!(m.evaluations, 6 * m.steps + 20);
        assert!(
            10 * m.evaluations <= fixed.evaluations,
            "{} {}",
            m.evaluations,
            fixed.evaluations
        );
    }

    #[test]
    fn rows_ratios_and_csv() {
        let w = &builtin_workloads().unwrap()[1];
        let m = Measurement {
            trials: 1000,
            threats: 1000,
            steps: 1_254_000,
            evaluations: 5_016_000,
            peak_rss_mb: Some(12.5),
            killed: 920,
            wall_s: 0.5,
            wall_min_s: 0.4,
            wall_max_s: 0.6,
            repeats: 3,
            kernel_s: None,
        };
        let cpu_ctx = RowContext {
            backend: "cpu".into(),
            machine: "Test CPU, 2 logical CPUs".into(),
            threads: Some(2),
            ..Default::default()
        };
        let gpu_ctx = RowContext {
            backend: "gpu".into(),
            adapter: "llvmpipe (vulkan, llvmpipe Mesa) [software CPU adapter]".into(),
            adapter_type: "Cpu".into(),
            adapter_vendor: "0x10005".into(),
            ..cpu_ctx.clone()
        };
        let cpu = BenchRow::new(&cpu_ctx, w, &m);
        let gpu = BenchRow::new(
            &gpu_ctx,
            w,
            &Measurement {
                wall_s: 0.1,
                kernel_s: Some(0.08),
                ..m.clone()
            },
        );
        assert_eq!(cpu.trials_per_s, 2000.0);
        assert_eq!(cpu.steps_per_s, 2_508_000.0);
        assert!(cpu.p_kill_lo < 0.92 && 0.92 < cpu.p_kill_hi);
        let r = ratios(&[cpu.clone(), gpu.clone()]);
        assert_eq!(r.len(), 1);
        assert!((r[0].best - 5.0).abs() < 1e-12);
        assert_eq!(r[0].same_size.map(|x| x.0), Some(1000));
        assert!(r[0].cpu_adapter);
        let table = render_table(&[cpu.clone(), gpu.clone()]);
        assert!(table.contains("gpu*") && table.contains("software CPU adapter"));
        assert!(cpu.kernel_s.is_nan() && gpu.kernel_s == 0.08);
        assert!(table.contains("0.080"), "{table}");
        assert_eq!(cpu.record().len(), BENCH_COLUMNS.len());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.csv");
        write_bench_csv(&path, &[cpu, gpu]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("backend,adapter,adapter_type,adapter_vendor,workload,"));
        assert_eq!(text.lines().count(), 3);
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(1234567.4), "1,234,567");
        assert_eq!(group_digits(999.0), "999");
        assert_eq!(group_digits(-1000.0), "-1,000");
    }
}
