//! `interceptmc validate`: the quick suite passes and writes its report; the table writer's CSV,
//! Markdown and text renderings. The cases themselves are tested group by group and backend by
//! backend in tests/validation.rs; here only the command and its report.

use assert_cmd::Command;
use interceptmc::tools::validate::report::{
    render_csv, render_markdown, render_text, write_report, Meta, CSV_COLUMNS,
};
use interceptmc::tools::validate::{
    ErrorKind, GroupTiming, Row, RowBuilder, Status, SuiteResult, GROUPS,
};

#[test]
fn quick_suite_passes_and_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let assert = Command::cargo_bin("interceptmc")
        .unwrap()
        .args(["validate", "--quick", "--out"])
        .arg(&out)
        .assert();
    let output = assert.get_output().clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status.code()
    );
    assert!(stdout.contains("0 failed"), "{stdout}");

    let csv_path = out.join("validation.csv");
    let md_path = out.join("validation.md");
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_COLUMNS.to_vec()
    );
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(records.len() > 100, "only {} rows", records.len());
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let mut groups = std::collections::BTreeSet::new();
    for r in &records {
        let pass = &r[col("pass")];
        assert!(
            pass == "true" || pass == "skipped",
            "a check did not pass: {r:?}"
        );
        groups.insert(r[col("group")].to_string());
        if pass == "true" {
            let (err, tol): (f64, f64) = (
                r[col("error")].parse().unwrap(),
                r[col("tolerance")].parse().unwrap(),
            );
            assert!(err <= tol, "pass with error > tolerance: {r:?}");
        }
    }
    for g in &GROUPS {
        assert!(
            groups.contains(g.name),
            "group {} missing: {groups:?}",
            g.name
        );
    }
    // The Monte Carlo cases ran on the CPU backend.
    assert!(records.iter().any(|r| &r[col("group")] == "defense"
        && &r[col("backend")] == "cpu"
        && &r[col("pass")] == "true"));

    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.starts_with("# interceptmc validation report"), "{md}");
    for needle in [
        "- version: ",
        "- date (UTC): ",
        "- machine: ",
        "- GPU adapter: ",
        "- suite: quick",
        "## Timings",
        "## Results",
    ] {
        assert!(md.contains(needle), "{needle} missing from validation.md");
    }
    assert!(!md.contains("**FAIL**"));
    // No temporary files left behind by the atomic writes.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// With no usable adapter (`WGPU_ADAPTER_NAME` matching nothing): `--backend gpu` is exit 3,
/// and `auto` runs the Monte Carlo cases on the CPU and marks their GPU rows skipped, not passed.
#[test]
fn without_an_adapter_gpu_is_unavailable_and_auto_skips_gpu_rows() {
    let no_adapter = "interceptmc-test-no-such-adapter";
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("interceptmc")
        .unwrap()
        .env("WGPU_ADAPTER_NAME", no_adapter)
        .args(["validate", "--quick", "--backend", "gpu", "--out"])
        .arg(dir.path())
        .assert()
        .code(3);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );

    let out = Command::cargo_bin("interceptmc")
        .unwrap()
        .env("WGPU_ADAPTER_NAME", no_adapter)
        .args(["validate", "--quick", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("auto: no hardware GPU"), "{stderr}");
    let mut rdr = csv::Reader::from_path(dir.path().join("validation.csv")).unwrap();
    let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let gpu: Vec<_> = records
        .iter()
        .filter(|r| &r[col("backend")] == "gpu")
        .collect();
    assert!(!gpu.is_empty());
    assert!(gpu
        .iter()
        .all(|r| &r[col("pass")] == "skipped" && r[col("note")].contains("no hardware GPU")));
    let md = std::fs::read_to_string(dir.path().join("validation.md")).unwrap();
    assert!(md.contains("- GPU adapter: none: "), "{md}");
}

#[test]
fn bad_backend_is_a_usage_error() {
    Command::cargo_bin("interceptmc")
        .unwrap()
        .args(["validate", "--backend", "tpu"])
        .assert()
        .code(2);
}

fn sample_rows() -> Vec<Row> {
    vec![
        RowBuilder::new(
            "ballistic",
            "min-energy 1000 km: range",
            "BMW ch. 6",
            "f64",
            "km",
        )
        .rel(1000.0, 1000.4, 1e-3),
        RowBuilder::new(
            "ballistic",
            "a, \"quoted\" | piped case",
            "src, with comma",
            "f32",
            "s",
        )
        .rel(100.0, 101.0, 1e-3),
        RowBuilder::new(
            "defense",
            "salvo: kill probability",
            "Wilkening 2000",
            "cpu",
            "probability",
        )
        .note("1000/1000 trials; note with | pipe")
        .interval(0.96, 0.958, 0.95, 0.97, "99.9 % Wilson"),
        RowBuilder::new(
            "defense",
            "salvo: kill probability",
            "Wilkening 2000",
            "gpu",
            "probability",
        )
        .skipped(0.96, "no usable GPU adapter"),
        RowBuilder::new("statistics", "coverage", "nominal 95 %", "host", "%")
            .band(95.0, 96.5, 93.0, 97.0),
    ]
}

