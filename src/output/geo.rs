//! What a map shows, on the spherical Earth of the model (R = 6371 km, docs/model.md
//! section 7): the layout of a scenario (sites, envelope footprints, radar coverage at one
//! altitude, launch and aim areas), nominal trajectories with their events, and the defended
//! footprint of an aim-point sweep. `geojson.rs` writes these layers as GeoJSON and
//! `plot/map.rs` draws them.
//!
//! Longitudes are kept in [-180, 180]: a ring or line that crosses the antimeridian is split
//! there (RFC 7946, section 3.1.9). Rings that enclose a pole are not handled (no shipped
//! scenario comes near one).

use crate::base::constants::EARTH_RADIUS_KM;
use crate::scenario::Scenario;

/// Points on a circle's or sector's boundary.
const RING_POINTS: usize = 72;

/// A point feature: a battery, a sensor, a launch or aim area's centre.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub name: String,
    /// `battery`, `sensor`, `launch`, `aim`.
    pub layer: &'static str,
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Extra properties (name -> value) for the GeoJSON.
    pub props: Vec<(String, serde_json::Value)>,
}

/// An area: one or more exterior rings (more than one when split at the antimeridian), each a
/// closed list of `[lon, lat]`, counter-clockwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub name: String,
    /// `envelope`, `coverage`, `launch_area`.
    pub layer: &'static str,
    /// Ground radius of the circle or sector, km.
    pub radius_km: f64,
    pub centre: [f64; 2],
    pub rings: Vec<Vec<[f64; 2]>>,
    pub props: Vec<(String, serde_json::Value)>,
}

/// An event of a nominal trajectory (launch, burnout, apogee, impact, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct TrackEvent {
    pub name: String,
    pub t_s: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_km: f64,
}

/// A nominal (dispersion-free) trajectory: `[lon, lat, alt_km]` at each step.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub threat: String,
    pub kind: String,
    pub points: Vec<[f64; 3]>,
    pub events: Vec<TrackEvent>,
}

/// A cell of a defended footprint: the aim point (centre), its half sizes in degrees, and the
/// estimate at that point.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub threat: String,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub half_lat_deg: f64,
    pub half_lon_deg: f64,
    pub p_kill: f64,
    pub p_kill_lo: f64,
    pub p_kill_hi: f64,
}

/// Everything a map shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapLayers {
    pub title: String,
    pub coverage_altitude_km: f64,
    pub sites: Vec<Site>,
    pub areas: Vec<Area>,
    pub tracks: Vec<Track>,
    pub cells: Vec<Cell>,
}

/// The point reached from (`lat_deg`, `lon_deg`) along the great circle of initial azimuth
/// `azimuth_deg` (clockwise from north) after `dist_km` on the ground: (lat, lon) in degrees,
/// the longitude wrapped into [-180, 180].
pub fn destination(lat_deg: f64, lon_deg: f64, azimuth_deg: f64, dist_km: f64) -> (f64, f64) {
    let (p1, l1) = (lat_deg.to_radians(), lon_deg.to_radians());
    let (th, d) = (azimuth_deg.to_radians(), dist_km / EARTH_RADIUS_KM);
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * th.cos())
        .clamp(-1.0, 1.0)
        .asin();
    let l2 = l1 + (th.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (p2.to_degrees(), wrap_lon(l2.to_degrees()))
}

/// A longitude wrapped into [-180, 180).
pub fn wrap_lon(lon: f64) -> f64 {
    (lon + 180.0).rem_euclid(360.0) - 180.0
}

/// Ground radius, km, of a radar's coverage of targets at `target_alt_km`: the smaller of the
/// central angle at which the target sits at the minimum elevation (spherical Earth, no
/// refraction: theta = acos(r1 cos e / r2) - e) and the one at which the slant range reaches
/// `max_range_km` (law of cosines), times R. Zero when the target is not visible at all.
pub fn coverage_radius_km(
    site_alt_km: f64,
    target_alt_km: f64,
    min_elevation_deg: f64,
    max_range_km: f64,
) -> f64 {
    let r1 = EARTH_RADIUS_KM + site_alt_km;
    let r2 = EARTH_RADIUS_KM + target_alt_km;
    let e = min_elevation_deg.to_radians();
    let c = r1 * e.cos() / r2;
    let horizon = if c <= 1.0 { c.acos() - e } else { 0.0 };
    let cos_range = (r1 * r1 + r2 * r2 - max_range_km * max_range_km) / (2.0 * r1 * r2);
    let range = if cos_range >= 1.0 {
        0.0
    } else if cos_range <= -1.0 {
        std::f64::consts::PI
    } else {
        cos_range.acos()
    };
    horizon.min(range).max(0.0) * EARTH_RADIUS_KM
}

