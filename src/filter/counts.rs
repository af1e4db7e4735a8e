//! Counts beside each choice of each criterion, as the filter panel shows them: for a choice
//! of criterion C, the objects that pass every *other* criterion and have that value of C
//! ("what ticking this box would show"). One pass over the catalog, each criterion evaluated
//! once per object.

use std::collections::BTreeMap;

use super::{Criterion, Filter, OrbitShape, RegistrationStatus, ops_status_code};
use crate::catalog::{ObjectType, SpaceObject};
use crate::filter::Regime;

/// Per-choice counts for the panel, and the number of objects the whole filter keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChoiceCounts {
    pub shown: usize,
    pub total: usize,
    /// Owner code (`-` for objects without a SATCAT row) → count.
    pub owners: BTreeMap<String, usize>,
    pub registration: BTreeMap<RegistrationStatus, usize>,
    pub types: BTreeMap<ObjectType, usize>,
    pub regimes: BTreeMap<Regime, usize>,
    /// SATCAT status code (`?` also for objects without one) → count.
    pub ops_status: BTreeMap<String, usize>,
}

impl ChoiceCounts {
    pub fn of(filter: &Filter, objects: &[SpaceObject]) -> Self {
        Self::with_mask(filter, objects).0
    }

    /// The counts and, from the same pass, the filter's mask (what [`Filter::mask`] gives).
    pub fn with_mask(filter: &Filter, objects: &[SpaceObject]) -> (Self, Vec<bool>) {
        let mut counts = Self {
            total: objects.len(),
            ..Self::default()
        };
        let mut mask = Vec::with_capacity(objects.len());
        for object in objects {
            let failed: u16 = Criterion::ALL
                .iter()
                .filter(|&&criterion| !filter.test(criterion, object))
                .map(|&criterion| criterion.bit())
                .sum();
            let passes_others = |criterion: Criterion| failed & !criterion.bit() == 0;
            mask.push(failed == 0);
            counts.shown += usize::from(failed == 0);
            if passes_others(Criterion::Owner) {
                let owner = object.owner_code().unwrap_or(crate::stats::NO_OWNER);
                // A key is allocated once per owner, not once per object.
                match counts.owners.get_mut(owner) {
                    Some(n) => *n += 1,
                    None => *counts.owners.entry(owner.to_ascii_uppercase()).or_default() += 1,
                }
            }
            if passes_others(Criterion::Registration) {
                let status = RegistrationStatus::of(&object.registration);
                *counts.registration.entry(status).or_default() += 1;
            }
            if passes_others(Criterion::Type) {
                *counts.types.entry(object.object_type()).or_default() += 1;
            }
            if passes_others(Criterion::Regime) {
                let regime = OrbitShape::from_elements(&object.elements).regime();
                *counts.regimes.entry(regime).or_default() += 1;
            }
            if passes_others(Criterion::OpsStatus) {
                let code = object
                    .satcat
                    .as_ref()
                    .and_then(|s| s.ops_status)
                    .map_or("?", ops_status_code);
                match counts.ops_status.get_mut(code) {
                    Some(n) => *n += 1,
                    None => {
                        counts.ops_status.insert(code.to_owned(), 1);
                    }
                }
            }
        }
        (counts, mask)
    }
}
