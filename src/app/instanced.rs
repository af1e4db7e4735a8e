//! One mesh drawn once per instance from a GPU instance buffer, in ONE draw call per view:
//! the render-world machinery the markers and the orbits share. Each kind brings its batch
//! component, its pipeline (shader and instance layout) and its extraction; this module owns
//! the GPU buffer, the queueing into the transparent phase, the draw command and the draw
//! counters that `measure` reports.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bevy::core_pipeline::core_3d::{Transparent3d, TransparentSortingInfo3d};
use bevy::ecs::system::SystemParamItem;
use bevy::ecs::system::lifetimeless::SRes;
use bevy::pbr::{
    MeshPipelineKey, RenderMeshInstances, SetMeshBindGroup, SetMeshViewBindGroup,
    SetMeshViewBindingArrayBindGroup, ViewKeyCache,
};
use bevy::prelude::*;
use bevy::render::mesh::allocator::MeshAllocator;
use bevy::render::mesh::{RenderMesh, RenderMeshBufferInfo};
use bevy::render::render_asset::RenderAssets;
use bevy::render::render_phase::{
    AddRenderCommand, DrawFunctions, PhaseItem, PhaseItemExtraIndex, RenderCommand,
    RenderCommandResult, SetItemPipeline, TrackedRenderPass, ViewSortedRenderPhases,
};
use bevy::render::render_resource::*;
use bevy::render::renderer::{RenderDevice, RenderQueue};
use bevy::render::sync_world::MainEntity;
use bevy::render::view::ExtractedView;
use bevy::render::{Render, RenderApp, RenderSystems};

/// What one instanced kind (markers, orbits) brings.
pub trait InstancedKind: Send + Sync + 'static {
    /// One instance as the shader reads it.
    type Instance: bytemuck::Pod + Send + Sync;
    /// The component on the entity that carries the kind's mesh.
    type Batch: Component;
    /// The kind's specialised mesh pipeline (shader, instance layout).
    type Pipeline: SpecializedMeshPipeline<Key = MeshPipelineKey> + Resource;
    const BUFFER_LABEL: &'static str;
    /// Pipeline key bits added to the view's (e.g. alpha blending).
    fn extra_key() -> MeshPipelineKey {
        MeshPipelineKey::NONE
    }
}

/// Draw calls and instances, counted by the draw command as it issues them, and the frames the
/// render world renders, counted once per frame by a system of their own at the frame's end
/// (so a second draw in one frame reads as 2 per frame, not as 1). Shared between the main and
/// render worlds.
#[derive(Resource)]
pub struct DrawStats<K: InstancedKind>(Arc<DrawCounters>, PhantomData<K>);

impl<K: InstancedKind> Clone for DrawStats<K> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

impl<K: InstancedKind> Default for DrawStats<K> {
    fn default() -> Self {
        Self(Arc::default(), PhantomData)
    }
}

impl<K: InstancedKind> std::fmt::Debug for DrawStats<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DrawStats").field(&self.totals()).finish()
    }
}

/// Draws of the frame being rendered are counted apart and published with the frame when it
/// ends, so that a reader (`measure`, on the main world's thread, while the render world runs
/// in parallel) always sees whole frames: never a frame's draw without the frame.
#[derive(Debug, Default)]
pub struct DrawCounters {
    frame_draw_calls: AtomicU64,
    frame_instances: AtomicU64,
    published: Mutex<DrawTotals>,
}

/// What a [`DrawStats`] has counted since start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DrawTotals {
    pub draw_calls: u64,
    pub instances: u64,
    pub rendered_frames: u64,
}

impl<K: InstancedKind> DrawStats<K> {
    /// Whole frames counted so far.
    pub fn totals(&self) -> DrawTotals {
        self.0
            .published
            .lock()
            .map_or_else(|poisoned| *poisoned.into_inner(), |totals| *totals)
    }

    fn count_draw(&self, instances: u64) {
        self.0.frame_draw_calls.fetch_add(1, Ordering::Relaxed);
        self.0
            .frame_instances
            .fetch_add(instances, Ordering::Relaxed);
    }

