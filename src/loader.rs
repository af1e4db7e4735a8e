//! Turns the user's choice of sources (local files, or the cache and network) into a joined
//! [`Catalog`], keeping count of what every source yielded and what it could not.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};

use crate::catalog::gcat::parse_gcat;
use crate::catalog::gp::parse_gp;
use crate::catalog::satcat::parse_satcat;
use crate::catalog::unoosa::parse_unoosa;
use crate::catalog::unoosa_index::parse_register;
use crate::catalog::{Catalog, CatalogInputs, Parsed, RecordIssue, SourceInfo};
use crate::sources::spacetrack::Credentials;
use crate::sources::un_register::{PassOptions, PassOutcome, PassStatus, RegisterFetcher};
use crate::sources::{Cache, DataSource, Endpoints, FetchOptions, FetchOutcome, Fetcher};

/// Which service the element sets and the SATCAT come from (GCAT and the UN register are the
/// same either way).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CatalogSource {
    /// CelesTrak's public groups and SATCAT (no account).
    #[default]
    CelesTrak,
    /// Space-Track's full on-orbit catalog and SATCAT (an account).
    SpaceTrack,
}

/// Where to read data from. With no files named, the cache is used (and filled first from the
/// network where it is empty, unless offline).
#[derive(Debug, Clone, Default)]
pub struct SourceSelection {
    pub gp_files: Vec<PathBuf>,
    pub satcat_file: Option<PathBuf>,
    pub gcat_file: Option<PathBuf>,
    pub unoosa_file: Option<PathBuf>,
    /// CelesTrak GP groups to use from the cache; empty means [`crate::sources::DEFAULT_GROUPS`].
    pub groups: Vec<String>,
    pub offline: bool,
    pub cache_dir: Option<PathBuf>,
    pub endpoints: Endpoints,
    pub source: CatalogSource,
}

impl SourceSelection {
    /// True when the user named any file: then only the named files are used.
    pub fn uses_files(&self) -> bool {
        !self.gp_files.is_empty()
            || self.satcat_file.is_some()
            || self.gcat_file.is_some()
            || self.unoosa_file.is_some()
    }

    pub fn group_sources(&self) -> Result<Vec<DataSource>> {
        if self.groups.is_empty() {
            return Ok(crate::sources::DEFAULT_GROUPS
                .iter()
                .map(|group| DataSource::GpGroup((*group).to_owned()))
                .collect());
        }
        self.groups
            .iter()
            .map(|group| DataSource::gp_group(group).map_err(Into::into))
            .collect()
    }

    /// The reader of the UN index, on the same cache.
    pub fn register_fetcher(&self) -> Result<RegisterFetcher> {
        RegisterFetcher::new(
            self.cache()?,
            &self.endpoints.unoosa,
            Duration::from_secs(60),
        )
        .context("could not set up the HTTP client")
    }

    /// Every remote dataset the catalog is built from, in the order they are fetched.
    pub fn remote_sources(&self) -> Result<Vec<DataSource>> {
        let mut wanted = match self.source {
            CatalogSource::CelesTrak => {
                let mut wanted = self.group_sources()?;
                wanted.push(DataSource::Satcat);
                wanted
            }
            CatalogSource::SpaceTrack => {
                vec![DataSource::SpaceTrackGp, DataSource::SpaceTrackSatcat]
            }
        };
        wanted.push(DataSource::Gcat);
        Ok(wanted)
    }

    /// The cache directory named, or the platform's.
    fn cache(&self) -> Result<Cache> {
        let dir = match &self.cache_dir {
            Some(dir) => dir.clone(),
            None => Cache::default_dir()
                .context("no cache directory on this platform; use --cache-dir")?,
        };
        Ok(Cache::new(dir))
    }

    /// Refuses a download when the catalog comes from local files or the user said offline.
    fn allow_downloads(&self) -> Result<()> {
        if self.uses_files() {
            bail!("the catalog comes from local files: there is nothing to download");
        }
        if self.offline {
            bail!(
                "started with --offline: OrbitScope sends nothing to the network in this session"
            );
        }
        Ok(())
    }

    /// The catalog again from the cache alone, when a download changed it.
    fn reload_if(&self, changed: bool) -> Result<Option<LoadedCatalog>> {
        if !changed {
            return Ok(None);
        }
        let from_cache = SourceSelection {
            offline: true,
            ..self.clone()
        };
        Ok(Some(load_catalog(&from_cache, &mut |_, _, _| {})?))
    }

