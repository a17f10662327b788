//! Plots, maps, GeoJSON and the HTML report, end to end through the CLI (few trials, CPU
//! backend): the files exist and are what their format says (PNG signature and header
//! dimensions, SVG with its title text), the GeoJSON parses with every coordinate in range and
//! its circles at the right distance (haversine, computed here), the report renders in headless
//! Chromium without console messages, and `plot` refuses a directory without results (exit 2).

mod common;

use common::{bin, write};
use serde_json::Value;
use std::path::{Path, PathBuf};

const R_KM: f64 = 6371.0;

/// Great-circle distance by the haversine formula (Sinnott, "Virtues of the Haversine", Sky and
/// Telescope, 1984), km.
fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R_KM * a.sqrt().asin()
}

/// Checks a PNG: signature, IHDR width and height, and a size showing it is not blank.
fn check_png(path: &Path, w: u32, h: u32) {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&b[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(b[i..i + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (w, h), "{}", path.display());
    assert!(b.len() > 15_000, "{}: {} bytes", path.display(), b.len());
}

/// Checks an SVG: the root element and a text element holding `title`.
fn check_svg(path: &Path, title: &str) {
    let s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(s.trim_start().starts_with("<svg"), "{}", path.display());
    assert!(s.trim_end().ends_with("</svg>"), "{}", path.display());
    let texts: Vec<&str> = s
        .split("<text")
        .skip(1)
        .map(|t| t.split("</text>").next().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains(title)),
        "{}: no <text> with {title:?}",
        path.display()
    );
}

fn out_dir(tmp: &Path, name: &str) -> PathBuf {
    tmp.join(name)
}

/// Every coordinate pair of a geometry (recursively).
fn positions(v: &Value, out: &mut Vec<Vec<f64>>) {
    match v {
        Value::Array(a) if a.first().is_some_and(Value::is_number) => {
            out.push(a.iter().map(|x| x.as_f64().unwrap()).collect())
        }
        Value::Array(a) => a.iter().for_each(|x| positions(x, out)),
        _ => {}
    }
}

fn features<'a>(g: &'a Value, layer: &str) -> Vec<&'a Value> {
    g["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["layer"] == layer)
        .collect()
}

/// Elevation angle, degrees, of a target at altitude `h` seen from a site at altitude `a` at
/// central angle `theta` on a sphere (plane triangle centre-site-target, computed here).
fn elevation_deg(a: f64, h: f64, theta: f64) -> f64 {
    let (r1, r2) = (R_KM + a, R_KM + h);
    ((r2 * theta.cos() - r1) / (r2 * theta.sin()))
        .atan()
        .to_degrees()
}

