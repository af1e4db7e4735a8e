//! The UN register read from UNOOSA's Online Index of Objects Launched into Outer Space,
//! politely: one request at a time, at least two seconds apart (across runs too), a full pass
//! at most once a week and an incremental one at most once a day, resumable page by page.
//! The same stop-on-error rules as for CelesTrak hold: an error status stops the source (a
//! 403 or 429 the whole host) until the user retries; another failure waits two hours unless
//! the user retries; the assembled register replaces the cached one only once the pass has
//! completed and the result parses. The data is © United Nations: it is cached for the user,
//! never redistributed.

pub mod lock;
mod outcome;
mod page;
pub mod pass;

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::blocking::Client;

use super::cache::{Cache, CacheError, CacheMeta, Stop, write_atomically};
use super::fetch::{stops_the_host, unsure_stop, user_agent};
use crate::catalog::unoosa_index::{RegisterEntry, UnRegister, parse_index_page, parse_register};
pub use outcome::{PassOptions, PassOutcome, PassStatus};
pub use pass::{Due, PassKind, PassProgress};

/// The shortest spacing between two requests to the index; it can only be raised.
pub const MIN_REQUEST_SPACING: Duration = Duration::from_secs(2);
/// Results per page the index answers with (the client advances by what it receives).
pub const PAGE_SIZE: usize = 15;
/// A page is a few kilobytes; anything far larger is not a page of the index.
pub const MAX_PAGE_BYTES: u64 = 4 << 20;
/// The path of the search endpoint below the site's base URL.
pub const SEARCH_PATH: &str = "/oosa/osoindex/waxs-search.json";
/// The cache file of the assembled register (with its `.meta.json` sidecar).
pub const REGISTER_KEY: &str = "un-register.json";
/// The cache file of a pass in progress.
const PASS_FILE: &str = "un-register.pass.json";

/// Reads the UN index into the cache.
#[derive(Debug, Clone)]
pub struct RegisterFetcher {
    cache: Cache,
    base_url: String,
    client: Client,
}

