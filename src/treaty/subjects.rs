//! SATCAT owner codes → who the treaties bind: a state (by ISO 3166 alpha-3 code), an
//! intergovernmental organisation (by the name the parties table uses), two joint owners, or
//! nobody. Every mapping that is a judgement is listed in `assets/treaties/README.md`:
//! - `CIS` (the former USSR) is the Russian Federation, the USSR's continuator State: its
//!   dates of deposit are the USSR's.
//! - `ISRO` is India's national agency: India. `BERM` (Bermuda, a British Overseas Territory)
//!   is the United Kingdom, which answers for it internationally. `ROC` is Taiwan (`TWN`),
//!   which the UN status lists do not include, so it shows as not a party.
//! - `ESRO` merged into ESA in 1975: ESA's declaration stands for it (its launches predate it).
//! - `EUTE` is the EUTELSAT intergovernmental organisation (its satellites have been run by
//!   Eutelsat S.A. since 2001); `IM` (IMSO/INMARSAT), `ITSO`, `AB` (Arabsat) and `NATO` are
//!   organisations with no declaration.
//! - Joint codes (`FGER`, `CHBZ`, `PRES`, ...) are their two members.
//! - Companies (`SES`, `GLOB`, ...), `ISS`, `TBD`, `UNK` and unknown codes: not applicable.

/// Who a treaty binds, for one owner code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatySubject {
    State {
        iso3: &'static str,
    },
    Organisation {
        name: &'static str,
    },
    /// Two joint owners (either may register the object).
    Joint(&'static TreatySubject, &'static TreatySubject),
    NotApplicable,
}

impl TreatySubject {
    /// The name the parties table gives (states by UN name), or a description.
    pub fn display_name(self) -> String {
        let table = super::parties();
        match self {
            Self::State { iso3 } => table.name_of(iso3).unwrap_or(iso3).to_owned(),
            Self::Organisation { name } => name.to_owned(),
            Self::Joint(first, second) => {
                format!("{} / {}", first.display_name(), second.display_name())
            }
            Self::NotApplicable => String::new(),
        }
    }

    /// True for an intergovernmental organisation (never shown as a state).
    pub fn is_organisation(self) -> bool {
        matches!(self, Self::Organisation { .. })
    }
}

const ESA: TreatySubject = TreatySubject::Organisation {
    name: "European Space Agency",
};
const EUMETSAT: TreatySubject = TreatySubject::Organisation {
    name: "European Organization for the Exploitation of Meteorological Satellites",
};
const EUTELSAT: TreatySubject = TreatySubject::Organisation {
    name: "European Telecommunications Satellite Organization",
};

const fn state(iso3: &'static str) -> TreatySubject {
    TreatySubject::State { iso3 }
}

/// Organisation and joint codes; state codes are in [`STATE_CODES`].
const SPECIAL_CODES: &[(&str, TreatySubject)] = &[
    (
        "AB",
        TreatySubject::Organisation {
            name: "Arab Satellite Communications Organization",
        },
    ),
    ("BERM", state("GBR")),
    ("CHBZ", TreatySubject::Joint(&state("CHN"), &state("BRA"))),
    ("CHTU", TreatySubject::Joint(&state("CHN"), &state("TUR"))),
    ("ESA", ESA),
    ("ESRO", ESA),
    ("EUME", EUMETSAT),
    ("EUTE", EUTELSAT),
    ("FGER", TreatySubject::Joint(&state("FRA"), &state("DEU"))),
    ("FRIT", TreatySubject::Joint(&state("FRA"), &state("ITA"))),
    ("GRSA", TreatySubject::Joint(&state("GRC"), &state("SAU"))),
    (
        "IM",
        TreatySubject::Organisation {
            name: "International Mobile Satellite Organization",
        },
    ),
    ("ISRO", state("IND")),
    (
        "ITSO",
        TreatySubject::Organisation {
            name: "International Telecommunications Satellite Organization",
        },
    ),
    (
        "NATO",
        TreatySubject::Organisation {
            name: "North Atlantic Treaty Organization",
        },
    ),
    ("PRES", TreatySubject::Joint(&state("CHN"), &ESA)),
    ("SGJP", TreatySubject::Joint(&state("SGP"), &state("JPN"))),
    ("STCT", TreatySubject::Joint(&state("SGP"), &state("TWN"))),
    ("TMMC", TreatySubject::Joint(&state("TKM"), &state("MCO"))),
    ("USBZ", TreatySubject::Joint(&state("USA"), &state("BRA"))),
];