/// The ring of a circle of ground radius `radius_km` around a point, counter-clockwise, closed,
/// longitudes unwrapped around the centre's (may leave [-180, 180]; see [`split_ring`]).
fn circle_unwrapped(lat: f64, lon: f64, radius_km: f64) -> Vec<[f64; 2]> {
    (0..=RING_POINTS)
        .map(|i| {
            // Azimuth decreasing: north, west, south, east (counter-clockwise on the map).
            let az = 360.0 * (RING_POINTS - i) as f64 / RING_POINTS as f64;
            let (la, lo) = destination(lat, lon, az, radius_km);
            [unwrap_near(lo, lon), la]
        })
        .collect()
}

/// The ring of a sector (apex at the point, azimuths `az_deg +- half_deg`), counter-clockwise.
fn sector_unwrapped(
    lat: f64,
    lon: f64,
    radius_km: f64,
    az_deg: f64,
    half_deg: f64,
) -> Vec<[f64; 2]> {
    let mut ring = vec![[lon, lat]];
    for i in 0..=RING_POINTS / 2 {
        let az = az_deg + half_deg - 2.0 * half_deg * i as f64 / (RING_POINTS / 2) as f64;
        let (la, lo) = destination(lat, lon, az, radius_km);
        ring.push([unwrap_near(lo, lon), la]);
    }
    ring.push([lon, lat]);
    ring
}

fn unwrap_near(lon: f64, reference: f64) -> f64 {
    reference + wrap_lon(lon - reference)
}

/// Clips a closed ring to the half plane `lon <= x` (`keep_below`) or `lon >= x`
/// (Sutherland-Hodgman on one edge).
fn clip_lon(ring: &[[f64; 2]], x: f64, keep_below: bool) -> Vec<[f64; 2]> {
    clip_axis(ring, 0, x, keep_below)
}

/// Clips a closed ring to `p[axis] <= v` (`keep_below`) or `p[axis] >= v`.
pub fn clip_axis(ring: &[[f64; 2]], axis: usize, v: f64, keep_below: bool) -> Vec<[f64; 2]> {
    let inside = |p: &[f64; 2]| {
        if keep_below {
            p[axis] <= v
        } else {
            p[axis] >= v
        }
    };
    let mut out: Vec<[f64; 2]> = Vec::new();
    if ring.len() < 2 {
        return out;
    }
    let n = ring.len() - 1; // closed: the last point repeats the first
    for i in 0..n {
        let (a, b) = (ring[i], ring[i + 1]);
        let (ia, ib) = (inside(&a), inside(&b));
        if ia {
            out.push(a);
        }
        if ia != ib {
            let t = (v - a[axis]) / (b[axis] - a[axis]);
            let mut p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
            p[axis] = v;
            out.push(p);
        }
    }
    if let Some(&f) = out.first() {
        out.push(f);
    }
    if out.len() < 4 {
        out.clear();
    }
    out
}

/// Splits an unwrapped ring at the antimeridian into rings with longitudes in [-180, 180].
pub fn split_ring(ring: Vec<[f64; 2]>) -> Vec<Vec<[f64; 2]>> {
    let min = ring.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min);
    let max = ring.iter().map(|p| p[0]).fold(f64::NEG_INFINITY, f64::max);
    if min >= -180.0 && max <= 180.0 {
        return vec![ring];
    }
    let (edge, shift) = if max > 180.0 {
        (180.0, -360.0)
    } else {
        (-180.0, 360.0)
    };
    let a = clip_lon(&ring, edge, edge > 0.0);
    let mut b = clip_lon(&ring, edge, edge < 0.0);
    for p in &mut b {
        p[0] += shift;
    }
    [a, b].into_iter().filter(|r| r.len() >= 4).collect()
}

/// Splits a line of `[lon, lat, alt]` where it jumps across the antimeridian.
pub fn split_line(points: &[[f64; 3]]) -> Vec<Vec<[f64; 3]>> {
    let mut parts: Vec<Vec<[f64; 3]>> = vec![Vec::new()];
    for (i, p) in points.iter().enumerate() {
        if i > 0 && (p[0] - points[i - 1][0]).abs() > 180.0 {
            parts.push(Vec::new());
        }
        parts.last_mut().expect("a part").push(*p);
    }
    parts.retain(|p| p.len() >= 2);
    parts
}

/// A circle area.
fn circle_area(name: &str, layer: &'static str, lat: f64, lon: f64, radius_km: f64) -> Area {
    Area {
        name: name.to_string(),
        layer,
        radius_km,
        centre: [lon, lat],
        rings: split_ring(circle_unwrapped(lat, lon, radius_km)),
        props: Vec::new(),
    }
}

