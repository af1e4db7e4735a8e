//! Per-object SGP4 initialisation for near-Earth orbits (period < 225 min), flattened into the
//! numbers the vectorised kernel reads on every tick.
//!
//! The expressions are those of the `sgp4` crate's `Constants::new` and
//! `near_earth::constants` (Vallado's `sgp4init`), in the same order, so that the kernel
//! starts from bit-identical constants; the crate keeps its constants private, hence the port.
//! Near-Earth initialisation does not depend on the epoch's sidereal time, so improved mode and
//! AFSPC mode share it (they differ only for deep-space orbits, see `deep_space.rs`).

use sgp4::{Geopotential, Orbit, WGS72};

use super::blocks::lane_parameters;

// Only what the tick reads and cannot rebuild bit for bit: k₁ = 1.5 c₁, k₃ = 1 − cos²i₀,
// k₄ = 7 cos²i₀ − 1, k₆ = 3 cos²i₀ − 1 and the high-altitude test (from a₀ and e₀) are
// recomputed in the kernel with the init's operations. Fewer bytes per object matter: reading
// the blocks is a large share of a million-object tick.
lane_parameters! {
    /// The tick-invariant SGP4 numbers of one near-Earth object.
    NearEarthParameters,
    /// Up to [`BLOCK`] near-Earth objects' parameters, one array per parameter.
    Block;
    /// Whole seconds from the batch's reference epoch to this object's epoch.
    epoch_seconds,
    /// Nanoseconds to add to `epoch_seconds` (0 ≤ n < 10⁹).
    epoch_nanos,
    inclination,
    right_ascension,
    eccentricity,
    argument_of_perigee,
    mean_anomaly,
    /// Brouwer mean motion n₀" (rad/min).
    mean_motion,
    right_ascension_dot,
    argument_of_perigee_dot,
    mean_anomaly_dot,
    c1,
    c4,
    k0,
    a0,
    k2,
    k5,
    /// High-altitude terms; zero for low orbits, which makes the high-altitude formulas
    /// reduce to the low-altitude ones (except the mean anomaly's sum, see the kernel).
    c5,
    d2,
    d3,
    d4,
    k7,
    k8,
    k9,
    k10,
    /// Elliptic high-altitude terms (e₀ > 10⁻⁴); η = k₁₂ = k₁₃ = 0 and k₁₁ = 1 otherwise.
    eta,
    k11,
    k12,
    k13,
    cos_inclination,
    sin_inclination,
}

/// The geopotential of GP element sets.
pub const GEOPOTENTIAL: Geopotential = WGS72;

/// p₃ = a₀ (1 − e₀) from which the full drag model applies (perigee above 220 km). The kernel
/// recomputes p₃ from a₀ and e₀ with the same two operations, so both agree bit for bit.
pub const HIGH_ALTITUDE_MIN_P3: f64 = 220.0 / GEOPOTENTIAL.ae + 1.0;

/// Mean motion above which an orbit is near-Earth (period below 225 minutes), rad/min.
pub fn is_near_earth(orbit: &Orbit) -> bool {
    orbit.mean_motion > 2.0 * std::f64::consts::PI / 225.0
}

/// The terms `Constants::new` computes for every orbit before it branches on the period.
#[derive(Debug, Clone, Copy)]
pub struct CommonTerms {
    /// cos i₀.
    pub p1: f64,
    /// 1 − e₀².
    pub p2: f64,
    /// a₀ (1 − e₀).
    pub p3: f64,
    pub p7: f64,
    pub p9: f64,
    pub p14: f64,
    pub p15: f64,
    pub a0: f64,
    pub s: f64,
    pub xi: f64,
    pub eta: f64,
    pub b0: f64,
    pub c1: f64,
    pub c4: f64,
    pub k0: f64,
    pub k14: f64,
}

