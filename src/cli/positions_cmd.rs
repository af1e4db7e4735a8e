//! `orbitscope positions`: SGP4 positions of every object (or the ones named) at one instant.

use rayon::prelude::*;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use glam::DVec3;
use serde::Serialize;

use super::{FilterArgs, SourceArgs, load};
use crate::catalog::{Catalog, NoradId};
use crate::numfmt::{push_digits, push_fixed};
use crate::orbit::{
    BatchPropagator, Instant, PropagationMode, StateBuffers, ecef_to_geodetic, gmst_rad, parse_utc,
    teme_to_ecef,
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

/// One output row: geodetic (WGS-84) and TEME state; names borrowed from the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct PositionRow<'a> {
    pub norad_id: NoradId,
    pub object_id: &'a str,
    pub name: &'a str,
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
pub fn compute_positions<'a>(
    catalog: &'a Catalog,
    indices: &[usize],
    at: Instant,
) -> (Vec<PositionRow<'a>>, Vec<(usize, String)>) {
    let mut propagator = BatchPropagator::new(
        indices
            .iter()
            .map(|&index| &catalog.objects[index].elements),
        PropagationMode::Improved,
    );
    let mut states = StateBuffers::default();
    propagator.propagate_into(at, &mut states);
    let failures: Vec<(usize, String)> = indices
        .iter()
        .enumerate()
        .filter_map(|(slot, &index)| Some((index, states.failures[slot]?.to_string())))
        .collect();
    let gmst = gmst_rad(at);
    // Every slot's row, written in place on all cores (a filter here would collect into
    // pieces and copy them); the few rows that failed are dropped after.
    let mut rows: Vec<PositionRow> = indices
        .par_iter()
        .enumerate()
        .with_min_len(1024)
        .map(|(slot, &index)| {
            let object = &catalog.objects[index];
            let [x, y, z] = states.positions_km[slot];
            let [vx, vy, vz] = states.velocities_km_s[slot];
            let geodetic = ecef_to_geodetic(teme_to_ecef(DVec3::new(x, y, z), gmst));
            PositionRow {
                norad_id: object.norad_id,
                object_id: object.cospar_id.as_deref().unwrap_or_default(),
                name: &object.name,
                lat_deg: geodetic.latitude_deg(),
                lon_deg: geodetic.longitude_deg(),
                alt_km: geodetic.altitude_km,
                x_km: x,
                y_km: y,
                z_km: z,
                vx_km_s: vx,
                vy_km_s: vy,
                vz_km_s: vz,
            }
        })
        .collect();
    if !failures.is_empty() {
        let mut failed = states.failures.iter().map(Option::is_some);
        rows.retain(|_| !failed.next().unwrap_or(true));
    }
    (rows, failures)
}

pub fn run(args: &PositionsArgs) -> Result<()> {
    let loaded = load(&args.sources)?;
    let catalog = &loaded.catalog;
    let filter = args.filter.to_filter(&catalog.objects)?;
    let mut indices = Vec::new();
    if args.norad.is_empty() {
        indices.par_extend(
            (0..catalog.objects.len())
                .into_par_iter()
                .filter(|&i| filter.matches(&catalog.objects[i])),
        );
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

    let out = match args.format {
        PositionsFormat::Csv => csv_bytes(&rows)?,
        PositionsFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&rows)?;
            out.push(b'\n');
            out
        }
    };
    super::write_stdout_bytes(&out)?;
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

/// Rows per formatting task: printing decimals is most of the CSV's cost, so chunks are
/// formatted on all cores and joined in order.
const CSV_CHUNK: usize = 4096;

/// Appends a text field as the `csv` crate writes it by default: in quotes, with quotes
/// doubled, when it holds a comma, a quote or a line break; as it is otherwise.
fn push_text_field(out: &mut String, text: &str) {
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        for part in text.split_inclusive('"') {
            out.push_str(part);
            if part.ends_with('"') {
                out.push('"');
            }
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// The CSV text of `rows`, header first ([`CSV_HEADER`]; names quoted where needed). Rows are
/// written directly rather than through `csv::Writer`, whose per-field quoting checks cost
/// as much as the numbers; [`push_text_field`] quotes exactly as it does.
fn csv_bytes(rows: &[PositionRow]) -> Result<Vec<u8>> {
    let mut header = csv::Writer::from_writer(Vec::new());
    header.write_record(CSV_HEADER)?;
    let chunks: Vec<String> = rows
        .par_chunks(CSV_CHUNK)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * 160);
            for row in chunk {
                push_digits(&mut out, u64::from(row.norad_id), 1);
                out.push(',');
                push_text_field(&mut out, row.object_id);
                out.push(',');
                push_text_field(&mut out, row.name);
                for (value, decimals) in [
                    (row.lat_deg, 6),
                    (rounded_longitude(row.lon_deg, 6), 6),
                    (row.alt_km, 6),
                    (row.x_km, 8),
                    (row.y_km, 8),
                    (row.z_km, 8),
                    (row.vx_km_s, 9),
                    (row.vy_km_s, 9),
                    (row.vz_km_s, 9),
                ] {
                    out.push(',');
                    push_fixed(&mut out, value, decimals);
                }
                out.push('\n');
            }
            out
        })
        .collect();
    let mut out = header
        .into_inner()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    out.reserve(chunks.iter().map(String::len).sum());
    for chunk in chunks {
        out.extend_from_slice(chunk.as_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_quoted_as_the_csv_crate_quotes_them() {
        for text in [
            "ISS (ZARYA)",
            "",
            "A, B",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "ÄÖ \"é\", ü",
            " spaced ",
        ] {
            let mut ours = String::new();
            push_text_field(&mut ours, text);
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["x", text]).unwrap();
            let theirs = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            assert_eq!(format!("x,{ours}\n"), theirs, "{text:?}");
        }
    }

    #[test]
    fn rounding_never_prints_plus_180() {
        assert_eq!(rounded_longitude(179.999_999_7, 6), -180.0);
        assert_eq!(rounded_longitude(-179.999_999_7, 6), -180.0);
        assert_eq!(rounded_longitude(12.345_678_9, 6), 12.345_679);
    }
}
