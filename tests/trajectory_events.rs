//! `interceptmc trajectory` marks detection, firm track and each battery's window entry and
//! exit in its CSV and JSON, against facts computed here from the CSV's own step rows: the
//! detection is where the slant range to the radar crosses its detection range, the firm track
//! comes the track delay later, and a window opens where the threat first stands inside the
//! battery's envelope (altitude band and ground range from the site).

mod common;

use common::*;

const R: f64 = 6371.0;

const SCENARIO: &str = r#"
name = "marks"
[earth]
rotation = false
atmosphere = "none"
[[threat]]
name = "srbm"
kind = "ballistic"
launch = { lat_deg = 0.0, lon_deg = 0.0 }
aim = { lat_deg = 0.0, lon_deg = 10.0 }
boost_time_s = 0.0
burnout_altitude_km = 0.0
rcs_m2 = 1.0
[[sensor]]
name = "radar"
kind = "radar"
site = { lat_deg = 0.0, lon_deg = 10.0 }
max_range_km = 600.0
reference_rcs_m2 = 1.0
min_elevation_deg = 0.0
track_delay_s = 5.0
[interceptor.x]
min_altitude_km = 20.0
max_altitude_km = 400.0
max_range_km = 300.0
flyout_speed_km_s = 5.0
sspk = 1.0
divert_g = 10.0
[[battery]]
name = "defender"
site = { lat_deg = 0.0, lon_deg = 10.0 }
interceptor = "x"
inventory = 4
reaction_time_s = 0.0
"#;

fn ecef(lat: f64, lon: f64, alt: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    let r = R + alt;
    [
        r * la.cos() * lo.cos(),
        r * la.cos() * lo.sin(),
        r * la.sin(),
    ]
}

#[test]
fn events_match_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "marks.toml", SCENARIO);
    let csv_path = dir.path().join("t.csv");
    let a = bin()
        .args(["trajectory", file.to_str().unwrap(), "--out"])
        .arg(&csv_path)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(json["csv"], csv_path.display().to_string());
    assert!(stderr_of(&a).contains(&csv_path.display().to_string()));
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let h = r.headers().unwrap().clone();
    let idx = |c: &str| h.iter().position(|x| x == c).unwrap();
    let (t, lat, lon, alt, ev) = (
        idx("t_s"),
        idx("lat_deg"),
        idx("lon_deg"),
        idx("alt_km"),
        idx("event"),
    );
    let mut steps = Vec::new();
    let mut events = std::collections::HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let f = |i: usize| rec[i].parse::<f64>().unwrap();
        if rec[ev].is_empty() {
            steps.push((f(t), f(lat), f(lon), f(alt)));
        } else {
            events.insert(rec[ev].to_string(), f(t));
        }
    }
    let site = ecef(0.0, 10.0, 0.0);
    let range = |s: &(f64, f64, f64, f64)| {
        let p = ecef(s.1, s.2, s.3);
        ((p[0] - site[0]).powi(2) + (p[1] - site[1]).powi(2) + (p[2] - site[2]).powi(2)).sqrt()
    };
    // Detection: the slant range crosses 600 km between two steps (linear in between).
    let k = steps.iter().position(|s| range(s) <= 600.0).unwrap();
    let (a0, b0) = (&steps[k - 1], &steps[k]);
    let (ra, rb) = (range(a0), range(b0));
    let t_detect = a0.0 + (b0.0 - a0.0) * (ra - 600.0) / (ra - rb);
    let got = events["detection:radar"];
    assert!(
        (got - t_detect).abs() < 0.05,
        "detection {got} vs {t_detect}"
    );
    assert!((json["detection_time_s"].as_f64().unwrap() - t_detect).abs() < 0.05);
    // Firm track: the track delay later (the firm track comes from the kernel's event
    // tracker, which root-finds the same crossing on the step's interpolant; the detection
    // mark crosses linearly: they agree to well under a step).
    let lag = events["firm_track"] - got;
    assert!(
        (lag - 5.0).abs() < 0.05,
        "firm track {lag} s after detection"
    );
    // Window entry: the first step inside the envelope (20-400 km up, ground range at most
    // 300 km) is at most one step after the entry, and the step before it is outside.
    let ground = |s: &(f64, f64, f64, f64)| {
        let p = ecef(s.1, s.2, 0.0);
        let c = (p[0] * site[0] + p[1] * site[1] + p[2] * site[2]) / (R * R);
        R * c.clamp(-1.0, 1.0).acos()
    };
    let inside = |s: &(f64, f64, f64, f64)| s.3 >= 20.0 && s.3 <= 400.0 && ground(s) <= 300.0;
    let k = steps.iter().position(inside).unwrap();
    let entry = events["window_entry:defender"];
    assert!(
        steps[k - 1].0 <= entry && entry <= steps[k].0,
        "entry {entry} vs step {}",
        steps[k].0
    );
    // Window exit: the threat leaves the band at 20 km on its way down.
    let k = steps
        .iter()
        .position(|s| s.0 > entry && s.3 < 20.0)
        .unwrap();
    let exit = events["window_exit:defender"];
    assert!(
        steps[k - 1].0 <= exit && exit <= steps[k].0,
        "exit {exit} vs step {}",
        steps[k].0
    );
    // The JSON lists them in time order, rounded to the millisecond.
    let times: Vec<f64> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["t_s"].as_f64().unwrap())
        .collect();
    assert_eq!(times.len(), 4);
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert!(times
        .iter()
        .all(|x| ((x * 1000.0).round() - x * 1000.0).abs() < 1e-6));
}
