//! A vector of doubles as one value: the vocabulary the SGP4 kernel is written in.
//!
//! [`F64s`] and [`Mask`] wrap `pulp`'s registers together with its instruction-set token `S`
//! (AVX-512: 8 lanes, AVX2: 4, scalar: 1), so that the kernel reads like the scalar formulas
//! (`a * b + c`) while every operation is one vector instruction. The token proves the CPU has
//! the instructions, which is what lets all of this be safe code.

// Index loops on purpose: iterator adapters are not `inline(always)`, and any call left
// un-inlined inside the kernel loses the vector target features (measured: 4× slower).
#![allow(clippy::needless_range_loop)]

use std::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

use pulp::Simd;

/// `block.$field` of each `(block, first lane)` source as one [`F64s`]: one register's lanes
/// from each source. (A macro, not a function taking a closure: every call in the kernel must
/// be inlined to keep the vector target features.)
macro_rules! load_lanes {
    ($simd:expr, $sources:expr, $field:ident) => {{
        let sources = &$sources;
        let mut fields = [(&sources[0].0.$field[..], sources[0].1); REGISTERS];
        for register in 1..REGISTERS {
            fields[register] = (&sources[register].0.$field[..], sources[register].1);
        }
        F64s::load($simd, fields)
    }};
}

pub(super) use load_lanes;

/// Registers per value. Independent registers per operation give the out-of-order core as
/// many dependency chains to overlap: SGP4 is one long chain (each step needs the last), and
/// with a single register per value the vector units idle on latency (measured: two registers
/// 1.6× faster than one; four ~15 % faster than two on AVX-512, best of eight alternating
/// runs; more spill to the stack).
pub const REGISTERS: usize = 4;

/// `REGISTERS × S::F64_LANES` doubles.
#[derive(Debug, Clone, Copy)]
pub struct F64s<S: Simd> {
    simd: S,
    value: [S::f64s; REGISTERS],
}

/// Yes/no per lane: the result of comparing [`F64s`].
#[derive(Debug, Clone, Copy)]
pub struct Mask<S: Simd> {
    simd: S,
    value: [S::m64s; REGISTERS],
}

impl<S: Simd> F64s<S> {
    #[inline(always)]
    pub fn splat_with(simd: S, value: f64) -> Self {
        Self {
            simd,
            value: [simd.splat_f64s(value); REGISTERS],
        }
    }

    /// Lanes in one value.
    pub const LANES: usize = REGISTERS * S::F64_LANES;

    /// `value` in every lane, on the same instruction set as `self`.
    #[inline(always)]
    pub fn splat(self, value: f64) -> Self {
        Self::splat_with(self.simd, value)
    }

    /// One register's worth of lanes from each source: `S::F64_LANES` values of each slice,
    /// from the given start.
    #[inline(always)]
    pub fn load(simd: S, sources: [(&[f64], usize); REGISTERS]) -> Self {
        let mut value = [load_register::<S>(sources[0]); REGISTERS];
        for register in 1..REGISTERS {
            value[register] = load_register::<S>(sources[register]);
        }
        Self { simd, value }
    }

    /// Every lane into `out[..Self::LANES]`, registers in order.
    #[inline(always)]
    pub fn store(self, out: &mut [f64]) {
        out[..Self::LANES].copy_from_slice(bytemuck::cast_slice::<S::f64s, f64>(&self.value));
    }

    /// One lane's value (registers in order).
    #[inline(always)]
    pub fn lane(self, lane: usize) -> f64 {
        bytemuck::cast_slice::<S::f64s, f64>(&self.value)[lane]
    }

    // Register by register, spelled out: library helpers (`array::map`, iterators) are not
    // `inline(always)`, and a call that is not inlined loses the vector target features.

    #[inline(always)]
    fn map(mut self, f: impl Fn(S, S::f64s) -> S::f64s) -> Self {
        for register in 0..REGISTERS {
            self.value[register] = f(self.simd, self.value[register]);
        }
        self
    }

    #[inline(always)]
    fn zip(mut self, other: Self, f: impl Fn(S, S::f64s, S::f64s) -> S::f64s) -> Self {
        for register in 0..REGISTERS {
            self.value[register] = f(self.simd, self.value[register], other.value[register]);
        }
        self
    }

    #[inline(always)]
    fn compare(self, other: Self, f: impl Fn(S, S::f64s, S::f64s) -> S::m64s) -> Mask<S> {
        let mut value = [f(self.simd, self.value[0], other.value[0]); REGISTERS];
        for register in 1..REGISTERS {
            value[register] = f(self.simd, self.value[register], other.value[register]);
        }
        Mask {
            simd: self.simd,
            value,
        }
    }

    #[inline(always)]
    pub fn sqrt(self) -> Self {
        self.map(|simd, x| simd.sqrt_f64s(x))
    }

