//! Owner/source codes: CelesTrak's SATCAT `OWNER` codes and GCAT's `UNState` codes, each to a
//! display name. An unknown code is shown as itself, never dropped.

/// What kind of entity an owner code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerKind {
    /// A single state (the former USSR's `CIS` included).
    State,
    /// An intergovernmental organisation (ESA, EUMETSAT, ...).
    Organisation,
    /// A company (SES, Globalstar, Orbcomm, ...).
    Commercial,
    /// Joint codes (`FGER`), the ISS, territories, and `TBD`/`UNK`.
    Other,
}

impl OwnerKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::Organisation => "international organisation",
            Self::Commercial => "commercial",
            Self::Other => "other",
        }
    }
}

/// A resolved owner code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// `None` for a code this table does not know.
    pub kind: Option<OwnerKind>,
}

/// Looks up a CelesTrak SATCAT owner code; unknown codes come back as themselves.
pub fn satcat_owner(code: &str) -> Owner<'_> {
    let code = code.trim();
    match CELESTRAK_OWNERS.binary_search_by(|(known, _, _)| (*known).cmp(code)) {
        Ok(index) => {
            let (known, name, kind) = CELESTRAK_OWNERS[index];
            Owner {
                code: known,
                name,
                kind: Some(kind),
            }
        }
        Err(_) => Owner {
            code,
            name: code,
            kind: None,
        },
    }
}

/// Every known CelesTrak owner code, sorted by code.
pub fn satcat_owners() -> impl Iterator<Item = Owner<'static>> {
    CELESTRAK_OWNERS.iter().map(|&(code, name, kind)| Owner {
        code,
        name,
        kind: Some(kind),
    })
}

/// Name of a GCAT state code (`SU`, `J`, `I-ESA`, ...), or the code itself when unknown.
pub fn gcat_state_name(code: &str) -> &str {
    let code = code.trim();
    GCAT_STATES
        .binary_search_by(|(known, _)| (*known).cmp(code))
        .map_or(code, |index| GCAT_STATES[index].1)
}

