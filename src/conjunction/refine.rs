//! The exact stage: a candidate's time of closest approach on exact SGP4, its miss distance,
//! relative speed and the miss in the first object's radial / in-track / cross-track frame.

use glam::DVec3;

use crate::orbit::{BatchPropagator, Failure, Instant};

/// Earth's gravitational parameter (km³/s²), for the two-body relative acceleration that
/// Newton's step uses as the derivative (only the step's length depends on it, not the root).
const MU_KM3_S2: f64 = 398_600.8;

/// TCA is refined until Newton's step is below this (s).
const TIME_TOLERANCE_S: f64 = 1e-6;

/// Exact states of the screening's participants.
pub trait ExactStates: Sync {
    /// TEME position (km) and velocity (km/s) of participant `slot` at `at`.
    fn state(&self, slot: usize, at: Instant) -> Result<(DVec3, DVec3), Failure>;
}

impl ExactStates for BatchPropagator {
    fn state(&self, slot: usize, at: Instant) -> Result<(DVec3, DVec3), Failure> {
        self.propagate_one(slot, at)
            .map(|(position, velocity)| (DVec3::from(position), DVec3::from(velocity)))
    }
}

/// One local minimum of the distance between two participants, on exact SGP4.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Approach {
    pub first: u32,
    pub second: u32,
    /// Seconds from the start of the screening.
    pub time_s: f64,
    pub miss_km: f64,
    pub speed_km_s: f64,
    /// The miss vector (second − first) in the first object's frame: radial, in-track,
    /// cross-track (km).
    pub radial_km: f64,
    pub in_track_km: f64,
    pub cross_track_km: f64,
    /// Where the first object is at the TCA (TEME, km): where the event happens.
    pub first_position_km: [f64; 3],
}

/// The relative state (second − first) at `time_s` from `start`.
fn relative(
    states: &dyn ExactStates,
    first: usize,
    second: usize,
    start: Instant,
    time_s: f64,
) -> Option<((DVec3, DVec3), (DVec3, DVec3))> {
    let at = start.plus_minutes(time_s / 60.0);
    let a = states.state(first, at).ok()?;
    let b = states.state(second, at).ok()?;
    Some((a, b))
}

/// The distance between two participants at `time_s` (None where either fails).
pub fn distance_at(
    states: &dyn ExactStates,
    first: usize,
    second: usize,
    start: Instant,
    time_s: f64,
) -> Option<f64> {
    let ((ra, _), (rb, _)) = relative(states, first, second, start, time_s)?;
    Some((rb - ra).length())
}

/// Refines the interpolated minimum at `guess_s` into the exact local minimum nearby, searched
/// within `search_s` seconds of the guess. None where SGP4 fails there or the minimum found lies
/// outside the search window.
pub fn refine(
    states: &dyn ExactStates,
    first: u32,
    second: u32,
    start: Instant,
    guess_s: f64,
    search_s: f64,
) -> Option<Approach> {
    let (a, b) = (first as usize, second as usize);
    let low = guess_s - search_s;
    let high = guess_s + search_s;
    let mut time = guess_s;
    let mut converged = false;
    // Newton on g(t) = Δr·Δv, whose root is the minimum; g' = |Δv|² + Δr·Δa, with the
    // two-body Δa (the derivative only scales the step: the root is exact SGP4's).
    for _ in 0..30 {
        let ((ra, va), (rb, vb)) = relative(states, a, b, start, time)?;
        let dr = rb - ra;
        let dv = vb - va;
        let da = -MU_KM3_S2 * (rb / rb.length().powi(3) - ra / ra.length().powi(3));
        let slope = dv.length_squared() + dr.dot(da);
        if slope <= 0.0 || !slope.is_finite() {
            break;
        }
        let step = (-dr.dot(dv) / slope).clamp(-search_s, search_s);
        time += step;
        if !(low..=high).contains(&time) {
            break;
        }
        if step.abs() < TIME_TOLERANCE_S {
            converged = true;
            break;
        }
    }
    if !converged {
        time = golden_section(states, a, b, start, low, high)?;
        if time - low < 1e-3 || high - time < 1e-3 {
            // The minimum of the window is at its edge: not a local minimum in it.
            return None;
        }
    }
    // SGP4's velocity is not exactly the derivative of its position (see hermite.rs): for a
    // slow pair that shifts the root of Δr·Δv by up to a fraction of a second. The minimum of
    // the distance itself is the vertex of |Δr|², quadratic to high accuracy over ±1 s.
    time = parabola_vertex(states, a, b, start, time, 1.0)?;
    let ((ra, va), (rb, vb)) = relative(states, a, b, start, time)?;
    let dr = rb - ra;
    let radial = ra.normalize();
    let cross = ra.cross(va).normalize();
    let in_track = cross.cross(radial);
    Some(Approach {
        first,
        second,
        time_s: time,
        miss_km: dr.length(),
        speed_km_s: (vb - va).length(),
        radial_km: dr.dot(radial),
        in_track_km: dr.dot(in_track),
        cross_track_km: dr.dot(cross),
        first_position_km: ra.to_array(),
    })
}

