//! Passes of one object over one site: the coarse scan's per-site state machine, and the
//! refinement of what it brackets on exact SGP4.
//!
//! # Why no pass is missed
//!
//! Elevation is sampled every `h` seconds (see [`coarse_step_s`]). Between two samples `a`
//! and `b` the elevation cannot change faster than `L = v / ρ` (rad/s): the line of sight
//! turns at `|v⊥| / ρ ≤ |v| / ρ`, and the elevation is an angle on the sky, so it turns no
//! faster. `v` is bounded from the orbit ([`Bounds`]: perigee speed plus the Earth's turning
//! at apogee, with margin, and never below 1.25× the speed seen at either sample), `ρ` from
//! the two sampled ranges (`ρ(t) ≥ (ρa + ρb − v h) / 2` on the interval) and from the
//! perigee. So the highest elevation in `[a, b]` is at most `(ea + eb) / 2 + L h / 2`. An
//! interval whose samples are both below the minimum elevation but whose bound reaches it is
//! searched (split where the tangents at its ends meet, recursively, each part tested the same
//! way, down to 0.01 s), so that a pass which rises and sets between two samples — a grazing
//! pass that peaks just above the minimum — is found whatever the step. The step itself only
//! sets the cost: ~10 samples per revolution keep those searches few.
//!
//! What this does not split: two passes less than one step apart (a dip below the minimum
//! inside an interval whose ends are both above it), which needs a second maximum of
//! elevation within `h` ≤ period/10 of the first; one pass is reported.

use super::lockstep::Channel;
use super::look::SiteFrame;
use super::visibility::{Darkness, is_sunlit};
use crate::orbit::Instant;
use crate::orbit::frames::{EARTH_ROTATION_RAD_S, WGS84_A_KM};
use glam::DVec3;

mod refine;

/// Default minimum elevation of a pass, degrees.
pub const DEFAULT_MIN_ELEVATION_DEG: f64 = 10.0;

/// Rise and set times are refined until the Newton step is below this, s.
const TIME_TOLERANCE_S: f64 = 1e-3;

/// The peak's time is refined to this, s: at the sharpest peaks (~1°/s² of curvature, a LEO
/// pass at the zenith) 0.05 s from the top is 0.001° lower.
const PEAK_TOLERANCE_S: f64 = 0.05;

/// The peak search stops when the tangents at its bracket's ends leave less than this above
/// the better end, degrees.
const PEAK_GAP_DEG: f64 = 2e-5;

/// Coarse samples per revolution (see [`coarse_step_s`]).
const STEPS_PER_REVOLUTION: f64 = 10.0;

/// Below this curvature of the elevation (deg/s²) a peak is polished on the elevation.
const FLAT_PEAK_DEG_S2: f64 = 1e-3;

/// Earth's gravitational parameter (WGS-72, as SGP4), km³/s².
const MU_KM3_S2: f64 = 398_600.8;

/// What a pass is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassOptions {
    /// The object is "up" above this elevation, degrees (0 allowed).
    pub min_elevation_deg: f64,
    pub darkness: Darkness,
}

impl Default for PassOptions {
    fn default() -> Self {
        Self {
            min_elevation_deg: DEFAULT_MIN_ELEVATION_DEG,
            darkness: Darkness::default(),
        }
    }
}

/// A moment of a pass: when, and where in the sky.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassPoint {
    pub at: Instant,
    pub azimuth_deg: f64,
    pub elevation_deg: f64,
}

/// One pass above the minimum elevation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pass {
    /// Acquisition of signal: the object climbs through the minimum elevation (or the span's
    /// start, when `rise_clipped`).
    pub rise: PassPoint,
    /// The highest elevation of the pass (within the span).
    pub culmination: PassPoint,
    /// Loss of signal (or the span's end, or the last moment SGP4 worked, when `set_clipped`).
    pub set: PassPoint,
    /// The object was already up when the span began: `rise` is the span's start.
    pub rise_clipped: bool,
    /// The object was still up when the span ended (or SGP4 failed): `set` is that moment.
    pub set_clipped: bool,
    /// At some moment of the pass the object is sunlit while the site is dark.
    pub visible: bool,
}

