//! The Earth: a textured WGS-84 ellipsoid rotated by GMST, lit by the Sun from its real
//! direction at the simulation time (so the day/night line is right), on a starry sky.

use bevy::asset::RenderAssetUsages;
use bevy::image::{CompressedImageFormats, ImageSampler, ImageType};
use bevy::light::GlobalAmbientLight;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use glam::DVec3;

use super::SimClock;
use crate::geometry::earth_ellipsoid;
use crate::render_space::{earth_rotation_at, sun_direction_world};

/// NASA Blue Marble, downscaled (assets/CREDITS.md).
const EARTH_TEXTURE: &[u8] = include_bytes!("../../assets/earth/bluemarble_2048x1024.jpg");

/// The Earth entity: its rotation is GMST about the render Y axis.
#[derive(Component)]
pub struct Earth;

/// Whether the graticule shows at start.
const GRATICULE_DEFAULT: bool = true;

/// Coastlines and borders, Natural Earth 1:110m (assets/CREDITS.md).
const BORDERS: &str = include_str!("../../assets/earth/borders_110m.txt");

/// Which overlays are drawn on the globe (settings; the lines themselves are retained gizmos
/// built once and carried round by the Earth's rotation).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobeOverlays {
    /// Lines of latitude and longitude every 30° (toggle: `G`).
    pub graticule: bool,
    /// Coastlines and country borders (toggle: `B`).
    pub borders: bool,
}

impl Default for GlobeOverlays {
    fn default() -> Self {
        Self {
            graticule: GRATICULE_DEFAULT,
            borders: true,
        }
    }
}

/// One overlay's line set, a child of the Earth.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
enum OverlayLayer {
    Graticule,
    Borders,
}

/// The Sun's directional light.
#[derive(Component)]
pub struct Sun;

pub(super) fn plugin(app: &mut App) {
    app.insert_resource(GlobalAmbientLight {
        color: Color::WHITE,
        brightness: 40.0,
        affects_lightmapped_meshes: true,
    })
    .init_resource::<GlobeOverlays>()
    .add_systems(Startup, (spawn_earth, spawn_sun, spawn_stars))
    .add_systems(
        Update,
        (
            orient_earth_and_sun.after(super::FrameSystems::Interpolate),
            show_overlays.run_if(resource_changed::<GlobeOverlays>),
        ),
    );
}

fn spawn_earth(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut images: ResMut<Assets<Image>>,
    mut gizmo_assets: ResMut<Assets<GizmoAsset>>,
    overlays: Res<GlobeOverlays>,
    clock: Res<SimClock>,
) {
    let data = earth_ellipsoid(256, 128);
    let mesh = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, data.positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, data.normals)
    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, data.uvs)
    .with_inserted_indices(Indices::U32(data.indices));
    let texture = Image::from_buffer(
        EARTH_TEXTURE,
        ImageType::Extension("jpg"),
        CompressedImageFormats::NONE,
        true,
        ImageSampler::linear(),
        RenderAssetUsages::RENDER_WORLD,
    )
    .map(|image| images.add(image))
    .map_err(|error| warn!("Earth texture unreadable ({error}); drawing a plain globe"))
    .ok();
    let earth = commands.spawn((
        Name::new("Earth"),
        Earth,
        Mesh3d(meshes.add(mesh)),
        MeshMaterial3d(materials.add(StandardMaterial {
            base_color: if texture.is_some() {
                Color::WHITE
            } else {
                Color::srgb(0.1, 0.25, 0.5)
            },
            base_color_texture: texture,
            perceptual_roughness: 0.95,
            reflectance: 0.05,
            ..default()
        })),
        Transform::from_rotation(earth_rotation_at(clock.now())),
        Visibility::default(),
    ));
    let earth = earth.id();
    spawn_overlays(&mut commands, earth, &mut gizmo_assets, *overlays);
}

