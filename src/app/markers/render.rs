//! The render-world side of the markers: a quad mesh drawn once per instance by a custom WGSL
//! shader (shaders/markers.wgsl, embedded) that keeps markers a constant size on screen, from a
//! GPU instance buffer rewritten in place each frame; the draw command counts its own draws,
//! and a render-world system counts the frames.

use bevy::asset::uuid_handle;
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

use super::{MarkerBatch, MarkerDrawStats, MarkerInstances};
use crate::markers::MarkerInstance;

const MARKER_SHADER: Handle<Shader> = uuid_handle!("6f1f3c1e-7a0e-4f43-9a55-0b8f5f3c2d11");

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

pub(super) fn plugin(app: &mut App, stats: MarkerDrawStats) {
    app.world_mut()
        .resource_mut::<Assets<Shader>>()
        .insert(
            MARKER_SHADER.id(),
            Shader::from_wgsl(
                include_str!("../../../shaders/markers.wgsl"),
                "shaders/markers.wgsl",
            ),
        )
        .expect("UUID asset ids always insert");
    app.add_plugins(ExtractComponentPlugin::<MarkerBatch>::default());
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
                count_rendered_frame.in_set(RenderSystems::Cleanup),
            ),
        );
}

fn count_rendered_frame(stats: Res<MarkerDrawStats>) {
    stats.count_rendered_frame();
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
        stats.into_inner().count_draw(gpu.length as u64);
        RenderCommandResult::Success
    }
}

/// The camera components markers need: direct (non-indirect) draws.
pub fn marker_camera_components() -> impl Bundle {
    NoIndirectDrawing
}
