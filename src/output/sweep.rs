//! The files of a sweep directory (README.md, "Sweeps"):
//!
//! - `sweep.csv`: one row per (point, threat): `point`, `layout` (with layouts), a
//!   `param_<path>` column per axis, the `summary.csv` columns, then `baseline` (the baseline
//!   point) and the paired differences against it (`d_p_kill`, `d_p_kill_lo`, `d_p_kill_hi`,
//!   `d_p_zero_leakers`, `d_p_zero_leakers_lo`, `d_p_zero_leakers_hi`). Rows are appended and
//!   flushed, whole lines at once, as each point finishes.
//! - `sweep.json`: what the sweep is (the hashes of the sweep file, of the base and of each
//!   point's resolved scenario, seed, samples, shard, baseline, backend), written atomically
//!   before the first point; `--resume` refuses a directory whose `sweep.json` differs.
//! - `points.jsonl`: one line per finished point with its integer results
//!   (`mc::sweep::PointResult`), appended and flushed after its rows. `sweep.csv` is a function
//!   of these lines, so `--resume` rewrites it from them (atomically) and runs the points that
//!   have none: an interrupted sweep loses at most the point in progress.
//! - `.baseline-trials.bin`: the baseline's per-trial counts (a JSON header line, then 10 bytes
//!   per trial and class), committed when the baseline finishes and removed when the sweep does.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{csv_to_io, fmt_f64, AtomicFile, SummaryRow, SUMMARY_COLUMNS};
use crate::mc::paired::{ClassCounts, PairedEstimate, TrialCounts};
use crate::mc::sweep::{BaselineSink, BaselineSource, PointResult, RowDifferences};

pub const SWEEP_CSV: &str = "sweep.csv";
pub const SWEEP_JSON: &str = "sweep.json";
pub const POINTS_LOG: &str = "points.jsonl";
pub const BASELINE_FILE: &str = ".baseline-trials.bin";

/// The columns after the summary columns.
pub const DIFFERENCE_COLUMNS: [&str; 7] = [
    "baseline",
    "d_p_kill",
    "d_p_kill_lo",
    "d_p_kill_hi",
    "d_p_zero_leakers",
    "d_p_zero_leakers_lo",
    "d_p_zero_leakers_hi",
];

/// The header of `sweep.csv` for a sweep with (or without) layouts and these axis paths.
pub fn sweep_header(layouts: bool, axes: &[String]) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    if layouts {
        h.push("layout".into());
    }
    h.extend(axes.iter().map(|a| format!("param_{a}")));
    h.extend(SUMMARY_COLUMNS.iter().map(|c| c.to_string()));
    h.extend(DIFFERENCE_COLUMNS.iter().map(|c| c.to_string()));
    h
}

/// Where a point is: its index, layout and axis values (as CSV cells).
#[derive(Debug, Clone, PartialEq)]
pub struct PointCells {
    pub point: usize,
    pub layout: Option<String>,
    pub params: Vec<String>,
}

