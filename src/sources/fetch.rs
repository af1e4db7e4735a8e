//! The HTTP client that keeps to CelesTrak's usage policy.

use std::io::Read;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{CONTENT_LENGTH, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use super::cache::{Cache, CacheError, CacheMeta, Stop};
use super::{DataSource, Endpoints};

/// The minimum time between two requests for the same URL (CelesTrak: data changes at most
/// every two hours, and more frequent downloads get a client firewalled).
pub const MIN_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::hours(2);

/// The identifying User-Agent that CelesTrak asks clients to send.
pub fn user_agent() -> String {
    format!(
        "orbitscope/{} (space situational awareness viewer; Rust reqwest)",
        env!("CARGO_PKG_VERSION")
    )
}

/// What one fetch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// New data was downloaded and cached.
    Downloaded { bytes: u64 },
    /// The server said the cached copy is current (304).
    NotModified,
    /// No request was sent: the last one was less than two hours ago.
    NotDue { next_allowed: DateTime<Utc> },
    /// No request was sent: the source is stopped after an error until the user retries.
    Stopped { since: Stop },
    /// The request failed; the cache (if any) is untouched. `stopped` says whether the status
    /// stops the source until the user asks.
    Failed { message: String, stopped: bool },
}

impl FetchOutcome {
    /// A line for the user.
    pub fn describe(&self) -> String {
        match self {
            Self::Downloaded { bytes } => format!("downloaded {bytes} bytes"),
            Self::NotModified => "unchanged on the server (304), cache kept".to_owned(),
            Self::NotDue { next_allowed } => format!(
                "checked less than 2 hours ago; next request allowed at {}",
                next_allowed.format("%Y-%m-%d %H:%M UTC")
            ),
            Self::Stopped { since } => format!(
                "stopped since {} after: {} (run `orbitscope fetch --retry` to try again)",
                since.at.format("%Y-%m-%d %H:%M UTC"),
                since.message
            ),
            Self::Failed { message, stopped } => {
                if *stopped {
                    format!("{message}; source stopped, any cached copy kept (retry with --retry)")
                } else {
                    format!("{message}; any cached copy kept")
                }
            }
        }
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed { .. } | Self::Stopped { .. })
    }
}

/// Per-call choices.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchOptions {
    /// Lift a stop left by an earlier error (the user asked). The two-hour interval still holds.
    pub retry: bool,
}

/// Fetches datasets into a [`Cache`] under the policy described in the module docs.
#[derive(Debug, Clone)]
pub struct Fetcher {
    cache: Cache,
    endpoints: Endpoints,
    client: Client,
}

