//! Sweep files (`interceptmc sweep FILE`): a base scenario, axes of dotted paths into it and
//! named alternative layouts; expanded into points, each a scenario validated like a file.
//!
//! ```toml
//! name = "siting"                       # optional: the file's stem
//! base = "../default.toml"              # relative to the sweep file
//! mode = "grid"                         # grid (default: every combination) | zip (i-th values)
//! samples = 20000                       # optional: overrides the base's [run] samples
//! seed = 1                              # optional: overrides the base's [run] seed
//! baseline = 0                          # optional: the point the differences are taken against
//!
//! [[axis]]
//! path = "battery.redzikowo.site.lat_deg"
//! values = [52.0, 54.5]
//!
//! [[axis]]
//! path = "battery.redzikowo.site.lon_deg"
//! range = { start = 14.0, stop = 22.0, steps = 5 }   # start..=stop, evenly spaced
//!
//! [[layout]]                            # optional: replaces [[battery]] and/or [[sensor]]
//! name = "north"
//! [[layout.battery]]
//! name = "b1"
//! # ...
//! ```
//!
//! Points are numbered from 0: layouts outermost (in file order), then the axes in file order,
//! the last axis varying fastest (`grid`); with `zip` every axis has the same number of values
//! and point i takes the i-th of each. Every point's scenario is built from the base by
//! replacing the layout's arrays, then setting each axis path (`overrides::apply_override_to`,
//! so paths address named entries as `--set` does), then `[run] samples`/`seed`; and validated
//! like a file. A point that fails is bad input naming the sweep file, the axis (or layout)
//! with its line, and the point. `run.seed`, `run.samples` and `run.backend` cannot be axes:
//! every point runs the same trials from the same seed (common random numbers) on one backend.

use super::overrides::apply_override_to;
use super::validate::Locator;
use super::{locate, Scenario, ScenarioError};
use serde::Deserialize;
use toml::{Table, Value};

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// How the axes combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepMode {
    /// Every combination of the axes' values.
    Grid,
    /// The i-th value of every axis (all axes have the same length).
    Zip,
}

/// One axis: a dotted path into the scenario and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub path: String,
    pub values: Vec<Value>,
    /// `values` or `range`: the key its values came from (for error locations).
    values_key: &'static str,
}

/// A named alternative set of batteries and/or sensors.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub name: String,
    /// Replacement `[[battery]]` tables (`None`: the base's).
    pub battery: Option<Vec<Value>>,
    /// Replacement `[[sensor]]` tables (`None`: the base's).
    pub sensor: Option<Vec<Value>>,
}

/// A parsed and checked sweep file (its points not yet built: [`SweepSpec::expand`]).
#[derive(Debug, Clone)]
pub struct SweepSpec {
    pub name: String,
    pub description: String,
    /// The `base` key as written (relative to the sweep file's folder).
    pub base: String,
    pub mode: SweepMode,
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    pub baseline: Option<usize>,
    pub axes: Vec<Axis>,
    pub layouts: Vec<Layout>,
    origin: String,
    text: String,
}

/// One point of a sweep: its coordinates and its validated scenario.
#[derive(Debug, Clone)]
pub struct Point {
    pub index: usize,
    /// The layout's name, with layouts.
    pub layout: Option<String>,
    /// One value per axis.
    pub values: Vec<Value>,
    /// The resolved scenario as TOML (canonical: parsed and written again, no comments).
    pub text: String,
    pub scenario: Scenario,
}

impl Point {
    /// `layout=north, battery.b1.site.lat_deg=52` (empty without layouts and axes).
    pub fn label(&self, spec: &SweepSpec) -> String {
        point_label(spec, self.layout.as_deref(), &self.values)
    }
}

fn point_label(spec: &SweepSpec, layout: Option<&str>, values: &[Value]) -> String {
    let mut parts = Vec::new();
    if let Some(l) = layout {
        parts.push(format!("layout={l}"));
    }
    for (a, v) in spec.axes.iter().zip(values) {
        parts.push(format!("{}={}", a.path, format_value(v)));
    }
    parts.join(", ")
}

