//! `trials.csv` (with `--per-trial`): one row per threat per trial, streamed.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

use super::{csv_to_io, finish_csv, AtomicFile};

/// The `trials.csv` columns, in order.
pub const TRIAL_COLUMNS: [&str; 13] = [
    "trial",
    "raid_index",
    "threat",
    "outcome",
    "interceptors_fired",
    "decoy_interceptors",
    "kill_time_s",
    "kill_altitude_km",
    "kill_battery",
    "track_time_s",
    "impact_lat_deg",
    "impact_lon_deg",
    "launch_time_s",
];

/// `outcome` of a threat that was killed.
pub const OUTCOME_KILLED: &str = "killed";
/// `outcome` of a threat that was engaged but not killed.
pub const OUTCOME_LEAKED: &str = "leaked";
/// `outcome` of a threat that no interceptor engaged.
pub const OUTCOME_UNENGAGED: &str = "unengaged";

/// One row of `trials.csv`: the fate of one threat in one trial. `None` is an empty cell.
/// Times are seconds from the trial's time origin (the raid's first launch); angles degrees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrialRow {
    /// Trial index (raid index with `[raid]`).
    pub trial: u64,
    /// Threat slot within the raid (0 without `[raid]`).
    pub raid_index: u32,
    /// Threat class name.
    pub threat: String,
    /// [`OUTCOME_KILLED`], [`OUTCOME_LEAKED`] or [`OUTCOME_UNENGAGED`].
    pub outcome: &'static str,
    /// Interceptors fired at this threat (including those fired at its decoys).
    pub interceptors_fired: u32,
    /// Interceptors fired at this threat's decoys.
    pub decoy_interceptors: u32,
    /// Time of the kill, s.
    pub kill_time_s: Option<f64>,
    /// Altitude of the kill, km.
    pub kill_altitude_km: Option<f64>,
    /// Battery that made the kill.
    pub kill_battery: Option<String>,
    /// Time the threat was first tracked, s.
    pub track_time_s: Option<f64>,
    /// Impact latitude, degrees (leakers, and killed threats' would-be impact where known).
    pub impact_lat_deg: Option<f64>,
    /// Impact longitude, degrees.
    pub impact_lon_deg: Option<f64>,
    /// Launch time, s.
    pub launch_time_s: f64,
}

/// Streams [`TrialRow`]s into `trials.csv` through an [`AtomicFile`]: the file appears only
/// when [`finish`](TrialsWriter::finish) succeeds; dropping the writer discards it.
pub struct TrialsWriter {
    wtr: csv::Writer<AtomicFile>,
    buf: String,
    rows: u64,
}

impl TrialsWriter {
    /// Starts `path` (its directory must exist) and writes the header ([`TRIAL_COLUMNS`]).
    pub fn new(path: impl AsRef<Path>) -> io::Result<Self> {
        let file = AtomicFile::create(path)?;
        let mut wtr = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        wtr.write_record(TRIAL_COLUMNS).map_err(csv_to_io)?;
        Ok(TrialsWriter {
            wtr,
            buf: String::with_capacity(32),
            rows: 0,
        })
    }

    fn field_f64(&mut self, v: Option<f64>) -> io::Result<()> {
        self.buf.clear();
        if let Some(v) = v {
            write!(self.buf, "{v}").expect("write to String");
        }
        self.wtr.write_field(&self.buf).map_err(csv_to_io)
    }

    fn field_int(&mut self, v: u64) -> io::Result<()> {
        self.buf.clear();
        write!(self.buf, "{v}").expect("write to String");
        self.wtr.write_field(&self.buf).map_err(csv_to_io)
    }

    /// Appends one row (floats with Rust's shortest round-trip `Display`).
    pub fn write(&mut self, row: &TrialRow) -> io::Result<()> {
        self.field_int(row.trial)?;
        self.field_int(row.raid_index.into())?;
        self.wtr.write_field(&row.threat).map_err(csv_to_io)?;
        self.wtr.write_field(row.outcome).map_err(csv_to_io)?;
        self.field_int(row.interceptors_fired.into())?;
        self.field_int(row.decoy_interceptors.into())?;
        self.field_f64(row.kill_time_s)?;
        self.field_f64(row.kill_altitude_km)?;
        self.wtr
            .write_field(row.kill_battery.as_deref().unwrap_or(""))
            .map_err(csv_to_io)?;
        self.field_f64(row.track_time_s)?;
        self.field_f64(row.impact_lat_deg)?;
        self.field_f64(row.impact_lon_deg)?;
        self.field_f64(Some(row.launch_time_s))?;
        self.wtr
            .write_record(std::iter::empty::<&[u8]>())
            .map_err(csv_to_io)?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and commits the file under its final name.
    pub fn finish(self) -> io::Result<()> {
        finish_csv(self.wtr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn killed() -> TrialRow {
        TrialRow {
            trial: 12,
            raid_index: 3,
            threat: "irbm".into(),
            outcome: OUTCOME_KILLED,
            interceptors_fired: 2,
            decoy_interceptors: 1,
            kill_time_s: Some(612.5),
            kill_altitude_km: Some(180.25),
            kill_battery: Some("redzikowo".into()),
            track_time_s: Some(95.0),
            impact_lat_deg: None,
            impact_lon_deg: None,
            launch_time_s: 0.1,
        }
    }

    fn leaked() -> TrialRow {
        TrialRow {
            trial: 13,
            raid_index: 0,
            threat: "srbm".into(),
            outcome: OUTCOME_LEAKED,
            interceptors_fired: 0,
            decoy_interceptors: 0,
            kill_time_s: None,
            kill_altitude_km: None,
            kill_battery: None,
            track_time_s: None,
            impact_lat_deg: Some(52.2297),
            impact_lon_deg: Some(-21.0122),
            launch_time_s: 30.0,
        }
    }

    #[test]
    fn streams_rows_with_empty_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        let mut w = TrialsWriter::new(&path).unwrap();
        w.write(&killed()).unwrap();
        w.write(&leaked()).unwrap();
        assert_eq!(w.rows(), 2);
        assert!(!path.exists(), "appears only on finish");
        w.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "trial,raid_index,threat,outcome,interceptors_fired,decoy_interceptors,kill_time_s,\
             kill_altitude_km,kill_battery,track_time_s,impact_lat_deg,impact_lon_deg,\
             launch_time_s\n\
             12,3,irbm,killed,2,1,612.5,180.25,redzikowo,95,,,0.1\n\
             13,0,srbm,leaked,0,0,,,,,52.2297,-21.0122,30\n"
        );
        // The columns match the serde field order.
        let mut s = csv::Writer::from_writer(Vec::new());
        s.serialize(killed()).unwrap();
        let ser = String::from_utf8(s.into_inner().unwrap()).unwrap();
        assert_eq!(ser.lines().next().unwrap(), TRIAL_COLUMNS.join(","));
    }

    #[test]
    fn dropped_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        {
            let mut w = TrialsWriter::new(&path).unwrap();
            w.write(&killed()).unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn empty_file_has_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        TrialsWriter::new(&path).unwrap().finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", TRIAL_COLUMNS.join(","))
        );
    }
}
