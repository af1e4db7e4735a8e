//! The command line on small self-written fixtures.

use std::path::Path;

use crate::support::orbitscope;

// Real element sets (facts): ISS, and SARAMAGO, which has a six-digit catalog number.
pub(crate) const OMM_CSV: &str = "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT
ISS (ZARYA),1998-067A,2026-08-22T07:57:46.835712,15.49187914,.0001646,51.6439,172.5713,123.4001,50.7130,0,U,25544,999,26008,.19181E-4,.614E-5,0
SARAMAGO,2026-067CY,2026-08-22T03:16:08.605344,15.20984705,.00093868,97.4631,191.9530,127.5134,232.6956,0,U,100000,999,2172,.35009286E-3,.7701E-4,0
BROKEN,2026-067CZ,2026-08-22T03:16:08.605344,fifteen,.00093868,97.4631,191.9530,127.5134,232.6956,0,U,100001,999,2172,.35009286E-3,.7701E-4,0
";

pub(crate) const SATCAT: &str = "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE
ISS (ZARYA),1998-067A,25544,PAY,+,ISS,1998-11-20,TYMSC,,92.9,51.64,422,417,,,EA,ORB
SARAMAGO,2026-067CY,100000,PAY,+,POR,2026-03-01,AFWTR,,94.7,97.46,520,505,,,EA,ORB
";

pub(crate) const GCAT: &str = "#JCAT\tPiece\tName\tUNState\tUNReg
S25544\t1998-067A\tZarya\tRU\tST/SG/SER.E/334
S100000\t2026-067CY\tSaramago\t[P]\t-
";

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "orbitscope failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn catalog_summary_counts_and_names_the_skipped_record() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let satcat = write(dir.path(), "satcat.csv", SATCAT);
    let gcat = write(dir.path(), "psatcat.tsv", GCAT);
    let out = stdout(&orbitscope(&[
        "catalog", "--gp", &gp, "--satcat", &satcat, "--gcat", &gcat,
    ]));
    assert!(out.contains("Objects: 2"), "{out}");
    assert!(out.contains("3 records read, 2 kept, 1 skipped"), "{out}");
    assert!(
        out.contains("SATCAT:       2 of 2 objects (100.0%)"),
        "{out}"
    );
    assert!(out.contains("registered:           1"), "{out}");
    assert!(out.contains("not registered:       1"), "{out}");
    assert!(out.contains("Skipped records: 1"), "{out}");
    assert!(
        out.contains(&format!(
            "{gp}:4 (NORAD 100001) field MEAN_MOTION: not a number"
        )),
        "{out}"
    );
}

#[test]
fn stats_csv_has_the_exact_header_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let satcat = write(dir.path(), "satcat.csv", SATCAT);
    let gcat = write(dir.path(), "psatcat.tsv", GCAT);
    let args = [
        "stats", "--gp", &gp, "--satcat", &satcat, "--gcat", &gcat, "--by", "owner", "--format",
        "csv",
    ];
    let out = stdout(&orbitscope(&args));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "group,objects,payloads,rocket_bodies,debris,unknown_type,registered,not_registered,\
         no_registration_data,payloads_registered,payload_registration_rate,reg_bound_at_launch,\
         owner_ost,owner_reg,label"
    );
    assert_eq!(
        lines[1],
        "ISS,1,1,0,0,0,1,0,0,1,1.0,0,n/a,n/a,International Space Station"
    );
    // Portugal is a party to REG, its date of deposit unknown: not counted as bound at launch.
    assert_eq!(lines[2], "POR,1,1,0,0,0,0,1,0,0,0.0,0,party,party,Portugal");
    assert_eq!(lines.len(), 3);

    let json = stdout(&orbitscope(&[
        "stats",
        "--gp",
        &gp,
        "--by",
        "registration",
        "--format",
        "json",
    ]));
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["group"], "no_registration_data");
    assert_eq!(rows[0]["objects"], 2);
}

