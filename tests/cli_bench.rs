//! `interceptmc bench`: the quick CPU bench writes bench.csv with the documented columns and one
//! row per workload; bad arguments are bad input; `--backend gpu` without a GPU is exit 3.

use assert_cmd::Command;
use predicates::str::contains;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_interceptmc"))
}

fn field<'a>(header: &[&str], row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("column {name} missing"));
    row.get(i).unwrap()
}

#[test]
fn quick_cpu_bench_writes_bench_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bench-out");
    bin()
        .args([
            "bench",
            "--quick",
            "--backend",
            "cpu",
            "--trials-scale",
            "0.25",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("w-ballistic"))
        .stdout(contains("GPU/CPU ratio"));
    let text = std::fs::read_to_string(out.join("bench.csv")).unwrap();
    // The csv crate quotes cells with commas (the machine column); parse properly.
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    for col in [
        "backend",
        "adapter",
        "workload",
        "trials",
        "steps",
        "wall_s",
        "trials_per_s",
        "steps_per_s",
        "evaluations",
        "evaluations_per_threat",
        "peak_rss_mb",
        "machine",
        "threads",
    ] {
        assert!(header.contains(&col), "missing column {col} in {header:?}");
    }
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let workloads: Vec<&str> = records
        .iter()
        .map(|r| field(&header, r, "workload"))
        .collect();
    assert_eq!(workloads, ["default", "w-ballistic", "saturation-raid"]);
    for row in &records {
        assert_eq!(field(&header, row, "backend"), "cpu");
        assert_eq!(field(&header, row, "adapter"), "");
        let trials: u64 = field(&header, row, "trials").parse().unwrap();
        let steps: u64 = field(&header, row, "steps").parse().unwrap();
        let wall: f64 = field(&header, row, "wall_s").parse().unwrap();
        let tps: f64 = field(&header, row, "trials_per_s").parse().unwrap();
        let sps: f64 = field(&header, row, "steps_per_s").parse().unwrap();
        let threads: usize = field(&header, row, "threads").parse().unwrap();
        assert!(trials >= 1 && steps > trials, "{row:?}");
        assert!(wall > 0.0, "{row:?}");
        assert!((tps * wall / trials as f64 - 1.0).abs() < 1e-9, "{row:?}");
        assert!((sps * wall / steps as f64 - 1.0).abs() < 1e-9, "{row:?}");
        assert!(threads >= 1);
        assert!(field(&header, row, "machine").contains("logical CPU"));
        // Adaptive steps: six derivative evaluations per attempt plus one per integrated
        // flight, none for boost and cruise samples: at most six per step plus one per threat.
        let threats: u64 = field(&header, row, "threats").parse().unwrap();
        let evals: u64 = field(&header, row, "evaluations").parse().unwrap();
        assert!(evals > 0 && evals <= 6 * steps + threats, "{row:?}");
        let rss: f64 = field(&header, row, "peak_rss_mb").parse().unwrap();
        assert!(rss > 1.0 && rss < 4096.0, "{row:?}");
        let p: f64 = field(&header, row, "p_kill").parse().unwrap();
        assert!((0.0..=1.0).contains(&p));
    }
    // Only bench.csv is left in the directory (the write is atomic: no temporary files).
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bench.csv"]);
}

#[test]
fn explicit_sizes_and_workload_filter() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args([
            "bench",
            "--backend",
            "cpu",
            "--workloads",
            "w-ballistic",
            "--sizes",
            "20,40",
            "--quiet",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("bench.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let trials: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap().get(6).unwrap().to_string())
        .collect();
    assert_eq!(trials, ["20", "40"]);
}

#[test]
fn bad_arguments_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["bench", "--workloads", "nope", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("unknown workload `nope`"));
    bin()
        .args(["bench", "--sizes", "0", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn gpu_only_without_a_gpu_backend_is_exit_3() {
    // Only meaningful while no GPU backend can open here (the GPU kernel is not built in yet,
    // or no adapter exists); with one, the GPU bench itself runs, which this test does not want.
    if interceptmc::backend::gpu::GpuBackend::new().is_ok() {
        eprintln!("skipped: a GPU backend is available");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    bin()
        .args(["bench", "--backend", "gpu", "--quick", "--out"])
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(contains("--backend gpu"));
}
