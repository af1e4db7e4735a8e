//! Many objects, each at its own instant, through the vectorised kernel: what root finders
//! that refine thousands of objects' events in lockstep ask for (one instant per object per
//! round).
//!
//! The kernel propagates a register of lanes to one time. Each request's near-Earth
//! parameters are copied into a block of their own with the epoch moved back by the request's
//! time (whole seconds and nanoseconds, both exact in f64), and the block is propagated to
//! time zero: the kernel's `(0 − (E − S)) · 10⁹ + (0 − (Eₙ − Sₙ))` is bit for bit its
//! `(S − E) · 10⁹ + (Sₙ − Eₙ)` for the request's own time, so every answer is the one the
//! kernel gives that object at that instant. Deep-space objects (whose resonance integrator
//! depends on the time) and rejected element sets take the single-object path.

use super::chunk::outcome_result;
use super::{BatchPropagator, Chunk};
use crate::orbit::failure::Failure;
use crate::orbit::simd::{
    BLOCK, Block, KernelTime, LaneOutcome, LaneSink, NearEarthParameters, propagate_one,
};
use crate::orbit::time::Instant;

/// Where an object's kernel lane is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Location {
    /// In near-Earth block `block` of chunk `chunk`, lane `lane`.
    NearEarth { chunk: u32, block: u32, lane: u8 },
    /// Deep space or rejected: the chunk's own lookup.
    Other,
}

/// Every object's [`Location`], in catalog order.
pub(super) fn locations(chunks: &[Chunk], len: usize) -> Vec<Location> {
    let mut locations = vec![Location::Other; len];
    for (chunk_index, chunk) in chunks.iter().enumerate() {
        for (block, lane, local) in chunk.near_earth_lanes() {
            locations[chunk.start + usize::from(local)] = Location::NearEarth {
                chunk: chunk_index as u32,
                block: block as u32,
                lane: lane as u8,
            };
        }
    }
    locations
}

/// A state, or why there is none.
pub type StateResult = Result<([f64; 3], [f64; 3]), Failure>;

/// Requests per kernel run (local indices in a block are `u16`).
const REQUESTS_PER_RUN: usize = 4096;

/// Reused buffers of [`BatchPropagator::propagate_many`].
#[derive(Default)]
pub struct ManyScratch {
    members: Vec<(u16, NearEarthParameters)>,
    blocks: Vec<Block>,
}

/// Writes outcomes into the answers of one run.
struct Answers<'a>(&'a mut [StateResult]);

impl LaneSink for Answers<'_> {
    #[inline(always)]
    fn store_state(&mut self, index: usize, position: [f64; 3], velocity: [f64; 3]) {
        self.0[index] = Ok((position, velocity));
    }

    fn store(&mut self, index: usize, outcome: LaneOutcome) {
        self.0[index] = outcome_result(outcome);
    }
}

impl BatchPropagator {
    /// The state of object `requests[i].0` at `requests[i].1`, for every `i`, into `answers`
    /// (resized), on the calling thread. Near-Earth objects go through the vectorised kernel
    /// and get exactly what [`Self::propagate_into`] gives at that instant (the scalar path of
    /// [`Self::propagate_one`] agrees to ~1e-8 km, as the widths do).
    pub fn propagate_many(
        &self,
        requests: &[(usize, Instant)],
        answers: &mut Vec<StateResult>,
        scratch: &mut ManyScratch,
    ) {
        answers.clear();
        answers.resize(requests.len(), Err(Failure::Diverged));
        for (run, out) in requests
            .chunks(REQUESTS_PER_RUN)
            .zip(answers.chunks_mut(REQUESTS_PER_RUN))
        {
            scratch.members.clear();
            for (local, &(index, at)) in run.iter().enumerate() {
                match self.locations.get(index) {
                    Some(&Location::NearEarth { chunk, block, lane }) => {
                        let chunk = &self.chunks[chunk as usize];
                        let mut parameters =
                            chunk.near_earth_blocks()[block as usize].get(usize::from(lane));
                        let time = self.kernel_time(at);
                        parameters.epoch_seconds -= time.seconds;
                        parameters.epoch_nanos -= time.nanos;
                        scratch.members.push((local as u16, parameters));
                    }
                    _ => out[local] = self.propagate_one(index, at),
                }
            }
            if scratch.members.is_empty() {
                continue;
            }
            scratch.blocks.clear();
            scratch
                .blocks
                .extend(scratch.members.chunks(BLOCK).map(Block::new));
            let zero = KernelTime {
                seconds: 0.0,
                nanos: 0.0,
                afspc: false,
            };
            self.width.run(&scratch.blocks, zero, &mut Answers(out));
        }
    }

