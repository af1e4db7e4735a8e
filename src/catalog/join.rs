//! Joins GP element sets with the SATCAT (on NORAD number) and with registration data (GCAT
//! on NORAD number, the UNOOSA index on COSPAR id; where both speak, UNOOSA, the register
//! itself, wins and the disagreement is counted).

mod newest;

use std::collections::HashMap;

use rayon::prelude::*;

use chrono::NaiveDate;
use serde::Serialize;

use self::newest::{GpFile, newest_per_object};
use super::gcat::GcatRecord;
use super::gp::GpRecord;
use super::register_check::{Disagreement, DisagreementKind, RegisterCheck};
use super::satcat::SatcatRecord;
use super::unoosa::{UnoosaRecord, names_one_object};
use super::{NoradId, ObjectType, RecordIssue, Registration, SatcatInfo, SourceInfo, SpaceObject};

/// Everything that goes into a join: each source with its parsed records and issues.
#[derive(Debug, Default)]
pub struct CatalogInputs {
    pub gp: Vec<(SourceInfo, Vec<GpRecord>)>,
    pub satcat: Option<(SourceInfo, Vec<SatcatRecord>)>,
    pub gcat: Option<(SourceInfo, Vec<GcatRecord>)>,
    pub unoosa: Option<(SourceInfo, Vec<UnoosaRecord>)>,
    /// Problems met while parsing the inputs; carried into the catalog untouched.
    pub issues: Vec<RecordIssue>,
}

/// Join coverage for one object type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TypeCoverage {
    pub objects: usize,
    pub with_satcat: usize,
    pub with_registration_data: usize,
}

/// What the join matched and what it could not. Accounting:
/// `objects == gp_records - gp_duplicates - gp_skipped` ([`JoinReport::accounting_error`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JoinReport {
    /// Element sets read from all GP sources.
    pub gp_records: usize,
    /// Element sets dropped because a newer one for the same object was loaded.
    pub gp_duplicates: usize,
    /// Element sets the join could not use (each with an issue saying why).
    pub gp_skipped: usize,
    pub objects: usize,
    pub with_satcat: usize,
    pub with_registration_data: usize,
    /// SATCAT rows with no element set loaded (decayed, or outside the loaded groups).
    pub satcat_rows_unmatched: usize,
    pub gcat_rows_without_norad: usize,
    pub gcat_matches: usize,
    pub unoosa_matches: usize,
    /// UN register entries without a COSPAR id that names one object (none, or a launch-level
    /// `2025-155*`): counted in statistics, unable to join.
    pub unoosa_rows_without_cospar: usize,
    /// Objects where GCAT and the UN register disagree (the register kept); listed in
    /// [`Catalog::disagreements`].
    pub gcat_unoosa_disagreements: usize,
    pub by_type: Vec<(ObjectType, TypeCoverage)>,
}

impl JoinReport {
    /// Says how the join's accounting fails, if it does.
    pub fn accounting_error(&self) -> Option<String> {
        let expected = self
            .gp_records
            .checked_sub(self.gp_duplicates + self.gp_skipped);
        (expected != Some(self.objects)).then(|| {
            format!(
                "{} element sets read, {} duplicates, {} skipped, but {} objects",
                self.gp_records, self.gp_duplicates, self.gp_skipped, self.objects
            )
        })
    }
}

/// The joined catalog: one [`SpaceObject`] per NORAD number, sorted by it.
#[derive(Debug, Default)]
pub struct Catalog {
    pub objects: Vec<SpaceObject>,
    pub sources: Vec<SourceInfo>,
    pub report: JoinReport,
    pub issues: Vec<RecordIssue>,
    /// Where GCAT and the UN register say different things, by NORAD number.
    pub disagreements: Vec<Disagreement>,
    /// The UN register's entries matched against the catalog and the SATCAT, when a register
    /// was loaded.
    pub register: Option<RegisterCheck>,
    /// Every SATCAT row (decayed objects included, by catalog number), for what needs more
    /// than the objects with element sets (the congestion-over-time chart).
    pub satcat_rows: Vec<SatcatRecord>,
}

