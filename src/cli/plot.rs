//! `interceptmc plot DIR`: redraws the plots (and the map) of a run, sweep or comparison
//! directory from its CSV files; and the plots, map and GeoJSON that `run` and `sweep` write
//! at their end.

use super::Failure;
use crate::output::geo::{footprint_cells, MapLayers};
use crate::output::geojson::write_geojson;
use crate::output::plot::data::Table;
use crate::output::plot::{dir_kind, figures_for_dir, write_figures, Figure};
use crate::output::tallies::{read_tallies, Tallies};
use crate::scenario::Scenario;
use crate::tools::map::{scenario_map, DEFAULT_COVERAGE_ALTITUDE_KM};
use anyhow::{Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct PlotArgs {
    /// A run, sweep or comparison directory (with summary.csv, sweep.csv or compare.csv).
    pub dir: PathBuf,
    /// Altitude of the radar coverage drawn on the map, km.
    #[arg(long, default_value_t = DEFAULT_COVERAGE_ALTITUDE_KM, value_name = "KM")]
    pub coverage_altitude_km: f64,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Checks a `--coverage-altitude-km` value (exit 2 when not a finite altitude >= 0).
pub(crate) fn check_coverage_altitude(km: f64) -> Result<()> {
    if !(km.is_finite() && (0.0..=10_000.0).contains(&km)) {
        return Err(Failure::BadInput(format!(
            "--coverage-altitude-km: must be an altitude in [0, 10000] km (got {km})"
        ))
        .into());
    }
    Ok(())
}

/// Checks a `--geojson FILE` before any work: its directory must exist or be the output
/// directory `out_dir` (created by the command), exit 2 otherwise.
pub(crate) fn check_geojson_path(path: Option<&Path>, out_dir: &Path) -> Result<()> {
    if let Some(p) = path {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        if p.is_dir() || dir.is_some_and(|d| !d.is_dir() && d != out_dir) {
            return Err(Failure::BadInput(format!(
                "--geojson {}: not a file in an existing directory",
                p.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// The map of a run or sweep directory, from the scenario text its `tallies.json` keeps (a
/// sweep's base scenario, with the defended footprint of an aim-point sweep from `sweep.csv`);
/// `None` for a directory without one (a comparison).
pub(crate) fn map_for_dir(dir: &Path, coverage_altitude_km: f64) -> Result<Option<MapLayers>> {
    let Ok(t) = read_tallies(dir) else {
        return Ok(None);
    };
    let (text, origin) = match &t {
        Tallies::Run(r) => (r.scenario_text.clone(), "tallies.json scenario_text"),
        Tallies::Sweep(s) => (s.base_text.clone(), "tallies.json base_text"),
    };
    let sc = Scenario::from_toml_str(&text, &format!("{} ({origin})", dir.display()))?;
    let mut m = scenario_map(&sc, coverage_altitude_km);
    if let Tallies::Sweep(s) = &t {
        m.title = format!("{}: base layout, nominal trajectories", s.name);
        m.cells = sweep_cells(dir)?;
        if !m.cells.is_empty() {
            m.title = format!("{}: defended footprint (p_kill per aim point)", s.name);
        }
    }
    Ok(Some(m))
}

/// The defended-footprint cells of a sweep directory's `sweep.csv` (none unless the sweep
/// has aim-point axes).
pub(crate) fn sweep_cells(dir: &Path) -> Result<Vec<crate::output::geo::Cell>> {
    let path = dir.join(crate::output::sweep::SWEEP_CSV);
    Ok(
        match Table::read(&path).with_context(|| format!("reading {}", path.display()))? {
            Some(t) => footprint_cells(&t.header, &t.rows),
            None => Vec::new(),
        },
    )
}

/// The figures of `dir` (with its map where it has a scenario).
pub(crate) fn figures(dir: &Path, coverage_altitude_km: f64) -> Result<Vec<Figure>> {
    let map = map_for_dir(dir, coverage_altitude_km)?;
    figures_with(dir, map.as_ref())
}

fn figures_with(dir: &Path, map: Option<&MapLayers>) -> Result<Vec<Figure>> {
    figures_for_dir(dir, map).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::NotFound => {
            Failure::BadInput(e.to_string()).into()
        }
        _ => anyhow::Error::new(e),
    })
}

/// What `run` and `sweep` write at their end: the GeoJSON (with `--geojson`), then the plots
/// and map beside the CSV files.
pub(crate) fn finish_outputs(
    dir: &Path,
    geojson: Option<&Path>,
    coverage_altitude_km: f64,
) -> Result<()> {
    let map = map_for_dir(dir, coverage_altitude_km)?;
    if let Some(path) = geojson {
        write_geojson(path, &map.clone().unwrap_or_default())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let figs = figures_with(dir, map.as_ref()).context("drawing the plots")?;
    write_figures(dir, &figs).context("writing the plots")?;
    Ok(())
}

pub fn run(a: PlotArgs) -> Result<ExitCode> {
    check_coverage_altitude(a.coverage_altitude_km)?;
    if dir_kind(&a.dir).is_none() {
        return Err(Failure::BadInput(format!(
            "{}: no summary.csv, sweep.csv or compare.csv: not a run, sweep or comparison \
             directory of interceptmc",
            a.dir.display()
        ))
        .into());
    }
    let figs = figures(&a.dir, a.coverage_altitude_km)?;
    let written = write_figures(&a.dir, &figs).context("writing the plots")?;
    if !a.quiet {
        for p in written {
            println!("{}", p.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
