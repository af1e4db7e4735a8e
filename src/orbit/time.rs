//! Instants and sidereal time.

use chrono::{DateTime, NaiveDateTime, Utc};

/// A UTC instant as whole seconds and nanoseconds since the Unix epoch, so that differences
/// between instants are exact (SGP4 needs minutes since epoch to ~1e-9 precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    pub seconds: i64,
    pub nanos: u32,
}

/// Parses a time as users write it, in UTC unless it says otherwise: RFC 3339
/// (`2026-08-22T12:00:00Z`, `2026-08-22T14:00:00+02:00`), a date and time without an offset
/// (`2026-08-22T12:00:00`, `2026-08-22 12:00`, seconds optional), or a date alone (midnight).
/// The error says which forms are accepted.
pub fn parse_utc(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    let without_zone = text.strip_suffix(['Z', 'z']).unwrap_or(text).trim_end();
    let naive = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(without_zone, format).ok())
    .or_else(|| {
        chrono::NaiveDate::parse_from_str(without_zone, "%Y-%m-%d")
            .ok()
            .and_then(|date| date.and_hms_opt(0, 0, 0))
    });
    naive.map(|time| time.and_utc()).ok_or_else(|| {
        format!(
            "{text:?} is not a time: write 2026-08-22, 2026-08-22 06:00 or \
             2026-08-22T06:00:00Z (UTC unless an offset like +02:00 is given)"
        )
    })
}

/// Unix time of J2000.0 (2000-01-01T12:00:00), in seconds.
const J2000_UNIX_SECONDS: i64 = 946_728_000;

impl Instant {
    pub fn from_utc(time: DateTime<Utc>) -> Self {
        Self {
            seconds: time.timestamp(),
            nanos: time.timestamp_subsec_nanos(),
        }
    }

    pub fn from_naive_utc(time: &NaiveDateTime) -> Self {
        Self::from_utc(time.and_utc())
    }

    pub fn to_utc(self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.seconds, self.nanos).unwrap_or_default()
    }

    /// `self − earlier`, in minutes, exact to f64 rounding.
    pub fn minutes_since(self, earlier: Self) -> f64 {
        let seconds = self.seconds - earlier.seconds;
        let nanos = i64::from(self.nanos) - i64::from(earlier.nanos);
        (seconds as f64 * 1e9 + nanos as f64) / 60e9
    }

    /// The instant `minutes` later (negative for earlier).
    pub fn plus_minutes(self, minutes: f64) -> Self {
        let total_nanos = (minutes * 60e9).round();
        let whole_seconds = (total_nanos / 1e9).floor();
        let nanos = (total_nanos - whole_seconds * 1e9) as i64 + i64::from(self.nanos);
        Self {
            seconds: self.seconds + whole_seconds as i64 + nanos.div_euclid(1_000_000_000),
            nanos: nanos.rem_euclid(1_000_000_000) as u32,
        }
    }

    /// Days since J2000.0 (UTC used for UT1).
    pub fn days_since_j2000(self) -> f64 {
        ((self.seconds - J2000_UNIX_SECONDS) as f64 + f64::from(self.nanos) * 1e-9) / 86_400.0
    }

    /// Julian centuries since J2000.0.
    pub fn centuries_since_j2000(self) -> f64 {
        self.days_since_j2000() / 36_525.0
    }
}

/// Greenwich mean sidereal time, IAU-1982 (Vallado's `gstime`), radians in [0, 2π).
pub fn gmst_rad(at: Instant) -> f64 {
    let t = at.centuries_since_j2000();
    let seconds = -6.2e-6 * t * t * t
        + 0.093_104 * t * t
        + (876_600.0 * 3600.0 + 8_640_184.812_866) * t
        + 67_310.548_41;
    // 240 seconds of sidereal time per degree.
    (seconds / 240.0)
        .to_radians()
        .rem_euclid(std::f64::consts::TAU)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        Instant::from_utc(text.parse::<DateTime<Utc>>().unwrap())
    }

    #[test]
    fn minutes_between_instants_are_exact() {
        let a = at("2026-08-22T12:00:00.000000001Z");
        let b = at("2026-08-22T11:59:00Z");
        assert_eq!(a.minutes_since(b), 1.0 + 1e-9 / 60.0);
        assert_eq!(b.plus_minutes(1.0), at("2026-08-22T12:00:00Z"));
        assert_eq!(
            a.plus_minutes(-0.5).to_utc(),
            "2026-08-22T11:59:30.000000001Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
        );
    }

    #[test]
    fn gmst_matches_vallado_example() {
        // Vallado, Fundamentals of Astrodynamics, example 3-5: 1992-08-20 12:14 UT1
        // gives GMST = 152.578787810°.
        let gmst = gmst_rad(at("1992-08-20T12:14:00Z")).to_degrees();
        assert!((gmst - 152.578_787_810).abs() < 1e-6, "{gmst}");
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn times_in_every_accepted_spelling_are_utc() {
        let noon: DateTime<Utc> = "2026-08-22T12:00:00Z".parse().unwrap();
        for text in [
            "2026-08-22T12:00:00Z",
            "2026-08-22T14:00:00+02:00",
            "2026-08-22T12:00:00",
            "2026-08-22 12:00:00",
            "2026-08-22 12:00",
            "2026-08-22T12:00",
            " 2026-08-22 12:00Z ",
        ] {
            assert_eq!(parse_utc(text), Ok(noon), "{text}");
        }
        assert_eq!(
            parse_utc("2026-08-23"),
            Ok("2026-08-23T00:00:00Z".parse().unwrap())
        );
        let error = parse_utc("yesterday").unwrap_err();
        assert!(error.contains("2026-08-22 06:00"), "{error}");
        assert!(parse_utc("2026-13-01").is_err());
    }
}