/// CelesTrak state codes → ISO 3166-1 alpha-3, sorted by code.
const STATE_CODES: &[(&str, &str)] = &[
    ("ALG", "DZA"),
    ("ANG", "AGO"),
    ("ARGN", "ARG"),
    ("ARM", "ARM"),
    ("ASRA", "AUT"),
    ("AUS", "AUS"),
    ("AZER", "AZE"),
    ("BEL", "BEL"),
    ("BELA", "BLR"),
    ("BGD", "BGD"),
    ("BHR", "BHR"),
    ("BHUT", "BTN"),
    ("BOL", "BOL"),
    ("BRAZ", "BRA"),
    ("BUL", "BGR"),
    ("BWA", "BWA"),
    ("CA", "CAN"),
    ("CHLE", "CHL"),
    ("CIS", "RUS"),
    ("COL", "COL"),
    ("CRI", "CRI"),
    ("CZCH", "CZE"),
    ("DEN", "DNK"),
    ("DJI", "DJI"),
    ("ECU", "ECU"),
    ("EGYP", "EGY"),
    ("EST", "EST"),
    ("ETH", "ETH"),
    ("FIN", "FIN"),
    ("FR", "FRA"),
    ("GER", "DEU"),
    ("GHA", "GHA"),
    ("GREC", "GRC"),
    ("GUAT", "GTM"),
    ("HRV", "HRV"),
    ("HUN", "HUN"),
    ("IND", "IND"),
    ("INDO", "IDN"),
    ("IRAN", "IRN"),
    ("IRAQ", "IRQ"),
    ("IRL", "IRL"),
    ("ISRA", "ISR"),
    ("IT", "ITA"),
    ("JOR", "JOR"),
    ("JPN", "JPN"),
    ("KAZ", "KAZ"),
    ("KEN", "KEN"),
    ("KWT", "KWT"),
    ("LAOS", "LAO"),
    ("LKA", "LKA"),
    ("LTU", "LTU"),
    ("LUXE", "LUX"),
    ("MA", "MAR"),
    ("MALA", "MYS"),
    ("MCO", "MCO"),
    ("MDA", "MDA"),
    ("MEX", "MEX"),
    ("MMR", "MMR"),
    ("MNE", "MNE"),
    ("MNG", "MNG"),
    ("MUS", "MUS"),
    ("NETH", "NLD"),
    ("NIG", "NGA"),
    ("NKOR", "PRK"),
    ("NOR", "NOR"),
    ("NPL", "NPL"),
    ("NZ", "NZL"),
    ("PAKI", "PAK"),
    ("PERU", "PER"),
    ("POL", "POL"),
    ("POR", "PRT"),
    ("PRC", "CHN"),
    ("PRY", "PRY"),
    ("QAT", "QAT"),
    ("ROC", "TWN"),
    ("ROM", "ROU"),
    ("RP", "PHL"),
    ("RWA", "RWA"),
    ("SAFR", "ZAF"),
    ("SAUD", "SAU"),
    ("SDN", "SDN"),
    ("SEN", "SEN"),
    ("SING", "SGP"),
    ("SKOR", "KOR"),
    ("SLB", "SLB"),
    ("SPN", "ESP"),
    ("SVK", "SVK"),
    ("SVN", "SVN"),
    ("SWED", "SWE"),
    ("SWTZ", "CHE"),
    ("THAI", "THA"),
    ("TUN", "TUN"),
    ("TURK", "TUR"),
    ("UAE", "ARE"),
    ("UGA", "UGA"),
    ("UK", "GBR"),
    ("UKR", "UKR"),
    ("URY", "URY"),
    ("US", "USA"),
    ("VAT", "VAT"),
    ("VENZ", "VEN"),
    ("VTNM", "VNM"),
    ("ZWE", "ZWE"),
];

/// Who the treaties bind for a SATCAT owner code.
pub fn treaty_subject(owner_code: &str) -> TreatySubject {
    let code = owner_code.trim();
    if let Ok(index) = STATE_CODES.binary_search_by(|(known, _)| (*known).cmp(code)) {
        return state(STATE_CODES[index].1);
    }
    SPECIAL_CODES
        .iter()
        .find(|(known, _)| *known == code)
        .map_or(TreatySubject::NotApplicable, |(_, subject)| *subject)
}

/// Every owner code the mapping knows, with the kind the owners table gives it (tests).
#[cfg(test)]
pub(super) fn mapped_codes()
-> impl Iterator<Item = (&'static str, Option<crate::catalog::owners::OwnerKind>)> {
    use crate::catalog::owners::satcat_owner;
    STATE_CODES
        .iter()
        .map(|(code, _)| *code)
        .chain(SPECIAL_CODES.iter().map(|(code, _)| *code))
        .map(|code| (code, satcat_owner(code).kind))
}
