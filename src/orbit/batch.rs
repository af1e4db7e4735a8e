//! Exact SGP4 for the whole catalog at one instant, into flat buffers.
//!
//! Every object runs through the vectorised kernel in `simd/`, 8 or 4 at a time: near-Earth
//! orbits (period < 225 min, ~95 % of a catalog) and deep-space ones in blocks of their own.
//! Work is split into chunks across cores (rayon; see `chunk.rs`); nothing allocates per call.
//! Resonant deep-space orbits (GEO, Molniya) keep their integrator's last step between calls,
//! since re-integrating from the epoch on every call costs up to tens of microseconds per
//! object; it starts again from the epoch when time jumps back. Results agree with the crate's
//! `Constants::propagate` to ~1e-8 km (the tests hold every object of the active catalog to
//! 1e-6 km and the same error codes).

use std::fmt;

use sgp4::Elements;

use super::failure::{Failure, Rejection};
use super::reference::PropagationMode;
use super::simd::{KernelTime, KernelWidth};
use super::time::Instant;

mod chunk;
mod many;

pub use chunk::DerivedOutput;
use chunk::{Chunk, ChunkOutput, Target};
pub use many::{ManyScratch, StateResult};

/// Positions and velocities (TEME, km and km/s) of every object, indexed like the catalog.
#[derive(Debug, Clone, Default)]
pub struct StateBuffers {
    pub positions_km: Vec<[f64; 3]>,
    pub velocities_km_s: Vec<[f64; 3]>,
    /// `None` where the object propagated; the reason where it did not.
    pub failures: Vec<Option<Failure>>,
    /// The instant the buffers hold.
    pub instant: Option<Instant>,
}

impl StateBuffers {
    pub fn with_len(len: usize) -> Self {
        Self {
            positions_km: vec![[0.0; 3]; len],
            velocities_km_s: vec![[0.0; 3]; len],
            failures: vec![Some(Failure::Diverged); len],
            instant: None,
        }
    }

    pub fn len(&self) -> usize {
        self.positions_km.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions_km.is_empty()
    }

    pub fn failed_count(&self) -> usize {
        self.failures
            .iter()
            .filter(|failure| failure.is_some())
            .count()
    }
}

/// SGP4 for a whole catalog.
#[derive(Clone)]
pub struct BatchPropagator {
    chunks: Vec<Chunk>,
    len: usize,
    mode: PropagationMode,
    width: KernelWidth,
    /// Kernel times are whole seconds from here (exact in f64 for any real epoch).
    reference_seconds: i64,
    /// Each object's kernel lane, so that one object is found without searching its chunk.
    locations: Vec<many::Location>,
}

impl fmt::Debug for BatchPropagator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchPropagator")
            .field("objects", &self.len)
            .field("mode", &self.mode)
            .field("width", &self.width)
            .finish()
    }
}

/// The kernel width to use: [`super::simd::WIDTH_VARIABLE`] when set and valid, else the
/// widest this CPU runs (an invalid value is reported once and ignored).
pub fn configured_width() -> KernelWidth {
    static WIDTH: std::sync::OnceLock<KernelWidth> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        KernelWidth::from_environment().unwrap_or_else(|error| {
            eprintln!("warning: {error}; using {}", KernelWidth::detect());
            KernelWidth::detect()
        })
    })
}

