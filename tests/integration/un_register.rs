//! The UN index client against the loopback stand-in: paging, spacing, the schedule,
//! resumption, the incremental stop, and the last good register kept on every fault.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use orbitscope::catalog::unoosa_index::{UnRegister, parse_register};
use orbitscope::sources::un_register::{
    MIN_REQUEST_SPACING, PassKind, PassOptions, PassOutcome, REGISTER_KEY, RegisterFetcher,
};
use orbitscope::sources::{Cache, CacheMeta};

use super::unoosa_server::{Fault, IndexServer, as_entry, entries, serve_index};

fn fetcher(server: &IndexServer, dir: &std::path::Path) -> RegisterFetcher {
    RegisterFetcher::new(Cache::new(dir), &server.base, Duration::from_secs(2)).unwrap()
}

fn update(fetcher: &RegisterFetcher, retry: bool) -> PassOutcome {
    let options = PassOptions {
        retry,
        ..PassOptions::default()
    };
    fetcher.update(options, &mut |_| {})
}

fn stored(dir: &std::path::Path) -> UnRegister {
    let (bytes, _) = Cache::new(dir).load(REGISTER_KEY).expect("a register");
    parse_register(&bytes, "r").0.expect("reads back")
}

/// A register in the cache as an earlier pass left it, `age` ago.
fn seed_register(dir: &std::path::Path, count: usize, age: TimeDelta) -> Vec<u8> {
    let then = Utc::now() - age;
    let register = UnRegister {
        format: UnRegister::FORMAT.into(),
        source: "seed".into(),
        full_pass_at: then,
        updated_at: then,
        found: count,
        entries: entries(count).iter().map(as_entry).collect(),
    };
    let bytes = serde_json::to_vec(&register).unwrap();
    let mut meta = CacheMeta {
        url: "seed".into(),
        fetched_at: Some(then),
        attempted_at: Some(then),
        ..CacheMeta::default()
    };
    Cache::new(dir)
        .store(REGISTER_KEY, &bytes, &mut meta)
        .unwrap();
    bytes
}

