//! The egui overlay: simulation time and warp controls, what is drawn, the colour legend, the
//! hovered object's name and the selected object's details.

use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use glam::DVec3;

use super::{
    CatalogData, MarkerDrawStats, MarkerInstances, MarkerStyle, Propagation, Selection, SimClock,
};
use crate::catalog::owners::satcat_owner;
use crate::catalog::{ObjectType, Registration};
use crate::markers::{ColorMode, Rgba, registration_color, type_color};
use crate::orbit::{Instant, ecef_to_geodetic, gmst_rad, teme_to_ecef};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        (time_panel, details_panel, hover_label),
    );
}

fn color32(color: Rgba) -> egui::Color32 {
    let encode = |c: f32| {
        let srgb = if c <= 0.003_130_8 {
            c * 12.92
        } else {
            1.055 * c.powf(1.0 / 2.4) - 0.055
        };
        (srgb.clamp(0.0, 1.0) * 255.0).round() as u8
    };
    egui::Color32::from_rgb(encode(color[0]), encode(color[1]), encode(color[2]))
}

fn time_panel(
    mut contexts: EguiContexts,
    mut clock: ResMut<SimClock>,
    mut style: ResMut<MarkerStyle>,
    markers: Res<MarkerInstances>,
    propagation: Res<Propagation>,
    draw_stats: Res<MarkerDrawStats>,
    mut overlays: ResMut<super::GlobeOverlays>,
    mut jump_text: Local<String>,
    mut jump_error: Local<String>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    egui::Window::new("OrbitScope")
        .anchor(egui::Align2::LEFT_TOP, [8.0, 8.0])
        .resizable(false)
        .show(ctx, |ui| {
            ui.monospace(
                clock
                    .now()
                    .to_utc()
                    .format("%Y-%m-%d %H:%M:%S UTC")
                    .to_string(),
            );
            let state = if clock.is_paused() {
                "paused".to_owned()
            } else {
                format!("{}×", clock.rate())
            };
            ui.label(format!("rate: {state}"));
            ui.horizontal(|ui| {
                if ui
                    .button("⏪")
                    .on_hover_text("slower / reverse ([)")
                    .clicked()
                {
                    clock.slower();
                }
                let label = if clock.is_paused() { "▶" } else { "⏸" };
                if ui.button(label).on_hover_text("pause (space)").clicked() {
                    clock.toggle_pause();
                }
                if ui.button("⏩").on_hover_text("faster (])").clicked() {
                    clock.faster();
                }
                if ui
                    .button("now")
                    .on_hover_text("real time, now (N)")
                    .clicked()
                {
                    clock.jump_to_now(Instant::from_utc(chrono::Utc::now()));
                }
            });
            ui.horizontal(|ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut *jump_text)
                        .hint_text("2026-08-22T12:00:00Z")
                        .desired_width(170.0),
                );
                let submitted =
                    field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                if ui
                    .button("go")
                    .on_hover_text("jump to a date (RFC 3339)")
                    .clicked()
                    || submitted
                {
                    match chrono::DateTime::parse_from_rfc3339(jump_text.trim()) {
                        Ok(time) => {
                            clock.jump_to(Instant::from_utc(time.with_timezone(&chrono::Utc)));
                            jump_error.clear();
                        }
                        Err(error) => *jump_error = format!("not RFC 3339: {error}"),
                    }
                }
            });
            if !jump_error.is_empty() {
                ui.colored_label(egui::Color32::LIGHT_RED, jump_error.as_str());
            }
            ui.separator();
            let failed = propagation.states.failed_count();
            ui.label(format!("{} objects drawn", markers.instances.len()));
            if failed > 0 {
                ui.label(format!("{failed} not propagated (decayed or diverged)"));
            }
            let (draws, _, frames) = draw_stats.totals();
            if frames > 0 {
                ui.weak(format!(
                    "{:.2} marker draw calls per frame",
                    draws as f64 / frames as f64
                ));
            }
            ui.horizontal(|ui| {
                ui.checkbox(&mut overlays.graticule, "graticule (G)");
                ui.checkbox(&mut overlays.borders, "borders (B)");
            });
            ui.separator();
            egui::ComboBox::from_label("colour")
                .selected_text(match style.mode {
                    ColorMode::ObjectType => "object type",
                    ColorMode::Registration => "UN registration",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut style.mode, ColorMode::ObjectType, "object type");
                    ui.selectable_value(
                        &mut style.mode,
                        ColorMode::Registration,
                        "UN registration",
                    );
                });
            let legend: Vec<(Rgba, &str)> = match style.mode {
                ColorMode::ObjectType => ObjectType::ALL
                    .iter()
                    .map(|&t| (type_color(t), t.label()))
                    .collect(),
                ColorMode::Registration => vec![
                    (
                        registration_color(&Registration::Registered {
                            document: None,
                            state_of_registry: String::new(),
                            raw_state: String::new(),
                            source: crate::catalog::RegistrationSource::Gcat,
                        }),
                        "registered",
                    ),
                    (
                        registration_color(&Registration::NotRegistered {
                            state: None,
                            source: crate::catalog::RegistrationSource::Gcat,
                        }),
                        "not registered",
                    ),
                    (registration_color(&Registration::NoData), "no data"),
                ],
            };
            for (color, label) in legend {
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter()
                        .circle_filled(rect.center(), 5.0, color32(color));
                    ui.label(label);
                });
            }
        });
    Ok(())
}

