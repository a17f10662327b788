//! `interceptmc sweep` and `compare` end to end: grid and zip points with their parameter
//! columns, bad axes refused before any work (exit 2, naming the axis and the point), paired
//! differences of identical points exactly 0 with a zero-width interval, a sweep stopped midway
//! and resumed equal to an uninterrupted one, and `compare` of layout files.

mod common;

use common::{bin, stderr_of, without_wall, write};
use std::path::Path;

/// A small scenario: a short-range ballistic missile against one THAAD-like battery, in raids
/// of 3 with an imperfect system reliability (so p_kill's paired interval is the cluster one).
pub const BASE: &str = r#"name = "sweep-base"
[run]
samples = 160
seed = 5
dt_s = 2.0
dt_atmosphere_s = 0.5
[[threat]]
name = "srbm"
kind = "ballistic"
launch = { lat_deg = 30.0, lon_deg = 40.0, radius_km = 20.0 }
aim = { lat_deg = 33.0, lon_deg = 44.0, sigma_km = 5.0 }
rcs_m2 = 0.1
boost_time_s = 60.0
burnout_altitude_km = 40.0
[[threat]]
name = "srbm2"
kind = "ballistic"
launch = { lat_deg = 29.0, lon_deg = 41.0, radius_km = 20.0 }
aim = { lat_deg = 33.0, lon_deg = 44.5, sigma_km = 5.0 }
rcs_m2 = 0.1
boost_time_s = 60.0
burnout_altitude_km = 40.0
[[sensor]]
name = "radar"
kind = "radar"
site = { lat_deg = 32.0, lon_deg = 43.0, alt_km = 0.5 }
max_range_km = 1000.0
track_delay_s = 5.0
[interceptor.thaad]
min_altitude_km = 40.0
max_altitude_km = 150.0
max_range_km = 200.0
flyout_speed_km_s = 2.5
sspk = 0.7
divert_g = 10.0
[[battery]]
name = "b1"
site = { lat_deg = 32.8, lon_deg = 43.7 }
interceptor = "thaad"
inventory = 8
reaction_time_s = 10.0
[doctrine]
mode = "shoot-look-shoot"
max_engagements = 2
kill_assessment_s = 10.0
[raid]
size = 3
system_reliability = 0.9
"#;

/// The rows of a CSV file as maps from column to cell.
fn rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn sweep(args: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .arg("sweep")
        .args(args)
        .args(["--backend", "cpu", "-q"])
        .assert()
}

const SWEEP: &str = r#"base = "base.toml"
[[axis]]
path = "battery.b1.inventory"
values = [2, 8]
[[axis]]
path = "interceptor.thaad.sspk"
range = { start = 0.5, stop = 0.9, steps = 3 }
"#;

#[test]
fn grid_rows_carry_the_point_and_its_parameters() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let file = write(dir.path(), "grid.toml", SWEEP);
    let out = dir.path().join("o");
    sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).success();
    let rows = rows(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 6 * 3, "6 points x (2 classes + all)");
    let all: Vec<_> = rows.iter().filter(|r| r["threat"] == "all").collect();
    let params: Vec<(&str, &str)> = all
        .iter()
        .map(|r| {
            (
                r["param_battery.b1.inventory"].as_str(),
                r["param_interceptor.thaad.sspk"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("2", "0.5"),
            ("2", "0.7"),
            ("2", "0.9"),
            ("8", "0.5"),
            ("8", "0.7"),
            ("8", "0.9")
        ]
    );
    for (i, r) in all.iter().enumerate() {
        assert_eq!(r["point"], i.to_string());
        assert_eq!(r["baseline"], "0");
        assert_eq!(r["samples"], "160");
    }
    // The baseline against itself: exactly 0 with a zero-width interval.
    for col in [
        "d_p_kill",
        "d_p_kill_lo",
        "d_p_kill_hi",
        "d_p_zero_leakers_lo",
    ] {
        assert_eq!(all[0][col], "0", "{col}");
    }
    // A better sspk kills more on the same trials.
    let d: f64 = all[2]["d_p_kill"].parse().unwrap();
    let lo: f64 = all[2]["d_p_kill_lo"].parse().unwrap();
    assert!(d > 0.0 && lo > 0.0, "{:?}", all[2]);
    // The summary columns are all there.
    for col in interceptmc::output::SUMMARY_COLUMNS {
        assert!(rows[0].contains_key(col), "{col}");
    }
    // Finished: tallies.json and manifest.json, no baseline file left.
    assert!(out.join("tallies.json").is_file() && out.join("manifest.json").is_file());
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "leftover {name}");
    }
}

