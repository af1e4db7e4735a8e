//! The HTTP client that keeps to CelesTrak's usage policy.
//!
//! The rules, in the order they are applied (the README's etiquette section states them too):
//! 1. a source whose host answered 403 or 429, or that itself answered another error status,
//!    is stopped: no request until the user runs `orbitscope fetch --retry`;
//! 2. a cache record (sidecar) that cannot be read may have held such a stop: it is treated
//!    as one (`--retry` lifts it);
//! 3. at most one request per URL every two hours after an answer (200 or 304): `--retry`
//!    does not lift this;
//! 4. after a failed attempt (no answer, timeout, a body cut off, too large, or not a complete
//!    copy of the dataset) the next request also waits two hours: `--retry` lifts this;
//! 5. a downloaded body replaces the cache only once all of it has parsed as the dataset, and
//!    only if it is not much smaller than the cached copy: the SATCAT and GCAT only grow
//!    (decayed objects keep their rows), so they may not lose over 1 % of their records; GP
//!    groups shrink as objects decay, so they may not lose half (else the download is set aside
//!    beside the cache, unless the user accepts it with `--accept-smaller`).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{COOKIE, IF_MODIFIED_SINCE, IF_NONE_MATCH};

use super::cache::{Cache, CacheError, CacheMeta, Stop};
use super::spacetrack::{CredentialError, Credentials, Session};
pub(crate) use super::transfer::{ResponseHeaders, describe_transfer_error, read_body};
use super::{DataSource, Endpoints};

/// The minimum time between two requests for the same URL (CelesTrak: data changes at most
/// every two hours, and more frequent downloads get a client firewalled).
pub const MIN_INTERVAL: chrono::TimeDelta = chrono::TimeDelta::hours(2);

/// The largest response body accepted (bytes). The whole on-orbit catalog as OMM JSON is
/// ~20 MB and the full SATCAT ~10 MB; anything far larger is not one of these datasets.
pub const MAX_BODY_BYTES: u64 = 128 << 20;

/// Statuses that concern this client on the whole site, not one file: CelesTrak answers 403
/// to a client it has blocked and 429 to one that asks too often.
pub(crate) fn stops_the_host(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    )
}

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
    /// New data was downloaded, checked and cached.
    Downloaded { bytes: u64, records: usize },
    /// The server said the cached copy is current (304).
    NotModified,
    /// No request was sent: the last answer (or, when `last_failure` says so, the last failed
    /// attempt) was less than two hours ago.
    NotDue {
        next_allowed: DateTime<Utc>,
        last_failure: Option<String>,
    },
    /// No request was sent: the source (or its whole host) is stopped until the user retries.
    Stopped { since: Stop },
    /// The request failed; the cache (if any) is untouched. `stopped` says whether the source
    /// is now stopped until the user retries; otherwise `next_allowed` says when the next
    /// attempt may be made without `--retry`.
    Failed {
        message: String,
        stopped: bool,
        next_allowed: Option<DateTime<Utc>>,
    },
}

