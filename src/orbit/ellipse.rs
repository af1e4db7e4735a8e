//! The osculating (two-body) ellipse of a state vector: the orbit an object would fly if the
//! Earth were a point mass from this instant on. SGP4's orbit is not a fixed ellipse — J2
//! turns the node (ISS: −5° a day) and the perigee, and short-period terms bend the path by
//! a few km — so a drawn ellipse is exact at the instant it was taken and drifts after; the
//! app refreshes it as the clock moves.

use glam::DVec3;

/// The gravitational parameter SGP4 flies with (WGS-72), km³/s²: the same μ keeps the ellipse
/// consistent with the propagator's own mean motion.
pub const MU_KM3_S2: f64 = 398_600.8;

/// Eccentricities at or above this are not drawn as ellipses (parabolic or hyperbolic states,
/// which SGP4 produces only for broken element sets).
pub const MAX_ELLIPSE_ECCENTRICITY: f64 = 0.999;

/// An osculating ellipse, in the frame of the state it was made from (TEME for SGP4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OsculatingEllipse {
    pub semi_major_axis_km: f64,
    pub eccentricity: f64,
    /// Unit vector from the Earth's centre towards perigee (for a circle: towards the state).
    pub periapsis: DVec3,
    /// Unit vector 90° ahead of `periapsis` in the direction of motion.
    pub ahead: DVec3,
    /// True anomaly of the state the ellipse was made from, radians in [0, 2π).
    pub true_anomaly_rad: f64,
}

impl OsculatingEllipse {
    /// The ellipse through `position_km` with `velocity_km_s`, or `None` for a state that is
    /// not on a closed orbit (radial, parabolic, hyperbolic, or degenerate).
    pub fn from_state(position_km: DVec3, velocity_km_s: DVec3) -> Option<Self> {
        let r = position_km.length();
        let momentum = position_km.cross(velocity_km_s);
        let h = momentum.length();
        if !(r > 0.0 && h > 1e-9 * r * velocity_km_s.length().max(1e-12)) {
            return None;
        }
        // Vis-viva: 1/a = 2/r − v²/μ; a closed orbit has a > 0.
        let inverse_a = 2.0 / r - velocity_km_s.length_squared() / MU_KM3_S2;
        if !(inverse_a > 0.0 && inverse_a.is_finite()) {
            return None;
        }
        let eccentricity_vector = velocity_km_s.cross(momentum) / MU_KM3_S2 - position_km / r;
        let eccentricity = eccentricity_vector.length();
        // NaN fails this too.
        if eccentricity.is_nan() || eccentricity >= MAX_ELLIPSE_ECCENTRICITY {
            return None;
        }
        let normal = momentum / h;
        // Below ~1e-10 the perigee direction is noise: any direction in the plane describes
        // the same circle, so take the state's own.
        let periapsis = if eccentricity > 1e-10 {
            eccentricity_vector / eccentricity
        } else {
            position_km / r
        };
        let ahead = normal.cross(periapsis);
        let true_anomaly_rad = position_km
            .dot(ahead)
            .atan2(position_km.dot(periapsis))
            .rem_euclid(std::f64::consts::TAU);
        Some(Self {
            semi_major_axis_km: 1.0 / inverse_a,
            eccentricity,
            periapsis,
            ahead,
            true_anomaly_rad,
        })
    }

    pub fn semi_minor_axis_km(&self) -> f64 {
        self.semi_major_axis_km * (1.0 - self.eccentricity * self.eccentricity).sqrt()
    }

    /// The ellipse's centre (the Earth's centre is its focus).
    pub fn centre_km(&self) -> DVec3 {
        -self.periapsis * self.semi_major_axis_km * self.eccentricity
    }

    /// The point at eccentric anomaly `e_rad`: centre + a·cos E·P + b·sin E·Q.
    pub fn point_at_eccentric_anomaly(&self, e_rad: f64) -> DVec3 {
        self.centre_km()
            + self.periapsis * (self.semi_major_axis_km * e_rad.cos())
            + self.ahead * (self.semi_minor_axis_km() * e_rad.sin())
    }

    /// Position and velocity at true anomaly `nu_rad` (the inverse of [`Self::from_state`]
    /// at the state's own anomaly).
    pub fn state_at_true_anomaly(&self, nu_rad: f64) -> (DVec3, DVec3) {
        let e = self.eccentricity;
        let p = self.semi_major_axis_km * (1.0 - e * e);
        let r = p / (1.0 + e * nu_rad.cos());
        let position = (self.periapsis * nu_rad.cos() + self.ahead * nu_rad.sin()) * r;
        let speed = (MU_KM3_S2 / p).sqrt();
        let velocity = (self.periapsis * -nu_rad.sin() + self.ahead * (e + nu_rad.cos())) * speed;
        (position, velocity)
    }

