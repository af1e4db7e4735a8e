//! `orbitscope shot` (a frame, or a sequence of frames, to PNG, from a scenario file and/or
//! options) and `orbitscope measure` (frame timing).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use clap::Args;

use super::{ColorArg, FilterArgs, SourceArgs, load, load_selection};
use crate::app::{
    AnalysisViews, MeasureParams, ShotOverlays, ShotParams, ShownPair, StatsTab, shot,
};
use crate::catalog::Catalog;
use crate::conjunction::{LocatedPair, locate_pair};
use crate::orbit::Instant;
use crate::render_space::world_from_teme_km;
use crate::scenario::{Output, Overlays, Scenario, SceneTime};
use crate::video::{VideoFormat, check_encoder};
use crate::view::CameraView;

#[derive(Debug, Args)]
pub struct ShotArgs {
    /// A scenario file (JSON; see the README): time, camera, filter, colours, caption, size.
    /// The options below override it.
    #[arg(long, value_name = "FILE.json")]
    pub scenario: Option<PathBuf>,
    /// Print the effective scenario (the file with the options applied) and exit.
    #[arg(long)]
    pub dump: bool,
    /// Where to write the PNG; with --from/--to, a directory for numbered frames, or a video:
    /// `.mp4` (H.264) or `.webm` (VP9) through the ffmpeg program, `.gif` without it.
    #[arg(
        long,
        value_name = "FILE.png|DIR|FILE.mp4|FILE.webm|FILE.gif",
        required_unless_present = "dump"
    )]
    pub out: Option<PathBuf>,
    /// Simulation time: RFC 3339, `now`, or `now-6h` (default: now). The clock is paused there.
    #[arg(long, value_name = "TIME", value_parser = SceneTime::parse, allow_hyphen_values = true)]
    pub at: Option<SceneTime>,
    /// First frame of a sequence (with --to, and --step or --duration).
    #[arg(long, value_name = "TIME", value_parser = SceneTime::parse, requires = "to", conflicts_with = "at", allow_hyphen_values = true)]
    pub from: Option<SceneTime>,
    /// Last frame of a sequence (inclusive when the steps land on it).
    #[arg(long, value_name = "TIME", value_parser = SceneTime::parse, requires = "from", allow_hyphen_values = true)]
    pub to: Option<SceneTime>,
    /// Simulated time between frames: 30s, 5m, 1h, 1d.
    #[arg(long, value_name = "DURATION", value_parser = parse_step, requires = "from", conflicts_with = "duration")]
    pub step: Option<i64>,
    /// Instead of --step: how long the video plays (10s, 1m); the frames (duration × fps) are
    /// spread evenly from --from to --to.
    #[arg(long, value_name = "DURATION", value_parser = parse_step, requires = "from")]
    pub duration: Option<i64>,
    /// Frames a second of a video.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub fps: u32,
    /// Image width in pixels (up to 7680; above 1920×1080 the frame is rendered offscreen).
    #[arg(long)]
    pub width: Option<u32>,
    /// Image height in pixels (up to 4320).
    #[arg(long)]
    pub height: Option<u32>,
    /// Put the camera above this point: latitude,longitude in degrees (e.g. 20,-40). Default:
    /// the day side, with the evening terminator in sight.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_lat_lon, allow_hyphen_values = true)]
    pub look_at: Option<(f64, f64)>,
    /// Camera distance from the Earth's centre, in Earth radii (default 4.5).
    #[arg(long)]
    pub distance: Option<f32>,
    /// Marker colours: by object type, UN registration status, owner (the largest owners in
    /// the filter), orbit regime, or the treaty lens.
    #[arg(long, value_enum)]
    pub color: Option<ColorArg>,
    /// Select this object (NORAD number): highlighted, with its orbit and ground track, and its
    /// details with --ui.
    #[arg(long, value_name = "NORAD")]
    pub select: Option<crate::catalog::NoradId>,
    /// Keep the camera on this object (NORAD number), which is selected too.
    #[arg(long, value_name = "NORAD")]
    pub follow: Option<crate::catalog::NoradId>,
    /// Orbits: `off`, `selected` (the selected object's, exact SGP4) or `all` (every shown
    /// object's, in its marker's colour, in one draw call). `--orbits` alone means `all`.
    #[arg(long, value_enum, value_name = "WHICH", num_args = 0..=1, default_missing_value = "all")]
    pub orbits: Option<crate::scenario::OrbitsShown>,
    /// Include the panels (off by default: a clean frame for briefings).
    #[arg(long)]
    pub ui: bool,
    /// Open an analysis window in the frame (implies --ui). Repeatable.
    #[arg(long = "window", value_enum, value_name = "WINDOW")]
    pub windows: Vec<WindowArg>,
    /// The statistics window's tab.
    #[arg(long, value_enum)]
    pub stats_tab: Option<StatsTabArg>,
    /// Caption title drawn into the image.
    #[arg(long)]
    pub title: Option<String>,
    /// Caption subtitle.
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Draw the overlays (caption, legend, time, sources, counts, attribution); on by default
    /// with --scenario.
    #[arg(long, conflicts_with = "no_overlays")]
    pub overlays: bool,
    /// Draw none of the overlays.
    #[arg(long)]
    pub no_overlays: bool,
    /// Render offscreen without a window. The default when no display server is reachable
    /// (neither `DISPLAY` nor `WAYLAND_DISPLAY` is set) and above 1920×1080.
    #[arg(long)]
    pub offscreen: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// `--window` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WindowArg {
    Statistics,
    Gap,
    Data,
}

