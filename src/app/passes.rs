//! Sites and passes in the window: the site book (the `sites.json` the command line reads, read
//! when the window first opens, so `shot` never draws a user's private sites), pass searches in
//! a background task — the selected object over every site, or the filtered objects over the
//! chosen site — the chosen pass's track across the sky, and the sites on the globe with the
//! ground circle from which the selected object is seen above the minimum elevation. This
//! plugin is the only writer of [`SitesAndPasses`]; the window sends it [`PassRequest`]s.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task};

use super::background::poll_done;
use super::filter::FilterSettings;
use super::propagation::{CatalogData, Propagation};
use super::{RenderPositions, Selection, SimClock};
use crate::catalog::Catalog;
use crate::filter::Filter;
use crate::orbit::Instant;
use crate::orbit::frames::{Geodetic, WGS84_A_KM};
use crate::passes::{
    LookAngles, PassOptions, PassRow, Site, SiteBook, SiteFrame, Span, find_passes,
    footprint_half_angle_rad, ground_circle, pass_rows, sky_track,
};
use crate::render_space::{earth_rotation_at, world_axes_from_geodetic};

/// What a search covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassScope {
    /// The selected object over every site of the book.
    SelectedOverEverySite,
    /// Every object the filter shows over the chosen site.
    FilteredOverSite,
}

/// The window's search settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassSettings {
    pub days: f64,
    pub min_elevation_deg: f64,
}

impl Default for PassSettings {
    fn default() -> Self {
        Self {
            days: 3.0,
            min_elevation_deg: crate::passes::DEFAULT_MIN_ELEVATION_DEG,
        }
    }
}

/// Requests from the window and the keys.
#[derive(Debug, Clone, PartialEq)]
pub enum PassRequest {
    ToggleWindow,
    /// Add a site to the book (replacing one of the same name) and save the book.
    AddSite(Site),
    /// A scenario's sites: added to the book for the session (not saved) and drawn.
    UseSites(Vec<Site>),
    RemoveSite(usize),
    ChooseSite(usize),
    Run(PassScope, PassSettings),
    /// Stop waiting for the search (its result is dropped).
    Cancel,
    /// Show this row's pass in the sky plot (None: none).
    Show(Option<usize>),
}

/// Requests waiting for this frame.
#[derive(Resource, Debug, Default)]
pub struct PassRequests(pub Vec<PassRequest>);

/// A search's result.
#[derive(Debug, Clone)]
pub struct PassTable {
    pub rows: Vec<PassRow>,
    /// Catalog rows of the objects searched (a row's `object` indexes this).
    pub objects: Vec<usize>,
    pub sites: Vec<Site>,
    pub scope: PassScope,
    pub settings: PassSettings,
    pub span: Span,
    /// Objects SGP4 could not follow over the span: (catalog row, why).
    pub failures: Vec<(usize, String)>,
}

/// The window's state: the book, the chosen site, a search and its result.
#[derive(Resource, Debug, Default)]
pub struct SitesAndPasses {
    pub open: bool,
    /// Draw the sites on the globe with the window closed (a scenario brought them).
    pub on_globe: bool,
    pub book: SiteBook,
    /// Where the book lives (None: no config directory; sites then last the session).
    pub book_path: Option<PathBuf>,
    book_read: bool,
    /// Index into the book's sites.
    pub site: usize,
    pub table: Option<Arc<PassTable>>,
    /// The row shown in the sky plot, and its track (time, look angles).
    pub shown: Option<usize>,
    pub track: Vec<(Instant, LookAngles)>,
    pub message: Option<String>,
    task: Option<Task<Result<PassTable, String>>>,
    progress: Option<Arc<[AtomicU64; 2]>>,
    /// The catalog the table's rows are for.
    catalog: std::sync::Weak<Catalog>,
}

