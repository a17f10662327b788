//! `interceptmc report DIR`: one self-contained `report.html` of a run, sweep or comparison
//! directory (`output::report`).

use super::plot::figures;
use super::Failure;
use crate::output::plot::dir_kind;
use crate::output::report::report_html;
use crate::output::write_atomic;
use crate::tools::map::DEFAULT_COVERAGE_ALTITUDE_KM;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A run, sweep or comparison directory (with summary.csv, sweep.csv or compare.csv).
    pub dir: PathBuf,
    /// Output file (default: DIR/report.html).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Altitude of the radar coverage drawn on the map, km.
    #[arg(long, default_value_t = DEFAULT_COVERAGE_ALTITUDE_KM, value_name = "KM")]
    pub coverage_altitude_km: f64,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: ReportArgs) -> Result<ExitCode> {
    super::plot::check_coverage_altitude(a.coverage_altitude_km)?;
    let Some(kind) = dir_kind(&a.dir) else {
        return Err(Failure::BadInput(format!(
            "{}: no summary.csv, sweep.csv or compare.csv: not a run, sweep or comparison \
             directory of interceptmc",
            a.dir.display()
        ))
        .into());
    };
    let figs = figures(&a.dir, a.coverage_altitude_km)?;
    let html = report_html(&a.dir, kind, &figs).map_err(|e| Failure::BadInput(e.to_string()))?;
    let out = a.out.unwrap_or_else(|| a.dir.join("report.html"));
    write_atomic(&out, html.as_bytes()).with_context(|| format!("writing {}", out.display()))?;
    if !a.quiet {
        println!("report: {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
