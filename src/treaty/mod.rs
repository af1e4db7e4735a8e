//! The treaty lens: is an object's owner a party to the Outer Space Treaty (OST) and to the
//! Registration Convention (REG), and was it one already on the object's launch date?
//!
//! The parties table (`assets/treaties/space_treaty_parties.csv`, status as at
//! [`PARTIES_AS_OF`]) is compiled into the binary; `assets/treaties/README.md` gives its
//! sources and gaps. SATCAT owner codes map to the table's states and organisations in
//! [`subjects`]. Pure: no Bevy.

mod subjects;
mod table;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use subjects::{TreatySubject, treaty_subject};
pub use table::{PARTIES_AS_OF, PartiesTable, parties};

/// The UN space treaties the lens knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Treaty {
    /// Outer Space Treaty (1967).
    #[serde(rename = "OST")]
    Ost,
    /// Liability Convention (1972).
    #[serde(rename = "LIAB")]
    Liab,
    /// Registration Convention (1975).
    #[serde(rename = "REG")]
    Reg,
    /// Moon Agreement (1979).
    #[serde(rename = "MOON")]
    Moon,
}

impl Treaty {
    /// The table's and the command line's spelling.
    pub fn key(self) -> &'static str {
        match self {
            Self::Ost => "OST",
            Self::Liab => "LIAB",
            Self::Reg => "REG",
            Self::Moon => "MOON",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key.trim().to_ascii_uppercase().as_str() {
            "OST" => Some(Self::Ost),
            "LIAB" => Some(Self::Liab),
            "REG" => Some(Self::Reg),
            "MOON" => Some(Self::Moon),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Ost => "Outer Space Treaty",
            Self::Liab => "Liability Convention",
            Self::Reg => "Registration Convention",
            Self::Moon => "Moon Agreement",
        }
    }
}

/// Where an owner stands towards one treaty today (as at [`PARTIES_AS_OF`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// A state party; `since` is the date of deposit of its instrument, where known.
    Party { since: Option<NaiveDate> },
    /// An intergovernmental organisation that declared its acceptance (ESA, EUMETSAT, ...).
    DeclaredAcceptance { since: Option<NaiveDate> },
    /// A state that signed but has not ratified.
    Signatory,
    /// A state that is neither party nor signatory.
    NotParty,
    /// An intergovernmental organisation that made no declaration.
    NoDeclaration,
    /// Not a state or organisation the treaty binds: a company, a placeholder (`TBD`), the ISS
    /// partnership, or no SATCAT record.
    NotApplicable,
}

impl Standing {
    /// Bound by the treaty now: a party, or an organisation that declared acceptance.
    pub fn is_bound(self) -> bool {
        matches!(self, Self::Party { .. } | Self::DeclaredAcceptance { .. })
    }

    fn since(self) -> Option<NaiveDate> {
        match self {
            Self::Party { since } | Self::DeclaredAcceptance { since } => since,
            _ => None,
        }
    }

    /// Was the owner already bound on `date` (a launch date)? No state has ever withdrawn from
    /// OST or REG, so one that is not bound now was not bound then.
    pub fn at(self, date: Option<NaiveDate>) -> AtLaunch {
        match self {
            Self::NotApplicable => AtLaunch::NotApplicable,
            Self::Signatory | Self::NotParty | Self::NoDeclaration => AtLaunch::No,
            Self::Party { .. } | Self::DeclaredAcceptance { .. } => match (self.since(), date) {
                (Some(since), Some(date)) if since <= date => AtLaunch::Yes,
                (Some(_), Some(_)) => AtLaunch::No,
                _ => AtLaunch::Unknown,
            },
        }
    }

    /// Short machine-readable key (CSV and JSON).
    pub fn key(self) -> &'static str {
        match self {
            Self::Party { .. } => "party",
            Self::DeclaredAcceptance { .. } => "declared-acceptance",
            Self::Signatory => "signatory",
            Self::NotParty => "not-party",
            Self::NoDeclaration => "no-declaration",
            Self::NotApplicable => "n/a",
        }
    }

    /// For people: "party since 1988-12-12", "party (date of deposit not known)".
    pub fn describe(self) -> String {
        let dated = |what: &str, since: Option<NaiveDate>| match since {
            Some(date) => format!("{what} since {date}"),
            None => format!("{what} (date of deposit not known)"),
        };
        match self {
            Self::Party { since } => dated("party", since),
            Self::DeclaredAcceptance { since } => dated("declared acceptance", since),
            Self::Signatory => "signatory, not ratified".to_owned(),
            Self::NotParty => "not a party".to_owned(),
            Self::NoDeclaration => "organisation, no declaration of acceptance".to_owned(),
            Self::NotApplicable => "not a state or organisation".to_owned(),
        }
    }

    /// The date of deposit as text, empty where unknown or not bound.
    pub fn since_text(self) -> String {
        self.since()
            .map(|date| date.to_string())
            .unwrap_or_default()
    }
}

