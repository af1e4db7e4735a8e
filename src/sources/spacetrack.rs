//! Space-Track (www.space-track.org): the full on-orbit catalog, for users with an account.
//!
//! Credentials come from `SPACETRACK_IDENTITY` / `SPACETRACK_PASSWORD`, or from a config file
//! that only its owner can read (one refused otherwise). The password is never logged, never
//! written to the cache or a scenario, and `Debug` prints it as `***`.
//!
//! Space-Track's published limits are enforced here, for every request (the login included),
//! across runs: at most 30 a minute and 300 an hour. The per-query limits (the `gp` catalog at
//! most once an hour, `satcat` at most once a day) are the fetcher's per-source intervals. A
//! refused login gives one clear message and is not retried in the same session.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::cache::{Cache, write_atomically};

/// At most this many requests a minute …
pub const PER_MINUTE: usize = 30;
/// … and this many an hour.
pub const PER_HOUR: usize = 300;

/// A password, kept out of every printout.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A Space-Track account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub identity: String,
    pub password: Secret,
}

/// Why no credentials could be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CredentialError {
    #[error(
        "no Space-Track credentials: set SPACETRACK_IDENTITY and SPACETRACK_PASSWORD, or write \
         `identity = …` and `password = …` to {0} (readable by you only: chmod 600)"
    )]
    Missing(String),
    #[error(
        "{path} is readable by other users (mode {mode:03o}): it holds a password, so it is not \
         used; `chmod 600 {path}`"
    )]
    Exposed { path: String, mode: u32 },
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
}

/// The config file's place: `$ORBITSCOPE_SPACETRACK_CONFIG`, else the platform config
/// directory (`~/.config/orbitscope/spacetrack.conf` on Linux).
pub fn config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ORBITSCOPE_SPACETRACK_CONFIG") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("org", "OrbitScope", "orbitscope")
        .map(|dirs| dirs.config_dir().join("spacetrack.conf"))
}

impl Credentials {
    /// From the environment, else from the config file at `path`.
    pub fn load(path: Option<&Path>) -> Result<Self, CredentialError> {
        let from_env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let (Some(identity), Some(password)) = (
            from_env("SPACETRACK_IDENTITY"),
            from_env("SPACETRACK_PASSWORD"),
        ) {
            return Ok(Self {
                identity: identity.trim().to_owned(),
                password: Secret::new(password),
            });
        }
        let shown = path.map_or_else(
            || "the OrbitScope config directory".to_owned(),
            |p| p.display().to_string(),
        );
        let Some(path) = path.filter(|path| path.exists()) else {
            return Err(CredentialError::Missing(shown));
        };
        Self::from_file(path)
    }

    /// Reads `identity = …` / `password = …` lines (`#` starts a comment), refusing a file
    /// that users other than its owner can read.
    pub fn from_file(path: &Path) -> Result<Self, CredentialError> {
        let shown = path.display().to_string();
        let unreadable = |reason: String| CredentialError::Unreadable {
            path: shown.clone(),
            reason,
        };
        let metadata = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(CredentialError::Exposed {
                    path: shown.clone(),
                    mode,
                });
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        let (mut identity, mut password) = (None, None);
        for line in text.lines() {
            // `#` starts a comment only at the start of a line: a password may contain one.
            let line = line.trim();
            if line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            match key.trim() {
                "identity" => identity = Some(value.trim().to_owned()),
                "password" => password = Some(Secret::new(value.trim())),
                _ => {}
            }
        }
        match (identity.filter(|i| !i.is_empty()), password) {
            (Some(identity), Some(password)) => Ok(Self { identity, password }),
            _ => Err(unreadable(
                "expected an `identity = …` line and a `password = …` line".to_owned(),
            )),
        }
    }
}

/// The times of the requests sent to Space-Track in the last hour, kept in the cache so the
/// limits hold across runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLog {
    pub sent: Vec<DateTime<Utc>>,
}

/// What the limits allow now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Now,
    /// The minute's 30 are used: wait until then.
    WaitUntil(DateTime<Utc>),
    /// The hour's 300 are used: nothing before then.
    RefusedUntil(DateTime<Utc>),
}

