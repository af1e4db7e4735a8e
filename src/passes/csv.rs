//! Passes as CSV, the columns of `orbitscope passes --format csv`: the command line and the
//! window's export write the same bytes for the same passes.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::finder::Pass;
use crate::catalog::SpaceObject;
use crate::filter::RegistrationStatus;
use crate::orbit::Instant;

/// The exact CSV header of `orbitscope passes`.
pub const PASSES_CSV_HEADER: [&str; 13] = [
    "norad_id",
    "name",
    "owner",
    "registration",
    "rise_utc",
    "rise_az_deg",
    "culmination_utc",
    "culmination_el_deg",
    "culmination_az_deg",
    "set_utc",
    "set_az_deg",
    "duration_s",
    "visible",
];

/// RFC 3339 with milliseconds, in UTC (`2026-08-22T07:57:46.835Z`).
pub fn rfc3339_ms(at: Instant) -> String {
    at.to_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The CSV fields of one pass of `object`, into `fields` (reused between rows).
pub fn fill_pass_fields(fields: &mut [String; 13], object: &SpaceObject, pass: &Pass) {
    let values: [&dyn std::fmt::Display; 13] = [
        &object.norad_id,
        &object.name,
        &object.owner_code().unwrap_or_default(),
        &RegistrationStatus::of(&object.registration).key(),
        &rfc3339_ms(pass.rise.at),
        &format_args!("{:.2}", pass.rise.azimuth_deg),
        &rfc3339_ms(pass.culmination.at),
        &format_args!("{:.3}", pass.culmination.elevation_deg),
        &format_args!("{:.2}", pass.culmination.azimuth_deg),
        &rfc3339_ms(pass.set.at),
        &format_args!("{:.2}", pass.set.azimuth_deg),
        &format_args!("{:.3}", pass.duration_s()),
        &pass.visible,
    ];
    for (field, value) in fields.iter_mut().zip(values) {
        field.clear();
        let _ = write!(field, "{value}");
    }
}

/// A whole CSV file of `passes` (header first), for a table the window exports.
pub fn passes_csv<'a>(
    passes: impl IntoIterator<Item = (&'a SpaceObject, &'a Pass)>,
) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(PASSES_CSV_HEADER)?;
    let mut fields: [String; 13] = Default::default();
    for (object, pass) in passes {
        fill_pass_fields(&mut fields, object, pass);
        writer.write_record(&fields)?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}
