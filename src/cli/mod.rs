//! The command line (clap): the only place with clap and anyhow.

mod bench;
mod compare;
mod devices;
mod merge;
mod plot;
mod report;
mod run;
mod scenario_cmd;
mod sweep;
mod trajectory;
mod validate;
mod verify;

use crate::backend::gpu::GpuError;
use crate::backend::{Backend, BackendChoice};
use crate::mc::preflight::{preflight, Preflight};
use crate::scenario::{locate, Scenario, ScenarioError, ScenarioWarning};
use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Failures with their own exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad input (exit 2).
    #[error("{0}")]
    BadInput(String),
    /// The requested backend is unavailable (exit 3).
    #[error("{0}")]
    Unavailable(String),
    /// A check (verify, validate) failed (exit 1).
    #[error("{0}")]
    CheckFailed(String),
}

/// The `--backend` value parser of every command: auto, cpu or gpu (listed in `--help`).
pub(crate) fn backend_parser() -> impl clap::builder::TypedValueParser<Value = BackendChoice> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(BackendChoice::ALL.map(BackendChoice::name))
        .map(|s| s.parse::<BackendChoice>().expect("a listed backend"))
}

/// Opens the backend of `choice` for a command (`backend::open`), prints what `auto` chose on
/// stderr (unless `quiet`), and turns a missing GPU into exit 3.
pub(crate) fn open_backend(choice: BackendChoice, quiet: bool) -> Result<Box<dyn Backend>> {
    let opened = crate::backend::open(choice).map_err(|e| {
        Failure::Unavailable(format!(
            "--backend {choice}: no usable GPU adapter ({e}); use --backend cpu or auto"
        ))
    })?;
    if let (Some(note), false) = (&opened.note, quiet) {
        eprintln!("note: {note}");
    }
    Ok(opened.backend)
}

/// Exit code of an error: 2 for bad input, 3 for an unavailable backend, 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.downcast_ref::<ScenarioError>().is_some() {
            return 2;
        }
        match cause.downcast_ref::<Failure>() {
            Some(Failure::BadInput(_)) => return 2,
            Some(Failure::Unavailable(_)) => return 3,
            Some(Failure::CheckFailed(_)) => return 1,
            None => {}
        }
        // A scenario the GPU backend cannot run on this adapter: the backend is unavailable
        // for it (the CPU backend runs it).
        if let Some(GpuError::NoAdapter(_) | GpuError::TooLarge(_) | GpuError::LoopLimit { .. }) =
            cause.downcast_ref::<GpuError>()
        {
            return 3;
        }
    }
    1
}

#[derive(Parser, Debug)]
#[command(
    name = "interceptmc",
    version,
    about = "Monte Carlo missile-defense intercept probabilities on GPU (wgpu) and CPU (rayon)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the Monte Carlo on a scenario (the built-in default without a file).
    Run(run::RunArgs),
    /// Run every point of a sweep file (axes and layouts over a base scenario) on common random
    /// numbers -> sweep.csv with paired differences against a baseline point.
    Sweep(sweep::SweepArgs),
    /// Run scenario files (layouts) on the same trials and compare each with the first ->
    /// compare.csv with paired differences.
    Compare(compare::CompareArgs),
    /// Add up the shards of a run or sweep (`--shard k/K`) into the results of one process.
    Merge(merge::MergeArgs),
    /// Redraw the plots (PNG and SVG) and the map of a run, sweep or comparison directory from
    /// its CSV files.
    Plot(plot::PlotArgs),
    /// Write one self-contained report.html (tables, plots, map, manifest, assumptions) of a
    /// run, sweep or comparison directory.
    Report(report::ReportArgs),
    /// Write the nominal (dispersion-free) trajectory of one threat class as CSV (f64 reference).
    Trajectory(trajectory::TrajectoryArgs),
    /// Run the GPU and CPU backends on identical trials and compare them (exit 1 on failure).
    Verify(verify::VerifyArgs),
    /// List the GPU adapters wgpu sees.
    Devices(devices::DevicesArgs),
    /// Check the engine against published references on both backends -> validation.csv and validation.md.
    Validate(validate::ValidateArgs),
    /// GPU vs CPU throughput on the built-in workloads -> bench.csv.
    Bench(bench::BenchArgs),
    /// Scenario utilities.
    Scenario {
        #[command(subcommand)]
        command: scenario_cmd::ScenarioCommand,
    },
}