impl RequestLog {
    pub const FILE: &'static str = "spacetrack-requests.json";
    /// Taken (an OS file lock) around every load–check–save of the log, so that the window's
    /// refresh and a `fetch` in another process are never both admitted on the same count.
    pub const LOCK_FILE: &'static str = "spacetrack-requests.lock";
    /// How long a log that cannot be read counts as full, from when it was last written.
    pub const DAMAGED_HOLD: TimeDelta = TimeDelta::hours(1);

    /// Whether one more request keeps within the limits at `now`.
    pub fn admits(&self, now: DateTime<Utc>) -> Admission {
        let within = |span: TimeDelta| {
            let mut recent: Vec<DateTime<Utc>> = self
                .sent
                .iter()
                .copied()
                // Entries stamped after `now` (a clock set back) count as recent.
                .filter(|at| *at > now - span)
                .collect();
            recent.sort_unstable();
            recent
        };
        let hour = within(TimeDelta::hours(1));
        if hour.len() >= PER_HOUR {
            return Admission::RefusedUntil(hour[hour.len() - PER_HOUR] + TimeDelta::hours(1));
        }
        let minute = within(TimeDelta::minutes(1));
        if minute.len() >= PER_MINUTE {
            return Admission::WaitUntil(minute[minute.len() - PER_MINUTE] + TimeDelta::minutes(1));
        }
        Admission::Now
    }

    /// Notes a request sent at `now`, forgetting those older than an hour.
    pub fn record(&mut self, now: DateTime<Utc>) {
        self.sent.retain(|at| *at > now - TimeDelta::hours(1));
        self.sent.push(now);
    }

    /// The log in `cache` at `now`: empty when there is none. A log that does not parse may
    /// have counted up to the limit, so it counts as full for [`Self::DAMAGED_HOLD`] from the
    /// file's modification time (an error that names the file); after that it is reset, with a
    /// warning. Any other read error refuses, naming the path and the system's error.
    pub fn load(cache: &Cache, now: DateTime<Utc>) -> Result<LoadedLog, String> {
        let path = cache.data_path(Self::FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LoadedLog::default());
            }
            Err(error) => {
                return Err(format!(
                    "cannot read the Space-Track request log {}: {error}; no request is sent                      while the count of recent requests is unknown",
                    path.display()
                ));
            }
        };
        let reason = match serde_json::from_slice(&bytes) {
            Ok(log) => {
                return Ok(LoadedLog { log, warning: None });
            }
            Err(error) => error.to_string(),
        };
        let written: Option<DateTime<Utc>> = std::fs::metadata(&path)
            .and_then(|meta| meta.modified())
            .ok()
            .map(DateTime::from);
        // A modification time in the future (a clock set back) would hold forever: reset.
        if let Some(written) = written.filter(|written| *written <= now)
            && now < written + Self::DAMAGED_HOLD
        {
            let until = written + Self::DAMAGED_HOLD;
            return Err(format!(
                "the Space-Track request log {} cannot be read ({reason}): it may have counted up                  to Space-Track's limit, so no request is sent before {} (an hour after it was                  last written); it is then reset. Delete the file to reset it now if no other                  OrbitScope is talking to Space-Track",
                path.display(),
                until.format("%Y-%m-%d %H:%M:%S UTC")
            ));
        }
        Ok(LoadedLog {
            log: Self::default(),
            warning: Some(format!(
                "the Space-Track request log {} could not be read ({reason}) and was last                  written over an hour ago: it starts again empty",
                path.display()
            )),
        })
    }

    pub fn save(&self, cache: &Cache) -> std::io::Result<()> {
        super::cache::create_private_dir(cache.dir())?;
        write_atomically(
            &cache.data_path(Self::FILE),
            &serde_json::to_vec(self).unwrap_or_default(),
        )
    }
}

/// A request log as read, with the warning to show when a damaged one was reset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedLog {
    pub log: RequestLog,
    pub warning: Option<String>,
}

