//! Topocentric look angles: where an object is in a site's sky.
//!
//! The chain is the project's one: TEME → Earth-fixed by GMST ([`crate::orbit::teme_to_ecef`]), the site
//! from WGS-84 geodetic coordinates ([`crate::orbit::frames::geodetic_to_ecef`]). The local
//! frame is east/north/up with "up" the ellipsoid normal, so elevations are geodetic.

use glam::DVec3;

use super::site::Site;
use crate::orbit::frames::{EARTH_ROTATION_RAD_S, teme_to_ecef_sin_cos};
use crate::orbit::{BatchPropagator, Instant, StateBuffers, gmst_rad};

/// Where an object is seen from a site, and how fast that changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LookAngles {
    /// Degrees clockwise from north, in [0, 360).
    pub azimuth_deg: f64,
    /// Degrees above the geodetic horizon, in [−90, 90].
    pub elevation_deg: f64,
    /// Slant range, km.
    pub range_km: f64,
    /// Rate of change of the range, km/s (positive: receding), as seen from the site turning
    /// with the Earth.
    pub range_rate_km_s: f64,
    /// Rate of change of the elevation, degrees per second.
    pub elevation_rate_deg_s: f64,
}

/// A TEME state (km, km/s) in the Earth-fixed frame: the position rotated by GMST, and the
/// velocity rotated with the Earth's rotation taken out (`v_ecef = R·v_teme − ω × r_ecef`).
pub fn teme_state_to_ecef(position_km: DVec3, velocity_km_s: DVec3, gmst: f64) -> (DVec3, DVec3) {
    let (sin, cos) = gmst.sin_cos();
    teme_state_to_ecef_sin_cos(position_km, velocity_km_s, sin, cos)
}

/// [`teme_state_to_ecef`] with GMST's sine and cosine given (every object at one instant).
#[inline]
pub fn teme_state_to_ecef_sin_cos(
    position_km: DVec3,
    velocity_km_s: DVec3,
    sin: f64,
    cos: f64,
) -> (DVec3, DVec3) {
    let r = teme_to_ecef_sin_cos(position_km, sin, cos);
    let omega = DVec3::new(0.0, 0.0, EARTH_ROTATION_RAD_S);
    let v = teme_to_ecef_sin_cos(velocity_km_s, sin, cos) - omega.cross(r);
    (r, v)
}

/// A site's Earth-fixed position and local east/north/up axes, computed once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteFrame {
    pub position_km: DVec3,
    pub east: DVec3,
    pub north: DVec3,
    pub up: DVec3,
}

impl SiteFrame {
    /// At a pole, "north" is the site's meridian carried on over the pole (the limit of the
    /// axes as the pole is approached along the given longitude), so azimuths stay defined:
    /// at the North Pole, azimuth 0 points towards longitude λ + 180°, 90 towards λ + 90°.
    pub fn new(site: &Site) -> Self {
        let geodetic = site.geodetic();
        let (sin_lat, cos_lat) = geodetic.latitude_rad.sin_cos();
        let (sin_lon, cos_lon) = geodetic.longitude_rad.sin_cos();
        Self {
            position_km: site.ecef_km(),
            east: DVec3::new(-sin_lon, cos_lon, 0.0),
            north: DVec3::new(-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat),
            up: DVec3::new(cos_lat * cos_lon, cos_lat * sin_lon, sin_lat),
        }
    }

    /// Look angles of an Earth-fixed state (km, km/s).
    pub fn look_ecef(&self, position_km: DVec3, velocity_km_s: DVec3) -> LookAngles {
        let rho = position_km - self.position_km;
        let range_km = rho.length();
        let (e, n, u) = (rho.dot(self.east), rho.dot(self.north), rho.dot(self.up));
        let horizontal = e.hypot(n);
        let elevation = u.atan2(horizontal);
        let mut azimuth_deg = e.atan2(n).to_degrees();
        if azimuth_deg < 0.0 {
            azimuth_deg += 360.0;
        }
        if azimuth_deg >= 360.0 {
            azimuth_deg -= 360.0;
        }
        let range_rate_km_s = rho.dot(velocity_km_s) / range_km;
        // d/dt atan2(u, h) = (u̇ h − u ḣ) / ρ², with ḣ = (e ė + n ṅ) / h (0 at the zenith).
        let u_dot = velocity_km_s.dot(self.up);
        let h_dot = if horizontal > 0.0 {
            (e * velocity_km_s.dot(self.east) + n * velocity_km_s.dot(self.north)) / horizontal
        } else {
            0.0
        };
        let elevation_rate = (u_dot * horizontal - u * h_dot) / (range_km * range_km);
        LookAngles {
            azimuth_deg,
            elevation_deg: elevation.to_degrees(),
            range_km,
            range_rate_km_s,
            elevation_rate_deg_s: elevation_rate.to_degrees(),
        }
    }

