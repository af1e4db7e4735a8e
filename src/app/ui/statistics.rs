//! The statistics window: everything computed from the current filter ([`Charts`]). Tabs:
//! objects per owner split by registration status, registration rates with their counts,
//! altitude histogram by object type, inclination × altitude density, launches per year, and
//! the UN register's questions (`register_tab`).
//! Hovering a bar shows its exact numbers; clicking one narrows the filter to it.

use bevy_egui::egui;
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Legend, Plot, PlotPoint};

use super::widgets::{color32, count};
use super::{PanelData, UiState, plots};
use crate::app::analysis::StatsTab;
use crate::app::controls::AppAction;
use crate::filter::{Filter, RegistrationStatus};
use crate::palette::registration_color;
use crate::stats::charts::Charts;
use crate::stats::{MIN_PAYLOADS_RANKED, NO_OWNER, StatsRow, ranked_by_rate};
use crate::treaty::PARTIES_AS_OF;

/// The window's own settings.
#[derive(Debug, Clone)]
pub(super) struct StatsOptions {
    /// Owners drawn as bars.
    pub top_owners: usize,
    /// Rates per state of registry instead of per owner.
    pub rates_by_state: bool,
    /// Rates highest first (groups with at least [`MIN_PAYLOADS_RANKED`] payloads), instead
    /// of the largest groups first.
    pub rates_ranked: bool,
    pub log_scale: bool,
    /// Altitude plots over every orbit instead of low orbit only.
    pub all_altitudes: bool,
    /// The in-orbit history split by owner instead of by type.
    pub history_by_owner: bool,
}

impl Default for StatsOptions {
    fn default() -> Self {
        Self {
            top_owners: 15,
            rates_by_state: false,
            rates_ranked: false,
            log_scale: false,
            all_altitudes: false,
            history_by_owner: false,
        }
    }
}

/// What a tab reads, and where its clicks go.
pub(super) struct Tab<'a> {
    pub charts: &'a Charts,
    pub options: &'a mut StatsOptions,
    filter: &'a Filter,
    actions: &'a mut Vec<AppAction>,
}

impl Tab<'_> {
    /// Asks for something else (select an object, say).
    pub fn push(&mut self, action: AppAction) {
        self.actions.push(action);
    }

    /// Narrows the current filter with `edit` (what a click on a bar or a row does).
    pub fn narrow(&mut self, edit: impl FnOnce(&mut Filter)) {
        let mut narrowed = self.filter.clone();
        edit(&mut narrowed);
        self.actions.push(AppAction::SetFilter(Box::new(narrowed)));
    }
}

/// The three registration statuses, in stacking order, with their legend words.
pub(super) const STATUSES: [(RegistrationStatus, &str); 3] = [
    (RegistrationStatus::Registered, "registered"),
    (RegistrationStatus::NotRegistered, "not registered"),
    (RegistrationStatus::NoData, "no data"),
];

pub(super) fn window(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    if !data.views.statistics {
        return;
    }
    let mut open = true;
    egui::Window::new("Statistics")
        .open(&mut open)
        .default_size([660.0, 520.0])
        .default_pos(ctx.content_rect().center() - egui::vec2(330.0, 260.0))
        .show(ctx, |ui| {
            let Some(charts) = data.analysis.charts.as_deref() else {
                ui.label("computing…");
                return;
            };
            ui.horizontal(|ui| {
                ui.strong(format!("{} objects in the filter", count(charts.objects)));
                if !data.filter.is_empty() {
                    ui.label("(filtered: every number follows the Filter panel)");
                }
            });
            ui.horizontal_wrapped(|ui| {
                for tab in StatsTab::ALL {
                    let current = data.views.statistics_tab == tab;
                    if ui.selectable_label(current, tab.label()).clicked() && !current {
                        actions.push(AppAction::SetStatisticsTab(tab));
                    }
                }
            });
            ui.separator();
            let mut tab = Tab {
                charts,
                options: &mut state.stats,
                filter: &data.filter.0,
                actions,
            };
            match data.views.statistics_tab {
                StatsTab::Owners => owners(ui, &mut tab),
                StatsTab::Rates => rates(ui, &mut tab),
                StatsTab::Altitude => plots::altitude(ui, &mut tab),
                StatsTab::Density => plots::density(ui, &mut tab),
                StatsTab::Launches => plots::launches(ui, &mut tab),
                StatsTab::InOrbit => super::history_tab::in_orbit(ui, &mut tab),
                StatsTab::UnRegister => super::register_tab::register(ui, &mut tab, data),
            }
        });
    if !open {
        actions.push(AppAction::ToggleStatistics);
    }
}

