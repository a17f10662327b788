//! `interceptmc sweep FILE`: every point of a sweep file on one backend, with common random
//! numbers, paired differences against a baseline point, resume and shards (README.md,
//! "Sweeps"; the files are described in `output::sweep`).

use super::{open_backend, Failure};
use crate::backend::{Backend, BackendChoice, BackendError};
use crate::mc::preflight::preflight;
use crate::mc::sweep::{
    fingerprint, point_rows, run_point, Pairing, PointError, PointResult, Shard, SweepProgress,
};
use crate::model::batch::Batch;
use crate::output::manifest::{sha256_hex, write_manifest, AdapterInfo, Manifest};
use crate::output::rundir::{claim_out_dir, default_run_dir, prepare_out_dir};
use crate::output::sweep::{
    header_line, point_lines, point_log_line, read_point_log, remove_stale_temps, sweep_header,
    write_json, Appender, BaselineReader, BaselineWriter, PointCells, BASELINE_FILE, POINTS_LOG,
    SWEEP_CSV, SWEEP_JSON,
};
use crate::output::tallies::{write_tallies, SweepTallies, Tallies};
use crate::scenario::sweep::{format_value, Point, SweepSpec};
use crate::scenario::{Scenario, ScenarioError};
use anyhow::{Context, Result};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Sweep file: `base = "scenario.toml"`, [[axis]] tables (path, values or range), optional
    /// [[layout]] tables and `mode = "grid" | "zip"`.
    pub file: PathBuf,
    /// Output directory (default: results/runs/<sweep name>-<run id>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Trials per point; overrides the sweep file's `samples` and the base's [run] samples.
    #[arg(long)]
    pub samples: Option<u64>,
    /// Random seed of every point; overrides the sweep file's `seed` and the base's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// auto | cpu | gpu, as for `run` (default: the base's [run] backend).
    #[arg(long, value_parser = super::backend_parser())]
    pub backend: Option<BackendChoice>,
    /// The point the differences are taken against (default: the sweep file's `baseline`, else 0).
    #[arg(long)]
    pub baseline: Option<usize>,
    /// Continue the sweep in --out: keep its finished points, run the others.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Run shard k of K (k/K) of every point's trials; `interceptmc merge` adds the shards up.
    #[arg(long, value_name = "k/K")]
    pub shard: Option<Shard>,
    /// No progress bar and no table (the results path is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Write into --out even when it already holds files (files of the same names are
    /// replaced).
    #[arg(long)]
    pub force: bool,
    /// Stop (exit 0) after running this many points, as if killed (tests of --resume).
    #[arg(long, hide = true)]
    pub stop_after: Option<usize>,
    /// Also write the map layers as GeoJSON to FILE: the base layout, nominal trajectories and,
    /// for a sweep over aim points, the defended footprint (p_kill per cell).
    #[arg(long, value_name = "FILE")]
    pub geojson: Option<PathBuf>,
    /// Altitude of the radar coverage on the map and in the GeoJSON, km (default 100).
    #[arg(long, value_name = "KM")]
    pub coverage_altitude_km: Option<f64>,
}

/// A sweep file read, its points built and checked, and what identifies it.
pub struct LoadedSweep {
    pub spec: SweepSpec,
    pub points: Vec<Point>,
    pub header: SweepTallies,
    pub batches: Vec<Batch>,
}

/// Parses the sweep file, reads its base and builds every point (exit 2 on any failure, naming
/// the file, the key or axis, its line and the point).
fn load(a: &SweepArgs) -> Result<(SweepSpec, String, String)> {
    let origin = a.file.display().to_string();
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| ScenarioError::new(&origin, "", format!("cannot read the file: {e}")))?;
    let stem = a
        .file
        .file_stem()
        .map_or("sweep".to_string(), |s| s.to_string_lossy().into_owned());
    let spec = SweepSpec::parse(&text, &origin, &stem)?;
    let dir = a.file.parent().unwrap_or(Path::new(""));
    let base_path = dir.join(&spec.base);
    let base_origin = base_path.display().to_string();
    let base_text = std::fs::read_to_string(&base_path).map_err(|e| {
        crate::scenario::locate(
            &text,
            &origin,
            "base",
            format!(
                "cannot read the base scenario {base_origin} (relative to the sweep file): {e}"
            ),
        )
    })?;
    Ok((spec, base_text, base_origin))
}

