//! The batch's unit of work: consecutive objects, their near-Earth ones packed into kernel
//! blocks and their deep-space ones on the crate, propagated by one task into its own slice of
//! the output buffers.
//!
//! Chunks are cut by what they cost rather than by how many objects they hold: each has
//! [`NEAR_EARTH_PER_CHUNK`] near-Earth objects (a whole number of kernel calls, so that no
//! call runs on half-empty registers at a chunk's end) unless [`DEEP_SPACE_PER_CHUNK`]
//! deep-space objects, about as much work, end it first.

use rayon::prelude::*;
use sgp4::{Constants, Elements, MinutesSinceEpoch, ResonanceState};

use crate::orbit::failure::{Failure, Rejection, checked_state};
use crate::orbit::reference::{PropagationMode, brouwer_orbit, crate_constants};
use crate::orbit::simd::{
    BLOCK, Block, KernelWidth, LANES_PER_CALL, LaneOutcome, LaneSink, is_near_earth,
    near_earth_parameters, propagate_one,
};
use crate::orbit::time::Instant;

/// Near-Earth objects per chunk: a whole number of kernel calls at every width, large enough
/// that scheduling costs little against ~40 ns per object, small enough that two cores share
/// a 16 000-object catalog well.
pub const NEAR_EARTH_PER_CHUNK: usize = 512;

/// Deep-space objects that end a chunk early: each costs about twenty near-Earth ones (the
/// crate's scalar path with its lunar-solar terms), so a chunk of them is as long a task.
pub const DEEP_SPACE_PER_CHUNK: usize = 64;

const _: () = assert!(NEAR_EARTH_PER_CHUNK.is_multiple_of(LANES_PER_CALL));

/// Where each chunk starts, for `elements` in catalog order: chunk `i` holds objects
/// `starts[i] .. starts[i + 1]` (the last one up to the end).
fn chunk_starts(elements: &[&Elements]) -> Vec<usize> {
    // Whether each object takes the kernel (in parallel: this is Brouwer's mean motion).
    let near_earth: Vec<bool> = elements
        .par_iter()
        .map(|elements| brouwer_orbit(elements).is_ok_and(|orbit| is_near_earth(&orbit)))
        .collect();
    let mut starts = vec![0];
    let (mut near, mut deep, mut len) = (0, 0, 0);
    for (index, &is_near) in near_earth.iter().enumerate() {
        // Local indices are u16.
        if near == NEAR_EARTH_PER_CHUNK || deep == DEEP_SPACE_PER_CHUNK || len == 1 << 16 {
            starts.push(index);
            (near, deep, len) = (0, 0, 0);
        }
        if is_near {
            near += 1;
        } else {
            deep += 1;
        }
        len += 1;
    }
    starts
}

/// The chunks of a catalog, in catalog order, built on all cores.
pub fn chunks(elements: &[&Elements], mode: PropagationMode, reference_seconds: i64) -> Vec<Chunk> {
    if elements.is_empty() {
        return Vec::new();
    }
    let starts = chunk_starts(elements);
    let ends: Vec<usize> = starts[1..]
        .iter()
        .copied()
        .chain([elements.len()])
        .collect();
    starts
        .par_iter()
        .zip(ends)
        .map(|(&start, end)| Chunk::new(start, &elements[start..end], mode, reference_seconds))
        .collect()
}

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

/// Consecutive objects (`start .. start + len` in the catalog): near-Earth ones packed into
/// kernel blocks, the others beside them (indices are within the chunk).
#[derive(Clone, Default)]
pub struct Chunk {
    pub start: usize,
    pub len: usize,
    blocks: Vec<Block>,
    deep_space: Vec<(u16, DeepSpaceSlot)>,
    rejected: Vec<(u16, Rejection)>,
}

