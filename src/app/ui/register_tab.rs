//! The statistics window's "UN register" tab: for the objects in the filter, how the UN
//! register and the catalog cover each other per owner, which objects a state other than their
//! SATCAT owner registered, and where GCAT disagrees. Clicking an owner or an object narrows
//! the filter to it.

use bevy_egui::egui;

use super::PanelData;
use super::statistics::Tab;
use super::widgets::count;
use crate::app::controls::AppAction;
use crate::catalog::register_check::RegisterSummary;

pub(super) fn register(ui: &mut egui::Ui, tab: &mut Tab, data: &PanelData) {
    let summary: &RegisterSummary = &tab.charts.register;
    match &summary.according_to {
        Some(according_to) => {
            ui.label(format!("UN registration answers are {according_to}."));
        }
        None => {
            ui.label(
                "No UN register is loaded: registration comes from GCAT alone. Update it from \
                 the Data status window (or `orbitscope fetch --unoosa`), or open an index \
                 export with --unoosa FILE.",
            );
        }
    }
    if summary.disagreements > 0 {
        ui.label(format!(
            "GCAT disagrees with the register on {} objects in the filter (the register's answer \
             is used; `orbitscope catalog` lists them, the details panel shows both).",
            count(summary.disagreements)
        ));
    }
    if summary.coverage.is_some() {
        ui.add(
            egui::Label::new(
                egui::RichText::new(
                    "register: entries by state of registry; in catalog: with element sets loaded; \
                     SATCAT only: known, no elements (decayed or not loaded); unknown: COSPAR id in \
                     neither. catalog: objects in the filter by SATCAT owner, and those the register \
                     does not list.",
                )
                .weak(),
            )
            .wrap(),
        );
    }
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        if let Some(coverage) = &summary.coverage {
            egui::CollapsingHeader::new("Register and catalog, per owner")
                .default_open(true)
                .show(ui, |ui| coverage_grid(ui, tab, coverage));
        }
        egui::CollapsingHeader::new(format!(
            "Registered by a state other than the SATCAT owner ({})",
            count(summary.registered_elsewhere.len())
        ))
        .default_open(summary.coverage.is_none())
        .show(ui, |ui| elsewhere_grid(ui, tab, data));
    });
}

fn coverage_grid(
    ui: &mut egui::Ui,
    tab: &mut Tab,
    coverage: &[crate::catalog::register_check::CoverageRow],
) {
    egui::Grid::new("register coverage")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for heading in [
                "owner",
                "register",
                "in catalog",
                "SATCAT only",
                "unknown",
                "catalog",
                "not in register",
            ] {
                ui.weak(heading);
            }
            ui.end_row();
            for row in coverage.iter().take(40) {
                let known_code = crate::catalog::owners::satcat_owner(&row.owner)
                    .kind
                    .is_some();
                if known_code {
                    let name = crate::catalog::owners::satcat_owner(&row.owner).name;
                    if ui
                        .link(&row.owner)
                        .on_hover_text(format!("{name}: click to show only this owner"))
                        .clicked()
                    {
                        let code = row.owner.clone();
                        tab.narrow(|filter| filter.owners = [code].into());
                    }
                } else {
                    ui.label(&row.owner);
                }
                for value in [
                    row.register_entries,
                    row.register_in_catalog,
                    row.register_in_satcat_only,
                    row.register_unknown_to_catalog,
                    row.catalog_objects,
                    row.catalog_not_in_register,
                ] {
                    ui.label(count(value));
                }
                ui.end_row();
            }
        });
    if coverage.len() > 40 {
        ui.weak(format!(
            "{} more owners: `orbitscope stats --register-coverage` lists them all",
            coverage.len() - 40
        ));
    }
}

fn elsewhere_grid(ui: &mut egui::Ui, tab: &mut Tab, data: &PanelData) {
    let rows = &tab.charts.register.registered_elsewhere;
    if rows.is_empty() {
        ui.label("none in the filter");
        return;
    }
    let mut clicked = None;
    egui::Grid::new("registered elsewhere")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for heading in ["object", "owner", "state of registry", "per"] {
                ui.weak(heading);
            }
            ui.end_row();
            for row in rows.iter().take(200) {
                if ui
                    .link(format!("{} {}", row.norad_id, row.name))
                    .on_hover_text("click to select it and follow it")
                    .clicked()
                {
                    clicked = Some(row.norad_id);
                }
                ui.label(&row.owner_code);
                ui.label(format!("{} ({})", row.state_of_registry, row.registry_code));
                ui.label(match row.source {
                    crate::catalog::RegistrationSource::Gcat => "GCAT",
                    crate::catalog::RegistrationSource::Unoosa => "UN register",
                });
                ui.end_row();
            }
        });
    if rows.len() > 200 {
        ui.weak(format!(
            "{} more: `orbitscope stats --registered-elsewhere` lists them all",
            rows.len() - 200
        ));
    }
    if let Some(index) = clicked.and_then(|norad_id| data.catalog.index_of(norad_id)) {
        tab.push(AppAction::Focus(index));
    }
}