impl SitesAndPasses {
    /// (objects done, in all) while a search runs.
    pub fn running(&self) -> Option<(u64, u64)> {
        self.task.as_ref()?;
        Some(self.progress.as_ref().map_or((0, 0), |p| {
            (p[0].load(Ordering::Relaxed), p[1].load(Ordering::Relaxed))
        }))
    }

    /// The chosen site, if the book has any.
    pub fn chosen_site(&self) -> Option<&Site> {
        self.book.sites.get(self.site)
    }

    /// Only these sites, drawn on the globe, and never the user's book (a shot's).
    pub fn show_only(&mut self, sites: Vec<Site>) {
        self.book = SiteBook { sites };
        self.book_read = true;
        self.on_globe = true;
    }

    /// The sites a saved scenario should carry: the book's, once the window has read it.
    pub fn sites_to_save(&self) -> Option<&[Site]> {
        self.book_read.then_some(self.book.sites.as_slice())
    }
}

/// The searches (no renderer needed: headless tests run them).
pub(super) fn plugin(app: &mut App) {
    app.insert_resource(SitesAndPasses {
        book_path: crate::passes::site::site_book_path(),
        ..SitesAndPasses::default()
    })
    .init_resource::<PassRequests>()
    .add_systems(
        Update,
        handle_requests
            .after(super::controls::ApplyActions)
            .before(super::FrameSystems::Interpolate),
    );
}

/// The sites and the selected object's ground circle, drawn on the globe.
pub(super) fn draw_plugin(app: &mut App) {
    app.add_systems(Update, draw_sites.in_set(super::FrameSystems::Present));
}

/// What a click on a pass asks for: the clock at its rise (paused there), the object
/// selected, the camera above the site, the pass in the sky plot.
pub fn go_to_actions(
    table: &PassTable,
    row: usize,
    clock_paused: bool,
) -> Vec<super::controls::AppAction> {
    use super::controls::{AppAction, ClockAction};
    let Some(entry) = table.rows.get(row) else {
        return Vec::new();
    };
    let (Some(&object), Some(site)) =
        (table.objects.get(entry.object), table.sites.get(entry.site))
    else {
        return Vec::new();
    };
    let mut actions = vec![AppAction::Clock(ClockAction::JumpTo(entry.pass.rise.at))];
    if !clock_paused {
        actions.push(AppAction::Clock(ClockAction::TogglePause));
    }
    actions.push(AppAction::Focus(object));
    actions.push(AppAction::LookAbove {
        latitude_deg: site.latitude_deg,
        longitude_deg: site.longitude_deg,
    });
    actions.push(AppAction::Passes(PassRequest::Show(Some(row))));
    actions
}

