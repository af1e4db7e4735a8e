//! What the user can ask for, as actions: keys and panel widgets both send [`AppAction`]s,
//! which are applied in one place after the panels are laid out. Widgets therefore never hold
//! `&mut` to app state, and a resource is only marked changed when a value really changes.

use bevy::prelude::*;
use bevy_egui::input::egui_wants_any_keyboard_input;

use super::camera::OrbitCamera;
use super::clock::SimClock;
use super::filter::FilterSettings;
use super::globe::GlobeOverlays;
use super::markers::MarkerStyle;
use super::picking::Selection;
use super::propagation::RenderPositions;
use crate::filter::Filter;
use crate::orbit::Instant;
use crate::palette::ColorMode;
use crate::view::CameraView;

/// Changes to the simulation clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClockAction {
    TogglePause,
    Faster,
    Slower,
    Reverse,
    /// Simulated seconds, paused or not.
    Step(f64),
    /// Real time, now.
    Now,
    JumpTo(Instant),
}

/// One request from a key or a widget.
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    Clock(ClockAction),
    SetFilter(Box<Filter>),
    SetColorMode(ColorMode),
    SetGraticule(bool),
    SetBorders(bool),
    ToggleGraticule,
    ToggleBorders,
    /// Select an object and turn the camera towards it.
    Focus(usize),
    /// Select both objects of a close approach (the first as the selection) and frame them.
    FocusPair(usize, usize),
    /// Clear the selection (and stop following it).
    ClearSelection,
    ToggleFollow,
    ToggleHelp,
    /// Open or close the statistics window (`T`), the registration gap list (`U`), the data
    /// status window (`D`).
    ToggleStatistics,
    ToggleGapList,
    ToggleDataStatus,
    SetStatisticsTab(super::analysis::StatsTab),
    /// Save, load or browse for a scenario, or write a screenshot with the overlays (`F12`).
    Scenario(super::scenario_io::ScenarioRequest),
    /// Open or close the scenario window (`F2`).
    ToggleScenarioWindow,
    /// Ask the remote sources for news (under the fetch rules), in the background; `retry`
    /// lifts stops and the wait after a failure (`fetch --retry`).
    RefreshData {
        what: super::refresh::RefreshKind,
        retry: bool,
    },
    /// Which orbits are drawn, and the opacity of the shown objects' orbits.
    SetOrbits(super::orbits::OrbitSettings),
    /// Show the catalog as of the clock's date (hide what was not yet catalogued or had
    /// decayed), or stop.
    SetCatalogAsOfClock(bool),
    /// Draw filtered-out objects dimmed instead of leaving them out.
    SetDimHidden(bool),
    /// The close-approaches window and its screening (`C`).
    Conjunctions(super::conjunctions::ConjunctionRequest),
    /// The sites & passes window and its searches (`P`).
    Passes(super::passes::PassRequest),
    /// Turn the camera to look straight down at a point (degrees), keeping its distance.
    LookAbove {
        latitude_deg: f64,
        longitude_deg: f64,
    },
}

/// Actions waiting to be applied this frame.
#[derive(Resource, Debug, Default)]
pub struct PendingActions(pub Vec<AppAction>);

/// Whether the help window is open (toggled by F1 or `?`, and its close button).
#[derive(Resource, Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HelpOpen(pub bool);

/// Applies the pending actions (after the panels, before anything reads the state).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApplyActions;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PendingActions>()
        .init_resource::<HelpOpen>()
        .add_systems(
            Update,
            (
                keys_to_actions.run_if(not(egui_wants_any_keyboard_input)),
                apply_actions.in_set(ApplyActions),
            )
                .chain()
                .before(super::FrameSystems::Interpolate),
        );
}

/// The keys of [`super::keys::KEY_BINDINGS`] that send actions, and `?` (help). Keys with
/// Ctrl, Alt or Super held are left to the system.
fn keys_to_actions(keys: Res<ButtonInput<KeyCode>>, mut pending: ResMut<PendingActions>) {
    let modifier = keys.any_pressed([
        KeyCode::ControlLeft,
        KeyCode::ControlRight,
        KeyCode::AltLeft,
        KeyCode::AltRight,
        KeyCode::SuperLeft,
        KeyCode::SuperRight,
    ]);
    if modifier {
        return;
    }
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    for binding in super::keys::KEY_BINDINGS {
        if let Some(action) = binding.action
            && keys.any_just_pressed(binding.keys.iter().copied())
        {
            pending.0.push(action());
        }
    }
    // `?` is Shift+/ on most layouts.
    if shift && keys.just_pressed(KeyCode::Slash) {
        pending.0.push(AppAction::ToggleHelp);
    }
}

/// Everything an action may change.
#[derive(bevy::ecs::system::SystemParam)]
struct Targets<'w, 's> {
    clock: ResMut<'w, SimClock>,
    filter: ResMut<'w, FilterSettings>,
    as_of_clock: ResMut<'w, super::filter::CatalogAsOfClock>,
    style: ResMut<'w, MarkerStyle>,
    overlays: ResMut<'w, GlobeOverlays>,
    selection: ResMut<'w, Selection>,
    help: ResMut<'w, HelpOpen>,
    views: ResMut<'w, super::analysis::AnalysisViews>,
    refresh: ResMut<'w, super::refresh::DataRefresh>,
    scenario_requests: ResMut<'w, super::scenario_io::ScenarioRequests>,
    conjunction_requests: ResMut<'w, super::conjunctions::ConjunctionRequests>,
    pass_requests: ResMut<'w, super::passes::PassRequests>,
    report: Option<Res<'w, super::LoadReport>>,
    orbits: ResMut<'w, super::orbits::OrbitSettings>,
    positions: Res<'w, RenderPositions>,
    cameras: Query<'w, 's, &'static mut OrbitCamera>,
}

