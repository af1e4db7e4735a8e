//! The coarse stage: for one interval between two samples of every object, the pairs whose
//! distance may have a local minimum below the threshold inside it.
//!
//! Why nothing real is dropped (each step is a superset of the next):
//! 1. An object's true path over the interval lies within `ε` (the interpolation bound,
//!    [`super::hermite::interpolation_error_bound_km`]) of its Hermite cubic, which lies in the
//!    convex hull of its Bézier control points, so inside their bounding box grown by `ε`.
//! 2. If two objects are within `d` of each other at some instant of the interval, their boxes
//!    grown by `d/2 + ε` each overlap on every axis. Boxes are put into the cells of a uniform
//!    grid they touch: two overlapping boxes share at least the cell that holds the corner of
//!    their intersection with the smallest coordinates, and the pair is taken in that cell only.
//! 3. The relative path is within `2ε` of the difference of the two cubics (interpolation is
//!    linear), itself a Bézier curve: if that curve's hull stays farther than `d + 2ε` from the
//!    origin, the pair never comes within `d` ([`Cubic::distance_lower_bound`]).
//! 4. The remaining pairs' interpolated distance is searched for local minima; each one whose
//!    interpolated distance is below `d + 2ε` goes to exact refinement.

use glam::DVec3;

use super::hermite::{Cubic, control_points};
use crate::orbit::StateBuffers;

/// One place where an exact local minimum should be looked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Participant slots, `first < second`.
    pub first: u32,
    pub second: u32,
    /// Seconds from the start of the screening.
    pub time_s: f64,
}

/// Counts of the coarse stage, for the report and the benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepCounts {
    /// Pairs whose boxes overlapped.
    pub box_pairs: u64,
    /// Pairs whose relative curve came near enough to be searched for minima.
    pub curve_pairs: u64,
    /// Interpolated minima handed to refinement.
    pub candidates: u64,
}

impl std::ops::AddAssign for SweepCounts {
    fn add_assign(&mut self, other: Self) {
        self.box_pairs += other.box_pairs;
        self.curve_pairs += other.curve_pairs;
        self.candidates += other.candidates;
    }
}

/// What the sweep of one interval needs besides the states.
#[derive(Debug, Clone, Copy)]
pub struct SweepParameters {
    pub threshold_km: f64,
    pub step_s: f64,
    /// [`super::hermite::interpolation_error_bound_km`] for `step_s`.
    pub error_bound_km: f64,
    /// Edge of a grid cell (km).
    pub cell_km: f64,
}

#[derive(Debug, Clone, Copy)]
struct Box3 {
    low: DVec3,
    high: DVec3,
}

impl Box3 {
    fn overlaps(&self, other: &Self) -> bool {
        self.low.cmple(other.high).all() && other.low.cmple(self.high).all()
    }
}

/// Reusable buffers for sweeping intervals one after another.
#[derive(Debug, Default)]
pub struct IntervalSweep {
    boxes: Vec<Box3>,
    cubics: Vec<Cubic>,
    /// (cell key, participant slot) of every primary box in every cell it touches.
    primary_cells: Vec<(u64, u32)>,
    /// `primary_cells` grouped by a hash of the key (a counting sort: linear, where sorting by
    /// key was most of the sweep's time): bucket `b` is `bucketed[starts[b]..starts[b + 1]]`.
    bucketed: Vec<(u64, u32)>,
    starts: Vec<u32>,
    /// The next free place of each bucket while `bucketed` is filled.
    next: Vec<u32>,
    bucket_bits: u32,
    minima: Vec<f64>,
    /// (primary slot, cell key) met by one secondary box.
    found: Vec<(u32, u64)>,
    /// Slots whose box touches more than [`MAX_CELLS_PER_BOX`] cells: tested against every
    /// other box directly instead of through the grid.
    oversize: Vec<u32>,
}

/// A box that touches more cells than this is kept out of the grid. Real orbits move at most
/// ~11 km/s, so an interval's box spans a few cells; only a state SGP4 has thrown far out (an
/// element set whose drag terms diverge, moving thousands of km a minute) touches more, and
/// putting it in the grid would cost millions of cells.
const MAX_CELLS_PER_BOX: u64 = 64;

const CELL_OFFSET: i64 = 1 << 20;

fn cell_coordinate(value: f64, cell_km: f64) -> i64 {
    ((value / cell_km).floor() as i64 + CELL_OFFSET).clamp(0, (1 << 21) - 1)
}

