//! Scenarios in the window: the current view saved to a scenario file and loaded back (the same
//! format `orbitscope shot --scenario` renders), a list of recent scenario files, native file
//! dialogs on their own thread (rfd through the XDG portal; a typed path works where no portal
//! answers), and F12: a screenshot with the briefing overlays into a chosen folder.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::window::PrimaryWindow;

use super::analysis::AnalysisViews;
use super::camera::OrbitCamera;
use super::conjunctions::{CloseApproaches, ConjunctionRequest, ConjunctionRequests, ShownPair};
use super::filter::FilterSettings;
use super::globe::GlobeOverlays;
use super::markers::MarkerStyle;
use super::orbits::OrbitSettings;
use super::overlay::ShotOverlays;
use super::picking::Selection;
use super::propagation::CatalogData;
use super::{LoadReport, SimClock};
use crate::orbit::Instant;
use crate::render_space::world_from_teme_km;
use crate::scenario::{
    Camera, Caption, ConjunctionShown, DEFAULT_WITHIN_MINUTES, Output, Overlays, Scenario,
    SceneTime, Show,
};
use crate::view::CameraView;

/// What the scenario window asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioRequest {
    Save {
        path: PathBuf,
        caption: Caption,
    },
    Load(PathBuf),
    /// Open a native dialog to choose a file to save to (`save`, with `caption`) or to load.
    Browse {
        save: bool,
        caption: Caption,
    },
    /// A screenshot with the overlays into `folder` (else the last folder used), captioned
    /// with `caption` (else the loaded scenario's).
    Screenshot {
        folder: Option<PathBuf>,
        caption: Option<Caption>,
    },
}

/// Requests from the panels, handled after the frame's actions.
#[derive(Resource, Debug, Default)]
pub struct ScenarioRequests(pub Vec<ScenarioRequest>);

/// A file chosen in a native dialog, waiting to be picked up: (for saving?, the file).
type DialogSlot = Arc<Mutex<Option<(bool, Option<PathBuf>)>>>;

/// The scenario files the window knows, and what the last operation did.
#[derive(Resource, Debug, Default)]
pub struct ScenarioFiles {
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    pub message: Option<String>,
    /// A path chosen in a dialog, for the panel to take into its text field.
    pub chosen: Option<PathBuf>,
    /// The caption of the last scenario loaded (the panel offers it for the next save).
    pub loaded_caption: Option<Caption>,
    /// The last scenario loaded: a save keeps what the window does not show (its overlays,
    /// output size, groups, and a relative time such as `now-6h`).
    loaded: Option<Scenario>,
    /// What the last screenshot did, and when: shown at the bottom of the window whatever is
    /// open.
    pub notice: Option<(String, std::time::Instant)>,
    /// Where screenshots go.
    pub folder: PathBuf,
    /// The caption to save with a file chosen in a dialog.
    caption: Option<Caption>,
    dialog: Option<DialogSlot>,
    capture: Option<Capture>,
}

/// An F12 screenshot in progress: the overlays go up, the panels hide, a few frames pass.
#[derive(Debug, Clone)]
struct Capture {
    path: PathBuf,
    frames_waited: u32,
    requested: bool,
}

/// Recent scenario files kept.
const RECENT: usize = 8;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ScenarioRequests>()
        .insert_resource(ScenarioFiles {
            recent: read_recent(),
            folder: default_folder(),
            ..ScenarioFiles::default()
        })
        .add_systems(
            Update,
            (handle_requests, pick_up_dialog, run_capture)
                .chain()
                .after(super::controls::ApplyActions)
                .before(super::FrameSystems::Present),
        );
}

/// The view the window shows now.
#[derive(SystemParam)]
struct ViewState<'w, 's> {
    clock: ResMut<'w, SimClock>,
    cameras: Query<'w, 's, &'static mut OrbitCamera>,
    filter: ResMut<'w, FilterSettings>,
    style: ResMut<'w, MarkerStyle>,
    selection: ResMut<'w, Selection>,
    globe: ResMut<'w, GlobeOverlays>,
    orbits: ResMut<'w, OrbitSettings>,
    views: ResMut<'w, AnalysisViews>,
    approaches: Res<'w, CloseApproaches>,
    conjunction_requests: ResMut<'w, ConjunctionRequests>,
    sites: Res<'w, super::passes::SitesAndPasses>,
    pass_requests: ResMut<'w, super::passes::PassRequests>,
    catalog: Res<'w, CatalogData>,
    report: Option<Res<'w, LoadReport>>,
    windows: Query<'w, 's, &'static Window, With<PrimaryWindow>>,
}