/// The gap list from the command line: one row per unregistered payload, the documented
/// columns first, the treaty columns after them; the treaty filters narrow it.
#[test]
fn stats_unregistered_lists_the_gap_with_treaty_columns() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let satcat = write(dir.path(), "satcat.csv", SATCAT);
    let gcat = write(dir.path(), "psatcat.tsv", GCAT);
    let sources = ["--gp", &gp, "--satcat", &satcat, "--gcat", &gcat];
    let gap = |extra: &[&str]| {
        let mut args = vec![
            "stats",
            "--unregistered",
            "--as-of",
            "2026-11-26",
            "--format",
            "csv",
        ];
        args.extend_from_slice(&sources);
        args.extend_from_slice(extra);
        stdout(&orbitscope(&args))
    };
    let out = gap(&[]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("norad_id,object_id,name,owner,launch_date,registration,"),
        "{out}"
    );
    assert!(lines[0].contains(",ost,reg,reg_since,reg_at_launch,treaty_status_as_of,"));
    assert_eq!(lines.len(), 2, "only SARAMAGO is unregistered: {out}");
    assert!(
        lines[1].starts_with(
            "100000,2026-067CY,SARAMAGO,POR,2026-03-01,not-registered,Portugal,state,party,party,,unknown,2026-01-01,270,"
        ),
        "{out}"
    );
    // Portugal's REG date of deposit is not known: "party at launch" cannot pass.
    assert_eq!(gap(&["--party-at-launch", "REG"]).lines().count(), 1);
    assert_eq!(gap(&["--party-to", "reg"]).lines().count(), 2);

    let table = stdout(&orbitscope(
        &[
            &["stats", "--unregistered", "--as-of", "2026-11-26"][..],
            &sources[..],
        ]
        .concat(),
    ));
    assert!(table.contains("treaty status as at 2026-01-01"), "{table}");
    assert!(
        table.contains("party (date of deposit not known)"),
        "{table}"
    );
}

