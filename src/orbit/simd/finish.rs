//! What SGP4 does once it has the mean elements at t, for near-Earth and deep-space orbits
//! alike: the long-period terms, Kepler's equation, the short-period terms and the state
//! vectors (the second half of the `sgp4` crate's `propagate_from_state`), over `N` lanes.

use pulp::Simd;

use super::lanes::{F64s, Mask};
use super::math::{atan2, rotate, rotates, sin_cos, subtract_turns};
use super::near_earth::GEOPOTENTIAL;
use crate::orbit::failure::MAX_RADIUS_KM;

/// The mean elements at t and the inclination terms the short-period corrections use, as
/// each kind of orbit computes them (near-Earth: from i₀; deep space: from the perturbed i).
#[derive(Debug, Clone, Copy)]
pub struct MeanElements<S: Simd> {
    /// Semi-major axis (Earth radii).
    pub a: F64s<S>,
    pub eccentricity: F64s<S>,
    pub argument_of_perigee: F64s<S>,
    pub mean_anomaly: F64s<S>,
    pub right_ascension: F64s<S>,
    pub inclination: F64s<S>,
    pub sin_inclination: F64s<S>,
    pub cos_inclination: F64s<S>,
    /// p₃₂ = −½ (J₃ / J₂) sin i.
    pub k2: F64s<S>,
    /// p₃₃ = 1 − cos² i.
    pub k3: F64s<S>,
    /// p₃₄ = 7 cos² i − 1.
    pub k4: F64s<S>,
    /// p₃₅ = −¼ (J₃ / J₂) sin i (3 + 5 cos i) / (1 + cos i).
    pub k5: F64s<S>,
    /// p₃₆ = 3 cos² i − 1.
    pub k6: F64s<S>,
}

/// States of `N` lanes, with the conditions under which the crate would have failed after
/// the mean elements (the checks before them are the caller's).
#[derive(Debug, Clone, Copy)]
pub struct LaneStates<S: Simd> {
    pub position: [F64s<S>; 3],
    pub velocity: [F64s<S>; 3],
    /// a (1 − e²) < 0: the crate's `NegativeSemiLatusRectum`.
    pub negative_semi_latus_rectum: Mask<S>,
    /// Distance from the Earth's centre (km).
    pub radius: F64s<S>,
    /// Not a finite state near the Earth (`checked_state`'s test, on vectors).
    pub diverged: Mask<S>,
}

