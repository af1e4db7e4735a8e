//! SGP4 for the whole catalog on every fixed tick, into flat buffers, then render-space
//! positions (the one f64 → f32 boundary).

use std::sync::Arc;

use super::profile::SystemProfile;
use super::{SimClock, SimSystems};
use crate::catalog::Catalog;
use crate::markers::world_positions;
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

/// Render-space positions (Earth radii, Y = north) of every object at the last tick.
#[derive(Resource, Debug, Default)]
pub struct RenderPositions {
    pub world: Vec<Vec3>,
    /// False where SGP4 failed (decayed, diverged): such objects are not drawn.
    pub valid: Vec<bool>,
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
    .add_systems(
        FixedUpdate,
        (
            propagate_catalog.in_set(SimSystems::Propagate),
            derive_render_positions.in_set(SimSystems::Derive),
        ),
    );
}

fn propagate_catalog(
    clock: Res<SimClock>,
    mut propagation: ResMut<Propagation>,
    mut profile: ResMut<SystemProfile>,
) {
    let started = std::time::Instant::now();
    let Propagation {
        propagator,
        states,
        ticks,
    } = &mut *propagation;
    propagator.propagate_into(clock.now(), states);
    *ticks += 1;
    profile.record("propagate_catalog (fixed tick)", started);
}

fn derive_render_positions(
    propagation: Res<Propagation>,
    mut positions: ResMut<RenderPositions>,
    mut profile: ResMut<SystemProfile>,
) {
    let started = std::time::Instant::now();
    let RenderPositions { world, valid } = &mut *positions;
    world_positions(&propagation.states, world, valid);
    profile.record("derive_render_positions (fixed tick)", started);
}
