//! The command line: argument definitions (clap) and one module per subcommand.

mod catalog_cmd;
mod conjunctions_cmd;
mod export_cmd;
mod fetch_cmd;
mod filter_args;
mod passes_cmd;
mod positions_cmd;
#[cfg(feature = "gui")]
mod shot_cmd;
mod stats_cmd;
mod stats_history;
mod stats_register;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::loader::{LoadedCatalog, SourceSelection, load_catalog};
use crate::palette::ColorMode;
use crate::sources::DataSource;

pub use filter_args::FilterArgs;
pub use positions_cmd::{PositionRow, PositionsArgs, compute_positions};
pub use stats_cmd::StatsArgs;

/// OrbitScope: who owns what is in orbit, and was it registered with the UN?
///
/// With no subcommand, opens the 3D globe on the cached catalog (or the files given).
#[derive(Debug, Parser)]
// Source options before a subcommand would be silently ignored by it: refuse them instead.
#[command(
    name = "orbitscope",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// Opens the globe on the sources and filter given without a subcommand.
#[cfg(feature = "gui")]
pub fn open_globe(cli: &Cli) -> Result<()> {
    let loaded = load(&cli.sources)?;
    let filter = cli.filter.to_filter(&loaded.catalog.objects)?;
    crate::app::run(loaded, filter, cli.sources.selection())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and join the catalog; print a summary of sources, coverage and skipped records.
    Catalog(CatalogArgs),
    /// Count objects by owner, registration, type, regime, state of registry, launch year or
    /// altitude band; or list the payloads not registered with the UN (--unregistered).
    Stats(StatsArgs),
    /// Update the cache from CelesTrak and GCAT, within CelesTrak's usage policy.
    Fetch(FetchArgs),
    /// Propagate with SGP4 and print positions (TEME and geodetic) at one instant.
    Positions(PositionsArgs),
    /// Close approaches: every local minimum of the distance between the filtered objects and
    /// the catalog (or among themselves) below a threshold, over a span.
    Conjunctions(Box<conjunctions_cmd::ConjunctionsArgs>),
    /// Passes of the selected objects over a ground site: rise, culmination, set, visibility
    /// (table, CSV, JSON or an iCalendar file).
    Passes(Box<passes_cmd::PassesArgs>),
    /// Where every selected object is in a ground site's sky at one instant (azimuth,
    /// elevation, range, range rate), highest first.
    Look(Box<passes_cmd::LookArgs>),
    /// Write the filtered set, sampled with SGP4 over a span, as CZML (Cesium), KML (Google
    /// Earth) or GeoJSON (GIS).
    Export(Box<export_cmd::ExportArgs>),
    /// Render the globe to PNG (same renderer as the app): one frame, a scenario at up to 8K
    /// with caption and legend, or a sequence of frames.
    #[cfg(feature = "gui")]
    Shot(Box<shot_cmd::ShotArgs>),
    /// Run the globe for a while; report fps, draw calls and our systems' CPU time per frame.
    #[cfg(feature = "gui")]
    Measure(shot_cmd::MeasureArgs),
}

