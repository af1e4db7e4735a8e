//! The joined, per-object catalog model.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// NORAD catalog number. Six digits and more since July 2026, so never assume five.
pub type NoradId = u32;

/// Index into [`super::Catalog::sources`]: where a group of fields came from.
pub type SourceId = usize;

/// One data source as loaded: a file path or a URL, and when it was fetched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    /// What kind of data it holds (`gp`, `satcat`, `gcat`, `unoosa`).
    pub kind: &'static str,
    /// File path or URL.
    pub location: String,
    /// When the bytes were downloaded, for cached network data.
    pub fetched_at: Option<DateTime<Utc>>,
}

impl SourceInfo {
    /// Whom a registration answer is according to: "according to the UN register, fetched
    /// 2026-11-26", "according to GCAT (psatcat.tsv, fetched 2026-11-20)".
    pub fn attribution(&self) -> String {
        let name = self.location.rsplit('/').next().unwrap_or(&self.location);
        let fetched = self
            .fetched_at
            .map(|at| format!("fetched {}", at.format("%Y-%m-%d")));
        match (self.kind, fetched) {
            ("unoosa", Some(fetched)) => format!("according to the UN register, {fetched}"),
            ("unoosa", None) => format!("according to the UN register (file {name})"),
            ("gcat", Some(fetched)) => format!("according to GCAT ({name}, {fetched})"),
            ("gcat", None) => format!("according to GCAT (file {name})"),
            (kind, _) => format!("according to {kind} ({name})"),
        }
    }
}

/// SATCAT object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectType {
    Payload,
    RocketBody,
    Debris,
    Unknown,
}

impl ObjectType {
    pub const ALL: [Self; 4] = [Self::Payload, Self::RocketBody, Self::Debris, Self::Unknown];

    /// Parses SATCAT's `OBJECT_TYPE` code (`PAY`, `R/B`, `DEB`, `UNK`).
    pub fn from_satcat_code(code: &str) -> Option<Self> {
        match code.trim() {
            // CelesTrak's codes, and Space-Track's words.
            "PAY" | "PAYLOAD" => Some(Self::Payload),
            "R/B" | "ROCKET BODY" => Some(Self::RocketBody),
            "DEB" | "DEBRIS" => Some(Self::Debris),
            "UNK" | "UNKNOWN" | "TBA" => Some(Self::Unknown),
            _ => None,
        }
    }

    /// Infers the type from CelesTrak's naming convention (`... R/B`, `... DEB`), for objects
    /// without a SATCAT row.
    pub fn from_name(name: &str) -> Self {
        let name = name.trim_end();
        if name.ends_with(" R/B") || name.contains(" R/B(") || name.contains(" R/B ") {
            Self::RocketBody
        } else if name.ends_with(" DEB") || name.contains(" DEB ") || name.contains(" DEB(") {
            Self::Debris
        } else {
            Self::Unknown
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Payload => "payload",
            Self::RocketBody => "rocket body",
            Self::Debris => "debris",
            Self::Unknown => "unknown",
        }
    }

    /// Machine-readable key, as used in CSV/JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Self::Payload => "payload",
            Self::RocketBody => "rocket_body",
            Self::Debris => "debris",
            Self::Unknown => "unknown",
        }
    }
}

/// SATCAT operational status (`OPS_STATUS_CODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpsStatus {
    Operational,
    Nonoperational,
    PartiallyOperational,
    Backup,
    Spare,
    ExtendedMission,
    Decayed,
    Unknown,
}

impl OpsStatus {
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code.trim() {
            "+" => Self::Operational,
            "-" => Self::Nonoperational,
            "P" => Self::PartiallyOperational,
            "B" => Self::Backup,
            "S" => Self::Spare,
            "X" => Self::ExtendedMission,
            "D" => Self::Decayed,
            "?" => Self::Unknown,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Operational => "operational",
            Self::Nonoperational => "nonoperational",
            Self::PartiallyOperational => "partially operational",
            Self::Backup => "backup",
            Self::Spare => "spare",
            Self::ExtendedMission => "extended mission",
            Self::Decayed => "decayed",
            Self::Unknown => "unknown",
        }
    }
}

/// Which register a registration fact came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationSource {
    /// The GCAT payload catalog of J. C. McDowell (`UNReg`, `UNState`).
    Gcat,
    /// UNOOSA's Online Index of Objects Launched into Outer Space: the register itself.
    Unoosa,
}

/// UN registration status of an object under the Registration Convention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Registration {
    /// Registered with the UN, in the given document (e.g. `ST/SG/SER.E/945`).
    Registered {
        /// UN document symbol; `None` when the index says registered but names no document.
        document: Option<String>,
        /// State (or organisation) of registry, cleaned for display.
        state_of_registry: String,
        /// The value as the source wrote it (GCAT brackets and asterisks kept).
        raw_state: String,
        source: RegistrationSource,
    },
    /// The register has the object but no UN registration for it.
    NotRegistered {
        /// The responsible state where the source names one.
        state: Option<String>,
        source: RegistrationSource,
    },
    /// No registration source covers this object.
    NoData,
}