/// Builds the points from the texts (also what `merge` does with the stored texts).
pub fn build(
    spec: SweepSpec,
    base_text: &str,
    base_file: &str,
    samples: Option<u64>,
    seed: Option<u64>,
    baseline: Option<usize>,
    shard: Shard,
) -> Result<LoadedSweep> {
    let base = Scenario::from_toml_str(base_text, base_file)?;
    let samples = samples.or(spec.samples).unwrap_or(base.run.samples);
    let seed = seed.or(spec.seed).unwrap_or(base.run.seed);
    let points = spec.expand(base_text, base_file, Some(samples), Some(seed))?;
    let baseline = baseline.or(spec.baseline).unwrap_or(0);
    if baseline >= points.len() {
        return Err(Failure::BadInput(format!(
            "--baseline {baseline}: the sweep has points 0 to {}",
            points.len() - 1
        ))
        .into());
    }
    let batches: Vec<Batch> = points.iter().map(|p| Batch::new(&p.scenario)).collect();
    let range = shard.range(samples);
    let header = SweepTallies {
        version: env!("CARGO_PKG_VERSION").to_string(),
        name: spec.name.clone(),
        sweep_file: spec.origin().to_string(),
        sweep_sha256: sha256_hex(spec.text().as_bytes()),
        sweep_text: spec.text().to_string(),
        base_file: base_file.to_string(),
        base_sha256: sha256_hex(base_text.as_bytes()),
        base_text: base_text.to_string(),
        seed,
        samples,
        shard,
        trials: [range.start, range.end],
        baseline,
        backend: String::new(),
        point_hashes: points
            .iter()
            .map(|p| sha256_hex(p.text.as_bytes()))
            .collect(),
        fingerprints: batches.iter().map(fingerprint).collect(),
        points: Vec::new(),
    };
    Ok(LoadedSweep {
        spec,
        points,
        header,
        batches,
    })
}

/// The nominal flights of every point (`mc::preflight`): a point that cannot fly is bad input
/// naming the sweep file and the point; the warnings are printed once each, with how many
/// points have them.
fn check_points(s: &LoadedSweep) -> Result<()> {
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for p in &s.points {
        let origin = format!("{} point {}", s.spec.origin(), p.index);
        for w in p.scenario.unit_warnings(&p.text, &origin) {
            *warnings
                .entry(format!("{}: {}", w.key(), w.message()))
                .or_default() += 1;
        }
        match preflight(&p.scenario) {
            Ok(f) => {
                for w in f.warnings {
                    *warnings
                        .entry(format!("{}: {}", w.key, w.message))
                        .or_default() += 1;
                }
            }
            Err(e) => {
                return Err(Failure::BadInput(format!(
                    "{}: point {} ({}): {}: {}",
                    s.spec.origin(),
                    p.index,
                    p.label(&s.spec),
                    e.key,
                    e.message
                ))
                .into())
            }
        }
    }
    for (w, n) in warnings {
        eprintln!(
            "warning: {}: {n} of {} points: {w}",
            s.spec.origin(),
            s.points.len()
        );
    }
    Ok(())
}

/// A point's failure as an error whose exit code says what happened (a GPU that cannot run the
/// scenario is exit 3, as for `run`).
pub fn point_error(e: PointError, what: &str) -> anyhow::Error {
    match e {
        PointError::Backend(BackendError::Gpu(g)) => {
            anyhow::Error::new(g).context(what.to_string())
        }
        other => anyhow::Error::new(other).context(what.to_string()),
    }
}

/// The fields of two sweep headers that differ (for a refused --resume or merge).
pub fn header_differences(a: &SweepTallies, b: &SweepTallies) -> Vec<&'static str> {
    let mut d = Vec::new();
    let mut check = |same: bool, what: &'static str| {
        if !same {
            d.push(what);
        }
    };
    check(a.sweep_sha256 == b.sweep_sha256, "the sweep file (SHA-256)");
    check(
        a.base_sha256 == b.base_sha256,
        "the base scenario (SHA-256)",
    );
    check(
        a.point_hashes == b.point_hashes,
        "the points' resolved scenarios",
    );
    check(a.seed == b.seed, "the seed");
    check(a.samples == b.samples, "the samples");
    check(a.baseline == b.baseline, "the baseline point");
    check(a.backend == b.backend, "the backend");
    d
}

fn cells(p: &Point) -> PointCells {
    PointCells {
        point: p.index,
        layout: p.layout.clone(),
        params: p.values.iter().map(format_value).collect(),
    }
}

