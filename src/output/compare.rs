//! `compare.csv` and its table: each layout's estimates against the first layout's, paired on
//! common random numbers (README.md, "Comparing layouts").

use std::io;
use std::path::Path;

use super::{csv_to_io, finish_csv, fmt_f64, AtomicFile};
use crate::mc::paired::PairedEstimate;

/// The columns of `compare.csv`.
pub const COMPARE_COLUMNS: [&str; 8] = [
    "layout",
    "threat",
    "metric",
    "value",
    "baseline",
    "difference",
    "difference_lo",
    "difference_hi",
];

/// One row: `metric` of `threat` under `layout`, against the baseline layout.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub layout: String,
    pub threat: String,
    pub metric: String,
    pub estimate: PairedEstimate,
}

/// Writes `compare.csv` at `path` atomically.
pub fn write_compare_csv(path: &Path, rows: &[CompareRow]) -> io::Result<()> {
    let mut wtr = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(AtomicFile::create(path)?);
    wtr.write_record(COMPARE_COLUMNS).map_err(csv_to_io)?;
    for r in rows {
        let e = &r.estimate;
        wtr.write_record([
            r.layout.clone(),
            r.threat.clone(),
            r.metric.clone(),
            fmt_f64(e.value),
            fmt_f64(e.baseline),
            fmt_f64(e.difference),
            fmt_f64(e.lo),
            fmt_f64(e.hi),
        ])
        .map_err(csv_to_io)?;
    }
    finish_csv(wtr)
}

/// The stdout table: one line per (layout, threat, metric) of `metrics`, the value, the
/// baseline's, and the difference with its interval.
pub fn render_compare_table(rows: &[CompareRow], metrics: &[&str]) -> String {
    let shown: Vec<&CompareRow> = rows
        .iter()
        .filter(|r| metrics.contains(&r.metric.as_str()))
        .collect();
    let lw = shown
        .iter()
        .map(|r| r.layout.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let tw = shown
        .iter()
        .map(|r| r.threat.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let mut out = format!(
        "{:<lw$}  {:<tw$}  {:<14}  {:>8}  {:>8}  difference [95% CI]\n",
        "layout", "threat", "metric", "value", "baseline"
    );
    for r in shown {
        let e = &r.estimate;
        out.push_str(&format!(
            "{:<lw$}  {:<tw$}  {:<14}  {:>8.4}  {:>8.4}  {:+.4} [{:+.4}, {:+.4}]\n",
            r.layout, r.threat, r.metric, e.value, e.baseline, e.difference, e.lo, e.hi
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_columns_and_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("compare.csv");
        let e = PairedEstimate {
            value: 0.5,
            baseline: 0.25,
            difference: 0.25,
            lo: 0.125,
            hi: 0.375,
        };
        let rows = vec![CompareRow {
            layout: "b".into(),
            threat: "all".into(),
            metric: "p_kill".into(),
            estimate: e,
        }];
        write_compare_csv(&path, &rows).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "layout,threat,metric,value,baseline,difference,difference_lo,difference_hi\n\
             b,all,p_kill,0.5,0.25,0.25,0.125,0.375\n"
        );
        let t = render_compare_table(&rows, &["p_kill"]);
        assert!(t.contains("+0.2500 [+0.1250, +0.3750]"), "{t}");
    }
}
