//! trials.csv carries each threat's sampled inputs: flying a threat again from its row alone
//! (`mc::inputs::threat_from_inputs`, then the f64 reference propagator of `interceptmc
//! trajectory`) lands it where the run said it landed, for every threat kind of the default
//! scenario (ballistic, glide with a random weave, cruise); and every float in the file is
//! printed without noise digits (the shortest decimal of its f32 value).
//!
//! The oracle is the f64 reference propagator flying inputs read from text: it shares no state
//! with the run, only the class constants of the scenario.

mod common;

use common::*;
use interceptmc::mc::inputs::{threat_from_inputs, SampledInputs};
use interceptmc::model::batch::Batch;
use interceptmc::scenario::Scenario;
use interceptmc::tools::trajectory::fly_reference;
use std::collections::HashMap;

fn read_rows(path: &std::path::Path) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).expect("trials.csv");
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn inputs_of(sc: &Scenario, row: &HashMap<String, String>) -> SampledInputs {
    let f = |k: &str| -> f32 {
        row[k]
            .parse()
            .unwrap_or_else(|_| panic!("{k}: {:?}", row[k]))
    };
    SampledInputs {
        class_id: sc
            .threats
            .iter()
            .position(|t| t.name == row["threat"])
            .unwrap() as u32,
        launch_lat_deg: f("launch_lat_deg"),
        launch_lon_deg: f("launch_lon_deg"),
        aim_lat_deg: f("aim_lat_deg"),
        aim_lon_deg: f("aim_lon_deg"),
        launch_time_s: f("launch_time_s"),
        burnout_lat_deg: f("burnout_lat_deg"),
        burnout_lon_deg: f("burnout_lon_deg"),
        burnout_speed_km_s: f("burnout_speed_km_s"),
        burnout_flight_path_angle_deg: f("burnout_flight_path_angle_deg"),
        burnout_azimuth_deg: f("burnout_azimuth_deg"),
        weave_phase_deg: f("weave_phase_deg"),
        weave_period_s: f("weave_period_s"),
        sspk: sc
            .interceptors
            .iter()
            .map(|i| f(&format!("sspk_{}", i.name)))
            .collect(),
    }
}

#[test]
fn a_trial_flies_again_from_its_csv_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    bin()
        .args([
            "run",
            "--backend",
            "cpu",
            "--samples",
            "60",
            "--per-trial",
            "-q",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let (header, rows) = read_rows(&out.join("trials.csv"));
    for c in [
        "leak_reason",
        "launch_lat_deg",
        "weave_period_s",
        "sspk_sm3",
    ] {
        assert!(header.iter().any(|h| h == c), "no column {c}: {header:?}");
    }
    let sc = Scenario::default_scenario();
    let b = Batch::new(&sc);
    let mut flown = HashMap::new();
    for row in &rows {
        let x = inputs_of(&sc, row);
        // The fixed sspk values of the default scenario are what the rows carry.
        assert_eq!(x.sspk.len(), sc.interceptors.len());
        let th = threat_from_inputs::<f64>(&b, &x);
        let (_, s) = fly_reference(&b, &th, &row["threat"], "");
        let lat: f64 = row["impact_lat_deg"].parse().unwrap();
        let lon: f64 = row["impact_lon_deg"].parse().unwrap();
        // 0.02 deg (about 2 km) over flights of 2,000 to 3,700 km: the f32 kernel against
        // the f64 reference, from inputs rounded to f32.
        assert!(
            (s.impact_lat_deg - lat).abs() < 0.02 && (s.impact_lon_deg - lon).abs() < 0.02,
            "trial {} ({}): re-flown impact ({}, {}) vs trials.csv ({lat}, {lon})",
            row["trial"],
            row["threat"],
            s.impact_lat_deg,
            s.impact_lon_deg
        );
        *flown.entry(row["threat"].clone()).or_insert(0) += 1;
        // A killed threat has no leak reason; every other threat has one.
        assert_eq!(
            row["outcome"] == "killed",
            row["leak_reason"].is_empty(),
            "{row:?}"
        );
    }
    assert_eq!(flown.len(), 3, "every kind flown again: {flown:?}");
}

#[test]
fn floats_in_trials_csv_have_no_noise_digits() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    bin()
        .args([
            "run",
            "--backend",
            "cpu",
            "--samples",
            "30",
            "--per-trial",
            "-q",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let (_, rows) = read_rows(&out.join("trials.csv"));
    let mut floats = 0;
    for row in &rows {
        for (k, v) in row {
            if v.contains('.') {
                let x: f32 = v.parse().unwrap_or_else(|_| panic!("{k}: {v}"));
                // The shortest decimal that reads back to the same f32 is what is written.
                assert_eq!(&format!("{x}"), v, "{k}");
                // At most 9 significant digits (an f32 never needs more); an f64 of an f32
                // value printed as f64 carries about 17.
                let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
                let significant = digits.trim_start_matches('0').len();
                assert!(significant <= 9, "{k}: {v}");
                floats += 1;
            }
        }
    }
    assert!(floats > 100);
}
