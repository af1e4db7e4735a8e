//! `orbitscope shot`: wait until the catalog is propagated and the frame has settled, save the
//! primary window with Bevy's screenshot API, then exit.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bevy::prelude::*;
use bevy::render::render_resource::PipelineCache;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::render::{Render, RenderApp, RenderSystems};

use super::{MarkerDrawStats, MarkerInstances, OffscreenTarget, Propagation};
use crate::video::{VideoFormat, VideoWriter};

/// Frames after the first propagated tick before the frame may be captured: pipelines are
/// queued lazily during the first frames, so "nothing pending" means little before that.
const MIN_FRAMES: u32 = 10;
/// Consecutive frames with no shader pipeline still compiling before capturing (software
/// rendering compiles for seconds; a capture before that is black).
const QUIET_FRAMES: u32 = 5;
/// The longest one frame may wait for what it needs (a tick, pipelines, orbits, charts, the
/// capture itself) before the shot gives up and says what it waited for. Generous: an 8K frame
/// rendered in software takes well under a minute here.
const FRAME_WAIT_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Shader pipelines still compiling, as last seen by the render world.
#[derive(Resource, Debug, Clone, Default)]
struct PendingPipelines(Arc<AtomicUsize>);

/// The frames `orbitscope shot` writes: one, or a sequence at successive instants, all from
/// one app (pipelines compile once).
#[derive(Resource, Debug)]
pub struct ShotRequest {
    /// Frames still to write, in order: the simulated instant and the file.
    frames: std::collections::VecDeque<(crate::orbit::Instant, PathBuf)>,
    /// The frame being written.
    current: Option<PathBuf>,
    frames_ready: u32,
    quiet_frames: u32,
    /// The propagation tick count when the clock was set for the current frame.
    ticks_at_jump: u64,
    requested: bool,
    saved: bool,
    /// Frames written so far, and how many in all.
    pub written: usize,
    pub total: usize,
    /// Called after each frame is written (progress).
    on_written: Option<Progress>,
    /// When the current frame started waiting, and for what it waits now.
    waiting_since: Option<std::time::Instant>,
    waiting_for: &'static str,
    /// Why the shot gave up, for the caller (the app is gone once it exits).
    failure: Arc<std::sync::Mutex<Option<String>>>,
    /// Frames go to a video file instead of PNG files.
    video: Option<VideoTarget>,
}

/// A video being written from the captured frames (the encoder starts at the first frame, at
/// its size).
pub struct VideoTarget {
    path: PathBuf,
    format: VideoFormat,
    fps: u32,
    writer: Option<VideoWriter>,
    closed: bool,
}

impl std::fmt::Debug for VideoTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoTarget")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("fps", &self.fps)
            .finish_non_exhaustive()
    }
}

