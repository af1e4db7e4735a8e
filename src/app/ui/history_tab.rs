//! The statistics window's "in orbit since 1957" tab: catalogued objects in orbit on the first
//! day of each year, stacked by type or by owner, from every SATCAT row (whatever the filter),
//! with the largest debris-producing events marked where the data puts them.

use bevy_egui::egui;
use egui_plot::{Corner, FilledArea, Legend, Plot, PlotPoint, Text, VLine};

use super::statistics::{Tab, plot_height};
use super::widgets::{color32, count};
use crate::catalog::ObjectType;
use crate::palette::{owner_rank_color, type_color};
use crate::stats::history::History;

fn type_of_key(key: &str) -> ObjectType {
    ObjectType::ALL
        .into_iter()
        .find(|kind| kind.key() == key)
        .unwrap_or(ObjectType::Unknown)
}

pub(super) fn in_orbit(ui: &mut egui::Ui, tab: &mut Tab) {
    let congestion = &tab.charts.congestion;
    if congestion.rows == 0 {
        ui.label(
            "No SATCAT is loaded: the history needs launch and decay dates (the full SATCAT, \
             `orbitscope fetch --satcat`, or --satcat FILE).",
        );
        return;
    }
    ui.horizontal(|ui| {
        ui.label("split by");
        ui.selectable_value(&mut tab.options.history_by_owner, false, "type");
        ui.selectable_value(&mut tab.options.history_by_owner, true, "owner");
    });
    let by_owner = tab.options.history_by_owner;
    let history: &History = if by_owner {
        &congestion.by_owner
    } else {
        &congestion.by_type
    };
    let xs: Vec<f64> = history
        .dates
        .iter()
        .map(|date| f64::from(chrono::Datelike::year(date)))
        .collect();
    let mut lower = vec![0.0; xs.len()];
    let top = history.totals().into_iter().max().unwrap_or(0) as f64;
    let events = &congestion.events;
    Plot::new("in orbit plot")
        .height(plot_height(ui))
        .legend(Legend::default().position(Corner::LeftTop))
        .y_axis_label("objects in orbit")
        .include_y(0.0)
        .include_y(top * 1.12)
        .include_x(1957.0)
        .allow_scroll(false)
        .show(ui, |plot_ui| {
            for (rank, (group, counts)) in history.groups.iter().zip(&history.counts).enumerate() {
                let upper: Vec<f64> = lower
                    .iter()
                    .zip(counts)
                    .map(|(below, n)| below + f64::from(*n))
                    .collect();
                let color = if by_owner {
                    owner_rank_color(if group == "other" { usize::MAX } else { rank })
                } else {
                    type_color(type_of_key(group))
                };
                let name = if by_owner {
                    group.clone()
                } else {
                    type_of_key(group).label().to_owned()
                };
                plot_ui.add(
                    FilledArea::new(name, &xs, &lower, &upper)
                        .fill_color(color32(color).gamma_multiply(0.85)),
                );
                lower = upper;
            }
            for (index, event) in events.iter().enumerate() {
                let x = f64::from(chrono::Datelike::year(&event.month))
                    + f64::from(chrono::Datelike::month0(&event.month)) / 12.0;
                // Unnamed: the events stay out of the legend, which lists the series.
                plot_ui.add(
                    VLine::new("", x)
                        .color(egui::Color32::from_gray(200))
                        .width(1.0)
                        .allow_hover(false),
                );
                // One row each, largest event highest, so that neighbours stay legible.
                let y = top * (1.09 - 0.06 * index as f64);
                plot_ui.add(
                    Text::new(
                        "",
                        PlotPoint::new(x, y),
                        format!("{}: {} fragments", event.parent, count(event.fragments)),
                    )
                    .color(egui::Color32::from_gray(220))
                    .anchor(egui::Align2::RIGHT_CENTER),
                );
            }
        });
    ui.add(
        egui::Label::new(
            egui::RichText::new(format!(
                "All {} SATCAT rows, whatever the filter; on the first day of each year. Objects \
                 are dated by when they entered the catalog — the later of their launch and the \
                 latest launch among lower catalog numbers — because SATCAT gives a fragment its \
                 parent's launch date. Lines: the launches with the most catalogued debris, at \
                 the month most of it entered the catalog.{}",
                count(congestion.rows),
                if history.undated > 0 {
                    format!(
                        " {} rows without a launch date are left out.",
                        count(history.undated)
                    )
                } else {
                    String::new()
                }
            ))
            .small(),
        )
        .wrap(),
    );
}
