//! The filter panel: a search box with results, then every criterion with live counts (what
//! each choice would show given the other criteria), shown / total and a reset. Ticking
//! narrows; a criterion with nothing ticked lets everything through.

use std::collections::BTreeSet;

use bevy_egui::egui;

use super::widgets::{choice, choice_text, count, one_line};
use super::{PanelData, UiState};
use crate::app::controls::AppAction;
use crate::catalog::ObjectType;
use crate::catalog::owners::{OwnerKind, satcat_owner};
use crate::filter::{AltitudeRange, Filter, Regime, RegistrationStatus, YearRange, matches_search};
use crate::scenario::OrbitsShown;
use crate::treaty::{PARTIES_AS_OF, Treaty};

/// Results listed under the search box.
const MAX_RESULTS: usize = 12;

/// The search box's text and its results, recomputed only when the text changes.
#[derive(Debug, Default)]
pub(super) struct SearchBox {
    text: String,
    /// The text and the catalog the results are for: a refreshed catalog renumbers its rows.
    /// The weak reference keeps the old allocation, so a new catalog cannot reuse its address.
    results_for: Option<(String, std::sync::Weak<crate::catalog::Catalog>)>,
    results: Vec<usize>,
    total_matches: usize,
}

impl SearchBox {
    fn refresh(&mut self, data: &PanelData) {
        let catalog = &data.catalog.0;
        if self
            .results_for
            .as_ref()
            .is_some_and(|(text, for_catalog)| {
                *text == self.text
                    && std::ptr::eq(for_catalog.as_ptr(), std::sync::Arc::as_ptr(catalog))
            })
        {
            return;
        }
        self.results.clear();
        self.total_matches = 0;
        if !self.text.trim().is_empty() {
            for (index, object) in data.catalog.objects.iter().enumerate() {
                if matches_search(object, &self.text) {
                    self.total_matches += 1;
                    if self.results.len() < MAX_RESULTS {
                        self.results.push(index);
                    }
                }
            }
        }
        self.results_for = Some((self.text.clone(), std::sync::Arc::downgrade(catalog)));
    }
}

/// Draws the panel below `top` (the bottom of the panel above it).
pub(super) fn panel(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    top: f32,
    roomy: bool,
    actions: &mut Vec<AppAction>,
) {
    if !state.show_filters {
        return;
    }
    let filter = &data.filter.0;
    let counts = &data.choices.0;
    egui::Window::new("Filter")
        .anchor(egui::Align2::LEFT_TOP, [8.0, top + 8.0])
        .default_open(roomy)
        .max_width(270.0)
        .resizable(false)
        .show(ctx, |ui| {
            // Long owner names are cut, not allowed to widen the panel over the globe.
            ui.set_max_width(260.0);
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            ui.horizontal(|ui| {
                ui.strong(format!(
                    "{} of {} shown",
                    count(counts.shown),
                    count(counts.total)
                ));
                if ui
                    .add_enabled(!filter.is_empty(), egui::Button::new("reset"))
                    .on_hover_text("show every object")
                    .clicked()
                {
                    actions.push(AppAction::SetFilter(Box::default()));
                }
            });
            let mut dim = data.style.hidden == crate::markers::Hidden::Dimmed;
            if ui
                .checkbox(&mut dim, "dim what is filtered out")
                .on_hover_text("draw the other objects faint, for context (they cannot be picked)")
                .changed()
            {
                actions.push(AppAction::SetDimHidden(dim));
            }
            orbits_option(ui, data, actions);
            search(ui, data, state, actions);
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.55)
                .show(ui, |ui| {
                    let mut edited = filter.clone();
                    criteria(ui, data, state, &mut edited);
                    if edited != *filter {
                        actions.push(AppAction::SetFilter(Box::new(edited)));
                    }
                });
        });
}

/// Which orbits to draw: none, the selected object's, or every shown object's (any number,
/// one instanced draw), with their opacity.
fn orbits_option(ui: &mut egui::Ui, data: &PanelData, actions: &mut Vec<AppAction>) {
    let mut settings = *data.orbit_settings;
    ui.horizontal(|ui| {
        ui.label("orbits:");
        ui.selectable_value(&mut settings.shown, OrbitsShown::Off, "off")
            .on_hover_text("no orbit lines (a selected object keeps its ground track)");
        ui.selectable_value(&mut settings.shown, OrbitsShown::Selected, "selected")
            .on_hover_text("the selected object's orbit, exact SGP4");
        ui.selectable_value(&mut settings.shown, OrbitsShown::All, "all shown")
            .on_hover_text(
                "every shown object's orbit: its osculating ellipse, taken again each \
                 simulated minute",
            );
    });
    if settings.shown == OrbitsShown::All {
        ui.add(egui::Slider::new(&mut settings.opacity, 0.02..=1.0).text("opacity"));
        ui.weak(format!(
            "{} orbits, refreshed in {:.1} ms",
            count(data.orbits.instances.len()),
            data.orbits.last_refresh_ms
        ));
    }
    if settings != *data.orbit_settings {
        actions.push(AppAction::SetOrbits(settings));
    }
}

