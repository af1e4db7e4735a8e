//! The series the statistics window plots, all from one pass over the filtered catalog:
//! objects per owner split by registration status, registration rates, altitude histogram by
//! object type, inclination against altitude as a 2-D density, launches per year by
//! registration status, and the registration gap. Computed when the filter or the catalog
//! changes, never per frame.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::gap::RegistrationGap;
use super::history::{DebrisEvent, History, HistoryBy, HistoryEntry, Step, debris_events};
use super::{ALTITUDE_BAND_KM, GroupBy, StatsRow, group_counts, launch_date, mean_altitude_km};
use crate::catalog::register_check::RegisterSummary;
use crate::catalog::{Catalog, ObjectType, SpaceObject};
use crate::filter::RegistrationStatus;

/// Altitude bins cover mean altitudes up to this (km); higher orbits go in the last bin.
pub const HISTOGRAM_CEILING_KM: f64 = 50_000.0;

/// A 2-D count grid over (mean altitude, inclination).
#[derive(Debug, Clone, PartialEq)]
pub struct DensityGrid {
    pub altitude_step_km: f64,
    pub inclination_step_deg: f64,
    /// Columns (altitude bins) per row.
    pub columns: usize,
    /// Rows (inclination bins) from 0° up.
    pub rows: usize,
    /// Row by row from inclination 0°; `counts[row * columns + column]`.
    pub counts: Vec<u32>,
    /// Objects above the grid's altitude range (not in `counts`).
    pub above: usize,
}

impl DensityGrid {
    fn new(ceiling_km: f64, altitude_step_km: f64, inclination_step_deg: f64) -> Self {
        let columns = (ceiling_km / altitude_step_km).ceil() as usize;
        let rows = (180.0 / inclination_step_deg).ceil() as usize;
        Self {
            altitude_step_km,
            inclination_step_deg,
            columns,
            rows,
            counts: vec![0; columns * rows],
            above: 0,
        }
    }

    fn add(&mut self, altitude_km: f64, inclination_deg: f64) {
        if !(altitude_km.is_finite() && inclination_deg.is_finite()) || altitude_km < 0.0 {
            return;
        }
        let column = (altitude_km / self.altitude_step_km) as usize;
        if column >= self.columns {
            self.above += 1;
            return;
        }
        let row = ((inclination_deg / self.inclination_step_deg) as usize).min(self.rows - 1);
        self.counts[row * self.columns + column] += 1;
    }

    /// Count in the cell holding (altitude, inclination).
    pub fn at(&self, altitude_km: f64, inclination_deg: f64) -> u32 {
        let column = (altitude_km / self.altitude_step_km) as usize;
        let row = (inclination_deg / self.inclination_step_deg) as usize;
        if column >= self.columns || row >= self.rows {
            return 0;
        }
        self.counts[row * self.columns + column]
    }
}

/// Everything the statistics window shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Charts {
    pub objects: usize,
    /// By owner, largest first (the bars show the first few).
    pub owners: Vec<StatsRow>,
    /// By state of registry (or responsible state), largest first.
    pub states_of_registry: Vec<StatsRow>,
    /// Per [`ALTITUDE_BAND_KM`] bin from 0 km: counts per object type (payload, rocket body,
    /// debris, unknown), up to [`HISTOGRAM_CEILING_KM`].
    pub altitude_bins: Vec<[u32; 4]>,
    /// Objects whose mean altitude could not be placed (a decayed or invalid orbit).
    pub altitude_unplaced: usize,
    /// Low orbit in detail: 0–2 000 km by 25 km × 2°.
    pub density_leo: DensityGrid,
    /// All orbits: 0–45 000 km by 500 km × 2°.
    pub density_all: DensityGrid,
    /// Launch year → count per registration status (registered, not registered, no data).
    pub launches: BTreeMap<i32, [u32; 3]>,
    pub launch_date_unknown: usize,
    pub gap: RegistrationGap,
    /// The UN register's questions; filled by [`Charts::with_register`], which needs the
    /// whole catalog.
    pub register: RegisterSummary,
    /// Objects in orbit per year since 1957 from every SATCAT row (whatever the filter);
    /// filled by [`Charts::with_register`].
    pub congestion: Congestion,
}

