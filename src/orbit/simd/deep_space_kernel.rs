//! The per-tick SGP4 propagation of deep-space orbits over `N` lanes at once: the secular
//! terms, the resonance extrapolated from the integrator's last step, and the lunar-solar
//! long-period terms (with Lyddane's modification at low inclination), then what all orbits
//! share (`finish.rs`).
//!
//! The formulas are the `sgp4` crate's `deep_space_orbital_elements` and
//! `long_period_periodic_effects`, written over [`F64s`] with the crate's operations in the
//! crate's order; branches become masks, and each lane reports the error the crate would have.

use std::f64::consts::{PI, TAU};

use pulp::Simd;

use super::deep_space::{
    DeepSpaceBlock, LUNAR_ECCENTRICITY, LUNAR_MEAN_MOTION, SOLAR_ECCENTRICITY, SOLAR_MEAN_MOTION,
};
use super::finish::{MeanElements, finish};
use super::lanes::{F64s, REGISTERS, load_lanes};
use super::math::{atan2, sin_cos, subtract_turns};
use super::near_earth::GEOPOTENTIAL;
use super::run::{KernelBlock, KernelTime, Outcomes};

// The crate's literal, digit for digit, so that it names the same double.
#[allow(clippy::excessive_precision)]
const SIDEREAL_SPEED: f64 = 4.37526908801129966e-3;

impl KernelBlock for DeepSpaceBlock {
    #[inline(always)]
    fn propagate<S: Simd>(
        simd: S,
        sources: [(&Self, usize); REGISTERS],
        time: KernelTime,
    ) -> Outcomes<S> {
        propagate_deep_space(simd, sources, time)
    }
}

/// One body's long-period effects: δe, δi, δM, δ(ω + Ω cos i), δΩ sin i.
#[inline(always)]
fn long_period<S: Simd>(
    t: F64s<S>,
    mean_motion: f64,
    eccentricity: f64,
    mean_anomaly_0: F64s<S>,
    k: [F64s<S>; 12],
) -> [F64s<S>; 5] {
    let mean_anomaly = mean_anomaly_0 + mean_motion * t;
    let f = mean_anomaly + 2.0 * eccentricity * sin_cos(mean_anomaly).0;
    let (sin_f, cos_f) = sin_cos(f);
    let f2 = 0.5 * (sin_f * sin_f) - 0.25;
    let f3 = -0.5 * sin_f * cos_f;
    [
        k[0] * f2 + k[1] * f3,
        k[2] * f2 + k[3] * f3,
        k[4] * f2 + k[5] * f3 + k[6] * sin_f,
        k[7] * f2 + k[8] * f3 + k[9] * sin_f,
        k[10] * f2 + k[11] * f3,
    ]
}

/// x − trunc(x / 2π) 2π: the crate's `x % (2π)`, exactly for |x| below ~6 × 10⁶.
#[inline(always)]
fn remainder_tau<S: Simd>(x: F64s<S>) -> F64s<S> {
    subtract_turns(x, (x * (1.0 / TAU)).trunc_small())
}