#[test]
fn positions_csv_header_and_one_row_per_object() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let out = stdout(&orbitscope(&[
        "positions",
        "--gp",
        &gp,
        "--at",
        "2026-08-22T12:00:00Z",
        "--format",
        "csv",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "norad_id,object_id,name,lat_deg,lon_deg,alt_km,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s"
    );
    assert_eq!(lines.len(), 3);
    let iss: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(&iss[..3], ["25544", "1998-067A", "ISS (ZARYA)"]);
    let lat: f64 = iss[3].parse().unwrap();
    let lon: f64 = iss[4].parse().unwrap();
    let alt: f64 = iss[5].parse().unwrap();
    assert!(lat.abs() <= 51.7 && (-180.0..180.0).contains(&lon) && (380.0..460.0).contains(&alt));
    assert!(lines[2].starts_with("100000,2026-067CY,SARAMAGO,"));

    let only = stdout(&orbitscope(&[
        "positions",
        "--gp",
        &gp,
        "--at",
        "2026-08-22T12:00:00+02:00",
        "--norad",
        "100000",
        "--format",
        "json",
    ]));
    let rows: serde_json::Value = serde_json::from_str(&only).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["norad_id"], 100_000);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, [0u8, 159, 146, 150, 255, 0, 1]).unwrap();
    let output = orbitscope(&["catalog", "--gp", garbage.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("garbage.bin") && stderr.contains("not UTF-8"),
        "{stderr}"
    );

    let output = orbitscope(&["catalog", "--satcat", "satcat.csv"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no --gp file given"));

    let output = orbitscope(&["catalog", "--gp", "/nonexistent/file.tle"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/file.tle"));

    let output = orbitscope(&[
        "positions",
        "--gp",
        garbage.to_str().unwrap(),
        "--at",
        "yesterday",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"yesterday\" is not a time: write 2026-08-22"),
        "{stderr}"
    );
}

#[test]
fn offline_with_an_empty_cache_explains_itself() {
    let output = orbitscope(&["catalog", "--offline"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no element sets could be loaded"),
        "{stderr}"
    );
    assert!(stderr.contains("--offline forbids downloading"), "{stderr}");
    assert!(
        stderr.contains("holds no element sets yet. Next:"),
        "{stderr}"
    );
    assert!(stderr.contains("orbitscope fetch"), "{stderr}");
}

/// A SATCAT or GCAT file that yields nothing (wrong file, wrong layout) is said on stderr,
/// not shown silently as an all-grey globe.
#[test]
fn a_registration_file_that_yields_nothing_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let not_gcat = write(dir.path(), "psatcat.tsv", SATCAT);
    let output = orbitscope(&["catalog", "--gp", &gp, "--gcat", &not_gcat]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("GCAT TSV {not_gcat} yielded no records")),
        "{stderr}"
    );
    assert!(stderr.contains("not a GCAT psatcat.tsv"), "{stderr}");
}

#[cfg(feature = "gui")]
#[test]
fn shot_refuses_an_unwritable_or_non_png_output_before_rendering() {
    let output = orbitscope(&["shot", "--out", "/nonexistent/dir/frame.png"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/dir is not a directory"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let jpeg = dir.path().join("frame.jpg");
    let output = orbitscope(&["shot", "--out", jpeg.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("must name a .png file"));
}

/// Element sets that used to print rows of `NaN`: a GEO object with an eccentricity of
/// 0.9999999, and a mean motion of 1e308. They are reported as not propagated, with a reason;
/// no row holds a number that is not finite.
#[test]
fn positions_never_prints_nan() {
    let header = OMM_CSV.lines().next().unwrap();
    let goes = "GOES 16,2016-071A,2026-08-22T06:25:38.771904,1.00273215,.0001230,0.4963,85.0062,103.0975,134.1537,0,U,41866,999,3576,0,-.93E-6,0";
    let eccentric = goes
        .replace(",41866,", ",90001,")
        .replace(".0001230", ".9999999");
    let fast = goes
        .replace(",41866,", ",90002,")
        .replace("1.00273215", "1e308");
    let dir = tempfile::tempdir().unwrap();
    let gp = write(
        dir.path(),
        "gp.csv",
        &format!("{header}\n{goes}\n{eccentric}\n{fast}\n"),
    );
    for at in ["2026-08-22T12:00:00Z", "2026-08-25T00:00:00Z"] {
        let output = orbitscope(&["positions", "--gp", &gp, "--at", at]);
        let csv = stdout(&output);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(rows.len(), 1, "{csv}");
        assert!(rows[0].starts_with("41866,"), "{csv}");
        assert!(!csv.to_ascii_lowercase().contains("nan"), "{csv}");
        assert!(!csv.contains("inf"), "{csv}");
        assert!(stderr.contains("NORAD 90001"), "{stderr}");
        assert!(stderr.contains("NORAD 90002"), "{stderr}");
        assert!(
            stderr.contains("2 of 3 objects did not propagate"),
            "{stderr}"
        );
    }
}

/// Owner codes come from the SATCAT file: a quote or a line break in one must not break the
/// `stats` CSV (each row still has the header's fifteen columns and the text survives).
#[test]
fn stats_csv_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let odd_satcat = SATCAT.replace(",ISS,", ",\"IS\"\"S\nX\",");
    let satcat = write(dir.path(), "satcat.csv", &odd_satcat);
    let out = stdout(&orbitscope(&[
        "stats", "--gp", &gp, "--satcat", &satcat, "--by", "owner", "--format", "csv",
    ]));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows.iter().all(|row| row.len() == 15), "{out}");
    assert!(rows.iter().any(|row| &row[0] == "IS\"S\nX"), "{out}");
}

/// The filter flags narrow `stats` and `positions` alike; bad values are refused with the
/// valid ones (or the closest) named.
#[test]
fn filter_flags_on_stats_and_positions() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", OMM_CSV);
    let satcat = write(dir.path(), "satcat.csv", SATCAT);
    let gcat = write(dir.path(), "psatcat.tsv", GCAT);
    let sources = ["--gp", &gp, "--satcat", &satcat, "--gcat", &gcat];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = extra.to_vec();
        args.extend(sources);
        orbitscope(&args)
    };

    let csv = stdout(&run(&[
        "stats",
        "--owner",
        "por",
        "--registration",
        "not-registered",
        "--by",
        "owner",
        "--format",
        "csv",
    ]));
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].starts_with("POR,1,1,0,0,0,0,1,0,"), "{csv}");

    let none = stdout(&run(&[
        "stats",
        "--owner",
        "POR",
        "--registration",
        "registered",
        "--format",
        "csv",
    ]));
    assert_eq!(none.lines().count(), 1, "header only: {none}");

    let positions = stdout(&run(&[
        "positions",
        "--at",
        "2026-08-22T12:00:00Z",
        "--search",
        "1998-067",
    ]));
    let rows: Vec<&str> = positions.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{positions}");
    assert!(rows[0].starts_with("25544,"), "{positions}");
    let leo = stdout(&run(&[
        "positions",
        "--at",
        "2026-08-22T12:00:00Z",
        "--regime",
        "leo",
        "--altitude",
        "500..600",
    ]));
    assert_eq!(
        leo.lines().count(),
        2,
        "only SARAMAGO flies at 500-600 km: {leo}"
    );
    assert!(leo.contains("\n100000,"), "{leo}");

    let typo = run(&["stats", "--owner", "PORX"]);
    assert!(!typo.status.success());
    let stderr = String::from_utf8_lossy(&typo.stderr);
    assert!(
        stderr.contains("unknown owner code \"PORX\"; closest: POR"),
        "{stderr}"
    );
    // The globe takes the same flags, checked before any window opens.
    let globe = run(&["--owner", "PORX"]);
    assert!(!globe.status.success());
    let stderr = String::from_utf8_lossy(&globe.stderr);
    assert!(stderr.contains("unknown owner code \"PORX\""), "{stderr}");
    let bad_regime = run(&["stats", "--regime", "low"]);
    let stderr = String::from_utf8_lossy(&bad_regime.stderr);
    assert!(!bad_regime.status.success());
    assert!(
        stderr.contains("[possible values: leo, meo, geo, heo, other]"),
        "{stderr}"
    );
}

