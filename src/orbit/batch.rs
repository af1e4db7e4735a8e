//! Exact SGP4 for the whole catalog at one instant, into flat structure-of-arrays buffers.
//!
//! `sgp4::Constants` are built once per element set. Each call propagates every object in
//! parallel (rayon) without allocating. Resonant deep-space orbits (GEO, Molniya, GPS) keep
//! their integrator state between calls while time moves forward, since re-integrating from
//! the epoch on every call costs up to tens of microseconds per object; the state is re-seeded
//! when time jumps back. Results are identical to `Constants::propagate` either way.

use std::fmt;

use rayon::prelude::*;
use sgp4::{Constants, Elements, MinutesSinceEpoch, ResonanceState};

use super::time::Instant;

/// WGS-72 equatorial radius (km), the Earth radius SGP4 itself uses: below it an object has
/// decayed (python-sgp4's error 6).
pub const SGP4_EARTH_RADIUS_KM: f64 = 6378.135;

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

/// Why an object has no position at the current instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// The element set was rejected when building SGP4 constants.
    ElementsRejected,
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

/// Beyond this distance from the Earth's centre (km; about the edge of the Earth's Hill
/// sphere) an SGP4 result is not an Earth orbit any more and is not shown.
pub const MAX_RADIUS_KM: f64 = 1.5e6;

impl Failure {
    /// python-sgp4 / Vallado error code, for comparison with reference tools.
    pub fn vallado_code(self) -> u8 {
        match self {
            Self::ElementsRejected | Self::EccentricityOutOfRange { .. } => 1,
            Self::PerturbedEccentricityOutOfRange { .. } => 3,
            Self::NegativeSemiLatusRectum => 4,
            Self::Decayed { .. } => 6,
            // python-sgp4 returns NaN with error 0 here; 1 is its code for elements SGP4
            // cannot model, which is what a diverging solution means.
            Self::Diverged => 1,
        }
    }