/// Where the data comes from. Naming any file uses exactly the files named; otherwise the
/// cache is used, downloading first where it is empty (unless --offline).
#[derive(Debug, Clone, Args, Default)]
pub struct SourceArgs {
    /// GP element sets: TLE/3LE or OMM JSON/CSV/XML/KVN (format detected from content). Repeatable.
    #[arg(long = "gp", value_name = "FILE")]
    pub gp: Vec<PathBuf>,
    /// CelesTrak SATCAT CSV (owner, object type, launch and decay dates).
    #[arg(long, value_name = "FILE")]
    pub satcat: Option<PathBuf>,
    /// GCAT payload catalog TSV (psatcat.tsv), for UN registration data.
    #[arg(long, value_name = "FILE")]
    pub gcat: Option<PathBuf>,
    /// UNOOSA Online Index CSV export (the UN register; wins over GCAT where both speak).
    #[arg(long, value_name = "FILE")]
    pub unoosa: Option<PathBuf>,
    /// CelesTrak GP group to use from the cache (default: active, the cosmos-1408,
    /// fengyun-1c, iridium-33 and cosmos-2251 debris groups, visual and last-30-days).
    /// Repeatable.
    #[arg(long = "group", value_name = "NAME")]
    pub groups: Vec<String>,
    /// Where the element sets and the SATCAT come from: CelesTrak's public groups, or
    /// Space-Track's full on-orbit catalog (needs `SPACETRACK_IDENTITY` / `SPACETRACK_PASSWORD`).
    #[arg(long, value_enum, default_value_t = SourceArg::Celestrak)]
    pub source: SourceArg,
    /// Never touch the network: use the cache and the files given.
    #[arg(long)]
    pub offline: bool,
    /// Cache directory (default: the platform cache dir, or `$ORBITSCOPE_CACHE_DIR`).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl SourceArgs {
    pub fn selection(&self) -> SourceSelection {
        SourceSelection {
            gp_files: self.gp.clone(),
            satcat_file: self.satcat.clone(),
            gcat_file: self.gcat.clone(),
            unoosa_file: self.unoosa.clone(),
            groups: self.groups.clone(),
            offline: self.offline,
            cache_dir: self.cache_dir.clone(),
            endpoints: crate::sources::Endpoints::from_env(),
            source: match self.source {
                SourceArg::Celestrak => crate::loader::CatalogSource::CelesTrak,
                SourceArg::Spacetrack => crate::loader::CatalogSource::SpaceTrack,
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// How many skipped records to list in full.
    #[arg(long, default_value_t = 20)]
    pub show_issues: usize,
    /// How many objects on which GCAT and the UN register disagree to list.
    #[arg(long, default_value_t = 50)]
    pub show_disagreements: usize,
    #[command(flatten)]
    pub sources: SourceArgs,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// CelesTrak GP group to fetch (default: active, the cosmos-1408, fengyun-1c,
    /// iridium-33 and cosmos-2251 debris groups, visual and last-30-days). Repeatable.
    #[arg(long = "group", value_name = "NAME")]
    pub groups: Vec<String>,
    /// Also fetch the SATCAT.
    #[arg(long)]
    pub satcat: bool,
    /// Also fetch the GCAT payload catalog.
    #[arg(long)]
    pub gcat: bool,
    /// Fetch Space-Track's full on-orbit catalog and its SATCAT instead of CelesTrak's groups
    /// (credentials: `SPACETRACK_IDENTITY` / `SPACETRACK_PASSWORD`, or the config file).
    #[arg(long, conflicts_with_all = ["groups", "satcat"])]
    pub spacetrack: bool,
    /// Update the UN register from UNOOSA's Online Index (one request every 2 s or slower; a
    /// full pass weekly, an incremental one daily; an interrupted pass resumes). Alone, it
    /// fetches nothing else.
    #[arg(long)]
    pub unoosa: bool,
    /// Seconds between requests to the UN index (2 at least).
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = parse_spacing)]
    pub unoosa_interval: f64,
    /// Ask again now: lifts a stop left by an error status (403, 429, 5xx...) and the
    /// two-hour wait after a failed attempt; the two-hour interval after an answer still holds.
    #[arg(long)]
    pub retry: bool,
    /// Take a download even if it holds under half the records of the cached copy (such a
    /// download is otherwise set aside as `<file>.rejected` in the cache directory).
    #[arg(long)]
    pub accept_smaller: bool,
    /// Cache directory (default: the platform cache dir, or `$ORBITSCOPE_CACHE_DIR`).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

fn parse_spacing(text: &str) -> Result<f64, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    let least = crate::sources::un_register::MIN_REQUEST_SPACING.as_secs_f64();
    if seconds.is_finite() && seconds >= least && seconds <= 3600.0 {
        Ok(seconds)
    } else {
        Err(format!(
            "{text} s: the UN index is asked at most once every {least} s (and at least once              an hour)"
        ))
    }
}

/// `--source` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum SourceArg {
    #[default]
    Celestrak,
    Spacetrack,
}

/// `--color` values (`shot`, `export`): the window's colour modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    Type,
    Registration,
    Owner,
    Regime,
    /// The owner's standing towards the Registration Convention at launch (treaty lens).
    Treaty,
}