    pub fn fetcher(&self) -> Result<Fetcher> {
        // The whole on-orbit catalog is ~20 MB of JSON: give it time.
        let fetcher = Fetcher::new(
            self.cache()?,
            self.endpoints.clone(),
            Duration::from_secs(120),
        )
        .context("could not set up the HTTP client")?;
        Ok(match self.source {
            CatalogSource::SpaceTrack => fetcher.with_spacetrack(Credentials::load(
                crate::sources::spacetrack::config_path().as_deref(),
            )),
            CatalogSource::CelesTrak => fetcher,
        })
    }
}

/// What one source contributed.
#[derive(Debug, Clone)]
pub struct SourceLoad {
    pub info: SourceInfo,
    /// Format detected (GP sources) or the dataset kind.
    pub format: String,
    /// Records met in the source; each is kept (`records`) or skipped with a reason.
    pub read: usize,
    pub records: usize,
    pub skipped: usize,
    pub caveats: usize,
}

/// A joined catalog and the account of how it was loaded.
#[derive(Debug)]
pub struct LoadedCatalog {
    pub catalog: Catalog,
    pub loads: Vec<SourceLoad>,
    /// Network or cache problems that did not stop the load (a failed refresh, say).
    pub warnings: Vec<String>,
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Accounts for one parsed source (counts into `loads`, issues into `issues`) and hands back
/// its records.
fn account<T>(
    loads: &mut Vec<SourceLoad>,
    issues: &mut Vec<RecordIssue>,
    info: &SourceInfo,
    format: &str,
    mut parsed: Parsed<T>,
) -> Vec<T> {
    loads.push(SourceLoad {
        info: info.clone(),
        format: format.to_owned(),
        read: parsed.read,
        records: parsed.records.len(),
        skipped: parsed.skipped_count(),
        caveats: parsed.caveat_count(),
    });
    issues.append(&mut parsed.issues);
    parsed.records
}

/// The bytes of one remote dataset from the cache, downloading first where the cache is empty.
fn cached_or_fetched(
    fetcher: &Fetcher,
    source: &DataSource,
    offline: bool,
    warnings: &mut Vec<String>,
    progress: &mut dyn FnMut(&DataSource, u64, Option<u64>),
) -> Option<(Vec<u8>, SourceInfo)> {
    let info = |fetched_at: Option<DateTime<Utc>>| SourceInfo {
        kind: match source {
            DataSource::GpGroup(_) | DataSource::SpaceTrackGp => "gp",
            DataSource::Satcat | DataSource::SpaceTrackSatcat => "satcat",
            DataSource::Gcat => "gcat",
        },
        location: fetcher.url(source),
        fetched_at,
    };
    match fetcher.load_cached(source) {
        Ok((bytes, meta)) => return Some((bytes, info(meta.fetched_at))),
        Err(crate::sources::CacheError::Missing(_)) => {}
        Err(error) => warnings.push(error.to_string()),
    }
    if offline {
        warnings.push(format!(
            "{source}: not in the cache, and --offline forbids downloading"
        ));
        return None;
    }
    let outcome = fetcher.fetch(source, FetchOptions::default(), &mut |done, total| {
        progress(source, done, total);
    });
    if !matches!(
        outcome,
        FetchOutcome::Downloaded { .. } | FetchOutcome::NotModified
    ) {
        warnings.push(format!("{source}: {}", outcome.describe()));
    }
    fetcher
        .load_cached(source)
        .ok()
        .map(|(bytes, meta)| (bytes, info(meta.fetched_at)))
}

/// The UN register from the cache, if `orbitscope fetch --unoosa` has built one. It is never
/// downloaded here: a first pass takes most of an hour.
fn cached_register(
    selection: &SourceSelection,
    warnings: &mut Vec<String>,
) -> Option<(Vec<u8>, SourceInfo)> {
    let fetcher = selection.register_fetcher().ok()?;
    match fetcher.load_register() {
        Ok((bytes, meta)) => Some((
            bytes,
            SourceInfo {
                kind: "unoosa",
                location: fetcher.url(),
                fetched_at: meta.fetched_at,
            },
        )),
        Err(crate::sources::CacheError::Missing(_)) => None,
        Err(error) => {
            warnings.push(format!("UN register: {error}"));
            None
        }
    }
}

/// The SATCAT alone (the file named, else the cached copy, downloaded first where the cache
/// is empty unless offline), for what needs no element sets (`stats --history`). Returns its
/// rows and where they came from; parse problems go to stderr as warnings.
pub fn load_satcat(
    selection: &SourceSelection,
    progress: &mut dyn FnMut(&DataSource, u64, Option<u64>),
) -> Result<(Vec<crate::catalog::satcat::SatcatRecord>, String)> {
    let (bytes, location) = match &selection.satcat_file {
        Some(path) => (read_file(path)?, path.display().to_string()),
        None => {
            let fetcher = selection.fetcher()?;
            let mut warnings = Vec::new();
            let satcat = match selection.source {
                CatalogSource::CelesTrak => DataSource::Satcat,
                CatalogSource::SpaceTrack => DataSource::SpaceTrackSatcat,
            };
            let Some((bytes, info)) = cached_or_fetched(
                &fetcher,
                &satcat,
                selection.offline,
                &mut warnings,
                progress,
            ) else {
                bail!(
                    "no SATCAT: {} (name one with --satcat FILE, or run `orbitscope fetch \
                     --satcat` once online)",
                    warnings.join("; ")
                );
            };
            (bytes, info.location)
        }
    };
    let parsed = parse_satcat(&bytes, &location);
    if let Some(fatal) = parsed.fatal_issue() {
        bail!("{fatal}");
    }
    let skipped = parsed.skipped_count();
    if skipped > 0 {
        eprintln!(
            "warning: {skipped} SATCAT rows skipped (first: {})",
            parsed
                .issues
                .iter()
                .find(|issue| issue.skips_a_record())
                .map(ToString::to_string)
                .unwrap_or_default()
        );
    }
    Ok((parsed.records, location))
}

/// Loads and joins the selected sources.
pub fn load_catalog(
    selection: &SourceSelection,
    progress: &mut dyn FnMut(&DataSource, u64, Option<u64>),
) -> Result<LoadedCatalog> {
    let mut inputs = CatalogInputs::default();
    let mut loads = Vec::new();
    let mut warnings = Vec::new();

    let mut remote: Vec<(DataSource, Vec<u8>, SourceInfo)> = Vec::new();
    let mut local_gp: Vec<(Vec<u8>, SourceInfo)> = Vec::new();
    let file_info = |kind: &'static str, path: &Path| SourceInfo {
        kind,
        location: path.display().to_string(),
        fetched_at: None,
    };
    if selection.uses_files() {
        if selection.gp_files.is_empty() {
            bail!(
                "no --gp file given: when files are named, only the named files are used \
                 (add --gp FILE, or name no files to use the cache)"
            );
        }
        for path in &selection.gp_files {
            local_gp.push((read_file(path)?, file_info("gp", path)));
        }
    } else {
        let fetcher = selection.fetcher()?;
        for source in selection.remote_sources()? {
            if let Some((bytes, info)) = cached_or_fetched(
                &fetcher,
                &source,
                selection.offline,
                &mut warnings,
                progress,
            ) {
                remote.push((source, bytes, info));
            }
        }
    }

