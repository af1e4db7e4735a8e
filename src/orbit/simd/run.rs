//! Running a kernel over blocks: the outcome of each lane (a state or the crate's error),
//! unpacked from the registers and handed to the caller's sink, and the trait each kind of
//! block implements to be run.

use pulp::{Scalar, Simd, WithSimd};

use super::blocks::{BLOCK, Lanes};
use super::finish::LaneStates;
use super::lanes::{F64s, Mask, REGISTERS};
use crate::orbit::failure::SGP4_EARTH_RADIUS_KM;

/// The time a kernel call propagates to, and the SGP4 variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KernelTime {
    /// Whole seconds from the batch's reference epoch.
    pub seconds: f64,
    /// Nanoseconds to add to `seconds`.
    pub nanos: f64,
    /// AFSPC compatibility mode (matters only for deep-space orbits).
    pub afspc: bool,
}

/// A block of objects the kernel propagates lane by lane.
pub trait KernelBlock: Lanes + Sized {
    /// Lanes `sources[r].1 .. + S::F64_LANES` of block `sources[r].0`, for each register `r`.
    /// Lanes without an object of their own repeat another lane; callers ignore them.
    fn propagate<S: Simd>(
        simd: S,
        sources: [(&Self, usize); REGISTERS],
        time: KernelTime,
    ) -> Outcomes<S>;
}

/// A kernel call's results: the states, and the checks the crate makes before them.
#[derive(Debug, Clone, Copy)]
pub struct Outcomes<S: Simd> {
    pub states: LaneStates<S>,
    /// The eccentricity reported with the first failed check (p₂₇ / p₃₁, or the perturbed e).
    pub eccentricity: F64s<S>,
    /// The mean eccentricity ∉ [−0.001, 1): the crate's `OutOfRangeEccentricity`.
    pub eccentricity_out_of_range: Mask<S>,
    /// Deep space: the perturbed eccentricity ∉ [0, 1], `OutOfRangePerturbedEccentricity`.
    pub perturbed_eccentricity_out_of_range: Mask<S>,
}

/// One lane's outcome, as the batch stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LaneOutcome {
    State {
        position: [f64; 3],
        velocity: [f64; 3],
    },
    EccentricityOutOfRange {
        eccentricity: f64,
    },
    PerturbedEccentricityOutOfRange {
        eccentricity: f64,
    },
    NegativeSemiLatusRectum,
    Diverged,
    Decayed {
        radius_km: f64,
    },
}

/// Most lanes one kernel call produces (`REGISTERS` AVX-512 registers); narrower widths
/// produce a whole fraction of it.
pub const LANES_PER_CALL: usize = REGISTERS * BLOCK;
const MAX_LANES: usize = LANES_PER_CALL;

/// A kernel call's results as plain arrays, read lane by lane when storing: extracting lanes
/// from vector registers one at a time cost more than the stores themselves.
struct Unpacked {
    position: [[f64; MAX_LANES]; 3],
    velocity: [[f64; MAX_LANES]; 3],
    eccentricity: [f64; MAX_LANES],
    radius: [f64; MAX_LANES],
    /// 0 = a state; otherwise which check failed (see [`Unpacked::outcome`]).
    status: [f64; MAX_LANES],
}

const ECCENTRICITY_OUT_OF_RANGE: f64 = 1.0;
const PERTURBED_ECCENTRICITY_OUT_OF_RANGE: f64 = 3.0;
const NEGATIVE_SEMI_LATUS_RECTUM: f64 = 4.0;
const DIVERGED: f64 = 9.0;
const DECAYED: f64 = 6.0;

impl<S: Simd> Outcomes<S> {
    #[inline(always)]
    fn unpack(&self) -> Unpacked {
        let states = &self.states;
        let mut unpacked = Unpacked {
            position: [[0.0; MAX_LANES]; 3],
            velocity: [[0.0; MAX_LANES]; 3],
            eccentricity: [0.0; MAX_LANES],
            radius: [0.0; MAX_LANES],
            status: [0.0; MAX_LANES],
        };
        for axis in 0..3 {
            states.position[axis].store(&mut unpacked.position[axis]);
            states.velocity[axis].store(&mut unpacked.velocity[axis]);
        }
        self.eccentricity.store(&mut unpacked.eccentricity);
        states.radius.store(&mut unpacked.radius);
        let zero = states.radius.splat(0.0);
        // The crate's order: the mean eccentricity, the perturbed one, the semi-latus
        // rectum, then our checks.
        let decayed = states.radius.lt(zero.splat(SGP4_EARTH_RADIUS_KM));
        let status = self.eccentricity_out_of_range.select(
            zero.splat(ECCENTRICITY_OUT_OF_RANGE),
            self.perturbed_eccentricity_out_of_range.select(
                zero.splat(PERTURBED_ECCENTRICITY_OUT_OF_RANGE),
                states.negative_semi_latus_rectum.select(
                    zero.splat(NEGATIVE_SEMI_LATUS_RECTUM),
                    states.diverged.select(
                        zero.splat(DIVERGED),
                        decayed.select(zero.splat(DECAYED), zero),
                    ),
                ),
            ),
        );
        status.store(&mut unpacked.status);
        unpacked
    }

