//! Click a marker to select it; hovering shows its name; Escape clears. The maths is in the
//! pure `crate::picking`; this layer reads the camera and the cursor.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::egui_wants_any_pointer_input;

use super::{MarkerInstances, RenderPositions};
use crate::picking::{PickCamera, pick_nearest};

/// How far from a marker (pixels) a click or hover still counts.
const PICK_RADIUS_PX: f32 = 8.0;

/// What is selected and hovered (catalog rows).
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub selected: Option<usize>,
    /// Selected with it: the other object of a close approach (highlighted the same way).
    pub companion: Option<usize>,
    pub hovered: Option<usize>,
}

impl Selection {
    /// Selects one object alone.
    pub fn select(&mut self, index: Option<usize>) {
        self.selected = index;
        self.companion = None;
    }

    /// The rows drawn highlighted: the selection, then its companion.
    pub fn highlighted(&self) -> [Option<usize>; 2] {
        [self.selected, self.companion]
    }
}

/// Hovering is re-evaluated when the pointer moves, on a click, or at this interval while it
/// rests (objects move under a still pointer); projecting 100k markers every frame is not free.
const HOVER_REFRESH: std::time::Duration = std::time::Duration::from_millis(100);

/// When and where hovering was last evaluated.
#[derive(Debug, Default)]
struct LastHover {
    cursor: Option<Vec2>,
    at: Option<std::time::Instant>,
}

/// Where the left button went down, to tell a click from a drag.
#[derive(Resource, Debug, Default)]
struct PressOrigin(Option<Vec2>);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Selection>()
        .init_resource::<PressOrigin>()
        .add_systems(
            Update,
            hover_and_select
                .run_if(not(egui_wants_any_pointer_input))
                .in_set(super::FrameSystems::Present),
        );
}

fn pick_camera(camera: &Camera, transform: &GlobalTransform) -> Option<PickCamera> {
    Some(PickCamera {
        clip_from_world: camera.clip_from_view() * transform.affine().inverse(),
        position: transform.translation(),
        viewport: camera.logical_viewport_size()?,
    })
}

fn hover_and_select(
    windows: Query<&Window, With<PrimaryWindow>>,
    cameras: Query<(&Camera, &GlobalTransform)>,
    buttons: Res<ButtonInput<MouseButton>>,
    positions: Res<RenderPositions>,
    markers: Res<MarkerInstances>,
    mut press: ResMut<PressOrigin>,
    mut selection: ResMut<Selection>,
    mut last: Local<LastHover>,
    mut profile: ResMut<super::profile::SystemProfile>,
) {
    let started = std::time::Instant::now();
    // Offscreen renders have no window and no pointer.
    let Some(cursor) = windows.single().ok().and_then(Window::cursor_position) else {
        selection.hovered = None;
        return;
    };
    let Some((camera, transform)) = cameras.iter().next() else {
        return;
    };
    let Some(pick) = pick_camera(camera, transform) else {
        return;
    };
    let released = buttons.just_released(MouseButton::Left);
    let moved = last
        .cursor
        .is_none_or(|previous| previous.distance(cursor) > 0.5);
    let stale = last.at.is_none_or(|at| at.elapsed() >= HOVER_REFRESH);
    if moved || stale || released {
        // Only what the filter shows can be picked (not failed, filtered or dimmed objects).
        let pickable = markers.pickable_rows();
        let drawn = pickable.iter().map(|&row| {
            positions
                .world
                .get(row as usize)
                .copied()
                .unwrap_or(Vec3::ZERO)
        });
        selection.hovered = pick_nearest(&pick, drawn, cursor, PICK_RADIUS_PX)
            .and_then(|index| pickable.get(index))
            .map(|&row| row as usize);
        *last = LastHover {
            cursor: Some(cursor),
            at: Some(std::time::Instant::now()),
        };
    }
    let under_cursor = selection.hovered;

    if buttons.just_pressed(MouseButton::Left) {
        press.0 = Some(cursor);
    }
    if buttons.just_released(MouseButton::Left) {
        let was_click = press
            .0
            .take()
            .is_some_and(|origin| origin.distance(cursor) < 4.0);
        if was_click && under_cursor.is_some() {
            selection.select(under_cursor);
        }
    }
    profile.record("hover_and_select (frame)", started);
}