/// `--stats-tab` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsTabArg {
    Owners,
    Rates,
    Altitude,
    Density,
    Launches,
    /// Objects in orbit since 1957 (congestion over time).
    InOrbit,
    /// The UN register tab.
    UnRegister,
}

impl From<StatsTabArg> for StatsTab {
    fn from(arg: StatsTabArg) -> Self {
        match arg {
            StatsTabArg::Owners => Self::Owners,
            StatsTabArg::Rates => Self::Rates,
            StatsTabArg::Altitude => Self::Altitude,
            StatsTabArg::Density => Self::Density,
            StatsTabArg::Launches => Self::Launches,
            StatsTabArg::InOrbit => Self::InOrbit,
            StatsTabArg::UnRegister => Self::UnRegister,
        }
    }
}

fn parse_lat_lon(text: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = text
        .split_once(',')
        .ok_or_else(|| "expected LAT,LON, e.g. 20,-40".to_owned())?;
    let lat: f64 = lat
        .trim()
        .parse()
        .map_err(|_| format!("bad latitude {lat:?}"))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .map_err(|_| format!("bad longitude {lon:?}"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=360.0).contains(&lon) {
        return Err(format!("{lat},{lon} is not a latitude,longitude"));
    }
    Ok((lat, lon))
}

fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

/// `30s`, `5m`, `1h`, `1d` → seconds.
fn parse_step(text: &str) -> Result<i64, String> {
    match SceneTime::parse(&format!("now+{}", text.trim())) {
        Ok(SceneTime::Now { offset_s }) if offset_s > 0 => Ok(offset_s),
        _ => Err(format!(
            "{text:?}: expected a duration such as 30s, 5m, 1h or 1d"
        )),
    }
}

/// The most frames one sequence writes.
const MAX_FRAMES: usize = 10_000;

/// The scenario file (or the defaults of a plain shot) with the command line applied.
fn effective_scenario(args: &ShotArgs) -> Result<Scenario> {
    let mut scenario = match &args.scenario {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Scenario::parse(&text, &path.display().to_string())?
        }
        None => {
            // A plain shot: a clean frame at the window's size, as before scenarios.
            let mut scenario = Scenario::at(SceneTime::now());
            scenario.overlays = Overlays::none();
            scenario.output = Output {
                width: 1280,
                height: 800,
            };
            scenario
        }
    };
    if let Some(time) = args.at.or(args.from) {
        scenario.time = time;
    }
    if let Some(width) = args.width {
        scenario.output.width = width;
    }
    if let Some(height) = args.height {
        scenario.output.height = height;
    }
    if let Some((lat, lon)) = args.look_at {
        scenario.camera.look_at = Some([lat, lon]);
        scenario.camera.follow = None;
    }
    if let Some(norad) = args.follow {
        scenario.camera.follow = Some(norad);
        scenario.camera.look_at = None;
    }
    if let Some(distance) = args.distance {
        scenario.camera.distance = distance;
    }
    if let Some(color) = args.color {
        scenario.color = color.into();
    }
    if args.select.is_some() {
        scenario.selected = args.select;
    }
    if let Some(orbits) = args.orbits {
        scenario.show.orbits = orbits;
    }
    scenario.show.panels |= args.ui || !args.windows.is_empty();
    scenario.show.statistics |= args.windows.contains(&WindowArg::Statistics);
    scenario.show.gap_list |= args.windows.contains(&WindowArg::Gap);
    if let Some(title) = &args.title {
        scenario.caption.title.clone_from(title);
    }
    if let Some(subtitle) = &args.subtitle {
        scenario.caption.subtitle.clone_from(subtitle);
    }
    if args.overlays || args.title.is_some() {
        scenario.overlays = Overlays::default();
    }
    if args.no_overlays {
        scenario.overlays = Overlays::none();
    }
    // The options' values pass the same checks as the file's.
    Ok(Scenario::parse(
        &scenario.to_json(),
        "the scenario with the command line's options",
    )?)
}

