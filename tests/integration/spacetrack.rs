//! The Space-Track client against a loopback stand-in that checks the login form, sets a
//! session cookie, answers the two queries, and can fault: the client logs in once, sends the
//! cookie, keeps to the limits, keeps the cache on every fault, and never prints the password.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use tiny_http::{Header, Response, Server};

const IDENTITY: &str = "analyst@example.org";
const PASSWORD: &str = "s3cret pass&word";

const GP: &str = r#"[{"OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2020-12-15T05:59:44.491200","MEAN_MOTION":"15.49187914","ECCENTRICITY":"0.0001646","INCLINATION":"51.6439","RA_OF_ASC_NODE":"172.5713","ARG_OF_PERICENTER":"123.4001","MEAN_ANOMALY":"50.7130","EPHEMERIS_TYPE":"0","CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":"25544","ELEMENT_SET_NO":"999","REV_AT_EPOCH":"26008","BSTAR":"0.000019181","MEAN_MOTION_DOT":"0.00000614","MEAN_MOTION_DDOT":"0","DECAY_DATE":null}]"#;

const SATCAT: &str = "\"INTLDES\",\"NORAD_CAT_ID\",\"OBJECT_TYPE\",\"SATNAME\",\"COUNTRY\",\"LAUNCH\",\"SITE\",\"DECAY\",\"PERIOD\",\"INCLINATION\",\"APOGEE\",\"PERIGEE\"\n\"1998-067A\",\"25544\",\"PAYLOAD\",\"ISS (ZARYA)\",\"ISS\",\"1998-11-20\",\"TYMSC\",\"\",\"92.90\",\"51.64\",\"422\",\"417\"\n";

/// How the stand-in answers a query.
#[derive(Clone, Debug)]
enum Answer {
    Good,
    Status(u16),
    Truncated,
    LoginPage,
}

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    cookie: Option<String>,
    body: String,
}

struct StandIn {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl StandIn {
    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| {
            let bytes = v.replace('+', " ");
            let mut out = Vec::new();
            let raw = bytes.as_bytes();
            let mut i = 0;
            while i < raw.len() {
                if raw[i] == b'%' && i + 2 < raw.len() {
                    out.push(
                        u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap(), 16)
                            .unwrap(),
                    );
                    i += 3;
                } else {
                    out.push(raw[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        })
    })
}

/// `answers` are used in turn by the queries (the login is always answered).
fn stand_in(answers: Vec<Answer>) -> StandIn {
    stand_in_with_login(answers, None)
}

/// As [`stand_in`], with every login answered by `login_status` when it is given.
fn stand_in_with_login(answers: Vec<Answer>, login_status: Option<u16>) -> StandIn {
    let server = Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    thread::spawn(move || {
        let mut answers = answers.into_iter();
        loop {
            let Ok(Some(mut request)) = server.recv_timeout(Duration::from_secs(20)) else {
                return;
            };
            let mut body = String::new();
            let _ = request.as_reader().read_to_string(&mut body);
            let cookie = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Cookie"))
                .map(|h| h.value.to_string());
            let path = request.url().to_owned();
            log.lock().unwrap().push(Seen {
                method: request.method().to_string(),
                path: path.clone(),
                cookie: cookie.clone(),
                body: body.clone(),
            });
            let header = |k: &str, v: &str| Header::from_bytes(k.as_bytes(), v.as_bytes()).unwrap();
            if path == "/ajaxauth/login" {
                if let Some(code) = login_status {
                    let _ = request
                        .respond(Response::from_string("<html>down</html>").with_status_code(code));
                    continue;
                }
                let good = form_value(&body, "identity").as_deref() == Some(IDENTITY)
                    && form_value(&body, "password").as_deref() == Some(PASSWORD);
                let _ = if good {
                    request.respond(Response::from_string("\"\"").with_header(header(
                        "Set-Cookie",
                        "chocolatechip=abc123; path=/; HttpOnly",
                    )))
                } else {
                    request.respond(Response::from_string(r#"{"Login":"Failed"}"#))
                };
                continue;
            }
            if cookie.as_deref() != Some("chocolatechip=abc123") {
                let _ =
                    request.respond(Response::from_string("not logged in").with_status_code(401));
                continue;
            }
            let good = if path.contains("/class/gp/") {
                GP
            } else {
                SATCAT
            };
            let _ = match answers.next().unwrap_or(Answer::Good) {
                Answer::Good => request.respond(Response::from_string(good)),
                Answer::Status(code) => request.respond(Response::from_string("no").with_status_code(code)),
                // Cut in half, with a length that matches what is sent.
                Answer::Truncated => {
                    request.respond(Response::from_string(&good[..good.len() / 2]))
                }
                Answer::LoginPage => request.respond(Response::from_string(
                    "<!DOCTYPE html><html><body><form action=\"/ajaxauth/login\">Login</form></body></html>",
                )),
            };
        }
    });
    StandIn {
        base: format!("http://127.0.0.1:{port}"),
        seen,
    }
}

fn run(
    stand_in: &StandIn,
    cache: &std::path::Path,
    password: &str,
    args: &[&str],
) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"))
        .args(args)
        .env("ORBITSCOPE_CACHE_DIR", cache)
        .env("ORBITSCOPE_SPACETRACK_URL", &stand_in.base)
        .env("ORBITSCOPE_GCAT_URL", "http://127.0.0.1:9")
        .env("ORBITSCOPE_SPACETRACK_CONFIG", cache.join("no-such.conf"))
        .env("SPACETRACK_IDENTITY", IDENTITY)
        .env("SPACETRACK_PASSWORD", password)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !text.contains(PASSWORD) && !text.contains("s3cret"),
        "the password was printed: {text}"
    );
    (output.status.success(), text)
}

/// No file in the cache holds the password.
fn assert_cache_clean(cache: &std::path::Path) {
    for entry in std::fs::read_dir(cache).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("s3cret"),
            "{} holds the password",
            path.display()
        );
    }
}

