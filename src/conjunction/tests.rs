//! The screening against the brute-force oracle (`dense.rs`) on orbits built to meet: head-on
//! crossings at 15 km/s, co-planar overtaking at metres per second, GEO neighbours, a Molniya
//! pair meeting near perigee, and a pair in formation (persistent).

use sgp4::Elements;

use crate::orbit::test_sets::{goes_16, molniya, tle};

use super::dense::{DenseMinimum, dense_minima};
use super::*;

fn iss() -> Elements {
    tle(
        "1 25544U 98067A   26234.04909235  .00009068  00000+0  16914-3 0  9995",
        "2 25544  51.6330 334.1166 0007690  71.1509 289.0313 15.49562116581964",
    )
}

fn copy(base: &Elements, norad_id: u64, change: impl FnOnce(&mut Elements)) -> Elements {
    let mut elements = base.clone();
    elements.norad_id = norad_id;
    change(&mut elements);
    elements
}

/// Screens `objects` all against all and checks the result against the oracle: every oracle
/// minimum found (TCA within 10 ms, miss within 10 m) and no event the oracle lacks.
fn agrees_with_oracle(objects: &[Elements], span_s: f64, threshold_km: f64) -> Screening {
    let elements: Vec<&Elements> = objects.iter().collect();
    let primary = vec![true; objects.len()];
    let start = Instant::from_naive_utc(&objects[0].datetime).plus_minutes(30.0);
    let request = ScreeningRequest {
        start,
        span_s,
        threshold_km,
    };
    let screening = screen(&elements, &primary, &request, &Progress::default()).unwrap();
    let oracle = dense_minima(&elements, &primary, start, span_s, threshold_km);
    assert_matches(&screening.approaches, &oracle, threshold_km);
    screening
}

fn assert_matches(approaches: &[Approach], oracle: &[DenseMinimum], threshold_km: f64) {
    for minimum in oracle {
        // A minimum a hair under the threshold may be a hair over it on the other path.
        if minimum.miss_km > threshold_km - 0.01 {
            continue;
        }
        let found = approaches.iter().find(|approach| {
            (approach.first as usize, approach.second as usize) == (minimum.first, minimum.second)
                && (approach.time_s - minimum.time_s).abs() < 0.5
        });
        let approach = found.unwrap_or_else(|| panic!("missed {minimum:?}"));
        // For a pair drifting past at centimetres per second the minimum is so flat that the
        // two TCAs may differ by more than 10 ms while the positions at both differ by less
        // than a metre: that is agreement.
        let offset_s = (approach.time_s - minimum.time_s).abs();
        assert!(
            offset_s < 0.01 || offset_s * approach.speed_km_s < 0.001,
            "TCA {approach:?} vs {minimum:?}"
        );
        assert!(
            (approach.miss_km - minimum.miss_km).abs() < 0.01,
            "miss {approach:?} vs {minimum:?}"
        );
    }
    for approach in approaches {
        if approach.miss_km > threshold_km - 0.01 {
            continue;
        }
        assert!(
            oracle.iter().any(|minimum| {
                (approach.first as usize, approach.second as usize)
                    == (minimum.first, minimum.second)
                    && (approach.time_s - minimum.time_s).abs() < 0.5
            }),
            "the oracle has no {approach:?}"
        );
    }
}

/// A reproducible stream of numbers in [−1, 1).
struct Jitter(u64);

impl Jitter {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 11) as f64 / (1_u64 << 53) as f64) * 2.0 - 1.0
    }
}

/// `count` copies of `base`, each changed by `change` with its own jitter.
fn swarm(
    base: &Elements,
    first_id: u64,
    count: usize,
    jitter: &mut Jitter,
    mut change: impl FnMut(&mut Elements, &mut Jitter),
) -> Vec<Elements> {
    (0..count)
        .map(|k| copy(base, first_id + k as u64, |e| change(e, jitter)))
        .collect()
}

fn retrograde(e: &mut Elements) {
    // The same plane flown the other way: i → 180° − i, Ω → Ω + 180°.
    e.inclination = 180.0 - e.inclination;
    e.right_ascension = (e.right_ascension + 180.0) % 360.0;
    e.argument_of_perigee = 360.0 - e.argument_of_perigee;
}

