//! The per-tick SGP4 propagation of near-Earth orbits over `N` lanes at once.
//!
//! The formulas are the `sgp4` crate's `propagate_from_state` for near-Earth orbits, written
//! over [`F64s`]: branches become masks, and each lane reports the same error the crate would
//! have returned. What follows the mean elements is shared with deep space (`finish.rs`).

use pulp::Simd;

use super::finish::{MeanElements, finish};
use super::lanes::{F64s, REGISTERS, load_lanes};
use super::math::{rotate, rotates, sin_cos};
use super::near_earth::{Block, HIGH_ALTITUDE_MIN_P3};
use super::run::{KernelBlock, KernelTime, Outcomes};

impl KernelBlock for Block {
    #[inline(always)]
    fn propagate<S: Simd>(
        simd: S,
        sources: [(&Self, usize); REGISTERS],
        time: KernelTime,
    ) -> Outcomes<S> {
        propagate_near_earth(simd, sources, time)
    }
}

#[inline(always)]
fn propagate_near_earth<S: Simd>(
    simd: S,
    sources: [(&Block, usize); REGISTERS],
    KernelTime { seconds, nanos, .. }: KernelTime,
) -> Outcomes<S> {
    macro_rules! load {
        ($field:ident) => {
            load_lanes!(simd, sources, $field)
        };
    }
    let splat = |value: f64| F64s::splat_with(simd, value);

    // Minutes since each lane's epoch, by `Instant::minutes_since`'s arithmetic (whole
    // seconds and nanoseconds subtract exactly).
    let t = ((seconds - load!(epoch_seconds)) * 1e9 + (nanos - load!(epoch_nanos))) * (1.0 / 60e9);
    let t2 = t * t;
    let t3 = t2 * t;
    let t4 = t2 * t2;

    let n0 = load!(mean_motion);
    let c1 = load!(c1);
    let a0 = load!(a0);
    let e0 = load!(eccentricity);
    // Rebuilt rather than stored (see `near_earth.rs`), with the init's operations.
    let k1 = 1.5 * c1;
    let cos_i0 = load!(cos_inclination);
    let cos2_i0 = cos_i0 * cos_i0;
    let k3 = 1.0 - cos2_i0;
    let k4 = 7.0 * cos2_i0 - 1.0;
    let k6 = 3.0 * cos2_i0 - 1.0;
    let high_altitude = (a0 * (1.0 - e0)).ge(splat(HIGH_ALTITUDE_MIN_P3));
    let p22 = load!(right_ascension) + load!(right_ascension_dot) * t + load!(k0) * t2;
    let p23 = load!(argument_of_perigee) + load!(argument_of_perigee_dot) * t;
    let p24 = load!(mean_anomaly) + load!(mean_anomaly_dot) * t;

    // p₂₅ = k₁₃ ((1 + η cos p₂₄)³ − k₁₁) + k₁₂ t: zero for low or near-circular orbits.
    let (sin_p24, cos_p24) = sin_cos(p24);
    let cube = 1.0 + load!(eta) * cos_p24;
    let p25 = load!(k13) * (cube * cube * cube - load!(k11)) + load!(k12) * t;
    let argument_of_perigee = p23 - p25;
    let p26 = p24 + p25;
    // p₂₅ is a small correction: turn p₂₄'s sine by it rather than reduce p₂₆ afresh.
    let p25_rounded = p26 - p24;
    let sin_p26 = if rotates(p25_rounded) {
        rotate(sin_p24, cos_p24, p25_rounded).0
    } else {
        sin_cos(p26).0
    };
    // The two branches' sums round differently, and a rounding in M is amplified by Kepler's
    // equation on eccentric orbits: compute each as the crate does and pick per lane.
    let mean_anomaly_high =
        p26 + n0 * (k1 * t2 + load!(k8) * t3 + t4 * (load!(k9) + t * load!(k10)));
    let mean_anomaly_low = p24 + n0 * k1 * t2;
    let mean_anomaly = high_altitude.select(mean_anomaly_high, mean_anomaly_low);
    let decay = 1.0 - c1 * t - load!(d2) * t2 - load!(d3) * t3 - load!(d4) * t4;
    let a = a0 * (decay * decay);
    let p27 = e0 - (load!(c4) * t + load!(c5) * (sin_p26 - load!(k7)));
    // Written so that NaN is out of range, as `!(-0.001..1.0).contains(&p27)` is.
    let eccentricity_out_of_range = !(p27.ge(splat(-0.001)) & p27.lt(splat(1.0)));
    let e = p27.max(splat(1.0e-6));
    let mean = MeanElements {
        a,
        eccentricity: e,
        argument_of_perigee,
        mean_anomaly,
        right_ascension: p22,
        inclination: load!(inclination),
        sin_inclination: load!(sin_inclination),
        cos_inclination: cos_i0,
        k2: load!(k2),
        k3,
        k4,
        k5: load!(k5),
        k6,
    };
    let no_lane = p27.lt(splat(f64::NEG_INFINITY));
    Outcomes {
        states: finish(mean, eccentricity_out_of_range),
        eccentricity: p27,
        eccentricity_out_of_range,
        perturbed_eccentricity_out_of_range: no_lane,
    }
}