/// A value as a CSV cell or label: integers and strings as themselves, floats in the shortest
/// round-trip form, anything else as inline TOML.
pub fn format_value(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::String(s) => s.clone(),
        Value::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    name: Option<String>,
    #[serde(default)]
    description: String,
    base: String,
    mode: Option<String>,
    samples: Option<u64>,
    seed: Option<u64>,
    baseline: Option<u64>,
    #[serde(default)]
    axis: Vec<RawAxis>,
    #[serde(default)]
    layout: Vec<RawLayout>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAxis {
    path: String,
    values: Option<Vec<Value>>,
    range: Option<RawRange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    start: Value,
    stop: Value,
    steps: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    name: String,
    battery: Option<Vec<Value>>,
    sensor: Option<Vec<Value>>,
}

/// Paths an axis may not set.
const FIXED_PATHS: [(&str, &str); 3] = [
    (
        "run.seed",
        "every point runs the same trials from the same seed (common random numbers); set `seed` \
         at the top of the sweep file or --seed",
    ),
    (
        "run.samples",
        "every point runs the same trials; set `samples` at the top of the sweep file or --samples",
    ),
    ("run.backend", "one backend runs every point; use --backend"),
];

fn range_values(r: &RawRange) -> Result<Vec<Value>, (&'static str, String)> {
    if r.steps == 0 || r.steps as usize > MAX_POINTS {
        return Err((
            "steps",
            format!("must be in [1, {MAX_POINTS}] (got {})", r.steps),
        ));
    }
    let num = |v: &Value, key: &'static str| match v {
        Value::Integer(i) => Ok(*i as f64),
        Value::Float(f) if f.is_finite() => Ok(*f),
        other => Err((key, format!("must be a finite number (got {other})"))),
    };
    let (a, b) = (num(&r.start, "start")?, num(&r.stop, "stop")?);
    let n = r.steps;
    if n == 1 {
        return Ok(vec![r.start.clone()]);
    }
    // Integers stay integers (inventories, raid sizes) when the step is a whole number.
    if let (Value::Integer(s), Value::Integer(e)) = (&r.start, &r.stop) {
        let span = *e as i128 - *s as i128;
        if span % (n as i128 - 1) == 0 {
            let step = span / (n as i128 - 1);
            return Ok((0..n as i128)
                .map(|i| Value::Integer((*s as i128 + i * step) as i64))
                .collect());
        }
    }
    Ok((0..n)
        .map(|i| {
            Value::Float(if i + 1 == n {
                b
            } else {
                a + (b - a) * i as f64 / (n - 1) as f64
            })
        })
        .collect())
}

