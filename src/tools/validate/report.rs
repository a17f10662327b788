//! The validation report: the stdout table, `validation.csv` (one row per check, full
//! precision) and `validation.md` (the machine, the adapter, the version, the date, timings and
//! the table), both written atomically.

use super::{ErrorKind, Row, Status, SuiteResult};
use crate::output::{fmt_f64, write_atomic};
use std::io;
use std::path::Path;

/// CSV columns of `validation.csv`.
pub const CSV_COLUMNS: [&str; 13] = [
    "group",
    "case",
    "source",
    "backend",
    "unit",
    "reference",
    "engine",
    "error",
    "error_kind",
    "tolerance",
    "criterion",
    "pass",
    "note",
];

/// Where and how the suite ran.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// interceptmc version.
    pub version: String,
    /// RFC 3339 UTC start time.
    pub date_utc: String,
    /// `full` or `quick`.
    pub suite: String,
    /// CPU model (first `model name` of /proc/cpuinfo).
    pub cpu_model: String,
    /// Logical CPUs available to the process.
    pub cores: usize,
    /// Rayon worker threads.
    pub threads: usize,
    /// Monte Carlo backends requested (`cpu`, `gpu`, ...).
    pub backends: Vec<String>,
    /// The GPU adapter that ran GPU cases, or why there were none.
    pub gpu: String,
    pub command_line: String,
    pub wall_s: f64,
}

/// The CPU model from /proc/cpuinfo (`unknown` elsewhere).
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| {
                    l.starts_with("model name")
                        || l.starts_with("Model")
                        || l.starts_with("Hardware")
                })
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Logical CPUs available to this process.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `x` with `digits` significant digits (at most 9 decimals; `n/a` for NaN).
pub fn fmt_sig(x: f64, digits: i32) -> String {
    if x.is_nan() {
        return "n/a".into();
    }
    if x.is_infinite() || x == 0.0 {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    let decimals = (digits - 1 - mag).clamp(0, 9) as usize;
    format!("{x:.decimals$}")
}

/// A value with six significant digits (`n/a` for NaN).
pub fn fmt_value(x: f64) -> String {
    fmt_sig(x, 6)
}

fn fmt_error(x: f64, kind: ErrorKind, unit: &str) -> String {
    if x.is_nan() {
        return "n/a".into();
    }
    match kind {
        ErrorKind::Relative => format!("{} %", fmt_sig(100.0 * x, 3)),
        ErrorKind::Absolute => {
            if unit.is_empty() {
                fmt_sig(x, 3)
            } else {
                format!("{} {unit}", fmt_sig(x, 3))
            }
        }
    }
}

fn status_word(s: &Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "FAIL",
        Status::Skipped(_) => "skipped",
    }
}

/// The unit as displayed next to values (probabilities go bare).
fn display_unit(unit: &str) -> &str {
    if unit == "probability" {
        ""
    } else {
        unit
    }
}

/// The table as display cells: case, source, backend, reference, engine, error, tolerance, pass.
fn display_cells(r: &Row) -> [String; 8] {
    let unit = display_unit(&r.unit);
    let with_unit = |x: f64| {
        if unit.is_empty() || x.is_nan() {
            fmt_value(x)
        } else {
            format!("{} {unit}", fmt_value(x))
        }
    };
    [
        r.case.clone(),
        r.source.clone(),
        r.backend.clone(),
        with_unit(r.reference),
        with_unit(r.engine),
        fmt_error(r.error, r.error_kind, unit),
        fmt_error(r.tolerance, r.error_kind, unit),
        status_word(&r.status).to_string(),
    ]
}

const HEADER: [&str; 8] = [
    "case",
    "source",
    "backend",
    "reference",
    "engine",
    "error",
    "tolerance",
    "pass",
];

/// The aligned text table printed on stdout, one line per row under a header.
pub fn render_text(rows: &[Row]) -> String {
    let mut table: Vec<[String; 8]> = vec![HEADER.map(String::from)];
    table.extend(rows.iter().map(display_cells));
    // Numbers right-aligned, words left-aligned.
    crate::output::table::align_table(&table, |c| !(3..7).contains(&c))
}

