//! The scenario window (`F2`): the caption, save and load (a typed path, a native dialog, the
//! recent files), and screenshots with the overlays (`F12`) into a chosen folder.

use std::path::PathBuf;

use bevy_egui::egui;

use super::{PanelData, UiState};
use crate::app::controls::AppAction;
use crate::app::scenario_io::ScenarioRequest;
use crate::scenario::Caption;

/// The window's text fields.
#[derive(Debug, Default)]
pub(super) struct ScenarioFields {
    path: String,
    folder: Option<String>,
    title: String,
    subtitle: String,
    /// The loaded caption last copied into the fields (a new load replaces what was typed).
    caption_from: Option<Caption>,
}

impl ScenarioFields {
    fn caption(&self) -> Caption {
        Caption {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
        }
    }
}

/// F12 (whether or not the window is open): a screenshot with the caption typed here.
pub(super) fn screenshot_key(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    sync_with_files(data, &mut state.scenario);
    if ctx.input(|input| input.key_pressed(egui::Key::F12)) {
        let fields = &state.scenario;
        actions.push(AppAction::Scenario(ScenarioRequest::Screenshot {
            folder: fields.folder.as_deref().map(|f| PathBuf::from(f.trim())),
            caption: Some(fields.caption()),
        }));
    }
}

/// Takes a dialog's chosen file and a newly loaded caption into the fields.
fn sync_with_files(data: &PanelData, fields: &mut ScenarioFields) {
    let files = &data.scenario_files;
    if let Some(chosen) = &files.chosen
        && fields.path.is_empty()
    {
        fields.path = chosen.display().to_string();
    }
    if files.loaded_caption.is_some() && files.loaded_caption != fields.caption_from {
        fields.caption_from.clone_from(&files.loaded_caption);
        let caption = files.loaded_caption.clone().unwrap_or_default();
        fields.title = caption.title;
        fields.subtitle = caption.subtitle;
    }
}

pub(super) fn window(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    if !data.views.scenario {
        return;
    }
    let files = &data.scenario_files;
    let fields = &mut state.scenario;
    let caption = fields.caption();
    let folder = fields
        .folder
        .get_or_insert_with(|| files.folder.display().to_string());
    let mut open = true;
    egui::Window::new("Scenario")
        .open(&mut open)
        .default_width(420.0)
        .show(ctx, |ui| {
            egui::Grid::new("caption grid")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("title");
                    ui.text_edit_singleline(&mut fields.title);
                    ui.end_row();
                    ui.label("subtitle");
                    ui.text_edit_singleline(&mut fields.subtitle);
                    ui.end_row();
                });
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("file");
                ui.add(
                    egui::TextEdit::singleline(&mut fields.path)
                        .hint_text("e.g. briefing.json")
                        .desired_width(280.0),
                );
            });
            let path = PathBuf::from(fields.path.trim());
            let typed = !fields.path.trim().is_empty();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(typed, egui::Button::new("save"))
                    .on_hover_text("the time, camera, filter, colours, selection and caption")
                    .clicked()
                {
                    actions.push(AppAction::Scenario(ScenarioRequest::Save {
                        path: path.clone(),
                        caption: caption.clone(),
                    }));
                }
                if ui.add_enabled(typed, egui::Button::new("load")).clicked() {
                    actions.push(AppAction::Scenario(ScenarioRequest::Load(path.clone())));
                }
                for (label, save) in [("save as…", true), ("open…", false)] {
                    if ui.button(label).clicked() {
                        actions.push(AppAction::Scenario(ScenarioRequest::Browse {
                            save,
                            caption: caption.clone(),
                        }));
                    }
                }
            });
            if !files.recent.is_empty() {
                ui.weak("recent");
                for recent in &files.recent {
                    let name = recent.display().to_string();
                    if ui
                        .add(egui::Button::new(&name).frame(false).truncate())
                        .on_hover_text("load it")
                        .clicked()
                    {
                        fields.path.clone_from(&name);
                        actions.push(AppAction::Scenario(ScenarioRequest::Load(recent.clone())));
                    }
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("screenshots to");
                ui.add(egui::TextEdit::singleline(folder).desired_width(240.0));
            });
            if ui
                .button("screenshot (F12)")
                .on_hover_text("the globe with caption, legend, time, sources and counts")
                .clicked()
            {
                actions.push(AppAction::Scenario(ScenarioRequest::Screenshot {
                    folder: Some(PathBuf::from(folder.trim())),
                    caption: Some(caption.clone()),
                }));
            }
            ui.weak(
                "`orbitscope shot --scenario FILE --out image.png --width 3840 --height 2160` \
                 renders a saved scenario again, with fresh data.",
            );
            if let Some(message) = &files.message {
                ui.add(egui::Label::new(message).wrap());
            }
        });
    if !open {
        actions.push(AppAction::ToggleScenarioWindow);
    }
}
