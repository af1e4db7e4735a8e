//! A stand-in for UNOOSA's index search endpoint on 127.0.0.1: pages by `startAt` over a list
//! of entries (newest first, as the client sorts), in either envelope shape, with scripted
//! faults by request number; it records when each request came and what it asked for.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use orbitscope::catalog::unoosa_index::RegisterEntry;
use serde_json::{Value, json};
use tiny_http::{Header, Response, Server};

/// A fault the server answers with instead of the page.
#[derive(Debug, Clone)]
pub enum Fault {
    Status(u16),
    /// The page's JSON cut in half, with a Content-Length that matches what is sent.
    TruncatedJson,
    /// Announces the whole page, sends half, closes.
    CutOff,
    Html,
    /// `{"total": N, "hits": [...]}`: the envelope changed shape.
    OtherShape,
    /// The page, with one result that has no `values` object.
    MalformedRecord,
    /// A page with no results (while more were announced).
    EmptyPage,
    /// The first page again, whatever `startAt` asked.
    RepeatFirstPage,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub at: Instant,
    pub start_at: Option<usize>,
    pub if_none_match: Option<String>,
}

pub struct IndexServer {
    pub base: String,
    pub hits: Arc<Mutex<Vec<Hit>>>,
    stop: Arc<AtomicBool>,
}

impl IndexServer {
    pub fn requests(&self) -> usize {
        self.hits.lock().unwrap().len()
    }

    pub fn start_ats(&self) -> Vec<Option<usize>> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .map(|h| h.start_at)
            .collect()
    }

    /// The smallest gap between two consecutive requests.
    pub fn smallest_gap(&self) -> Option<Duration> {
        let hits = self.hits.lock().unwrap();
        hits.windows(2).map(|pair| pair[1].at - pair[0].at).min()
    }
}

impl Drop for IndexServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// An index entry's `values`, as the endpoint writes them.
pub fn values(cospar: &str, name: &str, state: &str, registered: bool) -> Value {
    json!({ "values": {
        "object.internationalDesignator_s1": cospar,
        "object.nameOfSpaceObjectO_s1": name,
        "object.launch.stateOfRegistry_s1": state,
        "object.launch.dateOfLaunch_s1": "2020-01-01",
        "en#object.status.objectStatus_s1": "in orbit",
        "object.unRegistration.unRegistered_s1": if registered { "T" } else { "F" },
        "object.unRegistration.registrationDocuments.document..document.symbol_s":
            if registered { json!(["ST/SG/SER.E/900"]) } else { json!([]) },
        "object.remark_s1": "",
        "an.unknown.field_s1": 42
    }})
}

/// `count` entries, newest first: `2020-{count}A` down to `2020-001A`.
pub fn entries(count: usize) -> Vec<Value> {
    (1..=count)
        .rev()
        .map(|n| {
            values(
                &format!("2020-{n:03}A"),
                &format!("SAT {n}"),
                "France",
                n % 3 != 0,
            )
        })
        .collect()
}

/// An entry as the client stores it, for comparisons.
pub fn as_entry(value: &Value) -> RegisterEntry {
    orbitscope::catalog::unoosa_index::parse_index_page(
        json!({"found": 1, "results": [value]})
            .to_string()
            .as_bytes(),
        "x",
    )
    .unwrap()
    .entries
    .remove(0)
}

fn start_at_of(url: &str) -> Option<usize> {
    let query = url.split_once('?')?.1;
    let criteria = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("criteria="))?;
    let decoded = percent_decode(criteria);
    let value: Value = serde_json::from_str(&decoded).ok()?;
    value.get("startAt")?.as_u64().map(|n| n as usize)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Serves `entries`, `page_size` a page; `older_envelope` nests the total under `response`;
/// `faults` maps a request number (0-based, counting every request) to a fault.
pub fn serve_index(
    entries: Vec<Value>,
    page_size: usize,
    older_envelope: bool,
    faults: HashMap<usize, Fault>,
) -> IndexServer {
    let server = Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = server.server_addr().to_ip().expect("ip address").port();
    let hits = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let (log, stopped) = (Arc::clone(&hits), Arc::clone(&stop));
    thread::spawn(move || {
        let mut served = 0;
        while !stopped.load(Ordering::Relaxed) {
            let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) else {
                continue;
            };
            let start_at = start_at_of(request.url());
            let if_none_match = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("If-None-Match"))
                .map(|h| h.value.to_string());
            log.lock().unwrap().push(Hit {
                at: Instant::now(),
                start_at,
                if_none_match: if_none_match.clone(),
            });
            let all = &entries;
            let etag = format!("\"{}\"", all.len());
            let start = start_at.unwrap_or(0).min(all.len());
            let mut results: Vec<Value> = all[start..(start + page_size).min(all.len())].to_vec();
            let fault = faults.get(&served).cloned();
            served += 1;
            if fault.is_none() && start == 0 && if_none_match.as_deref() == Some(etag.as_str()) {
                let _ = request.respond(Response::empty(304));
                continue;
            }
            if let Some(Fault::MalformedRecord) = fault {
                results.insert(0, json!({"values": "broken"}));
            }
            if let Some(Fault::EmptyPage) = fault {
                results.clear();
            }
            if let Some(Fault::RepeatFirstPage) = fault {
                results = all[..page_size.min(all.len())].to_vec();
            }
            let body = if older_envelope {
                json!({"response": {"found": all.len()}, "results": results})
            } else {
                json!({"found": all.len(), "results": results})
            }
            .to_string();
            let header = |name: &str, value: &str| {
                Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap()
            };
            let ok = |body: String| {
                Response::from_string(body)
                    .with_header(header("Content-Type", "application/json"))
                    .with_header(header("ETag", &etag))
            };
            let _ = match fault {
                Some(Fault::Status(code)) => {
                    request.respond(Response::from_string("no").with_status_code(code))
                }
                Some(Fault::TruncatedJson) => {
                    request.respond(ok(body[..body.len() / 2].to_owned()))
                }
                Some(Fault::CutOff) => {
                    let half = body.as_bytes()[..body.len() / 2].to_vec();
                    request.respond(Response::new(
                        200.into(),
                        vec![],
                        Cursor::new(half),
                        Some(body.len()),
                        None,
                    ))
                }
                Some(Fault::Html) => request.respond(
                    Response::from_string(
                        "<!DOCTYPE html><html><body>Down for maintenance</body></html>",
                    )
                    .with_header(header("Content-Type", "text/html")),
                ),
                Some(Fault::OtherShape) => {
                    request.respond(ok(json!({"total": all.len(), "hits": results}).to_string()))
                }
                _ => request.respond(ok(body)),
            };
        }
    });
    IndexServer {
        base: format!("http://127.0.0.1:{port}"),
        hits,
        stop,
    }
}