fn handle_requests(
    mut requests: ResMut<PassRequests>,
    mut state: ResMut<SitesAndPasses>,
    filter: Res<FilterSettings>,
    selection: Res<Selection>,
    catalog: Res<CatalogData>,
    clock: Res<SimClock>,
    propagation: Res<Propagation>,
) {
    // Polled without marking the state changed: it changes only when the task is done.
    let finished = poll_done(&mut state.bypass_change_detection().task);
    if let Some(result) = finished {
        state.progress = None;
        match result {
            Ok(table) => {
                state.message = Some(summary(&table));
                state.table = Some(Arc::new(table));
            }
            Err(message) => state.message = Some(message),
        }
    }
    let stale =
        state.table.is_some() && !std::ptr::eq(state.catalog.as_ptr(), Arc::as_ptr(&catalog.0));
    if stale {
        state.table = None;
        state.shown = None;
        state.track.clear();
        state.message = Some("the catalog changed: search again".to_owned());
    }
    if requests.0.is_empty() {
        return;
    }
    for request in std::mem::take(&mut requests.0) {
        match request {
            PassRequest::ToggleWindow => {
                state.open ^= true;
                read_book_once(&mut state);
            }
            PassRequest::AddSite(site) => {
                read_book_once(&mut state);
                let name = site.name.clone();
                state.book.insert(site);
                state.site = state
                    .book
                    .sites
                    .iter()
                    .position(|known| known.name == name)
                    .unwrap_or(0);
                save_book(&mut state, format!("site {name:?} added"));
            }
            PassRequest::UseSites(sites) => {
                read_book_once(&mut state);
                let count = sites.len();
                for site in sites {
                    state.book.insert(site);
                }
                state.on_globe = true;
                state.message = Some(format!(
                    "{count} sites from the scenario (for this session; not saved to your sites)"
                ));
            }
            PassRequest::RemoveSite(index) => {
                if index < state.book.sites.len() {
                    let removed = state.book.sites.remove(index);
                    state.site = state.site.min(state.book.sites.len().saturating_sub(1));
                    save_book(&mut state, format!("site {:?} removed", removed.name));
                }
            }
            PassRequest::ChooseSite(index) => {
                if index < state.book.sites.len() && state.site != index {
                    state.site = index;
                }
            }
            PassRequest::Run(scope, settings) => {
                let objects: Vec<usize> = match scope {
                    PassScope::SelectedOverEverySite => selection.selected.into_iter().collect(),
                    PassScope::FilteredOverSite => visible_rows(&filter.0, &catalog.0),
                };
                let sites: Vec<Site> = match scope {
                    PassScope::SelectedOverEverySite => state.book.sites.clone(),
                    PassScope::FilteredOverSite => {
                        state.chosen_site().cloned().into_iter().collect()
                    }
                };
                if let Some(why) = nothing_to_search(scope, &objects, &sites) {
                    state.message = Some(why.to_owned());
                    continue;
                }
                let progress = Arc::new([AtomicU64::new(0), AtomicU64::new(0)]);
                let span = Span::days(clock.now(), settings.days);
                state.task = Some(spawn_search(
                    Arc::clone(&catalog.0),
                    objects,
                    sites,
                    scope,
                    settings,
                    span,
                    Arc::clone(&progress),
                ));
                state.progress = Some(progress);
                state.table = None;
                state.shown = None;
                state.track.clear();
                state.message = None;
                state.catalog = Arc::downgrade(&catalog.0);
            }
            PassRequest::Cancel => {
                if state.task.take().is_some() {
                    state.progress = None;
                    state.message = Some("search cancelled".to_owned());
                }
            }
            PassRequest::Show(row) => {
                state.shown = row;
                let track = row
                    .and_then(|row| {
                        let table = state.table.as_ref()?;
                        let entry = table.rows.get(row)?;
                        let object = *table.objects.get(entry.object)?;
                        let frame = SiteFrame::new(table.sites.get(entry.site)?);
                        Some(sky_track(
                            &propagation.propagator,
                            object,
                            &frame,
                            entry.pass.rise.at,
                            entry.pass.set.at,
                            121,
                        ))
                    })
                    .unwrap_or_default();
                state.track = track;
            }
        }
    }
}

/// Why a search has nothing to do, if so.
fn nothing_to_search(scope: PassScope, objects: &[usize], sites: &[Site]) -> Option<&'static str> {
    match scope {
        _ if sites.is_empty() => Some("add a site first"),
        PassScope::SelectedOverEverySite if objects.is_empty() => {
            Some("select an object first (click it on the globe, or search for it)")
        }
        PassScope::FilteredOverSite if objects.is_empty() => Some("the filter shows no object"),
        _ => None,
    }
}

fn visible_rows(filter: &Filter, catalog: &Catalog) -> Vec<usize> {
    let mask = filter.mask(&catalog.objects);
    (0..catalog.objects.len())
        .filter(|&row| mask[row])
        .collect()
}

fn read_book_once(state: &mut SitesAndPasses) {
    if state.book_read {
        return;
    }
    state.book_read = true;
    if let Some(path) = state.book_path.clone() {
        match SiteBook::load_or_default(&path) {
            Ok(book) => state.book = book,
            Err(error) => state.message = Some(error.to_string()),
        }
    }
}

