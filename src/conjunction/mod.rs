//! Close approaches: every local minimum of the distance between every pair of objects below a
//! threshold over a span (all against all, debris included), on exact SGP4.
//!
//! Two stages. The coarse stage (`sweep.rs`) samples every object with the vectorised kernel at
//! a fixed step, interpolates each interval with Hermite cubics and keeps the pairs that may
//! come within the threshold, with margins that provably never drop a real event (see the
//! module's comment). The exact stage (`refine.rs`) finds each candidate's time of closest
//! approach by Newton's method on exact SGP4. The span is cut into blocks of intervals that
//! run on all cores, each with its own copy of the propagator, so memory stays at two sets of
//! states per core whatever the span.

mod bands;
pub mod dense;
mod hermite;
mod near;
mod refine;
mod report;
mod sweep;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;
use sgp4::Elements;

pub use hermite::interpolation_error_bound_km;
pub use near::{LocatedPair, closest_approach_near, locate_pair};
pub use refine::{Approach, ExactStates, distance_at, refine};
pub use report::{
    Against, CSV_HEADER, Conjunction, EventOrder, ScreeningReport, Side, csv_bytes, participants,
};
pub use sweep::{Candidate, SweepCounts};

use crate::orbit::{BatchPropagator, Failure, Instant, PropagationMode, StateBuffers};
use sweep::{IntervalSweep, SweepParameters};

/// The coarse stage's sampling step (s). Shorter steps make smaller boxes (fewer pairs to
/// test per interval) but more intervals and propagations; 60 s was the fastest on the 2019
/// full catalog (of 30, 45, 60 and 90 s), and the interpolation bound at 60 s is 0.3 km.
pub const DEFAULT_STEP_S: f64 = 60.0;

/// Edge of the coarse stage's grid cells (km): somewhat more than an interval's travel in low
/// orbit, so that most boxes touch few cells (600 km beat 300, 900 and 1 200 at 60 s steps).
pub const DEFAULT_CELL_KM: f64 = 600.0;

/// The largest threshold accepted (km): beyond it every pair in a shell is a candidate, and
/// "close approach" stops meaning anything.
pub const MAX_THRESHOLD_KM: f64 = 200.0;

/// The longest span accepted (days): element sets are meaningless long before.
pub const MAX_SPAN_DAYS: f64 = 366.0;

/// What to screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreeningRequest {
    pub start: Instant,
    pub span_s: f64,
    pub threshold_km: f64,
}

impl ScreeningRequest {
    /// Refuses a span or threshold that makes no sense, saying which and why.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.threshold_km.is_finite() && self.threshold_km > 0.0) {
            return Err(format!(
                "threshold {} km: must be a positive number of kilometres",
                self.threshold_km
            ));
        }
        if self.threshold_km > MAX_THRESHOLD_KM {
            return Err(format!(
                "threshold {} km: at most {MAX_THRESHOLD_KM} km",
                self.threshold_km
            ));
        }
        if !(self.span_s.is_finite() && self.span_s > 0.0) {
            return Err(format!(
                "span of {} days: must be positive (is --to after --from?)",
                self.span_s / 86_400.0
            ));
        }
        if self.span_s > MAX_SPAN_DAYS * 86_400.0 {
            return Err(format!(
                "span of {} days: at most {MAX_SPAN_DAYS} days",
                self.span_s / 86_400.0
            ));
        }
        Ok(())
    }

    pub fn instant_at(&self, time_s: f64) -> Instant {
        self.start.plus_minutes(time_s / 60.0)
    }
}

/// Shared with whoever waits for a screening: how far it is, and a way to stop it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// (intervals done, intervals in all).
    pub fn fraction(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// The screening was cancelled through its [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the screening was cancelled")]
pub struct Cancelled;

/// An object SGP4 could not propagate over the whole span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dropout {
    pub slot: u32,
    /// When it first failed (seconds from the start; 0 for an element set SGP4 rejects).
    pub time_s: f64,
    pub failure: Failure,
}

/// Wall time of each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTimes {
    pub setup: Duration,
    /// Propagation and the coarse sweep (interleaved, on all cores).
    pub sweep: Duration,
    pub refine: Duration,
}

/// Everything a screening found, by participant slot.
#[derive(Debug, Clone, Default)]
pub struct Screening {
    /// Sorted by (first, second, time).
    pub approaches: Vec<Approach>,
    /// `persistent[k]` for `approaches[k]`: its pair stays within the threshold between this
    /// minimum and a neighbouring one (objects docked or flying in formation).
    pub persistent: Vec<bool>,
    pub persistent_pairs: usize,
    pub dropouts: Vec<Dropout>,
    pub counts: SweepCounts,
    pub times: StageTimes,
    pub step_s: f64,
    pub error_bound_km: f64,
    /// Participants the radial pass left out (their radius never meets a primary's).
    pub radially_excluded: usize,
}

