use super::{load_checked, open_backend, Failure};
use crate::backend::BackendChoice;
use crate::backend::TrialRecord;
use crate::mc::battery::{battery_rows, never_fired_warnings};
use crate::mc::inputs::sampled_inputs;
use crate::mc::runner::{run_trials, summary_rows, RunOptions, RunOutput};
use crate::mc::sweep::Shard;
use crate::model::batch::Batch;
use crate::model::types::{NO_BATTERY, OUTCOME_KILLED, OUTCOME_LEAKED};
use crate::output::battery::{render_battery_table, write_battery_csv};
use crate::output::manifest::{sha256_hex, write_manifest, AdapterInfo, Manifest};
use crate::output::rundir::{claim_out_dir, default_run_dir, OutDir};
use crate::output::summary::{write_summary_csv, SummaryRow};
use crate::output::table::render_summary_table;
use crate::output::tallies::{write_tallies, RunTallies, Tallies};
use crate::output::trials::{leak_reason_name, TrialRow, TrialsWriter};
use crate::scenario::Scenario;
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// Scenario file (default: the embedded default scenario).
    pub scenario: Option<PathBuf>,
    /// Trials (the most, with --target-halfwidth); overrides [run] samples.
    #[arg(long)]
    pub samples: Option<u64>,
    /// Random seed; overrides [run] seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// auto | cpu | gpu; overrides [run] backend. auto: a hardware GPU when there is one, else
    /// the CPU (said on stderr); gpu: any adapter, a software one included, never the CPU.
    #[arg(long, value_parser = super::backend_parser())]
    pub backend: Option<BackendChoice>,
    /// Output directory (default: results/runs/<name>-<run id>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write trials.csv, one row per threat of every trial.
    #[arg(long)]
    pub per_trial: bool,
    /// Run batches until the interval half-width of p_kill (p_zero_leakers with a raid) is at
    /// most this, up to --samples.
    #[arg(long)]
    pub target_halfwidth: Option<f64>,
    /// No progress bar and no table (the results path is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Write into --out even when it already holds files (files of the same names are
    /// replaced).
    #[arg(long)]
    pub force: bool,
    /// Override a scenario value: PATH=VALUE with a dotted path, e.g. raid.size=20,
    /// interceptor.sm3.sspk=0.7, battery.redzikowo.inventory=12 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Run shard k of K (k/K): trials [floor(kN/K), floor((k+1)N/K)) of N = --samples;
    /// `interceptmc merge` adds the shards' tallies.json up to the results of one run.
    #[arg(long, value_name = "k/K")]
    pub shard: Option<Shard>,
    /// Also write the map layers as GeoJSON to FILE: sites, envelope footprints, radar
    /// coverage, nominal trajectories with their events (WGS 84 lon/lat).
    #[arg(long, value_name = "FILE")]
    pub geojson: Option<PathBuf>,
    /// Altitude of the radar coverage on the map and in the GeoJSON, km (default 100).
    #[arg(long, value_name = "KM")]
    pub coverage_altitude_km: Option<f64>,
}

fn check_overrides(a: &RunArgs) -> Result<()> {
    if a.samples == Some(0) {
        return Err(Failure::BadInput("--samples: must be at least 1".into()).into());
    }
    if let (Some(_), Some(_)) = (a.shard, a.target_halfwidth) {
        return Err(Failure::BadInput(
            "--shard: a shard runs a fixed range of trials; --target-halfwidth decides how many \
             trials to run as it goes, so the two do not combine"
                .into(),
        )
        .into());
    }
    if let Some(h) = a.target_halfwidth {
        if !(h.is_finite() && h > 0.0 && h < 0.5) {
            return Err(Failure::BadInput(format!(
                "--target-halfwidth: must be in (0, 0.5) (got {h})"
            ))
            .into());
        }
    }
    Ok(())
}

pub fn run(a: RunArgs) -> Result<ExitCode> {
    check_overrides(&a)?;
    let coverage_km = a
        .coverage_altitude_km
        .unwrap_or(crate::tools::map::DEFAULT_COVERAGE_ALTITUDE_KM);
    super::plot::check_coverage_altitude(coverage_km)?;
    let checked = load_checked(a.scenario.as_ref(), &a.set)?;
    let (mut sc, text, file) = (checked.scenario, checked.text, checked.file);
    if let Some(n) = a.samples {
        sc.run.samples = n;
    }
    if let Some(s) = a.seed {
        sc.run.seed = s;
    }
    if let Some(b) = a.backend {
        sc.run.backend = b;
    }
    let out_dir = a
        .out
        .clone()
        .unwrap_or_else(|| default_run_dir(Path::new("results"), &sc.name));
    super::plot::check_geojson_path(a.geojson.as_deref(), &out_dir)?;
    let claim =
        claim_out_dir(&out_dir, a.force, false).map_err(|e| Failure::BadInput(e.to_string()))?;
    let result = run_claimed(&a, sc, text, file, checked.warnings, &claim, coverage_km);
    match &result {
        Ok(c) if *c == ExitCode::SUCCESS => {}
        _ => claim.release(),
    }
    result
}

