//! The Bevy app: thin plugins over the pure core. One plugin per concern; the ordering of the
//! simulation is declared once here ([`SimSystems`]).

mod analysis;
mod background;
mod camera;
mod capture;
mod clock;
mod conjunctions;
mod controls;
mod filter;
mod globe;
mod instanced;
mod keys;
mod markers;
mod measure;
mod orbits;
mod overlay;
mod passes;
mod picking;
mod profile;
mod propagation;
mod refresh;
mod scenario_io;
mod shot;
mod tracks;
mod ui;

use std::sync::Arc;

use anyhow::Result;
use bevy::prelude::*;
use bevy::window::{PresentMode, WindowResolution};

pub use crate::view::CameraView;
pub use analysis::{Analysis, AnalysisViews, StatsTab};
pub use camera::{DefaultView, OrbitCamera};
pub use capture::ShotRequest;
pub use clock::SimClock;
pub use conjunctions::{
    CloseApproaches, ConjunctionRequest, ConjunctionRequests, ConjunctionSettings, ShownPair,
    go_to_actions,
};
pub use controls::{AppAction, ClockAction, PendingActions};
pub use filter::{FilterChoices, FilterSettings};
pub use globe::GlobeOverlays;
pub use instanced::DrawTotals;
pub use markers::{MarkerDrawStats, MarkerInstances, MarkerStyle};
pub use orbits::{OrbitDrawStats, OrbitInstances, OrbitSettings};
pub use overlay::ShotOverlays;
pub use passes::{
    PassRequest, PassRequests, PassScope, PassSettings, PassTable, SitesAndPasses,
    go_to_actions as go_to_pass_actions,
};
pub use picking::Selection;
pub use profile::SystemProfile;
pub use propagation::{CatalogData, Propagation, RenderPositions};
pub use refresh::{DataRefresh, RefreshKind, RefreshState};
pub use scenario_io::{ScenarioFiles, ScenarioRequest};
pub use shot::{ShotParams, shot};
pub use ui::UiState;

use crate::catalog::Catalog;
use crate::filter::Filter;
use crate::loader::{LoadedCatalog, SourceLoad};
use crate::orbit::Instant;
use crate::stats::EpochSummary;

/// Fixed ticks per second: every tick propagates the whole catalog with exact SGP4; frames
/// in between carry positions forward along the last step (see `markers::interpolate_positions`).
pub const TICK_HZ: f64 = 10.0;

/// The simulation steps of one fixed tick, in this order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimSystems {
    /// Advance the simulation clock by the fixed delta × warp.
    AdvanceClock,
    /// SGP4 for every object at the clock's instant, and its render-space position.
    Propagate,
}

/// Per-frame work on the simulation's output, in this order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameSystems {
    /// Positions for this frame, from the last ticks.
    Interpolate,
    /// Everything that reads them: instances, picking, paths, camera follow.
    Present,
}

/// The simulation core, without any rendering: the catalog, the clock, propagation. Headless
/// tests run it under `MinimalPlugins`.
pub struct SimulationPlugin {
    pub catalog: Arc<Catalog>,
    pub start: Instant,
}

impl Plugin for SimulationPlugin {
    fn build(&self, app: &mut App) {
        app.configure_sets(
            FixedUpdate,
            (SimSystems::AdvanceClock, SimSystems::Propagate).chain(),
        )
        .configure_sets(
            Update,
            (FrameSystems::Interpolate, FrameSystems::Present).chain(),
        )
        .insert_resource(Time::<Fixed>::from_hz(TICK_HZ))
        .insert_resource(SimClock::new(self.start));
        propagation::plugin(app, Arc::clone(&self.catalog));
        clock::plugin(app);
    }
}

/// The statistics behind the analysis windows and the data refresh, on top of
/// [`SimulationPlugin`]; needs no renderer (the globe adds it, headless tests use it alone).
pub struct AnalysisPlugin;

impl Plugin for AnalysisPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FilterSettings>()
            .init_resource::<Selection>();
        analysis::plugin(app);
        refresh::plugin(app);
        conjunctions::plugin(app);
        passes::plugin(app);
    }
}

/// Everything the globe window shows, on top of [`SimulationPlugin`].
pub struct GlobePlugins {
    /// Show the egui panels (off for clean screenshots).
    pub ui: bool,
}

