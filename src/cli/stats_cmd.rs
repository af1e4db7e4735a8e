//! `orbitscope stats`: counts by a grouping, or (`--unregistered`) the registration gap list,
//! from the same functions the window's statistics panels use.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::stats_register::RegisterQuestion;
use super::{FilterArgs, OutputFormat, SourceArgs, load, truncate};
use crate::stats::gap::RegistrationGap;
use crate::stats::{GroupBy, StatsRow, group_counts, ranked_by_rate, total, write_csv};
use crate::treaty::PARTIES_AS_OF;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Owner,
    Registration,
    Type,
    Regime,
    StateOfRegistry,
    LaunchYear,
    AltitudeBand,
}

impl From<ByArg> for GroupBy {
    fn from(arg: ByArg) -> Self {
        match arg {
            ByArg::Owner => Self::Owner,
            ByArg::Registration => Self::Registration,
            ByArg::Type => Self::Type,
            ByArg::Regime => Self::Regime,
            ByArg::StateOfRegistry => Self::StateOfRegistry,
            ByArg::LaunchYear => Self::LaunchYear,
            ByArg::AltitudeBand => Self::AltitudeBand,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StepArg {
    Year,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Objects,
    Rate,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// What to group by (altitude bands are 50 km of mean altitude).
    #[arg(long, value_enum, default_value_t = ByArg::Owner)]
    pub by: ByArg,
    /// List the payloads that are not registered with the UN or have no registration data,
    /// longest since launch first, instead of counts.
    #[arg(long, conflicts_with = "by")]
    pub unregistered: bool,
    /// List the objects registered with the UN by a state other than their SATCAT owner.
    #[arg(long, conflicts_with_all = ["by", "unregistered"])]
    pub registered_elsewhere: bool,
    /// Per owner: the UN register's entries the catalog has (with element sets, in the SATCAT
    /// only, or not at all), and the catalog's objects the register does not list.
    #[arg(long, conflicts_with_all = ["by", "unregistered", "registered_elsewhere"])]
    pub register_coverage: bool,
    /// List every registered object with its UN registration document symbol(s).
    #[arg(long, conflicts_with_all = ["by", "unregistered", "registered_elsewhere", "register_coverage"])]
    pub documents: bool,
    /// Objects in orbit on each date since 1957-10-04 (`--by type` or `owner`, `--step`), from
    /// the SATCAT alone; CSV columns `date,group,in_orbit`.
    #[arg(long, conflicts_with_all = ["unregistered", "registered_elsewhere", "register_coverage", "documents"])]
    pub history: bool,
    /// Spacing of the dates of `--history`.
    #[arg(long, value_enum, default_value_t = StepArg::Year, requires = "history")]
    pub step: StepArg,
    /// Reference date for "days since launch" with `--unregistered`, or the last date counted
    /// with `--history` (YYYY-MM-DD; default: today, UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Row order: most objects first, or highest payload registration rate first (groups
    /// with 10 or more payloads only).
    #[arg(long, value_enum, default_value_t = SortArg::Objects)]
    pub sort: SortArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date (expected YYYY-MM-DD)"))
}

pub fn run(args: &StatsArgs) -> Result<()> {
    if args.history {
        return history(args);
    }
    let loaded = load(&args.sources)?;
    let objects = &loaded.catalog.objects;
    let filter = args.filter.to_filter(objects)?;
    let shown = objects.iter().filter(|object| filter.matches(object));
    if args.unregistered {
        let as_of = args
            .as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        let gap = RegistrationGap::of(shown, as_of);
        super::write_stdout(&render_gap(&gap, as_of, args.format)?)?;
        return Ok(());
    }
    let question = if args.registered_elsewhere {
        Some(RegisterQuestion::RegisteredElsewhere)
    } else if args.register_coverage {
        Some(RegisterQuestion::Coverage)
    } else if args.documents {
        Some(RegisterQuestion::Documents)
    } else {
        None
    };
    if let Some(question) = question {
        let shown = objects.iter().filter(|object| filter.matches(object));
        let text = super::stats_register::answer(&loaded.catalog, shown, question, args.format)?;
        super::write_stdout(&text)?;
        return Ok(());
    }
    if args.as_of.is_some() {
        bail!("--as-of only applies to --unregistered");
    }
    let mut rows = group_counts(shown, args.by.into());
    if args.sort == SortArg::Rate {
        rows = ranked_by_rate(&rows).into_iter().cloned().collect();
    }
    super::write_stdout(&render(&rows, args.format)?)?;
    Ok(())
}

/// `--history`: needs only a SATCAT (the file named, or the cached one).
fn history(args: &StatsArgs) -> Result<()> {
    use crate::stats::history::{HistoryBy, Step};
    let by = match args.by {
        ByArg::Type => HistoryBy::Type,
        ByArg::Owner => HistoryBy::Owner,
        other => bail!(
            "--history counts by type or by owner, not by {}",
            format!("{other:?}").to_lowercase()
        ),
    };
    let step = match args.step {
        StepArg::Year => Step::Year,
        StepArg::Month => Step::Month,
    };
    let until = args
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let (rows, location) =
        crate::loader::load_satcat(&args.sources.selection(), &mut super::download_progress())?;
    let text = super::stats_history::render(&rows, &location, by, step, until, args.format)?;
    super::write_stdout(&text)
}

/// Renders rows in the chosen format.
pub fn render(rows: &[StatsRow], format: OutputFormat) -> Result<String> {
    Ok(match format {
        OutputFormat::Csv => {
            let mut out = Vec::new();
            write_csv(&mut out, rows)?;
            String::from_utf8(out)?
        }
        OutputFormat::Json => serde_json::to_string_pretty(rows)? + "\n",
        OutputFormat::Table => table(rows),
    })
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".to_owned(), |rate| format!("{:.0}%", rate * 100.0))
}

fn table(rows: &[StatsRow]) -> String {
    let sum = total(rows);
    let width = rows.iter().map(|r| r.group.len()).max().unwrap_or(5).max(5);
    let mut out = format!(
        "{:<width$} {:>7} {:>7} {:>6} {:>6} {:>7} {:>10} {:>7} {:>7} {:>12} {:>19}  {}\n",
        "group",
        "objects",
        "payload",
        "r/body",
        "debris",
        "unknown",
        "registered",
        "not reg",
        "no data",
        "payload rate",
        "REG",
        "label"
    );
    for row in rows.iter().chain(std::iter::once(&sum)) {
        let rate = format!(
            "{} of {}",
            percent(row.payload_registration_rate),
            row.payloads
        );
        out.push_str(&format!(
            "{:<width$} {:>7} {:>7} {:>6} {:>6} {:>7} {:>10} {:>7} {:>7} {:>12} {:>19}  {}\n",
            row.group,
            row.objects,
            row.payloads,
            row.rocket_bodies,
            row.debris,
            row.unknown_type,
            row.registered,
            row.not_registered,
            row.no_registration_data,
            rate,
            row.owner_reg,
            row.label
        ));
    }
    if rows.iter().any(|row| !row.owner_reg.is_empty()) {
        out.push_str(&format!(
            "REG: the owner's standing towards the Registration Convention, as at {PARTIES_AS_OF}.\n"
        ));
    }
    out
}

/// Renders the gap list: CSV and JSON are the rows; the table adds the per-owner summary.
pub fn render_gap(gap: &RegistrationGap, as_of: NaiveDate, format: OutputFormat) -> Result<String> {
    Ok(match format {
        OutputFormat::Csv => {
            let mut out = Vec::new();
            gap.write_csv(&mut out)?;
            String::from_utf8(out)?
        }
        OutputFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "as_of": as_of,
                "treaty_status_as_of": PARTIES_AS_OF,
                "owners": gap.owners,
                "payloads": gap.rows,
            }))? + "\n"
        }
        OutputFormat::Table => gap_table(gap, as_of),
    })
}

