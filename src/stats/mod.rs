//! Statistics of the (filtered) catalog, one implementation behind `orbitscope stats` and the
//! window's statistics and gap panels: counts by a grouping ([`group_counts`]), the
//! registration gap ([`gap`]) and the series the plots draw ([`charts`]). Pure: no Bevy.

pub mod charts;
pub mod coverage;
pub mod gap;
pub mod history;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::catalog::owners::{gcat_state_name, satcat_owner};
use crate::catalog::{ObjectType, Registration, RegistrationSource, SpaceObject};
use crate::filter::{OrbitShape, Regime, RegistrationStatus};
use crate::orbit::Instant;
use crate::treaty::{AtLaunch, OwnerStanding, Treaty, owner_standing};

/// How to group objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// SATCAT owner/source code (`US`, `PRC`, `CIS`, ...); `-` where there is no SATCAT row.
    Owner,
    /// `registered`, `not_registered`, `no_registration_data`.
    Registration,
    /// `payload`, `rocket_body`, `debris`, `unknown`.
    Type,
    /// `leo`, `meo`, `geo`, `heo`, `other`.
    Regime,
    /// The state the registration data names: the state of registry, or for an object that
    /// is not registered the state the source holds responsible; `-` where none is named.
    StateOfRegistry,
    /// Launch year from the SATCAT; `-` where unknown.
    LaunchYear,
    /// Mean altitude in [`ALTITUDE_BAND_KM`] bands (`500-550`).
    AltitudeBand,
}

/// The group used for objects without a SATCAT row when grouping by owner (and for any other
/// grouping whose value is unknown).
pub const NO_OWNER: &str = "-";

/// Width of an altitude band (km).
pub const ALTITUDE_BAND_KM: f64 = 50.0;

/// Mean altitude of an orbit: semi-major axis less the Earth's equatorial radius (km). For
/// the near-circular orbits that crowd low orbit this is the height the object flies at.
pub fn mean_altitude_km(object: &SpaceObject) -> f64 {
    let shape = OrbitShape::from_elements(&object.elements);
    0.5 * (shape.perigee_km + shape.apogee_km)
}

/// The altitude band (index of its lower edge in bands) of an object; `None` for a decayed or
/// invalid orbit (negative or non-finite mean altitude).
pub fn altitude_band(object: &SpaceObject) -> Option<u32> {
    let altitude = mean_altitude_km(object);
    (altitude.is_finite() && altitude >= 0.0).then(|| (altitude / ALTITUDE_BAND_KM) as u32)
}

/// One output row. Field order is the CSV column order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    /// Payloads that are registered (the registration rate's numerator).
    pub payloads_registered: usize,
    /// `payloads_registered / payloads`; `None` without payloads.
    pub payload_registration_rate: Option<f64>,
    /// Objects whose owner was bound by the Registration Convention on the launch date.
    pub reg_bound_at_launch: usize,
    /// The owner's standing towards the Outer Space Treaty (grouping by owner only).
    pub owner_ost: String,
    /// The owner's standing towards the Registration Convention (grouping by owner only).
    pub owner_reg: String,
    /// Human-readable name of the group (the owner's name, say).
    pub label: String,
}

/// The exact CSV header of `orbitscope stats --format csv`.
pub const CSV_HEADER: [&str; 15] = [
    "group",
    "objects",
    "payloads",
    "rocket_bodies",
    "debris",
    "unknown_type",
    "registered",
    "not_registered",
    "no_registration_data",
    "payloads_registered",
    "payload_registration_rate",
    "reg_bound_at_launch",
    "owner_ost",
    "owner_reg",
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

/// Counts of one group, before its names are written out.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    objects: usize,
    by_type: [usize; 4],
    by_registration: [usize; 3],
    payloads_registered: usize,
    reg_bound_at_launch: usize,
}

impl Tally {
    fn count(&mut self, object: &SpaceObject, reg_at_launch: AtLaunch) {
        self.objects += 1;
        let kind = object.object_type();
        self.by_type[type_index(kind)] += 1;
        let status = RegistrationStatus::of(&object.registration);
        self.by_registration[status as usize] += 1;
        if kind == ObjectType::Payload && status == RegistrationStatus::Registered {
            self.payloads_registered += 1;
        }
        self.reg_bound_at_launch += usize::from(reg_at_launch == AtLaunch::Yes);
    }

    fn add(&mut self, other: &Self) {
        self.objects += other.objects;
        for (sum, n) in self.by_type.iter_mut().zip(other.by_type) {
            *sum += n;
        }
        for (sum, n) in self.by_registration.iter_mut().zip(other.by_registration) {
            *sum += n;
        }
        self.payloads_registered += other.payloads_registered;
        self.reg_bound_at_launch += other.reg_bound_at_launch;
    }

