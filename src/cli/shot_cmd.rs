//! `orbitscope shot` (one rendered frame to a PNG) and `orbitscope measure` (frame timing).

use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;

use super::{FilterArgs, SourceArgs, load};
use crate::app::{AnalysisViews, MeasureParams, ShotParams, StatsTab, shot};
use crate::orbit::{Instant, parse_utc};
use crate::palette::ColorMode;
use crate::view::CameraView;

#[derive(Debug, Args)]
pub struct ShotArgs {
    /// Where to write the PNG.
    #[arg(long, value_name = "FILE.png")]
    pub out: PathBuf,
    /// Simulation time, RFC 3339 (default: now). The clock is paused there.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub at: Option<DateTime<Utc>>,
    #[arg(long, default_value_t = 1280)]
    pub width: u32,
    #[arg(long, default_value_t = 800)]
    pub height: u32,
    /// Put the camera above this point: latitude,longitude in degrees (e.g. 20,-40). Default:
    /// the day side, with the evening terminator in sight.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_lat_lon, allow_hyphen_values = true)]
    pub look_at: Option<(f64, f64)>,
    /// Camera distance from the Earth's centre, in Earth radii.
    #[arg(long, default_value_t = 4.5)]
    pub distance: f32,
    /// Marker colours: by object type, UN registration status, owner (the largest owners in
    /// the filter) or orbit regime.
    #[arg(long, value_enum, default_value_t = ColorArg::Type)]
    pub color: ColorArg,
    /// Select this object (NORAD number): highlighted, with its orbit and ground track, and its
    /// details with --ui.
    #[arg(long, value_name = "NORAD")]
    pub select: Option<crate::catalog::NoradId>,
    /// Draw the orbit of every shown object (one period, in its marker's colour) when the
    /// filter leaves at most 1 000.
    #[arg(long)]
    pub orbits: bool,
    /// Include the panels (off by default: a clean frame for briefings).
    #[arg(long)]
    pub ui: bool,
    /// Open an analysis window in the frame (implies --ui). Repeatable.
    #[arg(long = "window", value_enum, value_name = "WINDOW")]
    pub windows: Vec<WindowArg>,
    /// The statistics window's tab.
    #[arg(long, value_enum, default_value_t = StatsTabArg::Owners)]
    pub stats_tab: StatsTabArg,
    /// Render offscreen without a window. The default when no display server is reachable
    /// (neither `DISPLAY` nor `WAYLAND_DISPLAY` is set).
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
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    Type,
    Registration,
    Owner,
    Regime,
    /// The owner's standing towards the Registration Convention at launch (treaty lens).
    Treaty,
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

pub fn run(args: &ShotArgs) -> Result<()> {
    if args.width < 16 || args.height < 16 || args.width > 8192 || args.height > 8192 {
        anyhow::bail!("--width and --height must be between 16 and 8192 pixels");
    }
    let directory = args
        .out
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    if !directory.is_dir() {
        anyhow::bail!(
            "cannot write {}: {} is not a directory",
            args.out.display(),
            directory.display()
        );
    }
    if args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
        != Some("png")
    {
        anyhow::bail!("--out must name a .png file, got {}", args.out.display());
    }
    let at = Instant::from_utc(args.at.unwrap_or_else(Utc::now));
    let distance = args.distance.clamp(1.2, 60.0);
    let view = match args.look_at {
        Some((lat, lon)) => CameraView::above(lat, lon, distance, at),
        None => CameraView {
            distance,
            ..CameraView::lit(at)
        },
    };
    let loaded = load(&args.sources)?;
    let filter = args.filter.to_filter(&loaded.catalog.objects)?;
    if let Some(norad_id) = args.select
        && let Some(index) = loaded.catalog.index_of(norad_id)
        && !filter.matches(&loaded.catalog.objects[index])
    {
        anyhow::bail!("--select {norad_id}: the filter hides this object");
    }
    shot(
        loaded,
        ShotParams {
            out: args.out.clone(),
            at,
            width: args.width,
            height: args.height,
            view,
            color_mode: match args.color {
                ColorArg::Type => ColorMode::ObjectType,
                ColorArg::Registration => ColorMode::Registration,
                ColorArg::Owner => ColorMode::Owner,
                ColorArg::Regime => ColorMode::Regime,
                ColorArg::Treaty => ColorMode::RegistrationConvention,
            },
            ui: args.ui || !args.windows.is_empty(),
            views: AnalysisViews {
                statistics: args.windows.contains(&WindowArg::Statistics),
                statistics_tab: match args.stats_tab {
                    StatsTabArg::Owners => StatsTab::Owners,
                    StatsTabArg::Rates => StatsTab::Rates,
                    StatsTabArg::Altitude => StatsTab::Altitude,
                    StatsTabArg::Density => StatsTab::Density,
                    StatsTabArg::Launches => StatsTab::Launches,
                },
                gap_list: args.windows.contains(&WindowArg::Gap),
                data_status: args.windows.contains(&WindowArg::Data),
            },
            select: args.select,
            offscreen: args.offscreen || !display_available(),
            filter,
            orbits: args.orbits,
        },
    )
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
        },
    )
}