    /// A near-Earth object straight from its lane (no search of its chunk), else `None`.
    pub(super) fn propagate_located(&self, index: usize, at: Instant) -> Option<StateResult> {
        match self.locations.get(index)? {
            &Location::NearEarth { chunk, block, lane } => {
                let block = &self.chunks[chunk as usize].near_earth_blocks()[block as usize];
                Some(outcome_result(propagate_one(
                    block,
                    usize::from(lane),
                    self.kernel_time(at),
                )))
            }
            Location::Other => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::batch::tests::{elements, goes_16, molniya};
    use crate::orbit::reference::PropagationMode;
    use crate::orbit::simd::KernelWidth;

    /// Every request's answer is, bit for bit, what the kernel of the same width gives for that
    /// object at that instant, and `propagate_one`'s (the scalar path) to 1e-8 km and the same
    /// failure: near-Earth, deep-space and failing objects mixed, each at its own instant.
    #[test]
    fn many_instants_give_the_kernels_answers() {
        let iss = elements(
            "1 25544U 98067A   26164.83523427  .00008738  00000+0  16534-3 0  9990",
            "2 25544  51.6333 316.6832 0004955 182.4672 177.6293 15.49214103571238",
        );
        // Vallado's MINOTAUR R/B: decays within days of its epoch.
        let decaying = elements(
            "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
            "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708",
        );
        let catalog = [iss, molniya(), goes_16(), decaying];
        for width in KernelWidth::under_test("many_instants_give_the_kernels_answers") {
            let mut batch =
                BatchPropagator::with_width(catalog.iter(), PropagationMode::Improved, width);
            let mut requests = Vec::new();
            for k in 0..200 {
                let object = k % catalog.len();
                let epoch = Instant::from_naive_utc(&catalog[object].datetime);
                let minutes = (k as f64 * 37.123_456_789) % 20_000.0 - 500.0;
                requests.push((object, epoch.plus_minutes(minutes)));
            }
            let (mut answers, mut scratch) = (Vec::new(), ManyScratch::default());
            batch.propagate_many(&requests, &mut answers, &mut scratch);
            assert_eq!(answers.len(), requests.len());
            let mut states = crate::orbit::StateBuffers::default();
            for (&(object, at), answer) in requests.iter().zip(&answers) {
                let one = batch.propagate_one(object, at);
                match (answer, one) {
                    (Ok((p, v)), Ok((p1, v1))) => {
                        for axis in 0..3 {
                            assert!((p[axis] - p1[axis]).abs() < 1e-8, "{object} {width}");
                            assert!((v[axis] - v1[axis]).abs() < 1e-11, "{object} {width}");
                        }
                    }
                    (answer, one) => assert_eq!(*answer, one, "{object} {width}"),
                }
                if object == 0 {
                    batch.propagate_into(at, &mut states);
                    let kernel = states.failures[0]
                        .map_or(Ok((states.positions_km[0], states.velocities_km_s[0])), Err);
                    assert_eq!(*answer, kernel, "{width} {at:?}");
                }
            }
            assert!(answers.iter().any(Result::is_err));
            assert!(answers.iter().filter(|a| a.is_ok()).count() > 100);
        }
    }
}
