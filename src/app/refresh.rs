//! Downloads from the data window: [`crate::loader::refresh`] on a background thread (the
//! HTTP client blocks), its progress and outcome in words for the window, and the new catalog
//! swapped in when one arrives: propagation, the filter's mask, colours, the selection (kept
//! by NORAD number) and the statistics follow.

use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use chrono::{DateTime, Utc};

use super::LoadReport;
use super::filter::FilterSettings;
use super::picking::Selection;
use super::propagation::{CatalogData, Propagation, RenderPositions};
use super::tracks::SelectedPaths;
use crate::loader::{LoadedCatalog, Refresh, SourceSelection};
use crate::orbit::{BatchPropagator, PropagationMode, StateBuffers};

/// What a refresh asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshKind {
    /// CelesTrak's groups and SATCAT, and GCAT (each at most once every two hours).
    Catalogs,
    /// A pass through UNOOSA's index (one page every 2 s; weekly full, daily incremental).
    UnRegister,
}

/// Where the last refresh stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RefreshState {
    #[default]
    Idle,
    Running {
        source: String,
        done: u64,
        total: Option<u64>,
        /// `done` and `total` count pages of the UN index, not bytes.
        pages: bool,
    },
    /// Finished: one line per source, and whether a new catalog was loaded.
    Done {
        at: DateTime<Utc>,
        lines: Vec<String>,
        reloaded: bool,
        /// Some source failed or is stopped (a retry may help).
        failures: bool,
        /// What was asked for (a retry asks the same).
        what: RefreshKind,
    },
    Failed(String),
}

/// What the worker thread shares with the app.
#[derive(Debug, Default)]
struct Shared {
    progress: Option<(String, u64, Option<u64>, bool)>,
    result: Option<Result<Refresh, String>>,
}

/// The data refresh: its state for the window, and the running worker, if any.
#[derive(Resource, Debug, Default)]
pub struct DataRefresh {
    pub state: RefreshState,
    /// What the running (or last) refresh asks for.
    what: Option<RefreshKind>,
    worker: Option<Arc<Mutex<Shared>>>,
}

impl DataRefresh {
    pub fn is_running(&self) -> bool {
        self.worker.is_some()
    }

    /// Starts a refresh of `selection` in the background (one at a time); `retry` lifts the
    /// stops and the wait after a failure, as `orbitscope fetch --retry` does.
    pub fn start(&mut self, selection: SourceSelection, what: RefreshKind, retry: bool) {
        if self.is_running() {
            return;
        }
        let shared = Arc::new(Mutex::new(Shared::default()));
        let worker = Arc::clone(&shared);
        std::thread::spawn(move || {
            let set_progress = |progress| {
                if let Ok(mut shared) = worker.lock() {
                    shared.progress = Some(progress);
                }
            };
            let result = match what {
                RefreshKind::Catalogs => {
                    let options = crate::sources::FetchOptions {
                        retry,
                        ..Default::default()
                    };
                    crate::loader::refresh(&selection, options, &mut |source, done, total| {
                        set_progress((source.to_string(), done, total, false));
                    })
                }
                RefreshKind::UnRegister => {
                    let options = crate::sources::un_register::PassOptions {
                        retry,
                        ..Default::default()
                    };
                    crate::loader::refresh_register(&selection, options, &mut |status| {
                        set_progress((
                            format!(
                                "UN register, {} ({} objects)",
                                status.kind.label(),
                                status.entries
                            ),
                            status.pages as u64,
                            status.pages_expected.map(|pages| pages as u64),
                            true,
                        ));
                    })
                }
            }
            .map_err(|error| format!("{error:#}"));
            if let Ok(mut shared) = worker.lock() {
                shared.result = Some(result);
            }
        });
        self.state = RefreshState::Running {
            source: "starting".to_owned(),
            done: 0,
            total: None,
            pages: what == RefreshKind::UnRegister,
        };
        self.worker = Some(shared);
        self.what = Some(what);
    }

