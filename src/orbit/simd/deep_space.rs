//! Per-object SGP4 initialisation for deep-space orbits (period ≥ 225 min): the lunar-solar
//! secular rates and long-period coefficients, and the resonance terms of geosynchronous and
//! half-day orbits, flattened into the numbers the vectorised kernel reads on every tick.
//!
//! The expressions are those of the `sgp4` crate's `deep_space::constants` and
//! `third_body::perturbations_and_dots` (Vallado's `dscom`, `dsinit`), in the same order, so
//! that the kernel starts from bit-identical constants; the crate keeps them private, hence
//! the port. Unlike near-Earth ones, they depend on the epoch (the Sun's and Moon's positions)
//! and, for resonant orbits, on the sidereal time at epoch, which is where improved mode and
//! AFSPC mode differ.

use std::f64::consts::{PI, TAU};

use sgp4::Orbit;

use super::blocks::lane_parameters;
use super::near_earth::{CommonTerms, common_terms};
use super::resonance::{Resonance, ResonanceTerms, Step};

// The crate's literal, digit for digit, so that it names the same double.
#[allow(clippy::excessive_precision)]
const SIDEREAL_SPEED: f64 = 4.37526908801129966e-3;
pub const SOLAR_ECCENTRICITY: f64 = 0.01675;
pub const LUNAR_ECCENTRICITY: f64 = 0.05490;
pub const SOLAR_MEAN_MOTION: f64 = 1.19459e-5;
pub const LUNAR_MEAN_MOTION: f64 = 1.5835218e-4;
const SOLAR_PERTURBATION_COEFFICIENT: f64 = 2.9864797e-6;
const LUNAR_PERTURBATION_COEFFICIENT: f64 = 4.7968065e-7;

// The long-period coefficients of each body are Vallado's (Sun: se2, se3, si2, si3, sl2, sl3,
// sl4, sgh2, sgh3, sgh4, sh2, sh3; Moon: ee2, e3, xi2, xi3, xl2, …, xh3), in that order:
// δe = e2 f₂ + e3 f₃, δi = i2 f₂ + i3 f₃, δM = l2 f₂ + l3 f₃ + l4 sin f,
// δ(ω + Ω cos i) = gh2 f₂ + gh3 f₃ + gh4 sin f, δΩ sin i = h2 f₂ + h3 f₃.
lane_parameters! {
    /// The tick-invariant SGP4 numbers of one deep-space object, and its resonance
    /// integrator's last step (updated by the batch as t moves on).
    DeepSpaceParameters,
    /// Up to [`BLOCK`](super::BLOCK) deep-space objects' parameters, one array per parameter.
    DeepSpaceBlock;
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
    eccentricity_dot,
    inclination_dot,
    solar_e2, solar_e3, solar_i2, solar_i3, solar_l2, solar_l3, solar_l4,
    solar_gh2, solar_gh3, solar_gh4, solar_h2, solar_h3,
    /// The Sun's mean anomaly at epoch (rad).
    solar_mean_anomaly_0,
    lunar_e2, lunar_e3, lunar_i2, lunar_i3, lunar_l2, lunar_l3, lunar_l4,
    lunar_gh2, lunar_gh3, lunar_gh4, lunar_h2, lunar_h3,
    /// The Moon's mean anomaly at epoch (rad).
    lunar_mean_anomaly_0,
    /// 1 for resonant orbits (then `half_day` says which resonance), 0 otherwise.
    resonant,
    half_day,
    /// Greenwich sidereal time at epoch (rad), for resonant orbits.
    sidereal_time_0,
    /// The resonance integrator's last step (see `resonance.rs`); zero when not resonant.
    step_t,
    step_mean_motion,
    step_lambda,
    step_lambda_dot,
    step_mean_motion_dot,
    step_mean_motion_ddot,
    step_semi_major_axis,
}

impl DeepSpaceBlock {
    /// Copies one lane's integrator step into the block.
    pub fn set_step(&mut self, lane: usize, step: &Step) {
        self.step_t[lane] = step.t;
        self.step_mean_motion[lane] = step.mean_motion;
        self.step_lambda[lane] = step.lambda;
        self.step_lambda_dot[lane] = step.lambda_dot;
        self.step_mean_motion_dot[lane] = step.mean_motion_dot;
        self.step_mean_motion_ddot[lane] = step.mean_motion_ddot;
        self.step_semi_major_axis[lane] = step.semi_major_axis;
    }
}

