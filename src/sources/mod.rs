//! Where data comes from: CelesTrak, GCAT and the UN register over HTTPS, through a polite
//! disk cache.
//!
//! CelesTrak firewalls clients that download too often or retry after errors, so the policy
//! here is strict: at most one download of a URL per two hours (remembered across restarts),
//! conditional requests, and after an error status no further request to that source until
//! the user asks (`orbitscope fetch --retry`). A failed download never replaces the cache.

pub mod cache;
pub mod fetch;
pub mod spacetrack;
mod transfer;
pub mod un_register;

use std::fmt;

pub use cache::{Cache, CacheError, CacheMeta};
pub use fetch::{FetchOptions, FetchOutcome, Fetcher};

/// The CelesTrak groups used when none is named: the active payloads; the debris of the four
/// largest fragmentation events that CelesTrak publishes as groups without a login (the 2021
/// Cosmos 1408 and 2007 Fengyun-1C anti-satellite tests, the 2009 Iridium 33 / Cosmos 2251
/// collision); and the two public groups that hold rocket bodies (`visual`, the ~150
/// brightest objects, mostly spent upper stages; `last-30-days`, every object of the last
/// month's launches). Most rocket bodies and other debris are only in the full catalog, which
/// needs a Space-Track account.
pub const DEFAULT_GROUPS: [&str; 7] = [
    "active",
    "cosmos-1408-debris",
    "fengyun-1c-debris",
    "iridium-33-debris",
    "cosmos-2251-debris",
    "visual",
    "last-30-days",
];

/// The remote datasets OrbitScope knows how to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataSource {
    /// A CelesTrak GP group (`active`, `stations`, `cosmos-2251-debris`, ...) as OMM JSON.
    GpGroup(String),
    /// CelesTrak's full SATCAT as CSV.
    Satcat,
    /// GCAT's payload catalog (registration data).
    Gcat,
    /// Space-Track's on-orbit catalog: every object with no decay date and an epoch in the
    /// last 30 days, as OMM JSON (needs an account).
    SpaceTrackGp,
    /// Space-Track's SATCAT, current rows only (one per object), as CSV (needs an account).
    SpaceTrackSatcat,
}

/// Base URLs, overridable so that tests can point the client at a local server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub celestrak: String,
    pub gcat: String,
    /// UNOOSA's site; the index's search endpoint is `/oosa/osoindex/waxs-search.json` below it.
    pub unoosa: String,
    pub spacetrack: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            celestrak: "https://celestrak.org".to_owned(),
            gcat: "https://planet4589.org".to_owned(),
            unoosa: "https://www.unoosa.org".to_owned(),
            spacetrack: "https://www.space-track.org".to_owned(),
        }
    }
}

impl Endpoints {
    /// The defaults, unless `ORBITSCOPE_CELESTRAK_URL` / `ORBITSCOPE_GCAT_URL` /
    /// `ORBITSCOPE_UNOOSA_URL` name a mirror
    /// (also how the end-to-end tests point the CLI at a local server).
    pub fn from_env() -> Self {
        let defaults = Self::default();
        let base = |name: &str, default: String| {
            std::env::var(name)
                .ok()
                .map(|url| url.trim_end_matches('/').to_owned())
                .filter(|url| !url.is_empty())
                .unwrap_or(default)
        };
        Self {
            celestrak: base("ORBITSCOPE_CELESTRAK_URL", defaults.celestrak),
            gcat: base("ORBITSCOPE_GCAT_URL", defaults.gcat),
            unoosa: base("ORBITSCOPE_UNOOSA_URL", defaults.unoosa),
            spacetrack: base("ORBITSCOPE_SPACETRACK_URL", defaults.spacetrack),
        }
    }
}

/// The host (and port) of a URL, lower case: what a host-wide stop is keyed by.
pub(crate) fn host_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .split(['/', '?'])
        .next()
        .unwrap_or(after_scheme)
        .to_ascii_lowercase()
}

/// A group name that cannot be used in a URL or a file name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid GP group name {0:?}: use letters, digits, '-' and '_' (e.g. active, stations)")]
pub struct InvalidGroupName(pub String);

