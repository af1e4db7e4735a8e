//! The data-status window: each source with its place, date, record counts and problems; the
//! element sets' age; join coverage per object type; and downloads, run in the background
//! with their progress and outcome in words, under the same rules as `orbitscope fetch`.

use bevy_egui::egui;

use super::PanelData;
use super::widgets::count;
use crate::app::controls::AppAction;
use crate::app::refresh::{RefreshKind, RefreshState};

const WARNING: egui::Color32 = egui::Color32::from_rgb(240, 200, 80);

pub(super) fn window(
    ctx: &egui::Context,
    data: &PanelData,
    state: &mut super::UiState,
    actions: &mut Vec<AppAction>,
) {
    if !data.views.data_status {
        return;
    }
    let Some(report) = data.report.as_deref() else {
        return;
    };
    let mut open = true;
    egui::Window::new("Data status")
        .open(&mut open)
        .default_size([580.0, 560.0])
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                sources(ui, report);
                ui.separator();
                epochs(ui, data, report);
                ui.separator();
                coverage(ui, report);
                ui.separator();
                problems(ui, report);
                ui.separator();
                downloads(ui, data, report, actions);
                ui.separator();
                super::export::section(ui, data, &mut state.export);
            });
        });
    if !open {
        actions.push(AppAction::ToggleDataStatus);
    }
}

fn sources(ui: &mut egui::Ui, report: &crate::app::LoadReport) {
    ui.strong("Sources");
    egui::Grid::new("sources grid")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for heading in ["kind", "file or URL", "fetched", "kept", "skipped"] {
                ui.weak(heading);
            }
            ui.end_row();
            for load in &report.loads {
                ui.label(format!("{} ({})", load.info.kind, load.format));
                // The file name (or the URL's last part); the whole location on hover.
                let short = load.info.location.rsplit('/').next().unwrap_or_default();
                ui.add(egui::Label::new(short).truncate())
                    .on_hover_text(&load.info.location);
                ui.label(load.info.fetched_at.map_or_else(
                    || "local file".to_owned(),
                    |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
                ));
                ui.label(count(load.records));
                if load.skipped > 0 {
                    ui.colored_label(WARNING, count(load.skipped));
                } else {
                    ui.label("0");
                }
                ui.end_row();
            }
        });
    let kinds = ["gp", "satcat", "gcat", "unoosa"];
    let missing: Vec<&str> = kinds
        .iter()
        .copied()
        .filter(|kind| !report.loads.iter().any(|load| load.info.kind == *kind))
        .collect();
    if !missing.is_empty() {
        ui.weak(format!(
            "not loaded: {} (without SATCAT no owners or types; without GCAT or the UNOOSA \
             index no registration data)",
            missing.join(", ")
        ));
    }
    for warning in &report.warnings {
        ui.colored_label(WARNING, warning);
    }
}

fn epochs(ui: &mut egui::Ui, data: &PanelData, report: &crate::app::LoadReport) {
    let Some(summary) = report.epochs else {
        return;
    };
    let now = data.clock.now();
    let age = |instant: crate::orbit::Instant| {
        format!(
            "{} ({:+.1} days from the clock)",
            instant.to_utc().format("%Y-%m-%d %H:%M UTC"),
            instant.minutes_since(now) / 1440.0
        )
    };
    ui.strong("Element sets");
    ui.label(format!("oldest {}", age(summary.oldest)));
    ui.label(format!("median {}", age(summary.median)));
    ui.label(format!("newest {}", age(summary.newest)));
    ui.weak("SGP4 errors grow by about 1–3 km a day away from an element set's epoch.");
}

fn coverage(ui: &mut egui::Ui, report: &crate::app::LoadReport) {
    ui.strong("Join coverage");
    egui::Grid::new("coverage grid")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for heading in ["type", "objects", "SATCAT", "GCAT", "UNOOSA index"] {
                ui.weak(heading);
            }
            ui.end_row();
            for (kind, row) in &report.coverage {
                let share = |n: usize| {
                    format!(
                        "{} ({:.0} %)",
                        count(n),
                        100.0 * n as f64 / row.objects.max(1) as f64
                    )
                };
                ui.label(kind.label());
                ui.label(count(row.objects));
                ui.label(share(row.satcat));
                ui.label(share(row.gcat));
                ui.label(share(row.unoosa));
                ui.end_row();
            }
        });
    ui.weak("GCAT and the UNOOSA index give registration facts; the index wins where both speak.");
}

