//! `interceptmc merge DIRS... --out DIR`: adds up the `tallies.json` of shards (`run --shard`,
//! `sweep --shard`) into the results of one process: the same `summary.csv` (or `sweep.csv`)
//! but for `wall_s` (the shards' sum), because every estimate is a function of the integer
//! tallies. Shards of another scenario, seed, sample count or backend, overlapping shards and
//! missing trials are refused (exit 2).

use super::run::{unlanded_json, warn_unlanded, write_batteries, write_raid};
use super::sweep::{
    build, csv_header, header_differences, render_points, rows_text, write_sweep_manifest,
};
use super::Failure;
use crate::mc::runner::{summary_rows, RunOutput};
use crate::mc::sweep::{PointResult, Shard};
use crate::model::batch::Batch;
use crate::output::manifest::{write_manifest, Manifest};
use crate::output::rundir::claim_out_dir;
use crate::output::summary::write_summary_csv;
use crate::output::sweep::{point_log_line, write_json, POINTS_LOG, SWEEP_CSV, SWEEP_JSON};
use crate::output::table::render_summary_table;
use crate::output::tallies::{read_tallies, write_tallies, RunTallies, SweepTallies, Tallies};
use crate::output::{write_atomic, AtomicFile};
use crate::scenario::sweep::SweepSpec;
use crate::scenario::Scenario;
use anyhow::{Context, Result};
use clap::Args;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard directories (each with the tallies.json of `run --shard` or `sweep --shard`).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output directory of the merged results.
    #[arg(long)]
    pub out: PathBuf,
    /// No table (the results path is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Write into --out even when it already holds files (files of the same names are
    /// replaced).
    #[arg(long)]
    pub force: bool,
}

fn bad(msg: String) -> anyhow::Error {
    Failure::BadInput(msg).into()
}

/// Checks that the shards' trial ranges cover `[0, samples)` exactly once; returns them in
/// trial order (indices into `ranges`).
fn check_cover(dirs: &[PathBuf], ranges: &[([u64; 2], Shard)], samples: u64) -> Result<Vec<usize>> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| (ranges[i].0[0], ranges[i].0[1]));
    for (i, r) in ranges.iter().enumerate() {
        if let Some(j) = ranges[..i].iter().position(|q| q.1 == r.1) {
            return Err(bad(format!(
                "{} and {} are the same shard {}",
                dirs[j].display(),
                dirs[i].display(),
                r.1
            )));
        }
    }
    let mut next = 0u64;
    let mut prev: Option<usize> = None;
    for &i in &order {
        let [start, end] = ranges[i].0;
        if start > next {
            return Err(bad(format!(
                "trials [{next}, {start}) are in no shard (shard {} of {} starts at {start}); \
                 merge every shard",
                ranges[i].1,
                dirs[i].display()
            )));
        }
        if start < next {
            let p = prev.expect("an earlier shard");
            return Err(bad(format!(
                "{} (shard {}, trials [{start}, {end})) and {} (shard {}, trials [{}, {})) \
                 overlap",
                dirs[i].display(),
                ranges[i].1,
                dirs[p].display(),
                ranges[p].1,
                ranges[p].0[0],
                ranges[p].0[1]
            )));
        }
        next = end;
        prev = Some(i);
    }
    if next != samples {
        return Err(bad(format!(
            "trials [{next}, {samples}) are in no shard; merge every shard"
        )));
    }
    Ok(order)
}

