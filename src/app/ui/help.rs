//! Every key and mouse action, and the UI scale.

use bevy_egui::egui;

use super::{PanelData, UiState};
use crate::app::controls::AppAction;

const KEYS: [(&str, &str); 21] = [
    ("drag (left button)", "rotate around the Earth"),
    ("wheel, + / −, PageUp / PageDown", "zoom"),
    ("arrows, W A S D", "rotate"),
    ("Home", "reset the view"),
    (
        "click a marker",
        "select it: details, orbit and ground track",
    ),
    ("hover a marker", "its name"),
    ("F", "follow the selected object (again: stop)"),
    ("Esc", "clear the selection and stop following"),
    ("Space", "pause / resume the clock"),
    ("]  /  [", "faster / slower (below 1×: reverse)"),
    ("\\", "reverse"),
    (".  /  ,", "one minute forward / back"),
    ("N", "now, in real time"),
    ("G", "graticule"),
    ("B", "coastlines and borders"),
    ("C", "close approaches: screen the filtered objects"),
    ("P", "sites & passes: when an object is in a site's sky"),
    ("F1  or  ?", "this help"),
    (
        "Filter panel",
        "tick to narrow; counts say what each choice shows",
    ),
    (
        "search box",
        "name, NORAD number or COSPAR id; click a result to go to it",
    ),
    ("legend", "click a colour to show only those objects"),
];

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
            egui::Grid::new("keys")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for (key, action) in KEYS {
                        ui.strong(key);
                        ui.label(action);
                        ui.end_row();
                    }
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
