//! Ground sites: where an observer stands (WGS-84 geodetic), checked field by field, parsed
//! from `LAT,LON[,HEIGHT_M]`, and a small named-site book kept in the config directory.

use std::path::{Path, PathBuf};

use glam::DVec3;
use serde::{Deserialize, Serialize};

use crate::orbit::frames::{Geodetic, geodetic_to_ecef, wrap_degrees};

/// Lowest accepted site height, m (the Dead Sea shore is −430 m).
pub const MIN_HEIGHT_M: f64 = -500.0;
/// Highest accepted site height, m (a balloon or aircraft; beyond that it is not a ground site).
pub const MAX_HEIGHT_M: f64 = 100_000.0;

/// An observer on (or near) the ground.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    #[serde(default)]
    pub name: String,
    /// Geodetic latitude, degrees, in [−90, 90].
    pub latitude_deg: f64,
    /// East longitude, degrees, in [−180, 360).
    pub longitude_deg: f64,
    /// Height above the WGS-84 ellipsoid, m.
    #[serde(default)]
    pub height_m: f64,
}

/// A site value that is refused, naming the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SiteError {
    /// `latitude`, `longitude`, `height` or `site`.
    pub field: &'static str,
    pub message: String,
}

impl SiteError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl Site {
    /// A checked site.
    pub fn new(
        name: impl Into<String>,
        latitude_deg: f64,
        longitude_deg: f64,
        height_m: f64,
    ) -> Result<Self, SiteError> {
        let site = Self {
            name: name.into(),
            latitude_deg,
            longitude_deg,
            height_m,
        };
        site.validate()?;
        Ok(site)
    }

    /// Refuses a latitude outside [−90, 90], a longitude outside [−180, 360), a height below
    /// [`MIN_HEIGHT_M`] or above [`MAX_HEIGHT_M`], and any value that is not a finite number.
    pub fn validate(&self) -> Result<(), SiteError> {
        let lat = self.latitude_deg;
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(SiteError::new(
                "latitude",
                format!("{lat} degrees is outside [-90, 90]"),
            ));
        }
        let lon = self.longitude_deg;
        if !lon.is_finite() || !(-180.0..360.0).contains(&lon) {
            return Err(SiteError::new(
                "longitude",
                format!("{lon} degrees is outside [-180, 360)"),
            ));
        }
        let height = self.height_m;
        if !height.is_finite() || !(MIN_HEIGHT_M..=MAX_HEIGHT_M).contains(&height) {
            return Err(SiteError::new(
                "height",
                format!(
                    "{height} m is outside [{MIN_HEIGHT_M}, {MAX_HEIGHT_M}] m (height above the \
                     WGS-84 ellipsoid in metres)"
                ),
            ));
        }
        Ok(())
    }

    /// Parses `LAT,LON[,HEIGHT_M]` (degrees, degrees, metres; spaces allowed).
    pub fn parse(text: &str) -> Result<Self, SiteError> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(SiteError::new(
                "site",
                format!("{text:?} is not LAT,LON[,HEIGHT_M] (e.g. 51.48,-0.0,50)"),
            ));
        }
        let number = |field: &'static str, value: &str| {
            value.parse::<f64>().map_err(|_| {
                SiteError::new(field, format!("{value:?} is not a number (in {text:?})"))
            })
        };
        let latitude_deg = number("latitude", parts[0])?;
        let longitude_deg = number("longitude", parts[1])?;
        let height_m = parts
            .get(2)
            .map_or(Ok(0.0), |value| number("height", value))?;
        Self::new(text.trim(), latitude_deg, longitude_deg, height_m)
    }

    pub fn geodetic(&self) -> Geodetic {
        Geodetic {
            latitude_rad: self.latitude_deg.to_radians(),
            longitude_rad: wrap_degrees(self.longitude_deg).to_radians(),
            altitude_km: self.height_m / 1000.0,
        }
    }

    /// Earth-fixed position, km.
    pub fn ecef_km(&self) -> DVec3 {
        geodetic_to_ecef(&self.geodetic())
    }

    /// A label: the name, or the coordinates where there is none.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            format!(
                "{:.4},{:.4},{:.0}",
                self.latitude_deg, self.longitude_deg, self.height_m
            )
        } else {
            self.name.clone()
        }
    }
}

/// The named sites of `sites.json` in the config directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteBook {
    pub sites: Vec<Site>,
}

/// Why the site book could not be read or written; always names the file.
#[derive(Debug, thiserror::Error)]
pub enum SiteBookError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a site book ({source})")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: site {index} ({name:?}): {source}")]
    Invalid {
        path: PathBuf,
        index: usize,
        name: String,
        source: SiteError,
    },
    #[error("{path}: no site named {name:?} (known: {known})")]
    Unknown {
        path: PathBuf,
        name: String,
        known: String,
    },
}

/// The file name of the site book in the config directory.
pub const SITE_BOOK_FILE: &str = "sites.json";

/// `$ORBITSCOPE_CONFIG_DIR/sites.json`, else `sites.json` in the platform config directory
/// (`~/.config/orbitscope/` on Linux).
pub fn site_book_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ORBITSCOPE_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join(SITE_BOOK_FILE));
    }
    directories::ProjectDirs::from("org", "OrbitScope", "orbitscope")
        .map(|dirs| dirs.config_dir().join(SITE_BOOK_FILE))
}