    /// The frame ended: its draws join the totals with it.
    fn count_rendered_frame(&self) {
        let draw_calls = self.0.frame_draw_calls.swap(0, Ordering::Relaxed);
        let instances = self.0.frame_instances.swap(0, Ordering::Relaxed);
        let mut published = match self.0.published.lock() {
            Ok(published) => published,
            Err(poisoned) => poisoned.into_inner(),
        };
        published.draw_calls += draw_calls;
        published.instances += instances;
        published.rendered_frames += 1;
    }
}

/// The render-world copy of a kind's instances, and whether it changed since the upload.
#[derive(Resource)]
pub struct ExtractedInstances<K: InstancedKind> {
    pub instances: Vec<K::Instance>,
    pub changed: bool,
    /// The main world's version of what was copied (kinds that change rarely copy on change).
    pub version: Option<u64>,
}

impl<K: InstancedKind> Default for ExtractedInstances<K> {
    fn default() -> Self {
        Self {
            instances: Vec::new(),
            changed: false,
            version: None,
        }
    }
}

impl<K: InstancedKind> ExtractedInstances<K> {
    /// Copies `instances` (capacity reused) and marks them for upload.
    pub fn replace(&mut self, instances: &[K::Instance], version: Option<u64>) {
        self.instances.clear();
        self.instances.extend_from_slice(instances);
        self.changed = true;
        self.version = version;
    }
}

/// The GPU instance buffer: grown when needed, otherwise rewritten in place.
#[derive(Resource)]
struct InstanceGpuBuffer<K: InstancedKind> {
    buffer: Option<Buffer>,
    capacity: usize,
    length: usize,
    kind: PhantomData<K>,
}

impl<K: InstancedKind> Default for InstanceGpuBuffer<K> {
    fn default() -> Self {
        Self {
            buffer: None,
            capacity: 0,
            length: 0,
            kind: PhantomData,
        }
    }
}

/// Registers the shared render-world side of kind `K`: its GPU buffer, queueing, draw command
/// and frame counter. The kind adds its own pipeline and extraction.
pub fn add_instanced_rendering<K: InstancedKind>(app: &mut App, stats: DrawStats<K>) {
    app.sub_app_mut(RenderApp)
        .insert_resource(stats)
        .init_resource::<ExtractedInstances<K>>()
        .init_resource::<InstanceGpuBuffer<K>>()
        .init_resource::<SpecializedMeshPipelines<K::Pipeline>>()
        .add_render_command::<Transparent3d, DrawInstancedCommand<K>>()
        .add_systems(
            Render,
            (
                queue_instanced::<K>.in_set(RenderSystems::QueueMeshes),
                prepare_instance_buffer::<K>.in_set(RenderSystems::PrepareResources),
                count_rendered_frame::<K>.in_set(RenderSystems::Cleanup),
            ),
        );
}

fn count_rendered_frame<K: InstancedKind>(stats: Res<DrawStats<K>>) {
    stats.count_rendered_frame();
}

fn prepare_instance_buffer<K: InstancedKind>(
    mut extracted: ResMut<ExtractedInstances<K>>,
    device: Res<RenderDevice>,
    queue: Res<RenderQueue>,
    mut gpu: ResMut<InstanceGpuBuffer<K>>,
) {
    if !extracted.changed {
        return;
    }
    extracted.changed = false;
    let instances = &extracted.instances;
    gpu.length = instances.len();
    if instances.is_empty() {
        return;
    }
    if gpu.buffer.is_none() || gpu.capacity < instances.len() {
        let capacity = instances.len().next_power_of_two();
        gpu.buffer = Some(device.create_buffer(&BufferDescriptor {
            label: Some(K::BUFFER_LABEL),
            size: (capacity * size_of::<K::Instance>()) as u64,
            usage: BufferUsages::VERTEX | BufferUsages::COPY_DST,
            mapped_at_creation: false,
        }));
        gpu.capacity = capacity;
    }
    if let Some(buffer) = &gpu.buffer {
        queue.write_buffer(buffer, 0, bytemuck::cast_slice(instances));
    }
}