#[inline(always)]
fn propagate_deep_space<S: Simd>(
    simd: S,
    sources: [(&DeepSpaceBlock, usize); REGISTERS],
    KernelTime {
        seconds,
        nanos,
        afspc,
    }: KernelTime,
) -> Outcomes<S> {
    macro_rules! load {
        ($field:ident) => {
            load_lanes!(simd, sources, $field)
        };
    }
    macro_rules! body {
        ($e2:ident, $e3:ident, $i2:ident, $i3:ident, $l2:ident, $l3:ident, $l4:ident,
         $gh2:ident, $gh3:ident, $gh4:ident, $h2:ident, $h3:ident) => {
            [
                load!($e2),
                load!($e3),
                load!($i2),
                load!($i3),
                load!($l2),
                load!($l3),
                load!($l4),
                load!($gh2),
                load!($gh3),
                load!($gh4),
                load!($h2),
                load!($h3),
            ]
        };
    }
    let splat = |value: f64| F64s::splat_with(simd, value);
    let geopotential = GEOPOTENTIAL;

    // Minutes since each lane's epoch, as the near-Earth kernel computes them.
    let t = ((seconds - load!(epoch_seconds)) * 1e9 + (nanos - load!(epoch_nanos))) * (1.0 / 60e9);
    let t2 = t * t;
    let p22 = load!(right_ascension) + load!(right_ascension_dot) * t + load!(k0) * t2;
    let p23 = load!(argument_of_perigee) + load!(argument_of_perigee_dot) * t;

    // p₂₈ (the semi-major axis before drag) and p₂₉ (the mean anomaly before the lunar-solar
    // terms): secular for most orbits, extrapolated from the integrator for resonant ones.
    let mut p28 = load!(a0);
    let mut p29 = load!(mean_anomaly) + load!(mean_anomaly_dot) * t;
    let resonant = load!(resonant).gt(splat(0.5));
    if resonant.any() {
        let dt = t - load!(step_t);
        let n_dot = load!(step_mean_motion_dot);
        let n =
            load!(step_mean_motion) + n_dot * dt + load!(step_mean_motion_ddot) * (dt * dt) * 0.5;
        // (kₑ / n)^(2/3): Newton's method on y³ = (kₑ / n)², from the integrator step's value,
        // which is within ~10⁻⁵ of it (n moves little in 720 minutes); three steps take a
        // start within 10⁻³ to the last ulp.
        let x = geopotential.ke / n;
        let x2 = x * x;
        let mut y = load!(step_semi_major_axis);
        for _ in 0..3 {
            y = (2.0 * y + x2 / (y * y)) * (1.0 / 3.0);
        }
        let sidereal_time = remainder_tau(load!(sidereal_time_0) + t * SIDEREAL_SPEED);
        let lambda = load!(step_lambda) + load!(step_lambda_dot) * dt + n_dot * (dt * dt) * 0.5;
        let one_day = lambda - p22 - p23 + sidereal_time;
        let half_day = lambda - 2.0 * p22 + 2.0 * sidereal_time;
        p28 = resonant.select(y, p28);
        p29 = resonant.select(
            load!(half_day).gt(splat(0.5)).select(half_day, one_day),
            p29,
        );
    }

    let [solar_e, solar_i, solar_m, solar_gh, solar_h] = long_period(
        t,
        SOLAR_MEAN_MOTION,
        SOLAR_ECCENTRICITY,
        load!(solar_mean_anomaly_0),
        body!(
            solar_e2, solar_e3, solar_i2, solar_i3, solar_l2, solar_l3, solar_l4, solar_gh2,
            solar_gh3, solar_gh4, solar_h2, solar_h3
        ),
    );
    let [lunar_e, lunar_i, lunar_m, lunar_gh, lunar_h] = long_period(
        t,
        LUNAR_MEAN_MOTION,
        LUNAR_ECCENTRICITY,
        load!(lunar_mean_anomaly_0),
        body!(
            lunar_e2, lunar_e3, lunar_i2, lunar_i3, lunar_l2, lunar_l3, lunar_l4, lunar_gh2,
            lunar_gh3, lunar_gh4, lunar_h2, lunar_h3
        ),
    );

    let delta_inclination = solar_i + lunar_i;
    let inclination = load!(inclination) + load!(inclination_dot) * t + delta_inclination;
    let (sin_i, cos_i) = sin_cos(inclination);
    let ph = solar_h + lunar_h;
    let pgh = solar_gh + lunar_gh;
    let ph_over_sin_i = ph / sin_i;
    let mut right_ascension = p22 + ph_over_sin_i;
    let mut argument_of_perigee = p23 + pgh - cos_i * ph_over_sin_i;
    // Lyddane's modification below 0.2 rad (NaN included, as the crate's `else` branch).
    let lyddane = !inclination.ge(splat(0.2));
    if lyddane.any() {
        let (sin_p22, cos_p22) = sin_cos(p22);
        let p30 = atan2(
            sin_i * sin_p22 + (ph * cos_p22 + delta_inclination * cos_i * sin_p22),
            sin_i * cos_p22 + (-ph * sin_p22 + delta_inclination * cos_i * cos_p22),
        );
        let p22_remainder = remainder_tau(p22);
        let lyddane_right_ascension = p30
            .lt(p22_remainder - PI)
            .select(p30 + TAU, p30.gt(p22_remainder + PI).select(p30 - TAU, p30));
        let p22_reduced = if afspc {
            // `rem_euclid`: the remainder moved into [0, 2π).
            p22_remainder
                .lt(splat(0.0))
                .select(p22_remainder + TAU, p22_remainder)
        } else {
            p22_remainder
        };
        let lyddane_argument_of_perigee =
            p23 + pgh + cos_i * (p22_remainder - lyddane_right_ascension)
                - delta_inclination * p22_reduced * sin_i;
        right_ascension = lyddane.select(lyddane_right_ascension, right_ascension);
        argument_of_perigee = lyddane.select(lyddane_argument_of_perigee, argument_of_perigee);
    }

    let p31 = load!(eccentricity) + load!(eccentricity_dot) * t - load!(c4) * t;
    // Written so that NaN is out of range, as the crate's `contains` tests are.
    let eccentricity_out_of_range = !(p31.ge(splat(-0.001)) & p31.lt(splat(1.0)));
    let eccentricity = p31.max(splat(1.0e-6)) + (solar_e + lunar_e);
    let perturbed_eccentricity_out_of_range =
        !eccentricity_out_of_range & !(eccentricity.ge(splat(0.0)) & eccentricity.le(splat(1.0)));
    let c1 = load!(c1);
    let decay = 1.0 - c1 * t;
    let a = p28 * (decay * decay);
    let k1 = 1.5 * c1;
    let mean_anomaly = p29 + (solar_m + lunar_m) + load!(mean_motion) * k1 * t2;

    let j3_over_j2 = geopotential.j3 / geopotential.j2;
    let cos2_i = cos_i * cos_i;
    let one_plus_cos_i = 1.0 + cos_i;
    let k5_denominator = one_plus_cos_i
        .abs()
        .gt(splat(1.5e-12))
        .select(one_plus_cos_i, splat(1.5e-12));
    let mean = MeanElements {
        a,
        eccentricity,
        argument_of_perigee,
        mean_anomaly,
        right_ascension,
        inclination,
        sin_inclination: sin_i,
        cos_inclination: cos_i,
        k2: -0.5 * j3_over_j2 * sin_i,
        k3: 1.0 - cos2_i,
        k4: 7.0 * cos2_i - 1.0,
        k5: -0.25 * j3_over_j2 * sin_i * (3.0 + 5.0 * cos_i) / k5_denominator,
        k6: 3.0 * cos2_i - 1.0,
    };
    let failed = eccentricity_out_of_range | perturbed_eccentricity_out_of_range;
    Outcomes {
        states: finish(mean, failed),
        eccentricity: eccentricity_out_of_range.select(p31, eccentricity),
        eccentricity_out_of_range,
        perturbed_eccentricity_out_of_range,
    }
}

#[cfg(test)]
mod tests {
    use pulp::Scalar;

    use super::*;

    #[test]
    fn the_remainder_is_the_crates_percent_bit_for_bit_on_both_sides_of_zero() {
        let simd = Scalar::new();
        for x in [
            0.0, 1.0, 6.0, 6.3, 7.5, 100.0, 1_000.25, 12_345.678, 3.0e6, -0.25, -6.3, -7.5,
            -987.654, -5.5e6,
        ] {
            let got = remainder_tau(F64s::splat_with(simd, x)).lane(0);
            let expected = x % TAU;
            assert!(
                (got - expected).abs() <= 4.0 * f64::EPSILON * x.abs().max(1.0),
                "{x}"
            );
            assert_eq!(got.is_sign_negative(), expected.is_sign_negative(), "{x}");
        }
    }
}
