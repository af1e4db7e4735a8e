//! Colour mode and legend: one line per colour drawn, with its count among the shown objects;
//! clicking a line narrows the filter to it. Built from the palette the markers use, so it
//! always matches the globe.

use bevy_egui::egui;

use super::PanelData;
use super::widgets::{count, one_line, swatch};
use crate::app::controls::AppAction;
use crate::palette::ColorMode;

pub(super) fn panel(ctx: &egui::Context, data: &PanelData, actions: &mut Vec<AppAction>) {
    egui::Window::new("Colour")
        .anchor(egui::Align2::RIGHT_BOTTOM, [-8.0, -8.0])
        .resizable(false)
        .max_width(300.0)
        .show(ctx, |ui| {
            ui.set_max_width(300.0);
            let mut mode = data.style.mode;
            egui::ComboBox::from_id_salt("colour mode")
                .selected_text(mode.label())
                .show_ui(ui, |ui| {
                    for option in ColorMode::ALL {
                        ui.selectable_value(&mut mode, option, option.label());
                    }
                });
            if mode != data.style.mode {
                actions.push(AppAction::SetColorMode(mode));
            }
            let palette = data.style.palette();
            if palette.mode != data.style.mode {
                return; // recoloured next frame
            }
            let objects = &data.catalog.objects;
            for entry in data.style.legend() {
                let narrowable = crate::palette::Palette::can_narrow(&entry.class);
                let clicked = ui
                    .horizontal(|ui| {
                        swatch(ui, entry.color);
                        // Count first: a long owner name is cut at the edge, the count is not.
                        let text = format!("{}  {}", count(entry.count), entry.label);
                        let sense = if narrowable {
                            egui::Sense::click()
                        } else {
                            egui::Sense::hover()
                        };
                        let hint = if narrowable {
                            format!("{}: show only these", entry.label)
                        } else {
                            format!("{}: no filter criterion selects only these", entry.label)
                        };
                        ui.add(
                            egui::Label::new(text)
                                .wrap_mode(egui::TextWrapMode::Truncate)
                                .sense(sense),
                        )
                        .on_hover_text(hint)
                        .clicked()
                    })
                    .inner;
                if clicked
                    && let Some(filter) = palette.narrow_to(&entry.class, &data.filter.0, objects)
                {
                    actions.push(AppAction::SetFilter(Box::new(filter)));
                }
            }
            if palette.mode == ColorMode::RegistrationConvention {
                ui.small(format!(
                    "owner's standing on the launch date; treaty status as at {}",
                    crate::treaty::PARTIES_AS_OF
                ));
            }
            let mut graticule = data.overlays.graticule;
            let mut borders = data.overlays.borders;
            ui.horizontal(|ui| {
                if ui.checkbox(&mut graticule, "graticule (G)").changed() {
                    actions.push(AppAction::SetGraticule(graticule));
                }
                if ui.checkbox(&mut borders, "borders (B)").changed() {
                    actions.push(AppAction::SetBorders(borders));
                }
            });
            one_line(ui, "F1: keys and help");
        });
}