impl Registration {
    pub fn key(&self) -> &'static str {
        match self {
            Self::Registered { .. } => "registered",
            Self::NotRegistered { .. } => "not_registered",
            Self::NoData => "no_registration_data",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Registered { .. } => "registered",
            Self::NotRegistered { .. } => "not registered",
            Self::NoData => "no data",
        }
    }

    pub fn is_registered(&self) -> bool {
        matches!(self, Self::Registered { .. })
    }

    /// One line for people: "registered by Soviet Union (SU) in A/AC.105/INF.002". GCAT's state
    /// codes are spelled out; UNOOSA already names the state.
    pub fn describe(&self) -> String {
        let state_name = |state: &str, source: RegistrationSource| match source {
            RegistrationSource::Gcat => {
                let name = super::owners::gcat_state_name(state);
                if name == state {
                    state.to_owned()
                } else {
                    format!("{name} ({state})")
                }
            }
            RegistrationSource::Unoosa => state.to_owned(),
        };
        match self {
            Self::Registered {
                document,
                state_of_registry,
                source,
                ..
            } => format!(
                "registered by {} in {}",
                state_name(state_of_registry, *source),
                document
                    .as_deref()
                    .unwrap_or("a document the index does not name")
            ),
            Self::NotRegistered {
                state: Some(state),
                source,
            } => format!(
                "not registered (responsible: {})",
                state_name(state, *source)
            ),
            Self::NotRegistered { state: None, .. } => "not registered".to_owned(),
            Self::NoData => "no registration data".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_descriptions_name_the_state() {
        let sputnik = Registration::Registered {
            document: Some("A/AC.105/INF.002".into()),
            state_of_registry: "SU".into(),
            raw_state: "SU".into(),
            source: RegistrationSource::Gcat,
        };
        assert_eq!(
            sputnik.describe(),
            "registered by Soviet Union (SU) in A/AC.105/INF.002"
        );
        let unregistered = Registration::NotRegistered {
            state: Some("Russian Federation".into()),
            source: RegistrationSource::Unoosa,
        };
        assert_eq!(
            unregistered.describe(),
            "not registered (responsible: Russian Federation)"
        );
        assert_eq!(Registration::NoData.describe(), "no registration data");
    }
}

/// What the SATCAT says about an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SatcatInfo {
    pub object_type: ObjectType,
    /// CelesTrak owner/source code (`US`, `PRC`, `CIS`, `ESA`, ...), as written.
    pub owner_code: String,
    pub ops_status: Option<OpsStatus>,
    pub launch_date: Option<NaiveDate>,
    /// When it entered the catalog, at the earliest: the later of its launch date and the
    /// latest launch date among lower catalog numbers of the loaded SATCAT (a fragment carries
    /// its parent's launch date; see `stats::history`).
    pub catalogued_on: Option<NaiveDate>,
    pub launch_site: Option<String>,
    pub decay_date: Option<NaiveDate>,
    /// Radar cross-section, m².
    pub rcs_m2: Option<f64>,
    pub period_min: Option<f64>,
    pub inclination_deg: Option<f64>,
    pub apogee_km: Option<f64>,
    pub perigee_km: Option<f64>,
    pub source: SourceId,
}

#[cfg(test)]
impl SatcatInfo {
    /// An operational object with a type, an owner and a launch date, the rest unknown.
    pub(crate) fn for_tests(
        object_type: ObjectType,
        owner_code: &str,
        launch_date: Option<NaiveDate>,
    ) -> Self {
        Self {
            object_type,
            owner_code: owner_code.to_owned(),
            ops_status: Some(OpsStatus::Operational),
            launch_date,
            catalogued_on: launch_date,
            launch_site: None,
            decay_date: None,
            rcs_m2: None,
            period_min: None,
            inclination_deg: None,
            apogee_km: None,
            perigee_km: None,
            source: 1,
        }
    }
}

/// One object of the joined catalog.
#[derive(Debug, Clone)]
pub struct SpaceObject {
    pub norad_id: NoradId,
    /// COSPAR international designator (`1998-067A`).
    pub cospar_id: Option<String>,
    pub name: String,
    /// Mean elements for SGP4 (TEME, Kozai mean motion), from the GP source.
    pub elements: sgp4::Elements,
    pub gp_source: SourceId,
    pub satcat: Option<SatcatInfo>,
    pub registration: Registration,
    /// Source of `registration`, when it is not `NoData`.
    pub registration_source_id: Option<SourceId>,
}

impl SpaceObject {
    /// The SATCAT type, or the type implied by the name when there is no SATCAT row.
    pub fn object_type(&self) -> ObjectType {
        self.satcat
            .as_ref()
            .map_or_else(|| ObjectType::from_name(&self.name), |s| s.object_type)
    }

    pub fn owner_code(&self) -> Option<&str> {
        self.satcat.as_ref().map(|s| s.owner_code.as_str())
    }
}
