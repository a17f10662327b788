//! Shards: `run --shard k/K` and `sweep --shard k/K` run trials [floor(kN/K), floor((k+1)N/K))
//! and write their integer tallies; `merge` adds them up to exactly what one process writes
//! (`summary.csv`, `raid.csv`, `trials.csv`, `sweep.csv`, all but `wall_s`), for K = 1, 2, 3
//! and 7, on the CPU backend and on the GPU backend (any Vulkan adapter, lavapipe included:
//! skipped without one unless `INTERCEPTMC_REQUIRE_GPU=1`). Shards of another scenario, seed,
//! sample count or backend, overlapping shards and missing trials are refused (exit 2).

mod common;

use common::{bin, stderr_of, without_wall, write};
use std::path::{Path, PathBuf};

/// Two threat classes in raids of 2 against one battery: small enough for lavapipe.
const SCENARIO: &str = r#"name = "shards"
[run]
samples = 70
seed = 11
dt_s = 2.0
dt_atmosphere_s = 0.5
[[threat]]
name = "a"
kind = "ballistic"
launch = { lat_deg = 30.0, lon_deg = 40.0, radius_km = 20.0 }
aim = { lat_deg = 33.0, lon_deg = 44.0, sigma_km = 5.0 }
rcs_m2 = 0.1
boost_time_s = 60.0
burnout_altitude_km = 40.0
[[threat]]
name = "b"
kind = "ballistic"
weight = 0.5
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
sspk = { beta = [6.0, 3.0] }
divert_g = 10.0
[[battery]]
name = "b1"
site = { lat_deg = 32.8, lon_deg = 43.7 }
interceptor = "thaad"
inventory = 5
reaction_time_s = 10.0
[doctrine]
mode = "shoot-look-shoot"
max_engagements = 2
kill_assessment_s = 10.0
[raid]
size = 2
system_reliability = 0.95
"#;

const SWEEP: &str = r#"base = "s.toml"
samples = 50
[[axis]]
path = "battery.b1.inventory"
values = [1, 5]
[[axis]]
path = "interceptor.thaad.max_range_km"
values = [150.0, 250.0]
"#;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Whether the GPU tests run here (an adapter opens), as the other GPU tests decide.
fn gpu_available() -> bool {
    interceptmc::backend::gpu::test_context().is_some()
}

fn run_cmd(cmd: &str, file: &Path, out: &Path, backend: &str, extra: &[&str]) {
    bin()
        .args([cmd, s(file), "--backend", backend, "-q", "--out", s(out)])
        .args(extra)
        .assert()
        .success();
}

fn merge(dirs: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    bin()
        .arg("merge")
        .args(dirs.iter().map(|d| s(d)))
        .args(["-q", "--out", s(out)])
        .assert()
}

/// Runs shards 0..k of `cmd` into `dir/<tag>-k-i` (in reverse order: merge does not care).
fn shards(
    cmd: &str,
    file: &Path,
    dir: &Path,
    tag: &str,
    backend: &str,
    k: u64,
    extra: &[&str],
) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for i in (0..k).rev() {
        let out = dir.join(format!("{tag}-{k}-{i}"));
        let shard = format!("{i}/{k}");
        let mut args = vec!["--shard", shard.as_str()];
        args.extend(extra);
        run_cmd(cmd, file, &out, backend, &args);
        dirs.push(out);
    }
    dirs
}

fn run_merges_equal_one_run(backend: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", SCENARIO);
    let one = dir.path().join("one");
    run_cmd("run", &file, &one, backend, &["--per-trial"]);
    for k in [1u64, 2, 3, 7] {
        let dirs = shards(
            "run",
            &file,
            dir.path(),
            "run",
            backend,
            k,
            &["--per-trial"],
        );
        let merged = dir.path().join(format!("merged-{k}"));
        merge(&dirs, &merged).success();
        assert_eq!(
            without_wall(&merged.join("summary.csv")),
            without_wall(&one.join("summary.csv")),
            "{backend}, {k} shards"
        );
        for f in ["raid.csv", "trials.csv", "battery.csv"] {
            assert_eq!(
                std::fs::read(merged.join(f)).unwrap(),
                std::fs::read(one.join(f)).unwrap(),
                "{f}: {backend}, {k} shards"
            );
        }
        let t: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(merged.join("tallies.json")).unwrap())
                .unwrap();
        let u: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(one.join("tallies.json")).unwrap())
                .unwrap();
        assert_eq!(t["tallies"], u["tallies"]);
        assert_eq!(t["trials"], serde_json::json!([0, 70]));
    }
}

fn sweep_merges_equal_one_sweep(backend: &str, ks: &[u64]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.toml", SCENARIO);
    let file = write(dir.path(), "sweep.toml", SWEEP);
    let one = dir.path().join("one");
    run_cmd("sweep", &file, &one, backend, &[]);
    for &k in ks {
        let dirs = shards("sweep", &file, dir.path(), "sweep", backend, k, &[]);
        let merged = dir.path().join(format!("merged-{k}"));
        merge(&dirs, &merged).success();
        assert_eq!(
            without_wall(&merged.join("sweep.csv")),
            without_wall(&one.join("sweep.csv")),
            "{backend}, {k} shards"
        );
    }
}

#[test]
fn run_shards_merge_to_one_run_on_the_cpu() {
    run_merges_equal_one_run("cpu");
}

#[test]
fn sweep_shards_merge_to_one_sweep_on_the_cpu() {
    sweep_merges_equal_one_sweep("cpu", &[1, 2, 3, 7]);
}

