//! `orbitscope shot`: one frame, or a sequence of frames, rendered by the app's own renderer
//! (in a window, or offscreen for large images and machines without a display), with the
//! scenario's overlays drawn in.

use std::path::PathBuf;

use anyhow::Result;
use bevy::prelude::*;

use super::{
    AnalysisViews, AppAction, ConjunctionRequest, ConjunctionRequests, DefaultView, FilterSettings,
    GlobeOverlays, LoadReport, MarkerStyle, OrbitSettings, PendingActions, Presentation, Selection,
    ShotOverlays, ShotRequest, ShownPair, SimClock, UiState, build_app, capture, window_plugin,
};
use crate::filter::Filter;
use crate::loader::LoadedCatalog;
use crate::orbit::Instant;
use crate::view::CameraView;

/// Parameters of `orbitscope shot`.
#[derive(Debug, Clone)]
pub struct ShotParams {
    /// Each frame's instant and file, in order (at least one).
    pub frames: Vec<(Instant, PathBuf)>,
    pub width: u32,
    pub height: u32,
    pub view: CameraView,
    /// Keep the camera on this object (NORAD number), which is also selected.
    pub follow: Option<crate::catalog::NoradId>,
    pub color_mode: crate::palette::ColorMode,
    /// NORAD number to select: highlighted, with its orbit, ground track and (with `ui`) details.
    pub select: Option<crate::catalog::NoradId>,
    /// A close approach to draw (catalog rows of the loaded catalog): both objects highlighted,
    /// the line between them and the second one's orbit.
    pub conjunction: Option<ShownPair>,
    /// Ground sites to draw (pins), from the scenario.
    pub sites: Vec<crate::passes::Site>,
    pub ui: bool,
    /// Render offscreen, without a window.
    pub offscreen: bool,
    /// Which objects are drawn.
    pub filter: Filter,
    /// Which orbits are drawn, and how strongly.
    pub orbits: OrbitSettings,
    /// Analysis windows open in the frame (with `ui`).
    pub views: AnalysisViews,
    pub graticule: bool,
    pub borders: bool,
    pub dim_hidden: bool,
    /// Caption, legend, time, sources … and the scale of text and markers.
    pub overlays: ShotOverlays,
    /// Report each written frame on stderr (sequences).
    pub progress: bool,
    /// Write the frames into this video file (format, frames a second) instead of PNG files;
    /// every frame's path is then this file.
    pub video: Option<(PathBuf, crate::video::VideoFormat, u32)>,
}

/// The marker size at scale 1 (the window's).
const MARKER_SIZE_PX: f32 = 2.5;

/// Renders the frames to PNG files with the same renderer as the app, then exits.
pub fn shot(loaded: LoadedCatalog, params: ShotParams) -> Result<()> {
    let Some((start, _)) = params.frames.first().cloned() else {
        anyhow::bail!("no frame to render");
    };
    let index_of = |norad_id| {
        loaded.catalog.index_of(norad_id).ok_or_else(|| {
            anyhow::anyhow!("object {norad_id} to select or follow is not in the loaded catalog")
        })
    };
    let selected = params.select.or(params.follow).map(index_of).transpose()?;
    let presentation = if params.offscreen {
        Presentation::Offscreen {
            width: params.width,
            height: params.height,
        }
    } else {
        let window = window_plugin("OrbitScope shot", params.width, params.height);
        Presentation::Window(Box::new(window))
    };
    // Stale files from an earlier run must not pass for these frames.
    for (_, path) in &params.frames {
        if path.exists() {
            std::fs::remove_file(path)
                .map_err(|error| anyhow::anyhow!("cannot replace {}: {error}", path.display()))?;
        }
    }
    let report = LoadReport::of(&loaded, None);
    let mut app = build_app(loaded.catalog, report, start, presentation, params.ui);
    let mut frames = params.frames.clone();
    let (_, first) = frames.remove(0);
    let mut request = ShotRequest::sequence(frames, Some(first));
    if let Some((path, format, fps)) = &params.video {
        request = request.into_video(path.clone(), *format, *fps);
    }
    let failure = request.failure();
    if params.progress {
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let total = params.frames.len() as u64;
        let bar = indicatif::ProgressBar::new(total).with_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} frame {pos} of {len}, {per_sec}, {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        request = request.with_progress(move |written, total| {
            // A bar on a terminal; a line per frame in a log.
            if terminal {
                bar.set_position(written as u64);
                if written == total {
                    bar.finish_and_clear();
                }
            } else {
                eprintln!("frame {written} of {total}");
            }
        });
    }
    app.insert_resource(DefaultView(params.view))
        .insert_resource(FilterSettings(params.filter))
        .insert_resource(params.orbits)
        .insert_resource(params.views)
        .insert_resource(GlobeOverlays {
            graticule: params.graticule,
            borders: params.borders,
        })
        .insert_resource(params.overlays.clone())
        .insert_resource(request);
    capture::plugin(&mut app);
    let world = app.world_mut();
    world.resource_mut::<SimClock>().set_paused(true);
    let mut style = world.resource_mut::<MarkerStyle>();
    style.mode = params.color_mode;
    style.size_px = MARKER_SIZE_PX * params.overlays.scale;
    if params.dim_hidden {
        style.hidden = crate::markers::Hidden::Dimmed;
    }
    if !params.sites.is_empty() {
        world
            .resource_mut::<super::SitesAndPasses>()
            .show_only(params.sites.clone());
    }
    let mut selection = world.resource_mut::<Selection>();
    selection.selected = selected;
    if let Some(pair) = params.conjunction {
        selection.selected = Some(pair.first);
        selection.companion = Some(pair.second);
        world
            .resource_mut::<ConjunctionRequests>()
            .0
            .push(ConjunctionRequest::ShowPair(pair));
    }
    if let Some(mut ui) = world.get_resource_mut::<UiState>() {
        ui.scale = params.overlays.scale;
    }
    if params.follow.is_some() {
        // The camera is spawned at start-up; the action reaches it on the first frame.
        world
            .resource_mut::<PendingActions>()
            .0
            .push(AppAction::ToggleFollow);
    }
    let result = app.run();
    if let Some(reason) = failure.lock().ok().and_then(|mut reason| reason.take()) {
        anyhow::bail!("{reason}");
    }
    let missing: Vec<String> = params
        .frames
        .iter()
        .filter(|(_, path)| !path.exists())
        .map(|(_, path)| path.display().to_string())
        .collect();
    match result {
        AppExit::Success if missing.is_empty() => Ok(()),
        AppExit::Success => anyhow::bail!(
            "the frames were rendered but these files were not written: {}",
            missing.join(", ")
        ),
        AppExit::Error(code) => anyhow::bail!("rendering failed (exit code {code})"),
    }
}
