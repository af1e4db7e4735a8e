//! Two- and three-line element sets (TLE/3LE), as CelesTrak and Space-Track serve them:
//! CRLF or LF, 24-character or `0 `-prefixed name lines, Alpha-5 catalog numbers, explicit `+`
//! signs. Checksums are verified; each bad set is skipped and reported with its line number.

use chrono::NaiveDate;
use sgp4::{Classification, Elements};

use super::GpRecord;
use super::fields::parse_f64;
use crate::catalog::{Parsed, RecordIssue, RecordLocation};

/// Length of a TLE data line; anything after it (as in Vallado's test file) is ignored.
const LINE_LENGTH: usize = 69;

/// A problem inside one TLE line: which field, and why.
struct TleFieldError {
    field: &'static str,
    message: String,
}

fn field_error(field: &'static str, message: impl Into<String>) -> TleFieldError {
    TleFieldError {
        field,
        message: message.into(),
    }
}

/// Parses 2LE/3LE text. Names come from the line before each set when there is one.
pub fn parse_tle(text: &str, source: &str) -> Parsed<GpRecord> {
    let mut parsed = Parsed::default();
    let lines: Vec<&str> = text.lines().map(|line| line.trim_end()).collect();
    let mut pending_name: Option<(usize, &str)> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let line_no = index + 1;
        index += 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if is_data_line(line, b'2') {
            parsed.read += 1;
            parsed.issues.push(RecordIssue::skipped(
                source,
                RecordLocation::Line(line_no),
                "line 2 without a line 1 before it",
            ));
            pending_name = None;
            continue;
        }
        if !is_data_line(line, b'1') {
            if let Some((name_line, name)) = pending_name {
                parsed.read += 1;
                parsed.issues.push(RecordIssue::skipped(
                    source,
                    RecordLocation::Line(name_line),
                    format!("name line {name:?} has no element set after it"),
                ));
            }
            pending_name = Some((line_no, line));
            continue;
        }
        parsed.read += 1;
        let name = pending_name.take().map(|(_, name)| clean_name(name));
        let next = lines
            .get(index)
            .copied()
            .filter(|next| is_data_line(next, b'2'));
        let Some(line2) = next else {
            parsed.issues.push(
                RecordIssue::skipped(
                    source,
                    RecordLocation::Line(line_no),
                    "line 1 without a line 2 after it (truncated element set)",
                )
                .with_norad(norad_from_line(line)),
            );
            continue;
        };
        index += 1;
        match elements_from_lines(name, line, line2) {
            Ok(elements) => parsed.records.push(elements),
            Err((which_line, error)) => parsed.issues.push(
                RecordIssue::skipped(
                    source,
                    RecordLocation::Line(line_no + which_line - 1),
                    error.message,
                )
                .with_field(error.field)
                .with_norad(norad_from_line(line)),
            ),
        }
    }
    if let Some((name_line, name)) = pending_name {
        parsed.read += 1;
        parsed.issues.push(RecordIssue::skipped(
            source,
            RecordLocation::Line(name_line),
            format!("name line {name:?} has no element set after it"),
        ));
    }
    if parsed.records.is_empty() && parsed.issues.is_empty() {
        parsed
            .issues
            .push(RecordIssue::whole_file(source, "no element sets found"));
    }
    parsed
}

/// True for a TLE data line of the given number. Name lines are padded to 24 characters, data
/// lines are 69, so the length tells a name like `1 HOPE` from a (possibly truncated) line 1.
fn is_data_line(line: &str, number: u8) -> bool {
    let bytes = line.as_bytes();
    bytes.len() > 24 && bytes[0] == number && bytes[1] == b' '
}

/// Strips the `0 ` prefix of Space-Track 3LE names and the padding.
fn clean_name(line: &str) -> String {
    line.strip_prefix("0 ").unwrap_or(line).trim().to_owned()
}

fn norad_from_line(line: &str) -> Option<u64> {
    line.get(2..7).and_then(parse_catalog_number)
}

