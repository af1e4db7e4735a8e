//! The registration gap window: payloads in the filter that are not registered with the UN
//! or have no registration data, longest since launch first, with a per-owner summary and the
//! treaty lens; exported to CSV with the same writer as `orbitscope stats --unregistered`.

use bevy_egui::egui;

use super::widgets::count;
use super::{PanelData, UiState};
use crate::app::controls::AppAction;
use crate::stats::gap::RegistrationGap;
use crate::treaty::PARTIES_AS_OF;

/// Owners listed in the summary before "more".
const SUMMARY_ROWS: usize = 12;

pub(super) fn window(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    if !data.views.gap_list {
        return;
    }
    let mut open = true;
    egui::Window::new("Registration gap")
        .open(&mut open)
        .default_size([640.0, 480.0])
        .show(ctx, |ui| {
            let (Some(charts), Some(as_of)) =
                (data.analysis.charts.as_deref(), data.analysis.as_of)
            else {
                ui.label("computing…");
                return;
            };
            let gap = &charts.gap;
            ui.label(format!(
                "{} payloads in the filter are not registered with the UN or have no \
                 registration data (as of {as_of}; treaty status as at {PARTIES_AS_OF}).",
                count(gap.rows.len())
            ));
            ui.horizontal(|ui| {
                if ui
                    .button("export CSV")
                    .on_hover_text(
                        "the list as `orbitscope stats --unregistered --format csv` writes it, \
                         into the current directory",
                    )
                    .clicked()
                {
                    state.gap_export = Some(export(gap, as_of));
                }
                if let Some(message) = &state.gap_export {
                    ui.label(message);
                }
            });
            egui::CollapsingHeader::new("per owner")
                .default_open(true)
                .show(ui, |ui| summary(ui, gap));
            ui.separator();
            list(ui, data, gap, actions);
        });
    if !open {
        actions.push(AppAction::ToggleGapList);
    }
}

fn export(gap: &RegistrationGap, as_of: chrono::NaiveDate) -> String {
    let mut bytes = Vec::new();
    let made = gap
        .write_csv(&mut bytes)
        .map(|()| bytes)
        .map_err(|error| error.to_string());
    super::widgets::save_table_csv(
        &format!("orbitscope-registration-gap-{as_of}.csv"),
        &format!("{} rows", count(gap.rows.len())),
        made,
    )
}

fn summary(ui: &mut egui::Ui, gap: &RegistrationGap) {
    egui::Grid::new("gap summary")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for heading in [
                "owner",
                "payloads",
                "registered",
                "not registered",
                "no data",
                "median wait",
            ] {
                ui.strong(heading);
            }
            ui.end_row();
            let owners = gap
                .owners
                .iter()
                .filter(|o| o.not_registered + o.no_data > 0);
            for owner in owners.take(SUMMARY_ROWS) {
                ui.label(&owner.owner).on_hover_text(format!(
                    "{}: Registration Convention {}",
                    owner.owner_name, owner.reg
                ));
                ui.label(count(owner.payloads));
                ui.label(count(owner.registered));
                ui.label(count(owner.not_registered));
                ui.label(count(owner.no_data));
                ui.label(owner.median_days_unregistered.map_or_else(
                    || "–".to_owned(),
                    |days| format!("{:.1} years", days as f64 / 365.25),
                ));
                ui.end_row();
            }
        });
}

fn list(ui: &mut egui::Ui, data: &PanelData, gap: &RegistrationGap, actions: &mut Vec<AppAction>) {
    ui.label("Longest since launch first. Click a row to go to the object.");
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::both()
        .auto_shrink([false, true])
        // The summary above must not squeeze the list to a few rows.
        .min_scrolled_height(260.0)
        .show_rows(ui, row_height, gap.rows.len(), |ui, range| {
            egui::Grid::new("gap rows")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for row in &gap.rows[range] {
                        let clicked = ui
                            .add(
                                egui::Label::new(format!("{}  {}", row.norad_id, row.name))
                                    .sense(egui::Sense::click()),
                            )
                            .on_hover_text(format!(
                                "{} · owner {} ({}) · would register: {} · OST {} · REG {} {}",
                                row.object_id,
                                row.owner_name,
                                row.owner_kind,
                                row.registering_state,
                                row.ost,
                                row.reg,
                                row.reg_since
                            ))
                            .clicked();
                        ui.label(&row.owner);
                        ui.label(row.launch_date.map(|d| d.to_string()).unwrap_or_default());
                        ui.label(row.registration);
                        ui.label(format!("REG at launch: {}", row.reg_at_launch));
                        ui.label(&row.registering_state);
                        ui.end_row();
                        if clicked && let Some(index) = data.catalog.index_of(row.norad_id) {
                            actions.push(AppAction::Focus(index));
                        }
                    }
                });
        });
}
