//! `battery.csv`: who did what, one row per (battery, threat class) and one per battery over
//! all classes (`threat = all`) (README.md "Outputs"), and the run table's battery block.

use std::io;
use std::path::Path;

use super::{csv_to_io, finish_csv, fmt_f64, AtomicFile};
pub use crate::mc::battery::BatteryRow;

/// The `battery.csv` columns, in order; with capacity keys in the scenario
/// [`BATTERY_CAPACITY_COLUMNS`] follow.
pub const BATTERY_COLUMNS: [&str; 19] = [
    "scenario",
    "battery",
    "interceptor",
    "threat",
    "threats",
    "engagements",
    "interceptors",
    "kills",
    "p_window",
    "p_window_lo",
    "p_window_hi",
    "p_fired",
    "p_fired_lo",
    "p_fired_hi",
    "p_kill_by",
    "confidence",
    "windows",
    "fired_at",
    "mean_interceptors_per_engagement",
];

/// With capacity keys: threats of the row whose engagement by the battery each limit delayed
/// or prevented (`BatteryRow::bound`).
pub const BATTERY_CAPACITY_COLUMNS: [&str; 4] = [
    "bound_fire_channels",
    "bound_launch_interval",
    "bound_track_capacity",
    "bound_fire_control",
];

impl BatteryRow {
    /// The row's cells in [`BATTERY_COLUMNS`] order, then [`BATTERY_CAPACITY_COLUMNS`] with
    /// capacity keys.
    pub fn record(&self) -> Vec<String> {
        let f = fmt_f64;
        let per_engagement = if self.engagements == 0 {
            f64::NAN
        } else {
            self.interceptors as f64 / self.engagements as f64
        };
        let mut cells = vec![
            self.scenario.clone(),
            self.battery.clone(),
            self.interceptor.clone(),
            self.threat.clone(),
            self.threats.to_string(),
            self.engagements.to_string(),
            self.interceptors.to_string(),
            self.kills.to_string(),
            f(self.p_window),
            f(self.p_window_lo),
            f(self.p_window_hi),
            f(self.p_fired),
            f(self.p_fired_lo),
            f(self.p_fired_hi),
            f(self.p_kill_by),
            f(self.confidence),
            self.windows.to_string(),
            self.fired_at.to_string(),
            f(per_engagement),
        ];
        if let Some(bound) = self.bound {
            cells.extend(bound.iter().map(|n| n.to_string()));
        }
        cells
    }
}

/// Writes `battery.csv` atomically.
pub fn write_battery_csv(path: &Path, rows: &[BatteryRow]) -> io::Result<()> {
    let file = AtomicFile::create(path)?;
    let mut wtr = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(file);
    let mut header = BATTERY_COLUMNS.to_vec();
    if rows.iter().any(|r| r.bound.is_some()) {
        header.extend(BATTERY_CAPACITY_COLUMNS);
    }
    wtr.write_record(header).map_err(csv_to_io)?;
    for r in rows {
        wtr.write_record(r.record()).map_err(csv_to_io)?;
    }
    finish_csv(wtr)
}

/// The run table's battery block: per battery (its `all` row) engagements, interceptors,
/// kills, p_window and p_fired with their intervals, and with capacity keys the threats each
/// limit bound (`a/b/c/d` in `CAP_*` order); then one line per warning.
pub fn render_battery_table(rows: &[BatteryRow], warnings: &[String]) -> String {
    let all: Vec<&BatteryRow> = rows.iter().filter(|r| r.threat == "all").collect();
    if all.is_empty() {
        return String::new();
    }
    let ci = |p: f64, lo: f64, hi: f64| format!("{p:.4} [{lo:.4}, {hi:.4}]");
    let mut table = vec![vec![
        "battery".to_string(),
        "interceptor".to_string(),
        "engagements".to_string(),
        "interceptors".to_string(),
        "kills".to_string(),
        "p_window".to_string(),
        "p_fired".to_string(),
    ]];
    // With capacity keys: the threats each limit delayed or denied (battery.csv's bound_*).
    let limited = all.iter().any(|r| r.bound.is_some());
    if limited {
        table[0].push("bound: channels/interval/tracks/fire control".to_string());
    }
    for r in &all {
        let mut cells = vec![
            r.battery.clone(),
            r.interceptor.clone(),
            r.engagements.to_string(),
            r.interceptors.to_string(),
            r.kills.to_string(),
            ci(r.p_window, r.p_window_lo, r.p_window_hi),
            ci(r.p_fired, r.p_fired_lo, r.p_fired_hi),
        ];
        if limited {
            let b = r.bound.unwrap_or_default();
            cells.push(format!("{}/{}/{}/{}", b[0], b[1], b[2], b[3]));
        }
        table.push(cells);
    }
    let mut out = super::table::align_table(&table, |c| c < 2);
    for w in warnings {
        out.push_str(w);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(threat: &str, bound: Option<[u64; 4]>) -> BatteryRow {
        BatteryRow {
            scenario: "s".into(),
            battery: "thaad".into(),
            interceptor: "thaad".into(),
            threat: threat.into(),
            threats: 10,
            engagements: 4,
            interceptors: 5,
            kills: 3,
            p_window: 0.5,
            p_window_lo: 0.25,
            p_window_hi: 0.75,
            p_fired: 0.4,
            p_fired_lo: 0.2,
            p_fired_hi: 0.6,
            p_kill_by: 0.3,
            confidence: 0.95,
            windows: 5,
            fired_at: 4,
            bound,
        }
    }

    #[test]
    fn capacity_columns_only_with_capacity_keys() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.csv");
        write_battery_csv(&plain, &[row("srbm", None), row("all", None)]).unwrap();
        let text = std::fs::read_to_string(&plain).unwrap();
        assert_eq!(text.lines().next().unwrap(), BATTERY_COLUMNS.join(","));
        assert!(!render_battery_table(&[row("all", None)], &[]).contains("bound"));

        let limited = dir.path().join("limited.csv");
        let rows = [
            row("srbm", Some([2, 1, 0, 0])),
            row("all", Some([7, 1, 0, 3])),
        ];
        write_battery_csv(&limited, &rows).unwrap();
        let text = std::fs::read_to_string(&limited).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(
            header.ends_with(&BATTERY_CAPACITY_COLUMNS.join(",")),
            "{header}"
        );
        assert!(lines.next().unwrap().ends_with(",2,1,0,0"));
        assert!(lines.next().unwrap().ends_with(",7,1,0,3"));
        // The table shows the `all` row's counts in CAP_* order.
        let table = render_battery_table(&rows, &[]);
        assert!(table.contains("bound: channels/interval/tracks/fire control"));
        assert!(
            table.lines().nth(1).unwrap().ends_with("7/1/0/3"),
            "{table}"
        );
    }
}