/// Mesa's Vulkan drivers print "error: XDG_RUNTIME_DIR is invalid or not set in the
/// environment." to stderr when they start without one (a container, a cron job, ssh without a
/// login session). Before wgpu starts, an unset or invalid one is set to a private directory
/// under the system's temporary directory (mode 0700), so the noise never reaches the user.
fn private_runtime_dir() {
    let valid = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .is_some_and(|d| d.is_absolute() && d.is_dir());
    if valid {
        return;
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let dir = std::env::temp_dir().join(format!("interceptmc-runtime-{user}"));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    if (builder.create(&dir).is_ok() || dir.is_dir()) && dir.is_absolute() {
        // Before any other thread exists (the first thing main does).
        std::env::set_var("XDG_RUNTIME_DIR", &dir);
    }
}

pub fn main() -> Result<ExitCode> {
    private_runtime_dir();
    // Ctrl-C: commands that can stop cleanly check a flag between chunks; the others end at
    // once (mc::interrupt). Failing to install the handler leaves the default behaviour.
    let _ = ctrlc::set_handler(crate::mc::interrupt::on_signal);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own help/version output is not an error; a usage error is bad input.
            let _ = e.print();
            return Ok(ExitCode::from(if e.use_stderr() { 2 } else { 0 }));
        }
    };
    match cli.command.unwrap_or(Command::Run(run::RunArgs::default())) {
        Command::Run(a) => run::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Plot(a) => plot::run(a),
        Command::Report(a) => report::run(a),
        Command::Trajectory(a) => trajectory::run(a),
        Command::Devices(a) => devices::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Scenario { command } => scenario_cmd::run(command),
    }
}

/// Loads the scenario (file or default) and applies `--set PATH=VALUE` overrides; the edited
/// text is validated like a file. Returns the scenario, its final text and its file name.
pub fn load_with_overrides(
    path: Option<&PathBuf>,
    sets: &[String],
) -> Result<(Scenario, String, Option<String>)> {
    let (scenario, mut text, file) = load_scenario(path)?;
    if sets.is_empty() {
        return Ok((scenario, text, file));
    }
    let origin = origin_of(file.as_deref(), &[]);
    for s in sets {
        let (p, v) = crate::scenario::overrides::parse_assignment(s).map_err(Failure::BadInput)?;
        text = crate::scenario::overrides::apply_override(&text, &origin, &p, v)?;
    }
    let scenario = Scenario::from_toml_str(&text, &origin_of(file.as_deref(), sets))?;
    Ok((scenario, text, file))
}

/// The origin messages name: the file (or `<default>`), with the `--set` overrides applied.
fn origin_of(file: Option<&str>, sets: &[String]) -> String {
    let origin = file.unwrap_or(crate::scenario::DEFAULT_ORIGIN).to_string();
    if sets.is_empty() {
        origin
    } else {
        format!("{origin} (with --set {})", sets.join(" --set "))
    }
}

/// A scenario ready to run: loaded (with its overrides), validated, and its nominal flights
/// checked by the preflight.
pub struct Checked {
    pub scenario: Scenario,
    /// The final text (overrides applied).
    pub text: String,
    /// The file, `None` for the embedded default.
    pub file: Option<String>,
    pub preflight: Preflight,
    /// The warnings printed on stderr (unit mistakes, layouts that cannot work).
    pub warnings: Vec<ScenarioWarning>,
}

/// [`load_with_overrides`], then the checks that need the physics (`mc::preflight`): a threat
/// class whose nominal flight cannot run (no burnout solution, a non-finite state, never comes
/// down) is bad input (exit 2) naming the file, the key (`threat[i]...`), its line and the
/// class. The warnings, the unit ones (`Scenario::unit_warnings`) and the preflight's, are
/// printed on stderr (before the error, if any) and never change the exit code.
pub fn load_checked(path: Option<&PathBuf>, sets: &[String]) -> Result<Checked> {
    let (scenario, text, file) = load_with_overrides(path, sets)?;
    let origin = origin_of(file.as_deref(), sets);
    let mut warnings = scenario.unit_warnings(&text, &origin);
    let flown = preflight(&scenario);
    if let Ok(p) = &flown {
        warnings.extend(
            p.warnings
                .iter()
                .map(|w| ScenarioWarning(locate(&text, &origin, &w.key, w.message.clone()))),
        );
    }
    for w in &warnings {
        eprintln!("{w}");
    }
    let preflight = flown.map_err(|e| locate(&text, &origin, &e.key, e.message))?;
    Ok(Checked {
        scenario,
        text,
        file,
        preflight,
        warnings,
    })
}

/// Loads the scenario file, or the embedded default without one. Returns it with its text and
/// the origin used in messages.
pub fn load_scenario(path: Option<&PathBuf>) -> Result<(Scenario, String, Option<String>)> {
    match path {
        None => Ok((
            Scenario::default_scenario(),
            crate::scenario::DEFAULT_SCENARIO_TOML.to_string(),
            None,
        )),
        Some(p) => {
            let scenario = Scenario::load(p)?;
            let text = std::fs::read_to_string(p).unwrap_or_default();
            Ok((scenario, text, Some(p.display().to_string())))
        }
    }
}