impl Plugin for GlobePlugins {
    fn build(&self, app: &mut App) {
        // Always present: input systems ask egui whether it wants the pointer or keyboard.
        // The pass schedule must exist even with no panels, or bevy_egui fails each frame.
        app.add_plugins(bevy_egui::EguiPlugin::default())
            .init_schedule(bevy_egui::EguiPrimaryContextPass);
        globe::plugin(app);
        markers::plugin(app);
        filter::plugin(app);
        camera::plugin(app);
        picking::plugin(app);
        tracks::plugin(app);
        orbits::plugin(app);
        controls::plugin(app);
        conjunctions::draw_plugin(app);
        passes::draw_plugin(app);
        app.add_plugins(AnalysisPlugin);
        overlay::plugin(app);
        scenario_io::plugin(app);
        if self.ui {
            ui::plugin(app);
        }
    }
}

/// How the catalog was loaded: each source's counts, the warnings, and the element sets'
/// epochs (what the data-status view shows).
#[derive(Resource, Debug, Clone, Default)]
pub struct LoadReport {
    pub loads: Vec<SourceLoad>,
    pub warnings: Vec<String>,
    pub epochs: Option<EpochSummary>,
    /// Problems met while reading (skipped records and caveats), and the first of them.
    pub issue_count: usize,
    pub first_issues: Vec<String>,
    /// Join coverage per object type and source.
    pub coverage: Vec<(
        crate::catalog::ObjectType,
        crate::stats::coverage::SourceCoverage,
    )>,
    /// Where the catalog came from: `Some` for the cache (which a refresh can update).
    pub selection: Option<crate::loader::SourceSelection>,
    /// Element sets SGP4 refused at initialisation (never drawn), and the first of them with
    /// their reasons.
    pub sgp4_rejected: usize,
    pub first_sgp4_rejections: Vec<String>,
}

/// Problems listed by name in the data-status window.
const FIRST_ISSUES: usize = 8;

impl LoadReport {
    pub fn of(loaded: &LoadedCatalog, selection: Option<crate::loader::SourceSelection>) -> Self {
        let catalog = &loaded.catalog;
        let rejections = crate::orbit::reference::rejections(
            catalog.objects.iter().map(|object| &object.elements),
            crate::orbit::PropagationMode::default(),
        );
        Self {
            sgp4_rejected: rejections.len(),
            first_sgp4_rejections: rejections
                .iter()
                .take(FIRST_ISSUES)
                .map(|&(index, reason)| {
                    let object = &catalog.objects[index];
                    format!("NORAD {} {}: {reason}", object.norad_id, object.name)
                })
                .collect(),
            loads: loaded.loads.clone(),
            warnings: loaded.warnings.clone(),
            epochs: EpochSummary::of(&catalog.objects),
            issue_count: catalog.issues.len(),
            first_issues: catalog
                .issues
                .iter()
                .take(FIRST_ISSUES)
                .map(ToString::to_string)
                .collect(),
            coverage: crate::stats::coverage::coverage_by_type(catalog),
            selection: selection.filter(|selection| !selection.uses_files()),
        }
    }
}

/// Bevy logs warnings and errors only (`RUST_LOG` adds to that, e.g. `RUST_LOG=info`), in
/// plain text when stderr is not a terminal.
fn log_plugin() -> bevy::log::LogPlugin {
    fn fmt_layer(_app: &mut App) -> Option<bevy::log::BoxedFmtLayer> {
        use std::io::IsTerminal;
        Some(Box::new(
            bevy::log::tracing_subscriber::fmt::Layer::default()
                .with_ansi(std::io::stderr().is_terminal())
                .with_writer(std::io::stderr),
        ))
    }
    bevy::log::LogPlugin {
        level: bevy::log::Level::WARN,
        fmt_layer,
        ..default()
    }
}

/// Where frames go: a window, or (for `orbitscope shot` without a display) an offscreen image.
enum Presentation {
    Window(Box<WindowPlugin>),
    Offscreen { width: u32, height: u32 },
}

/// The offscreen image the camera renders into when there is no window.
#[derive(Resource, Debug, Clone)]
pub struct OffscreenTarget(pub Handle<Image>);

