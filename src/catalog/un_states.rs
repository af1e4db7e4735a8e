//! The UN register names a state of registry in words ("Russian Federation", "USSR",
//! "France (for Eutelsat)", "ESA"); the SATCAT names owners by CelesTrak code (`CIS`, `FR`,
//! `ESA`). This maps the first to the second, so the two can be compared.
//!
//! The judgements, also listed in the README:
//! - "USSR" and "Russian Federation" are both `CIS`: CelesTrak files the former USSR's objects
//!   and Russia's under the one code, and Russia is the USSR's continuator State.
//! - "X (for Y)" / "X (to Y)" is registered by X on behalf of Y: the state of registry is X
//!   ("France (for Eutelsat)" → `FR`, "ESA (for Eumetsat)" → `ESA`).
//! - International organisations that register in their own name map to their own code
//!   (ESA, EUMETSAT → `EUME`, EUTELSAT → `EUTE`, INTELSAT → `ITSO`, Intersputnik → none).
//! - A name this table does not know maps to nothing: it is shown as the UN writes it and
//!   counted as unmapped, never guessed.

use super::owners::{OwnerKind, satcat_owners};

/// Names (lower case, without a leading "the ") the UN index uses that differ from CelesTrak's
/// owner names, with the CelesTrak code each stands for.
const ALIASES: &[(&str, &str)] = &[
    ("ussr", "CIS"),
    ("soviet union", "CIS"),
    ("north korea", "NKOR"),
    ("south korea", "SKOR"),
    ("czech and slovak federal republic", "CZCH"),
    ("taiwan", "ROC"),
    ("inmarsat", "IM"),
    ("union of soviet socialist republics", "CIS"),
    ("russian federation", "CIS"),
    ("russia", "CIS"),
    ("united states of america", "US"),
    ("united states", "US"),
    ("usa", "US"),
    ("china", "PRC"),
    ("people's republic of china", "PRC"),
    ("united kingdom of great britain and northern ireland", "UK"),
    ("united kingdom", "UK"),
    ("federal republic of germany", "GER"),
    ("germany", "GER"),
    ("republic of korea", "SKOR"),
    ("korea, republic of", "SKOR"),
    ("democratic people's republic of korea", "NKOR"),
    ("türkiye", "TURK"),
    ("turkey", "TURK"),
    ("iran (islamic republic of)", "IRAN"),
    ("iran, islamic republic of", "IRAN"),
    ("czech republic", "CZCH"),
    ("czechia", "CZCH"),
    ("czechoslovakia", "CZCH"),
    ("viet nam", "VTNM"),
    ("venezuela (bolivarian republic of)", "VENZ"),
    ("bolivia (plurinational state of)", "BOL"),
    ("esa", "ESA"),
    ("european space agency", "ESA"),
    ("eumetsat", "EUME"),
    (
        "european organisation for the exploitation of meteorological satellites",
        "EUME",
    ),
    (
        "european organization for the exploitation of meteorological satellites",
        "EUME",
    ),
    ("eutelsat", "EUTE"),
    ("european telecommunications satellite organization", "EUTE"),
    ("intelsat", "ITSO"),
    (
        "international telecommunications satellite organization",
        "ITSO",
    ),
    ("arabsat", "AB"),
    ("arab satellite communications organization", "AB"),
    ("netherlands (kingdom of the)", "NETH"),
    ("kingdom of the netherlands", "NETH"),
];

/// The part of a state-of-registry value that names the registering state: "France (for
/// Eutelsat)" → "France". A parenthesis that is part of a name ("Iran (Islamic Republic of)")
/// is kept.
pub fn registering_state(raw: &str) -> &str {
    let raw = raw.trim();
    for marker in [" (for ", " (to ", " (on behalf of "] {
        if let Some(index) = raw.to_ascii_lowercase().find(marker) {
            return raw[..index].trim();
        }
    }
    raw
}

/// The CelesTrak owner code for a state of registry as the UN register writes it, or `None`
/// when the name is not known (see the module docs for the judgements).
pub fn owner_code_of_un_state(raw: &str) -> Option<&'static str> {
    let name = registering_state(raw).to_lowercase();
    let name = name.strip_prefix("the ").unwrap_or(&name).trim();
    if name.is_empty() {
        return None;
    }
    if let Some((_, code)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some(code);
    }
    // Otherwise a state whose CelesTrak name is the UN's ("Belgium", "Uruguay"), with or
    // without CelesTrak's "Republic of" prefix.
    satcat_owners()
        .filter(|owner| matches!(owner.kind, Some(OwnerKind::State | OwnerKind::Organisation)))
        .find(|owner| {
            let known = owner.name.to_lowercase();
            known == name || known.strip_prefix("republic of ") == Some(name)
        })
        .map(|owner| owner.code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::owners::satcat_owner;

    #[test]
    fn every_alias_names_a_known_owner_code() {
        for (alias, code) in ALIASES {
            assert!(
                satcat_owner(code).kind.is_some(),
                "{alias:?} maps to {code}, which CelesTrak's table does not know"
            );
        }
    }

    #[test]
    fn the_index_names_map_to_owner_codes() {
        let cases = [
            ("USSR", Some("CIS")),
            ("Russian Federation", Some("CIS")),
            ("USSR (for Intercosmos)", Some("CIS")),
            ("Russian Federation (for Starsem)", Some("CIS")),
            ("United States of America", Some("US")),
            ("China", Some("PRC")),
            ("United Kingdom", Some("UK")),
            ("France (for Eutelsat)", Some("FR")),
            ("ESA (for Eumetsat)", Some("ESA")),
            ("EUMETSAT", Some("EUME")),
            ("Belgium", Some("BEL")),
            ("Uruguay", Some("URY")),
            ("Djibouti", Some("DJI")),
            ("Türkiye", Some("TURK")),
            ("Iran (Islamic Republic of)", Some("IRAN")),
            ("Republic of Korea", Some("SKOR")),
            ("Atlantis", None),
            ("", None),
        ];
        for (name, code) in cases {
            assert_eq!(owner_code_of_un_state(name), code, "{name}");
        }
    }

    #[test]
    fn on_behalf_of_keeps_the_registering_state() {
        assert_eq!(registering_state("France (for Eutelsat)"), "France");
        assert_eq!(
            registering_state("Iran (Islamic Republic of)"),
            "Iran (Islamic Republic of)"
        );
    }
}