/// The rows of one finished point as `sweep.csv` lines.
pub fn rows_text(s: &LoadedSweep, backend: &str, r: &PointResult) -> Result<String> {
    let h = &s.header;
    let identical = h.fingerprints[r.point] == h.fingerprints[h.baseline];
    let rows = point_rows(&s.points[r.point].scenario, backend, r, identical);
    Ok(point_lines(&cells(&s.points[r.point]), h.baseline, &rows)?)
}

/// The header line of `sweep.csv`.
pub fn csv_header(s: &LoadedSweep) -> Result<String> {
    let axes: Vec<String> = s.spec.axes.iter().map(|a| a.path.clone()).collect();
    Ok(header_line(&sweep_header(
        !s.spec.layouts.is_empty(),
        &axes,
    ))?)
}

/// The points in the order they run: the baseline first, then the others in order.
pub fn run_order(points: usize, baseline: usize) -> Vec<usize> {
    std::iter::once(baseline)
        .chain((0..points).filter(|&p| p != baseline))
        .collect()
}

pub fn run(a: SweepArgs) -> Result<ExitCode> {
    if a.samples == Some(0) {
        return Err(Failure::BadInput("--samples: must be at least 1".into()).into());
    }
    let coverage_km = a
        .coverage_altitude_km
        .unwrap_or(crate::tools::map::DEFAULT_COVERAGE_ALTITUDE_KM);
    super::plot::check_coverage_altitude(coverage_km)?;
    let (spec, base_text, base_file) = load(&a)?;
    let shard = a.shard.unwrap_or(Shard::WHOLE);
    let mut s = build(
        spec, &base_text, &base_file, a.samples, a.seed, a.baseline, shard,
    )?;
    check_points(&s)?;
    let choice = a.backend.unwrap_or(s.points[0].scenario.run.backend);
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| default_run_dir(Path::new("results"), &s.spec.name));
    super::plot::check_geojson_path(a.geojson.as_deref(), &out_dir)?;
    if !a.resume && out_dir.join(SWEEP_JSON).exists() {
        return Err(Failure::BadInput(format!(
            "--out {}: holds a sweep already; continue it with --resume, or choose another --out",
            out_dir.display()
        ))
        .into());
    }
    // With --resume the directory holds the sweep being continued.
    let claim = claim_out_dir(&out_dir, a.force || a.resume, false)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let mut backend = match open_backend(choice, a.quiet) {
        Ok(b) => b,
        Err(e) => {
            claim.release();
            return Err(e);
        }
    };
    s.header.backend = backend.kind().to_string();
    let done: Vec<PointResult> = if a.resume {
        resume_state(&out_dir, &s)?
    } else {
        Vec::new()
    };
    prepare_out_dir(&out_dir)
        .with_context(|| format!("creating output directory {}", out_dir.display()))?;
    if a.resume {
        remove_stale_temps(&out_dir).context("removing a killed sweep's temporary files")?;
    } else {
        write_json(&out_dir.join(SWEEP_JSON), &s.header).context("writing sweep.json")?;
    }
    // sweep.csv and points.jsonl rewritten from the finished points (atomically), then
    // appended to.
    let mut csv_text = csv_header(&s)?;
    let mut log_text = String::new();
    for r in &done {
        csv_text.push_str(&rows_text(&s, backend.kind(), r)?);
        log_text.push_str(&point_log_line(r)?);
    }
    let mut csv = Appender::create(&out_dir.join(SWEEP_CSV), &csv_text).context("sweep.csv")?;
    let mut log = Appender::create(&out_dir.join(POINTS_LOG), &log_text).context("points.jsonl")?;

    let started = crate::output::time::now_rfc3339();
    let wall = std::time::Instant::now();
    let n_points = s.points.len();
    let baseline = s.header.baseline;
    let order = run_order(n_points, baseline);
    let is_done = |p: usize, done: &[PointResult]| done.iter().any(|r| r.point == p);
    let trials = s.header.trials;
    let per_point = trials[1] - trials[0];
    let classes = s.batches[baseline].classes.len();
    let baseline_path = out_dir.join(BASELINE_FILE);
    let open_reader = |h: &SweepTallies| {
        BaselineReader::open(&baseline_path, &h.fingerprints[h.baseline], trials, classes)
    };
    let mut reader = if is_done(baseline, &done) {
        open_reader(&s.header)?
    } else {
        None
    };
    let todo = order.iter().filter(|&&p| !is_done(p, &done)).count();
    let rerun_baseline = reader.is_none() && is_done(baseline, &done);
    let progress = SweepProgress::new(
        (todo as u64 + u64::from(rerun_baseline)) * per_point,
        !a.quiet,
    );
    let mut results = done.clone();
    let mut ran = 0usize;
    crate::mc::interrupt::stop_between_chunks();
    for &p in &order {
        let finished = is_done(p, &done);
        if finished && (p != baseline || reader.is_some()) {
            continue;
        }
        if crate::mc::interrupt::requested() {
            progress.finish();
            eprintln!(
                "interrupted after {} of {n_points} points; continue with --resume --out {}",
                results.len(),
                out_dir.display()
            );
            return Ok(ExitCode::from(crate::mc::interrupt::EXIT_INTERRUPTED));
        }
        if a.stop_after.is_some_and(|n| ran >= n) {
            progress.finish();
            eprintln!(
                "stopped after {ran} points (--stop-after); continue with --resume --out {}",
                out_dir.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        let label = s.points[p].label(&s.spec);
        progress.point(format!("point {p} ({} of {n_points})", results.len() + 1));
        let what = format!("{}: point {p} ({label})", s.spec.origin());
        let batch = &s.batches[p];
        let range = trials[0]..trials[1];
        let (tallies, paired, wall_s) = if p == baseline {
            let mut w = BaselineWriter::create(
                &baseline_path,
                &s.header.fingerprints[baseline],
                trials,
                classes,
            )
            .context("baseline per-trial counts")?;
            let r = run_point(
                backend.as_mut(),
                batch,
                range,
                Pairing::Baseline(&mut w),
                &progress,
            )
            .map_err(|e| point_error(e, &what))?;
            w.commit().context("baseline per-trial counts")?;
            reader = open_reader(&s.header)?;
            if reader.is_none() {
                anyhow::bail!("the baseline's per-trial counts did not read back");
            }
            r
        } else {
            let src = reader.as_mut().expect("the baseline ran first");
            run_point(
                backend.as_mut(),
                batch,
                range,
                Pairing::Against(src),
                &progress,
            )
            .map_err(|e| point_error(e, &what))?
        };
        ran += 1;
        if finished {
            continue; // the baseline again, for its per-trial counts only
        }
        let r = PointResult {
            point: p,
            hash: s.header.point_hashes[p].clone(),
            trials,
            wall_s,
            tallies,
            paired,
        };
        csv.append(&rows_text(&s, backend.kind(), &r)?)
            .context("appending to sweep.csv")?;
        log.append(&point_log_line(&r)?)
            .context("appending to points.jsonl")?;
        results.push(r);
    }
    progress.finish();
    finish(
        &out_dir,
        &mut s,
        results,
        backend.as_ref(),
        started,
        wall.elapsed().as_secs_f64(),
    )?;
    super::plot::finish_outputs(&out_dir, a.geojson.as_deref(), coverage_km)?;
    if !a.quiet {
        print!("{}", render_points(&s));
    }
    println!("results: {}", out_dir.display());
    Ok(ExitCode::SUCCESS)
}

/// The finished points of a sweep directory being resumed, after checking that it holds this
/// sweep (exit 2 naming what differs).
fn resume_state(out_dir: &Path, s: &LoadedSweep) -> Result<Vec<PointResult>> {
    let meta_path = out_dir.join(SWEEP_JSON);
    let text = std::fs::read_to_string(&meta_path).map_err(|e| {
        Failure::BadInput(format!(
            "--resume: {}: {e} (no sweep to continue there)",
            meta_path.display()
        ))
    })?;
    let old: SweepTallies = serde_json::from_str(&text).map_err(|e| {
        Failure::BadInput(format!(
            "--resume: {}: not a sweep.json: {e}",
            meta_path.display()
        ))
    })?;
    let differs = header_differences(&old, &s.header);
    let shard_differs = old.shard != s.header.shard || old.trials != s.header.trials;
    if !differs.is_empty() || shard_differs {
        let mut what = differs.join(", ");
        if shard_differs {
            what = [what, "the shard".to_string()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
        }
        return Err(Failure::BadInput(format!(
            "--resume: {} holds another sweep ({what} differ); refusing to mix them",
            out_dir.display()
        ))
        .into());
    }
    let mut done = read_point_log(&out_dir.join(POINTS_LOG))
        .with_context(|| format!("reading {}", out_dir.join(POINTS_LOG).display()))?;
    // Keep the points in run order that match this sweep; anything else ends the prefix.
    let order = run_order(s.points.len(), s.header.baseline);
    let mut kept = 0;
    for (r, &p) in done.iter().zip(&order) {
        if r.point != p || r.hash != s.header.point_hashes[p] || r.trials != s.header.trials {
            break;
        }
        kept += 1;
    }
    done.truncate(kept);
    Ok(done)
}

/// The end of a sweep: `tallies.json`, `manifest.json`, and the baseline file removed.
fn finish(
    out_dir: &Path,
    s: &mut LoadedSweep,
    results: Vec<PointResult>,
    backend: &dyn Backend,
    started: String,
    wall_s: f64,
) -> Result<()> {
    s.header.points = results;
    write_tallies(out_dir, &Tallies::Sweep(s.header.clone())).context("writing tallies.json")?;
    write_sweep_manifest(
        out_dir,
        s,
        backend.kind(),
        backend.adapter(),
        started,
        wall_s,
    )?;
    let _ = std::fs::remove_file(out_dir.join(BASELINE_FILE));
    Ok(())
}

/// `manifest.json` of a sweep (also of a merged one).
pub fn write_sweep_manifest(
    out_dir: &Path,
    s: &LoadedSweep,
    backend: &str,
    adapter: Option<crate::backend::gpu::AdapterReport>,
    started: String,
    wall_s: f64,
) -> Result<()> {
    let h = &s.header;
    let mut m = Manifest::new(
        s.points[h.baseline].scenario.name.clone(),
        h.base_sha256.clone(),
        h.seed,
        h.samples,
        backend,
    );
    m.scenario_file = Some(h.base_file.clone());
    m.adapter = adapter.map(|ad| AdapterInfo {
        name: ad.name,
        backend: ad.backend,
        driver: ad.driver,
        driver_info: ad.driver_info,
        device_type: ad.device_type,
    });
    m.threads = rayon::current_num_threads();
    m.wall_s = wall_s;
    m.started_utc = started;
    m.extra
        .insert("sweep_file".into(), h.sweep_file.clone().into());
    m.extra
        .insert("sweep_sha256".into(), h.sweep_sha256.clone().into());
    m.extra.insert("points".into(), s.points.len().into());
    m.extra.insert("baseline".into(), h.baseline.into());
    m.extra.insert("shard".into(), h.shard.to_string().into());
    m.extra.insert(
        "trials".into(),
        serde_json::json!([h.trials[0], h.trials[1]]),
    );
    write_manifest(&out_dir.join("manifest.json"), &m).context("writing manifest.json")
}

/// The stdout table of a finished sweep: per point, the `all` row's p_kill and its difference
/// from the baseline (the first 40 points by index).
pub fn render_points(s: &LoadedSweep) -> String {
    const SHOWN: usize = 40;
    let h = &s.header;
    let mut by_point: Vec<&PointResult> = h.points.iter().collect();
    by_point.sort_by_key(|r| r.point);
    let mut axes: Vec<&str> = Vec::new();
    if !s.spec.layouts.is_empty() {
        axes.push("layout");
    }
    axes.extend(s.spec.axes.iter().map(|a| a.path.as_str()));
    let mut out = format!(
        "{} ({} points, {} trials each, baseline point {}); where = {}\n{:>5}  {:<30}  {:<24}  d_p_kill vs baseline\n",
        s.spec.name,
        s.points.len(),
        h.trials[1] - h.trials[0],
        h.baseline,
        axes.join(", "),
        "point",
        "where",
        "p_kill (all) [CI]"
    );
    for r in by_point.iter().take(SHOWN) {
        let identical = h.fingerprints[r.point] == h.fingerprints[h.baseline];
        let rows = point_rows(&s.points[r.point].scenario, &h.backend, r, identical);
        let Some((all, d)) = rows.last() else {
            continue;
        };
        let pt = &s.points[r.point];
        let mut label: Vec<String> = pt.layout.iter().cloned().collect();
        label.extend(pt.values.iter().map(format_value));
        let mut label = label.join(", ");
        if label.chars().count() > 30 {
            label = label.chars().take(29).collect::<String>() + "…";
        }
        out.push_str(&format!(
            "{:>5}  {:<30}  {:.4} [{:.4}, {:.4}]  {:+.4} [{:+.4}, {:+.4}]\n",
            r.point,
            label,
            all.p_kill,
            all.p_kill_lo,
            all.p_kill_hi,
            d.p_kill.difference,
            d.p_kill.lo,
            d.p_kill.hi
        ));
    }
    if by_point.len() > SHOWN {
        out.push_str(&format!(
            "  ... {} more points in sweep.csv\n",
            by_point.len() - SHOWN
        ));
    }
    out
}