impl Chunk {
    /// The chunk of `elements`, the objects from catalog index `start` on.
    fn new(
        start: usize,
        elements: &[&Elements],
        mode: PropagationMode,
        reference_seconds: i64,
    ) -> Self {
        let mut chunk = Self {
            start,
            len: elements.len(),
            ..Self::default()
        };
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

    /// Objects SGP4 rejected at initialisation: (index within the chunk, reason).
    pub fn rejected(&self) -> &[(u16, Rejection)] {
        &self.rejected
    }

    pub fn deep_space_count(&self) -> usize {
        self.deep_space.len()
    }

    /// One object (`local` within the chunk), without touching the chunk's caches.
    pub fn propagate_one(
        &self,
        local: u16,
        at: Instant,
        (seconds, nanos): (f64, f64),
        mode: PropagationMode,
    ) -> Result<([f64; 3], [f64; 3]), Failure> {
        if let Some((_, reason)) = self.rejected.iter().find(|(i, _)| *i == local) {
            return Err(Failure::ElementsRejected(*reason));
        }
        if let Some((_, slot)) = self.deep_space.iter().find(|(i, _)| *i == local) {
            let mut slot = slot.clone();
            slot.resonance = slot.initial_resonance;
            slot.resonance_time = 0.0;
            return slot.propagate(at, mode);
        }
        let Some((block, lane)) = self.blocks.iter().find_map(|block| {
            (0..block.len())
                .find(|&lane| block.object(lane) == local)
                .map(|lane| (block, lane))
        }) else {
            return Err(Failure::Diverged);
        };
        outcome_result(propagate_one(block, lane, seconds, nanos))
    }
}

/// Writes kernel outcomes into one chunk's share of the output buffers.
pub struct ChunkOutput<'a> {
    pub positions: &'a mut [[f64; 3]],
    pub velocities: &'a mut [[f64; 3]],
    pub failures: &'a mut [Option<Failure>],
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

impl<'a> ChunkOutput<'a> {
    /// The first `len` objects' share, and the rest.
    fn split_at(self, len: usize) -> (Self, Self) {
        let (positions, rest_positions) = self.positions.split_at_mut(len);
        let (velocities, rest_velocities) = self.velocities.split_at_mut(len);
        let (failures, rest_failures) = self.failures.split_at_mut(len);
        (
            Self {
                positions,
                velocities,
                failures,
            },
            Self {
                positions: rest_positions,
                velocities: rest_velocities,
                failures: rest_failures,
            },
        )
    }
}

/// The time every chunk propagates to, in the forms its two paths take.
#[derive(Clone, Copy)]
pub struct Target {
    pub at: Instant,
    /// Seconds and nanoseconds from the batch's reference epoch (the kernel's time).
    pub kernel_time: (f64, f64),
    pub mode: PropagationMode,
    pub width: KernelWidth,
}

/// Output computed from the states chunk by chunk, right after each chunk is propagated, while
/// its states are still in cache (for a million objects, a separate pass re-reads 40 MB).
pub trait DerivedOutput: Send + Sized {
    /// The first `len` objects' share, and the rest.
    fn split_at(self, len: usize) -> (Self, Self);

    /// Fills this share from the chunk's states (`failures[i]` is `None` where object `i`
    /// propagated).
    fn derive(self, positions_km: &[[f64; 3]], failures: &[Option<Failure>]);
}

/// No derived output.
impl DerivedOutput for () {
    fn split_at(self, _len: usize) -> (Self, Self) {
        ((), ())
    }