impl RegisterFetcher {
    pub fn new(cache: Cache, base_url: &str, timeout: Duration) -> reqwest::Result<Self> {
        let client = Client::builder()
            .user_agent(user_agent())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(20)))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            cache,
            base_url: base_url.trim_end_matches('/').to_owned(),
            client,
        })
    }

    /// The search endpoint.
    pub fn url(&self) -> String {
        format!("{}{SEARCH_PATH}", self.base_url)
    }

    fn host(&self) -> String {
        crate::sources::host_of(&self.url())
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The register held in the cache, with when it was last updated.
    pub fn load_register(&self) -> Result<(Vec<u8>, CacheMeta), CacheError> {
        self.cache.load(REGISTER_KEY)
    }

    fn read_register(&self) -> Option<UnRegister> {
        let (bytes, _) = self.load_register().ok()?;
        parse_register(&bytes, REGISTER_KEY).0
    }

    fn pass_path(&self) -> std::path::PathBuf {
        self.cache.data_path(PASS_FILE)
    }

    /// The pass left unfinished by an earlier run, if one was saved and reads back.
    pub fn unfinished_pass(&self) -> Option<PassProgress> {
        let bytes = std::fs::read(self.pass_path()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn save_pass(&self, progress: &PassProgress) -> Result<(), String> {
        let path = self.pass_path();
        super::cache::create_private_dir(self.cache.dir())
            .and_then(|()| {
                write_atomically(&path, &serde_json::to_vec(progress).unwrap_or_default())
            })
            .map_err(|error| {
                format!(
                    "cannot save the pass in progress to {}: {error}",
                    path.display()
                )
            })
    }

    /// Runs the pass that is due, if any (see the module docs for the rules). `progress` is
    /// called after every page.
    pub fn update(
        &self,
        options: PassOptions,
        progress: &mut dyn FnMut(PassStatus),
    ) -> PassOutcome {
        let now = Utc::now();
        let url = self.url();
        let host = self.host();
        let mut meta = match self.policy_state(&url, &host, options, now) {
            Ok(meta) => meta,
            Err(held_back) => return held_back,
        };
        let register = self.read_register();
        let unfinished = self.unfinished_pass();
        let kind = match pass::due_pass(now, register.as_ref(), unfinished.as_ref()) {
            Due::Pass(kind) => kind,
            Due::NotBefore(next_allowed) => {
                return PassOutcome::NotDue {
                    next_allowed,
                    last_failure: None,
                };
            }
        };
        let _lock = match lock::PassLock::take(&self.cache) {
            Ok(lock) => lock,
            Err(message) => {
                return PassOutcome::Failed {
                    message,
                    stopped: false,
                    pages_kept: 0,
                };
            }
        };
        let mut state = unfinished
            .filter(|pass| pass.kind == kind && pass.resumable(now, register.is_some()))
            .unwrap_or_else(|| PassProgress::new(kind, now));
        let outcome = self.run_pass(&mut state, register, &mut meta, options, progress);
        if let Err(error) = self.cache.write_meta(REGISTER_KEY, &meta) {
            return PassOutcome::Failed {
                message: error.to_string(),
                stopped: false,
                pages_kept: state.pages,
            };
        }
        outcome
    }

    /// Rules 1, 2 and 4 of the fetch policy, for the index: the sidecar to work with, or the
    /// outcome that holds the request back.
    fn policy_state(
        &self,
        url: &str,
        host: &str,
        options: PassOptions,
        now: DateTime<Utc>,
    ) -> Result<CacheMeta, PassOutcome> {
        let host_stop = self
            .cache
            .read_host_stop(host)
            .unwrap_or_else(|error| Some(unsure_stop(&error, now)));
        if let Some(stop) = host_stop {
            if !options.retry {
                return Err(PassOutcome::Stopped { since: stop });
            }
            if let Err(error) = self.cache.write_host_stop(host, None) {
                return Err(PassOutcome::Failed {
                    message: error.to_string(),
                    stopped: false,
                    pages_kept: 0,
                });
            }
        }
        let mut meta = match self.cache.read_meta(REGISTER_KEY) {
            Ok(meta) => meta.unwrap_or_else(|| CacheMeta {
                url: url.to_owned(),
                ..CacheMeta::default()
            }),
            Err(error) if !options.retry => {
                return Err(PassOutcome::Stopped {
                    since: unsure_stop(&error, now),
                });
            }
            Err(_) => CacheMeta {
                url: url.to_owned(),
                ..CacheMeta::default()
            },
        };
        meta.url = url.to_owned();
        if let Some(stop) = &meta.stopped {
            if !options.retry {
                return Err(PassOutcome::Stopped {
                    since: stop.clone(),
                });
            }
            meta.stopped = None;
        }
        if let Some((next_allowed, failure)) = meta.waiting_after_failure(options.retry, now) {
            return Err(PassOutcome::NotDue {
                next_allowed,
                last_failure: Some(failure),
            });
        }
        Ok(meta)
    }

    /// Waits until `spacing` has passed since the last exchange with the server (of this run
    /// or an earlier one, as the sidecar records it), then records the new request in the
    /// sidecar first, so a run started meanwhile waits too.
    fn space_request(&self, meta: &mut CacheMeta, spacing: Duration) -> Result<(), String> {
        // Another process may have asked since this one read the sidecar: the later counts.
        let on_disk = self
            .cache
            .read_meta(REGISTER_KEY)
            .ok()
            .flatten()
            .and_then(|meta| meta.attempted_at);
        let last = meta.attempted_at.max(on_disk);
        if let Some(last) = last {
            let since = (Utc::now() - last).to_std().unwrap_or(Duration::ZERO);
            if since < spacing {
                std::thread::sleep(spacing - since);
            }
        }
        meta.attempted_at = Some(Utc::now());
        self.cache
            .write_meta(REGISTER_KEY, meta)
            .map_err(|error| error.to_string())
    }

    fn run_pass(
        &self,
        state: &mut PassProgress,
        register: Option<UnRegister>,
        meta: &mut CacheMeta,
        options: PassOptions,
        progress: &mut dyn FnMut(PassStatus),
    ) -> PassOutcome {
        let spacing = options.spacing.max(MIN_REQUEST_SPACING);
        let url = self.url();
        let known: HashSet<&RegisterEntry> = register
            .iter()
            .flat_map(|register| &register.entries)
            .collect();
        let mut new_or_changed = 0;
        let failed = |meta: &mut CacheMeta, state: &PassProgress, message: String| {
            fail(meta, state.pages, message)
        };
        loop {
            if let Err(message) = self.space_request(meta, spacing) {
                return failed(meta, state, message);
            }
            let start_at = state.next_start_at;
            let page_name = format!("{url} (startAt {start_at})");
            let conditional = state.kind == PassKind::Incremental && start_at == 0;
            let validators = (conditional && register.is_some())
                .then(|| (meta.etag.clone(), meta.last_modified.clone()));
            let answer = page::request(&self.client, &url, start_at, validators, &page_name);
            // The spacing counts from the end of this exchange too, so that the next request
            // is two seconds after the server last heard from us, whatever the answer took.
            if let Err(message) = self.mark_contact(meta) {
                return failed(meta, state, message);
            }
            let body = match answer {
                page::PageAnswer::Failed(message) => return failed(meta, state, message),
                page::PageAnswer::NotModified if conditional => {
                    return self.finish_unchanged(register, meta);
                }
                page::PageAnswer::NotModified => {
                    return self.stop(meta, state, StatusCode::NOT_MODIFIED, &page_name);
                }
                page::PageAnswer::Status(status) => {
                    return self.stop(meta, state, status, &page_name);
                }
                page::PageAnswer::Body {
                    body,
                    etag,
                    last_modified,
                } => {
                    if start_at == 0 {
                        state.etag = etag;
                        state.last_modified = last_modified;
                    }
                    body
                }
            };
            let page = match parse_index_page(&body, &page_name) {
                Ok(page) => page,
                Err(error) => return failed(meta, state, format!("{page_name}: {error}")),
            };
            state.found = Some(state.found.map_or(page.found, |seen| seen.max(page.found)));
            let repeated_page = page.results > 0 && !state.note_page(page.fingerprint.clone());
            state.skipped += page.issues.len();
            if state.first_problem.is_none() {
                state.first_problem = page.issues.first().map(ToString::to_string);
            }
            let results = page.results;
            let news = state.add_page(page.entries, &known);
            new_or_changed += news;
            state.next_start_at += results;
            state.pages += usize::from(results > 0);
            if let Err(message) = self.save_pass(state) {
                return failed(meta, state, message);
            }
            progress(PassStatus {
                kind: state.kind,
                pages: state.pages,
                pages_expected: state.pages_expected(results.max(PAGE_SIZE)),
                entries: state.entries.len(),
            });
            let expected = state.found.unwrap_or(0);
            let read_all = state.next_start_at >= expected;
            match state.kind {
                PassKind::Incremental if results == 0 || read_all || news == 0 => {
                    return self.finish(state, register, meta, options, new_or_changed);
                }
                PassKind::Full if read_all => {
                    return self.finish(state, register, meta, options, new_or_changed);
                }
                // A full pass ends only when it has read as many results as the index said it
                // holds: an early empty page, a page of nothing but repeats (the server
                // ignoring `startAt`), or far more pages than the total allows, is a failure
                // (the pages so far are kept; the next run resumes), never a short register.
                PassKind::Full if results == 0 => {
                    return failed(
                        meta,
                        state,
                        format!(
                            "{page_name}: an empty page after {} of the {expected} results the \
                             index reported",
                            state.next_start_at
                        ),
                    );
                }
                PassKind::Full if repeated_page => {
                    return failed(
                        meta,
                        state,
                        format!(
                            "{page_name}: the page repeated results already read (does the \
                             server ignore startAt?)"
                        ),
                    );
                }
                PassKind::Full if state.pages > 2 * expected.div_ceil(PAGE_SIZE) + 10 => {
                    return failed(
                        meta,
                        state,
                        format!(
                            "{} pages read for {expected} results: stopping",
                            state.pages
                        ),
                    );
                }
                _ => {}
            }
        }
    }

    /// Records (in the sidecar, for later runs too) that the server just heard from us.
    fn mark_contact(&self, meta: &mut CacheMeta) -> Result<(), String> {
        meta.attempted_at = Some(Utc::now());
        self.cache
            .write_meta(REGISTER_KEY, meta)
            .map_err(|error| error.to_string())
    }

    /// An error status: the source is stopped (and the host, for 403 and 429).
    fn stop(
        &self,
        meta: &mut CacheMeta,
        state: &PassProgress,
        status: StatusCode,
        page_name: &str,
    ) -> PassOutcome {
        let now = Utc::now();
        let host = self.host();
        let scope = if stops_the_host(status) {
            format!("; it concerns this client on all of {host}")
        } else {
            String::new()
        };
        let stop = Stop {
            status: Some(status.as_u16()),
            message: format!("HTTP {status} from {page_name}{scope}"),
            at: now,
        };
        meta.stopped = Some(stop.clone());
        if stops_the_host(status)
            && let Err(error) = self.cache.write_host_stop(&host, Some(&stop))
        {
            return PassOutcome::Failed {
                message: error.to_string(),
                stopped: true,
                pages_kept: state.pages,
            };
        }
        PassOutcome::Failed {
            message: stop.message,
            stopped: true,
            pages_kept: state.pages,
        }
    }

    fn finish_unchanged(&self, register: Option<UnRegister>, meta: &mut CacheMeta) -> PassOutcome {
        let Some(mut register) = register else {
            return PassOutcome::Unchanged;
        };
        register.updated_at = Utc::now();
        match self.store_register(&register, meta) {
            Ok(()) => PassOutcome::Unchanged,
            Err(message) => PassOutcome::Failed {
                message,
                stopped: false,
                pages_kept: 0,
            },
        }
    }

    /// Assembles the register from a completed pass, checks it, and writes it atomically.
    fn finish(
        &self,
        state: &mut PassProgress,
        previous: Option<UnRegister>,
        meta: &mut CacheMeta,
        options: PassOptions,
        new_or_changed: usize,
    ) -> PassOutcome {
        let now = Utc::now();
        let read = state.entries.len() + state.skipped;
        if state.skipped * 10 > read {
            let message = format!(
                "{} of {read} results in the pass are unreadable (first: {}): the index's \
                 format may have changed, so the register is not replaced",
                state.skipped,
                state.first_problem.clone().unwrap_or_default()
            );
            let _ = std::fs::remove_file(self.pass_path());
            return fail(meta, 0, message);
        }
        let previous_entries = previous.as_ref().map_or(0, |r| r.entries.len());
        if state.kind == PassKind::Full
            && !options.accept_smaller
            && state.entries.len() * 2 < previous_entries
        {
            let _ = std::fs::remove_file(self.pass_path());
            let message = format!(
                "the full pass found {} objects where the register holds {previous_entries} \
                 (under half): not used (`orbitscope fetch --unoosa --retry --accept-smaller` \
                 takes it)",
                state.entries.len()
            );
            return fail(meta, 0, message);
        }
        let (kind, pages, skipped) = (state.kind, state.pages, state.skipped);
        let (etag, last_modified) = (state.etag.clone(), state.last_modified.clone());
        let progress = std::mem::replace(state, PassProgress::new(kind, now));
        let register = pass::assemble(progress, previous, &self.url(), now);
        meta.etag = etag;
        meta.last_modified = last_modified;
        if let Err(message) = self.store_register(&register, meta) {
            return PassOutcome::Failed {
                message,
                stopped: false,
                pages_kept: pages,
            };
        }
        let _ = std::fs::remove_file(self.pass_path());
        PassOutcome::Completed {
            kind,
            pages,
            entries: register.entries.len(),
            new_or_changed,
            skipped,
        }
    }

    /// Writes the register (atomically, with its sidecar) once it reads back whole.
    fn store_register(&self, register: &UnRegister, meta: &mut CacheMeta) -> Result<(), String> {
        let bytes = serde_json::to_vec(register).map_err(|error| error.to_string())?;
        let (back, parsed) = parse_register(&bytes, REGISTER_KEY);
        if back.is_none() {
            return Err(format!(
                "the assembled register does not read back ({})",
                parsed
                    .fatal_issue()
                    .map_or_else(String::new, |issue| issue.message.clone())
            ));
        }
        let now = Utc::now();
        meta.fetched_at = Some(now);
        meta.checked_at = Some(now);
        meta.records = Some(register.entries.len());
        meta.last_error = None;
        self.cache
            .store(REGISTER_KEY, &bytes, meta)
            .map_err(|error| error.to_string())
    }
}

/// A failure that does not stop the source: remembered in the sidecar (the next attempt waits
/// two hours unless the user retries), the pages fetched so far kept.
fn fail(meta: &mut CacheMeta, pages_kept: usize, message: String) -> PassOutcome {
    meta.last_error = Some(Stop {
        status: None,
        message: message.clone(),
        at: Utc::now(),
    });
    PassOutcome::Failed {
        message,
        stopped: false,
        pages_kept,
    }
}
