//! Counts by owner, registration status or object type: shared by `orbitscope stats` and the
//! app's statistics panel.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::owners::satcat_owner;
use crate::catalog::{ObjectType, Registration, SpaceObject};

/// How to group objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// SATCAT owner/source code (`US`, `PRC`, `CIS`, ...); `-` where there is no SATCAT row.
    Owner,
    /// `registered`, `not_registered`, `no_registration_data`.
    Registration,
    /// `payload`, `rocket_body`, `debris`, `unknown`.
    Type,
}

/// The group used for objects without a SATCAT row when grouping by owner.
pub const NO_OWNER: &str = "-";

/// One output row. Field order is the CSV column order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatsRow {
    pub group: String,
    pub objects: usize,
    pub payloads: usize,
    pub rocket_bodies: usize,
    pub debris: usize,
    pub unknown_type: usize,
    pub registered: usize,
    pub not_registered: usize,
    pub no_registration_data: usize,
    /// Human-readable name of the group (the owner's name, say).
    pub label: String,
}

/// The exact CSV header of `orbitscope stats --format csv`.
pub const CSV_HEADER: &str = "group,objects,payloads,rocket_bodies,debris,unknown_type,registered,not_registered,no_registration_data,label";

impl StatsRow {
    fn count(&mut self, object: &SpaceObject) {
        self.objects += 1;
        match object.object_type() {
            ObjectType::Payload => self.payloads += 1,
            ObjectType::RocketBody => self.rocket_bodies += 1,
            ObjectType::Debris => self.debris += 1,
            ObjectType::Unknown => self.unknown_type += 1,
        }
        match object.registration {
            Registration::Registered { .. } => self.registered += 1,
            Registration::NotRegistered { .. } => self.not_registered += 1,
            Registration::NoData => self.no_registration_data += 1,
        }
    }

    /// The row as a CSV line (label quoted when it needs to be).
    pub fn to_csv(&self) -> String {
        let label = if self.label.contains([',', '"', '\n']) {
            format!("\"{}\"", self.label.replace('"', "\"\""))
        } else {
            self.label.clone()
        };
        format!(
            "{},{},{},{},{},{},{},{},{},{label}",
            self.group,
            self.objects,
            self.payloads,
            self.rocket_bodies,
            self.debris,
            self.unknown_type,
            self.registered,
            self.not_registered,
            self.no_registration_data,
        )
    }
}

fn group_of(object: &SpaceObject, by: GroupBy) -> (String, String) {
    match by {
        GroupBy::Owner => match object.owner_code() {
            Some(code) => (code.to_owned(), satcat_owner(code).name.to_owned()),
            None => (NO_OWNER.to_owned(), "no SATCAT record".to_owned()),
        },
        GroupBy::Registration => (
            object.registration.key().to_owned(),
            object.registration.label().to_owned(),
        ),
        GroupBy::Type => {
            let kind = object.object_type();
            (kind.key().to_owned(), kind.label().to_owned())
        }
    }
}

/// Groups and counts; rows sorted by object count (largest first), then by group.
pub fn group_counts<'a>(
    objects: impl IntoIterator<Item = &'a SpaceObject>,
    by: GroupBy,
) -> Vec<StatsRow> {
    let mut rows: BTreeMap<String, StatsRow> = BTreeMap::new();
    for object in objects {
        let (group, label) = group_of(object, by);
        rows.entry(group.clone())
            .or_insert_with(|| StatsRow {
                group,
                label,
                ..StatsRow::default()
            })
            .count(object);
    }
    let mut rows: Vec<StatsRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        b.objects
            .cmp(&a.objects)
            .then_with(|| a.group.cmp(&b.group))
    });
    rows
}

/// The sum of all rows.
pub fn total(rows: &[StatsRow]) -> StatsRow {
    rows.iter().fold(
        StatsRow {
            group: "total".to_owned(),
            label: "all objects".to_owned(),
            ..StatsRow::default()
        },
        |mut sum, row| {
            sum.objects += row.objects;
            sum.payloads += row.payloads;
            sum.rocket_bodies += row.rocket_bodies;
            sum.debris += row.debris;
            sum.unknown_type += row.unknown_type;
            sum.registered += row.registered;
            sum.not_registered += row.not_registered;
            sum.no_registration_data += row.no_registration_data;
            sum
        },
    )
}