#[test]
fn zip_pairs_the_values_and_baseline_moves() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let file = write(
        dir.path(),
        "zip.toml",
        &format!(
            "mode = \"zip\"\n{}",
            SWEEP.replace("values = [2, 8]", "values = [2, 4, 8]")
        ),
    );
    let out = dir.path().join("o");
    sweep(&[
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--baseline",
        "2",
        "--samples",
        "60",
    ])
    .success();
    let all: Vec<_> = rows(&out.join("sweep.csv"))
        .into_iter()
        .filter(|r| r["threat"] == "all")
        .collect();
    // The baseline runs first.
    let order: Vec<&str> = all.iter().map(|r| r["point"].as_str()).collect();
    assert_eq!(order, ["2", "0", "1"]);
    let params: Vec<(&str, &str)> = all
        .iter()
        .map(|r| {
            (
                r["param_battery.b1.inventory"].as_str(),
                r["param_interceptor.thaad.sspk"].as_str(),
            )
        })
        .collect();
    assert_eq!(params, [("8", "0.9"), ("2", "0.5"), ("4", "0.7")]);
    assert!(all
        .iter()
        .all(|r| r["baseline"] == "2" && r["samples"] == "60"));
}

#[test]
fn a_bad_axis_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let out = dir.path().join("o");
    // A battery that does not exist.
    let file = write(
        dir.path(),
        "bad.toml",
        &SWEEP.replace("battery.b1.inventory", "battery.b9.inventory"),
    );
    let a = sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).code(2);
    let e = stderr_of(&a);
    assert!(e.contains("bad.toml:3:"), "file and line: {e}");
    assert!(e.contains("axis[0].path"), "{e}");
    assert!(e.contains("at point 0"), "{e}");
    assert!(e.contains("no battery named 'b9'"), "{e}");
    assert!(!out.exists(), "nothing written");
    // A value the scenario refuses, at the third point only.
    let file = write(
        dir.path(),
        "bad2.toml",
        &SWEEP.replace("stop = 0.9", "stop = 1.3"),
    );
    let a = sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).code(2);
    let e = stderr_of(&a);
    assert!(e.contains("bad2.toml:7:"), "{e}");
    assert!(e.contains("axis[1].range"), "{e}");
    assert!(e.contains("interceptor.thaad.sspk = 1.3 at point 2"), "{e}");
    assert!(!out.exists(), "nothing written");
    // A malformed sweep file: unknown key, with its line.
    let file = write(dir.path(), "bad3.toml", &SWEEP.replace("values", "valeus"));
    let e = stderr_of(&sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).code(2));
    assert!(e.contains("bad3.toml:4:") && e.contains("valeus"), "{e}");
    // A base that is not there.
    let file = write(
        dir.path(),
        "bad4.toml",
        &SWEEP.replace("base.toml", "nope.toml"),
    );
    let e = stderr_of(&sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).code(2));
    assert!(e.contains("bad4.toml:1:") && e.contains("nope.toml"), "{e}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn identical_points_differ_by_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let file = write(
        dir.path(),
        "same.toml",
        "base = \"base.toml\"\n[[axis]]\npath = \"interceptor.thaad.sspk\"\nvalues = [0.6, 0.8, 0.6]\n",
    );
    let out = dir.path().join("o");
    sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).success();
    let rows = rows(&out.join("sweep.csv"));
    let same: Vec<_> = rows.iter().filter(|r| r["point"] == "2").collect();
    assert_eq!(same.len(), 3);
    for r in same {
        for col in [
            "d_p_kill",
            "d_p_kill_lo",
            "d_p_kill_hi",
            "d_p_zero_leakers",
            "d_p_zero_leakers_lo",
            "d_p_zero_leakers_hi",
        ] {
            assert_eq!(r[col], "0", "{col} of {r:?}");
        }
    }
    // The other point differs, with an interval of positive width.
    let other = rows
        .iter()
        .find(|r| r["point"] == "1" && r["threat"] == "all")
        .unwrap();
    let (lo, hi): (f64, f64) = (
        other["d_p_kill_lo"].parse().unwrap(),
        other["d_p_kill_hi"].parse().unwrap(),
    );
    assert!(lo < hi && lo > 0.0, "{other:?}");
}