    /// Sine of the elevation of an Earth-fixed position (no trigonometry).
    pub fn sin_elevation(&self, position_km: DVec3) -> f64 {
        let rho = position_km - self.position_km;
        rho.dot(self.up) / rho.length()
    }
}

/// Look angles of a TEME state (km, km/s) at `at` from `site`.
pub fn look_angles(
    site: &SiteFrame,
    position_km: [f64; 3],
    velocity_km_s: [f64; 3],
    at: Instant,
) -> LookAngles {
    let (r, v) = teme_state_to_ecef(
        DVec3::from_array(position_km),
        DVec3::from_array(velocity_km_s),
        gmst_rad(at),
    );
    site.look_ecef(r, v)
}

/// Look angles of every object of a batch at `at` from one site (`None` where SGP4 failed):
/// one vectorised propagation on all cores, then the angles on all cores.
pub fn look_batch(
    propagator: &mut BatchPropagator,
    states: &mut StateBuffers,
    site: &SiteFrame,
    at: Instant,
) -> Vec<Option<LookAngles>> {
    use rayon::prelude::*;
    propagator.propagate_into(at, states);
    let gmst = gmst_rad(at);
    let states = &*states;
    (0..states.len())
        .into_par_iter()
        .with_min_len(1024)
        .map(|index| {
            states.failures[index].is_none().then(|| {
                let (r, v) = teme_state_to_ecef(
                    DVec3::from_array(states.positions_km[index]),
                    DVec3::from_array(states.velocities_km_s[index]),
                    gmst,
                );
                site.look_ecef(r, v)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::frames::{Geodetic, ecef_to_teme, geodetic_to_ecef};

    fn site(lat: f64, lon: f64, height_m: f64) -> SiteFrame {
        SiteFrame::new(&Site::new("", lat, lon, height_m).unwrap())
    }

    fn above(lat: f64, lon: f64, height_km: f64) -> DVec3 {
        geodetic_to_ecef(&Geodetic {
            latitude_rad: lat.to_radians(),
            longitude_rad: lon.to_radians(),
            altitude_km: height_km,
        })
    }

    #[test]
    fn straight_overhead_is_elevation_90_at_the_height_difference() {
        for (lat, lon) in [(51.48, 0.0), (0.0, 0.0), (-33.9, 18.4), (69.6, 18.9)] {
            let frame = site(lat, lon, 50.0);
            let look = frame.look_ecef(above(lat, lon, 500.0), DVec3::ZERO);
            assert!((look.elevation_deg - 90.0).abs() < 1e-9, "{look:?}");
            assert!((look.range_km - 499.95).abs() < 1e-6, "{look:?}");
        }
    }

    #[test]
    fn due_north_and_due_east_on_the_horizon() {
        // On the equator at longitude 0: up is +x, north +z, east +y.
        let frame = site(0.0, 0.0, 0.0);
        let north = frame.look_ecef(DVec3::new(6378.137, 0.0, 1000.0), DVec3::ZERO);
        assert!(north.elevation_deg.abs() < 1e-9, "{north:?}");
        assert!(
            north.azimuth_deg.abs() < 1e-9 || (north.azimuth_deg - 360.0).abs() < 1e-9,
            "{north:?}"
        );
        let east = frame.look_ecef(DVec3::new(6378.137, 2000.0, 0.0), DVec3::ZERO);
        assert!((east.azimuth_deg - 90.0).abs() < 1e-9, "{east:?}");
        assert!(east.elevation_deg.abs() < 1e-9);
        // 45° up to the west: as far out as up.
        let west = frame.look_ecef(DVec3::new(6378.137 + 100.0, -100.0, 0.0), DVec3::ZERO);
        assert!((west.azimuth_deg - 270.0).abs() < 1e-9, "{west:?}");
        assert!((west.elevation_deg - 45.0).abs() < 1e-9, "{west:?}");
    }

    #[test]
    fn antimeridian_site_sees_both_sides_by_azimuth() {
        // 179.9 E and −180 are the same meridian region; objects east and west of it.
        for lon in [179.9, 180.0, -180.0, 359.9] {
            let frame = site(10.0, lon, 0.0);
            let east = frame.look_ecef(above(10.0, lon + 5.0, 800.0), DVec3::ZERO);
            let west = frame.look_ecef(above(10.0, lon - 5.0, 800.0), DVec3::ZERO);
            assert!(
                (east.azimuth_deg - 90.0).abs() < 2.0,
                "{lon}: east {east:?}"
            );
            assert!(
                (west.azimuth_deg - 270.0).abs() < 2.0,
                "{lon}: west {west:?}"
            );
            assert!((east.elevation_deg - west.elevation_deg).abs() < 1e-6);
        }
    }

    #[test]
    fn pole_site_has_defined_azimuths_along_its_meridian() {
        let frame = site(90.0, 30.0, 0.0);
        let overhead = frame.look_ecef(above(90.0, 0.0, 400.0), DVec3::ZERO);
        assert!((overhead.elevation_deg - 90.0).abs() < 1e-6);
        // Looking down the meridian 30 + 180 = 210 E is "north" by convention; 30 E is south,
        // 120 E is east.
        let north = frame.look_ecef(above(80.0, 210.0 - 360.0, 400.0), DVec3::ZERO);
        let south = frame.look_ecef(above(80.0, 30.0, 400.0), DVec3::ZERO);
        let east = frame.look_ecef(above(80.0, 120.0, 400.0), DVec3::ZERO);
        assert!(north.azimuth_deg < 1e-6 || north.azimuth_deg > 360.0 - 1e-6);
        assert!((south.azimuth_deg - 180.0).abs() < 1e-6, "{south:?}");
        assert!((east.azimuth_deg - 90.0).abs() < 1e-6, "{east:?}");
        // The South Pole: north is along the meridian, as everywhere.
        let frame = site(-90.0, 0.0, 0.0);
        let look = frame.look_ecef(above(-80.0, 0.0, 400.0), DVec3::ZERO);
        assert!(look.azimuth_deg < 1e-6 || look.azimuth_deg > 360.0 - 1e-6);
        assert!(look.elevation_deg > 0.0);
    }

    #[test]
    fn an_object_fixed_over_the_earth_has_no_range_rate() {
        // A geostationary point given in TEME with the velocity of the turning Earth.
        let at = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
        let gmst = gmst_rad(at);
        let ecef = above(0.0, -75.0, 35_786.0);
        let omega = DVec3::new(0.0, 0.0, EARTH_ROTATION_RAD_S);
        let teme = ecef_to_teme(ecef, gmst);
        let velocity = omega.cross(teme);
        let frame = site(40.0, -75.0, 0.0);
        let look = look_angles(&frame, teme.to_array(), velocity.to_array(), at);
        assert!(look.range_rate_km_s.abs() < 1e-9, "{look:?}");
        assert!(look.elevation_rate_deg_s.abs() < 1e-12, "{look:?}");
        assert!((look.azimuth_deg - 180.0).abs() < 1e-9, "{look:?}");
        // Moving straight away from the site at 1 km/s (in ECEF terms).
        let away = (ecef - frame.position_km).normalize();
        let moving = velocity + ecef_to_teme(away, gmst);
        let look = look_angles(&frame, teme.to_array(), moving.to_array(), at);
        assert!((look.range_rate_km_s - 1.0).abs() < 1e-9, "{look:?}");
    }

    #[test]
    fn elevation_rate_matches_a_finite_difference() {
        let frame = site(51.48, 0.0, 50.0);
        let r = above(48.0, 3.0, 500.0);
        let v = DVec3::new(1.3, -6.2, 3.9);
        let dt = 1e-3;
        let a = frame.look_ecef(r - v * dt, v);
        let b = frame.look_ecef(r + v * dt, v);
        let mid = frame.look_ecef(r, v);
        let numeric = (b.elevation_deg - a.elevation_deg) / (2.0 * dt);
        assert!(
            (numeric - mid.elevation_rate_deg_s).abs() < 1e-6,
            "{numeric} vs {mid:?}"
        );
        let numeric_range = (b.range_km - a.range_km) / (2.0 * dt);
        assert!((numeric_range - mid.range_rate_km_s).abs() < 1e-6);
    }
}
