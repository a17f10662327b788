//! The one error type of scenario loading: which file, which key, which line, what is wrong.

use std::fmt;

/// A scenario that could not be read, parsed or validated.
///
/// Displays as `ORIGIN:LINE:COLUMN: KEY: MESSAGE`, e.g.
/// `scenarios/x.toml:12:5: battery[1].inventory: must be at least 1 (got 0)`. Parts that are not
/// known are left out: without a position `scenarios/x.toml: doctrine.mode: ...`, and for errors
/// about the document as a whole (I/O, not UTF-8, TOML syntax outside any key) the key is empty
/// and is left out too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ScenarioError {
    origin: String,
    key: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl ScenarioError {
    /// An error about `key` (a path such as `battery[1].inventory`; empty for the whole document)
    /// in the scenario read from `origin` (a file path, or `<default>`), without a position.
    pub fn new(
        origin: impl Into<String>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError {
            origin: origin.into(),
            key: key.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// The same error at a 1-based `line` and `column` (in characters) of the file.
    pub fn at(mut self, line: usize, column: usize) -> ScenarioError {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The file path the scenario came from, or `<default>` for the embedded default.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The key path of the offending value, e.g. `threat[0].glide.lift_to_drag`,
    /// `interceptor.sm3.sspk`, `run.dt_s`; empty for errors about the document as a whole.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The 1-based line of the offending key or value, where known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column (in characters) of the offending key or value, where known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// What is wrong, without origin, position or key.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// Something in a scenario that loads but looks wrong (a unit mistake, a layout that cannot
/// work): said on stderr, never a failure. The same parts as a [`ScenarioError`]; displays as
/// `warning: ` and the error form, e.g.
/// `warning: scenarios/x.toml:40:1: threat[0].cruise.speed_km_s: ... looks like m/s ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioWarning(pub ScenarioError);

impl ScenarioWarning {
    pub fn origin(&self) -> &str {
        self.0.origin()
    }
    pub fn key(&self) -> &str {
        self.0.key()
    }
    pub fn line(&self) -> Option<usize> {
        self.0.line()
    }
    pub fn message(&self) -> &str {
        self.0.message()
    }
}

impl From<ScenarioError> for ScenarioWarning {
    fn from(e: ScenarioError) -> ScenarioWarning {
        ScenarioWarning(e)
    }
}

impl fmt::Display for ScenarioWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_with_and_without_position() {
        let e = ScenarioError::new(
            "scenarios/x.toml",
            "battery[1].inventory",
            "must be at least 1 (got 0)",
        )
        .at(12, 5);
        assert_eq!(
            e.to_string(),
            "scenarios/x.toml:12:5: battery[1].inventory: must be at least 1 (got 0)"
        );
        assert_eq!(e.key(), "battery[1].inventory");
        assert_eq!(e.line(), Some(12));
        assert_eq!(e.column(), Some(5));
        assert_eq!(e.origin(), "scenarios/x.toml");

        let e = ScenarioError::new("scenarios/x.toml", "doctrine.mode", "unknown mode");
        assert_eq!(
            e.to_string(),
            "scenarios/x.toml: doctrine.mode: unknown mode"
        );
        assert_eq!(e.line(), None);

        let e = ScenarioError::new("a.toml", "", "the file is empty");
        assert_eq!(e.to_string(), "a.toml: the file is empty");
    }
}