/// Each frame's instant and file (for a video, every frame's file is the video).
fn frames(args: &ShotArgs, scenario: &Scenario, out: &Path) -> Result<Vec<(Instant, PathBuf)>> {
    let now = Utc::now();
    let video = VideoFormat::of_path(out);
    let (Some(from), Some(to)) = (args.from, args.to) else {
        if video.is_some() {
            bail!("a video needs --from and --to (and --step or --duration)");
        }
        check_png_path(out)?;
        return Ok(vec![(
            Instant::from_utc(scenario.time.resolve(now)),
            out.to_owned(),
        )]);
    };
    let (from, to) = (from.resolve(now), to.resolve(now));
    if to < from {
        bail!("--to {to} is before --from {from}");
    }
    let span_s = (to - from).num_milliseconds() as f64 / 1000.0;
    let (count, step_s) = match (args.step, args.duration) {
        (Some(step), _) => (
            usize::try_from((span_s / step as f64).floor() as i64)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
            step as f64,
        ),
        (None, Some(duration)) => {
            let count = (duration as f64 * f64::from(args.fps)).round().max(2.0) as usize;
            (count, span_s / (count - 1) as f64)
        }
        (None, None) => bail!("--from and --to need --step or --duration"),
    };
    if count > MAX_FRAMES {
        bail!("{count} frames asked for; at most {MAX_FRAMES} per sequence (use a longer --step)");
    }
    let at = |index: usize| {
        let offset =
            chrono::TimeDelta::milliseconds((step_s * index as f64 * 1000.0).round() as i64);
        Instant::from_utc(from + offset)
    };
    if video.is_some() {
        check_folder_of(out)?;
        return Ok((0..count)
            .map(|index| (at(index), out.to_owned()))
            .collect());
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the frame directory {}", out.display()))?;
    Ok((0..count)
        .map(|index| (at(index), out.join(format!("frame_{:05}.png", index + 1))))
        .collect())
}

/// The output's folder must exist (a typo there should not cost a whole render).
fn check_folder_of(out: &Path) -> Result<()> {
    let directory = out
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    if !directory.is_dir() {
        bail!(
            "cannot write {}: {} is not a directory",
            out.display(),
            directory.display()
        );
    }
    Ok(())
}

fn check_png_path(out: &Path) -> Result<()> {
    check_folder_of(out)?;
    let extension = out.extension().and_then(|e| e.to_str());
    if extension.map(str::to_ascii_lowercase).as_deref() != Some("png") {
        bail!("--out must name a .png file, got {}", out.display());
    }
    Ok(())
}

pub fn run(args: &ShotArgs) -> Result<()> {
    let mut scenario = effective_scenario(args)?;
    if args.dump {
        return super::write_stdout(&scenario.to_json());
    }
    let Some(out) = &args.out else {
        bail!("--out is required");
    };
    let mut frames = frames(args, &scenario, out)?;
    let video = VideoFormat::of_path(out);
    if let Some(format) = video {
        // Before any loading or rendering: a missing encoder should cost nothing.
        check_encoder(format)?;
    }
    let mut selection = args.sources.selection();
    if selection.groups.is_empty() && !selection.uses_files() {
        selection.groups.clone_from(&scenario.groups);
    }
    let loaded = load_selection(&selection)?;
    if args.filter.is_set() {
        scenario.filter = args.filter.to_filter(&loaded.catalog.objects)?;
    }
    let pair = scenario.conjunction.iter().flat_map(|shown| shown.pair);
    for norad_id in scenario
        .selected
        .iter()
        .chain(&scenario.camera.follow)
        .copied()
        .chain(pair)
    {
        if let Some(index) = loaded.catalog.index_of(norad_id)
            && !scenario.filter.matches(&loaded.catalog.objects[index])
        {
            bail!("object {norad_id}: the filter hides it, so it cannot be selected or followed");
        }
    }
    let located = match scenario.conjunction {
        Some(shown) => {
            let near = Instant::from_utc(scenario.time.resolve(Utc::now()));
            let located = locate_pair(
                &loaded.catalog,
                shown.pair,
                near,
                shown.within_minutes * 60.0,
            )
            .map_err(|why| anyhow::anyhow!("the scenario's conjunction: {why}"))?;
            describe_conjunction(&mut scenario, &loaded.catalog, &located);
            if let [(at, _)] = frames.as_mut_slice() {
                // One frame: the moment of closest approach itself.
                *at = located.tca;
            }
            Some(located)
        }
        None => None,
    };
    let shown = loaded
        .catalog
        .objects
        .iter()
        .filter(|object| scenario.filter.matches(object))
        .count();
    if shown == 0 {
        // Not an error: "nothing of that kind here" is an answer a briefer may want to show.
        eprintln!(
            "note: the filter matches none of the {} objects loaded; the image shows the globe \
             and \"0 of {} objects shown\"",
            loaded.catalog.objects.len(),
            loaded.catalog.objects.len()
        );
    }
    let start = frames[0].0;
    let Output { width, height } = scenario.output;
    let distance = scenario.camera.distance;
    let view = match (scenario.camera.look_at, located) {
        (Some([lat, lon]), _) => CameraView::above(lat, lon, distance, start),
        (None, Some(located)) if scenario.camera.follow.is_none() => {
            let place = world_from_teme_km(located.approach.first_position_km.into());
            CameraView::framing_pair(place, place)
        }
        (None, _) => CameraView {
            distance,
            ..CameraView::lit(start)
        },
    };
    let large = width > 1920 || height > 1080;
    let show = &scenario.show;
    shot(
        loaded,
        ShotParams {
            progress: frames.len() > 1,
            frames,
            video: video.map(|format| (out.clone(), format, args.fps)),
            sites: scenario.sites.clone(),
            width,
            height,
            view,
            follow: scenario.camera.follow,
            color_mode: scenario.color,
            ui: show.panels,
            views: AnalysisViews {
                statistics: show.statistics,
                statistics_tab: args.stats_tab.map_or(StatsTab::Owners, Into::into),
                gap_list: show.gap_list,
                ..AnalysisViews::default()
            },
            select: scenario.selected,
            conjunction: located.map(|located| ShownPair {
                first: located.first,
                second: located.second,
                tca: located.tca,
            }),
            offscreen: args.offscreen || large || !display_available(),
            filter: scenario.filter.clone(),
            orbits: crate::app::OrbitSettings {
                shown: show.orbits,
                opacity: show.orbit_opacity,
            },
            graticule: show.graticule,
            borders: show.borders,
            dim_hidden: show.dim_hidden,
            overlays: ShotOverlays {
                caption: scenario.caption.clone(),
                show: scenario.overlays.clone(),
                // Text and markers grow with the image: 4K looks like the window, sharper.
                scale: (height as f32 / 800.0).max(1.0),
                panels: show.panels,
            },
        },
    )
}

/// Without a subtitle of its own, a conjunction's frame says which pair, how close, when and
/// how fast (the title stays the briefer's).
fn describe_conjunction(scenario: &mut Scenario, catalog: &Catalog, located: &LocatedPair) {
    let name = |row: usize| {
        let object = &catalog.objects[row];
        format!("{} ({})", object.name, object.norad_id)
    };
    let approach = &located.approach;
    let line = format!(
        "{} and {}: {:.3} km apart at {} UTC, {:.2} km/s",
        name(located.first),
        name(located.second),
        approach.miss_km,
        located.tca.to_utc().format("%Y-%m-%d %H:%M:%S%.3f"),
        approach.speed_km_s
    );
    eprintln!("closest approach: {line}");
    if scenario.caption.subtitle.is_empty() {
        scenario.caption.subtitle = line;
    }
}

#[derive(Debug, Args)]
pub struct MeasureArgs {
    /// How long to measure, after a few seconds of warm-up.
    #[arg(long, default_value_t = 15.0)]
    pub seconds: f64,
    /// Replicate the catalog to this many objects (load test; 0 = as loaded).
    #[arg(long, default_value_t = 0)]
    pub replicate: usize,
    #[arg(long, default_value_t = 1280)]
    pub width: u32,
    #[arg(long, default_value_t = 800)]
    pub height: u32,
    /// Which orbits to draw while measuring (`all`: every object's, in one draw call).
    #[arg(long, value_enum, value_name = "WHICH", default_value = "selected")]
    pub orbits: crate::scenario::OrbitsShown,
    #[command(flatten)]
    pub sources: SourceArgs,
}

pub fn measure(args: &MeasureArgs) -> Result<()> {
    crate::app::measure(
        load(&args.sources)?,
        &MeasureParams {
            seconds: args.seconds,
            replicate: args.replicate,
            width: args.width,
            height: args.height,
            orbits: args.orbits,
        },
    )
}
