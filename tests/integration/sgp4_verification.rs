//! Vallado's SGP4 verification set (SGP4-VER.TLE and tcppver.out, as shipped by python-sgp4,
//! copied into tests/data with its licence) through OrbitScope's own TLE parser and batch
//! propagator, at every kernel width.

use orbitscope::catalog::gp::tle::{checksum, parse_tle};
use orbitscope::orbit::{BatchPropagator, Instant, KernelWidth, PropagationMode, StateBuffers};

fn read_verification_file(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sgp4-verification")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// One tabulated state: minutes since epoch, TEME position (km) and velocity (km/s).
struct Row {
    minutes: f64,
    position: [f64; 3],
    velocity: [f64; 3],
}

fn reference_rows() -> Vec<(u64, Vec<Row>)> {
    let text = read_verification_file("tcppver.out");
    let mut satellites: Vec<(u64, Vec<Row>)> = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() == 2 && fields[1] == "xx" {
            satellites.push((fields[0].parse().unwrap(), Vec::new()));
        } else if fields.len() >= 7 {
            let number = |i: usize| fields[i].parse::<f64>().unwrap();
            satellites.last_mut().unwrap().1.push(Row {
                minutes: number(0),
                position: [number(1), number(2), number(3)],
                velocity: [number(4), number(5), number(6)],
            });
        }
    }
    satellites
}

/// The verification TLEs. The three error-code cases (33333–33335) were edited by hand in the
/// file without updating their checksums: the parser must reject exactly those lines, and the
/// test then re-checksums them so that their propagation errors can be checked.
fn verification_tles() -> Vec<sgp4::Elements> {
    let text = read_verification_file("SGP4-VER.TLE");
    let strict = parse_tle(&text, "SGP4-VER.TLE");
    let rejected: Vec<u64> = strict.issues.iter().filter_map(|i| i.norad_id).collect();
    assert_eq!(rejected, [33333, 33334, 33335], "{:?}", strict.issues);
    assert!(
        strict
            .issues
            .iter()
            .all(|i| i.field.as_deref() == Some("checksum"))
    );

    let fixed: String = text
        .lines()
        .map(|line| {
            if (line.starts_with("1 ") || line.starts_with("2 ")) && line.len() >= 69 {
                format!("{}{}{}\n", &line[..68], checksum(line), &line[69..])
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let parsed = parse_tle(&fixed, "SGP4-VER.TLE (re-checksummed)");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    parsed.records
}

/// ARIANE 42P+3 R/B (23599) is in the set to show the Lyddane `atan2` quadrant problem "at >
/// 280.5 min". From 420 min on, the tcppver.out that python-sgp4 2.27 ships (made with
/// Vallado's later code) and the 2006 reference output that the sgp4 crate reproduces differ by
/// up to ~1 km: the two C++ revisions treat the Lyddane branch differently. OrbitScope uses the
/// sgp4 crate unchanged, so here it must equal the crate's published 2006 value at 420 min and
/// stay within 1 km of python-sgp4's.
fn lyddane_exception(row: &Row, states: &StateBuffers) {
    let position = states.positions_km[0];
    if row.minutes == 420.0 {
        let vallado_2006 = [4_083.185_511_80, 22_910.883_068_02, 2_786.356_426_60];
        for (ours, reference) in position.iter().zip(vallado_2006) {
            assert!((ours - reference).abs() < 1e-6, "{position:?}");
        }
    }
    for (ours, reference) in position.iter().zip(row.position) {
        assert!((ours - reference).abs() < 1.0, "t={}", row.minutes);
    }
}

#[test]
fn sgp4_verification_every_tabulated_state_within_tolerance_at_every_kernel_width() {
    for width in KernelWidth::under_test(
        "sgp4_verification_every_tabulated_state_within_tolerance_at_every_kernel_width",
    ) {
        check_verification_set(width);
    }
}

fn check_verification_set(width: KernelWidth) {
    let tles = verification_tles();
    let reference = reference_rows();
    assert_eq!(tles.len(), 33);
    assert_eq!(reference.len(), 33);
    let mut compared = 0;
    let mut failures_seen = Vec::new();
    for (elements, (norad, rows)) in tles.iter().zip(&reference) {
        assert_eq!(elements.norad_id, *norad);
        let mut propagator = BatchPropagator::with_width([elements], PropagationMode::Afspc, width);
        let epoch = Instant::from_naive_utc(&elements.datetime);
        let mut states = StateBuffers::default();
        for row in rows {
            propagator.propagate_into(epoch.plus_minutes(row.minutes), &mut states);
            if *norad == 33334 {
                // tcppver.out prints a stale state when propagation fails at the epoch
                // (mean motion 0.00001 rev/day): the reference C++ flags error 1 here too.
                let failure = states.failures[0].expect("33334 must fail at its epoch");
                failures_seen.push((*norad, failure.vallado_code()));
                continue;
            }
            assert!(
                states.failures[0].is_none(),
                "{norad} at {} min: {:?}",
                row.minutes,
                states.failures[0]
            );
            if *norad == 23599 && row.minutes >= 420.0 {
                lyddane_exception(row, &states);
                continue;
            }
            for axis in 0..3 {
                let dp = (states.positions_km[0][axis] - row.position[axis]).abs();
                let dv = (states.velocities_km_s[0][axis] - row.velocity[axis]).abs();
                assert!(
                    dp < 1e-6,
                    "{width}: {norad} t={} axis {axis}: |Δr| = {dp:e} km",
                    row.minutes
                );
                assert!(
                    dv < 1e-9,
                    "{width}: {norad} t={} axis {axis}: |Δv| = {dv:e} km/s",
                    row.minutes
                );
            }
            compared += 1;
        }
        // Where the reference stops early, the next step must fail with a reason.
        if let [.., last] = rows.as_slice() {
            let step = if rows.len() > 1 {
                rows[1].minutes - rows[0].minutes
            } else {
                1.0
            };
            propagator.propagate_into(epoch.plus_minutes(last.minutes + step), &mut states);
            if let Some(failure) = states.failures[0] {
                failures_seen.push((*norad, failure.vallado_code()));
            }
        }
    }
    assert!(compared >= 650, "{compared} states compared");
    failures_seen.dedup();
    let norads: Vec<u64> = failures_seen.iter().map(|(n, _)| *n).collect();
    for expected in [28872, 29141, 33333, 33334] {
        assert!(
            norads.contains(&expected),
            "{expected} should fail: {failures_seen:?}"
        );
    }
    for (_, code) in &failures_seen {
        assert!([1, 3, 4, 6].contains(code), "{failures_seen:?}");
    }
}