/// Ages every sidecar's dates by `hours`, as time passing would.
fn age(cache: &std::path::Path, hours: i64) {
    for entry in std::fs::read_dir(cache).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".meta.json") {
            continue;
        }
        let mut meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for field in ["checked_at", "attempted_at", "fetched_at"] {
            if let Some(at) = meta[field]
                .as_str()
                .and_then(|at| at.parse::<chrono::DateTime<chrono::Utc>>().ok())
            {
                meta[field] =
                    serde_json::Value::String((at - chrono::TimeDelta::hours(hours)).to_rfc3339());
            }
        }
        std::fs::write(&path, serde_json::to_vec(&meta).unwrap()).unwrap();
    }
}

#[test]
fn one_login_then_the_catalog_with_the_cookie_and_then_nothing_within_the_limits() {
    let stand_in = stand_in(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(ok, "{text}");
    let seen = stand_in.requests();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/ajaxauth/login")
    );
    assert!(
        seen[0].body.contains("identity=analyst%40example.org"),
        "{}",
        seen[0].body
    );
    assert_eq!(
        seen[1].path,
        "/basicspacedata/query/class/gp/decay_date/null-val/epoch/%3Enow-30/orderby/norad_cat_id/format/json"
    );
    assert_eq!(
        seen[2].path,
        "/basicspacedata/query/class/satcat/CURRENT/Y/orderby/norad_cat_id/format/csv"
    );
    assert!(
        seen[1..]
            .iter()
            .all(|s| s.cookie.as_deref() == Some("chocolatechip=abc123"))
    );

    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["catalog", "--offline", "--source", "spacetrack"],
    );
    assert!(ok, "{text}");
    assert!(
        text.contains("Objects: 1") && text.contains("SATCAT:       1 of 1 objects"),
        "{text}"
    );

    // Within the hour (gp) and the day (satcat): nothing is sent, not even a login.
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack", "--retry"],
    );
    assert!(ok, "{text}");
    assert_eq!(stand_in.requests().len(), 3, "{text}");
    // Two hours later the gp catalog may be asked again, the SATCAT not yet.
    age(cache.path(), 2);
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(ok, "{text}");
    let seen = stand_in.requests();
    assert_eq!(seen.len(), 5, "login + gp only: {seen:?}");
    assert!(seen[4].path.contains("/class/gp/"));
    assert_cache_clean(cache.path());
}