    fn row(&self, group: String, label: String) -> StatsRow {
        let payloads = self.by_type[type_index(ObjectType::Payload)];
        StatsRow {
            group,
            objects: self.objects,
            payloads,
            rocket_bodies: self.by_type[type_index(ObjectType::RocketBody)],
            debris: self.by_type[type_index(ObjectType::Debris)],
            unknown_type: self.by_type[type_index(ObjectType::Unknown)],
            registered: self.by_registration[RegistrationStatus::Registered as usize],
            not_registered: self.by_registration[RegistrationStatus::NotRegistered as usize],
            no_registration_data: self.by_registration[RegistrationStatus::NoData as usize],
            payloads_registered: self.payloads_registered,
            payload_registration_rate: (payloads > 0)
                .then(|| self.payloads_registered as f64 / payloads as f64),
            reg_bound_at_launch: self.reg_bound_at_launch,
            owner_ost: String::new(),
            owner_reg: String::new(),
            label,
        }
    }
}

/// Slot of an object type in per-type counts (the order of [`charts::TYPE_ORDER`]).
fn type_index(kind: ObjectType) -> usize {
    match kind {
        ObjectType::Payload => 0,
        ObjectType::RocketBody => 1,
        ObjectType::Debris => 2,
        ObjectType::Unknown => 3,
    }
}

/// A group's key, borrowed from the object: no allocation per object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum GroupKey<'a> {
    Text(&'a str),
    StateOfRegistry(&'a str, RegistrationSource),
    Registration(RegistrationStatus),
    Type(ObjectType),
    Regime(Regime),
    /// `None` (unknown) sorts first; written last.
    Year(Option<i32>),
    Band(Option<u32>),
}

fn key_of(object: &SpaceObject, by: GroupBy) -> GroupKey<'_> {
    match by {
        GroupBy::Owner => GroupKey::Text(object.owner_code().unwrap_or(NO_OWNER)),
        GroupBy::Registration => {
            GroupKey::Registration(RegistrationStatus::of(&object.registration))
        }
        GroupBy::Type => GroupKey::Type(object.object_type()),
        GroupBy::Regime => GroupKey::Regime(OrbitShape::from_elements(&object.elements).regime()),
        GroupBy::StateOfRegistry => match &object.registration {
            Registration::Registered {
                state_of_registry,
                source,
                ..
            } => GroupKey::StateOfRegistry(state_of_registry, *source),
            Registration::NotRegistered {
                state: Some(state),
                source,
            } => GroupKey::StateOfRegistry(state, *source),
            _ => GroupKey::Text(NO_OWNER),
        },
        GroupBy::LaunchYear => GroupKey::Year(launch_date(object).map(|date| date.year())),
        GroupBy::AltitudeBand => GroupKey::Band(altitude_band(object)),
    }
}

fn names_of(key: GroupKey<'_>) -> (String, String) {
    let unknown = || (NO_OWNER.to_owned(), "unknown".to_owned());
    match key {
        GroupKey::Text(NO_OWNER) => (
            NO_OWNER.to_owned(),
            "no SATCAT record / none named".to_owned(),
        ),
        GroupKey::Text(code) => (code.to_owned(), satcat_owner(code).name.to_owned()),
        GroupKey::StateOfRegistry(state, RegistrationSource::Gcat) => {
            (state.to_owned(), gcat_state_name(state).to_owned())
        }
        GroupKey::StateOfRegistry(state, RegistrationSource::Unoosa) => {
            (state.to_owned(), state.to_owned())
        }
        GroupKey::Registration(status) => (
            status_key(status).to_owned(),
            status_label(status).to_owned(),
        ),
        GroupKey::Type(kind) => (kind.key().to_owned(), kind.label().to_owned()),
        GroupKey::Regime(regime) => (regime.key().to_owned(), regime.label().to_owned()),
        GroupKey::Year(Some(year)) => (year.to_string(), format!("launched in {year}")),
        GroupKey::Band(Some(band)) => {
            let low = f64::from(band) * ALTITUDE_BAND_KM;
            let high = low + ALTITUDE_BAND_KM;
            (
                format!("{low:.0}-{high:.0}"),
                format!("{low:.0}–{high:.0} km mean altitude"),
            )
        }
        GroupKey::Year(None) | GroupKey::Band(None) => unknown(),
    }
}

fn status_key(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "registered",
        RegistrationStatus::NotRegistered => "not_registered",
        RegistrationStatus::NoData => "no_registration_data",
    }
}