/// Whether the owner was bound by a treaty on the launch date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AtLaunch {
    Yes,
    /// Bound now, but the date of deposit (or the launch date) is not known.
    Unknown,
    No,
    NotApplicable,
}

impl AtLaunch {
    pub fn key(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Unknown => "unknown",
            Self::NotApplicable => "n/a",
        }
    }
}

/// An owner's standing towards one treaty, joint owners combined: bound if any member is (any
/// one of them can register the object), and at launch if any member was. The standing shown
/// is the member bound longest, so its date agrees with "at launch".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerStanding {
    /// The best standing among the owner's members (the owner's own for a single one).
    pub standing: Standing,
    at_launch_members: [Option<Standing>; 2],
}

impl OwnerStanding {
    pub fn at(&self, date: Option<NaiveDate>) -> AtLaunch {
        let mut members = self.at_launch_members.iter().flatten().peekable();
        if members.peek().is_none() {
            return self.standing.at(date);
        }
        // Declaration order makes the minimum "yes if any member was, else unknown if any
        // may have been".
        members
            .map(|member| member.at(date))
            .min()
            .unwrap_or(AtLaunch::NotApplicable)
    }
}

/// The standing of the owner behind a SATCAT owner code (`None`: no SATCAT record).
pub fn owner_standing(owner_code: Option<&str>, treaty: Treaty) -> OwnerStanding {
    let subject = owner_code.map_or(TreatySubject::NotApplicable, treaty_subject);
    let table = parties();
    match subject {
        TreatySubject::Joint(first, second) => {
            let members = [
                table.standing(*first, treaty),
                table.standing(*second, treaty),
            ];
            let standing = members
                .iter()
                .copied()
                .min_by_key(|standing| (rank(*standing), standing.since()))
                .unwrap_or(Standing::NotApplicable);
            OwnerStanding {
                standing,
                at_launch_members: members.map(Some),
            }
        }
        single => OwnerStanding {
            standing: table.standing(single, treaty),
            at_launch_members: [None, None],
        },
    }
}

/// Orders standings from most to least bound (for joint owners).
fn rank(standing: Standing) -> u8 {
    match standing {
        Standing::Party { since: Some(_) } | Standing::DeclaredAcceptance { since: Some(_) } => 0,
        Standing::Party { since: None } | Standing::DeclaredAcceptance { since: None } => 1,
        Standing::Signatory => 2,
        Standing::NotParty | Standing::NoDeclaration => 3,
        Standing::NotApplicable => 4,
    }
}

/// An object seen through the lens of one treaty: its owner's standing at its launch, in the
/// classes the colour mode draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LensClass {
    /// The owner was already bound on the launch date.
    BoundAtLaunch,
    /// The owner became bound after the launch.
    BoundAfterLaunch,
    /// The owner is bound; when it became so (or the launch date) is not known.
    BoundDateUnknown,
    /// A state that is not a party (a signatory included), or an organisation without a
    /// declaration.
    NotBound,
    /// A company, a placeholder, or no SATCAT record.
    NotApplicable,
}

impl LensClass {
    pub const ALL: [Self; 5] = [
        Self::BoundAtLaunch,
        Self::BoundAfterLaunch,
        Self::BoundDateUnknown,
        Self::NotBound,
        Self::NotApplicable,
    ];

    pub fn of(owner: &OwnerStanding, launched: Option<NaiveDate>) -> Self {
        match owner.at(launched) {
            AtLaunch::Yes => Self::BoundAtLaunch,
            AtLaunch::Unknown => Self::BoundDateUnknown,
            AtLaunch::No if owner.standing.is_bound() => Self::BoundAfterLaunch,
            AtLaunch::No => Self::NotBound,
            AtLaunch::NotApplicable => Self::NotApplicable,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::BoundAtLaunch => "party at launch",
            Self::BoundAfterLaunch => "became a party after launch",
            Self::BoundDateUnknown => "party, date of deposit unknown",
            Self::NotBound => "not a party",
            Self::NotApplicable => "company, joint or unknown owner",
        }
    }
}