impl SweepSpec {
    /// Parses and checks a sweep file's text. `origin` names it in errors; `default_name` is
    /// the sweep's name when the file has no `name` (the file's stem).
    pub fn parse(text: &str, origin: &str, default_name: &str) -> Result<SweepSpec, ScenarioError> {
        let (doc, syntax_errors) = toml::de::DeTable::parse_recoverable(text);
        let loc = Locator::new(text, doc.get_ref());
        if let Some(e) = syntax_errors.first() {
            return Err(loc.toml_error(origin, e, true));
        }
        let raw: RawSweep = toml::from_str(text).map_err(|e| loc.toml_error(origin, &e, false))?;
        let err = |key: String, msg: String| locate(text, origin, &key, msg);
        let mode = match raw.mode.as_deref() {
            None | Some("grid") => SweepMode::Grid,
            Some("zip") => SweepMode::Zip,
            Some(other) => {
                return Err(err(
                    "mode".into(),
                    format!("must be \"grid\" or \"zip\" (got {other:?})"),
                ))
            }
        };
        if raw.base.trim().is_empty() {
            return Err(err(
                "base".into(),
                "must name the base scenario file".into(),
            ));
        }
        if raw.samples == Some(0) {
            return Err(err("samples".into(), "must be at least 1".into()));
        }
        let mut axes: Vec<Axis> = Vec::new();
        for (i, a) in raw.axis.iter().enumerate() {
            let key = |k: &str| format!("axis[{i}].{k}");
            let path = a.path.trim();
            if path.is_empty() || path.split('.').any(|p| p.is_empty()) {
                return Err(err(
                    key("path"),
                    format!("not a dotted path (got {:?})", a.path),
                ));
            }
            if let Some((_, why)) = FIXED_PATHS.iter().find(|(p, _)| *p == path) {
                return Err(err(key("path"), format!("{path} cannot be an axis: {why}")));
            }
            if let Some(j) = axes.iter().position(|b| b.path == path) {
                return Err(err(
                    key("path"),
                    format!("{path} is already axis[{j}]'s path"),
                ));
            }
            let (values, values_key) = match (&a.values, &a.range) {
                (Some(v), None) => (v.clone(), "values"),
                (None, Some(r)) => (
                    range_values(r).map_err(|(k, m)| err(key(&format!("range.{k}")), m))?,
                    "range",
                ),
                _ => {
                    return Err(err(
                        format!("axis[{i}]"),
                        format!("axis {path}: give exactly one of `values = [...]` or `range = {{ start, stop, steps }}`"),
                    ))
                }
            };
            if values.is_empty() {
                return Err(err(key(values_key), "needs at least one value".into()));
            }
            axes.push(Axis {
                path: path.to_string(),
                values,
                values_key,
            });
        }
        if mode == SweepMode::Zip {
            if let Some(first) = axes.first() {
                if let Some((i, a)) = axes
                    .iter()
                    .enumerate()
                    .find(|(_, a)| a.values.len() != first.values.len())
                {
                    return Err(err(
                        format!("axis[{i}].{}", a.values_key),
                        format!(
                            "mode = \"zip\" needs axes of equal length: {} has {} values, {} has {}",
                            a.path,
                            a.values.len(),
                            first.path,
                            first.values.len()
                        ),
                    ));
                }
            }
        }
        let mut layouts: Vec<Layout> = Vec::new();
        for (i, l) in raw.layout.iter().enumerate() {
            if l.name.trim().is_empty() {
                return Err(err(format!("layout[{i}].name"), "must not be empty".into()));
            }
            if layouts.iter().any(|m| m.name == l.name) {
                return Err(err(
                    format!("layout[{i}].name"),
                    format!("a second layout named {:?}", l.name),
                ));
            }
            if l.battery.is_none() && l.sensor.is_none() {
                return Err(err(
                    format!("layout[{i}]"),
                    format!(
                        "layout {:?} replaces nothing: give [[layout.battery]] and/or [[layout.sensor]] tables",
                        l.name
                    ),
                ));
            }
            layouts.push(Layout {
                name: l.name.clone(),
                battery: l.battery.clone(),
                sensor: l.sensor.clone(),
            });
        }
        if axes.is_empty() && layouts.is_empty() {
            return Err(err(
                String::new(),
                "a sweep needs at least one [[axis]] or [[layout]]".into(),
            ));
        }
        let mut spec = SweepSpec {
            name: raw.name.clone().unwrap_or_else(|| default_name.to_string()),
            description: raw.description.clone(),
            base: raw.base.clone(),
            mode,
            samples: raw.samples,
            seed: raw.seed,
            baseline: None,
            axes,
            layouts,
            origin: origin.to_string(),
            text: text.to_string(),
        };
        let len = spec.checked_len().ok_or_else(|| {
            err(
                "axis".into(),
                format!("more than {MAX_POINTS} points; split the sweep"),
            )
        })?;
        if let Some(b) = raw.baseline {
            if b as usize >= len {
                return Err(err(
                    "baseline".into(),
                    format!("no point {b}: the sweep has points 0 to {}", len - 1),
                ));
            }
            spec.baseline = Some(b as usize);
        }
        Ok(spec)
    }

