//! Every object in ONE instanced draw call. This file is the main-world side: how markers look
//! (colours, filter mask, legend), and the instance buffer packed each frame from the
//! propagation buffers into reused allocations. `render.rs` is the render-world side: the
//! custom pipeline, the GPU buffer and the draw command (as `bevy_gizmos` / `bevy_gizmos_render`
//! split theirs).

mod render;

use bevy::camera::visibility::NoFrustumCulling;
use bevy::prelude::*;

use super::instanced::DrawStats;
use super::profile::SystemProfile;
use super::{CatalogData, RenderPositions, Selection};
use crate::markers::{Hidden, MarkerInstance, pack_instances};
use crate::palette::{ColorMode, LegendEntry, Palette, Rgba};

pub use render::{MarkerKind, marker_camera_components};

/// How markers look, and which objects the filter keeps. Colours are derived from the mode
/// (and, for owners, from what the filter shows) and rebuilt only when either changes.
#[derive(Resource, Debug, Clone)]
pub struct MarkerStyle {
    pub mode: ColorMode,
    /// Marker radius in pixels.
    pub size_px: f32,
    /// Filtered-out objects: omitted, or drawn dimmed for context.
    pub hidden: Hidden,
    /// Per catalog row: shown by the filter (all true until a filter says otherwise).
    mask: Vec<bool>,
    colors: Vec<Rgba>,
    palette: Palette,
    /// The legend of what is drawn: one entry per colour, with counts over the shown objects.
    legend: Vec<LegendEntry>,
    colors_current: bool,
    /// Bumped whenever colours (and so the mask they were made for) are rebuilt.
    generation: u64,
}

impl Default for MarkerStyle {
    fn default() -> Self {
        Self {
            mode: ColorMode::default(),
            size_px: 2.5,
            hidden: Hidden::Omitted,
            mask: Vec::new(),
            colors: Vec::new(),
            palette: Palette::default(),
            legend: Vec::new(),
            colors_current: false,
            generation: 0,
        }
    }
}

impl MarkerStyle {
    pub fn mask(&self) -> &[bool] {
        &self.mask
    }

    /// A new filter mask: the legend's counts (and owner colours) follow what it shows.
    pub fn set_mask(&mut self, mask: Vec<bool>) {
        self.mask = mask;
        self.colors_current = false;
    }

    /// The colour of catalog row `index` (grey until colours are computed).
    pub fn color_of(&self, index: usize) -> Rgba {
        self.colors
            .get(index)
            .copied()
            .unwrap_or([0.5, 0.5, 0.5, 1.0])
    }

    /// Every catalog row's colour (empty until computed).
    pub fn colors(&self) -> &[Rgba] {
        &self.colors
    }

    /// Changes whenever the colours or the mask they go with change.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn legend(&self) -> &[LegendEntry] {
        &self.legend
    }

    /// The palette the current colours were made with.
    pub fn palette(&self) -> &Palette {
        &self.palette
    }

    fn needs_recolor(&self, len: usize) -> bool {
        !self.colors_current
            || self.palette.mode != self.mode
            || self.colors.len() != len
            || self.mask.len() != len
    }
}

/// The CPU side of the instance buffer, and the catalog row of each instance (for picking).
#[derive(Resource, Debug, Default)]
pub struct MarkerInstances {
    pub instances: Vec<MarkerInstance>,
    pub rows: Vec<u32>,
    /// Instances before this one are dimmed (filtered out, drawn for context): never picked.
    pub first_pickable: usize,
}

impl MarkerInstances {
    /// The catalog rows that may be picked: the objects the filter shows.
    pub fn pickable_rows(&self) -> &[u32] {
        &self.rows[self.first_pickable.min(self.rows.len())..]
    }
}

/// Marker draw calls, instances and rendered frames, as the render world counted them.
pub type MarkerDrawStats = DrawStats<MarkerKind>;

/// The single entity that carries the marker quad.
#[derive(Component, Clone, Copy, Default)]
pub struct MarkerBatch;

pub(super) fn plugin(app: &mut App) {
    let stats = MarkerDrawStats::default();
    app.init_resource::<MarkerStyle>()
        .init_resource::<MarkerInstances>()
        .insert_resource(stats.clone())
        .add_systems(Startup, spawn_marker_batch)
        .add_systems(
            Update,
            (recolor_markers, write_instances)
                .chain()
                .in_set(super::FrameSystems::Present),
        );
    render::plugin(app, stats);
}

/// Set to `1` by the render tests only: a second marker batch entity, so that the markers are
/// drawn twice a frame and `measure` must report 2 draw calls per frame (the one-draw-call
/// figure can fail).
const SECOND_BATCH_TEST_VARIABLE: &str = "ORBITSCOPE_TEST_SECOND_MARKER_DRAW";

fn spawn_marker_batch(mut commands: Commands, mut meshes: ResMut<Assets<Mesh>>) {
    let batches = if std::env::var_os(SECOND_BATCH_TEST_VARIABLE).is_some_and(|v| v == "1") {
        2
    } else {
        1
    };
    for _ in 0..batches {
        commands.spawn((
            Name::new("Markers"),
            // Corners at ±1: the shader scales them to pixels around each instance. Each batch
            // has its own mesh asset: Bevy merges sorted items that share one into one draw.
            Mesh3d(meshes.add(Rectangle::new(2.0, 2.0))),
            Transform::default(),
            MarkerBatch,
            // Instances are spread over the whole sky; the quad's own bounds mean nothing.
            NoFrustumCulling,
        ));
    }
}

/// Recomputes per-object colours when the mode, the catalog or (for owners) the filter
/// changes; otherwise leaves the style untouched (not even marked changed).
fn recolor_markers(catalog: Res<CatalogData>, mut style: ResMut<MarkerStyle>) {
    let len = catalog.objects.len();
    if !style.needs_recolor(len) {
        return;
    }
    let style = &mut *style;
    if style.mask.len() != len {
        style.mask = vec![true; len];
    }
    style.palette = Palette::new(style.mode, &catalog.objects, &style.mask);
    style.colors = catalog
        .objects
        .iter()
        .map(|object| style.palette.color(object))
        .collect();
    style.legend = style.palette.legend(&catalog.objects, &style.mask);
    style.colors_current = true;
    style.generation += 1;
}

/// Packs this frame's instances into the reused buffer.
fn write_instances(
    positions: Res<RenderPositions>,
    style: Res<MarkerStyle>,
    selection: Res<Selection>,
    mut markers: ResMut<MarkerInstances>,
    mut profile: ResMut<SystemProfile>,
) {
    if style.colors.len() != positions.world.len() {
        return;
    }
    let started = std::time::Instant::now();
    let MarkerInstances {
        instances,
        rows,
        first_pickable,
    } = &mut *markers;
    *first_pickable = pack_instances(
        &positions.world,
        &positions.valid,
        &style.mask,
        &style.colors,
        style.size_px,
        selection.highlighted(),
        style.hidden,
        instances,
        rows,
    );
    profile.record("write_instances (frame)", started);
}