    #[inline(always)]
    pub fn abs(self) -> Self {
        self.map(|simd, x| simd.abs_f64s(x))
    }

    /// `self × b + c`, fused into one rounding where the CPU has FMA (pulp's `mul_add_e`:
    /// without FMA it is a multiply and an add, never the slow library `fma`).
    #[inline(always)]
    pub fn mul_add(mut self, b: Self, c: Self) -> Self {
        for register in 0..REGISTERS {
            self.value[register] = self.simd.mul_add_e_f64s(
                self.value[register],
                b.value[register],
                c.value[register],
            );
        }
        self
    }

    /// Round to the nearest integer (ties to even) for |x| < 2⁵¹, by adding and subtracting
    /// 1.5 × 2⁵² with the sign of x. Larger values come back unchanged; callers bound their
    /// inputs.
    #[inline(always)]
    pub fn round_small(self) -> Self {
        const SHIFTER: f64 = 6_755_399_441_055_744.0;
        let shifter = self.splat(SHIFTER).copysign(self);
        (self + shifter) - shifter
    }

    /// Round towards zero for |x| < 2⁵¹ (see [`Self::round_small`]).
    #[inline(always)]
    pub fn trunc_small(self) -> Self {
        let rounded = self.round_small();
        let one = self.splat(1.0).copysign(self);
        rounded.abs().gt(self.abs()).select(rounded - one, rounded)
    }

    #[inline(always)]
    pub fn lt(self, other: Self) -> Mask<S> {
        self.compare(other, |simd, a, b| simd.less_than_f64s(a, b))
    }

    #[inline(always)]
    pub fn le(self, other: Self) -> Mask<S> {
        self.compare(other, |simd, a, b| simd.less_than_or_equal_f64s(a, b))
    }

    #[inline(always)]
    pub fn gt(self, other: Self) -> Mask<S> {
        self.compare(other, |simd, a, b| simd.greater_than_f64s(a, b))
    }

    #[inline(always)]
    pub fn ge(self, other: Self) -> Mask<S> {
        self.compare(other, |simd, a, b| simd.greater_than_or_equal_f64s(a, b))
    }

    #[inline(always)]
    pub fn eq(self, other: Self) -> Mask<S> {
        self.compare(other, |simd, a, b| simd.equal_f64s(a, b))
    }

    /// The larger lane-wise; `other` where `self` is not a number (as `f64::max` does).
    #[inline(always)]
    pub fn max(self, other: Self) -> Self {
        self.gt(other).select(self, other)
    }

    /// The magnitude of `self` with the sign of `sign`.
    #[inline(always)]
    pub fn copysign(self, sign: Self) -> Self {
        self.zip(sign, |simd, value, sign| {
            let sign_bit = simd.splat_u64s(1 << 63);
            let magnitude = simd.and_u64s(simd.transmute_u64s_f64s(value), simd.not_u64s(sign_bit));
            let sign = simd.and_u64s(simd.transmute_u64s_f64s(sign), sign_bit);
            simd.transmute_f64s_u64s(simd.or_u64s(magnitude, sign))
        })
    }

    /// Finite lanes (`|x| < ∞` is false for `NaN` and `±∞`).
    #[inline(always)]
    pub fn is_finite(self) -> Mask<S> {
        self.abs().lt(self.splat(f64::INFINITY))
    }
}

#[inline(always)]
fn load_register<S: Simd>((values, start): (&[f64], usize)) -> S::f64s {
    bytemuck::pod_read_unaligned(bytemuck::cast_slice(&values[start..start + S::F64_LANES]))
}

impl<S: Simd> Mask<S> {
    /// `yes` where the lane is set, `no` where it is not.
    #[inline(always)]
    pub fn select(self, yes: F64s<S>, mut no: F64s<S>) -> F64s<S> {
        for register in 0..REGISTERS {
            no.value[register] = self.simd.select_f64s(
                self.value[register],
                yes.value[register],
                no.value[register],
            );
        }
        no
    }

    #[inline(always)]
    pub fn any(self) -> bool {
        let mut any = self.value[0];
        for register in 1..REGISTERS {
            any = self.simd.or_m64s(any, self.value[register]);
        }
        self.simd.first_true_m64s(any) < S::F64_LANES
    }

    /// Every lane set. Comparisons with `NaN` are false, so a lane that is not a number fails
    /// a test written as `x.le(bound).all()`.
    #[inline(always)]
    pub fn all(self) -> bool {
        !(!self).any()
    }

    #[inline(always)]
    fn zip(mut self, other: Self, f: impl Fn(S, S::m64s, S::m64s) -> S::m64s) -> Self {
        for register in 0..REGISTERS {
            self.value[register] = f(self.simd, self.value[register], other.value[register]);
        }
        self
    }

