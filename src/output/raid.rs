//! `raid.csv` (with `[raid]`): distributions per trial (raid) of the number of leakers and of
//! interceptors fired.

use std::io;
use std::path::Path;

use super::{csv_to_io, finish_csv, fmt_f64, AtomicFile};

/// Columns of `raid.csv`.
pub const RAID_COLUMNS: [&str; 5] = ["quantity", "value", "trials", "probability", "at_least"];

/// Writes `raid.csv` atomically: rows `quantity, value, trials, probability, at_least`, where
/// `trials` is the number of trials (raids) with that value and `probability = trials /
/// total`; every column is numeric, so pandas and polars read the file as it is.
///
/// - quantity `leakers`: one row per `l = 0..leaker_hist.len()` (`leaker_hist[l]` raids with
///   exactly `l` leakers);
/// - quantity `interceptors`: one row per `k = 0..interceptor_hist.len()`; the last bin is an
///   overflow bin: `value` `K = interceptor_hist.len() - 1` (255) with `at_least = 1`, the
///   raids that fired K interceptors *or more*. Every other row has `at_least = 0`.
///
/// `trials` is the total number of raids (`probability` is NaN when it is 0).
pub fn write_raid_csv(
    path: &Path,
    leaker_hist: &[u64],
    interceptor_hist: &[u64],
    trials: u64,
) -> io::Result<()> {
    let file = AtomicFile::create(path)?;
    let mut wtr = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(file);
    wtr.write_record(RAID_COLUMNS).map_err(csv_to_io)?;
    let prob = |c: u64| fmt_f64(c as f64 / trials as f64);
    for (l, &c) in leaker_hist.iter().enumerate() {
        wtr.write_record(["leakers", &l.to_string(), &c.to_string(), &prob(c), "0"])
            .map_err(csv_to_io)?;
    }
    let last = interceptor_hist.len().saturating_sub(1);
    for (k, &c) in interceptor_hist.iter().enumerate() {
        let at_least = if k == last { "1" } else { "0" };
        wtr.write_record([
            "interceptors",
            &k.to_string(),
            &c.to_string(),
            &prob(c),
            at_least,
        ])
        .map_err(csv_to_io)?;
    }
    finish_csv(wtr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_both_histograms() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("raid.csv");
        let leakers = [6u64, 3, 1];
        let mut interceptors = vec![0u64; 256];
        interceptors[2] = 4;
        interceptors[3] = 5;
        interceptors[255] = 1;
        write_raid_csv(&path, &leakers, &interceptors, 10).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 3 + 256);
        assert_eq!(lines[0], "quantity,value,trials,probability,at_least");
        assert_eq!(lines[1], "leakers,0,6,0.6,0");
        assert_eq!(lines[2], "leakers,1,3,0.3,0");
        assert_eq!(lines[3], "leakers,2,1,0.1,0");
        assert_eq!(lines[4], "interceptors,0,0,0,0");
        assert_eq!(lines[6], "interceptors,2,4,0.4,0");
        assert_eq!(lines[7], "interceptors,3,5,0.5,0");
        assert_eq!(lines[259], "interceptors,255,1,0.1,1");
        // Every cell but the first column's is a number.
        for l in &lines[1..] {
            for cell in l.split(',').skip(1) {
                assert!(cell.parse::<f64>().is_ok(), "{l}");
            }
        }
        // Probabilities of each quantity sum to 1.
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        let (mut sl, mut si) = (0.0, 0.0);
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let p: f64 = rec[3].parse().unwrap();
            if &rec[0] == "leakers" {
                sl += p
            } else {
                si += p
            }
        }
        assert!((sl - 1.0f64).abs() < 1e-12 && (si - 1.0f64).abs() < 1e-12);
    }

    #[test]
    fn zero_trials_gives_nan() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("raid.csv");
        write_raid_csv(&path, &[0], &[], 0).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "quantity,value,trials,probability,at_least\nleakers,0,0,NaN,0\n"
        );
    }
}