#[test]
fn a_stopped_sweep_resumes_to_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let file = write(dir.path(), "grid.toml", SWEEP);
    let f = file.to_str().unwrap();
    let whole = dir.path().join("whole");
    sweep(&[f, "--out", whole.to_str().unwrap()]).success();
    let want = without_wall(&whole.join("sweep.csv"));

    // Stopped after 2 points, then resumed.
    let part = dir.path().join("part");
    let p = part.to_str().unwrap();
    sweep(&[f, "--out", p, "--stop-after", "2"]).success();
    assert!(!part.join("tallies.json").exists(), "not finished");
    assert_eq!(rows(&part.join("sweep.csv")).len(), 2 * 3);
    let before = std::fs::read_to_string(part.join("sweep.csv")).unwrap();
    // Without --resume the directory is not reused.
    let e = stderr_of(&sweep(&[f, "--out", p]).code(2));
    assert!(e.contains("--resume"), "{e}");
    sweep(&[f, "--out", p, "--resume"]).success();
    assert_eq!(without_wall(&part.join("sweep.csv")), want);
    // The finished points' rows were kept as they were (their wall_s too).
    let after = std::fs::read_to_string(part.join("sweep.csv")).unwrap();
    assert!(after.starts_with(&before) && after.len() > before.len());

    // Killed in the middle of appending a point (its rows cut mid-line, its log line missing),
    // and again with the log line cut: the point runs again.
    for cut_log in [false, true] {
        let killed = dir.path().join(format!("killed-{cut_log}"));
        let k = killed.to_str().unwrap();
        sweep(&[f, "--out", k, "--stop-after", "4"]).success();
        let csv = std::fs::read_to_string(killed.join("sweep.csv")).unwrap();
        std::fs::write(killed.join("sweep.csv"), &csv[..csv.len() - 200]).unwrap();
        let log = std::fs::read_to_string(killed.join("points.jsonl")).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        let kept = if cut_log {
            format!(
                "{}\n{}",
                lines[..3].join("\n"),
                &lines[3][..lines[3].len() / 2]
            )
        } else {
            format!("{}\n", lines[..3].join("\n"))
        };
        std::fs::write(killed.join("points.jsonl"), kept).unwrap();
        sweep(&[f, "--out", k, "--resume"]).success();
        assert_eq!(without_wall(&killed.join("sweep.csv")), want);
    }

    // The baseline's per-trial counts lost: the baseline runs again for them, unlogged.
    let lost = dir.path().join("lost");
    let l = lost.to_str().unwrap();
    sweep(&[f, "--out", l, "--stop-after", "3"]).success();
    std::fs::remove_file(lost.join(".baseline-trials.bin")).unwrap();
    // What a kill during an atomic write leaves behind.
    std::fs::write(lost.join("..baseline-trials.bin.tmp-1-0"), "x").unwrap();
    std::fs::write(lost.join(".sweep.csv.tmp-1-0"), "x").unwrap();
    sweep(&[f, "--out", l, "--resume"]).success();
    assert_eq!(without_wall(&lost.join("sweep.csv")), want);
    for e in std::fs::read_dir(&lost).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "leftover {name}");
    }

    // Another sweep file (or other samples) is refused.
    let other = write(
        dir.path(),
        "grid.toml",
        &SWEEP.replace("values = [2, 8]", "values = [2, 7]"),
    );
    let e = stderr_of(&sweep(&[other.to_str().unwrap(), "--out", p, "--resume"]).code(2));
    assert!(e.contains("sweep file"), "{e}");
    write(dir.path(), "grid.toml", SWEEP);
    let e = stderr_of(&sweep(&[f, "--out", p, "--resume", "--samples", "100"]).code(2));
    assert!(e.contains("samples"), "{e}");
}

#[test]
fn layouts_replace_batteries_and_name_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let file = write(
        dir.path(),
        "layouts.toml",
        r#"base = "base.toml"
samples = 80
[[layout]]
name = "near"
[[layout.battery]]
name = "b1"
site = { lat_deg = 32.9, lon_deg = 43.9 }
interceptor = "thaad"
inventory = 8
reaction_time_s = 10.0
[[layout]]
name = "far"
[[layout.battery]]
name = "b1"
site = { lat_deg = 20.0, lon_deg = 30.0 }
interceptor = "thaad"
inventory = 8
reaction_time_s = 10.0
[[axis]]
path = "battery.b1.inventory"
values = [1, 6]
"#,
    );
    let out = dir.path().join("o");
    let a = sweep(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]).success();
    // The far battery never engages: said once, for the points that have it.
    assert!(stderr_of(&a).contains("2 of 4 points"), "{}", stderr_of(&a));
    let all: Vec<_> = rows(&out.join("sweep.csv"))
        .into_iter()
        .filter(|r| r["threat"] == "all")
        .collect();
    let layouts: Vec<&str> = all.iter().map(|r| r["layout"].as_str()).collect();
    assert_eq!(layouts, ["near", "near", "far", "far"]);
    assert_eq!(all[3]["p_kill"], "0");
    let d: f64 = all[3]["d_p_kill"].parse().unwrap();
    assert!(d < 0.0);
}