impl Fetcher {
    /// A fetcher with the given request timeout.
    pub fn new(cache: Cache, endpoints: Endpoints, timeout: Duration) -> reqwest::Result<Self> {
        let client = Client::builder()
            .user_agent(user_agent())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(20)))
            // A 301 means "update your URL": it is surfaced, not followed silently.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            cache,
            endpoints,
            client,
        })
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    pub fn url(&self, source: &DataSource) -> String {
        source.url(&self.endpoints)
    }

    /// Updates the cached copy of `source` if the policy allows a request now.
    /// `progress` is called with (bytes so far, total if known) while downloading.
    pub fn fetch(
        &self,
        source: &DataSource,
        options: FetchOptions,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> FetchOutcome {
        self.fetch_at(source, options, Utc::now(), progress)
    }

    /// [`Self::fetch`] at a given instant (tests move the clock).
    pub fn fetch_at(
        &self,
        source: &DataSource,
        options: FetchOptions,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> FetchOutcome {
        let key = source.cache_key();
        let url = self.url(source);
        // A corrupt sidecar is not trusted: start afresh (the data file is not used either).
        let mut meta = self
            .cache
            .read_meta(&key)
            .ok()
            .flatten()
            .filter(|meta| meta.url == url)
            .unwrap_or_else(|| CacheMeta {
                url: url.clone(),
                ..CacheMeta::default()
            });
        if let Some(stop) = &meta.stopped {
            if !options.retry {
                return FetchOutcome::Stopped {
                    since: stop.clone(),
                };
            }
            meta.stopped = None;
        }
        if let Some(checked_at) = meta.checked_at {
            let next_allowed = checked_at + MIN_INTERVAL;
            if now < next_allowed && now >= checked_at {
                return FetchOutcome::NotDue { next_allowed };
            }
        }
        let cache_valid = self.cache.read_data(&key, &meta).is_ok();

        let mut request = self.client.get(&url);
        if cache_valid {
            if let Some(etag) = &meta.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(last_modified) = &meta.last_modified {
                request = request.header(IF_MODIFIED_SINCE, last_modified);
            }
        }
        let outcome = match request.send() {
            Err(error) => transient_failure(&mut meta, now, describe_request_error(&error)),
            Ok(response) => self.handle_response(source, response, &mut meta, now, progress),
        };
        if !matches!(outcome, FetchOutcome::Downloaded { .. }) {
            // Downloaded already wrote data and sidecar together.
            if let Err(error) = self.cache.write_meta(&key, &meta) {
                return FetchOutcome::Failed {
                    message: error.to_string(),
                    stopped: false,
                };
            }
        }
        outcome
    }

    fn handle_response(
        &self,
        source: &DataSource,
        mut response: reqwest::blocking::Response,
        meta: &mut CacheMeta,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> FetchOutcome {
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            meta.checked_at = Some(now);
            meta.last_error = None;
            return FetchOutcome::NotModified;
        }
        if !status.is_success() {
            let stop = Stop {
                status: Some(status.as_u16()),
                message: format!("HTTP {status} from {}", meta.url),
                at: now,
            };
            meta.stopped = Some(stop.clone());
            return FetchOutcome::Failed {
                message: stop.message,
                stopped: true,
            };
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &reqwest::header::HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header(ETAG);
        let last_modified = header(LAST_MODIFIED);
        let expected: Option<u64> = header(CONTENT_LENGTH).and_then(|v| v.parse().ok());
        let mut body = Vec::with_capacity(expected.unwrap_or(1 << 20).min(64 << 20) as usize);
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match response.read(&mut chunk) {
                Ok(0) => break,
                Ok(read) => {
                    body.extend_from_slice(&chunk[..read]);
                    progress(body.len() as u64, expected);
                }
                Err(error) => {
                    return transient_failure(
                        meta,
                        now,
                        format!(
                            "download of {} broke off after {} bytes: {error}",
                            meta.url,
                            body.len()
                        ),
                    );
                }
            }
        }
        if let Some(expected) = expected
            && body.len() as u64 != expected
        {
            return transient_failure(
                meta,
                now,
                format!(
                    "download of {} incomplete: {} of {expected} bytes",
                    meta.url,
                    body.len()
                ),
            );
        }
        if let Err(reason) = source.validate(&body) {
            return transient_failure(meta, now, reason);
        }
        let mut fresh = CacheMeta {
            url: meta.url.clone(),
            fetched_at: Some(now),
            checked_at: Some(now),
            etag,
            last_modified,
            ..CacheMeta::default()
        };
        match self.cache.store(&source.cache_key(), &body, &mut fresh) {
            Ok(()) => {
                *meta = fresh;
                FetchOutcome::Downloaded {
                    bytes: body.len() as u64,
                }
            }
            Err(error) => FetchOutcome::Failed {
                message: error.to_string(),
                stopped: false,
            },
        }
    }

    /// The cached bytes of a source, validated.
    pub fn load_cached(&self, source: &DataSource) -> Result<(Vec<u8>, CacheMeta), CacheError> {
        self.cache.load(&source.cache_key())
    }
}

/// A failure that does not stop the source (no answer, or an unusable body): remembered in the
/// sidecar, the cache untouched.
fn transient_failure(meta: &mut CacheMeta, now: DateTime<Utc>, message: String) -> FetchOutcome {
    meta.last_error = Some(Stop {
        status: None,
        message: message.clone(),
        at: now,
    });
    FetchOutcome::Failed {
        message,
        stopped: false,
    }
}

fn describe_request_error(error: &reqwest::Error) -> String {
    let url = error
        .url()
        .map_or_else(String::new, |url| format!(" {url}"));
    if error.is_timeout() {
        format!("request to{url} timed out")
    } else if error.is_connect() {
        format!("could not connect to{url}")
    } else {
        format!("request to{url} failed: {error}")
    }
}