#[test]
fn a_full_pass_pages_through_the_index_two_seconds_apart_then_rests() {
    let server = serve_index(entries(40), 15, false, HashMap::new());
    let dir = tempfile::tempdir().unwrap();
    let fetcher = fetcher(&server, dir.path());
    let mut seen = Vec::new();
    let outcome = fetcher.update(PassOptions::default(), &mut |status| seen.push(status));
    assert!(
        matches!(
            outcome,
            PassOutcome::Completed {
                kind: PassKind::Full,
                pages: 3,
                entries: 40,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(server.start_ats(), [Some(0), Some(15), Some(30)]);
    assert!(server.smallest_gap().unwrap() >= MIN_REQUEST_SPACING - Duration::from_millis(5));
    assert_eq!(seen.last().unwrap().pages_expected, Some(3));
    let register = stored(dir.path());
    assert_eq!(register.entries.len(), 40);
    assert_eq!(register.entries[0].cospar_id.as_deref(), Some("2020-040A"));
    assert_eq!(register.entries[0].documents, ["ST/SG/SER.E/900"]);
    // Fresh: nothing is asked.
    let again = update(&fetcher, true);
    assert!(
        matches!(
            again,
            PassOutcome::NotDue {
                last_failure: None,
                ..
            }
        ),
        "{again:?}"
    );
    assert_eq!(server.requests(), 3);
    assert!(!dir.path().join("un-register.pass.json").exists());
}

#[test]
fn the_older_envelope_and_a_malformed_record_are_read() {
    let faults = HashMap::from([(1, Fault::MalformedRecord)]);
    let server = serve_index(entries(20), 10, true, faults);
    let dir = tempfile::tempdir().unwrap();
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(
        matches!(
            outcome,
            PassOutcome::Completed {
                entries: 20,
                skipped: 1,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert!(outcome.describe().contains("1 unreadable results skipped"));
}

#[test]
fn an_incremental_pass_stops_after_a_page_with_nothing_new() {
    let dir = tempfile::tempdir().unwrap();
    seed_register(dir.path(), 40, TimeDelta::days(2));
    let full_pass_at = stored(dir.path()).full_pass_at;
    // Three launches since: the index now holds 43, newest first.
    let server = serve_index(entries(43), 15, false, HashMap::new());
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(
        matches!(
            outcome,
            PassOutcome::Completed {
                kind: PassKind::Incremental,
                pages: 2,
                new_or_changed: 3,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(
        server.start_ats(),
        [Some(0), Some(15)],
        "stops after a page with nothing new"
    );
    let register = stored(dir.path());
    assert_eq!(register.entries.len(), 43);
    assert_eq!(
        register.full_pass_at, full_pass_at,
        "an incremental pass is not a full one"
    );
}

#[test]
fn an_unchanged_first_page_answers_304_and_ends_the_pass() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_index(entries(20), 15, false, HashMap::new());
    let fetcher = fetcher(&server, dir.path());
    assert!(matches!(
        update(&fetcher, false),
        PassOutcome::Completed { .. }
    ));
    // A day later (the register's dates moved back by editing only through the cache API).
    let mut register = stored(dir.path());
    register.updated_at -= TimeDelta::days(1);
    let bytes = serde_json::to_vec(&register).unwrap();
    let cache = Cache::new(dir.path());
    let mut meta = cache.read_meta(REGISTER_KEY).unwrap().unwrap();
    cache.store(REGISTER_KEY, &bytes, &mut meta).unwrap();
    assert_eq!(update(&fetcher, false), PassOutcome::Unchanged);
    let hits = server.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[2].if_none_match.as_deref(), Some("\"20\""));
}

/// A fault on the second page: the pass breaks off, the last good register stays, page one
/// is kept; then the rules for the next run hold (a stop for an error status, the two-hour
/// wait otherwise) until `retry`, which resumes at page two and completes.
fn fault_keeps_the_register_and_resumes(fault: Fault, stops: bool) {
    let dir = tempfile::tempdir().unwrap();
    let good = seed_register(dir.path(), 5, TimeDelta::days(8));
    let server = serve_index(entries(30), 10, false, HashMap::from([(1, fault.clone())]));
    let fetcher = fetcher(&server, dir.path());
    let outcome = update(&fetcher, false);
    let PassOutcome::Failed {
        stopped,
        pages_kept,
        ..
    } = &outcome
    else {
        panic!("{fault:?}: {outcome:?}");
    };
    assert_eq!(
        (*stopped, *pages_kept),
        (stops, 1),
        "{fault:?}: {outcome:?}"
    );
    assert_eq!(
        Cache::new(dir.path()).load(REGISTER_KEY).unwrap().0,
        good,
        "{fault:?}"
    );
    let held = update(&fetcher, false);
    if stops {
        assert!(
            matches!(held, PassOutcome::Stopped { .. }),
            "{fault:?}: {held:?}"
        );
    } else {
        assert!(
            matches!(
                held,
                PassOutcome::NotDue {
                    last_failure: Some(_),
                    ..
                }
            ),
            "{fault:?}: {held:?}"
        );
    }
    assert_eq!(
        server.requests(),
        2,
        "{fault:?}: no request while held back"
    );
    let resumed = update(&fetcher, true);
    assert!(
        matches!(
            resumed,
            PassOutcome::Completed {
                kind: PassKind::Full,
                entries: 30,
                ..
            }
        ),
        "{fault:?}: {resumed:?}"
    );
    assert_eq!(
        server.start_ats(),
        [Some(0), Some(10), Some(10), Some(20)],
        "{fault:?}: resumes at the page that failed"
    );
    assert!(server.smallest_gap().unwrap() >= MIN_REQUEST_SPACING - Duration::from_millis(5));
}

#[test]
fn a_429_stops_the_host_and_keeps_the_register() {
    fault_keeps_the_register_and_resumes(Fault::Status(429), true);
}

#[test]
fn a_500_stops_and_keeps_the_register() {
    fault_keeps_the_register_and_resumes(Fault::Status(500), true);
}

#[test]
fn a_truncated_page_keeps_the_register() {
    fault_keeps_the_register_and_resumes(Fault::TruncatedJson, false);
}

#[test]
fn a_page_cut_off_in_transit_keeps_the_register() {
    fault_keeps_the_register_and_resumes(Fault::CutOff, false);
}

#[test]
fn an_html_page_keeps_the_register() {
    fault_keeps_the_register_and_resumes(Fault::Html, false);
}

#[test]
fn a_change_of_shape_mid_pass_says_what_came_and_keeps_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_index(
        entries(30),
        10,
        false,
        HashMap::from([(1, Fault::OtherShape)]),
    );
    let outcome = update(&fetcher(&server, dir.path()), false);
    let message = outcome.describe();
    assert!(
        message.contains("expected UNOOSA's search answer")
            && message.contains("keys [hits, total]"),
        "{message}"
    );
    assert!(
        Cache::new(dir.path()).load(REGISTER_KEY).is_err(),
        "nothing half-built is used"
    );
    fault_keeps_the_register_and_resumes(Fault::OtherShape, false);
}

#[test]
fn an_early_empty_page_is_a_failure_not_a_short_register() {
    fault_keeps_the_register_and_resumes(Fault::EmptyPage, false);
}

#[test]
fn a_server_that_ignores_start_at_never_yields_a_register() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_index(
        entries(30),
        10,
        false,
        HashMap::from([(1, Fault::RepeatFirstPage)]),
    );
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(
        outcome.describe().contains("repeated results"),
        "{outcome:?}"
    );
    assert!(Cache::new(dir.path()).load(REGISTER_KEY).is_err());
}

/// One launch whose 41 rows all carry the launch-level designator `2024-199*` and no national
/// designator: the pages are distinct answers, so the pass completes with every row (it used
/// to judge repetition by designators, and failed at the same page on every run).
#[test]
fn a_launch_whose_rows_share_one_designator_is_read_whole() {
    use super::unoosa_server::values;
    let rows = (1..=41)
        .rev()
        .map(|n| {
            values(
                "2024-199*",
                &format!("STARLINK-{n}"),
                "United States of America",
                true,
            )
        })
        .collect();
    let server = serve_index(rows, 15, false, HashMap::new());
    let dir = tempfile::tempdir().unwrap();
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(
        matches!(
            outcome,
            PassOutcome::Completed {
                entries: 41,
                pages: 3,
                ..
            }
        ),
        "{outcome:?}"
    );
    let (bytes, _) = Cache::new(dir.path()).load(REGISTER_KEY).unwrap();
    let register: UnRegister = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(register.entries.len(), 41);
}

#[test]
fn one_pass_at_a_time() {
    let server = serve_index(entries(5), 15, false, HashMap::new());
    let dir = tempfile::tempdir().unwrap();
    // The lock held by another holder (this test), then by another process (`fetch --unoosa`).
    let held =
        orbitscope::sources::un_register::lock::PassLock::take(&Cache::new(dir.path())).unwrap();
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(outcome.describe().contains("another pass"), "{outcome:?}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"))
        .args(["fetch", "--unoosa"])
        .env("ORBITSCOPE_CACHE_DIR", dir.path())
        .env("ORBITSCOPE_UNOOSA_URL", &server.base)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("another pass"), "{text}");
    assert_eq!(server.requests(), 0);
    // Once its holder lets go, the next pass runs (the lock file itself stays).
    drop(held);
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(
        matches!(outcome, PassOutcome::Completed { .. }),
        "{outcome:?}"
    );
}

#[test]
fn a_killed_fetch_resumes_where_it_stopped() {
    let server = serve_index(entries(60), 15, false, HashMap::new());
    let dir = tempfile::tempdir().unwrap();
    let command = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"));
        command
            .args(["fetch", "--unoosa"])
            .env("ORBITSCOPE_CACHE_DIR", dir.path())
            .env("ORBITSCOPE_UNOOSA_URL", &server.base)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    };
    let mut child = command().spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while server.requests() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let before = server.requests();
    assert!(before >= 2 && Cache::new(dir.path()).load(REGISTER_KEY).is_err());
    let output = command().output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("60 objects in the register"), "{stdout}");
    let start_ats = server.start_ats();
    assert_ne!(
        start_ats[before],
        Some(0),
        "resumed, not restarted: {start_ats:?}"
    );
    assert!(server.smallest_gap().unwrap() >= MIN_REQUEST_SPACING - Duration::from_millis(5));
    assert_eq!(stored(dir.path()).entries.len(), 60);
}

/// The scraped index export in `../shared/data`, served as the endpoint's JSON pages.
fn index_pages_from_csv(csv: &[u8]) -> Vec<serde_json::Value> {
    use orbitscope::catalog::Registration;
    let parsed = orbitscope::catalog::unoosa::parse_unoosa(csv, "index.csv");
    parsed
        .records
        .iter()
        .map(|record| {
            let (registered, documents) = match &record.registration {
                Registration::Registered { document, .. } => (
                    "T",
                    document.iter().map(String::as_str).collect::<Vec<_>>(),
                ),
                _ => ("F", Vec::new()),
            };
            serde_json::json!({ "values": {
                "object.internationalDesignator_s1": record.cospar_id,
                "object.nationalDesignator_s1": record.national_designator,
                "object.nameOfSpaceObjectO_s1": record.name,
                "object.launch.stateOfRegistry_s1": record.state,
                "en#object.status.objectStatus_s1": record.status,
                "object.unRegistration.unRegistered_s1": registered,
                "object.unRegistration.registrationDocuments.document..document.symbol_s": documents,
            }})
        })
        .collect()
}

#[test]
#[ignore = "real data: reads ../shared/data"]
fn real_data_the_register_fetched_from_the_index_joins_like_the_csv_export() {
    use super::support::{active_selection, shared_file};
    let csv_path = shared_file("un-registration/unoosa_osoindex_registry_partial_2025.csv");
    let pages = index_pages_from_csv(&std::fs::read(&csv_path).unwrap());
    assert!(pages.len() > 5_000);
    // Pages of 500 keep the test under a minute at one request every 2 s.
    let server = serve_index(pages, 500, false, HashMap::new());
    let dir = tempfile::tempdir().unwrap();
    let outcome = update(&fetcher(&server, dir.path()), false);
    assert!(
        matches!(outcome, PassOutcome::Completed { .. }),
        "{outcome:?}"
    );
    assert!(server.smallest_gap().unwrap() >= MIN_REQUEST_SPACING - Duration::from_millis(5));

    let from_csv = orbitscope::loader::load_catalog(
        &orbitscope::loader::SourceSelection {
            unoosa_file: Some(csv_path),
            ..active_selection()
        },
        &mut |_, _, _| {},
    )
    .unwrap();
    let from_index = orbitscope::loader::load_catalog(
        &orbitscope::loader::SourceSelection {
            unoosa_file: Some(dir.path().join(REGISTER_KEY)),
            ..active_selection()
        },
        &mut |_, _, _| {},
    )
    .unwrap();
    let (a, b) = (&from_csv.catalog, &from_index.catalog);
    assert!(a.report.unoosa_matches > 500, "{}", a.report.unoosa_matches);
    assert_eq!(a.report.unoosa_matches, b.report.unoosa_matches);
    assert_eq!(
        a.report.with_registration_data,
        b.report.with_registration_data
    );
    assert_eq!(
        a.report.gcat_unoosa_disagreements,
        b.report.gcat_unoosa_disagreements
    );
    assert_eq!(a.disagreements, b.disagreements);
    let registrations = |catalog: &orbitscope::catalog::Catalog| {
        catalog
            .objects
            .iter()
            .map(|object| object.registration.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(registrations(a), registrations(b));
    let register_rows = |catalog: &orbitscope::catalog::Catalog| {
        catalog.register.as_ref().map(|check| check.rows.len())
    };
    assert_eq!(register_rows(a), register_rows(b));
}
