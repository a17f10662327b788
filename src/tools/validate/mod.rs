//! `interceptmc validate`: the engine checked against published references (docs/model.md) and
//! closed forms coded independently in [`oracles`].
//!
//! Each case produces [`Row`]s: a reference value (closed form or published number), the
//! engine's value, an error and a tolerance in the same measure, and a status. A row passes iff
//! `error <= tolerance`:
//! - relative checks: `error = |engine - reference| / |reference|`;
//! - absolute checks: `error = |engine - reference|`, in the row's unit;
//! - Monte Carlo checks (the reference must lie inside the engine estimate's 99.9 % interval):
//!   `error = |engine - reference|`, `tolerance` = the distance from the estimate to the end of
//!   its interval on the reference's side;
//! - band checks (the engine value must lie in `[lo, hi]`): `error = |engine - reference|`,
//!   `tolerance` = the distance from the reference to the band's end on the engine's side.
//!
//! Groups ([`GROUPS`], in this order): [`ballistic`] (vacuum closed forms, docs/model.md
//! section 1; boost-inclusive sanity; rotating Earth, minimum-energy shots that land on their
//! aim), [`horizon`] (section 2; radar sectors), [`glide`] (section 3; with
//! [`glide_guidance`]: range and heading control, weave and dive of section 8),
//! [`statistics`] (section 5), [`defense`] (section 4, with inventory and decoys from section
//! 10: Monte Carlo, per backend), [`capacity`] (fire channels, launch interval, track capacity
//! and fire control, sections 9-10: hand-computed cases, per backend) and [`numerics`] (f32 vs f64 impact point; step-size
//! convergence of the default scenario as a paired test, per backend).
//!
//! The cases exist once, here: `interceptmc validate` runs them all ([`run_suite`]) and
//! tests/validation.rs runs each group as its own test on the CPU backend and, when an adapter
//! opens, the GPU backend. The closed forms live in [`oracles`] only.

pub mod ballistic;
pub mod capacity;
pub mod defense;
pub mod engine;
pub mod glide;
pub mod glide_guidance;
pub mod horizon;
pub mod numerics;
pub mod oracles;
pub mod report;
pub mod statistics;

use crate::backend::Backend;
use std::time::Instant;

/// Outcome of one row.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Pass,
    Fail,
    /// Not run, with the reason (e.g. no GPU adapter).
    Skipped(String),
}

impl Status {
    /// `true`, `false` or `skipped` (the CSV `pass` column).
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Pass => "true",
            Status::Fail => "false",
            Status::Skipped(_) => "skipped",
        }
    }
}

/// One line of the validation table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Group of cases (`ballistic`, `glide`, ...).
    pub group: String,
    /// What is compared.
    pub case: String,
    /// Where the reference value comes from.
    pub source: String,
    /// What computed the engine value: `f64` (reference propagator), `f32` (the kernel's
    /// precision), `cpu` / `gpu` (Monte Carlo backends), `host` (statistics code).
    pub backend: String,
    /// Unit of the reference and engine values (`km`, `s`, `min`, `probability`, ...).
    pub unit: String,
    pub reference: f64,
    pub engine: f64,
    /// In the measure of `tolerance` (see the module docs).
    pub error: f64,
    /// Whether `error` and `tolerance` are relative (fractions) or absolute (in `unit`).
    pub error_kind: ErrorKind,
    pub tolerance: f64,
    /// The pass criterion in words (`relative error <= 0.1 %`, ...).
    pub criterion: String,
    pub status: Status,
    /// Anything else worth knowing (interval, samples, settings).
    pub note: String,
}

/// The measure of a row's error and tolerance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `|engine - reference| / |reference|`, a fraction.
    Relative,
    /// In the row's unit.
    Absolute,
}

impl ErrorKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorKind::Relative => "relative",
            ErrorKind::Absolute => "absolute",
        }
    }
}

/// Starts a row: `RowBuilder::new(group, case, source, backend, unit).rel(reference, engine,
/// tolerance)`.
#[derive(Clone, Debug)]
pub struct RowBuilder {
    group: String,
    case: String,
    source: String,
    backend: String,
    unit: String,
    note: String,
}

