//! Congestion over time: how many catalogued objects were in orbit on each date since
//! Sputnik, split by object type or owner, from SATCAT launch and decay dates alone.
//!
//! **Dating.** SATCAT gives a debris piece its parent's launch date (every Fengyun-1C fragment
//! says 1999-05-10), so counting by launch date puts thousands of objects in orbit years before
//! anyone had catalogued them. Catalog numbers are assigned in cataloguing order, so an object
//! numbered n entered the catalog no earlier than the launch of any lower-numbered object: its
//! date here is the later of its own launch date and the latest launch date among lower
//! numbers. That is a lower bound: it is exact for objects catalogued at launch, and for a
//! fragment it is the last launch before it was numbered, which can precede the real
//! cataloguing by up to the gap between launches (days, rarely weeks). Objects without a
//! launch date are left out and counted.
//!
//! An object counts on date d when it entered the catalog on or before d and had not decayed
//! before d.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::catalog::satcat::SatcatRecord;
use crate::catalog::{NoradId, ObjectType};

/// The first day counted: Sputnik's launch.
pub fn space_age_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(1957, 10, 4).unwrap_or_default()
}

/// How the in-orbit count is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryBy {
    Type,
    Owner,
}

/// The spacing of the dates counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Year,
    Month,
}

impl Step {
    /// The first day of every step from the one holding 1957-10-04 to the one holding `until`.
    pub fn dates(self, until: NaiveDate) -> Vec<NaiveDate> {
        let start = space_age_start();
        let mut dates = Vec::new();
        let (mut year, mut month) = match self {
            Self::Year => (start.year(), 1),
            Self::Month => (start.year(), start.month()),
        };
        while let Some(date) = NaiveDate::from_ymd_opt(year, month, 1) {
            if date > until {
                break;
            }
            dates.push(date);
            match self {
                Self::Year => year += 1,
                Self::Month if month == 12 => (year, month) = (year + 1, 1),
                Self::Month => month += 1,
            }
        }
        dates
    }
}

/// What history needs of one SATCAT row.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub norad_id: NoradId,
    pub launch: Option<NaiveDate>,
    pub decay: Option<NaiveDate>,
    pub object_type: ObjectType,
    pub owner: String,
    /// The launch part of the COSPAR id (`1999-025`): a fragment's parent launch.
    pub launch_id: Option<String>,
    pub name: String,
}

impl HistoryEntry {
    pub fn of(row: &SatcatRecord) -> Self {
        Self {
            norad_id: row.norad_id,
            launch: row.launch_date,
            decay: row.decay_date,
            object_type: row.object_type,
            owner: row.owner_code.clone(),
            launch_id: row
                .cospar_id
                .as_deref()
                .and_then(|id| id.get(..8))
                .map(str::to_owned),
            name: row.name.clone(),
        }
    }
}

/// When each entry entered the catalog (see the module docs), index for index; `None` without
/// a launch date.
pub fn catalogued_on(entries: &[HistoryEntry]) -> Vec<Option<NaiveDate>> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&index| entries[index].norad_id);
    let mut dates = vec![None; entries.len()];
    let mut latest: Option<NaiveDate> = None;
    for index in order {
        let Some(launch) = entries[index].launch else {
            continue;
        };
        let date = latest.map_or(launch, |latest| latest.max(launch));
        dates[index] = Some(date);
        latest = Some(date);
    }
    dates
}

/// In-orbit counts per date and group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub dates: Vec<NaiveDate>,
    /// Groups, largest (at the last date) first.
    pub groups: Vec<String>,
    /// `counts[group][date]`.
    pub counts: Vec<Vec<u32>>,
    /// Rows left out for want of a launch date.
    pub undated: usize,
}

/// One row of the long-form CSV: `date,group,in_orbit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    pub date: NaiveDate,
    pub group: String,
    pub in_orbit: u32,
}

fn group_of(entry: &HistoryEntry, by: HistoryBy) -> String {
    match by {
        HistoryBy::Type => entry.object_type.key().to_owned(),
        HistoryBy::Owner => entry.owner.clone(),
    }
}