fn csv_lines(records: impl IntoIterator<Item = Vec<String>>) -> io::Result<String> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for r in records {
        w.write_record(&r).map_err(csv_to_io)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

/// The header line of `sweep.csv`, `\n`-terminated.
pub fn header_line(header: &[String]) -> io::Result<String> {
    csv_lines([header.to_vec()])
}

/// The lines (`\n`-terminated) of one point's rows.
pub fn point_lines(
    at: &PointCells,
    baseline: usize,
    rows: &[(SummaryRow, RowDifferences)],
) -> io::Result<String> {
    csv_lines(rows.iter().map(|(row, d)| {
        let mut cells = vec![at.point.to_string()];
        cells.extend(at.layout.clone());
        cells.extend(at.params.iter().cloned());
        cells.extend(row.record());
        cells.push(baseline.to_string());
        for e in [&d.p_kill, &d.p_zero_leakers] {
            let PairedEstimate {
                difference, lo, hi, ..
            } = *e;
            cells.extend([fmt_f64(difference), fmt_f64(lo), fmt_f64(hi)]);
        }
        cells
    }))
}

/// An append-only text file whose every append is whole lines, flushed and synced.
pub struct Appender {
    file: File,
    path: PathBuf,
}

impl Appender {
    /// Replaces `path` atomically with `initial`, then opens it for appending.
    pub fn create(path: &Path, initial: &str) -> io::Result<Appender> {
        let mut f = AtomicFile::create(path)?;
        f.write_all(initial.as_bytes())?;
        f.commit()?;
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        Ok(Appender {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Appends `lines` (whole `\n`-terminated lines) in one write, then syncs them to disk.
    pub fn append(&mut self, lines: &str) -> io::Result<()> {
        debug_assert!(lines.is_empty() || lines.ends_with('\n'));
        self.file
            .write_all(lines.as_bytes())
            .and_then(|_| self.file.sync_data())
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.path.display())))
    }
}

/// One line of `points.jsonl`.
pub fn point_log_line(r: &PointResult) -> io::Result<String> {
    let json = serde_json::to_string(r).map_err(io::Error::other)?;
    Ok(format!("{json}\n"))
}

/// The finished points of `points.jsonl`: its complete, well-formed lines up to the first that
/// is not (an interrupted append). A missing file has none.
pub fn read_point_log(path: &Path) -> io::Result<Vec<PointResult>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
    };
    let mut out = Vec::new();
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line)?;
        if n == 0 || !line.ends_with('\n') {
            break;
        }
        match serde_json::from_str::<PointResult>(&line) {
            Ok(r) => out.push(r),
            Err(_) => break,
        }
    }
    Ok(out)
}

/// The header line of the baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct BaselineHeader {
    fingerprint: String,
    trials: [u64; 2],
    classes: usize,
}

/// Writes the baseline's per-trial counts; the file appears under its name on
/// [`commit`](BaselineWriter::commit) only.
pub struct BaselineWriter {
    file: AtomicFile,
}

impl BaselineWriter {
    pub fn create(
        path: &Path,
        fingerprint: &str,
        trials: [u64; 2],
        classes: usize,
    ) -> io::Result<BaselineWriter> {
        let mut file = AtomicFile::create(path)?;
        let header = BaselineHeader {
            fingerprint: fingerprint.to_string(),
            trials,
            classes,
        };
        let json = serde_json::to_string(&header).map_err(io::Error::other)?;
        file.write_all(format!("{json}\n").as_bytes())?;
        Ok(BaselineWriter { file })
    }

    pub fn commit(self) -> io::Result<()> {
        self.file.commit()
    }
}

impl BaselineSink for BaselineWriter {
    fn write(&mut self, counts: &TrialCounts) -> io::Result<()> {
        let mut buf = Vec::with_capacity(counts.counts.len() * ClassCounts::BYTES);
        for c in &counts.counts {
            buf.extend_from_slice(&c.to_bytes());
        }
        self.file.write_all(&buf)
    }
}

/// Reads the baseline's per-trial counts back, from the first trial on every rewind.
pub struct BaselineReader {
    reader: BufReader<File>,
    data_start: u64,
    classes: usize,
}

impl BaselineReader {
    /// Opens the baseline file at `path` if it holds the counts of the baseline with this
    /// fingerprint over these trials and classes, complete; `None` otherwise (then the
    /// baseline must run again).
    pub fn open(
        path: &Path,
        fingerprint: &str,
        trials: [u64; 2],
        classes: usize,
    ) -> io::Result<Option<BaselineReader>> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        let mut reader = BufReader::new(file);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let want = BaselineHeader {
            fingerprint: fingerprint.to_string(),
            trials,
            classes,
        };
        match serde_json::from_str::<BaselineHeader>(&line) {
            Ok(h) if h == want => {}
            _ => return Ok(None),
        }
        let data_start = line.len() as u64;
        let data = (trials[1] - trials[0]) * (classes * ClassCounts::BYTES) as u64;
        if len != data_start + data {
            return Ok(None);
        }
        Ok(Some(BaselineReader {
            reader,
            data_start,
            classes,
        }))
    }
}

