//! `orbitscope export`: the filtered set as CZML (Cesium), KML (Google Earth) or GeoJSON (GIS),
//! sampled with SGP4 over a span and written atomically (see `crate::export`).

use std::path::{Path, PathBuf};
use std::time::Instant as Clock;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use clap::{Args, ValueEnum};

use super::passes_cmd::{progress_bar, select};
use super::{ColorArg, FilterArgs, SourceArgs, load};
use crate::catalog::NoradId;
use crate::export::{ExportObject, Format, TimeGrid, iso_time, write_export};
use crate::orbit::{Instant, parse_utc};
use crate::palette::{ColorMode, Palette};
use crate::sources::cache::write_output_atomically_with;

/// The span when `--to` is not given (CZML, KML, GeoJSON tracks): one revolution of nearly
/// everything in LEO (periods up to ~128 min), and small enough for the whole catalog.
pub const DEFAULT_SPAN_MIN: i64 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Cesium's CZML.
    Czml,
    /// KML for Google Earth.
    Kml,
    /// RFC 7946 GeoJSON.
    Geojson,
}

impl From<ExportFormatArg> for Format {
    fn from(arg: ExportFormatArg) -> Self {
        match arg {
            ExportFormatArg::Czml => Self::Czml,
            ExportFormatArg::Kml => Self::Kml,
            ExportFormatArg::Geojson => Self::GeoJson,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// czml (Cesium), kml (Google Earth) or geojson (GIS). Default: from the extension of
    /// --out (.czml, .kml, .geojson).
    #[arg(long, value_enum)]
    pub format: Option<ExportFormatArg>,
    /// The file to write; an existing one is replaced atomically (readers see the old file or
    /// the whole new one, never part of it).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Start of the span: 2026-08-22T12:00:00Z, 2026-08-22 12:00 or 2026-08-22 (UTC unless an
    /// offset is given). Default: now.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub from: Option<DateTime<Utc>>,
    /// End of the span (inclusive). Default: 2 hours after --from; GeoJSON without --to writes
    /// the sub-satellite points at --from instead of ground tracks.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub to: Option<DateTime<Utc>>,
    /// Time between samples: seconds (60, 0.5) or 30s, 5m, 1h.
    #[arg(long, value_name = "DURATION", default_value = "60", value_parser = parse_step, allow_hyphen_values = true)]
    pub step: f64,
    /// GeoJSON: sub-satellite points at --from (the default without --to).
    #[arg(long, conflicts_with = "to")]
    pub points: bool,
    /// Colours: by object type, UN registration status, owner (the largest owners in the
    /// filter), orbit regime, or the treaty lens.
    #[arg(long, value_enum, default_value_t = ColorArg::Owner)]
    pub color: ColorArg,
    /// Only these NORAD catalog numbers. Repeatable.
    #[arg(long = "norad", value_name = "N")]
    pub norad: Vec<NoradId>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// `60`, `0.5` (seconds) or `30s`, `5m`, `1h`, `1d`; above zero.
fn parse_step(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (number, unit_s) = match text.char_indices().last() {
        Some((at, unit @ ('s' | 'm' | 'h' | 'd'))) => (
            &text[..at],
            match unit {
                's' => 1.0,
                'm' => 60.0,
                'h' => 3600.0,
                _ => 86_400.0,
            },
        ),
        _ => (text, 1.0),
    };
    match number.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value * unit_s),
        Ok(_) => Err(format!("{text:?}: the step must be above 0")),
        Err(_) => Err(format!(
            "{text:?}: expected seconds (60, 0.5) or a duration such as 30s, 5m or 1h"
        )),
    }
}

impl ExportArgs {
    /// The format asked for, or the one the file's extension names.
    fn format(&self) -> Result<Format> {
        if let Some(format) = self.format {
            return Ok(format.into());
        }
        let extension = self
            .out
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        Ok(match extension.as_deref() {
            Some("czml") => Format::Czml,
            Some("kml") => Format::Kml,
            Some("geojson") => Format::GeoJson,
            _ => bail!(
                "--format: give czml, kml or geojson (the name {} does not say which)",
                self.out.display()
            ),
        })
    }

    /// The instants to sample, checked before anything is loaded.
    fn grid(&self, format: Format, now: DateTime<Utc>) -> Result<TimeGrid> {
        let from = self.from.unwrap_or_else(|| now.trunc_subsecs(0));
        if self.points && format != Format::GeoJson {
            bail!("--points is for --format geojson (CZML and KML always hold tracks)");
        }
        if format == Format::GeoJson && (self.points || self.to.is_none()) {
            return Ok(TimeGrid::instant(Instant::from_utc(from)));
        }
        let to = self
            .to
            .unwrap_or(from + TimeDelta::minutes(DEFAULT_SPAN_MIN));
        Ok(TimeGrid::new(
            Instant::from_utc(from),
            Instant::from_utc(to),
            self.step,
        )?)
    }
}

pub fn run(args: &ExportArgs) -> Result<()> {
    let format = args.format()?;
    let grid = args.grid(format, Utc::now())?;
    let loaded = load(&args.sources)?;
    let catalog = &loaded.catalog;
    let indices = select(catalog, &args.filter, &args.norad)?;
    let mut mask = vec![false; catalog.objects.len()];
    for &index in &indices {
        mask[index] = true;
    }
    let palette = Palette::new(ColorMode::from(args.color), &catalog.objects, &mask);
    let objects: Vec<ExportObject> = indices
        .iter()
        .map(|&index| ExportObject::new(&catalog.objects[index], &palette))
        .collect();

    let clock = Clock::now();
    let bar = progress_bar("export", objects.len());
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let report = write_output_atomically_with(&args.out, |file| {
        write_export(file, format, &objects, &grid, &progress)
    })
    .with_context(|| format!("writing {}", args.out.display()))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    for (slot, failure) in &report.failures {
        let object = &objects[*slot];
        eprintln!(
            "NORAD {} ({}): {} at {}",
            object.norad_id,
            object.name,
            failure.reason,
            iso_time(failure.at)
        );
    }
    if !report.failures.is_empty() {
        eprintln!(
            "{} of {} objects did not propagate over the span and are left out",
            report.failures.len(),
            objects.len()
        );
    }
    eprintln!(
        "wrote {} objects × {} samples ({} to {}{}) to {}: {} in {:.2} s",
        report.written,
        grid.len(),
        iso_time(grid.start()),
        iso_time(grid.end()),
        if grid.len() > 1 {
            format!(", every {} s", grid.step_s())
        } else {
            String::new()
        },
        display(&args.out),
        human_bytes(report.bytes),
        clock.elapsed().as_secs_f64()
    );
    Ok(())
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// `123.4 MB` (decimal units, as file managers show sizes).
fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_take_seconds_or_units_and_refuse_zero() {
        assert_eq!(parse_step("60"), Ok(60.0));
        assert_eq!(parse_step("0.5"), Ok(0.5));
        assert_eq!(parse_step("30s"), Ok(30.0));
        assert_eq!(parse_step("5m"), Ok(300.0));
        assert_eq!(parse_step("1h"), Ok(3600.0));
        assert_eq!(parse_step("1d"), Ok(86_400.0));
        for bad in ["0", "-60", "0s", "nan", "inf", "five", "", "m", "10x"] {
            assert!(parse_step(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(12_345), "12.3 kB");
        assert_eq!(human_bytes(987_654_321), "987.7 MB");
        assert_eq!(human_bytes(1_234_000_000), "1.23 GB");
    }
}