/// The layout layers of a scenario: batteries and their envelope footprints (ground-range
/// circles), sensors and their coverage of targets at `coverage_altitude_km` against the
/// reference RCS (horizon, range and sector), launch areas and aim points.
pub fn layout_layers(sc: &Scenario, coverage_altitude_km: f64) -> MapLayers {
    use serde_json::json;
    let mut m = MapLayers {
        title: format!("{}: layout", sc.name),
        coverage_altitude_km,
        ..MapLayers::default()
    };
    for s in &sc.sensors {
        let radius = coverage_radius_km(
            s.site.alt_km,
            coverage_altitude_km,
            s.min_elevation_deg,
            s.max_range_km,
        );
        let (lat, lon) = (s.site.lat_deg, s.site.lon_deg);
        let mut area = match &s.sector {
            Some(sec) if sec.half_width_deg < 180.0 => Area {
                name: s.name.clone(),
                layer: "coverage",
                radius_km: radius,
                centre: [lon, lat],
                rings: split_ring(sector_unwrapped(
                    lat,
                    lon,
                    radius,
                    sec.boresight_azimuth_deg,
                    sec.half_width_deg,
                )),
                props: Vec::new(),
            },
            _ => circle_area(&s.name, "coverage", lat, lon, radius),
        };
        area.props = vec![
            ("altitude_km".into(), json!(coverage_altitude_km)),
            ("max_range_km".into(), json!(s.max_range_km)),
            ("reference_rcs_m2".into(), json!(s.reference_rcs_m2)),
            ("min_elevation_deg".into(), json!(s.min_elevation_deg)),
        ];
        if let Some(sec) = &s.sector {
            area.props.push((
                "boresight_azimuth_deg".into(),
                json!(sec.boresight_azimuth_deg),
            ));
            area.props
                .push(("half_width_deg".into(), json!(sec.half_width_deg)));
        }
        m.areas.push(area);
        m.sites.push(Site {
            name: s.name.clone(),
            layer: "sensor",
            lat_deg: lat,
            lon_deg: lon,
            props: vec![
                ("alt_km".into(), json!(s.site.alt_km)),
                ("max_range_km".into(), json!(s.max_range_km)),
            ],
        });
    }
    for b in &sc.batteries {
        let i = &sc.interceptors[b.interceptor];
        let mut area = circle_area(
            &b.name,
            "envelope",
            b.site.lat_deg,
            b.site.lon_deg,
            i.max_range_km,
        );
        area.props = vec![
            ("interceptor".into(), json!(i.name)),
            ("min_altitude_km".into(), json!(i.min_altitude_km)),
            ("max_altitude_km".into(), json!(i.max_altitude_km)),
        ];
        m.areas.push(area);
        m.sites.push(Site {
            name: b.name.clone(),
            layer: "battery",
            lat_deg: b.site.lat_deg,
            lon_deg: b.site.lon_deg,
            props: vec![
                ("interceptor".into(), json!(i.name)),
                ("inventory".into(), json!(b.inventory)),
                ("max_range_km".into(), json!(i.max_range_km)),
            ],
        });
    }
    for t in &sc.threats {
        let kind = t.kind.name();
        let l = &t.launch;
        if l.radius_km > 0.0 {
            let mut area = circle_area(&t.name, "launch_area", l.lat_deg, l.lon_deg, l.radius_km);
            area.props = vec![("kind".into(), json!(kind))];
            m.areas.push(area);
        }
        m.sites.push(Site {
            name: t.name.clone(),
            layer: "launch",
            lat_deg: l.lat_deg,
            lon_deg: l.lon_deg,
            props: vec![
                ("kind".into(), json!(kind)),
                ("radius_km".into(), json!(l.radius_km)),
            ],
        });
        if let Some(a) = &t.aim {
            m.sites.push(Site {
                name: t.name.clone(),
                layer: "aim",
                lat_deg: a.lat_deg,
                lon_deg: a.lon_deg,
                props: vec![("sigma_km".into(), json!(a.sigma_km))],
            });
        }
    }
    m
}