/// CelesTrak's owner/source codes (celestrak.org/satcat/sources.php, as listed in autumn 2026,
/// plus JOR, KWT, SVK and UGA, which SATCAT uses but the page omits). Sorted for binary search.
const CELESTRAK_OWNERS: &[(&str, &str, OwnerKind)] = &[
    (
        "AB",
        "Arab Satellite Communications Organization",
        OwnerKind::Organisation,
    ),
    ("ABS", "Asia Broadcast Satellite", OwnerKind::Commercial),
    (
        "AC",
        "Asia Satellite Telecommunications Company (ASIASAT)",
        OwnerKind::Commercial,
    ),
    ("ALG", "Algeria", OwnerKind::State),
    ("ANG", "Angola", OwnerKind::State),
    ("ARGN", "Argentina", OwnerKind::State),
    ("ARM", "Republic of Armenia", OwnerKind::State),
    ("ASRA", "Austria", OwnerKind::State),
    ("AUS", "Australia", OwnerKind::State),
    ("AZER", "Azerbaijan", OwnerKind::State),
    ("BEL", "Belgium", OwnerKind::State),
    ("BELA", "Belarus", OwnerKind::State),
    ("BERM", "Bermuda", OwnerKind::Other),
    ("BGD", "Peoples Republic of Bangladesh", OwnerKind::State),
    ("BHR", "The Kingdom of Bahrain", OwnerKind::State),
    ("BHUT", "The Kingdom of Bhutan", OwnerKind::State),
    ("BOL", "Bolivia", OwnerKind::State),
    ("BRAZ", "Brazil", OwnerKind::State),
    ("BUL", "Bulgaria", OwnerKind::State),
    ("BWA", "Republic of Botswana", OwnerKind::State),
    ("CA", "Canada", OwnerKind::State),
    ("CHBZ", "China/Brazil", OwnerKind::Other),
    ("CHLE", "Chile", OwnerKind::State),
    ("CHTU", "China/Türkiye", OwnerKind::Other),
    (
        "CIS",
        "Commonwealth of Independent States (former USSR)",
        OwnerKind::State,
    ),
    ("COL", "Colombia", OwnerKind::State),
    ("CRI", "Republic of Costa Rica", OwnerKind::State),
    (
        "CZCH",
        "Czech Republic (former Czechoslovakia)",
        OwnerKind::State,
    ),
    ("DEN", "Denmark", OwnerKind::State),
    ("DJI", "Republic of Djibouti", OwnerKind::State),
    ("ECU", "Ecuador", OwnerKind::State),
    ("EGYP", "Egypt", OwnerKind::State),
    ("ESA", "European Space Agency", OwnerKind::Organisation),
    (
        "ESRO",
        "European Space Research Organization",
        OwnerKind::Organisation,
    ),
    ("EST", "Estonia", OwnerKind::State),
    ("ETH", "Ethiopia", OwnerKind::State),
    (
        "EUME",
        "European Organization for the Exploitation of Meteorological Satellites (EUMETSAT)",
        OwnerKind::Organisation,
    ),
    (
        "EUTE",
        "European Telecommunications Satellite Organization (EUTELSAT)",
        OwnerKind::Organisation,
    ),
    ("FGER", "France/Germany", OwnerKind::Other),
    ("FIN", "Finland", OwnerKind::State),
    ("FR", "France", OwnerKind::State),
    ("FRIT", "France/Italy", OwnerKind::Other),
    ("GER", "Germany", OwnerKind::State),
    ("GHA", "Republic of Ghana", OwnerKind::State),
    ("GLOB", "Globalstar", OwnerKind::Commercial),
    ("GREC", "Greece", OwnerKind::State),
    ("GRSA", "Greece/Saudi Arabia", OwnerKind::Other),
    ("GUAT", "Guatemala", OwnerKind::State),
    ("HRV", "Republic of Croatia", OwnerKind::State),
    ("HUN", "Hungary", OwnerKind::State),
    (
        "IM",
        "International Mobile Satellite Organization (INMARSAT)",
        OwnerKind::Organisation,
    ),
    ("IND", "India", OwnerKind::State),
    ("INDO", "Indonesia", OwnerKind::State),
    ("IRAN", "Iran", OwnerKind::State),
    ("IRAQ", "Iraq", OwnerKind::State),
    ("IRID", "Iridium", OwnerKind::Commercial),
    ("IRL", "Ireland", OwnerKind::State),
    ("ISRA", "Israel", OwnerKind::State),
    (
        "ISRO",
        "Indian Space Research Organisation",
        OwnerKind::Organisation,
    ),
    ("ISS", "International Space Station", OwnerKind::Other),
    ("IT", "Italy", OwnerKind::State),
    (
        "ITSO",
        "International Telecommunications Satellite Organization (INTELSAT)",
        OwnerKind::Organisation,
    ),
    ("JOR", "Jordan", OwnerKind::State),
    ("JPN", "Japan", OwnerKind::State),
    ("KAZ", "Kazakhstan", OwnerKind::State),
    ("KEN", "Republic of Kenya", OwnerKind::State),
    ("KWT", "Kuwait", OwnerKind::State),
    ("LAOS", "Laos", OwnerKind::State),
    (
        "LKA",
        "Democratic Socialist Republic of Sri Lanka",
        OwnerKind::State,
    ),
    ("LTU", "Lithuania", OwnerKind::State),
    ("LUXE", "Luxembourg", OwnerKind::State),
    ("MA", "Morocco", OwnerKind::State),
    ("MALA", "Malaysia", OwnerKind::State),
    ("MCO", "Principality of Monaco", OwnerKind::State),
    ("MDA", "Republic of Moldova", OwnerKind::State),
    ("MEX", "Mexico", OwnerKind::State),
    ("MMR", "Republic of the Union of Myanmar", OwnerKind::State),
    ("MNE", "Montenegro", OwnerKind::State),
    ("MNG", "Mongolia", OwnerKind::State),
    ("MUS", "Mauritius", OwnerKind::State),
    (
        "NATO",
        "North Atlantic Treaty Organization",
        OwnerKind::Organisation,
    ),
    ("NETH", "Netherlands", OwnerKind::State),
    ("NICO", "New ICO", OwnerKind::Commercial),
    ("NIG", "Nigeria", OwnerKind::State),
    (
        "NKOR",
        "Democratic People's Republic of Korea",
        OwnerKind::State,
    ),
    ("NOR", "Norway", OwnerKind::State),
    (
        "NPL",
        "Federal Democratic Republic of Nepal",
        OwnerKind::State,
    ),
    ("NZ", "New Zealand", OwnerKind::State),
    ("O3B", "O3b Networks", OwnerKind::Commercial),
    ("ORB", "ORBCOMM", OwnerKind::Commercial),
    ("PAKI", "Pakistan", OwnerKind::State),
    ("PERU", "Peru", OwnerKind::State),
    ("POL", "Poland", OwnerKind::State),
    ("POR", "Portugal", OwnerKind::State),
    ("PRC", "People's Republic of China", OwnerKind::State),
    (
        "PRES",
        "People's Republic of China/European Space Agency",
        OwnerKind::Other,
    ),
    ("PRY", "Republic of Paraguay", OwnerKind::State),
    ("QAT", "State of Qatar", OwnerKind::State),
    ("RASC", "RascomStar-QAF", OwnerKind::Commercial),
    ("ROC", "Taiwan (Republic of China)", OwnerKind::State),
    ("ROM", "Romania", OwnerKind::State),
    (
        "RP",
        "Philippines (Republic of the Philippines)",
        OwnerKind::State,
    ),
    ("RWA", "Republic of Rwanda", OwnerKind::State),
    ("SAFR", "South Africa", OwnerKind::State),
    ("SAUD", "Saudi Arabia", OwnerKind::State),
    ("SDN", "Republic of Sudan", OwnerKind::State),
    ("SEAL", "Sea Launch", OwnerKind::Commercial),
    ("SEN", "Republic of Senegal", OwnerKind::State),
    ("SES", "SES", OwnerKind::Commercial),
    ("SGJP", "Singapore/Japan", OwnerKind::Other),
    ("SING", "Singapore", OwnerKind::State),
    ("SKOR", "Republic of Korea", OwnerKind::State),
    ("SLB", "Solomon Islands", OwnerKind::State),
    ("SPN", "Spain", OwnerKind::State),
    ("STCT", "Singapore/Taiwan", OwnerKind::Other),
    ("SVK", "Slovakia", OwnerKind::State),
    ("SVN", "Slovenia", OwnerKind::State),
    ("SWED", "Sweden", OwnerKind::State),
    ("SWTZ", "Switzerland", OwnerKind::State),
    ("TBD", "To Be Determined", OwnerKind::Other),
    ("THAI", "Thailand", OwnerKind::State),
    ("TMMC", "Turkmenistan/Monaco", OwnerKind::Other),
    ("TUN", "Republic of Tunisia", OwnerKind::State),
    ("TURK", "Türkiye", OwnerKind::State),
    ("UAE", "United Arab Emirates", OwnerKind::State),
    ("UGA", "Uganda", OwnerKind::State),
    ("UK", "United Kingdom", OwnerKind::State),
    ("UKR", "Ukraine", OwnerKind::State),
    ("UNK", "Unknown", OwnerKind::Other),
    ("URY", "Uruguay", OwnerKind::State),
    ("US", "United States", OwnerKind::State),
    ("USBZ", "United States/Brazil", OwnerKind::Other),
    ("VAT", "Vatican City State", OwnerKind::State),
    ("VENZ", "Venezuela", OwnerKind::State),
    ("VTNM", "Vietnam", OwnerKind::State),
    ("ZWE", "Republic of Zimbabwe", OwnerKind::State),
];

