//! The batch's unit of work: consecutive objects, packed into near-Earth and deep-space kernel
//! blocks, propagated by one task into its own slice of the output buffers.
//!
//! Chunks are cut by what they cost rather than by how many objects they hold: each has
//! [`NEAR_EARTH_PER_CHUNK`] near-Earth objects (a whole number of kernel calls, so that no
//! call runs on half-empty registers at a chunk's end) unless [`DEEP_SPACE_PER_CHUNK`]
//! deep-space objects, about as much work, end it first.

use rayon::prelude::*;
use sgp4::Elements;

use crate::orbit::failure::{Failure, Rejection};
use crate::orbit::reference::{PropagationMode, brouwer_orbit};
use crate::orbit::simd::{
    BLOCK, Block, DeepSpaceBlock, EpochTerms, KernelTime, KernelWidth, LANES_PER_CALL, LaneOutcome,
    LaneSink, Lanes, Resonance, deep_space_object, is_near_earth, near_earth_parameters,
    propagate_one,
};
use crate::orbit::time::Instant;

/// Near-Earth objects per chunk: a whole number of kernel calls at every width, large enough
/// that scheduling costs little against ~40 ns per object, small enough that two cores share
/// a 16 000-object catalog well.
pub const NEAR_EARTH_PER_CHUNK: usize = 512;

/// Deep-space objects that end a chunk early: each costs about three near-Earth ones (the
/// lunar-solar terms, and Lyddane's at low inclination, on top of the near-Earth work), so a
/// chunk of them is about as long a task; a whole number of kernel calls too.
pub const DEEP_SPACE_PER_CHUNK: usize = 128;

const _: () = assert!(NEAR_EARTH_PER_CHUNK.is_multiple_of(LANES_PER_CALL));
const _: () = assert!(DEEP_SPACE_PER_CHUNK.is_multiple_of(LANES_PER_CALL));

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

/// Consecutive objects (`start .. start + len` in the catalog), packed into kernel blocks by
/// kind (indices are within the chunk).
#[derive(Clone, Default)]
pub struct Chunk {
    pub start: usize,
    pub len: usize,
    blocks: Vec<Block>,
    deep_space_blocks: Vec<DeepSpaceBlock>,
    /// The resonant deep-space objects' integrators: (block, lane, integrator).
    resonances: Vec<(usize, usize, Resonance)>,
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
        let mut deep_space = Vec::new();
        for (index, elements) in elements.iter().enumerate() {
            let local = index as u16;
            let epoch = Instant::from_naive_utc(&elements.datetime);
            let orbit = match brouwer_orbit(elements) {
                Ok(orbit) => orbit,
                Err(reason) => {
                    chunk.rejected.push((local, reason));
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
            let (epoch_seconds, epoch_nanos) = (
                (epoch.seconds - reference_seconds) as f64,
                f64::from(epoch.nanos),
            );
            if is_near_earth(&orbit) {
                let parameters =
                    near_earth_parameters(&orbit, elements.drag_term, epoch_seconds, epoch_nanos);
                near_earth.push((local, parameters));
            } else {
                let object = deep_space_object(
                    &orbit,
                    elements.drag_term,
                    epoch_terms(elements, mode),
                    epoch_seconds,
                    epoch_nanos,
                );
                deep_space.push((local, object));
            }
        }
        // Packed in catalog order: deep-space objects leave no holes in the blocks, and the
        // outputs are written close together. (Sorting by eccentricity, so that the lanes of a
        // register leave Kepler's loop together, measured no faster.)
        chunk.blocks = near_earth.chunks(BLOCK).map(Block::new).collect();
        for (block_index, members) in deep_space.chunks(BLOCK).enumerate() {
            let parameters: Vec<_> = members
                .iter()
                .map(|(local, object)| (*local, object.parameters))
                .collect();
            let mut block = DeepSpaceBlock::new(&parameters);
            for (lane, (_, object)) in members.iter().enumerate() {
                if let Some(resonance) = object.resonance {
                    block.set_step(lane, resonance.step());
                    chunk.resonances.push((block_index, lane, resonance));
                }
            }
            chunk.deep_space_blocks.push(block);
        }
        chunk
    }

    /// Steps each resonant object's integrator to where the crate's would be for `time`.
    fn advance_resonances(&mut self, time: KernelTime) {
        for (block, lane, resonance) in &mut self.resonances {
            let block = &mut self.deep_space_blocks[*block];
            if resonance.advance(minutes_since_epoch(block, *lane, time)) {
                block.set_step(*lane, resonance.step());
            }
        }
    }

    /// Objects SGP4 rejected at initialisation: (index within the chunk, reason).
    pub fn rejected(&self) -> &[(u16, Rejection)] {
        &self.rejected
    }

    pub fn deep_space_count(&self) -> usize {
        self.deep_space_blocks.iter().map(Lanes::len).sum()
    }

    /// The near-Earth kernel blocks, in the order [`Self::near_earth_lanes`] numbers them.
    pub fn near_earth_blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Every near-Earth object: (block, lane, index within the chunk).
    pub fn near_earth_lanes(&self) -> impl Iterator<Item = (usize, usize, u16)> + '_ {
        self.blocks.iter().enumerate().flat_map(|(index, block)| {
            (0..block.len()).map(move |lane| (index, lane, block.object(lane)))
        })
    }

