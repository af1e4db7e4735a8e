//! `orbitscope positions`: SGP4 positions of every object (or the ones named) at one instant.

use std::io::Write;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use glam::DVec3;
use serde::Serialize;

use super::{FilterArgs, SourceArgs, load};
use crate::catalog::{Catalog, NoradId};
use crate::orbit::{
    BatchPropagator, Instant, PropagationMode, StateBuffers, parse_utc, teme_to_geodetic,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PositionsFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct PositionsArgs {
    /// The instant: 2026-08-22T12:00:00Z, 2026-08-22 12:00 or 2026-08-22 (UTC unless an offset
    /// is given). Default: now.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub at: Option<DateTime<Utc>>,
    /// Only these NORAD catalog numbers. Repeatable.
    #[arg(long = "norad", value_name = "N")]
    pub norad: Vec<NoradId>,
    #[arg(long, value_enum, default_value_t = PositionsFormat::Csv)]
    pub format: PositionsFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

/// Longitude rounded to `decimals` and kept in [−180, 180) after rounding.
fn rounded_longitude(degrees: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let rounded = (degrees * scale).round() / scale;
    if rounded >= 180.0 {
        rounded - 360.0
    } else {
        rounded
    }
}

/// The exact CSV header of `orbitscope positions`.
pub const CSV_HEADER: [&str; 12] = [
    "norad_id",
    "object_id",
    "name",
    "lat_deg",
    "lon_deg",
    "alt_km",
    "x_km",
    "y_km",
    "z_km",
    "vx_km_s",
    "vy_km_s",
    "vz_km_s",
];

/// One output row: geodetic (WGS-84) and TEME state.
#[derive(Debug, Clone, Serialize)]
pub struct PositionRow {
    pub norad_id: NoradId,
    pub object_id: String,
    pub name: String,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_km: f64,
    pub x_km: f64,
    pub y_km: f64,
    pub z_km: f64,
    pub vx_km_s: f64,
    pub vy_km_s: f64,
    pub vz_km_s: f64,
}

/// Positions of the selected catalog rows at `at`, and the (index, reason) of those that fail.
pub fn compute_positions(
    catalog: &Catalog,
    indices: &[usize],
    at: Instant,
) -> (Vec<PositionRow>, Vec<(usize, String)>) {
    let mut propagator = BatchPropagator::new(
        indices
            .iter()
            .map(|&index| &catalog.objects[index].elements),
        PropagationMode::Improved,
    );
    let mut states = StateBuffers::default();
    propagator.propagate_into(at, &mut states);
    let mut rows = Vec::with_capacity(indices.len());
    let mut failures = Vec::new();
    for (slot, &index) in indices.iter().enumerate() {
        let object = &catalog.objects[index];
        if let Some(failure) = states.failures[slot] {
            failures.push((index, failure.to_string()));
            continue;
        }
        let [x, y, z] = states.positions_km[slot];
        let [vx, vy, vz] = states.velocities_km_s[slot];
        let geodetic = teme_to_geodetic(DVec3::new(x, y, z), at);
        rows.push(PositionRow {
            norad_id: object.norad_id,
            object_id: object.cospar_id.clone().unwrap_or_default(),
            name: object.name.clone(),
            lat_deg: geodetic.latitude_deg(),
            lon_deg: geodetic.longitude_deg(),
            alt_km: geodetic.altitude_km,
            x_km: x,
            y_km: y,
            z_km: z,
            vx_km_s: vx,
            vy_km_s: vy,
            vz_km_s: vz,
        });
    }
    (rows, failures)
}

pub fn run(args: &PositionsArgs) -> Result<()> {
    let loaded = load(&args.sources)?;
    let catalog = &loaded.catalog;
    let filter = args.filter.to_filter(&catalog.objects)?;
    let mut indices = Vec::new();
    if args.norad.is_empty() {
        indices.extend((0..catalog.objects.len()).filter(|&i| filter.matches(&catalog.objects[i])));
    } else {
        for &norad_id in &args.norad {
            match catalog.index_of(norad_id) {
                Some(index) => indices.push(index),
                None => eprintln!("NORAD {norad_id}: not in the loaded catalog"),
            }
        }
        indices.retain(|&i| filter.matches(&catalog.objects[i]));
        if indices.is_empty() {
            bail!("none of the requested objects is in the loaded catalog and the filter");
        }
    }
    let at = Instant::from_utc(args.at.unwrap_or_else(Utc::now));
    let (rows, failures) = compute_positions(catalog, &indices, at);

    let mut out = Vec::new();
    match args.format {
        PositionsFormat::Csv => write_csv(&mut out, &rows)?,
        PositionsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
    }
    super::write_stdout(&String::from_utf8(out)?)?;
    for (index, reason) in &failures {
        let object = &catalog.objects[*index];
        eprintln!("NORAD {} ({}): {reason}", object.norad_id, object.name);
    }
    if !failures.is_empty() {
        eprintln!(
            "{} of {} objects did not propagate",
            failures.len(),
            indices.len()
        );
    }
    Ok(())
}

/// Writes rows as CSV with [`CSV_HEADER`] (names quoted where needed).
pub fn write_csv(out: &mut impl Write, rows: &[PositionRow]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for row in rows {
        writer.write_record([
            row.norad_id.to_string(),
            row.object_id.clone(),
            row.name.clone(),
            format!("{:.6}", row.lat_deg),
            format!("{:.6}", rounded_longitude(row.lon_deg, 6)),
            format!("{:.6}", row.alt_km),
            format!("{:.8}", row.x_km),
            format!("{:.8}", row.y_km),
            format!("{:.8}", row.z_km),
            format!("{:.9}", row.vx_km_s),
            format!("{:.9}", row.vy_km_s),
            format!("{:.9}", row.vz_km_s),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_never_prints_plus_180() {
        assert_eq!(rounded_longitude(179.999_999_7, 6), -180.0);
        assert_eq!(rounded_longitude(-179.999_999_7, 6), -180.0);
        assert_eq!(rounded_longitude(12.345_678_9, 6), 12.345_679);
    }
}
