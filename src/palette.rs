//! Colour modes, their palettes and the legend, decided without Bevy. Every palette is built
//! from colours that stay distinct with the common colour-vision deficiencies (Okabe & Ito).
//! The legend is computed from the same classes the markers are coloured by, over the objects
//! the filter shows, so it always matches what is drawn.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{ObjectType, SpaceObject};
use crate::filter::{Filter, OrbitShape, Regime, RegistrationStatus};
use crate::stats::NO_OWNER;
use crate::treaty::{LensClass, Treaty, owner_standing};

/// How markers are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColorMode {
    /// Payload, rocket body, debris, unknown.
    #[default]
    ObjectType,
    /// Registered, not registered, no data.
    Registration,
    /// The largest owners in the current filter, the rest as "other".
    Owner,
    /// LEO, MEO, GEO, HEO, other.
    Regime,
    /// The owner's standing towards the Registration Convention at launch (treaty lens).
    RegistrationConvention,
}

impl ColorMode {
    pub const ALL: [Self; 5] = [
        Self::ObjectType,
        Self::Registration,
        Self::Owner,
        Self::Regime,
        Self::RegistrationConvention,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::ObjectType => "object type",
            Self::Registration => "UN registration",
            Self::Owner => "owner",
            Self::Regime => "orbit regime",
            Self::RegistrationConvention => "Registration Convention at launch",
        }
    }
}

/// Linear-light RGBA (what the shader writes before the sRGB view conversion).
pub type Rgba = [f32; 4];

/// An sRGB colour as linear RGBA.
pub fn srgb(r: u8, g: u8, b: u8) -> Rgba {
    let linear = |channel: u8| {
        let c = f32::from(channel) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    [linear(r), linear(g), linear(b), 1.0]
}

/// A linear colour back to 8-bit sRGB (the inverse of [`srgb`]), for files that name colours
/// as people and other tools write them (`#56b4e9`, CZML's `rgba`, KML's `aabbggrr`).
pub fn to_srgb8(color: Rgba) -> [u8; 3] {
    let encode = |linear: f32| {
        let c = linear.clamp(0.0, 1.0);
        let encoded = if c <= 0.003_130_8 {
            c * 12.92
        } else {
            1.055 * c.powf(1.0 / 2.4) - 0.055
        };
        (encoded * 255.0).round() as u8
    };
    [encode(color[0]), encode(color[1]), encode(color[2])]
}

// Okabe–Ito.
const ORANGE: (u8, u8, u8) = (230, 159, 0);
const SKY_BLUE: (u8, u8, u8) = (86, 180, 233);
const BLUISH_GREEN: (u8, u8, u8) = (0, 158, 115);
const YELLOW: (u8, u8, u8) = (240, 228, 66);
const BLUE: (u8, u8, u8) = (0, 114, 178);
const VERMILLION: (u8, u8, u8) = (213, 94, 0);
const REDDISH_PURPLE: (u8, u8, u8) = (204, 121, 167);
const GREY: (u8, u8, u8) = (150, 150, 150);

fn rgb((r, g, b): (u8, u8, u8)) -> Rgba {
    srgb(r, g, b)
}

/// Colours for the largest owners, in rank order.
const OWNER_COLORS: [(u8, u8, u8); 7] = [
    SKY_BLUE,
    VERMILLION,
    BLUISH_GREEN,
    ORANGE,
    REDDISH_PURPLE,
    YELLOW,
    BLUE,
];

/// The colour of the owner ranked `rank` (0 = largest); grey past the palette.
pub fn owner_rank_color(rank: usize) -> Rgba {
    OWNER_COLORS
        .get(rank)
        .map_or(rgb(GREY), |color| rgb(*color))
}

/// How many owners get a colour of their own; the rest are "other owners".
pub const OWNER_COLOR_COUNT: usize = OWNER_COLORS.len();

pub fn type_color(kind: ObjectType) -> Rgba {
    match kind {
        ObjectType::Payload => rgb(SKY_BLUE),
        ObjectType::RocketBody => rgb(ORANGE),
        ObjectType::Debris => rgb(VERMILLION),
        ObjectType::Unknown => srgb(200, 200, 200),
    }
}

pub fn registration_color(status: RegistrationStatus) -> Rgba {
    match status {
        RegistrationStatus::Registered => rgb(BLUISH_GREEN),
        RegistrationStatus::NotRegistered => rgb(REDDISH_PURPLE),
        RegistrationStatus::NoData => rgb(GREY),
    }
}

pub fn lens_color(class: LensClass) -> Rgba {
    match class {
        LensClass::BoundAtLaunch => rgb(BLUISH_GREEN),
        LensClass::BoundAfterLaunch => rgb(ORANGE),
        LensClass::BoundDateUnknown => rgb(SKY_BLUE),
        LensClass::NotBound => rgb(REDDISH_PURPLE),
        LensClass::NotApplicable => rgb(GREY),
    }
}

pub fn regime_color(regime: Regime) -> Rgba {
    match regime {
        Regime::Leo => rgb(SKY_BLUE),
        Regime::Meo => rgb(BLUISH_GREEN),
        Regime::Geo => rgb(ORANGE),
        Regime::Heo => rgb(REDDISH_PURPLE),
        Regime::Other => rgb(GREY),
    }
}

/// Highlight for the selected object.
pub const SELECTED_COLOR: Rgba = [1.0, 1.0, 0.2, 1.0];

/// The class an object falls in under a colour mode: one legend entry per class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColorClass {
    Type(ObjectType),
    Registration(RegistrationStatus),
    /// One of the largest owners (its rank, then its code).
    Owner(usize, String),
    /// Every other owner, and objects without a SATCAT row.
    OtherOwners,
    Regime(Regime),
    /// The Registration Convention lens.
    Treaty(LensClass),
}

