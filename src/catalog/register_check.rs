//! What the UN register adds beyond a registration colour: where it and GCAT disagree, which
//! objects a state other than their SATCAT owner registered, and how the register and the
//! catalog cover each other, owner by owner.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::join::normalise_cospar;
use super::owners::gcat_state_name;
use super::satcat::SatcatRecord;
use super::un_states::owner_code_of_un_state;
use super::unoosa::{UnoosaRecord, names_one_object};
use super::{NoradId, Registration, RegistrationSource, SpaceObject};
use crate::treaty::{TreatySubject, treaty_subject};

/// How GCAT and the UN register differ about one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisagreementKind {
    /// One says registered, the other not.
    Status,
    /// Both say registered, by different states.
    StateOfRegistry,
}

impl DisagreementKind {
    /// How `un` (the register) and `gcat` differ, if they do. States are compared as owner
    /// codes, and only where both names are known ("USSR" and GCAT's `SU` agree).
    pub fn between(un: &Registration, gcat: &Registration) -> Option<Self> {
        if un.is_registered() != gcat.is_registered() {
            return Some(Self::Status);
        }
        let (Some(un_code), Some(gcat_code)) = (registry_owner_code(un), registry_owner_code(gcat))
        else {
            return None;
        };
        (un.is_registered() && !same_subject(un_code, gcat_code)).then_some(Self::StateOfRegistry)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Status => "registered or not",
            Self::StateOfRegistry => "state of registry",
        }
    }
}

/// An object on which GCAT and the UN register differ (the register's answer is the one used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub norad_id: NoradId,
    pub kind: DisagreementKind,
    pub un_register: Registration,
    pub gcat: Registration,
}

/// The CelesTrak owner code of the state that registered an object (or is responsible for an
/// unregistered one), where the source names a state this mapping knows.
pub fn registry_owner_code(registration: &Registration) -> Option<&'static str> {
    let (state, source) = match registration {
        Registration::Registered {
            state_of_registry,
            source,
            ..
        } => (state_of_registry.as_str(), *source),
        Registration::NotRegistered {
            state: Some(state),
            source,
        } => (state.as_str(), *source),
        _ => return None,
    };
    match source {
        RegistrationSource::Unoosa => owner_code_of_un_state(state),
        // GCAT codes (`SU`, `F`, `I-ESA`) by their names ("Soviet Union", "France").
        RegistrationSource::Gcat => {
            owner_code_of_un_state(gcat_state_name(state.trim_matches(['*', '(', ')', ' '])))
        }
    }
}

/// True when two owner codes stand for the same treaty subject (`ISRO` and `IND` are India),
/// or one is a joint owner with the other among its members (`FGER` and `FR`).
pub fn same_subject(first: &str, second: &str) -> bool {
    if first == second {
        return true;
    }
    let (a, b) = (treaty_subject(first), treaty_subject(second));
    let member = |joint: TreatySubject, single: TreatySubject| match joint {
        TreatySubject::Joint(x, y) => *x == single || *y == single,
        _ => false,
    };
    (a == b && a != TreatySubject::NotApplicable) || member(a, b) || member(b, a)
}

/// A catalog object registered by a state other than its SATCAT owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerMismatch {
    pub norad_id: NoradId,
    pub cospar_id: Option<String>,
    pub name: String,
    pub owner_code: String,
    pub state_of_registry: String,
    pub registry_code: &'static str,
    pub source: RegistrationSource,
}

/// Registered objects whose state of registry is not their SATCAT owner (companies' objects,
/// whose owner is no treaty subject, are left out: some state always registers those).
pub fn owner_mismatches<'a>(
    objects: impl IntoIterator<Item = &'a SpaceObject>,
) -> Vec<OwnerMismatch> {
    objects
        .into_iter()
        .filter_map(|object| {
            let Registration::Registered {
                state_of_registry,
                source,
                ..
            } = &object.registration
            else {
                return None;
            };
            let owner = object.owner_code()?;
            let registry_code = registry_owner_code(&object.registration)?;
            let owner_is_subject = treaty_subject(owner) != TreatySubject::NotApplicable;
            (owner_is_subject && !same_subject(owner, registry_code)).then(|| OwnerMismatch {
                norad_id: object.norad_id,
                cospar_id: object.cospar_id.clone(),
                name: object.name.clone(),
                owner_code: owner.to_owned(),
                state_of_registry: match source {
                    RegistrationSource::Gcat => gcat_state_name(state_of_registry).to_owned(),
                    RegistrationSource::Unoosa => state_of_registry.clone(),
                },
                registry_code,
                source: *source,
            })
        })
        .collect()
}

/// Where a register entry was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// Among the loaded objects (it has element sets).
    Catalog(NoradId),
    /// In the SATCAT only (decayed, or outside the loaded groups).
    SatcatOnly(NoradId),
    /// Its COSPAR id is in neither.
    Nowhere,
    /// The entry has no COSPAR id that names one object (none, or `2025-155*`).
    NoCosparId,
}

/// One register entry and where the catalog has it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRow {
    pub record: UnoosaRecord,
    /// The state of registry as an owner code, where the mapping knows it.
    pub owner_code: Option<&'static str>,
    pub found: Found,
}

/// The register matched against the catalog and the SATCAT.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegisterCheck {
    pub rows: Vec<RegisterRow>,
    /// Catalog objects the register lists.
    pub listed: HashSet<NoradId>,
}