#[test]
fn head_on_crossings_at_fifteen_km_per_second_are_all_found() {
    let base = iss();
    let mut jitter = Jitter(1);
    let mut objects = swarm(&base, 90_000, 12, &mut jitter, |e, j| {
        e.right_ascension += 0.3 * j.next();
        e.mean_anomaly += 0.3 * j.next();
    });
    objects.extend(swarm(&base, 91_000, 12, &mut jitter, |e, j| {
        retrograde(e);
        e.right_ascension += 0.3 * j.next();
        e.mean_anomaly += 0.3 * j.next();
    }));
    let screening = agrees_with_oracle(&objects, 3.0 * 3600.0, 10.0);
    assert!(
        screening.approaches.len() >= 5,
        "{:?}",
        screening.approaches
    );
    assert!(screening.approaches.iter().any(|a| a.speed_km_s > 15.0));
}

#[test]
fn co_planar_overtaking_at_metres_per_second_is_found() {
    let base = iss();
    let mut jitter = Jitter(2);
    // One plane, a spread of heights (mean motions) and phases: the lower ones overtake.
    let objects = swarm(&base, 90_000, 16, &mut jitter, |e, j| {
        e.mean_motion += 0.004 * j.next();
        e.mean_anomaly += 1.0 * j.next();
    });
    let screening = agrees_with_oracle(&objects, 12.0 * 3600.0, 8.0);
    assert!(
        screening.approaches.len() >= 3,
        "{:?}",
        screening.approaches
    );
    assert!(screening.approaches.iter().any(|a| a.speed_km_s < 0.05));
}

#[test]
fn geo_neighbours_meet_at_their_nodes() {
    let base = goes_16();
    let mut jitter = Jitter(3);
    let objects = swarm(&base, 90_000, 16, &mut jitter, |e, j| {
        e.inclination += 0.005 * j.next();
        e.right_ascension += 0.5 * j.next();
        e.mean_anomaly += 0.01 * j.next();
    });
    let screening = agrees_with_oracle(&objects, 2.0 * 86_400.0, 5.0);
    assert!(
        screening.approaches.len() >= 3,
        "{:?}",
        screening.approaches
    );
}

#[test]
fn molniya_orbits_meeting_near_perigee_are_found() {
    let base = molniya();
    let mut jitter = Jitter(4);
    let objects = swarm(&base, 90_000, 16, &mut jitter, |e, j| {
        e.right_ascension += 0.05 * j.next();
        e.argument_of_perigee += 0.05 * j.next();
        e.mean_anomaly += 0.05 * j.next();
    });
    let screening = agrees_with_oracle(&objects, 24.0 * 3600.0, 5.0);
    assert!(
        screening.approaches.len() >= 3,
        "{:?}",
        screening.approaches
    );
}

#[test]
fn a_pair_in_formation_is_one_persistent_pair() {
    let base = iss();
    // 0.02° of mean anomaly and 0.01° of inclination behind: 2–3 km apart all along.
    let follower = copy(&base, 90_005, |e| {
        e.mean_anomaly -= 0.02;
        e.inclination += 0.01;
    });
    let screening = agrees_with_oracle(&[base, follower], 6.0 * 3600.0, 5.0);
    assert!(
        screening.approaches.len() >= 4,
        "{:?}",
        screening.approaches
    );
    assert_eq!(screening.persistent_pairs, 1);
    assert!(screening.persistent.iter().all(|&p| p));
}

#[test]
fn pairs_without_a_primary_are_not_screened() {
    let base = iss();
    let follower = copy(&base, 90_005, |e| e.mean_anomaly -= 0.02);
    let elements = [&base, &follower];
    let request = ScreeningRequest {
        start: Instant::from_naive_utc(&base.datetime),
        span_s: 2.0 * 3600.0,
        threshold_km: 5.0,
    };
    let none = screen(&elements, &[false, false], &request, &Progress::default()).unwrap();
    assert!(none.approaches.is_empty());
    let one = screen(&elements, &[false, true], &request, &Progress::default()).unwrap();
    assert!(!one.approaches.is_empty());
}

