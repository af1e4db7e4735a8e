//! The deep-space resonance integrator (geosynchronous and half-day orbits), object by object.
//!
//! SGP4 integrates the mean motion n and the resonance angle λ of resonant orbits in fixed
//! steps of 720 minutes from the epoch, then extrapolates from the last step to t with the
//! derivatives there. The `sgp4` crate recomputes those derivatives (up to 20 sines and
//! cosines) on every call; they depend only on the last step, so here they are computed once
//! per step and kept beside it. The steps are the crate's operations in the crate's order, with
//! libm's sine and cosine, so the integrator's state is bit for bit the crate's; only the
//! extrapolation to t runs in the vector kernel.

use super::near_earth::GEOPOTENTIAL;

/// The integrator's step (minutes).
const STEP: f64 = 720.0;

const LAMBDA31: f64 = 0.13130908;
const LAMBDA22: f64 = 2.8843198;
const LAMBDA33: f64 = 0.37448087;
const G22: f64 = 5.7686396;
const G32: f64 = 0.95240898;
const G44: f64 = 1.8014998;
const G52: f64 = 1.0508330;
const G54: f64 = 4.4108898;

/// The resonance's coefficients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResonanceTerms {
    /// Geosynchronous orbits (period 0.8 to 1.2 days).
    OneDay { dr1: f64, dr2: f64, dr3: f64 },
    /// Eccentric half-day orbits (Molniya).
    HalfDay {
        d2201: f64,
        d2211: f64,
        d3210: f64,
        d3222: f64,
        d4410: f64,
        d4422: f64,
        d5220: f64,
        d5232: f64,
        d5421: f64,
        d5433: f64,
        /// ω̇ (rad/min), which turns ω between steps.
        k14: f64,
    },
}

/// The integrator at its last step, with the derivatives there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Minutes since epoch (a multiple of 720).
    pub t: f64,
    pub mean_motion: f64,
    pub lambda: f64,
    /// λ̇ = n + λ̇₀.
    pub lambda_dot: f64,
    /// ṅ and n̈.
    pub mean_motion_dot: f64,
    pub mean_motion_ddot: f64,
    /// (kₑ / n)^(2/3): the semi-major axis at the step, from which the kernel refines the
    /// one at t (a cube root by Newton's method needs a close start).
    pub semi_major_axis: f64,
}

/// One resonant object's integrator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resonance {
    terms: ResonanceTerms,
    argument_of_perigee_0: f64,
    lambda_dot_0: f64,
    initial: Step,
    step: Step,
}

impl Resonance {
    pub fn new(
        terms: ResonanceTerms,
        argument_of_perigee_0: f64,
        lambda_dot_0: f64,
        mean_motion_0: f64,
        lambda_0: f64,
    ) -> Self {
        let epoch = Step {
            t: 0.0,
            mean_motion: mean_motion_0,
            lambda: lambda_0,
            lambda_dot: 0.0,
            mean_motion_dot: 0.0,
            mean_motion_ddot: 0.0,
            semi_major_axis: 0.0,
        };
        let mut resonance = Self {
            terms,
            argument_of_perigee_0,
            lambda_dot_0,
            initial: epoch,
            step: epoch,
        };
        resonance.initial = resonance.with_derivatives(resonance.initial);
        resonance.step = resonance.initial;
        resonance
    }

    pub fn terms(&self) -> &ResonanceTerms {
        &self.terms
    }

    /// The step the kernel extrapolates from.
    pub fn step(&self) -> &Step {
        &self.step
    }

    /// Steps to where the crate's integrator would stop for `t` (minutes since epoch); starts
    /// again from the epoch where the crate would refuse to go on (t back towards the epoch,
    /// or on its other side). Returns whether the step changed.
    pub fn advance(&mut self, t: f64) -> bool {
        if !t.is_finite() {
            // The kernel's state will not be finite either, and reports it; the crate would
            // never stop stepping.
            return false;
        }
        let before = self.step;
        let state = self.step;
        if (state.t != 0.0 && state.t.is_sign_positive() != t.is_sign_positive())
            || t.abs() < state.t.abs()
        {
            self.step = self.initial;
        }
        // The crate's loop: step while t is at least a whole step beyond tᵢ.
        let (delta_t, forward) = if t > 0.0 {
            (STEP, true)
        } else {
            (-STEP, false)
        };
        loop {
            let Step { t: ti, .. } = self.step;
            let done = if forward {
                t - delta_t < ti
            } else {
                t - delta_t > ti
            };
            if done {
                break;
            }
            let step = self.step;
            self.step = self.with_derivatives(Step {
                t: step.t + delta_t,
                mean_motion: step.mean_motion
                    + (step.mean_motion_dot * delta_t
                        + step.mean_motion_ddot * (STEP.powi(2) / 2.0)),
                lambda: step.lambda
                    + (step.lambda_dot * delta_t + step.mean_motion_dot * (STEP.powi(2) / 2.0)),
                ..step
            });
        }
        self.step != before
    }

