//! The registration gap: payloads that are not registered with the UN, or for which no
//! register has data, longest outstanding first; and a summary per owner. Shared by the
//! window's gap list (and its CSV export) and `orbitscope stats --unregistered`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::{StandingMemo, launch_date};
use crate::catalog::owners::{gcat_state_name, satcat_owner};
use crate::catalog::{ObjectType, Registration, RegistrationSource, SpaceObject};
use crate::filter::RegistrationStatus;
use crate::treaty::{PARTIES_AS_OF, Treaty, treaty_subject};

/// One payload of the gap list. Field order is the CSV column order ([`GAP_CSV_HEADER`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    pub norad_id: u32,
    /// COSPAR international designator (`2021-035A`); empty where unknown.
    pub object_id: String,
    pub name: String,
    /// SATCAT owner code; `-` without a SATCAT record.
    pub owner: String,
    pub launch_date: Option<NaiveDate>,
    /// `not-registered` or `no-data`.
    pub registration: &'static str,
    /// The state (or organisation) that would register it: the one the register holds
    /// responsible where it names one, else the owner's treaty subject.
    pub registering_state: String,
    /// `state`, `organisation`, `joint` or `n/a`: what kind of subject the owner is.
    pub owner_kind: &'static str,
    /// The owner's standing towards the Outer Space Treaty.
    pub ost: &'static str,
    /// The owner's standing towards the Registration Convention.
    pub reg: &'static str,
    /// The owner's date of deposit for REG, where known.
    pub reg_since: String,
    /// Whether the owner was bound by REG on the launch date: `yes`, `no`, `unknown`, `n/a`.
    pub reg_at_launch: &'static str,
    /// The date the treaty status is given at.
    pub treaty_status_as_of: &'static str,
    /// Whole days from launch to the reference date.
    pub days_since_launch: Option<i64>,
    pub owner_name: String,
}

/// The exact CSV header of the gap list (`orbitscope stats --unregistered --format csv`).
pub const GAP_CSV_HEADER: [&str; 15] = [
    "norad_id",
    "object_id",
    "name",
    "owner",
    "launch_date",
    "registration",
    "registering_state",
    "owner_kind",
    "ost",
    "reg",
    "reg_since",
    "reg_at_launch",
    "treaty_status_as_of",
    "days_since_launch",
    "owner_name",
];

/// Per owner: how many payloads, how many registered, and how long the others have waited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerGap {
    pub owner: String,
    pub owner_name: String,
    pub payloads: usize,
    pub registered: usize,
    pub not_registered: usize,
    pub no_data: usize,
    /// Median days since launch of the payloads not registered or without data.
    pub median_days_unregistered: Option<i64>,
    /// The owner's standing towards the Registration Convention.
    pub reg: String,
}

/// The gap list and its per-owner summary, for a reference date (today, usually).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistrationGap {
    pub rows: Vec<GapRow>,
    pub owners: Vec<OwnerGap>,
}