fn details_panel(
    mut contexts: EguiContexts,
    mut selection: ResMut<Selection>,
    catalog: Res<CatalogData>,
    propagation: Res<Propagation>,
) -> Result {
    let Some(index) = selection.selected else {
        return Ok(());
    };
    let Some(object) = catalog.objects.get(index) else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let mut open = true;
    egui::Window::new(&object.name)
        .anchor(egui::Align2::RIGHT_TOP, [-8.0, 8.0])
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("details").num_columns(2).show(ui, |ui| {
                let mut row = |key: &str, value: String| {
                    ui.label(key);
                    ui.label(value);
                    ui.end_row();
                };
                row("NORAD", object.norad_id.to_string());
                row(
                    "COSPAR",
                    object.cospar_id.clone().unwrap_or_else(|| "-".into()),
                );
                row("type", object.object_type().label().to_owned());
                if let Some(owner) = object.owner_code() {
                    row("owner", format!("{} ({owner})", satcat_owner(owner).name));
                }
                row("UN register", object.registration.describe());
                row(
                    "epoch",
                    object
                        .elements
                        .datetime
                        .format("%Y-%m-%d %H:%M UTC")
                        .to_string(),
                );
                row(
                    "period",
                    format!("{:.1} min", 1440.0 / object.elements.mean_motion),
                );
                row(
                    "inclination",
                    format!("{:.2}°", object.elements.inclination),
                );
                let states = &propagation.states;
                match (
                    states.failures.get(index).copied().flatten(),
                    states.instant,
                ) {
                    (Some(failure), _) => row("state", failure.to_string()),
                    (None, Some(at)) => {
                        let ecef = teme_to_ecef(
                            DVec3::from_array(states.positions_km[index]),
                            gmst_rad(at),
                        );
                        let geodetic = ecef_to_geodetic(ecef);
                        row(
                            "position",
                            format!(
                                "{:.2}°, {:.2}°",
                                geodetic.latitude_deg(),
                                geodetic.longitude_deg()
                            ),
                        );
                        row("altitude", format!("{:.0} km", geodetic.altitude_km));
                        let speed = DVec3::from_array(states.velocities_km_s[index]).length();
                        row("speed", format!("{speed:.2} km/s"));
                    }
                    (None, None) => {}
                }
            });
            ui.weak("F: follow · Esc: clear");
        });
    if !open {
        selection.selected = None;
    }
    Ok(())
}

fn hover_label(
    mut contexts: EguiContexts,
    selection: Res<Selection>,
    catalog: Res<CatalogData>,
    windows: Query<&Window, With<PrimaryWindow>>,
    shot: Option<Res<super::ShotRequest>>,
) -> Result {
    // A still frame for a briefing shows no tooltip from wherever the pointer happens to be.
    if shot.is_some() {
        return Ok(());
    }
    let cursor = windows.single().ok().and_then(Window::cursor_position);
    let (Some(index), Some(cursor)) = (selection.hovered, cursor) else {
        return Ok(());
    };
    let Some(object) = catalog.objects.get(index) else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    egui::Area::new(egui::Id::new("hover"))
        .fixed_pos(egui::pos2(cursor.x + 12.0, cursor.y + 12.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(format!("{} ({})", object.name, object.norad_id));
            });
        });
    Ok(())
}