/// `run` once its output directory is claimed: an error or an interruption leaves nothing in
/// it (the caller releases the claim).
fn run_claimed(
    a: &RunArgs,
    sc: Scenario,
    text: String,
    file: Option<String>,
    warnings: Vec<crate::scenario::ScenarioWarning>,
    claim: &OutDir,
    coverage_km: f64,
) -> Result<ExitCode> {
    let out_dir = claim.path.clone();
    let mut backend = open_backend(sc.run.backend, a.quiet)?;
    let batch = Batch::new(&sc);
    let shard = a.shard.unwrap_or(Shard::WHOLE);
    let range = shard.range(sc.run.samples);
    let opts = RunOptions {
        samples: range.end - range.start,
        target_half_width: a.target_halfwidth,
        per_trial: a.per_trial,
        progress: !a.quiet,
        first_trial: range.start,
    };
    let mut trials_writer = if a.per_trial {
        let names: Vec<String> = sc.interceptors.iter().map(|i| i.name.clone()).collect();
        Some(TrialsWriter::new(out_dir.join("trials.csv"), &names)?)
    } else {
        None
    };
    let started = crate::output::time::now_rfc3339();
    if !a.quiet {
        println!(
            "{}",
            first_line(&sc, range.end - range.start, backend.as_ref())
        );
    }
    crate::mc::interrupt::stop_between_chunks();
    let out = run_trials(
        backend.as_mut(),
        &batch,
        &opts,
        sc.run.confidence,
        |records| {
            let w = trials_writer.as_mut().expect("per-trial writer");
            for r in records {
                w.write(&trial_row(&sc, &batch, r))?;
            }
            Ok(())
        },
    )?;
    if out.interrupted {
        drop(trials_writer); // discards the temporary file
        eprintln!(
            "interrupted after {} of {} trials: nothing written",
            out.trials,
            range.end - range.start
        );
        return Ok(ExitCode::from(crate::mc::interrupt::EXIT_INTERRUPTED));
    }
    if let Some(w) = trials_writer {
        w.finish().context("writing trials.csv")?;
    }
    let rows = summary_rows(&sc, backend.kind(), &out);
    warn_unlanded(&rows, &out.tallies);
    write_summary_csv(&out_dir.join("summary.csv"), &rows).context("writing summary.csv")?;
    let battery_table = write_batteries(&out_dir, &sc, &out.tallies)?;
    write_raid(&out_dir, batch.raid_size(), &out)?;
    let tallies = RunTallies {
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: sc.name.clone(),
        scenario_file: file.clone(),
        scenario_sha256: sha256_hex(text.as_bytes()),
        scenario_text: text.clone(),
        seed: sc.run.seed,
        samples: sc.run.samples,
        shard,
        trials: [range.start, range.start + out.trials],
        backend: backend.kind().to_string(),
        wall_s: out.wall_s,
        tallies: out.tallies.clone(),
        per_trial: a.per_trial,
    };
    write_tallies(&out_dir, &Tallies::Run(tallies)).context("writing tallies.json")?;
    let mut m = Manifest::new(
        sc.name.clone(),
        sha256_hex(text.as_bytes()),
        sc.run.seed,
        out.trials,
        backend.kind(),
    );
    m.scenario_file = file;
    m.adapter = backend.adapter().map(|ad| AdapterInfo {
        name: ad.name,
        backend: ad.backend,
        driver: ad.driver,
        driver_info: ad.driver_info,
        device_type: ad.device_type,
    });
    m.threads = rayon::current_num_threads();
    m.wall_s = out.wall_s;
    m.started_utc = started;
    m.command_line = std::env::args().collect();
    m.raid = sc.raid.as_ref().map(|r| {
        serde_json::json!({
            "size": r.size, "launch_window_s": r.launch_window_s,
            "system_reliability": r.system_reliability, "track_reliability": r.track_reliability
        })
    });
    m.scenario_text = Some(text.clone());
    m.extra
        .insert("samples_requested".into(), sc.run.samples.into());
    m.extra
        .insert("confidence".into(), sc.run.confidence.into());
    if let Some(h) = a.target_halfwidth {
        m.extra.insert("target_halfwidth".into(), h.into());
    }
    if a.shard.is_some() {
        m.extra.insert("shard".into(), shard.to_string().into());
        m.extra.insert(
            "trials".into(),
            serde_json::json!([range.start, range.start + out.trials]),
        );
    }
    m.extra.insert(
        "total_steps".into(),
        out.tallies[crate::model::tally::STEPS].into(),
    );
    m.extra
        .insert("unlanded".into(), unlanded_json(&rows, &out.tallies));
    let capacity = capacity_json(&sc, &out.tallies);
    if let Some(c) = &capacity {
        m.extra.insert("capacity_bound".into(), c.clone());
    }
    m.extra.insert(
        "warnings".into(),
        warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .into(),
    );
    write_manifest(&out_dir.join("manifest.json"), &m).context("writing manifest.json")?;
    super::plot::finish_outputs(&out_dir, a.geojson.as_deref(), coverage_km)?;
    if !a.quiet {
        println!("{} trials in {:.2} s", out.trials, out.wall_s);
        print!("{}", render_summary_table(&rows));
        print!("{battery_table}");
    }
    println!("results: {}", out_dir.display());
    Ok(ExitCode::SUCCESS)
}