impl Pass {
    pub fn duration_s(&self) -> f64 {
        self.set.at.minutes_since(self.rise.at) * 60.0
    }
}

/// Per-object bounds used by the no-miss argument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Upper bound of the Earth-fixed speed, km/s.
    pub speed_km_s: f64,
    /// Lower bound of the distance from any site (≤ 100 km up) to the object, km.
    pub range_floor_km: f64,
    /// Upper bound of the fourth derivative of the Earth-fixed position, km/s⁴: 16·(v/rₚ)⁴·rₚ
    /// (Kepler motion turns at v/rₚ at most; 16 = 2⁴ covers the frame's turning, which is
    /// slower, and SGP4's short-period terms, far smaller).
    pub fourth_derivative_km_s4: f64,
}

impl Bounds {
    /// From the mean elements: perigee speed and the Earth's turning at apogee, +10 % and
    /// +0.5 km/s for SGP4's perturbations and drag over the span.
    pub fn of(elements: &sgp4::Elements) -> Self {
        let n = elements.mean_motion * std::f64::consts::TAU / 86_400.0;
        let e = elements.eccentricity.clamp(0.0, 0.999);
        if !(n.is_finite() && n > 0.0) {
            return Self {
                speed_km_s: 15.0,
                range_floor_km: 20.0,
                fourth_derivative_km_s4: 16.0 * (15.0f64 / 6400.0).powi(4) * 6400.0,
            };
        }
        let a = (MU_KM3_S2 / (n * n)).cbrt();
        let (perigee, apogee) = (a * (1.0 - e), a * (1.0 + e));
        let perigee_speed = (MU_KM3_S2 * (2.0 / perigee - 1.0 / a)).sqrt();
        let speed = 1.1 * (perigee_speed + EARTH_ROTATION_RAD_S * apogee) + 0.5;
        let low = (0.9 * perigee).max(WGS84_A_KM);
        Self {
            speed_km_s: speed,
            range_floor_km: (0.9 * perigee - (WGS84_A_KM + 100.0)).max(20.0),
            fourth_derivative_km_s4: 16.0 * (speed / low).powi(4) * low,
        }
    }
}

/// The coarse step for an object, s: the largest of 30·2ᵏ s (k ≤ 4) not above a
/// [`STEPS_PER_REVOLUTION`]th of its
/// period. Correctness does not depend on it (see the module notes); it keeps both the scan
/// and the searches cheap, and at most one shadow entry or exit and one dusk or dawn within a
/// step of a pass (Earth's shadow lasts ≥ ~10 min at LEO unless the orbit only grazes it).
pub fn coarse_step_s(elements: &sgp4::Elements) -> f64 {
    let period_s = 86_400.0 / elements.mean_motion;
    let mut step = 30.0;
    while step < 480.0 && step * 2.0 <= period_s / STEPS_PER_REVOLUTION {
        step *= 2.0;
    }
    step
}

/// One evaluation of an object from a site, `t` seconds into the span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub t: f64,
    pub elevation_deg: f64,
    pub elevation_rate_deg_s: f64,
    pub range_km: f64,
    pub speed_km_s: f64,
    /// Earth-fixed position, km, and velocity, km/s.
    pub r: DVec3,
    pub v: DVec3,
    /// Only set where known (the refined ends and peak of a pass); `NaN` elsewhere.
    pub azimuth_deg: f64,
    pub sunlit: bool,
    pub dark: bool,
}

impl Sample {
    /// The scan's sample from an Earth-fixed state. `sunlit` is only worked out when the object
    /// is up (it matters nowhere else).
    pub fn scan(
        t: f64,
        frame: &SiteFrame,
        r: DVec3,
        v: DVec3,
        sun: DVec3,
        dark: bool,
        min_elevation_deg: f64,
    ) -> Self {
        let mut sample = Self::exact(t, frame, r, v);
        sample.sunlit = sample.elevation_deg >= min_elevation_deg && is_sunlit(r, sun);
        sample.dark = dark;
        sample
    }

