//! The render-world side of the markers: a quad mesh drawn once per instance by a custom WGSL
//! shader (shaders/markers.wgsl, embedded) that keeps markers a constant size on screen, from
//! the instances copied each frame; the buffer, queueing, draw and counting are
//! `app::instanced`'s.

use bevy::asset::uuid_handle;
use bevy::ecs::query::QueryItem;
use bevy::mesh::{MeshVertexBufferLayoutRef, VertexBufferLayout};
use bevy::pbr::{MeshPipeline, MeshPipelineKey, MeshPipelineSystems};
use bevy::prelude::*;
use bevy::render::extract_component::{ExtractComponent, ExtractComponentPlugin};
use bevy::render::render_resource::*;
use bevy::render::sync_component::SyncComponent;
use bevy::render::view::NoIndirectDrawing;
use bevy::render::{Extract, ExtractSchedule, RenderApp, RenderStartup};

use super::{MarkerBatch, MarkerDrawStats, MarkerInstances};
use crate::app::instanced::{ExtractedInstances, InstancedKind, add_instanced_rendering};
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

/// The markers as an instanced kind.
pub struct MarkerKind;

impl InstancedKind for MarkerKind {
    type Instance = MarkerInstance;
    type Batch = MarkerBatch;
    type Pipeline = MarkerPipeline;
    const BUFFER_LABEL: &'static str = "orbitscope marker instances";
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
    add_instanced_rendering(app, stats);
    app.sub_app_mut(RenderApp)
        .add_systems(
            RenderStartup,
            init_marker_pipeline.after(MeshPipelineSystems),
        )
        .add_systems(ExtractSchedule, extract_marker_instances);
}

/// The markers move every frame: copied every frame.
fn extract_marker_instances(
    markers: Extract<Res<MarkerInstances>>,
    mut extracted: ResMut<ExtractedInstances<MarkerKind>>,
) {
    extracted.replace(&markers.instances, None);
}

#[derive(Resource)]
pub struct MarkerPipeline {
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

/// The camera components markers need: direct (non-indirect) draws.
pub fn marker_camera_components() -> impl Bundle {
    NoIndirectDrawing
}