#[test]
fn run_writes_plots_map_geojson_and_plot_redraws_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(tmp.path(), "run");
    let geo = tmp.path().join("layout.geojson");
    bin()
        .args(["run", "--backend", "cpu", "--samples", "300", "-q", "--out"])
        .arg(&out)
        .arg("--geojson")
        .arg(&geo)
        .assert()
        .success();
    check_png(&out.join("p_kill.png"), 1200, 800);
    check_png(&out.join("per_raid.png"), 1400, 700);
    check_png(&out.join("map.png"), 1400, 1000);
    check_svg(
        &out.join("p_kill.svg"),
        "p_kill per threat class (300 trials, 95% interval)",
    );
    check_svg(&out.join("per_raid.svg"), "Interceptors fired per trial");
    check_svg(
        &out.join("map.svg"),
        "europe-layered: layout and nominal trajectories",
    );
    check_svg(&out.join("map.svg"), "radar coverage at 100 km altitude");

    // The GeoJSON of the default scenario.
    let g: Value = serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let mut all = Vec::new();
    for f in g["features"].as_array().unwrap() {
        assert_eq!(f["type"], "Feature");
        positions(&f["geometry"]["coordinates"], &mut all);
    }
    assert!(all.len() > 500);
    for p in &all {
        assert!(
            (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]),
            "{p:?}"
        );
    }
    // Four batteries with their envelopes: thaad-prague's ring is 200 km (its interceptor's
    // max_range_km in scenarios/default.toml) from the site at 50.0 N, 14.6 E.
    assert_eq!(features(&g, "battery").len(), 4);
    let env = features(&g, "envelope");
    assert_eq!(env.len(), 4);
    let thaad = env
        .iter()
        .find(|f| f["properties"]["name"] == "thaad-prague")
        .unwrap();
    let mut ring = Vec::new();
    positions(&thaad["geometry"]["coordinates"], &mut ring);
    assert!(ring.len() >= 60);
    for p in &ring {
        let d = haversine_km(50.0, 14.6, p[1], p[0]);
        assert!((d - 200.0).abs() < 0.01, "{d} km");
    }
    // Radar coverage of tpy2-romania (44.3 N, 28.0 E, 0.1 km, 0.5 deg, 1,500 km) at 100 km:
    // the ground range where the elevation falls to 0.5 deg, found here by bisection, unless
    // the slant range reaches 1,500 km first.
    let cov = features(&g, "coverage");
    let ro = cov
        .iter()
        .find(|f| f["properties"]["name"] == "tpy2-romania")
        .unwrap();
    let (mut lo, mut hi) = (1e-4, 0.5);
    for _ in 0..100 {
        let mid: f64 = (lo + hi) / 2.0;
        if elevation_deg(0.1, 100.0, mid) > 0.5 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (r1, r2) = (R_KM + 0.1, R_KM + 100.0);
    let slant = (r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * lo.cos()).sqrt();
    assert!(slant < 1500.0, "{slant}"); // horizon-limited at 100 km
    let expected = lo * R_KM;
    // About 1,067 km: 1,121 km to the geometric horizon (acos(6371.1 / 6471) R), less the
    // 0.5 degree minimum elevation.
    assert!((expected - 1066.7).abs() < 1.0, "{expected}");
    let mut ring = Vec::new();
    positions(&ro["geometry"]["coordinates"], &mut ring);
    for p in &ring {
        let d = haversine_km(44.3, 28.0, p[1], p[0]);
        assert!((d - expected).abs() < 0.05, "{d} vs {expected}");
    }
    // A nominal trajectory per threat class, each with launch and impact events; the IRBM's
    // impact event is near its aim point (50.1 N, 14.4 E in scenarios/default.toml).
    assert_eq!(features(&g, "trajectory").len(), 3);
    let events = features(&g, "event");
    let irbm_impact = events
        .iter()
        .find(|f| f["properties"]["threat"] == "irbm" && f["properties"]["name"] == "impact")
        .expect("irbm impact event");
    let c = &irbm_impact["geometry"]["coordinates"];
    let miss = haversine_km(50.1, 14.4, c[1].as_f64().unwrap(), c[0].as_f64().unwrap());
    assert!(
        miss < 25.0,
        "irbm nominal impact {miss} km from its aim point"
    );
    for t in ["irbm", "hgv", "hcm"] {
        assert!(events
            .iter()
            .any(|f| f["properties"]["threat"] == t && f["properties"]["name"] == "launch"));
    }

    // `plot` redraws from the CSVs.
    std::fs::remove_file(out.join("p_kill.png")).unwrap();
    std::fs::remove_file(out.join("map.svg")).unwrap();
    bin().arg("plot").arg(&out).assert().success();
    check_png(&out.join("p_kill.png"), 1200, 800);
    check_svg(&out.join("map.svg"), "europe-layered");
    // No temporary file left behind.
    for e in std::fs::read_dir(&out).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "{name}");
    }
}

