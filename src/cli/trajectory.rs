use super::{load_checked, Failure};
use crate::model::batch::Batch;
use crate::output::atomic::AtomicFile;
use crate::tools::trajectory::{marked_trajectory, SiteNames};
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
    let sensors: Vec<String> = sc.sensors.iter().map(|s| s.name.clone()).collect();
    let batteries: Vec<String> = sc.batteries.iter().map(|b| b.name.clone()).collect();
    let names = SiteNames {
        sensors: &sensors,
        batteries: &batteries,
    };
    let (points, summary) =
        marked_trajectory(&batch, class as u32, &th.name, th.kind.name(), &names);
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
    let mut json = serde_json::to_value(&summary)?;
    round_json(&mut json, "");
    json["csv"] = a.out.display().to_string().into();
    println!("{}", serde_json::to_string_pretty(&json)?);
    eprintln!("trajectory: {} rows in {}", points.len(), a.out.display());
    Ok(ExitCode::SUCCESS)
}

/// Rounds the summary's numbers to what they mean: times to 1 ms, distances and altitudes to
/// 1 m, angles to 1e-6 degree (about 10 cm on the ground), speeds to 1 mm/s, anything else to
/// 6 significant digits. Integers stay as they are.
fn round_json(v: &mut serde_json::Value, key: &str) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                round_json(x, k);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a.iter_mut() {
                round_json(x, key);
            }
        }
        serde_json::Value::Number(n) if !(n.is_u64() || n.is_i64()) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let decimals = if key.ends_with("_km_s") {
                6
            } else if key.ends_with("_s") || key.ends_with("_km") {
                3
            } else if key.ends_with("_deg") {
                6
            } else {
                let mag = if x == 0.0 {
                    0
                } else {
                    x.abs().log10().floor() as i32
                };
                (5 - mag).clamp(0, 12) as u32
            };
            let scale = 10f64.powi(decimals as i32);
            let r = (x * scale).round() / scale;
            if let Some(n) = serde_json::Number::from_f64(r) {
                *v = serde_json::Value::Number(n);
            }
        }
        _ => {}
    }
}