impl ViewState<'_, '_> {
    /// The window's state as a scenario.
    fn scenario(&self, caption: Caption, loaded: Option<&Scenario>) -> Scenario {
        let now = self.clock.now();
        let camera = self.cameras.iter().next().copied();
        let view = camera.map_or_else(|| CameraView::lit(now), |camera| camera.view);
        let selected = self
            .selection
            .selected
            .and_then(|index| self.catalog.objects.get(index))
            .map(|object| object.norad_id);
        let following = camera.is_some_and(|camera| camera.follow) && selected.is_some();
        let norad = |row: usize| self.catalog.objects.get(row).map(|object| object.norad_id);
        // The pair drawn, while its first object is still the selection.
        let conjunction = self
            .approaches
            .pair
            .filter(|pair| self.selection.selected == Some(pair.first))
            .and_then(|pair| {
                Some(ConjunctionShown {
                    pair: [norad(pair.first)?, norad(pair.second)?],
                    within_minutes: DEFAULT_WITHIN_MINUTES,
                })
            });
        let (lat, lon) = view.looking_down_at(now);
        let output = self
            .windows
            .single()
            .map_or(Output::default(), |window| Output {
                width: (window.physical_width())
                    .clamp(crate::scenario::MIN_SIDE, crate::scenario::MAX_WIDTH),
                height: (window.physical_height())
                    .clamp(crate::scenario::MIN_SIDE, crate::scenario::MAX_HEIGHT),
            });
        let groups = self
            .report
            .as_ref()
            .and_then(|report| report.selection.as_ref())
            .map(|selection| selection.groups.clone())
            .unwrap_or_default();
        // A relative time stays relative while the window shows it (clock on "now" + offset,
        // within a minute); otherwise the instant on the clock, in whole seconds.
        let wall = chrono::Utc::now();
        let time = match loaded.map(|l| l.time) {
            Some(relative @ SceneTime::Now { .. })
                if (relative.resolve(wall) - now.to_utc()).num_seconds().abs() < 60 =>
            {
                relative
            }
            _ => SceneTime::At(
                chrono::DurationRound::duration_trunc(now.to_utc(), chrono::TimeDelta::seconds(1))
                    .unwrap_or_else(|_| now.to_utc()),
            ),
        };
        Scenario {
            caption,
            clock_rate: self.clock.rate(),
            camera: Camera {
                look_at: (!following).then_some([round(lat), round(lon)]),
                follow: following.then_some(selected).flatten(),
                // The window zooms a little closer than a scenario may hold.
                distance: view.distance.clamp(
                    *crate::scenario::DISTANCE_RANGE.start(),
                    *crate::scenario::DISTANCE_RANGE.end(),
                ),
            },
            filter: self.filter.0.clone(),
            color: self.style.mode,
            selected,
            conjunction,
            sites: self.sites.sites_to_save().map_or_else(
                || loaded.map(|l| l.sites.clone()).unwrap_or_default(),
                <[crate::passes::Site]>::to_vec,
            ),
            show: Show {
                panels: false,
                statistics: self.views.statistics,
                gap_list: self.views.gap_list,
                graticule: self.globe.graticule,
                borders: self.globe.borders,
                orbits: self.orbits.shown,
                orbit_opacity: self.orbits.opacity,
                dim_hidden: self.style.hidden == crate::markers::Hidden::Dimmed,
            },
            overlays: loaded.map_or_else(Overlays::default, |l| l.overlays.clone()),
            output: loaded.map_or(output, |l| l.output),
            groups: loaded.map_or(groups, |l| l.groups.clone()),
            ..Scenario::at(time)
        }
    }

