//! Cubic Hermite interpolation of a trajectory between two samples, the bounds that make the
//! screening's coarse stage safe, and the local minima of an interpolated distance.
//!
//! Between samples at `t₀` and `t₁ = t₀ + h` with positions `r₀, r₁` and velocities `v₀, v₁`,
//! the Hermite cubic is the Bézier curve with control points `r₀`, `r₀ + v₀h/3`, `r₁ − v₁h/3`,
//! `r₁`, and so lies inside their convex hull (a Bézier curve always does). Its error against
//! the true path is at most `h⁴/384 · max|r⁗|` (the classic Hermite remainder), plus what the
//! SGP4 velocity's departure from the exact derivative of SGP4's position adds (at most
//! `h/4 · δv`). [`interpolation_error_bound_km`] bounds both, so that the true path lies within
//! that distance of the hull: the foundation of every filter in `sweep.rs`.

use glam::DVec3;

/// Earth's gravitational parameter (km³/s², WGS-72 as SGP4 uses).
const MU_KM3_S2: f64 = 398_600.8;

/// The smallest radius (km) a propagated state can have: below the Earth's surface SGP4 (and
/// the batch's checks) report a failure, so no interval with such a state is screened.
const MIN_RADIUS_KM: f64 = 6_378.0;

/// A bound on `|r⁗| / (μ²/r⁵)` over any Keplerian orbit. For a circle `|r⁗| = n⁴r = μ²/r⁵`;
/// at the perigee of an orbit with eccentricity near 1 the angular rate is `√2` times the
/// circular rate at that radius, so the fourth derivative grows by up to 4 and the terms of
/// the radial motion add a small factor more: 40 covers the measured worst case (the test
/// `fourth_derivative_bound_holds_for_eccentric_orbits`) with a margin of several times.
const FOURTH_DERIVATIVE_FACTOR: f64 = 40.0;

/// How far SGP4's velocity may differ from the time derivative of its own position (km/s):
/// SGP4 writes the velocity from the osculating elements and leaves out the derivative of the
/// slowly changing secular and long-period terms: about 1 m/s at most for deep-space orbits
/// (`sgp4_velocity_is_the_derivative_of_its_position` measures it); 10 m/s is the margin.
const VELOCITY_INCONSISTENCY_KM_S: f64 = 1e-2;

/// The farthest (km) the true path of any object can be from its Hermite cubic over an interval
/// of `step_s` seconds, doubled for safety.
pub fn interpolation_error_bound_km(step_s: f64) -> f64 {
    let fourth_derivative =
        FOURTH_DERIVATIVE_FACTOR * MU_KM3_S2 * MU_KM3_S2 / MIN_RADIUS_KM.powi(5);
    let hermite = step_s.powi(4) / 384.0 * fourth_derivative;
    let velocity = step_s / 4.0 * VELOCITY_INCONSISTENCY_KM_S;
    2.0 * (hermite + velocity)
}

/// The four Bézier control points of the Hermite cubic over an interval of `step_s` seconds.
pub fn control_points(
    start: DVec3,
    start_velocity: DVec3,
    end: DVec3,
    end_velocity: DVec3,
    step_s: f64,
) -> [DVec3; 4] {
    let third = step_s / 3.0;
    [
        start,
        start + start_velocity * third,
        end - end_velocity * third,
        end,
    ]
}

/// A cubic Bézier curve over τ ∈ [0, 1].
#[derive(Debug, Clone, Copy)]
pub struct Cubic {
    pub points: [DVec3; 4],
}

impl Cubic {
    pub fn at(&self, tau: f64) -> DVec3 {
        let [p0, p1, p2, p3] = self.points;
        let s = 1.0 - tau;
        p0 * (s * s * s)
            + p1 * (3.0 * s * s * tau)
            + p2 * (3.0 * s * tau * tau)
            + p3 * (tau * tau * tau)
    }

    /// d/dτ (per unit τ, not per second).
    pub fn derivative(&self, tau: f64) -> DVec3 {
        let [p0, p1, p2, p3] = self.points;
        let s = 1.0 - tau;
        ((p1 - p0) * (s * s) + (p2 - p1) * (2.0 * s * tau) + (p3 - p2) * (tau * tau)) * 3.0
    }