/// The vertex of the parabola through |Δr|² at `time` and `time ± half_width`, where that is a
/// minimum within the samples; `time` otherwise.
fn parabola_vertex(
    states: &dyn ExactStates,
    a: usize,
    b: usize,
    start: Instant,
    time: f64,
    half_width: f64,
) -> Option<f64> {
    let squared = |t: f64| distance_at(states, a, b, start, t).map(|d| d * d);
    let (before, middle, after) = (
        squared(time - half_width)?,
        squared(time)?,
        squared(time + half_width)?,
    );
    let curvature = before - 2.0 * middle + after;
    if curvature <= 0.0 {
        return Some(time);
    }
    let offset = half_width * (before - after) / (2.0 * curvature);
    Some(if offset.abs() <= half_width {
        time + offset
    } else {
        time
    })
}

/// The time of the smallest distance in `[low, high]` by golden-section search (for pairs
/// whose relative speed is too small for Newton's step: objects flying in formation).
fn golden_section(
    states: &dyn ExactStates,
    a: usize,
    b: usize,
    start: Instant,
    mut low: f64,
    mut high: f64,
) -> Option<f64> {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut left = high - ratio * (high - low);
    let mut right = low + ratio * (high - low);
    let mut left_value = distance_at(states, a, b, start, left)?;
    let mut right_value = distance_at(states, a, b, start, right)?;
    while high - low > TIME_TOLERANCE_S * 10.0 {
        if left_value < right_value {
            high = right;
            right = left;
            right_value = left_value;
            left = high - ratio * (high - low);
            left_value = distance_at(states, a, b, start, left)?;
        } else {
            low = left;
            left = right;
            left_value = right_value;
            right = low + ratio * (high - low);
            right_value = distance_at(states, a, b, start, right)?;
        }
    }
    Some(0.5 * (low + high))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two objects on straight lines (a stand-in for SGP4 that makes the answer exact).
    struct Lines {
        start: Instant,
        lines: Vec<(DVec3, DVec3)>,
    }

    impl ExactStates for Lines {
        fn state(&self, slot: usize, at: Instant) -> Result<(DVec3, DVec3), Failure> {
            let t = at.minutes_since(self.start) * 60.0;
            let (origin, velocity) = self.lines[slot];
            Ok((origin + velocity * t, velocity))
        }
    }

    #[test]
    fn crossing_at_fifteen_km_per_second_is_refined_exactly() {
        let start = Instant {
            seconds: 1_700_000_000,
            nanos: 0,
        };
        // Both 7000 km from the centre at t = 100 s, crossing head-on-ish, 1.2 km apart.
        let at_tca_a = DVec3::new(7000.0, 0.0, 0.0);
        let at_tca_b = DVec3::new(7000.0, 1.2, 0.0);
        let va = DVec3::new(0.0, 0.0, 7.5);
        let vb = DVec3::new(0.0, 0.0, -7.5);
        let states = Lines {
            start,
            lines: vec![(at_tca_a - va * 100.0, va), (at_tca_b - vb * 100.0, vb)],
        };
        let approach = refine(&states, 0, 1, start, 100.4, 60.0).unwrap();
        assert!((approach.time_s - 100.0).abs() < 1e-5, "{approach:?}");
        assert!((approach.miss_km - 1.2).abs() < 1e-9);
        assert!((approach.speed_km_s - 15.0).abs() < 1e-9);
        // The miss is along +y: the in-track direction of an object at +x moving along +z is +z,
        // the cross-track is r × v = −y.
        assert!(approach.radial_km.abs() < 1e-9);
        assert!((approach.cross_track_km + 1.2).abs() < 1e-9, "{approach:?}");
    }

    #[test]
    fn a_pair_flying_in_formation_is_refined() {
        let start = Instant {
            seconds: 1_700_000_000,
            nanos: 0,
        };
        let v = DVec3::new(0.0, 7.5, 0.0);
        // Relative velocity 1 mm/s: Newton's slope is tiny but positive; still exact.
        let states = Lines {
            start,
            lines: vec![
                (DVec3::new(7000.0, 0.0, 0.0), v),
                (
                    DVec3::new(7000.0, 0.0, 0.5) - DVec3::new(0.0, 0.001, 0.0) * 30.0,
                    v + DVec3::new(0.0, 0.001, 0.0),
                ),
            ],
        };
        let approach = refine(&states, 0, 1, start, 20.0, 60.0).unwrap();
        assert!((approach.time_s - 30.0).abs() < 1e-3, "{approach:?}");
        assert!((approach.miss_km - 0.5).abs() < 1e-9);
    }

    #[test]
    fn a_minimum_outside_the_window_is_not_reported() {
        let start = Instant {
            seconds: 1_700_000_000,
            nanos: 0,
        };
        let states = Lines {
            start,
            lines: vec![
                (DVec3::new(7000.0, 0.0, 0.0), DVec3::ZERO),
                (
                    DVec3::new(7000.0, 1.0, -7.5 * 500.0),
                    DVec3::new(0.0, 0.0, 7.5),
                ),
            ],
        };
        assert_eq!(refine(&states, 0, 1, start, 100.0, 60.0), None);
    }
}
