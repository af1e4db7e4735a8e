//! Passes of many objects over one or more sites, in blocks of objects (one task each, on all
//! cores): a block's objects propagated together at the coarse steps
//! ([`BatchPropagator::propagate_into_serial`], vectorised), the elevations of all of them
//! from every site worked out in the same pass, then every object's brackets refined on exact
//! SGP4 in lockstep ([`super::lockstep`]: each round's evaluations of the whole block go
//! through the vectorised kernel together). A block's passes are handed on as soon as it is
//! done ([`find_passes_each`]), so that memory is bounded by the blocks in flight, not by
//! the catalog and the span.
//!
//! Objects are grouped by their coarse step ([`coarse_step_s`]), so that a GEO object is not
//! sampled as often as a LEO one; each block has its own propagator.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use glam::DVec3;
use rayon::prelude::*;
use sgp4::Elements;

use super::finder::{Bounds, Pass, PassOptions, Refiner, Sample, SiteScan, coarse_step_s};
use super::lockstep::{Channel, Task, drive};
use super::look::{SiteFrame, teme_state_to_ecef_sin_cos};
use super::site::Site;
use super::visibility::sun_elevation_deg;
use crate::orbit::failure::Failure;
use crate::orbit::sun::sun_direction_ecef;
use crate::orbit::{BatchPropagator, Instant, PropagationMode, StateBuffers, gmst_rad};

/// Most objects in a block: enough that every lockstep round fills the kernel's registers,
/// few enough that a block's raw passes stay small (below; ~70 MB at most for 14 days).
const MAX_OBJECTS_PER_BLOCK: usize = 1024;

/// Object-days per block: over longer spans blocks shrink, so that the raw passes a block
/// holds (a LEO object has ~5 a day from mid-latitudes) stay bounded.
const OBJECT_DAYS_PER_BLOCK: f64 = 16_384.0;

/// Fewest objects in a block (below it, per-block costs — the propagator, the Sun at every
/// step — would outweigh the work).
const MIN_OBJECTS_PER_BLOCK: usize = 64;

/// The time span searched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub start: Instant,
    pub end: Instant,
}

impl Span {
    pub fn days(start: Instant, days: f64) -> Self {
        Self {
            start,
            end: start.plus_minutes(days * 1440.0),
        }
    }

    pub fn seconds(&self) -> f64 {
        self.end.minutes_since(self.start) * 60.0
    }
}

/// Why an object's passes stop (or never start).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassFailure {
    /// The scan step at which SGP4 first failed; `None` where the element set was refused at
    /// initialisation or the failure came up while refining.
    pub at: Option<Instant>,
    pub reason: Failure,
}

/// The passes of one object over one site.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPasses {
    /// Index into the element sets given.
    pub object: usize,
    /// Index into the sites given.
    pub site: usize,
    pub passes: Vec<Pass>,
    /// Set when SGP4 failed: the passes are those before the failure.
    pub failure: Option<PassFailure>,
}

/// A request the finder refuses.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PassError {
    #[error("the span must be longer than zero (from {from} to {to})")]
    EmptySpan { from: String, to: String },
    #[error("minimum elevation {0}° is outside [0, 90)")]
    MinElevation(f64),
    #[error("sun-below {0}° is outside [-90, 90]")]
    SunBelow(f64),
}

/// One object's scan over every site.
struct ObjectScan {
    sites: Vec<SiteScan>,
    bounds: Bounds,
    failure: Option<PassFailure>,
}

/// What every object's step shares.
struct Step<'a> {
    t: f64,
    at: Instant,
    /// Sine and cosine of GMST.
    gmst_sin_cos: (f64, f64),
    sun: DVec3,
    dark: &'a [bool],
    frames: &'a [SiteFrame],
    min: f64,
}