/// A deep-space object ready for the kernel: its parameters, and its integrator if resonant
/// (whose step the block is given with [`DeepSpaceBlock::set_step`]).
#[derive(Debug, Clone, Copy)]
pub struct DeepSpaceObject {
    pub parameters: DeepSpaceParameters,
    pub resonance: Option<Resonance>,
}

/// How SGP4 sees an epoch: years since J2000 and the Greenwich sidereal time then, each by
/// the mode's own expression (`Elements::epoch` and `iau_epoch_to_sidereal_time` in improved
/// mode; their `afspc` versions in AFSPC mode).
#[derive(Debug, Clone, Copy)]
pub struct EpochTerms {
    pub years_since_j2000: f64,
    pub sidereal_time: f64,
}

/// The kernel's parameters for a deep-space orbit whose epoch eccentricity is in [0, 1)
/// (checked by the caller, as `Constants::new` does), `epoch` relative to the batch reference.
pub fn deep_space_object(
    orbit: &Orbit,
    drag_term: f64,
    epoch: EpochTerms,
    epoch_seconds: f64,
    epoch_nanos: f64,
) -> DeepSpaceObject {
    let common = common_terms(orbit, drag_term);
    let CommonTerms {
        p2,
        b0,
        a0,
        p14,
        p15,
        k14,
        ..
    } = common;
    let d1900 = (epoch.years_since_j2000 + 100.0) * 365.25;
    let solar = third_body(
        orbit,
        BodyGeometry {
            inclination_sine: 0.39785416,
            inclination_cosine: 0.91744867,
            delta_right_ascension_sine: orbit.right_ascension.sin(),
            delta_right_ascension_cosine: orbit.right_ascension.cos(),
            eccentricity: SOLAR_ECCENTRICITY,
            argument_of_perigee_sine: -0.98088458,
            argument_of_perigee_cosine: 0.1945905,
            perturbation_coefficient: SOLAR_PERTURBATION_COEFFICIENT,
            mean_motion: SOLAR_MEAN_MOTION,
            mean_anomaly_0: (6.2565837 + 0.017201977 * d1900) % TAU,
        },
        p2,
        b0,
    );
    let lunar_right_ascension_epsilon = (4.5236020 - 9.2422029e-4 * d1900) % TAU;
    let lunar_inclination_cosine = 0.91375164 - 0.03568096 * lunar_right_ascension_epsilon.cos();
    let lunar_inclination_sine = (1.0 - lunar_inclination_cosine.powi(2)).sqrt();
    let lunar_right_ascension_sine =
        0.089683511 * lunar_right_ascension_epsilon.sin() / lunar_inclination_sine;
    let lunar_right_ascension_cosine = (1.0 - lunar_right_ascension_sine.powi(2)).sqrt();
    let lunar_argument_of_perigee = 5.8351514
        + 0.001944368 * d1900
        + (0.39785416 * lunar_right_ascension_epsilon.sin() / lunar_inclination_sine).atan2(
            lunar_right_ascension_cosine * lunar_right_ascension_epsilon.cos()
                + 0.91744867 * lunar_right_ascension_sine * lunar_right_ascension_epsilon.sin(),
        )
        - lunar_right_ascension_epsilon;
    let lunar = third_body(
        orbit,
        BodyGeometry {
            inclination_sine: lunar_inclination_sine,
            inclination_cosine: lunar_inclination_cosine,
            delta_right_ascension_sine: orbit.right_ascension.sin() * lunar_right_ascension_cosine
                - orbit.right_ascension.cos() * lunar_right_ascension_sine,
            delta_right_ascension_cosine: lunar_right_ascension_cosine
                * orbit.right_ascension.cos()
                + lunar_right_ascension_sine * orbit.right_ascension.sin(),
            eccentricity: LUNAR_ECCENTRICITY,
            argument_of_perigee_sine: lunar_argument_of_perigee.sin(),
            argument_of_perigee_cosine: lunar_argument_of_perigee.cos(),
            perturbation_coefficient: LUNAR_PERTURBATION_COEFFICIENT,
            mean_motion: LUNAR_MEAN_MOTION,
            mean_anomaly_0: (-1.1151842 + 0.228027132 * d1900) % TAU,
        },
        p2,
        b0,
    );
    let [
        se2,
        se3,
        si2,
        si3,
        sl2,
        sl3,
        sl4,
        sgh2,
        sgh3,
        sgh4,
        sh2,
        sh3,
    ] = solar.coefficients;
    let [ee2, e3, xi2, xi3, xl2, xl3, xl4, xgh2, xgh3, xgh4, xh2, xh3] = lunar.coefficients;
    let mut parameters = DeepSpaceParameters {
        epoch_seconds,
        epoch_nanos,
        inclination: orbit.inclination,
        right_ascension: orbit.right_ascension,
        eccentricity: orbit.eccentricity,
        argument_of_perigee: orbit.argument_of_perigee,
        mean_anomaly: orbit.mean_anomaly,
        mean_motion: orbit.mean_motion,
        right_ascension_dot: p14 + (solar.dots.right_ascension + lunar.dots.right_ascension),
        argument_of_perigee_dot: k14
            + (solar.dots.argument_of_perigee + lunar.dots.argument_of_perigee),
        mean_anomaly_dot: p15 + (solar.dots.mean_anomaly + lunar.dots.mean_anomaly),
        c1: common.c1,
        c4: common.c4,
        k0: common.k0,
        a0,
        eccentricity_dot: solar.dots.eccentricity + lunar.dots.eccentricity,
        inclination_dot: solar.dots.inclination + lunar.dots.inclination,
        solar_e2: se2,
        solar_e3: se3,
        solar_i2: si2,
        solar_i3: si3,
        solar_l2: sl2,
        solar_l3: sl3,
        solar_l4: sl4,
        solar_gh2: sgh2,
        solar_gh3: sgh3,
        solar_gh4: sgh4,
        solar_h2: sh2,
        solar_h3: sh3,
        solar_mean_anomaly_0: solar.mean_anomaly_0,
        lunar_e2: ee2,
        lunar_e3: e3,
        lunar_i2: xi2,
        lunar_i3: xi3,
        lunar_l2: xl2,
        lunar_l3: xl3,
        lunar_l4: xl4,
        lunar_gh2: xgh2,
        lunar_gh3: xgh3,
        lunar_gh4: xgh4,
        lunar_h2: xh2,
        lunar_h3: xh3,
        lunar_mean_anomaly_0: lunar.mean_anomaly_0,
        sidereal_time_0: epoch.sidereal_time,
        // Not resonant: harmless values for the lanes whose resonance terms are discarded.
        step_mean_motion: orbit.mean_motion,
        step_semi_major_axis: a0,
        ..DeepSpaceParameters::default()
    };
    let resonance = resonance(
        orbit,
        &common,
        &solar.dots,
        &lunar.dots,
        epoch.sidereal_time,
    );
    if let Some(resonance) = &resonance {
        parameters.resonant = 1.0;
        parameters.half_day = match resonance.terms() {
            ResonanceTerms::OneDay { .. } => 0.0,
            ResonanceTerms::HalfDay { .. } => 1.0,
        };
    }
    DeepSpaceObject {
        parameters,
        resonance,
    }
}

