//! The command line, end to end (assert_cmd): every subcommand of the engine core, exit codes,
//! bad input that writes nothing, and determinism across thread counts.

use assert_cmd::Command;
use std::path::Path;

fn bin() -> Command {
    let mut c = Command::cargo_bin("interceptmc").expect("binary");
    c.env("XDG_RUNTIME_DIR", "/tmp");
    c
}

/// A small valid scenario; the malformed cases are single edits of it.
const BASE: &str = r#"name = "cli-base"
[run]
samples = 200
seed = 3
dt_s = 2.0
dt_atmosphere_s = 0.5
[earth]
rotation = true
atmosphere = "exponential"
[[threat]]
name = "srbm"
kind = "ballistic"
launch = { lat_deg = 30.0, lon_deg = 40.0, radius_km = 20.0 }
aim = { lat_deg = 33.0, lon_deg = 44.0, sigma_km = 5.0 }
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
sspk = 0.8
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
"#;

fn edit(from: &str, to: &str) -> String {
    assert_eq!(BASE.matches(from).count(), 1, "test bug: {from:?}");
    BASE.replacen(from, to, 1)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn run_writes_summary_manifest_and_trials() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", BASE.as_bytes());
    let out = dir.path().join("out");
    bin()
        .args([
            "run",
            sc.to_str().unwrap(),
            "--backend",
            "cpu",
            "--per-trial",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let header = summary.lines().next().unwrap();
    for col in [
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
    ] {
        assert!(
            header.split(',').any(|c| c == col),
            "summary.csv lacks {col}: {header}"
        );
    }
    assert_eq!(summary.lines().count(), 3, "header, srbm, all");
    let trials = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    let theader = trials.lines().next().unwrap();
    for col in [
        "trial",
        "threat",
        "outcome",
        "interceptors_fired",
        "kill_time_s",
        "kill_altitude_km",
        "kill_battery",
        "track_time_s",
        "impact_lat_deg",
        "impact_lon_deg",
    ] {
        assert!(
            theader.split(',').any(|c| c == col),
            "trials.csv lacks {col}"
        );
    }
    assert_eq!(trials.lines().count(), 201);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 3);
    assert_eq!(manifest["samples"], 200);
    assert!(manifest["scenario_sha256"].as_str().unwrap().len() == 64);
    // No temporary files left behind.
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "leftover {name}");
    }
}

#[test]
fn run_default_scenario_without_arguments_prints_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let a = bin()
        .args([
            "run",
            "--samples",
            "300",
            "--backend",
            "cpu",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("europe-layered") && stdout.contains("all"),
        "{stdout}"
    );
    assert!(out.join("summary.csv").exists());
}

/// summary.csv without its wall-clock column (the only field that depends on timing).
fn without_wall(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let wall = header.iter().position(|c| *c == "wall_s").unwrap();
    text.lines()
        .map(|l| {
            l.split(',')
                .enumerate()
                .filter(|(i, _)| *i != wall)
                .map(|(_, f)| f)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn same_seed_same_results_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}"));
        bin()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "run",
                "--samples",
                "600",
                "--backend",
                "cpu",
                "--per-trial",
                "-q",
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .success();
        outs.push(out);
    }
    assert_eq!(
        without_wall(&outs[0].join("summary.csv")),
        without_wall(&outs[1].join("summary.csv"))
    );
    assert_eq!(
        std::fs::read(outs[0].join("trials.csv")).unwrap(),
        std::fs::read(outs[1].join("trials.csv")).unwrap(),
        "trials.csv must be byte-identical"
    );
}