/// Parses a 5-character catalog number field, including Alpha-5 (`A0001` = 100001).
pub fn parse_catalog_number(field: &str) -> Option<u64> {
    let trimmed = field.trim();
    let first = *trimmed.as_bytes().first()?;
    if trimmed.len() == 5 && first.is_ascii_uppercase() {
        // Alpha-5 skips I and O, which read like digits.
        let high = match first {
            b'A'..=b'H' => first - b'A' + 10,
            b'J'..=b'N' => first - b'J' + 18,
            b'P'..=b'Z' => first - b'P' + 23,
            _ => return None,
        };
        let rest: u64 = trimmed[1..].parse().ok()?;
        Some(u64::from(high) * 10_000 + rest)
    } else if trimmed.bytes().all(|byte| byte.is_ascii_digit()) {
        trimmed.parse().ok()
    } else {
        None
    }
}

/// The TLE checksum: digits summed, each `-` counts one, modulo 10.
pub fn checksum(line: &str) -> u8 {
    let sum: u32 = line
        .bytes()
        .take(LINE_LENGTH - 1)
        .map(|byte| match byte {
            b'0'..=b'9' => u32::from(byte - b'0'),
            b'-' => 1,
            _ => 0,
        })
        .sum();
    (sum % 10) as u8
}

fn verify_line(line: &str, number: u8) -> Result<(), TleFieldError> {
    if line.len() < LINE_LENGTH {
        return Err(field_error(
            "line",
            format!(
                "line {number} is {} characters, a TLE line has {LINE_LENGTH} (truncated?)",
                line.len()
            ),
        ));
    }
    if !line.is_ascii() {
        return Err(field_error("line", "non-ASCII characters in a TLE line"));
    }
    let stated = line.as_bytes()[LINE_LENGTH - 1];
    if !stated.is_ascii_digit() {
        return Err(field_error(
            "checksum",
            format!(
                "column 69 should be the checksum digit, found {:?}",
                stated as char
            ),
        ));
    }
    let computed = checksum(line);
    if stated - b'0' != computed {
        return Err(field_error(
            "checksum",
            format!(
                "checksum mismatch on line {number}: the line says {}, its content gives {computed}",
                stated as char
            ),
        ));
    }
    Ok(())
}

fn float(
    line: &str,
    range: std::ops::Range<usize>,
    field: &'static str,
) -> Result<f64, TleFieldError> {
    let raw = &line[range];
    // Refuses NaN and infinities, which `str::parse` accepts and no TLE field can hold.
    parse_f64(raw).ok_or_else(|| field_error(field, format!("not a number: {raw:?}")))
}

fn integer(
    line: &str,
    range: std::ops::Range<usize>,
    field: &'static str,
) -> Result<u64, TleFieldError> {
    let raw = line[range].trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse::<u64>()
        .map_err(|_| field_error(field, format!("not a whole number: {raw:?}")))
}

/// Parses a field with an assumed leading decimal point (`0027976` = 0.0027976, `-11606` =
/// -0.11606), optionally followed by a signed exponent digit (`-4` = × 10⁻⁴).
fn assumed_decimal(
    line: &str,
    mantissa: std::ops::Range<usize>,
    exponent: Option<std::ops::Range<usize>>,
    field: &'static str,
) -> Result<f64, TleFieldError> {
    let raw = line[mantissa].trim();
    let (negative, digits) = match raw.as_bytes().first() {
        Some(b'-') => (true, &raw[1..]),
        Some(b'+') => (false, &raw[1..]),
        _ => (false, raw),
    };
    let digits = digits.trim_start();
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(field_error(
            field,
            format!("not an assumed-decimal number: {raw:?}"),
        ));
    }
    let mut value: f64 = format!("0.{digits}")
        .parse()
        .map_err(|_| field_error(field, format!("not a number: {raw:?}")))?;
    if negative {
        value = -value;
    }
    if let Some(exponent) = exponent {
        let raw_exponent = line[exponent].trim();
        let power: i32 = raw_exponent
            .parse()
            .map_err(|_| field_error(field, format!("bad exponent {raw_exponent:?}")))?;
        value *= 10f64.powi(power);
    }
    Ok(value)
}

