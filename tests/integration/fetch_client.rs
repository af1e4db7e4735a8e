//! The CelesTrak/GCAT client against a local HTTP server on 127.0.0.1 that serves scripted,
//! recorded-style responses. No traffic leaves the machine.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use orbitscope::sources::{DataSource, FetchOptions, FetchOutcome, Fetcher};

use super::fault_server::{OMM, Reply, TestServer, fetcher_for, selection_for, serve};

fn fetcher(server: &TestServer, dir: &std::path::Path) -> Fetcher {
    fetcher_for(server, dir)
}

fn stations() -> DataSource {
    DataSource::gp_group("stations").unwrap()
}

fn t0() -> DateTime<Utc> {
    "2026-08-22T12:00:00Z".parse().unwrap()
}

fn fetch(fetcher: &Fetcher, at: DateTime<Utc>, retry: bool) -> FetchOutcome {
    fetcher.fetch_at(
        &stations(),
        FetchOptions {
            retry,
            ..FetchOptions::default()
        },
        at,
        &mut |_, _| {},
    )
}

fn cached(fetcher: &Fetcher) -> Vec<u8> {
    fetcher.load_cached(&stations()).expect("a valid cache").0
}

#[test]
fn first_download_is_stored_and_a_second_within_two_hours_sends_nothing() {
    let server = serve(vec![Reply::ok(OMM, "\"v1\"")]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());

    assert_eq!(
        fetch(&fetcher, t0(), false),
        FetchOutcome::Downloaded {
            bytes: OMM.len() as u64,
            records: 1
        }
    );
    assert_eq!(cached(&fetcher), OMM.as_bytes());
    let (_, meta) = fetcher.load_cached(&stations()).unwrap();
    assert_eq!(meta.fetched_at, Some(t0()));
    assert_eq!(meta.etag.as_deref(), Some("\"v1\""));

    let later = t0() + TimeDelta::minutes(119);
    assert!(matches!(
        fetch(&fetcher, later, false),
        FetchOutcome::NotDue { .. }
    ));
    // Remembered across restarts: a new fetcher on the same cache also holds back.
    let restarted = self::fetcher(&server, dir.path());
    assert!(matches!(
        fetch(&restarted, later, false),
        FetchOutcome::NotDue { .. }
    ));

    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "one request only");
    assert_eq!(
        seen[0].url,
        "/NORAD/elements/gp.php?GROUP=stations&FORMAT=json"
    );
    let agent = seen[0].user_agent.clone().unwrap_or_default();
    assert!(
        agent.starts_with(&format!("orbitscope/{}", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
}

#[test]
fn not_modified_keeps_the_cache_and_sends_validators() {
    let server = serve(vec![Reply::ok(OMM, "\"v1\""), Reply::Status(304)]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    fetch(&fetcher, t0(), false);
    let after = t0() + TimeDelta::hours(2) + TimeDelta::seconds(1);
    assert_eq!(fetch(&fetcher, after, false), FetchOutcome::NotModified);
    assert_eq!(cached(&fetcher), OMM.as_bytes());
    let (_, meta) = fetcher.load_cached(&stations()).unwrap();
    assert_eq!(
        (meta.fetched_at, meta.checked_at),
        (Some(t0()), Some(after))
    );

    let seen = server.seen.lock().unwrap();
    assert_eq!(seen[1].if_none_match.as_deref(), Some("\"v1\""));
    assert_eq!(
        seen[1].if_modified_since.as_deref(),
        Some("Tue, 15 Dec 2020 06:00:00 GMT")
    );
}

fn error_status_stops_the_source(code: u16) {
    let server = serve(vec![
        Reply::ok(OMM, "\"v1\""),
        Reply::Status(code),
        Reply::ok(OMM, "\"v2\""),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    fetch(&fetcher, t0(), false);
    let data_path = fetcher.cache().data_path(&stations().cache_key());
    let before = std::fs::read(&data_path).unwrap();

    let outcome = fetch(&fetcher, t0() + TimeDelta::hours(3), false);
    assert!(
        matches!(&outcome, FetchOutcome::Failed { stopped: true, message, .. } if message.contains(&code.to_string())),
        "{outcome:?}"
    );
    assert_eq!(
        std::fs::read(&data_path).unwrap(),
        before,
        "last good copy kept byte for byte"
    );
    assert_eq!(cached(&fetcher), OMM.as_bytes());

    // Stopped: no request, however long we wait, until the user asks.
    let much_later = t0() + TimeDelta::days(3);
    assert!(matches!(
        fetch(&fetcher, much_later, false),
        FetchOutcome::Stopped { .. }
    ));
    assert_eq!(server.seen.lock().unwrap().len(), 2);
    // The user retries in a later run.
    let next_run = self::fetcher(&server, dir.path());
    assert!(matches!(
        fetch(&next_run, much_later, true),
        FetchOutcome::Downloaded { .. }
    ));
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}

#[test]
fn forbidden_stops_the_source_and_keeps_the_cache() {
    error_status_stops_the_source(403);
}

#[test]
fn server_error_stops_the_source_and_keeps_the_cache() {
    error_status_stops_the_source(500);
}

#[test]
fn too_many_requests_and_moved_also_stop() {
    error_status_stops_the_source(429);
    error_status_stops_the_source(301);
}

#[test]
fn a_body_cut_off_midway_never_replaces_the_cache() {
    let server = serve(vec![
        Reply::ok(OMM, "\"v1\""),
        Reply::Truncated {
            body: b"[{\"OBJECT_NAME\":".to_vec(),
            announced: 5000,
        },
    ]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    fetch(&fetcher, t0(), false);
    let outcome = fetch(&fetcher, t0() + TimeDelta::hours(3), false);
    assert!(
        matches!(outcome, FetchOutcome::Failed { stopped: false, .. }),
        "{outcome:?}"
    );
    assert_eq!(cached(&fetcher), OMM.as_bytes());
}

#[test]
fn an_error_page_with_200_is_not_cached() {
    let server = serve(vec![Reply::ok("No GP data found", "\"x\"")]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    let outcome = fetch(&fetcher, t0(), false);
    assert!(
        matches!(&outcome, FetchOutcome::Failed { message, .. } if message.contains("not complete CelesTrak GP")),
        "{outcome:?}"
    );
    assert!(fetcher.load_cached(&stations()).is_err());
}

#[test]
fn a_timeout_is_reported_and_the_cache_kept() {
    let server = serve(vec![
        Reply::ok(OMM, "\"v1\""),
        Reply::Slow(Duration::from_millis(2500)),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    fetch(&fetcher, t0(), false);
    let outcome = fetch(&fetcher, t0() + TimeDelta::hours(3), false);
    assert!(
        matches!(&outcome, FetchOutcome::Failed { message, stopped: false, .. } if message.contains("timed out")),
        "{outcome:?}"
    );
    assert_eq!(cached(&fetcher), OMM.as_bytes());
}

#[test]
fn a_corrupt_cache_is_reported_and_ignored() {
    let server = serve(vec![Reply::ok(OMM, "\"v1\"")]);
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    fetch(&fetcher, t0(), false);
    let data_path = fetcher.cache().data_path(&stations().cache_key());
    std::fs::write(&data_path, b"[{\"half\":").unwrap();
    let error = fetcher.load_cached(&stations()).unwrap_err();
    assert!(error.to_string().contains("corrupt"), "{error}");
}

const SATCAT_CSV: &str = "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\nISS (ZARYA),1998-067A,25544,PAY,+,ISS,1998-11-20,TYMSC,,92.9,51.64,422,417,,,EA,ORB\n";
const GCAT_TSV: &str =
    "#JCAT\tPiece\tName\tUNState\tUNReg\nS25544\t1998-067A\tZarya\tRU\tST/SG/SER.E/334\n";

/// The command line's default path end to end: `fetch` fills the cache from the (local)
/// servers, `catalog --offline` joins from the cache alone, a second `fetch` holds back.
#[test]
fn fetch_then_catalog_from_the_cache_alone() {
    // The default groups (the active payloads and four debris groups), then SATCAT and GCAT.
    let mut replies: Vec<Reply> = orbitscope::sources::DEFAULT_GROUPS
        .iter()
        .map(|_| Reply::ok(OMM, "\"gp\""))
        .collect();
    replies.extend([
        Reply::ok(SATCAT_CSV, "\"satcat\""),
        Reply::ok(GCAT_TSV, "\"gcat\""),
    ]);
    let server = serve(replies);
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| server.run_cli(cache.path(), args);
    let fetched = run(&["fetch", "--satcat", "--gcat"]);
    let stdout = String::from_utf8_lossy(&fetched.stdout);
    assert!(
        fetched.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    assert_eq!(stdout.matches("downloaded").count(), 9, "{stdout}");
    let urls: Vec<String> = server
        .seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.url.clone())
        .collect();
    assert_eq!(
        urls,
        [
            "/NORAD/elements/gp.php?GROUP=active&FORMAT=json",
            "/NORAD/elements/gp.php?GROUP=cosmos-1408-debris&FORMAT=json",
            "/NORAD/elements/gp.php?GROUP=fengyun-1c-debris&FORMAT=json",
            "/NORAD/elements/gp.php?GROUP=iridium-33-debris&FORMAT=json",
            "/NORAD/elements/gp.php?GROUP=cosmos-2251-debris&FORMAT=json",
            "/NORAD/elements/gp.php?GROUP=visual&FORMAT=json",
            "/NORAD/elements/gp.php?GROUP=last-30-days&FORMAT=json",
            "/pub/satcat.csv",
            "/space/gcat/tsv/cat/psatcat.tsv"
        ]
    );

    let catalog = run(&["catalog", "--offline"]);
    let summary = String::from_utf8_lossy(&catalog.stdout);
    assert!(
        catalog.status.success(),
        "{}",
        String::from_utf8_lossy(&catalog.stderr)
    );
    assert!(summary.contains("Objects: 1"), "{summary}");
    assert!(
        summary.contains("SATCAT:       1 of 1 objects (100.0%)"),
        "{summary}"
    );
    assert!(summary.contains("registered:           1"), "{summary}");
    assert!(
        summary.contains(&format!("{}/pub/satcat.csv", server.base)),
        "{summary}"
    );

    let again = run(&["fetch", "--satcat", "--gcat"]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success());
    assert_eq!(stdout.matches("checked recently").count(), 9, "{stdout}");
    assert_eq!(server.seen.lock().unwrap().len(), 9, "no further requests");
}

/// The window's refresh button: one request per source, the catalog reloaded from the cache
/// when something new arrived; pressed again within two hours it sends nothing and says when
/// the next download is allowed.
#[test]
fn refresh_downloads_reloads_and_then_honours_the_two_hours() {
    use orbitscope::loader::{SourceSelection, refresh};

    let server = serve(vec![
        Reply::ok(OMM, "\"gp\""),
        Reply::ok(SATCAT_CSV, "\"satcat\""),
        Reply::ok(GCAT_TSV, "\"gcat\""),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let selection = selection_for(&server, cache.path());
    let mut progress_calls = 0;
    let first = refresh(&selection, FetchOptions::default(), &mut |_, _, _| {
        progress_calls += 1;
    })
    .unwrap();
    assert_eq!(first.outcomes.len(), 3);
    assert!(progress_calls > 0, "progress is reported");
    let catalog = first
        .reloaded
        .expect("new data: the catalog is reloaded")
        .catalog;
    assert_eq!(catalog.objects.len(), 1);
    assert!(catalog.objects[0].satcat.is_some());

    let second = refresh(&selection, FetchOptions::default(), &mut |_, _, _| {}).unwrap();
    assert!(second.reloaded.is_none(), "nothing new");
    for line in second.describe() {
        assert!(line.contains("next request allowed at"), "{line}");
    }
    assert_eq!(server.requests(), 3, "the second refresh sent nothing");

    let offline = SourceSelection {
        offline: true,
        ..selection.clone()
    };
    let error = refresh(&offline, FetchOptions::default(), &mut |_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(error.contains("--offline"), "{error}");
    assert_eq!(server.requests(), 3, "offline sends nothing");

    let files = SourceSelection {
        gp_files: vec!["x.tle".into()],
        ..SourceSelection::default()
    };
    let error = refresh(&files, FetchOptions::default(), &mut |_, _, _| {})
        .unwrap_err()
        .to_string();
    assert!(error.contains("local files"), "{error}");
}
