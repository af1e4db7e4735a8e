//! The window's filter: a settings resource holding the core's [`Filter`], and what is derived
//! from it (the per-object mask markers and picking use, the counts the filter panel shows),
//! recomputed only when the filter changes.

use bevy::prelude::*;

use super::markers::MarkerStyle;
use super::picking::Selection;
use super::propagation::CatalogData;
use crate::filter::{ChoiceCounts, Filter};

/// Which objects are shown (what a scenario file stores).
#[derive(Resource, Debug, Clone, Default, PartialEq, Deref, DerefMut)]
pub struct FilterSettings(pub Filter);

/// "Catalog as of the clock": while on, the filter's `in_orbit_on` follows the simulation
/// clock's UTC date.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatalogAsOfClock(pub bool);

/// Counts beside each choice of each criterion, and shown / total.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Deref)]
pub struct FilterChoices(pub ChoiceCounts);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FilterSettings>()
        .init_resource::<FilterChoices>()
        .init_resource::<CatalogAsOfClock>()
        .add_systems(
            Update,
            follow_the_clock_date
                .after(super::controls::ApplyActions)
                .before(apply_filter),
        )
        .add_systems(
            Update,
            apply_filter
                .run_if(resource_changed::<FilterSettings>)
                .after(super::controls::ApplyActions)
                .before(super::FrameSystems::Present),
        );
}

/// Moves the filter's date with the clock (once a day of simulation time: the mask is rebuilt
/// only when the date changes).
fn follow_the_clock_date(
    as_of: Res<CatalogAsOfClock>,
    clock: Res<super::SimClock>,
    mut settings: ResMut<FilterSettings>,
) {
    if !as_of.0 {
        return;
    }
    let date = Some(clock.now().to_utc().date_naive());
    if settings.in_orbit_on != date {
        settings.in_orbit_on = date;
    }
}

/// Rebuilds the mask and the counts; a selected object the filter hides is deselected (it can
/// no longer be seen or picked).
fn apply_filter(
    settings: Res<FilterSettings>,
    catalog: Res<CatalogData>,
    mut style: ResMut<MarkerStyle>,
    mut choices: ResMut<FilterChoices>,
    mut selection: ResMut<Selection>,
) {
    // One pass gives both the mask and the counts beside every choice.
    let (counts, mask) = ChoiceCounts::with_mask(&settings, &catalog.objects);
    let hidden =
        |row: Option<usize>| row.is_some_and(|row| !mask.get(row).copied().unwrap_or(false));
    if hidden(selection.selected) {
        selection.select(None);
    } else if hidden(selection.companion) {
        selection.companion = None;
    }
    style.set_mask(mask);
    choices.set_if_neq(FilterChoices(counts));
}
