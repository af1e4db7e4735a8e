//! Passes of many objects over one or more sites: every object propagated together at the
//! coarse steps ([`BatchPropagator::propagate_into`], vectorised and on all cores), the
//! elevations of all of them from every site worked out in the same pass (rayon), then each
//! object's brackets refined on exact SGP4 with [`BatchPropagator::propagate_one`] (rayon).
//!
//! Objects are grouped by their coarse step ([`coarse_step_s`]), so that a GEO object is not
//! sampled as often as a LEO one; each group has its own propagator.

use glam::DVec3;
use rayon::prelude::*;
use sgp4::Elements;

use super::finder::{Bounds, Pass, PassOptions, Refiner, Sample, SiteScan, coarse_step_s};
use super::look::{SiteFrame, teme_state_to_ecef};
use super::site::Site;
use super::visibility::sun_elevation_deg;
use crate::orbit::failure::Failure;
use crate::orbit::sun::sun_direction_ecef;
use crate::orbit::{BatchPropagator, Instant, PropagationMode, StateBuffers, gmst_rad};

/// Fewer objects than this are scanned on the calling thread (one object over ten sites for a
/// month is ~20 000 steps: a parallel split per step would cost more than the work).
const SERIAL_BELOW: usize = 64;

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
    gmst: f64,
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
        let (r, v) = teme_state_to_ecef(
            DVec3::from_array(position),
            DVec3::from_array(velocity),
            step.gmst,
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
    let steps = |step: f64| (seconds / step).ceil() as u64 + 1;
    let total: u64 =
        groups.iter().map(|(step, _)| steps(*step)).sum::<u64>() + elements.len() as u64;
    let mut done = 0;
    let mut results = Vec::with_capacity(elements.len() * sites.len());
    for (step, members) in &groups {
        let group: Vec<&Elements> = members.iter().map(|&i| elements[i]).collect();
        let found = scan_group(&group, &frames, span, *step, options, &mut |n| {
            done += n;
            progress(done, total);
        });
        results.extend(found.into_iter().map(|mut entry| {
            entry.object = members[entry.object];
            entry
        }));
    }
    results.sort_by_key(|entry| (entry.object, entry.site));
    progress(total, total);
    Ok(results)
}

/// Scans and refines one group of objects sharing a step.
fn scan_group(
    elements: &[&Elements],
    frames: &[SiteFrame],
    span: Span,
    step_s: f64,
    options: &PassOptions,
    progress: &mut dyn FnMut(u64),
) -> Vec<ObjectPasses> {
    let serial = elements.len() < SERIAL_BELOW;
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
        if serial {
            propagator.propagate_into_serial(at, &mut states);
        } else {
            propagator.propagate_into(at, &mut states);
        }
        let sun = sun_direction_ecef(at);
        for (dark, frame) in dark.iter_mut().zip(frames) {
            *dark = options.darkness.is_dark(sun_elevation_deg(frame, sun));
        }
        let step = Step {
            t,
            at,
            gmst: gmst_rad(at),
            sun,
            dark: &dark,
            frames,
            min: options.min_elevation_deg,
        };
        let apply = |(index, scan): (usize, &mut ObjectScan)| {
            scan.step(
                &step,
                states.positions_km[index],
                states.velocities_km_s[index],
                states.failures[index],
            );
        };
        if serial {
            scans.iter_mut().enumerate().for_each(apply);
        } else {
            scans
                .par_iter_mut()
                .enumerate()
                .with_min_len(256)
                .for_each(apply);
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
    let refine = |(index, scan): (usize, ObjectScan)| -> Vec<ObjectPasses> {
        let propagator = &propagator;
        let state = move |at: Instant| propagator.propagate_one(index, at);
        scan.sites
            .iter()
            .zip(frames)
            .enumerate()
            .map(|(site, (site_scan, frame))| {
                let refiner = Refiner {
                    state,
                    start: span.start,
                    frame,
                    options,
                    bounds: scan.bounds,
                };
                let (passes, failure) = refiner.passes(site_scan);
                ObjectPasses {
                    object: index,
                    site,
                    passes,
                    failure: scan
                        .failure
                        .or(failure.map(|reason| PassFailure { at: None, reason })),
                }
            })
            .collect()
    };
    let results: Vec<ObjectPasses> = if serial {
        scans.into_iter().enumerate().flat_map(refine).collect()
    } else {
        scans
            .into_par_iter()
            .enumerate()
            .with_max_len(64)
            .flat_map_iter(refine)
            .collect()
    };
    progress(elements.len() as u64);
    results
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