impl DataSource {
    /// A GP group, checked to be a plain name (it goes into a URL and a cache file name).
    pub fn gp_group(name: &str) -> Result<Self, InvalidGroupName> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if valid {
            Ok(Self::GpGroup(name.to_ascii_lowercase()))
        } else {
            Err(InvalidGroupName(name.to_owned()))
        }
    }

    pub fn url(&self, endpoints: &Endpoints) -> String {
        match self {
            Self::GpGroup(group) => format!(
                "{}/NORAD/elements/gp.php?GROUP={group}&FORMAT=json",
                endpoints.celestrak
            ),
            Self::Satcat => format!("{}/pub/satcat.csv", endpoints.celestrak),
            Self::Gcat => format!("{}/space/gcat/tsv/cat/psatcat.tsv", endpoints.gcat),
            // The query Space-Track documents for the current catalog.
            Self::SpaceTrackGp => format!(
                "{}/basicspacedata/query/class/gp/decay_date/null-val/epoch/%3Enow-30/orderby/\
                 norad_cat_id/format/json",
                endpoints.spacetrack
            ),
            Self::SpaceTrackSatcat => format!(
                "{}/basicspacedata/query/class/satcat/CURRENT/Y/orderby/norad_cat_id/format/csv",
                endpoints.spacetrack
            ),
        }
    }

    /// Whether a download of `records` is too small to replace a cached copy of `cached`
    /// (rule 5 of the fetch policy). Catalogs of every object ever tracked only grow, since
    /// decayed objects keep their rows: a copy with over 1 % fewer is cut off or a server's
    /// mistake. GP groups lose the objects that decay, so only a copy under half is refused.
    pub fn shrank_too_much(&self, records: usize, cached: usize) -> bool {
        if self.only_grows() {
            // records < 99 % of cached, in integers.
            (records as u128) * 100 < (cached as u128) * 99
        } else {
            (records as u128) * 2 < cached as u128
        }
    }

    /// [`Self::shrank_too_much`] in words, for the message.
    pub fn shrink_rule(&self) -> &'static str {
        if self.only_grows() {
            "over 1 % fewer, where this catalog only grows"
        } else {
            "under half"
        }
    }

    fn only_grows(&self) -> bool {
        // Space-Track's SATCAT here is the current rows only, decayed objects included.
        matches!(self, Self::Satcat | Self::Gcat | Self::SpaceTrackSatcat)
    }

    /// True for the sources that need a Space-Track login.
    pub fn is_spacetrack(&self) -> bool {
        matches!(self, Self::SpaceTrackGp | Self::SpaceTrackSatcat)
    }

    /// The least time between two requests for this dataset: CelesTrak's two hours; Space-Track
    /// asks for the `gp` catalog at most once an hour and `satcat` at most once a day.
    pub fn min_interval(&self) -> chrono::TimeDelta {
        match self {
            Self::SpaceTrackGp => chrono::TimeDelta::hours(1),
            Self::SpaceTrackSatcat => chrono::TimeDelta::days(1),
            _ => fetch::MIN_INTERVAL,
        }
    }

    /// File name of the cached copy.
    pub fn cache_key(&self) -> String {
        match self {
            Self::GpGroup(group) => format!("gp-{group}.json"),
            Self::Satcat => "satcat.csv".to_owned(),
            Self::Gcat => "gcat-psatcat.tsv".to_owned(),
            Self::SpaceTrackGp => "spacetrack-gp.json".to_owned(),
            Self::SpaceTrackSatcat => "spacetrack-satcat.csv".to_owned(),
        }
    }

    /// The host a source lives on (`celestrak.org`): CelesTrak answers 403 and 429 for a
    /// client, not for one file, so such a stop holds for every source on the host.
    pub fn host(&self, endpoints: &Endpoints) -> String {
        host_of(&self.url(endpoints))
    }

    /// Checks that a downloaded body is a complete copy of the dataset, by parsing all of it
    /// with the reader that will use it: UTF-8 throughout, nothing that stops the reader (an
    /// error page, truncated JSON or XML, a wrong file), at least one record, and at most one
    /// record in ten unreadable. Returns the number of good records.
    pub fn check_body(&self, body: &[u8], location: &str) -> Result<usize, String> {
        if let Err(error) = std::str::from_utf8(body) {
            return Err(format!(
                "the response is not UTF-8 text (invalid byte at offset {}): corrupt in transit?",
                error.valid_up_to()
            ));
        }
        let summary = match self {
            Self::GpGroup(_) | Self::SpaceTrackGp => {
                BodySummary::of(&crate::catalog::gp::parse_gp(body, location).1)
            }
            Self::Satcat | Self::SpaceTrackSatcat => {
                BodySummary::of(&crate::catalog::satcat::parse_satcat(body, location))
            }
            Self::Gcat => BodySummary::of(&crate::catalog::gcat::parse_gcat(body, location)),
        };
        if let Some(fatal) = summary.fatal {
            let preview: String = String::from_utf8_lossy(&body[..body.len().min(80)])
                .trim()
                .chars()
                .take(60)
                .collect();
            return Err(format!(
                "the response is not complete {self} data ({fatal}); it starts {preview:?}"
            ));
        }
        if summary.records == 0 {
            return Err(format!("the response holds no {self} records"));
        }
        if summary.skipped * 10 > summary.read {
            return Err(format!(
                "{} of {} records in the response are unreadable (first: {})",
                summary.skipped,
                summary.read,
                summary.first_issue.unwrap_or_default()
            ));
        }
        Ok(summary.records)
    }
}

