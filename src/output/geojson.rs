//! `--geojson FILE` (run, sweep): the map layers ([`MapLayers`]) as one GeoJSON
//! FeatureCollection (RFC 7946: WGS 84 longitude, latitude in degrees; the model's sphere is
//! drawn on them as is). Every feature has a `layer` property: `battery`, `sensor`, `launch`,
//! `aim` (points), `envelope`, `coverage`, `launch_area` (polygons), `trajectory`
//! (lines, with altitude as the third coordinate), `event` (points on the trajectories) and
//! `footprint` (the cells of an aim-point sweep, with p_kill and its interval).

use std::io;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::geo::MapLayers;
use super::write_atomic;

/// Rounds a coordinate to 1e-5 degree (about 1 m).
fn r5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// Rounds to 1e-3 (km, s).
fn r3(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}

fn feature(geometry: Value, props: Map<String, Value>) -> Value {
    json!({ "type": "Feature", "geometry": geometry, "properties": props })
}

fn props(layer: &str, name: &str, extra: &[(String, Value)]) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("layer".into(), layer.into());
    p.insert("name".into(), name.into());
    for (k, v) in extra {
        p.insert(k.clone(), v.clone());
    }
    p
}

fn ring_json(ring: &[[f64; 2]]) -> Value {
    Value::Array(ring.iter().map(|p| json!([r5(p[0]), r5(p[1])])).collect())
}

/// The FeatureCollection of `m`.
pub fn feature_collection(m: &MapLayers) -> Value {
    let mut features = Vec::new();
    for a in &m.areas {
        let geometry = match a.rings.as_slice() {
            [] => continue,
            [one] => json!({ "type": "Polygon", "coordinates": [ring_json(one)] }),
            many => json!({
                "type": "MultiPolygon",
                "coordinates": many.iter().map(|r| json!([ring_json(r)])).collect::<Vec<_>>()
            }),
        };
        let mut p = props(a.layer, &a.name, &a.props);
        p.insert("radius_km".into(), r3(a.radius_km).into());
        p.insert("centre".into(), json!([r5(a.centre[0]), r5(a.centre[1])]));
        features.push(feature(geometry, p));
    }
    for c in &m.cells {
        let (x0, x1) = (c.lon_deg - c.half_lon_deg, c.lon_deg + c.half_lon_deg);
        let (y0, y1) = (c.lat_deg - c.half_lat_deg, c.lat_deg + c.half_lat_deg);
        let ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
        let mut p = props("footprint", &c.threat, &[]);
        p.insert("aim_lat_deg".into(), c.lat_deg.into());
        p.insert("aim_lon_deg".into(), c.lon_deg.into());
        p.insert("p_kill".into(), c.p_kill.into());
        p.insert("p_kill_lo".into(), c.p_kill_lo.into());
        p.insert("p_kill_hi".into(), c.p_kill_hi.into());
        features.push(feature(
            json!({ "type": "Polygon", "coordinates": [ring_json(&ring)] }),
            p,
        ));
    }
    for t in &m.tracks {
        let parts = super::geo::split_line(&t.points);
        let line = |pts: &Vec<[f64; 3]>| {
            Value::Array(
                pts.iter()
                    .map(|p| json!([r5(p[0]), r5(p[1]), r3(p[2])]))
                    .collect(),
            )
        };
        let geometry = match parts.as_slice() {
            [] => continue,
            [one] => json!({ "type": "LineString", "coordinates": line(one) }),
            many => json!({
                "type": "MultiLineString",
                "coordinates": many.iter().map(line).collect::<Vec<_>>()
            }),
        };
        let apogee = t
            .points
            .iter()
            .map(|p| p[2])
            .fold(f64::NEG_INFINITY, f64::max);
        let mut p = props("trajectory", &t.threat, &[]);
        p.insert("kind".into(), t.kind.clone().into());
        p.insert("apogee_km".into(), r3(apogee).into());
        p.insert("nominal".into(), true.into());
        features.push(feature(geometry, p));
        for e in &t.events {
            let mut p = props("event", &e.name, &[]);
            p.insert("threat".into(), t.threat.clone().into());
            p.insert("t_s".into(), r3(e.t_s).into());
            p.insert("alt_km".into(), r3(e.alt_km).into());
            features.push(feature(
                json!({ "type": "Point", "coordinates": [r5(e.lon_deg), r5(e.lat_deg), r3(e.alt_km)] }),
                p,
            ));
        }
    }
    for s in &m.sites {
        features.push(feature(
            json!({ "type": "Point", "coordinates": [r5(s.lon_deg), r5(s.lat_deg)] }),
            props(s.layer, &s.name, &s.props),
        ));
    }
    json!({
        "type": "FeatureCollection",
        "name": m.title,
        "coverage_altitude_km": m.coverage_altitude_km,
        "features": features,
    })
}

/// Writes the FeatureCollection of `m` to `path`, atomically.
pub fn write_geojson(path: &Path, m: &MapLayers) -> io::Result<()> {
    let text = serde_json::to_string(&feature_collection(m)).map_err(io::Error::other)?;
    write_atomic(path, format!("{text}\n").as_bytes())
}