    /// One lane's outcome.
    #[inline(always)]
    pub fn outcome(&self, lane: usize) -> LaneOutcome {
        self.unpack().outcome(lane)
    }
}

impl Unpacked {
    #[inline(always)]
    fn outcome(&self, lane: usize) -> LaneOutcome {
        let status = self.status[lane];
        if status == ECCENTRICITY_OUT_OF_RANGE {
            LaneOutcome::EccentricityOutOfRange {
                eccentricity: self.eccentricity[lane],
            }
        } else if status == PERTURBED_ECCENTRICITY_OUT_OF_RANGE {
            LaneOutcome::PerturbedEccentricityOutOfRange {
                eccentricity: self.eccentricity[lane],
            }
        } else if status == NEGATIVE_SEMI_LATUS_RECTUM {
            LaneOutcome::NegativeSemiLatusRectum
        } else if status == DIVERGED {
            LaneOutcome::Diverged
        } else if status == DECAYED {
            LaneOutcome::Decayed {
                radius_km: self.radius[lane],
            }
        } else {
            LaneOutcome::State {
                position: [0, 1, 2].map(|axis| self.position[axis][lane]),
                velocity: [0, 1, 2].map(|axis| self.velocity[axis][lane]),
            }
        }
    }
}

/// Receives each object's outcome: `(the object's index within its chunk, outcome)`.
pub trait LaneSink {
    fn store(&mut self, index: usize, outcome: LaneOutcome);

    /// A successful state: the common case, kept free of the outcome's branches (the
    /// per-lane stores cost a fifth of the tick when they went through [`LaneOutcome`]).
    #[inline(always)]
    fn store_state(&mut self, index: usize, position: [f64; 3], velocity: [f64; 3]) {
        self.store(index, LaneOutcome::State { position, velocity });
    }
}

#[inline(always)]
fn run_blocks<S: Simd, B: KernelBlock>(
    simd: S,
    blocks: &[B],
    time: KernelTime,
    sink: &mut impl LaneSink,
) {
    // Groups of one register's lanes that hold at least one object, REGISTERS per call.
    let mut groups = blocks.iter().enumerate().flat_map(|(index, block)| {
        (0..block.len())
            .step_by(S::F64_LANES)
            .map(move |lane| (index, lane))
    });
    while let Some(first) = groups.next() {
        // Registers without a group of their own repeat the first and are not stored.
        let mut batch = [first; REGISTERS];
        let mut filled = 1;
        while filled < REGISTERS {
            let Some(group) = groups.next() else { break };
            batch[filled] = group;
            filled += 1;
        }
        let mut sources = [(&blocks[first.0], first.1); REGISTERS];
        for register in 1..REGISTERS {
            sources[register] = (&blocks[batch[register].0], batch[register].1);
        }
        let states = B::propagate(simd, sources, time).unpack();
        for (register, &(index, lane0)) in batch.iter().enumerate().take(filled) {
            let block = &blocks[index];
            let active = (block.len() - lane0).min(S::F64_LANES);
            for lane in 0..active {
                let object = usize::from(block.object(lane0 + lane));
                let unpacked = register * S::F64_LANES + lane;
                if states.status[unpacked] == 0.0 {
                    // Spelled out: `array::map` is not `inline(always)` (see `lanes.rs`).
                    let (p, v) = (&states.position, &states.velocity);
                    sink.store_state(
                        object,
                        [p[0][unpacked], p[1][unpacked], p[2][unpacked]],
                        [v[0][unpacked], v[1][unpacked], v[2][unpacked]],
                    );
                } else {
                    sink.store(object, states.outcome(unpacked));
                }
            }
        }
    }
}

/// [`run_blocks`] as a `pulp` operation: `vectorize` compiles its body with the instruction
/// set's target features enabled, which is what turns every lane operation into one vector
/// instruction.
pub struct RunBlocks<'a, B, K> {
    pub blocks: &'a [B],
    pub time: KernelTime,
    pub sink: &'a mut K,
}

impl<B: KernelBlock, K: LaneSink> WithSimd for RunBlocks<'_, B, K> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        run_blocks(simd, self.blocks, self.time, self.sink);
    }
}

/// One object (orbit tracks, details): the scalar path, which gives the same answer.
pub fn propagate_one<B: KernelBlock>(block: &B, lane: usize, time: KernelTime) -> LaneOutcome {
    B::propagate(Scalar::new(), [(block, lane); REGISTERS], time).outcome(0)
}