#[test]
fn bad_input_exits_2_names_the_problem_and_writes_nothing() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("syntax", edit("seed = 3", "seed = = 3").into_bytes(), "s.toml:"),
        ("wrong type", edit("seed = 3", "seed = \"three\"").into_bytes(), "seed"),
        ("unknown top key", format!("{BASE}\ncolour = 1\n").into_bytes(), "colour"),
        ("unknown nested key", edit("track_delay_s = 5.0", "track_delay_s = 5.0\nrange_km = 3").into_bytes(), "range_km"),
        ("missing required", edit("max_range_km = 1000.0\n", "").into_bytes(), "max_range_km"),
        ("latitude 91", edit("lat_deg = 30.0", "lat_deg = 91.0").into_bytes(), "lat_deg"),
        ("probability 1.5", edit("sspk = 0.8", "sspk = 1.5").into_bytes(), "sspk"),
        ("negative dt", edit("dt_s = 2.0", "dt_s = -2.0").into_bytes(), "dt_s"),
        ("fine step larger", edit("dt_atmosphere_s = 0.5", "dt_atmosphere_s = 5.0").into_bytes(), "dt_atmosphere_s"),
        ("nan", edit("rcs_m2 = 0.1", "rcs_m2 = nan").into_bytes(), "rcs_m2"),
        ("inf", edit("max_range_km = 1000.0", "max_range_km = inf").into_bytes(), "max_range_km"),
        ("band order", edit("min_altitude_km = 40.0", "min_altitude_km = 400.0").into_bytes(), "min_altitude_km"),
        ("dangling interceptor", edit("interceptor = \"thaad\"", "interceptor = \"sm3\"").into_bytes(), "interceptor"),
        ("dangling sensor", edit("reaction_time_s = 10.0", "reaction_time_s = 10.0\nsensors = [\"nope\"]").into_bytes(), "nope"),
        ("duplicate threat", format!("{BASE}\n[[threat]]\nname = \"srbm\"\nkind = \"ballistic\"\nlaunch = {{ lat_deg = 1.0, lon_deg = 1.0 }}\naim = {{ lat_deg = 2.0, lon_deg = 2.0 }}\nboost_time_s = 0.0\nburnout_altitude_km = 0.0\n").into_bytes(), "srbm"),
        ("duplicate battery", format!("{BASE}\n[[battery]]\nname = \"b1\"\nsite = {{ lat_deg = 1.0, lon_deg = 1.0 }}\ninterceptor = \"thaad\"\ninventory = 1\n").into_bytes(), "b1"),
        ("empty file", Vec::new(), "s.toml"),
        ("binary garbage", vec![0xff, 0xfe, 0x00, 0x9c, 0x80, 0x01, 0x02], "s.toml"),
        ("unknown kind", edit("kind = \"ballistic\"", "kind = \"orbital\"").into_bytes(), "kind"),
        ("negative inventory", edit("inventory = 8", "inventory = -8").into_bytes(), "inventory"),
        ("zero salvo", edit("max_engagements = 2", "max_engagements = 2\nsalvo_size = 0").into_bytes(), "salvo_size"),
        ("raid size 0", format!("{BASE}\n[raid]\nsize = 0\n").into_bytes(), "size"),
        ("unknown mode", edit("mode = \"shoot-look-shoot\"", "mode = \"shoot-shoot\"").into_bytes(), "mode"),
        ("confidence 1", edit("seed = 3", "seed = 3\nconfidence = 1.0").into_bytes(), "confidence"),
    ];
    assert!(cases.len() >= 20);
    for (label, bytes, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sc = write(dir.path(), "s.toml", &bytes);
        let out = dir.path().join("out");
        let a = bin()
            .args([
                "run",
                sc.to_str().unwrap(),
                "--backend",
                "cpu",
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("s.toml"),
            "{label}: message does not name the file: {stderr}"
        );
        assert!(
            stderr.contains(needle),
            "{label}: message does not name {needle:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{label}: panic: {stderr}");
        assert!(!out.exists(), "{label}: output directory was created");
    }
}

#[test]
fn bad_flags_exit_2() {
    bin()
        .args(["run", "--samples", "0", "--backend", "cpu"])
        .assert()
        .code(2);
    bin()
        .args(["run", "--target-halfwidth", "-1", "--backend", "cpu"])
        .assert()
        .code(2);
    bin().args(["run", "--backend", "tpu"]).assert().code(2);
    bin()
        .args(["run", "/nonexistent/file.toml"])
        .assert()
        .code(2);
    bin()
        .args(["trajectory", "--threat", "nope", "--out", "/tmp/never.csv"])
        .assert()
        .code(2);
}

#[test]
fn gpu_requested_without_adapter_exits_3() {
    let a = bin()
        .env("WGPU_ADAPTER_NAME", "no-such-adapter-anywhere")
        .args([
            "run",
            "--samples",
            "10",
            "--backend",
            "gpu",
            "--out",
            "/tmp/interceptmc-never",
        ])
        .assert()
        .code(3);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("gpu"), "{stderr}");
    assert!(!Path::new("/tmp/interceptmc-never").exists());
    // auto falls back to the CPU and says so.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let a = bin()
        .env("WGPU_ADAPTER_NAME", "no-such-adapter-anywhere")
        .args([
            "run",
            "--samples",
            "50",
            "--backend",
            "auto",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("CPU"), "{stderr}");
    assert!(std::fs::read_to_string(out.join("summary.csv"))
        .unwrap()
        .contains(",cpu,"));
}