#[test]
fn objects_that_cannot_be_propagated_are_listed_with_their_reason() {
    // Vallado's MINOTAUR R/B decays within the hour.
    let minotaur = tle(
        "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
        "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708",
    );
    let mut broken = iss();
    broken.eccentricity = 1.5;
    let elements = [&minotaur, &broken, &molniya()];
    let request = ScreeningRequest {
        start: Instant::from_naive_utc(&minotaur.datetime),
        span_s: 3.0 * 3600.0,
        threshold_km: 5.0,
    };
    let screening = screen(&elements, &[true; 3], &request, &Progress::default()).unwrap();
    let slots: Vec<u32> = screening.dropouts.iter().map(|d| d.slot).collect();
    assert_eq!(slots, [0, 1]);
    assert!(screening.dropouts[0].time_s > 0.0);
    assert_eq!(screening.dropouts[1].time_s, 0.0);
    assert!(matches!(
        screening.dropouts[1].failure,
        Failure::ElementsRejected(_)
    ));
}

#[test]
fn bad_spans_and_thresholds_are_refused() {
    let start = Instant::from_naive_utc(&iss().datetime);
    for (span_s, threshold_km, word) in [
        (86_400.0, 0.0, "threshold"),
        (86_400.0, f64::NAN, "threshold"),
        (86_400.0, 1000.0, "threshold"),
        (0.0, 5.0, "span"),
        (-3600.0, 5.0, "span"),
        (400.0 * 86_400.0, 5.0, "span"),
    ] {
        let request = ScreeningRequest {
            start,
            span_s,
            threshold_km,
        };
        let error = request.validate().unwrap_err();
        assert!(error.contains(word), "{error}");
    }
}

#[test]
fn a_cancelled_screening_says_so() {
    let base = iss();
    let elements = [&base];
    let progress = Progress::default();
    progress.cancel();
    let request = ScreeningRequest {
        start: Instant::from_naive_utc(&base.datetime),
        span_s: 86_400.0,
        threshold_km: 5.0,
    };
    assert_eq!(
        screen(&elements, &[true], &request, &progress).unwrap_err(),
        Cancelled
    );
}

/// One primary against objects of every kind: the radial pass leaves out exactly what cannot
/// meet it (a shell 60 km up, GEO, and a Molniya orbit whose perigee is 1 900 km up), keeps the
/// crossers and the overtaking object, names the rejected element set, and every event the
/// oracle finds is found.
#[test]
fn one_primary_against_many_keeps_every_object_that_can_meet_it() {
    let base = iss();
    let mut jitter = Jitter(11);
    let mut objects = vec![base.clone()];
    objects.extend(swarm(&base, 91_000, 12, &mut jitter, |e, j| {
        retrograde(e);
        e.right_ascension += 0.3 * j.next();
        e.mean_anomaly += 0.3 * j.next();
    }));
    // Overtaking it in its own plane at metres per second.
    objects.push(copy(&base, 91_500, |e| {
        e.mean_anomaly -= 0.05;
        e.mean_motion += 2e-4;
    }));
    let higher = copy(&base, 92_000, |e| e.mean_motion = 15.2926);
    let mut broken = copy(&base, 92_001, |_| {});
    broken.eccentricity = 1.5;
    objects.extend([higher, goes_16(), molniya(), broken]);
    let elements: Vec<&Elements> = objects.iter().collect();
    let mut primary = vec![false; objects.len()];
    primary[0] = true;
    let start = Instant::from_naive_utc(&base.datetime).plus_minutes(30.0);
    let request = ScreeningRequest {
        start,
        span_s: 3.0 * 3600.0,
        threshold_km: 10.0,
    };
    let screening = screen(&elements, &primary, &request, &Progress::default()).unwrap();
    let valid: Vec<&Elements> = elements[..elements.len() - 1].to_vec();
    let oracle = dense_minima(&valid, &primary[..valid.len()], start, 3.0 * 3600.0, 10.0);
    assert!(oracle.len() >= 2, "the primary meets others: {oracle:?}");
    assert_matches(&screening.approaches, &oracle, 10.0);
    let (kept, _) = bands::kept_by_radius(&elements, &primary, &request, &Progress::default());
    let left_out: Vec<u64> = (0..objects.len())
        .filter(|&slot| !kept[slot])
        .map(|slot| objects[slot].norad_id)
        .collect();
    assert_eq!(left_out, [92_000, 41_866, 8_195, 92_001]);
    assert_eq!(screening.radially_excluded, 4);
    let rejected = objects.len() as u32 - 1;
    assert!(
        screening
            .dropouts
            .iter()
            .any(|dropout| dropout.slot == rejected
                && dropout.time_s == 0.0
                && matches!(dropout.failure, Failure::ElementsRejected(_)))
    );
}