/// Screens `elements` (the participants) over `request`. `primary[slot]` marks the objects
/// whose pairs are wanted: a pair is screened when at least one member is primary (mark all
/// for all against all).
pub fn screen(
    elements: &[&Elements],
    primary: &[bool],
    request: &ScreeningRequest,
    progress: &Progress,
) -> Result<Screening, Cancelled> {
    screen_with(
        elements,
        primary,
        request,
        progress,
        DEFAULT_STEP_S,
        DEFAULT_CELL_KM,
    )
}

/// [`screen`] with the coarse stage's step and cell chosen by the caller (benchmarks, tests).
/// Where some participants are not primary, a coarse radial pass (`bands.rs`) first leaves
/// out those whose radius never comes within the threshold of a primary's.
pub fn screen_with(
    elements: &[&Elements],
    primary: &[bool],
    request: &ScreeningRequest,
    progress: &Progress,
    max_step_s: f64,
    cell_km: f64,
) -> Result<Screening, Cancelled> {
    assert_eq!(
        elements.len(),
        primary.len(),
        "one primary flag per participant"
    );
    if primary.iter().all(|&p| p) {
        return screen_all(elements, primary, request, progress, max_step_s, cell_km);
    }
    let setup_started = std::time::Instant::now();
    let (kept, band_dropouts) = bands::kept_by_radius(elements, primary, request, progress);
    if progress.is_cancelled() {
        return Err(Cancelled);
    }
    let subset: Vec<usize> = (0..elements.len()).filter(|&slot| kept[slot]).collect();
    let sub_elements: Vec<&Elements> = subset.iter().map(|&slot| elements[slot]).collect();
    let sub_primary: Vec<bool> = subset.iter().map(|&slot| primary[slot]).collect();
    let band_time = setup_started.elapsed();
    let mut screening = screen_all(
        &sub_elements,
        &sub_primary,
        request,
        progress,
        max_step_s,
        cell_km,
    )?;
    for approach in &mut screening.approaches {
        approach.first = subset[approach.first as usize] as u32;
        approach.second = subset[approach.second as usize] as u32;
    }
    for dropout in &mut screening.dropouts {
        dropout.slot = subset[dropout.slot as usize] as u32;
    }
    // Element sets SGP4 rejects never propagate: the band passes name them at time 0.
    screening.dropouts.extend(band_dropouts);
    keep_first_failures(&mut screening.dropouts);
    screening.times.setup += band_time;
    screening.radially_excluded = elements.len() - subset.len();
    Ok(screening)
}

/// The screening proper, every participant propagated at the fine step.
fn screen_all(
    elements: &[&Elements],
    primary: &[bool],
    request: &ScreeningRequest,
    progress: &Progress,
    max_step_s: f64,
    cell_km: f64,
) -> Result<Screening, Cancelled> {
    let setup_started = std::time::Instant::now();
    let propagator = BatchPropagator::new(elements.iter().copied(), PropagationMode::Improved);
    let intervals = (request.span_s / max_step_s).ceil().max(1.0) as usize;
    let step_s = request.span_s / intervals as f64;
    let parameters = SweepParameters {
        threshold_km: request.threshold_km,
        step_s,
        error_bound_km: hermite::interpolation_error_bound_km(step_s),
        cell_km,
    };
    progress.total.store(intervals, Ordering::Relaxed);
    progress.done.store(0, Ordering::Relaxed);
    let blocks = intervals.min(rayon::current_num_threads() * 16).max(1);
    let setup = setup_started.elapsed();

    let sweep_started = std::time::Instant::now();
    let results: Vec<BlockResult> = (0..blocks)
        .into_par_iter()
        .map(|block| {
            let first = block * intervals / blocks;
            let last = (block + 1) * intervals / blocks;
            sweep_block(
                &propagator,
                primary,
                request,
                &parameters,
                first..last,
                progress,
            )
        })
        .collect();
    if progress.is_cancelled() {
        return Err(Cancelled);
    }
    let mut candidates = Vec::new();
    let mut counts = SweepCounts::default();
    let mut dropouts: Vec<Dropout> = rejected(&propagator).collect();
    for result in results {
        candidates.extend(result.candidates);
        counts += result.counts;
        dropouts.extend(result.dropouts);
    }
    keep_first_failures(&mut dropouts);
    let sweep = sweep_started.elapsed();

    let refine_started = std::time::Instant::now();
    let (approaches, persistent, persistent_pairs) =
        refine_candidates(&propagator, candidates, request, step_s);
    let refine = refine_started.elapsed();
    Ok(Screening {
        approaches,
        persistent,
        persistent_pairs,
        dropouts,
        counts,
        times: StageTimes {
            setup,
            sweep,
            refine,
        },
        step_s,
        error_bound_km: parameters.error_bound_km,
        radially_excluded: 0,
    })
}

struct BlockResult {
    candidates: Vec<Candidate>,
    counts: SweepCounts,
    dropouts: Vec<Dropout>,
}

