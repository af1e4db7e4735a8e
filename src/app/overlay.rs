//! What a briefing image carries besides the globe, drawn with egui into the same frame:
//! the caption, a legend with counts, the scene's UTC time, shown / total objects, the data
//! sources with their dates and the element sets' age, and an attribution line. Sizes follow
//! the output resolution (egui's zoom), so a 4K image looks like the window, only sharper.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::filter::FilterChoices;
use super::markers::MarkerStyle;
use super::{LoadReport, RenderPositions, SimClock};
use crate::scenario::{Caption, Overlays};

/// The overlays of a shot, and the scale of text and markers (1 = the 800-pixel-high window).
#[derive(Resource, Debug, Clone)]
pub struct ShotOverlays {
    pub caption: Caption,
    pub show: Overlays,
    pub scale: f32,
    /// The window's panels are in the frame too (their legend stands for ours).
    pub panels: bool,
}

const ATTRIBUTION: &str = "OrbitScope · data: CelesTrak (T. S. Kelso), GCAT (J. C. McDowell), \
                           UNOOSA · imagery: NASA Blue Marble, Natural Earth";

/// Gizmo lines' width (borders, graticule, ground tracks, the selected orbit, close-approach
/// lines, site pins) at the 800-pixel-high window; they grow with the output like the text.
const LINE_WIDTH_PX: f32 = 2.0;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw_overlays.run_if(resource_exists::<ShotOverlays>),
    )
    .add_systems(Update, scale_lines.in_set(super::FrameSystems::Present));
}

/// The scale of lines: a shot's (its height over 800, at least 1), else the window's. Both the
/// immediate gizmos and the retained ones (graticule, borders) follow it.
fn scale_lines(
    overlays: Option<Res<ShotOverlays>>,
    windows: Query<&Window, With<bevy::window::PrimaryWindow>>,
    mut store: ResMut<GizmoConfigStore>,
    mut retained: Query<&mut Gizmo>,
) {
    let scale = overlays.map(|overlays| overlays.scale).unwrap_or_else(|| {
        windows.single().map_or(1.0, |window| {
            (window.physical_height() as f32 / 800.0).max(1.0)
        })
    });
    let width = LINE_WIDTH_PX * scale;
    // Read first: the store is only marked changed when the width really changes.
    if store.config::<DefaultGizmoConfigGroup>().0.line.width != width {
        store.config_mut::<DefaultGizmoConfigGroup>().0.line.width = width;
    }
    for mut gizmo in &mut retained {
        if gizmo.line_config.width != width {
            gizmo.line_config.width = width;
        }
    }
}

/// An opaque dark box: text stays legible over the bright globe (translucent fills do not
/// survive every render target's blending).
fn frame() -> egui::Frame {
    egui::Frame::new()
        .fill(egui::Color32::from_rgb(16, 16, 20))
        .inner_margin(egui::Margin::same(8))
        .corner_radius(4.0)
}

fn draw_overlays(
    mut contexts: EguiContexts,
    overlays: Res<ShotOverlays>,
    clock: Res<SimClock>,
    positions: Res<RenderPositions>,
    choices: Res<FilterChoices>,
    filter: Res<super::filter::FilterSettings>,
    style: Res<MarkerStyle>,
    report: Option<Res<LoadReport>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if !overlays.panels {
        // The panels set the zoom themselves (from the same scale) when they are drawn.
        ctx.set_zoom_factor(overlays.scale);
    }
    let show = &overlays.show;
    let scene = positions.frame_instant.unwrap_or_else(|| clock.now());
    let caption = &overlays.caption;
    if show.caption && !(caption.title.is_empty() && caption.subtitle.is_empty()) {
        egui::Area::new(egui::Id::new("overlay caption"))
            .anchor(egui::Align2::CENTER_TOP, [0.0, 10.0])
            .show(ctx, |ui| {
                ui.set_max_width(ctx.content_rect().width() * 0.6);
                frame().show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        if !caption.title.is_empty() {
                            ui.label(
                                egui::RichText::new(&caption.title)
                                    .size(26.0)
                                    .strong()
                                    .color(egui::Color32::WHITE),
                            );
                        }
                        if !caption.subtitle.is_empty() {
                            ui.label(egui::RichText::new(&caption.subtitle).size(15.0));
                        }
                    });
                });
            });
    }
    if show.time || show.counts {
        egui::Area::new(egui::Id::new("overlay time"))
            .anchor(egui::Align2::RIGHT_TOP, [-10.0, 10.0])
            .show(ctx, |ui| {
                frame().show(ui, |ui| {
                    if show.time {
                        ui.label(
                            egui::RichText::new(
                                scene.to_utc().format("%Y-%m-%d %H:%M UTC").to_string(),
                            )
                            .size(18.0)
                            .monospace()
                            .color(egui::Color32::WHITE),
                        );
                    }
                    if show.counts {
                        ui.label(format!(
                            "{} of {} objects shown",
                            super::ui::count(choices.shown),
                            super::ui::count(choices.total)
                        ));
                    }
                    if let Some(date) = filter.in_orbit_on {
                        ui.label(format!(
                            "catalog as of {date}; positions from today's element sets \
                             (an approximation)"
                        ));
                    }
                });
            });
    }
    if show.legend && !overlays.panels {
        egui::Area::new(egui::Id::new("overlay legend"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-10.0, -10.0])
            .show(ctx, |ui| {
                frame().show(ui, |ui| {
                    ui.strong(style.mode.label());
                    for entry in style.legend() {
                        ui.horizontal(|ui| {
                            super::ui::swatch(ui, entry.color);
                            ui.label(format!(
                                "{}  {}",
                                super::ui::count(entry.count),
                                entry.label
                            ));
                        });
                    }
                    if style.mode == crate::palette::ColorMode::RegistrationConvention {
                        ui.small(format!(
                            "treaty status as at {}",
                            crate::treaty::PARTIES_AS_OF
                        ));
                    }
                });
            });
    }
    if show.sources || show.attribution {
        egui::Area::new(egui::Id::new("overlay sources"))
            .anchor(egui::Align2::LEFT_BOTTOM, [10.0, -10.0])
            .show(ctx, |ui| {
                frame().show(ui, |ui| {
                    if show.sources
                        && let Some(report) = &report
                    {
                        for line in source_lines(report, scene) {
                            ui.small(line);
                        }
                    }
                    if show.attribution {
                        ui.small(ATTRIBUTION);
                    }
                });
            });
    }
    Ok(())
}

/// "SATCAT satcat.csv, fetched 2026-11-25 14:02 UTC", one per source, then the epochs.
fn source_lines(report: &LoadReport, scene: crate::orbit::Instant) -> Vec<String> {
    let mut lines: Vec<String> = report
        .loads
        .iter()
        .map(|load| {
            let name = load.info.location.rsplit('/').next().unwrap_or_default();
            let when = load.info.fetched_at.map_or_else(
                || "local file".to_owned(),
                |at| format!("fetched {}", at.format("%Y-%m-%d %H:%M UTC")),
            );
            format!("{} {name}, {when}", load.format)
        })
        .collect();
    if let Some(epochs) = report.epochs {
        lines.push(format!(
            "element sets: median epoch {} ({:.1} days before the scene)",
            epochs.median.to_utc().format("%Y-%m-%d %H:%M UTC"),
            scene.minutes_since(epochs.median) / 1440.0
        ));
    }
    lines
}