fn utc_minutes(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

impl FetchOutcome {
    /// A line for the user.
    pub fn describe(&self) -> String {
        match self {
            Self::Downloaded { bytes, records } => {
                format!("downloaded {bytes} bytes, {records} records")
            }
            Self::NotModified => "unchanged on the server (304), cache kept".to_owned(),
            Self::NotDue {
                next_allowed,
                last_failure: None,
            } => format!(
                "checked recently (CelesTrak and GCAT: once every 2 hours; Space-Track: the \
                 catalog hourly, the SATCAT daily); next request allowed at {}",
                utc_minutes(*next_allowed)
            ),
            Self::NotDue {
                next_allowed,
                last_failure: Some(failure),
            } => format!(
                "the last attempt failed ({failure}); next request allowed at {}, \
                 or now with `orbitscope fetch --retry`",
                utc_minutes(*next_allowed)
            ),
            Self::Stopped { since } => format!(
                "stopped since {} after: {} (run `orbitscope fetch --retry` to try again)",
                utc_minutes(since.at),
                since.message
            ),
            Self::Failed {
                message, stopped, ..
            } if *stopped => format!(
                "{message}; no further requests to it until `orbitscope fetch --retry`, \
                 any cached copy kept"
            ),
            Self::Failed {
                message,
                next_allowed,
                ..
            } => {
                let when = next_allowed.map_or_else(String::new, |at| {
                    format!(
                        "; next attempt allowed at {}, or now with `orbitscope fetch --retry`",
                        utc_minutes(at)
                    )
                });
                format!("{message}; any cached copy kept{when}")
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
    /// The user asks again: lifts a stop left by an error status (for the host too), and the
    /// two-hour wait after a failed attempt. The two-hour interval after an answer still holds.
    pub retry: bool,
    /// Take a download even if it holds far fewer records than the cached copy (rule 5).
    pub accept_smaller: bool,
}

/// Fetches datasets into a [`Cache`] under the policy described in the module docs.
#[derive(Debug, Clone)]
pub struct Fetcher {
    cache: Cache,
    endpoints: Endpoints,
    client: Client,
    max_body_bytes: u64,
    /// Hosts that stopped this client during this run: `--retry` lifts a stop once per run,
    /// not once per source, so a blocked client sends one request, not one per group.
    stopped_this_run: Arc<Mutex<HashSet<String>>>,
    /// The Space-Track login, or why there are no credentials (see `spacetrack.rs`).
    spacetrack: Result<Arc<Session>, String>,
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
            max_body_bytes: MAX_BODY_BYTES,
            stopped_this_run: Arc::default(),
            spacetrack: Err(CredentialError::Missing("the config file".to_owned()).to_string()),
        })
    }

    /// Logs in to Space-Track with these credentials when a Space-Track source is fetched (or
    /// says why there are none).
    #[must_use]
    pub fn with_spacetrack(mut self, credentials: Result<Credentials, CredentialError>) -> Self {
        self.spacetrack = credentials
            .map(|credentials| Arc::new(Session::new(credentials)))
            .map_err(|error| error.to_string());
        self
    }

    /// The Space-Track session cookie (logging in once per session), or why there is none.
    /// A refused login stops the whole host until the user retries, so that neither a later
    /// command nor the window's refresh logs in again with the same wrong password; a login
    /// that failed otherwise (no answer, a server error) waits two hours like any failure.
    fn spacetrack_cookie(
        &self,
        host: &str,
        meta: &mut CacheMeta,
        now: DateTime<Utc>,
    ) -> Result<String, FetchOutcome> {
        let failed = |message: String| FetchOutcome::Failed {
            message,
            stopped: false,
            next_allowed: None,
        };
        let session = self
            .spacetrack
            .as_ref()
            .map_err(|why| failed(why.clone()))?;
        super::spacetrack::check_credential_url(&self.endpoints.spacetrack).map_err(failed)?;
        let login = format!("{}/ajaxauth/login", self.endpoints.spacetrack);
        super::spacetrack::cookie(&self.client, &self.cache, &login, session).map_err(|error| {
            if !error.refused {
                // Only a login that was sent counts as an attempt (not one the limits held).
                return if error.sent {
                    meta.attempted_at = Some(now);
                    transient_failure(meta, now, error.message)
                } else {
                    failed(error.message)
                };
            }
            let stop = Stop {
                status: error.status,
                message: error.message.clone(),
                at: now,
            };
            if let Ok(mut hosts) = self.stopped_this_run.lock() {
                hosts.insert(host.to_owned());
            }
            let message = match self.cache.write_host_stop(host, Some(&stop)) {
                Ok(()) => error.message,
                Err(write_error) => format!(
                    "{}; the stop could not be recorded ({write_error}), so a later command \
                     would try again: fix the cache folder",
                    error.message
                ),
            };
            FetchOutcome::Failed {
                message,
                stopped: true,
                next_allowed: None,
            }
        })
    }

    /// Counts a Space-Track query against its limits (30 a minute, 300 an hour).
    fn admit_spacetrack_request(&self) -> Result<(), FetchOutcome> {
        match super::spacetrack::admit(&self.cache) {
            Ok(warning) => {
                if let Some(warning) = warning {
                    eprintln!("warning: {warning}");
                }
                Ok(())
            }
            Err(message) => Err(FetchOutcome::Failed {
                message,
                stopped: false,
                next_allowed: None,
            }),
        }
    }

    /// Lowers (or raises) the body size cap; tests use a small one.
    #[must_use]
    pub fn with_max_body_bytes(mut self, max_body_bytes: u64) -> Self {
        self.max_body_bytes = max_body_bytes;
        self
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
        let host = source.host(&self.endpoints);
        let mut meta = match self.policy_state(source, &key, &url, &host, options, now) {
            Ok(meta) => meta,
            Err(held_back) => return held_back,
        };
        let cached_copy = self.cache.read_data(&key, &meta).ok();

        let mut request = self.client.get(&url);
        if source.is_spacetrack() {
            match self.spacetrack_cookie(&host, &mut meta, now) {
                Ok(cookie) => request = request.header(COOKIE, cookie),
                Err(outcome) => {
                    // A login that failed after it was sent waits two hours: remember it.
                    let attempted = matches!(
                        outcome,
                        FetchOutcome::Failed {
                            next_allowed: Some(_),
                            ..
                        }
                    );
                    if attempted && let Err(error) = self.cache.write_meta(&key, &meta) {
                        return FetchOutcome::Failed {
                            message: error.to_string(),
                            stopped: false,
                            next_allowed: None,
                        };
                    }
                    return outcome;
                }
            }
            if let Err(outcome) = self.admit_spacetrack_request() {
                return outcome;
            }
        }
        if cached_copy.is_some() {
            if let Some(etag) = &meta.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(last_modified) = &meta.last_modified {
                request = request.header(IF_MODIFIED_SINCE, last_modified);
            }
        }
        meta.attempted_at = Some(now);
        let outcome = match request.send() {
            Err(error) => transient_failure(&mut meta, now, describe_transfer_error(&url, &error)),
            Ok(response) => {
                let status = response.status();
                let outcome = self.handle_response(
                    source,
                    response,
                    &mut meta,
                    cached_copy.as_deref(),
                    options,
                    now,
                    progress,
                );
                if let Err(error) = self.record_host_state(&host, status, &meta, now) {
                    return FetchOutcome::Failed {
                        message: error.to_string(),
                        stopped: false,
                        next_allowed: None,
                    };
                }
                outcome
            }
        };
        if !matches!(outcome, FetchOutcome::Downloaded { .. })
            && let Err(error) = self.cache.write_meta(&key, &meta)
        {
            // Downloaded already wrote data and sidecar together.
            return FetchOutcome::Failed {
                message: error.to_string(),
                stopped: false,
                next_allowed: None,
            };
        }
        outcome
    }

    /// Applies rules 1–4: the sidecar to work with, or the outcome that holds the request back.
    fn policy_state(
        &self,
        source: &DataSource,
        key: &str,
        url: &str,
        host: &str,
        options: FetchOptions,
        now: DateTime<Utc>,
    ) -> Result<CacheMeta, FetchOutcome> {
        let fresh = || CacheMeta {
            url: url.to_owned(),
            ..CacheMeta::default()
        };
        let lifted_this_run = || {
            options.retry
                && !self
                    .stopped_this_run
                    .lock()
                    .is_ok_and(|hosts| hosts.contains(host))
        };
        // Rule 1, for the host. A damaged host record is taken as a stop (rule 2).
        let host_stop = self
            .cache
            .read_host_stop(host)
            .unwrap_or_else(|error| Some(unsure_stop(&error, now)));
        if let Some(stop) = host_stop {
            if !lifted_this_run() {
                return Err(FetchOutcome::Stopped { since: stop });
            }
            if let Err(error) = self.cache.write_host_stop(host, None) {
                return Err(FetchOutcome::Failed {
                    message: error.to_string(),
                    stopped: false,
                    next_allowed: None,
                });
            }
        }
        let mut meta = match self.cache.read_meta(key) {
            Ok(meta) => meta.filter(|meta| meta.url == url).unwrap_or_else(fresh),
            // Rule 2: unsure whether this source was stopped, so it is.
            Err(error) if !options.retry => {
                return Err(FetchOutcome::Stopped {
                    since: unsure_stop(&error, now),
                });
            }
            Err(_) => fresh(),
        };
        // Rule 1, for this source.
        if let Some(stop) = &meta.stopped {
            if !options.retry {
                return Err(FetchOutcome::Stopped {
                    since: stop.clone(),
                });
            }
            meta.stopped = None;
        }
        // Rule 3. A clock that went backwards does not hold requests back forever.
        if let Some(checked_at) = meta.checked_at {
            let next_allowed = checked_at + source.min_interval();
            if now < next_allowed && now >= checked_at {
                return Err(FetchOutcome::NotDue {
                    next_allowed,
                    last_failure: None,
                });
            }
        }
        // Rule 4.
        if let Some((next_allowed, failure)) = meta.waiting_after_failure(options.retry, now) {
            return Err(FetchOutcome::NotDue {
                next_allowed,
                last_failure: Some(failure),
            });
        }
        Ok(meta)
    }

    /// Records or lifts the host-wide stop after an answer from `host`.
    fn record_host_state(
        &self,
        host: &str,
        status: StatusCode,
        meta: &CacheMeta,
        now: DateTime<Utc>,
    ) -> Result<(), CacheError> {
        if !stops_the_host(status) {
            return Ok(());
        }
        if let Ok(mut hosts) = self.stopped_this_run.lock() {
            hosts.insert(host.to_owned());
        }
        let stop = meta.stopped.clone().unwrap_or_else(|| Stop {
            status: Some(status.as_u16()),
            message: format!("HTTP {status} from {host}"),
            at: now,
        });
        self.cache.write_host_stop(host, Some(&stop))
    }

    fn handle_response(
        &self,
        source: &DataSource,
        response: reqwest::blocking::Response,
        meta: &mut CacheMeta,
        cached_copy: Option<&[u8]>,
        options: FetchOptions,
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
            let scope = if stops_the_host(status) {
                format!(
                    "; it concerns this client on all of {}",
                    source.host(&self.endpoints)
                )
            } else {
                String::new()
            };
            let stop = Stop {
                status: Some(status.as_u16()),
                message: format!("HTTP {status} from {}{scope}", meta.url),
                at: now,
            };
            meta.stopped = Some(stop.clone());
            return FetchOutcome::Failed {
                message: stop.message,
                stopped: true,
                next_allowed: None,
            };
        }
        let ResponseHeaders {
            etag,
            last_modified,
            content_length,
        } = ResponseHeaders::of(&response);
        let body = match self.read_body(response, &meta.url, content_length, progress) {
            Ok(body) => body,
            Err(message) => return transient_failure(meta, now, message),
        };
        let records = match source.check_body(&body, &meta.url) {
            Ok(records) => records,
            Err(reason) => return transient_failure(meta, now, reason),
        };
        if let Some(cached) = cached_copy
            && !options.accept_smaller
        {
            let cached_records = meta
                .records
                .or_else(|| source.check_body(cached, &meta.url).ok())
                .unwrap_or(0);
            if source.shrank_too_much(records, cached_records) {
                let kept = match self.cache.set_aside(&source.cache_key(), &body) {
                    Ok(path) => format!("kept aside at {}", path.display()),
                    Err(error) => format!("could not be kept aside ({error})"),
                };
                return transient_failure(
                    meta,
                    now,
                    format!(
                        "the download holds {records} records where the cached copy has \
                         {cached_records} ({}): {kept} and not used \
                         (`orbitscope fetch --retry --accept-smaller` takes it)",
                        source.shrink_rule()
                    ),
                );
            }
        }
        let mut fresh = CacheMeta {
            url: meta.url.clone(),
            fetched_at: Some(now),
            checked_at: Some(now),
            attempted_at: Some(now),
            etag,
            last_modified,
            records: Some(records),
            ..CacheMeta::default()
        };
        match self.cache.store(&source.cache_key(), &body, &mut fresh) {
            Ok(()) => {
                *meta = fresh;
                FetchOutcome::Downloaded {
                    bytes: body.len() as u64,
                    records,
                }
            }
            Err(error) => FetchOutcome::Failed {
                message: error.to_string(),
                stopped: false,
                next_allowed: None,
            },
        }
    }

    /// Reads the whole body in chunks, up to the size cap and the announced length.
    fn read_body(
        &self,
        response: reqwest::blocking::Response,
        url: &str,
        expected: Option<u64>,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<Vec<u8>, String> {
        read_body(response, url, expected, self.max_body_bytes, progress)
    }

    /// The cached bytes of a source, validated.
    pub fn load_cached(&self, source: &DataSource) -> Result<(Vec<u8>, CacheMeta), CacheError> {
        self.cache.load(&source.cache_key())
    }
}

/// A failure that does not stop the source (no answer, or an unusable body): remembered in the
/// sidecar, the cache untouched, the next attempt two hours away unless the user retries.
pub(crate) fn transient_failure(
    meta: &mut CacheMeta,
    now: DateTime<Utc>,
    message: String,
) -> FetchOutcome {
    meta.last_error = Some(Stop {
        status: None,
        message: message.clone(),
        at: now,
    });
    FetchOutcome::Failed {
        message,
        stopped: false,
        next_allowed: Some(now + MIN_INTERVAL),
    }
}

/// The stop assumed when the cache's record of a source or host cannot be read: it may have
/// held a stop, and when unsure the client stays quiet.
pub(crate) fn unsure_stop(error: &CacheError, now: DateTime<Utc>) -> Stop {
    let detail = match error {
        CacheError::Corrupt { path, reason } => {
            format!("{} is corrupt ({reason})", path.display())
        }
        other => other.to_string(),
    };
    Stop {
        status: None,
        message: format!("the cache's record {detail} and may have held a stop"),
        at: now,
    }
}