// An index export in the UN's layout. The ISS row is as the register has it; SARAMAGO's state
// of registry is invented (Spain) so that one object is registered by a state other than its
// owner, and the launch-level `2025-155*` row stands for the entries that cannot join.
const UNOOSA_CSV: &str = "Registration Number,International Designator,Object Name,Country of Origin,Date of Launch,Function,Status,Registration Document,UN Registered
-,1998-067A,ISS (ZARYA),Russian Federation,1998-11-20,space station,in orbit,/osoindex/data/documents/ru/st/stsgser.e334.html,T
ES-2026-1,2026-067CY,SARAMAGO,Spain,2026-03-01,earth observation,in orbit,ST/SG/SER.E/1400,T
3820-2025-010,2025-155*,,Russian Federation,2025-08-20,,in orbit,/osoindex/data/documents/ru/st/stsgser.e1301.html,T
";

#[test]
fn the_un_register_questions_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let sources = [
        ("--gp", write(dir.path(), "gp.csv", OMM_CSV)),
        ("--satcat", write(dir.path(), "satcat.csv", SATCAT)),
        ("--gcat", write(dir.path(), "psatcat.tsv", GCAT)),
        ("--unoosa", write(dir.path(), "unoosa.csv", UNOOSA_CSV)),
    ];
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        for (flag, path) in &sources {
            all.extend([*flag, path.as_str()]);
        }
        orbitscope(&all)
    };
    let catalog = stdout(&run(&["catalog"]));
    assert!(
        catalog.contains("GCAT and the UN register (file unoosa.csv) disagree on 1 objects"),
        "{catalog}"
    );
    assert!(
        catalog.contains("100000 2026-067CY") && catalog.contains("[registered or not] UN register: registered by Spain in ST/SG/SER.E/1400 | GCAT: not registered"),
        "{catalog}"
    );
    assert!(
        catalog.contains("(1 UN register entries have no COSPAR id"),
        "{catalog}"
    );

    let elsewhere = stdout(&run(&[
        "stats",
        "--registered-elsewhere",
        "--format",
        "csv",
    ]));
    assert_eq!(
        elsewhere,
        "norad_id,cospar_id,name,owner_code,state_of_registry,registry_code,source\n\
         100000,2026-067CY,SARAMAGO,POR,Spain,SPN,unoosa\n"
    );
    let documents = stdout(&run(&["stats", "--documents", "--format", "csv"]));
    assert!(
        documents.contains(
            "25544,1998-067A,ISS (ZARYA),ISS,Russian Federation,ST/SG/SER.E/334,according to the UN register (file unoosa.csv)"
        ),
        "{documents}"
    );
    let coverage = stdout(&run(&["stats", "--register-coverage", "--format", "csv"]));
    assert!(coverage.starts_with("owner,register_entries,register_in_catalog,register_in_satcat_only,register_unknown_to_catalog,register_without_cospar,catalog_objects,catalog_not_in_register\n"), "{coverage}");
    assert!(coverage.contains("\nCIS,2,1,0,0,1,0,0\n"), "{coverage}");
    assert!(
        coverage.contains("\nPOR,0,0,0,0,0,1,0\nSPN,1,1,0,0,0,0,0\n"),
        "{coverage}"
    );

    // Without a register, the coverage question says what to do.
    let output = orbitscope(&["stats", "--register-coverage", "--gp", &sources[0].1]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("orbitscope fetch --unoosa"));
}
