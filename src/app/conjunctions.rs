//! Close approaches in the window: the screening of the current filter (against the whole
//! catalog or among itself) runs in a background task with progress and cancel, from the
//! clock's instant; its result is kept until the catalog, the filter or the span changes. The
//! chosen event is drawn as a line between the two objects with the second one's orbit, and
//! the events near the clock's time as rings on the globe. This plugin is the only writer of
//! [`CloseApproaches`]; the window sends it [`ConjunctionRequest`]s.

use std::sync::{Arc, Weak};

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task};
use glam::DVec3;

use super::background::poll_done;
use super::filter::FilterSettings;
use super::propagation::{CatalogData, Propagation};
use super::{RenderPositions, SimClock};
use crate::catalog::Catalog;
use crate::conjunction::{
    Against, Progress, ScreeningReport, ScreeningRequest, participants, screen,
};
use crate::filter::Filter;
use crate::orbit::Instant;
use crate::orbit::tracks::{orbit_path_teme, period_minutes};
use crate::render_space::world_from_teme_km;

/// What the window asks the screening for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConjunctionSettings {
    pub days: f64,
    pub threshold_km: f64,
    pub against: Against,
}

impl Default for ConjunctionSettings {
    fn default() -> Self {
        Self {
            days: 7.0,
            threshold_km: 5.0,
            against: Against::All,
        }
    }
}

/// Requests from the window and the keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConjunctionRequest {
    ToggleWindow,
    Run(ConjunctionSettings),
    Cancel,
    /// Draw this event (an index into the report's list); None: none.
    Show(Option<usize>),
    /// Draw a pair found without a report (a scenario names it).
    ShowPair(ShownPair),
    /// Rings on the globe where events happen near the clock's time.
    SetMarkers(bool),
}

/// The pair of a close approach drawn on the globe: catalog rows and the time of closest
/// approach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownPair {
    pub first: usize,
    pub second: usize,
    pub tca: Instant,
}

/// Requests waiting for this frame.
#[derive(Resource, Debug, Default)]
pub struct ConjunctionRequests(pub Vec<ConjunctionRequest>);

/// The filter, catalog and span a report is for.
#[derive(Debug, Clone)]
struct ComputedFor {
    filter: Filter,
    /// The weak reference keeps the old catalog's allocation, so a new catalog can never reuse
    /// its address and pass for it.
    catalog: Weak<Catalog>,
}

/// The close-approach window's state and result.
#[derive(Resource, Debug, Default)]
pub struct CloseApproaches {
    pub open: bool,
    /// The settings of the report shown (or running).
    pub settings: ConjunctionSettings,
    pub report: Option<Arc<ScreeningReport>>,
    /// The span's start of the report.
    pub start: Option<Instant>,
    /// The report's event chosen in the table.
    pub shown: Option<usize>,
    /// The pair drawn (the chosen event's, or a scenario's).
    pub pair: Option<ShownPair>,
    pub markers: bool,
    /// Why the last run ended without a report (cancelled, nothing to screen).
    pub message: Option<String>,
    progress: Option<Arc<Progress>>,
    task: Option<Task<Result<ScreeningReport, String>>>,
    computed_for: Option<ComputedFor>,
    /// Second object's orbit for the shown pair (render space).
    second_orbit: Vec<Vec3>,
    /// The catalog the pair's rows are in.
    pair_catalog: Weak<Catalog>,
}

impl CloseApproaches {
    /// (intervals done, in all) while a screening runs.
    pub fn running(&self) -> Option<(usize, usize)> {
        self.task.as_ref()?;
        Some(self.progress.as_ref().map_or((0, 0), |p| p.fraction()))
    }
}

/// The screening and its state (no renderer needed: headless tests run it).
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CloseApproaches>()
        .init_resource::<ConjunctionRequests>()
        .add_systems(
            Update,
            handle_requests
                .after(super::controls::ApplyActions)
                .before(super::FrameSystems::Interpolate),
        );
}