    let (remote_gp, mut remote_other): (Vec<_>, Vec<_>) =
        remote.into_iter().partition(|(source, _, _)| {
            matches!(source, DataSource::GpGroup(_) | DataSource::SpaceTrackGp)
        });
    let remote_gp = remote_gp.into_iter().map(|(_, bytes, info)| (bytes, info));
    for (bytes, info) in local_gp.into_iter().chain(remote_gp) {
        let (format, parsed) = parse_gp(&bytes, &info.location);
        let format = format.map_or("unrecognised", |f| f.label());
        let records = account(&mut loads, &mut inputs.issues, &info, format, parsed);
        inputs.gp.push((info, records));
    }
    if inputs.gp.iter().all(|(_, records)| records.is_empty()) {
        bail!(no_element_sets_message(selection, &inputs, &warnings));
    }

    let mut remote_bytes = |wanted: &DataSource| {
        let index = remote_other
            .iter()
            .position(|(source, _, _)| source == wanted)?;
        let (_, bytes, info) = remote_other.swap_remove(index);
        Some((bytes, info))
    };
    let satcat = match &selection.satcat_file {
        Some(path) => Some((read_file(path)?, file_info("satcat", path))),
        None => remote_bytes(&DataSource::Satcat)
            .or_else(|| remote_bytes(&DataSource::SpaceTrackSatcat)),
    };
    if let Some((bytes, info)) = satcat {
        let parsed = parse_satcat(&bytes, &info.location);
        let records = account(&mut loads, &mut inputs.issues, &info, "SATCAT CSV", parsed);
        inputs.satcat = Some((info, records));
    }
    let gcat = match &selection.gcat_file {
        Some(path) => Some((read_file(path)?, file_info("gcat", path))),
        None => remote_bytes(&DataSource::Gcat),
    };
    if let Some((bytes, info)) = gcat {
        let parsed = parse_gcat(&bytes, &info.location);
        let records = account(&mut loads, &mut inputs.issues, &info, "GCAT TSV", parsed);
        inputs.gcat = Some((info, records));
    }
    let unoosa = match &selection.unoosa_file {
        Some(path) => Some((read_file(path)?, file_info("unoosa", path))),
        None if !selection.uses_files() => cached_register(selection, &mut warnings),
        None => None,
    };
    if let Some((bytes, info)) = unoosa {
        // The register OrbitScope assembles from the index is JSON; a scraped export is CSV.
        let (format, parsed) = if bytes.trim_ascii_start().starts_with(b"{") {
            ("UN register", parse_register(&bytes, &info.location).1)
        } else {
            ("UNOOSA index CSV", parse_unoosa(&bytes, &info.location))
        };
        let records = account(&mut loads, &mut inputs.issues, &info, format, parsed);
        inputs.unoosa = Some((info, records));
    }
    // A registration or SATCAT source that yields nothing would leave every object grey
    // without a word: say so (wrong file, or another layout).
    for load in &loads {
        if load.info.kind != "gp" && load.records == 0 {
            let reason = inputs
                .issues
                .iter()
                .find(|issue| issue.source == load.info.location)
                .map_or_else(|| "it holds no rows".to_owned(), ToString::to_string);
            warnings.push(format!(
                "{} {} yielded no records, so no object has its data: {reason}",
                load.format, load.info.location
            ));
        }
    }
    Ok(LoadedCatalog {
        catalog: Catalog::join(inputs),
        loads,
        warnings,
    })
}

