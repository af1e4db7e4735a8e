//! Why an object has no position: SGP4's own error conditions (with Vallado's codes), the
//! reasons an element set is rejected at initialisation, and the sanity checks on a state.

use std::fmt;

/// WGS-72 equatorial radius (km), the Earth radius SGP4 itself uses: below it an object has
/// decayed (python-sgp4's error 6).
pub const SGP4_EARTH_RADIUS_KM: f64 = 6378.135;

/// Beyond this distance from the Earth's centre (km; about the edge of the Earth's Hill
/// sphere) an SGP4 result is not an Earth orbit any more and is not shown.
pub const MAX_RADIUS_KM: f64 = 1.5e6;

/// Why SGP4 initialisation refused an element set (kept so that the data-status view and
/// `orbitscope catalog` can say which objects never propagate, and why).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rejection {
    /// The mean motion is zero or negative.
    NonPositiveMeanMotion,
    /// The Brouwer mean motion recovered from the Kozai one is zero or negative (a mean motion
    /// too small for the J₂ correction, or not a number).
    NonPositiveBrouwerMeanMotion,
    /// The epoch eccentricity is outside [0, 1).
    EccentricityOutOfRange { eccentricity: f64 },
}

impl Rejection {
    pub fn from_sgp4(error: &sgp4::ElementsError) -> Self {
        match error {
            sgp4::ElementsError::KozaiElementsError(
                sgp4::KozaiElementsError::NegativeKozaiMeanMotion,
            ) => Self::NonPositiveMeanMotion,
            sgp4::ElementsError::KozaiElementsError(
                sgp4::KozaiElementsError::NegativeBrouwerMeanMotion,
            ) => Self::NonPositiveBrouwerMeanMotion,
            sgp4::ElementsError::OutOfRangeEpochEccentricity(eccentricity) => {
                Self::EccentricityOutOfRange {
                    eccentricity: eccentricity.0,
                }
            }
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonPositiveMeanMotion => f.write_str("mean motion is not positive"),
            Self::NonPositiveBrouwerMeanMotion => {
                f.write_str("Brouwer mean motion (after the J2 correction) is not positive")
            }
            Self::EccentricityOutOfRange { eccentricity } => {
                write!(f, "eccentricity {eccentricity} is outside [0, 1)")
            }
        }
    }
}

/// Why an object has no position at the current instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// The element set was rejected when building SGP4 constants.
    ElementsRejected(Rejection),
    /// Mean eccentricity left [0, 1) (python-sgp4 error 1).
    EccentricityOutOfRange { eccentricity: f64 },
    /// Perturbed eccentricity left [0, 1) (error 3).
    PerturbedEccentricityOutOfRange { eccentricity: f64 },
    /// Semi-latus rectum went negative (error 4).
    NegativeSemiLatusRectum,
    /// The position is inside the Earth (error 6): the object has decayed.
    Decayed { radius_km: f64 },
    /// SGP4 returned a position or velocity that is not a finite number, or a position beyond
    /// [`MAX_RADIUS_KM`]: the element set is outside what SGP4 can model (e.g. an eccentricity
    /// of 0.9999999, or an absurd mean motion).
    Diverged,
}

impl Failure {
    /// python-sgp4 / Vallado error code, for comparison with reference tools.
    pub fn vallado_code(self) -> u8 {
        match self {
            Self::ElementsRejected(_) | Self::EccentricityOutOfRange { .. } => 1,
            Self::PerturbedEccentricityOutOfRange { .. } => 3,
            Self::NegativeSemiLatusRectum => 4,
            Self::Decayed { .. } => 6,
            // python-sgp4 returns NaN with error 0 here; 1 is its code for elements SGP4
            // cannot model, which is what a diverging solution means.
            Self::Diverged => 1,
        }
    }

    pub fn from_sgp4(error: &sgp4::Error) -> Self {
        match *error {
            sgp4::Error::OutOfRangeEccentricity { eccentricity, .. } => {
                Self::EccentricityOutOfRange { eccentricity }
            }
            sgp4::Error::OutOfRangePerturbedEccentricity { eccentricity, .. } => {
                Self::PerturbedEccentricityOutOfRange { eccentricity }
            }
            sgp4::Error::NegativeSemiLatusRectum { .. } => Self::NegativeSemiLatusRectum,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ElementsRejected(reason) => {
                write!(f, "element set rejected by SGP4 initialisation: {reason}")
            }
            Self::EccentricityOutOfRange { eccentricity } => {
                write!(f, "mean eccentricity {eccentricity:.6} outside [0, 1)")
            }
            Self::PerturbedEccentricityOutOfRange { eccentricity } => {
                write!(f, "perturbed eccentricity {eccentricity:.6} outside [0, 1)")
            }
            Self::NegativeSemiLatusRectum => f.write_str("negative semi-latus rectum"),
            Self::Decayed { radius_km } => {
                write!(f, "decayed (radius {radius_km:.1} km is inside the Earth)")
            }
            Self::Diverged => f.write_str(
                "SGP4 diverged (the position or velocity is not finite, or not near the Earth)",
            ),
        }
    }
}

impl std::error::Error for Failure {}

/// Accepts an SGP4 state only if it is a finite position near the Earth and above its surface.
pub fn checked_state(
    position: [f64; 3],
    velocity: [f64; 3],
) -> Result<([f64; 3], [f64; 3]), Failure> {
    let [x, y, z] = position;
    let radius_km = (x * x + y * y + z * z).sqrt();
    // Written so that NaN fails: every comparison with NaN is false.
    let finite = radius_km <= MAX_RADIUS_KM && velocity.iter().all(|v| v.is_finite());
    if !finite {
        return Err(Failure::Diverged);
    }
    if radius_km < SGP4_EARTH_RADIUS_KM {
        return Err(Failure::Decayed { radius_km });
    }
    Ok((position, velocity))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_or_runaway_states_are_failures() {
        let nan = f64::NAN;
        assert_eq!(
            checked_state([nan, 0.0, 0.0], [0.0; 3]),
            Err(Failure::Diverged)
        );
        assert_eq!(
            checked_state([7000.0, 0.0, 0.0], [f64::INFINITY, 0.0, 0.0]),
            Err(Failure::Diverged)
        );
        assert_eq!(
            checked_state([2e6, 0.0, 0.0], [0.0; 3]),
            Err(Failure::Diverged)
        );
        assert!(matches!(
            checked_state([6000.0, 0.0, 0.0], [0.0; 3]),
            Err(Failure::Decayed { .. })
        ));
        assert!(checked_state([7000.0, 0.0, 0.0], [7.5, 0.0, 0.0]).is_ok());
    }

    #[test]
    fn failures_are_errors_that_say_why() {
        let failure =
            Failure::ElementsRejected(Rejection::EccentricityOutOfRange { eccentricity: 1.2 });
        let error: &dyn std::error::Error = &failure;
        assert_eq!(
            error.to_string(),
            "element set rejected by SGP4 initialisation: eccentricity 1.2 is outside [0, 1)"
        );
        assert_eq!(failure.vallado_code(), 1);
    }
}