fn status_label(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Registered => "registered",
        RegistrationStatus::NotRegistered => "not registered",
        RegistrationStatus::NoData => "no data",
    }
}

/// The SATCAT launch date of an object.
pub fn launch_date(object: &SpaceObject) -> Option<NaiveDate> {
    object.satcat.as_ref().and_then(|s| s.launch_date)
}

/// Treaty standings per owner code, looked up once per owner rather than once per object.
#[derive(Debug, Default)]
pub struct StandingMemo<'a> {
    memo: HashMap<(Option<&'a str>, crate::treaty::Treaty), OwnerStanding>,
}

impl<'a> StandingMemo<'a> {
    pub fn get(&mut self, owner: Option<&'a str>, treaty: Treaty) -> OwnerStanding {
        *self
            .memo
            .entry((owner, treaty))
            .or_insert_with(|| owner_standing(owner, treaty))
    }

    /// Whether the object's owner was bound by `treaty` on its launch date.
    pub fn at_launch(&mut self, object: &'a SpaceObject, treaty: Treaty) -> AtLaunch {
        self.get(object.owner_code(), treaty)
            .at(launch_date(object))
    }
}

/// Groups and counts. Rows of ordered groupings (launch year, altitude band) come in their
/// order, unknown last; the others by object count (largest first), then by group.
pub fn group_counts<'a>(
    objects: impl IntoIterator<Item = &'a SpaceObject>,
    by: GroupBy,
) -> Vec<StatsRow> {
    let mut tallies: BTreeMap<GroupKey<'a>, Tally> = BTreeMap::new();
    let mut memo = StandingMemo::default();
    for object in objects {
        let reg_at_launch = memo.at_launch(object, Treaty::Reg);
        tallies
            .entry(key_of(object, by))
            .or_default()
            .count(object, reg_at_launch);
    }
    let ordered = matches!(by, GroupBy::LaunchYear | GroupBy::AltitudeBand);
    let mut keyed: Vec<(GroupKey<'a>, Tally)> = tallies.into_iter().collect();
    if ordered {
        // Unknown (`None`) sorts first in the map; it reads better last.
        let unknown = keyed
            .iter()
            .take_while(|(key, _)| matches!(key, GroupKey::Year(None) | GroupKey::Band(None)))
            .count();
        keyed.rotate_left(unknown);
    }
    let mut rows: Vec<StatsRow> = keyed
        .into_iter()
        .map(|(key, tally)| {
            let (group, label) = names_of(key);
            let mut row = tally.row(group, label);
            if let GroupKey::Text(code) = key
                && by == GroupBy::Owner
                && code != NO_OWNER
            {
                row.owner_ost = memo.get(Some(code), Treaty::Ost).standing.key().to_owned();
                row.owner_reg = memo.get(Some(code), Treaty::Reg).standing.key().to_owned();
            }
            row
        })
        .collect();
    if !ordered {
        rows.sort_by(|a, b| {
            b.objects
                .cmp(&a.objects)
                .then_with(|| a.group.cmp(&b.group))
        });
    }
    rows
}

/// A registration rate is ranked only over at least this many payloads (a rate of one payload
/// says little).
pub const MIN_PAYLOADS_RANKED: usize = 10;

/// Rows with at least [`MIN_PAYLOADS_RANKED`] payloads, highest payload registration rate
/// first (ties: more payloads first). "Which states register most of their payloads?"
pub fn ranked_by_rate<'a>(rows: impl IntoIterator<Item = &'a StatsRow>) -> Vec<&'a StatsRow> {
    let mut ranked: Vec<&StatsRow> = rows
        .into_iter()
        .filter(|row| row.payloads >= MIN_PAYLOADS_RANKED)
        .collect();
    let rate = |row: &StatsRow| row.payload_registration_rate.unwrap_or(0.0);
    ranked.sort_by(|a, b| {
        rate(b)
            .total_cmp(&rate(a))
            .then(b.payloads.cmp(&a.payloads))
            .then_with(|| a.group.cmp(&b.group))
    });
    ranked
}

/// The sum of all rows.
pub fn total(rows: &[StatsRow]) -> StatsRow {
    let mut sum = Tally::default();
    for row in rows {
        sum.add(&Tally {
            objects: row.objects,
            by_type: [
                row.payloads,
                row.rocket_bodies,
                row.debris,
                row.unknown_type,
            ],
            by_registration: [row.registered, row.not_registered, row.no_registration_data],
            payloads_registered: row.payloads_registered,
            reg_bound_at_launch: row.reg_bound_at_launch,
        });
    }
    sum.row("total".to_owned(), "all objects".to_owned())
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
