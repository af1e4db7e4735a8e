//! `orbitscope conjunctions`: every close approach of the filtered objects, against the whole
//! catalog or among themselves, over a span.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::{
    FilterArgs, OutputFormat, SourceArgs, load, truncate, write_stdout, write_stdout_bytes,
};
use crate::catalog::NoradId;
use crate::conjunction::{
    Conjunction, EventOrder, Progress, ScreeningReport, ScreeningRequest, csv_bytes, participants,
    screen,
};
use crate::orbit::{Instant, parse_utc};

/// Against what the filtered (primary) objects are screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Against {
    /// Every object of the loaded catalog.
    All,
    /// Only the other filtered objects.
    Filtered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    Tca,
    Miss,
    Speed,
}

#[derive(Debug, Args)]
pub struct ConjunctionsArgs {
    /// Screen the filtered objects against the whole catalog, or only among themselves.
    #[arg(long, value_enum, default_value_t = Against::All)]
    pub against: Against,
    /// Start of the span (UTC unless an offset is given). Default: now.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub from: Option<DateTime<Utc>>,
    /// Length of the span in days (default 7).
    #[arg(long, value_name = "DAYS", conflicts_with = "to")]
    pub days: Option<f64>,
    /// End of the span, instead of --days.
    #[arg(long, value_name = "TIME", value_parser = parse_utc)]
    pub to: Option<DateTime<Utc>>,
    /// Report approaches closer than this (km).
    #[arg(long, value_name = "KM", default_value_t = 5.0)]
    pub threshold_km: f64,
    /// Only these NORAD catalog numbers as primaries (with the filter). Repeatable.
    #[arg(long = "norad", value_name = "N")]
    pub norad: Vec<NoradId>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Keep only the first N events after sorting.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[arg(long, value_enum, default_value_t = SortKey::Tca)]
    pub sort: SortKey,
    /// Print counts per day by regime and by owner pair instead of the events.
    #[arg(long)]
    pub summary: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

impl ConjunctionsArgs {
    /// The span asked for, checked.
    pub fn request(&self, now: DateTime<Utc>) -> Result<ScreeningRequest> {
        let from = self.from.unwrap_or(now);
        let span_s = match (self.days, self.to) {
            (_, Some(to)) => (to - from).num_milliseconds() as f64 / 1000.0,
            (Some(days), None) => days * 86_400.0,
            (None, None) => 7.0 * 86_400.0,
        };
        let request = ScreeningRequest {
            start: Instant::from_utc(from),
            span_s,
            threshold_km: self.threshold_km,
        };
        if let Err(reason) = request.validate() {
            bail!("conjunctions: {reason}");
        }
        Ok(request)
    }
}

pub fn run(args: &ConjunctionsArgs) -> Result<()> {
    let request = args.request(Utc::now())?;
    let loaded = load(&args.sources)?;
    let catalog = &loaded.catalog;
    let filter = args.filter.to_filter(&catalog.objects)?;
    for &norad_id in &args.norad {
        if catalog.index_of(norad_id).is_none() {
            eprintln!("NORAD {norad_id}: not in the loaded catalog");
        }
    }
    let primary_of = |index: usize| {
        let object = &catalog.objects[index];
        filter.matches(object) && (args.norad.is_empty() || args.norad.contains(&object.norad_id))
    };
    let against = match args.against {
        Against::All => crate::conjunction::Against::All,
        Against::Filtered => crate::conjunction::Against::Primaries,
    };
    let (slots, primary) = participants(&catalog.objects, primary_of, against);
    let primaries = primary.iter().filter(|&&p| p).count();
    if primaries == 0 {
        bail!("no object of the loaded catalog matches the filter: nothing to screen");
    }
    let elements: Vec<&sgp4::Elements> = slots
        .iter()
        .map(|&index| &catalog.objects[index].elements)
        .collect();

    let progress = Progress::default();
    let screening = std::thread::scope(|scope| {
        let worker = scope.spawn(|| screen(&elements, &primary, &request, &progress));
        show_progress(&progress, &worker);
        worker.join()
    })
    .map_err(|_| anyhow::anyhow!("the screening stopped unexpectedly"))?
    .context("screening")?;
    let report = ScreeningReport::new(&screening, &request, &catalog.objects, &slots, primaries);

    eprintln!(
        "{} close approaches under {} km among {} objects ({} primary) over {:.2} days; \
         {} in {} persistent pairs; stages: setup {:.1} s ({} left out by radius), sweep {:.1} s ({} box pairs, {} near \
         pairs, {} candidates), refine {:.1} s",
        report.conjunctions.len(),
        request.threshold_km,
        report.participants,
        report.primaries,
        request.span_s / 86_400.0,
        report.conjunctions.iter().filter(|c| c.persistent).count(),
        report.persistent_pairs,
        screening.times.setup.as_secs_f64(),
        screening.radially_excluded,
        screening.times.sweep.as_secs_f64(),
        screening.counts.box_pairs,
        screening.counts.curve_pairs,
        screening.counts.candidates,
        screening.times.refine.as_secs_f64(),
    );
    for (index, when, reason) in &report.dropouts {
        let object = &catalog.objects[*index];
        eprintln!(
            "NORAD {} ({}): not screened from {}: {reason}",
            object.norad_id,
            object.name,
            when.format("%Y-%m-%d %H:%M")
        );
    }
    if !report.dropouts.is_empty() {
        eprintln!(
            "{} of {} objects could not be propagated over the whole span",
            report.dropouts.len(),
            report.participants
        );
    }

    if args.summary {
        return write_stdout(&summary_text(&report));
    }
    let mut events = report.conjunctions;
    let order = match args.sort {
        SortKey::Tca => EventOrder::Tca,
        SortKey::Miss => EventOrder::Miss,
        SortKey::Speed => EventOrder::Speed,
    };
    events.sort_by(|a, b| order.compare(a, b));
    if let Some(top) = args.top {
        events.truncate(top);
    }
    match args.format {
        OutputFormat::Csv => write_stdout_bytes(&csv_bytes(&events)?),
        OutputFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&events)?;
            out.push(b'\n');
            write_stdout_bytes(&out)
        }
        OutputFormat::Table => write_stdout(&table_text(&events)),
    }
}

