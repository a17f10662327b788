//! Geometry on the spherical Earth: geographic <-> ECEF unit vectors, local east/north/up,
//! great-circle moves and bearings.

use super::constants::EARTH_RADIUS_KM;
use super::{Real, V3};

/// Unit vector (ECEF) of geodetic = geocentric latitude/longitude on the sphere, radians.
pub fn geo_dir<F: Real>(lat_rad: F, lon_rad: F) -> V3<F> {
    V3::new(
        lat_rad.cos() * lon_rad.cos(),
        lat_rad.cos() * lon_rad.sin(),
        lat_rad.sin(),
    )
}

/// (latitude, longitude) in degrees of a position (any length).
pub fn dir_geo_deg<F: Real>(p: V3<F>) -> (F, F) {
    let lat = p.z.atan2k((p.x * p.x + p.y * p.y).sqrt());
    let lon = p.y.atan2k(p.x);
    (lat.to_degrees(), lon.to_degrees())
}

/// Local east unit vector at unit vector `u` (at a pole: an arbitrary horizontal direction).
pub fn east_of<F: Real>(u: V3<F>) -> V3<F> {
    let e = V3::new(-u.y, u.x, F::zero());
    let n = e.length();
    if n > F::c(1e-6) {
        e * (F::one() / n)
    } else {
        V3::new(F::zero(), F::one(), F::zero())
    }
}

/// Horizontal unit vector at `u` pointing along `azimuth_rad` (from north, clockwise).
pub fn heading_dir<F: Real>(u: V3<F>, azimuth_rad: F) -> V3<F> {
    let e = east_of(u);
    let n = u.cross(e);
    n * azimuth_rad.cos() + e * azimuth_rad.sin()
}

/// Azimuth (from north, clockwise, radians) of horizontal direction `d` at unit vector `u`.
pub fn azimuth_of<F: Real>(u: V3<F>, d: V3<F>) -> F {
    let e = east_of(u);
    let n = u.cross(e);
    d.dot(e).atan2k(d.dot(n))
}

/// Unit vector reached from unit vector `u` along the horizontal unit direction `d` through the
/// central angle `angle_rad` (great circle).
pub fn travel<F: Real>(u: V3<F>, d: V3<F>, angle_rad: F) -> V3<F> {
    (u * angle_rad.cos() + d * angle_rad.sin()).normalize()
}

/// Horizontal unit direction at unit vector `u` toward unit vector `v` along the great circle.
/// (`u` itself, i.e. an undefined bearing, maps to north.)
pub fn direction_to<F: Real>(u: V3<F>, v: V3<F>) -> V3<F> {
    let h = v - u * u.dot(v);
    let n = h.length();
    if n > F::c(1e-7) {
        h * (F::one() / n)
    } else {
        heading_dir(u, F::zero())
    }
}

/// Central angle between two directions (any lengths), radians; accurate at small angles.
pub fn central_angle<F: Real>(a: V3<F>, b: V3<F>) -> F {
    a.cross(b).length().atan2k(a.dot(b))
}

/// Great-circle ground distance between two directions, km.
pub fn ground_range_km<F: Real>(a: V3<F>, b: V3<F>) -> F {
    F::c(EARTH_RADIUS_KM) * central_angle(a, b)
}

/// Rotation of `p` about the z axis by `angle_rad` (Earth rotation).
pub fn rotate_z<F: Real>(p: V3<F>, angle_rad: F) -> V3<F> {
    let (s, c) = (angle_rad.sin(), angle_rad.cos());
    V3::new(c * p.x - s * p.y, s * p.x + c * p.y, p.z)
}

/// Offset of unit vector `u` by `north_km`, `east_km` along the surface (small offsets; exact
/// great-circle move in the direction of the offset vector).
pub fn offset_km<F: Real>(u: V3<F>, north_km: F, east_km: F) -> V3<F> {
    let dist = (north_km * north_km + east_km * east_km).sqrt();
    if dist <= F::zero() {
        return u;
    }
    let e = east_of(u);
    let n = u.cross(e);
    let d = (n * north_km + e * east_km) * (F::one() / dist);
    travel(u, d, dist / F::c(EARTH_RADIUS_KM))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azimuth_round_trip_and_travel_distance() {
        let u = geo_dir::<f64>(0.6, 0.3);
        for az in [0.1f64, 1.0, 2.5, -2.0] {
            let d = heading_dir(u, az);
            assert!((azimuth_of(u, d) - az).abs() < 1e-12);
            let v = travel(u, d, 0.2);
            assert!((central_angle(u, v) - 0.2).abs() < 1e-12);
        }
    }

    #[test]
    fn east_from_equator_prime_meridian() {
        let u = geo_dir::<f64>(0.0, 0.0);
        let v = offset_km(u, 0.0, EARTH_RADIUS_KM * 0.1);
        let (lat, lon) = dir_geo_deg(v);
        assert!(lat.abs() < 1e-12);
        assert!((lon - 0.1f64.to_degrees()).abs() < 1e-9);
    }
}
