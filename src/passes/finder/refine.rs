//! The refinement of a scan on exact SGP4: crossings of the minimum elevation (Newton), peaks
//! (regula falsi on the elevation rate, golden-section where flat), the no-miss searches and
//! the visibility of a pass.

use glam::DVec3;

use super::{
    Edge, FLAT_PEAK_DEG_S2, PEAK_GAP_DEG, PEAK_TOLERANCE_S, Pass, PassPoint, RawPass, Refiner,
    Sample, SiteScan, TIME_TOLERANCE_S, hermite_peak, hermite_root, interpolated_peak, is_crossing,
    may_reach,
};
use crate::orbit::failure::Failure;
use crate::orbit::sun::sun_direction_ecef;
use crate::orbit::{Instant, gmst_rad};
use crate::passes::look::teme_state_to_ecef;
use crate::passes::visibility::{is_sunlit, sun_elevation_deg};

/// What [`Refiner::rate_root`] leaves.
struct RateRoot {
    /// The higher end of the last bracket.
    top: Sample,
    /// Of the elevation, deg/s², across the last bracket.
    curvature: f64,
    /// How far from the elevation's top the rate's root may be, s (see [`Refiner::maximum`]).
    drift: f64,
    /// The rate's root by linear interpolation across the last bracket, s.
    root: f64,
}