#[allow(clippy::too_many_arguments)]
fn finish(
    b: RowBuilder,
    kind: ErrorKind,
    reference: f64,
    engine: f64,
    error: f64,
    tolerance: f64,
    criterion: String,
    ok: bool,
) -> Row {
    let ok = ok && error.is_finite() && engine.is_finite();
    Row {
        error_kind: kind,
        group: b.group,
        case: b.case,
        source: b.source,
        backend: b.backend,
        unit: b.unit,
        reference,
        engine,
        error,
        tolerance,
        criterion,
        status: if ok { Status::Pass } else { Status::Fail },
        note: b.note,
    }
}

/// Formats a tolerance percentage without trailing zeros (0.1, 0.2, 5).
pub fn pct(fraction: f64) -> String {
    let s = format!("{:.4}", fraction * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} %")
}

impl RowBuilder {
    pub fn new(
        group: &str,
        case: impl Into<String>,
        source: &str,
        backend: &str,
        unit: &str,
    ) -> Self {
        RowBuilder {
            group: group.to_string(),
            case: case.into(),
            source: source.to_string(),
            backend: backend.to_string(),
            unit: unit.to_string(),
            note: String::new(),
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// Passes iff `|engine - reference| <= tolerance * |reference|`.
    pub fn rel(self, reference: f64, engine: f64, tolerance: f64) -> Row {
        let error = (engine - reference).abs() / reference.abs();
        let criterion = format!("relative error <= {}", pct(tolerance));
        finish(
            self,
            ErrorKind::Relative,
            reference,
            engine,
            error,
            tolerance,
            criterion,
            error <= tolerance,
        )
    }

    /// Passes iff `|engine - reference| <= tolerance` (in the row's unit).
    pub fn abs(self, reference: f64, engine: f64, tolerance: f64) -> Row {
        let error = (engine - reference).abs();
        let criterion = format!("|error| <= {tolerance} {}", self.unit);
        finish(
            self,
            ErrorKind::Absolute,
            reference,
            engine,
            error,
            tolerance,
            criterion,
            error <= tolerance,
        )
    }

    /// An explicit error and tolerance (same measure), with the criterion in words.
    pub fn custom(
        self,
        kind: ErrorKind,
        reference: f64,
        engine: f64,
        error: f64,
        tolerance: f64,
        criterion: impl Into<String>,
    ) -> Row {
        finish(
            self,
            kind,
            reference,
            engine,
            error,
            tolerance,
            criterion.into(),
            error <= tolerance,
        )
    }

    /// Monte Carlo: passes iff `reference` lies in the estimate's interval `[lo, hi]` (`level`
    /// names the interval, e.g. `99.9 % Wilson`).
    pub fn interval(self, reference: f64, engine: f64, lo: f64, hi: f64, level: &str) -> Row {
        let error = (engine - reference).abs();
        let tolerance = if reference >= engine {
            hi - engine
        } else {
            engine - lo
        };
        let criterion = format!("reference inside the {level} interval [{lo:.5}, {hi:.5}]");
        let ok = lo <= reference && reference <= hi;
        finish(
            self,
            ErrorKind::Absolute,
            reference,
            engine,
            error,
            tolerance,
            criterion,
            ok,
        )
    }

    /// Passes iff `lo <= engine <= hi` (`reference` is the nominal value inside the band).
    pub fn band(self, reference: f64, engine: f64, lo: f64, hi: f64) -> Row {
        let error = (engine - reference).abs();
        let tolerance = if engine >= reference {
            hi - reference
        } else {
            reference - lo
        };
        let criterion = format!("engine value in [{lo}, {hi}]");
        let ok = lo <= engine && engine <= hi;
        finish(
            self,
            ErrorKind::Absolute,
            reference,
            engine,
            error,
            tolerance,
            criterion,
            ok,
        )
    }

    /// A failed row for a case that could not be computed (e.g. an internal scenario was
    /// rejected), with the reason in the note.
    pub fn broken(self, reason: impl Into<String>) -> Row {
        let mut row = finish(
            self,
            ErrorKind::Absolute,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            "computable".into(),
            false,
        );
        row.note = reason.into();
        row
    }

    /// A row that was not run, with the reason.
    pub fn skipped(self, reference: f64, reason: impl Into<String>) -> Row {
        let reason = reason.into();
        Row {
            group: self.group,
            case: self.case,
            source: self.source,
            backend: self.backend,
            unit: self.unit,
            reference,
            engine: f64::NAN,
            error: f64::NAN,
            error_kind: ErrorKind::Absolute,
            tolerance: f64::NAN,
            criterion: String::new(),
            status: Status::Skipped(reason.clone()),
            note: reason,
        }
    }
}

/// A Monte Carlo backend for the cases that run trials, or the reason it is unavailable (its
/// rows are then reported as skipped).
pub struct McBackend {
    /// `cpu` or `gpu`.
    pub label: String,
    pub backend: Result<Box<dyn Backend>, String>,
}

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteOptions {
    /// The quick subset (fewer Monte Carlo samples and coverage replications): under a minute
    /// on 2 cores.
    pub quick: bool,
}

/// Wall time of one group of cases.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupTiming {
    pub group: String,
    pub wall_s: f64,
}

/// Rows and timings of a suite run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SuiteResult {
    pub rows: Vec<Row>,
    pub timings: Vec<GroupTiming>,
}