impl Catalog {
    /// Joins the inputs. Never fails: what cannot be matched is counted in the report.
    pub fn join(inputs: CatalogInputs) -> Self {
        let mut sources = Vec::new();
        let mut report = JoinReport::default();
        let mut add_source = |info: SourceInfo| {
            sources.push(info);
            sources.len() - 1
        };

        // Newest element set per object wins, whatever file it came from.
        let mut issues = inputs.issues;
        let files = inputs
            .gp
            .into_iter()
            .map(|(info, records)| GpFile {
                location: info.location.clone(),
                source: add_source(info),
                records,
            })
            .collect();
        let newest = newest_per_object(files, &mut issues);
        report.gp_records = newest.read;
        report.gp_duplicates = newest.duplicates;
        report.gp_skipped = newest.skipped;

        let mut satcat: HashMap<NoradId, SatcatRecord> = HashMap::new();
        let satcat_source = inputs.satcat.map(|(info, records)| {
            satcat = records.into_iter().map(|r| (r.norad_id, r)).collect();
            add_source(info)
        });
        let mut gcat: HashMap<NoradId, Registration> = HashMap::new();
        let gcat_source = inputs.gcat.map(|(info, records)| {
            for record in records {
                match record.norad_id {
                    Some(norad_id) => {
                        gcat.insert(norad_id, record.registration);
                    }
                    None => report.gcat_rows_without_norad += 1,
                }
            }
            add_source(info)
        });
        let mut unoosa: HashMap<String, Registration> = HashMap::new();
        let mut register_records = Vec::new();
        let unoosa_source = inputs.unoosa.map(|(info, records)| {
            for record in &records {
                match record
                    .cospar_id
                    .as_deref()
                    .filter(|id| names_one_object(id))
                {
                    Some(id) => {
                        unoosa.insert(normalise_cospar(id), record.registration.clone());
                    }
                    None => report.unoosa_rows_without_cospar += 1,
                }
            }
            register_records = records;
            add_source(info)
        });
        let catalogued_on = catalogue_dates(&satcat);
        // Each object is built on its own (lookups only), so on all cores, straight into
        // the catalog's vector in catalog order.
        let objects: Vec<SpaceObject> = newest
            .records
            .into_par_iter()
            .zip(newest.origins)
            .map(|(elements, (norad_id, gp_source))| {
                let satcat_row = satcat.get(&norad_id);
                let cospar_id = elements
                    .international_designator
                    .clone()
                    .or_else(|| satcat_row.and_then(|row| row.cospar_id.clone()));
                let name = elements
                    .object_name
                    .clone()
                    .or_else(|| satcat_row.map(|row| row.name.clone()))
                    .unwrap_or_else(|| format!("NORAD {norad_id}"));
                // The UN register, when it lists the object, is the authority; else GCAT.
                let official = cospar_id
                    .as_deref()
                    .filter(|_| !unoosa.is_empty())
                    .and_then(|id| unoosa.get(&normalise_cospar(id)));
                let (registration, registration_source_id) = match (official, gcat.get(&norad_id)) {
                    (Some(official), _) => (official.clone(), unoosa_source),
                    (None, Some(gcat_view)) => (gcat_view.clone(), gcat_source),
                    (None, None) => (Registration::NoData, None),
                };
                SpaceObject {
                    norad_id,
                    cospar_id,
                    name,
                    elements,
                    gp_source,
                    satcat: satcat_row.map(|row| SatcatInfo {
                        object_type: row.object_type,
                        owner_code: row.owner_code.clone(),
                        ops_status: row.ops_status,
                        launch_date: row.launch_date,
                        catalogued_on: catalogued_on.get(&norad_id).copied().flatten(),
                        launch_site: row.launch_site.clone(),
                        decay_date: row.decay_date,
                        rcs_m2: row.rcs_m2,
                        period_min: row.period_min,
                        inclination_deg: row.inclination_deg,
                        apogee_km: row.apogee_km,
                        perigee_km: row.perigee_km,
                        source: satcat_source.unwrap_or_default(),
                    }),
                    registration,
                    registration_source_id,
                }
            })
            .collect();

        report.gcat_matches = if gcat.is_empty() {
            0
        } else {
            objects
                .par_iter()
                .filter(|object| gcat.contains_key(&object.norad_id))
                .count()
        };
        // An object's registration came from the register exactly when the register lists it.
        let from_register = |object: &&SpaceObject| {
            unoosa_source.is_some() && object.registration_source_id == unoosa_source
        };
        report.unoosa_matches = objects.par_iter().filter(from_register).count();
        let disagreements: Vec<Disagreement> = if gcat.is_empty() {
            Vec::new()
        } else {
            objects
                .par_iter()
                .filter(from_register)
                .filter_map(|object| {
                    let gcat_view = gcat.get(&object.norad_id)?;
                    DisagreementKind::between(&object.registration, gcat_view).map(|kind| {
                        Disagreement {
                            norad_id: object.norad_id,
                            kind,
                            un_register: object.registration.clone(),
                            gcat: gcat_view.clone(),
                        }
                    })
                })
                .collect()
        };
        report.objects = objects.len();
        report.gcat_unoosa_disagreements = disagreements.len();

        let register = (!register_records.is_empty())
            .then(|| RegisterCheck::new(register_records, &objects, satcat.values()));
        let coverage = type_coverage(&objects);
        report.with_satcat = coverage.iter().map(|c| c.with_satcat).sum();
        report.with_registration_data = coverage.iter().map(|c| c.with_registration_data).sum();
        report.satcat_rows_unmatched = satcat.len() - report.with_satcat;
        report.by_type = ObjectType::ALL
            .into_iter()
            .zip(coverage)
            .filter(|(_, coverage)| coverage.objects > 0)
            .collect();

        let mut satcat_rows: Vec<SatcatRecord> = satcat.into_values().collect();
        satcat_rows.sort_unstable_by_key(|row| row.norad_id);
        Self {
            objects,
            sources,
            report,
            issues,
            disagreements,
            register,
            satcat_rows,
        }
    }