impl Refiner<'_> {
    fn at(&self, t: f64) -> Instant {
        self.start.plus_minutes(t / 60.0)
    }

    /// The exact sample at `t` (no azimuth or lighting: see [`Self::light`]).
    pub async fn sample(&self, t: f64) -> Result<Sample, Failure> {
        let at = self.at(t);
        let (position, velocity) = self.state.state(at).await?;
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
    async fn crossing(&self, mut a: Sample, mut b: Sample) -> Result<Sample, Failure> {
        let min = self.options.min_elevation_deg;
        let below_a = a.elevation_deg < min;
        let mut t = hermite_root(&a, &b, min);
        let mut previous: Option<Sample> = None;
        for _ in 0..100 {
            let mut s = self.sample(t).await?;
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
                return self.sample(0.5 * (a.t + b.t)).await;
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
    /// is polished by golden-section search on the elevation itself. The shift is measured on
    /// the last bracket (the elevation's slope across it against the mean of its end rates, over
    /// the curvature): a flat peak is polished only where that exceeds [`PEAK_TOLERANCE_S`], the
    /// accuracy every sharper peak is held to (a LEO pass low in the sky is flat by the
    /// curvature test, but its rate's root sits milliseconds from the top: polishing every such
    /// peak cost ~20 exact evaluations each, a third of all of them).
    async fn maximum(&self, a: Sample, b: Sample) -> Result<Sample, Failure> {
        let (a0, b0) = (a.t, b.t);
        let RateRoot {
            top,
            curvature,
            drift,
            root,
        } = self.rate_root(a, b).await?;
        if curvature > FLAT_PEAK_DEG_S2 {
            return Ok(top);
        }
        if drift < PEAK_TOLERANCE_S {
            // The bracket may still be up to 2 s wide (the tangent test ends it) and a flat
            // top's better end that far from it: one evaluation at the rate's root.
            if (top.t - root).abs() < 0.1 * PEAK_TOLERANCE_S {
                return Ok(top);
            }
            let at_root = self.sample(root).await?;
            return Ok(if at_root.elevation_deg > top.elevation_deg {
                at_root
            } else {
                top
            });
        }
        let window = 5.0 + 1e-4 / curvature.max(1e-12);
        let polished = self
            .golden((top.t - window).max(a0), (top.t + window).min(b0))
            .await?;
        Ok(if polished.elevation_deg > top.elevation_deg {
            polished
        } else {
            top
        })
    }

    /// The highest elevation in `[lo, hi]` by golden-section search, to [`TIME_TOLERANCE_S`].
    async fn golden(&self, mut lo: f64, mut hi: f64) -> Result<Sample, Failure> {
        let ratio = 0.5 * (5f64.sqrt() - 1.0);
        let mut x1 = hi - ratio * (hi - lo);
        let mut x2 = lo + ratio * (hi - lo);
        let (mut s1, mut s2) = (self.sample(x1).await?, self.sample(x2).await?);
        while hi - lo > TIME_TOLERANCE_S {
            if s1.elevation_deg < s2.elevation_deg {
                lo = x1;
                (x1, s1) = (x2, s2);
                x2 = lo + ratio * (hi - lo);
                s2 = self.sample(x2).await?;
            } else {
                hi = x2;
                (x2, s2) = (x1, s1);
                x1 = hi - ratio * (hi - lo);
                s1 = self.sample(x1).await?;
            }
        }
        Ok(if s1.elevation_deg >= s2.elevation_deg {
            s1
        } else {
            s2
        })
    }

    /// The root of the elevation rate between `a` (≥ 0) and `b` (< 0).
    async fn rate_root(&self, mut a: Sample, mut b: Sample) -> Result<RateRoot, Failure> {
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
            let s = self.sample(t).await?;
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
        // How far the rate's root may sit from the elevation's top: the rate's disagreement
        // with the elevation's own slope across the last bracket (for a parabola the mean of
        // the end rates is the slope exactly), over the curvature.
        let (ra, rb) = (a.elevation_rate_deg_s, b.elevation_rate_deg_s);
        let (curvature, drift, root) = if b.t > a.t {
            let width = b.t - a.t;
            let curvature = (ra - rb) / width;
            let slope = (b.elevation_deg - a.elevation_deg) / width;
            let mismatch = slope - 0.5 * (ra + rb);
            let root = (a.t + ra / (ra - rb) * width).clamp(a.t, b.t);
            (curvature, mismatch.abs() / curvature.max(1e-12), root)
        } else {
            (f64::INFINITY, 0.0, a.t)
        };
        let top = if a.elevation_deg >= b.elevation_deg {
            a
        } else {
            b
        };
        Ok(RateRoot {
            top,
            curvature,
            drift,
            root,
        })
    }

    /// Searches `(a, b)`, both below the minimum, for a moment above it (see the module notes).
    /// Returns the samples either side and the one found.
    async fn search(
        &self,
        a: Sample,
        b: Sample,
    ) -> Result<Option<(Sample, Sample, Sample)>, Failure> {
        let min = self.options.min_elevation_deg;
        // Depth first, the earlier half of each split before the later (a stack, not
        // recursion: a recursive `async fn` would need a box per call).
        let mut stack = vec![(a, b)];
        while let Some((a, b)) = stack.pop() {
            if b.t - a.t < 0.01 || !may_reach(&a, &b, min, &self.bounds) {
                continue;
            }
            let Some(peak) = interpolated_peak(&a, &b, self.frame, min, &self.bounds) else {
                continue;
            };
            let m = self.sample(peak).await?;
            if m.elevation_deg >= min {
                return Ok(Some((a, m, b)));
            }
            stack.push((m, b));
            stack.push((a, m));
        }
        Ok(None)
    }

    /// The exact end of a pass, and whether it is clipped.
    async fn edge(&self, edge: Edge) -> Result<(Sample, bool), Failure> {
        match edge {
            Edge::Clipped(sample) => Ok((self.light(self.sample(sample.t).await?), true)),
            Edge::Crossing(a, b) => Ok((self.light(self.crossing(a, b).await?), false)),
        }
    }

    /// Whether anything between `a` and `b` (a sunlight/darkness swap) is visible: darkness
    /// changes once in a step, found by bisection on the Sun's elevation (no SGP4); sunlight
    /// is then tested just on the dark side of it.
    async fn crossing_visible(&self, a: &Sample, b: &Sample) -> Result<bool, Failure> {
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
        Ok(self.light(self.sample(dark_side).await?).visible())
    }

    async fn refine(&self, raw: &RawPass) -> Result<Pass, Failure> {
        let (rise, rise_clipped) = self.edge(raw.start).await?;
        let (set, set_clipped) = self
            .edge(raw.end.unwrap_or(Edge::Clipped(raw.last_inner)))
            .await?;
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
            let top = self.maximum(a, b).await?;
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
            visible = self.crossing_visible(&a, &b).await?;
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
    pub async fn passes(&self, scan: &SiteScan) -> (Vec<Pass>, Option<Failure>) {
        let mut raws: Vec<RawPass> = Vec::with_capacity(scan.passes.len());
        let mut failure = None;
        for &(a, b) in &scan.near_misses {
            match self.search(a, b).await {
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
            match self.refine(raw).await {
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