impl ObjectScan {
    fn step(
        &mut self,
        step: &Step,
        position: [f64; 3],
        velocity: [f64; 3],
        failure: Option<Failure>,
    ) {
        if self.failure.is_some() {
            return;
        }
        if let Some(reason) = failure {
            let at = (!matches!(reason, Failure::ElementsRejected(_))).then_some(step.at);
            self.failure = Some(PassFailure { at, reason });
            return;
        }
        let (sin, cos) = step.gmst_sin_cos;
        let (r, v) = teme_state_to_ecef_sin_cos(
            DVec3::from_array(position),
            DVec3::from_array(velocity),
            sin,
            cos,
        );
        for ((scan, frame), &dark) in self.sites.iter_mut().zip(step.frames).zip(step.dark) {
            let sample = Sample::scan(step.t, frame, r, v, step.sun, dark, step.min);
            scan.push(sample, step.min, &self.bounds, frame);
        }
    }
}

/// Checks a request.
pub fn check(span: &Span, options: &PassOptions) -> Result<(), PassError> {
    if span.seconds().partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(PassError::EmptySpan {
            from: span.start.to_utc().to_rfc3339(),
            to: span.end.to_utc().to_rfc3339(),
        });
    }
    let min = options.min_elevation_deg;
    if !(0.0..90.0).contains(&min) {
        return Err(PassError::MinElevation(min));
    }
    let sun = options.darkness.sun_below_deg;
    if !(-90.0..=90.0).contains(&sun) {
        return Err(PassError::SunBelow(sun));
    }
    Ok(())
}