#[test]
fn run_shards_merge_to_one_run_on_the_gpu() {
    if gpu_available() {
        run_merges_equal_one_run("gpu");
    }
}

#[test]
fn sweep_shards_merge_to_one_sweep_on_the_gpu() {
    if gpu_available() {
        sweep_merges_equal_one_sweep("gpu", &[3]);
    }
}

#[test]
fn mismatched_overlapping_and_missing_shards_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", SCENARIO);
    let d = dir.path();
    let shard = |name: &str, spec: &str, extra: &[&str]| {
        let out = d.join(name);
        let mut args = vec!["--shard", spec];
        args.extend(extra);
        run_cmd("run", &file, &out, "cpu", &args);
        out
    };
    let a0 = shard("a0", "0/2", &[]);
    let a1 = shard("a1", "1/2", &[]);
    let out = d.join("m");
    // Missing trials.
    let e = stderr_of(&merge(std::slice::from_ref(&a0), &out).code(2));
    assert!(e.contains("trials [35, 70) are in no shard"), "{e}");
    // The same shard twice.
    let e = stderr_of(&merge(&[a0.clone(), a1.clone(), a1.clone()], &out).code(2));
    assert!(e.contains("same shard 1/2"), "{e}");
    // Overlapping shards of different counts.
    let b1 = shard("b1", "1/3", &[]);
    let e = stderr_of(&merge(&[a0.clone(), b1.clone(), a1.clone()], &out).code(2));
    assert!(e.contains("overlap"), "{e}");
    // Another seed, another sample count, another scenario.
    let s1 = shard("s1", "1/2", &["--seed", "12"]);
    let e = stderr_of(&merge(&[a0.clone(), s1], &out).code(2));
    assert!(e.contains("seed differs"), "{e}");
    let n1 = shard("n1", "1/2", &["--samples", "80"]);
    let e = stderr_of(&merge(&[a0.clone(), n1], &out).code(2));
    assert!(e.contains("sample count differs"), "{e}");
    let c1 = shard("c1", "1/2", &["--set", "battery.b1.inventory=4"]);
    let e = stderr_of(&merge(&[a0.clone(), c1], &out).code(2));
    assert!(e.contains("scenario (SHA-256"), "{e}");
    // A directory without tallies.json.
    let e = stderr_of(&merge(&[a0.clone(), d.to_path_buf()], &out).code(2));
    assert!(e.contains("tallies.json"), "{e}");
    assert!(!out.exists(), "nothing written");
    // The right shards merge; into one of them is refused.
    merge(&[a1.clone(), a0.clone()], &out).success();
    let e = stderr_of(&merge(&[a0.clone(), a1.clone()], &a0).code(2));
    assert!(e.contains("is one of the shards"), "{e}");
    // --shard with --target-halfwidth, and malformed shards.
    for bad in [
        vec!["--shard", "0/2", "--target-halfwidth", "0.01"],
        vec!["--shard", "2/2"],
        vec!["--shard", "1"],
    ] {
        bin()
            .args([
                "run",
                s(&file),
                "--backend",
                "cpu",
                "-q",
                "--out",
                s(&d.join("x")),
            ])
            .args(&bad)
            .assert()
            .code(2);
    }
    // Sweep shards of another sweep.
    let sweep = write(d, "sweep.toml", SWEEP);
    let w0 = d.join("w0");
    run_cmd("sweep", &sweep, &w0, "cpu", &["--shard", "0/2"]);
    let other = write(
        d,
        "other.toml",
        &SWEEP.replace("values = [1, 5]", "values = [1, 4]"),
    );
    let w1 = d.join("w1");
    run_cmd("sweep", &other, &w1, "cpu", &["--shard", "1/2"]);
    let e = stderr_of(&merge(&[w0.clone(), w1], &d.join("wm")).code(2));
    assert!(e.contains("sweep file"), "{e}");
    let e = stderr_of(&merge(&[w0, a1], &d.join("wm")).code(2));
    assert!(e.contains("a run's shard"), "{e}");
}

/// The Slurm scripts, without Slurm: each array task as `SLURM_ARRAY_TASK_*` describe it (an
/// array numbered from 1 here), then the merge job; the merged run equals one run.
#[test]
fn the_slurm_scripts_shard_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", SCENARIO);
    let one = dir.path().join("one");
    run_cmd("run", &file, &one, "cpu", &[]);
    let root = dir.path().join("slurm");
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm");
    let script = |name: &str| s(&scripts.join(name)).to_string();
    let bash = |args: &[&str], env: &[(&str, String)]| {
        let mut c = std::process::Command::new("bash");
        c.args(args)
            .env("INTERCEPTMC", env!("CARGO_BIN_EXE_interceptmc"))
            .env("XDG_RUNTIME_DIR", "/tmp");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for task in 1..=3 {
        bash(
            &[
                &script("shard-array.sh"),
                "run",
                s(&file),
                s(&root),
                "--backend",
                "cpu",
            ],
            &[
                ("SLURM_ARRAY_TASK_ID", task.to_string()),
                ("SLURM_ARRAY_TASK_MIN", "1".to_string()),
                ("SLURM_ARRAY_TASK_COUNT", "3".to_string()),
            ],
        );
    }
    assert!(root.join("shard-2-of-3/tallies.json").is_file());
    bash(&[&script("merge.sh"), s(&root), "3"], &[]);
    assert_eq!(
        without_wall(&root.join("merged/summary.csv")),
        without_wall(&one.join("summary.csv"))
    );
}
