//! The closest approach of one named pair near a given time: what a scenario that names a
//! conjunction shows, found again on whatever element sets are loaded (fresh data moves the
//! time of closest approach by seconds a day, and the miss by up to kilometres).

use super::refine::{Approach, ExactStates, distance_at, refine};
use crate::catalog::{Catalog, NoradId};
use crate::orbit::{BatchPropagator, Instant, PropagationMode};

/// The sampling step of the search (s). The distance of a passing pair is unimodal over far
/// longer than this around its minimum (a flyby's |Δr| is close to √(d² + v²t²)), so the
/// smallest sample lies within one step of the minimum and refinement within two finds it.
const SAMPLE_S: f64 = 5.0;

/// The deepest minimum of the distance between `first` and `second` within `within_s` seconds
/// of `near` (the returned `time_s` counts from `near`). An error says why there is none: SGP4
/// fails for either object there, or the distance still falls at the window's edge (the pair's
/// closest approach lies outside it).
pub fn closest_approach_near(
    states: &dyn ExactStates,
    first: usize,
    second: usize,
    near: Instant,
    within_s: f64,
) -> Result<Approach, String> {
    let steps = (within_s / SAMPLE_S).ceil().max(1.0) as i64;
    let mut best: Option<(i64, f64)> = None;
    let mut failed = 0;
    for step in -steps..=steps {
        match distance_at(states, first, second, near, step as f64 * SAMPLE_S) {
            Some(distance) if best.is_none_or(|(_, least)| distance < least) => {
                best = Some((step, distance));
            }
            Some(_) => {}
            None => failed += 1,
        }
    }
    let minutes = within_s / 60.0;
    let near_utc = near.to_utc().format("%Y-%m-%dT%H:%M:%SZ");
    let Some((step, _)) = best else {
        return Err(format!(
            "SGP4 cannot propagate the pair within {minutes} min of {near_utc}"
        ));
    };
    if step.abs() == steps {
        return Err(format!(
            "the pair's distance is still falling {minutes} min from {near_utc}: their closest \
             approach is outside the window"
        ));
    }
    let guess = step as f64 * SAMPLE_S;
    let (a, b) = (first as u32, second as u32);
    refine(states, a, b, near, guess, 2.0 * SAMPLE_S).ok_or_else(|| {
        let near_utc = near.to_utc().format("%Y-%m-%dT%H:%M:%SZ");
        let gaps = if failed > 0 {
            format!(" ({failed} of {} samples failed)", 2 * steps + 1)
        } else {
            String::new()
        };
        format!("the closest approach near {near_utc} could not be refined{gaps}")
    })
}

/// A named pair found in a catalog, with its closest approach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocatedPair {
    /// Catalog rows of the two objects.
    pub first: usize,
    pub second: usize,
    /// The time of closest approach.
    pub tca: Instant,
    pub approach: Approach,
}