/// The resonance integrator of a geosynchronous or half-day orbit; `None` for the others.
fn resonance(
    orbit: &Orbit,
    common: &CommonTerms,
    solar_dots: &Dots,
    lunar_dots: &Dots,
    sidereal_time_0: f64,
) -> Option<Resonance> {
    let CommonTerms {
        p1,
        a0,
        p14,
        p15,
        k14,
        ..
    } = *common;
    let (n0, e0, i0) = (orbit.mean_motion, orbit.eccentricity, orbit.inclination);
    let one_day = n0 < 0.0052359877 && n0 > 0.0034906585;
    let half_day = (8.26e-3..=9.24e-3).contains(&n0) && e0 >= 0.5;
    if one_day {
        let lambda_0 = (orbit.mean_anomaly + orbit.right_ascension + orbit.argument_of_perigee
            - sidereal_time_0)
            % TAU;
        let lambda_dot_0 = p15 + (k14 + p14) - SIDEREAL_SPEED
            + (solar_dots.mean_anomaly + lunar_dots.mean_anomaly)
            + (solar_dots.argument_of_perigee + lunar_dots.argument_of_perigee)
            + (solar_dots.right_ascension + lunar_dots.right_ascension)
            - n0;
        let p17 = 3.0 * (n0 / a0).powi(2);
        let terms = ResonanceTerms::OneDay {
            dr1: p17
                * (0.9375 * i0.sin().powi(2) * (1.0 + 3.0 * p1) - 0.75 * (1.0 + p1))
                * (1.0 + 2.0 * e0.powi(2))
                * 2.1460748e-6
                / a0,
            dr2: 2.0
                * p17
                * (0.75 * (1.0 + p1).powi(2))
                * (1.0 + e0.powi(2) * (-2.5 + 0.8125 * e0.powi(2)))
                * 1.7891679e-6,
            dr3: 3.0
                * p17
                * (1.875 * (1.0 + p1).powi(3))
                * (1.0 + e0.powi(2) * (-6.0 + 6.60937 * e0.powi(2)))
                * 2.2123015e-7
                / a0,
        };
        return Some(Resonance::new(
            terms,
            orbit.argument_of_perigee,
            lambda_dot_0,
            n0,
            lambda_0,
        ));
    }
    if !half_day {
        return None;
    }
    let lambda_0 = (orbit.mean_anomaly + orbit.right_ascension + orbit.right_ascension
        - sidereal_time_0
        - sidereal_time_0)
        % TAU;
    let lambda_dot_0 = p15
        + (solar_dots.mean_anomaly + lunar_dots.mean_anomaly)
        + 2.0 * (p14 + (solar_dots.right_ascension + lunar_dots.right_ascension) - SIDEREAL_SPEED)
        - n0;
    let p18 = 3.0 * n0.powi(2) * (1.0 / a0).powi(2);
    let p19 = p18 * (1.0 / a0);
    let p20 = p19 * (1.0 / a0);
    let p21 = p20 * (1.0 / a0);
    let f220 = 0.75 * (1.0 + 2.0 * p1 + p1.powi(2));
    let cubic = |c: [f64; 4]| c[0] + c[1] * e0 - c[2] * e0.powi(2) + c[3] * e0.powi(3);
    let (g211, g310, g322, g410, g422) = if e0 <= 0.65 {
        (
            3.616 - 13.247 * e0 + 16.29 * e0.powi(2),
            cubic([-19.302, 117.39, 228.419, 156.591]),
            cubic([-18.9068, 109.7927, 214.6334, 146.5816]),
            cubic([-41.122, 242.694, 471.094, 313.953]),
            cubic([-146.407, 841.88, 1629.014, 1083.435]),
        )
    } else {
        (
            cubic([-72.099, 331.819, 508.738, 266.724]),
            cubic([-346.844, 1582.851, 2415.925, 1246.113]),
            cubic([-342.585, 1554.908, 2366.899, 1215.972]),
            cubic([-1052.797, 4758.686, 7193.992, 3651.957]),
            cubic([-3581.69, 16178.11, 24462.77, 12422.52]),
        )
    };
    let g520 = if e0 <= 0.65 {
        cubic([-532.114, 3017.977, 5740.032, 3708.276])
    } else if e0 < 0.715 {
        1464.74 - 4664.75 * e0 + 3763.64 * e0.powi(2)
    } else {
        cubic([-5149.66, 29936.92, 54087.36, 31324.56])
    };
    let (g532, g521, g533) = if e0 < 0.7 {
        (
            cubic([-853.666, 4690.25, 8624.77, 5341.4]),
            cubic([-822.71072, 4568.6173, 8491.4146, 5337.524]),
            cubic([-919.2277, 4988.61, 9064.77, 5542.21]),
        )
    } else {
        (
            cubic([-40023.88, 170470.89, 242699.48, 115605.82]),
            cubic([-51752.104, 218913.95, 309468.16, 146349.42]),
            cubic([-37995.78, 161616.52, 229838.2, 109377.94]),
        )
    };
    let sin_i0 = i0.sin();
    let terms = ResonanceTerms::HalfDay {
        d2201: p18 * 1.7891679e-6 * f220 * (-0.306 - (e0 - 0.64) * 0.44),
        d2211: p18 * 1.7891679e-6 * (1.5 * sin_i0.powi(2)) * g211,
        d3210: p19 * 3.7393792e-7 * (1.875 * sin_i0 * (1.0 - 2.0 * p1 - 3.0 * p1.powi(2))) * g310,
        d3222: p19 * 3.7393792e-7 * (-1.875 * sin_i0 * (1.0 + 2.0 * p1 - 3.0 * p1.powi(2))) * g322,
        d4410: 2.0 * p20 * 7.3636953e-9 * (35.0 * sin_i0.powi(2) * f220) * g410,
        d4422: 2.0 * p20 * 7.3636953e-9 * (39.375 * sin_i0.powi(4)) * g422,
        d5220: p21
            * 1.1428639e-7
            * (9.84375
                * sin_i0
                * (sin_i0.powi(2) * (1.0 - 2.0 * p1 - 5.0 * p1.powi(2))
                    + 0.33333333 * (-2.0 + 4.0 * p1 + 6.0 * p1.powi(2))))
            * g520,
        d5232: p21
            * 1.1428639e-7
            * (sin_i0
                * (4.92187512 * sin_i0.powi(2) * (-2.0 - 4.0 * p1 + 10.0 * p1.powi(2))
                    + 6.56250012 * (1.0 + 2.0 * p1 - 3.0 * p1.powi(2))))
            * g532,
        d5421: 2.0
            * p21
            * 2.1765803e-9
            * (29.53125
                * sin_i0
                * (2.0 - 8.0 * p1 + p1.powi(2) * (-12.0 + 8.0 * p1 + 10.0 * p1.powi(2))))
            * g521,
        d5433: 2.0
            * p21
            * 2.1765803e-9
            * (29.53125
                * sin_i0
                * (-2.0 - 8.0 * p1 + p1.powi(2) * (12.0 + 8.0 * p1 - 10.0 * p1.powi(2))))
            * g533,
        k14,
    };
    Some(Resonance::new(
        terms,
        orbit.argument_of_perigee,
        lambda_dot_0,
        n0,
        lambda_0,
    ))
}

