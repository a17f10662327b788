//! `interceptmc compare A.toml B.toml [...]`: full scenarios (layouts) run on the same trials
//! from the same seed, each compared with the first, paired trial by trial (README.md,
//! "Comparing layouts").

use super::sweep::point_error;
use super::{load_checked, open_backend, Checked, Failure};
use crate::backend::BackendChoice;
use crate::mc::paired::{paired_estimate, Metric, PairedMoments};
use crate::mc::sweep::{fingerprint, run_point, Pairing, SweepProgress};
use crate::model::batch::Batch;
use crate::output::compare::{render_compare_table, write_compare_csv, CompareRow};
use crate::output::manifest::{sha256_hex, write_manifest, Manifest};
use crate::output::rundir::{claim_out_dir, default_run_dir};
use crate::output::sweep::{BaselineReader, BaselineWriter, BASELINE_FILE};
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario files (layouts), at least two; each is compared with the first.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Output directory (default: results/runs/compare-<run id>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Trials for every layout (else they must all have the same [run] samples).
    #[arg(long)]
    pub samples: Option<u64>,
    /// Seed for every layout (else they must all have the same [run] seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// auto | cpu | gpu, as for `run` (default: the first file's [run] backend).
    #[arg(long, value_parser = super::backend_parser())]
    pub backend: Option<BackendChoice>,
    /// No progress bar and no table (the results path is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Write into --out even when it already holds files (files of the same names are
    /// replaced).
    #[arg(long)]
    pub force: bool,
}

/// Names of the layouts: the file stems, or the paths when two stems are the same.
fn layout_names(files: &[PathBuf]) -> Vec<String> {
    let stems: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_stem()
                .map_or_else(|| f.display().to_string(), |s| s.to_string_lossy().into())
        })
        .collect();
    let unique = stems
        .iter()
        .enumerate()
        .all(|(i, s)| !stems[..i].contains(s));
    if unique {
        stems
    } else {
        files.iter().map(|f| f.display().to_string()).collect()
    }
}

/// The layouts must run the same trials from the same seed, and name the same threat classes.
fn check_layouts(a: &CompareArgs, layouts: &mut [Checked]) -> Result<()> {
    let first = &layouts[0];
    let (samples0, seed0) = (first.scenario.run.samples, first.scenario.run.seed);
    let names0: Vec<String> = first
        .scenario
        .threats
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let file0 = a.files[0].display().to_string();
    for (l, f) in layouts.iter().zip(&a.files).skip(1) {
        let file = f.display();
        let sc = &l.scenario;
        if a.samples.is_none() && sc.run.samples != samples0 {
            return Err(Failure::BadInput(format!(
                "{file}: run.samples: {} differs from {file0}'s {samples0}; compared layouts run \
                 the same trials (give --samples for all)",
                sc.run.samples
            ))
            .into());
        }
        if a.seed.is_none() && sc.run.seed != seed0 {
            return Err(Failure::BadInput(format!(
                "{file}: run.seed: {} differs from {file0}'s {seed0}; compared layouts run on \
                 common random numbers (give --seed for all)",
                sc.run.seed
            ))
            .into());
        }
        let names: Vec<String> = sc.threats.iter().map(|t| t.name.clone()).collect();
        if names != names0 {
            return Err(Failure::BadInput(format!(
                "{file}: threat classes [{}] differ from {file0}'s [{}]; compared layouts face \
                 the same threats",
                names.join(", "),
                names0.join(", ")
            ))
            .into());
        }
    }
    for l in layouts.iter_mut() {
        if let Some(n) = a.samples {
            l.scenario.run.samples = n;
        }
        if let Some(s) = a.seed {
            l.scenario.run.seed = s;
        }
    }
    Ok(())
}

