//! Ground sites and passes, pure (no Bevy): where an object is in a site's sky (`look`),
//! whether it can be seen (`visibility`), every pass of an object above a minimum elevation
//! (`finder`, `batch` for many objects at once) and passes as a calendar (`ics`).
//!
//! Frames and propagation are the project's: TEME from [`crate::orbit::BatchPropagator`]
//! (exact SGP4), rotated to Earth-fixed by GMST with [`crate::orbit::teme_to_ecef`], sites
//! placed on WGS-84 with [`crate::orbit::frames::geodetic_to_ecef`].

pub mod batch;
pub mod csv;
pub mod finder;
pub mod ics;
pub mod lockstep;
pub mod look;
pub mod site;
pub mod sky;
pub mod visibility;

pub use batch::{
    ObjectPasses, PassError, PassFailure, Span, find_passes, find_passes_each, passes_of,
};
pub use finder::{DEFAULT_MIN_ELEVATION_DEG, Pass, PassOptions, PassPoint};
pub use look::{LookAngles, SiteFrame, look_angles};
pub use site::{Site, SiteBook, SiteError};
pub use sky::{PassRow, footprint_half_angle_rad, ground_circle, pass_rows, sky_track, sky_xy};
pub use visibility::{Darkness, is_sunlit};

#[cfg(test)]
mod tests;
