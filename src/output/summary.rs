//! `summary.csv`: one row per threat class plus one row `threat = all` (README.md "Outputs").

use std::path::Path;
use std::{fmt, io};

use super::{csv_to_io, finish_csv, fmt_f64, AtomicFile};
pub use crate::mc::summary::SummaryRow;

/// The `summary.csv` columns, in order: the contract columns (README.md "Outputs"), then extensions.
pub const SUMMARY_COLUMNS: [&str; 25] = [
    "scenario",
    "threat",
    "backend",
    "samples",
    "seed",
    "p_kill",
    "p_kill_lo",
    "p_kill_hi",
    "p_engaged",
    "mean_interceptors",
    "p_zero_leakers",
    "p_zero_leakers_lo",
    "p_zero_leakers_hi",
    "mean_leakers",
    "wall_s",
    "threats",
    "killed",
    "engaged",
    "interceptors",
    "decoy_interceptors",
    "mean_decoy_interceptors",
    "p_kill_cp_lo",
    "p_kill_cp_hi",
    "confidence",
    "unlanded",
];

impl SummaryRow {
    /// The row's CSV cells in [`SUMMARY_COLUMNS`] order: integers in decimal, floats with
    /// [`fmt_f64`] (shortest round-trip `Display`). Also for writers that add columns, such as
    /// `sweep.csv`.
    pub fn record(&self) -> Vec<String> {
        let f = |v: f64| fmt_f64(v);
        vec![
            self.scenario.clone(),
            self.threat.clone(),
            self.backend.clone(),
            self.samples.to_string(),
            self.seed.to_string(),
            f(self.p_kill),
            f(self.p_kill_lo),
            f(self.p_kill_hi),
            f(self.p_engaged),
            f(self.mean_interceptors),
            f(self.p_zero_leakers),
            f(self.p_zero_leakers_lo),
            f(self.p_zero_leakers_hi),
            f(self.mean_leakers),
            f(self.wall_s),
            self.threats.to_string(),
            self.killed.to_string(),
            self.engaged.to_string(),
            self.interceptors.to_string(),
            self.decoy_interceptors.to_string(),
            f(self.mean_decoy_interceptors),
            f(self.p_kill_cp_lo),
            f(self.p_kill_cp_hi),
            f(self.confidence),
            self.unlanded.to_string(),
        ]
    }
}

impl fmt::Display for SummaryRow {
    /// The row as one CSV line without the newline (fields quoted where needed).
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(self.record()).map_err(|_| fmt::Error)?;
        let bytes = w.into_inner().map_err(|_| fmt::Error)?;
        let s = String::from_utf8(bytes).map_err(|_| fmt::Error)?;
        out.write_str(s.trim_end_matches('\n'))
    }
}

/// Writes `summary.csv` at `path` atomically: the header ([`SUMMARY_COLUMNS`]) and one line
/// per row, `\n`-terminated. The header is written even with no rows.
pub fn write_summary_csv(path: &Path, rows: &[SummaryRow]) -> io::Result<()> {
    let file = AtomicFile::create(path)?;
    let mut wtr = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(file);
    wtr.write_record(SUMMARY_COLUMNS).map_err(csv_to_io)?;
    for row in rows {
        wtr.write_record(row.record()).map_err(csv_to_io)?;
    }
    finish_csv(wtr)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample_row(threat: &str) -> SummaryRow {
        SummaryRow {
            scenario: "europe-layered".into(),
            threat: threat.into(),
            backend: "cpu".into(),
            samples: 100_000,
            seed: 1,
            p_kill: 0.91234,
            p_kill_lo: 0.91058,
            p_kill_hi: 0.91407,
            p_engaged: 0.99,
            mean_interceptors: 1.3,
            p_zero_leakers: 0.1,
            p_zero_leakers_lo: 0.0981,
            p_zero_leakers_hi: 0.1019,
            mean_leakers: 2.5,
            wall_s: 1.0,
            threats: 1_000_000,
            killed: 912_340,
            engaged: 990_000,
            interceptors: 1_300_000,
            decoy_interceptors: 0,
            mean_decoy_interceptors: 0.0,
            p_kill_cp_lo: 0.9105,
            p_kill_cp_hi: 0.9141,
            confidence: 0.95,
            unlanded: 0,
        }
    }

    #[test]
    fn header_matches_serde_field_order() {
        // The serde-derived header (field names in declaration order) equals SUMMARY_COLUMNS.
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(sample_row("all")).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text.lines().next().unwrap(), SUMMARY_COLUMNS.join(","));
        assert_eq!(sample_row("x").record().len(), SUMMARY_COLUMNS.len());
        // The contract columns come first, in the README.md order.
        let contract = "scenario,threat,backend,samples,seed,p_kill,p_kill_lo,p_kill_hi,\
            p_engaged,mean_interceptors,p_zero_leakers,p_zero_leakers_lo,p_zero_leakers_hi,\
            mean_leakers,wall_s";
        assert!(SUMMARY_COLUMNS.join(",").starts_with(contract));
    }

    #[test]
    fn writes_display_floats_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.csv");
        let mut odd = sample_row("icbm, \"heavy\"");
        odd.p_kill = f64::NAN;
        let rows = vec![sample_row("srbm"), odd, sample_row("all")];
        write_summary_csv(&path, &rows).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], SUMMARY_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "europe-layered,srbm,cpu,100000,1,0.91234,0.91058,0.91407,0.99,1.3,0.1,0.0981,\
             0.1019,2.5,1,1000000,912340,990000,1300000,0,0,0.9105,0.9141,0.95,0"
        );
        assert!(lines[2].starts_with("europe-layered,\"icbm, \"\"heavy\"\"\",cpu,100000,1,NaN,"));
        assert!(text.ends_with('\n') && !text.contains('\r'));
        assert_eq!(rows[0].to_string(), lines[1]);
        // Round trip through the csv deserializer.
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        let back: Vec<SummaryRow> = rdr.deserialize().map(|r| r.unwrap()).collect();
        assert_eq!(back[0], rows[0]);
        assert_eq!(back[2], rows[2]);
        assert!(back[1].p_kill.is_nan());
        assert_eq!(back[1].threat, "icbm, \"heavy\"");
        // Deterministic bytes.
        let path2 = dir.path().join("again.csv");
        write_summary_csv(&path2, &rows).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&path2).unwrap()
        );
    }

    #[test]
    fn empty_rows_still_have_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.csv");
        write_summary_csv(&path, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", SUMMARY_COLUMNS.join(","))
        );
    }
}
