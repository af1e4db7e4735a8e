//! The egui overlay. One system draws every panel in a fixed order; each panel is a function
//! that reads what it shows and returns its requests as [`AppAction`]s, applied after layout
//! (`controls`). Panels: time and data, filters and search, colour and legend, details of the
//! selection, the hover label, help; windows: statistics, registration gap, data status.

mod conjunctions;
mod data;
mod data_status;
mod details;
mod export;
mod filters;
mod gap;
mod help;
mod history_tab;
mod hover;
mod legend;
mod passes;
mod plots;
mod register_tab;
mod scenario;
mod statistics;
mod time;
mod widgets;

pub(super) use widgets::{count, swatch};

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::camera::OrbitCamera;
use super::controls::{AppAction, HelpOpen, PendingActions};
use super::filter::{FilterChoices, FilterSettings};
use super::globe::GlobeOverlays;
use super::markers::MarkerStyle;
use super::picking::Selection;
use super::propagation::{CatalogData, Propagation};
use super::{LoadReport, SimClock};

/// The panels' own state: what is open, what is typed, the UI scale.
#[derive(Resource, Debug)]
pub struct UiState {
    pub show_filters: bool,
    /// egui zoom factor (1 = 100 %).
    pub scale: f32,
    jump_text: String,
    jump_error: Option<String>,
    search: filters::SearchBox,
    owner_search: String,
    applied_scale: Option<f32>,
    stats: statistics::StatsOptions,
    scenario: scenario::ScenarioFields,
    /// What the last CSV export of the gap list did.
    gap_export: Option<String>,
    conjunctions: conjunctions::ConjunctionFields,
    passes: passes::PassFields,
    export: export::ExportFields,
}

impl Default for UiState {
    fn default() -> Self {
        Self {
            show_filters: true,
            scale: 1.0,
            jump_text: String::new(),
            jump_error: None,
            search: filters::SearchBox::default(),
            owner_search: String::new(),
            applied_scale: None,
            stats: statistics::StatsOptions::default(),
            scenario: scenario::ScenarioFields::default(),
            gap_export: None,
            conjunctions: conjunctions::ConjunctionFields::default(),
            passes: passes::PassFields::default(),
            export: export::ExportFields::default(),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<UiState>()
        .add_systems(EguiPrimaryContextPass, draw_panels);
}

/// Everything the panels read (never write).
#[derive(SystemParam)]
struct PanelData<'w, 's> {
    clock: Res<'w, SimClock>,
    catalog: Res<'w, CatalogData>,
    propagation: Res<'w, Propagation>,
    filter: Res<'w, FilterSettings>,
    as_of_clock: Res<'w, super::filter::CatalogAsOfClock>,
    choices: Res<'w, FilterChoices>,
    style: Res<'w, MarkerStyle>,
    overlays: Res<'w, GlobeOverlays>,
    selection: Res<'w, Selection>,
    help: Res<'w, HelpOpen>,
    orbit_settings: Res<'w, super::orbits::OrbitSettings>,
    orbits: Res<'w, super::orbits::OrbitInstances>,
    report: Option<Res<'w, LoadReport>>,
    views: Res<'w, super::analysis::AnalysisViews>,
    analysis: Res<'w, super::analysis::Analysis>,
    refresh: Res<'w, super::refresh::DataRefresh>,
    scenario_files: Res<'w, super::scenario_io::ScenarioFiles>,
    approaches: Res<'w, super::conjunctions::CloseApproaches>,
    passes: Res<'w, super::passes::SitesAndPasses>,
    cameras: Query<'w, 's, &'static OrbitCamera>,
    windows: Query<'w, 's, &'static Window, With<PrimaryWindow>>,
    shot: Option<Res<'w, super::ShotRequest>>,
}

impl PanelData<'_, '_> {
    fn following(&self) -> bool {
        self.cameras.iter().any(|camera| camera.follow)
    }
}

/// How long the screenshot notice stays.
const NOTICE_SECONDS: f32 = 8.0;

/// The last screenshot's outcome at the bottom of the window, whatever is open.
fn screenshot_notice(ctx: &egui::Context, data: &PanelData) {
    let Some((text, at)) = &data.scenario_files.notice else {
        return;
    };
    if at.elapsed().as_secs_f32() > NOTICE_SECONDS {
        return;
    }
    egui::Area::new(egui::Id::new("screenshot notice"))
        .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -16.0])
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| ui.label(text));
        });
}

fn draw_panels(
    mut contexts: EguiContexts,
    mut state: ResMut<UiState>,
    mut pending: ResMut<PendingActions>,
    data: PanelData,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if data.scenario_files.capturing() {
        // An F12 screenshot shows the globe and its overlays, not the panels; the overlays
        // set their own zoom, so ours is applied again afterwards.
        state.applied_scale = None;
        return Ok(());
    }
    if state.applied_scale != Some(state.scale) {
        ctx.set_zoom_factor(state.scale);
        state.applied_scale = Some(state.scale);
    }
    let state = &mut *state;
    let mut actions: Vec<AppAction> = Vec::new();
    let screen = ctx.content_rect();
    // Small windows start with the filter panel folded so the globe stays visible.
    let roomy = screen.width() >= 900.0 && screen.height() >= 700.0;
    let below_time = time::panel(ctx, &data, state, &mut actions);
    filters::panel(ctx, &data, state, below_time, roomy, &mut actions);
    legend::panel(ctx, &data, &mut actions);
    details::panel(ctx, &data, &mut actions);
    statistics::window(ctx, &data, state, &mut actions);
    gap::window(ctx, &data, state, &mut actions);
    conjunctions::window(ctx, &data, state, &mut actions);
    passes::window(ctx, &data, state, &mut actions);
    data_status::window(ctx, &data, state, &mut actions);
    scenario::window(ctx, &data, state, &mut actions);
    scenario::screenshot_key(ctx, &data, state, &mut actions);
    help::panel(ctx, &data, state, &mut actions);
    screenshot_notice(ctx, &data);
    if data.shot.is_none() {
        hover::label(ctx, &data);
    }
    pending.0.extend(actions);
    Ok(())
}