    fn from_sgp4(error: &sgp4::Error) -> Self {
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
            Self::ElementsRejected => f.write_str("element set rejected by SGP4 initialisation"),
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

/// Positions and velocities (TEME, km and km/s) of every object, indexed like the catalog.
#[derive(Debug, Clone, Default)]
pub struct StateBuffers {
    pub positions_km: Vec<[f64; 3]>,
    pub velocities_km_s: Vec<[f64; 3]>,
    /// `None` where the object propagated; the reason where it did not.
    pub failures: Vec<Option<Failure>>,
    /// The instant the buffers hold.
    pub instant: Option<Instant>,
}

impl StateBuffers {
    pub fn with_len(len: usize) -> Self {
        Self {
            positions_km: vec![[0.0; 3]; len],
            velocities_km_s: vec![[0.0; 3]; len],
            failures: vec![Some(Failure::ElementsRejected); len],
            instant: None,
        }
    }

    pub fn len(&self) -> usize {
        self.positions_km.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions_km.is_empty()
    }

    pub fn failed_count(&self) -> usize {
        self.failures
            .iter()
            .filter(|failure| failure.is_some())
            .count()
    }
}

/// SGP4 constants in improved mode with WGS-72 (python-sgp4's `Satrec` defaults).
fn wgs72_improved_constants(elements: &Elements) -> Result<Constants, sgp4::ElementsError> {
    let degrees = std::f64::consts::PI / 180.0;
    let orbit = sgp4::Orbit::from_kozai_elements(
        &sgp4::WGS72,
        elements.inclination * degrees,
        elements.right_ascension * degrees,
        elements.eccentricity,
        elements.argument_of_perigee * degrees,
        elements.mean_anomaly * degrees,
        // rev/day → rad/min
        elements.mean_motion * (std::f64::consts::PI / 720.0),
    )?;
    Ok(Constants::new(
        sgp4::WGS72,
        sgp4::iau_epoch_to_sidereal_time,
        elements.epoch(),
        elements.drag_term,
        orbit,
    )?)
}

/// One object's propagator.
#[derive(Clone)]
struct Slot {
    constants: Option<Constants>,
    epoch: Instant,
    /// Integrator state of resonant deep-space orbits, valid for times ≥ `resonance_time`.
    resonance: Option<ResonanceState>,
    initial_resonance: Option<ResonanceState>,
    resonance_time: f64,
}

impl Slot {
    fn new(elements: &Elements, mode: PropagationMode) -> Self {
        let constants = match mode {
            PropagationMode::Improved => wgs72_improved_constants(elements),
            PropagationMode::Afspc => Constants::from_elements_afspc_compatibility_mode(elements),
        }
        .ok();
        let initial_resonance = constants.as_ref().and_then(Constants::initial_state);
        Self {
            constants,
            epoch: Instant::from_naive_utc(&elements.datetime),
            resonance: initial_resonance,
            initial_resonance,
            resonance_time: 0.0,
        }
    }

    fn propagate(
        &mut self,
        at: Instant,
        mode: PropagationMode,
    ) -> Result<([f64; 3], [f64; 3]), Failure> {
        let constants = self.constants.as_ref().ok_or(Failure::ElementsRejected)?;
        let minutes = at.minutes_since(self.epoch);
        let afspc = mode == PropagationMode::Afspc;
        let prediction = if self.initial_resonance.is_some() {
            // The integrator steps from the epoch towards t, in the direction of t: reuse the
            // state only while t keeps moving away from the epoch on the same side.
            let same_side = minutes * self.resonance_time >= 0.0;
            if !same_side || minutes.abs() < self.resonance_time.abs() {
                self.resonance = self.initial_resonance;
            }
            self.resonance_time = minutes;
            constants.propagate_from_state(
                MinutesSinceEpoch(minutes),
                self.resonance.as_mut(),
                afspc,
            )
        } else if afspc {
            constants.propagate_afspc_compatibility_mode(MinutesSinceEpoch(minutes))
        } else {
            constants.propagate(MinutesSinceEpoch(minutes))
        }
        .map_err(|error| Failure::from_sgp4(&error))?;
        checked_state(prediction.position, prediction.velocity)
    }
}

/// Accepts an SGP4 state only if it is a finite position near the Earth and above its surface.
fn checked_state(position: [f64; 3], velocity: [f64; 3]) -> Result<([f64; 3], [f64; 3]), Failure> {
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

/// SGP4 for a whole catalog.
#[derive(Clone)]
pub struct BatchPropagator {
    slots: Vec<Slot>,
    mode: PropagationMode,
}

impl fmt::Debug for BatchPropagator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchPropagator")
            .field("objects", &self.slots.len())
            .field("mode", &self.mode)
            .finish()
    }
}

/// Objects per rayon task: large enough that scheduling costs little against ~0.3 µs each.
const MIN_CHUNK: usize = 512;

impl BatchPropagator {
    /// Builds SGP4 constants for every element set (in parallel).
    pub fn new<'a>(
        elements: impl IntoIterator<Item = &'a Elements>,
        mode: PropagationMode,
    ) -> Self {
        let elements: Vec<&Elements> = elements.into_iter().collect();
        let slots = elements
            .par_iter()
            .with_min_len(MIN_CHUNK)
            .map(|elements| Slot::new(elements, mode))
            .collect();
        Self { slots, mode }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn mode(&self) -> PropagationMode {
        self.mode
    }

    /// Number of element sets SGP4 rejected at initialisation.
    pub fn rejected_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| slot.constants.is_none())
            .count()
    }

    /// Propagates every object to `at` into `out` (resized if needed), on all cores.
    pub fn propagate_into(&mut self, at: Instant, out: &mut StateBuffers) {
        self.resize(out);
        let mode = self.mode;
        self.slots
            .par_iter_mut()
            .zip(out.positions_km.par_iter_mut())
            .zip(out.velocities_km_s.par_iter_mut())
            .zip(out.failures.par_iter_mut())
            .with_min_len(MIN_CHUNK)
            .for_each(|(((slot, position), velocity), failure)| {
                store(slot.propagate(at, mode), position, velocity, failure);
            });
        out.instant = Some(at);
    }

    /// The same as [`Self::propagate_into`] on the calling thread only (for benchmarks and
    /// single-core comparisons).
    pub fn propagate_into_serial(&mut self, at: Instant, out: &mut StateBuffers) {
        self.resize(out);
        let mode = self.mode;
        for (((slot, position), velocity), failure) in self
            .slots
            .iter_mut()
            .zip(&mut out.positions_km)
            .zip(&mut out.velocities_km_s)
            .zip(&mut out.failures)
        {
            store(slot.propagate(at, mode), position, velocity, failure);
        }
        out.instant = Some(at);
    }

    /// Propagates one object (for orbit paths and details); does not touch shared state.
    pub fn propagate_one(
        &self,
        index: usize,
        at: Instant,
    ) -> Result<([f64; 3], [f64; 3]), Failure> {
        let mut slot = self
            .slots
            .get(index)
            .cloned()
            .ok_or(Failure::ElementsRejected)?;
        slot.resonance = slot.initial_resonance;
        slot.resonance_time = 0.0;
        slot.propagate(at, self.mode)
    }

    fn resize(&self, out: &mut StateBuffers) {
        if out.len() != self.slots.len() {
            *out = StateBuffers::with_len(self.slots.len());
        }
    }
}