/// `validation.csv`: a header of [`CSV_COLUMNS`] and one record per row, floats in full
/// precision (`output::fmt_f64`).
pub fn render_csv(rows: &[Row]) -> io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(io::Error::other)?;
    for r in rows {
        w.write_record([
            r.group.as_str(),
            &r.case,
            &r.source,
            &r.backend,
            &r.unit,
            &fmt_f64(r.reference),
            &fmt_f64(r.engine),
            &fmt_f64(r.error),
            r.error_kind.as_str(),
            &fmt_f64(r.tolerance),
            &r.criterion,
            r.status.as_str(),
            &r.note,
        ])
        .map_err(io::Error::other)?;
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

/// Escapes a Markdown table cell.
fn md(cell: &str) -> String {
    cell.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// `validation.md`: the setting, the summary, timings and the table with notes.
pub fn render_markdown(meta: &Meta, result: &SuiteResult) -> String {
    let mut s = String::new();
    s.push_str("# interceptmc validation report\n\n");
    s.push_str("Written by `interceptmc validate`: the engine against published references (docs/model.md) and closed forms coded independently in `src/tools/validate/oracles.rs`.\n\n");
    s.push_str(&format!("- version: {}\n", meta.version));
    s.push_str(&format!("- date (UTC): {}\n", meta.date_utc));
    s.push_str(&format!("- suite: {}\n", meta.suite));
    s.push_str(&format!(
        "- machine: {}, {} logical CPUs available, {} rayon threads\n",
        meta.cpu_model, meta.cores, meta.threads
    ));
    s.push_str(&format!(
        "- Monte Carlo backends: {}\n",
        meta.backends.join(", ")
    ));
    s.push_str(&format!("- GPU adapter: {}\n", meta.gpu));
    s.push_str(&format!("- command: `{}`\n", meta.command_line));
    s.push_str(&format!(
        "- result: **{} passed, {} failed, {} skipped** of {} checks, in {:.1} s\n\n",
        result.passes(),
        result.failures(),
        result.skips(),
        result.rows.len(),
        meta.wall_s
    ));
    s.push_str("A check passes when its error is at most its tolerance: relative errors for closed forms, `|engine - reference|` against the distance to the end of the engine's 99.9 % interval for Monte Carlo estimates, the distance to a band's end for coverage. `f64` is the reference propagator, `f32` the kernel's precision (the same physics code), `cpu`/`gpu` the Monte Carlo backends, `host` the statistics code. `validation.csv` holds the same rows in full precision, with the criterion in words.\n\n");
    s.push_str("## Timings\n\n| group | checks | wall s |\n|---|---:|---:|\n");
    for t in &result.timings {
        let n = result.rows.iter().filter(|r| r.group == t.group).count();
        s.push_str(&format!("| {} | {n} | {:.2} |\n", md(&t.group), t.wall_s));
    }
    s.push_str("\n## Cases\n\n");
    for (group, about) in super::group_notes() {
        s.push_str(&format!("- **{group}**: {about}\n"));
    }
    s.push_str("\n## Results\n\n| group | case | source | backend | reference | engine | error | tolerance | pass | note |\n|---|---|---|---|---:|---:|---:|---:|---|---|\n");
    for r in &result.rows {
        let c = display_cells(r);
        let pass = match &r.status {
            Status::Fail => "**FAIL**".to_string(),
            other => status_word(other).to_string(),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            md(&r.group),
            md(&c[0]),
            md(&c[1]),
            md(&c[2]),
            md(&c[3]),
            md(&c[4]),
            md(&c[5]),
            md(&c[6]),
            pass,
            md(&r.note)
        ));
    }
    s
}

/// Writes `validation.csv` and `validation.md` into `dir` (created if missing), each atomically.
pub fn write_report(dir: &Path, meta: &Meta, result: &SuiteResult) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomic(dir.join("validation.csv"), &render_csv(&result.rows)?)?;
    write_atomic(
        dir.join("validation.md"),
        render_markdown(meta, result).as_bytes(),
    )
}
