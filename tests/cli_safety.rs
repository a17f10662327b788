//! The CLI is safe to script and to interrupt (README "Scripting"): --out is claimed before any
//! work (a non-empty directory refused without --force, an unwritable one exit 2), Ctrl-C
//! stops a run cleanly (exit 130, a one-line message, nothing left behind), -q still prints
//! the results path, the first line is short, Mesa's XDG_RUNTIME_DIR noise never shows,
//! raid.csv is numeric, manifest.json embeds the scenario text, and battery.csv with its
//! warning says who did what.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A fast scenario: one ballistic threat on an airless, non-rotating Earth, a battery at the
/// aim point that always kills and one 10,000 km away that never can.
const FAST: &str = r#"
name = "fast"
[run]
samples = 200
seed = 3
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "srbm"
kind = "ballistic"
launch = { lat_deg = 0.0, lon_deg = 0.0, radius_km = 10.0 }
aim = { lat_deg = 0.0, lon_deg = 10.0, sigma_km = 5.0 }
boost_time_s = 0.0
burnout_altitude_km = 0.0
[[sensor]]
name = "radar"
kind = "radar"
site = { lat_deg = 0.0, lon_deg = 5.0 }
max_range_km = 3000.0
min_elevation_deg = 0.0
track_delay_s = 5.0
[interceptor.sure]
min_altitude_km = 20.0
max_altitude_km = 400.0
max_range_km = 300.0
flyout_speed_km_s = 5.0
sspk = 1.0
divert_g = 10.0
[[battery]]
name = "defender"
site = { lat_deg = 0.0, lon_deg = 10.0 }
interceptor = "sure"
inventory = 1000000
reaction_time_s = 0.0
[[battery]]
name = "faraway"
site = { lat_deg = 60.0, lon_deg = 100.0 }
interceptor = "sure"
inventory = 10
reaction_time_s = 0.0
"#;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn out_that_holds_files_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let a = bin()
        .args(["run", s(&file), "--backend", "cpu", "--out", s(&out)])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("not empty") && stderr_of(&a).contains("--force"));
    assert!(!out.join("summary.csv").exists());
    bin()
        .args([
            "run",
            s(&file),
            "--backend",
            "cpu",
            "-q",
            "--force",
            "--out",
            s(&out),
        ])
        .assert()
        .success();
    assert!(out.join("summary.csv").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    // An existing empty directory is fine without --force.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    bin()
        .args([
            "run",
            s(&file),
            "--backend",
            "cpu",
            "-q",
            "--out",
            s(&empty),
        ])
        .assert()
        .success();
}

#[test]
fn unwritable_out_is_exit_2_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    // A path under a regular file can never be created (root included).
    let blocker = write(dir.path(), "blocker", "");
    let bad = blocker.join("out");
    for args in [
        vec!["run", s(&file), "--backend", "cpu"],
        vec!["compare", s(&file), s(&file), "--backend", "cpu"],
        vec!["validate", "--quick", "--backend", "cpu"],
        vec!["bench", "--quick", "--backend", "cpu"],
    ] {
        let started = Instant::now();
        let a = bin().args(&args).args(["--out", s(&bad)]).assert().code(2);
        let err = stderr_of(&a);
        assert!(
            err.contains("--out") && err.contains("cannot write"),
            "{args:?}: {err}"
        );
        // Before any work: validate --quick and bench --quick take tens of seconds.
        assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
    }
}

#[test]
fn quiet_still_prints_the_results_path_and_the_first_line_is_short() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    let out = dir.path().join("q");
    let a = bin()
        .args(["run", s(&file), "--backend", "cpu", "-q", "--out", s(&out)])
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout, format!("results: {}\n", out.display()));
    let out = dir.path().join("loud");
    let a = bin()
        .args(["run", s(&file), "--backend", "cpu", "--out", s(&out)])
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout.lines().next(), Some("fast: 200 trials on cpu"));
    assert!(stdout.ends_with(&format!("results: {}\n", out.display())));
}

