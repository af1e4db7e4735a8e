use super::*;

fn values(cospar: &str, registered: &str) -> serde_json::Value {
    serde_json::json!({ "values": {
        "object.internationalDesignator_s1": cospar,
        "object.nameOfSpaceObjectO_s1": "SAT",
        "object.launch.stateOfRegistry_s1": "Russian Federation",
        "object.launch.dateOfLaunch_s1": "2025-09",
        "en#object.status.objectStatus_s1": "in orbit",
        "object.unRegistration.unRegistered_s1": registered,
        "object.unRegistration.registrationDocuments.document..document.symbol_s":
            ["ST/SG/SER.E/1309", "/osoindex/data/documents/ru/st/stsgser.e1310.html"],
        "an.unknown.field_s1": {"nested": true}
    }})
}

#[test]
fn reads_both_envelope_shapes() {
    let current = serde_json::json!({"found": 2, "results": [values("2025-206B", "T"), values("2025-206A", "F")]});
    let page = parse_index_page(current.to_string().as_bytes(), "p").unwrap();
    assert_eq!((page.found, page.results, page.entries.len()), (2, 2, 2));
    let first = &page.entries[0];
    assert_eq!(first.cospar_id.as_deref(), Some("2025-206B"));
    assert_eq!(first.registered, Some(true));
    assert_eq!(first.launch_date.as_deref(), Some("2025-09"));
    assert_eq!(first.documents, ["ST/SG/SER.E/1309", "ST/SG/SER.E/1310"]);
    assert_eq!(
        first.registration(),
        Some(Registration::Registered {
            document: Some("ST/SG/SER.E/1309; ST/SG/SER.E/1310".into()),
            state_of_registry: "Russian Federation".into(),
            raw_state: "Russian Federation".into(),
            source: RegistrationSource::Unoosa,
        })
    );
    assert_eq!(page.entries[1].registered, Some(false));

    let older = serde_json::json!({"response": {"found": "7"}, "results": []});
    let page = parse_index_page(older.to_string().as_bytes(), "p").unwrap();
    assert_eq!((page.found, page.results), (7, 0));
}

#[test]
fn tolerates_odd_values_and_counts_malformed_results() {
    let body = serde_json::json!({"found": 4, "results": [
        {"values": {"object.internationalDesignator_s1": ["1957-001B"], "object.unRegistration.unRegistered_s1": "T",
                    "object.launch.dateOfLaunch_s1": 1957}},
        {"values": {"object.nameOfSpaceObjectO_s1": "NO DESIGNATOR", "object.unRegistration.unRegistered_s1": "F"}},
        {"values": "not an object"},
        {"values": {"object.internationalDesignator_s1": "2000-001A", "object.unRegistration.unRegistered_s1": "maybe"}}
    ]});
    let page = parse_index_page(body.to_string().as_bytes(), "https://un/x").unwrap();
    assert_eq!(page.results, 4);
    assert_eq!(page.entries.len(), 2);
    assert_eq!(page.entries[0].cospar_id.as_deref(), Some("1957-001B"));
    assert_eq!(page.entries[0].launch_date.as_deref(), Some("1957"));
    assert_eq!(page.entries[1].cospar_id, None, "kept without a COSPAR id");
    assert_eq!(page.issues.len(), 2);
    assert_eq!(page.issues[0].location, RecordLocation::Record(3));
    assert_eq!(page.issues[1].location, RecordLocation::Record(4));
    assert!(page.issues[1].to_string().contains("maybe"));
}

#[test]
fn refuses_what_is_not_the_envelope_and_says_what_came() {
    let error = |body: &str| {
        parse_index_page(body.as_bytes(), "p")
            .unwrap_err()
            .to_string()
    };
    assert!(error("<!DOCTYPE html><html><body>Maintenance</body></html>").contains("an HTML page"));
    assert!(error(r#"{"found": 3, "results": [{"values": {}}"#).contains("ends early"));
    assert!(error("[1, 2]").contains("a JSON list of 2 items"));
    let shape = error(r#"{"total": 3, "hits": []}"#);
    assert!(
        shape.contains("\"found\"") && shape.contains("keys [hits, total]")
            || shape.contains("keys [total, hits]"),
        "{shape}"
    );
    assert!(error(r#"{"found": 3, "results": {}}"#).contains("an object with keys"));
}

#[test]
fn keys_identify_entries_across_passes() {
    let a = RegisterEntry {
        cospar_id: Some("1998-067A".into()),
        ..RegisterEntry::default()
    };
    let b = RegisterEntry {
        cospar_id: Some(" 1998-067a ".into()),
        name: Some("ISS".into()),
        ..RegisterEntry::default()
    };
    assert_eq!(a.key(), b.key(), "designators normalised");
    let c = RegisterEntry {
        name: Some("X".into()),
        ..RegisterEntry::default()
    };
    assert_ne!(a.key(), c.key());
    // Launch-level designators are shared: the registration number tells the objects apart.
    let piece = |national: &str| RegisterEntry {
        cospar_id: Some("2025-155*".into()),
        national_designator: Some(national.into()),
        ..RegisterEntry::default()
    };
    assert_ne!(piece("3820-2025-010").key(), piece("3812-2025-010").key());
    assert_eq!(piece("3820-2025-010").key(), piece("3820-2025-010").key());
}

#[test]
fn a_stored_register_reads_back_for_the_join() {
    let register = UnRegister {
        format: UnRegister::FORMAT.into(),
        source: "s".into(),
        full_pass_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
        found: 3,
        entries: vec![
            RegisterEntry {
                cospar_id: Some("2025-206B".into()),
                registered: Some(true),
                ..RegisterEntry::default()
            },
            RegisterEntry {
                cospar_id: None,
                registered: Some(false),
                ..RegisterEntry::default()
            },
            RegisterEntry {
                cospar_id: Some("2025-206C".into()),
                registered: None,
                ..RegisterEntry::default()
            },
        ],
    };
    let bytes = serde_json::to_vec(&register).unwrap();
    let (back, parsed) = parse_register(&bytes, "reg.json");
    assert_eq!(back.as_ref(), Some(&register));
    assert_eq!(
        (parsed.read, parsed.records.len(), parsed.skipped_count()),
        (3, 2, 1)
    );
    assert_eq!(parsed.records[1].cospar_id, None);
    let (none, failed) = parse_register(b"{}", "reg.json");
    assert!(none.is_none() && failed.fatal_issue().is_some());
}
