//! Where the camera looks from, without Bevy: angles about the Earth and a distance, so that a
//! view can be set from the command line (or a scenario) as well as by dragging.

use glam::Vec3;

use crate::orbit::Instant;
use crate::orbit::frames::Geodetic;
use crate::render_space::{earth_rotation_at, sun_direction_world, world_axes_from_geodetic};

/// A camera looking at the Earth's centre from a direction and a distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraView {
    /// Angle about the pole (radians) and elevation above the equator (radians).
    pub yaw: f32,
    pub pitch: f32,
    /// Distance from the Earth's centre, Earth radii.
    pub distance: f32,
}

/// The distance of the default view, Earth radii.
pub const DEFAULT_DISTANCE: f32 = 4.5;

/// How far above a close approach its frame is taken (Earth radii, about 2 200 km): with the
/// 35° field of view that shows some 1 400 km around the pair, a few minutes of each orbit.
pub const PAIR_VIEW_HEIGHT: f32 = 0.35;

impl Default for CameraView {
    fn default() -> Self {
        Self {
            yaw: 0.6,
            pitch: 0.35,
            distance: DEFAULT_DISTANCE,
        }
    }
}

impl CameraView {
    /// Looking straight down at a geodetic point at `at`, from `distance` Earth radii.
    pub fn above(latitude_deg: f64, longitude_deg: f64, distance: f32, at: Instant) -> Self {
        let fixed = world_axes_from_geodetic(&Geodetic {
            latitude_rad: latitude_deg.to_radians(),
            longitude_rad: longitude_deg.to_radians(),
            altitude_km: 0.0,
        });
        Self::facing(earth_rotation_at(at) * fixed, distance)
    }

    /// Looking at the Earth's centre along `direction` (render space).
    pub fn facing(direction: Vec3, distance: f32) -> Self {
        let direction = direction.normalize_or(Vec3::X);
        Self {
            yaw: direction.x.atan2(direction.z),
            pitch: direction.y.clamp(-1.0, 1.0).asin(),
            distance,
        }
    }

    /// Above the middle of two nearby objects (render space, Earth radii), close enough that
    /// the pair and the arcs of their orbits fill the view: a close approach's frame.
    pub fn framing_pair(first: Vec3, second: Vec3) -> Self {
        let middle = (first + second) / 2.0;
        Self::facing(middle, (middle.length() + PAIR_VIEW_HEIGHT).min(60.0))
    }

    /// The default view at `at`: the day side, with the Sun over the viewer's shoulder and the
    /// evening terminator in sight, from slightly north of the subsolar point.
    pub fn lit(at: Instant) -> Self {
        let mut view = Self::facing(sun_direction_world(at), DEFAULT_DISTANCE);
        view.yaw += 0.6;
        view.pitch = (view.pitch + 0.35).clamp(-1.2, 1.2);
        view
    }

    /// The geodetic point straight below the camera at `at`: (latitude, longitude) in degrees,
    /// the inverse of [`Self::above`] (a scenario saves the view this way).
    pub fn looking_down_at(&self, at: Instant) -> (f64, f64) {
        let fixed = earth_rotation_at(at).inverse() * self.position().normalize_or(Vec3::X);
        // Render axes → ECEF directions, then the surface point along them.
        let direction =
            glam::DVec3::new(f64::from(fixed.x), -f64::from(fixed.z), f64::from(fixed.y));
        // Where the ray from the centre meets the WGS-84 ellipsoid.
        const A_KM: f64 = 6_378.137;
        const B_KM: f64 = 6_356.752_314_245;
        let radius = 1.0
            / ((direction.x.powi(2) + direction.y.powi(2)) / (A_KM * A_KM)
                + direction.z.powi(2) / (B_KM * B_KM))
                .sqrt();
        let surface = crate::orbit::frames::ecef_to_geodetic(direction * radius);
        (surface.latitude_deg(), surface.longitude_deg())
    }

    /// Camera position in render space.
    pub fn position(&self) -> Vec3 {
        Vec3::new(
            self.pitch.cos() * self.yaw.sin(),
            self.pitch.sin(),
            self.pitch.cos() * self.yaw.cos(),
        ) * self.distance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_is_framed_from_above_its_middle() {
        let (a, b) = (Vec3::new(0.0, 0.6, 0.9), Vec3::new(0.001, 0.6, 0.9));
        let view = CameraView::framing_pair(a, b);
        let middle = (a + b) / 2.0;
        let camera = view.position();
        assert!(camera.normalize().dot(middle.normalize()) > 0.999_99);
        assert!((camera.length() - middle.length() - PAIR_VIEW_HEIGHT).abs() < 1e-4);
    }

    #[test]
    fn the_point_below_the_camera_round_trips() {
        let at = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
        for (lat, lon) in [
            (0.0, 0.0),
            (51.5, -0.1),
            (-33.9, 151.2),
            (78.2, 15.6),
            (-60.0, -170.0),
        ] {
            let view = CameraView::above(lat, lon, 4.0, at);
            let (back_lat, back_lon) = view.looking_down_at(at);
            assert!((back_lat - lat).abs() < 0.01, "{lat}: {back_lat}");
            assert!((back_lon - lon).abs() < 0.01, "{lon}: {back_lon}");
        }
    }

    #[test]
    fn facing_a_direction_puts_the_camera_on_it() {
        for direction in [Vec3::X, Vec3::Y * 0.5 + Vec3::Z, Vec3::new(-1.0, -0.3, 0.2)] {
            let view = CameraView::facing(direction, 3.0);
            let expected = direction.normalize() * 3.0;
            assert!((view.position() - expected).length() < 1e-5, "{direction}");
        }
    }

    #[test]
    fn the_default_view_shows_the_day_side() {
        let at = Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
        let view = CameraView::lit(at);
        let towards_sun = view.position().normalize().dot(sun_direction_world(at));
        assert!(
            towards_sun > 0.6,
            "the camera is on the lit side: {towards_sun}"
        );
        assert!(
            towards_sun < 0.99,
            "with the terminator in sight: {towards_sun}"
        );
        // Above a point, the camera looks down on it (ISS subpoint at that instant).
        let above = CameraView::above(-2.35, 179.22, 3.0, at);
        let nadir = earth_rotation_at(at)
            * world_axes_from_geodetic(&Geodetic {
                latitude_rad: (-2.35f64).to_radians(),
                longitude_rad: 179.22f64.to_radians(),
                altitude_km: 0.0,
            });
        assert!(above.position().normalize().dot(nadir.normalize()) > 0.9999);
    }
}
