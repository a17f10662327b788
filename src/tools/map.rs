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
