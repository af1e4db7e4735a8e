//! SGP4 for the whole catalog on every fixed tick, into flat buffers, and render-space
//! positions (the one f64 → f32 boundary) in the same pass.

use std::sync::Arc;

use super::profile::SystemProfile;
use super::{FrameSystems, SimClock, SimSystems};
use crate::catalog::Catalog;
use crate::markers::{interpolate_positions, propagate_to_render_space};
use crate::orbit::{BatchPropagator, PropagationMode, StateBuffers};
use bevy::prelude::*;

/// The joined catalog the app shows (read-only, shared).
#[derive(Resource, Debug, Clone, Deref)]
pub struct CatalogData(pub Arc<Catalog>);

/// Propagator and its output, indexed like the catalog.
#[derive(Resource, Debug)]
pub struct Propagation {
    pub propagator: BatchPropagator,
    pub states: StateBuffers,
    /// Fixed ticks run so far.
    pub ticks: u64,
}

/// Render-space positions (Earth radii, Y = north) of every object.
#[derive(Resource, Debug, Default)]
pub struct RenderPositions {
    /// What frames draw and pick: the last tick carried forward to the frame's time.
    pub world: Vec<Vec3>,
    /// False where SGP4 failed (decayed, diverged): such objects are not drawn.
    pub valid: Vec<bool>,
    /// `valid` at the tick before: only positions valid then are carried forward from it.
    pub previous_valid: Vec<bool>,
    /// Exact SGP4 positions at the last tick and the one before.
    pub tick: Vec<Vec3>,
    pub previous_tick: Vec<Vec3>,
    /// Simulated seconds between those two ticks.
    pub tick_span_s: f64,
    last_instant: Option<crate::orbit::Instant>,
    /// The simulated instant `world` shows: the last tick carried forward like the markers.
    /// Everything drawn in a frame (the Earth's rotation, the Sun, ground tracks) uses it, so
    /// that markers and the ground under them never drift apart at high warp.
    pub frame_instant: Option<crate::orbit::Instant>,
}

pub(super) fn plugin(app: &mut App, catalog: Arc<Catalog>) {
    let propagator = BatchPropagator::new(
        catalog.objects.iter().map(|object| &object.elements),
        PropagationMode::Improved,
    );
    app.insert_resource(Propagation {
        states: StateBuffers::with_len(propagator.len()),
        propagator,
        ticks: 0,
    })
    .insert_resource(CatalogData(catalog))
    .init_resource::<RenderPositions>()
    .init_resource::<SystemProfile>()
    .add_systems(FixedUpdate, propagate_catalog.in_set(SimSystems::Propagate))
    .add_systems(
        Update,
        interpolate_render_positions.in_set(FrameSystems::Interpolate),
    );
}

fn propagate_catalog(
    clock: Res<SimClock>,
    mut propagation: ResMut<Propagation>,
    mut positions: ResMut<RenderPositions>,
    mut profile: ResMut<SystemProfile>,
) {
    let started = std::time::Instant::now();
    let Propagation {
        propagator,
        states,
        ticks,
    } = &mut *propagation;
    let RenderPositions {
        tick,
        previous_tick,
        valid,
        previous_valid,
        tick_span_s,
        last_instant,
        ..
    } = &mut *positions;
    std::mem::swap(tick, previous_tick);
    std::mem::swap(valid, previous_valid);
    let now = clock.now();
    propagate_to_render_space(propagator, now, states, tick, valid);
    *ticks += 1;
    *tick_span_s = match *last_instant {
        Some(before) => now.minutes_since(before) * 60.0,
        None => f64::INFINITY,
    };
    *last_instant = Some(now);
    // SGP4 and the render-space conversion together.
    profile.record("propagate_catalog (fixed tick)", started);
}

/// Carries the last tick forward to this frame's time, so motion is smooth between ticks.
fn interpolate_render_positions(
    time: Res<Time<Fixed>>,
    mut positions: ResMut<RenderPositions>,
    mut profile: ResMut<SystemProfile>,
) {
    let started = std::time::Instant::now();
    let RenderPositions {
        world,
        tick,
        previous_tick,
        previous_valid,
        tick_span_s,
        last_instant,
        frame_instant,
        ..
    } = &mut *positions;
    let alpha = time.overstep_fraction();
    interpolate_positions(
        previous_tick,
        previous_valid,
        tick,
        alpha,
        *tick_span_s,
        world,
    );
    *frame_instant = last_instant.map(|at| {
        if tick_span_s.abs() <= crate::markers::MAX_INTERPOLATION_SPAN_S {
            at.plus_minutes(*tick_span_s * f64::from(alpha.clamp(0.0, 1.0)) / 60.0)
        } else {
            at
        }
    });
    profile.record("interpolate_render_positions (frame)", started);
}
