//! What the picture rests on: the age of the element sets against the clock (SGP4 errors grow
//! by kilometres a day away from the epochs), each source with its date, and what failed.

use bevy_egui::egui;

use super::PanelData;
use super::widgets::count;

/// Days between the clock and the median epoch beyond which positions deserve a warning.
const STALE_DAYS: f64 = 3.0;

pub(super) fn status(ui: &mut egui::Ui, data: &PanelData) {
    let failed = data.propagation.states.failed_count();
    if failed > 0 {
        ui.label(format!(
            "{} not propagated (decayed or diverged)",
            count(failed)
        ));
    }
    let summary = data.report.as_ref().and_then(|report| report.epochs);
    let now = data.clock.now();
    if let Some(summary) = &summary {
        let days = now.minutes_since(summary.median) / 1440.0;
        if days.abs() > STALE_DAYS {
            ui.colored_label(
                egui::Color32::from_rgb(240, 200, 80),
                format!(
                    "⚠ the clock is {:.0} days from the element sets: positions may be off by \
                     tens of km or more",
                    days.abs()
                ),
            );
        }
    }
    let warnings = data.report.as_ref().map_or(&[][..], |r| &r.warnings[..]);
    let header = if warnings.is_empty() {
        "data".to_owned()
    } else {
        format!("data ⚠ {}", warnings.len())
    };
    egui::CollapsingHeader::new(header)
        .id_salt("data status")
        .show(ui, |ui| {
            if let Some(summary) = &summary {
                let age = |instant: crate::orbit::Instant| {
                    format!(
                        "{} ({:+.1} d from the clock)",
                        instant.to_utc().format("%Y-%m-%d %H:%M"),
                        instant.minutes_since(now) / 1440.0
                    )
                };
                ui.label(format!(
                    "element sets: median epoch {}",
                    age(summary.median)
                ));
                ui.label(format!("oldest {}", age(summary.oldest)));
                ui.label(format!("newest {}", age(summary.newest)));
            }
            if let Some(report) = &data.report {
                ui.separator();
                for load in &report.loads {
                    let when = load.info.fetched_at.map_or_else(
                        || "local file".to_owned(),
                        |at| format!("fetched {}", at.format("%Y-%m-%d %H:%M UTC")),
                    );
                    ui.label(format!(
                        "{} · {} · {when}: {} kept, {} skipped",
                        load.info.kind,
                        short_location(&load.info.location),
                        count(load.records),
                        count(load.skipped)
                    ))
                    .on_hover_text(&load.info.location);
                }
                for warning in warnings {
                    ui.colored_label(egui::Color32::from_rgb(240, 200, 80), warning);
                }
            }
        });
}

/// The file name of a path, or the last part of a URL's path with its query.
fn short_location(location: &str) -> &str {
    location.rsplit('/').next().unwrap_or(location)
}