impl BaselineSource for BaselineReader {
    fn rewind(&mut self) -> io::Result<()> {
        self.reader
            .seek(SeekFrom::Start(self.data_start))
            .map(|_| ())
    }

    fn read(&mut self, trials: u64) -> io::Result<TrialCounts> {
        let mut buf = vec![0u8; trials as usize * self.classes * ClassCounts::BYTES];
        self.reader.read_exact(&mut buf)?;
        Ok(TrialCounts {
            classes: self.classes,
            counts: buf
                .chunks_exact(ClassCounts::BYTES)
                .map(ClassCounts::from_bytes)
                .collect(),
        })
    }
}

/// Removes the temporary files a killed sweep may have left in `dir` (an [`AtomicFile`] that
/// never committed: `.<name>.tmp-<pid>-<n>` for the sweep's own files).
pub fn remove_stale_temps(dir: &Path) -> io::Result<()> {
    let names = [
        SWEEP_CSV,
        SWEEP_JSON,
        POINTS_LOG,
        BASELINE_FILE,
        super::tallies::TALLIES_FILE,
        "manifest.json",
    ];
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if names
            .iter()
            .any(|n| name.starts_with(&format!(".{n}.tmp-")))
        {
            std::fs::remove_file(dir.join(name.as_ref()))?;
        }
    }
    Ok(())
}

/// Writes `value` as pretty JSON at `path`, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    let mut f = BufWriter::new(AtomicFile::create(path)?);
    f.write_all(json.as_bytes())?;
    f.write_all(b"\n")?;
    f.into_inner().map_err(|e| e.into_error())?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mc::paired::PairedMoments;

    fn result(point: usize) -> PointResult {
        PointResult {
            point,
            hash: "h".into(),
            trials: [0, 10],
            wall_s: 0.5,
            tallies: vec![1, 2, 3],
            paired: PairedMoments::new(1),
        }
    }

    #[test]
    fn the_point_log_keeps_complete_lines_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(POINTS_LOG);
        assert!(read_point_log(&path).unwrap().is_empty());
        let mut log = Appender::create(&path, "").unwrap();
        log.append(&point_log_line(&result(0)).unwrap()).unwrap();
        log.append(&point_log_line(&result(3)).unwrap()).unwrap();
        let half = point_log_line(&result(4)).unwrap();
        // An append cut short by a kill.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(&half.as_bytes()[..half.len() / 2])
            .unwrap();
        let back = read_point_log(&path).unwrap();
        assert_eq!(back, vec![result(0), result(3)]);
    }

    #[test]
    fn the_baseline_file_round_trips_and_refuses_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(BASELINE_FILE);
        let counts = TrialCounts {
            classes: 2,
            counts: (0..8)
                .map(|i| ClassCounts {
                    threats: i,
                    killed: i / 2,
                    engaged: i,
                    interceptors: 3 * u32::from(i),
                })
                .collect(),
        };
        let mut w = BaselineWriter::create(&path, "fp", [5, 9], 2).unwrap();
        assert!(BaselineReader::open(&path, "fp", [5, 9], 2)
            .unwrap()
            .is_none());
        w.write(&counts).unwrap();
        w.commit().unwrap();
        let mut r = BaselineReader::open(&path, "fp", [5, 9], 2)
            .unwrap()
            .unwrap();
        r.rewind().unwrap();
        assert_eq!(r.read(4).unwrap(), counts);
        r.rewind().unwrap();
        assert_eq!(r.read(1).unwrap().counts, counts.counts[..2]);
        assert!(BaselineReader::open(&path, "other", [5, 9], 2)
            .unwrap()
            .is_none());
        assert!(BaselineReader::open(&path, "fp", [5, 10], 2)
            .unwrap()
            .is_none());
    }
}
