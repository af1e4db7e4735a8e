//! Orbit paths (inertial, one period) and ground tracks for a selected object.

use glam::DVec3;

use super::batch::BatchPropagator;
use super::frames::{Geodetic, ecef_to_geodetic, teme_to_ecef};
use super::time::{Instant, gmst_rad};

/// Orbital period from the mean motion (rev/day), minutes.
pub fn period_minutes(mean_motion_rev_per_day: f64) -> f64 {
    1440.0 / mean_motion_rev_per_day
}

/// `samples + 1` TEME positions (km) over one period starting at `start`; points where SGP4
/// fails are left out.
pub fn orbit_path_teme(
    propagator: &BatchPropagator,
    index: usize,
    start: Instant,
    period_min: f64,
    samples: usize,
) -> Vec<DVec3> {
    let samples = samples.max(2);
    (0..=samples)
        .filter_map(|step| {
            let at = start.plus_minutes(period_min * step as f64 / samples as f64);
            propagator
                .propagate_one(index, at)
                .ok()
                .map(|(position, _)| DVec3::from_array(position))
        })
        .collect()
}

/// Ground track: sub-satellite points from `start` over `duration_min`, each rotated by the
/// sidereal time of its own instant.
pub fn ground_track(
    propagator: &BatchPropagator,
    index: usize,
    start: Instant,
    duration_min: f64,
    samples: usize,
) -> Vec<(Instant, Geodetic)> {
    let samples = samples.max(2);
    (0..=samples)
        .filter_map(|step| {
            let at = start.plus_minutes(duration_min * step as f64 / samples as f64);
            let (position, _) = propagator.propagate_one(index, at).ok()?;
            let ecef = teme_to_ecef(DVec3::from_array(position), gmst_rad(at));
            Some((at, ecef_to_geodetic(ecef)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::PropagationMode;

    #[test]
    fn an_orbit_path_closes_after_one_period() {
        let iss = sgp4::Elements::from_tle(
            None,
            b"1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994",
            b"2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085",
        )
        .unwrap();
        let propagator = BatchPropagator::new([&iss], PropagationMode::Improved);
        let start = Instant::from_naive_utc(&iss.datetime);
        let path = orbit_path_teme(&propagator, 0, start, period_minutes(iss.mean_motion), 90);
        assert_eq!(path.len(), 91);
        // SGP4's mean motion is the Kozai one and J2 moves the node: closes within ~tens of km.
        assert!(
            (path[0] - path[90]).length() < 60.0,
            "{}",
            (path[0] - path[90]).length()
        );
        let track = ground_track(&propagator, 0, start, 92.0, 92);
        assert!(
            track
                .iter()
                .all(|(_, g)| g.latitude_deg().abs() <= 51.7 + 0.3)
        );
        assert!(
            track
                .iter()
                .all(|(_, g)| (400.0..440.0).contains(&g.altitude_km))
        );
    }
}
