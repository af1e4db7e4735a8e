use super::*;
use crate::catalog::{ObjectType, SatcatInfo};

fn registered(state: &str, source: RegistrationSource) -> Registration {
    Registration::Registered {
        document: Some("ST/SG/SER.E/1".into()),
        state_of_registry: state.into(),
        raw_state: state.into(),
        source,
    }
}

fn object(norad_id: NoradId, cospar: &str, owner: &str, registration: Registration) -> SpaceObject {
    let elements = crate::catalog::gp::tle::parse_tle(
        "1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994\n\
         2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085\n",
        "t",
    )
    .records
    .remove(0);
    SpaceObject {
        norad_id,
        cospar_id: Some(cospar.into()),
        name: format!("OBJECT {norad_id}"),
        elements,
        gp_source: 0,
        satcat: Some(SatcatInfo {
            object_type: ObjectType::Payload,
            owner_code: owner.into(),
            ops_status: None,
            launch_date: None,
            catalogued_on: None,
            launch_site: None,
            decay_date: None,
            rcs_m2: None,
            period_min: None,
            inclination_deg: None,
            apogee_km: None,
            perigee_km: None,
            source: 0,
        }),
        registration,
        registration_source_id: None,
    }
}

#[test]
fn gcat_and_the_register_agree_on_the_ussr() {
    let un = registered("USSR", RegistrationSource::Unoosa);
    assert_eq!(
        DisagreementKind::between(&un, &registered("SU", RegistrationSource::Gcat)),
        None
    );
    assert_eq!(
        DisagreementKind::between(&un, &registered("US", RegistrationSource::Gcat)),
        Some(DisagreementKind::StateOfRegistry)
    );
    let not = Registration::NotRegistered {
        state: None,
        source: RegistrationSource::Gcat,
    };
    assert_eq!(
        DisagreementKind::between(&un, &not),
        Some(DisagreementKind::Status)
    );
    // A name the mapping does not know is not called a disagreement.
    assert_eq!(
        DisagreementKind::between(
            &registered("Atlantis", RegistrationSource::Unoosa),
            &registered("SU", RegistrationSource::Gcat)
        ),
        None
    );
}

#[test]
fn joint_and_agency_owners_match_their_states() {
    assert!(same_subject("ISRO", "IND"));
    assert!(same_subject("FGER", "FR"));
    assert!(same_subject("GER", "FGER"));
    assert!(!same_subject("US", "CIS"));
    assert!(
        !same_subject("SES", "GLOB"),
        "two companies are not one subject"
    );
}

#[test]
fn lists_objects_registered_by_another_state_than_their_owner() {
    let objects = [
        object(
            1,
            "2000-001A",
            "UK",
            registered("Russian Federation", RegistrationSource::Unoosa),
        ),
        object(
            2,
            "2000-002A",
            "CIS",
            registered("USSR", RegistrationSource::Unoosa),
        ),
        object(
            3,
            "2000-003A",
            "SES",
            registered("Luxembourg", RegistrationSource::Unoosa),
        ),
        object(
            4,
            "2000-004A",
            "FR",
            registered("D", RegistrationSource::Gcat),
        ),
        object(5, "2000-005A", "US", Registration::NoData),
    ];
    let mismatches = owner_mismatches(&objects);
    let ids: Vec<NoradId> = mismatches.iter().map(|m| m.norad_id).collect();
    assert_eq!(ids, [1, 4]);
    assert_eq!(mismatches[0].registry_code, "CIS");
    assert_eq!(mismatches[1].state_of_registry, "Germany");
}

#[test]
fn coverage_counts_both_directions_per_owner() {
    let un = |cospar: Option<&str>, state: &str| UnoosaRecord {
        cospar_id: cospar.map(Into::into),
        national_designator: None,
        name: None,
        state: Some(state.into()),
        status: None,
        registration: registered(state, RegistrationSource::Unoosa),
    };
    let objects = [
        object(10, "1990-001A", "CIS", Registration::NoData),
        object(11, "1990-002A", "CIS", Registration::NoData),
        object(12, "1990-003A", "UK", Registration::NoData),
    ];
    let satcat_only = SatcatRecord {
        norad_id: 20,
        name: "DECAYED".into(),
        cospar_id: Some("1961-001A".into()),
        object_type: ObjectType::Payload,
        ops_status: None,
        owner_code: "CIS".into(),
        launch_date: None,
        launch_site: None,
        decay_date: None,
        period_min: None,
        inclination_deg: None,
        apogee_km: None,
        perigee_km: None,
        rcs_m2: None,
    };
    let check = RegisterCheck::new(
        vec![
            un(Some("1990-001a"), "USSR"),
            un(Some("1961-001A"), "USSR"),
            un(Some("1999-999Z"), "Russian Federation"),
            un(Some("1999-001*"), "Russian Federation"),
            un(Some("2001-001A"), "Atlantis"),
        ],
        &objects,
        [&satcat_only].into_iter(),
    );
    assert_eq!(check.rows[0].found, Found::Catalog(10));
    assert_eq!(check.rows[1].found, Found::SatcatOnly(20));
    assert_eq!(check.rows[2].found, Found::Nowhere);
    assert_eq!(check.rows[3].found, Found::NoCosparId);
    let coverage = check.coverage(&objects);
    let cis = coverage.iter().find(|row| row.owner == "CIS").unwrap();
    assert_eq!(
        (
            cis.register_entries,
            cis.register_in_catalog,
            cis.register_in_satcat_only,
            cis.register_unknown_to_catalog,
            cis.register_without_cospar
        ),
        (4, 1, 1, 1, 1)
    );
    assert_eq!((cis.catalog_objects, cis.catalog_not_in_register), (2, 1));
    let uk = coverage.iter().find(|row| row.owner == "UK").unwrap();
    assert_eq!(
        (
            uk.register_entries,
            uk.catalog_objects,
            uk.catalog_not_in_register
        ),
        (0, 1, 1)
    );
    assert!(
        coverage
            .iter()
            .any(|row| row.owner == "Atlantis" && row.register_unknown_to_catalog == 1)
    );
    assert_eq!(coverage[0].owner, "CIS", "most first");
}