impl BatchPropagator {
    /// Builds SGP4 constants for every element set (in parallel), with the configured width.
    pub fn new<'a>(
        elements: impl IntoIterator<Item = &'a Elements>,
        mode: PropagationMode,
    ) -> Self {
        Self::with_width(elements, mode, configured_width())
    }

    /// As [`Self::new`], with the kernel width chosen by the caller (tests, benchmarks).
    pub fn with_width<'a>(
        elements: impl IntoIterator<Item = &'a Elements>,
        mode: PropagationMode,
        width: KernelWidth,
    ) -> Self {
        let elements: Vec<&Elements> = elements.into_iter().collect();
        let reference_seconds = elements
            .first()
            .map_or(0, |first| Instant::from_naive_utc(&first.datetime).seconds);
        let chunks = chunk::chunks(&elements, mode, reference_seconds);
        let locations = many::locations(&chunks, elements.len());
        Self {
            chunks,
            locations,
            len: elements.len(),
            mode,
            width,
            reference_seconds,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn mode(&self) -> PropagationMode {
        self.mode
    }

    pub fn width(&self) -> KernelWidth {
        self.width
    }

    /// Number of element sets SGP4 rejected at initialisation.
    pub fn rejected_count(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.rejected().len()).sum()
    }

    /// Catalog index and reason of every element set SGP4 rejected, in catalog order.
    pub fn rejections(&self) -> Vec<(usize, Rejection)> {
        self.chunks
            .iter()
            .flat_map(|chunk| {
                chunk
                    .rejected()
                    .iter()
                    .map(move |&(local, reason)| (chunk.start + usize::from(local), reason))
            })
            .collect()
    }

    /// Number of deep-space objects (period ≥ 225 min).
    pub fn deep_space_count(&self) -> usize {
        self.chunks.iter().map(Chunk::deep_space_count).sum()
    }

    fn kernel_time(&self, at: Instant) -> KernelTime {
        KernelTime {
            seconds: (at.seconds - self.reference_seconds) as f64,
            nanos: f64::from(at.nanos),
            afspc: self.mode == PropagationMode::Afspc,
        }
    }

    /// Propagates every object to `at` into `out` (resized if needed), on all cores.
    pub fn propagate_into(&mut self, at: Instant, out: &mut StateBuffers) {
        self.propagate_deriving(at, out, ());
    }

    /// As [`Self::propagate_into`], and fills `derived` (one entry per object) from each
    /// chunk's states as soon as the chunk is done.
    pub fn propagate_deriving(
        &mut self,
        at: Instant,
        out: &mut StateBuffers,
        derived: impl DerivedOutput,
    ) {
        let target = self.target(at);
        let output = self.output(out);
        chunk::propagate_parallel(&mut self.chunks, output, derived, target);
        out.instant = Some(at);
    }

    /// The same as [`Self::propagate_into`] on the calling thread only (for benchmarks and
    /// single-core comparisons).
    pub fn propagate_into_serial(&mut self, at: Instant, out: &mut StateBuffers) {
        let target = self.target(at);
        let output = self.output(out);
        chunk::propagate_serial(&mut self.chunks, output, (), target);
        out.instant = Some(at);
    }

    fn target(&self, at: Instant) -> Target {
        Target {
            time: self.kernel_time(at),
            width: self.width,
        }
    }

    /// `out`, sized for the catalog, as the chunks write it.
    fn output<'a>(&self, out: &'a mut StateBuffers) -> ChunkOutput<'a> {
        if out.len() != self.len {
            *out = StateBuffers::with_len(self.len);
        }
        ChunkOutput {
            positions: &mut out.positions_km,
            velocities: &mut out.velocities_km_s,
            failures: &mut out.failures,
        }
    }

    /// Propagates one object (for orbit paths and details); does not touch shared state.
    pub fn propagate_one(
        &self,
        index: usize,
        at: Instant,
    ) -> Result<([f64; 3], [f64; 3]), Failure> {
        if index >= self.len {
            return Err(Failure::Diverged);
        }
        if let Some(result) = self.propagate_located(index, at) {
            return result;
        }
        // The last chunk starting at or before `index`.
        let chunk = &self.chunks[self.chunks.partition_point(|chunk| chunk.start <= index) - 1];
        let local = (index - chunk.start) as u16;
        chunk.propagate_one(local, self.kernel_time(at))
    }
}

#[cfg(test)]
mod tests {
    use sgp4::MinutesSinceEpoch;

    use super::*;
    use crate::orbit::reference::crate_constants;

    pub(super) fn elements(line1: &str, line2: &str) -> Elements {
        Elements::from_tle(None, line1.as_bytes(), line2.as_bytes()).unwrap()
    }

    // MOLNIYA 1-36, a 12 h resonant deep-space orbit (the sgp4 crate's own example).
    pub(super) fn molniya() -> Elements {
        elements(
            "1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
            "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656",
        )
    }

    // GOES 16 as CelesTrak served it on 2026-08-22: geosynchronous (the one-day resonance),
    // inclination below 0.2 rad (Lyddane's modification).
    pub(super) fn goes_16() -> Elements {
        elements(
            "1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994",
            "2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767",
        )
    }

