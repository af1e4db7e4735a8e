//! The render-world side of the orbits: a strip of quads (vertex x = sample number, y = side)
//! drawn once per orbit instance by shaders/orbits.wgsl (embedded), alpha-blended and
//! depth-tested against the Earth. The instances are copied to the render world only when the
//! main world changed them; the buffer, queueing, draw and counting are `app::instanced`'s.

use bevy::asset::{RenderAssetUsages, uuid_handle};
use bevy::ecs::query::QueryItem;
use bevy::mesh::{Indices, MeshVertexBufferLayoutRef, PrimitiveTopology, VertexBufferLayout};
use bevy::pbr::{MeshPipeline, MeshPipelineKey, MeshPipelineSystems};
use bevy::prelude::*;
use bevy::render::extract_component::{ExtractComponent, ExtractComponentPlugin};
use bevy::render::render_resource::*;
use bevy::render::sync_component::SyncComponent;
use bevy::render::{Extract, ExtractSchedule, RenderApp, RenderStartup};

use super::{OrbitBatch, OrbitDrawStats, OrbitInstances};
use crate::app::instanced::{ExtractedInstances, InstancedKind, add_instanced_rendering};
use crate::orbit_lines::OrbitInstance;

const ORBIT_SHADER: Handle<Shader> = uuid_handle!("0b7c1f52-93d4-4c1a-8e2f-5a6d7e8f9012");

impl SyncComponent for OrbitBatch {
    type Target = Self;
}

impl ExtractComponent for OrbitBatch {
    type QueryData = ();
    type QueryFilter = With<OrbitBatch>;
    type Out = Self;

    fn extract_component(_: QueryItem<'_, '_, Self::QueryData>) -> Option<Self> {
        Some(OrbitBatch)
    }
}

/// The orbits as an instanced kind.
pub struct OrbitKind;

impl InstancedKind for OrbitKind {
    type Instance = OrbitInstance;
    type Batch = OrbitBatch;
    type Pipeline = OrbitPipeline;
    const BUFFER_LABEL: &'static str = "orbitscope orbit instances";

    fn extra_key() -> MeshPipelineKey {
        // Overlapping orbits add up to density; blended lines do not write depth.
        MeshPipelineKey::BLEND_ALPHA
    }
}

pub(super) fn plugin(app: &mut App, stats: OrbitDrawStats) {
    app.world_mut()
        .resource_mut::<Assets<Shader>>()
        .insert(
            ORBIT_SHADER.id(),
            Shader::from_wgsl(
                include_str!("../../../shaders/orbits.wgsl"),
                "shaders/orbits.wgsl",
            ),
        )
        .expect("UUID asset ids always insert");
    app.add_plugins(ExtractComponentPlugin::<OrbitBatch>::default());
    add_instanced_rendering(app, stats);
    app.sub_app_mut(RenderApp)
        .add_systems(
            RenderStartup,
            init_orbit_pipeline.after(MeshPipelineSystems),
        )
        .add_systems(ExtractSchedule, extract_orbit_instances);
}

/// The strip every orbit is drawn from: `segments + 1` samples, two vertices each (sides −1
/// and +1), two triangles per segment. Positions carry (sample, side, 0).
pub fn orbit_strip_mesh(segments: u32) -> Mesh {
    let positions: Vec<[f32; 3]> = (0..=segments)
        .flat_map(|sample| [-1.0, 1.0].map(|side| [sample as f32, side, 0.0]))
        .collect();
    let indices: Vec<u32> = (0..segments)
        .flat_map(|segment| {
            let first = 2 * segment;
            [first, first + 1, first + 2, first + 1, first + 3, first + 2]
        })
        .collect();
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
    .with_inserted_indices(Indices::U32(indices))
}

/// Orbits change at most once a simulated minute: copied only when their version moved.
fn extract_orbit_instances(
    orbits: Extract<Res<OrbitInstances>>,
    mut extracted: ResMut<ExtractedInstances<OrbitKind>>,
) {
    if extracted.version != Some(orbits.version) {
        extracted.replace(&orbits.instances, Some(orbits.version));
    }
}

#[derive(Resource)]
pub struct OrbitPipeline {
    mesh_pipeline: MeshPipeline,
}

fn init_orbit_pipeline(mut commands: Commands, mesh_pipeline: Res<MeshPipeline>) {
    commands.insert_resource(OrbitPipeline {
        mesh_pipeline: mesh_pipeline.clone(),
    });
}

impl SpecializedMeshPipeline for OrbitPipeline {
    type Key = MeshPipelineKey;

    fn specialize(
        &self,
        key: Self::Key,
        layout: &MeshVertexBufferLayoutRef,
    ) -> Result<RenderPipelineDescriptor, SpecializedMeshPipelineError> {
        let mut descriptor = self.mesh_pipeline.specialize(key, layout)?;
        descriptor.label = Some("orbitscope orbits".into());
        descriptor.vertex.shader = ORBIT_SHADER;
        let vec4 = VertexFormat::Float32x4;
        descriptor.vertex.buffers.push(VertexBufferLayout {
            array_stride: size_of::<OrbitInstance>() as u64,
            step_mode: VertexStepMode::Instance,
            // major axis + warp, minor axis + width, centre, colour (see OrbitInstance)
            attributes: (0..4)
                .map(|field| VertexAttribute {
                    format: vec4,
                    offset: field * vec4.size(),
                    shader_location: 3 + field as u32,
                })
                .collect(),
        });
        descriptor.primitive.cull_mode = None;
        if let Some(fragment) = descriptor.fragment.as_mut() {
            fragment.shader = ORBIT_SHADER;
        }
        Ok(descriptor)
    }
}
