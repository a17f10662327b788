//! `trials.csv` (with `--per-trial`): one row per threat per trial, streamed: its fate, why it
//! leaked, which batteries could and did engage it, and the inputs it was drawn with (enough to
//! fly it again: `mc::inputs::threat_from_inputs`).
//!
//! Every float in the file is a kernel value (f32), written as the shortest decimal that reads
//! back to the same f32 (`612.5`, `0.1`, `51.38712`): no digits beyond the value's precision.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::{csv_to_io, finish_csv, AtomicFile};
pub use crate::mc::inputs::SampledInputs;

/// The `trials.csv` columns, in order; then one `sspk_<interceptor>` column per interceptor
/// type (scenario order): the trial's single-shot kill probability of that type.
pub const TRIAL_COLUMNS: [&str; 27] = [
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
    "leak_reason",
    "window_batteries",
    "fired_batteries",
    "launch_lat_deg",
    "launch_lon_deg",
    "aim_lat_deg",
    "aim_lon_deg",
    "burnout_lat_deg",
    "burnout_lon_deg",
    "burnout_speed_km_s",
    "burnout_flight_path_angle_deg",
    "burnout_azimuth_deg",
    "weave_phase_deg",
    "weave_period_s",
];

/// `leak_reason` of each `LEAK_*` kernel value (`model::types`; defined in docs/model.md
/// section 10): empty for a killed threat.
pub fn leak_reason_name(code: u32) -> &'static str {
    use crate::model::types::*;
    match code {
        LEAK_MISSED => "missed",
        LEAK_INVENTORY_OUT => "inventory_out",
        LEAK_NO_TRACK => "no_track",
        LEAK_NOT_IN_TIME => "not_in_time",
        LEAK_NO_WINDOW => "no_window",
        LEAK_CAPACITY => "capacity",
        _ => "",
    }
}

/// `outcome` of a threat that was killed.
pub const OUTCOME_KILLED: &str = "killed";
/// `outcome` of a threat that was engaged but not killed.
pub const OUTCOME_LEAKED: &str = "leaked";
/// `outcome` of a threat that no interceptor engaged.
pub const OUTCOME_UNENGAGED: &str = "unengaged";

/// One row of `trials.csv`: the fate of one threat in one trial. `None` is an empty cell.
/// Times are seconds from the trial's time origin (the raid's first launch); angles degrees.
#[derive(Debug, Clone, PartialEq)]
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
    /// Why it was not killed (`leak_reason_name`); empty when killed.
    pub leak_reason: &'static str,
    /// Batteries with a feasible intercept window against it, `;`-separated.
    pub window_batteries: String,
    /// Batteries that fired at it (warhead or decoys), `;`-separated.
    pub fired_batteries: String,
    /// The inputs it was drawn with.
    pub inputs: SampledInputs,
}

/// Streams [`TrialRow`]s into `trials.csv` through an [`AtomicFile`]: the file appears only
/// when [`finish`](TrialsWriter::finish) succeeds; dropping the writer discards it.
pub struct TrialsWriter {
    wtr: csv::Writer<AtomicFile>,
    buf: String,
    rows: u64,
}

impl TrialsWriter {
    /// Starts `path` (its directory must exist) and writes the header: [`TRIAL_COLUMNS`], then
    /// `sspk_<name>` for each interceptor type in `interceptors`.
    pub fn new(path: impl AsRef<Path>, interceptors: &[String]) -> io::Result<Self> {
        let file = AtomicFile::create(path)?;
        let mut wtr = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        let header: Vec<String> = TRIAL_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .chain(interceptors.iter().map(|n| format!("sspk_{n}")))
            .collect();
        wtr.write_record(&header).map_err(csv_to_io)?;
        Ok(TrialsWriter {
            wtr,
            buf: String::with_capacity(32),
            rows: 0,
        })
    }

    /// A kernel (f32) value: the shortest decimal that reads back to the same f32.
    fn field_f64(&mut self, v: Option<f64>) -> io::Result<()> {
        self.buf.clear();
        if let Some(v) = v {
            write!(self.buf, "{}", v as f32).expect("write to String");
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
        self.wtr.write_field(row.leak_reason).map_err(csv_to_io)?;
        self.wtr
            .write_field(&row.window_batteries)
            .map_err(csv_to_io)?;
        self.wtr
            .write_field(&row.fired_batteries)
            .map_err(csv_to_io)?;
        let x = &row.inputs;
        for v in [
            x.launch_lat_deg,
            x.launch_lon_deg,
            x.aim_lat_deg,
            x.aim_lon_deg,
            x.burnout_lat_deg,
            x.burnout_lon_deg,
            x.burnout_speed_km_s,
            x.burnout_flight_path_angle_deg,
            x.burnout_azimuth_deg,
            x.weave_phase_deg,
            x.weave_period_s,
        ]
        .into_iter()
        .chain(x.sspk.iter().copied())
        {
            self.field_f64(Some(v as f64))?;
        }
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
            launch_time_s: 0.1f32 as f64,
            leak_reason: "",
            window_batteries: "redzikowo;thaad".into(),
            fired_batteries: "redzikowo".into(),
            inputs: inputs(),
        }
    }

    fn inputs() -> SampledInputs {
        SampledInputs {
            class_id: 0,
            launch_lat_deg: 35.7,
            launch_lon_deg: 51.4,
            aim_lat_deg: 50.1,
            aim_lon_deg: 14.4,
            launch_time_s: 0.1,
            burnout_lat_deg: 36.0,
            burnout_lon_deg: 51.0,
            burnout_speed_km_s: 4.25,
            burnout_flight_path_angle_deg: 40.0,
            burnout_azimuth_deg: -60.5,
            weave_phase_deg: 0.0,
            weave_period_s: 0.0,
            sspk: vec![0.8, 1.0 / 3.0],
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
            impact_lat_deg: Some(52.2297f32 as f64),
            impact_lon_deg: Some(-21.0122f32 as f64),
            launch_time_s: 30.0,
            leak_reason: "no_track",
            window_batteries: String::new(),
            fired_batteries: String::new(),
            inputs: inputs(),
        }
    }

    fn names() -> Vec<String> {
        vec!["sm3".into(), "thaad".into()]
    }

    #[test]
    fn streams_rows_with_empty_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        let mut w = TrialsWriter::new(&path, &names()).unwrap();
        w.write(&killed()).unwrap();
        w.write(&leaked()).unwrap();
        assert_eq!(w.rows(), 2);
        assert!(!path.exists(), "appears only on finish");
        w.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let inputs = "35.7,51.4,50.1,14.4,36,51,4.25,40,-60.5,0,0,0.8,0.33333334";
        assert_eq!(
            text,
            format!(
                "{},sspk_sm3,sspk_thaad\n\
                 12,3,irbm,killed,2,1,612.5,180.25,redzikowo,95,,,0.1,,redzikowo;thaad,redzikowo,\
                 {inputs}\n\
                 13,0,srbm,leaked,0,0,,,,,52.2297,-21.0122,30,no_track,,,{inputs}\n",
                TRIAL_COLUMNS.join(",")
            )
        );
    }

    #[test]
    fn dropped_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        {
            let mut w = TrialsWriter::new(&path, &names()).unwrap();
            w.write(&killed()).unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn empty_file_has_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trials.csv");
        TrialsWriter::new(&path, &names())
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{},sspk_sm3,sspk_thaad\n", TRIAL_COLUMNS.join(","))
        );
    }
}