/// A bar on stderr while the screening runs (only on a terminal).
fn show_progress<T>(progress: &Progress, worker: &std::thread::ScopedJoinHandle<'_, T>) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("screening {bar:30} {percent}% {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    while !worker.is_finished() {
        let (done, total) = progress.fraction();
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

/// The table: persistent pairs collapsed to one line each (their closest minimum and count),
/// so that a docked vehicle does not flood the list.
fn table_text(events: &[Conjunction]) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "{:<24} {:>9} {:>7}  {:<24} {:<6} {:<15}  {:<24} {:<6} {:<15}\n",
        "TCA (UTC)",
        "miss km",
        "km/s",
        "object A",
        "owner",
        "registration",
        "object B",
        "owner",
        "registration"
    );
    let mut persistent: std::collections::BTreeMap<(u64, u64), (usize, &Conjunction)> =
        std::collections::BTreeMap::new();
    for event in events {
        if event.persistent {
            let entry = persistent
                .entry((event.a.norad_id, event.b.norad_id))
                .or_insert((0, event));
            entry.0 += 1;
            if event.miss_km < entry.1.miss_km {
                entry.1 = event;
            }
            continue;
        }
        let _ = writeln!(
            out,
            "{:<24} {:>9.3} {:>7.3}  {:<24} {:<6} {:<15}  {:<24} {:<6} {:<15}",
            event.tca_text(),
            event.miss_km,
            event.speed_km_s,
            truncate(&format!("{} {}", event.a.norad_id, event.a.name), 24),
            event.a.owner,
            event.a.registration,
            truncate(&format!("{} {}", event.b.norad_id, event.b.name), 24),
            event.b.owner,
            event.b.registration,
        );
    }
    if !persistent.is_empty() {
        let _ = writeln!(
            out,
            "\n{} persistent pairs (within the threshold between minima: docked or in \
             formation), closest minimum shown; every minimum is in --format csv|json:",
            persistent.len()
        );
        for (count, event) in persistent.values() {
            let _ = writeln!(
                out,
                "{:<24} {:>9.3} {:>7.3}  {:<24} {:<24} {count} minima",
                event.tca_text(),
                event.miss_km,
                event.speed_km_s,
                truncate(&format!("{} {}", event.a.norad_id, event.a.name), 24),
                truncate(&format!("{} {}", event.b.norad_id, event.b.name), 24),
            );
        }
    }
    out
}

fn summary_text(report: &ScreeningReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("Close approaches per day by regime\n");
    for (day, regimes) in report.per_day_by_regime() {
        let total: usize = regimes.values().sum();
        let detail: Vec<String> = regimes
            .iter()
            .map(|(regime, count)| format!("{regime} {count}"))
            .collect();
        let _ = writeln!(out, "  {day}  {total:>6}  ({})", detail.join(", "));
    }
    out.push_str("\nClose approaches by owner pair\n");
    for (pair, count) in report.by_owner_pair() {
        let _ = writeln!(out, "  {pair:<24} {count:>6}");
    }
    out
}
