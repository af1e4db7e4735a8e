//! The statistics window's histograms and density plot: altitude by object type (50 km bins,
//! linear or log scale), inclination against altitude, launches per year.

use bevy_egui::egui;
use egui_plot::{Bar, BarChart, Heatmap, HoverPosition, Legend, Plot, PlotPoint};

use super::statistics::{Tab, clicked_index, percent, plot_height, solid, status_bars};
use super::widgets::{color32, count};
use crate::filter::{AltitudeRange, LEO_CEILING_KM, YearRange};
use crate::palette::type_color;
use crate::stats::ALTITUDE_BAND_KM;
use crate::stats::charts::{DensityGrid, TYPE_ORDER};

/// Altitude histogram: bars stacked by object type. On the log scale each segment spans
/// `log10(1 + cumulative count)`, so the stack's top is the total's logarithm.
pub(super) fn altitude(ui: &mut egui::Ui, tab: &mut Tab) {
    let charts = tab.charts;
    ui.horizontal(|ui| {
        ui.checkbox(&mut tab.options.log_scale, "log scale");
        ui.checkbox(
            &mut tab.options.all_altitudes,
            "all altitudes (else up to 2 000 km)",
        );
    });
    ui.label(
        "Objects per 50 km of mean altitude, by type. Click a bar: show the objects whose \
         orbit crosses that shell.",
    );
    let ceiling_km = if tab.options.all_altitudes {
        45_000.0
    } else {
        LEO_CEILING_KM
    };
    let bins = ((ceiling_km / ALTITUDE_BAND_KM) as usize).min(charts.altitude_bins.len());
    let log = tab.options.log_scale;
    let scale = move |n: usize| {
        if log {
            (1.0 + n as f64).log10()
        } else {
            n as f64
        }
    };
    let charts_by_type: Vec<BarChart> = TYPE_ORDER
        .iter()
        .enumerate()
        .map(|(slot, kind)| {
            let color = color32(type_color(*kind));
            let bars = charts.altitude_bins[..bins]
                .iter()
                .enumerate()
                .filter(|(_, counts)| counts[slot] > 0)
                .map(|(bin, counts)| {
                    let low = bin as f64 * ALTITUDE_BAND_KM;
                    let below: u32 = counts[..slot].iter().sum();
                    let upto = below + counts[slot];
                    let total: u32 = counts.iter().sum();
                    solid(
                        Bar::new(
                            low + ALTITUDE_BAND_KM / 2.0,
                            scale(upto as usize) - scale(below as usize),
                        ),
                        color,
                    )
                    .base_offset(scale(below as usize))
                    .width(ALTITUDE_BAND_KM * 0.9)
                    .name(format!(
                        "{low:.0}–{:.0} km: {} {} of {} objects",
                        low + ALTITUDE_BAND_KM,
                        count(counts[slot] as usize),
                        kind.label(),
                        count(total as usize)
                    ))
                })
                .collect();
            BarChart::new(kind.label(), bars)
                .color(color)
                .element_formatter(Box::new(|bar, _| bar.name.clone()))
        })
        .collect();
    let response = Plot::new("altitude plot")
        .height(plot_height(ui))
        .legend(Legend::default())
        .x_axis_label("mean altitude (km)")
        .y_axis_label(if log { "objects (log)" } else { "objects" })
        .include_x(0.0)
        .include_x(ceiling_km)
        .include_y(0.0)
        .y_axis_formatter(move |mark, _| {
            if log {
                format!("{:.0}", 10f64.powf(mark.value) - 1.0)
            } else {
                format!("{:.0}", mark.value)
            }
        })
        .show(ui, |plot_ui| {
            for chart in charts_by_type {
                plot_ui.bar_chart(chart);
            }
            plot_ui.pointer_coordinate()
        });
    if response.response.clicked()
        && let Some(point) = response.inner
        && point.x >= 0.0
    {
        let low = (point.x / ALTITUDE_BAND_KM).floor() * ALTITUDE_BAND_KM;
        tab.narrow(|filter| {
            filter.altitude = Some(AltitudeRange {
                low_km: low,
                high_km: low + ALTITUDE_BAND_KM,
            });
        });
    }
    let above = charts.altitude_bins[bins..]
        .iter()
        .map(|counts| counts.iter().sum::<u32>() as usize)
        .sum::<usize>();
    if above > 0 || charts.altitude_unplaced > 0 {
        ui.small(format!(
            "{} above {ceiling_km:.0} km; {} with no valid orbit",
            count(above),
            count(charts.altitude_unplaced)
        ));
    }
}