    /// Index of the object with this NORAD number.
    pub fn index_of(&self, norad_id: NoradId) -> Option<usize> {
        self.objects
            .binary_search_by_key(&norad_id, |object| object.norad_id)
            .ok()
    }
}

/// Join coverage per object type, in [`ObjectType::ALL`]'s order (on all cores: classifying
/// objects without a SATCAT row reads their names).
fn type_coverage(objects: &[SpaceObject]) -> [TypeCoverage; ObjectType::ALL.len()] {
    let add = |mut totals: [TypeCoverage; ObjectType::ALL.len()], object: &SpaceObject| {
        let kind = object.object_type();
        if let Some(totals) = ObjectType::ALL
            .iter()
            .position(|listed| *listed == kind)
            .map(|slot| &mut totals[slot])
        {
            totals.objects += 1;
            totals.with_satcat += usize::from(object.satcat.is_some());
            totals.with_registration_data +=
                usize::from(object.registration != Registration::NoData);
        }
        totals
    };
    objects
        .par_iter()
        .with_min_len(4096)
        .fold(Default::default, add)
        .reduce(Default::default, |mut sum, part| {
            for (sum, part) in sum.iter_mut().zip(part) {
                sum.objects += part.objects;
                sum.with_satcat += part.with_satcat;
                sum.with_registration_data += part.with_registration_data;
            }
            sum
        })
}

/// When each SATCAT object entered the catalog, at the earliest (catalog numbers are assigned
/// in cataloguing order): the later of its launch date and every lower number's.
fn catalogue_dates(satcat: &HashMap<NoradId, SatcatRecord>) -> HashMap<NoradId, Option<NaiveDate>> {
    let mut numbers: Vec<NoradId> = satcat.keys().copied().collect();
    numbers.sort_unstable();
    let mut latest: Option<NaiveDate> = None;
    numbers
        .into_iter()
        .map(|norad_id| {
            let date = satcat[&norad_id]
                .launch_date
                .map(|launch| latest.map_or(launch, |latest| latest.max(launch)));
            latest = date.or(latest);
            (norad_id, date)
        })
        .collect()
}

