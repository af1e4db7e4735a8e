//! `orbitscope passes`: every pass of the selected objects over a ground site; and
//! `orbitscope look`: where every object is in that site's sky at one instant.

use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::{FilterArgs, SourceArgs, load, truncate};
use crate::catalog::{Catalog, NoradId};
use crate::filter::RegistrationStatus;
use crate::orbit::{BatchPropagator, Instant, PropagationMode, StateBuffers, parse_utc};
use crate::passes::csv::{fill_pass_fields, rfc3339_ms};
use crate::passes::ics::{CalendarPass, calendar};
use crate::passes::look::look_batch;
use crate::passes::site::{SiteBook, site_book_path};
use crate::passes::{
    Darkness, Pass, PassFailure, PassOptions, Site, SiteFrame, Span, find_passes_each,
};

pub use crate::passes::csv::PASSES_CSV_HEADER;

/// The exact CSV header of `orbitscope look`.
pub const LOOK_CSV_HEADER: [&str; 8] = [
    "norad_id",
    "name",
    "owner",
    "registration",
    "azimuth_deg",
    "elevation_deg",
    "range_km",
    "range_rate_km_s",
];

/// Where the observer is: coordinates, or a name from the site book.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct SiteArgs {
    /// The site: `LAT,LON[,HEIGHT_M]` (degrees north, degrees east, metres above the WGS-84
    /// ellipsoid), e.g. 51.48,-0.0,50.
    #[arg(long, value_name = "LAT,LON[,HEIGHT_M]", value_parser = parse_site, allow_hyphen_values = true)]
    pub site: Option<Site>,
    /// A site by name from `sites.json` in the config directory (`$ORBITSCOPE_CONFIG_DIR`, else
    /// ~/.config/orbitscope on Linux).
    #[arg(long, value_name = "NAME")]
    pub site_name: Option<String>,
}

fn parse_site(text: &str) -> Result<Site, String> {
    Site::parse(text).map_err(|error| error.to_string())
}

impl SiteArgs {
    pub fn resolve(&self) -> Result<Site> {
        if let Some(site) = &self.site {
            return Ok(site.clone());
        }
        let name = self.site_name.as_deref().unwrap_or_default();
        let path = site_book_path().context("no config directory for sites.json")?;
        let book = SiteBook::load(&path)?;
        Ok(book.lookup(name, &path)?)
    }
}

fn parse_days(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(days) if days.is_finite() && days > 0.0 => Ok(days),
        _ => Err(format!("{text:?}: days must be a number above 0")),
    }
}

fn parse_min_elevation(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(degrees) if (0.0..90.0).contains(&degrees) => Ok(degrees),
        _ => Err(format!(
            "{text:?}: the minimum elevation is degrees in [0, 90)"
        )),
    }
}

