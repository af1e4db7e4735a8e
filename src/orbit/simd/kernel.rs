//! The per-tick SGP4 near-Earth propagation over `N` lanes at once, and the width dispatch.
//!
//! The formulas are the `sgp4` crate's `propagate_from_state` for near-Earth orbits, written
//! over [`F64s`]: branches become masks, the Kepler loop runs until every lane has converged
//! (at most 10 iterations, as in the crate), and each lane reports the same error the crate
//! would have returned.

use pulp::{Scalar, Simd, WithSimd};

use super::lanes::{F64s, Mask, REGISTERS};
use super::math::{atan2, rotate, rotates, sin_cos};
use super::near_earth::{BLOCK, Block, GEOPOTENTIAL, HIGH_ALTITUDE_MIN_P3};
use crate::orbit::failure::{MAX_RADIUS_KM, SGP4_EARTH_RADIUS_KM};

/// States of `N` lanes, with the conditions under which the crate would have failed.
#[derive(Debug, Clone, Copy)]
pub struct LaneStates<S: Simd> {
    pub position: [F64s<S>; 3],
    pub velocity: [F64s<S>; 3],
    /// p₂₇, the perturbed eccentricity before clamping (reported with error 1).
    pub eccentricity: F64s<S>,
    /// p₂₇ ∉ [−0.001, 1): the crate's `OutOfRangeEccentricity`.
    pub eccentricity_out_of_range: Mask<S>,
    /// a (1 − e²) < 0: the crate's `NegativeSemiLatusRectum`.
    pub negative_semi_latus_rectum: Mask<S>,
    /// Distance from the Earth's centre (km).
    pub radius: F64s<S>,
    /// Not a finite state near the Earth (`checked_state`'s test, on vectors).
    pub diverged: Mask<S>,
}

/// Propagates lanes `lane0 .. lane0 + S::F64_LANES` of `block` to `seconds` + `nanos` after the batch's
/// reference epoch. Lanes without an object of their own repeat another lane; callers ignore
/// them.
#[inline(always)]
pub fn propagate_lanes<S: Simd>(
    simd: S,
    sources: [(&Block, usize); REGISTERS],
    seconds: f64,
    nanos: f64,
) -> LaneStates<S> {
    macro_rules! load {
        ($field:ident) => {{
            let mut fields = [(&sources[0].0.$field[..], sources[0].1); REGISTERS];
            for register in 1..REGISTERS {
                fields[register] = (&sources[register].0.$field[..], sources[register].1);
            }
            F64s::load(simd, fields)
        }};
    }
    let splat = |value: f64| F64s::splat_with(simd, value);
    let geopotential = GEOPOTENTIAL;

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
    let ayn = e * sin_w + p37 * load!(k2);
    let p38_unreduced = mean_anomaly + argument_of_perigee + p37 * load!(k5) * axn;
    // x mod 2π (the double nearest 2π, as the crate's `%`), to the nearest multiple rather
    // than towards zero: that differs only by whole turns, which Kepler's equation below does
    // not see (its solution moves by the same turns). With FMA the remainder is exact, as `%`.
    let turns = (p38_unreduced * (1.0 / std::f64::consts::TAU)).round_small();
    let p38 = (-turns).mul_add(splat(std::f64::consts::TAU), p38_unreduced);

    // Kepler's equation for E + ω by Newton's method, lane by lane as the crate does it: a
    // lane stops when its step is below 1e-12 (without taking that step), after 10 steps at
    // most; each step is clamped to ±0.95. Newton's steps shrink fast, so after the first
    // the sine and cosine are turned by the step rather than computed afresh.
    let mut ew = p38;
    let mut solving = !eccentricity_out_of_range;
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
    let rk = r * (1.0 - 1.5 * p46 * b * k6) + 0.5 * half_j2_over_pl * k3 * p45;
    // p₄₂ and p₄₃ are sin u and cos u (u = atan2(p₄₂, p₄₃), and p₄₂² + p₄₃² = 1 to a few
    // ulp), and uₖ and Iₖ are u and I₀ turned by small corrections: rotating saves the
    // arctangent and two argument reductions.
    let uk_correction = -(0.25 * p46 * k4 * p44);
    let sin_i0 = load!(sin_inclination);
    let inclination_correction = 1.5 * p46 * cos_i0 * sin_i0 * p45;
    let (sin_uk, cos_uk, sin_ik, cos_ik) =
        if rotates(uk_correction) && rotates(inclination_correction) {
            let (sin_uk, cos_uk) = rotate(p42, p43, uk_correction);
            let (sin_ik, cos_ik) = rotate(sin_i0, cos_i0, inclination_correction);
            (sin_uk, cos_uk, sin_ik, cos_ik)
        } else {
            // Orbits too close to the Earth for the corrections to be small (they decay).
            let (sin_uk, cos_uk) = sin_cos(atan2(p42, p43) + uk_correction);
            let (sin_ik, cos_ik) = sin_cos(load!(inclination) + inclination_correction);
            (sin_uk, cos_uk, sin_ik, cos_ik)
        };
    let right_ascension_k = p22 + 1.5 * p46 * cos_i0 * p44;
    let rk_dot = r_dot - mean_motion_over_ke * half_j2_over_pl * k3 * p44;
    // √pₗ = √a β, since pₗ = a (1 − p₃₉) and β = √(1 − p₃₉).
    let rfk_dot =
        sqrt_a * b * inverse_r + mean_motion_over_ke * half_j2_over_pl * (k3 * p45 + 1.5 * k6);

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
        eccentricity: p27,
        eccentricity_out_of_range,
        negative_semi_latus_rectum,
        radius,
        diverged: !near_and_finite,
    }
}