/// One legend line: its colour, its words, and how many drawn objects it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub class: ColorClass,
    pub color: Rgba,
    pub label: String,
    pub count: usize,
}

/// The colouring in force: the mode, and for owners the ranked owners that have colours.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Palette {
    pub mode: ColorMode,
    /// The largest owners among the shown objects, most objects first (ties by code).
    pub ranked_owners: Vec<String>,
}

impl Palette {
    /// The palette for `mode` over the objects `mask` shows. Owner colours go to the owners
    /// with the most shown objects, so the same filter gives the same colours in every run.
    pub fn new(mode: ColorMode, objects: &[SpaceObject], mask: &[bool]) -> Self {
        let ranked_owners = if mode == ColorMode::Owner {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for (object, _) in shown(objects, mask) {
                if let Some(owner) = object.owner_code() {
                    *counts.entry(owner).or_default() += 1;
                }
            }
            let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            ranked
                .into_iter()
                .take(OWNER_COLOR_COUNT)
                .map(|(owner, _)| owner.to_owned())
                .collect()
        } else {
            Vec::new()
        };
        Self {
            mode,
            ranked_owners,
        }
    }

    pub fn class_of(&self, object: &SpaceObject) -> ColorClass {
        match self.mode {
            ColorMode::ObjectType => ColorClass::Type(object.object_type()),
            ColorMode::Registration => {
                ColorClass::Registration(RegistrationStatus::of(&object.registration))
            }
            ColorMode::Owner => self
                .owner_rank(object)
                .map_or(ColorClass::OtherOwners, |rank| {
                    ColorClass::Owner(rank, self.ranked_owners[rank].clone())
                }),
            ColorMode::Regime => {
                ColorClass::Regime(OrbitShape::from_elements(&object.elements).regime())
            }
            ColorMode::RegistrationConvention => ColorClass::Treaty(LensClass::of(
                &owner_standing(object.owner_code(), Treaty::Reg),
                crate::stats::launch_date(object),
            )),
        }
    }

    pub fn color_of_class(class: &ColorClass) -> Rgba {
        match class {
            ColorClass::Type(kind) => type_color(*kind),
            ColorClass::Registration(status) => registration_color(*status),
            ColorClass::Owner(rank, _) => OWNER_COLORS
                .get(*rank)
                .map_or_else(|| rgb(GREY), |&c| rgb(c)),
            ColorClass::OtherOwners => rgb(GREY),
            ColorClass::Regime(regime) => regime_color(*regime),
            ColorClass::Treaty(class) => lens_color(*class),
        }
    }

    /// The rank of the object's owner among the coloured owners.
    fn owner_rank(&self, object: &SpaceObject) -> Option<usize> {
        let owner = object.owner_code()?;
        self.ranked_owners.iter().position(|o| o == owner)
    }

