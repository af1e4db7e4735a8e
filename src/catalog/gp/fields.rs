//! One conversion from named OMM fields to SGP4 elements, shared by the JSON, CSV, XML and KVN
//! readers so that every format validates exactly the same way.

use std::borrow::Cow;

use chrono::NaiveDateTime;
use sgp4::{Classification, Elements};

/// A field value as a format delivers it: text (every format), or a number JSON already parsed.
#[derive(Debug, Clone)]
pub(crate) enum Field<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl Field<'_> {
    fn number(&self) -> Option<f64> {
        match self {
            Self::Text(text) => parse_f64(text),
            Self::Number(value) => value.is_finite().then_some(*value),
        }
    }

    fn whole(&self) -> Option<u64> {
        match self {
            Self::Text(text) => parse_whole(text),
            Self::Number(value) => whole_from_f64(*value),
        }
    }

    fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Text(text) => Cow::Borrowed(text.as_ref()),
            Self::Number(value) => Cow::Owned(value.to_string()),
        }
    }
}

/// A field that could not be used, with the reason.
#[derive(Debug)]
pub(crate) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn missing(field: &'static str) -> FieldError {
    FieldError {
        field,
        message: "missing".to_owned(),
    }
}

/// Parses a number as CelesTrak writes them: `15.49`, `.46080909E-3`, `+.0001`, `1.9e-5`.
pub(crate) fn parse_f64(raw: &str) -> Option<f64> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
}

