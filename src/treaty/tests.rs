use chrono::NaiveDate;

use super::*;
use crate::catalog::owners::{OwnerKind, satcat_owners};

fn date(text: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
}

#[test]
fn the_compiled_table_reads_whole_with_the_documented_counts() {
    let table = parties();
    assert!(
        table.unreadable_rows.is_empty(),
        "{:?}",
        table.unreadable_rows
    );
    // SOURCES.md §6a: OST 102 parties + 8 signatories, LIAB 84 + 4 + 3, REG 75 + 2 + 4,
    // MOON 17 + 4.
    assert_eq!(table.entries_for(Treaty::Ost), 110);
    assert_eq!(table.entries_for(Treaty::Liab), 91);
    assert_eq!(table.entries_for(Treaty::Reg), 81);
    assert_eq!(table.entries_for(Treaty::Moon), 21);
}

#[test]
fn a_state_is_bound_from_its_date_of_deposit() {
    let china = owner_standing(Some("PRC"), Treaty::Reg);
    assert_eq!(
        china.standing,
        Standing::Party {
            since: date("1988-12-12")
        }
    );
    assert_eq!(china.at(date("1988-12-11")), AtLaunch::No);
    assert_eq!(china.at(date("1988-12-12")), AtLaunch::Yes);
    assert_eq!(china.at(date("2021-06-01")), AtLaunch::Yes);
    assert_eq!(china.at(None), AtLaunch::Unknown, "no launch date");
    assert_eq!(
        owner_standing(Some("PRC"), Treaty::Ost).at(date("1980-01-01")),
        AtLaunch::No,
        "China deposited its OST instrument in 1983"
    );
}

#[test]
fn an_unknown_date_of_deposit_leaves_the_launch_date_question_open() {
    // Finland is a REG party with no known date of deposit.
    let finland = owner_standing(Some("FIN"), Treaty::Reg);
    assert_eq!(finland.standing, Standing::Party { since: None });
    assert!(finland.standing.is_bound());
    assert_eq!(finland.at(date("2020-01-01")), AtLaunch::Unknown);
    assert_eq!(
        finland.standing.describe(),
        "party (date of deposit not known)"
    );
}

#[test]
fn the_former_ussr_is_the_russian_federation() {
    let cis = owner_standing(Some("CIS"), Treaty::Reg);
    assert_eq!(
        cis.standing,
        Standing::Party {
            since: date("1978-01-13")
        }
    );
    assert_eq!(cis.at(date("1977-12-31")), AtLaunch::No);
    assert_eq!(treaty_subject("CIS").display_name(), "Russian Federation");
}

#[test]
fn organisations_declare_acceptance_and_are_never_states() {
    let esa = owner_standing(Some("ESA"), Treaty::Reg);
    assert_eq!(
        esa.standing,
        Standing::DeclaredAcceptance {
            since: date("1979-01-02")
        }
    );
    assert!(treaty_subject("ESA").is_organisation());
    // ESRO's launches came before ESA's declaration.
    assert_eq!(
        owner_standing(Some("ESRO"), Treaty::Reg).at(date("1972-11-22")),
        AtLaunch::No
    );
    assert_eq!(
        owner_standing(Some("EUTE"), Treaty::Reg).at(date("2010-01-01")),
        AtLaunch::Unknown,
        "EUTELSAT's declaration has no known date"
    );
    let intelsat = owner_standing(Some("ITSO"), Treaty::Reg);
    assert_eq!(intelsat.standing, Standing::NoDeclaration);
    assert_eq!(intelsat.at(date("2010-01-01")), AtLaunch::No);
    assert_eq!(
        owner_standing(Some("ESA"), Treaty::Ost).standing,
        Standing::NoDeclaration
    );
}

#[test]
fn states_outside_a_treaty_and_owners_it_cannot_bind() {
    assert_eq!(
        owner_standing(Some("ETH"), Treaty::Ost).standing,
        Standing::Signatory
    );
    assert_eq!(
        owner_standing(Some("ANG"), Treaty::Reg).standing,
        Standing::NotParty
    );
    assert_eq!(
        owner_standing(Some("ROC"), Treaty::Reg).standing,
        Standing::NotParty
    );
    for code in ["SES", "TBD", "UNK", "ISS", "NO-SUCH-CODE"] {
        let standing = owner_standing(Some(code), Treaty::Reg);
        assert_eq!(standing.standing, Standing::NotApplicable, "{code}");
        assert_eq!(standing.at(date("2020-01-01")), AtLaunch::NotApplicable);
    }
    assert_eq!(
        owner_standing(None, Treaty::Reg).standing,
        Standing::NotApplicable
    );
}

#[test]
fn joint_owners_are_bound_when_either_member_is() {
    // France (REG 1975-12-17) and Germany (REG 1979-10-16).
    let fger = owner_standing(Some("FGER"), Treaty::Reg);
    assert!(fger.standing.is_bound());
    assert_eq!(
        fger.standing,
        Standing::Party {
            since: date("1975-12-17")
        },
        "the member bound longest: its date agrees with \"at launch\""
    );
    assert_eq!(
        fger.at(date("1977-01-01")),
        AtLaunch::Yes,
        "France already was"
    );
    assert_eq!(fger.at(date("1975-01-01")), AtLaunch::No);
    // Singapore (REG signatory) and Taiwan (not listed): neither is bound.
    let stct = owner_standing(Some("STCT"), Treaty::Reg);
    assert_eq!(stct.standing, Standing::Signatory);
    assert_eq!(stct.at(date("2020-01-01")), AtLaunch::No);
}

#[test]
fn every_state_and_organisation_code_maps_to_a_treaty_subject() {
    for owner in satcat_owners() {
        let subject = treaty_subject(owner.code);
        match owner.kind {
            Some(OwnerKind::State | OwnerKind::Organisation) => assert_ne!(
                subject,
                TreatySubject::NotApplicable,
                "{} ({}) has no treaty subject",
                owner.code,
                owner.name
            ),
            Some(OwnerKind::Commercial) => {
                assert_eq!(subject, TreatySubject::NotApplicable, "{}", owner.code);
            }
            _ => {}
        }
        if owner.kind == Some(OwnerKind::Organisation) && owner.code != "ISRO" {
            assert!(
                subject.is_organisation(),
                "{} is an organisation",
                owner.code
            );
        }
    }
    for (code, kind) in subjects::mapped_codes() {
        assert!(
            kind.is_some(),
            "{code} is mapped but not a known owner code"
        );
    }
}

#[test]
fn a_table_with_bad_rows_counts_them() {
    let table = PartiesTable::parse(
        "state,iso3,treaty,status,date_deposit,source\n\
         Ruritania,RUR,REG,party,1999-02-30,x\n\
         Ruritania,RUR,XYZ,party,,x\n\
         Ruritania,RUR,OST,party,1970-01-01,x\n",
    );
    assert_eq!(
        table.unreadable_rows.len(),
        2,
        "{:?}",
        table.unreadable_rows
    );
    assert!(table.unreadable_rows[0].starts_with("line 2:"));
    assert_eq!(
        table.standing(TreatySubject::State { iso3: "RUR" }, Treaty::Ost),
        Standing::Party {
            since: date("1970-01-01")
        }
    );
}