/// [`CommonTerms`] for `orbit`, with the crate's operations in the crate's order.
pub fn common_terms(orbit: &Orbit, drag_term: f64) -> CommonTerms {
    let geopotential = GEOPOTENTIAL;
    let e0 = orbit.eccentricity;
    let n0 = orbit.mean_motion;
    let p1 = orbit.inclination.cos();
    let p2 = 1.0 - e0.powi(2);
    let k6 = 3.0 * p1.powi(2) - 1.0;
    let a0 = (geopotential.ke / n0).powf(2.0 / 3.0);
    let p3 = a0 * (1.0 - e0);
    let (s, p6) = {
        let p4 = geopotential.ae * (p3 - 1.0);
        let p5 = if p4 < 98.0 {
            20.0
        } else if p4 < 156.0 {
            p4 - 78.0
        } else {
            78.0
        };
        (
            p5 / geopotential.ae + 1.0,
            ((120.0 - p5) / geopotential.ae).powi(4),
        )
    };
    let xi = 1.0 / (a0 - s);
    let p7 = p6 * xi.powi(4);
    let eta = a0 * e0 * xi;
    let p8 = (1.0 - eta.powi(2)).abs();
    let p9 = p7 / p8.powf(3.5);
    let c1 = drag_term
        * (p9
            * n0
            * (a0 * (1.0 + 1.5 * eta.powi(2) + e0 * eta * (4.0 + eta.powi(2)))
                + 0.375 * geopotential.j2 * xi / p8
                    * k6
                    * (8.0 + 3.0 * eta.powi(2) * (8.0 + eta.powi(2)))));
    let p10 = 1.0 / (a0 * p2).powi(2);
    let b0 = p2.sqrt();
    let p11 = 1.5 * geopotential.j2 * p10 * n0;
    let p12 = 0.5 * p11 * geopotential.j2 * p10;
    let p13 = -0.46875 * geopotential.j4 * p10.powi(2) * n0;
    let p14 = -p11 * p1
        + (0.5 * p12 * (4.0 - 19.0 * p1.powi(2)) + 2.0 * p13 * (3.0 - 7.0 * p1.powi(2))) * p1;
    let k14 = -0.5 * p11 * (1.0 - 5.0 * p1.powi(2))
        + 0.0625 * p12 * (7.0 - 114.0 * p1.powi(2) + 395.0 * p1.powi(4))
        + p13 * (3.0 - 36.0 * p1.powi(2) + 49.0 * p1.powi(4));
    let p15 = n0
        + 0.5 * p11 * b0 * k6
        + 0.0625 * p12 * b0 * (13.0 - 78.0 * p1.powi(2) + 137.0 * p1.powi(4));
    let c4 = drag_term
        * (2.0
            * n0
            * p9
            * a0
            * p2
            * (eta * (2.0 + 0.5 * eta.powi(2)) + e0 * (0.5 + 2.0 * eta.powi(2))
                - geopotential.j2 * xi / (a0 * p8)
                    * (-3.0 * k6 * (1.0 - 2.0 * e0 * eta + eta.powi(2) * (1.5 - 0.5 * e0 * eta))
                        + 0.75
                            * (1.0 - p1.powi(2))
                            * (2.0 * eta.powi(2) - e0 * eta * (1.0 + eta.powi(2)))
                            * (2.0 * orbit.argument_of_perigee).cos())));
    let k0 = 3.5 * p2 * (-p11 * p1) * c1;

    CommonTerms {
        p1,
        p2,
        p3,
        p7,
        p9,
        p14,
        p15,
        a0,
        s,
        xi,
        eta,
        b0,
        c1,
        c4,
        k0,
        k14,
    }
}

/// The kernel's parameters for a near-Earth orbit whose epoch eccentricity is in [0, 1)
/// (checked by the caller, as `Constants::new` does), `epoch` relative to the batch reference.
pub fn near_earth_parameters(
    orbit: &Orbit,
    drag_term: f64,
    epoch_seconds: f64,
    epoch_nanos: f64,
) -> NearEarthParameters {
    let geopotential = GEOPOTENTIAL;
    let CommonTerms {
        p1,
        p2,
        p3,
        p7,
        p9,
        p14,
        p15,
        a0,
        s,
        xi,
        eta,
        c1,
        c4,
        k0,
        k14,
        ..
    } = common_terms(orbit, drag_term);
    let (e0, n0) = (orbit.eccentricity, orbit.mean_motion);
    let j3_over_j2 = geopotential.j3 / geopotential.j2;
    let sin_i0 = orbit.inclination.sin();
    let k5_denominator = if (1.0 + p1).abs() > 1.5e-12 {
        1.0 + p1
    } else {
        1.5e-12
    };
    let mut parameters = NearEarthParameters {
        epoch_seconds,
        epoch_nanos,
        inclination: orbit.inclination,
        right_ascension: orbit.right_ascension,
        eccentricity: e0,
        argument_of_perigee: orbit.argument_of_perigee,
        mean_anomaly: orbit.mean_anomaly,
        mean_motion: n0,
        right_ascension_dot: p14,
        argument_of_perigee_dot: k14,
        mean_anomaly_dot: p15,
        c1,
        c4,
        k0,
        a0,
        k2: -0.5 * j3_over_j2 * sin_i0,
        k5: -0.25 * j3_over_j2 * sin_i0 * (3.0 + 5.0 * p1) / k5_denominator,
        k11: 1.0,
        cos_inclination: p1,
        sin_inclination: sin_i0,
        ..NearEarthParameters::default()
    };
    // p₃ < 220 / aₑ + 1: perigee below 220 km, the low-altitude simplification.
    if p3 >= HIGH_ALTITUDE_MIN_P3 {
        let d2 = 4.0 * a0 * xi * c1.powi(2);
        let p16 = d2 * xi * c1 / 3.0;
        let d3 = (17.0 * a0 + s) * p16;
        let d4 = 0.5 * p16 * a0 * xi * (221.0 * a0 + 31.0 * s) * c1;
        parameters.c5 = drag_term
            * (2.0
                * p9
                * a0
                * p2
                * (1.0 + 2.75 * (eta.powi(2) + eta * e0) + eta * e0 * eta.powi(2)));
        parameters.d2 = d2;
        parameters.d3 = d3;
        parameters.d4 = d4;
        parameters.k7 = orbit.mean_anomaly.sin();
        parameters.k8 = d2 + 2.0 * c1.powi(2);
        parameters.k9 = 0.25 * (3.0 * d3 + c1 * (12.0 * d2 + 10.0 * c1.powi(2)));
        parameters.k10 = 0.2
            * (3.0 * d4
                + 12.0 * c1 * d3
                + 6.0 * d2.powi(2)
                + 15.0 * c1.powi(2) * (2.0 * d2 + c1.powi(2)));
        if e0 > 1.0e-4 {
            parameters.eta = eta;
            parameters.k11 = (1.0 + eta * orbit.mean_anomaly.cos()).powi(3);
            parameters.k12 = drag_term
                * (-2.0 * p7 * xi * j3_over_j2 * n0 * sin_i0 / e0)
                * orbit.argument_of_perigee.cos();
            parameters.k13 = -2.0 / 3.0 * p7 * drag_term / (e0 * eta);
        }
    }
    parameters
}