impl SiteBook {
    /// Reads and checks the book at `path` (a missing file is an error naming it).
    pub fn load(path: &Path) -> Result<Self, SiteBookError> {
        let bytes = std::fs::read(path).map_err(|source| SiteBookError::Io {
            path: path.to_owned(),
            source,
        })?;
        let book: Self = serde_json::from_slice(&bytes).map_err(|source| SiteBookError::Parse {
            path: path.to_owned(),
            source,
        })?;
        for (index, site) in book.sites.iter().enumerate() {
            site.validate().map_err(|source| SiteBookError::Invalid {
                path: path.to_owned(),
                index,
                name: site.name.clone(),
                source,
            })?;
        }
        Ok(book)
    }

    /// The book at `path`, or an empty one where there is no file yet.
    pub fn load_or_default(path: &Path) -> Result<Self, SiteBookError> {
        if path.exists() {
            Self::load(path)
        } else {
            Ok(Self::default())
        }
    }

    /// Writes the book atomically: a temporary file beside `path`, then a rename over it (a
    /// reader never sees half a file; a crash leaves the old one).
    pub fn save(&self, path: &Path) -> Result<(), SiteBookError> {
        let io = |source| SiteBookError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut text =
            serde_json::to_string_pretty(self).map_err(|source| SiteBookError::Parse {
                path: path.to_owned(),
                source,
            })?;
        text.push('\n');
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        std::fs::write(&temporary, text).map_err(io)?;
        std::fs::rename(&temporary, path).map_err(|source| {
            let _ = std::fs::remove_file(&temporary);
            io(source)
        })
    }

    /// The site named `name` (exact, then ignoring case).
    pub fn get(&self, name: &str) -> Option<&Site> {
        self.sites
            .iter()
            .find(|site| site.name == name)
            .or_else(|| {
                self.sites
                    .iter()
                    .find(|site| site.name.eq_ignore_ascii_case(name.trim()))
            })
    }

    /// Adds `site`, replacing one of the same name.
    pub fn insert(&mut self, site: Site) {
        match self.sites.iter_mut().find(|s| s.name == site.name) {
            Some(existing) => *existing = site,
            None => self.sites.push(site),
        }
    }

    /// [`Self::get`], or an error naming the file and the known names.
    pub fn lookup(&self, name: &str, path: &Path) -> Result<Site, SiteBookError> {
        self.get(name)
            .cloned()
            .ok_or_else(|| SiteBookError::Unknown {
                path: path.to_owned(),
                name: name.to_owned(),
                known: if self.sites.is_empty() {
                    "none".to_owned()
                } else {
                    self.sites
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_parse_with_and_without_height() {
        let site = Site::parse("51.48, -0.0, 50").unwrap();
        assert_eq!(
            (site.latitude_deg, site.longitude_deg, site.height_m),
            (51.48, 0.0, 50.0)
        );
        let site = Site::parse("-33.9,18.4").unwrap();
        assert_eq!(site.height_m, 0.0);
        assert!(Site::parse("90,359.99,-500").is_ok());
        assert!(Site::parse("-90,-180,100000").is_ok());
    }

    #[test]
    fn bad_coordinates_are_refused_naming_the_field() {
        for (text, field) in [
            ("91,0", "latitude"),
            ("-90.5,0", "latitude"),
            ("abc,0", "latitude"),
            ("NaN,0", "latitude"),
            ("0,360", "longitude"),
            ("0,-180.1", "longitude"),
            ("0,inf", "longitude"),
            ("0,x", "longitude"),
            ("0,0,-20000", "height"),
            ("0,0,100001", "height"),
            ("0,0,tall", "height"),
            ("0", "site"),
            ("1,2,3,4", "site"),
        ] {
            let error = Site::parse(text).unwrap_err();
            assert_eq!(error.field, field, "{text}: {error}");
            assert!(error.to_string().starts_with(field), "{error}");
        }
    }

    #[test]
    fn site_book_round_trips_atomically_and_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(SITE_BOOK_FILE);
        let missing = SiteBook::load(&path).unwrap_err().to_string();
        assert!(missing.contains("sites.json"), "{missing}");
        let mut book = SiteBook::load_or_default(&path).unwrap();
        book.insert(Site::new("Tromsø", 69.6, 18.9, 100.0).unwrap());
        book.insert(Site::new("Cape Town", -33.9, 18.4, 0.0).unwrap());
        book.save(&path).unwrap();
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, [SITE_BOOK_FILE], "no temporary file left");
        let back = SiteBook::load(&path).unwrap();
        assert_eq!(back, book);
        assert_eq!(back.get("tromsø").map(|s| s.latitude_deg), Some(69.6));
        assert_eq!(back.get("cape town").map(|s| s.latitude_deg), Some(-33.9));
        let unknown = back.lookup("Home", &path).unwrap_err().to_string();
        assert!(
            unknown.contains("sites.json") && unknown.contains("Tromsø"),
            "{unknown}"
        );
        std::fs::write(
            &path,
            r#"{"sites":[{"name":"x","latitude_deg":95,"longitude_deg":0}]}"#,
        )
        .unwrap();
        let invalid = SiteBook::load(&path).unwrap_err().to_string();
        assert!(
            invalid.contains("sites.json") && invalid.contains("latitude"),
            "{invalid}"
        );
        std::fs::write(&path, "{").unwrap();
        assert!(
            SiteBook::load(&path)
                .unwrap_err()
                .to_string()
                .contains("not a site book")
        );
    }
}
