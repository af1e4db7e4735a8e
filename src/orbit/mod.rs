//! Orbit mechanics, pure: batch SGP4 over the whole catalog, time scales, TEME → Earth-fixed
//! rotation, WGS-84 geodetic coordinates, the Sun's direction, and orbit/ground-track sampling.
//!
//! Frames: SGP4 outputs TEME (true equator, mean equinox of date). Earth-fixed (ECEF) is TEME
//! rotated by GMST (IAU-1982, as Vallado does for TEME); polar motion and UT1−UTC (< 0.9 s)
//! are ignored, which moves a LEO ground point by at most ~0.4 km. All units are km, km/s,
//! radians unless a name says otherwise.

pub mod batch;
pub mod clock;
pub mod ellipse;
pub mod failure;
pub mod frames;
pub mod reference;
pub mod simd;
pub mod sun;
#[cfg(test)]
pub(crate) mod test_sets;
pub mod time;
pub mod tracks;

pub use batch::{
    BatchPropagator, DerivedOutput, ManyScratch, StateBuffers, StateResult, configured_width,
};
pub use clock::SimulationClock;
pub use failure::{Failure, MAX_RADIUS_KM, Rejection, SGP4_EARTH_RADIUS_KM};
pub use frames::{Geodetic, ecef_to_geodetic, teme_to_ecef, teme_to_geodetic};
pub use reference::{PropagationMode, ReferencePropagator};
pub use simd::KernelWidth;
pub use time::{Instant, gmst_rad, parse_utc};