/// GCAT state codes seen in `UNState` (GCAT's own scheme: ISO-like letters, some legacy
/// vehicle-registration letters, `I-` for international organisations). Sorted.
const GCAT_STATES: &[(&str, &str)] = &[
    ("A", "Austria"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AR", "Argentina"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AZ", "Azerbaijan"),
    ("B", "Belgium"),
    ("BD", "Bangladesh"),
    ("BG", "Bulgaria"),
    ("BGN", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BO", "Bolivia"),
    ("BR", "Brazil"),
    ("BT", "Bhutan"),
    ("BW", "Botswana"),
    ("BY", "Belarus"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CSFR", "Czech and Slovak Federal Republic"),
    ("CSSR", "Czechoslovakia"),
    ("CZ", "Czechia"),
    ("D", "Germany"),
    ("DJ", "Djibouti"),
    ("DK", "Denmark"),
    ("DZ", "Algeria"),
    ("E", "Spain"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("ET", "Ethiopia"),
    ("F", "France"),
    ("FI", "Finland"),
    ("GH", "Ghana"),
    ("GR", "Greece"),
    ("GT", "Guatemala"),
    ("HR", "Croatia"),
    ("HU", "Hungary"),
    ("I", "Italy"),
    ("I-ARAB", "Arabsat"),
    ("I-ESA", "European Space Agency"),
    ("I-EU", "European Union"),
    ("I-EUM", "EUMETSAT"),
    ("I-EUT", "EUTELSAT"),
    ("I-INM", "Inmarsat"),
    ("I-INT", "INTELSAT"),
    ("I-ISS", "Intersputnik"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IN", "India"),
    ("IR", "Iran"),
    ("J", "Japan"),
    ("JO", "Jordan"),
    ("KE", "Kenya"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KZ", "Kazakhstan"),
    ("L", "Luxembourg"),
    ("LA", "Laos"),
    ("LK", "Sri Lanka"),
    ("LT", "Lithuania"),
    ("LV", "Latvia"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("MN", "Mongolia"),
    ("MU", "Mauritius"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("N", "Norway"),
    ("NG", "Nigeria"),
    ("NL", "Netherlands"),
    ("NP", "Nepal"),
    ("NZ", "New Zealand"),
    ("P", "Portugal"),
    ("PE", "Peru"),
    ("PG", "Papua New Guinea"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PR", "Puerto Rico"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RO", "Romania"),
    ("RU", "Russia"),
    ("RW", "Rwanda"),
    ("S", "Sweden"),
    ("SA", "Saudi Arabia"),
    ("SG", "Singapore"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("SN", "Senegal"),
    ("SU", "Soviet Union"),
    ("T", "Thailand"),
    ("TN", "Tunisia"),
    ("TR", "Turkey"),
    ("TW", "Taiwan"),
    ("UA", "Ukraine"),
    ("UAE", "United Arab Emirates"),
    ("UG", "Uganda"),
    ("UK", "United Kingdom"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("VE", "Venezuela"),
    ("VN", "Vietnam"),
    ("ZA", "South Africa"),
    ("ZW", "Zimbabwe"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(
            CELESTRAK_OWNERS
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0)
        );
        assert!(GCAT_STATES.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert!(CELESTRAK_OWNERS.len() >= 130);
    }

    #[test]
    fn known_and_unknown_codes() {
        let prc = satcat_owner("PRC");
        assert_eq!(prc.kind, Some(OwnerKind::State));
        assert!(prc.name.contains("China"));
        assert_eq!(satcat_owner("ESA").kind, Some(OwnerKind::Organisation));
        assert_eq!(satcat_owner("SES").kind, Some(OwnerKind::Commercial));
        assert_eq!(satcat_owner("TBD").kind, Some(OwnerKind::Other));
        let unknown = satcat_owner("XYZZ");
        assert_eq!(
            (unknown.code, unknown.name, unknown.kind),
            ("XYZZ", "XYZZ", None)
        );
        assert_eq!(gcat_state_name("SU"), "Soviet Union");
        assert_eq!(gcat_state_name("I-ESA"), "European Space Agency");
        assert_eq!(gcat_state_name("QQ"), "QQ");
    }
}
