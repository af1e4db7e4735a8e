//! The selected object's orbit (one period, inertial, from now; hidden when orbits are off) and
//! ground track (one period, drawn on the rotating Earth).

use bevy::prelude::*;

use super::{CatalogData, Propagation, Selection, SimClock};
use crate::orbit::Instant;
use crate::orbit::frames::Geodetic;
use crate::orbit::tracks::{ground_track, orbit_path_teme, period_minutes};
use crate::render_space::{earth_rotation_at, world_axes_from_geodetic, world_from_teme_km};

const SAMPLES: usize = 256;

/// Paths of the selected object, recomputed when the selection changes or time moves on.
#[derive(Resource, Debug, Default)]
pub struct SelectedPaths {
    object: Option<usize>,
    computed_at: Option<Instant>,
    /// Render space.
    orbit: Vec<Vec3>,
    /// Earth-fixed render axes, lifted slightly above the surface.
    ground: Vec<Vec3>,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SelectedPaths>().add_systems(
        Update,
        (update_paths, draw_paths)
            .chain()
            .in_set(super::FrameSystems::Present),
    );
}

fn update_paths(
    selection: Res<Selection>,
    clock: Res<SimClock>,
    catalog: Res<CatalogData>,
    propagation: Res<Propagation>,
    mut paths: ResMut<SelectedPaths>,
) {
    let Some(index) = selection.selected else {
        *paths = SelectedPaths::default();
        return;
    };
    let Some(object) = catalog.objects.get(index) else {
        return;
    };
    let now = clock.now();
    let period = period_minutes(object.elements.mean_motion);
    // Recompute after a fiftieth of a period of simulated time, or on a new selection.
    let fresh = paths.object == Some(index)
        && paths
            .computed_at
            .is_some_and(|at| now.minutes_since(at).abs() < period / 50.0);
    if fresh {
        return;
    }
    let propagator = &propagation.propagator;
    paths.orbit = orbit_path_teme(propagator, index, now, period, SAMPLES)
        .into_iter()
        .map(world_from_teme_km)
        .collect();
    paths.ground = ground_track(propagator, index, now, period, SAMPLES)
        .into_iter()
        .map(|(_, point)| {
            world_axes_from_geodetic(&Geodetic {
                altitude_km: 15.0,
                ..point
            })
        })
        .collect();
    paths.object = Some(index);
    paths.computed_at = Some(now);
}

fn draw_paths(
    paths: Res<SelectedPaths>,
    clock: Res<SimClock>,
    positions: Res<super::RenderPositions>,
    orbits: Res<super::OrbitSettings>,
    mut gizmos: Gizmos,
) {
    if paths.object.is_none() {
        return;
    }
    // Drawn over every shown object's ellipse when those are on: this one is exact SGP4.
    if orbits.shown != crate::scenario::OrbitsShown::Off {
        gizmos.linestrip(paths.orbit.iter().copied(), Color::srgb(1.0, 0.9, 0.3));
    }
    let frame_instant = positions.frame_instant.unwrap_or_else(|| clock.now());
    let rotation = earth_rotation_at(frame_instant);
    gizmos.linestrip(
        paths.ground.iter().map(|&point| rotation * point),
        Color::srgb(0.3, 1.0, 0.8),
    );
}
