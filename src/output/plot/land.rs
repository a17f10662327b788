//! The land outline of the maps: Natural Earth 1:110m land polygons (public domain), embedded
//! as `assets/land-110m.bin` (made, and its format documented, by `scripts/make-land.py`).

use crate::output::geo::split_ring;

static LAND: &[u8] = include_bytes!("../../../assets/land-110m.bin");

/// The land rings, each a closed list of `[lon, lat]` in degrees within [-180, 180]: the rings
/// that cross the antimeridian (Chukotka, Fiji, Wrangel Island; the source jumps from -180 to
/// 180 there) are cut at it, and Antarctica's, which goes round the pole, is closed along the
/// pole first.
pub fn land_rings() -> Vec<Vec<[f64; 2]>> {
    decode(LAND)
        .expect("the embedded land outline is well formed")
        .into_iter()
        .flat_map(|r| split_ring(unwrap_ring(r)))
        .collect()
}

/// Makes a ring's longitudes continuous (no jump over 180 degrees between two points); a ring
/// that goes round a pole (its end 360 degrees from its start) is closed along the pole.
fn unwrap_ring(ring: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len() + 3);
    let mut shift = 0.0;
    for (i, p) in ring.iter().enumerate() {
        if i > 0 {
            let d = p[0] - ring[i - 1][0];
            if d > 180.0 {
                shift -= 360.0;
            } else if d < -180.0 {
                shift += 360.0;
            }
        }
        out.push([p[0] + shift, p[1]]);
    }
    if shift != 0.0 {
        // Round the pole: down (or up) to it at the last longitude, along it back to the first
        // longitude, and up to the first point.
        let pole = if ring.iter().map(|p| p[1]).sum::<f64>() < 0.0 {
            -90.0
        } else {
            90.0
        };
        let (first, last) = (out[0], out[out.len() - 1]);
        out.push([last[0], pole]);
        out.push([first[0], pole]);
        out.push(first);
    }
    out
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn i16_at(b: &[u8], i: usize) -> Option<i16> {
    Some(i16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

/// Decodes the format of `scripts/make-land.py`; `None` when malformed.
fn decode(b: &[u8]) -> Option<Vec<Vec<[f64; 2]>>> {
    if b.get(..4)? != b"LAND" {
        return None;
    }
    let n = u32_at(b, 4)? as usize;
    let mut at = 8;
    let mut rings = Vec::with_capacity(n);
    for _ in 0..n {
        let m = u32_at(b, at)? as usize;
        at += 4;
        let mut ring = Vec::with_capacity(m);
        for _ in 0..m {
            let lon = i16_at(b, at)? as f64 / 100.0;
            let lat = i16_at(b, at + 2)? as f64 / 100.0;
            at += 4;
            ring.push([lon, lat]);
        }
        rings.push(ring);
    }
    (at == b.len()).then_some(rings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Even-odd point in polygon over all rings (holes count as outside).
    fn on_land(rings: &[Vec<[f64; 2]>], lon: f64, lat: f64) -> bool {
        let mut inside = false;
        for r in rings {
            for w in r.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a[1] > lat) != (b[1] > lat) {
                    let x = a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                    if lon < x {
                        inside = !inside;
                    }
                }
            }
        }
        inside
    }

    #[test]
    fn land_outline_decodes_and_knows_land_from_sea() {
        let raw = decode(LAND).unwrap();
        // scripts/make-land.py reported 126 rings and 5,121 points.
        assert_eq!(raw.len(), 126);
        assert_eq!(raw.iter().map(Vec::len).sum::<usize>(), 5121);
        // Cut at the antimeridian, no ring has an edge longer than 180 degrees of longitude
        // (but along a pole).
        let rings = land_rings();
        assert!(rings.len() > 126);
        for r in &rings {
            assert!(r.windows(2).all(|w| (w[1][0] - w[0][0]).abs() <= 180.0
                || (w[0][1].abs() == 90.0 && w[1][1] == w[0][1])));
            assert_eq!(r.first(), r.last());
            assert!(r.len() >= 4);
            assert!(r
                .iter()
                .all(|p| (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1])));
        }
        // Geography: the Sahara, central Europe, Siberia and Brazil are land; the mid-Atlantic,
        // the Black Sea, the central Pacific and the Mediterranean are not.
        for (lon, lat) in [(10.0, 20.0), (14.4, 50.1), (100.0, 60.0), (-50.0, -10.0)] {
            assert!(on_land(&rings, lon, lat), "{lon} {lat}");
        }
        for (lon, lat) in [(-40.0, 30.0), (34.0, 43.0), (-150.0, 0.0), (18.0, 34.0)] {
            assert!(!on_land(&rings, lon, lat), "{lon} {lat}");
        }
        assert!(decode(b"LAND\x01\x00\x00\x00").is_none());
    }
}