/// Holds the request log's lock while it lives (the OS releases it when the file is closed,
/// also when the process dies, so there is no stale lock to clean up).
struct LogLock {
    _file: std::fs::File,
}

impl LogLock {
    fn take(cache: &Cache) -> Result<Self, String> {
        let path = cache.data_path(RequestLog::LOCK_FILE);
        let shown = |error: std::io::Error| {
            format!(
                "cannot lock the Space-Track request log ({}): {error}",
                path.display()
            )
        };
        super::cache::create_private_dir(cache.dir()).map_err(shown)?;
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(shown)?;
        file.lock().map_err(shown)?;
        Ok(Self { _file: file })
    }
}

/// A login session: the cookie once logged in, or why the login was refused (not retried).
#[derive(Debug)]
pub struct Session {
    pub credentials: Credentials,
    pub state: Mutex<SessionState>,
}

#[derive(Clone, Default, PartialEq, Eq)]
pub enum SessionState {
    #[default]
    LoggedOut,
    /// The `Cookie` header value to send.
    LoggedIn(String),
    /// The login was refused; the message says why.
    Refused(String),
}

impl fmt::Debug for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LoggedOut => f.write_str("LoggedOut"),
            // The cookie is a credential too.
            Self::LoggedIn(_) => f.write_str("LoggedIn(***)"),
            Self::Refused(message) => write!(f, "Refused({message:?})"),
        }
    }
}

/// Why there is no session cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginError {
    pub message: String,
    /// Space-Track answered and refused (wrong credentials, or a status such as 403 or 429):
    /// not to be retried until the user asks. `false` for a transport failure, a server error
    /// (5xx) or an answer without a cookie, which follow the two-hour rule.
    pub refused: bool,
    pub status: Option<u16>,
    /// Whether the login request went out (a failure after it counts as an attempt).
    pub sent: bool,
}

impl Session {
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            state: Mutex::new(SessionState::LoggedOut),
        }
    }
}

/// `application/x-www-form-urlencoded` for one value.
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                char::from(byte).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Takes one request within the limits: waits (at most a minute at a time) when the minute's
/// 30 are used, refuses when the hour's 300 are; records the request in the cache before it
/// is sent. The log is read, checked and written under its lock, so two processes cannot both
/// take the last place or drop each other's entries. A warning (a damaged log reset) is
/// returned for the caller to show.
pub fn admit(cache: &Cache) -> Result<Option<String>, String> {
    loop {
        let lock = LogLock::take(cache)?;
        let now = Utc::now();
        let LoadedLog { mut log, warning } = RequestLog::load(cache, now)?;
        match log.admits(now) {
            Admission::Now => {
                log.record(now);
                log.save(cache).map_err(|error| {
                    format!(
                        "cannot record the request in {}: {error}",
                        cache.data_path(RequestLog::FILE).display()
                    )
                })?;
                drop(lock);
                return Ok(warning);
            }
            Admission::WaitUntil(until) => {
                // Wait without the lock: the others may find their own place meanwhile.
                drop(lock);
                let wait = (until - now).to_std().unwrap_or_default();
                std::thread::sleep(wait.min(std::time::Duration::from_secs(60)));
            }
            Admission::RefusedUntil(until) => {
                return Err(format!(
                    "{PER_HOUR} requests to Space-Track in the last hour, its limit: the next                      is allowed at {}",
                    until.format("%Y-%m-%d %H:%M UTC")
                ));
            }
        }
    }
}