    /// Elevation, its rate and the range only (no azimuth, no lighting): what the scan and the
    /// root finders need, without the trigonometry they do not.
    pub fn exact(t: f64, frame: &SiteFrame, r: DVec3, v: DVec3) -> Self {
        let rho = r - frame.position_km;
        let range_squared = rho.length_squared();
        let range_km = range_squared.sqrt();
        let u = rho.dot(frame.up);
        let horizontal = (range_squared - u * u).max(0.0).sqrt();
        let elevation = (u / range_km).clamp(-1.0, 1.0).asin();
        // d/dt asin(u/ρ) = (u̇ ρ² − u (ρ·v)) / (ρ² h), h the horizontal distance.
        let rate = if horizontal > 0.0 {
            (v.dot(frame.up) * range_squared - u * rho.dot(v)) / (range_squared * horizontal)
        } else {
            0.0
        };
        Self {
            t,
            elevation_deg: elevation.to_degrees(),
            elevation_rate_deg_s: rate.to_degrees(),
            range_km,
            speed_km_s: v.length(),
            r,
            v,
            azimuth_deg: f64::NAN,
            sunlit: false,
            dark: false,
        }
    }

    fn visible(&self) -> bool {
        self.sunlit && self.dark
    }
}

/// True when the elevation between samples `a` and `b` may reach `min` (the Lipschitz bound).
fn may_reach(a: &Sample, b: &Sample, min: f64, bounds: &Bounds) -> bool {
    let h = b.t - a.t;
    let speed = bounds.speed_km_s.max(1.25 * a.speed_km_s.max(b.speed_km_s));
    let range = (0.5 * (a.range_km + b.range_km - speed * h)).max(bounds.range_floor_km);
    let rate = (speed / range).to_degrees();
    0.5 * (a.elevation_deg + b.elevation_deg) + 0.5 * rate * h >= min
}

/// One end of a pass as the scan left it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    /// The pass is cut here (span start or end, or SGP4 failed after it).
    Clipped(Sample),
    /// The minimum elevation is crossed between these samples (in time order).
    Crossing(Sample, Sample),
}

/// A pass as the scan saw it, before refinement.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPass {
    start: Edge,
    end: Option<Edge>,
    /// Consecutive samples inside the pass between which the elevation stops rising.
    maxima: Vec<(Sample, Sample)>,
    first_inner: Sample,
    last_inner: Sample,
    visible_inner: bool,
    /// Consecutive samples inside the pass where sunlight and darkness swap (one starts as
    /// the other ends): visible only if they overlap in between.
    crossings: Vec<(Sample, Sample)>,
}

impl RawPass {
    fn new(start: Edge, first: Sample) -> Self {
        Self {
            start,
            end: None,
            maxima: Vec::new(),
            first_inner: first,
            last_inner: first,
            visible_inner: first.visible(),
            crossings: Vec::new(),
        }
    }

    fn inner(&mut self, sample: Sample) {
        let previous = self.last_inner;
        if previous.elevation_rate_deg_s >= 0.0 && sample.elevation_rate_deg_s < 0.0 {
            self.maxima.push((previous, sample));
        }
        if is_crossing(&previous, &sample) {
            self.crossings.push((previous, sample));
        }
        self.visible_inner |= sample.visible();
        self.last_inner = sample;
    }
}

/// Sub-intervals of a searched interval: the interpolant is tested at this many points.
const INTERPOLANT_POINTS: usize = 24;