/// Coverage of the register and the catalog for one owner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    /// Owner code, or the state as the UN writes it where the mapping does not know it.
    pub owner: String,
    pub register_entries: usize,
    pub register_in_catalog: usize,
    pub register_in_satcat_only: usize,
    pub register_unknown_to_catalog: usize,
    pub register_without_cospar: usize,
    pub catalog_objects: usize,
    pub catalog_not_in_register: usize,
}

impl RegisterCheck {
    pub fn new<'a>(
        records: Vec<UnoosaRecord>,
        objects: &[SpaceObject],
        satcat: impl Iterator<Item = &'a SatcatRecord>,
    ) -> Self {
        let in_catalog: HashMap<String, NoradId> = objects
            .iter()
            .filter_map(|o| Some((normalise_cospar(o.cospar_id.as_deref()?), o.norad_id)))
            .collect();
        let in_satcat: HashMap<String, NoradId> = satcat
            .filter_map(|r| Some((normalise_cospar(r.cospar_id.as_deref()?), r.norad_id)))
            .collect();
        let mut listed = HashSet::new();
        let rows = records
            .into_iter()
            .map(|record| {
                let joinable = record
                    .cospar_id
                    .as_deref()
                    .filter(|id| names_one_object(id));
                let found = match joinable.map(normalise_cospar) {
                    None => Found::NoCosparId,
                    Some(id) => match (in_catalog.get(&id), in_satcat.get(&id)) {
                        (Some(&norad_id), _) => {
                            listed.insert(norad_id);
                            Found::Catalog(norad_id)
                        }
                        (None, Some(&norad_id)) => Found::SatcatOnly(norad_id),
                        (None, None) => Found::Nowhere,
                    },
                };
                RegisterRow {
                    owner_code: record.state.as_deref().and_then(owner_code_of_un_state),
                    record,
                    found,
                }
            })
            .collect();
        Self { rows, listed }
    }

    /// Per owner: the register's entries (by state of registry) and where the catalog has
    /// them; the catalog's objects (by SATCAT owner, of those in `objects`) and how many the
    /// register lists. Most entries first.
    pub fn coverage<'a>(
        &self,
        objects: impl IntoIterator<Item = &'a SpaceObject>,
    ) -> Vec<CoverageRow> {
        let mut by_owner: BTreeMap<String, CoverageRow> = BTreeMap::new();
        fn entry(rows: &mut BTreeMap<String, CoverageRow>, owner: String) -> &mut CoverageRow {
            rows.entry(owner.clone()).or_insert_with(|| CoverageRow {
                owner,
                ..CoverageRow::default()
            })
        }
        for register_row in &self.rows {
            let owner = register_row.owner_code.map_or_else(
                || {
                    register_row
                        .record
                        .state
                        .clone()
                        .unwrap_or_else(|| "(no state)".to_owned())
                },
                str::to_owned,
            );
            let counts = entry(&mut by_owner, owner);
            counts.register_entries += 1;
            match register_row.found {
                Found::Catalog(_) => counts.register_in_catalog += 1,
                Found::SatcatOnly(_) => counts.register_in_satcat_only += 1,
                Found::Nowhere => counts.register_unknown_to_catalog += 1,
                Found::NoCosparId => counts.register_without_cospar += 1,
            }
        }
        for object in objects {
            let owner = object
                .owner_code()
                .map_or_else(|| "(no SATCAT record)".to_owned(), str::to_owned);
            let counts = entry(&mut by_owner, owner);
            counts.catalog_objects += 1;
            counts.catalog_not_in_register += usize::from(!self.listed.contains(&object.norad_id));
        }
        let mut out: Vec<CoverageRow> = by_owner.into_values().collect();
        out.sort_by(|a, b| {
            (b.register_entries + b.catalog_objects)
                .cmp(&(a.register_entries + a.catalog_objects))
                .then_with(|| a.owner.cmp(&b.owner))
        });
        out
    }
}

/// What the statistics window's register tab shows, for the objects in the filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegisterSummary {
    /// Objects registered by a state other than their SATCAT owner.
    pub registered_elsewhere: Vec<OwnerMismatch>,
    /// Per owner, when a UN register is loaded.
    pub coverage: Option<Vec<CoverageRow>>,
    /// Objects in the filter on which GCAT and the register disagree.
    pub disagreements: usize,
    /// Whom the register's answers are according to ("according to the UN register, fetched
    /// 2026-11-26"), when one is loaded.
    pub according_to: Option<String>,
}

impl RegisterSummary {
    pub fn of(catalog: &super::Catalog, mask: Option<&[bool]>) -> Self {
        let shown = || {
            catalog
                .objects
                .iter()
                .enumerate()
                .filter(move |(index, _)| mask.is_none_or(|mask| mask[*index]))
                .map(|(_, object)| object)
        };
        let disagreements = catalog
            .disagreements
            .iter()
            .filter(|d| {
                catalog
                    .index_of(d.norad_id)
                    .is_some_and(|index| mask.is_none_or(|mask| mask[index]))
            })
            .count();
        Self {
            registered_elsewhere: owner_mismatches(shown()),
            coverage: catalog
                .register
                .as_ref()
                .map(|check| check.coverage(shown())),
            disagreements,
            according_to: catalog
                .sources
                .iter()
                .find(|source| source.kind == "unoosa")
                .map(super::SourceInfo::attribution),
        }
    }
}

#[cfg(test)]
mod tests;
