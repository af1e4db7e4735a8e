//! One filter model for the whole product: the window, picking, `stats`, `positions` and
//! `shot` all narrow the catalog with a [`Filter`]. Criteria combine with AND; the choices
//! within one criterion combine with OR, except the treaty criteria, where "party to REG and
//! OST" means both; an empty criterion lets everything through.
//!
//! Pure: no Bevy. The filter is plain, serialisable settings (what a scenario file stores);
//! the per-object mask it produces is derived data.

mod counts;
mod regime;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use counts::ChoiceCounts;
pub use regime::{LEO_CEILING_KM, OrbitShape, Regime};

use crate::catalog::{ObjectType, OpsStatus, Registration, SpaceObject};
use crate::treaty::{AtLaunch, Treaty, owner_standing};

/// UN registration status as a filter choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationStatus {
    Registered,
    NotRegistered,
    NoData,
}

impl RegistrationStatus {
    pub const ALL: [Self; 3] = [Self::Registered, Self::NotRegistered, Self::NoData];

    pub fn of(registration: &Registration) -> Self {
        match registration {
            Registration::Registered { .. } => Self::Registered,
            Registration::NotRegistered { .. } => Self::NotRegistered,
            Registration::NoData => Self::NoData,
        }
    }

    /// The command-line spelling.
    pub fn key(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::NotRegistered => "not-registered",
            Self::NoData => "no-data",
        }
    }
}

/// The state of registry an object's registration names, if it is registered.
fn state_of_registry(registration: &Registration) -> Option<&str> {
    match registration {
        Registration::Registered {
            state_of_registry, ..
        } => Some(state_of_registry),
        _ => None,
    }
}

/// An inclusive range of launch years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    pub from: i32,
    pub to: i32,
}

/// An inclusive range of heights above the Earth (km). An open end is infinite, written
/// `null` in a scenario file (JSON has no infinity).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AltitudeRange {
    #[serde(with = "open_low")]
    pub low_km: f64,
    #[serde(with = "open_high")]
    pub high_km: f64,
}

/// `null` ↔ an infinite end of a range, for each end's own infinity.
macro_rules! open_end {
    ($name:ident, $infinity:expr) => {
        mod $name {
            use serde::{Deserialize, Deserializer, Serializer};

            pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
                if value.is_finite() {
                    serializer.serialize_f64(*value)
                } else {
                    serializer.serialize_none()
                }
            }

            pub fn deserialize<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<f64, D::Error> {
                Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or($infinity))
            }
        }
    };
}
open_end!(open_low, f64::NEG_INFINITY);
open_end!(open_high, f64::INFINITY);

/// The criteria, each a set of accepted choices (empty = any).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filter {
    /// SATCAT owner codes, upper case (`PRC`, `US`, `CIS`, `ESA`).
    pub owners: BTreeSet<String>,
    pub registration: BTreeSet<RegistrationStatus>,
    /// States of registry as the registration data writes them (GCAT codes or UN names).
    pub states_of_registry: BTreeSet<String>,
    pub types: BTreeSet<ObjectType>,
    pub regimes: BTreeSet<Regime>,
    /// SATCAT operational status codes (`+`, `-`, `P`, `B`, `S`, `X`, `D`, `?`).
    pub ops_status: BTreeSet<String>,
    pub launched: Option<YearRange>,
    pub altitude: Option<AltitudeRange>,
    /// Name substring (any case), NORAD number, or COSPAR id or its prefix (`1998-067`).
    pub search: Option<String>,
    /// The owner is bound by every one of these treaties today (a party, or an organisation
    /// that declared acceptance).
    pub party_to: BTreeSet<Treaty>,
    /// The owner was bound by every one of these treaties on the object's launch date (known
    /// dates only: an unknown date of deposit does not pass).
    pub party_at_launch: BTreeSet<Treaty>,
    /// The catalog as of this date: objects already catalogued (see
    /// [`crate::catalog::SatcatInfo::catalogued_on`]) and not decayed before it. Objects
    /// without a SATCAT launch date cannot be placed in time and do not pass. (Left out of a
    /// saved scenario when unset, so files written before it existed read back unchanged.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_orbit_on: Option<chrono::NaiveDate>,
}

/// One criterion of a [`Filter`], to count choices against the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    Owner,
    Registration,
    StateOfRegistry,
    Type,
    Regime,
    OpsStatus,
    Launched,
    Altitude,
    Search,
    PartyTo,
    PartyAtLaunch,
    InOrbitOn,
}

impl Criterion {
    pub const ALL: [Self; 12] = [
        Self::Owner,
        Self::Registration,
        Self::StateOfRegistry,
        Self::Type,
        Self::Regime,
        Self::OpsStatus,
        Self::Launched,
        Self::Altitude,
        Self::Search,
        Self::PartyTo,
        Self::PartyAtLaunch,
        Self::InOrbitOn,
    ];