/// Where between `a` and `b` the elevation may reach `min`, judged on the cubic Hermite
/// interpolant of the Earth-fixed position through both samples' positions and velocities:
/// it is within `ε = h⁴/384 · max|r⁗|` of the true position ([`Bounds`]), so the elevation
/// is within `ε/ρ` of the interpolant's. The interpolant is sampled at
/// [`INTERPOLANT_POINTS`] points and each sub-interval bounded as in [`may_reach`]; `None`
/// where no sub-interval can reach `min`, else the time of the highest interpolated point.
fn interpolated_peak(
    a: &Sample,
    b: &Sample,
    frame: &SiteFrame,
    min: f64,
    bounds: &Bounds,
) -> Option<f64> {
    const N: usize = INTERPOLANT_POINTS;
    let h = b.t - a.t;
    let error_km = h.powi(4) / 384.0 * bounds.fourth_derivative_km_s4;
    let speed = bounds.speed_km_s.max(1.25 * a.speed_km_s.max(b.speed_km_s));
    let (m0, m1) = (a.v * h, b.v * h);
    // Sines of the interpolated elevations and the ranges (no trigonometry yet).
    let mut sines = [0.0; N + 1];
    let mut ranges = [0.0; N + 1];
    (sines[0], ranges[0]) = (a.elevation_deg.to_radians().sin(), a.range_km);
    (sines[N], ranges[N]) = (b.elevation_deg.to_radians().sin(), b.range_km);
    for k in 1..N {
        let s = k as f64 / N as f64;
        let (s2, s3) = (s * s, s * s * s);
        let r = a.r * (2.0 * s3 - 3.0 * s2 + 1.0)
            + m0 * (s3 - 2.0 * s2 + s)
            + b.r * (-2.0 * s3 + 3.0 * s2)
            + m1 * (s3 - s2);
        let rho = r - frame.position_km;
        ranges[k] = rho.length();
        sines[k] = rho.dot(frame.up) / ranges[k];
    }
    let step = h / N as f64;
    let margin = |k: usize| {
        let range = (0.5 * (ranges[k] + ranges[k + 1] - speed * step) - error_km)
            .max(bounds.range_floor_km);
        (speed / range).to_degrees() * 0.5 * step + (error_km / range).to_degrees()
    };
    // Quick refusal: the highest point plus the widest margin stays below `min`.
    let (best, _) =
        sines[1..N]
            .iter()
            .enumerate()
            .fold((N / 2, f64::MIN), |(bk, bs), (k, &sine)| {
                if sine > bs { (k + 1, sine) } else { (bk, bs) }
            });
    let highest = sines.iter().copied().fold(f64::MIN, f64::max);
    let widest = (0..N).map(margin).fold(0.0, f64::max);
    if min - widest > -90.0 && highest < (min - widest).to_radians().sin() {
        return None;
    }
    let elevation = |k: usize| sines[k].clamp(-1.0, 1.0).asin().to_degrees();
    let reachable = (0..N).any(|k| 0.5 * (elevation(k) + elevation(k + 1)) + margin(k) >= min);
    reachable.then_some(a.t + best as f64 * step)
}

/// First guess of where the elevation crosses `min` between `a` and `b`: the root of the
/// cubic Hermite interpolant through both samples' elevations and rates (no SGP4).
fn hermite_root(a: &Sample, b: &Sample, min: f64) -> f64 {
    let h = b.t - a.t;
    let (p0, p1) = (a.elevation_deg - min, b.elevation_deg - min);
    let (m0, m1) = (a.elevation_rate_deg_s * h, b.elevation_rate_deg_s * h);
    let mut s = (p0 / (p0 - p1)).clamp(0.0, 1.0);
    for _ in 0..8 {
        let (s2, s3) = (s * s, s * s * s);
        let value = (2.0 * s3 - 3.0 * s2 + 1.0) * p0
            + (s3 - 2.0 * s2 + s) * m0
            + (-2.0 * s3 + 3.0 * s2) * p1
            + (s3 - s2) * m1;
        let slope = (6.0 * s2 - 6.0 * s) * p0
            + (3.0 * s2 - 4.0 * s + 1.0) * m0
            + (-6.0 * s2 + 6.0 * s) * p1
            + (3.0 * s2 - 2.0 * s) * m1;
        let next = s - value / slope;
        if !(0.0..=1.0).contains(&next) {
            break;
        }
        let done = (next - s).abs() < 1e-9;
        s = next;
        if done {
            break;
        }
    }
    a.t + s * h
}