/// Bars stacked by registration status; `label` names each bar for its hover text.
pub(super) fn status_bars(columns: &[(f64, [usize; 3], String)], width: f64) -> Vec<BarChart> {
    STATUSES
        .iter()
        .enumerate()
        .map(|(slot, (status, name))| {
            let color = color32(registration_color(*status));
            let bars = columns
                .iter()
                .map(|(x, counts, label)| {
                    let below: usize = counts[..slot].iter().sum();
                    let total: usize = counts.iter().sum();
                    solid(Bar::new(*x, counts[slot] as f64), color)
                        .base_offset(below as f64)
                        .width(width)
                        .name(format!(
                            "{label}\n{} {name} of {} ({:.0} %)",
                            count(counts[slot]),
                            count(total),
                            percent(counts[slot], total)
                        ))
                })
                .collect();
            BarChart::new(*name, bars)
                .color(color)
                .element_formatter(Box::new(|bar, _| bar.name.clone()))
        })
        .collect()
}

/// A bar filled with its colour (the plot library's default fill is a faint tint).
pub(super) fn solid(bar: Bar, color: egui::Color32) -> Bar {
    bar.fill(color)
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.6)))
}

/// A grid mark at every whole number in view, so every bar gets its label.
pub(super) fn every_index(input: egui_plot::GridInput) -> Vec<GridMark> {
    let (low, high) = input.bounds;
    (low.ceil().max(0.0) as i64..=high.floor() as i64)
        .map(|index| GridMark {
            value: index as f64,
            step_size: 1.0,
        })
        .collect()
}

/// Plot height: what the window has left, within reason.
pub(super) fn plot_height(ui: &egui::Ui) -> f32 {
    (ui.available_height() - 28.0).clamp(180.0, 380.0)
}

pub(super) fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The bar under a click, by its x position (bars at whole numbers from 0).
pub(super) fn clicked_index(
    response: &egui_plot::PlotResponse<Option<PlotPoint>>,
    len: usize,
) -> Option<usize> {
    if !response.response.clicked() {
        return None;
    }
    let x = response.inner?.x.round();
    (x >= 0.0 && (x as usize) < len).then_some(x as usize)
}

fn owners(ui: &mut egui::Ui, tab: &mut Tab) {
    let charts = tab.charts;
    ui.horizontal(|ui| {
        ui.label("largest");
        ui.add(egui::DragValue::new(&mut tab.options.top_owners).range(3..=60));
        ui.label("owners, by registration status (click a bar: show only that owner)");
    });
    let shown: Vec<&StatsRow> = charts.owners.iter().take(tab.options.top_owners).collect();
    let columns: Vec<(f64, [usize; 3], String)> = shown
        .iter()
        .enumerate()
        .map(|(index, row)| {
            (
                index as f64,
                [row.registered, row.not_registered, row.no_registration_data],
                format!("{} ({})", row.label, row.group),
            )
        })
        .collect();
    let codes: Vec<String> = shown.iter().map(|row| row.group.clone()).collect();
    // Room for at least eight bars: one owner's bar must not fill the plot.
    let slots = shown.len().max(8) as f64;
    let response = Plot::new("owners plot")
        .height(plot_height(ui))
        .include_x(-0.6)
        .include_x(slots - 0.4)
        .include_y(0.0)
        .legend(Legend::default())
        .x_grid_spacer(every_index)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .y_axis_label("objects")
        // Owner codes are short: let labels sit closer than egui_plot's default 60 px.
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label_spacing(20.0..=30.0)
                .formatter(move |mark: GridMark, _| {
                    let index = mark.value.round();
                    if (mark.value - index).abs() > 1e-6 || index < 0.0 {
                        return String::new();
                    }
                    codes.get(index as usize).cloned().unwrap_or_default()
                }),
        ])
        .show(ui, |plot_ui| {
            for chart in status_bars(&columns, 0.7) {
                plot_ui.bar_chart(chart);
            }
            plot_ui.pointer_coordinate()
        });
    if let Some(index) = clicked_index(&response, shown.len()) {
        let code = shown[index].group.to_ascii_uppercase();
        if code != NO_OWNER {
            tab.narrow(|filter| filter.owners = [code].into());
        }
    }
    if charts.owners.len() > shown.len() {
        ui.label(format!(
            "{} more owners with {} objects (the Registration rates tab lists them all)",
            charts.owners.len() - shown.len(),
            count(charts.owners[shown.len()..].iter().map(|r| r.objects).sum())
        ));
    }
}