    /// The shortest distance from `point_km` to the ellipse (km), by a coarse scan in
    /// eccentric anomaly refined by golden-section search: for tests and accuracy checks.
    pub fn distance_km(&self, point_km: DVec3) -> f64 {
        const SCAN: usize = 720;
        let distance = |e_rad: f64| (self.point_at_eccentric_anomaly(e_rad) - point_km).length();
        let step = std::f64::consts::TAU / SCAN as f64;
        let best = (0..SCAN)
            .map(|i| i as f64 * step)
            .min_by(|a, b| distance(*a).total_cmp(&distance(*b)))
            .unwrap_or(0.0);
        let (mut low, mut high) = (best - step, best + step);
        let ratio = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..80 {
            let left = high - ratio * (high - low);
            let right = low + ratio * (high - low);
            if distance(left) < distance(right) {
                high = right;
            } else {
                low = left;
            }
        }
        distance((low + high) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{FRAC_PI_2, PI};

    #[test]
    fn a_circular_equatorial_state_is_a_circle_of_its_radius() {
        let r = 7000.0;
        let v = (MU_KM3_S2 / r).sqrt();
        let ellipse =
            OsculatingEllipse::from_state(DVec3::new(r, 0.0, 0.0), DVec3::new(0.0, v, 0.0))
                .unwrap();
        assert!((ellipse.semi_major_axis_km - r).abs() < 1e-6);
        assert!(ellipse.eccentricity < 1e-12);
        assert!((ellipse.ahead - DVec3::Y).length() < 1e-12);
        for step in 0..8 {
            let point = ellipse.point_at_eccentric_anomaly(step as f64 * PI / 4.0);
            assert!((point.length() - r).abs() < 1e-6);
            assert!(point.z.abs() < 1e-9);
        }
    }

    #[test]
    fn a_known_ellipse_from_perigee_has_its_closed_form_elements() {
        // Perigee 7 000 km, apogee 21 000 km: a = 14 000 km, e = 0.5, in the x–z plane.
        let (rp, ra) = (7000.0, 21_000.0);
        let a = (rp + ra) / 2.0;
        let speed_at_perigee = (MU_KM3_S2 * (2.0 / rp - 1.0 / a)).sqrt();
        let ellipse = OsculatingEllipse::from_state(
            DVec3::new(rp, 0.0, 0.0),
            DVec3::new(0.0, 0.0, speed_at_perigee),
        )
        .unwrap();
        assert!((ellipse.semi_major_axis_km - a).abs() < 1e-6);
        assert!((ellipse.eccentricity - 0.5).abs() < 1e-12);
        assert!((ellipse.periapsis - DVec3::X).length() < 1e-12);
        assert!((ellipse.ahead - DVec3::Z).length() < 1e-12);
        assert!(ellipse.true_anomaly_rad.abs() < 1e-9);
        let apogee = ellipse.point_at_eccentric_anomaly(PI);
        assert!((apogee - DVec3::new(-ra, 0.0, 0.0)).length() < 1e-6);
        let (at_quarter, _) = ellipse.state_at_true_anomaly(FRAC_PI_2);
        // r = p at ν = 90°: p = a(1 − e²) = 10 500 km.
        assert!((at_quarter - DVec3::new(0.0, 0.0, 10_500.0)).length() < 1e-6);
    }

    #[test]
    fn state_to_ellipse_to_state_round_trips_within_a_metre() {
        let states = [
            // ISS-like, inclined, slightly eccentric.
            (
                DVec3::new(-4_400.6, 2_193.3, 4_573.6),
                DVec3::new(-3.97, -6.43, -0.74),
            ),
            // Molniya near perigee.
            (
                DVec3::new(1_500.0, -6_000.0, -3_500.0),
                DVec3::new(7.9, 3.6, -4.8),
            ),
            // GEO.
            (
                DVec3::new(42_164.0, 0.0, 0.0),
                DVec3::new(0.0, 3.0747, 0.01),
            ),
        ];
        for (position, velocity) in states {
            let ellipse = OsculatingEllipse::from_state(position, velocity).unwrap();
            let (back_position, back_velocity) =
                ellipse.state_at_true_anomaly(ellipse.true_anomaly_rad);
            assert!(
                (back_position - position).length() < 1e-3,
                "{position}: {back_position}"
            );
            assert!((back_velocity - velocity).length() < 1e-6);
            assert!(ellipse.distance_km(position) < 1e-3);
        }
    }

    #[test]
    fn open_and_degenerate_states_have_no_ellipse() {
        let r = DVec3::new(7000.0, 0.0, 0.0);
        let escape = (2.0 * MU_KM3_S2 / 7000.0).sqrt();
        assert!(OsculatingEllipse::from_state(r, DVec3::new(0.0, escape * 1.01, 0.0)).is_none());
        assert!(OsculatingEllipse::from_state(r, DVec3::new(1.0, 0.0, 0.0)).is_none());
        assert!(OsculatingEllipse::from_state(DVec3::ZERO, DVec3::Y).is_none());
        assert!(OsculatingEllipse::from_state(r, DVec3::splat(f64::NAN)).is_none());
    }
}