/// Converts the two-digit epoch year and fractional day of year into a date-time, the same
/// way the sgp4 crate does (so TLE and OMM of one fetch give identical epochs).
fn epoch(line1: &str) -> Result<chrono::NaiveDateTime, TleFieldError> {
    let year_raw = line1[18..20].trim();
    let two_digit: i32 = year_raw
        .parse()
        .map_err(|_| field_error("epoch year", format!("not a year: {year_raw:?}")))?;
    let year = if two_digit < 57 {
        2000 + two_digit
    } else {
        1900 + two_digit
    };
    let day = float(line1, 20..32, "epoch day")?;
    if !(1.0..367.0).contains(&day) {
        return Err(field_error(
            "epoch day",
            format!("day of year out of range: {day}"),
        ));
    }
    let seconds = day.fract() * 86_400.0;
    let mut nanoseconds = (seconds.fract() * 1e9).round() as u32;
    let mut whole_seconds = seconds as u32;
    if nanoseconds >= 1_000_000_000 {
        nanoseconds -= 1_000_000_000;
        whole_seconds += 1;
    }
    let date = NaiveDate::from_yo_opt(year, day as u32)
        .ok_or_else(|| field_error("epoch day", format!("day {day} is not in {year}")))?;
    let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(whole_seconds, nanoseconds)
        .ok_or_else(|| field_error("epoch day", format!("bad time of day in {day}")))?;
    Ok(date.and_time(time))
}