fn cell_key(x: i64, y: i64, z: i64) -> u64 {
    ((x as u64) << 42) | ((y as u64) << 21) | z as u64
}

fn cell_of(point: DVec3, cell_km: f64) -> u64 {
    cell_key(
        cell_coordinate(point.x, cell_km),
        cell_coordinate(point.y, cell_km),
        cell_coordinate(point.z, cell_km),
    )
}

/// A bucket for a cell key (Fibonacci hashing: the top bits of the key times 2⁶⁴/φ).
fn bucket_of(key: u64, bits: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
}

/// How many cells `bounds` touches (saturating).
fn cell_count(bounds: &Box3, cell_km: f64) -> u64 {
    let low = [bounds.low.x, bounds.low.y, bounds.low.z].map(|v| cell_coordinate(v, cell_km));
    let high = [bounds.high.x, bounds.high.y, bounds.high.z].map(|v| cell_coordinate(v, cell_km));
    (0..3)
        .map(|axis| (high[axis] - low[axis] + 1).max(0) as u64)
        .fold(1_u64, u64::saturating_mul)
}

/// Calls `visit` with the key of every cell `bounds` touches.
fn for_each_cell(bounds: &Box3, cell_km: f64, mut visit: impl FnMut(u64)) {
    let low = [bounds.low.x, bounds.low.y, bounds.low.z].map(|v| cell_coordinate(v, cell_km));
    let high = [bounds.high.x, bounds.high.y, bounds.high.z].map(|v| cell_coordinate(v, cell_km));
    for x in low[0]..=high[0] {
        for y in low[1]..=high[1] {
            for z in low[2]..=high[2] {
                visit(cell_key(x, y, z));
            }
        }
    }
}

impl IntervalSweep {
    /// Finds the candidates of the interval `[start_s, start_s + step]` between the states
    /// `before` and `after`. `primary[slot]` says whether a participant is primary: pairs with
    /// no primary member are never screened. Objects that failed at either end are skipped
    /// (the caller reports them).
    pub fn sweep(
        &mut self,
        before: &StateBuffers,
        after: &StateBuffers,
        primary: &[bool],
        start_s: f64,
        parameters: &SweepParameters,
        out: &mut Vec<Candidate>,
    ) -> SweepCounts {
        let mut counts = SweepCounts::default();
        let pad = DVec3::splat(parameters.threshold_km * 0.5 + parameters.error_bound_km);
        let count = before.len();
        self.boxes.clear();
        self.cubics.clear();
        self.primary_cells.clear();
        self.oversize.clear();
        for (slot, &is_primary) in primary.iter().enumerate().take(count) {
            let valid = before.failures[slot].is_none() && after.failures[slot].is_none();
            let points = control_points(
                DVec3::from(before.positions_km[slot]),
                DVec3::from(before.velocities_km_s[slot]),
                DVec3::from(after.positions_km[slot]),
                DVec3::from(after.velocities_km_s[slot]),
                parameters.step_s,
            );
            let mut low = points[0];
            let mut high = points[0];
            for point in &points[1..] {
                low = low.min(*point);
                high = high.max(*point);
            }
            let bounds = if valid {
                Box3 {
                    low: low - pad,
                    high: high + pad,
                }
            } else {
                // An empty box: overlaps nothing.
                Box3 {
                    low: DVec3::splat(f64::INFINITY),
                    high: DVec3::splat(f64::NEG_INFINITY),
                }
            };
            self.boxes.push(bounds);
            self.cubics.push(Cubic { points });
            if valid && cell_count(&bounds, parameters.cell_km) > MAX_CELLS_PER_BOX {
                self.oversize.push(slot as u32);
            } else if valid && is_primary {
                let cells = &mut self.primary_cells;
                for_each_cell(&bounds, parameters.cell_km, |key| {
                    cells.push((key, slot as u32));
                });
            }
        }
        self.group_by_bucket();

        // Primary against primary: pairs within each bucket that share a cell.
        let buckets = self.starts.len() - 1;
        for bucket in 0..buckets {
            let (start, end) = (
                self.starts[bucket] as usize,
                self.starts[bucket + 1] as usize,
            );
            for first in start..end {
                let (key, a) = self.bucketed[first];
                for second in first + 1..end {
                    let (other_key, b) = self.bucketed[second];
                    if other_key == key {
                        self.test_pair(a, b, Some(key), start_s, parameters, &mut counts, out);
                    }
                }
            }
        }

        // Every other participant against the primaries' cells.
        if !self.primary_cells.is_empty() {
            for (slot, &is_primary) in primary.iter().enumerate().take(count) {
                if is_primary
                    || !self.boxes[slot].low.x.is_finite()
                    || self.oversize.binary_search(&(slot as u32)).is_ok()
                {
                    continue;
                }
                let bounds = self.boxes[slot];
                let mut found = std::mem::take(&mut self.found);
                found.clear();
                for_each_cell(&bounds, parameters.cell_km, |key| {
                    let bucket = bucket_of(key, self.bucket_bits);
                    let (start, end) = (
                        self.starts[bucket] as usize,
                        self.starts[bucket + 1] as usize,
                    );
                    for &(other_key, primary_slot) in &self.bucketed[start..end] {
                        if other_key == key {
                            found.push((primary_slot, key));
                        }
                    }
                });
                for &(other, key) in &found {
                    self.test_pair(
                        slot as u32,
                        other,
                        Some(key),
                        start_s,
                        parameters,
                        &mut counts,
                        out,
                    );
                }
                self.found = found;
            }
        }
        // Oversized boxes against every other valid box (each oversize pair once).
        let oversize = std::mem::take(&mut self.oversize);
        for (rank, &big) in oversize.iter().enumerate() {
            for other in 0..count as u32 {
                let skip = other == big
                    || !self.boxes[other as usize].low.x.is_finite()
                    || oversize[..rank].contains(&other);
                if skip || !(primary[big as usize] || primary[other as usize]) {
                    continue;
                }
                self.test_pair(big, other, None, start_s, parameters, &mut counts, out);
            }
        }
        self.oversize = oversize;
        counts
    }