fn rates(ui: &mut egui::Ui, tab: &mut Tab) {
    let charts = tab.charts;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut tab.options.rates_by_state, false, "per owner");
        ui.selectable_value(
            &mut tab.options.rates_by_state,
            true,
            "per state of registry",
        );
        ui.separator();
        ui.checkbox(
            &mut tab.options.rates_ranked,
            format!("highest rate first ({MIN_PAYLOADS_RANKED}+ payloads)"),
        );
    });
    ui.label(if tab.options.rates_by_state {
        "Payloads per state the registration data names (registered by it, or held responsible \
         for an unregistered object). Click a row: show only that state."
    } else {
        "Payloads per SATCAT owner; REG: the owner's standing towards the Registration \
         Convention. Click a row: show only that owner."
    });
    // A filter on registration status makes every rate 0 % or 100 %: say so where it shows.
    if !tab.filter.registration.is_empty() {
        ui.colored_label(
            egui::Color32::from_rgb(255, 200, 90),
            "The filter keeps only some UN registration statuses, so these rates say what the \
             filter chose, not how the owners register: clear 'UN registration' in the Filter \
             panel to see their rates.",
        );
    } else if !tab.filter.is_empty() {
        ui.label("Rates of the objects the filter shows.");
    }
    let all_rows = if tab.options.rates_by_state {
        &charts.states_of_registry
    } else {
        &charts.owners
    };
    let rows: Vec<&StatsRow> = if tab.options.rates_ranked {
        ranked_by_rate(all_rows)
    } else {
        all_rows.iter().collect()
    };
    let text_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let mut clicked_group = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .max_height(ui.available_height() - 24.0)
        .show_rows(ui, text_height, rows.len(), |ui, range| {
            egui::Grid::new("rates grid")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for row in rows[range].iter().copied() {
                        // Code first (never cut), the full name last where cutting it is harmless.
                        let clicked = ui
                            .add(egui::Label::new(&row.group).sense(egui::Sense::click()))
                            .on_hover_text(format!(
                                "{}: {} objects, {} payloads ({} registered, {} not registered, \
                                 {} no data)",
                                row.label,
                                count(row.objects),
                                count(row.payloads),
                                count(row.payloads_registered),
                                count(row.not_registered),
                                count(row.no_registration_data)
                            ))
                            .clicked();
                        let rate = row.payload_registration_rate.unwrap_or(0.0) as f32;
                        ui.add(
                            egui::ProgressBar::new(rate)
                                .desired_width(150.0)
                                .text(format!(
                                    "{:.0} %  ({} of {})",
                                    rate * 100.0,
                                    count(row.payloads_registered),
                                    count(row.payloads)
                                )),
                        );
                        ui.label(&row.owner_reg);
                        ui.add(egui::Label::new(&row.label).truncate());
                        ui.end_row();
                        if clicked && row.group != NO_OWNER {
                            clicked_group = Some(row.group.clone());
                        }
                    }
                });
        });
    if let Some(group) = clicked_group {
        if tab.options.rates_by_state {
            tab.narrow(|filter| filter.states_of_registry = [group].into());
        } else {
            tab.narrow(|filter| filter.owners = [group.to_ascii_uppercase()].into());
        }
    }
    if !tab.options.rates_by_state {
        ui.small(format!("Treaty status as at {PARTIES_AS_OF}."));
    }
}