impl History {
    /// Counts up to `until`, or to the newest launch in `entries` if that is earlier: a
    /// SATCAT knows nothing after it was taken, and counting on would draw a false plateau.
    pub fn compute(entries: &[HistoryEntry], by: HistoryBy, step: Step, until: NaiveDate) -> Self {
        let newest = entries.iter().filter_map(|entry| entry.launch).max();
        let dates = step.dates(newest.map_or(until, |newest| until.min(newest)));
        let catalogued = catalogued_on(entries);
        let mut deltas: HashMap<String, Vec<i64>> = HashMap::new();
        let mut undated = 0;
        for (entry, entered) in entries.iter().zip(&catalogued) {
            let Some(entered) = entered else {
                undated += 1;
                continue;
            };
            // Counted from the first date on or after it entered, up to the last date on or
            // before its decay.
            let first = dates.partition_point(|date| date < entered);
            let end = entry.decay.map_or(dates.len(), |decay| {
                dates.partition_point(|date| *date <= decay)
            });
            if first >= end {
                continue;
            }
            let delta = deltas
                .entry(group_of(entry, by))
                .or_insert_with(|| vec![0; dates.len() + 1]);
            delta[first] += 1;
            delta[end] -= 1;
        }
        let mut series: Vec<(String, Vec<u32>)> = deltas
            .into_iter()
            .map(|(group, delta)| {
                let mut running = 0_i64;
                let counts = delta[..dates.len()]
                    .iter()
                    .map(|change| {
                        running += change;
                        u32::try_from(running).unwrap_or(0)
                    })
                    .collect();
                (group, counts)
            })
            .collect();
        series.sort_by(|(a_name, a), (b_name, b)| {
            (b.last(), b.iter().max())
                .cmp(&(a.last(), a.iter().max()))
                .then_with(|| a_name.cmp(b_name))
        });
        let (groups, counts) = series.into_iter().unzip();
        Self {
            dates,
            groups,
            counts,
            undated,
        }
    }

    /// Long form: one row per date and group, dates in order, groups largest first.
    pub fn rows(&self) -> Vec<HistoryRow> {
        let mut rows = Vec::with_capacity(self.dates.len() * self.groups.len());
        for (index, date) in self.dates.iter().enumerate() {
            for (group, counts) in self.groups.iter().zip(&self.counts) {
                rows.push(HistoryRow {
                    date: *date,
                    group: group.clone(),
                    in_orbit: counts[index],
                });
            }
        }
        rows
    }

    /// The total in orbit per date.
    pub fn totals(&self) -> Vec<u32> {
        (0..self.dates.len())
            .map(|index| self.counts.iter().map(|counts| counts[index]).sum())
            .collect()
    }

    /// The first `keep` groups, the rest summed as "other" (for a readable chart).
    pub fn top(&self, keep: usize) -> Self {
        if self.groups.len() <= keep + 1 {
            return self.clone();
        }
        let mut other = vec![0; self.dates.len()];
        for counts in &self.counts[keep..] {
            for (sum, count) in other.iter_mut().zip(counts) {
                *sum += count;
            }
        }
        let mut groups = self.groups[..keep].to_vec();
        groups.push("other".to_owned());
        let mut counts = self.counts[..keep].to_vec();
        counts.push(other);
        Self {
            dates: self.dates.clone(),
            groups,
            counts,
            undated: self.undated,
        }
    }
}

/// A debris-producing event, found from the data: the launch whose fragments were
/// catalogued in the largest numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DebrisEvent {
    /// The first day of the month in which most of its fragments entered the catalog.
    pub month: NaiveDate,
    /// The parent launch (`1999-025`).
    pub launch_id: String,
    /// The fragments' name without `DEB` (`FENGYUN 1C`).
    pub parent: String,
    /// Fragments catalogued in all.
    pub fragments: usize,
}

/// The `count` launches with the most catalogued debris, largest first.
pub fn debris_events(entries: &[HistoryEntry], count: usize) -> Vec<DebrisEvent> {
    let catalogued = catalogued_on(entries);
    struct Parent<'a> {
        months: BTreeMap<NaiveDate, usize>,
        names: HashMap<&'a str, usize>,
        fragments: usize,
    }
    let mut parents: HashMap<&str, Parent> = HashMap::new();
    for (entry, entered) in entries.iter().zip(&catalogued) {
        let (Some(entered), Some(launch_id)) = (entered, &entry.launch_id) else {
            continue;
        };
        if entry.object_type != ObjectType::Debris {
            continue;
        }
        let parent = parents.entry(launch_id).or_insert_with(|| Parent {
            months: BTreeMap::new(),
            names: HashMap::new(),
            fragments: 0,
        });
        parent.fragments += 1;
        let month = entered.with_day(1).unwrap_or(*entered);
        *parent.months.entry(month).or_default() += 1;
        let stem = entry
            .name
            .split(" DEB")
            .next()
            .unwrap_or(&entry.name)
            .trim();
        *parent.names.entry(stem).or_default() += 1;
    }
    let mut events: Vec<DebrisEvent> = parents
        .into_iter()
        .filter_map(|(launch_id, parent)| {
            let (month, _) = parent
                .months
                .iter()
                .max_by_key(|(month, pieces)| (**pieces, std::cmp::Reverse(**month)))?;
            let (name, _) = parent
                .names
                .iter()
                .max_by_key(|(name, uses)| (**uses, std::cmp::Reverse(**name)))?;
            Some(DebrisEvent {
                month: *month,
                launch_id: launch_id.to_owned(),
                parent: (*name).to_owned(),
                fragments: parent.fragments,
            })
        })
        .collect();
    events.sort_by(|a, b| {
        b.fragments
            .cmp(&a.fragments)
            .then_with(|| a.launch_id.cmp(&b.launch_id))
    });
    events.truncate(count);
    events
}

#[cfg(test)]
mod tests;
