//! The sites & passes window (`P`): the site book (type a site, or take the point below the
//! camera), a search of the selected object over every site or of the filtered objects over
//! one site, the passes as a table (a click goes to the rise), and the sky plot: the chosen
//! pass's track and everything above the site at the clock's time, coloured like the markers.

use std::collections::HashMap;

use bevy_egui::egui;
use egui_plot::{Line, MarkerShape, Plot, PlotPoint, PlotPoints, Points, Text};
use glam::DVec3;

use super::widgets::{color32, count};
use super::{PanelData, UiState};
use crate::app::controls::AppAction;
use crate::app::passes::{PassRequest, PassScope, PassSettings, PassTable, go_to_actions};
use crate::orbit::gmst_rad;
use crate::passes::{Site, SiteFrame, sky_xy};

/// What the window keeps between frames.
#[derive(Debug, Clone, Default)]
pub(super) struct PassFields {
    settings: PassSettings,
    visible_only: bool,
    name: String,
    latitude: String,
    longitude: String,
    height_m: String,
    add_error: Option<String>,
    /// What the last CSV export did.
    export: Option<String>,
    /// The sky plot's points of everything overhead, kept until the tick, the site or the
    /// colours change (16 000 look angles are not redone every frame).
    overhead: Option<(OverheadKey, Vec<(egui::Color32, Vec<PlotPoint>)>)>,
}

/// What the overhead points depend on: the states' instant, the site, the marker colours.
type OverheadKey = (Option<crate::orbit::Instant>, [u64; 3], u64);

pub(super) fn window(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut UiState,
    actions: &mut Vec<AppAction>,
) {
    let passes = &*data.passes;
    if !passes.open {
        return;
    }
    let fields = &mut state.passes;
    let mut open = true;
    egui::Window::new("Sites & passes")
        .open(&mut open)
        .default_size([720.0, 560.0])
        .show(ctx, |ui| {
            sites(ui, data, fields, actions);
            ui.separator();
            search(ui, data, fields, actions);
            let Some(table) = passes.table.as_deref() else {
                return;
            };
            ui.separator();
            ui.columns(2, |columns| {
                pass_table(&mut columns[0], data, table, fields, actions);
                sky_plot(&mut columns[1], data, fields);
            });
        });
    if !open {
        actions.push(AppAction::Passes(PassRequest::ToggleWindow));
    }
}

fn sites(
    ui: &mut egui::Ui,
    data: &PanelData,
    fields: &mut PassFields,
    actions: &mut Vec<AppAction>,
) {
    let passes = &*data.passes;
    ui.strong("Sites");
    if passes.book.sites.is_empty() {
        ui.label("No site yet: type one below, or turn the globe until it is in the middle and press \"here\".");
    }
    egui::Grid::new("sites")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (index, site) in passes.book.sites.iter().enumerate() {
                if ui.radio(index == passes.site, &site.name).clicked() {
                    actions.push(AppAction::Passes(PassRequest::ChooseSite(index)));
                }
                ui.label(format!(
                    "{:.4}°, {:.4}°, {:.0} m",
                    site.latitude_deg, site.longitude_deg, site.height_m
                ));
                if ui.small_button("remove").clicked() {
                    actions.push(AppAction::Passes(PassRequest::RemoveSite(index)));
                }
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        ui.label("name");
        ui.add(egui::TextEdit::singleline(&mut fields.name).desired_width(110.0));
        ui.label("lat °");
        ui.add(egui::TextEdit::singleline(&mut fields.latitude).desired_width(70.0));
        ui.label("lon °");
        ui.add(egui::TextEdit::singleline(&mut fields.longitude).desired_width(70.0));
        ui.label("height m");
        ui.add(egui::TextEdit::singleline(&mut fields.height_m).desired_width(50.0));
        if ui
            .button("here")
            .on_hover_text("the point at the centre of the view")
            .clicked()
            && let Some(camera) = data.cameras.iter().next()
        {
            let (lat, lon) = camera.view.looking_down_at(data.clock.now());
            fields.latitude = format!("{lat:.4}");
            fields.longitude = format!("{lon:.4}");
        }
        if ui.button("add").clicked() {
            match typed_site(fields) {
                Ok(site) => {
                    fields.add_error = None;
                    actions.push(AppAction::Passes(PassRequest::AddSite(site)));
                }
                Err(error) => fields.add_error = Some(error),
            }
        }
    });
    if let Some(error) = &fields.add_error {
        ui.colored_label(egui::Color32::from_rgb(255, 140, 120), error);
    }
    if let Some(path) = &passes.book_path {
        ui.weak(format!(
            "kept in {} (the command line's --site-name reads it)",
            path.display()
        ));
    }
}