#[test]
fn plot_refuses_a_directory_without_results() {
    let tmp = tempfile::tempdir().unwrap();
    for dir in [tmp.path().to_path_buf(), tmp.path().join("missing")] {
        let o = bin().arg("plot").arg(&dir).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("no summary.csv, sweep.csv or compare.csv"),
            "{err}"
        );
        assert!(err.contains(&dir.display().to_string()), "{err}");
        let o = bin().arg("report").arg(&dir).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
    }
    // A summary.csv that is not one: exit 2 naming the file.
    write(tmp.path(), "summary.csv", "threat,p_kill\nall,x\n");
    let o = bin().arg("plot").arg(tmp.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("summary.csv"));
    // --geojson into a missing directory: exit 2 before any work.
    let o = bin()
        .args(["run", "--backend", "cpu", "--samples", "10", "-q", "--out"])
        .arg(tmp.path().join("r"))
        .arg("--geojson")
        .arg(tmp.path().join("nope").join("x.geojson"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("r").exists());
}

/// A 2 x 2 sweep of the IRBM's aim point and a one-axis sweep.
#[test]
fn sweeps_draw_heat_maps_lines_and_the_defended_footprint() {
    let tmp = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize("scenarios/default.toml").unwrap();
    let two = write(
        tmp.path(),
        "aim.toml",
        &format!(
            "name = \"aim\"\nbase = {:?}\nsamples = 60\nseed = 3\n\
             [[axis]]\npath = \"threat.irbm.aim.lat_deg\"\nvalues = [49.0, 50.0]\n\
             [[axis]]\npath = \"threat.irbm.aim.lon_deg\"\nvalues = [14.0, 16.0]\n",
            base.display().to_string()
        ),
    );
    let out = tmp.path().join("s2");
    let geo = tmp.path().join("fp.geojson");
    bin()
        .args(["sweep", "--backend", "cpu", "-q", "--out"])
        .arg(&out)
        .arg("--geojson")
        .arg(&geo)
        .arg(&two)
        .assert()
        .success();
    for t in ["irbm", "all"] {
        check_png(&out.join(format!("sweep_heatmap_{t}.png")), 1200, 900);
        check_svg(
            &out.join(format!("sweep_heatmap_{t}.svg")),
            &format!("p_kill of {t}"),
        );
    }
    check_svg(&out.join("map.svg"), "defended footprint");
    let g: Value = serde_json::from_str(&std::fs::read_to_string(&geo).unwrap()).unwrap();
    let cells = features(&g, "footprint");
    assert_eq!(cells.len(), 4);
    // Cells centred on the aim points, half the grid spacing on each side (1 by 2 degrees).
    let c = cells
        .iter()
        .find(|f| f["properties"]["aim_lat_deg"] == 49.0 && f["properties"]["aim_lon_deg"] == 16.0)
        .unwrap();
    let mut ring = Vec::new();
    positions(&c["geometry"]["coordinates"], &mut ring);
    let lons: Vec<f64> = ring.iter().map(|p| p[0]).collect();
    let lats: Vec<f64> = ring.iter().map(|p| p[1]).collect();
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((min(&lats), max(&lats)), (48.5, 49.5));
    assert_eq!((min(&lons), max(&lons)), (15.0, 17.0));
    let p = c["properties"]["p_kill"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    // The p_kill of the cell is the sweep.csv row's.
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let row = rdr
        .records()
        .map(|r| r.unwrap())
        .find(|r| {
            &r[col("threat")] == "irbm"
                && &r[col("param_threat.irbm.aim.lat_deg")] == "49"
                && &r[col("param_threat.irbm.aim.lon_deg")] == "16"
        })
        .unwrap();
    assert_eq!(row[col("p_kill")].parse::<f64>().unwrap(), p);

    let one = write(
        tmp.path(),
        "one.toml",
        &format!(
            "name = \"one\"\nbase = {:?}\nsamples = 60\n\
             [[axis]]\npath = \"interceptor.sm3.sspk\"\nvalues = [0.5, 0.9]\n",
            base.display().to_string()
        ),
    );
    let out1 = tmp.path().join("s1");
    bin()
        .args(["sweep", "--backend", "cpu", "-q", "--out"])
        .arg(&out1)
        .arg(&one)
        .assert()
        .success();
    check_png(&out1.join("sweep_lines.png"), 1400, 700);
    check_svg(
        &out1.join("sweep_lines.svg"),
        "probabilities against interceptor.sm3.sspk",
    );
}

#[test]
fn compare_draws_paired_differences() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/default.toml").unwrap();
    let b = write(
        tmp.path(),
        "weaker.toml",
        &text.replace("sspk = { beta = [8.0, 2.0] }", "sspk = 0.5"),
    );
    let out = tmp.path().join("c");
    bin()
        .args([
            "compare",
            "--backend",
            "cpu",
            "--samples",
            "200",
            "-q",
            "--out",
        ])
        .arg(&out)
        .arg("scenarios/default.toml")
        .arg(&b)
        .assert()
        .success();
    check_png(&out.join("compare.png"), 1200, 680);
    check_svg(
        &out.join("compare.svg"),
        "Paired differences against the first layout",
    );
    check_svg(&out.join("compare.svg"), "weaker / irbm / p_kill");
    // The report of a comparison: compare.csv's table and the differences, no map.
    let report = tmp.path().join("cmp.html");
    bin()
        .arg("report")
        .arg(&out)
        .arg("--out")
        .arg(&report)
        .assert()
        .success();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("Results (compare.csv)"));
    assert!(html.contains("id=\"fig-compare\""));
    assert!(!html.contains("<section id=\"map\">"));
}