    fn derive(self, _positions_km: &[[f64; 3]], _failures: &[Option<Failure>]) {}
}

/// Propagates `chunks` into `output` (their objects, in order) and derives `derived` from it,
/// splitting the work in halves across cores; allocates nothing.
pub fn propagate_parallel(
    chunks: &mut [Chunk],
    output: ChunkOutput<'_>,
    derived: impl DerivedOutput,
    target: Target,
) {
    match chunks {
        [] => {}
        [chunk] => propagate_chunk(chunk, output, derived, target),
        _ => {
            let (left, right) = chunks.split_at_mut(chunks.len() / 2);
            let split = right[0].start - left[0].start;
            let (left_output, right_output) = output.split_at(split);
            let (left_derived, right_derived) = derived.split_at(split);
            rayon::join(
                || propagate_parallel(left, left_output, left_derived, target),
                || propagate_parallel(right, right_output, right_derived, target),
            );
        }
    }
}

/// As [`propagate_parallel`], on the calling thread.
pub fn propagate_serial(
    chunks: &mut [Chunk],
    mut output: ChunkOutput<'_>,
    mut derived: impl DerivedOutput,
    target: Target,
) {
    for chunk in chunks {
        let (own, rest) = output.split_at(chunk.len);
        let (own_derived, rest_derived) = derived.split_at(chunk.len);
        propagate_chunk(chunk, own, own_derived, target);
        (output, derived) = (rest, rest_derived);
    }
}

fn propagate_chunk(
    chunk: &mut Chunk,
    mut output: ChunkOutput<'_>,
    derived: impl DerivedOutput,
    target: Target,
) {
    let (seconds, nanos) = target.kernel_time;
    target.width.run(&chunk.blocks, seconds, nanos, &mut output);
    for (local, slot) in &mut chunk.deep_space {
        output.store(usize::from(*local), slot.propagate(target.at, target.mode));
    }
    for &(local, reason) in &chunk.rejected {
        output.failures[usize::from(local)] = Some(Failure::ElementsRejected(reason));
    }
    derived.derive(output.positions, output.failures);
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
    use crate::orbit::batch::tests::{elements, molniya};
    use crate::orbit::{BatchPropagator, StateBuffers};

    fn iss() -> Elements {
        elements(
            "1 25544U 98067A   20194.88612269 -.00002218  00000-0 -31515-4 0  9992",
            "2 25544  51.6461 221.2784 0001413  89.1723 280.4612 15.49507896236008",
        )
    }

    /// A catalog with long runs of each kind and a mix: `pattern(i)` says what object `i` is.
    fn catalog(len: usize, pattern: impl Fn(usize) -> char) -> Vec<Elements> {
        (0..len)
            .map(|i| {
                let mut object = match pattern(i) {
                    'd' => molniya(),
                    'x' => {
                        // Hyperbolic: SGP4 rejects it at initialisation.
                        let mut rejected = iss();
                        rejected.eccentricity = 1.5;
                        rejected
                    }
                    _ => iss(),
                };
                // Every object a different position along its orbit.
                object.mean_anomaly = (object.mean_anomaly + 7.3 * i as f64) % 360.0;
                object
            })
            .collect()
    }

    fn mixed(i: usize) -> char {
        match i {
            _ if i % 97 == 13 => 'x',
            700..900 => 'd',
            _ if i.is_multiple_of(11) => 'd',
            _ => 'n',
        }
    }

    #[test]
    fn chunks_hold_whole_kernel_calls_unless_deep_space_objects_end_them() {
        let catalog = catalog(3_000, mixed);
        let references: Vec<&Elements> = catalog.iter().collect();
        let chunks = chunks(&references, PropagationMode::Improved, 0);
        assert!(chunks.len() > 4, "{} chunks", chunks.len());
        let mut next = 0;
        for (index, chunk) in chunks.iter().enumerate() {
            assert_eq!(chunk.start, next, "chunks are consecutive");
            next += chunk.len;
            let near = chunk.blocks.iter().map(Block::len).sum::<usize>();
            let rejected = chunk.rejected.len();
            let deep = chunk.deep_space.len();
            assert_eq!(near + deep + rejected, chunk.len);
            if index + 1 < chunks.len() {
                assert!(
                    near == NEAR_EARTH_PER_CHUNK || deep + rejected == DEEP_SPACE_PER_CHUNK,
                    "chunk {index}: {near} near-Earth, {deep} deep-space, {rejected} rejected"
                );
            }
        }
        assert_eq!(next, catalog.len(), "every object in one chunk");
        // The run of deep-space objects is cut by count, not left in one long task.
        assert!(
            chunks
                .iter()
                .any(|chunk| chunk.deep_space.len() == DEEP_SPACE_PER_CHUNK)
        );
    }

    #[test]
    fn every_object_lands_in_its_own_slot_across_chunks_on_every_path() {
        let catalog = catalog(3_000, mixed);
        let epoch = Instant::from_naive_utc(&catalog[0].datetime);
        let mut batch = BatchPropagator::new(&catalog, PropagationMode::Improved);
        let (mut parallel, mut serial) = (StateBuffers::default(), StateBuffers::default());
        for minutes in [0.0, 95.0, 2_000.0] {
            let at = epoch.plus_minutes(minutes);
            batch.propagate_into(at, &mut parallel);
            batch.propagate_into_serial(at, &mut serial);
            for (index, object) in catalog.iter().enumerate() {
                let one = batch.propagate_one(index, at);
                let reference =
                    crate::orbit::ReferencePropagator::new(object, PropagationMode::Improved)
                        .propagate(at);
                match (
                    parallel.failures[index],
                    serial.failures[index],
                    one,
                    reference,
                ) {
                    (None, None, Ok((position, velocity)), Ok((expected, expected_velocity))) => {
                        assert_eq!(parallel.positions_km[index], serial.positions_km[index]);
                        assert_eq!(
                            parallel.velocities_km_s[index],
                            serial.velocities_km_s[index]
                        );
                        // One object runs the portable width: the crate's tolerances.
                        for axis in 0..3 {
                            let from_batch = parallel.positions_km[index][axis];
                            assert!((from_batch - expected[axis]).abs() < 1e-6, "#{index}");
                            assert!((position[axis] - expected[axis]).abs() < 1e-6, "#{index}");
                            let speed = velocity[axis] - expected_velocity[axis];
                            assert!(speed.abs() < 1e-9, "#{index}");
                        }
                    }
                    (Some(a), Some(b), Err(c), Err(d)) => {
                        let codes = [a, b, c, d].map(Failure::vallado_code);
                        assert!(codes.iter().all(|&code| code == codes[3]), "#{index}");
                    }
                    other => panic!("#{index} at +{minutes} min: {other:?}"),
                }
            }
        }
        let rejected: Vec<usize> = batch.rejections().iter().map(|(index, _)| *index).collect();
        let expected: Vec<usize> = (0..catalog.len()).filter(|&i| mixed(i) == 'x').collect();
        assert_eq!(rejected, expected);
    }
}