    /// The resonance integrator keeps its last step between calls and starts again from the
    /// epoch when time turns back; wherever it starts, the crate's answer from the epoch comes
    /// out, on both resonances, in both modes, at every width.
    #[test]
    fn cached_resonance_state_gives_the_same_numbers_forwards_and_backwards() {
        for elements in [molniya(), goes_16()] {
            for mode in [PropagationMode::Improved, PropagationMode::Afspc] {
                let constants = crate_constants(&elements, mode).unwrap();
                for width in KernelWidth::under_test(
                    "cached_resonance_state_gives_the_same_numbers_forwards_and_backwards",
                ) {
                    let mut batch = BatchPropagator::with_width([&elements], mode, width);
                    let epoch = Instant::from_naive_utc(&elements.datetime);
                    let mut out = StateBuffers::default();
                    for minutes in [
                        0.0, 700.0, 720.0, 1500.0, 9000.0, 4000.0, -3000.0, -6000.0, -100.0,
                        20_000.0, 19_999.0, 20_001.0, -720.0,
                    ] {
                        let at = epoch.plus_minutes(minutes);
                        batch.propagate_into(at, &mut out);
                        let t = MinutesSinceEpoch(at.minutes_since(epoch));
                        let expected = match mode {
                            PropagationMode::Improved => constants.propagate(t),
                            PropagationMode::Afspc => {
                                constants.propagate_afspc_compatibility_mode(t)
                            }
                        }
                        .unwrap();
                        let one = batch.propagate_one(0, at).unwrap();
                        for axis in 0..3 {
                            let what = format!("{} {mode:?} {width} {minutes}", elements.norad_id);
                            let dp = (out.positions_km[0][axis] - expected.position[axis]).abs();
                            let dv = (out.velocities_km_s[0][axis] - expected.velocity[axis]).abs();
                            assert!(dp < 1e-8, "{what}: {dp:e} km");
                            assert!(dv < 1e-11, "{what}: {dv:e} km/s");
                            let one_dp = (one.0[axis] - expected.position[axis]).abs();
                            assert!(one_dp < 1e-8, "{what}: propagate_one {one_dp:e} km");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn failures_are_recorded_not_zeroed() {
        // Vallado's MINOTAUR R/B: sub-orbital, decays within the hour.
        let minotaur = elements(
            "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
            "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708",
        );
        let mut batch = BatchPropagator::new([&minotaur, &molniya()], PropagationMode::Afspc);
        let epoch = Instant::from_naive_utc(&minotaur.datetime);
        let mut out = StateBuffers::default();
        batch.propagate_into(epoch, &mut out);
        assert_eq!(out.failed_count(), 0);
        batch.propagate_into(epoch.plus_minutes(60.0), &mut out);
        let failure = out.failures[0].expect("decayed after an hour");
        assert!(matches!(failure.vallado_code(), 4 | 6), "{failure}");
        assert!(out.failures[1].is_none());
    }

    /// The element sets that made `positions` print rows of `NaN`: a GEO object with an
    /// eccentricity of 0.9999999, and a mean motion of 1e308 rev/day. SGP4 must report them
    /// as failures with a reason, in every mode and every path.
    #[test]
    fn degenerate_element_sets_never_yield_a_position() {
        let geo = goes_16();
        let mut eccentric = geo.clone();
        eccentric.eccentricity = 0.999_999_9;
        let mut fast = geo.clone();
        fast.mean_motion = 1e308;
        for mode in [PropagationMode::Improved, PropagationMode::Afspc] {
            let mut batch = BatchPropagator::new([&eccentric, &fast, &geo], mode);
            let epoch = Instant::from_naive_utc(&geo.datetime);
            let mut out = StateBuffers::default();
            for minutes in [0.0, 60.0, 1440.0, -720.0] {
                batch.propagate_into(epoch.plus_minutes(minutes), &mut out);
                for index in 0..2 {
                    assert!(
                        out.failures[index].is_some(),
                        "object {index} at {minutes} min in {mode:?}: {:?}",
                        out.positions_km[index]
                    );
                    assert!(
                        batch
                            .propagate_one(index, epoch.plus_minutes(minutes))
                            .is_err()
                    );
                }
                assert!(out.failures[2].is_none(), "the real GEO object propagates");
            }
        }
    }
}

#[cfg(test)]
mod kernel_tests;
