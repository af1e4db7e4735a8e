//! An orbit camera around the Earth: drag to rotate, wheel to zoom (smooth, clamped), keys
//! for the same, Home to reset; follows the selected object when asked (`controls`). Input
//! that egui uses is ignored. Dragging reads the cursor position, not raw mouse motion, which
//! X servers without raw input (Xvfb, VNC, many remote desktops) never deliver.

use bevy::camera::RenderTarget;
use bevy::core_pipeline::tonemapping::Tonemapping;
use bevy::input::mouse::{AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;
use bevy::render::view::Msaa;
use bevy_egui::input::{egui_wants_any_keyboard_input, egui_wants_any_pointer_input};

use super::keys::{RESET_VIEW, TURN_DOWN, TURN_LEFT, TURN_RIGHT, TURN_UP, ZOOM_IN, ZOOM_OUT};
use super::{RenderPositions, Selection};
use crate::view::CameraView;

/// Closest and farthest camera distance from the Earth's centre, in Earth radii.
const MIN_DISTANCE: f32 = 1.15;
const MAX_DISTANCE: f32 = 60.0;
const FOV_Y_DEG: f32 = 35.0;

/// The view the camera starts from, and returns to on `Home`.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Default, Deref)]
pub struct DefaultView(pub CameraView);

/// The Bevy transform of a view: at its position, looking at the Earth's centre, north up.
pub fn view_transform(view: &CameraView) -> Transform {
    Transform::from_translation(view.position()).looking_at(Vec3::ZERO, Vec3::Y)
}

/// The camera's state: where it is and where a zoom is heading.
#[derive(Component, Debug, Clone, Copy)]
pub struct OrbitCamera {
    pub view: CameraView,
    pub target_distance: f32,
    pub follow: bool,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DefaultView>()
        .add_systems(Startup, spawn_camera)
        .add_systems(
            Update,
            (
                orbit_with_mouse.run_if(not(egui_wants_any_pointer_input)),
                orbit_with_keys.run_if(not(egui_wants_any_keyboard_input)),
                follow_selection,
                apply_camera,
            )
                .chain()
                .in_set(super::FrameSystems::Present),
        );
}

fn spawn_camera(
    mut commands: Commands,
    view: Res<DefaultView>,
    offscreen: Option<Res<super::OffscreenTarget>>,
) {
    let mut camera = commands.spawn((
        Camera3d::default(),
        Projection::Perspective(PerspectiveProjection {
            fov: FOV_Y_DEG.to_radians(),
            near: 0.002,
            ..default()
        }),
        // Lavapipe renders 4× MSAA at half the frame rate; markers are round already.
        Msaa::Off,
        // No tone curve: marker colours reach the screen exactly as the palette defines them
        // (and the default curve needs a lookup-table feature this build leaves out).
        Tonemapping::None,
        view_transform(&view),
        OrbitCamera {
            view: **view,
            target_distance: view.distance,
            follow: false,
        },
        super::markers::marker_camera_components(),
    ));
    if let Some(target) = offscreen {
        camera.insert(RenderTarget::Image(target.0.clone().into()));
    }
}

fn orbit_with_mouse(
    buttons: Res<ButtonInput<MouseButton>>,
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
    scroll: Res<AccumulatedMouseScroll>,
    mut last_cursor: Local<Option<Vec2>>,
    mut cameras: Query<&mut OrbitCamera>,
) {
    let cursor = windows.single().ok().and_then(Window::cursor_position);
    let dragging = buttons.pressed(MouseButton::Left) && !buttons.just_pressed(MouseButton::Left);
    let delta = match (dragging, *last_cursor, cursor) {
        (true, Some(last), Some(now)) => now - last,
        _ => Vec2::ZERO,
    };
    *last_cursor = if buttons.pressed(MouseButton::Left) {
        cursor
    } else {
        None
    };
    for mut camera in &mut cameras {
        if delta != Vec2::ZERO {
            // Slower rotation when close, so the ground moves under the cursor at a sane rate.
            let speed = 0.005 * (camera.view.distance - 1.0).clamp(0.1, 3.0) / 3.0 + 0.001;
            camera.view.yaw -= delta.x * speed;
            camera.view.pitch = (camera.view.pitch + delta.y * speed).clamp(-1.54, 1.54);
            camera.follow = false;
        }
        let lines = match scroll.unit {
            MouseScrollUnit::Line => scroll.delta.y,
            MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
        };
        if lines != 0.0 {
            camera.target_distance = zoomed(camera.target_distance, lines);
        }
    }
}

/// The distance after `steps` wheel steps: multiplicative, so zoom feels the same everywhere.
fn zoomed(distance: f32, steps: f32) -> f32 {
    let altitude = (distance - 1.0).max(0.01) * 0.85f32.powf(steps);
    (1.0 + altitude).clamp(MIN_DISTANCE, MAX_DISTANCE)
}

fn orbit_with_keys(
    keys: Res<ButtonInput<KeyCode>>,
    time: Res<Time>,
    default_view: Res<DefaultView>,
    mut cameras: Query<&mut OrbitCamera>,
) {
    let dt = time.delta_secs();
    for mut camera in &mut cameras {
        let mut turn = Vec2::ZERO;
        if keys.any_pressed(TURN_LEFT.iter().copied()) {
            turn.x -= 1.0;
        }
        if keys.any_pressed(TURN_RIGHT.iter().copied()) {
            turn.x += 1.0;
        }
        if keys.any_pressed(TURN_UP.iter().copied()) {
            turn.y += 1.0;
        }
        if keys.any_pressed(TURN_DOWN.iter().copied()) {
            turn.y -= 1.0;
        }
        if turn != Vec2::ZERO {
            camera.view.yaw += turn.x * dt;
            camera.view.pitch = (camera.view.pitch + turn.y * dt).clamp(-1.54, 1.54);
            camera.follow = false;
        }
        if keys.any_pressed(ZOOM_IN.iter().copied()) {
            camera.target_distance = zoomed(camera.target_distance, 4.0 * dt);
        }
        if keys.any_pressed(ZOOM_OUT.iter().copied()) {
            camera.target_distance = zoomed(camera.target_distance, -4.0 * dt);
        }
        if keys.any_just_pressed(RESET_VIEW.iter().copied()) {
            camera.view = **default_view;
            camera.target_distance = default_view.distance;
            camera.follow = false;
        }
    }
}

/// In follow mode the camera keeps the selected object between itself and the Earth.
fn follow_selection(
    selection: Res<Selection>,
    positions: Res<RenderPositions>,
    mut cameras: Query<&mut OrbitCamera>,
) {
    let Some(index) = selection.selected else {
        return;
    };
    let Some(&position) = positions.world.get(index) else {
        return;
    };
    for mut camera in &mut cameras {
        if camera.follow {
            let facing = CameraView::facing(position, camera.view.distance);
            camera.view.yaw = facing.yaw;
            camera.view.pitch = facing.pitch;
            camera.target_distance = camera.target_distance.max(position.length() + 0.3);
        }
    }
}

fn apply_camera(time: Res<Time>, mut cameras: Query<(&mut OrbitCamera, &mut Transform)>) {
    // Exponential approach: smooth zoom that is independent of the frame rate.
    let blend = 1.0 - (-12.0 * time.delta_secs()).exp();
    for (mut camera, mut transform) in &mut cameras {
        let distance = camera.view.distance;
        camera.view.distance = distance + (camera.target_distance - distance) * blend;
        *transform = view_transform(&camera.view);
    }
}