#[test]
fn battery_csv_and_the_never_fired_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    let out = dir.path().join("b");
    let a = bin()
        .args(["run", s(&file), "--backend", "cpu", "--out", s(&out)])
        .assert()
        .success();
    let warning = "warning: battery \"faraway\" never fired in 200 threats";
    assert!(stderr_of(&a).contains(warning), "{}", stderr_of(&a));
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains(warning), "the table repeats it: {stdout}");
    let mut r = csv::Reader::from_path(out.join("battery.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col =
        |rec: &csv::StringRecord, c: &str| rec[h.iter().position(|x| x == c).unwrap()].to_string();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 4, "2 batteries x (1 class + all)");
    for rec in &rows {
        let (b, t) = (col(rec, "battery"), col(rec, "threat"));
        let n: Vec<String> = [
            "engagements",
            "interceptors",
            "kills",
            "p_window",
            "p_fired",
        ]
        .iter()
        .map(|c| col(rec, c))
        .collect();
        // Hand-computed: the defender fires once at every threat and kills it (sspk 1); the
        // faraway battery never has a window.
        match b.as_str() {
            "defender" => assert_eq!(n, ["200", "200", "200", "1", "1"], "{t}"),
            _ => assert_eq!(n, ["0", "0", "0", "0", "0"], "{t}"),
        }
    }
}

#[test]
fn raid_csv_is_numeric_and_manifest_embeds_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    let out = dir.path().join("raid");
    bin()
        .args(["run", s(&file), "--backend", "cpu", "-q", "--samples", "50"])
        .args(["--set", "raid.size=3", "--out", s(&out)])
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("raid.csv")).unwrap();
    assert!(!text.contains('+'), "{text}");
    let mut r = csv::Reader::from_path(out.join("raid.csv")).unwrap();
    let mut overflow = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        for cell in rec.iter().skip(1) {
            assert!(cell.parse::<f64>().is_ok(), "{rec:?}");
        }
        overflow += rec[4].parse::<u32>().unwrap();
    }
    assert_eq!(overflow, 1, "one at-least bin");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let embedded = m["scenario_text"].as_str().unwrap();
    // The text as run: the file with the override applied.
    assert!(
        embedded.contains("name = \"fast\"") && embedded.contains("size = 3"),
        "{embedded}"
    );
}

#[test]
fn no_xdg_runtime_dir_noise() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    let a = bin()
        .env_remove("XDG_RUNTIME_DIR")
        .args(["run", s(&file), "--backend", "auto", "-q"])
        .arg("--out")
        .arg(dir.path().join("x"))
        .assert()
        .success();
    assert!(
        !stderr_of(&a).contains("XDG_RUNTIME_DIR"),
        "{}",
        stderr_of(&a)
    );
}

#[test]
fn ctrl_c_stops_a_run_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "fast.toml", FAST);
    let out = dir.path().join("runs").join("long");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("interceptmc"))
        .env("XDG_RUNTIME_DIR", "/tmp")
        .args(["run", s(&file), "--backend", "cpu", "--per-trial"])
        .args(["--samples", "1000000000", "--out", s(&out)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first line (the run has started), then for the trials file to be opened.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(
        first.starts_with("fast: 1000000000 trials on cpu"),
        "{first}"
    );
    std::thread::sleep(Duration::from_millis(1500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let code = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no exit after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(code, Some(130), "{err}");
    // It announced the long run at its start, and said in one line that it stopped.
    assert!(err.contains("will take about"), "{err}");
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("interrupted after ") && last.ends_with("nothing written"),
        "{err}"
    );
    // Nothing left: neither the output folder nor the one above it (both created by the run).
    assert!(
        !dir.path().join("runs").exists(),
        "left behind: {:?}",
        std::fs::read_dir(dir.path().join("runs")).map(|d| d.count())
    );
}