#[test]
fn target_halfwidth_stops_early() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "s.toml", BASE.as_bytes());
    let out = dir.path().join("o");
    bin()
        .args([
            "run",
            sc.to_str().unwrap(),
            "--samples",
            "200000",
            "--target-halfwidth",
            "0.02",
            "--backend",
            "cpu",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let n = m["samples"].as_u64().unwrap();
    assert!(n < 200_000, "ran {n}");
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let header: Vec<&str> = summary.lines().next().unwrap().split(',').collect();
    let all: Vec<&str> = summary.lines().last().unwrap().split(',').collect();
    let col = |c: &str| {
        all[header.iter().position(|h| *h == c).unwrap()]
            .parse::<f64>()
            .unwrap()
    };
    assert!((col("p_kill_hi") - col("p_kill_lo")) / 2.0 <= 0.02 + 1e-12);
}

#[test]
fn trajectory_writes_csv_and_json_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("traj.csv");
    let a = bin()
        .args([
            "trajectory",
            "--threat",
            "irbm",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    for key in [
        "range_km",
        "apogee_km",
        "flight_time_s",
        "impact_lat_deg",
        "impact_lon_deg",
        "burnout_speed_km_s",
        "burnout_flight_path_angle_deg",
        "steps",
        "evaluations",
    ] {
        assert!(json[key].is_number(), "summary lacks {key}: {json}");
    }
    // Adaptive steps: six evaluations per attempt plus one, and the boost's samples evaluate
    // nothing, so fewer than six per step; the rows come at most 1 s apart.
    let steps = json["steps"].as_u64().unwrap();
    let evaluations = json["evaluations"].as_u64().unwrap();
    assert!(evaluations > 0 && evaluations < 6 * steps + 1, "{json}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        csv.lines()
            .next()
            .unwrap()
            .split(',')
            .take(8)
            .collect::<Vec<_>>(),
        [
            "t_s",
            "lat_deg",
            "lon_deg",
            "alt_km",
            "downrange_km",
            "speed_km_s",
            "flight_path_angle_deg",
            "phase"
        ]
    );
    assert!(csv.lines().count() > 100);
    let times: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(times
        .windows(2)
        .all(|w| w[1] >= w[0] && w[1] - w[0] <= 1.0 + 1e-9));
}

#[test]
fn scenario_show_default_prints_a_loadable_template() {
    let a = bin()
        .args(["scenario", "show", "default"])
        .assert()
        .success();
    let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    interceptmc::scenario::Scenario::from_toml_str(&text, "<stdout>").expect("template loads");
    bin().args(["scenario", "show", "nope"]).assert().code(2);
}

#[test]
fn devices_lists_or_says_none() {
    bin().args(["devices"]).assert().success();
    bin().args(["devices", "--json"]).assert().success();
}

#[test]
fn every_shipped_scenario_runs() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let dir = tempfile::tempdir().unwrap();
            bin()
                .args([
                    "run",
                    path.to_str().unwrap(),
                    "--samples",
                    "40",
                    "--backend",
                    "cpu",
                    "-q",
                    "--out",
                    dir.path().join("o").to_str().unwrap(),
                ])
                .assert()
                .success();
        }
    }
}

