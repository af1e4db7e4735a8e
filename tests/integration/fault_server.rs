//! A scripted HTTP server on 127.0.0.1 for the client tests: each request gets the next reply,
//! good or faulty (error statuses, junk bodies, bodies cut off, stalled or endless). Every
//! wait is bounded, and no traffic leaves the machine.

use std::io::{Cursor, Read};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use orbitscope::sources::{Cache, Endpoints, Fetcher};
use tiny_http::{Header, Response, Server};

/// The ISS as one OMM JSON record (CelesTrak, 2020-12-15).
pub const OMM: &str = r#"[{"OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2020-12-15T05:59:44.491200","MEAN_MOTION":15.49187914,"ECCENTRICITY":0.0001646,"INCLINATION":51.6439,"RA_OF_ASC_NODE":172.5713,"ARG_OF_PERICENTER":123.4001,"MEAN_ANOMALY":50.713,"EPHEMERIS_TYPE":0,"CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":25544,"ELEMENT_SET_NO":999,"REV_AT_EPOCH":26008,"BSTAR":1.9181e-5,"MEAN_MOTION_DOT":6.14e-6,"MEAN_MOTION_DDOT":0}]"#;

/// A response the server gives, in order.
#[derive(Clone)]
pub enum Reply {
    Ok {
        body: Vec<u8>,
        etag: &'static str,
    },
    Status(u16),
    /// Announces more bytes than it sends, then closes: a download cut off mid-way.
    Truncated {
        body: Vec<u8>,
        announced: usize,
    },
    /// Answers after a delay longer than the client's timeout.
    Slow(Duration),
    /// Sends the headers and the first bytes of the body, then stalls longer than the client's
    /// timeout before sending the rest.
    Stalled {
        head: Vec<u8>,
        announced: usize,
    },
    /// `[` followed by `len` zero bytes, generated as it is sent; `announce` puts the length
    /// in a Content-Length header, otherwise it goes out chunked.
    Endless {
        len: usize,
        announce: bool,
    },
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>, etag: &'static str) -> Self {
        Self::Ok {
            body: body.into(),
            etag,
        }
    }
}

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub url: String,
    pub user_agent: Option<String>,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
}

pub struct TestServer {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    pub fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Runs the `orbitscope` binary on `cache` with every source pointed at this server.
    pub fn run_cli(&self, cache: &std::path::Path, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"))
            .args(args)
            .env("ORBITSCOPE_CACHE_DIR", cache)
            .env("ORBITSCOPE_CELESTRAK_URL", &self.base)
            .env("ORBITSCOPE_GCAT_URL", &self.base)
            .output()
            .expect("run orbitscope")
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// A body that yields `head`, then sleeps, then yields nothing more (the announced length is
/// never reached).
struct StallingBody {
    head: Cursor<Vec<u8>>,
    stalled: bool,
}

impl Read for StallingBody {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.head.read(buf)?;
        if read > 0 {
            return Ok(read);
        }
        if !self.stalled {
            self.stalled = true;
            thread::sleep(Duration::from_millis(2000));
        }
        Ok(0)
    }
}

/// `[` then zeros, `remaining` bytes in all.
struct ZerosBody {
    remaining: usize,
    started: bool,
}

impl Read for ZerosBody {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.remaining);
        buf[..n].fill(b'0');
        if n > 0 && !self.started {
            buf[0] = b'[';
            self.started = true;
        }
        self.remaining -= n;
        Ok(n)
    }
}

/// Starts a server that answers each request with the next scripted reply, then stops.
pub fn serve(replies: Vec<Reply>) -> TestServer {
    let server = Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = server.server_addr().to_ip().expect("ip address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    thread::spawn(move || {
        for reply in replies {
            // Bounded: the server never waits more than a few seconds for a request.
            let Ok(Some(request)) = server.recv_timeout(Duration::from_secs(10)) else {
                return;
            };
            let get = |name: &'static str| {
                request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv(name))
                    .map(|h| h.value.to_string())
            };
            log.lock().unwrap().push(Seen {
                url: request.url().to_owned(),
                user_agent: get("User-Agent"),
                if_none_match: get("If-None-Match"),
                if_modified_since: get("If-Modified-Since"),
            });
            let _ = match reply {
                Reply::Ok { body, etag } => request.respond(
                    Response::from_data(body)
                        .with_header(header("ETag", etag))
                        .with_header(header("Last-Modified", "Tue, 15 Dec 2020 06:00:00 GMT")),
                ),
                Reply::Status(code) => {
                    request.respond(Response::from_string("go away").with_status_code(code))
                }
                Reply::Truncated { body, announced } => request.respond(Response::new(
                    200.into(),
                    vec![],
                    Cursor::new(body),
                    Some(announced),
                    None,
                )),
                Reply::Slow(delay) => {
                    thread::sleep(delay);
                    request.respond(Response::from_string(OMM))
                }
                Reply::Stalled { head, announced } => request.respond(Response::new(
                    200.into(),
                    vec![],
                    StallingBody {
                        head: Cursor::new(head),
                        stalled: false,
                    },
                    Some(announced),
                    None,
                )),
                Reply::Endless { len, announce } => {
                    let body = ZerosBody {
                        remaining: len,
                        started: false,
                    };
                    let response =
                        Response::new(200.into(), vec![], body, announce.then_some(len), None);
                    // tiny_http sends large bodies chunked (no Content-Length) unless told not to.
                    let threshold = if announce { usize::MAX } else { 0 };
                    request.respond(response.with_chunked_threshold(threshold))
                }
            };
        }
    });
    TestServer {
        base: format!("http://127.0.0.1:{port}"),
        seen,
    }
}

/// A fetcher on `dir` that talks to the test server for every source, with a short timeout.
pub fn fetcher_for(server: &TestServer, dir: &std::path::Path) -> Fetcher {
    let endpoints = Endpoints {
        celestrak: server.base.clone(),
        gcat: server.base.clone(),
        unoosa: server.base.clone(),
        spacetrack: server.base.clone(),
    };
    Fetcher::new(Cache::new(dir), endpoints, Duration::from_millis(700)).unwrap()
}

/// Sources from the test server (nothing named as a file; the `active` group only), cached in
/// `dir`.
pub fn selection_for(
    server: &TestServer,
    dir: &std::path::Path,
) -> orbitscope::loader::SourceSelection {
    orbitscope::loader::SourceSelection {
        // One group, so that scripted replies meet the requests in order.
        groups: vec!["active".to_owned()],
        cache_dir: Some(dir.to_owned()),
        endpoints: Endpoints {
            celestrak: server.base.clone(),
            gcat: server.base.clone(),
            unoosa: server.base.clone(),
            spacetrack: server.base.clone(),
        },
        ..orbitscope::loader::SourceSelection::default()
    }
}
