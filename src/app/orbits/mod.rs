//! Every shown object's orbit in ONE instanced draw call. This file is the main-world side:
//! which orbits are wanted (a setting a scenario stores) and the instances, taken from the
//! propagated states when the filter, the colours or the setting change and as the clock moves
//! (at most once per simulated minute: `orbit_lines::ORBIT_REFRESH_S`). `render.rs` is the render-world
//! side: the strip mesh, the shader and the copy of the instances.

mod render;

use bevy::camera::visibility::NoFrustumCulling;
use bevy::prelude::*;

use super::instanced::DrawStats;
use super::markers::MarkerStyle;
use super::profile::SystemProfile;
use super::propagation::Propagation;
use crate::orbit::Instant;
use crate::orbit_lines::{DEFAULT_ORBIT_OPACITY, ORBIT_SEGMENTS, OrbitInstance};
use crate::orbit_lines::{orbits_need_refresh, pack_orbit_instances};
use crate::scenario::OrbitsShown;

pub use render::OrbitKind;

/// Which orbits are drawn, and how strongly (a setting a scenario stores).
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct OrbitSettings {
    pub shown: OrbitsShown,
    /// Opacity of each line of the shown objects' orbits, 0..=1.
    pub opacity: f32,
}

impl Default for OrbitSettings {
    fn default() -> Self {
        Self {
            shown: OrbitsShown::default(),
            opacity: DEFAULT_ORBIT_OPACITY,
        }
    }
}

/// The orbit instances of the shown objects, and what they were taken for.
#[derive(Resource, Debug, Default)]
pub struct OrbitInstances {
    pub instances: Vec<OrbitInstance>,
    /// The catalog row of each instance.
    pub rows: Vec<u32>,
    /// Bumped whenever `instances` change: the render world copies them only then.
    pub version: u64,
    /// The propagated instant and the (settings, style generation) the instances show.
    taken: Option<(Instant, (OrbitSettings, u64))>,
    /// How long the last refresh took, ms.
    pub last_refresh_ms: f64,
}

impl OrbitInstances {
    /// True while every shown object's orbit is wanted but not yet taken (a screenshot waits).
    pub fn waiting(&self, settings: &OrbitSettings) -> bool {
        settings.shown == OrbitsShown::All && self.taken.is_none()
    }
}

/// Orbit draw calls, instances and rendered frames, as the render world counted them.
pub type OrbitDrawStats = DrawStats<OrbitKind>;

/// The entity that carries the orbits' strip mesh.
#[derive(Component, Clone, Copy, Default)]
pub struct OrbitBatch;

pub(super) fn plugin(app: &mut App) {
    let stats = OrbitDrawStats::default();
    app.init_resource::<OrbitSettings>()
        .init_resource::<OrbitInstances>()
        .insert_resource(stats.clone())
        .add_systems(Startup, spawn_orbit_batch)
        .add_systems(
            Update,
            refresh_orbit_instances.in_set(super::FrameSystems::Present),
        );
    render::plugin(app, stats);
}

fn spawn_orbit_batch(mut commands: Commands, mut meshes: ResMut<Assets<Mesh>>) {
    commands.spawn((
        Name::new("Orbits"),
        Mesh3d(meshes.add(render::orbit_strip_mesh(ORBIT_SEGMENTS))),
        Transform::default(),
        OrbitBatch,
        // The strip's own vertices are sample numbers, not positions: its bounds mean nothing.
        NoFrustumCulling,
    ));
}

/// Takes the instances again when what they show changed or the propagated instant moved a
/// simulated minute (or jumped); otherwise leaves them untouched (not even marked changed).
fn refresh_orbit_instances(
    settings: Res<OrbitSettings>,
    style: Res<MarkerStyle>,
    propagation: Res<Propagation>,
    mut orbits: ResMut<OrbitInstances>,
    mut profile: ResMut<SystemProfile>,
) {
    if settings.shown != OrbitsShown::All {
        if orbits.taken.is_some() || !orbits.instances.is_empty() {
            let orbits = &mut *orbits;
            orbits.instances.clear();
            orbits.rows.clear();
            orbits.taken = None;
            orbits.version += 1;
        }
        return;
    }
    let states = &propagation.states;
    let Some(at) = states.instant else {
        return;
    };
    let wanted = (*settings, style.generation());
    let current = !orbits_need_refresh(orbits.taken.as_ref(), at, &wanted);
    // Colours and mask first: they are rebuilt for a new catalog before orbits can use them.
    if current || style.colors().len() != states.len() || style.mask().len() != states.len() {
        return;
    }
    let started = std::time::Instant::now();
    let orbits = &mut *orbits;
    pack_orbit_instances(
        states,
        style.mask(),
        style.colors(),
        settings.opacity,
        &mut orbits.instances,
        &mut orbits.rows,
    );
    orbits.taken = Some((at, wanted));
    orbits.version += 1;
    orbits.last_refresh_ms = started.elapsed().as_secs_f64() * 1e3;
    profile.record("refresh_orbit_instances", started);
}
