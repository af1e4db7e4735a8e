//! Everything known about the selected object: names and ids, owner, type and status, launch
//! and decay, UN registration, the element set and its age, the orbit, and where it is now.

use bevy_egui::egui;
use glam::DVec3;

use super::PanelData;
use crate::app::controls::AppAction;
use crate::catalog::owners::satcat_owner;
use crate::catalog::{Registration, RegistrationSource, SpaceObject};
use crate::filter::OrbitShape;
use crate::orbit::{Instant, teme_to_geodetic};

pub(super) fn panel(ctx: &egui::Context, data: &PanelData, actions: &mut Vec<AppAction>) {
    let Some(index) = data.selection.selected else {
        return;
    };
    let Some(object) = data.catalog.objects.get(index) else {
        return;
    };
    let mut open = true;
    egui::Window::new(&object.name)
        .id(egui::Id::new("details"))
        .anchor(egui::Align2::RIGHT_TOP, [-8.0, 8.0])
        .open(&mut open)
        .max_width(440.0)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("details grid")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| rows(ui, data, index, object));
            let companion = data
                .selection
                .companion
                .and_then(|row| Some((row, data.catalog.objects.get(row)?)));
            if let Some((row, other)) = companion {
                ui.horizontal_wrapped(|ui| {
                    ui.label("close approach with");
                    ui.strong(format!("{} ({})", other.name, other.norad_id));
                    if ui
                        .button("details of it")
                        .on_hover_text("swap the pair: select the other object")
                        .clicked()
                    {
                        actions.push(AppAction::FocusPair(row, index));
                    }
                });
            }
            ui.horizontal(|ui| {
                let label = if data.following() {
                    "following (F)"
                } else {
                    "follow (F)"
                };
                let mut following = data.following();
                if ui.toggle_value(&mut following, label).clicked() {
                    actions.push(AppAction::ToggleFollow);
                }
                ui.weak("Esc: clear");
            });
        });
    if !open {
        actions.push(AppAction::ClearSelection);
    }
}

fn row(ui: &mut egui::Ui, key: &str, value: impl Into<egui::WidgetText>) {
    ui.label(key);
    ui.add(egui::Label::new(value).wrap_mode(egui::TextWrapMode::Wrap));
    ui.end_row();
}

fn date(value: Option<chrono::NaiveDate>) -> String {
    value.map_or_else(|| "not given".to_owned(), |date| date.to_string())
}

/// The treaty lens for the owner: standing today and on the launch date.
fn treaty_rows(ui: &mut egui::Ui, owner_code: &str, launched: Option<chrono::NaiveDate>) {
    use crate::treaty::{AtLaunch, Treaty, TreatySubject, owner_standing, treaty_subject};
    let subject = treaty_subject(owner_code);
    if subject == TreatySubject::NotApplicable {
        return;
    }
    let kind = match subject {
        TreatySubject::Organisation { .. } => "organisation",
        TreatySubject::Joint(..) => "joint owners",
        _ => "state",
    };
    for (treaty, short) in [(Treaty::Ost, "OST"), (Treaty::Reg, "REG")] {
        let standing = owner_standing(Some(owner_code), treaty);
        let at_launch = match standing.at(launched) {
            AtLaunch::Yes => ", already at launch",
            AtLaunch::No if standing.standing.is_bound() => ", not yet at launch",
            AtLaunch::Unknown => ", at launch: unknown",
            _ => "",
        };
        row(
            ui,
            short,
            format!(
                "{} ({kind}): {}{at_launch}",
                subject.display_name(),
                standing.standing.describe()
            ),
        );
    }
    ui.weak("treaties");
    ui.weak(format!("status as at {}", crate::treaty::PARTIES_AS_OF));
    ui.end_row();
}

