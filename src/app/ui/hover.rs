//! The name of the object under the pointer, on one line beside it.

use bevy_egui::egui;

use super::PanelData;
use super::widgets::one_line;

pub(super) fn label(ctx: &egui::Context, data: &PanelData) {
    let cursor = data
        .windows
        .single()
        .ok()
        .and_then(bevy::window::Window::cursor_position);
    let (Some(index), Some(cursor)) = (data.selection.hovered, cursor) else {
        return;
    };
    let Some(object) = data.catalog.objects.get(index) else {
        return;
    };
    egui::Area::new(egui::Id::new("hover"))
        .fixed_pos(egui::pos2(cursor.x + 12.0, cursor.y + 12.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                one_line(ui, format!("{} ({})", object.name, object.norad_id));
            });
        });
}