    /// Half the τ-derivative of the squared norm: zero at every local extremum of |curve|.
    fn radial_rate(&self, tau: f64) -> f64 {
        self.at(tau).dot(self.derivative(tau))
    }

    /// A lower bound on |curve(τ)| over [0, 1]. The curve lies in the hull of its control
    /// points; distance to the chord from `p₀` to `p₃` is convex, so every hull point is within
    /// `max(dist(p₁, chord), dist(p₂, chord))` of the chord, and no nearer the origin than the
    /// chord's distance minus that. Tight for the nearly straight relative paths of a minute.
    pub fn distance_lower_bound(&self) -> f64 {
        let [p0, p1, p2, p3] = self.points;
        let chord = p3 - p0;
        let length_squared = chord.length_squared();
        let distance_to_chord = |point: DVec3| {
            let along = if length_squared > 0.0 {
                ((point - p0).dot(chord) / length_squared).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (p0 + chord * along - point).length()
        };
        distance_to_chord(DVec3::ZERO) - distance_to_chord(p1).max(distance_to_chord(p2))
    }

    /// Every τ in (0, 1] where |curve| has a local minimum, found where the radial rate turns
    /// from negative to non-negative between samples 1/`SUBDIVISIONS` apart, then refined by
    /// bisection. Half-open on the left, so that a minimum exactly at a sample shared by two
    /// consecutive intervals is found in exactly one of them.
    pub fn local_minima(&self, out: &mut Vec<f64>) {
        const SUBDIVISIONS: usize = 16;
        let mut previous_tau = 0.0;
        let mut previous_rate = self.radial_rate(0.0);
        for step in 1..=SUBDIVISIONS {
            let tau = step as f64 / SUBDIVISIONS as f64;
            let rate = self.radial_rate(tau);
            if previous_rate < 0.0 && rate >= 0.0 {
                let (mut low, mut high) = (previous_tau, tau);
                for _ in 0..40 {
                    let middle = 0.5 * (low + high);
                    if self.radial_rate(middle) < 0.0 {
                        low = middle;
                    } else {
                        high = middle;
                    }
                }
                out.push(high);
            }
            previous_tau = tau;
            previous_rate = rate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::{Instant, PropagationMode, ReferencePropagator};

    fn kepler_state(semi_major_km: f64, eccentricity: f64, mean_anomaly: f64) -> (DVec3, DVec3) {
        // Solve Kepler's equation, then the perifocal state.
        let mut e_anomaly = mean_anomaly;
        for _ in 0..50 {
            e_anomaly -= (e_anomaly - eccentricity * e_anomaly.sin() - mean_anomaly)
                / (1.0 - eccentricity * e_anomaly.cos());
        }
        let (sin_e, cos_e) = e_anomaly.sin_cos();
        let n = (MU_KM3_S2 / semi_major_km.powi(3)).sqrt();
        let b = semi_major_km * (1.0 - eccentricity * eccentricity).sqrt();
        let position = DVec3::new(semi_major_km * (cos_e - eccentricity), b * sin_e, 0.0);
        let rate = n / (1.0 - eccentricity * cos_e);
        let velocity = DVec3::new(-semi_major_km * sin_e * rate, b * cos_e * rate, 0.0);
        (position, velocity)
    }

    /// The Hermite cubic stays within the bound of the true Keplerian path for circular and
    /// highly eccentric orbits whose perigee grazes the Earth, at the steps the screening uses.
    #[test]
    fn fourth_derivative_bound_holds_for_eccentric_orbits() {
        for eccentricity in [0.0_f64, 0.1, 0.5, 0.74, 0.9, 0.97] {
            let perigee = 6_480.0_f64;
            let semi_major = perigee / (1.0 - eccentricity);
            let n = (MU_KM3_S2 / semi_major.powi(3)).sqrt();
            for step_s in [30.0, 60.0, 120.0] {
                let bound = interpolation_error_bound_km(step_s);
                let mut worst: f64 = 0.0;
                // Intervals centred around perigee, where the path bends most.
                for offset in -10..10 {
                    let t0 = offset as f64 * step_s * 0.37;
                    let (r0, v0) = kepler_state(semi_major, eccentricity, n * t0);
                    let (r1, v1) = kepler_state(semi_major, eccentricity, n * (t0 + step_s));
                    let cubic = Cubic {
                        points: control_points(r0, v0, r1, v1, step_s),
                    };
                    for k in 0..=32 {
                        let tau = k as f64 / 32.0;
                        let (truth, _) =
                            kepler_state(semi_major, eccentricity, n * (t0 + tau * step_s));
                        worst = worst.max((cubic.at(tau) - truth).length());
                    }
                }
                // The Keplerian part alone must sit well inside the bound (which also carries
                // the velocity margin and a factor of two).
                assert!(
                    worst < 0.5 * bound,
                    "e {eccentricity}, step {step_s} s: error {worst} km, bound {bound} km"
                );
            }
        }
    }

    /// SGP4's velocity agrees with the derivative of its own position to far better than the
    /// margin the bound assumes (a LEO object with strong drag, a GEO and a Molniya orbit).
    #[test]
    fn sgp4_velocity_is_the_derivative_of_its_position() {
        let sets = [
            (
                "1 25544U 98067A   26234.04909235  .00009068  00000+0  16914-3 0  9995",
                "2 25544  51.6330 334.1166 0007690  71.1509 289.0313 15.49562116581964",
            ),
            (
                "1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994",
                "2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767",
            ),
            (
                "1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
                "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656",
            ),
        ];
        for (line1, line2) in sets {
            let elements =
                sgp4::Elements::from_tle(None, line1.as_bytes(), line2.as_bytes()).unwrap();
            let propagator = ReferencePropagator::new(&elements, PropagationMode::Improved);
            let epoch = Instant::from_naive_utc(&elements.datetime);
            let mut worst: f64 = 0.0;
            for minute in (0..2880).step_by(37) {
                let at = epoch.plus_minutes(f64::from(minute));
                let dt = 0.01;
                let (before, _) = propagator.propagate(at.plus_minutes(-dt / 60.0)).unwrap();
                let (after, _) = propagator.propagate(at.plus_minutes(dt / 60.0)).unwrap();
                let (_, velocity) = propagator.propagate(at).unwrap();
                let numeric = (DVec3::from(after) - DVec3::from(before)) / (2.0 * dt);
                worst = worst.max((numeric - DVec3::from(velocity)).length());
            }
            assert!(
                worst < 0.2 * VELOCITY_INCONSISTENCY_KM_S,
                "{}: {worst} km/s",
                elements.norad_id
            );
        }
    }

    #[test]
    fn local_minimum_of_a_straight_fly_by_is_found_where_it_is() {
        // Relative motion on a straight line passing 3 km from the origin at τ = 0.3.
        let closest = DVec3::new(0.0, 3.0, 0.0);
        let velocity = DVec3::new(10.0, 0.0, 0.0);
        let step = 60.0;
        let start = closest - velocity * (0.3 * step);
        let end = closest + velocity * (0.7 * step);
        let cubic = Cubic {
            points: control_points(start, velocity, end, velocity, step),
        };
        let mut minima = Vec::new();
        cubic.local_minima(&mut minima);
        assert_eq!(minima.len(), 1);
        assert!((minima[0] - 0.3).abs() < 1e-9, "{minima:?}");
        assert!((cubic.at(minima[0]).length() - 3.0).abs() < 1e-9);
        assert!(cubic.distance_lower_bound() <= 3.0 + 1e-9);
    }

    #[test]
    fn a_receding_pair_has_no_minimum_inside_the_interval() {
        let velocity = DVec3::new(10.0, 0.0, 0.0);
        let start = DVec3::new(1.0, 2.0, 0.0);
        let cubic = Cubic {
            points: control_points(start, velocity, start + velocity * 60.0, velocity, 60.0),
        };
        let mut minima = Vec::new();
        cubic.local_minima(&mut minima);
        assert!(minima.is_empty(), "{minima:?}");
    }

    /// The lower bound never exceeds the true minimum distance (random curves).
    #[test]
    fn distance_lower_bound_is_a_lower_bound() {
        let mut seed = 12345_u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 11) as f64 / (1u64 << 53) as f64) * 200.0 - 100.0
        };
        for _ in 0..2000 {
            let points = [0; 4].map(|_| DVec3::new(next(), next(), next()));
            let cubic = Cubic { points };
            let true_min = (0..=2000)
                .map(|k| cubic.at(f64::from(k) / 2000.0).length())
                .fold(f64::INFINITY, f64::min);
            assert!(cubic.distance_lower_bound() <= true_min + 1e-9);
        }
    }
}