    /// This criterion's bit in a set of failed criteria.
    fn bit(self) -> u16 {
        1 << self as u16
    }
}

impl Filter {
    /// True when no criterion is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// True when `object` passes every criterion.
    pub fn matches(&self, object: &SpaceObject) -> bool {
        self.matches_except(object, None)
    }

    /// True when `object` passes every criterion but `ignored` (for counts beside each choice:
    /// "how many would this choice add, given the other criteria").
    pub fn matches_except(&self, object: &SpaceObject, ignored: Option<Criterion>) -> bool {
        Criterion::ALL
            .iter()
            .all(|&criterion| ignored == Some(criterion) || self.test(criterion, object))
    }

    fn test(&self, criterion: Criterion, object: &SpaceObject) -> bool {
        let satcat = object.satcat.as_ref();
        match criterion {
            Criterion::Owner => {
                self.owners.is_empty()
                    || object.owner_code().is_some_and(|code| {
                        // SATCAT codes are upper case: compare without allocating first.
                        self.owners.contains(code)
                            || (code.bytes().any(|b| b.is_ascii_lowercase())
                                && self.owners.contains(&code.to_ascii_uppercase()))
                    })
            }
            Criterion::Registration => {
                self.registration.is_empty()
                    || self
                        .registration
                        .contains(&RegistrationStatus::of(&object.registration))
            }
            Criterion::StateOfRegistry => {
                self.states_of_registry.is_empty()
                    || state_of_registry(&object.registration)
                        .is_some_and(|state| self.states_of_registry.contains(state))
            }
            Criterion::Type => self.types.is_empty() || self.types.contains(&object.object_type()),
            Criterion::Regime => {
                self.regimes.is_empty()
                    || self
                        .regimes
                        .contains(&OrbitShape::from_elements(&object.elements).regime())
            }
            Criterion::OpsStatus => {
                self.ops_status.is_empty()
                    || satcat
                        .and_then(|s| s.ops_status)
                        .is_some_and(|status| self.ops_status.contains(ops_status_code(status)))
            }
            Criterion::Launched => self.launched.is_none_or(|range| {
                satcat.and_then(|s| s.launch_date).is_some_and(|date| {
                    (range.from..=range.to).contains(&chrono::Datelike::year(&date))
                })
            }),
            Criterion::Altitude => self.altitude.is_none_or(|range| {
                OrbitShape::from_elements(&object.elements)
                    .overlaps_altitude(range.low_km, range.high_km)
            }),
            Criterion::Search => self
                .search
                .as_deref()
                .is_none_or(|text| matches_search(object, text)),
            Criterion::PartyTo => self.party_to.iter().all(|&treaty| {
                owner_standing(object.owner_code(), treaty)
                    .standing
                    .is_bound()
            }),
            Criterion::PartyAtLaunch => self.party_at_launch.iter().all(|&treaty| {
                let launched = satcat.and_then(|s| s.launch_date);
                owner_standing(object.owner_code(), treaty).at(launched) == AtLaunch::Yes
            }),
            Criterion::InOrbitOn => self.in_orbit_on.is_none_or(|date| {
                satcat.is_some_and(|s| {
                    s.catalogued_on.is_some_and(|entered| entered <= date)
                        && s.decay_date.is_none_or(|decay| decay >= date)
                })
            }),
        }
    }

    /// One flag per object: true where the object passes.
    pub fn mask(&self, objects: &[SpaceObject]) -> Vec<bool> {
        objects.iter().map(|object| self.matches(object)).collect()
    }
}

/// The SATCAT code of an operational status.
pub fn ops_status_code(status: OpsStatus) -> &'static str {
    match status {
        OpsStatus::Operational => "+",
        OpsStatus::Nonoperational => "-",
        OpsStatus::PartiallyOperational => "P",
        OpsStatus::Backup => "B",
        OpsStatus::Spare => "S",
        OpsStatus::ExtendedMission => "X",
        OpsStatus::Decayed => "D",
        OpsStatus::Unknown => "?",
    }
}

/// Name substring (any case, and ignoring spaces, hyphens and other punctuation: "ONEWEB 0684"
/// finds ONEWEB-0684), exact NORAD number, or COSPAR id prefix (any case).
pub fn matches_search(object: &SpaceObject, text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    if let Ok(number) = text.parse::<u64>()
        && u64::from(object.norad_id) == number
    {
        return true;
    }
    let upper = text.to_uppercase();
    let wanted = letters_and_digits(text);
    object.name.to_uppercase().contains(&upper)
        || (!wanted.is_empty() && letters_and_digits(&object.name).contains(&wanted))
        || object
            .cospar_id
            .as_deref()
            .is_some_and(|id| id.to_ascii_uppercase().starts_with(&upper))
}

/// The letters and digits of `text`, upper case: what is left of a name when its spacing and
/// punctuation are forgotten.
fn letters_and_digits(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
