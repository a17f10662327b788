use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ScenarioCommand {
    /// Print a scenario: `default` prints the embedded default, a path prints that file after
    /// validating it.
    Show { name: String },
    /// Validate a scenario file, fly each threat class's nominal trajectory (refusing one that
    /// cannot fly, warning about likely mistakes on stderr) and print a one-line summary.
    Check { path: std::path::PathBuf },
}

pub fn run(cmd: ScenarioCommand) -> Result<ExitCode> {
    match cmd {
        ScenarioCommand::Show { name } if name == "default" => {
            print!("{}", crate::scenario::DEFAULT_SCENARIO_TOML);
        }
        ScenarioCommand::Show { name } => {
            let path = std::path::PathBuf::from(&name);
            if !path.exists() {
                return Err(super::Failure::BadInput(format!(
                    "no scenario named '{name}': use `default` or a path to a .toml file"
                ))
                .into());
            }
            crate::scenario::Scenario::load(&path)?;
            print!("{}", std::fs::read_to_string(&path)?);
        }
        ScenarioCommand::Check { path } => {
            let s = super::load_checked(Some(&path), &[])?.scenario;
            println!(
                "{}: ok ({} threat classes, {} sensors, {} batteries, {} interceptor types{})",
                path.display(),
                s.threats.len(),
                s.sensors.len(),
                s.batteries.len(),
                s.interceptors.len(),
                s.raid
                    .as_ref()
                    .map(|r| format!(", raid of {}", r.size))
                    .unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