/// The typed site, or what is wrong with it (naming the field).
fn typed_site(fields: &PassFields) -> Result<Site, String> {
    let number = |text: &str, field: &str, default: Option<f64>| match (text.trim(), default) {
        ("", Some(value)) => Ok(value),
        (text, _) => text
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| format!("{field}: {text:?} is not a number")),
    };
    let latitude = number(&fields.latitude, "latitude", None)?;
    let longitude = number(&fields.longitude, "longitude", None)?;
    let height_m = number(&fields.height_m, "height", Some(0.0))?;
    let name = match fields.name.trim() {
        "" => format!("{latitude:.2}, {longitude:.2}"),
        name => name.to_owned(),
    };
    Site::new(name, latitude, longitude, height_m).map_err(|error| error.to_string())
}

fn search(
    ui: &mut egui::Ui,
    data: &PanelData,
    fields: &mut PassFields,
    actions: &mut Vec<AppAction>,
) {
    let passes = &*data.passes;
    ui.horizontal(|ui| {
        ui.label("days");
        ui.add(
            egui::DragValue::new(&mut fields.settings.days)
                .range(0.1..=30.0)
                .speed(0.1),
        );
        ui.label("min elevation °");
        ui.add(
            egui::DragValue::new(&mut fields.settings.min_elevation_deg)
                .range(0.0..=80.0)
                .speed(0.5),
        );
        ui.checkbox(&mut fields.visible_only, "visible only")
            .on_hover_text("sunlit while the site is dark (Sun below −6°)");
    });
    ui.horizontal_wrapped(|ui| {
        if let Some((done, total)) = passes.running() {
            ui.add(
                egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                    .desired_width(200.0)
                    .show_percentage(),
            );
            if ui.button("cancel").clicked() {
                actions.push(AppAction::Passes(PassRequest::Cancel));
            }
            return;
        }
        let selected = data
            .selection
            .selected
            .and_then(|row| data.catalog.objects.get(row))
            .map_or_else(
                || "the selected object".to_owned(),
                |object| object.name.clone(),
            );
        if ui
            .button(format!("passes of {selected} over every site"))
            .clicked()
        {
            actions.push(AppAction::Passes(PassRequest::Run(
                PassScope::SelectedOverEverySite,
                fields.settings,
            )));
        }
        let site = passes
            .chosen_site()
            .map_or_else(|| "the chosen site".to_owned(), |site| site.name.clone());
        if ui
            .button(format!("the filtered objects over {site}"))
            .clicked()
        {
            actions.push(AppAction::Passes(PassRequest::Run(
                PassScope::FilteredOverSite,
                fields.settings,
            )));
        }
    });
    if let Some(message) = &passes.message {
        ui.label(message);
    }
}

fn pass_table(
    ui: &mut egui::Ui,
    data: &PanelData,
    table: &PassTable,
    fields: &mut PassFields,
    actions: &mut Vec<AppAction>,
) {
    let rows: Vec<usize> = (0..table.rows.len())
        .filter(|&row| !fields.visible_only || table.rows[row].pass.visible)
        .collect();
    ui.label(format!(
        "{} passes from {} over {} days (UTC; click: go to the rise)",
        count(rows.len()),
        table.span.start.to_utc().format("%Y-%m-%d %H:%M"),
        table.settings.days
    ));
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("export CSV")
            .on_hover_text(
                "the rows shown, as `orbitscope passes --format csv` writes them, into the \
                 current directory",
            )
            .clicked()
        {
            fields.export = Some(export(data, table, &rows));
        }
        if let Some(message) = &fields.export {
            ui.label(message);
        }
    });
    let shown = data.passes.shown;
    let paused = data.clock.is_paused();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("pass rows")
        .auto_shrink(false)
        .max_height(360.0)
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for &row in &rows[range] {
                let entry = &table.rows[row];
                let object = table
                    .objects
                    .get(entry.object)
                    .and_then(|&index| data.catalog.objects.get(index))
                    .map_or("?", |object| object.name.as_str());
                let site = table
                    .sites
                    .get(entry.site)
                    .map_or("?", |site| site.name.as_str());
                let pass = &entry.pass;
                let text = format!(
                    "{}  {:>5.1}°  {:>4.0} s  {}{} · {}",
                    pass.rise.at.to_utc().format("%m-%d %H:%M:%S"),
                    pass.culmination.elevation_deg,
                    pass.duration_s(),
                    if pass.visible { "☀ " } else { "" },
                    object,
                    site,
                );
                let response = ui.selectable_label(shown == Some(row), text).on_hover_text(format!(
                    "rise {} at azimuth {:.0}°; highest {:.1}° at {} (azimuth {:.0}°); set {} at \
                     azimuth {:.0}°{}",
                    pass.rise.at.to_utc().format("%H:%M:%S"),
                    pass.rise.azimuth_deg,
                    pass.culmination.elevation_deg,
                    pass.culmination.at.to_utc().format("%H:%M:%S"),
                    pass.culmination.azimuth_deg,
                    pass.set.at.to_utc().format("%H:%M:%S"),
                    pass.set.azimuth_deg,
                    if pass.visible {
                        "; visible to the eye (sunlit, the site dark)"
                    } else {
                        ""
                    }
                ));
                if response.clicked() {
                    actions.extend(go_to_actions(table, row, paused));
                }
            }
        });
}