/// Parses one element set; on failure says which of the two lines (1 or 2) is at fault.
fn elements_from_lines(
    name: Option<String>,
    line1: &str,
    line2: &str,
) -> Result<Elements, (usize, TleFieldError)> {
    verify_line(line1, 1).map_err(|error| (1, error))?;
    verify_line(line2, 2).map_err(|error| (2, error))?;
    let on_line1 = |error| (1, error);
    let on_line2 = |error| (2, error);

    let norad_id = parse_catalog_number(&line1[2..7]).ok_or_else(|| {
        on_line1(field_error(
            "catalog number",
            format!("not a catalog number: {:?}", &line1[2..7]),
        ))
    })?;
    if parse_catalog_number(&line2[2..7]) != Some(norad_id) {
        return Err(on_line2(field_error(
            "catalog number",
            format!(
                "line 2 has catalog number {:?}, line 1 has {norad_id}",
                line2[2..7].trim()
            ),
        )));
    }
    let classification = match line1.as_bytes()[7] {
        b'U' | b' ' => Classification::Unclassified,
        b'C' => Classification::Classified,
        b'S' => Classification::Secret,
        other => {
            return Err(on_line1(field_error(
                "classification",
                format!("expected U, C or S, got {:?}", other as char),
            )));
        }
    };
    let designator = line1[9..17].trim();
    let international_designator = if designator.is_empty() {
        None
    } else {
        let launch_year: u32 = designator
            .get(0..2)
            .and_then(|year| year.parse().ok())
            .ok_or_else(|| {
                on_line1(field_error(
                    "international designator",
                    format!("expected YYNNNPPP, got {designator:?}"),
                ))
            })?;
        let century = if launch_year < 57 { 2000 } else { 1900 };
        Some(format!(
            "{}-{}",
            century + launch_year,
            designator[2..].trim()
        ))
    };
    let eccentricity = assumed_decimal(line2, 26..33, None, "eccentricity").map_err(on_line2)?;
    let mean_motion = float(line2, 52..63, "mean motion").map_err(on_line2)?;
    if mean_motion <= 0.0 {
        return Err(on_line2(field_error(
            "mean motion",
            format!("must be positive (rev/day), got {mean_motion}"),
        )));
    }
    Ok(Elements {
        object_name: name.filter(|name| !name.is_empty()),
        international_designator,
        norad_id,
        classification,
        datetime: epoch(line1).map_err(on_line1)?,
        mean_motion_dot: float(line1, 33..43, "mean motion dot").map_err(on_line1)?,
        mean_motion_ddot: assumed_decimal(line1, 44..50, Some(50..52), "mean motion ddot")
            .map_err(on_line1)?,
        drag_term: assumed_decimal(line1, 53..59, Some(59..61), "BSTAR").map_err(on_line1)?,
        ephemeris_type: integer(line1, 62..63, "ephemeris type").map_err(on_line1)? as u8,
        element_set_number: integer(line1, 64..68, "element set number").map_err(on_line1)?,
        inclination: float(line2, 8..16, "inclination").map_err(on_line2)?,
        right_ascension: float(line2, 17..25, "right ascension").map_err(on_line2)?,
        eccentricity,
        argument_of_perigee: float(line2, 34..42, "argument of perigee").map_err(on_line2)?,
        mean_anomaly: float(line2, 43..51, "mean anomaly").map_err(on_line2)?,
        mean_motion,
        revolution_number: integer(line2, 63..68, "revolution number").map_err(on_line2)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // ISS (ZARYA) as CelesTrak served it on 2020-12-15 (a fact, typed in).
    const ISS_NAME: &str = "ISS (ZARYA)             ";
    const ISS_1: &str = "1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994";
    const ISS_2: &str = "2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085";

    fn iss_3le(line_end: &str) -> String {
        [ISS_NAME, ISS_1, ISS_2].join(line_end) + line_end
    }

    #[test]
    fn reads_a_3le_with_crlf() {
        let parsed = parse_tle(&iss_3le("\r\n"), "iss.tle");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let iss = &parsed.records[0];
        assert_eq!(iss.norad_id, 25544);
        assert_eq!(iss.object_name.as_deref(), Some("ISS (ZARYA)"));
        assert_eq!(iss.international_designator.as_deref(), Some("1998-067A"));
        assert!((iss.eccentricity - 0.0001646).abs() < 1e-12);
        assert!((iss.drag_term - 0.19181e-4).abs() < 1e-15);
        assert!((iss.mean_motion - 15.49187914).abs() < 1e-12);
        assert_eq!(iss.revolution_number, 26008);
        assert_eq!(
            iss.datetime.to_string(),
            "2020-12-15 05:59:44.491200",
            "the OMM of the same fetch says 2020-12-15T05:59:44.491200"
        );
    }

    /// Replaces columns `range` of a TLE line and fixes its checksum.
    fn with_field(line: &str, range: std::ops::Range<usize>, value: &str) -> String {
        let mut edited = line.to_owned();
        edited.replace_range(range, value);
        edited.truncate(68);
        let sum = checksum(&edited);
        format!("{edited}{sum}")
    }

    #[test]
    fn nan_and_infinity_are_not_numbers() {
        for (line, range, value, field) in [
            (2, 8..16, "     NaN", "inclination"),
            (2, 52..63, "        inf", "mean motion"),
            (1, 33..43, " -infinity", "mean motion dot"),
            (2, 43..51, "    +NaN", "mean anomaly"),
        ] {
            let (line1, line2) = if line == 1 {
                (with_field(ISS_1, range, value), ISS_2.to_owned())
            } else {
                (ISS_1.to_owned(), with_field(ISS_2, range, value))
            };
            let parsed = parse_tle(&format!("{line1}\n{line2}\n"), "nan.tle");
            assert!(parsed.records.is_empty(), "{value} accepted in {field}");
            assert_eq!(parsed.issues[0].field.as_deref(), Some(field));
            assert!(parsed.accounting_error().is_none());
        }
    }

    #[test]
    fn agrees_with_the_sgp4_crate() {
        let ours = parse_tle(&iss_3le("\n"), "iss.tle").records.remove(0);
        let theirs = Elements::from_tle(
            Some("ISS (ZARYA)".into()),
            ISS_1.as_bytes(),
            ISS_2.as_bytes(),
        )
        .unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn two_line_sets_have_no_name() {
        let parsed = parse_tle(&format!("{ISS_1}\n{ISS_2}\n"), "iss.tle");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].object_name, None);
    }

    #[test]
    fn space_track_variant_with_zero_prefix_and_plus_signs() {
        // VANGUARD 1 as written in a 2019 Space-Track full-catalog 3LE.
        let text = "0 VANGUARD 1\r\n\
            1     5U 58002B   19078.66404675 -.00000160 +00000-0 -18194-3 0  9998\r\n\
            2     5 034.2430 192.1354 1845120 101.4954 279.7521 10.84774727155756\r\n";
        let parsed = parse_tle(text, "st.txt");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let vanguard = &parsed.records[0];
        assert_eq!(vanguard.norad_id, 5);
        assert_eq!(vanguard.object_name.as_deref(), Some("VANGUARD 1"));
        assert!((vanguard.drag_term + 0.18194e-3).abs() < 1e-15);
        assert!((vanguard.inclination - 34.243).abs() < 1e-12);
    }

    #[test]
    fn alpha5_catalog_numbers() {
        assert_eq!(parse_catalog_number("A0001"), Some(100_001));
        assert_eq!(parse_catalog_number("J0000"), Some(180_000));
        assert_eq!(parse_catalog_number("Z9999"), Some(339_999));
        assert_eq!(parse_catalog_number("25544"), Some(25544));
        assert_eq!(parse_catalog_number("    5"), Some(5));
        assert_eq!(
            parse_catalog_number("I0001"),
            None,
            "I is not an Alpha-5 letter"
        );
        assert_eq!(parse_catalog_number("2x544"), None);
    }

    #[test]
    fn bad_checksum_is_skipped_with_its_line() {
        let bad = ISS_2.replace("260085", "260086");
        let text = format!("{ISS_NAME}\n{ISS_1}\n{bad}\n{ISS_NAME}\n{ISS_1}\n{ISS_2}\n");
        let parsed = parse_tle(&text, "bad.tle");
        assert_eq!(parsed.records.len(), 1, "the good set survives");
        let issue = &parsed.issues[0];
        assert_eq!(issue.location, RecordLocation::Line(3));
        assert_eq!(issue.field.as_deref(), Some("checksum"));
        assert_eq!(issue.norad_id, Some(25544));
        assert!(
            issue
                .to_string()
                .starts_with("bad.tle:3 (NORAD 25544) field checksum")
        );
    }

    #[test]
    fn truncated_lines_and_orphans_are_reported() {
        let truncated = &ISS_2[..50];
        let text = format!("{ISS_NAME}\n{ISS_1}\n{truncated}\n{ISS_NAME}\n{ISS_1}\n");
        let parsed = parse_tle(&text, "t.tle");
        assert!(parsed.records.is_empty());
        assert_eq!(parsed.issues.len(), 2, "{:?}", parsed.issues);
        assert!(parsed.issues[0].message.contains("truncated"));
        assert_eq!(parsed.issues[1].location, RecordLocation::Line(5));
        assert!(parsed.issues[1].message.contains("without a line 2"));
    }

    #[test]
    fn non_numeric_field_names_the_field() {
        let bad_line = format!("{}X{}", &ISS_2[..9], &ISS_2[10..]);
        // Keep the checksum right so that the field check is what fails.
        let fixed = format!("{}{}", &bad_line[..68], checksum(&bad_line));
        let parsed = parse_tle(&format!("{ISS_1}\n{fixed}\n"), "f.tle");
        assert_eq!(parsed.issues[0].field.as_deref(), Some("inclination"));
        assert_eq!(parsed.issues[0].location, RecordLocation::Line(2));
    }

    #[test]
    fn mismatched_catalog_numbers() {
        let other = ISS_2.replacen("25544", "25545", 1);
        let other = format!("{}{}", &other[..68], checksum(&other));
        let parsed = parse_tle(&format!("{ISS_1}\n{other}\n"), "m.tle");
        assert_eq!(parsed.issues[0].field.as_deref(), Some("catalog number"));
    }
}
