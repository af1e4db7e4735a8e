//! Branch-free sine, cosine and arctangent over [`F64s`] lanes, accurate to about one ulp in
//! double precision (the kernel must agree with libm-based SGP4 to 1e-6 km).
//!
//! The methods are the classic ones: Cody–Waite reduction by π/2 in three parts followed by
//! the fdlibm minimax polynomials on [−π/4, π/4] for sine and cosine; Cephes' reduction to
//! [0, 0.66] and its rational approximation for the arctangent. Branches become lane
//! selects, so every lane runs the same instructions.

// The constants are written as fdlibm and Cephes publish them (more digits than a double
// holds), so that they can be checked against those sources digit for digit.
#![allow(clippy::excessive_precision)]

use pulp::Simd;

use super::lanes::F64s;

/// π/2 in three parts (fdlibm's `pio2_1`, `pio2_2`, `pio2_3` and the tail of the third): the
/// first two have 33 significant bits, so `q × part` is exact for |q| < 2²⁰, i.e. the
/// reduction keeps full precision for |x| up to about 1.6 × 10⁶ rad (SGP4's angles stay far
/// below that: the mean anomaly 30 days after epoch is ~3 000 rad).
const PIO2_1: f64 = 1.570_796_326_734_125_614_17e+00;
const PIO2_2: f64 = 6.077_100_506_303_965_976_60e-11;
const PIO2_3: f64 = 2.022_266_248_711_166_455_80e-21;
const PIO2_3T: f64 = 8.478_427_660_368_899_569_97e-32;
const TWO_OVER_PI: f64 = std::f64::consts::FRAC_2_PI;

/// fdlibm `__kernel_sin` coefficients.
const S1: f64 = -1.666_666_666_666_663_243_48e-01;
const S2: f64 = 8.333_333_333_322_489_461_24e-03;
const S3: f64 = -1.984_126_982_985_794_931_34e-04;
const S4: f64 = 2.755_731_370_707_006_767_89e-06;
const S5: f64 = -2.505_076_025_340_686_341_95e-08;
const S6: f64 = 1.589_690_995_211_550_102_21e-10;

/// fdlibm `__kernel_cos` coefficients.
const C1: f64 = 4.166_666_666_666_660_190_37e-02;
const C2: f64 = -1.388_888_888_887_410_957_49e-03;
const C3: f64 = 2.480_158_728_947_672_941_78e-05;
const C4: f64 = -2.755_731_435_139_066_330_35e-07;
const C5: f64 = 2.087_572_321_298_174_827_90e-09;
const C6: f64 = -1.135_964_755_778_819_482_65e-11;

/// sin r, and the two parts of cos r − 1 (−r²/2 and fdlibm's small correction), for
/// |r| ≤ π/4: fdlibm's `__kernel_sin` and `__kernel_cos` without their branches.
#[inline(always)]
fn kernel_sin_cos<S: Simd>(r: F64s<S>) -> (F64s<S>, F64s<S>, F64s<S>) {
    let z = r * r;
    let poly_sin = z
        .mul_add(r.splat(S6), r.splat(S5))
        .mul_add(z, r.splat(S4))
        .mul_add(z, r.splat(S3))
        .mul_add(z, r.splat(S2))
        .mul_add(z, r.splat(S1));
    let sin_r = (r * z).mul_add(poly_sin, r);
    let poly_cos = z
        .mul_add(r.splat(C6), r.splat(C5))
        .mul_add(z, r.splat(C4))
        .mul_add(z, r.splat(C3))
        .mul_add(z, r.splat(C2))
        .mul_add(z, r.splat(C1));
    (sin_r, z * 0.5, z * z * poly_cos)
}