/// The closest approach of the objects `pair` names, within `within_s` seconds of `near`, on
/// the catalog's element sets (the screening's mode, Vallado's improved one).
pub fn locate_pair(
    catalog: &Catalog,
    pair: [NoradId; 2],
    near: Instant,
    within_s: f64,
) -> Result<LocatedPair, String> {
    let row = |norad: NoradId| {
        catalog
            .index_of(norad)
            .ok_or_else(|| format!("object {norad} of the close approach is not in the catalog"))
    };
    let (first, second) = (row(pair[0])?, row(pair[1])?);
    let elements = [first, second].map(|index| &catalog.objects[index].elements);
    let propagator = BatchPropagator::new(elements, PropagationMode::Improved);
    let approach = closest_approach_near(&propagator, 0, 1, near, within_s)
        .map_err(|why| format!("objects {} and {}: {why}", pair[0], pair[1]))?;
    Ok(LocatedPair {
        first,
        second,
        tca: near.plus_minutes(approach.time_s / 60.0),
        approach,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::test_sets::tle;
    use crate::orbit::{BatchPropagator, PropagationMode};

    /// The ISS, and a copy of it with its plane turned by 0.3°: the two meet at the nodes.
    fn crossing_pair() -> (sgp4::Elements, sgp4::Elements) {
        let iss = tle(
            "1 25544U 98067A   19079.50000000  .00001264  00000-0  27215-4 0  9995",
            "2 25544  51.6418 334.2180 0004037 163.3307 278.1735 15.52502566161429",
        );
        let mut other = iss.clone();
        other.norad_id = 99_999;
        other.inclination += 0.3;
        (iss, other)
    }

    /// The distance on the sgp4 crate (a path independent of the kernel's).
    fn reference_distance(a: &sgp4::Elements, b: &sgp4::Elements, minutes: f64) -> f64 {
        let position = |elements: &sgp4::Elements| {
            let constants = sgp4::Constants::from_elements(elements).unwrap();
            let prediction = constants
                .propagate(sgp4::MinutesSinceEpoch(minutes))
                .unwrap();
            glam::DVec3::from(prediction.position)
        };
        (position(b) - position(a)).length()
    }

    /// Found from a time minutes away, the minimum is the one a dense scan of the sgp4 crate
    /// finds (every 0.1 s, then golden-section below a millisecond).
    #[test]
    fn finds_the_minimum_a_dense_scan_finds_from_minutes_away() {
        let (iss, other) = crossing_pair();
        let propagator = BatchPropagator::new([&iss, &other], PropagationMode::Improved);
        let epoch = Instant::from_naive_utc(&iss.datetime);
        let distance = |seconds: f64| reference_distance(&iss, &other, seconds / 60.0);
        let (mut best_t, mut best_d) = (0.0, f64::MAX);
        for tenth in 0..18_000 {
            let t = f64::from(tenth) * 0.1;
            let d = distance(t);
            if d < best_d {
                (best_t, best_d) = (t, d);
            }
        }
        let (mut low, mut high) = (best_t - 0.1, best_t + 0.1);
        while high - low > 1e-5 {
            let (m1, m2) = (low + (high - low) / 3.0, high - (high - low) / 3.0);
            if distance(m1) < distance(m2) {
                high = m2;
            } else {
                low = m1;
            }
        }
        let (best_t, best_d) = ((low + high) / 2.0, distance((low + high) / 2.0));
        assert!(
            best_t > 60.0 && best_t < 1_740.0,
            "minimum inside the scan: {best_t}"
        );

        let near = epoch.plus_minutes((best_t + 240.0) / 60.0);
        let found = closest_approach_near(&propagator, 0, 1, near, 600.0).unwrap();
        let tca = near.plus_minutes(found.time_s / 60.0);
        let offset_s = tca.minutes_since(epoch) * 60.0 - best_t;
        assert!(offset_s.abs() < 0.01, "TCA off by {offset_s} s");
        assert!(
            (found.miss_km - best_d).abs() < 0.01,
            "{} vs {best_d}",
            found.miss_km
        );
    }

    /// A window that ends before the approach says so instead of returning its edge.
    #[test]
    fn a_window_without_the_minimum_is_an_error_naming_why() {
        let (iss, other) = crossing_pair();
        let propagator = BatchPropagator::new([&iss, &other], PropagationMode::Improved);
        let epoch = Instant::from_naive_utc(&iss.datetime);
        let found =
            closest_approach_near(&propagator, 0, 1, epoch.plus_minutes(25.0), 600.0).unwrap();
        let tca = epoch.plus_minutes(25.0 + found.time_s / 60.0);
        // Ten minutes after the TCA, with a one-minute window, the pair only separates.
        let error =
            closest_approach_near(&propagator, 0, 1, tca.plus_minutes(10.0), 60.0).unwrap_err();
        assert!(error.contains("outside the window"), "{error}");
    }
}