/// Inclination against mean altitude as a 2-D density (colour: log of the count per cell).
pub(super) fn density(ui: &mut egui::Ui, tab: &mut Tab) {
    let (charts, options) = (tab.charts, &mut *tab.options);
    ui.checkbox(
        &mut options.all_altitudes,
        "all altitudes (500 km cells; else 0–2 000 km in 25 km cells)",
    );
    let grid: &DensityGrid = if options.all_altitudes {
        &charts.density_all
    } else {
        &charts.density_leo
    };
    let peak = grid.counts.iter().copied().max().unwrap_or(0);
    ui.label(format!(
        "Objects per {:.0} km × {:.0}° cell (brighter: more); the busiest cell holds {}. {} above the plotted range.",
        grid.altitude_step_km,
        grid.inclination_step_deg,
        count(peak as usize),
        count(grid.above)
    ));
    let log_peak = (1.0 + f64::from(peak)).ln().max(1e-9);
    let values: Vec<f64> = grid.counts.iter().map(|&n| f64::from(n)).collect();
    let heatmap = Heatmap::new(values, grid.columns)
        .at(PlotPoint::new(0.0, 0.0))
        .tile_size(
            grid.altitude_step_km as f32,
            grid.inclination_step_deg as f32,
        )
        .show_labels(false)
        .custom_mapping(Box::new(move |n| {
            if n <= 0.0 {
                return egui::Color32::TRANSPARENT;
            }
            let t = ((1.0 + n).ln() / log_peak).clamp(0.0, 1.0) as f32;
            // Dark blue → yellow (viridis ends); visible on the dark theme.
            let low = egui::Rgba::from_rgb(0.27, 0.0, 0.33);
            let high = egui::Rgba::from_rgb(0.99, 0.91, 0.14);
            egui::Color32::from(low * (1.0 - t) + high * t)
        }))
        .formatter(Box::new(|n| format!("{n:.0}")))
        .name("objects");
    Plot::new("density plot")
        .height(plot_height(ui))
        .x_axis_label("mean altitude (km)")
        .y_axis_label("inclination (°)")
        .include_y(0.0)
        .include_y(180.0)
        .label_formatter(move |hover| {
            let point = match hover {
                HoverPosition::NearDataPoint { position, .. }
                | HoverPosition::Elsewhere { position } => *position,
            };
            Some(format!(
                "{:.0} km, {:.1}°: {} objects",
                point.x,
                point.y,
                count(grid.at(point.x, point.y) as usize)
            ))
        })
        .show(ui, |plot_ui| plot_ui.heatmap(heatmap));
}

/// Launches per year (SATCAT launch date), stacked by registration status.
pub(super) fn launches(ui: &mut egui::Ui, tab: &mut Tab) {
    let charts = tab.charts;
    ui.label(
        "Objects in the filter by launch year, by registration status. Click a bar: show \
         that year's launches.",
    );
    let Some((&first, _)) = charts.launches.first_key_value() else {
        ui.label("no launch dates (load a SATCAT)");
        return;
    };
    let columns: Vec<(f64, [usize; 3], String)> = charts
        .launches
        .iter()
        .map(|(&year, counts)| {
            (
                f64::from(year - first),
                counts.map(|n| n as usize),
                format!("launched in {year}"),
            )
        })
        .collect();
    let years = charts.launches.len().max(1);
    let response = Plot::new("launches plot")
        .height(plot_height(ui))
        .legend(Legend::default())
        .y_axis_label("objects")
        .x_axis_formatter(move |mark, _| format!("{:.0}", mark.value + f64::from(first)))
        .include_y(0.0)
        .show(ui, |plot_ui| {
            for chart in status_bars(&columns, 0.8) {
                plot_ui.bar_chart(chart);
            }
            plot_ui.pointer_coordinate()
        });
    let span = charts
        .launches
        .keys()
        .last()
        .map_or(0, |&last| last - first) as usize
        + 1;
    if let Some(offset) = clicked_index(&response, span) {
        let year = first + offset as i32;
        if charts.launches.contains_key(&year) {
            tab.narrow(|filter| {
                filter.launched = Some(YearRange {
                    from: year,
                    to: year,
                });
            });
        }
    }
    let registered: usize = charts.launches.values().map(|c| c[0] as usize).sum();
    let dated: usize = charts
        .launches
        .values()
        .map(|c| c.iter().sum::<u32>() as usize)
        .sum();
    ui.small(format!(
        "{years} years; {:.0} % of dated objects registered; {} without a launch date",
        percent(registered, dated),
        count(charts.launch_date_unknown)
    ));
}