/// Sine and cosine of every lane.
#[inline(always)]
pub fn sin_cos<S: Simd>(x: F64s<S>) -> (F64s<S>, F64s<S>) {
    // Quadrant q and remainder r = x − q π/2 in [−π/4, π/4].
    let q = (x * TWO_OVER_PI).round_small();
    let r = (-q).mul_add(x.splat(PIO2_1), x);
    let r = (-q).mul_add(x.splat(PIO2_2), r);
    let r = (-q).mul_add(x.splat(PIO2_3), r);
    let r = (-q).mul_add(x.splat(PIO2_3T), r);

    let (sin_r, half_z, correction) = kernel_sin_cos(r);
    // fdlibm's ordering: 1 − z/2 first, then the small correction, keeps the last bit.
    let w = 1.0 - half_z;
    let cos_r = w + (((1.0 - w) - half_z) + correction);

    // quadrant = q mod 4, exactly: q/4 − 0.375 rounds to ⌊q/4⌋ for every integer q.
    let quadrant = q - 4.0 * (q * 0.25 - 0.375).round_small();
    let odd = (quadrant.eq(x.splat(1.0))) | quadrant.eq(x.splat(3.0));
    let sin_negative = quadrant.ge(x.splat(2.0));
    let cos_negative = quadrant.eq(x.splat(1.0)) | quadrant.eq(x.splat(2.0));
    let sin = odd.select(cos_r, sin_r);
    let cos = odd.select(sin_r, cos_r);
    (
        sin_negative.select(-sin, sin),
        cos_negative.select(-cos, cos),
    )
}

/// Largest angle [`rotate`] turns by.
pub const MAX_ROTATION: f64 = std::f64::consts::FRAC_PI_4;

/// sin(a + δ) and cos(a + δ) from sin a, cos a and |δ| ≤ [`MAX_ROTATION`], by the angle
/// sum formulas: no argument reduction and no quadrant logic, about half the work of
/// [`sin_cos`], within a few ulp of it. SGP4 keeps turning angles by small corrections
/// (Newton's steps in Kepler's equation, the short-period terms), whose sines and cosines
/// this reuses.
#[inline(always)]
pub fn rotate<S: Simd>(sin_a: F64s<S>, cos_a: F64s<S>, delta: F64s<S>) -> (F64s<S>, F64s<S>) {
    let (sin_d, half_z, correction) = kernel_sin_cos(delta);
    // cos δ − 1 kept apart from the 1, so that a small δ loses nothing to rounding.
    let cos_d_minus_1 = correction - half_z;
    (
        sin_a.mul_add(cos_d_minus_1, cos_a * sin_d) + sin_a,
        cos_a.mul_add(cos_d_minus_1, -(sin_a * sin_d)) + cos_a,
    )
}

/// Whether every lane of `delta` is an angle [`rotate`] turns by.
#[inline(always)]
pub fn rotates<S: Simd>(delta: F64s<S>) -> bool {
    delta.abs().le(delta.splat(MAX_ROTATION)).all()
}

/// 2π (the double nearest it, as the crate's `% (2.0 * PI)` uses) in two parts: the first
/// with its low 20 bits cleared (33 significant bits), the second the rest (19 bits).
const TAU_HIGH: f64 = f64::from_bits(std::f64::consts::TAU.to_bits() & !((1 << 20) - 1));
const TAU_LOW: f64 = std::f64::consts::TAU - TAU_HIGH;

/// x − turns × 2π, exactly (as `%` is) for whole `turns` below 2²⁰ in magnitude, with or
/// without FMA: both products are exact (33 and 19 bits times 20), the first difference is
/// exact by Sterbenz's lemma, and the remainder itself is a double, so the second is too.
#[inline(always)]
pub fn subtract_turns<S: Simd>(x: F64s<S>, turns: F64s<S>) -> F64s<S> {
    let partial = (-turns).mul_add(x.splat(TAU_HIGH), x);
    (-turns).mul_add(x.splat(TAU_LOW), partial)
}