    /// One object (`local` within the chunk), without touching the chunk's caches.
    pub fn propagate_one(
        &self,
        local: u16,
        time: KernelTime,
    ) -> Result<([f64; 3], [f64; 3]), Failure> {
        if let Some((_, reason)) = self.rejected.iter().find(|(i, _)| *i == local) {
            return Err(Failure::ElementsRejected(*reason));
        }
        if let Some((block, lane)) = find_lane(&self.blocks, local) {
            return outcome_result(propagate_one(block, lane, time));
        }
        let Some((index, lane)) = self
            .deep_space_blocks
            .iter()
            .enumerate()
            .find_map(|(index, block)| block.lane_of(local).map(|lane| (index, lane)))
        else {
            return Err(Failure::Diverged);
        };
        let mut block = self.deep_space_blocks[index].clone();
        if let Some((_, _, resonance)) = self
            .resonances
            .iter()
            .find(|(b, l, _)| (*b, *l) == (index, lane))
        {
            // A copy of the integrator, stepped from wherever it was (stepping is exact, so
            // where it starts does not change the result).
            let mut resonance = *resonance;
            resonance.advance(minutes_since_epoch(&block, lane, time));
            block.set_step(lane, resonance.step());
        }
        outcome_result(propagate_one(&block, lane, time))
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

/// The epoch as the mode's SGP4 initialisation sees it (the crate's `Constants::new` and
/// `from_elements_afspc_compatibility_mode`, as `crate_constants` calls them).
fn epoch_terms(elements: &Elements, mode: PropagationMode) -> EpochTerms {
    match mode {
        PropagationMode::Improved => {
            let years_since_j2000 = elements.epoch();
            EpochTerms {
                years_since_j2000,
                sidereal_time: sgp4::iau_epoch_to_sidereal_time(years_since_j2000),
            }
        }
        PropagationMode::Afspc => {
            let years_since_j2000 = elements.epoch_afspc_compatibility_mode();
            EpochTerms {
                years_since_j2000,
                sidereal_time: sgp4::afspc_epoch_to_sidereal_time(years_since_j2000),
            }
        }
    }
}

fn find_lane<B: Lanes>(blocks: &[B], local: u16) -> Option<(&B, usize)> {
    blocks
        .iter()
        .find_map(|block| block.lane_of(local).map(|lane| (block, lane)))
}

/// Minutes from a lane's epoch to `time`, with the kernel's arithmetic (so that the integrator
/// stops where the kernel extrapolates from).
fn minutes_since_epoch(block: &DeepSpaceBlock, lane: usize, time: KernelTime) -> f64 {
    ((time.seconds - block.epoch_seconds[lane]) * 1e9 + (time.nanos - block.epoch_nanos[lane]))
        * (1.0 / 60e9)
}

pub(super) fn outcome_result(outcome: LaneOutcome) -> Result<([f64; 3], [f64; 3]), Failure> {
    match outcome {
        LaneOutcome::State { position, velocity } => Ok((position, velocity)),
        LaneOutcome::EccentricityOutOfRange { eccentricity } => {
            Err(Failure::EccentricityOutOfRange { eccentricity })
        }
        LaneOutcome::PerturbedEccentricityOutOfRange { eccentricity } => {
            Err(Failure::PerturbedEccentricityOutOfRange { eccentricity })
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

/// The time every chunk propagates to, and the kernel width.
#[derive(Clone, Copy)]
pub struct Target {
    pub time: KernelTime,
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
    target.width.run(&chunk.blocks, target.time, &mut output);
    if !chunk.deep_space_blocks.is_empty() {
        chunk.advance_resonances(target.time);
        target
            .width
            .run(&chunk.deep_space_blocks, target.time, &mut output);
    }
    for &(local, reason) in &chunk.rejected {
        output.failures[usize::from(local)] = Some(Failure::ElementsRejected(reason));
    }
    derived.derive(output.positions, output.failures);
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
            700..1100 => 'd',
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
            let deep = chunk.deep_space_count();
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
            chunks.iter().any(
                |chunk| chunk.deep_space_count() + chunk.rejected.len() == DEEP_SPACE_PER_CHUNK
            )
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