/// Where Chromium is, if anywhere.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

/// Loads `file` in headless Chromium: (the DOM after load, the console lines it logged).
fn render(chrome: &Path, file: &Path) -> (String, Vec<String>) {
    let url = format!("file://{}", file.display());
    // Under coreutils' timeout, so that a hung browser fails the test instead of hanging it.
    let o = std::process::Command::new("timeout")
        .arg("120")
        .arg(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            &url,
        ])
        .env("XDG_RUNTIME_DIR", "/tmp")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "chromium: {:?}", o.status);
    let console = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("net::ERR"))
        .map(String::from)
        .collect();
    (String::from_utf8_lossy(&o.stdout).into_owned(), console)
}

#[test]
fn report_renders_in_headless_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    bin()
        .args(["run", "--backend", "cpu", "--samples", "200", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    bin().arg("report").arg(&out).assert().success();
    let report = out.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    // Self-contained: no script, link, image or any URL but the SVG namespace.
    for bad in ["<script", "<link", "<img", "src=", "href=", "url("] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    for id in ["summary", "plots", "map", "manifest", "assumptions"] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }

    let Some(chrome) = chromium() else {
        if std::env::var_os("INTERCEPTMC_REQUIRE_CHROMIUM").is_some_and(|v| v == "1") {
            panic!(
                "INTERCEPTMC_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)"
            );
        }
        eprintln!("skipped the Chromium half: no chromium on PATH (CI installs it)");
        return;
    };
    // The console detector sees a console message when there is one.
    let control = write(
        tmp.path(),
        "control.html",
        "<html><body><script>console.error('control-message')</script></body></html>",
    );
    let (_, console) = render(&chrome, &control);
    assert!(
        console.iter().any(|l| l.contains("control-message")),
        "chromium logged no console line for the control page: {console:?}"
    );
    let (dom, console) = render(&chrome, &report);
    assert!(console.is_empty(), "console: {console:?}");
    for id in ["summary", "plots", "map", "manifest", "assumptions"] {
        assert!(
            dom.contains(&format!("<section id=\"{id}\">")),
            "DOM lacks {id}"
        );
    }
    assert!(
        dom.matches("<svg").count() >= 3,
        "the plots and map are inline SVG"
    );
    assert!(dom.contains("<td>all</td>"), "the summary table");
    assert!(dom.contains("p_kill per threat class"));
}

#[test]
fn a_raid_run_plots_its_distributions_per_raid() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("raid");
    bin()
        .args([
            "run",
            "scenarios/saturation-raid.toml",
            "--backend",
            "cpu",
            "--samples",
            "20",
        ])
        .args(["-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("raid.csv").is_file());
    check_png(&out.join("per_raid.png"), 1400, 700);
    check_svg(&out.join("per_raid.svg"), "Per raid (20 raids)");
    check_svg(&out.join("per_raid.svg"), "Leakers per raid (mean");
}
