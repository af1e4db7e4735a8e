//! TEME → Earth-fixed rotation and WGS-84 geodetic coordinates.

use glam::DVec3;

/// WGS-84 equatorial radius, km.
pub const WGS84_A_KM: f64 = 6378.137;
/// WGS-84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// Earth's rotation rate, rad/s (IERS).
pub const EARTH_ROTATION_RAD_S: f64 = 7.292_115_146_706_979e-5;

/// Rotates a TEME vector into the Earth-fixed frame (pseudo-Earth-fixed: polar motion ignored).
pub fn teme_to_ecef(teme: DVec3, gmst_rad: f64) -> DVec3 {
    let (sin, cos) = gmst_rad.sin_cos();
    teme_to_ecef_sin_cos(teme, sin, cos)
}

/// [`teme_to_ecef`] with the sine and cosine of GMST already worked out (many vectors at one
/// instant).
#[inline]
pub fn teme_to_ecef_sin_cos(teme: DVec3, sin: f64, cos: f64) -> DVec3 {
    DVec3::new(
        cos * teme.x + sin * teme.y,
        -sin * teme.x + cos * teme.y,
        teme.z,
    )
}

/// Rotates an Earth-fixed vector back into TEME.
pub fn ecef_to_teme(ecef: DVec3, gmst_rad: f64) -> DVec3 {
    teme_to_ecef(ecef, -gmst_rad)
}

/// Geodetic latitude and longitude (radians) and height above the WGS-84 ellipsoid (km).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geodetic {
    pub latitude_rad: f64,
    /// In [−π, π).
    pub longitude_rad: f64,
    pub altitude_km: f64,
}

impl Geodetic {
    pub fn latitude_deg(&self) -> f64 {
        self.latitude_rad.to_degrees()
    }

    /// Longitude in degrees, in [−180, 180).
    pub fn longitude_deg(&self) -> f64 {
        wrap_degrees(self.longitude_rad.to_degrees())
    }
}

/// Wraps an angle in degrees into [−180, 180).
pub fn wrap_degrees(degrees: f64) -> f64 {
    let wrapped = (degrees + 180.0).rem_euclid(360.0) - 180.0;
    if wrapped >= 180.0 {
        wrapped - 360.0
    } else {
        wrapped
    }
}

/// Where a TEME position (km) at `at` is over the Earth: WGS-84 latitude, longitude and height.
pub fn teme_to_geodetic(teme_km: DVec3, at: super::Instant) -> Geodetic {
    ecef_to_geodetic(teme_to_ecef(teme_km, super::gmst_rad(at)))
}

/// Earth-fixed position (km) to WGS-84 geodetic coordinates (Bowring's iteration; converges to
/// well under a millimetre in a few steps from the surface to beyond GEO).
pub fn ecef_to_geodetic(ecef: DVec3) -> Geodetic {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let p = ecef.x.hypot(ecef.y);
    let longitude_rad = ecef.y.atan2(ecef.x);
    let mut latitude = ecef.z.atan2(p * (1.0 - e2));
    let mut altitude = 0.0;
    for _ in 0..6 {
        let (sin_lat, cos_lat) = latitude.sin_cos();
        let n = WGS84_A_KM / (1.0 - e2 * sin_lat * sin_lat).sqrt();
        // Near the poles p/cos(φ) is ill-conditioned: use z/sin(φ) there.
        altitude = if latitude.abs() < std::f64::consts::FRAC_PI_4 {
            p / cos_lat - n
        } else {
            ecef.z / sin_lat - n * (1.0 - e2)
        };
        let next = ecef.z.atan2(p * (1.0 - e2 * n / (n + altitude)));
        // Converged (1e-13 rad is 0.6 µm on the ground): further steps change nothing
        // printed, and `positions` converts every object.
        let step = (next - latitude).abs();
        latitude = next;
        if step < 1e-13 {
            break;
        }
    }
    Geodetic {
        latitude_rad: latitude,
        longitude_rad: wrap_degrees(longitude_rad.to_degrees()).to_radians(),
        altitude_km: altitude,
    }
}

/// Geodetic coordinates to an Earth-fixed position, km.
pub fn geodetic_to_ecef(geodetic: &Geodetic) -> DVec3 {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let (sin_lat, cos_lat) = geodetic.latitude_rad.sin_cos();
    let (sin_lon, cos_lon) = geodetic.longitude_rad.sin_cos();
    let n = WGS84_A_KM / (1.0 - e2 * sin_lat * sin_lat).sqrt();
    let h = geodetic.altitude_km;
    DVec3::new(
        (n + h) * cos_lat * cos_lon,
        (n + h) * cos_lat * sin_lon,
        (n * (1.0 - e2) + h) * sin_lat,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geodetic_round_trip_from_surface_to_geo() {
        for &(lat, lon, alt) in &[
            (0.0, 0.0, 0.0),
            (51.6, -179.9, 420.0),
            (-89.99, 45.0, 800.0),
            (89.9999, 120.0, 20_200.0),
            (12.3, 100.0, 35_786.0),
        ] {
            let geodetic = Geodetic {
                latitude_rad: f64::to_radians(lat),
                longitude_rad: f64::to_radians(lon),
                altitude_km: alt,
            };
            let back = ecef_to_geodetic(geodetic_to_ecef(&geodetic));
            assert!((back.latitude_deg() - lat).abs() < 1e-9, "{lat} {back:?}");
            assert!((back.longitude_deg() - lon).abs() < 1e-9, "{lon} {back:?}");
            assert!((back.altitude_km - alt).abs() < 1e-6, "{alt} {back:?}");
        }
    }

    #[test]
    fn longitudes_wrap_into_half_open_range() {
        assert_eq!(wrap_degrees(180.0), -180.0);
        assert_eq!(wrap_degrees(-180.0), -180.0);
        assert_eq!(wrap_degrees(540.5), -179.5);
        assert_eq!(wrap_degrees(359.0), -1.0);
    }

    #[test]
    fn rotation_by_gmst_is_about_the_pole() {
        let teme = DVec3::new(7000.0, 0.0, 100.0);
        let ecef = teme_to_ecef(teme, std::f64::consts::FRAC_PI_2);
        assert!((ecef - DVec3::new(0.0, -7000.0, 100.0)).length() < 1e-9);
        assert!((ecef_to_teme(ecef, std::f64::consts::FRAC_PI_2) - teme).length() < 1e-9);
    }
}