    /// Puts the window into a scenario's state; says what could not be honoured.
    fn apply(&mut self, scenario: &Scenario) -> Vec<String> {
        let mut notes = Vec::new();
        let mut at = Instant::from_utc(scenario.time.resolve(chrono::Utc::now()));
        // A named close approach moves the clock to its TCA on the loaded elements.
        let located = scenario.conjunction.and_then(|shown| {
            crate::conjunction::locate_pair(
                &self.catalog.0,
                shown.pair,
                at,
                shown.within_minutes * 60.0,
            )
            .map_err(|why| notes.push(format!("close approach not shown: {why}")))
            .ok()
        });
        if let Some(located) = located {
            at = located.tca;
        }
        self.clock.jump_to(at);
        self.clock.set_rate(scenario.clock_rate);
        self.filter.0 = scenario.filter.clone();
        self.style.mode = scenario.color;
        self.style.hidden = if scenario.show.dim_hidden {
            crate::markers::Hidden::Dimmed
        } else {
            crate::markers::Hidden::Omitted
        };
        self.globe.graticule = scenario.show.graticule;
        self.globe.borders = scenario.show.borders;
        *self.orbits = OrbitSettings {
            shown: scenario.show.orbits,
            opacity: scenario.show.orbit_opacity,
        };
        self.views.statistics = scenario.show.statistics;
        self.views.gap_list = scenario.show.gap_list;
        let wanted = scenario.selected.or(scenario.camera.follow);
        self.selection.selected = wanted.and_then(|norad| {
            let index = self.catalog.index_of(norad);
            if index.is_none() {
                notes.push(format!("object {norad} is not in the loaded catalog"));
            }
            index
        });
        let mut view = match scenario.camera.look_at {
            Some([lat, lon]) => CameraView::above(lat, lon, scenario.camera.distance, at),
            None => CameraView {
                distance: scenario.camera.distance,
                ..CameraView::lit(at)
            },
        };
        self.selection.companion = None;
        if let Some(located) = located {
            self.selection.selected = Some(located.first);
            self.selection.companion = Some(located.second);
            self.conjunction_requests
                .0
                .push(ConjunctionRequest::ShowPair(ShownPair {
                    first: located.first,
                    second: located.second,
                    tca: located.tca,
                }));
            if scenario.camera.look_at.is_none() && scenario.camera.follow.is_none() {
                let place = world_from_teme_km(located.approach.first_position_km.into());
                view = CameraView::framing_pair(place, place);
            }
        }
        if !scenario.sites.is_empty() {
            self.pass_requests
                .0
                .push(super::passes::PassRequest::UseSites(scenario.sites.clone()));
        }
        let follow = scenario.camera.follow.is_some() && self.selection.selected.is_some();
        for mut camera in &mut self.cameras {
            camera.view = view;
            camera.target_distance = view.distance;
            camera.follow = follow;
        }
        notes
    }
}

/// Two decimals of a degree (about a kilometre): a saved file stays readable.
fn round(degrees: f64) -> f64 {
    (degrees * 100.0).round() / 100.0
}

fn handle_requests(
    mut commands: Commands,
    mut requests: ResMut<ScenarioRequests>,
    mut files: ResMut<ScenarioFiles>,
    mut state: ViewState,
) {
    for request in std::mem::take(&mut requests.0) {
        match request {
            ScenarioRequest::Save { path, caption } => {
                let text = state.scenario(caption, files.loaded.as_ref()).to_json();
                files.message = Some(
                    match crate::sources::cache::write_output_atomically(&path, text.as_bytes()) {
                        Ok(()) => {
                            files.remember(&path);
                            format!("saved {}", path.display())
                        }
                        Err(error) => format!("could not write {}: {error}", path.display()),
                    },
                );
            }
            ScenarioRequest::Load(path) => {
                let read = std::fs::read_to_string(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))
                    .and_then(|text| {
                        Scenario::parse(&text, &path.display().to_string())
                            .map_err(|error| error.to_string())
                    });
                files.message = Some(match read {
                    Ok(scenario) => {
                        let notes = state.apply(&scenario);
                        files.loaded_caption = Some(scenario.caption.clone());
                        files.loaded = Some(scenario.clone());
                        files.remember(&path);
                        let mut message = format!("loaded {}", path.display());
                        for note in notes {
                            message.push_str(&format!("; {note}"));
                        }
                        message
                    }
                    Err(error) => error,
                });
            }
            ScenarioRequest::Browse { save, caption } => {
                files.caption = Some(caption);
                files.open_dialog(save);
            }
            ScenarioRequest::Screenshot { folder, caption } => {
                if files.capture.is_some() {
                    continue; // one at a time: a second F12 during a capture is the same shot
                }
                if let Some(folder) = folder {
                    files.folder = folder;
                }
                let folder = files.folder.clone();
                let caption = caption
                    .or_else(|| files.loaded_caption.clone())
                    .unwrap_or_default();
                if let Err(error) = std::fs::create_dir_all(&folder) {
                    files.notify(format!(
                        "no screenshot: cannot use {}: {error}",
                        folder.display()
                    ));
                    continue;
                }
                // Named by the wall clock (a paused scene would give every shot one name), and
                // never over an earlier file.
                let stem = format!(
                    "orbitscope-{}",
                    chrono::Local::now().format("%Y%m%d-%H%M%S")
                );
                let name = (0..)
                    .map(|n| match n {
                        0 => format!("{stem}.png"),
                        n => format!("{stem}-{n}.png"),
                    })
                    .find(|name| !folder.join(name).exists())
                    .unwrap_or_else(|| format!("{stem}.png"));
                commands.insert_resource(ShotOverlays {
                    caption,
                    show: Overlays::default(),
                    scale: 1.0,
                    panels: false,
                });
                files.capture = Some(Capture {
                    path: folder.join(name),
                    frames_waited: 0,
                    requested: false,
                });
            }
        }
    }
}