fn search(ui: &mut egui::Ui, data: &PanelData, state: &mut UiState, actions: &mut Vec<AppAction>) {
    ui.add(
        egui::TextEdit::singleline(&mut state.search.text)
            .hint_text("find: name, NORAD or COSPAR id")
            .desired_width(f32::INFINITY),
    );
    state.search.refresh(data);
    let search = &state.search;
    if search.text.trim().is_empty() {
        return;
    }
    if search.results.is_empty() {
        ui.weak("no object matches");
        return;
    }
    for &index in &search.results {
        let object = &data.catalog.objects[index];
        let owner = object.owner_code().unwrap_or("-");
        let shown = data.style.mask().get(index).copied().unwrap_or(true);
        let label = format!("{}  ·  {}  ·  {owner}", object.name, object.norad_id);
        let response = ui
            .add_enabled(
                shown,
                egui::Button::new(label)
                    .frame(false)
                    .wrap_mode(egui::TextWrapMode::Truncate),
            )
            .on_hover_text("select it and turn the globe to it")
            .on_disabled_hover_text("hidden by the filter");
        if response.clicked() {
            actions.push(AppAction::Focus(index));
        }
    }
    if search.total_matches > search.results.len() {
        ui.weak(format!(
            "… {} more: type more of the name",
            count(search.total_matches - search.results.len())
        ));
    }
    // Searching narrows the globe too, with the same words.
    let text = search.text.trim().to_owned();
    let narrowing = data.filter.search.as_deref() == Some(text.as_str());
    let label = if narrowing {
        "stop showing only matches"
    } else {
        "show only matches on the globe"
    };
    if ui.small_button(label).clicked() {
        let mut edited = data.filter.0.clone();
        edited.search = (!narrowing).then_some(text);
        actions.push(AppAction::SetFilter(Box::new(edited)));
    }
}

/// Ticks `value` in `set` on or off.
fn toggle<T: Ord>(set: &mut BTreeSet<T>, value: T, on: bool) {
    if on {
        set.insert(value);
    } else {
        set.remove(&value);
    }
}

fn criteria(ui: &mut egui::Ui, data: &PanelData, state: &mut UiState, filter: &mut Filter) {
    let counts = &data.choices.0;
    ui.weak("tick to narrow; nothing ticked = all");
    egui::CollapsingHeader::new("UN registration")
        .default_open(true)
        .show(ui, |ui| {
            for status in RegistrationStatus::ALL {
                let label = match status {
                    RegistrationStatus::Registered => "registered",
                    RegistrationStatus::NotRegistered => "not registered",
                    RegistrationStatus::NoData => "no data",
                };
                let ticked = filter.registration.contains(&status);
                let n = counts.registration.get(&status).copied().unwrap_or(0);
                if choice(ui, ticked, label, n) {
                    toggle(&mut filter.registration, status, !ticked);
                }
            }
        });
    egui::CollapsingHeader::new("treaties (owner)").show(ui, |ui| treaties(ui, filter));
    egui::CollapsingHeader::new("owner")
        .default_open(true)
        .show(ui, |ui| owners(ui, data, state, filter));
    egui::CollapsingHeader::new("object type")
        .default_open(true)
        .show(ui, |ui| {
            for kind in ObjectType::ALL {
                let ticked = filter.types.contains(&kind);
                let n = counts.types.get(&kind).copied().unwrap_or(0);
                if choice(ui, ticked, kind.label(), n) {
                    toggle(&mut filter.types, kind, !ticked);
                }
            }
        });
    egui::CollapsingHeader::new("orbit regime").show(ui, |ui| {
        for regime in Regime::ALL {
            let ticked = filter.regimes.contains(&regime);
            let n = counts.regimes.get(&regime).copied().unwrap_or(0);
            if choice(ui, ticked, regime.label(), n) {
                toggle(&mut filter.regimes, regime, !ticked);
            }
        }
        ui.weak("GEO: period 1 436 ± 72 min, e < 0.1; HEO: e ≥ 0.25; LEO: apogee < 2 000 km; MEO: perigee ≥ 2 000 km, below GEO");
    });
    egui::CollapsingHeader::new("operational status").show(ui, |ui| {
        for (code, label) in [
            ("+", "operational"),
            ("P", "partially operational"),
            ("B", "backup"),
            ("S", "spare"),
            ("X", "extended mission"),
            ("-", "nonoperational"),
            ("D", "decayed"),
            ("?", "unknown"),
        ] {
            let ticked = filter.ops_status.contains(code);
            let n = counts.ops_status.get(code).copied().unwrap_or(0);
            if choice(ui, ticked, &format!("{label} ({code})"), n) {
                toggle(&mut filter.ops_status, code.to_owned(), !ticked);
            }
        }
    });
    egui::CollapsingHeader::new("launch year and altitude").show(ui, |ui| {
        let mut years_on = filter.launched.is_some();
        let mut years = filter.launched.unwrap_or(YearRange {
            from: 1957,
            to: chrono::Datelike::year(&chrono::Utc::now()),
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut years_on, "launched");
            ui.add(egui::DragValue::new(&mut years.from).range(1957..=2100));
            ui.label("to");
            ui.add(egui::DragValue::new(&mut years.to).range(1957..=2100));
        });
        years.to = years.to.max(years.from);
        filter.launched = years_on.then_some(years);

        let mut altitude_on = filter.altitude.is_some();
        let mut altitude = filter.altitude.unwrap_or(AltitudeRange {
            low_km: 500.0,
            high_km: 600.0,
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut altitude_on, "crosses");
            ui.add(
                egui::DragValue::new(&mut altitude.low_km)
                    .range(0.0..=400_000.0)
                    .speed(10.0),
            );
            ui.label("to");
            ui.add(
                egui::DragValue::new(&mut altitude.high_km)
                    .range(0.0..=400_000.0)
                    .speed(10.0),
            );
            ui.label("km");
        });
        altitude.high_km = altitude.high_km.max(altitude.low_km);
        filter.altitude = altitude_on.then_some(altitude);
    });
}

