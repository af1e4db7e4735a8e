//! Every object in ONE instanced draw call: a quad mesh drawn once per instance by a custom
//! WGSL shader (shaders/markers.wgsl, embedded) that keeps markers a constant size on screen.
//! The instance buffer is refilled from the propagation buffers each frame into reused
//! allocations, on both the CPU and the GPU side.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bevy::asset::uuid_handle;
use bevy::camera::visibility::NoFrustumCulling;
use bevy::core_pipeline::core_3d::{Transparent3d, TransparentSortingInfo3d};
use bevy::ecs::query::QueryItem;
use bevy::ecs::system::SystemParamItem;
use bevy::ecs::system::lifetimeless::SRes;
use bevy::mesh::{MeshVertexBufferLayoutRef, VertexBufferLayout};
use bevy::pbr::{
    MeshPipeline, MeshPipelineKey, MeshPipelineSystems, RenderMeshInstances, SetMeshBindGroup,
    SetMeshViewBindGroup, SetMeshViewBindingArrayBindGroup, ViewKeyCache,
};
use bevy::prelude::*;
use bevy::render::extract_component::{ExtractComponent, ExtractComponentPlugin};
use bevy::render::mesh::allocator::MeshAllocator;
use bevy::render::mesh::{RenderMesh, RenderMeshBufferInfo};
use bevy::render::render_asset::RenderAssets;
use bevy::render::render_phase::{
    AddRenderCommand, DrawFunctions, PhaseItem, PhaseItemExtraIndex, RenderCommand,
    RenderCommandResult, SetItemPipeline, TrackedRenderPass, ViewSortedRenderPhases,
};
use bevy::render::render_resource::*;
use bevy::render::renderer::{RenderDevice, RenderQueue};
use bevy::render::sync_component::SyncComponent;
use bevy::render::sync_world::MainEntity;
use bevy::render::view::{ExtractedView, NoIndirectDrawing};
use bevy::render::{Extract, ExtractSchedule, Render, RenderApp, RenderStartup, RenderSystems};

use super::profile::SystemProfile;
use super::{CatalogData, RenderPositions, Selection};
use crate::markers::{MarkerInstance, pack_instances};
use crate::palette::{ColorMode, LegendEntry, Palette, Rgba};

const MARKER_SHADER: Handle<Shader> = uuid_handle!("6f1f3c1e-7a0e-4f43-9a55-0b8f5f3c2d11");

/// How markers look, and which objects the filter keeps. Colours are derived from the mode
/// (and, for owners, from what the filter shows) and rebuilt only when either changes.
#[derive(Resource, Debug, Clone)]
pub struct MarkerStyle {
    pub mode: ColorMode,
    /// Marker radius in pixels.
    pub size_px: f32,
    /// Per catalog row: shown by the filter (all true until a filter says otherwise).
    mask: Vec<bool>,
    colors: Vec<Rgba>,
    palette: Palette,
    /// The legend of what is drawn: one entry per colour, with counts over the shown objects.
    legend: Vec<LegendEntry>,
    colors_current: bool,
}