fn apply_actions(mut pending: ResMut<PendingActions>, mut targets: Targets) {
    if pending.0.is_empty() {
        return;
    }
    for action in std::mem::take(&mut pending.0) {
        match action {
            AppAction::Clock(clock_action) => apply_clock(&mut targets.clock, clock_action),
            AppAction::SetFilter(filter) => {
                targets.filter.set_if_neq(FilterSettings(*filter));
            }
            AppAction::SetColorMode(mode) => {
                if targets.style.mode != mode {
                    targets.style.mode = mode;
                }
            }
            AppAction::SetGraticule(on) => {
                if targets.overlays.graticule != on {
                    targets.overlays.graticule = on;
                }
            }
            AppAction::SetBorders(on) => {
                if targets.overlays.borders != on {
                    targets.overlays.borders = on;
                }
            }
            AppAction::ToggleGraticule => {
                let on = !targets.overlays.graticule;
                targets.overlays.graticule = on;
            }
            AppAction::ToggleBorders => {
                let on = !targets.overlays.borders;
                targets.overlays.borders = on;
            }
            AppAction::Focus(index) => {
                targets.selection.select(Some(index));
                if let Some(&position) = targets.positions.world.get(index) {
                    for mut camera in &mut targets.cameras {
                        let facing = CameraView::facing(position, camera.view.distance);
                        camera.view.yaw = facing.yaw;
                        camera.view.pitch = facing.pitch;
                    }
                }
            }
            AppAction::FocusPair(first, second) => {
                targets.selection.selected = Some(first);
                targets.selection.companion = Some(second);
                let world = &targets.positions.world;
                if let (Some(&a), Some(&b)) = (world.get(first), world.get(second)) {
                    let framed = CameraView::framing_pair(a, b);
                    for mut camera in &mut targets.cameras {
                        camera.view.yaw = framed.yaw;
                        camera.view.pitch = framed.pitch;
                        camera.target_distance = framed.distance;
                        camera.follow = false;
                    }
                }
            }
            AppAction::ClearSelection => {
                targets.selection.select(None);
                for mut camera in &mut targets.cameras {
                    camera.follow = false;
                }
            }
            AppAction::ToggleFollow => {
                let has_selection = targets.selection.selected.is_some();
                for mut camera in &mut targets.cameras {
                    camera.follow = has_selection && !camera.follow;
                }
            }
            AppAction::ToggleHelp => targets.help.0 = !targets.help.0,
            AppAction::ToggleStatistics => targets.views.statistics ^= true,
            AppAction::ToggleGapList => targets.views.gap_list ^= true,
            AppAction::ToggleDataStatus => targets.views.data_status ^= true,
            AppAction::SetStatisticsTab(tab) => targets.views.statistics_tab = tab,
            AppAction::Scenario(request) => targets.scenario_requests.0.push(request),
            AppAction::ToggleScenarioWindow => targets.views.scenario ^= true,
            AppAction::RefreshData { what, retry } => {
                if let Some(selection) = targets.report.as_ref().and_then(|r| r.selection.clone()) {
                    targets.refresh.start(selection, what, retry);
                }
            }
            AppAction::SetCatalogAsOfClock(on) => {
                targets
                    .as_of_clock
                    .set_if_neq(super::filter::CatalogAsOfClock(on));
                if !on && targets.filter.in_orbit_on.is_some() {
                    targets.filter.in_orbit_on = None;
                }
            }
            AppAction::SetDimHidden(dim) => {
                let hidden = if dim {
                    crate::markers::Hidden::Dimmed
                } else {
                    crate::markers::Hidden::Omitted
                };
                if targets.style.hidden != hidden {
                    targets.style.hidden = hidden;
                }
            }
            AppAction::SetOrbits(settings) => {
                targets.orbits.set_if_neq(settings);
            }
            AppAction::Conjunctions(request) => targets.conjunction_requests.0.push(request),
            AppAction::Passes(request) => targets.pass_requests.0.push(request),
            AppAction::LookAbove {
                latitude_deg,
                longitude_deg,
            } => {
                let at = targets.clock.now();
                for mut camera in &mut targets.cameras {
                    let view =
                        CameraView::above(latitude_deg, longitude_deg, camera.view.distance, at);
                    camera.view = view;
                    camera.follow = false;
                }
            }
        }
    }
}

fn apply_clock(clock: &mut SimClock, action: ClockAction) {
    match action {
        ClockAction::TogglePause => clock.toggle_pause(),
        ClockAction::Faster => clock.faster(),
        ClockAction::Slower => clock.slower(),
        ClockAction::Reverse => clock.reverse(),
        ClockAction::Step(seconds) => clock.step(seconds),
        ClockAction::Now => clock.jump_to_now(Instant::from_utc(chrono::Utc::now())),
        ClockAction::JumpTo(instant) => clock.jump_to(instant),
    }
}