/// The treaty lens as criteria: the owner is bound today, or already was at launch.
fn treaties(ui: &mut egui::Ui, filter: &mut Filter) {
    for (treaty, short) in [(Treaty::Ost, "OST"), (Treaty::Reg, "REG")] {
        ui.horizontal(|ui| {
            let mut now = filter.party_to.contains(&treaty);
            if ui
                .checkbox(&mut now, format!("party to {short}"))
                .on_hover_text(format!("the owner is bound by the {} today", treaty.name()))
                .changed()
            {
                toggle(&mut filter.party_to, treaty, now);
            }
            let mut at_launch = filter.party_at_launch.contains(&treaty);
            if ui
                .checkbox(&mut at_launch, "at launch")
                .on_hover_text(format!(
                    "the owner was already bound by the {} on the launch date \
                     (known dates of deposit only)",
                    treaty.name()
                ))
                .changed()
            {
                toggle(&mut filter.party_at_launch, treaty, at_launch);
            }
        });
    }
    ui.weak(format!(
        "parties as at {PARTIES_AS_OF}; organisations that declared acceptance count; \
         ticking both means both"
    ));
}

/// Owner choices: every owner among what the other criteria leave (and every ticked one), with
/// full name and count, its own search box, all / states only / none.
fn owners(ui: &mut egui::Ui, data: &PanelData, state: &mut UiState, filter: &mut Filter) {
    let counts = &data.choices.0;
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut state.owner_search)
                .hint_text("owner code or name")
                .desired_width(120.0),
        );
        if ui
            .small_button("states")
            .on_hover_text("tick every state (no organisations or companies)")
            .clicked()
        {
            filter.owners = counts
                .owners
                .keys()
                .filter(|code| satcat_owner(code).kind == Some(OwnerKind::State))
                .cloned()
                .collect();
        }
        if ui
            .small_button("none")
            .on_hover_text("untick all (= every owner)")
            .clicked()
        {
            filter.owners.clear();
        }
    });
    let wanted = state.owner_search.trim().to_lowercase();
    let mut rows: Vec<(String, usize)> = counts
        .owners
        .iter()
        .map(|(code, n)| (code.clone(), *n))
        .collect();
    for ticked in &filter.owners {
        if !counts.owners.contains_key(ticked) {
            rows.push((ticked.clone(), 0));
        }
    }
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    egui::ScrollArea::vertical()
        .id_salt("owners")
        .max_height(160.0)
        .show(ui, |ui| {
            for (code, n) in rows {
                let owner = satcat_owner(&code);
                if !wanted.is_empty()
                    && !code.to_lowercase().contains(&wanted)
                    && !owner.name.to_lowercase().contains(&wanted)
                {
                    continue;
                }
                let ticked = filter.owners.contains(&code);
                let kind = owner.kind.map_or("unlisted code", OwnerKind::label);
                // Code and count first: a long name is cut at the panel's edge, they are not.
                let name = if owner.name == code { "" } else { owner.name };
                let text = format!("{code}  {}  {name}", count(n));
                ui.horizontal(|ui| {
                    if choice_text(ui, ticked, text) {
                        toggle(&mut filter.owners, code.clone(), !ticked);
                    }
                })
                .response
                .on_hover_text(format!("{} ({kind})", owner.name));
            }
        });
    match filter.owners.len() {
        0 => {}
        1 => {
            one_line(ui, "1 owner ticked");
        }
        n => {
            one_line(ui, format!("{n} owners ticked"));
        }
    }
}
