//! Exact SGP4 for the whole catalog at one instant, into flat buffers.
//!
//! Near-Earth objects (period < 225 min, ~90 % of a catalog) run through the vectorised kernel
//! in `simd/`, 8 or 4 at a time; deep-space objects run through the `sgp4` crate, object by
//! object, in the same call. Work is split into chunks of [`CHUNK`] objects across cores
//! (rayon); nothing allocates per call. Resonant deep-space orbits (GEO, Molniya, GPS) keep
//! their integrator state between calls while time moves forward, since re-integrating from
//! the epoch on every call costs up to tens of microseconds per object; the state is re-seeded
//! when time jumps back. Results agree with the crate's `Constants::propagate` to 1e-9 km (the
//! tests hold every object of the active catalog to 1e-6 km and the same error codes).

use std::fmt;

use rayon::prelude::*;
use sgp4::{Constants, Elements, MinutesSinceEpoch, ResonanceState};

use super::failure::{Failure, Rejection, checked_state};
use super::reference::{PropagationMode, brouwer_orbit, crate_constants};
use super::simd::{
    BLOCK, Block, KernelWidth, LaneOutcome, LaneSink, is_near_earth, near_earth_parameters,
};
use super::time::Instant;

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
            failures: vec![Some(Failure::Diverged); len],
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

/// Objects per rayon task: a multiple of [`BLOCK`], large enough that scheduling costs little
/// against ~0.1 µs per object, small enough that two cores share a 16 000-object catalog well.
pub const CHUNK: usize = 512;

/// A deep-space object's propagator (the crate's), with its resonance integrator cache.
#[derive(Clone)]
struct DeepSpaceSlot {
    constants: Constants,
    epoch: Instant,
    /// Integrator state of resonant deep-space orbits, valid for times ≥ `resonance_time`.
    resonance: Option<ResonanceState>,
    initial_resonance: Option<ResonanceState>,
    resonance_time: f64,
}

impl DeepSpaceSlot {
    fn new(constants: Constants, epoch: Instant) -> Self {
        let initial_resonance = constants.initial_state();
        Self {
            constants,
            epoch,
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
            self.constants.propagate_from_state(
                MinutesSinceEpoch(minutes),
                self.resonance.as_mut(),
                afspc,
            )
        } else if afspc {
            self.constants
                .propagate_afspc_compatibility_mode(MinutesSinceEpoch(minutes))
        } else {
            self.constants.propagate(MinutesSinceEpoch(minutes))
        }
        .map_err(|error| Failure::from_sgp4(&error))?;
        checked_state(prediction.position, prediction.velocity)
    }
}

/// [`CHUNK`] consecutive objects: near-Earth ones packed into kernel blocks, the others beside
/// them (indices are within the chunk).
#[derive(Clone, Default)]
struct Chunk {
    blocks: Vec<Block>,
    deep_space: Vec<(u16, DeepSpaceSlot)>,
    rejected: Vec<(u16, Rejection)>,
}

impl Chunk {
    fn new(elements: &[&Elements], mode: PropagationMode, reference_seconds: i64) -> Self {
        let mut chunk = Self::default();
        let mut near_earth = Vec::with_capacity(elements.len());
        for (index, elements) in elements.iter().enumerate() {
            let local = index as u16;
            let epoch = Instant::from_naive_utc(&elements.datetime);
            let orbit = match brouwer_orbit(elements) {
                Ok(orbit) if is_near_earth(&orbit) => orbit,
                // Deep space (or rejected): the crate decides, as it always has.
                _ => {
                    match crate_constants(elements, mode) {
                        Ok(constants) => chunk
                            .deep_space
                            .push((local, DeepSpaceSlot::new(constants, epoch))),
                        Err(reason) => chunk.rejected.push((local, reason)),
                    }
                    continue;
                }
            };
            if !(0.0..1.0).contains(&orbit.eccentricity) {
                chunk.rejected.push((
                    local,
                    Rejection::EccentricityOutOfRange {
                        eccentricity: orbit.eccentricity,
                    },
                ));
                continue;
            }
            let parameters = near_earth_parameters(
                &orbit,
                elements.drag_term,
                (epoch.seconds - reference_seconds) as f64,
                f64::from(epoch.nanos),
            );
            near_earth.push((local, parameters));
        }
        // Packed in catalog order: deep-space objects leave no holes in the blocks, and the
        // outputs are written close together. (Sorting by eccentricity, so that the lanes of a
        // register leave Kepler's loop together, measured no faster.)
        chunk.blocks = near_earth.chunks(BLOCK).map(Block::new).collect();
        chunk
    }
}

