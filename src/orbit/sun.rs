//! The Sun's direction: the Astronomical Almanac's low-precision formula (good to ~0.01°
//! between 1950 and 2050), ample for lighting and the day/night line.

use glam::DVec3;

use super::frames::teme_to_ecef;
use super::time::{Instant, gmst_rad};

/// Unit vector towards the Sun in the mean-of-date equatorial frame, which for lighting
/// purposes is TEME (they differ by the equation of the equinoxes, < 0.005°).
pub fn sun_direction_teme(at: Instant) -> DVec3 {
    let t = at.centuries_since_j2000();
    let mean_longitude = (280.460 + 36_000.771 * t).to_radians();
    let mean_anomaly = (357.529_109_2 + 35_999.050_34 * t).to_radians();
    let ecliptic_longitude = mean_longitude
        + (1.914_666_471 * mean_anomaly.sin() + 0.019_994_643 * (2.0 * mean_anomaly).sin())
            .to_radians();
    let obliquity = (23.439_291 - 0.013_004_2 * t).to_radians();
    let (sin_lambda, cos_lambda) = ecliptic_longitude.sin_cos();
    DVec3::new(
        cos_lambda,
        obliquity.cos() * sin_lambda,
        obliquity.sin() * sin_lambda,
    )
    .normalize()
}

/// Unit vector towards the Sun in the Earth-fixed frame.
pub fn sun_direction_ecef(at: Instant) -> DVec3 {
    teme_to_ecef(sun_direction_teme(at), gmst_rad(at))
}

/// The subsolar point: (latitude, longitude) in degrees, geocentric.
pub fn subsolar_point_deg(at: Instant) -> (f64, f64) {
    let sun = sun_direction_ecef(at);
    (
        sun.z.asin().to_degrees(),
        super::frames::wrap_degrees(sun.y.atan2(sun.x).to_degrees()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        Instant::from_utc(text.parse().unwrap())
    }

    #[test]
    fn solstices_and_equinox() {
        let (june_lat, _) = subsolar_point_deg(at("2026-06-21T08:24:00Z"));
        assert!((june_lat - 23.44).abs() < 0.05, "{june_lat}");
        let (december_lat, _) = subsolar_point_deg(at("2026-12-21T20:50:00Z"));
        assert!((december_lat + 23.44).abs() < 0.05, "{december_lat}");
        let (march_lat, _) = subsolar_point_deg(at("2026-03-20T14:46:00Z"));
        assert!(march_lat.abs() < 0.05, "{march_lat}");
    }

    #[test]
    fn noon_at_greenwich_puts_the_sun_near_longitude_zero() {
        // Near 12:00 UTC the subsolar longitude is within the equation of time (±4.5°) of 0°.
        let (_, lon) = subsolar_point_deg(at("2026-04-15T12:00:00Z"));
        assert!(lon.abs() < 4.5, "{lon}");
        let (_, lon) = subsolar_point_deg(at("2026-04-15T18:00:00Z"));
        assert!((lon + 90.0).abs() < 4.5, "{lon}");
    }
}
