//! Orbits of the filtered set: when the filter leaves at most [`MAX_FILTERED_ORBITS`] objects
//! and the option is on, every one's orbit (one period, inertial) is drawn in its marker's
//! colour — all GPS planes, the GEO belt by owner, one state's constellation. The paths are
//! computed off the frame loop (a background task) when the filter, the colours or the epoch
//! change, and drawn as one retained gizmo (one batched line draw).

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};

use super::filter::FilterChoices;
use super::markers::MarkerStyle;
use super::propagation::CatalogData;
use super::{FilterSettings, SimClock};
use crate::filter::MAX_FILTERED_ORBITS;
use crate::orbit::Instant;
use crate::orbit::tracks::orbit_paths_teme;
use crate::palette::Rgba;
use crate::render_space::world_from_teme_km;

/// Points per orbit.
const SAMPLES: usize = 128;

/// Simulated minutes after which the paths are recomputed for the new epoch (the node of a
/// LEO orbit moves ~0.3° an hour).
const RECOMPUTE_AFTER_MIN: f64 = 30.0;

/// Whether to draw the filtered set's orbits (a setting a scenario stores).
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrbitSettings {
    pub filtered_orbits: bool,
}

/// What the drawn paths were computed for, and the work in flight.
#[derive(Resource, Debug, Default)]
pub struct FilteredOrbits {
    /// The epoch and the (filter, colour) version the current paths show.
    computed: Option<(Instant, u64)>,
    version: u64,
    task: Option<Task<Computed>>,
    entity: Option<Entity>,
    /// Orbits drawn now, and how long their computation took (ms).
    pub drawn: usize,
    pub last_compute_ms: f64,
}

impl FilteredOrbits {
    /// True while paths are being computed (a screenshot waits for them).
    pub fn busy(&self) -> bool {
        self.task.is_some()
    }
}

struct Computed {
    at: Instant,
    version: u64,
    paths: Vec<(Rgba, Vec<Vec3>)>,
    millis: f64,
}

impl std::fmt::Debug for Computed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Computed")
            .field("paths", &self.paths.len())
            .finish_non_exhaustive()
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<OrbitSettings>()
        .init_resource::<FilteredOrbits>()
        .add_systems(Startup, spawn_orbit_gizmo)
        .add_systems(
            Update,
            (start_computing, finish_computing)
                .chain()
                .in_set(super::FrameSystems::Present),
        );
}

fn spawn_orbit_gizmo(
    mut commands: Commands,
    mut assets: ResMut<Assets<GizmoAsset>>,
    mut orbits: ResMut<FilteredOrbits>,
) {
    let entity = commands
        .spawn((
            Name::new("Filtered orbits"),
            Gizmo {
                handle: assets.add(GizmoAsset::new()),
                line_config: GizmoLineConfig {
                    width: 1.0,
                    ..default()
                },
                ..default()
            },
            Visibility::Hidden,
        ))
        .id();
    orbits.entity = Some(entity);
}

/// Starts a computation when the set, its colours or the epoch changed (one at a time).
fn start_computing(
    settings: Res<OrbitSettings>,
    filter: Res<FilterSettings>,
    style: Res<MarkerStyle>,
    choices: Res<FilterChoices>,
    clock: Res<SimClock>,
    catalog: Res<CatalogData>,
    mut orbits: ResMut<FilteredOrbits>,
    mut visibility: Query<&mut Visibility>,
) {
    if filter.is_changed() || style.is_changed() || settings.is_changed() {
        orbits.version += 1;
    }
    let wanted = settings.filtered_orbits && choices.shown <= MAX_FILTERED_ORBITS;
    if let Some(entity) = orbits.entity
        && let Ok(mut visibility) = visibility.get_mut(entity)
    {
        let shown = wanted && orbits.computed.is_some_and(|(_, v)| v == orbits.version);
        visibility.set_if_neq(if shown {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
    if !wanted || orbits.task.is_some() {
        return;
    }
    let now = clock.now();
    let current = orbits.computed.is_some_and(|(at, version)| {
        version == orbits.version && now.minutes_since(at).abs() < RECOMPUTE_AFTER_MIN
    });
    if current || style.mask().len() != catalog.objects.len() {
        return;
    }
    let (elements, colors): (Vec<_>, Vec<_>) = style
        .mask()
        .iter()
        .enumerate()
        .filter(|(_, shown)| **shown)
        .map(|(index, _)| {
            (
                catalog.objects[index].elements.clone(),
                style.color_of(index),
            )
        })
        .unzip();
    let version = orbits.version;
    orbits.task = Some(AsyncComputeTaskPool::get().spawn(async move {
        let started = std::time::Instant::now();
        let paths = orbit_paths_teme(&elements, now, SAMPLES)
            .into_iter()
            .zip(colors)
            .map(|(path, color)| (color, path.into_iter().map(world_from_teme_km).collect()))
            .collect();
        Computed {
            at: now,
            version,
            paths,
            millis: started.elapsed().as_secs_f64() * 1e3,
        }
    }));
}

/// Swaps in the finished paths as the retained gizmo's lines.
fn finish_computing(
    mut orbits: ResMut<FilteredOrbits>,
    mut assets: ResMut<Assets<GizmoAsset>>,
    gizmos: Query<&Gizmo>,
) {
    let Some(task) = orbits.task.as_mut() else {
        return;
    };
    let Some(computed) = block_on(future::poll_once(task)) else {
        return;
    };
    orbits.task = None;
    let mut asset = GizmoAsset::new();
    for (color, path) in &computed.paths {
        let [r, g, b, _] = *color;
        asset.linestrip(path.iter().copied(), LinearRgba::new(r, g, b, 0.6));
    }
    if let Some(gizmo) = orbits.entity.and_then(|entity| gizmos.get(entity).ok())
        && let Some(mut target) = assets.get_mut(&gizmo.handle)
    {
        *target = asset;
    }
    orbits.drawn = computed.paths.len();
    orbits.last_compute_ms = computed.millis;
    orbits.computed = Some((computed.at, computed.version));
}