/// Parses an OMM `EPOCH`: calendar (`2020-12-15T05:59:44.491200`) or CCSDS day-of-year
/// (`2020-350T05:59:44.4912`) form, optionally with a trailing `Z`.
pub(crate) fn parse_epoch(raw: &str) -> Option<NaiveDateTime> {
    let trimmed = raw.trim().trim_end_matches('Z');
    if let Some(epoch) = parse_iso_epoch(trimmed) {
        return Some(epoch);
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%jT%H:%M:%S%.f",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(trimmed, format).ok())
}

/// `YYYY-MM-DDTHH:MM:SS[.fffffffff]`, the form every GP service writes, read directly: chrono's
/// format-string parser was a tenth of the time `positions` spent on 100 000 objects. Anything
/// else (more than nine decimals, a space, day-of-year) is left to the general parser.
fn parse_iso_epoch(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'T' {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, &digit| {
            digit
                .is_ascii_digit()
                .then(|| value * 10 + u32::from(digit - b'0'))
        })
    };
    let nanos = match &bytes[19..] {
        [] => 0,
        [b'.', digits @ ..] if !digits.is_empty() && digits.len() <= 9 => {
            let value = number(20..bytes.len())?;
            value * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    let time = chrono::NaiveTime::from_hms_nano_opt(
        number(11..13)?,
        number(14..16)?,
        number(17..19)?,
        nanos,
    )?;
    Some(date.and_time(time))
}

/// Parses a whole number, also when written as an integral float (`25544.0`, `2.5544e4`).
pub(crate) fn parse_whole(raw: &str) -> Option<u64> {
    let trimmed = raw.trim();
    trimmed
        .parse::<u64>()
        .ok()
        .or_else(|| whole_from_f64(parse_f64(trimmed)?))
}

fn whole_from_f64(value: f64) -> Option<u64> {
    (value >= 0.0 && value.fract() == 0.0 && value < 1e15).then_some(value as u64)
}

/// Keeps the element set, or records why the record at `location` was skipped.
pub(crate) fn keep_or_report(
    result: Result<Elements, (Option<u64>, FieldError)>,
    source: &str,
    location: crate::catalog::RecordLocation,
    records: &mut Vec<Elements>,
    issues: &mut Vec<crate::catalog::RecordIssue>,
) {
    match result {
        Ok(elements) => records.push(elements),
        Err((norad_id, error)) => issues.push(
            crate::catalog::RecordIssue::skipped(source, location, error.message)
                .with_field(error.field)
                .with_norad(norad_id),
        ),
    }
}

/// Every keyword [`elements_from_fields`] asks `get` for.
pub(crate) const FIELD_NAMES: [&str; 17] = [
    "NORAD_CAT_ID",
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "CLASSIFICATION_TYPE",
    "OBJECT_NAME",
    "OBJECT_ID",
    "MEAN_MOTION_DOT",
    "MEAN_MOTION_DDOT",
    "BSTAR",
    "ELEMENT_SET_NO",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "REV_AT_EPOCH",
    "EPHEMERIS_TYPE",
];

/// Builds elements from OMM keyword/value pairs. `get` returns the value of a keyword.
pub(crate) fn elements_from_fields<'a>(
    get: impl Fn(&'static str) -> Option<Field<'a>>,
) -> Result<Elements, (Option<u64>, FieldError)> {
    let norad_raw = get("NORAD_CAT_ID").ok_or((None, missing("NORAD_CAT_ID")))?;
    let norad_id = norad_raw.whole().ok_or_else(|| {
        (
            None,
            FieldError {
                field: "NORAD_CAT_ID",
                message: format!("not a catalog number: {:?}", norad_raw.text()),
            },
        )
    })?;
    if norad_id > u64::from(crate::catalog::NoradId::MAX) {
        return Err((
            Some(norad_id),
            FieldError {
                field: "NORAD_CAT_ID",
                message: format!(
                    "catalog number {norad_id} is out of range (at most {})",
                    crate::catalog::NoradId::MAX
                ),
            },
        ));
    }
    let with_id = |error: FieldError| (Some(norad_id), error);

    let number = |field: &'static str| -> Result<f64, FieldError> {
        let raw = get(field).ok_or_else(|| missing(field))?;
        raw.number().ok_or_else(|| FieldError {
            field,
            message: format!("not a number: {:?}", raw.text()),
        })
    };
    let optional_integer = |field: &'static str, default: u64| -> Result<u64, FieldError> {
        let Some(raw) = get(field) else {
            return Ok(default);
        };
        if raw.text().trim().is_empty() {
            return Ok(default);
        }
        raw.whole().ok_or_else(|| FieldError {
            field,
            message: format!("not a whole number: {:?}", raw.text()),
        })
    };

    let epoch_field = get("EPOCH").ok_or_else(|| with_id(missing("EPOCH")))?;
    let epoch_raw = epoch_field.text();
    let datetime = parse_epoch(&epoch_raw).ok_or_else(|| {
        with_id(FieldError {
            field: "EPOCH",
            message: format!("not an ISO 8601 date-time: {epoch_raw:?}"),
        })
    })?;
    let mean_motion = number("MEAN_MOTION").map_err(with_id)?;
    if mean_motion <= 0.0 {
        return Err(with_id(FieldError {
            field: "MEAN_MOTION",
            message: format!("must be positive (rev/day), got {mean_motion}"),
        }));
    }
    let eccentricity = number("ECCENTRICITY").map_err(with_id)?;
    if !(0.0..1.0).contains(&eccentricity) {
        return Err(with_id(FieldError {
            field: "ECCENTRICITY",
            message: format!("must be in [0, 1), got {eccentricity}"),
        }));
    }
    let classification_field = get("CLASSIFICATION_TYPE");
    let classification_raw = classification_field.as_ref().map(Field::text);
    let classification = match classification_raw.as_deref().map(str::trim) {
        None | Some("" | "U") => Classification::Unclassified,
        Some("C") => Classification::Classified,
        Some("S") => Classification::Secret,
        Some(other) => {
            return Err(with_id(FieldError {
                field: "CLASSIFICATION_TYPE",
                message: format!("expected U, C or S, got {other:?}"),
            }));
        }
    };
    let text = |field: &'static str| {
        get(field)
            .map(|value| value.text().trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    Ok(Elements {
        object_name: text("OBJECT_NAME"),
        international_designator: text("OBJECT_ID"),
        norad_id,
        classification,
        datetime,
        mean_motion_dot: number("MEAN_MOTION_DOT").map_err(with_id)?,
        mean_motion_ddot: number("MEAN_MOTION_DDOT").map_err(with_id)?,
        drag_term: number("BSTAR").map_err(with_id)?,
        element_set_number: optional_integer("ELEMENT_SET_NO", 999).map_err(with_id)?,
        inclination: number("INCLINATION").map_err(with_id)?,
        right_ascension: number("RA_OF_ASC_NODE").map_err(with_id)?,
        eccentricity,
        argument_of_perigee: number("ARG_OF_PERICENTER").map_err(with_id)?,
        mean_anomaly: number("MEAN_ANOMALY").map_err(with_id)?,
        mean_motion,
        revolution_number: optional_integer("REV_AT_EPOCH", 0).map_err(with_id)?,
        ephemeris_type: u8::try_from(optional_integer("EPHEMERIS_TYPE", 0).map_err(with_id)?)
            .unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_epoch_reader_agrees_with_chrono_and_leaves_the_rest_to_it() {
        for text in [
            "2026-08-22T12:00:00",
            "2026-08-22T12:00:00.5",
            "2026-08-22T04:09:33.123456",
            "2020-02-29T23:59:59.999999999",
            "1999-12-31T00:00:00.000001",
        ] {
            let chrono = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").unwrap();
            assert_eq!(parse_iso_epoch(text), Some(chrono), "{text}");
        }
        for text in [
            "2021-02-29T00:00:00",
            "2026-08-22T24:00:00",
            "2026-08-22 12:00:00",
            "2026-08-22T12:00:00.",
            "2026-08-22T12:00:00.1234567891",
            "2026-08-22T12:0a:00",
            "+2026-08-22T12:00:00",
        ] {
            assert_eq!(parse_iso_epoch(text), None, "{text}");
        }
        assert!(
            parse_epoch("2026-08-22 12:00:00.25").is_some(),
            "a space still parses"
        );
        assert!(
            parse_epoch("2026-234T12:00:00").is_some(),
            "day of year still parses"
        );
    }

    #[test]
    fn numbers_in_celestrak_spellings() {
        assert_eq!(parse_f64(".46080909E-3"), Some(0.000_460_809_09));
        assert_eq!(parse_f64("+.00000138"), Some(0.000_001_38));
        assert_eq!(parse_f64(" 1.9181e-5 "), Some(1.9181e-5));
        assert_eq!(parse_f64("0"), Some(0.0));
        assert_eq!(parse_f64(""), None);
        assert_eq!(parse_f64("abc"), None);
        assert_eq!(parse_f64("NaN"), None);
    }

    #[test]
    fn epochs_with_and_without_zone_suffix() {
        let expected = parse_epoch("2020-12-15T05:59:44.491200").unwrap();
        assert_eq!(parse_epoch("2020-12-15T05:59:44.491200Z"), Some(expected));
        assert_eq!(
            expected.and_utc().timestamp_micros() % 1_000_000,
            491_200,
            "microseconds kept"
        );
        assert_eq!(parse_epoch("2020-13-15T05:59:44"), None);
        assert_eq!(
            parse_epoch("2020-350T05:59:44.491200"),
            Some(expected),
            "day of year"
        );
    }

    #[test]
    fn whole_numbers_written_as_floats() {
        assert_eq!(parse_whole("25544"), Some(25544));
        assert_eq!(parse_whole("25544.0"), Some(25544));
        assert_eq!(parse_whole(" 1.00401e5 "), Some(100_401));
        assert_eq!(parse_whole("25544.5"), None);
        assert_eq!(parse_whole("-3"), None);
    }

    #[test]
    fn field_names_list_every_keyword_the_reader_asks_for() {
        let asked = std::cell::RefCell::new(Vec::new());
        let result = elements_from_fields(|name| {
            asked.borrow_mut().push(name);
            let value = match name {
                "NORAD_CAT_ID" => "25544",
                "EPOCH" => "2020-12-15T05:59:44.491200",
                "CLASSIFICATION_TYPE" => "U",
                "OBJECT_NAME" | "OBJECT_ID" => "X",
                "ELEMENT_SET_NO" | "REV_AT_EPOCH" | "EPHEMERIS_TYPE" => "0",
                _ => "0.5",
            };
            Some(Field::Text(std::borrow::Cow::Borrowed(value)))
        });
        assert!(result.is_ok(), "{result:?}");
        let mut asked = asked.into_inner();
        asked.sort_unstable();
        asked.dedup();
        let mut known = FIELD_NAMES.to_vec();
        known.sort_unstable();
        assert_eq!(
            asked, known,
            "a reader that looks columns up by FIELD_NAMES sees them all"
        );
    }
}