/// The chosen event and the rings, drawn on the globe.
pub(super) fn draw_plugin(app: &mut App) {
    app.add_systems(
        Update,
        draw_conjunctions.in_set(super::FrameSystems::Present),
    );
}

/// What a click on an event asks for: the clock to its TCA (paused there), both objects
/// selected (the first as the selection) and framed, the event drawn.
pub fn go_to_actions(
    report: &ScreeningReport,
    index: usize,
    clock_paused: bool,
) -> Vec<super::controls::AppAction> {
    use super::controls::{AppAction, ClockAction};
    let Some(event) = report.conjunctions.get(index) else {
        return Vec::new();
    };
    let mut actions = vec![AppAction::Clock(ClockAction::JumpTo(Instant::from_utc(
        event.tca,
    )))];
    if !clock_paused {
        actions.push(AppAction::Clock(ClockAction::TogglePause));
    }
    actions.push(AppAction::FocusPair(event.a.index, event.b.index));
    actions.push(AppAction::Conjunctions(ConjunctionRequest::Show(Some(
        index,
    ))));
    actions
}

fn handle_requests(
    mut requests: ResMut<ConjunctionRequests>,
    mut approaches: ResMut<CloseApproaches>,
    filter: Res<FilterSettings>,
    catalog: Res<CatalogData>,
    clock: Res<SimClock>,
    propagation: Res<Propagation>,
) {
    // Polled without marking the state changed: it changes only when the task is done.
    let finished = poll_done(&mut approaches.bypass_change_detection().task);
    if let Some(result) = finished {
        approaches.progress = None;
        match result {
            Ok(report) => approaches.report = Some(Arc::new(report)),
            Err(message) => approaches.message = Some(message),
        }
    }
    // Kept until the catalog or the filter changes (compared, not change-detected).
    let stale = approaches.computed_for.as_ref().is_some_and(|computed| {
        computed.filter != filter.0
            || !std::ptr::eq(computed.catalog.as_ptr(), Arc::as_ptr(&catalog.0))
    });
    let pair_stale = approaches.pair.is_some()
        && !std::ptr::eq(approaches.pair_catalog.as_ptr(), Arc::as_ptr(&catalog.0));
    if pair_stale {
        approaches.pair = None;
        approaches.second_orbit.clear();
    }
    if stale {
        approaches.report = None;
        approaches.shown = None;
        approaches.pair = None;
        approaches.computed_for = None;
        approaches.second_orbit.clear();
        if let Some(progress) = approaches.progress.take() {
            progress.cancel();
        }
        approaches.task = None;
        approaches.message = Some("the filter or the catalog changed: run again".to_owned());
    }
    if requests.0.is_empty() {
        return;
    }
    for request in std::mem::take(&mut requests.0) {
        match request {
            ConjunctionRequest::ToggleWindow => approaches.open ^= true,
            ConjunctionRequest::Run(settings) => {
                if let Some(progress) = approaches.progress.take() {
                    progress.cancel();
                }
                let progress = Arc::new(Progress::default());
                let start = clock.now();
                approaches.task = Some(spawn_screening(
                    Arc::clone(&catalog.0),
                    filter.0.clone(),
                    settings,
                    start,
                    Arc::clone(&progress),
                ));
                approaches.progress = Some(progress);
                approaches.settings = settings;
                approaches.start = Some(start);
                approaches.report = None;
                approaches.shown = None;
                approaches.pair = None;
                approaches.second_orbit.clear();
                approaches.message = None;
                approaches.computed_for = Some(ComputedFor {
                    filter: filter.0.clone(),
                    catalog: Arc::downgrade(&catalog.0),
                });
            }
            ConjunctionRequest::Cancel => {
                if let Some(progress) = approaches.progress.take() {
                    progress.cancel();
                }
            }
            ConjunctionRequest::Show(shown) => {
                approaches.shown = shown;
                let pair = shown
                    .and_then(|index| approaches.report.as_ref()?.conjunctions.get(index))
                    .map(|event| ShownPair {
                        first: event.a.index,
                        second: event.b.index,
                        tca: Instant::from_utc(event.tca),
                    });
                show_pair(&mut approaches, pair, &catalog, &propagation);
            }
            ConjunctionRequest::ShowPair(pair) => {
                approaches.shown = None;
                show_pair(&mut approaches, Some(pair), &catalog, &propagation);
            }
            ConjunctionRequest::SetMarkers(on) => {
                if approaches.markers != on {
                    approaches.markers = on;
                }
            }
        }
    }
}

