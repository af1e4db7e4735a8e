//! `orbitscope shot`: wait until the catalog is propagated and the frame has settled, save the
//! primary window with Bevy's screenshot API, then exit.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bevy::prelude::*;
use bevy::render::render_resource::PipelineCache;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::render::{Render, RenderApp, RenderSystems};

use super::{MarkerDrawStats, OffscreenTarget, Propagation};

/// Frames after the first propagated tick before the frame may be captured: pipelines are
/// queued lazily during the first frames, so "nothing pending" means little before that.
const MIN_FRAMES: u32 = 10;
/// Consecutive frames with no shader pipeline still compiling before capturing (software
/// rendering compiles for seconds; a capture before that is black).
const QUIET_FRAMES: u32 = 5;

/// Shader pipelines still compiling, as last seen by the render world.
#[derive(Resource, Debug, Clone, Default)]
struct PendingPipelines(Arc<AtomicUsize>);

/// A pending screenshot.
#[derive(Resource, Debug)]
pub struct ShotRequest {
    path: PathBuf,
    frames_ready: u32,
    quiet_frames: u32,
    requested: bool,
    saved: bool,
}

impl ShotRequest {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            frames_ready: 0,
            quiet_frames: 0,
            requested: false,
            saved: false,
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    let pending = PendingPipelines::default();
    app.insert_resource(pending.clone())
        .add_systems(Update, (take_screenshot, exit_when_saved));
    app.sub_app_mut(RenderApp)
        .insert_resource(pending)
        .add_systems(
            Render,
            count_pending_pipelines.in_set(RenderSystems::Cleanup),
        );
}

fn count_pending_pipelines(cache: Res<PipelineCache>, pending: Res<PendingPipelines>) {
    pending
        .0
        .store(cache.waiting_pipelines().count(), Ordering::Relaxed);
}

fn take_screenshot(
    mut commands: Commands,
    mut request: ResMut<ShotRequest>,
    propagation: Res<Propagation>,
    draw_stats: Res<MarkerDrawStats>,
    pending: Res<PendingPipelines>,
    offscreen: Option<Res<OffscreenTarget>>,
    orbits: Option<Res<super::orbits::FilteredOrbits>>,
    analysis: Option<Res<super::analysis::Analysis>>,
    views: Option<Res<super::analysis::AnalysisViews>>,
) {
    if request.requested || propagation.ticks == 0 {
        return;
    }
    if orbits.is_some_and(|orbits| orbits.busy()) {
        return;
    }
    // An analysis window in the frame waits for its numbers.
    let charts_wanted = views.is_some_and(|views| views.statistics || views.gap_list);
    if charts_wanted
        && analysis.is_some_and(|analysis| analysis.busy() || analysis.charts.is_none())
    {
        return;
    }
    request.frames_ready += 1;
    let markers_drawn = draw_stats.totals().2 > 0 || propagation.states.is_empty();
    if pending.0.load(Ordering::Relaxed) == 0 && markers_drawn {
        request.quiet_frames += 1;
    } else {
        request.quiet_frames = 0;
    }
    if request.frames_ready < MIN_FRAMES || request.quiet_frames < QUIET_FRAMES {
        return;
    }
    request.requested = true;
    let path = request.path.clone();
    let screenshot = match offscreen {
        Some(target) => Screenshot::image(target.0.clone()),
        None => Screenshot::primary_window(),
    };
    commands
        .spawn(screenshot)
        .observe(save_to_disk(path))
        .observe(
            |_: On<ScreenshotCaptured>, mut request: ResMut<ShotRequest>| {
                request.saved = true;
            },
        );
}

fn exit_when_saved(
    request: Res<ShotRequest>,
    mut exit: MessageWriter<AppExit>,
    mut frames_after: Local<u32>,
) {
    if request.saved {
        // save_to_disk writes in its own observer; give it a few frames to finish, and give up
        // (the caller reports the missing file) rather than wait forever if writing failed.
        *frames_after += 1;
        if *frames_after > 2 && request.path.exists() || *frames_after > 120 {
            exit.write(AppExit::Success);
        }
    }
}