impl SuiteResult {
    pub fn failures(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.status == Status::Fail)
            .count()
    }
    pub fn passes(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.status == Status::Pass)
            .count()
    }
    pub fn skips(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.status, Status::Skipped(_)))
            .count()
    }
}

/// One group of cases: its name (the `group` of its rows), what it checks (for the report), and
/// how to run it.
pub struct Group {
    pub name: &'static str,
    pub about: &'static str,
    /// Whether the group runs Monte Carlo trials on the backends it is given (its rows then
    /// carry the backends' labels); the other groups compute on the host (`f64`, `f32`, `host`
    /// rows) and ignore the backends.
    pub per_backend: bool,
    run: fn(&SuiteOptions, &mut [McBackend]) -> Vec<Row>,
}

impl Group {
    /// Runs the group's cases (on `backends` when [`Group::per_backend`]).
    pub fn run(&self, opts: &SuiteOptions, backends: &mut [McBackend]) -> Vec<Row> {
        (self.run)(opts, backends)
    }
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group")
            .field("name", &self.name)
            .field("per_backend", &self.per_backend)
            .finish_non_exhaustive()
    }
}

/// Every group, in the order the suite runs them. `interceptmc validate` runs them all
/// ([`run_suite`]); tests/validation.rs runs each one as its own test, per backend.
pub const GROUPS: [Group; 7] = [
    Group {
        name: "ballistic",
        about: ballistic::ABOUT,
        per_backend: false,
        run: |_, _| ballistic::cases(),
    },
    Group {
        name: "horizon",
        about: horizon::ABOUT,
        per_backend: false,
        run: |_, _| horizon::cases(),
    },
    Group {
        name: "glide",
        about: glide::ABOUT,
        per_backend: false,
        run: |_, _| {
            let mut rows = glide::cases();
            rows.extend(glide_guidance::cases());
            rows
        },
    },
    Group {
        name: "statistics",
        about: statistics::ABOUT,
        per_backend: false,
        run: |o, _| statistics::cases(o.quick),
    },
    Group {
        name: "defense",
        about: defense::ABOUT,
        per_backend: true,
        run: |o, b| defense::cases(o.quick, b),
    },
    Group {
        name: "capacity",
        about: capacity::ABOUT,
        per_backend: true,
        run: |_, b| capacity::cases_on(b),
    },
    Group {
        name: "numerics",
        about: numerics::ABOUT,
        per_backend: true,
        run: |o, b| numerics::cases(o.quick, b),
    },
];

/// The group called `name`.
pub fn group(name: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.name == name)
}

/// Each group with what it checks, in the order the suite runs them.
pub fn group_notes() -> Vec<(&'static str, &'static str)> {
    GROUPS.iter().map(|g| (g.name, g.about)).collect()
}

/// Runs every group; `progress` is told each group's name before it starts and its rows after.
pub fn run_suite(
    opts: &SuiteOptions,
    backends: &mut [McBackend],
    mut progress: impl FnMut(&str, Option<&[Row]>, f64),
) -> SuiteResult {
    let mut result = SuiteResult::default();
    for g in &GROUPS {
        progress(g.name, None, 0.0);
        let start = Instant::now();
        let rows = g.run(opts, backends);
        let wall_s = start.elapsed().as_secs_f64();
        progress(g.name, Some(&rows), wall_s);
        result.rows.extend(rows);
        result.timings.push(GroupTiming {
            group: g.name.to_string(),
            wall_s,
        });
    }
    result
}