#[test]
fn too_many_engagements_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "s.toml",
        edit("max_engagements = 2", "max_engagements = 16").as_bytes(),
    );
    let a = bin()
        .args([
            "run",
            sc.to_str().unwrap(),
            "--backend",
            "cpu",
            "--out",
            dir.path().join("o").to_str().unwrap(),
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("max_engagements") && stderr.contains("at most 15"),
        "{stderr}"
    );
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// Flights that cannot run (issue 9): seen only by flying them, so the preflight refuses them
/// in run, verify, scenario check and trajectory alike: exit 2, the file, the key and the class
/// named, nothing written.
#[test]
fn flights_that_cannot_run_are_refused_by_every_command() {
    let free_shot = edit("aim = { lat_deg = 33.0, lon_deg = 44.0, sigma_km = 5.0 }\n", "")
        .replace(
            "burnout_altitude_km = 40.0",
            "burnout_altitude_km = 300.0\nburnout_speed_km_s = 7.8\nflight_path_angle_deg = 0.0\nazimuth_deg = 90.0",
        );
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "unsolvable burnout",
            edit(
                "burnout_altitude_km = 40.0",
                "burnout_altitude_km = 40.0\nloft_deg = 80.0",
            ),
            "s.toml:18:1: threat[0].loft_deg: threat \"srbm\"",
            "no ballistic trajectory",
        ),
        (
            "orbital free shot",
            free_shot,
            "threat[0].burnout_speed_km_s: threat \"srbm\"",
            "never comes down",
        ),
        (
            "step of 1e30 s",
            edit("dt_s = 2.0", "dt_s = 1e30"),
            "s.toml:5:1: run.dt_s",
            "[0.001, 60] s",
        ),
    ];
    for (label, text, names, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sc = write(dir.path(), "s.toml", text.as_bytes());
        let sc = sc.to_str().unwrap();
        let out = dir.path().join("out");
        let csv = dir.path().join("t.csv");
        for args in [
            vec![
                "run",
                sc,
                "--backend",
                "cpu",
                "--out",
                out.to_str().unwrap(),
            ],
            vec!["verify", sc, "--samples", "10"],
            vec!["scenario", "check", sc],
            vec!["trajectory", sc, "--out", csv.to_str().unwrap()],
        ] {
            let a = bin().args(&args).assert().code(2);
            let stderr = stderr_of(&a);
            assert!(
                stderr.contains(names) && stderr.contains(says),
                "{label} ({}): {stderr}",
                args[0]
            );
            assert!(!stderr.contains("panicked"), "{label}: {stderr}");
        }
        assert!(!out.exists(), "{label}: run wrote {}", out.display());
        assert!(!csv.exists(), "{label}: trajectory wrote {}", csv.display());
    }
}

/// Warnings (issue 9): a likely unit mistake or a layout that cannot work is said on stderr by
/// `scenario check` and `run`, with the file, line and key; the exit code stays 0 and the run
/// writes its outputs.
#[test]
fn warnings_go_to_stderr_and_change_no_exit_code() {
    let far_sensor = format!(
        "{BASE}[[sensor]]\nname = \"far\"\nkind = \"radar\"\nsite = {{ lat_deg = -40.0, lon_deg = 170.0 }}\nmax_range_km = 1000.0\n"
    );
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "speed in m/s",
            edit("flyout_speed_km_s = 2.5", "flyout_speed_km_s = 2500.0"),
            "s.toml:28:1: interceptor.thaad.flyout_speed_km_s: interceptor \"thaad\"",
            "looks like m/s",
        ),
        (
            "threat altitude in metres",
            edit("burnout_altitude_km = 40.0", "burnout_altitude_km = 2500.0"),
            "s.toml:17:1: threat[0].burnout_altitude_km: threat \"srbm\"",
            "looks like metres",
        ),
        (
            "site altitude in metres",
            edit("alt_km = 0.5 }", "alt_km = 500.0 }"),
            "sensor[0].site.alt_km: sensor \"radar\"",
            "did you mean 0.5 km?",
        ),
        (
            "impact far from the aim",
            edit(
                "rcs_m2 = 0.1",
                "rcs_m2 = 0.1\nballistic_coefficient_kg_m2 = 50.0",
            ),
            "s.toml:14:1: threat[0].aim: threat \"srbm\"",
            "km from the aim point",
        ),
        (
            "envelope no flight enters",
            edit(
                "site = { lat_deg = 32.8, lon_deg = 43.7 }",
                "site = { lat_deg = -32.8, lon_deg = 43.7 }",
            ),
            "battery[0]: battery \"b1\"",
            "enters its envelope",
        ),
        (
            "sensor that sees nothing",
            far_sensor,
            "sensor[1]: sensor \"far\"",
            "comes into its view",
        ),
    ];
    for (label, text, names, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let sc = write(dir.path(), "s.toml", text.as_bytes());
        let a = bin()
            .args(["scenario", "check", sc.to_str().unwrap()])
            .assert()
            .success();
        let stderr = stderr_of(&a);
        assert!(
            stderr.contains(&format!("warning: {}", sc.display())),
            "{label}: {stderr}"
        );
        assert!(
            stderr.contains(names) && stderr.contains(says),
            "{label}: {stderr}"
        );
        let out = dir.path().join("out");
        let a = bin()
            .args([
                "run",
                sc.to_str().unwrap(),
                "--samples",
                "50",
                "--backend",
                "cpu",
                "-q",
            ])
            .args(["--out", out.to_str().unwrap()])
            .assert()
            .success();
        let stderr = stderr_of(&a);
        assert!(
            stderr.contains(names) && stderr.contains(says),
            "{label}: {stderr}"
        );
        assert!(out.join("summary.csv").exists(), "{label}");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                .unwrap();
        let recorded = manifest["extra"]["warnings"].as_array().unwrap();
        assert!(
            recorded.iter().any(|w| w.as_str().unwrap().contains(names)),
            "{label}: {manifest}"
        );
    }
}