/// `battery.csv`, the warnings about batteries that never fired (on stderr), and the run
/// table's battery block (which repeats them).
pub(crate) fn write_batteries(out_dir: &Path, sc: &Scenario, tallies: &[u64]) -> Result<String> {
    let rows = battery_rows(sc, tallies);
    write_battery_csv(&out_dir.join("battery.csv"), &rows).context("writing battery.csv")?;
    let warnings = never_fired_warnings(&rows);
    for w in &warnings {
        eprintln!("{w}");
    }
    Ok(render_battery_table(&rows, &warnings))
}

/// The run's first line: name, trials, backend and adapter ("software" for lavapipe and the
/// like), e.g. `europe-layered: 100000 trials on gpu (NVIDIA H100 80GB HBM3, vulkan)`.
fn first_line(sc: &Scenario, trials: u64, backend: &dyn crate::backend::Backend) -> String {
    let adapter = backend
        .adapter()
        .map(|ad| {
            let software = if ad.is_cpu { ", software" } else { "" };
            format!(" ({}, {}{software})", ad.name, ad.backend)
        })
        .unwrap_or_default();
    format!(
        "{}: {trials} trials on {}{adapter}",
        sc.name,
        backend.kind()
    )
}

/// manifest.json's `capacity_bound` (with capacity keys only): per battery, the threats whose
/// engagement by it each limit delayed or prevented (`tally::capacity`; docs/model.md section
/// 10, "Capacity"): `{ "<battery>": { "fire_channels": n, "launch_interval": n,
/// "track_capacity": n, "fire_control": n }, ... }`.
pub(crate) fn capacity_json(sc: &Scenario, tallies: &[u64]) -> Option<serde_json::Value> {
    use crate::model::tally;
    use crate::model::types::{CAP_CHANNELS, CAP_FIRE_CONTROL, CAP_INTERVAL, CAP_TRACK};
    if !sc.has_capacity_limits() {
        return None;
    }
    let mut m = serde_json::Map::new();
    for (i, b) in sc.batteries.iter().enumerate() {
        m.insert(
            b.name.clone(),
            serde_json::json!({
                "fire_channels": tally::capacity_all(tallies, i, CAP_CHANNELS),
                "launch_interval": tally::capacity_all(tallies, i, CAP_INTERVAL),
                "track_capacity": tally::capacity_all(tallies, i, CAP_TRACK),
                "fire_control": tally::capacity_all(tallies, i, CAP_FIRE_CONTROL),
            }),
        );
    }
    Some(serde_json::Value::Object(m))
}

/// `raid.csv` of a run with raids (nothing for single-threat trials).
pub(crate) fn write_raid(out_dir: &Path, raid_size: u32, out: &RunOutput) -> Result<()> {
    if raid_size > 1 {
        let t = &out.tallies;
        use crate::model::tally;
        let leakers = &t[tally::LEAKER_HIST..tally::LEAKER_HIST + raid_size as usize + 1];
        let fired = &t[tally::INTERCEPTOR_HIST
            ..tally::INTERCEPTOR_HIST + crate::base::limits::INTERCEPTOR_BINS];
        crate::output::raid::write_raid_csv(&out_dir.join("raid.csv"), leakers, fired, out.trials)
            .context("writing raid.csv")?;
    }
    Ok(())
}