/// Every pass of every object over every site in `span`, one entry per (object, site) in
/// object then site order. `progress(done, total)` is called as the work goes (any thread).
pub fn find_passes(
    elements: &[&Elements],
    sites: &[Site],
    span: Span,
    options: &PassOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Vec<ObjectPasses>, PassError> {
    let found = Mutex::new(Vec::with_capacity(elements.len() * sites.len()));
    find_passes_each(elements, sites, span, options, progress, &|block| {
        found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(block);
    })?;
    let mut found = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    found.sort_by_key(|entry| (entry.object, entry.site));
    Ok(found)
}

/// As [`find_passes`], handing each block's entries to `each` as soon as they are refined (on
/// any thread, blocks in no particular order; within a block in object then site order), so
/// that a caller which writes or reduces them as they come holds only the blocks in flight.
pub fn find_passes_each(
    elements: &[&Elements],
    sites: &[Site],
    span: Span,
    options: &PassOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
    each: &(dyn Fn(Vec<ObjectPasses>) + Sync),
) -> Result<(), PassError> {
    check(&span, options)?;
    let frames: Vec<SiteFrame> = sites.iter().map(SiteFrame::new).collect();
    // Groups by coarse step, each in catalog order.
    let mut groups: Vec<(f64, Vec<usize>)> = Vec::new();
    for (index, elements) in elements.iter().enumerate() {
        let step = coarse_step_s(elements);
        match groups.iter_mut().find(|(s, _)| *s == step) {
            Some((_, members)) => members.push(index),
            None => groups.push((step, vec![index])),
        }
    }
    let seconds = span.seconds();
    let per_block = block_size(elements.len(), seconds / 86_400.0);
    let blocks: Vec<(f64, &[usize])> = groups
        .iter()
        .flat_map(|(step, members)| members.chunks(per_block).map(|block| (*step, block)))
        .collect();
    let steps = |step: f64| (seconds / step).ceil() as u64 + 1;
    let total: u64 =
        blocks.iter().map(|(step, _)| steps(*step)).sum::<u64>() + elements.len() as u64;
    let done = AtomicU64::new(0);
    let advance = |n: u64| progress(done.fetch_add(n, Ordering::Relaxed) + n, total);
    let run = |&(step, members): &(f64, &[usize])| {
        let group: Vec<&Elements> = members.iter().map(|&i| elements[i]).collect();
        let mut found = scan_block(&group, &frames, span, step, options, &advance);
        for entry in &mut found {
            entry.object = members[entry.object];
        }
        each(found);
    };
    if blocks.len() == 1 {
        blocks.iter().for_each(run);
    } else {
        blocks.par_iter().with_max_len(1).for_each(run);
    }
    progress(total, total);
    Ok(())
}

/// Objects per block: a few blocks per core where the catalog is small, at most
/// [`MAX_OBJECTS_PER_BLOCK`], fewer over long spans ([`OBJECT_DAYS_PER_BLOCK`]).
fn block_size(objects: usize, days: f64) -> usize {
    let share = objects.div_ceil(4 * rayon::current_num_threads().max(1));
    let by_span = (OBJECT_DAYS_PER_BLOCK / days.max(1e-9)).min(1e9) as usize;
    share
        .min(by_span)
        .clamp(MIN_OBJECTS_PER_BLOCK, MAX_OBJECTS_PER_BLOCK)
}

/// Scans and refines one block of objects sharing a step, on the calling thread.
fn scan_block(
    elements: &[&Elements],
    frames: &[SiteFrame],
    span: Span,
    step_s: f64,
    options: &PassOptions,
    progress: &dyn Fn(u64),
) -> Vec<ObjectPasses> {
    let mut propagator = BatchPropagator::new(elements.iter().copied(), PropagationMode::Improved);
    let mut scans: Vec<ObjectScan> = elements
        .iter()
        .map(|elements| ObjectScan {
            sites: vec![SiteScan::default(); frames.len()],
            bounds: Bounds::of(elements),
            failure: None,
        })
        .collect();
    let mut states = StateBuffers::default();
    let mut dark = vec![false; frames.len()];
    let seconds = span.seconds();
    let count = (seconds / step_s).ceil() as u64;
    let mut reported = 0;
    for k in 0..=count {
        let t = (k as f64 * step_s).min(seconds);
        let at = if k == count {
            span.end
        } else {
            span.start.plus_minutes(t / 60.0)
        };
        propagator.propagate_into_serial(at, &mut states);
        let sun = sun_direction_ecef(at);
        for (dark, frame) in dark.iter_mut().zip(frames) {
            *dark = options.darkness.is_dark(sun_elevation_deg(frame, sun));
        }
        let step = Step {
            t,
            at,
            gmst_sin_cos: gmst_rad(at).sin_cos(),
            sun,
            dark: &dark,
            frames,
            min: options.min_elevation_deg,
        };
        for (index, scan) in scans.iter_mut().enumerate() {
            scan.step(
                &step,
                states.positions_km[index],
                states.velocities_km_s[index],
                states.failures[index],
            );
        }
        if k % 64 == 63 {
            progress(64);
            reported += 64;
        }
    }
    progress(count + 1 - reported);
    for scan in &mut scans {
        for site in &mut scan.sites {
            site.finish();
        }
    }
    // Every (object, site), refined together.
    let pairs: Vec<(usize, usize)> = (0..scans.len())
        .flat_map(|object| (0..frames.len()).map(move |site| (object, site)))
        .collect();
    let channels: Vec<Channel> = pairs.iter().map(|_| Channel::default()).collect();
    let refiners: Vec<Refiner> = pairs
        .iter()
        .zip(&channels)
        .map(|(&(object, site), channel)| Refiner {
            state: channel,
            start: span.start,
            frame: &frames[site],
            options,
            bounds: scans[object].bounds,
        })
        .collect();
    let tasks: Vec<Task<(Vec<Pass>, Option<Failure>)>> = pairs
        .iter()
        .zip(&refiners)
        .map(|(&(object, site), refiner)| {
            Box::pin(refiner.passes(&scans[object].sites[site])) as Task<_>
        })
        .collect();
    let objects: Vec<usize> = pairs.iter().map(|&(object, _)| object).collect();
    let refined = drive(&propagator, &objects, &channels, tasks);
    progress(elements.len() as u64);
    pairs
        .iter()
        .zip(refined)
        .map(|(&(object, site), (passes, failure))| ObjectPasses {
            object,
            site,
            passes,
            failure: scans[object]
                .failure
                .or(failure.map(|reason| PassFailure { at: None, reason })),
        })
        .collect()
}

/// Passes of one object over one site (the single-object case of [`find_passes`]).
pub fn passes_of(
    elements: &Elements,
    site: &Site,
    span: Span,
    options: &PassOptions,
) -> Result<ObjectPasses, PassError> {
    let mut found = find_passes(
        &[elements],
        std::slice::from_ref(site),
        span,
        options,
        &|_, _| {},
    )?;
    Ok(found.remove(0))
}