/// COSPAR ids are compared without case or surrounding space (`1998-067a` = `1998-067A`).
pub(crate) fn normalise_cospar(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RegistrationSource;
    use crate::catalog::gp::tle::parse_tle;

    const TLE: &str = "ISS (ZARYA)\n\
        1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994\n\
        2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085\n";

    fn source(kind: &'static str) -> SourceInfo {
        SourceInfo {
            kind,
            location: format!("{kind}.file"),
            fetched_at: None,
        }
    }

    fn iss_gp() -> Vec<GpRecord> {
        parse_tle(TLE, "t").records
    }

    fn satcat_row(norad_id: NoradId, cospar: &str) -> SatcatRecord {
        SatcatRecord {
            norad_id,
            name: "ISS (ZARYA)".into(),
            cospar_id: Some(cospar.into()),
            object_type: ObjectType::Payload,
            ops_status: None,
            owner_code: "ISS".into(),
            launch_date: None,
            launch_site: None,
            decay_date: None,
            period_min: None,
            inclination_deg: None,
            apogee_km: None,
            perigee_km: None,
            rcs_m2: None,
        }
    }

    #[test]
    fn joins_satcat_and_prefers_unoosa_over_gcat() {
        let inputs = CatalogInputs {
            gp: vec![(source("gp"), iss_gp())],
            satcat: Some((
                source("satcat"),
                vec![satcat_row(25544, "1998-067A"), satcat_row(5, "1958-002B")],
            )),
            gcat: Some((
                source("gcat"),
                vec![GcatRecord {
                    jcat: "S25544".into(),
                    norad_id: Some(25544),
                    piece: None,
                    name: "Zarya".into(),
                    registration: Registration::NotRegistered {
                        state: Some("RU".into()),
                        source: RegistrationSource::Gcat,
                    },
                }],
            )),
            unoosa: Some((
                source("unoosa"),
                vec![UnoosaRecord {
                    cospar_id: Some("1998-067a".into()),
                    national_designator: None,
                    name: None,
                    state: Some("Russian Federation".into()),
                    status: None,
                    registration: Registration::Registered {
                        document: Some("ST/SG/SER.E/334".into()),
                        state_of_registry: "Russian Federation".into(),
                        raw_state: "Russian Federation".into(),
                        source: RegistrationSource::Unoosa,
                    },
                }],
            )),
            issues: Vec::new(),
        };
        let catalog = Catalog::join(inputs);
        let iss = &catalog.objects[0];
        assert_eq!(iss.satcat.as_ref().unwrap().owner_code, "ISS");
        assert!(iss.registration.is_registered(), "UNOOSA wins");
        assert_eq!(
            catalog.sources[iss.registration_source_id.unwrap()].kind,
            "unoosa"
        );
        let report = &catalog.report;
        assert_eq!(report.gcat_unoosa_disagreements, 1);
        assert_eq!(report.satcat_rows_unmatched, 1);
        assert_eq!((report.with_satcat, report.with_registration_data), (1, 1));
        assert_eq!(report.by_type[0].0, ObjectType::Payload);
    }

    #[test]
    fn a_fragment_entered_the_catalog_after_lower_numbers_were_launched() {
        let launched = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let mut iss = satcat_row(25544, "1998-067A");
        iss.launch_date = launched(1998, 11, 20);
        let mut later = satcat_row(25000, "1997-100A");
        later.launch_date = launched(1999, 1, 1);
        let catalog = Catalog::join(CatalogInputs {
            gp: vec![(source("gp"), iss_gp())],
            satcat: Some((source("satcat"), vec![iss, later])),
            ..CatalogInputs::default()
        });
        let info = catalog.objects[0].satcat.as_ref().unwrap();
        assert_eq!(info.launch_date, launched(1998, 11, 20));
        assert_eq!(
            info.catalogued_on,
            launched(1999, 1, 1),
            "after NORAD 25000's launch"
        );
        assert_eq!(catalog.satcat_rows.len(), 2, "every SATCAT row is kept");
    }

    #[test]
    fn an_element_set_the_join_cannot_use_is_reported_not_dropped() {
        let mut huge = iss_gp();
        huge[0].norad_id = 1 << 32;
        let catalog = Catalog::join(CatalogInputs {
            gp: vec![(source("gp"), [huge, iss_gp()].concat())],
            ..CatalogInputs::default()
        });
        assert_eq!(catalog.objects.len(), 1);
        assert_eq!(catalog.report.gp_skipped, 1);
        assert!(catalog.report.accounting_error().is_none());
        assert_eq!(catalog.issues.len(), 1);
        assert_eq!(catalog.issues[0].norad_id, Some(1 << 32));
        assert!(catalog.issues[0].to_string().contains("out of range"));
    }

    #[test]
    fn newest_epoch_wins_and_missing_registration_is_no_data() {
        let mut older = iss_gp();
        older[0].datetime -= chrono::Duration::days(1);
        older[0].object_name = Some("OLD".into());
        let catalog = Catalog::join(CatalogInputs {
            gp: vec![(source("a"), iss_gp()), (source("b"), older)],
            ..CatalogInputs::default()
        });
        assert_eq!(catalog.objects.len(), 1);
        assert_eq!(catalog.objects[0].name, "ISS (ZARYA)");
        assert_eq!(catalog.report.gp_duplicates, 1);
        assert_eq!(catalog.objects[0].registration, Registration::NoData);
        assert_eq!(catalog.index_of(25544), Some(0));
        assert_eq!(catalog.index_of(1), None);
    }
}