pub fn run(a: MergeArgs) -> Result<ExitCode> {
    let mut all = Vec::new();
    for d in &a.dirs {
        let t = read_tallies(d).map_err(|e| {
            bad(format!(
                "{e} (a shard directory holds the tallies.json of a finished `run --shard` or \
                 `sweep --shard`)"
            ))
        })?;
        all.push(t);
    }
    let out = &a.out;
    for d in &a.dirs {
        if same_dir(d, out) {
            return Err(bad(format!(
                "--out {}: is one of the shards; merge into another directory",
                out.display()
            )));
        }
    }
    let claim = claim_out_dir(out, a.force, false).map_err(|e| Failure::BadInput(e.to_string()))?;
    let result = (|| -> Result<ExitCode> {
        match &all[0] {
            Tallies::Run(_) => {
                let runs = all
                    .into_iter()
                    .zip(&a.dirs)
                    .map(|(t, d)| match t {
                        Tallies::Run(r) => Ok(r),
                        Tallies::Sweep(_) => Err(bad(format!(
                            "{}: a sweep's shard, the others are runs'",
                            d.display()
                        ))),
                    })
                    .collect::<Result<Vec<_>>>()?;
                merge_runs(&a, runs)
            }
            Tallies::Sweep(_) => {
                let sweeps = all
                    .into_iter()
                    .zip(&a.dirs)
                    .map(|(t, d)| match t {
                        Tallies::Sweep(s) => Ok(s),
                        Tallies::Run(_) => Err(bad(format!(
                            "{}: a run's shard, the others are a sweep's",
                            d.display()
                        ))),
                    })
                    .collect::<Result<Vec<_>>>()?;
                merge_sweeps(&a, sweeps)
            }
        }
    })();
    if result.is_err() {
        claim.release();
    }
    result
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn merge_runs(a: &MergeArgs, runs: Vec<RunTallies>) -> Result<ExitCode> {
    let first = &runs[0];
    let d0 = a.dirs[0].display();
    for (r, d) in runs.iter().zip(&a.dirs).skip(1) {
        let d = d.display();
        let differs = [
            (
                r.scenario_sha256 != first.scenario_sha256,
                "scenario (SHA-256 of its text)",
            ),
            (r.seed != first.seed, "seed"),
            (r.samples != first.samples, "sample count"),
            (r.backend != first.backend, "backend"),
            (r.per_trial != first.per_trial, "--per-trial"),
        ];
        if let Some((_, what)) = differs.iter().find(|(x, _)| *x) {
            return Err(bad(format!(
                "{d}: its {what} differs from {d0}'s; shards of one run share the scenario, \
                 seed, sample count and backend"
            )));
        }
    }
    if let Some((_, d)) = runs
        .iter()
        .zip(&a.dirs)
        .find(|(r, _)| r.tallies.len() != crate::model::tally::COUNT)
    {
        return Err(bad(format!(
            "{}: its tallies.json holds {} counters where this version has {}; it was written              by another version of interceptmc (rerun the shard)",
            d.display(),
            runs.iter()
                .zip(&a.dirs)
                .find(|(_, x)| x == &d)
                .map_or(0, |(r, _)| r.tallies.len()),
            crate::model::tally::COUNT
        )));
    }
    let ranges: Vec<([u64; 2], Shard)> = runs.iter().map(|r| (r.trials, r.shard)).collect();
    let order = check_cover(&a.dirs, &ranges, first.samples)?;
    let mut tallies = vec![0u64; first.tallies.len()];
    let mut wall_s = 0.0;
    for &i in &order {
        for (t, v) in tallies.iter_mut().zip(&runs[i].tallies) {
            *t = t
                .checked_add(*v)
                .context("the merged tallies overflow 64 bits")?;
        }
        wall_s += runs[i].wall_s;
    }
    let origin = first
        .scenario_file
        .clone()
        .unwrap_or_else(|| crate::scenario::DEFAULT_ORIGIN.to_string());
    let mut sc = Scenario::from_toml_str(&first.scenario_text, &origin)?;
    sc.run.seed = first.seed;
    sc.run.samples = first.samples;
    let out = RunOutput {
        tallies: tallies.clone(),
        trials: first.samples,
        wall_s,

        interrupted: false,
    };
    let rows = summary_rows(&sc, &first.backend, &out);
    warn_unlanded(&rows, &out.tallies);
    write_summary_csv(&a.out.join("summary.csv"), &rows).context("writing summary.csv")?;
    let battery_table = write_batteries(&a.out, &sc, &out.tallies)?;
    write_raid(&a.out, Batch::new(&sc).raid_size(), &out)?;
    if first.per_trial {
        let files: Vec<PathBuf> = order
            .iter()
            .map(|&i| a.dirs[i].join("trials.csv"))
            .collect();
        concat_csv(&files, &a.out.join("trials.csv"))?;
    }
    let merged = RunTallies {
        shard: Shard::WHOLE,
        trials: [0, first.samples],
        wall_s,
        tallies,
        ..first.clone()
    };
    write_tallies(&a.out, &Tallies::Run(merged)).context("writing tallies.json")?;
    let mut m = Manifest::new(
        sc.name.clone(),
        first.scenario_sha256.clone(),
        first.seed,
        first.samples,
        first.backend.clone(),
    );
    m.scenario_file = first.scenario_file.clone();
    m.wall_s = wall_s;
    m.scenario_text = Some(first.scenario_text.clone());
    m.extra.insert(
        "merged_shards".into(),
        order
            .iter()
            .map(|&i| {
                serde_json::json!({
                    "dir": a.dirs[i].display().to_string(),
                    "shard": runs[i].shard.to_string(),
                    "trials": runs[i].trials,
                    "wall_s": runs[i].wall_s,
                })
            })
            .collect::<Vec<_>>()
            .into(),
    );
    m.extra
        .insert("unlanded".into(), unlanded_json(&rows, &out.tallies));
    write_manifest(&a.out.join("manifest.json"), &m).context("writing manifest.json")?;
    super::plot::finish_outputs(
        &a.out,
        None,
        crate::tools::map::DEFAULT_COVERAGE_ALTITUDE_KM,
    )?;
    if !a.quiet {
        println!(
            "{}: {} shards merged, {} trials on {} ({:.2} s in all)",
            sc.name,
            runs.len(),
            first.samples,
            first.backend,
            wall_s
        );
        print!("{}", render_summary_table(&rows));
        print!("{battery_table}");
    }
    println!("results: {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}

/// `files` (CSV with one header line each) as one file at `to`: the first header, then every
/// file's rows, atomically.
fn concat_csv(files: &[PathBuf], to: &Path) -> Result<()> {
    let mut out = AtomicFile::create(to)?;
    for (k, f) in files.iter().enumerate() {
        let file = std::fs::File::open(f).map_err(|e| {
            bad(format!(
                "{}: {e} (the shards ran with --per-trial)",
                f.display()
            ))
        })?;
        let mut lines = BufReader::new(file);
        let mut header = String::new();
        lines.read_line(&mut header)?;
        if k == 0 {
            out.write_all(header.as_bytes())?;
        }
        std::io::copy(&mut lines, &mut out)?;
    }
    out.commit()
        .with_context(|| format!("writing {}", to.display()))
}

fn merge_sweeps(a: &MergeArgs, shards: Vec<SweepTallies>) -> Result<ExitCode> {
    let first = &shards[0];
    let d0 = a.dirs[0].display();
    for (s, d) in shards.iter().zip(&a.dirs).skip(1) {
        let differs = header_differences(s, first);
        if !differs.is_empty() {
            return Err(bad(format!(
                "{}: {} differ from {d0}'s; shards of one sweep share them",
                d.display(),
                differs.join(", ")
            )));
        }
    }
    for (s, d) in shards.iter().zip(&a.dirs) {
        if s.points.len() != s.point_hashes.len() {
            return Err(bad(format!(
                "{}: the sweep shard finished {} of {} points",
                d.display(),
                s.points.len(),
                s.point_hashes.len()
            )));
        }
    }
    let ranges: Vec<([u64; 2], Shard)> = shards.iter().map(|s| (s.trials, s.shard)).collect();
    let order = check_cover(&a.dirs, &ranges, first.samples)?;
    // The points again, from the stored texts.
    let spec = SweepSpec::parse(&first.sweep_text, &first.sweep_file, &first.name)?;
    let mut s = build(
        spec,
        &first.base_text,
        &first.base_file,
        Some(first.samples),
        Some(first.seed),
        Some(first.baseline),
        Shard::WHOLE,
    )?;
    if s.header.point_hashes != first.point_hashes {
        return Err(bad(format!(
            "{d0}: the stored sweep does not rebuild the same points (another interceptmc version?)"
        )));
    }
    s.header.backend = first.backend.clone();
    // Every shard ran the points in the same order; add them up point by point.
    let mut merged: Vec<PointResult> = Vec::new();
    for (k, p) in first.points.iter().enumerate() {
        let mut r = PointResult {
            trials: [0, first.samples],
            wall_s: 0.0,
            tallies: vec![0; p.tallies.len()],
            paired: crate::mc::paired::PairedMoments::new(p.paired.classes()),
            ..p.clone()
        };
        for &i in &order {
            let q = &shards[i].points[k];
            if q.point != p.point || q.hash != p.hash {
                return Err(bad(format!(
                    "{}: its points ran in another order",
                    a.dirs[i].display()
                )));
            }
            for (t, v) in r.tallies.iter_mut().zip(&q.tallies) {
                *t = t
                    .checked_add(*v)
                    .context("the merged tallies overflow 64 bits")?;
            }
            r.paired.add(&q.paired)?;
            r.wall_s += q.wall_s;
        }
        merged.push(r);
    }
    let mut csv = csv_header(&s)?;
    let mut log = String::new();
    for r in &merged {
        csv.push_str(&rows_text(&s, &first.backend, r)?);
        log.push_str(&point_log_line(r)?);
    }
    write_json(&a.out.join(SWEEP_JSON), &s.header).context("writing sweep.json")?;
    write_atomic(a.out.join(SWEEP_CSV), csv.as_bytes()).context("writing sweep.csv")?;
    write_atomic(a.out.join(POINTS_LOG), log.as_bytes()).context("writing points.jsonl")?;
    let wall_s: f64 = merged.iter().map(|r| r.wall_s).sum();
    s.header.points = merged;
    write_tallies(&a.out, &Tallies::Sweep(s.header.clone())).context("writing tallies.json")?;
    write_sweep_manifest(
        &a.out,
        &s,
        &first.backend,
        None,
        crate::output::time::now_rfc3339(),
        wall_s,
    )?;
    super::plot::finish_outputs(
        &a.out,
        None,
        crate::tools::map::DEFAULT_COVERAGE_ALTITUDE_KM,
    )?;
    if !a.quiet {
        println!("{} shards merged", shards.len());
        print!("{}", render_points(&s));
    }
    println!("results: {}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