    /// `step` with λ̇, ṅ, n̈ and a filled in, by the crate's formulas.
    fn with_derivatives(&self, step: Step) -> Step {
        let lambda = step.lambda;
        let lambda_dot = step.mean_motion + self.lambda_dot_0;
        let (mean_motion_dot, mean_motion_ddot) = match self.terms {
            ResonanceTerms::OneDay { dr1, dr2, dr3 } => (
                dr1 * (lambda - LAMBDA31).sin()
                    + dr2 * (2.0 * (lambda - LAMBDA22)).sin()
                    + dr3 * (3.0 * (lambda - LAMBDA33)).sin(),
                (dr1 * (lambda - LAMBDA31).cos()
                    + 2.0 * dr2 * (2.0 * (lambda - LAMBDA22)).cos()
                    + 3.0 * dr3 * (3.0 * (lambda - LAMBDA33)).cos())
                    * lambda_dot,
            ),
            ResonanceTerms::HalfDay {
                d2201,
                d2211,
                d3210,
                d3222,
                d4410,
                d4422,
                d5220,
                d5232,
                d5421,
                d5433,
                k14,
            } => {
                let w = self.argument_of_perigee_0 + k14 * step.t;
                (
                    d2201 * (2.0 * w + lambda - G22).sin()
                        + d2211 * (lambda - G22).sin()
                        + d3210 * (w + lambda - G32).sin()
                        + d3222 * (-w + lambda - G32).sin()
                        + d4410 * (2.0 * w + 2.0 * lambda - G44).sin()
                        + d4422 * (2.0 * lambda - G44).sin()
                        + d5220 * (w + lambda - G52).sin()
                        + d5232 * (-w + lambda - G52).sin()
                        + d5421 * (w + 2.0 * lambda - G54).sin()
                        + d5433 * (-w + 2.0 * lambda - G54).sin(),
                    (d2201 * (2.0 * w + lambda - G22).cos()
                        + d2211 * (lambda - G22).cos()
                        + d3210 * (w + lambda - G32).cos()
                        + d3222 * (-w + lambda - G32).cos()
                        + d5220 * (w + lambda - G52).cos()
                        + d5232 * (-w + lambda - G52).cos()
                        + 2.0
                            * (d4410 * (2.0 * w + 2.0 * lambda - G44).cos()
                                + d4422 * (2.0 * lambda - G44).cos()
                                + d5421 * (w + 2.0 * lambda - G54).cos()
                                + d5433 * (-w + 2.0 * lambda - G54).cos()))
                        * lambda_dot,
                )
            }
        };
        Step {
            lambda_dot,
            mean_motion_dot,
            mean_motion_ddot,
            semi_major_axis: (GEOPOTENTIAL.ke / step.mean_motion).powf(2.0 / 3.0),
            ..step
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geosynchronous() -> Resonance {
        // Terms of the order GEO objects have (rad/min²).
        Resonance::new(
            ResonanceTerms::OneDay {
                dr1: -2.0e-11,
                dr2: 5.0e-11,
                dr3: 1.0e-12,
            },
            1.8,
            -4.0e-7,
            4.375e-3,
            2.1,
        )
    }

    #[test]
    fn steps_stop_where_the_crate_stops_on_both_sides_of_the_epoch() {
        let mut resonance = geosynchronous();
        for (t, step) in [
            (0.0, 0.0),
            (719.9, 0.0),
            (720.0, 720.0),
            (1500.0, 1440.0),
            (-0.5, 0.0),
            (-719.9, 0.0),
            (-720.0, -720.0),
            (-1439.5, -720.0),
            (-1440.0, -1440.0),
            (30.0, 0.0),
        ] {
            resonance.advance(t);
            assert_eq!(resonance.step().t, step, "t = {t}");
        }
    }

    #[test]
    fn where_the_integrator_starts_does_not_change_where_it_arrives() {
        let mut direct = geosynchronous();
        direct.advance(30_000.0);
        let mut stepwise = geosynchronous();
        for t in [100.0, 5_000.0, -2_000.0, 800.0, 20_000.0, 30_000.0] {
            stepwise.advance(t);
        }
        assert_eq!(direct.step(), stepwise.step(), "bit for bit");
        assert!(
            !stepwise.advance(30_100.0),
            "no new step within 720 minutes"
        );
        assert!(stepwise.advance(30_300.0), "a new step at 30 240 minutes");
    }

    #[test]
    fn each_step_keeps_the_derivatives_at_that_step() {
        let mut resonance = geosynchronous();
        resonance.advance(7_200.0);
        let step = *resonance.step();
        let fresh = resonance.with_derivatives(Step {
            lambda_dot: 0.0,
            mean_motion_dot: 0.0,
            mean_motion_ddot: 0.0,
            semi_major_axis: 0.0,
            ..step
        });
        assert_eq!(step, fresh);
        assert_eq!(step.lambda_dot, step.mean_motion + -4.0e-7);
        assert!(step.mean_motion_dot != 0.0 && step.mean_motion != 4.375e-3);
    }

    #[test]
    fn a_time_that_is_not_a_number_leaves_the_integrator_as_it_was() {
        let mut resonance = geosynchronous();
        resonance.advance(3_000.0);
        let before = *resonance.step();
        assert!(!resonance.advance(f64::NAN));
        assert_eq!(*resonance.step(), before);
    }
}
