use super::{load_checked, Failure};
use crate::model::batch::Batch;
use crate::output::atomic::AtomicFile;
use crate::tools::trajectory::nominal_trajectory;
use anyhow::{Context, Result};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TrajectoryArgs {
    /// Scenario file (default: the embedded default scenario).
    scenario: Option<PathBuf>,
    /// Threat class name (default: the first).
    #[arg(long)]
    threat: Option<String>,
    /// CSV output file.
    #[arg(long, default_value = "trajectory.csv")]
    out: PathBuf,
}

pub fn run(a: TrajectoryArgs) -> Result<ExitCode> {
    let sc = load_checked(a.scenario.as_ref(), &[])?.scenario;
    let class = match &a.threat {
        None => 0,
        Some(name) => sc
            .threats
            .iter()
            .position(|t| &t.name == name)
            .ok_or_else(|| {
                let names: Vec<_> = sc.threats.iter().map(|t| t.name.as_str()).collect();
                Failure::BadInput(format!(
                    "--threat {name}: no such threat class (have: {})",
                    names.join(", ")
                ))
            })?,
    };
    let batch = Batch::new(&sc);
    let th = &sc.threats[class];
    let (points, summary) = nominal_trajectory(&batch, class as u32, &th.name, th.kind.name());
    if let Some(dir) = a.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut file =
        AtomicFile::create(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    {
        let mut w = csv::Writer::from_writer(&mut file);
        for p in &points {
            w.serialize(p)?;
        }
        w.flush()?;
    }
    file.flush()?;
    file.commit()
        .with_context(|| format!("writing {}", a.out.display()))?;
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(ExitCode::SUCCESS)
}
