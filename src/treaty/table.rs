//! The compiled-in parties table: one row per (state or organisation, treaty).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;

use super::{Standing, Treaty, TreatySubject};

/// The date the table's status is given at (UNOOSA's status document as at 1 January 2026).
pub const PARTIES_AS_OF: &str = "2026-01-01";

const PARTIES_CSV: &str = include_str!("../../assets/treaties/space_treaty_parties.csv");

#[derive(Debug, Deserialize)]
struct Row {
    state: String,
    iso3: String,
    treaty: String,
    status: String,
    date_deposit: String,
}

/// One entry of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    kind: EntryKind,
    deposited: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Party,
    Signatory,
    DeclaredAcceptance,
}

/// The parties table, keyed by ISO 3166 alpha-3 code (states) or full name (organisations).
#[derive(Debug, Default)]
pub struct PartiesTable {
    /// Per subject, one slot per treaty (indexed by `Treaty as usize`).
    entries: HashMap<String, [Option<Entry>; 4]>,
    names: HashMap<String, String>,
    /// Rows that could not be read (the compiled-in table has none; a test checks).
    pub unreadable_rows: Vec<String>,
}

impl PartiesTable {
    /// Parses a table in the `state,iso3,treaty,status,date_deposit,source` layout.
    pub fn parse(text: &str) -> Self {
        let mut table = Self::default();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for (index, row) in reader.deserialize::<Row>().enumerate() {
            let line = index + 2;
            let row = match row {
                Ok(row) => row,
                Err(error) => {
                    table.unreadable_rows.push(format!("line {line}: {error}"));
                    continue;
                }
            };
            let treaty = Treaty::from_key(&row.treaty);
            let kind = match row.status.as_str() {
                "party" => Some(EntryKind::Party),
                "signatory" => Some(EntryKind::Signatory),
                "declared_acceptance" => Some(EntryKind::DeclaredAcceptance),
                _ => None,
            };
            let deposited = match row.date_deposit.trim() {
                "" => Ok(None),
                text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some),
            };
            let (Some(treaty), Some(kind), Ok(deposited)) = (treaty, kind, deposited) else {
                table.unreadable_rows.push(format!(
                    "line {line}: treaty {:?}, status {:?}, date {:?} not understood",
                    row.treaty, row.status, row.date_deposit
                ));
                continue;
            };
            let key = if row.iso3.is_empty() {
                row.state.clone()
            } else {
                row.iso3.clone()
            };
            table.names.insert(key.clone(), row.state);
            table.entries.entry(key).or_default()[treaty as usize] =
                Some(Entry { kind, deposited });
        }
        table
    }

    /// The standing of one subject (never a joint one: see [`super::owner_standing`]).
    pub fn standing(&self, subject: TreatySubject, treaty: Treaty) -> Standing {
        let (key, organisation) = match subject {
            TreatySubject::State { iso3 } => (iso3, false),
            TreatySubject::Organisation { name } => (name, true),
            TreatySubject::Joint(..) | TreatySubject::NotApplicable => {
                return Standing::NotApplicable;
            }
        };
        match self
            .entries
            .get(key)
            .and_then(|slots| slots[treaty as usize].as_ref())
        {
            Some(Entry {
                kind: EntryKind::Party,
                deposited,
            }) => Standing::Party { since: *deposited },
            Some(Entry {
                kind: EntryKind::DeclaredAcceptance,
                deposited,
            }) => Standing::DeclaredAcceptance { since: *deposited },
            Some(Entry {
                kind: EntryKind::Signatory,
                ..
            }) => Standing::Signatory,
            None if organisation => Standing::NoDeclaration,
            None => Standing::NotParty,
        }
    }

    /// The UN name of a state (by ISO code) or organisation, where the table lists it.
    pub fn name_of(&self, key: &str) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }

    /// How many entries the table has for `treaty` (all kinds).
    pub fn entries_for(&self, treaty: Treaty) -> usize {
        self.entries
            .values()
            .filter(|slots| slots[treaty as usize].is_some())
            .count()
    }
}

/// The compiled-in table, parsed once.
pub fn parties() -> &'static PartiesTable {
    static TABLE: OnceLock<PartiesTable> = OnceLock::new();
    TABLE.get_or_init(|| PartiesTable::parse(PARTIES_CSV))
}