/// The state vectors from `mean`, with the crate's formulas. Lanes in `failed` (an error
/// before this point) skip Kepler's loop; their state is meaningless.
#[inline(always)]
pub fn finish<S: Simd>(mean: MeanElements<S>, failed: Mask<S>) -> LaneStates<S> {
    let splat = |value: f64| mean.a.splat(value);
    let geopotential = GEOPOTENTIAL;
    let (a, e, argument_of_perigee, mean_anomaly) = (
        mean.a,
        mean.eccentricity,
        mean.argument_of_perigee,
        mean.mean_anomaly,
    );
    // n / kₑ = a^(−3/2): the only way n is used below, which saves two divisions.
    let sqrt_a = a.sqrt();
    // Divisions and square roots are the slowest vector instructions (a 512-bit division
    // issues once per 16 cycles): one reciprocal serves both 1 / a^(3/2) and
    // p₃₇ = 1 / (a (1 − e²)), at the cost of an ulp or two.
    let a_three_halves = a * sqrt_a;
    let a_semi_latus = a * (1.0 - e * e);
    let inverse_product = 1.0 / (a_three_halves * a_semi_latus);
    let mean_motion_over_ke = inverse_product * a_semi_latus;
    let p37 = inverse_product * a_three_halves;
    let (sin_w, cos_w) = sin_cos(argument_of_perigee);
    let axn = e * cos_w;
    let ayn = e * sin_w + p37 * mean.k2;
    let p38_unreduced = mean_anomaly + argument_of_perigee + p37 * mean.k5 * axn;
    // x mod 2π (the double nearest 2π, as the crate's `%`), to the nearest multiple rather
    // than towards zero: that differs only by whole turns, which Kepler's equation below does
    // not see (its solution moves by the same turns). With FMA the remainder is exact, as `%`.
    let turns = (p38_unreduced * (1.0 / std::f64::consts::TAU)).round_small();
    let p38 = subtract_turns(p38_unreduced, turns);

    // Kepler's equation for E + ω by Newton's method, lane by lane as the crate does it: a
    // lane stops when its step is below 1e-12 (without taking that step), after 10 steps at
    // most; each step is clamped to ±0.95. Newton's steps shrink fast, so after the first
    // the sine and cosine are turned by the step rather than computed afresh.
    let mut ew = p38;
    let mut solving = !failed;
    let (mut sin, mut cos) = sin_cos(ew);
    let mut sin_ew = splat(0.0);
    let mut cos_ew = splat(1.0);
    for _ in 0..10 {
        let delta = (p38 - ayn * cos + axn * sin - ew) / (1.0 - cos * axn - sin * ayn);
        let converged = solving & delta.abs().lt(splat(1.0e-12));
        // A converged lane's sine and cosine are those of its final E + ω.
        sin_ew = converged.select(sin, sin_ew);
        cos_ew = converged.select(cos, cos_ew);
        solving = solving & !converged;
        if !solving.any() {
            break;
        }
        // `clamp` keeps NaN, as the crate's does.
        let step = delta.gt(splat(0.95)).select(
            splat(0.95),
            delta.lt(splat(-0.95)).select(splat(-0.95), delta),
        );
        let next = solving.select(ew + step, ew);
        // The step as rounded into E + ω (zero in lanes that stopped).
        let moved = next - ew;
        (sin, cos) = if rotates(moved) {
            rotate(sin, cos, moved)
        } else {
            sin_cos(next)
        };
        ew = next;
    }
    // Lanes that used all 10 steps moved after their last test; their sine and cosine are
    // those of where they stopped.
    sin_ew = solving.select(sin, sin_ew);
    cos_ew = solving.select(cos, cos_ew);

    let p39 = axn * axn + ayn * ayn;
    let pl = a * (1.0 - p39);
    let negative_semi_latus_rectum = pl.lt(splat(0.0));
    let p40 = axn * sin_ew - ayn * cos_ew;
    let r = a * (1.0 - (axn * cos_ew + ayn * sin_ew));
    let b = (1.0 - p39).sqrt();
    // 1 / r, 1 / (1 + β) and 1 / pₗ from one division.
    let r_one_plus_b = r * (1.0 + b);
    let inverse_product = 1.0 / (r_one_plus_b * pl);
    let inverse_pl = inverse_product * r_one_plus_b;
    let inverse_r_one_plus_b = inverse_product * pl;
    let inverse_r = inverse_r_one_plus_b * (1.0 + b);
    let r_dot = sqrt_a * p40 * inverse_r;
    let p41 = p40 * (inverse_r_one_plus_b * r);
    let a_over_r = a * inverse_r;
    let p42 = a_over_r * (sin_ew - ayn - axn * p41);
    let p43 = a_over_r * (cos_ew - axn + ayn * p41);
    let p44 = 2.0 * p43 * p42;
    let p45 = 1.0 - 2.0 * (p42 * p42);
    let half_j2_over_pl = (0.5 * geopotential.j2) * inverse_pl;
    let p46 = half_j2_over_pl * inverse_pl;
    let rk = r * (1.0 - 1.5 * p46 * b * mean.k6) + 0.5 * half_j2_over_pl * mean.k3 * p45;
    // p₄₂ and p₄₃ are sin u and cos u (u = atan2(p₄₂, p₄₃), and p₄₂² + p₄₃² = 1 to a few
    // ulp), and uₖ and Iₖ are u and I₀ turned by small corrections: rotating saves the
    // arctangent and two argument reductions.
    let uk_correction = -(0.25 * p46 * mean.k4 * p44);
    let inclination_correction = 1.5 * p46 * mean.cos_inclination * mean.sin_inclination * p45;
    let (sin_uk, cos_uk, sin_ik, cos_ik) =
        if rotates(uk_correction) && rotates(inclination_correction) {
            let (sin_uk, cos_uk) = rotate(p42, p43, uk_correction);
            let (sin_ik, cos_ik) = rotate(
                mean.sin_inclination,
                mean.cos_inclination,
                inclination_correction,
            );
            (sin_uk, cos_uk, sin_ik, cos_ik)
        } else {
            // Orbits too close to the Earth for the corrections to be small (they decay).
            let (sin_uk, cos_uk) = sin_cos(atan2(p42, p43) + uk_correction);
            let (sin_ik, cos_ik) = sin_cos(mean.inclination + inclination_correction);
            (sin_uk, cos_uk, sin_ik, cos_ik)
        };
    let right_ascension_k = mean.right_ascension + 1.5 * p46 * mean.cos_inclination * p44;
    let rk_dot = r_dot - mean_motion_over_ke * half_j2_over_pl * mean.k3 * p44;
    // √pₗ = √a β, since pₗ = a (1 − p₃₉) and β = √(1 − p₃₉).
    let rfk_dot = sqrt_a * b * inverse_r
        + mean_motion_over_ke * half_j2_over_pl * (mean.k3 * p45 + 1.5 * mean.k6);

    let (sin_raan, cos_raan) = sin_cos(right_ascension_k);
    let u0 = -sin_raan * cos_ik * sin_uk + cos_raan * cos_uk;
    let u1 = cos_raan * cos_ik * sin_uk + sin_raan * cos_uk;
    let u2 = sin_ik * sin_uk;
    let km = rk * geopotential.ae;
    let speed_unit = geopotential.ae * geopotential.ke / 60.0;
    let position = [km * u0, km * u1, km * u2];
    let velocity = [
        (rk_dot * u0 + rfk_dot * (-sin_raan * cos_ik * cos_uk - cos_raan * sin_uk)) * speed_unit,
        (rk_dot * u1 + rfk_dot * (cos_raan * cos_ik * cos_uk - sin_raan * sin_uk)) * speed_unit,
        (rk_dot * u2 + rfk_dot * (sin_ik * cos_uk)) * speed_unit,
    ];
    // u is a unit vector (a product of rotations), so the distance is |rₖ| aₑ; NaN in u
    // shows in the velocity, which is tested too.
    let radius = km.abs();
    // As in `checked_state`: written so that NaN fails.
    let near_and_finite = radius.le(splat(MAX_RADIUS_KM))
        & velocity[0].is_finite()
        & velocity[1].is_finite()
        & velocity[2].is_finite();
    LaneStates {
        position,
        velocity,
        negative_semi_latus_rectum,
        radius,
        diverged: !near_and_finite,
    }
}
