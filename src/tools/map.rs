//! The layers of a scenario's map (`--geojson`, `map.png`): the layout
//! (`output::geo::layout_layers`) plus each threat class's nominal trajectory, flown by the f64
//! reference propagator ([`nominal_trajectory`]), with its events: launch, burnout (or the
//! start of the glide or cruise), each later phase change (re-entry, dive), apogee and impact.

use crate::model::batch::Batch;
use crate::output::geo::{layout_layers, MapLayers, Track, TrackEvent};
use crate::scenario::Scenario;
use crate::tools::trajectory::{nominal_trajectory, TrajectoryPoint};

/// Default altitude of the radar coverage drawn on maps, km: midcourse and terminal intercepts
/// of the shipped ballistic threats happen around it.
pub const DEFAULT_COVERAGE_ALTITUDE_KM: f64 = 100.0;

fn event(name: &str, p: &TrajectoryPoint) -> TrackEvent {
    TrackEvent {
        name: name.to_string(),
        t_s: p.t_s,
        lat_deg: p.lat_deg,
        lon_deg: p.lon_deg,
        alt_km: p.alt_km,
    }
}

/// The events of a nominal trajectory (see the module documentation).
pub fn events_of(points: &[TrajectoryPoint], impacted: bool) -> Vec<TrackEvent> {
    let mut out = Vec::new();
    let Some(first) = points.first() else {
        return out;
    };
    out.push(event("launch", first));
    for w in points.windows(2) {
        if w[0].phase != w[1].phase && w[1].phase != "impact" {
            let name = match (w[0].phase, w[1].phase) {
                ("boost", "midcourse") => "burnout".to_string(),
                ("boost", p) => format!("{p} start"),
                (_, p) => p.to_string(),
            };
            out.push(event(&name, &w[1]));
        }
    }
    if let Some(top) = points
        .iter()
        .max_by(|a, b| a.alt_km.total_cmp(&b.alt_km))
        .filter(|p| p.t_s > first.t_s)
    {
        out.push(event("apogee", top));
    }
    if impacted {
        out.push(event("impact", points.last().expect("non-empty")));
    }
    out.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    out
}

/// The map layers of `sc`: its layout, with radar coverage at `coverage_altitude_km`, and the
/// nominal trajectory of every threat class.
pub fn scenario_map(sc: &Scenario, coverage_altitude_km: f64) -> MapLayers {
    let mut m = layout_layers(sc, coverage_altitude_km);
    m.title = format!("{}: layout and nominal trajectories", sc.name);
    let batch = Batch::new(sc);
    for (i, th) in sc.threats.iter().enumerate() {
        let (points, summary) = nominal_trajectory(&batch, i as u32, &th.name, th.kind.name());
        m.tracks.push(Track {
            threat: th.name.clone(),
            kind: th.kind.name().to_string(),
            events: events_of(&points, summary.impacted),
            points: points
                .iter()
                .map(|p| [p.lon_deg, p.lat_deg, p.alt_km])
                .collect(),
        });
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: f64, alt: f64, phase: &'static str) -> TrajectoryPoint {
        TrajectoryPoint {
            t_s: t,
            lat_deg: 0.0,
            lon_deg: t / 100.0,
            alt_km: alt,
            downrange_km: 0.0,
            speed_km_s: 1.0,
            flight_path_angle_deg: 0.0,
            phase,
            accel_g: 0.0,
            event: String::new(),
        }
    }

    #[test]
    fn events_of_a_hand_made_ballistic_flight() {
        let pts = [
            p(0.0, 0.0, "boost"),
            p(60.0, 50.0, "boost"),
            p(120.0, 80.0, "midcourse"),
            p(400.0, 600.0, "midcourse"),
            p(700.0, 100.0, "reentry"),
            p(760.0, 0.0, "impact"),
        ];
        let names: Vec<(String, f64)> = events_of(&pts, true)
            .into_iter()
            .map(|e| (e.name, e.t_s))
            .collect();
        let want = [
            ("launch", 0.0),
            ("burnout", 120.0),
            ("apogee", 400.0),
            ("reentry", 700.0),
            ("impact", 760.0),
        ];
        assert_eq!(names.len(), want.len(), "{names:?}");
        for ((n, t), (wn, wt)) in names.iter().zip(want) {
            assert_eq!((n.as_str(), *t), (wn, wt));
        }
        let glide = [
            p(0.0, 0.0, "boost"),
            p(100.0, 50.0, "glide"),
            p(900.0, 0.0, "dive"),
        ];
        let e = events_of(&glide, false);
        assert!(e.iter().any(|e| e.name == "glide start"));
        assert!(e.iter().any(|e| e.name == "dive"));
        assert!(!e.iter().any(|e| e.name == "impact"));
    }
}