/// Cephes `atan.c`: tan(3π/8), and π/4's low part ("MOREBITS").
const TAN_3PI_8: f64 = 2.414_213_562_373_095_048_80;
const PIO2_LOW: f64 = 6.123_233_995_736_766e-17;
const AT_P: [f64; 5] = [
    -8.750_608_600_031_904_122_785e-1,
    -1.615_753_718_733_365_076_637e1,
    -7.500_855_792_314_704_667_340e1,
    -1.228_866_684_490_136_173_410e2,
    -6.485_021_904_942_025_371_773e1,
];
const AT_Q: [f64; 5] = [
    2.485_846_490_142_306_297_962e1,
    1.650_270_098_316_988_542_046e2,
    4.328_810_604_912_902_668_951e2,
    4.853_903_996_359_136_964_868e2,
    1.945_506_571_482_613_964_425e2,
];

/// `y.atan2(x)` lane by lane, in (−π, π], with libm's signs for zeros.
///
/// With a = |y| and b = |x|, Cephes' reduction of atan(a / b) is taken straight from a and b
/// (a/b, (a − b)/(a + b) or −b/a), so one division serves both the ratio and the reduction.
#[inline(always)]
pub fn atan2<S: Simd>(y: F64s<S>, x: F64s<S>) -> F64s<S> {
    let (a, b) = (y.abs(), x.abs());
    // ratio > tan(3π/8), ratio > 0.66, written without dividing (b ≥ 0).
    let big = a.gt(b * TAN_3PI_8);
    let middle = !big & a.gt(b * 0.66);
    let numerator = big.select(-b, middle.select(a - b, a));
    let denominator = big.select(a, middle.select(a + b, b));
    let reduced = numerator / denominator;
    let offset = big.select(
        x.splat(std::f64::consts::FRAC_PI_2),
        middle.select(x.splat(std::f64::consts::FRAC_PI_4), x.splat(0.0)),
    );
    let offset_low = big.select(
        x.splat(PIO2_LOW),
        middle.select(x.splat(0.5 * PIO2_LOW), x.splat(0.0)),
    );

    let z = reduced * reduced;
    let p = z
        .mul_add(x.splat(AT_P[0]), x.splat(AT_P[1]))
        .mul_add(z, x.splat(AT_P[2]))
        .mul_add(z, x.splat(AT_P[3]))
        .mul_add(z, x.splat(AT_P[4]));
    let q = (z + AT_Q[0])
        .mul_add(z, x.splat(AT_Q[1]))
        .mul_add(z, x.splat(AT_Q[2]))
        .mul_add(z, x.splat(AT_Q[3]))
        .mul_add(z, x.splat(AT_Q[4]));
    let tail = (z * p / q).mul_add(reduced, offset_low);
    // atan(a / b) in [0, π/2]; a = b = 0 gives 0/0 here and is handled below.
    let angle = offset + (reduced + tail);

    let zero_x = x.eq(x.splat(0.0));
    let both_zero = zero_x & y.eq(x.splat(0.0));
    let angle = zero_x.select(x.splat(std::f64::consts::FRAC_PI_2), angle);
    // Left half-plane: π − angle, with π's low part so that the sum keeps full precision.
    let left = x.lt(x.splat(0.0)) | (both_zero & x.splat(1.0).copysign(x).lt(x.splat(0.0)));
    let reflected = (std::f64::consts::PI - angle) + 2.0 * PIO2_LOW;
    let angle = left.select(reflected, angle);
    let angle = both_zero.select(
        left.select(x.splat(std::f64::consts::PI), x.splat(0.0)),
        angle,
    );
    angle.copysign(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::simd::lanes::REGISTERS;
    use pulp::{Scalar, x86::V3, x86::V4};

    /// Distance in units in the last place between two doubles of the same sign.
    fn ulps(a: f64, b: f64) -> f64 {
        if a == b {
            return 0.0;
        }
        (a - b).abs() / (f64::EPSILON * a.abs().max(b.abs()).max(f64::MIN_POSITIVE))
    }

    fn sample(count: usize, low: f64, high: f64) -> Vec<f64> {
        // A fixed low-discrepancy sequence: deterministic and covering the range evenly.
        (0..count)
            .map(|i| low + (high - low) * ((i as f64 * 0.618_033_988_749_894_9) % 1.0))
            .collect()
    }

    /// `f` applied lane-wise to `inputs` (a whole number of vectors) on instruction set `S`.
    fn lanes<S: Simd>(
        simd: S,
        inputs: &[(f64, f64)],
        f: impl Fn(F64s<S>, F64s<S>) -> F64s<S>,
    ) -> Vec<f64> {
        // Padded (cyclically) to whole vectors; only the inputs' own lanes come back.
        let width = F64s::<S>::LANES;
        let padded = inputs.len().div_ceil(width) * width;
        let (a, b): (Vec<f64>, Vec<f64>) = inputs.iter().copied().cycle().take(padded).unzip();
        let mut out = Vec::new();
        let register_lanes = S::F64_LANES;
        for start in (0..a.len() - a.len() % width).step_by(width) {
            let a_sources: [(&[f64], usize); REGISTERS] =
                std::array::from_fn(|register| (&a[..], start + register * register_lanes));
            let b_sources: [(&[f64], usize); REGISTERS] =
                std::array::from_fn(|register| (&b[..], start + register * register_lanes));
            let result = f(F64s::load(simd, a_sources), F64s::load(simd, b_sources));
            out.extend((0..width).map(|lane| result.lane(lane)));
        }
        out.truncate(inputs.len());
        out
    }

    macro_rules! every_width {
        ($inputs:expr, |$a:ident, $b:ident| $f:expr, $check:expr) => {{
            let inputs = $inputs;
            let check = $check;
            let run = |name: &str, values: Vec<f64>| {
                assert!(!values.is_empty(), "{name}: nothing checked");
                for (value, &(a, b)) in values.iter().zip(&inputs) {
                    check(a, b, *value, name);
                }
            };
            run("scalar", lanes(Scalar::new(), &inputs, |$a, $b| $f));
            if let Some(simd) = V3::try_new() {
                run("avx2", lanes(simd, &inputs, |$a, $b| $f));
            }
            if let Some(simd) = V4::try_new() {
                run("avx512", lanes(simd, &inputs, |$a, $b| $f));
            }
        }};
    }

    #[test]
    fn sine_and_cosine_match_libm_to_within_two_ulps_of_one_over_the_range_sgp4_uses() {
        let inputs: Vec<(f64, f64)> = sample(200_000, -5_000.0, 5_000.0)
            .into_iter()
            .chain([
                0.0,
                -0.0,
                1e-300,
                std::f64::consts::FRAC_PI_4,
                1e5,
                -3e5,
                0.5,
                2.0,
            ])
            .map(|x| (x, 0.0))
            .collect();
        // Absolute error against values of magnitude ≤ 1: two ulps of 1.
        every_width!(
            inputs.clone(),
            |x, _unused| sin_cos(x).0,
            |x: f64, _: f64, got: f64, name: &str| {
                assert!(
                    (got - x.sin()).abs() <= 2.0 * f64::EPSILON,
                    "{name}: sin({x}) = {got}"
                );
            }
        );
        every_width!(
            inputs.clone(),
            |x, _unused| sin_cos(x).1,
            |x: f64, _: f64, got: f64, name: &str| {
                assert!(
                    (got - x.cos()).abs() <= 2.0 * f64::EPSILON,
                    "{name}: cos({x}) = {got}"
                );
            }
        );
    }

    #[test]
    fn rotating_a_sine_and_cosine_matches_libm_on_the_sum_to_within_three_ulps_of_one() {
        // (a, δ) with δ over the whole range `rotate` accepts, down to the tiny corrections
        // SGP4 feeds it; a in [−π, π] as Kepler's equation has it.
        let angles = sample(3_000, -std::f64::consts::PI, std::f64::consts::PI);
        let inputs: Vec<(f64, f64)> = [1e-13, 1e-9, 1e-5, 1e-3, 0.1, MAX_ROTATION]
            .iter()
            .flat_map(|&scale| {
                angles
                    .iter()
                    .zip(sample(3_000, -scale, scale))
                    .map(|(&a, delta)| (a, delta))
                    .collect::<Vec<_>>()
            })
            .chain([
                (0.5, MAX_ROTATION),
                (-2.0, -MAX_ROTATION),
                (1.0, 0.0),
                (1.0, -0.0),
            ])
            .collect();
        for (part, libm) in [(0, f64::sin as fn(f64) -> f64), (1, f64::cos)] {
            every_width!(
                inputs.clone(),
                |a, delta| {
                    let (sin_a, cos_a) = sin_cos(a);
                    let turned = rotate(sin_a, cos_a, delta);
                    if part == 0 { turned.0 } else { turned.1 }
                },
                |a: f64, delta: f64, got: f64, name: &str| {
                    let expected = libm(a + delta);
                    assert!(
                        (got - expected).abs() <= 3.0 * f64::EPSILON,
                        "{name}: part {part} of ({a} + {delta}) = {got}, libm {expected}"
                    );
                }
            );
        }
    }

    #[test]
    fn rotation_accepts_only_angles_within_its_range() {
        let within = F64s::splat_with(Scalar::new(), MAX_ROTATION);
        assert!(rotates(within) && rotates(-within));
        assert!(!rotates(within * 1.000_001));
        assert!(!rotates(within.splat(f64::NAN)));
        if let Some(simd) = V4::try_new() {
            let lanes = [0.1, -0.2, 0.3, 0.0, 0.5, 0.6, 0.7, 2.0];
            let sources: [(&[f64], usize); REGISTERS] = [(&lanes[..], 0); REGISTERS];
            assert!(!rotates(F64s::load(simd, sources)), "one lane out of range");
        }
    }

    #[test]
    fn sine_keeps_relative_precision_for_tiny_angles() {
        let inputs: Vec<(f64, f64)> = [
            1e-8, -3e-5, 1e-200, 0.01, 1e-3, -1e-12, 2e-7, 0.1, -0.2, 3e-4, 5e-6, -7e-9, 0.05,
            -0.3, 1e-100, 0.7,
        ]
        .map(|x| (x, 0.0))
        .to_vec();
        every_width!(
            inputs,
            |x, _unused| sin_cos(x).0,
            |x: f64, _: f64, got: f64, name: &str| {
                assert!(ulps(got, x.sin()) <= 1.0, "{name}: sin({x}) = {got}");
            }
        );
    }

    #[test]
    fn arctangent_matches_libm_to_two_ulps_in_every_quadrant() {
        let values = sample(20_000, -50.0, 50.0);
        let inputs: Vec<(f64, f64)> = [1e-6, 1.0, 1e6]
            .iter()
            .flat_map(|scale| {
                values
                    .iter()
                    .zip(values.iter().rev())
                    .map(move |(y, x)| (y * scale, *x))
            })
            .collect();
        every_width!(
            inputs,
            |y, x| atan2(y, x),
            |y: f64, x: f64, got: f64, name: &str| {
                assert!(
                    ulps(got, y.atan2(x)) <= 2.0,
                    "{name}: atan2({y}, {x}) = {got}, libm {}",
                    y.atan2(x)
                );
            }
        );
    }

    #[test]
    fn arctangent_handles_axes_and_zeros_like_libm() {
        let inputs = vec![
            (0.0, 1.0),
            (0.0, -1.0),
            (-0.0, -1.0),
            (1.0, 0.0),
            (-1.0, 0.0),
            (0.0, 0.0),
            (0.0, -0.0),
            (-0.0, -0.0),
            (1.0, 1.0),
            (-1.0, -1.0),
            (1e-310, -1.0),
            (-0.0, 0.0),
            (-3.0, -0.0),
            (2.0, 1e-300),
            (f64::MIN_POSITIVE, 1.0),
            (1.0, -1e300),
        ];
        every_width!(
            inputs,
            |y, x| atan2(y, x),
            |y: f64, x: f64, got: f64, name: &str| {
                let libm = y.atan2(x);
                assert!(
                    ulps(got, libm) <= 1.0,
                    "{name}: atan2({y}, {x}) = {got}, libm {libm}"
                );
                assert_eq!(
                    got.is_sign_negative(),
                    libm.is_sign_negative(),
                    "{name}: sign of atan2({y}, {x})"
                );
            }
        );
    }
}
