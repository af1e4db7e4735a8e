//! Counts by owner, registration status or object type: shared by `orbitscope stats` and the
//! app's statistics panel.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::owners::satcat_owner;
use crate::catalog::{ObjectType, Registration, SpaceObject};
use crate::orbit::Instant;

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
pub const CSV_HEADER: [&str; 10] = [
    "group",
    "objects",
    "payloads",
    "rocket_bodies",
    "debris",
    "unknown_type",
    "registered",
    "not_registered",
    "no_registration_data",
    "label",
];

/// Writes rows as CSV under [`CSV_HEADER`], quoted and escaped by the csv crate (owner codes
/// and labels come from data files and may hold commas, quotes or line breaks).
pub fn write_csv(out: impl std::io::Write, rows: &[StatsRow]) -> csv::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for row in rows {
        writer.serialize(row)?;
    }
    writer.flush()?;
    Ok(())
}

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

/// When the element sets were fitted: how far positions are from their epochs matters,
/// since SGP4 errors grow by kilometres a day away from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochSummary {
    pub oldest: Instant,
    pub median: Instant,
    pub newest: Instant,
}

impl EpochSummary {
    /// `None` for an empty catalog.
    pub fn of(objects: &[SpaceObject]) -> Option<Self> {
        let mut epochs: Vec<Instant> = objects
            .iter()
            .map(|object| Instant::from_naive_utc(&object.elements.datetime))
            .collect();
        epochs.sort_unstable();
        Some(Self {
            oldest: *epochs.first()?,
            median: epochs[epochs.len() / 2],
            newest: *epochs.last()?,
        })
    }
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

#[cfg(test)]
mod csv_tests {
    use super::*;

    /// Owner codes and labels come from data files: a quote, comma or line break in one must
    /// not break the row (it did when rows were joined by hand).
    #[test]
    fn csv_rows_round_trip_whatever_the_text() {
        let rows = vec![
            StatsRow {
                group: "A\"B\nC".into(),
                objects: 3,
                registered: 1,
                label: "Acme, \"the\" company".into(),
                ..StatsRow::default()
            },
            StatsRow {
                group: "US".into(),
                objects: 1,
                label: "United States".into(),
                ..StatsRow::default()
            },
        ];
        let mut out = Vec::new();
        write_csv(&mut out, &rows).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        assert_eq!(reader.headers().unwrap(), &CSV_HEADER[..]);
        let back: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(back.len(), 2);
        assert_eq!(&back[0][0], "A\"B\nC");
        assert_eq!(&back[0][1], "3");
        assert_eq!(&back[0][6], "1");
        assert_eq!(&back[0][9], "Acme, \"the\" company");
        assert_eq!(&back[1][9], "United States");
    }
}