fn parse_elevation(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(degrees) if (-90.0..=90.0).contains(&degrees) => Ok(degrees),
        _ => Err(format!("{text:?}: an elevation is degrees in [-90, 90]")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PassesFormat {
    Table,
    Csv,
    Json,
    Ics,
}

#[derive(Debug, Args)]
pub struct PassesArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Start of the span: 2026-08-22T12:00:00Z, 2026-08-22 12:00 or 2026-08-22 (UTC unless an
    /// offset is given). Default: now.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub from: Option<DateTime<Utc>>,
    /// Length of the span in days (no upper limit).
    #[arg(long, value_name = "D", default_value_t = 3.0, value_parser = parse_days)]
    pub days: f64,
    /// A pass is the object above this elevation, degrees.
    #[arg(long, value_name = "DEG", default_value_t = 10.0, value_parser = parse_min_elevation)]
    pub min_elevation: f64,
    /// Only passes visible to the eye (the object sunlit while the site is dark).
    #[arg(long)]
    pub visible: bool,
    /// The site is dark while the Sun is below this elevation, degrees.
    #[arg(long, value_name = "DEG", default_value_t = -6.0, allow_hyphen_values = true, value_parser = parse_elevation)]
    pub sun_below: f64,
    /// Only these NORAD catalog numbers. Repeatable.
    #[arg(long = "norad", value_name = "N")]
    pub norad: Vec<NoradId>,
    #[arg(long, value_enum, default_value_t = PassesFormat::Table)]
    pub format: PassesFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LookFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct LookArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The instant (as --from of `passes`). Default: now.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub at: Option<DateTime<Utc>>,
    /// Only objects above this elevation, degrees.
    #[arg(long, value_name = "DEG", default_value_t = 0.0, allow_hyphen_values = true, value_parser = parse_elevation)]
    pub min_elevation: f64,
    /// Only these NORAD catalog numbers. Repeatable.
    #[arg(long = "norad", value_name = "N")]
    pub norad: Vec<NoradId>,
    #[arg(long, value_enum, default_value_t = LookFormat::Table)]
    pub format: LookFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// The catalog rows the filter and `--norad` select.
pub(super) fn select(
    catalog: &Catalog,
    filter: &FilterArgs,
    norad: &[NoradId],
) -> Result<Vec<usize>> {
    let filter = filter.to_filter(&catalog.objects)?;
    let mut indices: Vec<usize> = if norad.is_empty() {
        (0..catalog.objects.len())
            .into_par_iter()
            .filter(|&i| filter.matches(&catalog.objects[i]))
            .collect()
    } else {
        let mut found = Vec::new();
        for &norad_id in norad {
            match catalog.index_of(norad_id) {
                Some(index) => found.push(index),
                None => eprintln!("NORAD {norad_id}: not in the loaded catalog"),
            }
        }
        found.retain(|&i| filter.matches(&catalog.objects[i]));
        found
    };
    indices.dedup();
    if indices.is_empty() {
        bail!("no object in the loaded catalog matches the filter and --norad");
    }
    Ok(indices)
}

/// One pass as printed.
#[derive(Debug, Clone, Serialize)]
pub struct PassRow<'a> {
    pub norad_id: NoradId,
    pub name: &'a str,
    pub owner: &'a str,
    pub registration: &'static str,
    pub site: &'a str,
    pub rise_utc: String,
    pub rise_az_deg: f64,
    pub culmination_utc: String,
    pub culmination_el_deg: f64,
    pub culmination_az_deg: f64,
    pub set_utc: String,
    pub set_az_deg: f64,
    pub duration_s: f64,
    pub visible: bool,
    /// Already up at the span's start: the rise is the start.
    pub rise_clipped: bool,
    /// Still up at the span's end (or SGP4 failed): the set is that moment.
    pub set_clipped: bool,
    #[serde(skip)]
    pass: Pass,
}

/// One pass as the search hands it over: which selected object, and the pass (112 bytes; the
/// printed row with its strings is only built as it is written).
struct Found {
    slot: u32,
    pass: Pass,
}

pub fn run_passes(args: &PassesArgs) -> Result<()> {
    let site = args.site.resolve()?;
    let loaded = load(&args.sources)?;
    let catalog = &loaded.catalog;
    let indices = select(catalog, &args.filter, &args.norad)?;
    let start = Instant::from_utc(args.from.unwrap_or_else(Utc::now));
    let span = Span::days(start, args.days);
    let options = PassOptions {
        min_elevation_deg: args.min_elevation,
        darkness: Darkness {
            sun_below_deg: args.sun_below,
        },
    };
    let elements: Vec<&sgp4::Elements> = indices
        .iter()
        .map(|&i| &catalog.objects[i].elements)
        .collect();
    let bar = progress_bar("passes", indices.len());
    // Blocks of objects come back as they are refined: only their compact passes are kept.
    let collected = Mutex::new((Vec::<Found>::new(), Vec::<(usize, PassFailure)>::new()));
    find_passes_each(
        &elements,
        std::slice::from_ref(&site),
        span,
        &options,
        &|done, total| {
            if let Some(bar) = &bar {
                bar.set_length(total);
                bar.set_position(done);
            }
        },
        &|block| {
            let mut collected = collected.lock().unwrap_or_else(PoisonError::into_inner);
            for entry in block {
                if let Some(failure) = entry.failure {
                    collected.1.push((entry.object, failure));
                }
                let slot = entry.object as u32;
                collected.0.extend(
                    entry
                        .passes
                        .into_iter()
                        .filter(|pass| !args.visible || pass.visible)
                        .map(|pass| Found { slot, pass }),
                );
            }
        },
    )?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let (mut found, mut failures) = collected
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    failures.sort_by_key(|&(slot, _)| slot);
    for &(slot, failure) in &failures {
        let object = &catalog.objects[indices[slot]];
        let when = failure
            .at
            .map(|at| format!(" from {}", rfc3339_ms(at)))
            .unwrap_or_default();
        eprintln!(
            "NORAD {} ({}): {}{when}",
            object.norad_id, object.name, failure.reason
        );
    }
    let norad = |found: &Found| catalog.objects[indices[found.slot as usize]].norad_id;
    found.sort_unstable_by(|a, b| {
        a.pass
            .rise
            .at
            .cmp(&b.pass.rise.at)
            .then(norad(a).cmp(&norad(b)))
    });
    let label = site.label();
    let row = |found: &Found| {
        let object = &catalog.objects[indices[found.slot as usize]];
        let pass = &found.pass;
        PassRow {
            norad_id: object.norad_id,
            name: &object.name,
            owner: object.owner_code().unwrap_or_default(),
            registration: RegistrationStatus::of(&object.registration).key(),
            site: &label,
            rise_utc: rfc3339_ms(pass.rise.at),
            rise_az_deg: pass.rise.azimuth_deg,
            culmination_utc: rfc3339_ms(pass.culmination.at),
            culmination_el_deg: pass.culmination.elevation_deg,
            culmination_az_deg: pass.culmination.azimuth_deg,
            set_utc: rfc3339_ms(pass.set.at),
            set_az_deg: pass.set.azimuth_deg,
            duration_s: pass.duration_s(),
            visible: pass.visible,
            rise_clipped: pass.rise_clipped,
            set_clipped: pass.set_clipped,
            pass: *pass,
        }
    };
    match args.format {
        PassesFormat::Csv => write_passes_csv(
            found
                .iter()
                .map(|found| (&catalog.objects[indices[found.slot as usize]], &found.pass)),
        )?,
        PassesFormat::Json => {
            let rows: Vec<PassRow> = found.iter().map(row).collect();
            super::write_stdout_bytes(&json(&rows)?)?;
        }
        PassesFormat::Ics => {
            let rows: Vec<PassRow> = found.iter().map(row).collect();
            let items: Vec<CalendarPass> = rows
                .iter()
                .map(|row| CalendarPass {
                    norad_id: row.norad_id,
                    name: row.name,
                    site: &label,
                    pass: &row.pass,
                })
                .collect();
            super::write_stdout_bytes(calendar(&items, Instant::from_utc(Utc::now())).as_bytes())?;
        }
        PassesFormat::Table => {
            let rows: Vec<PassRow> = found.iter().map(row).collect();
            super::write_stdout_bytes(passes_table(&rows, &label, &span).as_bytes())?;
        }
    }
    if !failures.is_empty() {
        eprintln!(
            "{} of {} objects failed in SGP4 (passes before a failure are listed)",
            failures.len(),
            indices.len()
        );
    }
    Ok(())
}

/// A bar on stderr for many objects, only on a terminal.
pub(super) fn progress_bar(label: &str, objects: usize) -> Option<indicatif::ProgressBar> {
    if objects < 100 || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{label} {{bar:40}} {{percent}}% {{eta}} left"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn json<T: Serialize>(rows: &[T]) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(rows)?;
    out.push(b'\n');
    Ok(out)
}

/// Writes the rows as CSV to stdout as they come, a megabyte at a time (a closed pipe ends
/// the writing quietly, as [`super::write_stdout_bytes`] does).
fn write_passes_csv<'a>(
    rows: impl Iterator<Item = (&'a crate::catalog::SpaceObject, &'a Pass)>,
) -> Result<()> {
    const FLUSH_BYTES: u64 = 1 << 20;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(PASSES_CSV_HEADER)?;
    let mut stdout = std::io::stdout().lock();
    let mut fields: [String; 13] = Default::default();
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        for (object, pass) in rows.by_ref() {
            fill_pass_fields(&mut fields, object, pass);
            writer.write_record(&fields)?;
            if writer.get_ref().len() as u64 >= FLUSH_BYTES {
                break;
            }
        }
        let mut bytes = writer
            .into_inner()
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        if !write_chunk(&mut stdout, &bytes)? {
            return Ok(());
        }
        bytes.clear();
        writer = csv::Writer::from_writer(bytes);
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    write_chunk(&mut stdout, &bytes)?;
    Ok(())
}

/// Writes `bytes` and flushes; `false` once the reader has gone (a broken pipe).
fn write_chunk(stdout: &mut impl std::io::Write, bytes: &[u8]) -> Result<bool> {
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(error) => Err(anyhow::Error::new(error).context("writing to stdout")),
    }
}

