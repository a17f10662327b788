//! Dotted-path overrides of a scenario's TOML (`run --set raid.size=20`, and the axes of a
//! sweep): `raid.size`, `run.dt_s`, `interceptor.sm3.sspk`, and entries of the arrays of tables
//! addressed by name: `battery.redzikowo.site.lat_deg`, `threat.irbm.loft_deg`,
//! `sensor.tpy2.max_range_km`. The edited text is validated again like a file, so an override
//! can never produce a scenario a file could not.

use super::ScenarioError;
use toml::{Table, Value};

/// Arrays of tables addressed by their `name` (`[[threat]]`, `[[sensor]]`, `[[battery]]`).
const NAMED_ARRAYS: [&str; 3] = ["threat", "sensor", "battery"];

/// Parses `path=value`, the value as a TOML value (`5`, `0.7`, `"salvo"`, `{ beta = [8, 2] }`);
/// a bare word that is not TOML is taken as a string.
pub fn parse_assignment(s: &str) -> Result<(String, Value), String> {
    let (path, raw) = s
        .split_once('=')
        .ok_or_else(|| format!("--set {s}: expected PATH=VALUE"))?;
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("--set {s}: empty path"));
    }
    let raw = raw.trim();
    let value = match format!("v = {raw}").parse::<Table>() {
        Ok(mut t) => t.remove("v").expect("parsed key"),
        Err(_) => Value::String(raw.to_string()),
    };
    Ok((path.to_string(), value))
}

/// Returns `text` with `dotted_path` set to `value`. Errors name the path and what is missing.
pub fn apply_override(
    text: &str,
    origin: &str,
    dotted_path: &str,
    value: Value,
) -> Result<String, ScenarioError> {
    let fail = |msg: String| ScenarioError::new(origin, dotted_path, msg);
    let mut doc: Table = text.parse().map_err(|e| {
        fail(format!(
            "cannot apply an override to a file that does not parse: {e}"
        ))
    })?;
    apply_override_to(&mut doc, origin, dotted_path, value)?;
    toml::to_string(&doc).map_err(|e| fail(format!("cannot write the edited scenario: {e}")))
}

/// Sets `dotted_path` to `value` in a parsed scenario document (what [`apply_override`] does
/// to text). Errors name the path and what is missing.
pub fn apply_override_to(
    doc: &mut Table,
    origin: &str,
    dotted_path: &str,
    value: Value,
) -> Result<(), ScenarioError> {
    let fail = |msg: String| ScenarioError::new(origin, dotted_path, msg);
    let parts: Vec<&str> = dotted_path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(fail("empty path component".into()));
    }
    let mut table = doc;
    let mut i = 0;
    while i + 1 < parts.len() {
        let key = parts[i];
        if NAMED_ARRAYS.contains(&key) {
            let name = parts[i + 1];
            let array = table
                .get_mut(key)
                .and_then(Value::as_array_mut)
                .ok_or_else(|| fail(format!("the scenario has no [[{key}]] tables")))?;
            let names: Vec<String> = array
                .iter()
                .filter_map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
            let entry = array
                .iter_mut()
                .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
                .ok_or_else(|| {
                    fail(format!(
                        "no {key} named '{name}' (have: {})",
                        names.join(", ")
                    ))
                })?;
            table = entry
                .as_table_mut()
                .ok_or_else(|| fail(format!("{key} '{name}' is not a table")))?;
            i += 2;
            if i >= parts.len() {
                return Err(fail(format!(
                    "the path names a whole {key}; add the key to set"
                )));
            }
            continue;
        }
        table = table
            .entry(key.to_string())
            .or_insert_with(|| Value::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| fail(format!("'{key}' is a value, not a table")))?;
        i += 1;
    }
    table.insert(parts[parts.len() - 1].to_string(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Scenario, DEFAULT_SCENARIO_TOML};

    #[test]
    fn sets_tables_named_entries_and_new_sections() {
        let (p, v) = parse_assignment("raid.size=12").unwrap();
        let text = apply_override(DEFAULT_SCENARIO_TOML, "<d>", &p, v).unwrap();
        let s = Scenario::from_toml_str(&text, "<d>").unwrap();
        assert_eq!(s.raid.unwrap().size, 12);
        let (p, v) = parse_assignment("threat.irbm.rcs_m2 = 0.5").unwrap();
        let text = apply_override(DEFAULT_SCENARIO_TOML, "<d>", &p, v).unwrap();
        let s = Scenario::from_toml_str(&text, "<d>").unwrap();
        assert_eq!(s.threats[0].rcs_m2, 0.5);
        let (p, v) = parse_assignment("doctrine.mode=salvo").unwrap();
        let text = apply_override(DEFAULT_SCENARIO_TOML, "<d>", &p, v).unwrap();
        assert!(Scenario::from_toml_str(&text, "<d>").is_ok());
    }

    #[test]
    fn unknown_names_are_errors_naming_the_path() {
        let (p, v) = parse_assignment("battery.nowhere.inventory=3").unwrap();
        let e = apply_override(DEFAULT_SCENARIO_TOML, "<d>", &p, v).unwrap_err();
        assert_eq!(e.key(), "battery.nowhere.inventory");
        assert!(e.to_string().contains("no battery named 'nowhere'"), "{e}");
    }
}
