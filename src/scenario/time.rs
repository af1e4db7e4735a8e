//! A scenario's time: a fixed instant (`2026-08-22T12:00:00Z`), or `now` with an optional
//! offset (`now-6h`, `now+30m`, `now-2d`) so that a saved view re-renders with today's data.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// When a scene is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneTime {
    At(DateTime<Utc>),
    /// Now plus this many seconds (negative: in the past).
    Now {
        offset_s: i64,
    },
}

impl SceneTime {
    pub fn now() -> Self {
        Self::Now { offset_s: 0 }
    }

    /// The instant, given what "now" is.
    pub fn resolve(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Self::At(at) => at,
            Self::Now { offset_s } => now + TimeDelta::seconds(offset_s),
        }
    }

    /// Reads `now`, `now±N{s,m,h,d}` or an RFC 3339 time (the forms `--at` takes, too).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let Some(rest) = text.strip_prefix("now") else {
            return crate::orbit::parse_utc(text).map(Self::At);
        };
        if rest.is_empty() {
            return Ok(Self::now());
        }
        let bad = || {
            format!(
                "{text:?}: expected now, now-6h, now+30m, now-2d or a UTC time such as 2026-08-22T12:00:00Z"
            )
        };
        // By characters, not bytes: a pasted "now−6h" (Unicode minus) is refused, not a panic.
        let (sign, amount) = if let Some(amount) = rest.strip_prefix('+') {
            (1, amount)
        } else if let Some(amount) = rest.strip_prefix('-') {
            (-1, amount)
        } else {
            return Err(bad());
        };
        let unit_at = amount.char_indices().last().map_or(0, |(index, _)| index);
        let (number, unit) = amount.split_at(unit_at);
        let number: i64 = number.parse().map_err(|_| bad())?;
        let unit_s = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(bad()),
        };
        let offset_s = number
            .checked_mul(unit_s * sign)
            .filter(|s| s.abs() <= 100 * 365 * 86_400)
            .ok_or_else(bad)?;
        Ok(Self::Now { offset_s })
    }
}

impl fmt::Display for SceneTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::At(at) => write!(
                f,
                "{}",
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
            Self::Now { offset_s: 0 } => f.write_str("now"),
            Self::Now { offset_s } => {
                let sign = if offset_s < 0 { '-' } else { '+' };
                let s = offset_s.unsigned_abs();
                let (n, unit) = if s % 86_400 == 0 {
                    (s / 86_400, 'd')
                } else if s % 3600 == 0 {
                    (s / 3600, 'h')
                } else if s % 60 == 0 {
                    (s / 60, 'm')
                } else {
                    (s, 's')
                };
                write!(f, "now{sign}{n}{unit}")
            }
        }
    }
}

impl Serialize for SceneTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SceneTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}
