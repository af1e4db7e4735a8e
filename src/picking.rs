//! Screen-space picking, without Bevy: the nearest marker to the cursor within a few pixels
//! that the Earth does not hide.

use glam::{Mat4, Vec2, Vec3};

use crate::orbit::frames::WGS84_A_KM;

/// Polar radius over equatorial radius (WGS-84), for the occlusion test in render space.
const POLAR_SCALE: f32 = (6_356.752_314_245 / WGS84_A_KM) as f32;

/// A camera as picking needs it.
#[derive(Debug, Clone, Copy)]
pub struct PickCamera {
    /// Clip-from-world (projection × view).
    pub clip_from_world: Mat4,
    pub position: Vec3,
    /// Viewport size in logical pixels (the cursor's units).
    pub viewport: Vec2,
}

impl PickCamera {
    /// Screen position (pixels, origin top-left) of a world point, if it is in front.
    pub fn project(&self, world: Vec3) -> Option<Vec2> {
        let clip = self.clip_from_world * world.extend(1.0);
        if clip.w <= 0.0 {
            return None;
        }
        let ndc = clip.truncate() / clip.w;
        Some(Vec2::new(
            (ndc.x + 1.0) * 0.5 * self.viewport.x,
            (1.0 - ndc.y) * 0.5 * self.viewport.y,
        ))
    }
}

/// True when the Earth (ellipsoid of equatorial radius 1 in render space) lies on the segment
/// from the camera to the point.
pub fn occluded_by_earth(camera: Vec3, point: Vec3) -> bool {
    // Scale y so that the ellipsoid becomes the unit sphere.
    let squash = Vec3::new(1.0, 1.0 / POLAR_SCALE, 1.0);
    let origin = camera * squash;
    let target = point * squash;
    let direction = target - origin;
    let length = direction.length();
    if length <= f32::EPSILON {
        return false;
    }
    let direction = direction / length;
    let b = origin.dot(direction);
    let c = origin.length_squared() - 1.0;
    let discriminant = b * b - c;
    if discriminant < 0.0 {
        return false;
    }
    let near = -b - discriminant.sqrt();
    // A hit strictly between camera and point (with a small margin for objects on the surface).
    near > 0.0 && near < length - 1e-4
}

/// The index (in iteration order of `points`) of the visible point nearest to `cursor`,
/// within `radius_px`.
pub fn pick_nearest(
    camera: &PickCamera,
    points: impl IntoIterator<Item = Vec3>,
    cursor: Vec2,
    radius_px: f32,
) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (index, point) in points.into_iter().enumerate() {
        let Some(screen) = camera.project(point) else {
            continue;
        };
        let distance = screen.distance_squared(cursor);
        if distance > radius_px * radius_px || best.is_some_and(|(_, d)| d <= distance) {
            continue;
        }
        if occluded_by_earth(camera.position, point) {
            continue;
        }
        best = Some((index, distance));
    }
    best.map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camera_on_z(distance: f32) -> PickCamera {
        let position = Vec3::new(0.0, 0.0, distance);
        let view = Mat4::look_at_rh(position, Vec3::ZERO, Vec3::Y);
        let projection = Mat4::perspective_rh(45f32.to_radians(), 1.0, 0.01, 1000.0);
        PickCamera {
            clip_from_world: projection * view,
            position,
            viewport: Vec2::new(800.0, 800.0),
        }
    }

    #[test]
    fn projection_puts_the_centre_in_the_middle() {
        let camera = camera_on_z(5.0);
        let centre = camera.project(Vec3::ZERO).unwrap();
        assert!((centre - Vec2::new(400.0, 400.0)).length() < 1e-3);
        assert!(
            camera.project(Vec3::new(0.0, 0.0, 10.0)).is_none(),
            "behind the camera"
        );
        let above = camera.project(Vec3::new(0.0, 1.0, 0.0)).unwrap();
        assert!(above.y < 400.0, "screen y grows downwards");
    }

    #[test]
    fn earth_hides_what_is_behind_it() {
        let camera = Vec3::new(0.0, 0.0, 5.0);
        assert!(occluded_by_earth(camera, Vec3::new(0.0, 0.0, -1.1)));
        assert!(!occluded_by_earth(camera, Vec3::new(0.0, 0.0, 1.1)));
        assert!(
            !occluded_by_earth(camera, Vec3::new(1.5, 0.0, -0.5)),
            "beside the limb"
        );
        assert!(
            !occluded_by_earth(camera, Vec3::new(0.0, 0.0, 1.0)),
            "on the surface facing us"
        );
    }

    #[test]
    fn picks_the_nearest_visible_point_within_the_radius() {
        let camera = camera_on_z(5.0);
        let front = Vec3::new(0.0, 0.0, 1.2);
        let back = Vec3::new(0.0, 0.0, -1.2);
        let side = Vec3::new(0.3, 0.0, 1.2);
        let cursor = camera.project(front).unwrap() + Vec2::new(1.0, 0.0);
        assert_eq!(
            pick_nearest(&camera, [back, side, front], cursor, 6.0),
            Some(2)
        );
        // Only the hidden one is under the cursor: nothing is picked.
        assert_eq!(pick_nearest(&camera, [back], cursor, 6.0), None);
        let far_cursor = cursor + Vec2::new(50.0, 0.0);
        assert_eq!(pick_nearest(&camera, [front], far_cursor, 6.0), None);
    }
}