fn spawn_sun(mut commands: Commands, clock: Res<SimClock>) {
    commands.spawn((
        Name::new("Sun"),
        Sun,
        DirectionalLight {
            illuminance: 16_000.0,
            shadow_maps_enabled: false,
            ..default()
        },
        sun_transform(sun_direction_world(clock.now())),
    ));
}

fn sun_transform(direction: Vec3) -> Transform {
    Transform::from_translation(direction * 50.0).looking_at(Vec3::ZERO, Vec3::Y)
}

/// A fixed background of faint stars on a far sphere (deterministic, so screenshots repeat).
fn spawn_stars(
    mut commands: Commands,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let star = meshes.add(
        Sphere::new(0.9)
            .mesh()
            .ico(0)
            .unwrap_or_else(|_| Sphere::new(0.9).mesh().build()),
    );
    let material = materials.add(StandardMaterial {
        base_color: Color::BLACK,
        emissive: LinearRgba::rgb(1.5, 1.5, 1.6),
        unlit: true,
        ..default()
    });
    // A small linear congruential generator: no dependency, same sky every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as f64) / f64::from(u32::MAX >> 1)
    };
    for _ in 0..600 {
        let z = next() * 2.0 - 1.0;
        let angle = next() * std::f64::consts::TAU;
        let r = (1.0 - z * z).sqrt();
        let direction = DVec3::new(r * angle.cos(), z, r * angle.sin()).as_vec3();
        let scale = 0.5 + next() as f32;
        commands.spawn((
            Mesh3d(star.clone()),
            MeshMaterial3d(material.clone()),
            Transform::from_translation(direction * 400.0).with_scale(Vec3::splat(scale)),
        ));
    }
}

fn orient_earth_and_sun(
    clock: Res<SimClock>,
    positions: Res<super::RenderPositions>,
    mut earth: Query<&mut Transform, (With<Earth>, Without<Sun>)>,
    mut sun: Query<&mut Transform, (With<Sun>, Without<Earth>)>,
) {
    // The instant the markers show this frame, so the ground stays under them.
    let now = positions.frame_instant.unwrap_or_else(|| clock.now());
    for mut transform in &mut earth {
        transform.rotation = earth_rotation_at(now);
    }
    for mut transform in &mut sun {
        *transform = sun_transform(sun_direction_world(now));
    }
}

/// Shows or hides each overlay as the settings say.
fn show_overlays(
    overlays: Res<GlobeOverlays>,
    mut layers: Query<(&OverlayLayer, &mut Visibility)>,
) {
    for (layer, mut visibility) in &mut layers {
        let shown = match layer {
            OverlayLayer::Graticule => overlays.graticule,
            OverlayLayer::Borders => overlays.borders,
        };
        visibility.set_if_neq(if shown {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        });
    }
}

/// The overlays as retained gizmos (built once, ~10 000 points), children of the Earth so that
/// they turn with it at no cost per frame.
fn spawn_overlays(
    commands: &mut Commands,
    earth: Entity,
    gizmo_assets: &mut Assets<GizmoAsset>,
    overlays: GlobeOverlays,
) {
    let borders = crate::geometry::parse_polylines(BORDERS, 4.0).unwrap_or_else(|error| {
        warn!("borders_110m.txt: {error}; no borders drawn");
        Vec::new()
    });
    let layers = [
        (
            OverlayLayer::Graticule,
            crate::geometry::graticule(30.0, 8.0),
            Color::srgba(0.8, 0.85, 0.9, 0.35),
            overlays.graticule,
        ),
        (
            OverlayLayer::Borders,
            borders,
            Color::srgba(1.0, 0.95, 0.7, 0.55),
            overlays.borders,
        ),
    ];
    for (layer, lines, color, shown) in layers {
        let mut asset = GizmoAsset::new();
        for line in lines {
            asset.linestrip(line, color);
        }
        commands.spawn((
            Name::new(format!("{layer:?}")),
            layer,
            Gizmo {
                handle: gizmo_assets.add(asset),
                ..default()
            },
            if shown {
                Visibility::Inherited
            } else {
                Visibility::Hidden
            },
            ChildOf(earth),
        ));
    }
}