impl From<ColorArg> for ColorMode {
    fn from(arg: ColorArg) -> Self {
        match arg {
            ColorArg::Type => Self::ObjectType,
            ColorArg::Registration => Self::Registration,
            ColorArg::Owner => Self::Owner,
            ColorArg::Regime => Self::Regime,
            ColorArg::Treaty => Self::RegistrationConvention,
        }
    }
}

/// Output formats shared by the table-producing subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

/// A progress bar on stderr for downloads (hidden when stderr is not a terminal).
pub fn download_progress() -> impl FnMut(&DataSource, u64, Option<u64>) {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} ({bytes_per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    move |source, done, total| {
        bar.set_message(source.to_string());
        if let Some(total) = total {
            bar.set_length(total);
        }
        bar.set_position(done);
        if total == Some(done) {
            bar.finish_and_clear();
        }
    }
}

/// `text` cut to `width` characters for a table column, with an ellipsis where it was cut.
pub(crate) fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}

/// Writes a command's output to stdout. A reader that closed the pipe early (`| head`) has
/// what it wanted: that is not an error, and never a panic (as `print!` would make it).
pub fn write_stdout(text: &str) -> Result<()> {
    write_stdout_bytes(text.as_bytes())
}

/// [`write_stdout`] for bytes already encoded (UTF-8 CSV or JSON).
pub fn write_stdout_bytes(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(error).context("writing to stdout"))
        }
        _ => Ok(()),
    }
}

/// Loads the catalog for a subcommand, printing warnings to stderr.
pub fn load(sources: &SourceArgs) -> Result<LoadedCatalog> {
    load_selection(&sources.selection())
}

/// [`load`] from a selection the command has adjusted (a scenario's groups, say).
pub fn load_selection(selection: &crate::loader::SourceSelection) -> Result<LoadedCatalog> {
    let loaded = load_catalog(selection, &mut download_progress())?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded)
}

/// Runs a subcommand (each carries its own source options).
pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Catalog(args) => catalog_cmd::run(&args),
        Command::Stats(args) => stats_cmd::run(&args),
        Command::Fetch(args) => fetch_cmd::run(&args),
        Command::Positions(args) => positions_cmd::run(&args),
        Command::Conjunctions(args) => conjunctions_cmd::run(&args),
        Command::Passes(args) => passes_cmd::run_passes(&args),
        Command::Look(args) => passes_cmd::run_look(&args),
        Command::Export(args) => export_cmd::run(&args),
        #[cfg(feature = "gui")]
        Command::Shot(args) => shot_cmd::run(&args),
        #[cfg(feature = "gui")]
        Command::Measure(args) => shot_cmd::measure(&args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn command_line_definition_is_consistent() {
        // Catches clashing flags (e.g. `fetch --satcat` against a `--satcat FILE` option).
        Cli::command().debug_assert();
    }

    #[test]
    fn source_options_follow_their_subcommand() {
        let cli = Cli::try_parse_from([
            "orbitscope",
            "stats",
            "--gp",
            "a.tle",
            "--gp",
            "b.json",
            "--satcat",
            "s.csv",
            "--by",
            "type",
        ])
        .unwrap();
        let Some(Command::Stats(stats)) = cli.command else {
            panic!("stats expected");
        };
        assert_eq!(stats.sources.gp.len(), 2);
        assert_eq!(
            stats.sources.satcat.as_deref(),
            Some(std::path::Path::new("s.csv"))
        );
        let fetch = Cli::try_parse_from(["orbitscope", "fetch", "--satcat", "--group", "stations"]);
        let Some(Command::Fetch(fetch)) = fetch.unwrap().command else {
            panic!("fetch expected");
        };
        assert!(fetch.satcat && !fetch.gcat && !fetch.unoosa);
        assert!(
            Cli::try_parse_from([
                "orbitscope",
                "fetch",
                "--unoosa",
                "--unoosa-interval",
                "1.5"
            ])
            .is_err(),
            "the spacing can only be raised"
        );
        assert_eq!(fetch.groups, ["stations"]);
        // Options meant for a subcommand but written before it are an error, not ignored.
        assert!(Cli::try_parse_from(["orbitscope", "--offline", "catalog"]).is_err());
        let globe = Cli::try_parse_from(["orbitscope", "--offline", "--gp", "a.tle"]).unwrap();
        assert!(globe.command.is_none() && globe.sources.offline);
    }
}