#[test]
fn a_wrong_password_gives_one_clear_message_and_no_retry() {
    let stand_in = stand_in(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        "wrong password",
        &["fetch", "--spacetrack"],
    );
    assert!(!ok);
    assert!(text.contains("Space-Track refused the login"), "{text}");
    assert!(text.contains("check SPACETRACK_IDENTITY"), "{text}");
    // The stop record stays in the cache: it does not name the account.
    for entry in std::fs::read_dir(cache.path()).unwrap() {
        let path = entry.unwrap().path();
        let content = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            !content.contains(IDENTITY),
            "{} names the account",
            path.display()
        );
    }
    assert_eq!(
        stand_in.requests().len(),
        1,
        "one login, no second try for the SATCAT"
    );
    assert!(!text.contains("wrong password"), "{text}");
    // Nor in the next command, until the user asks.
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        "wrong password",
        &["fetch", "--spacetrack"],
    );
    assert!(!ok && text.contains("stopped since"), "{text}");
    assert_eq!(stand_in.requests().len(), 1, "{text}");
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack", "--retry"],
    );
    assert!(ok, "{text}");
    assert_eq!(
        stand_in.requests().len(),
        4,
        "login, gp, satcat after --retry"
    );
    assert_cache_clean(cache.path());
}

#[test]
fn missing_credentials_are_explained_and_nothing_is_sent() {
    let stand_in = stand_in(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"))
        .args(["fetch", "--spacetrack"])
        .env("ORBITSCOPE_CACHE_DIR", cache.path())
        .env("ORBITSCOPE_SPACETRACK_URL", &stand_in.base)
        .env(
            "ORBITSCOPE_SPACETRACK_CONFIG",
            cache.path().join("absent.conf"),
        )
        .env_remove("SPACETRACK_IDENTITY")
        .env_remove("SPACETRACK_PASSWORD")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("no Space-Track credentials: set SPACETRACK_IDENTITY"),
        "{text}"
    );
    assert!(stand_in.requests().is_empty());
}

#[test]
fn the_hourly_limit_is_kept_across_runs() {
    let stand_in = stand_in(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let sent: Vec<String> = (0..300)
        .map(|n| (now - chrono::TimeDelta::seconds(3000 - n * 10)).to_rfc3339())
        .collect();
    std::fs::write(
        cache.path().join("spacetrack-requests.json"),
        serde_json::json!({ "sent": sent }).to_string(),
    )
    .unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(!ok);
    assert!(
        text.contains("300 requests to Space-Track in the last hour"),
        "{text}"
    );
    assert!(
        stand_in.requests().is_empty(),
        "nothing sent past the limit"
    );
}

/// After a good fetch, a fault on the next `gp` query: the cached catalog is kept whole.
fn fault_keeps_the_cache(answer: Answer, expected: &str) {
    let stand_in = stand_in(vec![Answer::Good, Answer::Good, answer.clone()]);
    let cache = tempfile::tempdir().unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(ok, "{text}");
    let good = std::fs::read(cache.path().join("spacetrack-gp.json")).unwrap();
    age(cache.path(), 2);
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(!ok, "{answer:?}: {text}");
    assert!(text.contains(expected), "{answer:?}: {text}");
    assert_eq!(
        std::fs::read(cache.path().join("spacetrack-gp.json")).unwrap(),
        good,
        "{answer:?}"
    );
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["catalog", "--offline", "--source", "spacetrack"],
    );
    assert!(ok && text.contains("Objects: 1"), "{answer:?}: {text}");
    assert_cache_clean(cache.path());
}

#[test]
fn a_401_on_a_query_keeps_the_cache() {
    fault_keeps_the_cache(Answer::Status(401), "HTTP 401");
}