/// Propagates and sweeps the intervals `range` in order, on one thread.
fn sweep_block(
    propagator: &BatchPropagator,
    primary: &[bool],
    request: &ScreeningRequest,
    parameters: &SweepParameters,
    range: std::ops::Range<usize>,
    progress: &Progress,
) -> BlockResult {
    let mut result = BlockResult {
        candidates: Vec::new(),
        counts: SweepCounts::default(),
        dropouts: Vec::new(),
    };
    let mut propagator = propagator.clone();
    let mut sweep = IntervalSweep::default();
    let mut before = StateBuffers::default();
    let mut after = StateBuffers::default();
    let mut failed = vec![false; propagator.len()];
    let sample = |index: usize| index as f64 * parameters.step_s;
    propagator.propagate_into_serial(request.instant_at(sample(range.start)), &mut before);
    note_failures(
        &before,
        sample(range.start),
        &mut failed,
        &mut result.dropouts,
    );
    for interval in range {
        if progress.is_cancelled() {
            break;
        }
        let end_s = sample(interval + 1);
        propagator.propagate_into_serial(request.instant_at(end_s), &mut after);
        note_failures(&after, end_s, &mut failed, &mut result.dropouts);
        result.counts += sweep.sweep(
            &before,
            &after,
            primary,
            sample(interval),
            parameters,
            &mut result.candidates,
        );
        std::mem::swap(&mut before, &mut after);
        progress.done.fetch_add(1, Ordering::Relaxed);
    }
    result
}

/// Every element set SGP4 refused, as a dropout at the start.
fn rejected(propagator: &BatchPropagator) -> impl Iterator<Item = Dropout> {
    propagator
        .rejections()
        .into_iter()
        .map(|(slot, rejection)| Dropout {
            slot: slot as u32,
            time_s: 0.0,
            failure: Failure::ElementsRejected(rejection),
        })
}

/// One dropout per object, its first failure, in slot order.
fn keep_first_failures(dropouts: &mut Vec<Dropout>) {
    dropouts.sort_by(|a, b| a.slot.cmp(&b.slot).then(a.time_s.total_cmp(&b.time_s)));
    dropouts.dedup_by_key(|dropout| dropout.slot);
}

fn note_failures(states: &StateBuffers, time_s: f64, failed: &mut [bool], out: &mut Vec<Dropout>) {
    for (slot, failure) in states.failures.iter().enumerate() {
        if let Some(failure) = failure
            && !failed[slot]
        {
            failed[slot] = true;
            out.push(Dropout {
                slot: slot as u32,
                time_s,
                failure: *failure,
            });
        }
    }
}

/// Exact minima of the candidates, one per local minimum, within the threshold and inside the
/// span; with the persistent flags and the number of persistent pairs.
fn refine_candidates(
    states: &dyn ExactStates,
    mut candidates: Vec<Candidate>,
    request: &ScreeningRequest,
    step_s: f64,
) -> (Vec<Approach>, Vec<bool>, usize) {
    candidates.par_sort_unstable_by(|a, b| {
        (a.first, a.second)
            .cmp(&(b.first, b.second))
            .then(a.time_s.total_cmp(&b.time_s))
    });
    let mut approaches: Vec<Approach> = candidates
        .par_iter()
        .filter_map(|candidate| {
            let approach = refine(
                states,
                candidate.first,
                candidate.second,
                request.start,
                candidate.time_s,
                step_s,
            )?;
            let inside = approach.time_s > 0.0 && approach.time_s < request.span_s;
            (inside && approach.miss_km < request.threshold_km).then_some(approach)
        })
        .collect();
    approaches.par_sort_unstable_by(|a, b| {
        (a.first, a.second)
            .cmp(&(b.first, b.second))
            .then(a.time_s.total_cmp(&b.time_s))
    });
    // Two candidates that led to the same minimum (from both sides of a sample).
    approaches.dedup_by(|later, earlier| {
        (later.first, later.second) == (earlier.first, earlier.second)
            && later.time_s - earlier.time_s < 0.5
    });

    // Persistent: the pair stays within the threshold between two consecutive minima.
    let mut persistent = vec![false; approaches.len()];
    let linked: Vec<bool> = (0..approaches.len().saturating_sub(1))
        .into_par_iter()
        .map(|k| {
            let (a, b) = (&approaches[k], &approaches[k + 1]);
            (a.first, a.second) == (b.first, b.second)
                && distance_at(
                    states,
                    a.first as usize,
                    a.second as usize,
                    request.start,
                    0.5 * (a.time_s + b.time_s),
                )
                .is_some_and(|distance| distance < request.threshold_km)
        })
        .collect();
    for (k, &link) in linked.iter().enumerate() {
        if link {
            persistent[k] = true;
            persistent[k + 1] = true;
        }
    }
    // A pair counted once even if its persistent stretches are broken up.
    let mut pairs: Vec<(u32, u32)> = approaches
        .iter()
        .zip(&persistent)
        .filter(|(_, persistent)| **persistent)
        .map(|(approach, _)| (approach.first, approach.second))
        .collect();
    pairs.dedup();
    (approaches, persistent, pairs.len())
}

#[cfg(test)]
mod tests;