/// Window settings shared by the interactive app and `orbitscope shot`.
fn window_plugin(title: &str, width: u32, height: u32) -> WindowPlugin {
    WindowPlugin {
        primary_window: Some(Window {
            title: title.to_owned(),
            resolution: WindowResolution::new(width, height).with_scale_factor_override(1.0),
            present_mode: PresentMode::AutoVsync,
            ..default()
        }),
        ..default()
    }
}

/// Builds the app around a loaded catalog.
fn build_app(
    catalog: Catalog,
    report: LoadReport,
    start: Instant,
    presentation: Presentation,
    ui: bool,
) -> App {
    let mut app = App::new();
    match presentation {
        Presentation::Window(window) => {
            app.add_plugins(DefaultPlugins.set(*window).set(log_plugin()));
        }
        Presentation::Offscreen { width, height } => {
            // Same renderer, no display server: no window, no winit, a plain loop.
            app.add_plugins((
                DefaultPlugins
                    .set(WindowPlugin {
                        primary_window: None,
                        exit_condition: bevy::window::ExitCondition::DontExit,
                        ..default()
                    })
                    .set(log_plugin())
                    .disable::<bevy::winit::WinitPlugin>(),
                bevy::app::ScheduleRunnerPlugin::run_loop(std::time::Duration::ZERO),
            ));
            let mut image = Image::new_target_texture(
                width,
                height,
                bevy::render::render_resource::TextureFormat::Rgba8UnormSrgb,
                None,
            );
            image.texture_descriptor.usage |=
                bevy::render::render_resource::TextureUsages::COPY_SRC;
            let handle = app.world_mut().resource_mut::<Assets<Image>>().add(image);
            app.insert_resource(OffscreenTarget(handle));
        }
    }
    app.insert_resource(ClearColor(Color::BLACK))
        .insert_resource(report)
        .insert_resource(DefaultView(CameraView::lit(start)))
        .add_plugins(SimulationPlugin {
            catalog: Arc::new(catalog),
            start,
        })
        .add_plugins(GlobePlugins { ui });
    app
}

/// Opens the globe on a loaded catalog, showing what `filter` keeps. `selection` is where the
/// catalog came from (the data window's refresh downloads into it).
pub fn run(
    loaded: LoadedCatalog,
    filter: Filter,
    selection: crate::loader::SourceSelection,
) -> Result<()> {
    let start = Instant::from_utc(chrono::Utc::now());
    let window = Presentation::Window(Box::new(window_plugin("OrbitScope", 1280, 800)));
    // What came from the cache is refreshed in the background as soon as the window is up
    // (each source only when its interval has passed: usually nothing is sent).
    let refresh_cache = !selection.uses_files() && !selection.offline;
    let report = LoadReport::of(&loaded, Some(selection.clone()));
    let mut app = build_app(loaded.catalog, report, start, window, true);
    app.insert_resource(FilterSettings(filter));
    if refresh_cache {
        app.world_mut().resource_mut::<DataRefresh>().start(
            selection,
            RefreshKind::Catalogs,
            false,
        );
    }
    app.run();
    Ok(())
}

/// Parameters of `orbitscope measure`.
#[derive(Debug, Clone)]
pub struct MeasureParams {
    pub seconds: f64,
    /// Replicate the catalog to this many objects (0: as loaded).
    pub replicate: usize,
    pub width: u32,
    pub height: u32,
    /// Which orbits are drawn while measuring.
    pub orbits: crate::scenario::OrbitsShown,
}

/// Runs the globe for a while and prints frame rate and our systems' CPU time per frame.
pub fn measure(loaded: LoadedCatalog, params: &MeasureParams) -> Result<()> {
    let report = LoadReport::of(&loaded, None);
    let catalog = measure::replicate(loaded.catalog, params.replicate);
    println!("objects: {}", catalog.objects.len());
    let start = Instant::from_utc(chrono::Utc::now());
    let window = window_plugin("OrbitScope measure", params.width, params.height);
    let mut app = build_app(
        catalog,
        report,
        start,
        Presentation::Window(Box::new(window)),
        true,
    );
    app.insert_resource(OrbitSettings {
        shown: params.orbits,
        ..OrbitSettings::default()
    });
    app.insert_resource(measure::Measurement::new(
        std::time::Duration::from_secs_f64(params.seconds.max(1.0)),
    ));
    measure::plugin(&mut app);
    app.run();
    Ok(())
}