/// What parsing a body found, whatever the record type.
struct BodySummary {
    read: usize,
    records: usize,
    skipped: usize,
    fatal: Option<String>,
    first_issue: Option<String>,
}

impl BodySummary {
    fn of<T>(parsed: &crate::catalog::Parsed<T>) -> Self {
        Self {
            read: parsed.read,
            records: parsed.records.len(),
            skipped: parsed.skipped_count(),
            fatal: parsed.fatal_issue().map(|issue| issue.message.clone()),
            first_issue: parsed
                .issues
                .iter()
                .find(|issue| issue.skips_a_record())
                .map(ToString::to_string),
        }
    }
}

impl fmt::Display for DataSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GpGroup(group) => write!(f, "CelesTrak GP group '{group}'"),
            Self::Satcat => f.write_str("CelesTrak SATCAT"),
            Self::Gcat => f.write_str("GCAT payload catalog"),
            Self::SpaceTrackGp => f.write_str("Space-Track on-orbit catalog (gp)"),
            Self::SpaceTrackSatcat => f.write_str("Space-Track SATCAT"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_keys() {
        let endpoints = Endpoints::default();
        let active = DataSource::gp_group("Active").unwrap();
        assert_eq!(
            active.url(&endpoints),
            "https://celestrak.org/NORAD/elements/gp.php?GROUP=active&FORMAT=json"
        );
        assert_eq!(active.cache_key(), "gp-active.json");
        assert_eq!(
            DataSource::Gcat.url(&endpoints),
            "https://planet4589.org/space/gcat/tsv/cat/psatcat.tsv"
        );
        assert!(DataSource::gp_group("../etc").is_err());
        assert!(DataSource::gp_group("a&FORMAT=tle").is_err());
    }

    #[test]
    fn a_body_must_parse_whole_as_the_dataset() {
        let group = DataSource::gp_group("nope").unwrap();
        let check = |source: &DataSource, body: &[u8]| source.check_body(body, "test");
        assert!(check(&group, b"No GP data found").is_err());
        assert!(check(&group, b"<html><body>503</body></html>").is_err());
        assert!(check(&group, b"[]").is_err());
        assert!(check(&group, b"[{\"NORAD_CAT_ID\":1}").is_err());
        assert!(
            check(&group, b"[{\"NORAD_CAT_ID\":1}]").is_err(),
            "unreadable record"
        );
        let omm = br#"[{"OBJECT_NAME":"ISS","EPOCH":"2020-12-15T05:59:44.4912","MEAN_MOTION":15.49,"ECCENTRICITY":0.0001646,"INCLINATION":51.64,"RA_OF_ASC_NODE":172.57,"ARG_OF_PERICENTER":123.4,"MEAN_ANOMALY":50.71,"NORAD_CAT_ID":25544,"BSTAR":1.9e-5,"MEAN_MOTION_DOT":6e-6,"MEAN_MOTION_DDOT":0}]"#;
        assert_eq!(check(&group, omm), Ok(1));
        let mut bad_byte = omm.to_vec();
        bad_byte[17] = 0xff;
        assert!(check(&group, &bad_byte).unwrap_err().contains("not UTF-8"));
        assert!(check(&DataSource::Satcat, b"<html>").is_err());
        assert!(check(&DataSource::Gcat, b"#JCAT\tPiece\tUNState\tUNReg\n").is_err());
        assert_eq!(
            check(
                &DataSource::Gcat,
                b"#JCAT\tPiece\tUNState\tUNReg\nS1\t-\tUS\t-\n"
            ),
            Ok(1)
        );
    }

    #[test]
    fn hosts_of_sources() {
        let endpoints = Endpoints::default();
        assert_eq!(DataSource::Satcat.host(&endpoints), "celestrak.org");
        assert_eq!(DataSource::Gcat.host(&endpoints), "planet4589.org");
        let local = Endpoints {
            celestrak: "http://127.0.0.1:8080".into(),
            gcat: "http://127.0.0.1:8080".into(),
            unoosa: "http://127.0.0.1:8080".into(),
            spacetrack: "http://127.0.0.1:8080".into(),
        };
        assert_eq!(DataSource::Satcat.host(&local), "127.0.0.1:8080");
    }
}
