//! A screening in the catalog's words: each event with both objects' identity, owner and UN
//! registration; the CSV the command line and the window write; counts per day by regime and
//! by owner pair.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::{Dropout, Screening, ScreeningRequest};
use crate::catalog::SpaceObject;
use crate::filter::{OrbitShape, RegistrationStatus};

/// The exact CSV header of `orbitscope conjunctions`.
pub const CSV_HEADER: [&str; 14] = [
    "norad_a",
    "norad_b",
    "tca_utc",
    "miss_km",
    "speed_kms",
    "radial_km",
    "intrack_km",
    "crosstrack_km",
    "name_a",
    "name_b",
    "owner_a",
    "owner_b",
    "registration_a",
    "registration_b",
];

/// One object of a conjunction.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Side {
    /// Index in the catalog.
    #[serde(skip)]
    pub index: usize,
    pub norad_id: u64,
    pub name: String,
    /// SATCAT owner code; empty without a SATCAT row.
    pub owner: String,
    pub registration: &'static str,
    pub regime: &'static str,
}

impl Side {
    pub fn of(index: usize, object: &SpaceObject) -> Self {
        Self {
            index,
            norad_id: u64::from(object.norad_id),
            name: object.name.clone(),
            owner: object.owner_code().unwrap_or_default().to_owned(),
            registration: RegistrationStatus::of(&object.registration).key(),
            regime: OrbitShape::from_elements(&object.elements).regime().label(),
        }
    }
}

/// One close approach: `a` has the lower NORAD number; the miss is `b − a` in `a`'s frame.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Conjunction {
    pub a: Side,
    pub b: Side,
    pub tca: DateTime<Utc>,
    pub miss_km: f64,
    pub speed_km_s: f64,
    pub radial_km: f64,
    pub in_track_km: f64,
    pub cross_track_km: f64,
    /// The pair stays within the threshold between this minimum and a neighbouring one.
    pub persistent: bool,
    /// Where `a` is at the TCA (TEME, km).
    #[serde(skip)]
    pub position_teme_km: [f64; 3],
}

impl Conjunction {
    pub fn tca_text(&self) -> String {
        self.tca.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// The CSV row, in [`CSV_HEADER`]'s order.
    pub fn csv_record(&self) -> [String; 14] {
        [
            self.a.norad_id.to_string(),
            self.b.norad_id.to_string(),
            self.tca_text(),
            format!("{:.4}", self.miss_km),
            format!("{:.4}", self.speed_km_s),
            format!("{:.4}", self.radial_km),
            format!("{:.4}", self.in_track_km),
            format!("{:.4}", self.cross_track_km),
            self.a.name.clone(),
            self.b.name.clone(),
            self.a.owner.clone(),
            self.b.owner.clone(),
            self.a.registration.to_owned(),
            self.b.registration.to_owned(),
        ]
    }
}

/// The orders the events are listed in (the command line's `--sort` and the window's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EventOrder {
    /// Earliest TCA first (ties by NORAD numbers).
    #[default]
    Tca,
    /// Smallest miss first.
    Miss,
    /// Fastest first.
    Speed,
}

impl EventOrder {
    pub fn compare(self, a: &Conjunction, b: &Conjunction) -> std::cmp::Ordering {
        match self {
            Self::Tca => a
                .tca
                .cmp(&b.tca)
                .then((a.a.norad_id, a.b.norad_id).cmp(&(b.a.norad_id, b.b.norad_id))),
            Self::Miss => a.miss_km.total_cmp(&b.miss_km),
            Self::Speed => b.speed_km_s.total_cmp(&a.speed_km_s),
        }
    }
}