impl ScenarioFiles {
    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent.retain(|known| *known != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT);
        write_recent(&self.recent);
    }

    fn open_dialog(&mut self, save: bool) {
        if self.dialog.is_some() {
            return;
        }
        let slot: DialogSlot = Arc::default();
        let answer = Arc::clone(&slot);
        // The dialog blocks until the user answers: never on the frame loop.
        std::thread::spawn(move || {
            let dialog = rfd::FileDialog::new().add_filter("OrbitScope scenario", &["json"]);
            let chosen = if save {
                dialog.set_file_name("scenario.json").save_file()
            } else {
                dialog.pick_file()
            };
            if let Ok(mut answer) = answer.lock() {
                *answer = Some((save, chosen));
            }
        });
        self.dialog = Some(slot);
        self.message = Some("waiting for the file dialog…".to_owned());
    }

    /// Whether a capture is under way (the panels stay hidden meanwhile).
    pub fn capturing(&self) -> bool {
        self.capture.is_some()
    }

    /// Says `text` in the scenario window and as a notice over the globe.
    fn notify(&mut self, text: String) {
        self.notice = Some((text.clone(), std::time::Instant::now()));
        self.message = Some(text);
    }
}

/// Takes a dialog's answer: the chosen file is saved to or loaded at once.
fn pick_up_dialog(mut files: ResMut<ScenarioFiles>, mut requests: ResMut<ScenarioRequests>) {
    let Some(slot) = files.dialog.clone() else {
        return;
    };
    let Some((save, chosen)) = slot.lock().ok().and_then(|mut answer| answer.take()) else {
        return;
    };
    files.dialog = None;
    match chosen {
        Some(path) => {
            if save {
                let caption = files
                    .caption
                    .clone()
                    .or_else(|| files.loaded_caption.clone())
                    .unwrap_or_default();
                requests.0.push(ScenarioRequest::Save {
                    path: path.clone(),
                    caption,
                });
            } else {
                requests.0.push(ScenarioRequest::Load(path.clone()));
            }
            files.chosen = Some(path);
        }
        None => {
            files.message = Some(
                "no file chosen (where no file dialog can open, type the path instead)".to_owned(),
            );
        }
    }
}

/// F12: overlays up and panels hidden for a few frames, then the window is captured.
fn run_capture(mut commands: Commands, mut files: ResMut<ScenarioFiles>) {
    let Some(capture) = files.capture.as_mut() else {
        return;
    };
    capture.frames_waited += 1;
    // Two frames for egui to lay the overlays out, one for them to reach the screen.
    if capture.requested || capture.frames_waited < 3 {
        return;
    }
    capture.requested = true;
    let path = capture.path.clone();
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path.clone()))
        .observe(
            move |_: On<ScreenshotCaptured>,
                  mut files: ResMut<ScenarioFiles>,
                  mut commands: Commands| {
                files.capture = None;
                files.notify(format!("screenshot written to {}", path.display()));
                commands.remove_resource::<ShotOverlays>();
            },
        );
}

/// Screenshots go to the pictures folder (`OrbitScope` inside it), else the current one.
fn default_folder() -> PathBuf {
    screenshot_folder(directories::UserDirs::new().as_ref())
}

/// `OrbitScope` in the pictures folder; where the desktop names none (no XDG user dirs),
/// `~/Pictures/OrbitScope`; the current folder only where there is no home.
fn screenshot_folder(dirs: Option<&directories::UserDirs>) -> PathBuf {
    let pictures = dirs.and_then(|dirs| {
        dirs.picture_dir()
            .map(Path::to_path_buf)
            .or_else(|| Some(dirs.home_dir().join("Pictures")))
    });
    pictures.map_or_else(|| PathBuf::from("."), |dir| dir.join("OrbitScope"))
}

fn recent_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "OrbitScope", "orbitscope")
        .map(|dirs| dirs.config_dir().join("recent-scenarios.json"))
}

/// The recent scenario files saved by earlier sessions (none when unreadable: a convenience,
/// never an error).
fn read_recent() -> Vec<PathBuf> {
    recent_file()
        .and_then(|file| std::fs::read(file).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn write_recent(recent: &[PathBuf]) {
    let Some(file) = recent_file() else {
        return;
    };
    if let Some(dir) = file.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && let Ok(text) = serde_json::to_vec_pretty(recent)
    {
        // Losing the list costs nothing but convenience: a failed write is ignored.
        let _ = crate::sources::cache::write_atomically(&file, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Screenshots go to a pictures folder under the home directory, never to wherever the
    /// program was started from, unless there is no home at all.
    #[test]
    fn screenshots_go_to_the_pictures_folder() {
        assert_eq!(screenshot_folder(None), PathBuf::from("."));
        if let Some(dirs) = directories::UserDirs::new() {
            let folder = screenshot_folder(Some(&dirs));
            assert!(folder.starts_with(dirs.home_dir()), "{}", folder.display());
            assert!(folder.ends_with("OrbitScope"), "{}", folder.display());
        }
    }
}