/// Why nothing could be loaded, and what to do next.
fn no_element_sets_message(
    selection: &SourceSelection,
    inputs: &CatalogInputs,
    warnings: &[String],
) -> String {
    let mut message = String::from("no element sets could be loaded");
    for warning in warnings {
        message.push_str("\n  ");
        message.push_str(warning);
    }
    for issue in inputs.issues.iter().take(5) {
        message.push_str("\n  ");
        message.push_str(&issue.to_string());
    }
    if !selection.uses_files() {
        let cache = selection.cache_dir.clone().or_else(Cache::default_dir);
        let place = cache.map_or_else(String::new, |dir| format!(" ({})", dir.display()));
        message.push_str(&format!(
            "\nThe cache{place} holds no element sets yet. Next: name files with \
             `--gp FILE` (and `--satcat FILE`, `--gcat FILE`), or run `orbitscope fetch \
             --satcat --gcat` once online."
        ));
    }
    message
}

/// What one refresh did: each remote source's outcome in words, and the catalog reloaded from
/// the cache when anything new arrived.
#[derive(Debug)]
pub struct Refresh {
    pub outcomes: Vec<(DataSource, FetchOutcome)>,
    /// The UN register pass, when one was asked for.
    pub register: Option<PassOutcome>,
    /// `Some` when at least one source brought new data (then the caller swaps catalogs).
    pub reloaded: Option<LoadedCatalog>,
}

impl Refresh {
    /// One line per source, for people.
    pub fn describe(&self) -> Vec<String> {
        self.outcomes
            .iter()
            .map(|(source, outcome)| format!("{source}: {}", outcome.describe()))
            .chain(
                self.register
                    .iter()
                    .map(|outcome| format!("UN register: {}", outcome.describe())),
            )
            .collect()
    }

    /// Some source failed or is stopped (a retry may help).
    pub fn has_failures(&self) -> bool {
        self.outcomes
            .iter()
            .any(|(_, outcome)| outcome.is_failure())
            || self.register.as_ref().is_some_and(PassOutcome::is_failure)
    }
}

/// Runs the UN register pass that is due (see [`RegisterFetcher::update`]), then reloads the
/// catalog from the cache when the register changed.
pub fn refresh_register(
    selection: &SourceSelection,
    options: PassOptions,
    progress: &mut dyn FnMut(PassStatus),
) -> Result<Refresh> {
    selection.allow_downloads()?;
    let outcome = selection.register_fetcher()?.update(options, progress);
    let reloaded = selection.reload_if(matches!(outcome, PassOutcome::Completed { .. }))?;
    Ok(Refresh {
        outcomes: Vec::new(),
        register: Some(outcome),
        reloaded,
    })
}

/// Asks every remote source of `selection` for news, under the fetch rules (nothing is sent
/// within two hours of the last answer, nor to a stopped host unless `options.retry`), then
/// reloads the catalog from
/// the cache if anything changed. Local files have nothing to refresh: an error says so.
pub fn refresh(
    selection: &SourceSelection,
    options: FetchOptions,
    progress: &mut dyn FnMut(&DataSource, u64, Option<u64>),
) -> Result<Refresh> {
    selection.allow_downloads()?;
    let fetcher = selection.fetcher()?;
    let mut outcomes = Vec::new();
    for source in selection.remote_sources()? {
        let outcome = fetcher.fetch(&source, options, &mut |done, total| {
            progress(&source, done, total);
        });
        outcomes.push((source, outcome));
    }
    let changed = outcomes
        .iter()
        .any(|(_, outcome)| matches!(outcome, FetchOutcome::Downloaded { .. }));
    let reloaded = selection.reload_if(changed)?;
    Ok(Refresh {
        outcomes,
        register: None,
        reloaded,
    })
}
