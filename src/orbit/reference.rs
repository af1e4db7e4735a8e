//! The `sgp4` crate's per-object SGP4, configured as OrbitScope runs it: the reference the
//! vectorised kernel (near-Earth and deep-space orbits alike) is tested against, and the source
//! of the reasons an element set is refused at initialisation.

use sgp4::{Constants, Elements, MinutesSinceEpoch};

use super::failure::{Failure, Rejection, checked_state};
use super::time::Instant;

/// Which SGP4 variant to run. Both use the WGS-72 geopotential that GP element sets are
/// fitted with (the sgp4 crate's `Constants::from_elements` uses WGS-84, which moves a LEO
/// object ~10 m within hours from where every other SGP4 implementation puts it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PropagationMode {
    /// Vallado's improved mode: python-sgp4's and Skyfield's default (opsmode 'i', WGS-72).
    #[default]
    Improved,
    /// AFSPC compatibility (the mode Vallado's verification output was made with).
    Afspc,
}

const DEGREES: f64 = std::f64::consts::PI / 180.0;

/// The Brouwer mean elements SGP4 starts from (WGS-72), or why there are none.
pub fn brouwer_orbit(elements: &Elements) -> Result<sgp4::Orbit, Rejection> {
    sgp4::Orbit::from_kozai_elements(
        &sgp4::WGS72,
        elements.inclination * DEGREES,
        elements.right_ascension * DEGREES,
        elements.eccentricity,
        elements.argument_of_perigee * DEGREES,
        elements.mean_anomaly * DEGREES,
        // rev/day → rad/min
        elements.mean_motion * (std::f64::consts::PI / 720.0),
    )
    .map_err(|error| Rejection::from_sgp4(&sgp4::ElementsError::KozaiElementsError(error)))
}

/// The crate's SGP4 constants for `elements` in `mode`, or why SGP4 rejects them.
pub fn crate_constants(elements: &Elements, mode: PropagationMode) -> Result<Constants, Rejection> {
    match mode {
        // Improved mode: WGS-72 with the IAU sidereal time (python-sgp4's `Satrec` defaults).
        PropagationMode::Improved => Constants::new(
            sgp4::WGS72,
            sgp4::iau_epoch_to_sidereal_time,
            elements.epoch(),
            elements.drag_term,
            brouwer_orbit(elements)?,
        )
        .map_err(|error| {
            Rejection::from_sgp4(&sgp4::ElementsError::OutOfRangeEpochEccentricity(error))
        }),
        PropagationMode::Afspc => Constants::from_elements_afspc_compatibility_mode(elements)
            .map_err(|error| Rejection::from_sgp4(&error)),
    }
}

/// One object through the crate, from its epoch every time (no cached integrator state).
#[derive(Debug, Clone)]
pub struct ReferencePropagator {
    constants: Result<Constants, Rejection>,
    epoch: Instant,
    mode: PropagationMode,
}

impl ReferencePropagator {
    pub fn new(elements: &Elements, mode: PropagationMode) -> Self {
        Self {
            constants: crate_constants(elements, mode),
            epoch: Instant::from_naive_utc(&elements.datetime),
            mode,
        }
    }

    /// Position and velocity (TEME, km, km/s) at `at`, checked as the batch checks them.
    pub fn propagate(&self, at: Instant) -> Result<([f64; 3], [f64; 3]), Failure> {
        let constants = self
            .constants
            .as_ref()
            .map_err(|reason| Failure::ElementsRejected(*reason))?;
        let minutes = MinutesSinceEpoch(at.minutes_since(self.epoch));
        let prediction = match self.mode {
            PropagationMode::Improved => constants.propagate(minutes),
            PropagationMode::Afspc => constants.propagate_afspc_compatibility_mode(minutes),
        }
        .map_err(|error| Failure::from_sgp4(&error))?;
        checked_state(prediction.position, prediction.velocity)
    }
}

/// Every element set SGP4 refuses at initialisation, with its index and the reason (what
/// `orbitscope catalog` and the data-status window list; such objects are never drawn).
pub fn rejections<'a>(
    elements: impl IntoIterator<Item = &'a Elements>,
    mode: PropagationMode,
) -> Vec<(usize, Rejection)> {
    elements
        .into_iter()
        .enumerate()
        .filter_map(|(index, elements)| crate_constants(elements, mode).err().map(|r| (index, r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_name_the_object_and_the_reason() {
        let mut iss = Elements::from_tle(
            None,
            b"1 25544U 98067A   20194.88612269 -.00002218  00000-0 -31515-4 0  9992",
            b"2 25544  51.6461 221.2784 0001413  89.1723 280.4612 15.49507896236008",
        )
        .unwrap();
        let good = iss.clone();
        iss.eccentricity = 1.5;
        let mut stopped = good.clone();
        stopped.mean_motion = 0.0;
        for mode in [PropagationMode::Improved, PropagationMode::Afspc] {
            let found = rejections([&good, &iss, &stopped], mode);
            assert_eq!(
                found,
                [
                    (1, Rejection::EccentricityOutOfRange { eccentricity: 1.5 }),
                    (2, Rejection::NonPositiveMeanMotion)
                ]
            );
            let failure = ReferencePropagator::new(&iss, mode)
                .propagate(Instant::from_naive_utc(&iss.datetime))
                .unwrap_err();
            assert!(
                failure
                    .to_string()
                    .contains("eccentricity 1.5 is outside [0, 1)")
            );
        }
    }
}
