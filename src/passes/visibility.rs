//! Whether a pass can be seen by eye: the object in sunlight while the site is dark.
//!
//! Earth's shadow is modelled as a **cylindrical umbra** of the WGS-84 equatorial radius
//! along the Sun's direction (no penumbra, no atmospheric refraction): at LEO the true
//! umbra's cone narrows the shadow by ~0.01° of arc from the axis per 1000 km, and the
//! penumbra lasts ~8 s, both far below what "visible" means here.

use glam::DVec3;
use serde::{Deserialize, Serialize};

use super::look::SiteFrame;
use crate::orbit::Instant;
use crate::orbit::frames::WGS84_A_KM;
use crate::orbit::sun::sun_direction_ecef;

/// Default Sun elevation below which a site is dark enough (civil twilight's end), degrees.
pub const DEFAULT_SUN_BELOW_DEG: f64 = -6.0;

/// When a site counts as dark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Darkness {
    /// The site is dark while the Sun's elevation is below this, degrees.
    pub sun_below_deg: f64,
}

impl Default for Darkness {
    fn default() -> Self {
        Self {
            sun_below_deg: DEFAULT_SUN_BELOW_DEG,
        }
    }
}

impl Darkness {
    pub fn is_dark(&self, sun_elevation_deg: f64) -> bool {
        sun_elevation_deg < self.sun_below_deg
    }
}

/// True when an Earth-fixed position (km) is outside the Earth's cylindrical shadow, the
/// Sun being along the unit vector `sun` (same frame).
pub fn is_sunlit(position_km: DVec3, sun: DVec3) -> bool {
    let along = position_km.dot(sun);
    along >= 0.0 || (position_km - sun * along).length_squared() >= WGS84_A_KM * WGS84_A_KM
}

/// The Sun's elevation at a site, degrees (geodetic horizon, the Sun at infinity: its
/// parallax of 0.0024° is ignored, as is refraction).
pub fn sun_elevation_deg(site: &SiteFrame, sun: DVec3) -> f64 {
    sun.dot(site.up).clamp(-1.0, 1.0).asin().to_degrees()
}

/// The Sun's elevation at a site at `at`, degrees.
pub fn sun_elevation_at(site: &SiteFrame, at: Instant) -> f64 {
    sun_elevation_deg(site, sun_direction_ecef(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::site::Site;

    #[test]
    fn shadow_is_a_cylinder_behind_the_earth() {
        let sun = DVec3::X;
        assert!(is_sunlit(DVec3::new(7000.0, 0.0, 0.0), sun), "day side");
        assert!(!is_sunlit(DVec3::new(-7000.0, 0.0, 0.0), sun), "behind");
        assert!(
            !is_sunlit(DVec3::new(-42_000.0, 6000.0, 0.0), sun),
            "far behind, inside"
        );
        assert!(
            is_sunlit(DVec3::new(-7000.0, 6400.0, 0.0), sun),
            "beside the shadow"
        );
        assert!(
            is_sunlit(DVec3::new(-1e5, 0.0, 6379.0), sun),
            "just outside"
        );
        assert!(is_sunlit(DVec3::new(0.0, 6500.0, 0.0), sun), "terminator");
    }

    #[test]
    fn sun_elevation_and_darkness() {
        let frame = SiteFrame::new(&Site::new("", 0.0, 0.0, 0.0).unwrap());
        assert!((sun_elevation_deg(&frame, DVec3::X) - 90.0).abs() < 1e-9);
        assert!((sun_elevation_deg(&frame, -DVec3::X) + 90.0).abs() < 1e-9);
        let low = DVec3::new(-(7f64.to_radians().sin()), 7f64.to_radians().cos(), 0.0);
        let elevation = sun_elevation_deg(&frame, low);
        assert!((elevation + 7.0).abs() < 1e-9);
        assert!(Darkness::default().is_dark(elevation));
        assert!(!Darkness::default().is_dark(-5.0));
        assert!(
            Darkness {
                sun_below_deg: -12.0
            }
            .is_dark(-12.5)
        );
        // Greenwich at midnight UTC in August: the Sun is well down; at noon well up.
        let greenwich = SiteFrame::new(&Site::new("", 51.48, 0.0, 0.0).unwrap());
        let midnight = Instant::from_utc("2026-08-22T00:00:00Z".parse().unwrap());
        let noon = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
        assert!(sun_elevation_at(&greenwich, midnight) < -20.0);
        let high = sun_elevation_at(&greenwich, noon);
        // 90 − 51.48 + 11.5 (the declination on 22 August) ≈ 50°.
        assert!((high - 50.0).abs() < 1.5, "{high}");
    }
}