/// One lane's outcome, as the batch stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LaneOutcome {
    State {
        position: [f64; 3],
        velocity: [f64; 3],
    },
    EccentricityOutOfRange {
        eccentricity: f64,
    },
    NegativeSemiLatusRectum,
    Diverged,
    Decayed {
        radius_km: f64,
    },
}

/// Most lanes one kernel call produces (`REGISTERS` AVX-512 registers); narrower widths
/// produce a whole fraction of it.
pub const LANES_PER_CALL: usize = REGISTERS * BLOCK;
const MAX_LANES: usize = LANES_PER_CALL;

/// A kernel call's results as plain arrays, read lane by lane when storing: extracting lanes
/// from vector registers one at a time cost more than the stores themselves.
struct Unpacked {
    position: [[f64; MAX_LANES]; 3],
    velocity: [[f64; MAX_LANES]; 3],
    eccentricity: [f64; MAX_LANES],
    radius: [f64; MAX_LANES],
    /// 0 = a state; otherwise which check failed (see [`Unpacked::outcome`]).
    status: [f64; MAX_LANES],
}

const ECCENTRICITY_OUT_OF_RANGE: f64 = 1.0;
const NEGATIVE_SEMI_LATUS_RECTUM: f64 = 4.0;
const DIVERGED: f64 = 9.0;
const DECAYED: f64 = 6.0;

impl<S: Simd> LaneStates<S> {
    #[inline(always)]
    fn unpack(&self) -> Unpacked {
        let mut unpacked = Unpacked {
            position: [[0.0; MAX_LANES]; 3],
            velocity: [[0.0; MAX_LANES]; 3],
            eccentricity: [0.0; MAX_LANES],
            radius: [0.0; MAX_LANES],
            status: [0.0; MAX_LANES],
        };
        for axis in 0..3 {
            self.position[axis].store(&mut unpacked.position[axis]);
            self.velocity[axis].store(&mut unpacked.velocity[axis]);
        }
        self.eccentricity.store(&mut unpacked.eccentricity);
        self.radius.store(&mut unpacked.radius);
        let zero = self.radius.splat(0.0);
        // The crate's order: eccentricity first, then the semi-latus rectum, then our checks.
        let decayed = self.radius.lt(zero.splat(SGP4_EARTH_RADIUS_KM));
        let status = self.eccentricity_out_of_range.select(
            zero.splat(ECCENTRICITY_OUT_OF_RANGE),
            self.negative_semi_latus_rectum.select(
                zero.splat(NEGATIVE_SEMI_LATUS_RECTUM),
                self.diverged.select(
                    zero.splat(DIVERGED),
                    decayed.select(zero.splat(DECAYED), zero),
                ),
            ),
        );
        status.store(&mut unpacked.status);
        unpacked
    }