    /// The finished refresh, if the worker is done; the progress otherwise.
    fn poll(&mut self) -> Option<Result<Refresh, String>> {
        let shared_handle = Arc::clone(self.worker.as_ref()?);
        let Ok(mut shared) = shared_handle.lock() else {
            self.worker = None;
            return Some(Err("the download thread failed".to_owned()));
        };
        if let Some(result) = shared.result.take() {
            self.worker = None;
            return Some(result);
        }
        // The thread holds the third reference until it ends: gone without a result means it
        // failed (a panic unwinds through it), and the window must not wait for it forever.
        if Arc::strong_count(&shared_handle) <= 2 {
            self.worker = None;
            return Some(Err(
                "the download thread stopped without a result".to_owned()
            ));
        }
        if let Some((source, done, total, pages)) = shared.progress.clone() {
            self.state = RefreshState::Running {
                source,
                done,
                total,
                pages,
            };
        }
        None
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DataRefresh>().add_systems(
        Update,
        finish_refresh
            .before(super::controls::ApplyActions)
            .before(super::FrameSystems::Interpolate),
    );
}

/// Everything a new catalog replaces.
#[derive(bevy::ecs::system::SystemParam)]
struct CatalogSwap<'w> {
    catalog: ResMut<'w, CatalogData>,
    propagation: ResMut<'w, Propagation>,
    positions: ResMut<'w, RenderPositions>,
    report: Option<ResMut<'w, LoadReport>>,
    selection: ResMut<'w, Selection>,
    filter: ResMut<'w, FilterSettings>,
    paths: Option<ResMut<'w, SelectedPaths>>,
}

fn finish_refresh(mut refresh: ResMut<DataRefresh>, mut swap: CatalogSwap) {
    let Some(result) = refresh.poll() else {
        return;
    };
    refresh.state = match result {
        Err(message) => RefreshState::Failed(message),
        Ok(done) => {
            let lines = done.describe();
            let reloaded = done.reloaded.is_some();
            let failures = done.has_failures();
            if let Some(loaded) = done.reloaded {
                install(loaded, &mut swap);
            }
            RefreshState::Done {
                at: Utc::now(),
                lines,
                reloaded,
                failures,
                what: refresh.what.unwrap_or(RefreshKind::Catalogs),
            }
        }
    };
}

/// Swaps in a new catalog. The selection follows its NORAD number (or is cleared when the
/// object is gone); the filter is re-applied, which recomputes the mask and the colours.
fn install(loaded: LoadedCatalog, swap: &mut CatalogSwap) {
    let norad_of = |row: Option<usize>| {
        row.and_then(|index| swap.catalog.objects.get(index))
            .map(|object| object.norad_id)
    };
    let (selected_norad, companion_norad) = (
        norad_of(swap.selection.selected),
        norad_of(swap.selection.companion),
    );
    if let Some(report) = swap.report.as_deref_mut() {
        let selection = report.selection.take();
        *report = LoadReport::of(&loaded, selection);
    }
    let catalog = Arc::new(loaded.catalog);
    let propagator = BatchPropagator::new(
        catalog.objects.iter().map(|object| &object.elements),
        PropagationMode::Improved,
    );
    *swap.propagation = Propagation {
        states: StateBuffers::with_len(propagator.len()),
        propagator,
        ticks: 0,
    };
    *swap.positions = RenderPositions::default();
    swap.selection.selected = selected_norad.and_then(|norad| catalog.index_of(norad));
    swap.selection.companion = companion_norad
        .and_then(|norad| catalog.index_of(norad))
        .filter(|_| swap.selection.selected.is_some());
    swap.selection.hovered = None;
    if let Some(paths) = swap.paths.as_deref_mut() {
        *paths = SelectedPaths::default();
    }
    *swap.catalog = CatalogData(catalog);
    swap.filter.set_changed();
}
