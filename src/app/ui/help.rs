//! Every key and mouse action, and the UI scale.

use bevy_egui::egui;

use super::{PanelData, UiState};
use crate::app::controls::AppAction;
use crate::app::keys::{KEY_BINDINGS, POINTER};

pub(super) fn panel(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    if !data.help.0 {
        return;
    }
    let mut open = true;
    egui::Window::new("Help")
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .collapsible(false)
        .resizable(false)
        .open(&mut open)
        .show(ctx, |ui| {
            // Scrolls on a small screen; the rows come from the table the keys are read from.
            let height = (ctx.content_rect().height() - 200.0).max(160.0);
            egui::ScrollArea::vertical()
                .max_height(height)
                .show(ui, |ui| {
                    egui::Grid::new("keys")
                        .num_columns(2)
                        .striped(true)
                        .show(ui, |ui| {
                            for binding in KEY_BINDINGS {
                                ui.strong(binding.label.replace('`', ""));
                                ui.label(binding.help);
                                ui.end_row();
                            }
                            for (input, action) in POINTER {
                                ui.strong(*input);
                                ui.label(*action);
                                ui.end_row();
                            }
                        });
                });
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("UI scale");
                ui.add(egui::Slider::new(&mut state.scale, 0.75..=2.0).step_by(0.25));
            });
            ui.checkbox(&mut state.show_filters, "filter panel");
        });
    if !open {
        actions.push(AppAction::ToggleHelp);
    }
}