    /// One lane's outcome.
    #[inline(always)]
    pub fn outcome(&self, lane: usize) -> LaneOutcome {
        self.unpack().outcome(lane)
    }
}

impl Unpacked {
    #[inline(always)]
    fn outcome(&self, lane: usize) -> LaneOutcome {
        let status = self.status[lane];
        if status == ECCENTRICITY_OUT_OF_RANGE {
            LaneOutcome::EccentricityOutOfRange {
                eccentricity: self.eccentricity[lane],
            }
        } else if status == NEGATIVE_SEMI_LATUS_RECTUM {
            LaneOutcome::NegativeSemiLatusRectum
        } else if status == DIVERGED {
            LaneOutcome::Diverged
        } else if status == DECAYED {
            LaneOutcome::Decayed {
                radius_km: self.radius[lane],
            }
        } else {
            LaneOutcome::State {
                position: [0, 1, 2].map(|axis| self.position[axis][lane]),
                velocity: [0, 1, 2].map(|axis| self.velocity[axis][lane]),
            }
        }
    }
}

/// Receives each object's outcome: `(the object's index within its chunk, outcome)`.
pub trait LaneSink {
    fn store(&mut self, index: usize, outcome: LaneOutcome);

    /// A successful state: the common case, kept free of the outcome's branches (the
    /// per-lane stores cost a fifth of the tick when they went through [`LaneOutcome`]).
    #[inline(always)]
    fn store_state(&mut self, index: usize, position: [f64; 3], velocity: [f64; 3]) {
        self.store(index, LaneOutcome::State { position, velocity });
    }
}

#[inline(always)]
fn run_blocks<S: Simd>(
    simd: S,
    blocks: &[Block],
    seconds: f64,
    nanos: f64,
    sink: &mut impl LaneSink,
) {
    // Groups of one register's lanes that hold at least one object, REGISTERS per call.
    let mut groups = blocks.iter().enumerate().flat_map(|(index, block)| {
        (0..block.len())
            .step_by(S::F64_LANES)
            .map(move |lane| (index, lane))
    });
    while let Some(first) = groups.next() {
        // Registers without a group of their own repeat the first and are not stored.
        let mut batch = [first; REGISTERS];
        let mut filled = 1;
        while filled < REGISTERS {
            let Some(group) = groups.next() else { break };
            batch[filled] = group;
            filled += 1;
        }
        let mut sources = [(&blocks[first.0], first.1); REGISTERS];
        for register in 1..REGISTERS {
            sources[register] = (&blocks[batch[register].0], batch[register].1);
        }
        let states = propagate_lanes(simd, sources, seconds, nanos).unpack();
        for (register, &(index, lane0)) in batch.iter().enumerate().take(filled) {
            let block = &blocks[index];
            let active = (block.len() - lane0).min(S::F64_LANES);
            for lane in 0..active {
                let object = usize::from(block.object(lane0 + lane));
                let unpacked = register * S::F64_LANES + lane;
                if states.status[unpacked] == 0.0 {
                    // Spelled out: `array::map` is not `inline(always)` (see `lanes.rs`).
                    let (p, v) = (&states.position, &states.velocity);
                    sink.store_state(
                        object,
                        [p[0][unpacked], p[1][unpacked], p[2][unpacked]],
                        [v[0][unpacked], v[1][unpacked], v[2][unpacked]],
                    );
                } else {
                    sink.store(object, states.outcome(unpacked));
                }
            }
        }
    }
}

/// [`run_blocks`] as a `pulp` operation: `vectorize` compiles its body with the instruction
/// set's target features enabled, which is what turns every lane operation into one vector
/// instruction.
pub struct RunBlocks<'a, K> {
    pub blocks: &'a [Block],
    pub seconds: f64,
    pub nanos: f64,
    pub sink: &'a mut K,
}

impl<K: LaneSink> WithSimd for RunBlocks<'_, K> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        run_blocks(simd, self.blocks, self.seconds, self.nanos, self.sink);
    }
}

/// One object (orbit tracks, details): the scalar path, which gives the same answer.
pub fn propagate_one(block: &Block, lane: usize, seconds: f64, nanos: f64) -> LaneOutcome {
    propagate_lanes(Scalar::new(), [(block, lane); REGISTERS], seconds, nanos).outcome(0)
}