fn passes_table(rows: &[PassRow], site: &str, span: &Span) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Passes over {site} from {} to {} ({} passes; * = cut by the span)",
        span.start.to_utc().format("%Y-%m-%d %H:%M UTC"),
        span.end.to_utc().format("%Y-%m-%d %H:%M UTC"),
        rows.len()
    );
    let _ = writeln!(
        out,
        "{:>7}  {:<24} {:<20} {:>5}  {:<9} {:>5} {:>5}  {:<9} {:>5} {:>8}  visible",
        "NORAD", "name", "rise (UTC)", "az", "culm", "el", "az", "set", "az", "duration"
    );
    for row in rows {
        let pass = &row.pass;
        let _ = writeln!(
            out,
            "{:>7}  {:<24} {:<20} {:>5.0}  {:<9} {:>5.1} {:>5.0}  {:<9} {:>5.0} {:>8}  {}",
            row.norad_id,
            truncate(row.name, 24),
            format!(
                "{}{}",
                pass.rise.at.to_utc().format("%Y-%m-%d %H:%M:%S"),
                if pass.rise_clipped { "*" } else { "" }
            ),
            pass.rise.azimuth_deg,
            pass.culmination.at.to_utc().format("%H:%M:%S"),
            pass.culmination.elevation_deg,
            pass.culmination.azimuth_deg,
            format!(
                "{}{}",
                pass.set.at.to_utc().format("%H:%M:%S"),
                if pass.set_clipped { "*" } else { "" }
            ),
            pass.set.azimuth_deg,
            {
                let seconds = row.duration_s.round() as i64;
                format!("{}:{:02}", seconds / 60, seconds % 60)
            },
            if row.visible { "yes" } else { "" }
        );
    }
    out
}