pub fn run(a: CompareArgs) -> Result<ExitCode> {
    if a.samples == Some(0) {
        return Err(Failure::BadInput("--samples: must be at least 1".into()).into());
    }
    let mut layouts: Vec<Checked> = a
        .files
        .iter()
        .map(|f| load_checked(Some(f), &[]))
        .collect::<Result<_>>()?;
    check_layouts(&a, &mut layouts)?;
    let names = layout_names(&a.files);
    let first = &layouts[0].scenario;
    let (samples, seed, conf) = (first.run.samples, first.run.seed, first.run.confidence);
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| default_run_dir(Path::new("results"), "compare"));
    let claim =
        claim_out_dir(&out_dir, a.force, false).map_err(|e| Failure::BadInput(e.to_string()))?;
    let mut backend = match open_backend(a.backend.unwrap_or(first.run.backend), a.quiet) {
        Ok(b) => b,
        Err(e) => {
            claim.release();
            return Err(e);
        }
    };
    let batches: Vec<Batch> = layouts.iter().map(|l| Batch::new(&l.scenario)).collect();
    let prints: Vec<String> = batches.iter().map(fingerprint).collect();
    let classes = batches[0].classes.len();
    let trials = [0, samples];
    let started = crate::output::time::now_rfc3339();
    let wall = std::time::Instant::now();
    let progress = SweepProgress::new(samples * layouts.len() as u64, !a.quiet);
    let baseline_path = out_dir.join(BASELINE_FILE);
    let mut moments: Vec<PairedMoments> = Vec::new();
    let mut reader: Option<BaselineReader> = None;
    for (i, batch) in batches.iter().enumerate() {
        progress.point(format!("{} ({} of {})", names[i], i + 1, batches.len()));
        let what = format!("{}", a.files[i].display());
        let (_, paired, _) = if i == 0 {
            let mut w = BaselineWriter::create(&baseline_path, &prints[0], trials, classes)
                .context("baseline per-trial counts")?;
            let r = run_point(
                backend.as_mut(),
                batch,
                0..samples,
                Pairing::Baseline(&mut w),
                &progress,
            )
            .map_err(|e| point_error(e, &what))?;
            w.commit().context("baseline per-trial counts")?;
            reader = BaselineReader::open(&baseline_path, &prints[0], trials, classes)?;
            r
        } else {
            let src = reader
                .as_mut()
                .context("the baseline's per-trial counts did not read back")?;
            run_point(
                backend.as_mut(),
                batch,
                0..samples,
                Pairing::Against(src),
                &progress,
            )
            .map_err(|e| point_error(e, &what))?
        };
        moments.push(paired);
    }
    progress.finish();
    drop(reader);
    let _ = std::fs::remove_file(&baseline_path);

    let mut rows = Vec::new();
    for (i, m) in moments.iter().enumerate() {
        let sc = &layouts[i].scenario;
        let threats = sc
            .threats
            .iter()
            .map(|t| t.name.as_str())
            .chain(std::iter::once("all"));
        for (g, threat) in threats.enumerate() {
            for metric in Metric::ALL {
                rows.push(CompareRow {
                    layout: names[i].clone(),
                    threat: threat.to_string(),
                    metric: metric.name().to_string(),
                    estimate: paired_estimate(m, g, metric, prints[i] == prints[0], conf),
                });
            }
        }
    }
    write_compare_csv(&out_dir.join("compare.csv"), &rows).context("writing compare.csv")?;
    let mut m = Manifest::new(
        first.name.clone(),
        sha256_hex(layouts[0].text.as_bytes()),
        seed,
        samples,
        backend.kind(),
    );
    m.scenario_file = Some(a.files[0].display().to_string());
    m.wall_s = wall.elapsed().as_secs_f64();
    m.started_utc = started;
    m.threads = rayon::current_num_threads();
    m.extra.insert(
        "layouts".into(),
        a.files
            .iter()
            .zip(&layouts)
            .map(|(f, l)| {
                serde_json::json!({
                    "file": f.display().to_string(),
                    "scenario_sha256": sha256_hex(l.text.as_bytes()),
                })
            })
            .collect::<Vec<_>>()
            .into(),
    );
    write_manifest(&out_dir.join("manifest.json"), &m).context("writing manifest.json")?;
    super::plot::finish_outputs(
        &out_dir,
        None,
        crate::tools::map::DEFAULT_COVERAGE_ALTITUDE_KM,
    )?;
    if !a.quiet {
        println!(
            "{} layouts against {}, {samples} paired trials on {} in {:.2} s",
            layouts.len(),
            names[0],
            backend.kind(),
            m.wall_s
        );
        print!(
            "{}",
            render_compare_table(&rows, &["p_kill", "p_zero_leakers"])
        );
    }
    println!("results: {}", out_dir.display());
    Ok(ExitCode::SUCCESS)
}
