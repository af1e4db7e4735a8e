//! The filter flags shared by the globe, `stats`, `positions` and `shot`, turned into the core's
//! [`Filter`]. Values are checked here: an unknown one is an error that lists the valid ones
//! (or the closest, where there are many).

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use crate::catalog::owners::satcat_owners;
use crate::catalog::{ObjectType, SpaceObject};
use crate::filter::{AltitudeRange, Filter, Regime, RegistrationStatus, YearRange};
use crate::treaty::Treaty;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegistrationArg {
    Registered,
    NotRegistered,
    NoData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    Payload,
    RocketBody,
    Debris,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegimeArg {
    Leo,
    Meo,
    Geo,
    Heo,
    Other,
}

/// A treaty the lens can test (`OST`, `REG`; any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TreatyArg {
    #[value(name = "OST", alias = "ost")]
    Ost,
    #[value(name = "REG", alias = "reg")]
    Reg,
}

impl From<TreatyArg> for Treaty {
    fn from(arg: TreatyArg) -> Self {
        match arg {
            TreatyArg::Ost => Self::Ost,
            TreatyArg::Reg => Self::Reg,
        }
    }
}

/// SATCAT operational status codes.
const OPS_STATUS_CODES: [&str; 8] = ["+", "-", "P", "B", "S", "X", "D", "?"];

/// Which objects to use. Repeat a flag to accept several values (OR); different flags
/// combine with AND.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Filter")]
pub struct FilterArgs {
    /// SATCAT owner code (PRC, US, CIS, ESA ...; any case). Repeatable.
    #[arg(long = "owner", value_name = "CODE")]
    pub owners: Vec<String>,
    /// UN registration status. Repeatable.
    #[arg(long, value_enum, value_name = "STATUS")]
    pub registration: Vec<RegistrationArg>,
    /// Object type. Repeatable.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub types: Vec<TypeArg>,
    /// Orbit regime (definitions in the README). Repeatable.
    #[arg(long = "regime", value_enum, value_name = "REGIME")]
    pub regimes: Vec<RegimeArg>,
    /// SATCAT operational status code (+ - P B S X D ?). Repeatable.
    #[arg(long = "status", value_name = "CODE")]
    pub ops_status: Vec<String>,
    /// Launch years, inclusive: 1998..2010, 2020.., ..1990 or 2007.
    #[arg(long, value_name = "YEARS", value_parser = parse_years)]
    pub launched: Option<YearRange>,
    /// Height range in km; an object matches when its perigee–apogee span overlaps it: 500..600.
    #[arg(long, value_name = "KM", value_parser = parse_altitude)]
    pub altitude: Option<AltitudeRange>,
    /// Name substring (any case), NORAD number, or COSPAR id or its prefix (1998-067).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// The owner is a party to this treaty today (OST: Outer Space Treaty, REG: Registration
    /// Convention; organisations that declared acceptance count; status as at 2026-01-01).
    /// Repeat for "party to both".
    #[arg(long = "party-to", value_enum, value_name = "TREATY")]
    pub party_to: Vec<TreatyArg>,
    /// The owner was already a party to this treaty on the object's launch date (where the
    /// date of deposit is known). Repeatable ("both").
    #[arg(long = "party-at-launch", value_enum, value_name = "TREATY")]
    pub party_at_launch: Vec<TreatyArg>,
    /// The catalog as of this date (YYYY-MM-DD): only objects already catalogued and not yet
    /// decayed on it. Positions still come from today's element sets.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub in_orbit_on: Option<chrono::NaiveDate>,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date (expected YYYY-MM-DD)"))
}

/// Splits `low..high` (either end may be left out) or a single value (both ends).
fn parse_range(text: &str) -> Result<(Option<&str>, Option<&str>), String> {
    let text = text.trim();
    fn end(value: &str) -> Option<&str> {
        let value = value.trim();
        (!value.is_empty()).then_some(value)
    }
    match text.split_once("..") {
        Some((low, high)) => match (end(low), end(high)) {
            (None, None) => Err(format!("{text:?}: give at least one end, e.g. 500..600")),
            ends => Ok(ends),
        },
        None if !text.is_empty() => Ok((Some(text), Some(text))),
        None => Err("empty range".to_owned()),
    }
}

/// `1998..2010`, `2020..`, `..1990` or one year.
pub fn parse_years(text: &str) -> Result<YearRange, String> {
    let (low, high) = parse_range(text)?;
    let year = |value: Option<&str>, default: i32| {
        value.map_or(Ok(default), |v| {
            v.parse::<i32>()
                .map_err(|_| format!("{v:?} is not a year (expected e.g. 1998..2010)"))
        })
    };
    let range = YearRange {
        from: year(low, i32::MIN)?,
        to: year(high, i32::MAX)?,
    };
    if range.from > range.to {
        return Err(format!("{text:?}: the first year is after the last"));
    }
    Ok(range)
}

/// `500..600` (km), `35000..` or `..2000`.
pub fn parse_altitude(text: &str) -> Result<AltitudeRange, String> {
    let (low, high) = parse_range(text)?;
    let km = |value: Option<&str>, default: f64| {
        value.map_or(Ok(default), |v| {
            v.parse::<f64>()
                .ok()
                .filter(|km| km.is_finite())
                .ok_or_else(|| format!("{v:?} is not a height in km (expected e.g. 500..600)"))
        })
    };
    let range = AltitudeRange {
        low_km: km(low, f64::NEG_INFINITY)?,
        high_km: km(high, f64::INFINITY)?,
    };
    if range.low_km > range.high_km {
        return Err(format!("{text:?}: the low end is above the high end"));
    }
    Ok(range)
}