/// One object in the sky, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct LookRow<'a> {
    pub norad_id: NoradId,
    pub name: &'a str,
    pub owner: &'a str,
    pub registration: &'static str,
    pub azimuth_deg: f64,
    pub elevation_deg: f64,
    pub range_km: f64,
    pub range_rate_km_s: f64,
}

pub fn run_look(args: &LookArgs) -> Result<()> {
    let site = args.site.resolve()?;
    let loaded = load(&args.sources)?;
    let catalog = &loaded.catalog;
    let indices = select(catalog, &args.filter, &args.norad)?;
    let at = Instant::from_utc(args.at.unwrap_or_else(Utc::now));
    let mut propagator = BatchPropagator::new(
        indices.iter().map(|&i| &catalog.objects[i].elements),
        PropagationMode::Improved,
    );
    let mut states = StateBuffers::default();
    let looks = look_batch(&mut propagator, &mut states, &SiteFrame::new(&site), at);
    let mut failed = 0;
    let mut rows = Vec::new();
    for (slot, look) in looks.iter().enumerate() {
        let object = &catalog.objects[indices[slot]];
        let Some(look) = look else {
            failed += 1;
            if let Some(reason) = states.failures[slot] {
                eprintln!("NORAD {} ({}): {reason}", object.norad_id, object.name);
            }
            continue;
        };
        if look.elevation_deg < args.min_elevation {
            continue;
        }
        rows.push(LookRow {
            norad_id: object.norad_id,
            name: &object.name,
            owner: object.owner_code().unwrap_or_default(),
            registration: RegistrationStatus::of(&object.registration).key(),
            azimuth_deg: look.azimuth_deg,
            elevation_deg: look.elevation_deg,
            range_km: look.range_km,
            range_rate_km_s: look.range_rate_km_s,
        });
    }
    rows.sort_by(|a, b| {
        b.elevation_deg
            .total_cmp(&a.elevation_deg)
            .then(a.norad_id.cmp(&b.norad_id))
    });
    let out = match args.format {
        LookFormat::Json => json(&rows)?,
        LookFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(LOOK_CSV_HEADER)?;
            for row in &rows {
                writer.write_record([
                    row.norad_id.to_string(),
                    row.name.to_owned(),
                    row.owner.to_owned(),
                    row.registration.to_owned(),
                    format!("{:.3}", row.azimuth_deg),
                    format!("{:.3}", row.elevation_deg),
                    format!("{:.3}", row.range_km),
                    format!("{:.4}", row.range_rate_km_s),
                ])?;
            }
            writer
                .into_inner()
                .map_err(|error| anyhow::anyhow!("{error}"))?
        }
        LookFormat::Table => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "Sky over {} at {} ({} objects at or above {}°)",
                site.label(),
                rfc3339_ms(at),
                rows.len(),
                args.min_elevation
            );
            let _ = writeln!(
                out,
                "{:>7}  {:<24} {:<6} {:>7} {:>6} {:>9} {:>9}",
                "NORAD", "name", "owner", "az", "el", "range km", "rate km/s"
            );
            for row in &rows {
                let _ = writeln!(
                    out,
                    "{:>7}  {:<24} {:<6} {:>7.2} {:>6.2} {:>9.1} {:>9.3}",
                    row.norad_id,
                    truncate(row.name, 24),
                    row.owner,
                    row.azimuth_deg,
                    row.elevation_deg,
                    row.range_km,
                    row.range_rate_km_s
                );
            }
            out.into_bytes()
        }
    };
    super::write_stdout_bytes(&out)?;
    if failed > 0 {
        eprintln!("{failed} of {} objects did not propagate", indices.len());
    }
    Ok(())
}