/// The session's cookie, logging in first if need be (once per session: a refused login is
/// not retried). `login_url` is `…/ajaxauth/login`.
pub(super) fn cookie(
    client: &reqwest::blocking::Client,
    cache: &Cache,
    login_url: &str,
    session: &Session,
) -> Result<String, LoginError> {
    let failure = |message: String| LoginError {
        message,
        refused: false,
        status: None,
        sent: false,
    };
    let mut state = session
        .state
        .lock()
        .map_err(|_| failure("the Space-Track session is unusable".to_owned()))?;
    match &*state {
        SessionState::LoggedIn(cookie) => return Ok(cookie.clone()),
        SessionState::Refused(message) => {
            return Err(LoginError {
                message: message.clone(),
                refused: true,
                status: None,
                sent: false,
            });
        }
        SessionState::LoggedOut => {}
    }
    let warning = admit(cache).map_err(failure)?;
    if let Some(warning) = warning {
        eprintln!("warning: {warning}");
    }
    let identity = &session.credentials.identity;
    let body = format!(
        "identity={}&password={}",
        form_encode(identity),
        form_encode(session.credentials.password.expose())
    );
    let outcome = client
        .post(login_url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .map_err(|error| {
            // The error may quote the request: say only where it went.
            let kind = if error.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            LoginError {
                sent: true,
                ..failure(format!("the Space-Track login at {login_url} {kind}"))
            }
        })
        .and_then(|response| {
            let status = response.status();
            let cookies: Vec<String> = response
                .headers()
                .get_all(reqwest::header::SET_COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .filter_map(|value| value.split(';').next())
                .map(|pair| pair.trim().to_owned())
                .filter(|pair| pair.contains('='))
                .collect();
            let text = response.text().unwrap_or_default();
            judge_login(status.as_u16(), &text, cookies, login_url)
        });
    match outcome {
        Ok(cookie) => {
            *state = SessionState::LoggedIn(cookie.clone());
            Ok(cookie)
        }
        Err(error) => {
            // A transport failure may pass; a refusal is not asked again in this session.
            if error.refused {
                *state = SessionState::Refused(error.message.clone());
            }
            Err(error)
        }
    }
}

/// Where the password may be sent: `https://` anywhere, plain `http://` only to this machine
/// (the tests' local servers). `ORBITSCOPE_SPACETRACK_URL` is checked here before any login.
pub fn check_credential_url(base: &str) -> Result<(), String> {
    let lower = base.trim().to_ascii_lowercase();
    if lower.starts_with("https://") && !super::host_of(&lower).is_empty() {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let host_port = super::host_of(rest);
        // `[::1]:8080`, `127.0.0.1:8080`, `localhost:8080`.
        let host = if let Some(bracketed) = host_port.strip_prefix('[') {
            bracketed.split(']').next().unwrap_or("")
        } else {
            host_port
                .rsplit_once(':')
                .map_or(host_port.as_str(), |(host, _)| host)
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|address| address.is_loopback());
        if loopback && !host_port.contains('@') {
            return Ok(());
        }
    }
    Err(format!(
        "the Space-Track address {base:?} (ORBITSCOPE_SPACETRACK_URL) is not used: the password \
         is sent only over https://, or plain http:// to this machine (127.0.0.1, [::1], \
         localhost)"
    ))
}

/// What a login answer means. Only a refusal of the account (401, 403, or Space-Track's
/// `{"Login":"Failed"}`) says to check the credentials and stops the host until `--retry`; a 429
/// stops it too (Space-Track asks this client to slow down); a server error (5xx) or an answer
/// without a session cookie is a failure like a timeout, under the two-hour rule. The account's
/// identity is never put in the message: it is written to the cache's stop record.
pub(crate) fn judge_login(
    status: u16,
    body: &str,
    cookies: Vec<String>,
    login_url: &str,
) -> Result<String, LoginError> {
    let stop = |message: String| LoginError {
        message,
        refused: true,
        status: Some(status),
        sent: true,
    };
    let credentials = |why: &str| {
        stop(format!(
            "Space-Track refused the login ({why}): check SPACETRACK_IDENTITY and \
             SPACETRACK_PASSWORD (or the config file); not retried until `--retry`"
        ))
    };
    let transient = |why: String| LoginError {
        message: format!("the Space-Track login at {login_url} failed ({why})"),
        refused: false,
        status: Some(status),
        sent: true,
    };
    let login_failed = body.contains("\"Login\"") && body.contains("Failed");
    match status {
        401 | 403 => Err(credentials(&format!("HTTP {status}"))),
        429 => Err(stop(
            "Space-Track answered the login with HTTP 429 (too many requests): no request to \
             it until `--retry`"
                .to_owned(),
        )),
        500..=599 => Err(transient(format!("HTTP {status}, a server error"))),
        200..=299 if login_failed => Err(credentials("wrong identity or password")),
        200..=299 if cookies.is_empty() => {
            Err(transient("no session cookie in the answer".to_owned()))
        }
        200..=299 => Ok(cookies.join("; ")),
        other => Err(stop(format!(
            "Space-Track answered the login with HTTP {other}: no request to it until `--retry`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_prints() {
        let credentials = Credentials {
            identity: "analyst@example.org".into(),
            password: Secret::new("hunter2-secret"),
        };
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("analyst@example.org"));
    }

    #[test]
    fn the_session_cookie_never_prints() {
        let state = SessionState::LoggedIn("chocolatechip=abc123".into());
        assert_eq!(format!("{state:?}"), "LoggedIn(***)");
    }

    #[test]
    fn a_clock_set_back_does_not_free_the_limits() {
        let now = Utc::now();
        let mut log = RequestLog::default();
        for n in 0..300 {
            log.sent.push(now + TimeDelta::seconds(n + 1));
        }
        assert!(matches!(log.admits(now), Admission::RefusedUntil(_)));
    }

    #[test]
    fn the_limits_are_thirty_a_minute_and_three_hundred_an_hour() {
        let now = Utc::now();
        let mut log = RequestLog::default();
        for second in 0..29 {
            log.record(now - TimeDelta::seconds(59 - second));
        }
        assert_eq!(log.admits(now), Admission::Now);
        log.record(now - TimeDelta::seconds(1));
        let Admission::WaitUntil(until) = log.admits(now) else {
            panic!("the 31st request in a minute must wait");
        };
        assert!(until > now && until <= now + TimeDelta::seconds(60));
        let mut busy = RequestLog::default();
        for minute in 0..300 {
            busy.sent
                .push(now - TimeDelta::seconds(3590) + TimeDelta::seconds(minute * 11));
        }
        assert!(matches!(busy.admits(now), Admission::RefusedUntil(_)));
        busy.record(now);
        assert!(busy.sent.len() <= 301, "older than an hour forgotten");
    }

    #[test]
    fn an_exposed_config_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spacetrack.conf");
        std::fs::write(&path, "# my account\nidentity = a@b.c\npassword = pw#1 x\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let error = Credentials::from_file(&path).unwrap_err();
            assert!(
                error.to_string().contains("readable by other users"),
                "{error}"
            );
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let credentials = Credentials::from_file(&path).unwrap();
        assert_eq!(credentials.identity, "a@b.c");
        assert_eq!(
            credentials.password.expose(),
            "pw#1 x",
            "a # inside a value is kept"
        );
        std::fs::write(&path, "identity = a@b.c\n").unwrap();
        assert!(Credentials::from_file(&path).is_err());
    }

    fn cache_in(dir: &tempfile::TempDir) -> Cache {
        Cache::new(dir.path().join("cache"))
    }

    #[test]
    fn a_damaged_log_holds_for_an_hour_from_its_last_write_then_resets() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(&dir);
        cache.ensure_dir().unwrap();
        let path = cache.data_path(RequestLog::FILE);
        std::fs::write(&path, b"{\"sent\": [torn").unwrap();
        let written: DateTime<Utc> = std::fs::metadata(&path).unwrap().modified().unwrap().into();

        let error = RequestLog::load(&cache, written + TimeDelta::minutes(59)).unwrap_err();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("Delete the file"), "{error}");
        let error = admit(&cache).unwrap_err();
        assert!(error.contains("cannot be read"), "{error}");

        let later = RequestLog::load(&cache, written + TimeDelta::minutes(61)).unwrap();
        assert_eq!(later.log, RequestLog::default());
        assert!(later.warning.unwrap().contains("starts again empty"));

        // Once its hour is over, a request is admitted and the log is whole again.
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let warning = admit(&cache).unwrap();
        assert!(warning.is_some_and(|w| w.contains(&path.display().to_string())));
        assert_eq!(
            RequestLog::load(&cache, Utc::now()).unwrap().log.sent.len(),
            1
        );
    }

    #[test]
    fn a_damaged_log_stamped_in_the_future_does_not_hold_forever() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(&dir);
        cache.ensure_dir().unwrap();
        std::fs::write(cache.data_path(RequestLog::FILE), b"garbage").unwrap();
        let long_ago = Utc::now() - TimeDelta::days(3);
        assert!(
            RequestLog::load(&cache, long_ago)
                .unwrap()
                .warning
                .is_some()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_log_that_cannot_be_read_refuses_and_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(&dir);
        // A folder where the file should be: reading it fails with an OS error, not NotFound.
        std::fs::create_dir_all(cache.data_path(RequestLog::FILE)).unwrap();
        let error = admit(&cache).unwrap_err();
        assert!(error.contains("spacetrack-requests.json"), "{error}");
        assert!(error.contains("cannot read"), "{error}");
    }

    #[test]
    fn a_request_waits_for_the_log_lock_and_no_entry_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(&dir);
        admit(&cache).unwrap();
        let held = LogLock::take(&cache).unwrap();
        let waiting = {
            let cache = cache.clone();
            std::thread::spawn(move || admit(&cache))
        };
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            !waiting.is_finished(),
            "admitted while another holder had the log"
        );
        assert_eq!(
            RequestLog::load(&cache, Utc::now()).unwrap().log.sent.len(),
            1
        );
        drop(held);
        waiting.join().unwrap().unwrap();
        assert_eq!(
            RequestLog::load(&cache, Utc::now()).unwrap().log.sent.len(),
            2
        );
    }

    #[test]
    fn only_a_refused_account_says_to_check_the_credentials() {
        let url = "https://st.example/ajaxauth/login";
        let cookie = || vec!["chocolatechip=1".to_owned()];
        for status in [401, 403] {
            let error = judge_login(status, "", vec![], url).unwrap_err();
            assert!(error.refused && error.message.contains("check SPACETRACK_IDENTITY"));
        }
        let failed = judge_login(200, r#"{"Login":"Failed"}"#, cookie(), url).unwrap_err();
        assert!(failed.refused && failed.message.contains("wrong identity or password"));
        for status in [500, 502, 503, 504] {
            let error = judge_login(status, "<html>down</html>", vec![], url).unwrap_err();
            assert!(!error.refused, "{status} is a server error, not a refusal");
            assert!(
                !error.message.contains("SPACETRACK_IDENTITY"),
                "{}",
                error.message
            );
            assert!(error.message.contains(&status.to_string()));
        }
        let slow_down = judge_login(429, "", vec![], url).unwrap_err();
        assert!(slow_down.refused && !slow_down.message.contains("SPACETRACK_IDENTITY"));
        assert!(!judge_login(200, "\"\"", vec![], url).unwrap_err().refused);
        assert_eq!(
            judge_login(200, "\"\"", cookie(), url).unwrap(),
            "chocolatechip=1"
        );
        // "Failed" in an unrelated answer is not the login's verdict.
        assert!(judge_login(200, "\"Failed to load banner\"", cookie(), url).is_ok());
    }

    #[test]
    fn the_password_goes_only_over_https_or_to_this_machine() {
        for good in [
            "https://www.space-track.org",
            "HTTPS://mirror.example:8443/st",
            "http://127.0.0.1:8080",
            "http://localhost:1234",
            "http://[::1]:9000",
            "http://127.8.9.10",
        ] {
            assert!(check_credential_url(good).is_ok(), "{good}");
        }
        for bad in [
            "http://www.space-track.org",
            "http://10.0.0.5:8080",
            "http://127.0.0.1.attacker.example",
            "http://127.0.0.1@attacker.example",
            "ftp://127.0.0.1",
            "https://",
            "127.0.0.1:8080",
        ] {
            let error = check_credential_url(bad).unwrap_err();
            assert!(
                error.contains("ORBITSCOPE_SPACETRACK_URL"),
                "{bad}: {error}"
            );
        }
    }
}
