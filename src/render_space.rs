//! Render space, without Bevy: TEME (inertial) and Earth-fixed coordinates in the axes the
//! renderer uses (Y = the Earth's axis, as Bevy is Y-up), in equatorial Earth radii, where f32
//! keeps sub-metre precision. This is the one f64 → f32 boundary, and the one place the axes
//! are swapped.

use glam::{DVec3, Quat, Vec3};

use crate::orbit::frames::{Geodetic, WGS84_A_KM, geodetic_to_ecef};
use crate::orbit::sun::sun_direction_teme;
use crate::orbit::{Instant, gmst_rad};

/// A frame's (x, y, z) in km as render axes (x, z, −y) in Earth radii.
fn render_axes(km: DVec3) -> Vec3 {
    let scaled = km / WGS84_A_KM;
    Vec3::new(scaled.x as f32, scaled.z as f32, -scaled.y as f32)
}

/// A TEME position (km) in render space.
pub fn world_from_teme_km(teme_km: DVec3) -> Vec3 {
    render_axes(teme_km)
}

/// The inverse of [`world_from_teme_km`].
pub fn teme_km_from_world(world: Vec3) -> DVec3 {
    DVec3::new(f64::from(world.x), -f64::from(world.z), f64::from(world.y)) * WGS84_A_KM
}

/// An Earth-fixed position (km) in Earth-fixed render axes (turned by [`earth_rotation`]).
pub fn world_axes_from_ecef_km(ecef_km: DVec3) -> Vec3 {
    render_axes(ecef_km)
}

/// A geodetic point in Earth-fixed render axes.
pub fn world_axes_from_geodetic(geodetic: &Geodetic) -> Vec3 {
    world_axes_from_ecef_km(geodetic_to_ecef(geodetic))
}

/// The Earth's orientation in render space at a sidereal angle: Earth-fixed axes rotated
/// about +Y (the pole) by GMST.
pub fn earth_rotation(gmst_rad: f64) -> Quat {
    Quat::from_rotation_y(gmst_rad as f32)
}

/// The Earth's orientation at an instant.
pub fn earth_rotation_at(at: Instant) -> Quat {
    earth_rotation(gmst_rad(at))
}

/// Unit vector towards the Sun in render space.
pub fn sun_direction_world(at: Instant) -> Vec3 {
    world_from_teme_km(sun_direction_teme(at) * 1.0e4).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_frame_is_y_up_in_earth_radii_and_invertible() {
        let north_pole = world_from_teme_km(DVec3::new(0.0, 0.0, WGS84_A_KM));
        assert_eq!(north_pole, Vec3::Y);
        let teme_y = world_from_teme_km(DVec3::new(0.0, WGS84_A_KM, 0.0));
        assert_eq!(teme_y, -Vec3::Z);
        let geo = DVec3::new(42_164.0, -1_234.5, 17.25);
        assert!((teme_km_from_world(world_from_teme_km(geo)) - geo).length() < 0.01);
    }

    /// A point fixed on the Earth, turned by the Earth's rotation, lands where the TEME frame
    /// puts it: the inertial and Earth-fixed paths agree.
    #[test]
    fn earth_fixed_axes_turned_by_gmst_are_teme() {
        let at = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
        let ecef = DVec3::new(4000.0, 3000.0, 4500.0);
        let turned = earth_rotation_at(at) * world_axes_from_ecef_km(ecef);
        let gmst = gmst_rad(at);
        let teme = DVec3::new(
            ecef.x * gmst.cos() - ecef.y * gmst.sin(),
            ecef.x * gmst.sin() + ecef.y * gmst.cos(),
            ecef.z,
        );
        assert!((turned - world_from_teme_km(teme)).length() < 1e-5);
    }
}