/// Writes kernel outcomes into one chunk's share of the output buffers.
struct ChunkOutput<'a> {
    positions: &'a mut [[f64; 3]],
    velocities: &'a mut [[f64; 3]],
    failures: &'a mut [Option<Failure>],
}

impl LaneSink for ChunkOutput<'_> {
    #[inline(always)]
    fn store_state(&mut self, index: usize, position: [f64; 3], velocity: [f64; 3]) {
        self.positions[index] = position;
        self.velocities[index] = velocity;
        self.failures[index] = None;
    }

    #[inline]
    fn store(&mut self, index: usize, outcome: LaneOutcome) {
        store(
            outcome_result(outcome),
            &mut self.positions[index],
            &mut self.velocities[index],
            &mut self.failures[index],
        );
    }
}

fn outcome_result(outcome: LaneOutcome) -> Result<([f64; 3], [f64; 3]), Failure> {
    match outcome {
        LaneOutcome::State { position, velocity } => Ok((position, velocity)),
        LaneOutcome::EccentricityOutOfRange { eccentricity } => {
            Err(Failure::EccentricityOutOfRange { eccentricity })
        }
        LaneOutcome::NegativeSemiLatusRectum => Err(Failure::NegativeSemiLatusRectum),
        LaneOutcome::Diverged => Err(Failure::Diverged),
        LaneOutcome::Decayed { radius_km } => Err(Failure::Decayed { radius_km }),
    }
}

/// SGP4 for a whole catalog.
#[derive(Clone)]
pub struct BatchPropagator {
    chunks: Vec<Chunk>,
    len: usize,
    mode: PropagationMode,
    width: KernelWidth,
    /// Kernel times are whole seconds from here (exact in f64 for any real epoch).
    reference_seconds: i64,
}

impl fmt::Debug for BatchPropagator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchPropagator")
            .field("objects", &self.len)
            .field("mode", &self.mode)
            .field("width", &self.width)
            .finish()
    }
}

/// The kernel width to use: [`super::simd::WIDTH_VARIABLE`] when set and valid, else the
/// widest this CPU runs (an invalid value is reported once and ignored).
pub fn configured_width() -> KernelWidth {
    static WIDTH: std::sync::OnceLock<KernelWidth> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        KernelWidth::from_environment().unwrap_or_else(|error| {
            eprintln!("warning: {error}; using {}", KernelWidth::detect());
            KernelWidth::detect()
        })
    })
}

