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
    const FILE: &'static str = "spacetrack-requests.json";

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

    /// The log in `cache` (empty when there is none; a damaged one counts as full for the
    /// hour, so that a client unsure of its count stays quiet).
    pub fn load(cache: &Cache) -> Self {
        let path = cache.data_path(Self::FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|_| Self {
                sent: vec![Utc::now(); PER_HOUR],
            }),
            Err(_) => Self::default(),
        }
    }

    pub fn save(&self, cache: &Cache) -> std::io::Result<()> {
        std::fs::create_dir_all(cache.dir())?;
        write_atomically(
            &cache.data_path(Self::FILE),
            &serde_json::to_vec(self).unwrap_or_default(),
        )
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
    /// Space-Track answered and refused (wrong credentials, or an error status such as 403 or
    /// 429): not to be retried until the user asks. `false` for a transport failure.
    pub refused: bool,
    pub status: Option<u16>,
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

/// Takes one request within the limits: waits (at most a minute) when the minute's 30 are
/// used, refuses when the hour's 300 are; records the request in the cache before it is sent.
pub(super) fn admit(cache: &Cache) -> Result<(), String> {
    let mut log = RequestLog::load(cache);
    let now = Utc::now();
    match log.admits(now) {
        Admission::Now => {}
        Admission::WaitUntil(until) => {
            std::thread::sleep((until - now).to_std().unwrap_or_default());
        }
        Admission::RefusedUntil(until) => {
            return Err(format!(
                "{PER_HOUR} requests to Space-Track in the last hour, its limit: the next is \
                 allowed at {}",
                until.format("%Y-%m-%d %H:%M UTC")
            ));
        }
    }
    log.record(Utc::now());
    log.save(cache)
        .map_err(|error| format!("cannot record the request in the cache: {error}"))
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
            });
        }
        SessionState::LoggedOut => {}
    }
    admit(cache).map_err(failure)?;
    let identity = &session.credentials.identity;
    let body = format!(
        "identity={}&password={}",
        form_encode(identity),
        form_encode(session.credentials.password.expose())
    );
    let refused = |why: String, status: Option<u16>| LoginError {
        message: format!(
            "Space-Track refused the login for {identity} ({why}): check SPACETRACK_IDENTITY and \
             SPACETRACK_PASSWORD (or the config file); not retried until `--retry`"
        ),
        refused: true,
        status,
    };
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
            failure(format!("the Space-Track login at {login_url} {kind}"))
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
            if !status.is_success() {
                return Err(refused(format!("HTTP {status}"), Some(status.as_u16())));
            }
            if text.contains("Failed") {
                return Err(refused("wrong identity or password".to_owned(), None));
            }
            if cookies.is_empty() {
                return Err(refused("no session cookie in the answer".to_owned(), None));
            }
            Ok(cookies.join("; "))
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
}
