//! Where data comes from: CelesTrak and GCAT over HTTPS, through a polite disk cache.
//!
//! CelesTrak firewalls clients that download too often or retry after errors, so the policy
//! here is strict: at most one download of a URL per two hours (remembered across restarts),
//! conditional requests, and after an error status no further request to that source until
//! the user asks (`orbitscope fetch --retry`). A failed download never replaces the cache.

pub mod cache;
pub mod fetch;

use std::fmt;

pub use cache::{Cache, CacheError, CacheMeta};
pub use fetch::{FetchOptions, FetchOutcome, Fetcher};

/// The remote datasets OrbitScope knows how to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataSource {
    /// A CelesTrak GP group (`active`, `stations`, `cosmos-2251-debris`, ...) as OMM JSON.
    GpGroup(String),
    /// CelesTrak's full SATCAT as CSV.
    Satcat,
    /// GCAT's payload catalog (registration data).
    Gcat,
}

/// Base URLs, overridable so that tests can point the client at a local server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub celestrak: String,
    pub gcat: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            celestrak: "https://celestrak.org".to_owned(),
            gcat: "https://planet4589.org".to_owned(),
        }
    }
}

impl Endpoints {
    /// The defaults, unless `ORBITSCOPE_CELESTRAK_URL` / `ORBITSCOPE_GCAT_URL` name a mirror
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
        }
    }
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
        }
    }

    /// File name of the cached copy.
    pub fn cache_key(&self) -> String {
        match self {
            Self::GpGroup(group) => format!("gp-{group}.json"),
            Self::Satcat => "satcat.csv".to_owned(),
            Self::Gcat => "gcat-psatcat.tsv".to_owned(),
        }
    }

    /// Checks that a response body is the dataset and not an error page: CelesTrak answers an
    /// unknown group with `200 OK` and a line of text, which must never replace a good cache.
    pub fn validate(&self, body: &[u8]) -> Result<(), String> {
        let head = String::from_utf8_lossy(&body[..body.len().min(4096)]);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        let ok = match self {
            Self::GpGroup(_) => crate::catalog::gp::detect_format(head).is_some(),
            Self::Satcat => head
                .lines()
                .next()
                .is_some_and(|l| l.contains("NORAD_CAT_ID")),
            Self::Gcat => head.starts_with("#JCAT"),
        };
        if ok {
            Ok(())
        } else {
            let preview: String = head.chars().take(80).collect();
            Err(format!("the response is not {self} data: {preview:?}"))
        }
    }
}

impl fmt::Display for DataSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::GpGroup(group) => write!(f, "CelesTrak GP group '{group}'"),
            Self::Satcat => f.write_str("CelesTrak SATCAT"),
            Self::Gcat => f.write_str("GCAT payload catalog"),
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
    fn validation_rejects_error_pages() {
        let group = DataSource::gp_group("nope").unwrap();
        assert!(group.validate(b"No GP data found").is_err());
        assert!(group.validate(b"[{\"NORAD_CAT_ID\":1}]").is_ok());
        assert!(DataSource::Satcat.validate(b"<html>").is_err());
        assert!(DataSource::Gcat.validate(b"#JCAT\tPiece").is_ok());
    }
}