/// The defended footprint of an aim-point sweep, read from the rows of `sweep.csv` (as
/// `(header, records)`): for each threat whose `param_threat.<name>.aim.lat_deg` and
/// `...lon_deg` columns are both axes, one cell per point with its p_kill and interval. The
/// cell sizes are half the smallest spacing of the grid's values on each axis (0.25 degree
/// for an axis with one value).
pub fn footprint_cells(header: &[String], records: &[Vec<String>]) -> Vec<Cell> {
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(c_threat), Some(c_p), Some(c_lo), Some(c_hi)) = (
        col("threat"),
        col("p_kill"),
        col("p_kill_lo"),
        col("p_kill_hi"),
    ) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    for h in header {
        let Some(name) = h
            .strip_prefix("param_threat.")
            .and_then(|s| s.strip_suffix(".aim.lat_deg"))
        else {
            continue;
        };
        let (Some(c_lat), Some(c_lon)) = (col(h), col(&format!("param_threat.{name}.aim.lon_deg")))
        else {
            continue;
        };
        let num = |r: &Vec<String>, c: usize| r.get(c).and_then(|s| s.parse::<f64>().ok());
        let rows: Vec<[f64; 5]> = records
            .iter()
            .filter(|r| r.get(c_threat).map(String::as_str) == Some(name))
            .filter_map(|r| {
                Some([
                    num(r, c_lat)?,
                    num(r, c_lon)?,
                    num(r, c_p)?,
                    num(r, c_lo)?,
                    num(r, c_hi)?,
                ])
            })
            .collect();
        let half = |k: usize| {
            let mut v: Vec<f64> = rows.iter().map(|r| r[k]).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            let m = v
                .windows(2)
                .map(|w| w[1] - w[0])
                .fold(f64::INFINITY, f64::min);
            if m.is_finite() {
                m / 2.0
            } else {
                0.25
            }
        };
        let (hl, hn) = (half(0), half(1));
        cells.extend(rows.iter().map(|r| Cell {
            threat: name.to_string(),
            lat_deg: r[0],
            lon_deg: r[1],
            half_lat_deg: hl,
            half_lon_deg: hn,
            p_kill: r[2],
            p_kill_lo: r[3],
            p_kill_hi: r[4],
        }));
    }
    cells
}

/// Hand-computed checks (the oracles are written out in each test).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_along_the_equator_and_meridian() {
        // 1 degree of arc is R pi / 180 = 111.19 km.
        let d = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
        let (la, lo) = destination(0.0, 10.0, 90.0, 5.0 * d);
        assert!(la.abs() < 1e-9 && (lo - 15.0).abs() < 1e-9, "{la} {lo}");
        let (la, lo) = destination(40.0, 10.0, 0.0, 3.0 * d);
        assert!((la - 43.0).abs() < 1e-9 && (lo - 10.0).abs() < 1e-9);
        let (_, lo) = destination(0.0, 179.0, 90.0, 2.0 * d);
        assert!((lo + 179.0).abs() < 1e-9, "{lo}");
    }

    #[test]
    fn coverage_radius_hand_cases() {
        // Ground site, target at 100 km, 0 elevation: theta = acos(R / (R + 100)).
        let r = EARTH_RADIUS_KM;
        let horizon = (r / (r + 100.0)).acos() * r;
        assert!((coverage_radius_km(0.0, 100.0, 0.0, 1e6) - horizon).abs() < 1e-6);
        assert!((horizon - 1121.5).abs() < 0.1, "{horizon}"); // sqrt(2 R h) = 1129 km, less curvature
                                                              // Range-limited: 500 km slant at 100 km altitude; law of cosines by hand.
        let cos_t = (r * r + (r + 100.0) * (r + 100.0) - 500.0 * 500.0) / (2.0 * r * (r + 100.0));
        assert!((coverage_radius_km(0.0, 100.0, 0.0, 500.0) - cos_t.acos() * r).abs() < 1e-6);
        // A target below the minimum elevation everywhere sees nothing.
        assert_eq!(coverage_radius_km(0.0, 0.0, 5.0, 1000.0), 0.0);
    }

    #[test]
    fn rings_cross_the_antimeridian_split() {
        let rings = split_ring(circle_unwrapped(0.0, 179.5, 300.0));
        assert_eq!(rings.len(), 2);
        for r in &rings {
            assert!(r.len() >= 4 && r.first() == r.last());
            assert!(r.iter().all(|p| (-180.0..=180.0).contains(&p[0])));
        }
        let line = [
            [179.0, 0.0, 0.0],
            [179.9, 0.0, 0.0],
            [-179.9, 0.0, 0.0],
            [-179.0, 0.0, 0.0],
        ];
        assert_eq!(split_line(&line).len(), 2);
    }

    #[test]
    fn footprint_cells_from_sweep_rows() {
        let header: Vec<String> = [
            "point",
            "param_threat.irbm.aim.lat_deg",
            "param_threat.irbm.aim.lon_deg",
            "threat",
            "p_kill",
            "p_kill_lo",
            "p_kill_hi",
        ]
        .map(String::from)
        .to_vec();
        let row = |lat: &str, lon: &str, t: &str| {
            vec!["0", lat, lon, t, "0.5", "0.4", "0.6"]
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let recs = vec![
            row("46", "6", "irbm"),
            row("46", "8", "irbm"),
            row("47", "6", "irbm"),
            row("47", "6", "hgv"),
        ];
        let cells = footprint_cells(&header, &recs);
        assert_eq!(cells.len(), 3);
        assert_eq!(cells[0].half_lat_deg, 0.5); // spacing 1 degree
        assert_eq!(cells[0].half_lon_deg, 1.0); // spacing 2 degrees
        assert_eq!(cells[1].lon_deg, 8.0);
    }
}