/// Where a perturbing body is, as the crate's `perturbations_and_dots` takes it.
struct BodyGeometry {
    inclination_sine: f64,
    inclination_cosine: f64,
    delta_right_ascension_sine: f64,
    delta_right_ascension_cosine: f64,
    eccentricity: f64,
    argument_of_perigee_sine: f64,
    argument_of_perigee_cosine: f64,
    perturbation_coefficient: f64,
    mean_motion: f64,
    mean_anomaly_0: f64,
}

/// The secular rates one body adds to the orbit's elements (rad/min).
struct Dots {
    inclination: f64,
    right_ascension: f64,
    eccentricity: f64,
    argument_of_perigee: f64,
    mean_anomaly: f64,
}

struct BodyTerms {
    coefficients: [f64; 12],
    mean_anomaly_0: f64,
    dots: Dots,
}

/// The crate's `third_body::perturbations_and_dots` (Vallado's `dscom` and `dsinit` for one
/// body), its operations in its order. `beta_squared` is 1 − e₀² (the crate passes p₂ there).
fn third_body(orbit: &Orbit, body: BodyGeometry, beta_squared: f64, b0: f64) -> BodyTerms {
    let (i0, e0, w0, n0) = (
        orbit.inclination,
        orbit.eccentricity,
        orbit.argument_of_perigee,
        orbit.mean_motion,
    );
    let (sin_w, cos_w) = (
        body.argument_of_perigee_sine,
        body.argument_of_perigee_cosine,
    );
    let (sin_i, cos_i) = (body.inclination_sine, body.inclination_cosine);
    let (sin_h, cos_h) = (
        body.delta_right_ascension_sine,
        body.delta_right_ascension_cosine,
    );
    let ax1 = cos_w * cos_h + sin_w * cos_i * sin_h;
    let ax3 = -sin_w * cos_h + cos_w * cos_i * sin_h;
    let ax7 = -cos_w * sin_h + sin_w * cos_i * cos_h;
    let ax8 = sin_w * sin_i;
    let ax9 = sin_w * sin_h + cos_w * cos_i * cos_h;
    let ax10 = cos_w * sin_i;
    let ax2 = i0.cos() * ax7 + i0.sin() * ax8;
    let ax4 = i0.cos() * ax9 + i0.sin() * ax10;
    let ax5 = -i0.sin() * ax7 + i0.cos() * ax8;
    let ax6 = -i0.sin() * ax9 + i0.cos() * ax10;
    let xx1 = ax1 * w0.cos() + ax2 * w0.sin();
    let xx2 = ax3 * w0.cos() + ax4 * w0.sin();
    let xx3 = -ax1 * w0.sin() + ax2 * w0.cos();
    let xx4 = -ax3 * w0.sin() + ax4 * w0.cos();
    let xx5 = ax5 * w0.sin();
    let xx6 = ax6 * w0.sin();
    let xx7 = ax5 * w0.cos();
    let xx8 = ax6 * w0.cos();
    let zx31 = 12.0 * xx1.powi(2) - 3.0 * xx3.powi(2);
    let zx32 = 24.0 * xx1 * xx2 - 6.0 * xx3 * xx4;
    let zx33 = 12.0 * xx2.powi(2) - 3.0 * xx4.powi(2);
    let e2 = e0.powi(2);
    let zx11 = -6.0 * ax1 * ax5 + e2 * (-24.0 * xx1 * xx7 - 6.0 * xx3 * xx5);
    let zx13 = -6.0 * ax3 * ax6 + e2 * (-24.0 * xx2 * xx8 - 6.0 * xx4 * xx6);
    let zx21 = 6.0 * ax2 * ax5 + e2 * (24.0 * xx1 * xx5 - 6.0 * xx3 * xx7);
    let zx23 = 6.0 * ax4 * ax6 + e2 * (24.0 * xx2 * xx6 - 6.0 * xx4 * xx8);
    let zx1 = (3.0 * (ax1.powi(2) + ax2.powi(2)) + zx31 * e2) * 2.0 + beta_squared * zx31;
    let zx3 = (3.0 * (ax3.powi(2) + ax4.powi(2)) + zx33 * e2) * 2.0 + beta_squared * zx33;
    let px0 = body.perturbation_coefficient / n0;
    let px1 = -0.5 * px0 / b0;
    let px2 = px0 * b0;
    let px3 = -15.0 * e0 * px2;
    let right_ascension_dot = if !(5.2359877e-2..=PI - 5.2359877e-2).contains(&i0) {
        0.0
    } else {
        -body.mean_motion * px1 * (zx21 + zx23) / i0.sin()
    };
    BodyTerms {
        coefficients: [
            2.0 * px3 * (xx2 * xx3 + xx1 * xx4),
            2.0 * px3 * (xx2 * xx4 - xx1 * xx3),
            2.0 * px1
                * (-6.0 * (ax1 * ax6 + ax3 * ax5)
                    + e2 * (-24.0 * (xx2 * xx7 + xx1 * xx8) - 6.0 * (xx3 * xx6 + xx4 * xx5))),
            2.0 * px1 * (zx13 - zx11),
            -2.0 * px0 * ((6.0 * (ax1 * ax3 + ax2 * ax4) + zx32 * e2) * 2.0 + beta_squared * zx32),
            -2.0 * px0 * (zx3 - zx1),
            -2.0 * px0 * (-21.0 - 9.0 * e2) * body.eccentricity,
            2.0 * px2 * zx32,
            2.0 * px2 * (zx33 - zx31),
            -18.0 * px2 * body.eccentricity,
            -2.0 * px1
                * (6.0 * (ax4 * ax5 + ax2 * ax6)
                    + e2 * (24.0 * (xx2 * xx5 + xx1 * xx6) - 6.0 * (xx4 * xx7 + xx3 * xx8))),
            -2.0 * px1 * (zx23 - zx21),
        ],
        mean_anomaly_0: body.mean_anomaly_0,
        dots: Dots {
            inclination: px1 * body.mean_motion * (zx11 + zx13),
            right_ascension: right_ascension_dot,
            eccentricity: px3 * body.mean_motion * (xx1 * xx3 + xx2 * xx4),
            argument_of_perigee: px2 * body.mean_motion * (zx31 + zx33 - 6.0)
                - i0.cos() * right_ascension_dot,
            mean_anomaly: -body.mean_motion * px0 * (zx1 + zx3 - 14.0 - 6.0 * e2),
        },
    }
}