    /// The file or origin the spec was read from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The sweep file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn axis_points(&self) -> Option<usize> {
        match self.mode {
            SweepMode::Grid => self
                .axes
                .iter()
                .try_fold(1usize, |acc, a| acc.checked_mul(a.values.len())),
            SweepMode::Zip => Some(self.axes.first().map_or(1, |a| a.values.len())),
        }
    }

    fn checked_len(&self) -> Option<usize> {
        self.axis_points()
            .and_then(|n| n.checked_mul(self.layouts.len().max(1)))
            .filter(|&n| n <= MAX_POINTS)
    }

    /// The number of points.
    pub fn len(&self) -> usize {
        self.checked_len().expect("checked when parsed")
    }

    /// Whether the sweep has no points (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `index`'s coordinates: the layout index (with layouts) and one value index per
    /// axis.
    pub fn coordinates(&self, index: usize) -> (Option<usize>, Vec<usize>) {
        let per_layout = self.axis_points().expect("checked when parsed");
        let (layout, mut rest) = (index / per_layout, index % per_layout);
        let layout = (!self.layouts.is_empty()).then_some(layout);
        let idx = match self.mode {
            SweepMode::Zip => vec![rest; self.axes.len()],
            SweepMode::Grid => {
                let mut idx = vec![0; self.axes.len()];
                for (k, a) in self.axes.iter().enumerate().rev() {
                    idx[k] = rest % a.values.len();
                    rest /= a.values.len();
                }
                idx
            }
        };
        (layout, idx)
    }

    fn locate(&self, key: &str, message: String) -> ScenarioError {
        locate(&self.text, &self.origin, key, message)
    }

    /// Builds and validates every point from the base scenario's text (`base_origin` names it
    /// in errors about the base itself), with `[run] samples` and `seed` set to `samples` and
    /// `seed` where given (else the sweep file's, else the base's). The first point that fails
    /// is an error naming the sweep file, the axis or layout (with its line) and the point.
    pub fn expand(
        &self,
        base_text: &str,
        base_origin: &str,
        samples: Option<u64>,
        seed: Option<u64>,
    ) -> Result<Vec<Point>, ScenarioError> {
        // The base must be a valid scenario on its own.
        Scenario::from_toml_str(base_text, base_origin)?;
        let base: Table = toml::from_str(base_text).map_err(|e| {
            ScenarioError::new(
                base_origin,
                "",
                format!("cannot read the base scenario: {e}"),
            )
        })?;
        let mut run: Vec<(&str, Value)> = Vec::new();
        if let Some(n) = samples.or(self.samples) {
            run.push(("run.samples", Value::Integer(n.min(i64::MAX as u64) as i64)));
        }
        if let Some(s) = seed.or(self.seed) {
            if s > i64::MAX as u64 {
                return Err(self.locate("seed", format!("must be at most {} (got {s})", i64::MAX)));
            }
            run.push(("run.seed", Value::Integer(s as i64)));
        }
        (0..self.len())
            .map(|i| self.point(i, &base, &run))
            .collect()
    }

    /// The document of point `index` with only the layout (if `with_layout`) and the axes in
    /// `axes` applied, then the run settings.
    fn build(
        &self,
        base: &Table,
        layout: Option<usize>,
        axes: &[(usize, usize)],
        run: &[(&str, Value)],
    ) -> Result<String, (Option<usize>, ScenarioError)> {
        let mut doc = base.clone();
        if let Some(l) = layout.map(|l| &self.layouts[l]) {
            for (key, tables) in [("battery", &l.battery), ("sensor", &l.sensor)] {
                if let Some(t) = tables {
                    doc.insert(key.into(), Value::Array(t.clone()));
                }
            }
        }
        for &(k, v) in axes {
            let a = &self.axes[k];
            apply_override_to(&mut doc, &self.origin, &a.path, a.values[v].clone())
                .map_err(|e| (Some(k), e))?;
        }
        for (path, v) in run {
            apply_override_to(&mut doc, &self.origin, path, v.clone()).map_err(|e| (None, e))?;
        }
        toml::to_string(&doc).map_err(|e| {
            (
                None,
                ScenarioError::new(&self.origin, "", format!("cannot write a point: {e}")),
            )
        })
    }

    fn point(
        &self,
        index: usize,
        base: &Table,
        run: &[(&str, Value)],
    ) -> Result<Point, ScenarioError> {
        let (layout, idx) = self.coordinates(index);
        let values: Vec<Value> = self
            .axes
            .iter()
            .zip(&idx)
            .map(|(a, &v)| a.values[v].clone())
            .collect();
        let layout_name = layout.map(|l| self.layouts[l].name.clone());
        let label = point_label(self, layout_name.as_deref(), &values);
        let all: Vec<(usize, usize)> = idx.iter().copied().enumerate().collect();
        let text = match self.build(base, layout, &all, run) {
            Ok(t) => t,
            Err((Some(k), e)) => {
                return Err(self.locate(
                    &format!("axis[{k}].path"),
                    format!(
                        "axis {} at point {index} ({label}): {}",
                        self.axes[k].path,
                        e.message()
                    ),
                ))
            }
            Err((None, e)) => return Err(e),
        };
        let origin = format!("{} point {index}", self.origin);
        match Scenario::from_toml_str(&text, &origin) {
            Ok(scenario) => Ok(Point {
                index,
                layout: layout_name,
                values,
                text,
                scenario,
            }),
            Err(e) => Err(self.blame(index, &label, base, layout, &idx, run, &e)),
        }
    }

    /// The error of a point that does not validate, naming what makes it fail: the layout on
    /// its own, else the first axis whose value fails on its own, else the combination.
    #[allow(clippy::too_many_arguments)]
    fn blame(
        &self,
        index: usize,
        label: &str,
        base: &Table,
        layout: Option<usize>,
        idx: &[usize],
        run: &[(&str, Value)],
        e: &ScenarioError,
    ) -> ScenarioError {
        let fails = |layout: Option<usize>, axes: &[(usize, usize)]| match self
            .build(base, layout, axes, run)
        {
            Ok(t) => Scenario::from_toml_str(&t, "").is_err(),
            Err(_) => true,
        };
        let what = if e.key().is_empty() {
            e.message().to_string()
        } else {
            format!("{}: {}", e.key(), e.message())
        };
        if let Some(l) = layout.filter(|&l| fails(Some(l), &[])) {
            return self.locate(
                &format!("layout[{l}]"),
                format!(
                    "layout {:?} at point {index} ({label}): {what}",
                    self.layouts[l].name
                ),
            );
        }
        for (k, &v) in idx.iter().enumerate() {
            if fails(layout, &[(k, v)]) {
                let a = &self.axes[k];
                return self.locate(
                    &format!("axis[{k}].{}", a.values_key),
                    format!(
                        "axis {} = {} at point {index} ({label}): {what}",
                        a.path,
                        format_value(&a.values[v])
                    ),
                );
            }
        }
        self.locate(
            "axis",
            format!("point {index} ({label}): the combination fails: {what}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::DEFAULT_SCENARIO_TOML;

    fn spec(text: &str) -> SweepSpec {
        SweepSpec::parse(text, "s.toml", "s").unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(text: &str) -> ScenarioError {
        SweepSpec::parse(text, "s.toml", "s").expect_err("should fail")
    }

    const GRID: &str = r#"base = "../default.toml"
[[axis]]
path = "battery.redzikowo.site.lat_deg"
values = [52.0, 54.5]
[[axis]]
path = "battery.redzikowo.site.lon_deg"
range = { start = 14.0, stop = 22.0, steps = 3 }
"#;

    #[test]
    fn grid_is_the_product_last_axis_fastest() {
        let s = spec(GRID);
        assert_eq!(s.name, "s");
        assert_eq!(s.mode, SweepMode::Grid);
        assert_eq!(s.len(), 6);
        assert_eq!(
            s.axes[1].values,
            vec![14.0.into(), 18.0.into(), 22.0.into()]
        );
        let coords: Vec<Vec<usize>> = (0..6).map(|i| s.coordinates(i).1).collect();
        assert_eq!(
            coords,
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        let points = s
            .expand(DEFAULT_SCENARIO_TOML, "<default>", Some(10), None)
            .unwrap();
        assert_eq!(points.len(), 6);
        let b = &points[4].scenario.batteries[0];
        assert_eq!((b.site.lat_deg, b.site.lon_deg), (54.5, 18.0));
        assert_eq!(points[4].scenario.run.samples, 10);
        assert_eq!(
            points[4].label(&s),
            "battery.redzikowo.site.lat_deg=54.5, battery.redzikowo.site.lon_deg=18"
        );
        // The rest of the scenario is the base.
        assert_eq!(points[4].scenario.threats.len(), 3);
        assert_eq!(points[4].scenario.batteries[1].site.lat_deg, 44.1);
    }

    #[test]
    fn zip_takes_the_ith_values_and_needs_equal_lengths() {
        let zip = GRID.replacen("base", "mode = \"zip\"\nbase", 1);
        let e = err(&zip);
        assert_eq!(e.key(), "axis[1].range");
        assert!(e.message().contains("equal length"), "{e}");
        let zip = zip.replace("steps = 3", "steps = 2");
        let s = spec(&zip);
        assert_eq!(s.len(), 2);
        assert_eq!(s.coordinates(1), (None, vec![1, 1]));
        let points = s
            .expand(DEFAULT_SCENARIO_TOML, "<default>", None, Some(7))
            .unwrap();
        let b = &points[1].scenario.batteries[0];
        assert_eq!((b.site.lat_deg, b.site.lon_deg), (54.5, 22.0));
        assert_eq!(points[1].scenario.run.seed, 7);
    }

    #[test]
    fn integer_ranges_stay_integers() {
        let s = spec(
            "base = \"b.toml\"\n[[axis]]\npath = \"raid.size\"\nrange = { start = 2, stop = 10, steps = 5 }\n",
        );
        assert_eq!(
            s.axes[0].values,
            vec![2.into(), 4.into(), 6.into(), 8.into(), 10.into()]
        );
    }

    #[test]
    fn layouts_are_the_outer_dimension_and_replace_batteries() {
        let text = format!(
            "{GRID}\n[[layout]]\nname = \"one\"\n[[layout.battery]]\nname = \"redzikowo\"\nsite = {{ lat_deg = 50.0, lon_deg = 10.0 }}\ninterceptor = \"sm3\"\ninventory = 4\nreaction_time_s = 30.0\n[[layout]]\nname = \"base\"\n[[layout.sensor]]\nname = \"tpy2-romania\"\nkind = \"radar\"\nsite = {{ lat_deg = 44.3, lon_deg = 28.0 }}\nmax_range_km = 1000.0\n"
        );
        let s = spec(&text);
        assert_eq!(s.len(), 12);
        assert_eq!(s.coordinates(7), (Some(1), vec![0, 1]));
        let points = s
            .expand(DEFAULT_SCENARIO_TOML, "<default>", None, None)
            .unwrap();
        assert_eq!(points[0].scenario.batteries.len(), 1);
        assert_eq!(points[0].scenario.batteries[0].inventory, 4);
        assert_eq!(points[7].scenario.batteries.len(), 4);
        assert_eq!(points[7].scenario.sensors.len(), 1);
        assert_eq!(points[7].scenario.sensors[0].max_range_km, 1000.0);
        assert_eq!(points[7].layout.as_deref(), Some("base"));
    }

    #[test]
    fn a_bad_path_names_the_axis_its_line_and_the_point() {
        let s = spec(&GRID.replace(
            "battery.redzikowo.site.lon_deg",
            "battery.nowhere.site.lon_deg",
        ));
        let e = s
            .expand(DEFAULT_SCENARIO_TOML, "<default>", None, None)
            .unwrap_err();
        assert_eq!(e.origin(), "s.toml");
        assert_eq!(e.key(), "axis[1].path");
        assert_eq!(e.line(), Some(6));
        assert!(e.message().contains("at point 0"), "{e}");
        assert!(e.message().contains("no battery named 'nowhere'"), "{e}");
        // A key the scenario does not have: unknown keys are errors, as in a file.
        let s = spec(&GRID.replace("site.lon_deg", "site.lon_degs"));
        let e = s
            .expand(DEFAULT_SCENARIO_TOML, "<default>", None, None)
            .unwrap_err();
        assert_eq!(e.key(), "axis[1].range");
        assert!(e.message().contains("lon_degs"), "{e}");
    }

    #[test]
    fn a_bad_value_names_the_axis_and_the_point() {
        let s = spec(&GRID.replace("values = [52.0, 54.5]", "values = [52.0, 95.0]"));
        let e = s
            .expand(DEFAULT_SCENARIO_TOML, "<default>", None, None)
            .unwrap_err();
        assert_eq!(e.key(), "axis[0].values");
        assert_eq!(e.line(), Some(4));
        assert!(e.message().contains("at point 3"), "{e}");
        assert!(e.message().contains("lat_deg"), "{e}");
    }

    #[test]
    fn malformed_files_are_refused_with_key_and_line() {
        let e = err(&GRID.replace("values", "valuez"));
        assert!(e.to_string().contains("valuez"), "{e}");
        assert_eq!(e.line(), Some(4));
        let e = err(&GRID.replace(
            "path = \"battery.redzikowo.site.lat_deg\"",
            "path = \"run.seed\"",
        ));
        assert_eq!(e.key(), "axis[0].path");
        assert!(e.message().contains("common random numbers"), "{e}");
        let e = err(&GRID.replace("steps = 3", "steps = 0"));
        assert_eq!(e.key(), "axis[1].range.steps");
        let e = err(&format!("baseline = 6\n{GRID}"));
        assert_eq!(e.key(), "baseline");
        let e = err("base = \"x\"\n");
        assert!(e.message().contains("at least one"), "{e}");
        let e = err(&GRID.replace(
            "values = [52.0, 54.5]",
            "values = [1.0]\nrange = { start = 1, stop = 2, steps = 2 }",
        ));
        assert_eq!(e.key(), "axis[0]");
        let e = err(&format!("mode = \"cube\"\n{GRID}"));
        assert_eq!(e.key(), "mode");
    }
}