fn save_book(state: &mut SitesAndPasses, done: String) {
    state.message = Some(match &state.book_path {
        Some(path) => match state.book.save(path) {
            Ok(()) => format!("{done}; saved to {}", path.display()),
            Err(error) => format!("{done}, but not saved: {error}"),
        },
        None => format!("{done} (no config directory: kept for this session)"),
    });
}

fn summary(table: &PassTable) -> String {
    let mut text = format!("{} passes", table.rows.len());
    if !table.failures.is_empty() {
        text.push_str(&format!(
            "; {} objects could not be followed over the span (first: {})",
            table.failures.len(),
            table.failures[0].1
        ));
    }
    text
}

fn spawn_search(
    catalog: Arc<Catalog>,
    objects: Vec<usize>,
    sites: Vec<Site>,
    scope: PassScope,
    settings: PassSettings,
    span: Span,
    progress: Arc<[AtomicU64; 2]>,
) -> Task<Result<PassTable, String>> {
    AsyncComputeTaskPool::get().spawn(async move {
        let options = PassOptions {
            min_elevation_deg: settings.min_elevation_deg,
            ..PassOptions::default()
        };
        let elements: Vec<&sgp4::Elements> = objects
            .iter()
            .map(|&row| &catalog.objects[row].elements)
            .collect();
        let report = |done: u64, total: u64| {
            progress[0].store(done, Ordering::Relaxed);
            progress[1].store(total, Ordering::Relaxed);
        };
        let found = find_passes(&elements, &sites, span, &options, &report)
            .map_err(|error| error.to_string())?;
        let mut failures: Vec<(usize, String)> = found
            .iter()
            .filter_map(|entry| {
                let failure = entry.failure?;
                Some((objects[entry.object], failure.reason.to_string()))
            })
            .collect();
        failures.dedup_by_key(|(row, _)| *row);
        Ok(PassTable {
            rows: pass_rows(&found),
            objects,
            sites,
            scope,
            settings,
            span,
            failures,
        })
    })
}

/// Each site as a pin (a short line up from the ground) and, with an object selected, the
/// ground circle from which that object, at its present height, is above the minimum elevation.
fn draw_sites(
    state: Res<SitesAndPasses>,
    selection: Res<Selection>,
    positions: Res<RenderPositions>,
    clock: Res<SimClock>,
    mut gizmos: Gizmos,
) {
    if !(state.open || state.on_globe) || state.book.sites.is_empty() {
        return;
    }
    let rotation = earth_rotation_at(clock.now());
    let pin = Color::srgb(1.0, 0.85, 0.2);
    let altitude_km = selection
        .selected
        .and_then(|row| positions.world.get(row))
        .map(|world| f64::from(world.length()) * WGS84_A_KM - WGS84_A_KM);
    let min_elevation = state
        .table
        .as_ref()
        .map_or(crate::passes::DEFAULT_MIN_ELEVATION_DEG, |t| {
            t.settings.min_elevation_deg
        });
    for (index, site) in state.book.sites.iter().enumerate() {
        let at = |height_km: f64| {
            rotation
                * world_axes_from_geodetic(&Geodetic {
                    latitude_rad: site.latitude_deg.to_radians(),
                    longitude_rad: site.longitude_deg.to_radians(),
                    altitude_km: height_km,
                })
        };
        let chosen = index == state.site;
        gizmos.line(at(0.0), at(if chosen { 600.0 } else { 300.0 }), pin);
        if let (true, Some(altitude_km)) = (chosen, altitude_km) {
            let half_angle = footprint_half_angle_rad(altitude_km, min_elevation);
            let circle = ground_circle(site, half_angle, 96)
                .into_iter()
                .map(|point| rotation * world_axes_from_geodetic(&point) * 1.001);
            gizmos.linestrip(circle, pin);
        }
    }
}