/// Levenshtein distance, for "did you mean" on owner codes.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

impl FilterArgs {
    /// True when any filter flag was given (it then replaces a scenario's filter).
    pub fn is_set(&self) -> bool {
        !(self.owners.is_empty()
            && self.registration.is_empty()
            && self.types.is_empty()
            && self.regimes.is_empty()
            && self.ops_status.is_empty()
            && self.launched.is_none()
            && self.altitude.is_none()
            && self.search.is_none()
            && self.party_to.is_empty()
            && self.party_at_launch.is_empty()
            && self.in_orbit_on.is_none())
    }

    /// The filter these flags describe, checked against the known owner codes and those in the
    /// loaded catalog.
    pub fn to_filter(&self, objects: &[SpaceObject]) -> Result<Filter> {
        let mut known: Vec<String> = satcat_owners().map(|o| o.code.to_owned()).collect();
        known.extend(
            objects
                .iter()
                .filter_map(|o| o.owner_code().map(str::to_ascii_uppercase)),
        );
        known.sort();
        known.dedup();
        let mut filter = Filter::default();
        for owner in &self.owners {
            let code = owner.trim().to_ascii_uppercase();
            if known.binary_search(&code).is_err() {
                let mut closest: Vec<&String> = known.iter().collect();
                closest.sort_by_key(|candidate| edit_distance(&code, candidate));
                let suggestions: Vec<&str> = closest.iter().take(5).map(|s| s.as_str()).collect();
                bail!(
                    "unknown owner code {owner:?}; closest: {} (`orbitscope stats --by owner` \
                     lists the owners in the catalog)",
                    suggestions.join(", ")
                );
            }
            filter.owners.insert(code);
        }
        for status in &self.ops_status {
            let code = status.trim().to_ascii_uppercase();
            if !OPS_STATUS_CODES.contains(&code.as_str()) {
                bail!(
                    "unknown operational status {status:?}; valid: {} (+ operational, \
                     - nonoperational, P partially operational, B backup, S spare, \
                     X extended mission, D decayed, ? unknown)",
                    OPS_STATUS_CODES.join(" ")
                );
            }
            filter.ops_status.insert(code);
        }
        filter.registration = self
            .registration
            .iter()
            .map(|arg| match arg {
                RegistrationArg::Registered => RegistrationStatus::Registered,
                RegistrationArg::NotRegistered => RegistrationStatus::NotRegistered,
                RegistrationArg::NoData => RegistrationStatus::NoData,
            })
            .collect();
        filter.types = self
            .types
            .iter()
            .map(|arg| match arg {
                TypeArg::Payload => ObjectType::Payload,
                TypeArg::RocketBody => ObjectType::RocketBody,
                TypeArg::Debris => ObjectType::Debris,
                TypeArg::Unknown => ObjectType::Unknown,
            })
            .collect();
        filter.regimes = self
            .regimes
            .iter()
            .map(|arg| match arg {
                RegimeArg::Leo => Regime::Leo,
                RegimeArg::Meo => Regime::Meo,
                RegimeArg::Geo => Regime::Geo,
                RegimeArg::Heo => Regime::Heo,
                RegimeArg::Other => Regime::Other,
            })
            .collect();
        filter.launched = self.launched;
        filter.in_orbit_on = self.in_orbit_on;
        filter.altitude = self.altitude;
        filter.party_to = self.party_to.iter().map(|&arg| arg.into()).collect();
        filter.party_at_launch = self.party_at_launch.iter().map(|&arg| arg.into()).collect();
        filter.search = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned);
        Ok(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_in_every_spelling() {
        assert_eq!(
            parse_years("1998..2010"),
            Ok(YearRange {
                from: 1998,
                to: 2010
            })
        );
        assert_eq!(
            parse_years("2007").map(|r| (r.from, r.to)),
            Ok((2007, 2007))
        );
        assert_eq!(parse_years("2020..").map(|r| r.to), Ok(i32::MAX));
        assert_eq!(parse_years("..1990").map(|r| r.from), Ok(i32::MIN));
        assert!(parse_years("2010..1998").is_err());
        assert!(parse_years("..").is_err());
        assert!(
            parse_years("nineteen..2000")
                .unwrap_err()
                .contains("not a year")
        );
        let shell = parse_altitude("500..600").unwrap();
        assert_eq!((shell.low_km, shell.high_km), (500.0, 600.0));
        assert!(parse_altitude("500..nan").is_err());
        assert!(parse_altitude("600..500").is_err());
    }

    #[test]
    fn owners_any_case_and_unknown_ones_refused_with_the_closest() {
        let args = FilterArgs {
            owners: vec!["prc".into(), " Us ".into()],
            ..FilterArgs::default()
        };
        let filter = args.to_filter(&[]).unwrap();
        assert_eq!(
            filter.owners.iter().map(String::as_str).collect::<Vec<_>>(),
            ["PRC", "US"]
        );
        let typo = FilterArgs {
            owners: vec!["PRCX".into()],
            ..FilterArgs::default()
        };
        let error = typo.to_filter(&[]).unwrap_err().to_string();
        assert!(
            error.contains("unknown owner code \"PRCX\"; closest: PRC"),
            "{error}"
        );
        let status = FilterArgs {
            ops_status: vec!["Q".into()],
            ..FilterArgs::default()
        };
        let error = status.to_filter(&[]).unwrap_err().to_string();
        assert!(error.contains("valid: + - P B S X D ?"), "{error}");
    }
}
