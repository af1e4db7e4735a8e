//! `orbitscope stats`: counts by owner, registration status or object type.

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{FilterArgs, OutputFormat, SourceArgs, load};
use crate::stats::{GroupBy, StatsRow, group_counts, total, write_csv};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Owner,
    Registration,
    Type,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// What to group by.
    #[arg(long, value_enum, default_value_t = ByArg::Owner)]
    pub by: ByArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub sources: SourceArgs,
}

pub fn run(args: &StatsArgs) -> Result<()> {
    let loaded = load(&args.sources)?;
    let by = match args.by {
        ByArg::Owner => GroupBy::Owner,
        ByArg::Registration => GroupBy::Registration,
        ByArg::Type => GroupBy::Type,
    };
    let objects = &loaded.catalog.objects;
    let filter = args.filter.to_filter(objects)?;
    let rows = group_counts(objects.iter().filter(|object| filter.matches(object)), by);
    print!("{}", render(&rows, args.format)?);
    Ok(())
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

fn table(rows: &[StatsRow]) -> String {
    let sum = total(rows);
    let width = rows.iter().map(|r| r.group.len()).max().unwrap_or(5).max(5);
    let mut out = format!(
        "{:<width$} {:>8} {:>8} {:>8} {:>7} {:>7} {:>10} {:>8} {:>8}  {}\n",
        "group",
        "objects",
        "payload",
        "r/body",
        "debris",
        "unknown",
        "registered",
        "not reg",
        "no data",
        "label"
    );
    for row in rows.iter().chain(std::iter::once(&sum)) {
        out.push_str(&format!(
            "{:<width$} {:>8} {:>8} {:>8} {:>7} {:>7} {:>10} {:>8} {:>8}  {}\n",
            row.group,
            row.objects,
            row.payloads,
            row.rocket_bodies,
            row.debris,
            row.unknown_type,
            row.registered,
            row.not_registered,
            row.no_registration_data,
            row.label
        ));
    }
    out
}
