//! Output files: `summary.csv`, `battery.csv`, `trials.csv`, `raid.csv`, `manifest.json`, `tallies.json`
//! (the integer results a `merge` of shards adds up), the files of a sweep directory
//! (`sweep.csv`, `sweep.json`, `points.jsonl`), `compare.csv`, the stdout tables and the run
//! directory (README.md, "Outputs"); the plots and maps (`plot/`), the GeoJSON (`geojson.rs`,
//! from the map layers of `geo.rs`) and the HTML report (`report.rs`).
//!
//! Every file is written atomically ([`AtomicFile`]: a temporary file in the destination's
//! directory, renamed onto the final name only when complete), so an interrupted run never
//! leaves a truncated CSV behind. Floats in CSV cells are written with Rust's `Display` for
//! `f64` ([`fmt_f64`]): the shortest decimal that round-trips, never in exponent notation, the
//! same on every platform, so identical results give byte-identical files.

pub mod atomic;
pub mod battery;
pub mod compare;
pub mod geo;
pub mod geojson;
pub mod manifest;
pub mod plot;
pub mod raid;
pub mod report;
pub mod rundir;
pub mod summary;
pub mod sweep;
pub mod table;
pub mod tallies;
pub mod time;
pub mod trials;

pub use atomic::{write_atomic, AtomicFile};
pub use battery::{
    render_battery_table, write_battery_csv, BatteryRow, BATTERY_CAPACITY_COLUMNS, BATTERY_COLUMNS,
};
pub use manifest::{read_manifest, sha256_hex, write_manifest, AdapterInfo, Manifest};
pub use raid::write_raid_csv;
pub use rundir::{default_run_dir, prepare_out_dir, run_id};
pub use summary::{write_summary_csv, SummaryRow, SUMMARY_COLUMNS};
pub use table::render_summary_table;
pub use trials::{TrialRow, TrialsWriter, TRIAL_COLUMNS};

use std::io;

/// Formats a float for a CSV cell: Rust's `Display` for `f64`, the shortest decimal string that
/// parses back to the same value (`0.1`, `1`, `0.0000001`, `NaN`, `inf`, `-inf`).
pub fn fmt_f64(v: f64) -> String {
    v.to_string()
}

/// Formats an optional float for a CSV cell: `None` is the empty cell.
pub fn fmt_opt_f64(v: Option<f64>) -> String {
    v.map(fmt_f64).unwrap_or_default()
}

/// Converts a csv error into an `io::Error` (keeping the underlying I/O error when there is
/// one).
pub(crate) fn csv_to_io(e: csv::Error) -> io::Error {
    if e.is_io_error() {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => io::Error::other(format!("{other:?}")),
        }
    } else {
        io::Error::other(e)
    }
}

/// Finishes a csv writer over an [`AtomicFile`]: flushes it and commits the file.
pub(crate) fn finish_csv(wtr: csv::Writer<AtomicFile>) -> io::Result<()> {
    let file = wtr.into_inner().map_err(|e| e.into_error())?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_cells_are_display_round_trip() {
        assert_eq!(fmt_f64(0.1), "0.1");
        assert_eq!(fmt_f64(1.0), "1");
        assert_eq!(fmt_f64(1e-7), "0.0000001");
        assert_eq!(fmt_f64(0.30000000000000004), "0.30000000000000004");
        assert_eq!(fmt_f64(f64::NAN), "NaN");
        assert_eq!(fmt_opt_f64(None), "");
        assert_eq!(fmt_opt_f64(Some(2.5)), "2.5");
        for v in [1.0 / 3.0, 123456.789e-3, 9.87654321e12, 5e-324] {
            assert_eq!(fmt_f64(v).parse::<f64>().unwrap(), v);
        }
    }
}
