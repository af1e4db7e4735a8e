//! Simulation time: the clock, warp buttons, a jump-to-date field, and (folded) the data's
//! status: how old the element sets are against the clock, and where each source came from.

use bevy_egui::egui;

use super::{PanelData, UiState, data};
use crate::app::controls::{AppAction, ClockAction};
use crate::orbit::{Instant, parse_utc};

/// Draws the panel; returns its bottom edge, where the next panel on the left goes.
pub(super) fn panel(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) -> f32 {
    let window = egui::Window::new("OrbitScope")
        .anchor(egui::Align2::LEFT_TOP, [8.0, 8.0])
        .resizable(false)
        .show(ctx, |ui| {
            let clock = &data.clock;
            ui.monospace(
                clock
                    .now()
                    .to_utc()
                    .format("%Y-%m-%d %H:%M:%S UTC")
                    .to_string(),
            );
            ui.label(format!("rate: {}", clock.describe_rate()));
            ui.horizontal(|ui| {
                let mut clock_button = |ui: &mut egui::Ui, label: &str, hint: &str, action| {
                    if ui.button(label).on_hover_text(hint).clicked() {
                        actions.push(AppAction::Clock(action));
                    }
                };
                clock_button(ui, "⏪", "slower, then reverse ([)", ClockAction::Slower);
                let pause = if clock.is_paused() { "▶" } else { "⏸" };
                clock_button(
                    ui,
                    pause,
                    "pause / resume (space)",
                    ClockAction::TogglePause,
                );
                clock_button(ui, "⏩", "faster (])", ClockAction::Faster);
                clock_button(ui, "now", "real time, now (N)", ClockAction::Now);
            });
            // Back to real time, the field's old date would say something false.
            let now_asked = actions.contains(&AppAction::Clock(ClockAction::Now))
                || (!ui.ctx().egui_wants_keyboard_input()
                    && ui.input(|input| {
                        input.key_pressed(egui::Key::N) && input.modifiers.is_none()
                    }));
            if now_asked {
                state.jump_text.clear();
                state.jump_error = None;
            }
            ui.horizontal(|ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut state.jump_text)
                        .hint_text("e.g. 2026-08-23 06:00")
                        .desired_width(150.0),
                );
                let submitted =
                    field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                let go = ui
                    .button("go")
                    .on_hover_text(
                        "jump to a time: 2026-08-23, 2026-08-23 06:00 or 2026-08-23T06:00:00Z \
                         (UTC unless an offset is given)",
                    )
                    .clicked();
                if go || submitted {
                    match parse_utc(&state.jump_text) {
                        Ok(time) => {
                            actions.push(AppAction::Clock(ClockAction::JumpTo(Instant::from_utc(
                                time,
                            ))));
                            state.jump_error = None;
                        }
                        Err(error) => state.jump_error = Some(error),
                    }
                }
            });
            if let Some(error) = &state.jump_error {
                ui.colored_label(egui::Color32::LIGHT_RED, error);
            }
            catalog_as_of(ui, data, actions);
            ui.horizontal(|ui| {
                let mut toggle =
                    |ui: &mut egui::Ui, open: bool, label: &str, hint: &str, action| {
                        if ui
                            .selectable_label(open, label)
                            .on_hover_text(hint)
                            .clicked()
                        {
                            actions.push(action);
                        }
                    };
                let views = *data.views;
                toggle(
                    ui,
                    views.statistics,
                    "statistics",
                    "plots of the filtered catalog (T)",
                    AppAction::ToggleStatistics,
                );
                toggle(
                    ui,
                    views.gap_list,
                    "registration gap",
                    "payloads not registered with the UN (U)",
                    AppAction::ToggleGapList,
                );
                toggle(
                    ui,
                    data.approaches.open,
                    "close approaches",
                    "what comes close to what: screen the filtered objects (C)",
                    AppAction::Conjunctions(crate::app::ConjunctionRequest::ToggleWindow),
                );
                toggle(
                    ui,
                    data.passes.open,
                    "sites & passes",
                    "when an object is in a site's sky, and the sky plot (P)",
                    AppAction::Passes(crate::app::PassRequest::ToggleWindow),
                );
                toggle(
                    ui,
                    views.data_status,
                    "data",
                    "sources, ages, problems, downloads (D)",
                    AppAction::ToggleDataStatus,
                );
            });
            data::status(ui, data);
        });
    window.map_or(8.0, |response| response.response.rect.bottom())
}

/// The "catalog as of the clock" switch, and the caption that says what it shows and what it
/// does not.
fn catalog_as_of(ui: &mut egui::Ui, data: &PanelData, actions: &mut Vec<AppAction>) {
    let mut on = data.as_of_clock.0;
    if ui
        .checkbox(&mut on, "catalog as of the clock's date")
        .on_hover_text(
            "hide what was not yet catalogued, or had already decayed, on the simulation date \
             (from SATCAT launch and decay dates; fragments dated by catalog number)",
        )
        .changed()
    {
        actions.push(AppAction::SetCatalogAsOfClock(on));
    }
    if let Some(date) = data.filter.in_orbit_on {
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!(
                    "Catalog as of {date}: {} objects catalogued and not decayed by then. \
                     Positions still come from today's element sets — no historical elements \
                     are used — so this is an approximation.",
                    super::count(data.choices.shown)
                ))
                .color(egui::Color32::from_rgb(240, 200, 80)),
            )
            .wrap(),
        );
    }
}