#[allow(clippy::too_many_arguments)] // a render system's resources, each read once
fn queue_instanced<K: InstancedKind>(
    draw_functions: Res<DrawFunctions<Transparent3d>>,
    kind_pipeline: Res<K::Pipeline>,
    mut pipelines: ResMut<SpecializedMeshPipelines<K::Pipeline>>,
    pipeline_cache: Res<PipelineCache>,
    meshes: Res<RenderAssets<RenderMesh>>,
    render_mesh_instances: Res<RenderMeshInstances>,
    batches: Query<(Entity, &MainEntity), With<K::Batch>>,
    mut phases: ResMut<ViewSortedRenderPhases<Transparent3d>>,
    views: Query<&ExtractedView>,
    view_key_cache: Res<ViewKeyCache>,
    gpu: Res<InstanceGpuBuffer<K>>,
) {
    if gpu.length == 0 {
        return;
    }
    let draw = draw_functions.read().id::<DrawInstancedCommand<K>>();
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
                | K::extra_key()
                | MeshPipelineKey::from_primitive_topology_and_strip_index(
                    mesh.primitive_topology(),
                    mesh.index_format(),
                );
            let Ok(pipeline) =
                pipelines.specialize(&pipeline_cache, &kind_pipeline, key, &mesh.layout)
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
                draw_function: draw,
                distance: 0.0,
                batch_range: 0..1,
                extra_index: PhaseItemExtraIndex::None,
                indexed: true,
            });
        }
    }
}

type DrawInstancedCommand<K> = (
    SetItemPipeline,
    SetMeshViewBindGroup<0>,
    SetMeshViewBindingArrayBindGroup<1>,
    SetMeshBindGroup<2>,
    DrawInstanced<K>,
);

struct DrawInstanced<K>(PhantomData<K>);

impl<P: PhaseItem, K: InstancedKind> RenderCommand<P> for DrawInstanced<K> {
    type Param = (
        SRes<RenderAssets<RenderMesh>>,
        SRes<RenderMeshInstances>,
        SRes<MeshAllocator>,
        SRes<InstanceGpuBuffer<K>>,
        SRes<DrawStats<K>>,
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
        let mesh_id = mesh_instance.mesh_asset_id();
        let Some(gpu_mesh) = meshes.into_inner().get(mesh_id) else {
            return RenderCommandResult::Skip;
        };
        // An empty vertex buffer slice is a wgpu error: skip the draw instead.
        let (Some(buffer), true) = (&gpu.buffer, gpu.length > 0) else {
            return RenderCommandResult::Skip;
        };
        let Some(vertex_slice) = mesh_allocator.mesh_vertex_slice(&mesh_id) else {
            return RenderCommandResult::Skip;
        };
        let instance_bytes = (gpu.length * size_of::<K::Instance>()) as u64;
        pass.set_vertex_buffer(0, vertex_slice.buffer.slice(..));
        pass.set_vertex_buffer(1, buffer.slice(..instance_bytes));
        let instances = 0..gpu.length as u32;
        match &gpu_mesh.buffer_info {
            RenderMeshBufferInfo::Indexed {
                index_format,
                count,
            } => {
                let Some(index_slice) = mesh_allocator.mesh_index_slice(&mesh_id) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::markers::MarkerKind;

    /// A reader between a frame's draw and its end sees neither, so draws per frame are whole.
    #[test]
    fn draws_are_published_with_their_frame() {
        let stats = DrawStats::<MarkerKind>::default();
        stats.count_draw(100);
        stats.count_draw(100);
        assert_eq!(stats.totals(), DrawTotals::default());
        stats.count_rendered_frame();
        let one_frame = DrawTotals {
            draw_calls: 2,
            instances: 200,
            rendered_frames: 1,
        };
        assert_eq!(stats.totals(), one_frame);
        stats.count_rendered_frame();
        assert_eq!(stats.totals().draw_calls, 2);
        assert_eq!(stats.clone().totals().rendered_frames, 2);
    }
}