/// The events as CSV with [`CSV_HEADER`] (what `conjunctions --format csv` prints and the
/// window exports).
pub fn csv_bytes(events: &[Conjunction]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for event in events {
        writer.write_record(event.csv_record())?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

/// A screening with every slot turned back into catalog objects.
#[derive(Debug, Clone, Default)]
pub struct ScreeningReport {
    pub conjunctions: Vec<Conjunction>,
    /// Objects SGP4 could not propagate over the span: catalog index, when (UTC) and why.
    pub dropouts: Vec<(usize, DateTime<Utc>, String)>,
    pub persistent_pairs: usize,
    pub participants: usize,
    pub primaries: usize,
}

impl ScreeningReport {
    /// `slots[k]` is the catalog index of participant `k`, in increasing NORAD order (so that
    /// the first object of each approach is the one with the lower number, whose frame the
    /// miss components are in).
    pub fn new(
        screening: &Screening,
        request: &ScreeningRequest,
        objects: &[SpaceObject],
        slots: &[usize],
        primaries: usize,
    ) -> Self {
        let conjunctions = screening
            .approaches
            .iter()
            .zip(&screening.persistent)
            .map(|(approach, &persistent)| {
                let a = slots[approach.first as usize];
                let b = slots[approach.second as usize];
                Conjunction {
                    a: Side::of(a, &objects[a]),
                    b: Side::of(b, &objects[b]),
                    tca: request.instant_at(approach.time_s).to_utc(),
                    miss_km: approach.miss_km,
                    speed_km_s: approach.speed_km_s,
                    radial_km: approach.radial_km,
                    in_track_km: approach.in_track_km,
                    cross_track_km: approach.cross_track_km,
                    persistent,
                    position_teme_km: approach.first_position_km,
                }
            })
            .collect();
        let dropouts = screening
            .dropouts
            .iter()
            .map(
                |&Dropout {
                     slot,
                     time_s,
                     failure,
                 }| {
                    (
                        slots[slot as usize],
                        request.instant_at(time_s).to_utc(),
                        failure.to_string(),
                    )
                },
            )
            .collect();
        Self {
            conjunctions,
            dropouts,
            persistent_pairs: screening.persistent_pairs,
            participants: slots.len(),
            primaries,
        }
    }

    /// Events per UTC day, by the pair's regimes ("LEO", or "LEO–HEO" for a mixed pair).
    pub fn per_day_by_regime(&self) -> BTreeMap<String, BTreeMap<String, usize>> {
        let mut table: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for conjunction in &self.conjunctions {
            let day = conjunction.tca.format("%Y-%m-%d").to_string();
            *table
                .entry(day)
                .or_default()
                .entry(pair_label(conjunction.a.regime, conjunction.b.regime))
                .or_default() += 1;
        }
        table
    }

    /// Events by owner pair (owners in alphabetical order; "?" for no SATCAT owner), most first.
    pub fn by_owner_pair(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for conjunction in &self.conjunctions {
            let owner = |side: &Side| {
                if side.owner.is_empty() {
                    "?".to_owned()
                } else {
                    side.owner.clone()
                }
            };
            *counts
                .entry(pair_label(&owner(&conjunction.a), &owner(&conjunction.b)))
                .or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }
}

/// Against what the primary objects are screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Against {
    /// Every object of the loaded catalog.
    #[default]
    All,
    /// Only the other primaries.
    Primaries,
}

/// Which catalog rows take part (in NORAD order, so that each approach's first object has the
/// lower number) and which of them are primary.
pub fn participants(
    objects: &[SpaceObject],
    primary_of: impl Fn(usize) -> bool,
    against: Against,
) -> (Vec<usize>, Vec<bool>) {
    let mut slots: Vec<usize> = (0..objects.len())
        .filter(|&index| against == Against::All || primary_of(index))
        .collect();
    slots.sort_by_key(|&index| objects[index].norad_id);
    let primary = slots.iter().map(|&index| primary_of(index)).collect();
    (slots, primary)
}

fn pair_label(a: &str, b: &str) -> String {
    if a == b {
        a.to_owned()
    } else if a < b {
        format!("{a}–{b}")
    } else {
        format!("{b}–{a}")
    }
}