fn store(
    result: Result<([f64; 3], [f64; 3]), Failure>,
    position: &mut [f64; 3],
    velocity: &mut [f64; 3],
    failure: &mut Option<Failure>,
) {
    match result {
        Ok((p, v)) => {
            *position = p;
            *velocity = v;
            *failure = None;
        }
        Err(reason) => {
            // Never a silent zero: the failure marks the stale position as unusable.
            *failure = Some(reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(line1: &str, line2: &str) -> Elements {
        Elements::from_tle(None, line1.as_bytes(), line2.as_bytes()).unwrap()
    }

    // MOLNIYA 1-36, a 12 h resonant deep-space orbit (the sgp4 crate's own example).
    fn molniya() -> Elements {
        elements(
            "1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
            "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656",
        )
    }

    #[test]
    fn cached_resonance_state_gives_the_same_numbers_forwards_and_backwards() {
        let molniya = molniya();
        let constants = wgs72_improved_constants(&molniya).unwrap();
        let mut batch = BatchPropagator::new([&molniya], PropagationMode::Improved);
        let epoch = Instant::from_naive_utc(&molniya.datetime);
        let mut out = StateBuffers::default();
        for minutes in [
            0.0, 700.0, 1500.0, 9000.0, 4000.0, -3000.0, -6000.0, -100.0, 20_000.0,
        ] {
            batch.propagate_into(epoch.plus_minutes(minutes), &mut out);
            let expected = constants.propagate(MinutesSinceEpoch(minutes)).unwrap();
            for axis in 0..3 {
                assert!((out.positions_km[0][axis] - expected.position[axis]).abs() < 1e-9);
                assert!((out.velocities_km_s[0][axis] - expected.velocity[axis]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn failures_are_recorded_not_zeroed() {
        // Vallado's MINOTAUR R/B: sub-orbital, decays within the hour.
        let minotaur = elements(
            "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
            "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708",
        );
        let mut batch = BatchPropagator::new([&minotaur, &molniya()], PropagationMode::Afspc);
        let epoch = Instant::from_naive_utc(&minotaur.datetime);
        let mut out = StateBuffers::default();
        batch.propagate_into(epoch, &mut out);
        assert_eq!(out.failed_count(), 0);
        batch.propagate_into(epoch.plus_minutes(60.0), &mut out);
        let failure = out.failures[0].expect("decayed after an hour");
        assert!(matches!(failure.vallado_code(), 4 | 6), "{failure}");
        assert!(out.failures[1].is_none());
    }

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

    /// The element sets that made `positions` print rows of `NaN`: a GEO object with an
    /// eccentricity of 0.9999999, and a mean motion of 1e308 rev/day. SGP4 must report them
    /// as failures with a reason, in every mode and every path.
    #[test]
    fn degenerate_element_sets_never_yield_a_position() {
        // GOES 16 as CelesTrak served it on 2026-08-22.
        let geo = elements(
            "1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994",
            "2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767",
        );
        let mut eccentric = geo.clone();
        eccentric.eccentricity = 0.999_999_9;
        let mut fast = geo.clone();
        fast.mean_motion = 1e308;
        for mode in [PropagationMode::Improved, PropagationMode::Afspc] {
            let mut batch = BatchPropagator::new([&eccentric, &fast, &geo], mode);
            let epoch = Instant::from_naive_utc(&geo.datetime);
            let mut out = StateBuffers::default();
            for minutes in [0.0, 60.0, 1440.0, -720.0] {
                batch.propagate_into(epoch.plus_minutes(minutes), &mut out);
                for index in 0..2 {
                    assert!(
                        out.failures[index].is_some(),
                        "object {index} at {minutes} min in {mode:?}: {:?}",
                        out.positions_km[index]
                    );
                    assert!(
                        batch
                            .propagate_one(index, epoch.plus_minutes(minutes))
                            .is_err()
                    );
                }
                assert!(out.failures[2].is_none(), "the real GEO object propagates");
            }
        }
    }
}