fn export(data: &PanelData, table: &PassTable, rows: &[usize]) -> String {
    let passes = rows.iter().filter_map(|&row| {
        let entry = table.rows.get(row)?;
        let object = data
            .catalog
            .objects
            .get(*table.objects.get(entry.object)?)?;
        Some((object, &entry.pass))
    });
    super::widgets::save_table_csv(
        "orbitscope-passes.csv",
        &format!("{} passes", count(rows.len())),
        crate::passes::csv::passes_csv(passes).map_err(|error| error.to_string()),
    )
}

/// Polar azimuth/elevation plot of the chosen site's sky: rings every 30°, the cardinal points,
/// the shown pass's track (from its rise, marked), and every shown object above the horizon at
/// the clock's time in its marker colour.
fn sky_plot(ui: &mut egui::Ui, data: &PanelData, fields: &mut PassFields) {
    let passes = &*data.passes;
    let site = passes
        .shown
        .and_then(|row| {
            let table = passes.table.as_ref()?;
            table.sites.get(table.rows.get(row)?.site)
        })
        .or_else(|| passes.chosen_site());
    let Some(site) = site else {
        return;
    };
    ui.label(format!("the sky over {} (zenith in the middle)", site.name));
    let key = (
        data.propagation.states.instant,
        [site.latitude_deg, site.longitude_deg, site.height_m].map(f64::to_bits),
        data.style.generation(),
    );
    if fields
        .overhead
        .as_ref()
        .is_none_or(|(cached, _)| *cached != key)
    {
        fields.overhead = Some((key, overhead(data, &SiteFrame::new(site))));
    }
    let overhead = fields
        .overhead
        .as_ref()
        .map_or(&[][..], |(_, groups)| groups);
    let track: Vec<[f64; 2]> = passes
        .track
        .iter()
        .map(|(_, look)| sky_xy(look.azimuth_deg, look.elevation_deg))
        .collect();
    Plot::new("sky plot")
        .data_aspect(1.0)
        .show_axes(false)
        .show_grid(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_x(-100.0)
        .include_x(100.0)
        .include_y(-100.0)
        .include_y(100.0)
        .height(340.0)
        .show(ui, |plot| {
            let ring = egui::Color32::from_gray(110);
            for elevation in [0.0, 30.0, 60.0] {
                let circle: Vec<[f64; 2]> = (0..=72)
                    .map(|k| sky_xy(f64::from(k) * 5.0, elevation))
                    .collect();
                plot.line(
                    Line::new(format!("{elevation:.0}°"), circle)
                        .color(ring)
                        .width(1.0),
                );
            }
            for (label, azimuth) in [("N", 0.0), ("E", 90.0), ("S", 180.0), ("W", 270.0)] {
                let [x, y] = sky_xy(azimuth, -8.0);
                plot.text(Text::new(label, PlotPoint::new(x, y), label).color(ring));
            }
            for (color, points) in overhead {
                plot.points(
                    Points::new("overhead", PlotPoints::Borrowed(points))
                        .color(*color)
                        .radius(2.0)
                        .filled(true),
                );
            }
            if let Some(&rise) = track.first() {
                let highlight = egui::Color32::from_rgb(255, 255, 124);
                plot.line(Line::new("pass", track).color(highlight).width(2.0));
                plot.points(
                    Points::new("rise", vec![rise])
                        .shape(MarkerShape::Diamond)
                        .radius(5.0)
                        .color(highlight),
                );
            }
        });
}

/// Every shown object above the site's horizon at the clock's last tick, as sky-plot points
/// grouped by marker colour.
fn overhead(data: &PanelData, site: &SiteFrame) -> Vec<(egui::Color32, Vec<PlotPoint>)> {
    let states = &data.propagation.states;
    let Some(at) = states.instant else {
        return Vec::new();
    };
    let gmst = gmst_rad(at);
    let mask = data.style.mask();
    let colors = data.style.colors();
    let mut groups: HashMap<[u8; 4], (egui::Color32, Vec<PlotPoint>)> = HashMap::new();
    for (index, position) in states.positions_km.iter().enumerate() {
        if states.failures[index].is_some() || !mask.get(index).copied().unwrap_or(true) {
            continue;
        }
        let ecef = crate::orbit::frames::teme_to_ecef(DVec3::from_array(*position), gmst);
        let sin_elevation = site.sin_elevation(ecef);
        if sin_elevation <= 0.0 {
            continue;
        }
        let look = site.look_ecef(ecef, DVec3::ZERO);
        let color = colors
            .get(index)
            .map_or(egui::Color32::WHITE, |&c| color32(c));
        groups
            .entry(color.to_array())
            .or_insert_with(|| (color, Vec::new()))
            .1
            .push(sky_xy(look.azimuth_deg, look.elevation_deg).into());
    }
    groups.into_values().collect()
}