impl Default for MarkerStyle {
    fn default() -> Self {
        Self {
            mode: ColorMode::default(),
            size_px: 2.5,
            mask: Vec::new(),
            colors: Vec::new(),
            palette: Palette::default(),
            legend: Vec::new(),
            colors_current: false,
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
}

/// Draw calls and instances issued for markers, counted by the render command itself (proof
/// that the whole catalog goes out in one call). Shared between the main and render worlds.
#[derive(Resource, Debug, Clone, Default)]
pub struct MarkerDrawStats(Arc<DrawCounters>);

#[derive(Debug, Default)]
struct DrawCounters {
    draw_calls: AtomicU64,
    instances: AtomicU64,
    frames: AtomicU64,
}

impl MarkerDrawStats {
    /// (draw calls, instances drawn, frames that drew markers) since start.
    pub fn totals(&self) -> (u64, u64, u64) {
        (
            self.0.draw_calls.load(Ordering::Relaxed),
            self.0.instances.load(Ordering::Relaxed),
            self.0.frames.load(Ordering::Relaxed),
        )
    }
}

/// The single entity that carries the marker quad.
#[derive(Component, Clone, Copy, Default)]
pub struct MarkerBatch;

impl SyncComponent for MarkerBatch {
    type Target = Self;
}

impl ExtractComponent for MarkerBatch {
    type QueryData = ();
    type QueryFilter = With<MarkerBatch>;
    type Out = Self;

    fn extract_component(_: QueryItem<'_, '_, Self::QueryData>) -> Option<Self> {
        Some(MarkerBatch)
    }
}

pub(super) fn plugin(app: &mut App) {
    app.world_mut()
        .resource_mut::<Assets<Shader>>()
        .insert(
            MARKER_SHADER.id(),
            Shader::from_wgsl(
                include_str!("../../shaders/markers.wgsl"),
                "shaders/markers.wgsl",
            ),
        )
        .expect("UUID asset ids always insert");
    let stats = MarkerDrawStats::default();
    app.init_resource::<MarkerStyle>()
        .init_resource::<MarkerInstances>()
        .insert_resource(stats.clone())
        .add_plugins(ExtractComponentPlugin::<MarkerBatch>::default())
        .add_systems(Startup, spawn_marker_batch)
        .add_systems(
            Update,
            (recolor_markers, write_instances)
                .chain()
                .in_set(super::FrameSystems::Present),
        );
    app.sub_app_mut(RenderApp)
        .insert_resource(stats)
        .init_resource::<ExtractedMarkers>()
        .init_resource::<MarkerGpuBuffer>()
        .add_render_command::<Transparent3d, DrawMarkers>()
        .init_resource::<SpecializedMeshPipelines<MarkerPipeline>>()
        .add_systems(
            RenderStartup,
            init_marker_pipeline.after(MeshPipelineSystems),
        )
        .add_systems(ExtractSchedule, extract_marker_instances)
        .add_systems(
            Render,
            (
                queue_markers.in_set(RenderSystems::QueueMeshes),
                prepare_marker_buffer.in_set(RenderSystems::PrepareResources),
            ),
        );
}

fn spawn_marker_batch(mut commands: Commands, mut meshes: ResMut<Assets<Mesh>>) {
    commands.spawn((
        Name::new("Markers"),
        // Corners at ±1: the shader scales them to pixels around each instance.
        Mesh3d(meshes.add(Rectangle::new(2.0, 2.0))),
        Transform::default(),
        MarkerBatch,
        // Instances are spread over the whole sky; the quad's own bounds mean nothing.
        NoFrustumCulling,
    ));
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
    let MarkerInstances { instances, rows } = &mut *markers;
    pack_instances(
        &positions.world,
        &positions.valid,
        &style.mask,
        &style.colors,
        style.size_px,
        selection.selected,
        instances,
        rows,
    );
    profile.record("write_instances (frame)", started);
}

/// Render-world copy of the instances (capacity reused frame to frame).
#[derive(Resource, Default)]
struct ExtractedMarkers(Vec<MarkerInstance>);

fn extract_marker_instances(
    markers: Extract<Res<MarkerInstances>>,
    mut extracted: ResMut<ExtractedMarkers>,
) {
    extracted.0.clear();
    extracted.0.extend_from_slice(&markers.instances);
}

/// The GPU instance buffer: grown when needed, otherwise rewritten in place.
#[derive(Resource, Default)]
struct MarkerGpuBuffer {
    buffer: Option<Buffer>,
    capacity: usize,
    length: usize,
}

fn prepare_marker_buffer(
    extracted: Res<ExtractedMarkers>,
    device: Res<RenderDevice>,
    queue: Res<RenderQueue>,
    mut gpu: ResMut<MarkerGpuBuffer>,
) {
    let instances = &extracted.0;
    gpu.length = instances.len();
    if instances.is_empty() {
        return;
    }
    if gpu.buffer.is_none() || gpu.capacity < instances.len() {
        let capacity = instances.len().next_power_of_two();
        gpu.buffer = Some(device.create_buffer(&BufferDescriptor {
            label: Some("orbitscope marker instances"),
            size: (capacity * size_of::<MarkerInstance>()) as u64,
            usage: BufferUsages::VERTEX | BufferUsages::COPY_DST,
            mapped_at_creation: false,
        }));
        gpu.capacity = capacity;
    }
    if let Some(buffer) = &gpu.buffer {
        queue.write_buffer(buffer, 0, bytemuck::cast_slice(instances));
    }
}

#[derive(Resource)]
struct MarkerPipeline {
    mesh_pipeline: MeshPipeline,
}

fn init_marker_pipeline(mut commands: Commands, mesh_pipeline: Res<MeshPipeline>) {
    commands.insert_resource(MarkerPipeline {
        mesh_pipeline: mesh_pipeline.clone(),
    });
}

impl SpecializedMeshPipeline for MarkerPipeline {
    type Key = MeshPipelineKey;

    fn specialize(
        &self,
        key: Self::Key,
        layout: &MeshVertexBufferLayoutRef,
    ) -> Result<RenderPipelineDescriptor, SpecializedMeshPipelineError> {
        let mut descriptor = self.mesh_pipeline.specialize(key, layout)?;
        descriptor.label = Some("orbitscope markers".into());
        descriptor.vertex.shader = MARKER_SHADER;
        descriptor.vertex.buffers.push(VertexBufferLayout {
            array_stride: size_of::<MarkerInstance>() as u64,
            step_mode: VertexStepMode::Instance,
            attributes: vec![
                // position (xyz) and size in pixels (w)
                VertexAttribute {
                    format: VertexFormat::Float32x4,
                    offset: 0,
                    shader_location: 3,
                },
                // linear RGBA
                VertexAttribute {
                    format: VertexFormat::Float32x4,
                    offset: VertexFormat::Float32x4.size(),
                    shader_location: 4,
                },
            ],
        });
        descriptor.primitive.cull_mode = None;
        if let Some(fragment) = descriptor.fragment.as_mut() {
            fragment.shader = MARKER_SHADER;
        }
        Ok(descriptor)
    }
}

fn queue_markers(
    draw_functions: Res<DrawFunctions<Transparent3d>>,
    marker_pipeline: Res<MarkerPipeline>,
    mut pipelines: ResMut<SpecializedMeshPipelines<MarkerPipeline>>,
    pipeline_cache: Res<PipelineCache>,
    meshes: Res<RenderAssets<RenderMesh>>,
    render_mesh_instances: Res<RenderMeshInstances>,
    batches: Query<(Entity, &MainEntity), With<MarkerBatch>>,
    mut phases: ResMut<ViewSortedRenderPhases<Transparent3d>>,
    views: Query<&ExtractedView>,
    view_key_cache: Res<ViewKeyCache>,
    gpu: Res<MarkerGpuBuffer>,
) {
    if gpu.length == 0 {
        return;
    }
    let draw_markers = draw_functions.read().id::<DrawMarkers>();
    for view in &views {
        let Some(phase) = phases.get_mut(&view.retained_view_entity) else {
            continue;
        };
        let Some(&view_key) = view_key_cache.get(&view.retained_view_entity) else {
            continue;
        };
        for (entity, main_entity) in &batches {
            let Some(mesh_instance) = render_mesh_instances.render_mesh_queue_data(*main_entity)
            else {
                continue;
            };
            let Some(mesh) = meshes.get(mesh_instance.mesh_asset_id()) else {
                continue;
            };
            let key = view_key
                | MeshPipelineKey::from_primitive_topology_and_strip_index(
                    mesh.primitive_topology(),
                    mesh.index_format(),
                );
            let Ok(pipeline) =
                pipelines.specialize(&pipeline_cache, &marker_pipeline, key, &mesh.layout)
            else {
                continue;
            };
            phase.add_retained(Transparent3d {
                sorting_info: TransparentSortingInfo3d::Sorted {
                    mesh_center: Vec3::ZERO,
                    depth_bias: 0.0,
                },
                entity: (entity, *main_entity),
                pipeline,
                draw_function: draw_markers,
                distance: 0.0,
                batch_range: 0..1,
                extra_index: PhaseItemExtraIndex::None,
                indexed: true,
            });
        }
    }
}

type DrawMarkers = (
    SetItemPipeline,
    SetMeshViewBindGroup<0>,
    SetMeshViewBindingArrayBindGroup<1>,
    SetMeshBindGroup<2>,
    DrawMarkersInstanced,
);

struct DrawMarkersInstanced;

impl<P: PhaseItem> RenderCommand<P> for DrawMarkersInstanced {
    type Param = (
        SRes<RenderAssets<RenderMesh>>,
        SRes<RenderMeshInstances>,
        SRes<MeshAllocator>,
        SRes<MarkerGpuBuffer>,
        SRes<MarkerDrawStats>,
    );
    type ViewQuery = ();
    type ItemQuery = ();

    fn render<'w>(
        item: &P,
        _view: (),
        _entity: Option<()>,
        (meshes, render_mesh_instances, mesh_allocator, gpu, stats): SystemParamItem<
            'w,
            '_,
            Self::Param,
        >,
        pass: &mut TrackedRenderPass<'w>,
    ) -> RenderCommandResult {
        let mesh_allocator = mesh_allocator.into_inner();
        let gpu = gpu.into_inner();
        let Some(mesh_instance) = render_mesh_instances.render_mesh_queue_data(item.main_entity())
        else {
            return RenderCommandResult::Skip;
        };
        let Some(gpu_mesh) = meshes.into_inner().get(mesh_instance.mesh_asset_id()) else {
            return RenderCommandResult::Skip;
        };
        // An empty vertex buffer slice is a wgpu error: skip the draw instead.
        let (Some(buffer), true) = (&gpu.buffer, gpu.length > 0) else {
            return RenderCommandResult::Skip;
        };
        let Some(vertex_slice) = mesh_allocator.mesh_vertex_slice(&mesh_instance.mesh_asset_id())
        else {
            return RenderCommandResult::Skip;
        };
        let instance_bytes = (gpu.length * size_of::<MarkerInstance>()) as u64;
        pass.set_vertex_buffer(0, vertex_slice.buffer.slice(..));
        pass.set_vertex_buffer(1, buffer.slice(..instance_bytes));
        let instances = 0..gpu.length as u32;
        match &gpu_mesh.buffer_info {
            RenderMeshBufferInfo::Indexed {
                index_format,
                count,
            } => {
                let Some(index_slice) =
                    mesh_allocator.mesh_index_slice(&mesh_instance.mesh_asset_id())
                else {
                    return RenderCommandResult::Skip;
                };
                pass.set_index_buffer(index_slice.buffer.slice(..), *index_format);
                pass.draw_indexed(
                    index_slice.range.start..(index_slice.range.start + count),
                    vertex_slice.range.start as i32,
                    instances,
                );
            }
            RenderMeshBufferInfo::NonIndexed => {
                pass.draw(vertex_slice.range, instances);
            }
        }
        let counters = &stats.into_inner().0;
        counters.draw_calls.fetch_add(1, Ordering::Relaxed);
        counters
            .instances
            .fetch_add(gpu.length as u64, Ordering::Relaxed);
        counters.frames.fetch_add(1, Ordering::Relaxed);
        RenderCommandResult::Success
    }
}

/// The camera components markers need: direct (non-indirect) draws.
pub fn marker_camera_components() -> impl Bundle {
    NoIndirectDrawing
}