fn gap_table(gap: &RegistrationGap, as_of: NaiveDate) -> String {
    let mut out = format!(
        "Registration gap as of {as_of}: {} payloads not registered or without data \
         (treaty status as at {PARTIES_AS_OF}).\n\n",
        gap.rows.len()
    );
    out.push_str(&format!(
        "{:<6} {:>8} {:>10} {:>7} {:>7} {:>15}  {}\n",
        "owner",
        "payloads",
        "registered",
        "not reg",
        "no data",
        "median wait",
        "Registration Convention"
    ));
    for owner in gap
        .owners
        .iter()
        .filter(|o| o.not_registered + o.no_data > 0)
    {
        let wait = owner.median_days_unregistered.map_or_else(
            || "-".to_owned(),
            |days| format!("{:.1} years", days as f64 / 365.25),
        );
        out.push_str(&format!(
            "{:<6} {:>8} {:>10} {:>7} {:>7} {:>15}  {}\n",
            owner.owner,
            owner.payloads,
            owner.registered,
            owner.not_registered,
            owner.no_data,
            wait,
            owner.reg
        ));
    }
    out.push_str(&format!(
        "\n{:>6} {:<11} {:<24} {:<5} {:<10} {:<14} {:<11}  {}\n",
        "norad",
        "object id",
        "name",
        "owner",
        "launched",
        "registration",
        "REG launch",
        "would register"
    ));
    for row in &gap.rows {
        out.push_str(&format!(
            "{:>6} {:<11} {:<24} {:<5} {:<10} {:<14} {:<11}  {}\n",
            row.norad_id,
            row.object_id,
            truncate(&row.name, 24),
            row.owner,
            row.launch_date.map(|d| d.to_string()).unwrap_or_default(),
            row.registration,
            row.reg_at_launch,
            row.registering_state
        ));
    }
    out
}