/// The congestion-over-time chart's series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Congestion {
    pub by_type: History,
    /// The eight largest owners, the rest as "other".
    pub by_owner: History,
    pub events: Vec<DebrisEvent>,
    /// SATCAT rows counted from.
    pub rows: usize,
}

impl Congestion {
    pub fn of(rows: &[crate::catalog::satcat::SatcatRecord], until: NaiveDate) -> Self {
        let entries: Vec<HistoryEntry> = rows.iter().map(HistoryEntry::of).collect();
        Self {
            by_type: History::compute(&entries, HistoryBy::Type, Step::Year, until),
            by_owner: History::compute(&entries, HistoryBy::Owner, Step::Year, until).top(8),
            events: debris_events(&entries, 6),
            rows: rows.len(),
        }
    }
}

impl Charts {
    /// From the objects that pass the filter; `as_of` is the reference date for the gap list.
    pub fn of(objects: &[SpaceObject], mask: Option<&[bool]>, as_of: NaiveDate) -> Self {
        let shown = || {
            objects
                .iter()
                .enumerate()
                .filter(move |(index, _)| mask.is_none_or(|mask| mask[*index]))
                .map(|(_, object)| object)
        };
        let bins = (HISTOGRAM_CEILING_KM / ALTITUDE_BAND_KM) as usize;
        let mut charts = Self {
            objects: 0,
            owners: group_counts(shown(), GroupBy::Owner),
            states_of_registry: group_counts(shown(), GroupBy::StateOfRegistry),
            altitude_bins: vec![[0; 4]; bins],
            altitude_unplaced: 0,
            density_leo: DensityGrid::new(2000.0, 25.0, 2.0),
            density_all: DensityGrid::new(45_000.0, 500.0, 2.0),
            launches: BTreeMap::new(),
            launch_date_unknown: 0,
            gap: RegistrationGap::of(shown(), as_of),
            register: RegisterSummary::default(),
            congestion: Congestion::default(),
        };
        for object in shown() {
            charts.objects += 1;
            let altitude = mean_altitude_km(object);
            let inclination = object.elements.inclination;
            if altitude.is_finite() && altitude >= 0.0 {
                let bin = ((altitude / ALTITUDE_BAND_KM) as usize).min(bins - 1);
                charts.altitude_bins[bin][super::type_index(object.object_type())] += 1;
            } else {
                charts.altitude_unplaced += 1;
            }
            charts.density_leo.add(altitude, inclination);
            charts.density_all.add(altitude, inclination);
            match launch_date(object) {
                Some(date) => {
                    let status = RegistrationStatus::of(&object.registration);
                    charts.launches.entry(date.year()).or_default()[status as usize] += 1;
                }
                None => charts.launch_date_unknown += 1,
            }
        }
        charts
    }

    /// All the charts for `catalog` under `mask`, the register's questions and the congestion
    /// history included.
    pub fn with_register(catalog: &Catalog, mask: Option<&[bool]>, as_of: NaiveDate) -> Self {
        Self {
            register: RegisterSummary::of(catalog, mask),
            congestion: Congestion::of(&catalog.satcat_rows, as_of),
            ..Self::of(&catalog.objects, mask, as_of)
        }
    }

    /// Objects with a mean altitude in `[low, high)` km, per the histogram's bins (`low` and
    /// `high` on bin edges).
    pub fn objects_between(&self, low_km: f64, high_km: f64) -> [u32; 4] {
        let first = (low_km / ALTITUDE_BAND_KM) as usize;
        let last = ((high_km / ALTITUDE_BAND_KM) as usize).min(self.altitude_bins.len());
        let mut sum = [0; 4];
        for bin in &self.altitude_bins[first.min(last)..last] {
            for (total, n) in sum.iter_mut().zip(bin) {
                *total += n;
            }
        }
        sum
    }
}

/// The object type of each slot of [`Charts::altitude_bins`].
pub const TYPE_ORDER: [ObjectType; 4] = [
    ObjectType::Payload,
    ObjectType::RocketBody,
    ObjectType::Debris,
    ObjectType::Unknown,
];