#[test]
fn a_429_keeps_the_cache_and_stops_the_host() {
    fault_keeps_the_cache(Answer::Status(429), "HTTP 429");
}

#[test]
fn a_500_keeps_the_cache() {
    fault_keeps_the_cache(Answer::Status(500), "HTTP 500");
}

#[test]
fn a_truncated_catalog_keeps_the_cache() {
    fault_keeps_the_cache(Answer::Truncated, "not complete");
}

#[test]
fn a_login_page_in_place_of_json_keeps_the_cache() {
    fault_keeps_the_cache(Answer::LoginPage, "not complete");
}

/// A server error at login is not a refusal of the account: no "check your credentials", no
/// stop; the next command within two hours sends nothing and says why; `--retry` asks again.
#[test]
fn a_server_error_at_login_waits_two_hours_instead_of_blaming_the_password() {
    let stand_in = stand_in_with_login(vec![], Some(503));
    let cache = tempfile::tempdir().unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(!ok);
    assert!(text.contains("503"), "{text}");
    assert!(!text.contains("SPACETRACK_IDENTITY"), "{text}");
    assert!(!text.contains("stopped"), "{text}");
    let logins = stand_in.requests().len();
    assert!(logins >= 1, "{logins}");
    let (_, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(text.contains("the last attempt failed"), "{text}");
    assert_eq!(
        stand_in.requests().len(),
        logins,
        "nothing sent within two hours"
    );
    let (_, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack", "--retry"],
    );
    assert!(stand_in.requests().len() > logins, "{text}");
}

/// A request log that does not parse counts as full for an hour from its last write, with a
/// message that names it; after that hour it is reset with a warning and requests go out.
#[test]
fn a_damaged_request_log_holds_an_hour_and_is_named() {
    let stand_in = stand_in(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let log = cache.path().join("spacetrack-requests.json");
    std::fs::write(&log, b"{\"sent\": [\"2026-").unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(!ok);
    assert!(text.contains(&log.display().to_string()), "{text}");
    assert!(stand_in.requests().is_empty(), "nothing sent while unsure");
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack", "--retry"],
    );
    assert!(
        !ok && stand_in.requests().is_empty(),
        "--retry does not lift it: {text}"
    );

    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&log)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let (ok, text) = run(
        &stand_in,
        cache.path(),
        PASSWORD,
        &["fetch", "--spacetrack"],
    );
    assert!(ok, "{text}");
    assert!(text.contains("starts again empty"), "{text}");
    assert_eq!(stand_in.requests().len(), 3, "login, gp, satcat");
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&log).unwrap()).unwrap();
    assert_eq!(kept["sent"].as_array().unwrap().len(), 3);
}

/// Two commands at once share the limits: with one place left in the hour, of two processes
/// started together only one request goes out, and the log keeps every entry.
#[test]
fn two_processes_at_once_share_the_request_log() {
    let stand_in = stand_in(vec![]);
    let cache = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let sent: Vec<String> = (0..299)
        .map(|n| (now - chrono::TimeDelta::seconds(3000 - n * 10)).to_rfc3339())
        .collect();
    let log = cache.path().join("spacetrack-requests.json");
    std::fs::write(&log, serde_json::json!({ "sent": sent }).to_string()).unwrap();
    let children: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"))
                .args(["fetch", "--spacetrack"])
                .env("ORBITSCOPE_CACHE_DIR", cache.path())
                .env("ORBITSCOPE_SPACETRACK_URL", &stand_in.base)
                .env("ORBITSCOPE_GCAT_URL", "http://127.0.0.1:9")
                .env("ORBITSCOPE_SPACETRACK_CONFIG", cache.path().join("no.conf"))
                .env("SPACETRACK_IDENTITY", IDENTITY)
                .env("SPACETRACK_PASSWORD", PASSWORD)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        child.wait().unwrap();
    }
    assert_eq!(stand_in.requests().len(), 1, "one place, one request");
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&log).unwrap()).unwrap();
    assert_eq!(kept["sent"].as_array().unwrap().len(), 300);
}