/// A warning changes nothing the run computes: a sensor on the other side of the Earth (it never
/// sees the threat) leaves summary.csv as it was.
#[test]
fn a_warning_does_not_change_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let far = format!(
        "{BASE}[[sensor]]\nname = \"far\"\nkind = \"radar\"\nsite = {{ lat_deg = -40.0, lon_deg = 170.0 }}\nmax_range_km = 1000.0\n"
    );
    let mut summaries = Vec::new();
    for (name, text) in [("plain.toml", BASE.to_string()), ("far.toml", far)] {
        let sc = write(dir.path(), name, text.as_bytes());
        let out = dir.path().join(name.replace(".toml", ""));
        let a = bin()
            .args(["run", sc.to_str().unwrap(), "--backend", "cpu", "-q"])
            .args(["--out", out.to_str().unwrap()])
            .assert()
            .success();
        let warned = stderr_of(&a).contains("warning:");
        assert_eq!(warned, name == "far.toml", "{name}");
        summaries.push(without_wall(&out.join("summary.csv")));
    }
    assert_eq!(summaries[0], summaries[1]);
}

/// Threats that never come down at run time (dispersed into orbit, or a burnout solve that fails
/// for some trials only) stay in the results as their outcome says and are flagged: the
/// `unlanded` column of summary.csv, `unlanded` in manifest.json, a warning on stderr.
#[test]
fn threats_that_never_come_down_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    // Min-energy angle 42.75 deg at 1,000 km, loft -47 deg: solvable for aim points beyond
    // 890 km, so trials aimed more than 2.2 sigma short get no burnout solution (NaN), and some
    // just beyond it a burnout speed that escapes.
    let text = "name = \"edge\"\n[run]\ndt_s = 10.0\ndt_atmosphere_s = 1.0\n[[threat]]\n\
                name = \"edge\"\nkind = \"ballistic\"\nlaunch = { lat_deg = 0.0, lon_deg = 0.0 }\n\
                aim = { lat_deg = 0.0, lon_deg = 9.0, sigma_km = 50.0 }\nboost_time_s = 0.0\n\
                burnout_altitude_km = 0.0\nloft_deg = -47.0\n";
    let sc = write(dir.path(), "edge.toml", text.as_bytes());
    let out = dir.path().join("out");
    let a = bin()
        .args([
            "run",
            sc.to_str().unwrap(),
            "--samples",
            "200",
            "--backend",
            "cpu",
            "-q",
        ])
        .args(["--out", out.to_str().unwrap()])
        .assert()
        .success();
    let stderr = stderr_of(&a);
    assert!(
        stderr.contains("warning: threat \"edge\":") && stderr.contains("did not come down"),
        "{stderr}"
    );
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut lines = summary.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"unlanded"), "appended at the end");
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let unlanded: u64 = rows[0][col("unlanded")].parse().unwrap();
    assert!(unlanded > 0, "{summary}");
    assert_eq!(
        rows[1][col("unlanded")],
        rows[0][col("unlanded")],
        "all = the one class"
    );
    // still in the denominator
    assert_eq!(rows[0][col("threats")], "200");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let edge = &manifest["extra"]["unlanded"]["edge"];
    assert_eq!(edge["unlanded"].as_u64(), Some(unlanded));
    let nonfinite = edge["nonfinite"].as_u64().unwrap();
    assert!(nonfinite > 0 && nonfinite <= unlanded, "{manifest}");
    assert_eq!(
        manifest["extra"]["unlanded"]["all"]["unlanded"].as_u64(),
        Some(unlanded)
    );
}

/// The shipped scenarios check clean: no error, no warning.
#[test]
fn shipped_scenarios_check_without_warnings() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let a = bin()
                .args(["scenario", "check", path.to_str().unwrap()])
                .assert()
                .success();
            let stderr = stderr_of(&a);
            assert!(stderr.is_empty(), "{}: {stderr}", path.display());
        }
    }
}
