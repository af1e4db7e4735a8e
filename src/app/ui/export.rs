//! The data window's export of the filtered objects as CZML, KML or GeoJSON, the formats of
//! `orbitscope export`: two hours from the clock's time at 60 s (the command line's default
//! span), in the marker colours, written in a background task into the current directory.

use std::sync::Arc;

use bevy::tasks::{AsyncComputeTaskPool, Task};
use bevy_egui::egui;

use super::PanelData;
use crate::app::background::poll_done;
use crate::catalog::Catalog;
use crate::export::{ExportObject, Format, TimeGrid, write_export};
use crate::palette::Palette;

/// The export running, and what the last one did.
#[derive(Default)]
pub(super) struct ExportFields {
    task: Option<Task<String>>,
    message: Option<String>,
}

impl std::fmt::Debug for ExportFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportFields")
            .field("running", &self.task.is_some())
            .field("message", &self.message)
            .finish()
    }
}

/// Span and step of a window export (the command line's defaults).
const SPAN_MINUTES: f64 = 120.0;
const STEP_S: f64 = 60.0;

pub(super) fn section(ui: &mut egui::Ui, data: &PanelData, fields: &mut ExportFields) {
    if let Some(done) = poll_done(&mut fields.task) {
        fields.message = Some(done);
    }
    ui.strong("Export the filtered objects");
    ui.horizontal_wrapped(|ui| {
        if fields.task.is_some() {
            ui.spinner();
            ui.label("writing…");
            return;
        }
        for (label, format, extension, hint) in [
            (
                "CZML",
                Format::Czml,
                "czml",
                "Cesium: sampled positions in the Earth-fixed frame",
            ),
            (
                "KML",
                Format::Kml,
                "kml",
                "Google Earth: time-stamped tracks and ground tracks",
            ),
            (
                "GeoJSON",
                Format::GeoJson,
                "geojson",
                "GIS: ground tracks split at the antimeridian",
            ),
        ] {
            if ui.button(label).on_hover_text(hint).clicked() {
                fields.message = None;
                fields.task = Some(spawn(data, format, extension));
            }
        }
    });
    ui.weak(
        "two hours from the clock's time at 60 s, in the marker colours, into the current \
         directory (`orbitscope export` does any span)",
    );
    if let Some(message) = &fields.message {
        ui.label(message);
    }
}

fn spawn(data: &PanelData, format: Format, extension: &str) -> Task<String> {
    let catalog: Arc<Catalog> = Arc::clone(&data.catalog.0);
    let mask = data.style.mask().to_vec();
    let mode = data.style.mode;
    let start = data.clock.now();
    let path = std::path::PathBuf::from(format!("orbitscope-filtered.{extension}"));
    AsyncComputeTaskPool::get().spawn(async move {
        let mask: Vec<bool> = (0..catalog.objects.len())
            .map(|row| mask.get(row).copied().unwrap_or(true))
            .collect();
        let palette = Palette::new(mode, &catalog.objects, &mask);
        let objects: Vec<ExportObject> = catalog
            .objects
            .iter()
            .zip(&mask)
            .filter(|(_, shown)| **shown)
            .map(|(object, _)| ExportObject::new(object, &palette))
            .collect();
        let shown = std::env::current_dir().map_or(path.clone(), |dir| dir.join(&path));
        let grid = match TimeGrid::new(start, start.plus_minutes(SPAN_MINUTES), STEP_S) {
            Ok(grid) => grid,
            Err(error) => return format!("no export: {error}"),
        };
        let written = crate::sources::cache::write_output_atomically_with(&path, |file| {
            write_export(file, format, &objects, &grid, &|_, _| {})
        });
        match written {
            Ok(report) => {
                let mut text = format!(
                    "{} objects, {:.1} MB written to {}",
                    report.written,
                    report.bytes as f64 / 1e6,
                    shown.display()
                );
                if !report.failures.is_empty() {
                    text.push_str(&format!(
                        "; {} left out (SGP4 failed over the span)",
                        report.failures.len()
                    ));
                }
                text
            }
            Err(error) => format!("could not write {}: {error}", shown.display()),
        }
    })
}
