//! The close-approaches window (`C`): span, threshold and "against" for the current filter,
//! run / cancel with progress, the events as a sortable table (a click goes to the TCA), a
//! histogram of miss distances and the count per day, and CSV export with the command line's
//! columns.

use bevy_egui::egui;
use egui_plot::{Bar, BarChart, Plot};

use super::widgets::count;
use super::{PanelData, UiState};
use crate::app::conjunctions::{ConjunctionRequest, ConjunctionSettings, go_to_actions};
use crate::app::controls::AppAction;
use crate::conjunction::{Against, Conjunction, EventOrder, ScreeningReport, csv_bytes};

/// What the window keeps between frames.
#[derive(Debug, Clone, Default)]
pub(super) struct ConjunctionFields {
    settings: ConjunctionSettings,
    sort: EventOrder,
    /// List every minimum of the persistent pairs too (else the summary counts them).
    show_persistent: bool,
    /// Row order for the report of this many events sorted by `sort`.
    order: Vec<usize>,
    ordered_for: Option<(usize, EventOrder, usize, bool)>,
    export: Option<String>,
}

pub(super) fn window(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    let approaches = &*data.approaches;
    if !approaches.open {
        return;
    }
    let fields = &mut state.conjunctions;
    let mut open = true;
    egui::Window::new("Close approaches")
        .open(&mut open)
        .default_size([760.0, 520.0])
        .show(ctx, |ui| {
            ui.label(
                "Every local minimum of the distance below the threshold, for the objects the \
                 filter shows, from the clock's time (exact SGP4).",
            );
            ui.horizontal(|ui| {
                ui.label("days");
                ui.add(
                    egui::DragValue::new(&mut fields.settings.days)
                        .range(0.01..=30.0)
                        .speed(0.1),
                );
                ui.label("threshold km");
                ui.add(
                    egui::DragValue::new(&mut fields.settings.threshold_km)
                        .range(0.1..=200.0)
                        .speed(0.1),
                );
                ui.label("against");
                ui.selectable_value(&mut fields.settings.against, Against::All, "whole catalog")
                    .on_hover_text("the filtered objects against every loaded object");
                ui.selectable_value(&mut fields.settings.against, Against::Primaries, "filtered")
                    .on_hover_text("only among the filtered objects");
            });
            ui.horizontal(|ui| {
                if let Some((done, total)) = approaches.running() {
                    ui.add(
                        egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                            .desired_width(240.0)
                            .show_percentage(),
                    );
                    if ui.button("cancel").clicked() {
                        actions.push(AppAction::Conjunctions(ConjunctionRequest::Cancel));
                    }
                } else if ui.button("screen").clicked() {
                    actions.push(AppAction::Conjunctions(ConjunctionRequest::Run(
                        fields.settings,
                    )));
                }
                let mut markers = approaches.markers;
                if ui
                    .checkbox(&mut markers, "rings on the globe")
                    .on_hover_text("events within half an hour of the clock's time")
                    .changed()
                {
                    actions.push(AppAction::Conjunctions(ConjunctionRequest::SetMarkers(
                        markers,
                    )));
                }
            });
            if let Some(message) = &approaches.message {
                ui.label(message);
            }
            let Some(report) = approaches.report.as_deref() else {
                return;
            };
            summary(ui, report, approaches.settings.threshold_km, fields);
            ui.separator();
            charts(ui, report, approaches.settings.threshold_km);
            ui.separator();
            table(ui, report, approaches.shown, data, fields, actions);
        });
    if !open {
        actions.push(AppAction::Conjunctions(ConjunctionRequest::ToggleWindow));
    }
}

fn summary(
    ui: &mut egui::Ui,
    report: &ScreeningReport,
    threshold_km: f64,
    fields: &mut ConjunctionFields,
) {
    let persistent = report.conjunctions.iter().filter(|c| c.persistent).count();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{} close approaches under {threshold_km} km among {} objects ({} filtered); {} of \
             them in {} persistent pairs (docked or in formation); {} objects could not be \
             propagated over the span.",
            count(report.conjunctions.len()),
            count(report.participants),
            count(report.primaries),
            count(persistent),
            count(report.persistent_pairs),
            count(report.dropouts.len()),
        ));
        if ui
            .button("export CSV")
            .on_hover_text(
                "as `orbitscope conjunctions --format csv` writes it, into the current directory",
            )
            .clicked()
        {
            fields.export = Some(export(report));
        }
        if let Some(message) = &fields.export {
            ui.label(message);
        }
    });
}

