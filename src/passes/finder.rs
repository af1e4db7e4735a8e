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

use super::look::{SiteFrame, teme_state_to_ecef};
use super::visibility::{Darkness, is_sunlit, sun_elevation_deg};
use crate::orbit::failure::Failure;
use crate::orbit::frames::{EARTH_ROTATION_RAD_S, WGS84_A_KM};
use crate::orbit::sun::sun_direction_ecef;
use crate::orbit::{Instant, gmst_rad};
use glam::DVec3;

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
pub struct Refiner<'a, F> {
    pub state: F,
    pub start: Instant,
    pub frame: &'a SiteFrame,
    pub options: &'a PassOptions,
    pub bounds: Bounds,
}

impl<F> Refiner<'_, F>
where
    F: Fn(Instant) -> Result<([f64; 3], [f64; 3]), Failure>,
{
    fn at(&self, t: f64) -> Instant {
        self.start.plus_minutes(t / 60.0)
    }

    /// The exact sample at `t` (no azimuth or lighting: see [`Self::light`]).
    pub fn sample(&self, t: f64) -> Result<Sample, Failure> {
        let at = self.at(t);
        let (position, velocity) = (self.state)(at)?;
        let (r, v) = teme_state_to_ecef(
            DVec3::from_array(position),
            DVec3::from_array(velocity),
            gmst_rad(at),
        );
        Ok(Sample::exact(t, self.frame, r, v))
    }

    /// `sample` with its azimuth, sunlight and the site's darkness worked out.
    pub fn light(&self, mut sample: Sample) -> Sample {
        let rho = sample.r - self.frame.position_km;
        let mut azimuth = rho
            .dot(self.frame.east)
            .atan2(rho.dot(self.frame.north))
            .to_degrees();
        if azimuth < 0.0 {
            azimuth += 360.0;
        }
        sample.azimuth_deg = if azimuth >= 360.0 { 0.0 } else { azimuth };
        let sun = sun_direction_ecef(self.at(sample.t));
        sample.sunlit = is_sunlit(sample.r, sun);
        sample.dark = self
            .options
            .darkness
            .is_dark(sun_elevation_deg(self.frame, sun));
        sample
    }

    fn dark_at(&self, t: f64) -> bool {
        let sun = sun_direction_ecef(self.at(t));
        self.options
            .darkness
            .is_dark(sun_elevation_deg(self.frame, sun))
    }

    /// Where the elevation crosses the minimum between `a` and `b` (opposite sides of it):
    /// Newton on the exact elevation and its rate, kept inside the bracket (bisection when a
    /// step would leave it), until a step is under [`TIME_TOLERANCE_S`].
    fn crossing(&self, mut a: Sample, mut b: Sample) -> Result<Sample, Failure> {
        let min = self.options.min_elevation_deg;
        let below_a = a.elevation_deg < min;
        let mut t = hermite_root(&a, &b, min);
        let mut previous: Option<Sample> = None;
        for _ in 0..100 {
            let mut s = self.sample(t)?;
            let g = s.elevation_deg - min;
            if (g < 0.0) == below_a {
                a = s;
            } else {
                b = s;
            }
            let step = -g / s.elevation_rate_deg_s;
            // Newton's next error is ~ |ë| δ² / (2 |ė|): once that is far below the tolerance,
            // the Newton update is the answer (ë from the last two evaluations).
            let other = previous.unwrap_or(if (g < 0.0) == below_a { b } else { a });
            let curvature =
                ((s.elevation_rate_deg_s - other.elevation_rate_deg_s) / (s.t - other.t)).abs();
            let next_error = curvature * step * step / (2.0 * s.elevation_rate_deg_s.abs());
            // Only a root inside the bracket is this crossing (a step out of it heads for the
            // crossing on the other side of a peak or trough).
            let inside = t + step >= a.t && t + step <= b.t;
            if inside
                && (step.abs() < TIME_TOLERANCE_S
                    || (step.abs() < 0.05 && next_error < 0.1 * TIME_TOLERANCE_S))
            {
                s.t += step;
                s.elevation_deg = min;
                return Ok(s);
            }
            if b.t - a.t < TIME_TOLERANCE_S {
                return self.sample(0.5 * (a.t + b.t));
            }
            let newton = t + step;
            t = if newton > a.t && newton < b.t && newton.is_finite() {
                newton
            } else {
                0.5 * (a.t + b.t)
            };
            previous = Some(s);
        }
        Ok(
            if (a.elevation_deg - min).abs() < (b.elevation_deg - min).abs() {
                a
            } else {
                b
            },
        )
    }

    /// The highest point between `a` (elevation rising) and `b` (falling): the root of the
    /// elevation rate, by regula falsi with the Illinois fix, to [`TIME_TOLERANCE_S`].
    ///
    /// SGP4's velocity is not exactly the derivative of its position; where the peak is flat
    /// (a Molniya apogee, GEO) that moves the root of the rate by seconds, so there the peak
    /// is polished by golden-section search on the elevation itself.
    fn maximum(&self, a: Sample, b: Sample) -> Result<Sample, Failure> {
        let (a0, b0) = (a.t, b.t);
        let (top, curvature) = self.rate_root(a, b)?;
        if curvature > FLAT_PEAK_DEG_S2 {
            return Ok(top);
        }
        let window = 5.0 + 1e-4 / curvature.max(1e-12);
        let polished = self.golden((top.t - window).max(a0), (top.t + window).min(b0))?;
        Ok(if polished.elevation_deg > top.elevation_deg {
            polished
        } else {
            top
        })
    }

    /// The highest elevation in `[lo, hi]` by golden-section search, to [`TIME_TOLERANCE_S`].
    fn golden(&self, mut lo: f64, mut hi: f64) -> Result<Sample, Failure> {
        let ratio = 0.5 * (5f64.sqrt() - 1.0);
        let mut x1 = hi - ratio * (hi - lo);
        let mut x2 = lo + ratio * (hi - lo);
        let (mut s1, mut s2) = (self.sample(x1)?, self.sample(x2)?);
        while hi - lo > TIME_TOLERANCE_S {
            if s1.elevation_deg < s2.elevation_deg {
                lo = x1;
                (x1, s1) = (x2, s2);
                x2 = lo + ratio * (hi - lo);
                s2 = self.sample(x2)?;
            } else {
                hi = x2;
                (x2, s2) = (x1, s1);
                x1 = hi - ratio * (hi - lo);
                s1 = self.sample(x1)?;
            }
        }
        Ok(if s1.elevation_deg >= s2.elevation_deg {
            s1
        } else {
            s2
        })
    }

    /// The root of the elevation rate between `a` (≥ 0) and `b` (< 0), and the curvature
    /// there (deg/s², from the last bracket).
    fn rate_root(&self, mut a: Sample, mut b: Sample) -> Result<(Sample, f64), Failure> {
        let (mut fa, mut fb) = (a.elevation_rate_deg_s, b.elevation_rate_deg_s);
        let mut side = 0;
        let mut last_t = f64::NAN;
        let mut first = Some(hermite_peak(&a, &b));
        for _ in 0..200 {
            // Within a couple of seconds of the top the elevation is a concave parabola for
            // all purposes, and the tangents at both ends bound the peak from above (farther
            // out a pass's flanks are convex, so the test waits for a narrow bracket).
            let (ra, rb) = (a.elevation_rate_deg_s, b.elevation_rate_deg_s);
            let meet = (b.elevation_deg - a.elevation_deg + ra * a.t - rb * b.t) / (ra - rb);
            let gap = a.elevation_deg + ra * (meet - a.t) - a.elevation_deg.max(b.elevation_deg);
            let width = b.t - a.t;
            if width < PEAK_TOLERANCE_S || (width < 2.0 && (0.0..PEAK_GAP_DEG).contains(&gap)) {
                break;
            }
            let mut t = first.take().unwrap_or((a.t * fb - b.t * fa) / (fb - fa));
            if !(t > a.t && t < b.t) {
                t = 0.5 * (a.t + b.t);
            }
            let s = self.sample(t)?;
            if s.elevation_rate_deg_s >= 0.0 {
                a = s;
                fa = s.elevation_rate_deg_s;
                if side == -1 {
                    fb *= 0.5;
                }
                side = -1;
            } else {
                b = s;
                fb = s.elevation_rate_deg_s;
                if side == 1 {
                    fa *= 0.5;
                }
                side = 1;
            }
            if (t - last_t).abs() < PEAK_TOLERANCE_S * 0.1 {
                break;
            }
            last_t = t;
        }
        let curvature = if b.t > a.t {
            (a.elevation_rate_deg_s - b.elevation_rate_deg_s) / (b.t - a.t)
        } else {
            f64::INFINITY
        };
        let top = if a.elevation_deg >= b.elevation_deg {
            a
        } else {
            b
        };
        Ok((top, curvature))
    }

    /// Searches `(a, b)`, both below the minimum, for a moment above it (see the module notes).
    /// Returns the samples either side and the one found.
    fn search(&self, a: Sample, b: Sample) -> Result<Option<(Sample, Sample, Sample)>, Failure> {
        let min = self.options.min_elevation_deg;
        if b.t - a.t < 0.01 || !may_reach(&a, &b, min, &self.bounds) {
            return Ok(None);
        }
        let Some(peak) = interpolated_peak(&a, &b, self.frame, min, &self.bounds) else {
            return Ok(None);
        };
        let m = self.sample(peak)?;
        if m.elevation_deg >= min {
            return Ok(Some((a, m, b)));
        }
        if let Some(found) = self.search(a, m)? {
            return Ok(Some(found));
        }
        self.search(m, b)
    }

    /// The exact end of a pass, and whether it is clipped.
    fn edge(&self, edge: Edge) -> Result<(Sample, bool), Failure> {
        match edge {
            Edge::Clipped(sample) => Ok((self.light(self.sample(sample.t)?), true)),
            Edge::Crossing(a, b) => Ok((self.light(self.crossing(a, b)?), false)),
        }
    }

    /// Whether anything between `a` and `b` (a sunlight/darkness swap) is visible: darkness
    /// changes once in a step, found by bisection on the Sun's elevation (no SGP4); sunlight
    /// is then tested just on the dark side of it.
    fn crossing_visible(&self, a: &Sample, b: &Sample) -> Result<bool, Failure> {
        let (mut lo, mut hi) = (a.t, b.t);
        while hi - lo > 0.01 {
            let mid = 0.5 * (lo + hi);
            if self.dark_at(mid) == a.dark {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let dark_side = if a.dark { lo } else { hi };
        Ok(self.light(self.sample(dark_side)?).visible())
    }

    fn refine(&self, raw: &RawPass) -> Result<Pass, Failure> {
        let (rise, rise_clipped) = self.edge(raw.start)?;
        let (set, set_clipped) = self.edge(raw.end.unwrap_or(Edge::Clipped(raw.last_inner)))?;
        let mut brackets = raw.maxima.clone();
        if rise.elevation_rate_deg_s >= 0.0
            && raw.first_inner.elevation_rate_deg_s < 0.0
            && raw.first_inner.t > rise.t
        {
            brackets.push((rise, raw.first_inner));
        }
        if raw.last_inner.elevation_rate_deg_s >= 0.0
            && set.elevation_rate_deg_s < 0.0
            && set.t > raw.last_inner.t
        {
            brackets.push((raw.last_inner, set));
        }
        let mut best = if rise.elevation_deg >= set.elevation_deg {
            rise
        } else {
            set
        };
        for &(a, b) in &brackets {
            let top = self.maximum(a, b)?;
            if top.elevation_deg > best.elevation_deg {
                best = top;
            }
        }
        if best.azimuth_deg.is_nan() {
            best = self.light(best);
        }
        let mut visible = raw.visible_inner || rise.visible() || set.visible() || best.visible();
        let mut pairs = raw.crossings.clone();
        if is_crossing(&rise, &raw.first_inner) && raw.first_inner.t > rise.t {
            pairs.push((rise, raw.first_inner));
        }
        if is_crossing(&raw.last_inner, &set) && set.t > raw.last_inner.t {
            pairs.push((raw.last_inner, set));
        }
        for (a, b) in pairs {
            if visible {
                break;
            }
            visible = self.crossing_visible(&a, &b)?;
        }
        let point = |s: &Sample| PassPoint {
            at: self.at(s.t),
            azimuth_deg: s.azimuth_deg,
            elevation_deg: s.elevation_deg,
        };
        Ok(Pass {
            rise: point(&rise),
            culmination: point(&best),
            set: point(&set),
            rise_clipped,
            set_clipped,
            visible,
        })
    }

    /// Every pass of a finished scan, in time order; on an SGP4 failure, those refined before
    /// it and the failure.
    pub fn passes(&self, scan: &SiteScan) -> (Vec<Pass>, Option<Failure>) {
        let mut raws: Vec<RawPass> = Vec::with_capacity(scan.passes.len());
        let mut failure = None;
        for &(a, b) in &scan.near_misses {
            match self.search(a, b) {
                Ok(Some((before, found, after))) => {
                    let mut raw = RawPass::new(Edge::Crossing(before, found), found);
                    raw.end = Some(Edge::Crossing(found, after));
                    raws.push(raw);
                }
                Ok(None) => {}
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        raws.extend(scan.passes.iter().cloned());
        raws.sort_by(|x, y| x.first_inner.t.total_cmp(&y.first_inner.t));
        let mut passes = Vec::with_capacity(raws.len());
        for raw in &raws {
            match self.refine(raw) {
                Ok(pass) => passes.push(pass),
                Err(error) => {
                    failure.get_or_insert(error);
                    break;
                }
            }
        }
        (passes, failure)
    }
}