/// Per class (scenario order, then `all`): threats that never came down and, of those, the ones
/// whose state went non-finite.
fn unlanded_counts(rows: &[SummaryRow], tallies: &[u64]) -> Vec<(String, u64, u64)> {
    use crate::model::tally::NONFINITE;
    let classes = rows.len().saturating_sub(1);
    let nonfinite = |c: usize| tallies[NONFINITE + c];
    rows.iter()
        .enumerate()
        .map(|(c, r)| {
            let nf = if c < classes {
                nonfinite(c)
            } else {
                (0..crate::base::limits::MAX_CLASSES).map(nonfinite).sum()
            };
            (r.threat.clone(), r.unlanded, nf)
        })
        .collect()
}

/// manifest.json's `unlanded`: `{ "<class>": { "unlanded": n, "nonfinite": k, "threats": m }, ...,
/// "all": {...} }`.
pub(crate) fn unlanded_json(rows: &[SummaryRow], tallies: &[u64]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for ((name, unlanded, nonfinite), r) in unlanded_counts(rows, tallies).into_iter().zip(rows) {
        map.insert(
            name,
            serde_json::json!({ "unlanded": unlanded, "nonfinite": nonfinite, "threats": r.threats }),
        );
    }
    map.into()
}

/// Says on stderr, per class, how many threats never came down (or went non-finite): they are
/// in the results as the kill or leak their outcome says, which for them means little.
pub(crate) fn warn_unlanded(rows: &[SummaryRow], tallies: &[u64]) {
    let counts = unlanded_counts(rows, tallies);
    let classes = counts.len().saturating_sub(1);
    for ((name, unlanded, nonfinite), r) in counts.iter().zip(rows).take(classes) {
        if *unlanded > 0 {
            eprintln!(
                "warning: threat {name:?}: {unlanded} of {} threats did not come down within the \
                 maximum flight time ({nonfinite} of them with a non-finite state); they are \
                 counted in p_kill's denominator as their outcome says (leaked or unengaged \
                 unless killed) and in summary.csv's `unlanded` column",
                r.threats
            );
        }
    }
}

fn opt(x: f32) -> Option<f64> {
    if x.is_finite() {
        Some(x as f64)
    } else {
        None
    }
}

/// The names of the batteries whose bit is set in `mask`, `;`-separated.
fn battery_names(sc: &Scenario, mask: impl Fn(usize) -> bool) -> String {
    let names: Vec<&str> = sc
        .batteries
        .iter()
        .enumerate()
        .filter(|(b, _)| mask(*b))
        .map(|(_, bat)| bat.name.as_str())
        .collect();
    names.join(";")
}

/// One trials.csv row from a backend record (the sampled inputs recomputed from the draws).
pub fn trial_row(sc: &Scenario, batch: &Batch, r: &TrialRecord) -> TrialRow {
    let o = &r.outcome;
    TrialRow {
        trial: r.trial,
        raid_index: r.slot,
        threat: sc.threats[o.class_id as usize].name.clone(),
        outcome: match o.outcome {
            OUTCOME_KILLED => crate::output::trials::OUTCOME_KILLED,
            OUTCOME_LEAKED => crate::output::trials::OUTCOME_LEAKED,
            _ => crate::output::trials::OUTCOME_UNENGAGED,
        },
        interceptors_fired: o.interceptors,
        decoy_interceptors: o.decoy_interceptors,
        kill_time_s: opt(o.kill_time_s),
        kill_altitude_km: opt(o.kill_alt_km),
        kill_battery: (o.kill_battery != NO_BATTERY)
            .then(|| sc.batteries[o.kill_battery as usize].name.clone()),
        track_time_s: opt(r.track.track_time_s),
        impact_lat_deg: opt(r.track.impact_lat_deg),
        impact_lon_deg: opt(r.track.impact_lon_deg),
        launch_time_s: r.track.launch_time_s as f64,
        leak_reason: leak_reason_name(o.leak_reason),
        window_batteries: battery_names(sc, |b| o.window_mask & (1 << b) != 0),
        fired_batteries: battery_names(sc, |b| o.battery_interceptors(b) > 0),
        inputs: sampled_inputs(batch, r.trial, r.slot),
    }
}
