//! A brute-force screener, independent of the fast one, used as the tests' oracle: the sgp4
//! crate's own propagation (not the project's kernel) at fixed samples, pairs kept by the mean
//! value theorem (not by interpolation), then every second of the kept windows, and each
//! sampled minimum polished by golden-section search. Slow by design; never used by the app.

use std::collections::HashMap;

use glam::DVec3;
use rayon::prelude::*;
use sgp4::Elements;

use crate::orbit::{Instant, PropagationMode, ReferencePropagator};

/// The largest gravitational acceleration at or above the Earth's surface (km/s²).
const MAX_GRAVITY_KM_S2: f64 = 9.9e-3;

/// A local minimum of a pair's distance found by the oracle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DenseMinimum {
    pub first: usize,
    pub second: usize,
    pub time_s: f64,
    pub miss_km: f64,
}

/// Every local minimum below `threshold_km` of every pair (at least one member `primary`),
/// over `[0, span_s]` from `start`, ordered by (first, second, time).
pub fn dense_minima(
    elements: &[&Elements],
    primary: &[bool],
    start: Instant,
    span_s: f64,
    threshold_km: f64,
) -> Vec<DenseMinimum> {
    const COARSE_S: f64 = 60.0;
    let propagators: Vec<ReferencePropagator> = elements
        .iter()
        .map(|elements| ReferencePropagator::new(elements, PropagationMode::Improved))
        .collect();
    let state = |slot: usize, time_s: f64| -> Option<(DVec3, DVec3)> {
        let (r, v) = propagators[slot]
            .propagate(start.plus_minutes(time_s / 60.0))
            .ok()?;
        Some((DVec3::from(r), DVec3::from(v)))
    };
    let samples = (span_s / COARSE_S).ceil() as usize;
    // Every instant is within 30 s of a sample t_k. Over ±30 s the relative path departs from
    // the straight line Δr + Δv τ by at most ½ (2 g) τ² (each object's acceleration is at most
    // g): a pair is kept around t_k when that line comes within the threshold plus this.
    let half = COARSE_S / 2.0;
    let curvature = MAX_GRAVITY_KM_S2 * half * half;
    let windows: Vec<(usize, usize, usize)> = (0..=samples)
        .into_par_iter()
        .flat_map_iter(|k| {
            let time_s = (k as f64 * COARSE_S).min(span_s);
            let states: Vec<Option<(DVec3, DVec3)>> = (0..elements.len())
                .map(|slot| state(slot, time_s))
                .collect();
            // No object moves faster than 16 km/s relative to another in Earth orbit.
            let reach = threshold_km + curvature + 16.0 * half;
            let mut grid: HashMap<(i64, i64, i64), Vec<usize>> = HashMap::new();
            for (slot, state) in states.iter().enumerate() {
                if let Some((r, _)) = state {
                    let cell = (r / reach).floor();
                    grid.entry((cell.x as i64, cell.y as i64, cell.z as i64))
                        .or_default()
                        .push(slot);
                }
            }
            let mut found = Vec::new();
            for (slot, state) in states.iter().enumerate() {
                let Some((r, v)) = state else { continue };
                let cell = (*r / reach).floor();
                for dx in -1..=1 {
                    for dy in -1..=1 {
                        for dz in -1..=1 {
                            let key = (cell.x as i64 + dx, cell.y as i64 + dy, cell.z as i64 + dz);
                            for &other in grid.get(&key).into_iter().flatten() {
                                if other <= slot || !(primary[slot] || primary[other]) {
                                    continue;
                                }
                                let Some((ro, vo)) = states[other] else {
                                    continue;
                                };
                                let dr = ro - *r;
                                let dv = vo - *v;
                                let tau = if dv.length_squared() > 0.0 {
                                    (-dr.dot(dv) / dv.length_squared()).clamp(-half, half)
                                } else {
                                    0.0
                                };
                                if (dr + dv * tau).length() < threshold_km + curvature {
                                    found.push((slot, other, k));
                                }
                            }
                        }
                    }
                }
            }
            found
        })
        .collect();
    // Every second of the windows (merged per pair), then golden-section on each sampled minimum.
    let mut by_pair: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (a, b, k) in windows {
        by_pair.entry((a, b)).or_default().push(k);
    }
    let mut minima: Vec<DenseMinimum> = by_pair
        .into_par_iter()
        .flat_map_iter(|((a, b), mut ks)| {
            ks.sort_unstable();
            ks.dedup();
            let distance = |time_s: f64| -> Option<f64> {
                Some((state(b, time_s)?.0 - state(a, time_s)?.0).length())
            };
            let mut seconds: Vec<i64> = Vec::new();
            for k in ks {
                let centre = (k as f64 * COARSE_S) as i64;
                seconds.extend(centre - half as i64 - 1..=centre + half as i64 + 1);
            }
            seconds.sort_unstable();
            seconds.dedup();
            seconds.retain(|&s| s >= 0 && (s as f64) <= span_s);
            let mut out = Vec::new();
            let values: Vec<Option<f64>> = seconds.iter().map(|&s| distance(s as f64)).collect();
            for i in 1..seconds.len().saturating_sub(1) {
                let (s0, s1, s2) = (seconds[i - 1], seconds[i], seconds[i + 1]);
                if s1 - s0 != 1 || s2 - s1 != 1 {
                    continue;
                }
                let (Some(d0), Some(d1), Some(d2)) = (values[i - 1], values[i], values[i + 1])
                else {
                    continue;
                };
                if !(d1 < d0 && d1 <= d2) {
                    continue;
                }
                let (time_s, miss_km) = polish(&distance, s0 as f64, s2 as f64);
                if miss_km < threshold_km {
                    out.push(DenseMinimum {
                        first: a,
                        second: b,
                        time_s,
                        miss_km,
                    });
                }
            }
            out
        })
        .collect();
    minima.sort_by(|x, y| {
        (x.first, x.second)
            .cmp(&(y.first, y.second))
            .then(x.time_s.total_cmp(&y.time_s))
    });
    minima
}

/// Golden-section search for the minimum of `distance` in `[low, high]`, to 10 µs.
fn polish(distance: &dyn Fn(f64) -> Option<f64>, mut low: f64, mut high: f64) -> (f64, f64) {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let value = |t: f64| distance(t).unwrap_or(f64::INFINITY);
    while high - low > 1e-5 {
        let left = high - ratio * (high - low);
        let right = low + ratio * (high - low);
        if value(left) < value(right) {
            high = right;
        } else {
            low = left;
        }
    }
    let time = 0.5 * (low + high);
    (time, value(time))
}