fn rows(ui: &mut egui::Ui, data: &PanelData, index: usize, object: &SpaceObject) {
    row(ui, "NORAD", object.norad_id.to_string());
    row(ui, "COSPAR", object.cospar_id.as_deref().unwrap_or("-"));
    match &object.satcat {
        Some(satcat) => {
            let owner = satcat_owner(&satcat.owner_code);
            let kind = owner.kind.map_or("code not in the table", |k| k.label());
            row(
                ui,
                "owner",
                format!("{} ({}, {kind})", owner.name, satcat.owner_code),
            );
            row(ui, "type", satcat.object_type.label());
            row(
                ui,
                "status",
                satcat
                    .ops_status
                    .map_or("not given in the SATCAT", |status| status.label()),
            );
            row(ui, "launched", date(satcat.launch_date));
            if satcat.decay_date.is_some() {
                row(ui, "decayed", date(satcat.decay_date));
            }
            treaty_rows(ui, &satcat.owner_code, satcat.launch_date);
        }
        None => row(ui, "owner", "no SATCAT row"),
    }
    registration_rows(ui, data, object);
    let epoch = Instant::from_naive_utc(&object.elements.datetime);
    let age_days = data.clock.now().minutes_since(epoch) / 1440.0;
    row(
        ui,
        "element set",
        format!(
            "{} ({age_days:+.1} d from the clock)",
            object.elements.datetime.format("%Y-%m-%d %H:%M UTC")
        ),
    );
    let shape = OrbitShape::from_elements(&object.elements);
    row(
        ui,
        "orbit",
        format!(
            "{} · {:.1} min · {:.2}°",
            shape.regime().label(),
            shape.period_min,
            object.elements.inclination
        ),
    );
    row(
        ui,
        "perigee / apogee",
        format!("{:.0} / {:.0} km", shape.perigee_km, shape.apogee_km),
    );
    row(ui, "eccentricity", format!("{:.7}", shape.eccentricity));
    let states = &data.propagation.states;
    match (
        states.failures.get(index).copied().flatten(),
        states.instant,
    ) {
        (Some(failure), _) => row(ui, "position", failure.to_string()),
        (None, Some(at)) => {
            let geodetic = teme_to_geodetic(DVec3::from_array(states.positions_km[index]), at);
            row(
                ui,
                "latitude / longitude",
                format!(
                    "{:.2}° / {:.2}°",
                    geodetic.latitude_deg(),
                    geodetic.longitude_deg()
                ),
            );
            row(ui, "altitude", format!("{:.0} km", geodetic.altitude_km));
            let speed = DVec3::from_array(states.velocities_km_s[index]).length();
            row(ui, "speed", format!("{speed:.2} km/s"));
        }
        (None, None) => {}
    }
}

fn registration_rows(ui: &mut egui::Ui, data: &PanelData, object: &SpaceObject) {
    let source = object
        .registration_source_id
        .and_then(|id| data.catalog.sources.get(id))
        .map_or_else(String::new, |info| format!(" · {}", info.attribution()));
    match &object.registration {
        Registration::Registered {
            document,
            state_of_registry,
            source: kind,
            ..
        } => {
            row(ui, "UN register", format!("registered{source}"));
            row(
                ui,
                "state of registry",
                match kind {
                    RegistrationSource::Gcat => {
                        let name = crate::catalog::owners::gcat_state_name(state_of_registry);
                        format!("{name} ({state_of_registry})")
                    }
                    RegistrationSource::Unoosa => state_of_registry.clone(),
                },
            );
            row(ui, "document", document.as_deref().unwrap_or("not named"));
        }
        other => row(ui, "UN register", format!("{}{source}", other.describe())),
    }
    // Where GCAT says otherwise, both are shown: the register's answer is the one used.
    if let Ok(index) = data
        .catalog
        .disagreements
        .binary_search_by_key(&object.norad_id, |d| d.norad_id)
    {
        let disagreement = &data.catalog.disagreements[index];
        let gcat = data
            .catalog
            .sources
            .iter()
            .find(|source| source.kind == "gcat")
            .map_or_else(String::new, |info| format!(" · {}", info.attribution()));
        row(
            ui,
            "GCAT says",
            format!(
                "{}, which differs on {}{gcat}",
                disagreement.gcat.describe(),
                disagreement.kind.label()
            ),
        );
    }
}