fn problems(ui: &mut egui::Ui, report: &crate::app::LoadReport) {
    if report.sgp4_rejected > 0 {
        ui.colored_label(
            WARNING,
            format!(
                "SGP4 refused {} element sets at initialisation (never drawn):",
                count(report.sgp4_rejected)
            ),
        );
        for rejection in &report.first_sgp4_rejections {
            ui.add(egui::Label::new(rejection).wrap());
        }
    }
    if report.issue_count == 0 {
        ui.label("No parse problems: every record was read.");
        return;
    }
    ui.colored_label(
        WARNING,
        format!(
            "{} parse problems (records skipped or read with a caveat); the first:",
            count(report.issue_count)
        ),
    );
    for issue in &report.first_issues {
        ui.add(egui::Label::new(issue).wrap());
    }
    ui.weak("`orbitscope catalog --show-issues N` lists more.");
}

fn downloads(
    ui: &mut egui::Ui,
    data: &PanelData,
    report: &crate::app::LoadReport,
    actions: &mut Vec<AppAction>,
) {
    ui.strong("Downloads");
    let Some(selection) = &report.selection else {
        ui.label("The catalog comes from files named on the command line: nothing to download.");
        return;
    };
    if selection.offline {
        ui.label("Started with --offline: nothing is sent to the network in this session.");
        return;
    }
    let running = data.refresh.is_running();
    let button = ui
        .add_enabled(!running, egui::Button::new("check for new data"))
        .on_hover_text(
            "asks CelesTrak and GCAT for news: at most once every two hours per source, \
             never to a source that refused us (then `orbitscope fetch --retry`)",
        );
    if button.clicked() {
        actions.push(AppAction::RefreshData {
            what: RefreshKind::Catalogs,
            retry: false,
        });
    }
    let register = ui
        .add_enabled(!running, egui::Button::new("update the UN register"))
        .on_hover_text(
            "reads UNOOSA's Online Index of Objects Launched into Outer Space, one page every              2 s: a full pass at most weekly (the first takes about 40 minutes), an              incremental one at most daily; an interrupted pass resumes",
        );
    if register.clicked() {
        actions.push(AppAction::RefreshData {
            what: RefreshKind::UnRegister,
            retry: false,
        });
    }
    match &data.refresh.state {
        RefreshState::Idle => {
            ui.weak("No download in this session yet.");
        }
        RefreshState::Running {
            source,
            done,
            total,
            pages,
        } => {
            let fraction = total.map_or(0.0, |total| *done as f32 / total.max(1) as f32);
            let amount = |n: u64| {
                if *pages {
                    format!("{n} pages")
                } else {
                    bytes(n)
                }
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .animate(total.is_none())
                    .text(format!(
                        "{source}: {}{}",
                        amount(*done),
                        total.map_or_else(String::new, |t| format!(" of {}", amount(t)))
                    )),
            );
        }
        RefreshState::Done {
            at,
            lines,
            reloaded,
            failures,
            what: last_kind,
        } => {
            ui.label(format!(
                "{} at {}",
                if *reloaded {
                    "New data loaded"
                } else {
                    "Nothing new"
                },
                at.format("%H:%M UTC")
            ));
            for line in lines {
                ui.add(egui::Label::new(line).wrap());
            }
            if *failures
                && ui
                    .button("retry now")
                    .on_hover_text(
                        "lifts the pause after a refusal or failure (like `orbitscope fetch \
                         --retry`); the two hours after an answer still hold",
                    )
                    .clicked()
            {
                actions.push(AppAction::RefreshData {
                    what: *last_kind,
                    retry: true,
                });
            }
        }
        RefreshState::Failed(message) => {
            ui.colored_label(WARNING, message);
        }
    }
}

fn bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / f64::from(1 << 20))
    } else {
        format!("{} kiB", n / 1024)
    }
}