/// Draws `pair` (or nothing), with the second object's orbit around its TCA.
fn show_pair(
    approaches: &mut CloseApproaches,
    pair: Option<ShownPair>,
    catalog: &CatalogData,
    propagation: &Propagation,
) {
    approaches.pair = pair;
    approaches.pair_catalog = Arc::downgrade(&catalog.0);
    approaches.second_orbit = pair
        .filter(|pair| pair.second < catalog.0.objects.len())
        .map(|pair| {
            let mean_motion = catalog.0.objects[pair.second].elements.mean_motion;
            orbit_path_teme(
                &propagation.propagator,
                pair.second,
                pair.tca,
                period_minutes(mean_motion),
                256,
            )
            .into_iter()
            .map(world_from_teme_km)
            .collect()
        })
        .unwrap_or_default();
}

fn spawn_screening(
    catalog: Arc<Catalog>,
    filter: Filter,
    settings: ConjunctionSettings,
    start: Instant,
    progress: Arc<Progress>,
) -> Task<Result<ScreeningReport, String>> {
    AsyncComputeTaskPool::get().spawn(async move {
        let request = ScreeningRequest {
            start,
            span_s: settings.days * 86_400.0,
            threshold_km: settings.threshold_km,
        };
        request.validate()?;
        let objects = &catalog.objects;
        let mask = filter.mask(objects);
        let (slots, primary) = participants(objects, |index| mask[index], settings.against);
        let primaries = primary.iter().filter(|&&p| p).count();
        if primaries == 0 {
            return Err("no object passes the filter: nothing to screen".to_owned());
        }
        let elements: Vec<&sgp4::Elements> = slots
            .iter()
            .map(|&index| &objects[index].elements)
            .collect();
        let screening = screen(&elements, &primary, &request, &progress)
            .map_err(|cancelled| cancelled.to_string())?;
        Ok(ScreeningReport::new(
            &screening, &request, objects, &slots, primaries,
        ))
    })
}

/// The chosen pair: a line between the two objects and the second one's orbit; with markers
/// on, a ring at every event within half an hour of the clock's time, where it happens.
fn draw_conjunctions(
    approaches: Res<CloseApproaches>,
    positions: Res<RenderPositions>,
    clock: Res<SimClock>,
    mut gizmos: Gizmos,
) {
    let highlight = Color::srgb(1.0, 0.25, 0.25);
    if let Some(pair) = approaches.pair {
        if let (Some(&a), Some(&b)) = (
            positions.world.get(pair.first),
            positions.world.get(pair.second),
        ) {
            gizmos.line(a, b, highlight);
            gizmos.sphere(Isometry3d::from_translation(b), 0.004, highlight);
        }
        gizmos.linestrip(approaches.second_orbit.iter().copied(), highlight);
    }
    let Some(report) = approaches.report.as_deref() else {
        return;
    };
    if approaches.markers {
        let now = clock.now();
        for event in &report.conjunctions {
            if Instant::from_utc(event.tca).minutes_since(now).abs() <= 30.0 {
                let point = world_from_teme_km(DVec3::from(event.position_teme_km));
                gizmos.sphere(Isometry3d::from_translation(point), 0.01, highlight);
            }
        }
    }
}