#[test]
fn rows_judge_error_against_tolerance() {
    let rows = sample_rows();
    assert_eq!(rows[0].status, Status::Pass);
    assert_eq!(rows[0].error_kind, ErrorKind::Relative);
    assert!((rows[0].error - 4e-4).abs() < 1e-12);
    assert_eq!(rows[1].status, Status::Fail);
    assert_eq!(rows[2].status, Status::Pass);
    // Reference above the estimate: tolerance is the distance to the upper end.
    assert!((rows[2].tolerance - 0.012).abs() < 1e-12 && (rows[2].error - 0.002).abs() < 1e-12);
    assert!(matches!(rows[3].status, Status::Skipped(_)));
    assert_eq!(rows[4].status, Status::Pass);
    assert!((rows[4].tolerance - 2.0).abs() < 1e-12);
    let out_of_band =
        RowBuilder::new("statistics", "c", "s", "host", "%").band(95.0, 92.9, 93.0, 97.0);
    assert_eq!(out_of_band.status, Status::Fail);
    let nan = RowBuilder::new("g", "c", "s", "f64", "km").rel(1.0, f64::NAN, 1.0);
    assert_eq!(nan.status, Status::Fail, "a NaN engine value never passes");
}

#[test]
fn table_writer_csv_markdown_and_text() {
    let rows = sample_rows();
    let result = SuiteResult {
        rows: rows.clone(),
        timings: vec![
            GroupTiming {
                group: "ballistic".into(),
                wall_s: 0.25,
            },
            GroupTiming {
                group: "defense".into(),
                wall_s: 3.5,
            },
        ],
    };
    // CSV: the columns, one record per row, full precision, quoting of commas and quotes.
    let bytes = render_csv(&rows).unwrap();
    let mut rdr = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_COLUMNS.to_vec()
    );
    let recs: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(recs.len(), rows.len());
    assert_eq!(&recs[1][1], "a, \"quoted\" | piped case");
    assert_eq!(&recs[1][2], "src, with comma");
    assert_eq!(recs[0][6].parse::<f64>().unwrap(), 1000.4);
    assert_eq!(
        recs[0][7].parse::<f64>().unwrap(),
        rows[0].error,
        "errors round-trip exactly"
    );
    assert_eq!(&recs[0][8], "relative");
    assert_eq!(&recs[0][11], "true");
    assert_eq!(&recs[1][11], "false");
    assert_eq!(&recs[3][11], "skipped");
    assert_eq!(&recs[3][12], "no usable GPU adapter");
    assert_eq!(&recs[3][6], "NaN");

    // Markdown: header facts, timings, one table line per row, pipes escaped, failures marked.
    let meta = Meta {
        version: "9.9.9".into(),
        date_utc: "2026-01-02T03:04:05Z".into(),
        suite: "full".into(),
        cpu_model: "Test CPU".into(),
        cores: 2,
        threads: 2,
        backends: vec!["cpu".into(), "gpu (skipped)".into()],
        gpu: "none: no adapter".into(),
        command_line: "interceptmc validate".into(),
        wall_s: 12.5,
    };
    let md = render_markdown(&meta, &result);
    for needle in [
        "- version: 9.9.9",
        "2026-01-02T03:04:05Z",
        "Test CPU, 2 logical CPUs",
        "none: no adapter",
        "**3 passed, 1 failed, 1 skipped** of 5 checks",
        "| ballistic | 2 | 0.25 |",
    ] {
        assert!(md.contains(needle), "{needle} missing:\n{md}");
    }
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| group | case"))
        .skip(2)
        .collect();
    assert_eq!(table.len(), rows.len(), "{md}");
    assert!(
        table[1].contains("a, \"quoted\" \\| piped case") && table[1].contains("**FAIL**"),
        "{}",
        table[1]
    );
    for line in &table {
        // 10 cells: 11 unescaped pipes.
        let pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 11, "{line}");
    }
    assert!(
        table[0].contains("1000.40 km")
            && table[0].contains("0.0400 %")
            && table[0].contains("0.100 %"),
        "{}",
        table[0]
    );

    // Text: a header and one line per row, the numeric columns right-aligned.
    let text = render_text(&rows);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows.len() + 1);
    assert!(lines[0].starts_with("case") && lines[0].ends_with("pass"));
    assert!(lines[2].ends_with("FAIL") && lines[4].ends_with("skipped"));
    let pass_col = lines[0].find("pass").unwrap();
    for l in &lines[1..] {
        assert!(["pass", "FAIL", "skipped"].contains(&&l[pass_col..]), "{l}");
    }

    // Both files, atomically, into a new directory.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a").join("b");
    write_report(&out, &meta, &result).unwrap();
    assert_eq!(std::fs::read(out.join("validation.csv")).unwrap(), bytes);
    assert_eq!(
        std::fs::read_to_string(out.join("validation.md")).unwrap(),
        md
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);
}