impl RegistrationGap {
    /// Payloads among `objects` that are not registered or have no data, longest since launch
    /// first (unknown launch dates last, then by NORAD number).
    pub fn of<'a>(objects: impl IntoIterator<Item = &'a SpaceObject>, as_of: NaiveDate) -> Self {
        let mut memo = StandingMemo::default();
        // Names and kinds per owner code, built once per owner rather than once per row.
        let mut owners_seen: HashMap<&str, (String, &'static str, String)> = HashMap::new();
        let mut rows = Vec::new();
        let mut per_owner: BTreeMap<&str, (usize, [usize; 3], Vec<i64>)> = BTreeMap::new();
        for object in objects {
            if object.object_type() != ObjectType::Payload {
                continue;
            }
            let status = RegistrationStatus::of(&object.registration);
            let owner = object.owner_code().unwrap_or(super::NO_OWNER);
            let launched = launch_date(object);
            // As of a past date, what was launched after it is not part of that day's gap.
            if launched.is_some_and(|date| date > as_of) {
                continue;
            }
            let days = launched.map(|date| (as_of - date).num_days());
            let tally = per_owner.entry(owner).or_default();
            tally.0 += 1;
            tally.1[status as usize] += 1;
            if status == RegistrationStatus::Registered {
                continue;
            }
            tally.2.extend(days);
            let ost = memo.get(object.owner_code(), Treaty::Ost).standing;
            let reg = memo.get(object.owner_code(), Treaty::Reg);
            let (name, kind, subject) = owners_seen.entry(owner).or_insert_with(|| {
                let subject = object
                    .owner_code()
                    .map(|code| treaty_subject(code).display_name())
                    .unwrap_or_default();
                (owner_name(owner), owner_kind(object.owner_code()), subject)
            });
            rows.push(GapRow {
                norad_id: object.norad_id,
                object_id: object.cospar_id.clone().unwrap_or_default(),
                name: object.name.clone(),
                owner: owner.to_owned(),
                launch_date: launched,
                registration: match status {
                    RegistrationStatus::NotRegistered => "not-registered",
                    _ => "no-data",
                },
                registering_state: responsible_state(object).unwrap_or_else(|| subject.clone()),
                owner_kind: kind,
                ost: ost.key(),
                reg: reg.standing.key(),
                reg_since: reg.standing.since_text(),
                reg_at_launch: reg.at(launched).key(),
                treaty_status_as_of: PARTIES_AS_OF,
                days_since_launch: days,
                owner_name: name.clone(),
            });
        }
        rows.sort_by(|a, b| {
            let by_wait = match (a.days_since_launch, b.days_since_launch) {
                (Some(a), Some(b)) => b.cmp(&a),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_wait.then(a.norad_id.cmp(&b.norad_id))
        });
        let mut owners: Vec<OwnerGap> = per_owner
            .into_iter()
            .map(|(owner, (payloads, by_status, mut waits))| OwnerGap {
                owner: owner.to_owned(),
                owner_name: owner_name(owner),
                payloads,
                registered: by_status[RegistrationStatus::Registered as usize],
                not_registered: by_status[RegistrationStatus::NotRegistered as usize],
                no_data: by_status[RegistrationStatus::NoData as usize],
                median_days_unregistered: median(&mut waits),
                reg: memo
                    .get((owner != super::NO_OWNER).then_some(owner), Treaty::Reg)
                    .standing
                    .describe(),
            })
            .collect();
        owners.sort_by(|a, b| {
            (b.not_registered + b.no_data)
                .cmp(&(a.not_registered + a.no_data))
                .then_with(|| a.owner.cmp(&b.owner))
        });
        Self { rows, owners }
    }

    /// Writes the gap list as CSV under [`GAP_CSV_HEADER`].
    pub fn write_csv(&self, out: impl std::io::Write) -> csv::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        writer.write_record(GAP_CSV_HEADER)?;
        for row in &self.rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2
    } else {
        values[middle]
    })
}

fn owner_name(owner: &str) -> String {
    if owner == super::NO_OWNER {
        "no SATCAT record".to_owned()
    } else {
        satcat_owner(owner).name.to_owned()
    }
}

fn owner_kind(owner: Option<&str>) -> &'static str {
    use crate::treaty::TreatySubject;
    match owner.map(treaty_subject) {
        Some(TreatySubject::State { .. }) => "state",
        Some(TreatySubject::Organisation { .. }) => "organisation",
        Some(TreatySubject::Joint(..)) => "joint",
        Some(TreatySubject::NotApplicable) | None => "n/a",
    }
}

/// The state the register holds responsible for an object it has not registered, where it
/// names one (else the owner's treaty subject stands in).
fn responsible_state(object: &SpaceObject) -> Option<String> {
    let Registration::NotRegistered {
        state: Some(state),
        source,
    } = &object.registration
    else {
        return None;
    };
    Some(match source {
        RegistrationSource::Gcat => gcat_state_name(state).to_owned(),
        RegistrationSource::Unoosa => state.clone(),
    })
}