impl BatchPropagator {
    /// Builds SGP4 constants for every element set (in parallel), with the configured width.
    pub fn new<'a>(
        elements: impl IntoIterator<Item = &'a Elements>,
        mode: PropagationMode,
    ) -> Self {
        Self::with_width(elements, mode, configured_width())
    }

    /// As [`Self::new`], with the kernel width chosen by the caller (tests, benchmarks).
    pub fn with_width<'a>(
        elements: impl IntoIterator<Item = &'a Elements>,
        mode: PropagationMode,
        width: KernelWidth,
    ) -> Self {
        let elements: Vec<&Elements> = elements.into_iter().collect();
        let reference_seconds = elements
            .first()
            .map_or(0, |first| Instant::from_naive_utc(&first.datetime).seconds);
        let chunks = elements
            .par_chunks(CHUNK)
            .map(|chunk| Chunk::new(chunk, mode, reference_seconds))
            .collect();
        Self {
            chunks,
            len: elements.len(),
            mode,
            width,
            reference_seconds,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn mode(&self) -> PropagationMode {
        self.mode
    }

    pub fn width(&self) -> KernelWidth {
        self.width
    }

    /// Number of element sets SGP4 rejected at initialisation.
    pub fn rejected_count(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.rejected.len()).sum()
    }

    /// Catalog index and reason of every element set SGP4 rejected, in catalog order.
    pub fn rejections(&self) -> Vec<(usize, Rejection)> {
        self.chunks
            .iter()
            .enumerate()
            .flat_map(|(chunk_index, chunk)| {
                chunk
                    .rejected
                    .iter()
                    .map(move |&(local, reason)| (chunk_index * CHUNK + usize::from(local), reason))
            })
            .collect()
    }

    /// Number of objects on the crate's deep-space path.
    pub fn deep_space_count(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.deep_space.len()).sum()
    }

    fn kernel_time(&self, at: Instant) -> (f64, f64) {
        (
            (at.seconds - self.reference_seconds) as f64,
            f64::from(at.nanos),
        )
    }

    /// Propagates every object to `at` into `out` (resized if needed), on all cores.
    pub fn propagate_into(&mut self, at: Instant, out: &mut StateBuffers) {
        self.resize(out);
        let (seconds, nanos) = self.kernel_time(at);
        let (mode, width) = (self.mode, self.width);
        self.chunks
            .par_iter_mut()
            .zip(out.positions_km.par_chunks_mut(CHUNK))
            .zip(out.velocities_km_s.par_chunks_mut(CHUNK))
            .zip(out.failures.par_chunks_mut(CHUNK))
            .for_each(|(((chunk, positions), velocities), failures)| {
                let output = ChunkOutput {
                    positions,
                    velocities,
                    failures,
                };
                propagate_chunk(chunk, output, at, (seconds, nanos), mode, width);
            });
        out.instant = Some(at);
    }

    /// The same as [`Self::propagate_into`] on the calling thread only (for benchmarks and
    /// single-core comparisons).
    pub fn propagate_into_serial(&mut self, at: Instant, out: &mut StateBuffers) {
        self.resize(out);
        let (seconds, nanos) = self.kernel_time(at);
        let (mode, width) = (self.mode, self.width);
        for (((chunk, positions), velocities), failures) in self
            .chunks
            .iter_mut()
            .zip(out.positions_km.chunks_mut(CHUNK))
            .zip(out.velocities_km_s.chunks_mut(CHUNK))
            .zip(out.failures.chunks_mut(CHUNK))
        {
            let output = ChunkOutput {
                positions,
                velocities,
                failures,
            };
            propagate_chunk(chunk, output, at, (seconds, nanos), mode, width);
        }
        out.instant = Some(at);
    }

    /// Propagates one object (for orbit paths and details); does not touch shared state.
    pub fn propagate_one(
        &self,
        index: usize,
        at: Instant,
    ) -> Result<([f64; 3], [f64; 3]), Failure> {
        if index >= self.len {
            return Err(Failure::Diverged);
        }
        let chunk = &self.chunks[index / CHUNK];
        let local = (index % CHUNK) as u16;
        if let Some((_, reason)) = chunk.rejected.iter().find(|(i, _)| *i == local) {
            return Err(Failure::ElementsRejected(*reason));
        }
        if let Some((_, slot)) = chunk.deep_space.iter().find(|(i, _)| *i == local) {
            let mut slot = slot.clone();
            slot.resonance = slot.initial_resonance;
            slot.resonance_time = 0.0;
            return slot.propagate(at, self.mode);
        }
        let (seconds, nanos) = self.kernel_time(at);
        let Some((block, lane)) = chunk.blocks.iter().find_map(|block| {
            (0..block.len())
                .find(|&lane| block.object(lane) == local)
                .map(|lane| (block, lane))
        }) else {
            return Err(Failure::Diverged);
        };
        outcome_result(super::simd::propagate_one(block, lane, seconds, nanos))
    }

    fn resize(&self, out: &mut StateBuffers) {
        if out.len() != self.len {
            *out = StateBuffers::with_len(self.len);
        }
    }
}

fn propagate_chunk(
    chunk: &mut Chunk,
    mut output: ChunkOutput<'_>,
    at: Instant,
    (seconds, nanos): (f64, f64),
    mode: PropagationMode,
    width: KernelWidth,
) {
    width.run(&chunk.blocks, seconds, nanos, &mut output);
    for (local, slot) in &mut chunk.deep_space {
        output.store(usize::from(*local), slot.propagate(at, mode));
    }
    for &(local, reason) in &chunk.rejected {
        output.failures[usize::from(local)] = Some(Failure::ElementsRejected(reason));
    }
}

impl ChunkOutput<'_> {
    fn store(&mut self, index: usize, result: Result<([f64; 3], [f64; 3]), Failure>) {
        store(
            result,
            &mut self.positions[index],
            &mut self.velocities[index],
            &mut self.failures[index],
        );
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
        let constants = crate_constants(&molniya, PropagationMode::Improved).unwrap();
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

#[cfg(test)]
mod kernel_tests;