#[test]
fn compare_pairs_layout_files_against_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", BASE);
    let b = write(
        dir.path(),
        "b.toml",
        &BASE.replace("sspk = 0.7", "sspk = 0.9"),
    );
    let c = write(dir.path(), "c.toml", BASE);
    let out = dir.path().join("o");
    let args = |extra: &[&str]| {
        let mut v: Vec<String> = vec!["compare".into()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.extend(["--backend", "cpu", "--out", out.to_str().unwrap()].map(String::from));
        v
    };
    let files = [
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    ];
    let assert = bin().args(args(&files)).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("p_kill") && stdout.contains("difference"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "layout,threat,metric,value,baseline,difference,difference_lo,difference_hi"
    );
    let rows = rows(&out.join("compare.csv"));
    assert_eq!(
        rows.len(),
        3 * 3 * 5,
        "3 layouts x (2 classes + all) x 5 metrics"
    );
    let get = |layout: &str, threat: &str, metric: &str| {
        rows.iter()
            .find(|r| r["layout"] == layout && r["threat"] == threat && r["metric"] == metric)
            .unwrap()
            .clone()
    };
    // The same file again: exactly 0.
    for metric in [
        "p_kill",
        "p_zero_leakers",
        "mean_interceptors",
        "mean_leakers",
    ] {
        let r = get("c", "all", metric);
        assert_eq!(
            (
                r["difference"].as_str(),
                r["difference_lo"].as_str(),
                r["difference_hi"].as_str()
            ),
            ("0", "0", "0"),
            "{metric}"
        );
    }
    // A better sspk: more kills, fewer leakers.
    let r = get("b", "all", "p_kill");
    assert!(r["difference_lo"].parse::<f64>().unwrap() > 0.0, "{r:?}");
    assert_eq!(r["baseline"], get("a", "all", "p_kill")["value"]);
    let r = get("b", "all", "mean_leakers");
    assert!(r["difference_hi"].parse::<f64>().unwrap() < 0.0, "{r:?}");

    // Layouts that do not share samples or seed are refused unless told.
    let d = write(dir.path(), "d.toml", &BASE.replace("seed = 5", "seed = 6"));
    let files = [a.to_str().unwrap(), d.to_str().unwrap()];
    let e = stderr_of(&bin().args(args(&files)).assert().code(2));
    assert!(e.contains("d.toml") && e.contains("run.seed"), "{e}");
    let mut with_seed = files.to_vec();
    // The same --out again: it holds the first comparison's files, so --force.
    with_seed.extend(["--seed", "9", "--samples", "40", "--force"]);
    bin().args(args(&with_seed)).assert().success();
}

/// The shipped sweep files (scenarios/sweeps/) parse, and every point of each validates.
#[test]
fn shipped_sweeps_expand() {
    use interceptmc::scenario::sweep::SweepSpec;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/sweeps");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let spec = SweepSpec::parse(&text, &origin, "x").unwrap_or_else(|e| panic!("{e}"));
        let base = dir.join(&spec.base);
        let base_text = std::fs::read_to_string(&base).unwrap();
        let points = spec
            .expand(&base_text, &base.display().to_string(), Some(10), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(points.len(), spec.len());
        assert!(spec.baseline.is_none_or(|b| b < points.len()));
        n += 1;
    }
    assert!(n >= 3, "{n} sweep files");
}

/// A sweep killed (SIGKILL) while it runs, then resumed, equals an uninterrupted one.
#[test]
fn a_killed_sweep_resumes_to_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let file = write(dir.path(), "grid.toml", SWEEP);
    let f = file.to_str().unwrap();
    let samples = ["--samples", "3000"];
    let whole = dir.path().join("whole");
    let mut args = vec![f, "--out", whole.to_str().unwrap()];
    args.extend(samples);
    sweep(&args).success();
    let want = without_wall(&whole.join("sweep.csv"));

    let killed = dir.path().join("killed");
    let k = killed.to_str().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_interceptmc"))
        .args(["sweep", f, "--out", k, "--backend", "cpu", "-q"])
        .args(samples)
        .env("XDG_RUNTIME_DIR", "/tmp")
        .spawn()
        .unwrap();
    let log = killed.join("points.jsonl");
    let started = std::time::Instant::now();
    loop {
        let lines = std::fs::read_to_string(&log).map_or(0, |t| t.lines().count());
        if lines >= 2 || started.elapsed().as_secs() > 120 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break; // finished before the kill: the resume below has nothing to do
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut args = vec![f, "--out", k, "--resume"];
    args.extend(samples);
    sweep(&args).success();
    assert_eq!(without_wall(&killed.join("sweep.csv")), want);
}