    pub fn color(&self, object: &SpaceObject) -> Rgba {
        if self.mode == ColorMode::Owner {
            // Per object on every recolour: no class (and no string) built.
            return self.owner_rank(object).map_or_else(
                || Self::color_of_class(&ColorClass::OtherOwners),
                |rank| Self::color_of_class(&ColorClass::Owner(rank, String::new())),
            );
        }
        Self::color_of_class(&self.class_of(object))
    }

    /// One entry per class present among the shown objects, in a fixed order, with counts.
    pub fn legend(&self, objects: &[SpaceObject], mask: &[bool]) -> Vec<LegendEntry> {
        let mut counts: BTreeMap<ColorClass, usize> = BTreeMap::new();
        if self.mode == ColorMode::Owner {
            // Counted by rank (the last slot for "other"): no string per object.
            let other = self.ranked_owners.len();
            let mut by_rank = vec![0usize; other + 1];
            for (object, _) in shown(objects, mask) {
                by_rank[self.owner_rank(object).unwrap_or(other)] += 1;
            }
            for (rank, &count) in by_rank.iter().enumerate().filter(|(_, n)| **n > 0) {
                let class = match self.ranked_owners.get(rank) {
                    Some(owner) => ColorClass::Owner(rank, owner.clone()),
                    None => ColorClass::OtherOwners,
                };
                counts.insert(class, count);
            }
        } else {
            for (object, _) in shown(objects, mask) {
                *counts.entry(self.class_of(object)).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(class, count)| LegendEntry {
                color: Self::color_of_class(&class),
                label: class_label(&class),
                class,
                count,
            })
            .collect()
    }

    /// Whether [`Self::narrow_to`] can express `class` as a filter (cheap: no catalog pass).
    pub fn can_narrow(class: &ColorClass) -> bool {
        !matches!(class, ColorClass::Treaty(lens) if *lens != LensClass::BoundAtLaunch)
    }

    /// The filter that shows only this legend entry's objects, on top of `filter`; `None`
    /// where no filter criterion expresses the class (the treaty lens's classes other than
    /// "party at launch").
    pub fn narrow_to(
        &self,
        class: &ColorClass,
        filter: &Filter,
        objects: &[SpaceObject],
    ) -> Option<Filter> {
        let mut narrowed = filter.clone();
        match class {
            ColorClass::Type(kind) => narrowed.types = [*kind].into(),
            ColorClass::Registration(status) => narrowed.registration = [*status].into(),
            ColorClass::Owner(_, owner) => narrowed.owners = [owner.to_ascii_uppercase()].into(),
            ColorClass::OtherOwners => {
                // Every owner among the shown objects that has no colour of its own.
                narrowed.owners = objects
                    .iter()
                    .filter(|object| filter.matches(object))
                    .filter_map(SpaceObject::owner_code)
                    .filter(|owner| !self.ranked_owners.iter().any(|o| o == owner))
                    .map(str::to_ascii_uppercase)
                    .collect();
            }
            ColorClass::Regime(regime) => narrowed.regimes = [*regime].into(),
            ColorClass::Treaty(LensClass::BoundAtLaunch) => {
                narrowed.party_at_launch.insert(Treaty::Reg);
            }
            ColorClass::Treaty(_) => return None,
        }
        Some(narrowed)
    }
}

fn shown<'a>(
    objects: &'a [SpaceObject],
    mask: &'a [bool],
) -> impl Iterator<Item = (&'a SpaceObject, usize)> {
    objects
        .iter()
        .enumerate()
        .filter(|(index, _)| mask.get(*index).copied().unwrap_or(true))
        .map(|(index, object)| (object, index))
}

fn class_label(class: &ColorClass) -> String {
    match class {
        ColorClass::Type(kind) => kind.label().to_owned(),
        ColorClass::Registration(status) => match status {
            RegistrationStatus::Registered => "registered".to_owned(),
            RegistrationStatus::NotRegistered => "not registered".to_owned(),
            RegistrationStatus::NoData => "no registration data".to_owned(),
        },
        ColorClass::Owner(_, code) => {
            let owner = crate::catalog::owners::satcat_owner(code);
            if owner.name == code {
                code.clone()
            } else {
                format!("{} ({code})", owner.name)
            }
        }
        ColorClass::OtherOwners => format!("other owners, or no SATCAT row ({NO_OWNER})"),
        ColorClass::Regime(regime) => regime.label().to_owned(),
        ColorClass::Treaty(class) => class.label().to_owned(),
    }
}

#[cfg(test)]
mod tests;