    /// Counting sort of `primary_cells` by bucket into `bucketed` and `starts`.
    fn group_by_bucket(&mut self) {
        let entries = self.primary_cells.len();
        self.bucket_bits = (entries.max(2).next_power_of_two().trailing_zeros()).max(4);
        let buckets = 1_usize << self.bucket_bits;
        self.starts.clear();
        self.starts.resize(buckets + 1, 0);
        for &(key, _) in &self.primary_cells {
            self.starts[bucket_of(key, self.bucket_bits) + 1] += 1;
        }
        for bucket in 0..buckets {
            self.starts[bucket + 1] += self.starts[bucket];
        }
        self.bucketed.clear();
        self.bucketed.resize(entries, (0, 0));
        self.next.clear();
        self.next.extend_from_slice(&self.starts[..buckets]);
        for &entry in &self.primary_cells {
            let bucket = bucket_of(entry.0, self.bucket_bits);
            self.bucketed[self.next[bucket] as usize] = entry;
            self.next[bucket] += 1;
        }
    }

    /// Steps 2–4 for one pair met in the cell `key` (None: met outside the grid).
    fn test_pair(
        &mut self,
        a: u32,
        b: u32,
        key: Option<u64>,
        start_s: f64,
        parameters: &SweepParameters,
        counts: &mut SweepCounts,
        out: &mut Vec<Candidate>,
    ) {
        let (first, second) = (a.min(b), a.max(b));
        let box_a = &self.boxes[first as usize];
        let box_b = &self.boxes[second as usize];
        if !box_a.overlaps(box_b) {
            return;
        }
        // Take the pair in one cell only: the one holding the intersection's lowest corner.
        if let Some(key) = key
            && cell_of(box_a.low.max(box_b.low), parameters.cell_km) != key
        {
            return;
        }
        counts.box_pairs += 1;
        let ca = &self.cubics[first as usize];
        let cb = &self.cubics[second as usize];
        let relative = Cubic {
            points: std::array::from_fn(|k| cb.points[k] - ca.points[k]),
        };
        let reach = parameters.threshold_km + 2.0 * parameters.error_bound_km;
        if relative.distance_lower_bound() > reach {
            return;
        }
        counts.curve_pairs += 1;
        self.minima.clear();
        relative.local_minima(&mut self.minima);
        for &tau in &self.minima {
            if relative.at(tau).length() <= reach {
                counts.candidates += 1;
                out.push(Candidate {
                    first,
                    second,
                    time_s: start_s + tau * parameters.step_s,
                });
            }
        }
    }
}
