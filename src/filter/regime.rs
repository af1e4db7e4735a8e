//! Orbit regimes from an element set's mean motion and eccentricity.
//!
//! Definitions (the README repeats them), applied in this order, with perigee and apogee as
//! heights above the WGS-72 equatorial radius (6 378.135 km) and the period from the mean motion:
//! - **GEO** (geosynchronous): period within 1 436 ± 72 min (mean motion 0.95–1.05 rev/day)
//!   and eccentricity below 0.1 — the geostationary belt and inclined geosynchronous orbits;
//! - **HEO** (highly elliptical): eccentricity 0.25 or more (Molniya, Tundra, transfer orbits);
//! - **LEO**: apogee below 2 000 km;
//! - **MEO**: perigee at 2 000 km or more and period under 1 364 min (below GEO);
//! - **other**: everything else (low-eccentricity orbits that cross 2 000 km, orbits beyond GEO).

use serde::{Deserialize, Serialize};

/// WGS-72 gravitational parameter (km³/s²) and equatorial radius (km), as SGP4 uses them.
const MU_KM3_S2: f64 = 398_600.8;
const EARTH_RADIUS_KM: f64 = 6378.135;

/// The boundary between LEO and MEO (km above the surface).
pub const LEO_CEILING_KM: f64 = 2000.0;

/// Size and shape of an orbit, derived from mean elements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrbitShape {
    pub period_min: f64,
    pub eccentricity: f64,
    pub perigee_km: f64,
    pub apogee_km: f64,
}

impl OrbitShape {
    /// From the mean motion (rev/day) and eccentricity of an element set.
    pub fn from_mean_elements(mean_motion_rev_day: f64, eccentricity: f64) -> Self {
        let n_rad_s = mean_motion_rev_day * std::f64::consts::TAU / 86_400.0;
        let semi_major_axis_km = (MU_KM3_S2 / (n_rad_s * n_rad_s)).cbrt();
        Self {
            period_min: 1440.0 / mean_motion_rev_day,
            eccentricity,
            perigee_km: semi_major_axis_km * (1.0 - eccentricity) - EARTH_RADIUS_KM,
            apogee_km: semi_major_axis_km * (1.0 + eccentricity) - EARTH_RADIUS_KM,
        }
    }

    pub fn from_elements(elements: &sgp4::Elements) -> Self {
        Self::from_mean_elements(elements.mean_motion, elements.eccentricity)
    }

    pub fn regime(&self) -> Regime {
        let geosynchronous = (1436.0 - 72.0..=1436.0 + 72.0).contains(&self.period_min);
        if geosynchronous && self.eccentricity < 0.1 {
            Regime::Geo
        } else if self.eccentricity >= 0.25 {
            Regime::Heo
        } else if self.apogee_km < LEO_CEILING_KM {
            Regime::Leo
        } else if self.perigee_km >= LEO_CEILING_KM && self.period_min < 1436.0 - 72.0 {
            Regime::Meo
        } else {
            Regime::Other
        }
    }

    /// True when the orbit's height span (perigee to apogee) overlaps `[low, high]` km.
    pub fn overlaps_altitude(&self, low_km: f64, high_km: f64) -> bool {
        self.perigee_km <= high_km && self.apogee_km >= low_km
    }
}

/// Orbit regime, see the module docs for the definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    Leo,
    Meo,
    Geo,
    Heo,
    Other,
}

impl Regime {
    pub const ALL: [Self; 5] = [Self::Leo, Self::Meo, Self::Geo, Self::Heo, Self::Other];

    /// The command-line and file spelling.
    pub fn key(self) -> &'static str {
        match self {
            Self::Leo => "leo",
            Self::Meo => "meo",
            Self::Geo => "geo",
            Self::Heo => "heo",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Leo => "LEO",
            Self::Meo => "MEO",
            Self::Geo => "GEO",
            Self::Heo => "HEO",
            Self::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mean motion and eccentricity of four known orbits (CelesTrak element sets).
    #[test]
    fn regimes_of_known_orbits() {
        let iss = OrbitShape::from_mean_elements(15.49187914, 0.000_164_6);
        assert_eq!(iss.regime(), Regime::Leo);
        assert!((iss.perigee_km - 420.0).abs() < 15.0, "{iss:?}");
        assert!((iss.period_min - 92.95).abs() < 0.05);

        // GPS BIII-10 (PRN 13): 2 rev/day at ~20 200 km.
        let gps = OrbitShape::from_mean_elements(2.005_695_73, 0.002_093_1);
        assert_eq!(gps.regime(), Regime::Meo);
        assert!((gps.apogee_km - 20_230.0).abs() < 150.0, "{gps:?}");

        // GOES 16.
        let geo = OrbitShape::from_mean_elements(1.002_732_15, 0.000_123);
        assert_eq!(geo.regime(), Regime::Geo);
        assert!((geo.perigee_km - 35_780.0).abs() < 20.0, "{geo:?}");

        // MOLNIYA 1-36.
        let molniya = OrbitShape::from_mean_elements(2.004_913_83, 0.687_714_6);
        assert_eq!(molniya.regime(), Regime::Heo);
        assert!((molniya.perigee_km - 1_900.0).abs() < 100.0, "{molniya:?}");
        assert!(molniya.apogee_km > 38_000.0, "{molniya:?}");
    }

    #[test]
    fn the_boundaries_fall_where_documented() {
        // A circular orbit at 2 500 km crosses nothing: MEO; one from 500 to 2 500 km: other.
        let shape = |perigee: f64, apogee: f64| {
            let a = (perigee + apogee) / 2.0 + EARTH_RADIUS_KM;
            let e = (apogee - perigee) / (2.0 * a);
            let n = (MU_KM3_S2 / a.powi(3)).sqrt() * 86_400.0 / std::f64::consts::TAU;
            OrbitShape::from_mean_elements(n, e)
        };
        assert_eq!(shape(2500.0, 2500.0).regime(), Regime::Meo);
        assert_eq!(shape(500.0, 2500.0).regime(), Regime::Other);
        assert_eq!(shape(500.0, 1999.0).regime(), Regime::Leo);
        assert_eq!(shape(36_000.0, 36_500.0).regime(), Regime::Geo);
        assert_eq!(
            shape(50_000.0, 50_000.0).regime(),
            Regime::Other,
            "beyond GEO"
        );
        assert!(shape(500.0, 600.0).overlaps_altitude(550.0, 560.0));
        assert!(shape(500.0, 600.0).overlaps_altitude(600.0, 700.0));
        assert!(!shape(500.0, 600.0).overlaps_altitude(601.0, 700.0));
    }
}