/// Told (frames written, frames in all) after each frame.
pub struct Progress(Box<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl ShotRequest {
    /// One frame at the clock's instant.
    pub fn new(path: PathBuf) -> Self {
        Self::sequence(Vec::new(), Some(path))
    }

    /// Frames at the given instants (the first is shown at start-up when `first` is `None`).
    pub fn sequence(frames: Vec<(crate::orbit::Instant, PathBuf)>, first: Option<PathBuf>) -> Self {
        let total = frames.len() + usize::from(first.is_some());
        let mut frames: std::collections::VecDeque<_> = frames.into();
        let current = first.or_else(|| frames.pop_front().map(|(_, path)| path));
        Self {
            frames,
            current,
            frames_ready: 0,
            quiet_frames: 0,
            ticks_at_jump: 0,
            requested: false,
            saved: false,
            written: 0,
            total,
            on_written: None,
            waiting_since: None,
            waiting_for: "the first tick",
            failure: Arc::default(),
            video: None,
        }
    }

    /// Writes the frames into a video file instead of PNG files.
    pub fn into_video(mut self, path: PathBuf, format: VideoFormat, fps: u32) -> Self {
        self.video = Some(VideoTarget {
            path,
            format,
            fps,
            writer: None,
            closed: false,
        });
        self
    }

    /// Gives up with `reason` (the caller reports it once the app has exited).
    fn fail(&self, reason: String, exit: &mut MessageWriter<AppExit>) {
        if let Ok(mut failure) = self.failure.lock()
            && failure.is_none()
        {
            *failure = Some(reason);
            exit.write(AppExit::error());
        }
    }

    /// Where the reason is left if the shot gives up waiting (read it after the app exits).
    pub fn failure(&self) -> Arc<std::sync::Mutex<Option<String>>> {
        Arc::clone(&self.failure)
    }

    /// Reports progress after each frame.
    pub fn with_progress(mut self, report: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.on_written = Some(Progress(Box::new(report)));
        self
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
    mut clock: ResMut<super::SimClock>,
    propagation: Res<Propagation>,
    draw_stats: Res<MarkerDrawStats>,
    markers: Res<MarkerInstances>,
    pending: Res<PendingPipelines>,
    offscreen: Option<Res<OffscreenTarget>>,
    orbits: Option<Res<super::orbits::OrbitInstances>>,
    orbit_settings: Option<Res<super::orbits::OrbitSettings>>,
    orbit_draws: Option<Res<super::orbits::OrbitDrawStats>>,
    analysis: Option<Res<super::analysis::Analysis>>,
    views: Option<Res<super::analysis::AnalysisViews>>,
    mut exit: MessageWriter<AppExit>,
) {
    if request.saved {
        // The last frame is on its way to disk: move the clock on to the next one.
        let Some((instant, path)) = request.frames.pop_front() else {
            return;
        };
        clock.jump_to(instant);
        let request = &mut *request;
        request.current = Some(path);
        request.saved = false;
        request.requested = false;
        request.frames_ready = 0;
        request.quiet_frames = 0;
        request.ticks_at_jump = propagation.ticks;
        request.waiting_since = None;
        return;
    }
    let waited = request
        .waiting_since
        .get_or_insert_with(std::time::Instant::now)
        .elapsed();
    if waited > FRAME_WAIT_LIMIT {
        let message = format!(
            "gave up on {} after {} s waiting for {}",
            request
                .current
                .as_ref()
                .map_or_else(|| "the frame".to_owned(), |path| path.display().to_string()),
            waited.as_secs(),
            request.waiting_for
        );
        request.fail(message, &mut exit);
        return;
    }
    if request.requested {
        request.waiting_for = "the screenshot to be captured";
        return;
    }
    // A frame shows the clock's instant only after a tick has propagated it.
    if propagation.ticks <= request.ticks_at_jump {
        request.waiting_for = "a propagation tick at the frame's instant";
        return;
    }
    let orbits_waiting = orbits
        .as_ref()
        .zip(orbit_settings.as_ref())
        .is_some_and(|(orbits, settings)| orbits.waiting(settings));
    if orbits_waiting {
        request.waiting_for = "the orbits of the shown objects";
        return;
    }
    // An analysis window in the frame waits for its numbers.
    let charts_wanted = views.is_some_and(|views| views.statistics || views.gap_list);
    if charts_wanted
        && analysis.is_some_and(|analysis| analysis.busy() || analysis.charts.is_none())
    {
        request.waiting_for = "the statistics window's numbers";
        return;
    }
    request.frames_ready += 1;
    // Markers are on screen once a draw went out; a filter that hides everything draws none,
    // and such a frame is ready as it is (the globe, the caption, "0 of N objects shown").
    let markers_drawn = draw_stats.totals().draw_calls > 0 || markers.instances.is_empty();
    let orbits_drawn = orbits.is_none_or(|orbits| orbits.instances.is_empty())
        || orbit_draws.is_some_and(|draws| draws.totals().draw_calls > 0);
    let markers_drawn = markers_drawn && orbits_drawn;
    if pending.0.load(Ordering::Relaxed) == 0 && markers_drawn {
        request.quiet_frames += 1;
    } else {
        request.quiet_frames = 0;
        request.waiting_for = if markers_drawn {
            "shader pipelines to finish compiling"
        } else {
            "the markers' first draw"
        };
    }
    // Later frames of a sequence have their pipelines compiled: the frame after the clock's
    // jump has propagated (and nothing is compiling) is the one to keep.
    let (min_frames, quiet_frames) = if request.written == 0 {
        (MIN_FRAMES, QUIET_FRAMES)
    } else {
        (2, 1)
    };
    if request.frames_ready < min_frames || request.quiet_frames < quiet_frames {
        return;
    }
    let Some(path) = request.current.clone() else {
        return;
    };
    request.requested = true;
    let screenshot = match offscreen {
        Some(target) => Screenshot::image(target.0.clone()),
        None => Screenshot::primary_window(),
    };
    let mut entity = commands.spawn(screenshot);
    if request.video.is_none() {
        entity.observe(save_to_disk(path));
    }
    entity.observe(
        |captured: On<ScreenshotCaptured>,
         mut request: ResMut<ShotRequest>,
         mut exit: MessageWriter<AppExit>| {
            if let Err(reason) = add_video_frame(&mut request, &captured.image) {
                request.fail(reason, &mut exit);
                return;
            }
            request.saved = true;
            request.written += 1;
            if let Some(Progress(report)) = &request.on_written {
                report(request.written, request.total);
            }
        },
    );
}

/// In video mode, the captured frame goes to the encoder (started at the first frame's size).
fn add_video_frame(request: &mut ShotRequest, image: &Image) -> Result<(), String> {
    let Some(video) = request.video.as_mut() else {
        return Ok(());
    };
    let rgb = image
        .clone()
        .try_into_dynamic()
        .map_err(|error| format!("a captured frame could not be read: {error}"))?
        .to_rgb8();
    let writer = match &mut video.writer {
        Some(writer) => writer,
        empty => empty.insert(
            VideoWriter::create(
                &video.path,
                video.format,
                rgb.width(),
                rgb.height(),
                video.fps,
            )
            .map_err(|error| error.to_string())?,
        ),
    };
    writer.push(rgb.as_raw()).map_err(|error| error.to_string())
}

fn exit_when_saved(
    mut request: ResMut<ShotRequest>,
    mut exit: MessageWriter<AppExit>,
    mut frames_after: Local<u32>,
) {
    let done = request.saved && request.frames.is_empty();
    if let Some(video) = request.video.as_mut() {
        if !done || video.closed {
            return;
        }
        // The last frame is in the encoder: close the file (once) and leave.
        video.closed = true;
        let writer = video.writer.take();
        match writer.map(VideoWriter::finish) {
            Some(Err(error)) => request.fail(error.to_string(), &mut exit),
            Some(Ok(_)) => {
                exit.write(AppExit::Success);
            }
            None => request.fail("no frame reached the encoder".to_owned(), &mut exit),
        }
        return;
    }
    if request.saved && request.frames.is_empty() {
        // save_to_disk writes in its own observer; give it a few frames to finish, and give up
        // (the caller reports the missing file) rather than wait forever if writing failed.
        *frames_after += 1;
        let written = request.current.as_ref().is_some_and(|path| path.exists());
        if *frames_after > 2 && written || *frames_after > 120 {
            exit.write(AppExit::Success);
        }
    }
}