fn export(report: &ScreeningReport) -> String {
    super::widgets::save_table_csv(
        "orbitscope-close-approaches.csv",
        &format!("{} events", count(report.conjunctions.len())),
        csv_bytes(&report.conjunctions).map_err(|error| error.to_string()),
    )
}

/// Miss distances in tenths of the threshold, and events per UTC day.
fn charts(ui: &mut egui::Ui, report: &ScreeningReport, threshold_km: f64) {
    let bins = 10;
    let mut misses = vec![0_usize; bins];
    let mut days: std::collections::BTreeMap<chrono::NaiveDate, usize> = Default::default();
    for event in &report.conjunctions {
        let bin = ((event.miss_km / threshold_km * bins as f64) as usize).min(bins - 1);
        misses[bin] += 1;
        *days.entry(event.tca.date_naive()).or_default() += 1;
    }
    let width = threshold_km / bins as f64;
    ui.columns(2, |columns| {
        columns[0].label("events by miss distance (km)");
        let bars: Vec<Bar> = misses
            .iter()
            .enumerate()
            .map(|(bin, &n)| Bar::new((bin as f64 + 0.5) * width, n as f64).width(width * 0.9))
            .collect();
        Plot::new("miss histogram")
            .height(120.0)
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .show(&mut columns[0], |plot| {
                plot.bar_chart(BarChart::new("events", bars));
            });
        columns[1].label("events per day (day 0 = the first)");
        let bars: Vec<Bar> = days
            .values()
            .enumerate()
            .map(|(day, &n)| Bar::new(day as f64, n as f64).width(0.8))
            .collect();
        Plot::new("per day")
            .height(120.0)
            .allow_scroll(false)
            .allow_zoom(false)
            .allow_drag(false)
            .show(&mut columns[1], |plot| {
                plot.bar_chart(BarChart::new("per day", bars));
            });
    });
}

fn ordered(report: &ScreeningReport, fields: &mut ConjunctionFields) {
    let key = (
        report.conjunctions.len(),
        fields.sort,
        std::ptr::from_ref(report) as usize,
        fields.show_persistent,
    );
    if fields.ordered_for == Some(key) {
        return;
    }
    let events: &[Conjunction] = &report.conjunctions;
    let mut order: Vec<usize> = (0..events.len())
        .filter(|&index| fields.show_persistent || !events[index].persistent)
        .collect();
    order.sort_by(|&a, &b| fields.sort.compare(&events[a], &events[b]));
    fields.order = order;
    fields.ordered_for = Some(key);
}

fn table(
    ui: &mut egui::Ui,
    report: &ScreeningReport,
    shown: Option<usize>,
    data: &PanelData,
    fields: &mut ConjunctionFields,
    actions: &mut Vec<AppAction>,
) {
    ui.horizontal(|ui| {
        ui.label("sort by");
        ui.selectable_value(&mut fields.sort, EventOrder::Tca, "time");
        ui.selectable_value(&mut fields.sort, EventOrder::Miss, "miss distance");
        ui.selectable_value(&mut fields.sort, EventOrder::Speed, "relative speed");
        ui.checkbox(&mut fields.show_persistent, "persistent pairs' minima")
            .on_hover_text(
                "pairs that stay within the threshold between minima (docked, in formation): \
                 every minimum of theirs, else counted above only",
            );
        ui.label("— click a row: go to its time of closest approach");
    });
    ordered(report, fields);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, fields.order.len(), |ui, rows| {
            egui::Grid::new("close approaches")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for header in ["TCA (UTC)", "miss km", "km/s", "object A", "object B", ""] {
                        ui.strong(header);
                    }
                    ui.end_row();
                    for row in rows {
                        let index = fields.order[row];
                        let event = &report.conjunctions[index];
                        let label = event.tca.format("%Y-%m-%d %H:%M:%S%.3f").to_string();
                        let clicked = ui.selectable_label(shown == Some(index), label).clicked();
                        ui.label(format!("{:.3}", event.miss_km));
                        ui.label(format!("{:.3}", event.speed_km_s));
                        for side in [&event.a, &event.b] {
                            ui.label(format!("{} {}", side.norad_id, side.name))
                                .on_hover_text(format!(
                                    "owner {}, UN registration: {}",
                                    if side.owner.is_empty() {
                                        "?"
                                    } else {
                                        &side.owner
                                    },
                                    side.registration
                                ));
                        }
                        ui.label(if event.persistent { "persistent" } else { "" });
                        ui.end_row();
                        if clicked {
                            actions.extend(go_to_actions(report, index, data.clock.is_paused()));
                        }
                    }
                });
        });
}