/// First guess of the peak between `a` (rising) and `b` (falling): where the cubic Hermite
/// interpolant of the elevation through both samples stops rising.
fn hermite_peak(a: &Sample, b: &Sample) -> f64 {
    let h = b.t - a.t;
    let (p0, p1) = (a.elevation_deg, b.elevation_deg);
    let (m0, m1) = (a.elevation_rate_deg_s * h, b.elevation_rate_deg_s * h);
    // H'(s) = A s² + B s + C.
    let qa = 6.0 * p0 + 3.0 * m0 - 6.0 * p1 + 3.0 * m1;
    let qb = -6.0 * p0 - 4.0 * m0 + 6.0 * p1 - 2.0 * m1;
    let qc = m0;
    let s = if qa.abs() < 1e-12 {
        -qc / qb
    } else {
        let discriminant = (qb * qb - 4.0 * qa * qc).max(0.0).sqrt();
        let roots = [
            (-qb - discriminant) / (2.0 * qa),
            (-qb + discriminant) / (2.0 * qa),
        ];
        // The root where H' goes from + to −: H'' = 2 A s + B < 0.
        roots
            .into_iter()
            .find(|&s| (0.0..=1.0).contains(&s) && 2.0 * qa * s + qb <= 0.0)
            .unwrap_or(0.5)
    };
    a.t + s.clamp(0.0, 1.0) * h
}

/// Sunlight ends as darkness starts (or the reverse) between `a` and `b`.
fn is_crossing(a: &Sample, b: &Sample) -> bool {
    a.sunlit != a.dark && b.sunlit != b.dark && a.sunlit != b.sunlit
}

/// The scan's state for one object and one site.
#[derive(Debug, Clone, Default)]
pub struct SiteScan {
    previous: Option<Sample>,
    /// Boxed: the scan touches every object's state at every step, so it is kept small.
    open: Option<Box<RawPass>>,
    passes: Vec<RawPass>,
    near_misses: Vec<(Sample, Sample)>,
}

impl SiteScan {
    /// Takes the next sample (in time order).
    /// An interval between two samples below `min` is kept for the search only where the
    /// bounds say the elevation may reach `min` in it (see [`interpolated_peak`]).
    pub fn push(&mut self, sample: Sample, min: f64, bounds: &Bounds, frame: &SiteFrame) {
        let up = sample.elevation_deg >= min;
        if let Some(open) = self.open.as_mut() {
            if up {
                open.inner(sample);
            } else if let (Some(mut pass), Some(previous)) = (self.open.take(), self.previous) {
                pass.end = Some(Edge::Crossing(previous, sample));
                self.passes.push(*pass);
            }
        } else if up {
            let start = match self.previous {
                None => Edge::Clipped(sample),
                Some(previous) => Edge::Crossing(previous, sample),
            };
            self.open = Some(Box::new(RawPass::new(start, sample)));
        } else if let Some(previous) = self.previous
            && may_reach(&previous, &sample, min, bounds)
            && interpolated_peak(&previous, &sample, frame, min, bounds).is_some()
        {
            self.near_misses.push((previous, sample));
        }
        self.previous = Some(sample);
    }

    /// Ends the scan: a pass still open is cut at the last sample.
    pub fn finish(&mut self) {
        if let (Some(mut pass), Some(last)) = (self.open.take(), self.previous) {
            pass.end = Some(Edge::Clipped(last));
            self.passes.push(*pass);
        }
    }
}

/// Exact evaluations of one object from one site, and the refinement of a scan with them.
pub struct Refiner<'a> {
    /// Where the object's exact states come from (see [`super::lockstep`]).
    pub state: &'a Channel,
    pub start: Instant,
    pub frame: &'a SiteFrame,
    pub options: &'a PassOptions,
    pub bounds: Bounds,
}