    /// Whether lane `lane` is set. (Masks are bits on AVX-512 and lanes on AVX2, so the
    /// portable way to read one is through a select.)
    #[inline(always)]
    pub fn test(self, lane: usize) -> bool {
        let one = F64s::splat_with(self.simd, 1.0);
        self.select(one, one.splat(0.0)).lane(lane) != 0.0
    }
}

macro_rules! binary {
    ($trait:ident, $method:ident, $simd_method:ident) => {
        impl<S: Simd> $trait for F64s<S> {
            type Output = Self;
            #[inline(always)]
            fn $method(self, other: Self) -> Self {
                self.zip(other, |simd, a, b| simd.$simd_method(a, b))
            }
        }
        impl<S: Simd> $trait<f64> for F64s<S> {
            type Output = Self;
            #[inline(always)]
            fn $method(self, other: f64) -> Self {
                self.$method(self.splat(other))
            }
        }
        impl<S: Simd> $trait<F64s<S>> for f64 {
            type Output = F64s<S>;
            #[inline(always)]
            fn $method(self, other: F64s<S>) -> F64s<S> {
                other.splat(self).$method(other)
            }
        }
    };
}

binary!(Add, add, add_f64s);
binary!(Sub, sub, sub_f64s);
binary!(Mul, mul, mul_f64s);
binary!(Div, div, div_f64s);

impl<S: Simd> Neg for F64s<S> {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.map(|simd, x| simd.neg_f64s(x))
    }
}

impl<S: Simd> BitAnd for Mask<S> {
    type Output = Self;
    #[inline(always)]
    fn bitand(self, other: Self) -> Self {
        self.zip(other, |simd, a, b| simd.and_m64s(a, b))
    }
}

impl<S: Simd> BitOr for Mask<S> {
    type Output = Self;
    #[inline(always)]
    fn bitor(self, other: Self) -> Self {
        self.zip(other, |simd, a, b| simd.or_m64s(a, b))
    }
}

impl<S: Simd> Not for Mask<S> {
    type Output = Self;
    #[inline(always)]
    fn not(mut self) -> Self {
        for register in 0..REGISTERS {
            self.value[register] = self.simd.not_m64s(self.value[register]);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulp::Scalar;

    fn scalar(x: f64) -> F64s<Scalar> {
        F64s::splat_with(Scalar::new(), x)
    }

    #[test]
    fn trunc_small_rounds_towards_zero_on_both_sides_of_zero() {
        for (x, truncated) in [
            (0.4, 0.0),
            (0.5, 0.0),
            (1.5, 1.0),
            (2.9999, 2.0),
            (3.0, 3.0),
            (-0.5, 0.0),
            (-1.5, -1.0),
            (-2.6, -2.0),
            (-3.0, -3.0),
            (123_456.7, 123_456.0),
        ] {
            let got = scalar(x).trunc_small().lane(0);
            assert_eq!(got, truncated, "{x}");
            assert_eq!(got, x.trunc(), "{x}");
        }
    }

    #[test]
    fn round_small_rounds_to_nearest_even_on_both_sides_of_zero() {
        for (x, rounded) in [
            (0.4, 0.0),
            (0.5, 0.0),
            (1.5, 2.0),
            (-0.5, 0.0),
            (-1.5, -2.0),
            (-2.6, -3.0),
            (123_456.7, 123_457.0),
        ] {
            assert_eq!(scalar(x).round_small().lane(0), rounded, "{x}");
        }
    }

    #[test]
    fn selects_comparisons_and_signs_work_lane_by_lane() {
        let (one, two, nan) = (scalar(1.0), scalar(2.0), scalar(f64::NAN));
        assert!(one.lt(two).test(0) && !two.lt(one).test(0));
        assert!(!nan.lt(two).test(0) && !nan.ge(two).test(0));
        assert_eq!(one.max(two).lane(0), 2.0);
        assert_eq!(
            nan.max(two).lane(0),
            2.0,
            "NaN lanes take the other operand"
        );
        assert_eq!(one.lt(two).select(scalar(9.0), scalar(-9.0)).lane(0), 9.0);
        assert_eq!(scalar(3.0).copysign(scalar(-0.0)).lane(0), -3.0);
        assert!(!scalar(f64::INFINITY).is_finite().test(0) && !nan.is_finite().test(0));
        assert!((one.lt(two) & !one.gt(two)).any());
        assert!(!(one.gt(two) | nan.eq(nan)).any());
        let loaded = F64s::load(
            Scalar::new(),
            [
                (&[1.0, 2.0, 3.0][..], 2),
                (&[4.0][..], 0),
                (&[5.0][..], 0),
                (&[6.0][..], 0),
            ][..REGISTERS]
                .try_into()
                .unwrap(),
        );
        assert_eq!((loaded.lane(0), loaded.lane(1)), (3.0, 4.0));
    }
}
